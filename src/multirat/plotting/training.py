"""Chapter 8's figures: schedules, learning curves by scenario / discount, final throughput vs sigma_rt.

Every function takes tables the chapter computed or loaded (pandas DataFrames with the columns named in
its docstring) and returns the :class:`matplotlib.figure.Figure`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from multirat.plotting import PALETTE, figure, legend_below

__all__ = [
    "SCENARIO_COLOURS",
    "SCENARIO_LABELS",
    "discount_figure",
    "replay_share_figure",
    "scenario_curves_figure",
    "schedule_figure",
    "seed_columns",
    "sigma_figure",
]

SCENARIO_LABELS = {"physical_only": "scenario 1: physical only", "proposed": "scenario 2: twin + physical every Z_k",
                   "dt_only": "scenario 3: twin only"}
SCENARIO_COLOURS = {"physical_only": PALETTE[0], "proposed": PALETTE[1], "dt_only": PALETTE[2]}
_BASELINE_STYLE = {"RA": ":", "MaxP-3GPP-MCS": "--", "ESA-FP": "-."}


def _require(df, columns, name):
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} lacks the columns {missing}; it has {list(df.columns)}")


def _mean_ci(df, by, value):
    """Mean and 95 % t half-width over seeds of ``value`` per ``by`` group."""
    from scipy import stats

    g = df.groupby(by)[value]
    out = g.agg(["mean", "std", "count"]).reset_index()
    t = stats.t.ppf(0.975, np.maximum(out["count"] - 1, 1))
    out["half"] = np.where(out["count"] > 1, t * out["std"] / np.sqrt(out["count"]), 0.0)
    return out


def schedule_figure(episodes, epsilon_formula, epsilon_recorded, lr_formula, lr_recorded):
    """epsilon(t) and alpha(t): the closed forms (lines) and what the trainer used (markers), ``[E]`` each."""
    fig, axes = figure(1, 2, height_in=2.8)
    episodes = np.asarray(episodes)
    for ax, formula, rec, label in ((axes[0], epsilon_formula, epsilon_recorded, r"$\epsilon(t)$"),
                                    (axes[1], lr_formula, lr_recorded, r"$\alpha(t)$")):
        if len(formula) != len(episodes) or len(rec) != len(episodes):
            raise ValueError(f"{label}: formula ({len(formula)}) and recorded ({len(rec)}) values must match "
                             f"episodes ({len(episodes)})")
        ax.plot(episodes, formula, color=PALETTE[0], label="closed form")
        step = max(1, len(episodes) // 25)
        ax.plot(episodes[::step], np.asarray(rec)[::step], "o", ms=3.5, color=PALETTE[1], label="used in training")
        ax.set(xlabel="episode t", ylabel=label)
    legend_below(fig)
    return fig


def _baselines(ax, baselines, phi, sigma_rt):
    if baselines is None:
        return
    rows = baselines[(baselines.phi == phi) & (baselines.sigma_rt == sigma_rt)]
    for _, row in rows.iterrows():
        ax.axhline(row.mean_kbits, color="0.35", lw=1.1, ls=_BASELINE_STYLE.get(row.policy, "-"),
                   label=row.policy)


def scenario_curves_figure(evaluations, baselines=None, paper: Mapping | None = None, phis=(0.4, 0.9),
                           sigma_rt: float = 0.05, gamma: float = 0.9):
    """Fig. 5b/5c: held-out physical throughput vs training episodes, mean and 95 % CI band over seeds.

    ``evaluations``: columns scenario, phi, sigma_rt, gamma, seed, episode, throughput_kbits.
    ``baselines``: columns phi, sigma_rt, policy, mean_kbits (horizontal references).
    ``paper``: ``{(phi, scenario): (episode, kbits)}``, the paper's reported points (drawn as stars).
    """
    _require(evaluations, ["scenario", "phi", "sigma_rt", "gamma", "seed", "episode", "throughput_kbits"],
             "evaluations")
    fig, axes = figure(len(phis), 1, height_in=2.7 * len(phis), sharex=True)
    axes = np.atleast_1d(axes)
    for ax, phi in zip(axes, phis):
        sub = evaluations[(evaluations.phi == phi) & (evaluations.sigma_rt == sigma_rt) & (evaluations.gamma == gamma)]
        for scenario, label in SCENARIO_LABELS.items():
            s = _mean_ci(sub[sub.scenario == scenario], "episode", "throughput_kbits")
            if s.empty:
                continue
            c = SCENARIO_COLOURS[scenario]
            ax.plot(s.episode, s["mean"], color=c, label=label)
            ax.fill_between(s.episode, s["mean"] - s.half, s["mean"] + s.half, color=c, alpha=0.2, lw=0)
            if paper and (phi, scenario) in paper:
                ep, val = paper[(phi, scenario)]
                ax.plot([ep], [val], "*", ms=11, color=c, mec="k", mew=0.6, label="the paper's value")
        _baselines(ax, baselines, phi, sigma_rt)
        ax.set(ylabel="physical throughput\n[kbit/frame]", title=rf"$\phi$ = {phi:g}")
        ax.set_ylim(bottom=0)
    axes[-1].set_xlabel("training episodes")
    legend_below(fig, ncol=3)
    return fig


def discount_figure(curves, evaluations, gammas=(0.9, 0.8, 0.7)):
    """Fig. 5a: training episodic reward (top) and held-out physical throughput (bottom) per discount gamma.

    ``curves``: columns gamma, scenario, phi, sigma_rt, seed, episode, reward_kbits (block means);
    ``evaluations``: columns gamma, scenario, phi, sigma_rt, seed, episode, throughput_kbits. Only scenario 2 at
    phi = 0.4, sigma_rt = 0.05 is drawn (the paper's Fig. 5a).
    """
    _require(curves, ["gamma", "scenario", "phi", "sigma_rt", "seed", "episode", "reward_kbits"], "curves")
    fig, axes = figure(2, 1, height_in=5.0, sharex=True)
    for ax, df, value, ylabel in ((axes[0], curves, "reward_kbits", "episodic reward\n[kbit/frame per TS]"),
                                  (axes[1], evaluations, "throughput_kbits", "physical throughput\n[kbit/frame]")):
        base = df[(df.scenario == "proposed") & (df.phi == 0.4) & (df.sigma_rt == 0.05)]
        for i, g in enumerate(gammas):
            s = _mean_ci(base[base.gamma == g], "episode", value)
            if s.empty:
                continue
            ax.plot(s.episode, s["mean"], color=PALETTE[i + 3], label=rf"$\gamma$ = {g:g}")
            ax.fill_between(s.episode, s["mean"] - s.half, s["mean"] + s.half, color=PALETTE[i + 3], alpha=0.2, lw=0)
        ax.set(ylabel=ylabel)
        ax.set_ylim(bottom=0)
    axes[-1].set_xlabel("training episodes")
    legend_below(fig, ncol=3)
    return fig


def seed_columns(df) -> list[str]:
    """The per-seed columns ``seed<k>_kbits`` of a :func:`multirat.experiments.fig5.summary` table, in seed
    order (``seed2_kbits`` before ``seed10_kbits``); ``[]`` when it has none. Raises nothing."""
    found = [(int(m.group(1)), c) for c in df.columns if (m := re.fullmatch(r"seed(\d+)_kbits", str(c)))]
    return [c for _, c in sorted(found)]


#: Fig. 5d: x offset of each scenario's mean/CI from its sigma_rt, and of the seeds' markers from the mean.
_SIGMA_OFFSETS = {"physical_only": -0.0065, "proposed": 0.0, "dt_only": 0.0065}
_SEED_DX = 0.0024


def sigma_figure(final, baselines=None, paper: Mapping | None = None):
    """Fig. 5d: final held-out physical throughput vs sigma_rt per scenario: mean and 95 % CI over seeds,
    and every seed's value as a small marker just right of its mean.

    ``final``: a :func:`multirat.experiments.fig5.summary` table (one phi): columns scenario, sigma_rt,
    mean_kbits, ci95_kbits (kbit/frame; NaN half-width drawn as none) and, optionally, the per-seed
    columns ``seed<k>_kbits`` (kbit/frame; NaN = seed absent); without them no seed is drawn.
    ``baselines``: columns phi, sigma_rt, policy, mean_kbits (drawn at phi = 0.4);
    ``paper``: ``{(sigma_rt, scenario): kbits}``, the paper's values (stars).
    The three scenarios (and their stars) sit at sigma_rt - 0.0065, sigma_rt, sigma_rt + 0.0065 so their
    bars do not overlap; the x ticks are the sigma_rt values of ``final``. Raises ``ValueError`` naming the
    missing columns of ``final``.
    """
    from matplotlib.lines import Line2D

    _require(final, ["scenario", "sigma_rt", "mean_kbits", "ci95_kbits"], "final")
    fig, ax = figure(1, 1, height_in=3.6)
    per_seed = seed_columns(final)
    for scenario, label in SCENARIO_LABELS.items():
        s = final[final.scenario == scenario].sort_values("sigma_rt")
        if s.empty:
            continue
        c = SCENARIO_COLOURS[scenario]
        x = s.sigma_rt.to_numpy(float) + _SIGMA_OFFSETS[scenario]
        ax.errorbar(x, s.mean_kbits, yerr=np.nan_to_num(s.ci95_kbits), fmt="o-", color=c, ms=4, capsize=3,
                    label=label, zorder=3)
        if per_seed:
            values = s[per_seed].to_numpy(float)                                   # [sigma, seed]
            xs = np.repeat(x[:, None] + _SEED_DX, values.shape[1], axis=1)
            ok = np.isfinite(values)
            ax.plot(xs[ok], values[ok], "o", ms=2.6, mfc="none", mew=0.8, color=c, alpha=0.9, ls="none",
                    zorder=4)
        if paper:
            pts = [(sig, v) for (sig, sc), v in paper.items() if sc == scenario]
            if pts:
                sig, val = zip(*pts)
                ax.plot(np.asarray(sig, float) + _SIGMA_OFFSETS[scenario], val, "*", ms=11, color=c, mec="k", mew=0.6,
                        label="the paper's value", zorder=5)
    if per_seed:
        ax.plot([], [], "o", ms=2.6, mfc="none", mew=0.8, color="0.3", ls="none", label="one seed (right of its mean)")
    if baselines is not None:
        for policy, g in baselines[baselines.phi == 0.4].groupby("policy"):
            g = g.sort_values("sigma_rt")
            ax.plot(g.sigma_rt, g.mean_kbits, color="0.35", lw=1.1, ls=_BASELINE_STYLE.get(policy, "-"), label=policy)
    ax.set(xlabel=r"HWI level $\sigma_{r_t}$", ylabel="physical throughput [kbit/frame]")
    ax.set_xticks(sorted(set(final.sigma_rt)))
    ax.set_ylim(bottom=0)
    entries = {}                                                          # label -> first handle
    for handle, lab in zip(*ax.get_legend_handles_labels()):
        entries.setdefault(lab, handle)
    if "the paper's value" in entries:                                   # the stars wear every scenario's colour
        entries["the paper's value"] = Line2D([], [], marker="*", ms=11, color="0.85", mec="k", mew=0.6, ls="none")
    first = [lab for lab in SCENARIO_LABELS.values() if lab in entries]   # the scenarios first, then the rest
    labels = first + [lab for lab in entries if lab not in first]
    legend_below(fig, [entries[lab] for lab in labels], labels, ncol=3)
    return fig


def replay_share_figure(curves, z_k: int, replay_size: int):
    """Share of physical experiences in the replay memory over training (scenario 2, all its runs)."""
    _require(curves, ["scenario", "episode", "replay_physical_share", "replay_physical_share_max"], "curves")
    fig, ax = figure(1, 1, height_in=2.8)
    sub = curves[curves.scenario == "proposed"]
    s = sub.groupby("episode")[["replay_physical_share", "replay_physical_share_max"]].mean().reset_index()
    ax.plot(s.episode, s.replay_physical_share_max, color=PALETTE[1], label="largest share within the block")
    ax.plot(s.episode, s.replay_physical_share, color=PALETTE[0], label="mean share over the block")
    ax.set(xlabel="training episodes", ylabel="physical share of D",
           title=f"|D| = {replay_size} experiences, a physical episode every Z_k = {z_k}")
    legend_below(fig, ncol=2)
    return fig
