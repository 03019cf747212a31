"""plotting/sadrl.py: chapter 9's figures from small hand-built tables."""

import numpy as np
import pandas as pd
import pytest

from multirat.plotting import COLUMN_WIDTH_IN
from multirat.plotting.sadrl import evaluation_figure, size_figure, training_figure

pytestmark = pytest.mark.usefixtures("book_style")      # tests/conftest.py: Agg, the book's style, closed after


def _curves():
    rows = []
    for agent, level in (("MADRL", 10.0), ("SADRL", 12.0)):
        for seed in range(3):
            for e in (10, 20, 30):
                rows.append({"run": f"{agent}{seed}", "agent": agent, "K": 2, "N": 3, "seed": seed, "episode": e,
                             "reward_kbits": level + seed + e / 10})
    return pd.DataFrame(rows)


def test_training_figure_draws_each_agent_with_its_band():
    fig = training_figure(_curves(), 2, 3)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    madrl = lines["MADRL (shared DQN, proposed)"]
    np.testing.assert_allclose(madrl.get_ydata(), [10 + 1 + 1, 10 + 1 + 2, 10 + 1 + 3])   # mean over seeds 0-2
    assert len(ax.collections) == 2                                                      # one CI band per agent
    assert fig.get_size_inches()[0] <= COLUMN_WIDTH_IN + 1e-9
    with pytest.raises(ValueError, match=r"no run at \(K, N\) = \(2, 5\)"):
        training_figure(_curves(), 2, 5)
    with pytest.raises(ValueError, match="reward_kbits"):
        training_figure(_curves().drop(columns="reward_kbits"), 2, 3)


def test_size_figure_places_agents_references_and_the_papers_stars():
    summary = pd.DataFrame([
        {"agent": "MADRL", "K": 2, "N": 3, "mean_kbits": 8.0, "ci95_kbits": 0.2, "seed0_kbits": 7.9, "seed1_kbits": 8.1},
        {"agent": "SADRL", "K": 2, "N": 3, "mean_kbits": 8.3, "ci95_kbits": 0.1, "seed0_kbits": 8.2, "seed1_kbits": 8.4},
        {"agent": "MADRL", "K": 2, "N": 5, "mean_kbits": 13.0, "ci95_kbits": np.nan, "seed0_kbits": 13.0,
         "seed1_kbits": np.nan}])
    refs = pd.DataFrame([{"K": k, "N": n, "policy": p, "mean_kbits": v} for k, n in ((2, 3), (2, 5))
                         for p, v in (("ESA", 9.0 + n), ("genie MCS at P_max", 8.9 + n), ("MaxP-3GPP-MCS", 7.0 + n),
                                      ("RA", 3.0))])
    fig = size_figure(summary, refs, paper={("SADRL", 2, 5): 14.13, ("MADRL", 2, 5): 13.73, ("MADRL", 9, 9): 1.0})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["(2, 3)", "(2, 5)"]
    stars = [line for line in ax.get_lines() if line.get_marker() == "*"]
    assert sorted(float(s.get_ydata()[0]) for s in stars) == [13.73, 14.13]             # (9, 9) is not drawn
    esa = [line for line in ax.get_lines() if line.get_color() == "k" and line.get_linestyle() == "-"]
    assert sorted(float(line.get_ydata()[0]) for line in esa) == [12.0, 14.0]           # RA is not a reference line
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[:2] == ["MADRL (shared DQN, proposed)", "SADRL (centralized agent)"] and "the paper's Fig. 6b" in labels
    with pytest.raises(ValueError, match="mean_kbits"):
        size_figure(summary.drop(columns="mean_kbits"), refs)


def test_evaluation_figure_draws_the_three_agents_in_a_fixed_order():
    ev = _curves().rename(columns={"reward_kbits": "throughput_kbits"})
    extra = ev[ev.agent == "MADRL"].assign(agent="factored", throughput_kbits=lambda d: d.throughput_kbits + 5)
    fig = evaluation_figure(pd.concat([extra, ev]), 2, 3)
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["MADRL (shared DQN, proposed)", "SADRL (centralized agent)", "factored centralized (ours)"]
    np.testing.assert_allclose(ax.get_lines()[2].get_ydata(), [17, 18, 19])             # MADRL's + 5
    assert "held-out" in ax.get_ylabel() and len(ax.collections) == 3
    with pytest.raises(ValueError, match="evaluations lacks the columns \\['throughput_kbits'\\]"):
        evaluation_figure(_curves(), 2, 3)


def test_size_figure_puts_the_factored_agent_between_the_others():
    summary = pd.DataFrame([{"agent": a, "K": 2, "N": 3, "mean_kbits": v, "ci95_kbits": 0.1}
                            for a, v in (("MADRL", 8.0), ("SADRL", 8.3), ("factored", 8.1))])
    refs = pd.DataFrame([{"K": 2, "N": 3, "policy": "ESA", "mean_kbits": 9.0}])
    ax = size_figure(summary, refs).axes[0]
    xs = {round(float(c.get_children()[0].get_ydata()[0]), 3): float(c.get_children()[0].get_xdata()[0])
          for c in ax.containers}
    assert xs[8.0] < xs[8.1] < xs[8.3]


def test_evaluation_figure_follows_the_agent_order_not_the_alphabet():
    from multirat.plotting.sadrl import AGENT_STYLE

    ev = pd.DataFrame([{"agent": a, "K": 2, "N": 3, "seed": s, "episode": e, "throughput_kbits": 1.0 + s}
                       for a in ("factored", "A2C", "SADRL", "MADRL") for s in range(2) for e in (0, 10)])
    labels = [line.get_label() for line in evaluation_figure(ev, 2, 3).axes[0].get_lines()]
    assert labels == [AGENT_STYLE[a][0] for a in ("MADRL", "SADRL", "factored")] + ["A2C"]
