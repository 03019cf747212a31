"""The figures of chapter 7 (multirat.plotting.overhead), drawn from small synthetic inputs."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from multirat.overhead import OverheadReduction, OverheadTerms
from multirat.plotting import COLUMN_WIDTH_IN
from multirat.plotting import overhead as figs

pytestmark = pytest.mark.usefixtures("book_style")


def _fits(fig):
    assert fig.get_size_inches()[0] <= COLUMN_WIDTH_IN
    # the drawn area, as the notebook saves it (bbox_inches="tight" plus savefig.pad_inches per side)
    fig.canvas.draw()
    assert fig.get_tightbbox(fig.canvas.get_renderer()).width + 2 * plt.rcParams["savefig.pad_inches"] \
        <= COLUMN_WIDTH_IN + 1e-6


def _labels(legend):
    return [t.get_text() for t in legend.get_texts()]


def _period_inputs(n=20):
    zk = np.arange(1, n + 1)
    air = 1000.0 / zk
    printed = OverheadTerms(air, 1000.0 - air, np.full(n, 1000.0))
    floor = OverheadTerms(np.floor(air), 1000.0 - np.floor(air), np.full(n, 1000.0))
    reduction = OverheadReduction(1 - 1 / zk, np.zeros(n))
    reduction_floor = OverheadReduction(1 - np.floor(air) / 1000.0, np.zeros(n))
    return zk, printed, floor, reduction, reduction_floor, {2: 0.3 * (1 - 1 / zk), 5: 0.6 * (1 - 1 / zk)}


def test_interaction_period_figure():
    zk, printed, floor, red, red_floor, others = _period_inputs()
    fig = figs.interaction_period_figure(zk, 1000.0, printed, floor, red, red_floor, others, t_d=1,
                                         paper_z_k=(10, 20), title="a title")
    _fits(fig)
    ax, axr = fig.axes
    assert ax.get_title() == "a title" and ax.get_xscale() == ax.get_yscale() == "log"
    assert len(ax.lines) == 6 and len(axr.lines) == 6                 # 5 curves + the paper's Z_k dots each
    assert _labels(ax.get_legend())[1] == "over the air, Eq. (38) as printed"
    assert _labels(axr.get_legend())[2:4] == ["$\\Delta_{total}$, $T_D$ = 1", "$\\Delta_{total}$, $T_D$ = 2"]
    np.testing.assert_allclose(axr.lines[0].get_ydata(), 100 * (1 - 1 / zk))   # percent
    twin = ax.lines[3]
    assert twin.get_xdata()[0] == 2                                       # O_DT = 0 at Z_k = 1: not on a log axis
    dots = axr.lines[-1]
    np.testing.assert_array_equal(dots.get_xdata(), [10, 20])
    # the legends sit below the axes, not on the data
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for a in (ax, axr):
        assert a.get_legend().get_window_extent(renderer).y1 < a.get_window_extent(renderer).y0


def test_interaction_period_figure_rejects_bad_input():
    zk, printed, floor, red, red_floor, others = _period_inputs()
    short = OverheadTerms(printed.over_the_air[:5], printed.dt_internal, printed.total)
    with pytest.raises(ValueError, match="printed.over_the_air"):
        figs.interaction_period_figure(zk, 1000.0, short, floor, red, red_floor, others, t_d=1)
    with pytest.raises(ValueError, match=r"total_reduction_by_td\[2\]"):
        figs.interaction_period_figure(zk, 1000.0, printed, floor, red, red_floor, {2: np.ones(3)}, t_d=1)
    with pytest.raises(ValueError, match="physical_only"):
        figs.interaction_period_figure(zk, np.ones(2), printed, floor, red, red_floor, others, t_d=1)


def _sweep(grid):
    g = np.asarray(grid, dtype=float)
    return figs.SizeSweep(grid, 10 * g, OverheadTerms(g, 9 * g, 10 * g), np.full(g.size, 0.99),
                          {1: np.zeros(g.size), 2: 0.4 * np.ones(g.size)})


def test_network_size_figure():
    fig = figs.network_size_figure({"devices": _sweep(np.arange(1, 51)), "APs": _sweep(np.arange(1, 6))},
                                   title="sizes")
    _fits(fig)
    assert len(fig.axes) == 4
    assert [ax.get_xlabel() for ax in fig.axes] == ["devices", "devices", "APs", "APs"]
    assert all(len(ax.lines) == 4 for ax in fig.axes[0::2]) and all(len(ax.lines) == 3 for ax in fig.axes[1::2])
    assert fig.axes[0].get_yscale() == "log"
    assert fig.axes[0].lines[0].get_marker() == "None" and fig.axes[2].lines[0].get_marker() == "o"
    np.testing.assert_allclose(fig.axes[1].lines[0].get_ydata(), 99.0)            # percent
    assert all(ax.get_legend() is None for ax in fig.axes)
    (legend,) = fig.legends
    assert _labels(legend) == ["physical-only $O_{phy}$", "over the air $O_{air}$", "inside the twin $O_{DT}$",
                               "Eq. (38) total", "$\\Delta_{air}$", "$\\Delta_{total}$, $T_D$ = 1",
                               "$\\Delta_{total}$, $T_D$ = 2"]


def test_network_size_figure_rejects_bad_input():
    bad = _sweep(np.arange(1, 6))._replace(physical_only=np.ones(4))
    with pytest.raises(ValueError, match=r"sweeps\['N'\].physical_only"):
        figs.network_size_figure({"N": bad})
    bad = _sweep(np.arange(1, 6))._replace(total_reduction_by_td={3: np.ones(2)})
    with pytest.raises(ValueError, match=r"total_reduction_by_td\[3\]"):
        figs.network_size_figure({"N": bad})
    with pytest.raises(ValueError, match="sweeps is empty"):
        figs.network_size_figure({})


def test_reduction_vs_td_figure():
    td = np.arange(1, 11)
    total = {10: 0.9 * (1 - 1 / td), 100: 0.99 * (1 - 1 / td)}
    fig = figs.reduction_vs_td_figure(td, total, {10: 0.9, 100: 0.99}, title="T_D")
    _fits(fig)
    (ax,) = fig.axes
    assert len(ax.lines) == 4                                             # a curve and its dashed level per Z_k
    assert ax.lines[1].get_linestyle() == "--" and ax.lines[1].get_ydata()[0] == pytest.approx(90.0)
    assert ax.lines[0].get_color() == ax.lines[1].get_color()
    assert ax.get_legend() is None and _labels(fig.legends[0]) == ["$Z_k$ = 10", "$Z_k$ = 100"]


def test_reduction_vs_td_figure_rejects_bad_input():
    td = np.arange(1, 11)
    with pytest.raises(ValueError, match=r"total_reduction\[10\]"):
        figs.reduction_vs_td_figure(td, {10: np.ones(3)}, {10: 0.9})
    with pytest.raises(ValueError, match="different Z_k"):
        figs.reduction_vs_td_figure(td, {10: np.ones(10)}, {50: 0.9})
    with pytest.raises(ValueError, match=r"air_reduction\[10\] must be a scalar"):
        figs.reduction_vs_td_figure(td, {10: np.ones(10)}, {10: np.ones(2)})
