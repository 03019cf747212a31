"""Chapter 10's figures: throughput vs the interaction frequency Z_k (the paper's Fig. 6c), the
throughput-overhead trade-off, and the twin-mismatch sweep.

Every function takes tables the chapter computed or loaded (the columns are named in each docstring) and
returns the :class:`matplotlib.figure.Figure`; a missing column is a ``ValueError`` naming it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from multirat.plotting import PALETTE, figure, key_line, legend_below

__all__ = ["SCENARIO_NAMES", "mismatch_figure", "summary_tables", "tradeoff_figure", "zk_figure"]

#: scenario 1 and 3, the limits of Z_k: label, line style, colour (distinct, so that their CI bands do not merge)
_LIMIT_STYLE = {"physical_only": ("scenario 1 (physical only)", "--", "0.25"),
                "dt_only": ("scenario 3 (twin only)", ":", "#1b7837")}
#: the scenarios as a reader meets them in the tables
SCENARIO_NAMES = {"physical_only": "1: physical only", "proposed": "2: proposed", "dt_only": "3: twin only"}
#: the key of scenario 2's points (in the panel's colour)
S2_LABEL = "scenario 2, mean and 95 % CI (panel colour)"
#: the paper's stars sit this factor to the right of their Z_k (log axis), so that our marker never hides them
PAPER_DODGE = 1.12
#: in the trade-off figure, the phi values at the same cost sit this factor apart (log axis)
TRADEOFF_DODGE = 1.15


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
    small dot), scenarios 1 and 3 are horizontal lines with their CI band (plain grey and hatched green), the
    two limits of Z_k. ``by``: ``"phi"`` (the paper's Fig. 6c) or ``"replay"`` (the replay memories, the
    paper's first; a panel without scenario 1 and 3 rows of its own draws the table's). ``paper``: ``{(value of by, z_k): kbits}``, the paper's values as stars, drawn at ``z_k * PAPER_DODGE``
    so that our point at the same Z_k never hides one. ``cap_kbits``: the Eq. (15) cap line.
    """
    _require(summary, [by, "scenario", "z_k", "mean_kbits", "ci95_kbits"], "summary")
    values = list(summary[by].unique())
    numeric = all(isinstance(v, (int, float, np.number)) for v in values)
    values = sorted(values) if numeric else sorted(values, key=lambda v: (v != "paper", str(v)))
    fig, axes = figure(1, len(values), height_in=3.3, sharey=True, squeeze=False)
    seeds = [c for c in summary.columns if c.startswith("seed") and c.endswith("_kbits")]
    for ax, value, colour in zip(axes[0], values, PALETTE):
        sub = summary[summary[by] == value]
        s2 = sub[sub.scenario == "proposed"].sort_values("z_k")
        limits = sub[sub.scenario != "proposed"]
        if limits.empty:                         # e.g. by="replay": scenarios 1 and 3 are every panel's limits
            limits = summary[summary.scenario != "proposed"]
        for scenario, (label, ls, line_colour) in _LIMIT_STYLE.items():
            for _, row in limits[limits.scenario == scenario].iterrows():
                ax.axhline(row.mean_kbits, color=line_colour, ls=ls, lw=1.2, label=label)
                half = 0.0 if np.isnan(row.ci95_kbits) else row.ci95_kbits
                ax.axhspan(row.mean_kbits - half, row.mean_kbits + half, color=line_colour, alpha=0.09, lw=0,
                           hatch="////" if scenario == "dt_only" else None)
        if seeds:
            for _, row in s2.iterrows():
                vals = row[seeds].to_numpy(float)
                ax.plot(np.full(vals.shape, row.z_k), vals, ".", color=colour, ms=4, alpha=0.45,
                        label="one seed")
        ax.errorbar(s2.z_k, s2.mean_kbits, yerr=np.nan_to_num(s2.ci95_kbits.to_numpy(float)), fmt="o-",
                    color=colour, capsize=3, label=S2_LABEL)
        if paper:
            pts = [(z * PAPER_DODGE, v) for (b, z), v in paper.items() if b == value]
            if pts:
                ax.plot(*zip(*pts), "*", ms=12, color="0.85", mec="k", mew=0.6, ls="none", zorder=5,
                        label="the paper's value")
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
    seen = {}
    for ax in axes[0]:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            seen.setdefault(lab, h)
    if len(values) > 1:          # one colour per panel: the key shows scenario 2 and the seeds in neutral grey
        seen[S2_LABEL] = key_line(color="0.35", marker="o", label=S2_LABEL)
        if "one seed" in seen:
            seen["one seed"] = key_line(color="0.35", marker=".", ls="none", alpha=0.6, label="one seed")
    legend_below(fig, list(seen.values()), list(seen), ncol=3)
    return fig


def tradeoff_figure(points):
    """Throughput vs over-the-air exchanges of the whole training (log axis), one colour per phi.

    ``points``: columns phi, scenario, z_k, mean_kbits, ci95_kbits, over_the_air (exchanges) and pareto
    (bool: on the throughput-overhead front of its phi). Scenario 3 has no over-the-air exchanges: it is
    drawn as a horizontal line. Points on the front are filled, the others open; the phi values are drawn a
    little apart in x (``TRADEOFF_DODGE``), since their costs are equal.
    """
    _require(points, ["phi", "scenario", "z_k", "mean_kbits", "ci95_kbits", "over_the_air", "pareto"], "points")
    fig, axes = figure(1, 1, height_in=3.4)
    ax = axes
    phis = sorted(points.phi.unique())
    for i, (phi, colour) in enumerate(zip(phis, PALETTE)):
        sub = points[points.phi == phi]
        s3 = sub[sub.scenario == "dt_only"]
        for _, row in s3.iterrows():
            ax.axhline(row.mean_kbits, color=colour, ls=":", lw=1.1)
        air = sub[sub.scenario != "dt_only"].sort_values("over_the_air")
        # the phi values side by side at the same cost (x times TRADEOFF_DODGE ** (i - centre)), so that
        # neither's CI bar hides the other's; the labels on a white ground, off the bars (see below)
        x = air.over_the_air * TRADEOFF_DODGE ** (i - (len(phis) - 1) / 2)
        ax.errorbar(x, air.mean_kbits, yerr=np.nan_to_num(air.ci95_kbits.to_numpy(float)),
                    fmt="-", color=colour, lw=0.8, capsize=2, alpha=0.6)
        for xi, (_, row) in zip(x, air.iterrows()):
            ax.plot(xi, row.mean_kbits, "o", ms=6, color=colour, mfc=colour if row.pareto else "white")
            text = "scenario 1" if row.scenario == "physical_only" else f"$Z_k$ = {row.z_k:g}"
            left = i == 0              # the first phi's labels up and left of its points, the others down and right
            ax.annotate(text, (xi, row.mean_kbits), textcoords="offset points", xytext=(-5, 6) if left else (5, -6),
                        ha="right" if left else "left", va="bottom" if left else "top", fontsize=8, color=colour,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
    ax.margins(x=0.18)                 # room for the outermost labels inside the axes
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
        spread = sub.mismatch.str.contains("phi_n").to_numpy()
        x = np.arange(len(sub)) + 0.6 * spread             # the per-link condition apart from the ordered phi
        top, bottom = axes[0][j], axes[1][j]
        top.plot(x - 0.08, sub.s1_kbits, "o", color=PALETTE[0], label="scenario 1 (physical only)")
        top.plot(x + 0.08, sub.s3_kbits, "s", color=PALETTE[2], label="scenario 3 (twin only)")
        top.set(title=titles.get(ser, ser))
        colours = [PALETTE[1] if c else "0.45" for c in sub.twin_costs]
        bottom.axhline(0.0, color="0.3", lw=0.8)
        for xi, g, h, c in zip(x, sub.gap_kbits, np.nan_to_num(sub.ci95_kbits.to_numpy(float)), colours):
            bottom.errorbar(xi, g, yerr=h, fmt="D", color=c, capsize=3)
        if spread.any() and not spread.all():
            for ax in (top, bottom):
                ax.axvline(x[~spread].max() + 0.8, color="0.5", lw=0.8, ls=(0, (2, 2)))
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


def summary_tables(summary):
    """``(main, seeds)``: :func:`multirat.experiments.fig6c.final_summary` as a reader reads it.

    ``main``: phi, scenario (``SCENARIO_NAMES``), Z_k ("-" for scenarios 1 and 3), replay (only when it
    takes more than one value), mean and 95 % CI [kbit/frame], the paired differences to scenarios 3 and 1
    with their CIs, and the IQM; ``seeds``: phi, scenario, Z_k (and replay) with every seed's final
    throughput. Rows in the order phi, scenario 1, scenario 2 by Z_k, scenario 3. ``ValueError`` naming a
    missing column.
    """
    _require(summary, ["phi", "scenario", "z_k", "replay", "mean_kbits", "ci95_kbits", "vs_s3_kbits",
                       "vs_s3_ci95_kbits", "vs_s1_kbits", "vs_s1_ci95_kbits", "iqm_kbits"], "summary")
    order = {"physical_only": 0, "proposed": 1, "dt_only": 2}
    rows = summary.assign(_o=summary.scenario.map(order)).sort_values(["phi", "_o", "z_k", "replay"])
    key = {"φ": rows.phi, "scenario": rows.scenario.map(SCENARIO_NAMES).fillna(rows.scenario),
           "Z_k": rows.z_k.map(lambda z: "-" if np.isnan(z) else f"{z:g}")}
    if rows.replay.nunique() > 1:
        key["replay"] = rows.replay
    main = rows.assign(**key)[list(key) + ["mean_kbits", "ci95_kbits", "vs_s3_kbits", "vs_s3_ci95_kbits",
                                           "vs_s1_kbits", "vs_s1_ci95_kbits", "iqm_kbits"]]
    main = main.rename(columns={"mean_kbits": "mean [kbit/frame]", "ci95_kbits": "95 % CI",
                                "vs_s3_kbits": "vs S3 (paired)", "vs_s3_ci95_kbits": "CI vs S3",
                                "vs_s1_kbits": "vs S1 (paired)", "vs_s1_ci95_kbits": "CI vs S1",
                                "iqm_kbits": "IQM"})
    seed_cols = [c for c in rows.columns if c.startswith("seed") and c.endswith("_kbits")]
    seeds = rows.assign(**key)[list(key) + seed_cols].rename(columns={c: c[:-6].replace("seed", "seed ")
                                                                     for c in seed_cols})
    return main.reset_index(drop=True), seeds.reset_index(drop=True)
