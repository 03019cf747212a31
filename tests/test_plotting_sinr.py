"""Chapter 4's figures (multirat.plotting.sinr) from small synthetic inputs: size, content, input errors."""

import numpy as np
import pytest
from matplotlib.colors import to_hex

from multirat.plotting import COLUMN_WIDTH_IN, PALETTE
from multirat.plotting import sinr as sinr_figures

pytestmark = pytest.mark.usefixtures("book_style")


def _figure_legend_labels(fig) -> list[str]:
    return [t.get_text() for lg in fig.legends for t in lg.get_texts()]


def _axes_legend_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _no_legend_over_the_axes(fig) -> None:
    """Every legend is a figure legend or lies outside the plotting area of its axes."""
    assert fig.get_figwidth() <= COLUMN_WIDTH_IN
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            box, area = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
            assert box.x0 >= area.x1 or box.x1 <= area.x0 or box.y0 >= area.y1 or box.y1 <= area.y0, (
                "an axes legend inside the plotting area may cover data")


# ------------------------------------------------------------------------------------------------
# Figure 4.1
# ------------------------------------------------------------------------------------------------

def _ceiling_inputs():
    snr = np.linspace(-10, 70, 9)
    sinr = {0.0: snr, 0.05: np.minimum(snr, 19.0), 0.1: np.minimum(snr, 13.0)}
    ceiling = {0.05: 19.0, 0.1: 13.0}
    load = np.arange(1, 6)
    by_load = {"paper": {0.05: 26 - 10 * np.log10(load), 0.1: 20 - 10 * np.log10(load)},
               "per RRB": {0.05: np.full(5, 26.0), 0.1: np.full(5, 20.0)}}
    return snr, sinr, ceiling, load, by_load


def test_hwi_ceiling_figure_draws_sinr_ceilings_and_the_load_curves():
    snr, sinr, ceiling, load, by_load = _ceiling_inputs()
    fig = sinr_figures.hwi_ceiling_figure(snr, sinr, ceiling, load, by_load, n_k=5)
    _no_legend_over_the_axes(fig)
    ax_s, ax_c = fig.axes
    solid = [ln for ln in ax_s.get_lines() if ln.get_linestyle() == "-"]
    dashed = [ln for ln in ax_s.get_lines() if ln.get_linestyle() == "--"]
    assert len(solid) == len(sinr) and len(dashed) == len(ceiling)
    assert sorted(ln.get_ydata()[0] for ln in dashed) == [13.0, 19.0]
    # the paper's basis dashed (like the left panel's ceiling), the next dotted; colours by sigma
    assert [ln.get_linestyle() for ln in ax_c.get_lines()] == ["--", "--", ":", ":"]
    assert ax_c.get_lines()[0].get_color() == solid[1].get_color()              # sigma 0.05 on both panels
    assert _figure_legend_labels(fig) == ["$\\sigma_{rt}$ = 0", "$\\sigma_{rt}$ = 0.05", "$\\sigma_{rt}$ = 0.1",
                                          "SINR (left)", "ceiling, paper", "ceiling, per RRB"]
    assert "5 equal links" in ax_s.get_title()
    assert ax_s.get_xlim() == (-10.0, 70.0)
    fig2 = sinr_figures.hwi_ceiling_figure(snr, sinr, ceiling, load, by_load, n_k=5, snr_range_db=(0, 40))
    assert fig2.axes[0].get_xlim() == fig2.axes[0].get_ylim() == (0.0, 40.0)


@pytest.mark.parametrize("bad, name", [
    ({"snr_db": np.zeros((3, 3))}, "snr_db"),
    ({"sinr_db": {0.0: np.zeros(8)}}, "sinr_db"),
    ({"ceiling_db": {0.3: 1.0}}, "ceiling_db"),
    ({"ceiling_vs_load_db": {"paper": {0.05: np.zeros(4)}}}, "ceiling_vs_load_db"),
    ({"ceiling_vs_load_db": {"paper": {0.3: np.zeros(5)}}}, "ceiling_vs_load_db"),
    ({"n_k": 0}, "n_k"),
    ({"snr_range_db": (5, 5)}, "snr_range_db"),
])
def test_hwi_ceiling_figure_rejects_bad_input(bad, name):
    snr, sinr, ceiling, load, by_load = _ceiling_inputs()
    args = {"snr_db": snr, "sinr_db": sinr, "ceiling_db": ceiling, "n_links": load, "ceiling_vs_load_db": by_load,
            "n_k": 5} | bad
    with pytest.raises(ValueError, match=name):
        sinr_figures.hwi_ceiling_figure(**args)


# ------------------------------------------------------------------------------------------------
# Figure 4.2
# ------------------------------------------------------------------------------------------------

def _line_inputs():
    x = np.linspace(30, 570, 12)
    aci = -140 + x / 10
    return {"distance_m": x, "signal_dbm": -50 - x / 10, "hwi_dbm": -70 - x / 10, "aci_dbm": aci,
            "aci_by_offset_dbm": {"$r+1$": aci - 0.5, "$r+2$": aci - 10}, "noise_dbm": -112.0,
            "snr_db": 60 - x / 10, "sinr_db": {"twin": 20 - x / 30, "phi 0.4": 19 - x / 30},
            "sinr_alt_db": 26 - x / 30, "sinr_alt_label": "alternative"}


def test_aci_line_figure_two_panels_with_legends_beside_them():
    args = _line_inputs()
    fig = sinr_figures.aci_line_figure(**args)
    _no_legend_over_the_axes(fig)
    ax_p, ax_s = fig.axes
    assert _axes_legend_labels(ax_p) == ["desired signal $P g_{n,k}$", "HWI $g\\,\\sigma_{rt}^2 P_{total,k}$",
                                         "ACI, Eq. (10)", "ACI from $r+1$", "ACI from $r+2$", "noise $\\sigma^2$"]
    assert _axes_legend_labels(ax_s) == ["SNR", "twin", "phi 0.4", "alternative"]
    noise = next(ln for ln in ax_p.get_lines() if ln.get_label() == "noise $\\sigma^2$")
    assert noise.get_ydata()[0] == -112.0
    # without the alternative the SINR panel has one curve less
    args.update(sinr_alt_db=None, sinr_alt_label="")
    fig2 = sinr_figures.aci_line_figure(**args)
    assert len(_axes_legend_labels(fig2.axes[1])) == 3


@pytest.mark.parametrize("bad, name", [
    ({"hwi_dbm": np.zeros(11)}, "hwi_dbm"),
    ({"aci_by_offset_dbm": {"a": np.zeros(12), "b": np.zeros(12), "c": np.zeros(12)}}, "aci_by_offset_dbm"),
    ({"sinr_db": {"twin": np.zeros(13)}}, "sinr_db"),
    ({"snr_db": np.zeros(3)}, "snr_db"),
    ({"sinr_alt_label": ""}, "sinr_alt_label"),
])
def test_aci_line_figure_rejects_bad_input(bad, name):
    with pytest.raises(ValueError, match=name):
        sinr_figures.aci_line_figure(**(_line_inputs() | bad))


# ------------------------------------------------------------------------------------------------
# Figure 4.3
# ------------------------------------------------------------------------------------------------

def _phi_inputs():
    x = np.linspace(30, 570, 10)
    share = np.sin(np.pi * (x - 30) / 540) ** 2
    loss = {0.4: -1.46 * (1 - share), 0.9: -2.79 * (1 - share)}
    bound = {0.4: -1.46, 0.9: -2.79}
    return x, loss, bound, share


def test_phi_loss_figure_curves_bounds_and_noise_share_on_a_second_axis():
    x, loss, bound, share = _phi_inputs()
    fig = sinr_figures.phi_loss_figure(x, loss, bound, share)
    _no_legend_over_the_axes(fig)
    ax, ax_share = fig.axes
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert sorted(ln.get_ydata()[0] for ln in dashed) == [-2.79, -1.46]
    np.testing.assert_allclose(ax_share.get_lines()[0].get_ydata(), share)
    # phi keeps the colour it has in Figure 4.2, where the twin (phi = 0) takes the first one
    assert [to_hex(ln.get_color()) for ln in dashed] == [PALETTE[1], PALETTE[2]]
    assert ax_share.get_ylim() == (0.0, 1.05)
    assert _figure_legend_labels(fig) == ["$\\phi$ = 0.4", "$\\phi$ = 0.9", "bound $-10\\log_{10}(1+\\phi)$",
                                          "noise share (right axis)"]


@pytest.mark.parametrize("bad, name", [
    ({"loss_db": {0.4: np.zeros(9), 0.9: np.zeros(10)}}, "loss_db"),
    ({"bound_db": {0.4: -1.0}}, "bound_db"),
    ({"noise_share": np.full(10, 1.5)}, "noise_share"),
    ({"noise_share": np.zeros(4)}, "noise_share"),
])
def test_phi_loss_figure_rejects_bad_input(bad, name):
    x, loss, bound, share = _phi_inputs()
    args = {"distance_m": x, "loss_db": loss, "bound_db": bound, "noise_share": share} | bad
    with pytest.raises(ValueError, match=name):
        sinr_figures.phi_loss_figure(**args)


# ------------------------------------------------------------------------------------------------
# Figure 4.4
# ------------------------------------------------------------------------------------------------

def _check_inputs():
    pred = np.array([-5.0, 0.0, 10.0, 30.0])
    err = np.array([0.001, -0.002, 0.0, 0.003])
    meas = pred + 10 * np.log10(1 + err)
    std = np.full(4, 0.0025)
    return pred, meas, err, std, 0.02


def test_sinr_check_figure_scatter_error_bars_and_tolerance():
    pred, meas, err, std, tol = _check_inputs()
    fig = sinr_figures.sinr_check_figure(pred, meas, err, std, tol)
    _no_legend_over_the_axes(fig)
    ax_m, ax_e = fig.axes
    np.testing.assert_allclose(ax_m.collections[0].get_offsets(), np.column_stack([pred, meas]))
    bars = ax_e.containers[0]
    np.testing.assert_allclose(bars[0].get_ydata(), 100 * err)                  # in %
    seg = bars[2][0].get_segments()[0]
    assert seg[1][1] - seg[0][1] == pytest.approx(2 * 5 * 100 * 0.0025)          # +- 5 standard errors, in %
    span = ax_e.patches[0]                                                      # the tolerance, in %
    assert (span.get_y(), span.get_y() + span.get_height()) == pytest.approx((-2.0, 2.0))
    assert _figure_legend_labels(fig) == ["measured = Eq. (14)", "scenario", "tolerance ±2 %",
                                          "error ± 5 standard errors"]
    fig2 = sinr_figures.sinr_check_figure(pred, meas, err, std, tol, n_std_errors=2)
    seg = fig2.axes[1].containers[0][2][0].get_segments()[0]
    assert seg[1][1] - seg[0][1] == pytest.approx(2 * 2 * 100 * 0.0025)


@pytest.mark.parametrize("bad, name", [
    ({"measured_db": np.zeros(3)}, "measured_db"),
    ({"rel_error": np.zeros(5)}, "rel_error"),
    ({"rel_std": np.full(4, -1.0)}, "rel_std"),
    ({"tolerance": 0.0}, "tolerance"),
    ({"n_std_errors": -1.0}, "n_std_errors"),
])
def test_sinr_check_figure_rejects_bad_input(bad, name):
    pred, meas, err, std, tol = _check_inputs()
    args = {"predicted_db": pred, "measured_db": meas, "rel_error": err, "rel_std": std, "tolerance": tol} | bad
    with pytest.raises(ValueError, match=name):
        sinr_figures.sinr_check_figure(**args)
