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
    assert len(stars) == 1 and list(stars[0].get_xdata()) == [pytest.approx(10 * 1.12)]   # beside our Z_k = 10
    assert stars[0].get_zorder() > max(ln.get_zorder() for ln in left.get_lines() if ln is not stars[0])
    assert not [ln for ln in fig.axes[1].get_lines() if ln.get_marker() == "*"]    # no claim at phi 0.9
    labels = _labels(fig)
    assert "scenario 1 (physical only)" in labels and "one seed" in labels
    assert "the paper's value" in labels and pi.S2_LABEL in labels
    key = {t.get_text(): h for leg in fig.legends for t, h in zip(leg.get_texts(), leg.legend_handles)}
    assert key[pi.S2_LABEL].get_color() == "0.35"                          # neutral: each panel has its colour
    limits = {ln.get_label(): ln.get_color() for ln in left.get_lines() if ln.get_label().startswith("scenario ")
              and ln.get_label() != "scenario 2, mean and 95 % CI"}
    assert len(set(limits.values())) == 2                                 # scenarios 1 and 3 in their own colours
    bands = [p for p in left.patches if p.get_hatch()]
    assert len(bands) == 1                                                # scenario 3's band is hatched


def test_zk_figure_by_replay_and_a_missing_column():
    s = pd.concat([_summary().query("phi == 0.4").assign(replay="|D| = 5000"),
                   _summary().query("phi == 0.4").assign(replay="|D| = Z_k N T")])
    fig = pi.zk_figure(s, by="replay")
    assert [ax.get_title() for ax in fig.axes] == ["replay memory: |D| = 5000", "replay memory: |D| = Z_k N T"]
    # the chapter's case: the limits only under the paper's memory, drawn in both panels; "paper" first
    kept = _summary().query("phi == 0.4 and scenario == 'proposed'").assign(replay="keeps last physical episode")
    fig = pi.zk_figure(pd.concat([kept, _summary().query("phi == 0.4")]), by="replay")
    assert [ax.get_title() for ax in fig.axes] == ["replay memory: paper", "replay memory: keeps last physical episode"]
    for ax in fig.axes:
        flat = sorted(ln.get_ydata()[0] for ln in ax.get_lines() if len(set(ln.get_ydata())) == 1
                      and ln.get_marker() in ("None", "", None))
        assert flat == pytest.approx([46.0, 56.0])
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
    # the two phi at the same cost sit apart (1e8 / 1.15**0.5 and 1e8 * 1.15**0.5), their labels on either side
    s1 = sorted(ln.get_xdata()[0] for ln in markers if ln.get_xdata()[0] > 5e7)
    assert s1 == pytest.approx([1e8 / 1.15 ** 0.5, 1e8 * 1.15 ** 0.5])
    texts = [t for t in ax.texts if t.get_text() == "scenario 1"]
    assert sorted(t.get_ha() for t in texts) == ["left", "right"]
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
    assert list(fig.axes[2].get_xticks()) == pytest.approx([0, 1, 2.6])  # the per-link condition set apart
    assert any(ln.get_xdata()[0] == pytest.approx(1.8) for ln in fig.axes[2].get_lines()
               if ln.get_linestyle() != "None" and len(set(ln.get_xdata())) == 1)   # with a separator
    assert pi._math_phi("phi_n ~ U(0, 4)") == r"$\phi_n$ ~ U(0, 4)"
    assert "gap beyond its CI: the twin costs" in _labels(fig)


def test_summary_tables_name_the_columns_and_order_the_rows():
    s = _summary().assign(vs_s3_kbits=1.0, vs_s3_ci95_kbits=0.5, vs_s1_kbits=-1.0, vs_s1_ci95_kbits=0.5,
                          iqm_kbits=2.0)
    s = s.iloc[::-1]                                                      # any order in, the reader's order out
    main, seeds = pi.summary_tables(s)
    assert list(main.columns) == ["φ", "scenario", "Z_k", "mean [kbit/frame]", "95 % CI", "vs S3 (paired)",
                                  "CI vs S3", "vs S1 (paired)", "CI vs S1", "IQM"]
    assert list(main.scenario[:4]) == ["1: physical only", "2: proposed", "2: proposed", "3: twin only"]
    assert list(main.Z_k[:4]) == ["-", "10", "100", "-"] and list(main["φ"]) == [0.4] * 4 + [0.9] * 4
    assert list(seeds.columns) == ["φ", "scenario", "Z_k", "seed 0", "seed 1"]
    assert seeds["seed 1"].iloc[0] == 61.0                                # scenario 1's second seed
    two = pd.concat([s, s[s.scenario == "proposed"].assign(replay="keeps last physical episode")])
    main2, _ = pi.summary_tables(two)
    assert "replay" in main2.columns and len(main2) == 12
    with pytest.raises(ValueError, match=r"summary lacks the columns \['iqm_kbits'\]"):
        pi.summary_tables(s.drop(columns="iqm_kbits"))
