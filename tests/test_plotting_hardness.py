"""The figures of chapter 6 (multirat.plotting.hardness), drawn from small synthetic inputs."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from multirat.plotting import COLUMN_WIDTH_IN
from multirat.plotting import hardness as figs

pytestmark = pytest.mark.usefixtures("book_style")


def _legend_labels(fig):
    return [t.get_text() for leg in fig.legends for t in leg.get_texts()]


def _fits(fig):
    width_in = fig.get_size_inches()[0]
    assert width_in <= COLUMN_WIDTH_IN
    # the drawn area, as the notebook saves it (bbox_inches="tight" plus savefig.pad_inches per side)
    fig.canvas.draw()
    tight = fig.get_tightbbox(fig.canvas.get_renderer())
    assert tight.width + 2 * plt.rcParams["savefig.pad_inches"] <= COLUMN_WIDTH_IN + 1e-6


def test_mcs_choice_figure():
    s_db = np.linspace(-5, 25, 31)
    r_star = np.linspace(0, 5000, 31)
    chosen = {"rule A": 0.5 * r_star, "rule B": 0.8 * r_star}
    fig = figs.mcs_choice_figure(s_db, r_star, chosen)
    _fits(fig)
    rate_ax, ratio_ax = fig.axes
    assert len(rate_ax.lines) == 3 and len(ratio_ax.lines) == 2
    np.testing.assert_allclose(rate_ax.lines[0].get_ydata(), r_star / 1e3)       # kbit/frame
    np.testing.assert_allclose(ratio_ax.lines[1].get_ydata()[1:], 0.8)            # fraction of R*
    assert _legend_labels(fig) == [r"best pair of Eq. (17), $R^\star$", "rule A", "rule B"]
    assert not rate_ax.get_legend() and not ratio_ax.get_legend()                  # legend below, not on data


def test_mcs_choice_figure_rejects_bad_input():
    s_db = np.linspace(-5, 25, 31)
    with pytest.raises(ValueError, match="r_star_bits"):
        figs.mcs_choice_figure(s_db, np.ones(30), {"a": np.ones(31)})
    with pytest.raises(ValueError, match=r"chosen_bits\['a'\]"):
        figs.mcs_choice_figure(s_db, np.ones(31), {"a": np.ones(5)})
    with pytest.raises(ValueError, match="chosen_bits is empty"):
        figs.mcs_choice_figure(s_db, np.ones(31), {})


def test_search_cost_figure():
    measured = {"fast": (np.arange(1, 6), 1e-4 * 4.0 ** np.arange(5)), "slow": (np.arange(1, 3), [1e-3, 5e-2])}
    extrapolated = {name: (np.arange(1, 11), 1e-4 * 8.0 ** np.arange(10)) for name in measured}
    fig = figs.search_cost_figure(measured, extrapolated)
    _fits(fig)
    (ax,) = fig.axes
    assert len(ax.lines) == 4 + 2                                        # 2 searches x 2, plus 1 s and 1 min
    assert ax.get_yscale() == "log"
    assert _legend_labels(fig) == ["fast, measured", "fast, extrapolated", "slow, measured", "slow, extrapolated"]
    assert [t.get_text() for t in ax.texts] == ["1 s", "1 min"]
    assert list(ax.get_xticks()) == list(range(1, 11))


def test_search_cost_figure_rejects_bad_input():
    good = {"a": (np.arange(1, 4), np.ones(3))}
    with pytest.raises(ValueError, match="different searches"):
        figs.search_cost_figure(good, {"b": (np.arange(1, 4), np.ones(3))})
    with pytest.raises(ValueError, match=r"measured\['a'\] seconds"):
        figs.search_cost_figure({"a": (np.arange(1, 4), np.ones(2))}, good)
    with pytest.raises(ValueError, match="measured is empty"):
        figs.search_cost_figure({}, {})


def test_landscape_figure():
    p_dbm = np.linspace(5, 30, 11)
    z = np.add.outer(p_dbm, -p_dbm) ** 2 / 100.0                       # [G, G], two maxima in the corners
    sum_rate = {"gadget": z, "drop": z + p_dbm[:, None] / 100.0}        # "drop": one maximum, at (30, 5)
    esa = {"gadget": np.array([5.0, 30.0]), "drop": np.array([30.0, 30.0])}
    fig = figs.landscape_figure(p_dbm, sum_rate, esa, np.array([5.0, 25.0, 28.0, 30.0]))
    _fits(fig)
    axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert len(axes) == 2 and len(fig.axes) == 4                          # a colour bar per panel
    assert [ax.get_title() for ax in axes] == ["gadget", "drop"]
    for ax in axes:
        assert len(ax.collections) == 2 and len(ax.lines) == 2            # map + grid dots; star + cross
        assert ax.get_legend() is None
        # the colour map puts P_1 on x: row i of a landscape is a column of the image
        title = ax.get_title()
        np.testing.assert_allclose(np.asarray(ax.collections[0].get_array()).reshape(z.shape), sum_rate[title].T)
    star = axes[1].lines[0]
    i, j = np.unravel_index(np.argmax(sum_rate["drop"]), z.shape)
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (p_dbm[i], p_dbm[j])
    assert _legend_labels(fig) == ["Eq. (25) grid", "best pair on the fine grid", "ESA on Eq. (25)"]


def test_landscape_figure_rejects_bad_input():
    p_dbm = np.linspace(5, 30, 11)
    levels = np.array([5.0, 30.0])
    with pytest.raises(ValueError, match=r"sum_rate_kbits\['a'\] must have shape \[11, 11\].*got \(11, 10\)"):
        figs.landscape_figure(p_dbm, {"a": np.ones((11, 10))}, {"a": np.zeros(2)}, levels)
    with pytest.raises(ValueError, match=r"esa_dbm\['a'\]"):
        figs.landscape_figure(p_dbm, {"a": np.ones((11, 11))}, {"a": np.zeros(3)}, levels)
    with pytest.raises(ValueError, match="different cases"):
        figs.landscape_figure(p_dbm, {"a": np.ones((11, 11))}, {"b": np.zeros(2)}, levels)
    with pytest.raises(ValueError, match="one or two cases"):
        figs.landscape_figure(p_dbm, {k: np.ones((11, 11)) for k in "abc"}, {k: np.zeros(2) for k in "abc"},
                              levels)
