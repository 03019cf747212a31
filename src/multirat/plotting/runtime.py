"""Chapter 12's figures: Algorithm 3's decision time per device and TS against the paper's Table 4, and where the
time goes, stage by stage.

Both take :func:`multirat.experiments.table4.run`'s table (columns K, N, stage, median_s, min_s, max_s) and
return the :class:`matplotlib.figure.Figure`; a missing column or stage is a ``ValueError`` naming it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from multirat.plotting import PALETTE, figure, legend_below

__all__ = ["per_device_figure", "stage_figure"]


def _require(table, stages):
    missing = [c for c in ("K", "N", "stage", "median_s", "min_s", "max_s") if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks the columns {missing}; it has {list(table.columns)}")
    absent = sorted(set(stages) - set(table.stage))
    if absent:
        raise ValueError(f"table holds no rows of the stages {absent}; it has {sorted(set(table.stage))}")


def per_device_figure(table, paper: Mapping | None = None):
    """Decision time per device and TS (log-log against N): Algorithm 3's per-TS stages in sequence (median,
    with the min-max range), ESA-FP's decision where timed, and the paper's Table 4 (``paper``: {N: seconds})."""
    _require(table, ["whole"])
    fig, ax = figure(height_in=3.4)
    for stage, label, colour, marker in (("whole", "Algorithm 3, per-TS stages (ours)", PALETTE[0], "o"),
                                         ("ESA-FP", "ESA-FP's decision (ours)", "k", "s")):
        at = table[table.stage == stage].sort_values("N")
        if at.empty:
            continue
        n = at.N.to_numpy(float)
        ax.errorbar(n, at.median_s / n, yerr=[(at.median_s - at.min_s) / n, (at.max_s - at.median_s) / n],
                    color=colour, marker=marker, capsize=3, label=label)
    if paper:
        n = np.array(sorted(paper), float)
        ax.plot(n, [paper[k] for k in sorted(paper)], "*--", color=PALETTE[1], ms=11, mec="k", mew=0.6,
                label="the paper's Table 4")
    ax.set(xscale="log", yscale="log", xlabel="devices N", ylabel="time per device and TS [s]")
    legend_below(fig, ncol=2)
    return fig


def stage_figure(table, stages, per_drop: dict | None = None):
    """Where a TS's decision time goes: for each N, the share of each stage of ``stages`` (each timed alone) in
    their sum (stacked bars, %), with the sum per device printed above each bar (µs). ``per_drop``:
    ``{stage: TS per drop}`` for stages run once per drop (Algorithm 3's clustering), drawn first as their time
    divided by the TS of a drop, their share of one TS; ``ValueError`` for a count below 1."""
    per_drop = dict(per_drop or {})
    bad = {k: v for k, v in per_drop.items() if not v >= 1}
    if bad:
        raise ValueError(f"per_drop counts must be at least 1 TS; got {bad}")
    _require(table, [*per_drop, *stages])
    sizes = sorted(set(zip(table.N, table.K)))
    med = table.pivot_table(index="N", columns="stage", values="median_s").loc[[n for n, _ in sizes]]
    for stage, slots in per_drop.items():
        med[f"{stage} (per drop / {slots:g} TS)"] = med[stage] / slots
    stages = [f"{s} (per drop / {v:g} TS)" for s, v in per_drop.items()] + list(stages)
    med = med[stages]
    total = med.sum(axis=1)
    share = 100 * med.div(total, axis=0)
    fig, ax = figure(height_in=3.4)
    x = np.arange(len(sizes))
    bottom = np.zeros(len(sizes))
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(stages))]
    for stage, colour in zip(stages, colours):
        ax.bar(x, share[stage], bottom=bottom, color=colour, label=stage, width=0.7)
        bottom += share[stage].to_numpy()
    for xi, (n, _), tot in zip(x, sizes, total):
        ax.text(xi, 101, f"{1e6 * tot / n:.2g} µs", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, [f"N = {n}\n(K = {k})" for n, k in sizes])
    ax.set(ylabel="share of the decision time [%]", ylim=(0, 112))
    legend_below(fig, ncol=min(len(stages), 3))
    return fig
