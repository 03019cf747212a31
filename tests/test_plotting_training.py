"""Chapter 8's figures (multirat.plotting.training) on small synthetic tables."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from multirat.plotting import COLUMN_WIDTH_IN
from multirat.plotting import training as pt

pytestmark = pytest.mark.usefixtures("book_style")


def _evaluations():
    rows = []
    for scenario in pt.SCENARIO_LABELS:
        for phi in (0.4, 0.9):
            for seed in range(3):
                for episode in (0, 50, 100):
                    rows.append({"scenario": scenario, "phi": phi, "sigma_rt": 0.05, "gamma": 0.9, "seed": seed,
                                 "episode": episode, "throughput_kbits": 30 + episode / 2 + seed})
    return pd.DataFrame(rows)


def _labels(fig):
    return [t.get_text() for leg in fig.legends for t in leg.get_texts()]


def test_scenario_curves_have_one_line_and_band_per_scenario_and_the_papers_points():
    ev = _evaluations()
    baselines = pd.DataFrame({"phi": [0.4, 0.9], "sigma_rt": [0.05, 0.05], "policy": ["RA", "RA"],
                              "mean_kbits": [20.0, 19.0]})
    fig = pt.scenario_curves_figure(ev, baselines, {(0.4, "proposed"): (100, 60.0)})
    assert fig.get_figwidth() <= COLUMN_WIDTH_IN and len(fig.axes) == 2
    top = fig.axes[0]
    means = [ln for ln in top.get_lines() if ln.get_label() in pt.SCENARIO_LABELS.values()]
    assert len(means) == 3 and len(top.collections) == 3                   # a CI band per scenario
    np.testing.assert_allclose(means[0].get_ydata(), [31, 56, 81])         # mean over seeds 0, 1, 2
    star = [ln for ln in top.get_lines() if ln.get_label() == "the paper's value"]
    assert len(star) == 1 and star[0].get_xdata()[0] == 100
    assert "RA" in _labels(fig) and top.get_ylim()[0] == 0
    plt.close(fig)


def test_discount_and_sigma_figures():
    ev = _evaluations()
    curves = ev.rename(columns={"throughput_kbits": "reward_kbits"}).assign(scenario="proposed", phi=0.4)
    fig = pt.discount_figure(curves.assign(gamma=0.8), ev.assign(gamma=0.8))
    assert len(fig.axes) == 2 and [t for t in _labels(fig)] == [r"$\gamma$ = 0.8"]
    plt.close(fig)
    final = pd.DataFrame({"scenario": ["proposed", "proposed"], "sigma_rt": [0.05, 0.1], "mean_kbits": [80, 60],
                          "ci95_kbits": [2.0, np.nan]})
    fig = pt.sigma_figure(final, paper={(0.1, "proposed"): 79.86})
    assert fig.get_figwidth() <= COLUMN_WIDTH_IN and "the paper's value" in _labels(fig)
    plt.close(fig)
    with pytest.raises(ValueError, match="final lacks the columns"):
        pt.sigma_figure(final.drop(columns="ci95_kbits"))


def test_schedule_figure_and_shape_errors():
    e = np.arange(1, 11)
    fig = pt.schedule_figure(e, 0.7 * 0.999 ** e, 0.7 * 0.999 ** e, 5e-3 * 0.999 ** e, 5e-3 * 0.999 ** e)
    assert len(fig.axes) == 2
    plt.close(fig)
    with pytest.raises(ValueError, match="must match episodes"):
        pt.schedule_figure(e, e[:-1], e, e, e)
    with pytest.raises(ValueError, match="evaluations lacks"):
        pt.scenario_curves_figure(pd.DataFrame({"episode": [0]}))


def _seed_markers(ax):
    """The unlabelled marker-only lines: one per scenario with seeds."""
    return [ln for ln in ax.get_lines() if ln.get_label().startswith("_") and ln.get_linestyle() == "None"
            and ln.get_marker() == "o"]


def test_sigma_figure_draws_every_seed_beside_its_mean():
    final = pd.DataFrame({"scenario": ["proposed", "proposed", "dt_only"], "sigma_rt": [0.1, 0.05, 0.05],
                          "mean_kbits": [30.0, 80.0, 70.0], "ci95_kbits": [5.0, 2.0, np.nan],
                          "seed0_kbits": [40.0, 79.0, 70.0], "seed1_kbits": [10.0, 81.0, np.nan],
                          "seed2_kbits": [40.0, 80.0, np.nan]})
    fig = pt.sigma_figure(final)
    ax = fig.axes[0]
    seeds = _seed_markers(ax)
    assert len(seeds) == 2                                                 # proposed and dt_only; none for scenario 1
    prop, dt = seeds
    # proposed at sigma 0.05 then 0.1 (sorted), three seeds each, just right of the mean at x = sigma
    np.testing.assert_allclose(sorted(zip(prop.get_xdata(), prop.get_ydata())),
                               sorted([(0.05 + pt._SEED_DX, v) for v in (79, 81, 80)]
                                      + [(0.1 + pt._SEED_DX, v) for v in (40, 10, 40)]))
    np.testing.assert_allclose(dt.get_xdata(), [0.05 + pt._SIGMA_OFFSETS["dt_only"] + pt._SEED_DX])   # NaN left out
    np.testing.assert_allclose(dt.get_ydata(), [70.0])
    assert 0 < pt._SEED_DX < min(abs(v) for v in pt._SIGMA_OFFSETS.values() if v)   # beside its mean, not the next
    labels = _labels(fig)
    assert labels[:2] == [pt.SCENARIO_LABELS["proposed"], pt.SCENARIO_LABELS["dt_only"]]   # scenarios first
    assert "one seed (right of its mean)" in labels
    np.testing.assert_allclose(ax.get_xticks(), [0.05, 0.1])
    plt.close(fig)
    fig = pt.sigma_figure(final[["scenario", "sigma_rt", "mean_kbits", "ci95_kbits"]])   # no seed columns
    assert not _seed_markers(fig.axes[0]) and "one seed (right of its mean)" not in _labels(fig)
    plt.close(fig)


def test_seed_columns_in_seed_order():
    df = pd.DataFrame(columns=["seed10_kbits", "mean_kbits", "seed2_kbits", "seed_std_kbits", "seed0_kbits", "seed1"])
    assert pt.seed_columns(df) == ["seed0_kbits", "seed2_kbits", "seed10_kbits"]
    assert pt.seed_columns(pd.DataFrame({"mean_kbits": [1.0]})) == []


def test_scenario_curves_separate_the_stars_draw_the_cap_the_window_and_our_window_means():
    ev = _evaluations()
    paper = {(0.4, "physical_only"): (50, 120.0), (0.4, "proposed"): (50, 119.0), (0.4, "dt_only"): (50, 117.0)}
    ours = {(0.4, "proposed"): (50, 55.0, 3.0)}
    fig = pt.scenario_curves_figure(ev, paper=paper, cap_kbits=100.0, ours=ours, window=25)
    top, bottom = fig.axes
    stars = [ln for ln in top.get_lines() if ln.get_label() == pt.PAPER_LABEL]
    xs = sorted(float(ln.get_xdata()[0]) for ln in stars)
    assert xs == [50 + pt._EPISODE_OFFSETS[s] for s in ("physical_only", "proposed", "dt_only")]
    assert len(set(xs)) == 3                                               # no star hides another
    cap = [ln for ln in top.get_lines() if ln.get_label() == pt.cap_label(100.0)]
    assert len(cap) == 1 and list(cap[0].get_ydata()) == [100.0, 100.0]
    assert pt.cap_label(100.0) == r"$N \times$ peak rate = 100 kbit/frame"
    assert top.get_ylim()[1] >= 110 and bottom.get_ylim()[1] >= 110       # the cap is inside both panels
    span = [p for p in top.patches if p.get_label() == "window of ±25 episodes"]
    assert len(span) == 1                                                  # one shaded window per paper episode
    np.testing.assert_allclose([span[0].get_x(), span[0].get_x() + span[0].get_width()], [25, 75])
    diamond = [ln for ln in top.get_lines() if ln.get_marker() == "D"]
    assert len(diamond) == 1 and (diamond[0].get_xdata()[0], diamond[0].get_ydata()[0]) == (50, 55.0)
    labels = _labels(fig)
    assert labels[:3] == list(pt.SCENARIO_LABELS.values())
    assert labels.count(pt.PAPER_LABEL) == 1 and pt.cap_label(100.0) in labels
    assert "ours: window mean, 95 % CI" in labels
    assert not any("Z_k" in lab and "$Z_k$" not in lab for lab in labels)   # no raw Z_k in the legend
    plt.close(fig)


def test_sigma_figure_draws_the_cap():
    final = pd.DataFrame({"scenario": ["proposed"], "sigma_rt": [0.1], "mean_kbits": [60.0], "ci95_kbits": [2.0]})
    fig = pt.sigma_figure(final, cap_kbits=100.0)
    cap = [ln for ln in fig.axes[0].get_lines() if ln.get_label() == pt.cap_label(100.0)]
    assert len(cap) == 1 and list(cap[0].get_ydata()) == [100.0, 100.0]
    assert pt.cap_label(100.0) in _labels(fig)
    plt.close(fig)
    fig = pt.sigma_figure(final)
    assert not any("peak rate" in lab for lab in _labels(fig))
    plt.close(fig)


def test_mcs_label_and_action_share_figure():
    assert pt.mcs_label(64, 5 / 6) == "64-QAM 5/6" and pt.mcs_label(4, 0.5) == "QPSK 1/2"
    assert pt.mcs_label(2, 0.75) == "BPSK 3/4" and pt.mcs_label(16, 0.75) == "16-QAM 3/4"
    power = pd.DataFrame({"power_dbm": [5.0, 30.0], "share": [0.25, 0.75]})
    mcs = pd.DataFrame({"modulation_order": [4, 64, 64], "code_rate": [0.5, 0.75, 5 / 6], "share": [0.1, 0.0, 0.9]})
    fig = pt.action_share_figure(power, mcs)
    left, right = fig.axes
    assert fig.get_figwidth() <= COLUMN_WIDTH_IN
    assert [b.get_height() for b in left.patches] == pytest.approx([25, 75])        # percent
    assert [b.get_height() for b in right.patches] == pytest.approx([10, 0, 90])
    assert [t.get_text() for t in right.get_xticklabels()] == ["QPSK 1/2", "64-QAM 3/4", "64-QAM 5/6"]
    assert [t.get_text() for t in left.get_xticklabels()] == ["5.0", "30.0"]
    assert [t.get_text() for t in right.texts] == ["10.0", "0", "90.0"]
    assert all(t.get_rotation() == 0 for t in right.texts) and right.get_yticks()[-1] == 100   # a share: at most 100 %
    plt.close(fig)
    fig = pt.action_share_figure(pd.DataFrame({"power_dbm": [5.0, 30.0], "share": [0.0004, 0.9996]}), mcs)
    assert [t.get_text() for t in fig.axes[0].texts] == ["0.04", "99.96"]   # not "100.0" for a part
    plt.close(fig)
    with pytest.raises(ValueError, match="mcs lacks the columns"):
        pt.action_share_figure(power, mcs.drop(columns="code_rate"))
