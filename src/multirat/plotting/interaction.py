"""Chapter 10's figures: throughput vs the interaction frequency Z_k (the paper's Fig. 6c), the
throughput-overhead trade-off, and the twin-mismatch sweep.

Every function takes tables the chapter computed or loaded (the columns are named in each docstring) and
returns the :class:`matplotlib.figure.Figure`; a missing column is a ``ValueError`` naming it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from multirat.plotting import PALETTE, figure, key_line, legend_below

__all__ = ["mismatch_figure", "tradeoff_figure", "zk_figure"]

_LIMIT_STYLE = {"physical_only": ("scenario 1 (physical only)", "--"), "dt_only": ("scenario 3 (twin only)", ":")}


def _math_phi(label: str) -> str:
    """``"phi_n ~ U(0, 4)"`` -> ``"$\\phi_n$ ~ U(0, 4)"`` (mathtext for phi and phi_n)."""
    import re

    return re.sub(r"phi(_n)?", lambda m: r"$\phi_n$" if m.group(1) else r"$\phi$", label)


def _require(df, columns, name):
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} lacks the columns {missing}; it has {list(df.columns)}")


def zk_figure(summary, by: str = "phi", paper: Mapping | None = None, cap_kbits: float | None = None):
    """Final held-out throughput of scenario 2 vs Z_k (log axis), one panel per value of ``by``.

    ``summary``: :func:`multirat.experiments.fig6c.final_summary` (columns ``by``, scenario, z_k, mean_kbits,
    ci95_kbits and ``seed<k>_kbits``); scenario 2 rows are points with 95 % CIs (and each seed's value as a
    small dot), scenarios 1 and 3 are horizontal lines with their CI band, the two limits of Z_k.
    ``by``: ``"phi"`` (the paper's Fig. 6c) or ``"replay"`` (the replay-memory sizes). ``paper``:
    ``{(value of by, z_k): kbits}``, the paper's values as stars. ``cap_kbits``: the Eq. (15) cap line.
    """
    _require(summary, [by, "scenario", "z_k", "mean_kbits", "ci95_kbits"], "summary")
    values = sorted(summary[by].unique(), key=str)
    fig, axes = figure(1, len(values), height_in=3.3, sharey=True, squeeze=False)
    seeds = [c for c in summary.columns if c.startswith("seed") and c.endswith("_kbits")]
    for ax, value, colour in zip(axes[0], values, PALETTE):
        sub = summary[summary[by] == value]
        s2 = sub[sub.scenario == "proposed"].sort_values("z_k")
        for scenario, (label, ls) in _LIMIT_STYLE.items():
            for _, row in sub[sub.scenario == scenario].iterrows():
                ax.axhline(row.mean_kbits, color="0.3", ls=ls, lw=1.2, label=label)
                half = 0.0 if np.isnan(row.ci95_kbits) else row.ci95_kbits
                ax.axhspan(row.mean_kbits - half, row.mean_kbits + half, color="0.3", alpha=0.08, lw=0)
        if seeds:
            for _, row in s2.iterrows():
                vals = row[seeds].to_numpy(float)
                ax.plot(np.full(vals.shape, row.z_k), vals, ".", color=colour, ms=4, alpha=0.45,
                        label="one seed")
        ax.errorbar(s2.z_k, s2.mean_kbits, yerr=np.nan_to_num(s2.ci95_kbits.to_numpy(float)), fmt="o-",
                    color=colour, capsize=3, label="scenario 2, mean and 95 % CI")
        if paper:
            pts = [(z, v) for (b, z), v in paper.items() if b == value]
            if pts:
                ax.plot(*zip(*pts), "*", ms=12, color="0.85", mec="k", mew=0.6, ls="none", label="the paper's value")
        if cap_kbits is not None:
            ax.axhline(cap_kbits, color="#b2182b", lw=1.0, ls=(0, (6, 2, 1, 2)), label=r"$N \times$ peak rate")
        ax.set_xscale("log")
        ax.set_xticks(sorted(s2.z_k.unique()))
        ax.set_xticklabels([f"{z:g}" for z in sorted(s2.z_k.unique())])
        ax.minorticks_off()
        name = {"phi": r"$\phi$", "replay": "replay memory"}.get(by, by)
        ax.set(xlabel=r"interaction period $Z_k$ (episodes)", title=f"{name} = {value:g}" if by == "phi"
               else f"{name}: {value}")
    axes[0][0].set_ylabel("physical throughput (kbit/frame)")
    legend_below(fig, ncol=3)
    return fig


def tradeoff_figure(points):
    """Throughput vs over-the-air exchanges of the whole training (log axis), one colour per phi.

    ``points``: columns phi, scenario, z_k, mean_kbits, ci95_kbits, over_the_air (exchanges) and pareto
    (bool: on the throughput-overhead front of its phi). Scenario 3 has no over-the-air exchanges: it is
    drawn as a horizontal line. Points on the front are filled, the others open.
    """
    _require(points, ["phi", "scenario", "z_k", "mean_kbits", "ci95_kbits", "over_the_air", "pareto"], "points")
    fig, axes = figure(1, 1, height_in=3.4)
    ax = axes
    for phi, colour in zip(sorted(points.phi.unique()), PALETTE):
        sub = points[points.phi == phi]
        s3 = sub[sub.scenario == "dt_only"]
        for _, row in s3.iterrows():
            ax.axhline(row.mean_kbits, color=colour, ls=":", lw=1.1)
        air = sub[sub.scenario != "dt_only"].sort_values("over_the_air")
        ax.errorbar(air.over_the_air, air.mean_kbits, yerr=np.nan_to_num(air.ci95_kbits.to_numpy(float)),
                    fmt="-", color=colour, lw=0.8, capsize=2, alpha=0.6)
        for _, row in air.iterrows():
            ax.plot(row.over_the_air, row.mean_kbits, "o", ms=6, color=colour, mfc=colour if row.pareto else "white")
            text = "scenario 1" if row.scenario == "physical_only" else f"$Z_k$ = {row.z_k:g}"
            ax.annotate(text, (row.over_the_air, row.mean_kbits), textcoords="offset points", xytext=(4, 5),
                        fontsize=8, color=colour)
    ax.set_xscale("log")
    ax.set(xlabel="over-the-air exchanges of the whole training (chapter 7)",
           ylabel="physical throughput (kbit/frame)")
    handles = [key_line(color=c, marker="o", label=rf"$\phi$ = {p:g}") for p, c in zip(sorted(points.phi.unique()),
                                                                                     PALETTE)]
    handles += [key_line(color="0.3", ls=":", label="scenario 3 (no over-the-air exchange)"),
                key_line(color="0.3", marker="o", ls="none", label="on the front"),
                key_line(color="0.3", marker="o", mfc="white", ls="none", label="dominated")]
    legend_below(fig, handles, [h.get_label() for h in handles], ncol=3)
    return fig


def mismatch_figure(gaps):
    """Scenarios 1 and 3 (top) and their paired gap (bottom) vs the twin-physical mismatch, per SER model.

    ``gaps``: :func:`multirat.experiments.twin_mismatch.gaps` (columns ser_model, mismatch, s1_kbits,
    s3_kbits, gap_kbits, ci95_kbits, twin_costs), in the order to draw.
    """
    _require(gaps, ["ser_model", "mismatch", "s1_kbits", "s3_kbits", "gap_kbits", "ci95_kbits", "twin_costs"],
             "gaps")
    models = list(dict.fromkeys(gaps.ser_model))
    fig, axes = figure(2, len(models), height_in=5.0, sharex=True, squeeze=False)
    titles = {"eq17": "Eq. (17) as printed", "exact": "exact QAM SER"}
    for j, ser in enumerate(models):
        sub = gaps[gaps.ser_model == ser].reset_index(drop=True)
        x = np.arange(len(sub))
        top, bottom = axes[0][j], axes[1][j]
        top.plot(x - 0.08, sub.s1_kbits, "o", color=PALETTE[0], label="scenario 1 (physical only)")
        top.plot(x + 0.08, sub.s3_kbits, "s", color=PALETTE[2], label="scenario 3 (twin only)")
        top.set(title=titles.get(ser, ser))
        colours = [PALETTE[1] if c else "0.45" for c in sub.twin_costs]
        bottom.axhline(0.0, color="0.3", lw=0.8)
        for xi, (g, h, c) in enumerate(zip(sub.gap_kbits, np.nan_to_num(sub.ci95_kbits.to_numpy(float)), colours)):
            bottom.errorbar(xi, g, yerr=h, fmt="D", color=c, capsize=3)
        bottom.set_xticks(x)
        bottom.set_xticklabels([_math_phi(m) for m in sub.mismatch], rotation=20)
        bottom.set(xlabel="twin-physical mismatch")
    axes[0][0].set_ylabel("physical throughput\n(kbit/frame)")
    axes[1][0].set_ylabel("scenario 1 - scenario 3\n(kbit/frame, 95 % CI)")
    handles = [key_line(color=PALETTE[0], marker="o", ls="none", label="scenario 1 (physical only)"),
               key_line(color=PALETTE[2], marker="s", ls="none", label="scenario 3 (twin only)"),
               key_line(color=PALETTE[1], marker="D", ls="none", label="gap beyond its CI: the twin costs"),
               key_line(color="0.45", marker="D", ls="none", label="gap within its CI")]
    legend_below(fig, handles, [h.get_label() for h in handles], ncol=2)
    return fig
