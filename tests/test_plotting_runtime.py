"""plotting/runtime.py and chapter 11's Fig. 7a panel: figures from small hand-built tables."""

import numpy as np
import pandas as pd
import pytest

from multirat.plotting.runtime import per_device_figure, stage_figure

pytestmark = pytest.mark.usefixtures("book_style")      # tests/conftest.py: Agg, the book's style, closed after

STAGES = ("CSI collection", "PF scheduling", "state", "DQN decision")


def _timing():
    """Two sizes; medians in seconds chosen so that the shares are easy to state by hand."""
    med = {20: {"clustering": 50e-6, "CSI collection": 1e-6, "PF scheduling": 2e-6, "state": 3e-6,
                "DQN decision": 3e-6, "whole": 10e-6},
           100: {"clustering": 100e-6, "CSI collection": 2e-6, "PF scheduling": 2e-6, "state": 2e-6,
                 "DQN decision": 12e-6, "whole": 20e-6}}
    k = {20: 4, 100: 6}
    return pd.DataFrame([{"K": k[n], "N": n, "stage": s, "median_s": v, "min_s": 0.9 * v, "max_s": 1.2 * v}
                         for n, row in med.items() for s, v in row.items()])


def _bar_heights(ax):
    from matplotlib.container import BarContainer

    return {c.get_label(): np.array([p.get_height() for p in c.patches]) for c in ax.containers
            if isinstance(c, BarContainer)}


def test_the_stage_bars_are_each_stages_share_and_clustering_enters_per_ts():
    ax = stage_figure(_timing(), STAGES).axes[0]
    h = _bar_heights(ax)
    np.testing.assert_allclose(h["DQN decision"], [100 * 3 / 9, 100 * 12 / 18])
    np.testing.assert_allclose(sum(h.values()), [100, 100])
    # clustering once per drop of 50 TS: 1 us (N = 20) and 2 us (N = 100) per TS on top of 9 and 18 us
    ax = stage_figure(_timing(), STAGES, per_drop={"clustering": 50}).axes[0]
    h = _bar_heights(ax)
    assert list(h)[0] == "clustering (per drop / 50 TS)"
    np.testing.assert_allclose(h["clustering (per drop / 50 TS)"], [100 * 1 / 10, 100 * 2 / 20])
    np.testing.assert_allclose(h["DQN decision"], [100 * 3 / 10, 100 * 12 / 20])
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["0.5 µs", "0.2 µs"]                     # the sum per device: 10 us / 20, 20 us / 100
    # a stage run once per TS is allowed as a count of 1: its whole time enters
    h = _bar_heights(stage_figure(_timing(), STAGES, per_drop={"clustering": 1}).axes[0])
    np.testing.assert_allclose(h["clustering (per drop / 1 TS)"], [100 * 50 / 59, 100 * 100 / 118])


def test_bad_stage_inputs_are_named():
    with pytest.raises(ValueError, match="at least 1 TS"):
        stage_figure(_timing(), STAGES, per_drop={"clustering": 0})
    with pytest.raises(ValueError, match=r"stages \['sorting'\]"):
        stage_figure(_timing(), ("sorting",))
    with pytest.raises(ValueError, match=r"stages \['handover'\]"):
        stage_figure(_timing(), STAGES, per_drop={"handover": 50})
    fig = per_device_figure(_timing(), paper={20: 12.5e-3})
    assert fig.axes


def test_the_fig7a_panel_draws_the_genie_beside_the_optimum():
    from multirat.plotting.benchmarks import optimum_figure

    s = pd.DataFrame([{"K": 1, "N": 2, "sigma_rt": 0.05, "MADRL": 9.0, "MADRL_ci95": 0.5, "ESA": 10.1,
                       "ESA-FP": 10.0, "genie MCS at P_max": 9.5, "of_esa_fp": 0.9},
                      {"K": 2, "N": 3, "sigma_rt": 0.05, "MADRL": 14.0, "MADRL_ci95": 0.2, "ESA": 16.0,
                       "ESA-FP": 16.0, "genie MCS at P_max": 15.2, "of_esa_fp": 0.875}])
    top, bottom = optimum_figure(s, [(1, 2), (2, 3)], 0.05, paper_fraction=0.704).axes[:2]
    h = _bar_heights(top)
    genie = [k for k in h if k.startswith("genie")]
    assert len(h) == 4 and len(genie) == 1
    np.testing.assert_allclose(h[genie[0]], [9.5, 15.2])
    lines = {line.get_label(): line.get_ydata() for line in bottom.get_lines()}
    np.testing.assert_allclose(lines["genie / ESA-FP (ours)"], [95.0, 95.0])
    np.testing.assert_allclose(lines["MADRL / ESA-FP (ours)"], [90.0, 87.5])
    with pytest.raises(ValueError, match="genie MCS at P_max"):
        optimum_figure(s.drop(columns="genie MCS at P_max"), [(1, 2)], 0.05)
