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
