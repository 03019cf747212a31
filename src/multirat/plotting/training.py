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
    "action_share_figure",
    "cap_label",
    "mcs_label",
    "discount_figure",
    "replay_share_figure",
    "scenario_curves_figure",
    "schedule_figure",
    "seed_columns",
    "sigma_figure",
]

SCENARIO_LABELS = {"physical_only": "scenario 1: physical only",
                   "proposed": r"scenario 2: twin + physical every $Z_k$", "dt_only": "scenario 3: twin only"}
SCENARIO_COLOURS = {"physical_only": PALETTE[0], "proposed": PALETTE[1], "dt_only": PALETTE[2]}
_BASELINE_STYLE = {"RA": ":", "MaxP-3GPP-MCS": "--", "ESA-FP": "-."}
PAPER_LABEL = "the paper's value"
CAP_STYLE = {"color": "#b2182b", "lw": 1.2, "ls": (0, (6, 2, 1, 2))}
#: Figs. 5b/5c: x offset (episodes) of each scenario's paper star and window mean from the paper's episode.
_EPISODE_OFFSETS = {"physical_only": -40.0, "proposed": 0.0, "dt_only": 40.0}


def cap_label(cap_kbits: float) -> str:
    """Legend text of the Eq. (15) cap line: ``N x peak rate = <cap> kbit/frame``."""
    return rf"$N \times$ peak rate = {cap_kbits:g} kbit/frame"


def _cap(ax, cap_kbits):
    if cap_kbits is not None:
        ax.axhline(float(cap_kbits), label=cap_label(float(cap_kbits)), zorder=1, **CAP_STYLE)


def _paper_star_handle():
    from matplotlib.lines import Line2D

    return Line2D([], [], marker="*", ms=11, color="0.85", mec="k", mew=0.6, ls="none")


def _legend(fig, axes, ncol=3):
    """One legend below the figure: the scenarios first, then the rest; the stars as one grey entry."""
    entries = {}                                                          # label -> first handle
    for ax in axes:
        for handle, lab in zip(*ax.get_legend_handles_labels()):
            if not lab.startswith("_"):
                entries.setdefault(lab, handle)
    if PAPER_LABEL in entries:                                            # the stars wear every scenario's colour
        entries[PAPER_LABEL] = _paper_star_handle()
    first = [lab for lab in SCENARIO_LABELS.values() if lab in entries]
    labels = first + [lab for lab in entries if lab not in first]
    return legend_below(fig, [entries[lab] for lab in labels], labels, ncol=ncol)


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
                           sigma_rt: float = 0.05, gamma: float = 0.9, cap_kbits: float | None = None,
                           ours: Mapping | None = None, window: float | None = None):
    """Fig. 5b/5c: held-out physical throughput vs training episodes, mean and 95 % CI band over seeds.

    ``evaluations``: columns scenario, phi, sigma_rt, gamma, seed, episode, throughput_kbits (kbit/frame).
    ``baselines``: columns phi, sigma_rt, policy, mean_kbits (horizontal references).
    ``paper``: ``{(phi, scenario): (episode, kbits)}``, the paper's reported points, drawn as stars at
    ``episode + offset`` with the scenario's offset of -40, 0, +40 episodes (scenarios 1, 2, 3) so that
    stars of nearly equal value do not hide one another.
    ``cap_kbits``: the Eq. (15) cap :math:`N \\times` peak rate (kbit/frame), a labelled horizontal line.
    ``ours``: ``{(phi, scenario): (episode, mean_kbits, ci95_kbits)}``, our value compared with the star
    (e.g. the window mean of :func:`multirat.experiments.fig5.claims_table`), drawn as an open diamond with
    its 95 % CI at the star's x. ``window``: half-width (episodes) of that window, shaded grey around
    each ``paper`` episode. Raises ``ValueError`` naming the missing columns of ``evaluations``.
    """
    _require(evaluations, ["scenario", "phi", "sigma_rt", "gamma", "seed", "episode", "throughput_kbits"],
             "evaluations")
    fig, axes = figure(len(phis), 1, height_in=2.9 * len(phis), sharex=True)
    axes = np.atleast_1d(axes)
    for ax, phi in zip(axes, phis):
        sub = evaluations[(evaluations.phi == phi) & (evaluations.sigma_rt == sigma_rt) & (evaluations.gamma == gamma)]
        shaded = set()
        for scenario, label in SCENARIO_LABELS.items():
            s = _mean_ci(sub[sub.scenario == scenario], "episode", "throughput_kbits")
            if s.empty:
                continue
            c = SCENARIO_COLOURS[scenario]
            ax.plot(s.episode, s["mean"], color=c, label=label)
            ax.fill_between(s.episode, s["mean"] - s.half, s["mean"] + s.half, color=c, alpha=0.2, lw=0)
            dx = _EPISODE_OFFSETS[scenario]
            if paper and (phi, scenario) in paper:
                ep, val = paper[(phi, scenario)]
                ax.plot([ep + dx], [val], "*", ms=11, color=c, mec="k", mew=0.6, label=PAPER_LABEL, zorder=5)
                if window and ep not in shaded:
                    shaded.add(ep)
                    ax.axvspan(ep - window, ep + window, color="0.9", lw=0, zorder=0,
                               label=f"window of ±{window:g} episodes")
            if ours and (phi, scenario) in ours:
                ep, mean, half = ours[(phi, scenario)]
                ax.errorbar([ep + dx], [mean], yerr=[np.nan_to_num(half)], fmt="D", ms=4.5, mfc="white", color=c,
                            mew=1.1, capsize=2.5, zorder=6, label="ours: window mean, 95 % CI")
        _baselines(ax, baselines, phi, sigma_rt)
        _cap(ax, cap_kbits)
        ax.set(ylabel="physical throughput\n[kbit/frame]", title=rf"$\phi$ = {phi:g}")
        ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], 1.1 * float(cap_kbits or 0)))
    axes[-1].set_xlabel("training episodes")
    _legend(fig, axes, ncol=2)
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


def sigma_figure(final, baselines=None, paper: Mapping | None = None, cap_kbits: float | None = None):
    """Fig. 5d: final held-out physical throughput vs sigma_rt per scenario: mean and 95 % CI over seeds,
    and every seed's value as a small marker just right of its mean.

    ``final``: a :func:`multirat.experiments.fig5.summary` table (one phi): columns scenario, sigma_rt,
    mean_kbits, ci95_kbits (kbit/frame; NaN half-width drawn as none) and, optionally, the per-seed
    columns ``seed<k>_kbits`` (kbit/frame; NaN = seed absent); without them no seed is drawn.
    ``baselines``: columns phi, sigma_rt, policy, mean_kbits (drawn at phi = 0.4);
    ``paper``: ``{(sigma_rt, scenario): kbits}``, the paper's values (stars).
    The three scenarios (and their stars) sit at sigma_rt - 0.0065, sigma_rt, sigma_rt + 0.0065 so their
    bars do not overlap; the x ticks are the sigma_rt values of ``final``. ``cap_kbits``: the Eq. (15) cap
    :math:`N \\times` peak rate (kbit/frame), a labelled horizontal line. Raises ``ValueError`` naming the
    missing columns of ``final``.
    """
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
                        label=PAPER_LABEL, zorder=5)
    if per_seed:
        ax.plot([], [], "o", ms=2.6, mfc="none", mew=0.8, color="0.3", ls="none", label="one seed (right of its mean)")
    if baselines is not None:
        for policy, g in baselines[baselines.phi == 0.4].groupby("policy"):
            g = g.sort_values("sigma_rt")
            ax.plot(g.sigma_rt, g.mean_kbits, color="0.35", lw=1.1, ls=_BASELINE_STYLE.get(policy, "-"), label=policy)
    _cap(ax, cap_kbits)
    ax.set(xlabel=r"HWI level $\sigma_{r_t}$", ylabel="physical throughput [kbit/frame]")
    ax.set_xticks(sorted(set(final.sigma_rt)))
    ax.set_ylim(bottom=0)
    _legend(fig, [ax], ncol=2)
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
           title=rf"$|D|$ = {replay_size} experiences, a physical episode every $Z_k$ = {z_k}")
    legend_below(fig, ncol=2)
    return fig


def mcs_label(modulation_order: int, code_rate: float) -> str:
    """``"64-QAM 5/6"``, ``"QPSK 1/2"``, ``"BPSK 3/4"``: an MCS as text (the code rate as a fraction)."""
    from fractions import Fraction

    m = int(modulation_order)
    name = {2: "BPSK", 4: "QPSK"}.get(m, f"{m}-QAM")
    return f"{name} {Fraction(float(code_rate)).limit_denominator(16)}"


def action_share_figure(power, mcs):
    """What a policy played: share of link-slots per power level (left) and per MCS (right), as bars
    labelled with their percentage.

    ``power``: columns power_dbm (dBm) and share (0-1), one row per level (the ``by="power"`` table of
    :func:`multirat.rollout.action_shares`); ``mcs``: columns modulation_order, code_rate and share
    (its ``by="mcs"`` table). Raises ``ValueError`` naming the missing columns.
    """
    _require(power, ["power_dbm", "share"], "power")
    _require(mcs, ["modulation_order", "code_rate", "share"], "mcs")
    fig, axes = figure(1, 2, height_in=3.0, width_ratios=(1, 2.2))
    panels = ((axes[0], [f"{p:.1f}" for p in power.power_dbm], power.share.to_numpy(float), "power level [dBm]"),
              (axes[1], [mcs_label(m, c) for m, c in zip(mcs.modulation_order, mcs.code_rate)],
               mcs.share.to_numpy(float), "MCS"))
    for ax, labels, share, xlabel in panels:
        x = np.arange(len(labels))
        ax.bar(x, 100 * share, color=PALETTE[1], width=0.7)
        for xi, v in zip(x, share):
            text = "0" if v == 0 else (f"{100 * v:.2g}" if v < 0.01 else f"{100 * v:.1f}")
            if text == "100.0" and v < 1:                                   # never round a part up to all
                text = f"{100 * v:.2f}"
            ax.text(xi, 100 * v + 2, text, ha="center", va="bottom", fontsize=7.5)     # upright, readable
        ax.set_xticks(x, labels, rotation=90)
        ax.set(xlabel=xlabel, ylim=(0, 112), yticks=[0, 25, 50, 75, 100])
    axes[0].set_ylabel("share of link-slots [%]")
    return fig
