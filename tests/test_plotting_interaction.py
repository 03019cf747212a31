"""Chapter 10's figures (multirat.plotting.interaction) on small synthetic tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from multirat.plotting import COLUMN_WIDTH_IN
from multirat.plotting import interaction as pi

pytestmark = pytest.mark.usefixtures("book_style")


def _summary():
    rows = []
    for phi in (0.4, 0.9):
        for scenario, z_k, mean in (("physical_only", np.nan, 60.0), ("dt_only", np.nan, 50.0),
                                    ("proposed", 10.0, 58.0), ("proposed", 100.0, 55.0)):
            rows.append({"phi": phi, "scenario": scenario, "z_k": z_k, "replay": "paper", "mean_kbits": mean - 10 * phi,
                         "ci95_kbits": 1.5, "seed0_kbits": mean - 1, "seed1_kbits": mean + 1})
    return pd.DataFrame(rows)


def _labels(fig):
    return [t.get_text() for leg in fig.legends for t in leg.get_texts()]


def test_zk_figure_has_a_panel_per_phi_the_limits_and_the_papers_stars():
    fig = pi.zk_figure(_summary(), paper={(0.4, 10): 61.0}, cap_kbits=100.0)
    assert fig.get_figwidth() <= COLUMN_WIDTH_IN and len(fig.axes) == 2
    left = fig.axes[0]
    assert left.get_xscale() == "log" and [t.get_text() for t in left.get_xticklabels()] == ["10", "100"]
    flat = sorted(ln.get_ydata()[0] for ln in left.get_lines() if len(set(ln.get_ydata())) == 1
                  and ln.get_marker() in ("None", "", None))
    assert flat == pytest.approx([46.0, 56.0, 100.0])                      # scenarios 3 and 1 at phi 0.4, the cap
    stars = [ln for ln in left.get_lines() if ln.get_marker() == "*"]
    assert len(stars) == 1 and list(stars[0].get_xdata()) == [10]
    assert not [ln for ln in fig.axes[1].get_lines() if ln.get_marker() == "*"]    # no claim at phi 0.9
    labels = _labels(fig)
    assert "scenario 1 (physical only)" in labels and "the paper's value" in labels and "one seed" in labels


def test_zk_figure_by_replay_and_a_missing_column():
    s = pd.concat([_summary().query("phi == 0.4").assign(replay="|D| = 5000"),
                   _summary().query("phi == 0.4").assign(replay="|D| = Z_k N T")])
    fig = pi.zk_figure(s, by="replay")
    assert [ax.get_title() for ax in fig.axes] == ["replay memory: |D| = 5000", "replay memory: |D| = Z_k N T"]
    with pytest.raises(ValueError, match=r"summary lacks the columns \['ci95_kbits'\]"):
        pi.zk_figure(s.drop(columns="ci95_kbits"))


def test_tradeoff_figure_fills_the_front_and_draws_scenario_3_as_a_line():
    pts = _summary()
    pts["over_the_air"] = np.where(pts.scenario == "physical_only", 1e8,
                                   np.where(pts.scenario == "dt_only", 0, 1e8 / pts.z_k.fillna(1)))
    pts["pareto"] = [False, True, True, False] * 2
    fig = pi.tradeoff_figure(pts)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    markers = [ln for ln in ax.get_lines() if ln.get_marker() == "o" and len(ln.get_xdata()) == 1]
    assert len(markers) == 6                                               # scenarios 1 and 2, never 3
    filled = [ln.get_markerfacecolor() != "white" for ln in markers]
    assert sum(filled) == 2                                               # the Z_k = 10 point per phi
    assert any(ln.get_linestyle() == ":" for ln in ax.get_lines())        # scenario 3
    with pytest.raises(ValueError, match="pareto"):
        pi.tradeoff_figure(pts.drop(columns="pareto"))


def test_mismatch_figure_marks_the_gaps_beyond_their_ci():
    gaps = pd.DataFrame({"ser_model": ["eq17"] * 3 + ["exact"] * 3,
                         "mismatch": ["phi = 0.9", "phi = 2", "phi_n ~ U(0, 4)"] * 2,
                         "s1_kbits": [80.0, 70.0, 60.0] * 2, "s3_kbits": [80.0, 65.0, 60.0] * 2,
                         "gap_kbits": [0.0, 5.0, 0.0] * 2, "ci95_kbits": [1.0, 1.0, np.nan] * 2,
                         "twin_costs": [False, True, False] * 2})
    fig = pi.mismatch_figure(gaps)
    assert len(fig.axes) == 4 and fig.axes[0].get_title() == "Eq. (17) as printed"
    ticks = [t.get_text() for t in fig.axes[2].get_xticklabels()]
    assert ticks == [r"$\phi$ = 0.9", r"$\phi$ = 2", r"$\phi_n$ ~ U(0, 4)"]
    assert pi._math_phi("phi_n ~ U(0, 4)") == r"$\phi_n$ ~ U(0, 4)"
    assert "gap beyond its CI: the twin costs" in _labels(fig)
