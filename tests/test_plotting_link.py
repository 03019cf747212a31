"""Chapter 3's figures (multirat.plotting.link) from small synthetic inputs: size, content, input errors."""

import numpy as np
import pandas as pd
import pytest

from multirat.plotting import COLUMN_WIDTH_IN
from multirat.plotting import link as link_figures

pytestmark = pytest.mark.usefixtures("book_style")


def _legend_labels(fig) -> list[str]:
    return [t.get_text() for lg in fig.legends for t in lg.get_texts() if t.get_text()]


def _fits_the_column(fig) -> None:
    assert fig.get_figwidth() <= COLUMN_WIDTH_IN
    assert all(ax.get_legend() is None for ax in fig.axes), "a legend inside the axes may cover data"


def _mcs(orders=(2, 4), rates=(0.5, 0.75)) -> pd.DataFrame:
    rows = [{"mcs": f"M{m} c{c}", "modulation_order": m, "code_rate": c} for m in orders for c in rates]
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------------
# Figure 3.1
# ------------------------------------------------------------------------------------------------

def _per_inputs(n_sinr=5, mcs=None):
    mcs = _mcs() if mcs is None else mcs
    sinr_db = np.linspace(-5, 15, n_sinr)
    per = np.linspace(1.0, 0.0, n_sinr)[:, None] * np.ones(len(mcs))
    tput = (1 - per) * 1000.0
    return sinr_db, per, tput, tput.max(axis=1), mcs


def test_per_throughput_figure_draws_every_pair_and_the_envelope():
    sinr_db, per, tput, env, mcs = _per_inputs()
    fig = link_figures.per_throughput_figure(sinr_db, per, tput, env, mcs)
    _fits_the_column(fig)
    ax_per, ax_tput = fig.axes
    assert len(ax_per.get_lines()) == len(mcs)
    assert len(ax_tput.get_lines()) == len(mcs) + 1
    assert ax_per.get_yscale() == "log"
    labels = _legend_labels(fig)
    assert labels == ["BPSK 1/2", "BPSK 3/4", "QPSK 1/2", "QPSK 3/4", "best MCS (envelope)"]
    # kbit/frame on the throughput axis
    np.testing.assert_allclose(ax_tput.get_lines()[-1].get_ydata(), env / 1e3)
    # a PER of 0 leaves the log axis downward instead of being drawn at its lower edge
    assert ax_per.get_lines()[0].get_ydata().min() < ax_per.get_ylim()[0]


def test_per_throughput_figure_legend_is_a_grid_of_modulation_by_rate():
    sinr_db, per, tput, env, mcs = _per_inputs(mcs=_mcs(orders=(2, 4, 16), rates=(0.5, 0.75, 5 / 6)))
    fig = link_figures.per_throughput_figure(sinr_db, per, tput, env, mcs)
    legend = fig.legends[0]
    assert legend._ncols == 4                       # one column per modulation and one for the envelope
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts[:3] == ["BPSK 1/2", "BPSK 3/4", "BPSK 5/6"]   # a column holds one modulation's rates
    assert texts[9:] == ["best MCS (envelope)", "", ""]


@pytest.mark.parametrize("bad, name", [
    ({"per": np.zeros((4, 4))}, "per"),
    ({"throughput_bits": np.zeros((5, 3))}, "throughput_bits"),
    ({"envelope_bits": np.zeros(4)}, "envelope_bits"),
    ({"mcs": pd.DataFrame({"mcs": ["a"], "code_rate": [0.5]})}, "mcs"),
    ({"per_floor": 0.0}, "per_floor"),
])
def test_per_throughput_figure_rejects_bad_input(bad, name):
    sinr_db, per, tput, env, mcs = _per_inputs()
    args = {"sinr_db": sinr_db, "per": per, "throughput_bits": tput, "envelope_bits": env, "mcs": mcs} | bad
    with pytest.raises(ValueError, match=name):
        link_figures.per_throughput_figure(**args)


# ------------------------------------------------------------------------------------------------
# Figure 3.2
# ------------------------------------------------------------------------------------------------

def _ser_inputs():
    x = np.linspace(-5, 25, 7)
    orders = [2, 4, 16]
    exact = np.exp(-np.outer([1, 0.5, 0.2], x + 6))
    mc = pd.DataFrame({"modulation_order": [2, 4, 16], "snr_db": [0.0, 5.0, 15.0], "ser": [0.1, 0.1, 0.1],
                       "std_error": [1e-3, 1e-3, 1e-3]})
    return x, exact, exact / 3, orders, mc


def test_ser_figure_draws_two_curves_and_the_points_of_every_modulation():
    x, exact, eq17, orders, mc = _ser_inputs()
    fig = link_figures.ser_figure(x, exact, eq17, orders, mc)
    _fits_the_column(fig)
    (ax,) = fig.axes
    curves = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == len(x)]
    assert len(curves) == 2 * len(orders)
    assert len(ax.containers) == len(orders)                 # one errorbar set per modulation
    assert _legend_labels(fig) == ["BPSK", "QPSK", "16QAM", "exact SER (17')", "Eq. (17) as printed, G = 1",
                                   "Monte Carlo (bars: 5 std. errors)"]
    # error bars are n_std_errors standard errors wide
    fig2 = link_figures.ser_figure(x, exact, eq17, orders, mc, n_std_errors=2)
    seg = fig2.axes[0].containers[0][2][0].get_segments()[0]
    assert seg[1][1] - seg[0][1] == pytest.approx(4e-3)


@pytest.mark.parametrize("bad, name", [
    ({"ser_exact": np.zeros((2, 7))}, "ser_exact"),
    ({"ser_eq17": np.zeros((3, 6))}, "ser_eq17"),
    ({"monte_carlo": pd.DataFrame({"modulation_order": [2], "snr_db": [0.0], "ser": [0.1]})}, "monte_carlo"),
    ({"monte_carlo": pd.DataFrame({"modulation_order": [64], "snr_db": [0.0], "ser": [0.1],
                                    "std_error": [0.0]})}, "monte_carlo"),
    ({"n_std_errors": 0}, "n_std_errors"),
])
def test_ser_figure_rejects_bad_input(bad, name):
    x, exact, eq17, orders, mc = _ser_inputs()
    args = {"sinr_db": x, "ser_exact": exact, "ser_eq17": eq17, "modulation_orders": orders, "monte_carlo": mc} | bad
    with pytest.raises(ValueError, match=name):
        link_figures.ser_figure(**args)


# ------------------------------------------------------------------------------------------------
# Figure 3.3
# ------------------------------------------------------------------------------------------------

def _coded_inputs():
    rows = []
    for dec, c in (("soft", 0.5), ("soft", 0.75), ("hard", 0.5)):
        for e in (1.0, 2.0, 3.0):
            ber = 10.0 ** -e if e < 3 else 0.0                         # a point without errors
            rows.append({"decision": dec, "code_rate": c, "ebn0_db": e, "esn0_db": e + 10 * np.log10(c),
                         "ber": ber, "ber_se": ber / 10})
    coded = pd.DataFrame(rows)
    x = np.linspace(0, 10, 11)
    uncoded = np.exp(-x)
    bound = {0.5: uncoded / 10, 0.75: uncoded / 5}
    eq17 = {0.5: uncoded / 20, 0.75: uncoded / 8}
    return coded, x, uncoded, bound, eq17, 1e-4


def test_coded_ber_figure_two_panels_with_points_bounds_and_eq17():
    coded, x, uncoded, bound, eq17, target = _coded_inputs()
    fig = link_figures.coded_ber_figure(coded, x, uncoded, bound, eq17, target)
    _fits_the_column(fig)
    ax_b, ax_s = fig.axes
    assert len(ax_b.containers) == len(ax_s.containers) == 3            # (decision, rate) groups
    for container in ax_b.containers:                                   # points with ber == 0 are not drawn
        assert len(container[0].get_xdata()) == 2
    dotted = [ln for ln in ax_b.get_lines() if ln.get_linestyle() == ":"]
    dashed = [ln for ln in ax_s.get_lines() if ln.get_linestyle() == "--"]
    assert len(dotted) == len(bound) and len(dashed) == len(eq17)
    labels = _legend_labels(fig)
    assert labels[:2] == ["rate 1/2", "rate 3/4"] and len(labels) == 2 + 6
    assert "target BER 0.0001" in labels


@pytest.mark.parametrize("bad, name", [
    ({"uncoded_ber": np.zeros(10)}, "uncoded_ber"),
    ({"union_bound_ber": {0.5: np.zeros(10)}}, "union_bound_ber"),
    ({"eq17_ser": {5 / 6: np.zeros(11)}}, "eq17_ser"),
    ({"coded": pd.DataFrame({"decision": ["soft"], "code_rate": [0.5]})}, "coded"),
    ({"target_ber": 1.5}, "target_ber"),
])
def test_coded_ber_figure_rejects_bad_input(bad, name):
    coded, x, uncoded, bound, eq17, target = _coded_inputs()
    args = {"coded": coded, "x_db": x, "uncoded_ber": uncoded, "union_bound_ber": bound, "eq17_ser": eq17,
            "target_ber": target} | bad
    with pytest.raises(ValueError, match=name):
        link_figures.coded_ber_figure(**args)


# ------------------------------------------------------------------------------------------------
# Figure 3.4
# ------------------------------------------------------------------------------------------------

def _envelope_inputs():
    s = np.linspace(-5, 25, 31)
    env = {"paper": np.clip(s, 0, 5) * 1000.0, "exact": np.clip(s - 5, 0, 5) * 1000.0}
    at = {"paper": 4.5, "exact": 9.5}
    return s, env, at, 5000.0


def test_envelope_figure_marks_where_each_model_reaches_the_fraction():
    s, env, at, peak = _envelope_inputs()
    fig = link_figures.envelope_figure(s, env, at, peak, 0.9)
    _fits_the_column(fig)
    (ax,) = fig.axes
    vertical = [ln for ln in ax.get_lines() if ln.get_linestyle() == ":"]
    assert sorted(ln.get_xdata()[0] for ln in vertical) == [4.5, 9.5]
    horizontal = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert horizontal[0].get_ydata()[0] == pytest.approx(4.5)          # 0.9 * 5 kbit/frame
    assert _legend_labels(fig) == ["paper", "exact", "90 % of the peak rate (dotted: where each reaches it)"]


@pytest.mark.parametrize("bad, name", [
    ({"envelope_bits": {"paper": np.zeros(30), "exact": np.zeros(31)}}, "envelope_bits"),
    ({"sinr_at_fraction_db": {"paper": 1.0}}, "sinr_at_fraction_db"),
    ({"peak_bits": 0.0}, "peak_bits"),
    ({"fraction": 1.5}, "fraction"),
])
def test_envelope_figure_rejects_bad_input(bad, name):
    s, env, at, peak = _envelope_inputs()
    args = {"sinr_db": s, "envelope_bits": env, "sinr_at_fraction_db": at, "peak_bits": peak} | bad
    with pytest.raises(ValueError, match=name):
        link_figures.envelope_figure(**args)
