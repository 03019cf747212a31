"""The figures of chapters 1-2 (multirat.plotting.channel), built from small synthetic inputs."""

import matplotlib
import numpy as np
import pytest

from multirat.plotting import COLUMN_WIDTH_IN
from multirat.plotting import channel as figs

D = np.geomspace(10.0, 5000.0, 50)
PL = 30 + 30 * np.log10(D)
DROP = (30.0, 300.0)


pytestmark = pytest.mark.usefixtures("book_style")


def _legend_labels(fig) -> list[str]:
    assert len(fig.legends) == 1, "one figure legend, below the axes"
    assert all(ax.get_legend() is None for ax in fig.axes), "no legend inside an axes"
    return [t.get_text() for t in fig.legends[0].get_texts()]


def _fits(fig) -> None:
    """Fits the column, also as the notebook saves it (tight bounding box plus savefig.pad_inches)."""
    assert fig.get_figwidth() <= COLUMN_WIDTH_IN
    fig.canvas.draw()
    bbox = fig.get_tightbbox(fig.canvas.get_renderer())
    assert bbox.width + 2 * matplotlib.rcParams["savefig.pad_inches"] <= COLUMN_WIDTH_IN + 1e-9


def _solid_lines(ax) -> list:
    """Data curves: lines with more than two points (axvline/axhline have two)."""
    return [ln for ln in ax.get_lines() if len(ln.get_xdata()) > 2]


def test_path_loss_figure():
    fig = figs.path_loss_figure(D, PL, PL + 10, PL + 8, PL + 5, breakpoint_m=390.0, drop_range_m=DROP,
                                fc_hz=6.5e9, h_bs_m=10.0, h_ut_m=1.5)
    _fits(fig)
    (ax,) = fig.axes
    assert len(_solid_lines(ax)) == 4
    assert ax.get_xscale() == "log"
    labels = _legend_labels(fig)
    assert len(labels) == 5 and labels[0] == "device drop (30-300 m)"
    assert "6.5 GHz" in ax.get_title()


def test_path_loss_figure_rejects_bad_input():
    with pytest.raises(ValueError, match="pl_nlos_db"):
        figs.path_loss_figure(D, PL, PL[:-1], PL, PL, breakpoint_m=390.0, drop_range_m=DROP,
                              fc_hz=6.5e9, h_bs_m=10.0, h_ut_m=1.5)
    with pytest.raises(ValueError, match="d2d_m"):
        figs.path_loss_figure(np.r_[0.0, D[1:]], PL, PL, PL, PL, breakpoint_m=390.0, drop_range_m=DROP,
                              fc_hz=6.5e9, h_bs_m=10.0, h_ut_m=1.5)
    with pytest.raises(ValueError, match="drop_range_m"):
        figs.path_loss_figure(D, PL, PL, PL, PL, breakpoint_m=390.0, drop_range_m=(300.0, 30.0),
                              fc_hz=6.5e9, h_bs_m=10.0, h_ut_m=1.5)


def test_los_probability_figure_shows_the_printed_branch_above_one():
    d = np.linspace(0.0, 300.0, 31)
    d_pr = d[d >= 5]
    fig = figs.los_probability_figure(d, np.minimum(1.0, 18 / np.maximum(d, 1)), d_pr, 1.3 - d_pr / 300,
                                      drop_range_m=DROP)
    _fits(fig)
    (ax,) = fig.axes
    assert len(_solid_lines(ax)) == 2
    assert len(_legend_labels(fig)) == 3
    assert ax.get_ylim()[1] >= 1.3                      # the printed branch is not clipped
    with pytest.raises(ValueError, match="pr_los_printed"):
        figs.los_probability_figure(d, d, d_pr, d, drop_range_m=DROP)


def test_gain_snr_histograms_figure():
    rng = np.random.default_rng(0)
    beta_db = rng.normal(-120.0, 8.0, 500)
    fig = figs.gain_snr_histograms_figure(beta_db, beta_db + 142.4, shadowing_std_db=4.0, p_max_dbm=30.0,
                                          noise_power_dbm=-112.4, bins=20)
    _fits(fig)
    assert len(fig.axes) == 2
    assert all(len(ax.patches) == 20 for ax in fig.axes)
    assert "500 devices" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="snr_db"):
        figs.gain_snr_histograms_figure(beta_db, beta_db[:10], shadowing_std_db=4.0, p_max_dbm=30.0,
                                        noise_power_dbm=-112.4)


def test_snr_cdf_figure_draws_one_monotone_cdf_per_model():
    rng = np.random.default_rng(1)
    snr = {"a": rng.normal(20, 5, 300), "b": rng.normal(30, 5, 300), "(c) x": rng.normal(25, 9, 300)}
    fig = figs.snr_cdf_figure(snr, dashed=["(c) x"])
    _fits(fig)
    (ax,) = fig.axes
    lines = ax.get_lines()
    assert [ln.get_linestyle() for ln in lines] == ["-", "-", "--"]
    for ln in lines:
        assert np.all(np.diff(ln.get_xdata()) >= 0) and ln.get_ydata()[0] == 0 and ln.get_ydata()[-1] == 1
    assert _legend_labels(fig) == ["a", "b", "(c) x"]
    with pytest.raises(ValueError, match="dashed"):
        figs.snr_cdf_figure(snr, dashed=["nope"])
    with pytest.raises(ValueError, match="snr_db_by_model"):
        figs.snr_cdf_figure({})
    with pytest.raises(ValueError, match="snr_db_by_model\\['a'\\]"):
        figs.snr_cdf_figure({"a": np.zeros((3, 3))})


def test_stationarity_envelope_figure():
    rng = np.random.default_rng(2)
    r = np.linspace(0, 3.5, 40)
    fig = figs.stationarity_envelope_figure(1 + 0.001 * rng.standard_normal(10), np.full(10, 0.003),
                                            rng.rayleigh(1 / np.sqrt(2), 400), r, 2 * r * np.exp(-r**2),
                                            envelope_slot=9)
    _fits(fig)
    assert len(fig.axes) == 2
    assert _legend_labels(fig) == ["1 $\\pm$ 5 standard errors", "Monte Carlo $E|h(t)|^2$", "$|h|$ in slot 9",
                                   "Rayleigh, scale $1/\\sqrt{2}$"]
    with pytest.raises(ValueError, match="mean_power_se"):
        figs.stationarity_envelope_figure(np.ones(10), np.ones(9), np.ones(5), r, r, envelope_slot=9)
    with pytest.raises(ValueError, match="reference_pdf"):
        figs.stationarity_envelope_figure(np.ones(10), np.ones(10), np.ones(5), r, r[1:], envelope_slot=9)


def test_autocorrelation_figure():
    t = np.arange(21) * 0.005
    k = np.arange(6) * 0.02
    fig = figs.autocorrelation_figure(t, np.cos(t), np.cos(t), np.full(21, 0.01), k, 0.6**np.arange(6),
                                      0.6**np.arange(6), doppler_hz=10.0, slot_s=0.02, rho=0.6)
    _fits(fig)
    (ax,) = fig.axes
    assert len(_legend_labels(fig)) == 4
    assert ax.get_xlim() == (0.0, 400.0)                  # 20 slots of 20 ms by default
    with pytest.raises(ValueError, match="sos_se"):
        figs.autocorrelation_figure(t, t, t, t[:-1], k, k, k, doppler_hz=10.0, slot_s=0.02, rho=0.6)
    with pytest.raises(ValueError, match="ar_mc"):
        figs.autocorrelation_figure(t, t, t, t, k, k, k[:2], doppler_hz=10.0, slot_s=0.02, rho=0.6)


def test_doppler_spectrum_figure_sorts_the_periodogram():
    f = np.linspace(-25, 25, 51)
    f_p = np.fft.fftfreq(8, 0.02)                                    # periodogram order: 0, +, -
    fig = figs.doppler_spectrum_figure(f, np.full(51, 0.02), f[20:31], np.full(11, 0.04), f_p, np.ones(8),
                                       np.ones(8), slot_s=0.02)
    _fits(fig)
    (ax,) = fig.axes
    assert len(_legend_labels(fig)) == 4
    assert all(np.all(np.diff(ln.get_xdata()) > 0) for ln in ax.get_lines())
    assert "25 Hz" in ax.get_title()
    with pytest.raises(ValueError, match="periodogram_sos"):
        figs.doppler_spectrum_figure(f, f, f, f, f_p, np.ones(8), np.ones(7), slot_s=0.02)


def test_ar_jakes_gap_sweep_figure():
    x = np.geomspace(0.01, 2.0, 30)
    lag = np.where(x < 1, 2.0, np.nan)
    fig = figs.ar_jakes_gap_sweep_figure(x, lag, 1 / (1 + x), paper_fd_ts=0.2)
    _fits(fig)
    assert len(fig.axes) == 2
    labels = _legend_labels(fig)
    assert len(labels) == 5 and labels.count("this book's $f_d T_s$ = 0.2") == 1   # shared line, one entry
    with pytest.raises(ValueError, match="max_gap"):
        figs.ar_jakes_gap_sweep_figure(x, lag, x[:-1], paper_fd_ts=0.2)
    with pytest.raises(ValueError, match="fd_ts"):
        figs.ar_jakes_gap_sweep_figure(-x, lag, x, paper_fd_ts=0.2)


def test_doppler_correlation_figure_has_a_speed_axis():
    f = np.linspace(1.0, 100.0, 100)
    fig = figs.doppler_correlation_figure(f, np.cos(f / 10), ["a", "b"], [10.0, 20.0], [0.5, -0.1],
                                          slot_s=0.02, fc_hz=6.5e9, c_m_s=3e8)
    _fits(fig)
    (ax,) = fig.axes
    assert _legend_labels(fig) == ["a", "b"]
    assert len(ax.get_lines()) == 4                                  # zero line, curve, two cases
    assert "6.5 GHz" in ax.child_axes[0].get_xlabel()
    with pytest.raises(ValueError, match="case_labels"):
        figs.doppler_correlation_figure(f, f, ["a"], [10.0, 20.0], [0.5, -0.1], slot_s=0.02, fc_hz=6.5e9)
    with pytest.raises(ValueError, match="case_rho"):
        figs.doppler_correlation_figure(f, f, ["a", "b"], [10.0, 20.0], [0.5], slot_s=0.02, fc_hz=6.5e9)


def test_full_width_figures_are_the_column_wide_also_as_saved():
    # use_style sets savefig.pad_inches = 0: the inline backend's tight bounding box adds no margin
    assert matplotlib.rcParams["savefig.pad_inches"] == 0
    fig = figs.snr_cdf_figure({"a": np.arange(10.0)})
    assert fig.get_figwidth() == pytest.approx(COLUMN_WIDTH_IN)
