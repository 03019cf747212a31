"""Chapter 13's figures: physical throughput in the non-stationary network against training episodes (the
paper's Fig. 8), and what each way of learning keeps of the earlier blocks.

Every function takes a table of :mod:`multirat.experiments.fig8` (the columns are named in each docstring)
and returns the :class:`matplotlib.figure.Figure`; a missing column is a ``ValueError`` naming it.
"""

from __future__ import annotations

import numpy as np

from multirat.plotting import PALETTE, figure, key_line, legend_below

__all__ = ["LEARNING_STYLE", "fig8_figure", "forgetting_figure", "setting_titles"]

#: label, colour and line style of each way of learning
LEARNING_STYLE = {"continual": ("continual (scenario 2, Remark 2)", PALETTE[0], "-"),
                  "from_scratch": ("retrained from scratch every block", PALETTE[1], "--"),
                  "frozen": ("trained on the stationary network, frozen", "0.35", ":")}


def setting_titles(settings) -> dict:
    """``{setting: "$\\phi_n \\in \\{...\\}$"}`` from :func:`multirat.experiments.fig8.settings` (its block_phi)."""
    return {name: r"$\phi_n \in \{" + ", ".join(f"{p:g}" for p in s["block_phi"]) + r"\}$"
            for name, s in settings.items()}


def _require(df, columns, name):
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} lacks the columns {missing}; it has {list(df.columns)}")


def fig8_figure(curves, titles=None):
    """Block-end physical throughput against training episodes: one row per setting, one panel per Z_m.

    ``curves``: :func:`multirat.experiments.fig8.curves` (columns setting, z_m, learning, episode,
    mean_kbits, ci95_kbits); each way of learning is a line with its 95 % CI band over seeds. ``titles``:
    ``{setting: text}`` for the panel titles (:func:`setting_titles`); default the setting's name.
    """
    titles = titles or {}
    _require(curves, ["setting", "z_m", "learning", "episode", "mean_kbits", "ci95_kbits"], "curves")
    settings = [s for s in ("paper", "regime") if s in set(curves.setting)] or sorted(set(curves.setting))
    z_ms = sorted(curves.z_m.unique())
    fig, axes = figure(len(settings), len(z_ms), height_in=2.4 * len(settings) + 0.9, sharex=True, sharey="row",
                       squeeze=False)
    for i, setting in enumerate(settings):
        for j, z_m in enumerate(z_ms):
            ax = axes[i][j]
            sub = curves[(curves.setting == setting) & (curves.z_m == z_m)]
            for learning, (label, colour, ls) in LEARNING_STYLE.items():
                c = sub[sub.learning == learning].sort_values("episode")
                if c.empty:
                    continue
                half = np.nan_to_num(c.ci95_kbits.to_numpy(float))
                ax.plot(c.episode, c.mean_kbits, ls=ls, color=colour, lw=1.1, label=label)
                ax.fill_between(c.episode, c.mean_kbits - half, c.mean_kbits + half, color=colour, alpha=0.15, lw=0)
            ax.set_title(f"{titles.get(setting, setting)}, $Z_m$ = {z_m:g}", fontsize=9)
            if i == len(settings) - 1:
                ax.set_xlabel("training episode")
        axes[i][0].set_ylabel("physical throughput\n(kbit/frame)")
    handles = [key_line(color=c, ls=ls, label=label) for label, c, ls in LEARNING_STYLE.values()]
    legend_below(fig, handles, [h.get_label() for h in handles], ncol=2)
    return fig


def forgetting_figure(forget, titles=None):
    """What the final policy lost on the earlier blocks (block-end throughput then minus the final policy's
    now, on the same drops), per Z_m, one panel per setting, with 95 % CIs over seeds.

    ``forget``: :func:`multirat.experiments.fig8.forgetting` (columns setting, z_m, learning, mean_kbits,
    ci95_kbits). ``titles`` as in :func:`fig8_figure`.
    """
    titles = titles or {}
    _require(forget, ["setting", "z_m", "learning", "mean_kbits", "ci95_kbits"], "forget")
    settings = [s for s in ("paper", "regime") if s in set(forget.setting)] or sorted(set(forget.setting))
    fig, axes = figure(1, len(settings), height_in=3.0, sharey=True, squeeze=False)
    ways = [w for w in LEARNING_STYLE if w in set(forget.learning)]
    width = 0.8 / max(len(ways), 1)
    for ax, setting in zip(axes[0], settings):
        sub = forget[forget.setting == setting]
        z_ms = sorted(sub.z_m.unique())
        x = np.arange(len(z_ms))
        for k, learning in enumerate(ways):
            label, colour, _ = LEARNING_STYLE[learning]
            row = sub[sub.learning == learning].set_index("z_m").reindex(z_ms)
            ax.bar(x + (k - (len(ways) - 1) / 2) * width, row.mean_kbits, width, color=colour, alpha=0.8,
                   yerr=np.nan_to_num(row.ci95_kbits.to_numpy(float)), capsize=3, label=label)
        ax.axhline(0.0, color="0.3", lw=0.8)
        ax.set_xticks(x)
        ax.set_xticklabels([f"$Z_m$ = {z:g}" for z in z_ms])
        ax.set_title(titles.get(setting, setting), fontsize=9)
    axes[0][0].set_ylabel("forgotten on earlier blocks\n(kbit/frame, 95 % CI)")
    handles = [key_line(color=LEARNING_STYLE[w][1], lw=6, label=LEARNING_STYLE[w][0]) for w in ways]
    legend_below(fig, handles, [h.get_label() for h in handles], ncol=2)
    return fig
