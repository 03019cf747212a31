"""Chapter 9's figures: the shared multi-agent DQN (MADRL) against the centralized agent (SADRL) and our factored
centralized agent, the paper's Fig. 6a (training in the twin), the held-out throughput over training, and the
paper's Fig. 6b (physical throughput by network size, beside ESA).

Every function takes tables the chapter loaded (the columns are named in each docstring) and returns the
:class:`matplotlib.figure.Figure`; a missing column is a ``ValueError`` naming it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from multirat.plotting import PALETTE, figure, key_line, legend_below

__all__ = ["AGENT_STYLE", "REFERENCE_STYLE", "evaluation_figure", "size_figure", "training_figure"]

#: agent -> (label, colour, marker)
AGENT_STYLE = {"MADRL": ("MADRL (shared DQN, proposed)", PALETTE[0], "o"),
               "SADRL": ("SADRL (centralized agent)", PALETTE[1], "s"),
               "factored": ("factored centralized (ours)", PALETTE[3], "^")}
#: agent -> horizontal offset of its points in :func:`size_figure`
DODGE = {"MADRL": -0.15, "factored": 0.0, "SADRL": 0.15}
#: reference scheme -> (label, colour, line style)
REFERENCE_STYLE = {"ESA": ("ESA (optimum, same actions)", "k", "-"),
                   "genie MCS at P_max": ("genie MCS at $P_{max}$", "0.45", "--"),
                   "MaxP-3GPP-MCS": ("MaxP-3GPP-MCS", PALETTE[2], ":")}


def _require(df, columns, name):
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} lacks the columns {missing}; it has {list(df.columns)}")


def training_figure(curves, k: int, n: int):
    """The training reward (kbit/frame per TS, epsilon-greedy, block means) vs episode of each agent at
    (K, N) = (``k``, ``n``): mean over seeds with a 95 % t band. ``curves``: :func:`multirat.experiments.fig6ab.
    curves` (columns run, agent, K, N, seed, episode, reward_kbits). ``ValueError`` when no run has that size."""
    return _band_figure(curves, k, n, "reward_kbits", "training reward [kbit/frame]", "curves")


def evaluation_figure(evaluations, k: int, n: int):
    """The held-out physical throughput of each agent's greedy policy (kbit/frame) vs training episode at (K, N)
    = (``k``, ``n``): mean over seeds with a 95 % t band. ``evaluations``: :func:`multirat.experiments.fig6ab.run`
    and :func:`multirat.experiments.fig6ab_factored.run` concatenated (columns run, agent, K, N, seed, episode,
    throughput_kbits). ``ValueError`` when no run has that size."""
    return _band_figure(evaluations, k, n, "throughput_kbits", "held-out physical throughput [kbit/frame]",
                        "evaluations")


def _band_figure(table, k: int, n: int, column: str, ylabel: str, name: str):
    from multirat.evaluation import t_confidence_interval

    _require(table, ["agent", "K", "N", "episode", column], name)
    at = table[(table.K == k) & (table.N == n)]
    if at.empty:
        raise ValueError(f"{name} holds no run at (K, N) = ({k}, {n}); it has {sorted(set(zip(table.K, table.N)))}")
    fig, ax = figure(height_in=3.2)
    for agent in sorted(set(at.agent), key=lambda a: list(AGENT_STYLE).index(a) if a in AGENT_STYLE else 99):
        g = at[at.agent == agent]
        label, colour, _ = AGENT_STYLE.get(agent, (agent, "0.3", "o"))
        stats = [t_confidence_interval(x.to_numpy()) for _, x in g.groupby("episode")[column]]
        episodes = np.array(sorted(g.episode.unique()))
        mean, half = np.array(stats).T
        ax.plot(episodes, mean, color=colour, label=label)
        ax.fill_between(episodes, mean - np.nan_to_num(half), mean + np.nan_to_num(half), color=colour, alpha=0.2, lw=0)
    ax.set(xlabel="training episode", ylabel=ylabel,
           title=f"(K, N) = ({k}, {n}), code rate 1/2, scenario 2 ($Z_k$ = 100)")
    legend_below(fig, ncol=min(3, len(set(at.agent))))
    return fig


def size_figure(summary, references, paper: Mapping | None = None):
    """Final held-out physical throughput by network size (K, N): each agent's mean with its 95 % CI and every
    seed as a small dot; the references of ``references`` as short horizontal marks; the paper's values as
    stars beside our points.

    ``summary``: :func:`multirat.experiments.fig6ab.final_summary` (agent, K, N, mean_kbits, ci95_kbits,
    ``seed<k>_kbits``); ``references``: :func:`multirat.experiments.fig6ab_baselines.run` (K, N, policy,
    mean_kbits); ``paper``: ``{(agent, K, N): kbits}``.
    """
    _require(summary, ["agent", "K", "N", "mean_kbits", "ci95_kbits"], "summary")
    _require(references, ["K", "N", "policy", "mean_kbits"], "references")
    sizes = sorted(set(zip(summary.K, summary.N)) | set(zip(references.K, references.N)), key=lambda kn: (kn[1], kn[0]))
    x = {kn: i for i, kn in enumerate(sizes)}
    seeds = [c for c in summary.columns if c.startswith("seed") and c.endswith("_kbits")]
    fig, ax = figure(height_in=3.4)
    dodge = DODGE
    for policy, (label, colour, ls) in REFERENCE_STYLE.items():
        for _, r in references[references.policy == policy].iterrows():
            xi = x[(r.K, r.N)]
            ax.plot([xi - 0.3, xi + 0.3], [r.mean_kbits] * 2, color=colour, ls=ls, lw=1.4)
    for _, r in summary.iterrows():
        label, colour, marker = AGENT_STYLE.get(r.agent, (r.agent, "0.3", "o"))
        xi = x[(r.K, r.N)] + dodge.get(r.agent, 0.0)
        ax.errorbar(xi, r.mean_kbits, yerr=np.nan_to_num(r.ci95_kbits), color=colour, marker=marker, ms=6,
                    capsize=3, ls="none", zorder=3)
        vals = r[seeds].astype(float).dropna().to_numpy()
        ax.plot(np.full(vals.size, xi), vals, ".", color=colour, ms=3, alpha=0.6, zorder=2)
    for (agent, k, n), v in (paper or {}).items():
        if (k, n) in x:
            _, colour, _ = AGENT_STYLE.get(agent, (agent, "0.3", "o"))
            ax.plot(x[(k, n)] + 2.0 * dodge.get(agent, 0.0), v, marker="*", ms=12, color=colour, mec="k", mew=0.6,
                    ls="none", zorder=4)
    ax.set_xticks(range(len(sizes)), [f"({k}, {n})" for k, n in sizes])
    ax.set(xlabel="(K, N)", ylabel="physical throughput [kbit/frame]", xlim=(-0.6, len(sizes) - 0.4))
    handles = [key_line(label=AGENT_STYLE[a][0], color=AGENT_STYLE[a][1], marker=AGENT_STYLE[a][2], ls="none")
               for a in AGENT_STYLE if a in set(summary.agent)]
    handles += [key_line(label=lab, color=c, ls=ls) for p, (lab, c, ls) in REFERENCE_STYLE.items()
                if p in set(references.policy)]
    if paper:
        handles.append(key_line(label="the paper's Fig. 6b", color="0.85", marker="*", ms=11, mec="k", ls="none"))
    legend_below(fig, handles, [h.get_label() for h in handles], ncol=2)
    return fig
