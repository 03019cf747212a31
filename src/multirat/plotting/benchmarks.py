"""Chapter 11's figures: the learned policy against every benchmark (the paper's Fig. 7a-c), the decomposition
of its gain over MaxP-3GPP-MCS, and the gain over the HWI level.

Every function takes :func:`multirat.experiments.fig7.summary`'s table (one row per (K, N, sigma_rt), the
columns named in each docstring) and returns the :class:`matplotlib.figure.Figure`; a missing column or an
empty selection is a ``ValueError`` naming it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from multirat.plotting import PALETTE, figure, key_line, legend_below

__all__ = ["SCHEME_STYLE", "decomposition_figure", "optimum_figure", "scale_figure", "sigma_figure"]

#: column of the summary -> (label, colour, line style, marker)
SCHEME_STYLE = {
    "MADRL": ("MADRL, trained at each size (proposed)", PALETTE[0], "-", "o"),
    "deployed 20": ("MADRL trained at (4, 20), deployed", PALETTE[5], "--", "D"),
    "deployed 100": ("MADRL trained at (6, 100), deployed", PALETTE[4], "--", "v"),
    "ESA-FP": ("ESA-FP (the optimum's stand-in)", "k", "-", None),
    "ESA": ("ESA (optimum)", "0.3", ":", "x"),
    "genie MCS at P_max": ("genie MCS at $P_{max}$ (ours)", "0.55", "--", None),
    "OLLA (settled)": ("OLLA, settled offset (ours)", PALETTE[3], "-.", "^"),
    "OLLA": ("OLLA from 0 dB (ours)", PALETTE[3], ":", "^"),
    "MaxP-3GPP-MCS": ("MaxP-3GPP-MCS", PALETTE[2], "-", "s"),
    "RA": ("RA", PALETTE[1], "-", "P"),
}


def _style(column: str):
    """The style of a summary column; a deployed agent of another training size gets the deployed style."""
    if column in SCHEME_STYLE:
        return SCHEME_STYLE[column]
    return (f"MADRL trained at N = {column.split()[-1]}, deployed", PALETTE[5], "--", "D")


def _require(df, columns, name="summary"):
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} lacks the columns {missing}; it has {list(df.columns)}")


def _at(summary, sigma_rt: float):
    at = summary[np.isclose(summary.sigma_rt, sigma_rt)].sort_values(["N", "K"])
    if at.empty:
        raise ValueError(f"summary holds no row at sigma_rt = {sigma_rt}; it has {sorted(set(summary.sigma_rt))}")
    return at


def optimum_figure(summary, sizes, sigma_rt: float, paper_fraction: float | None = None):
    """The paper's Fig. 7a: at each (K, N) of ``sizes``, MADRL's mean with its 95 % CI beside ESA, ESA-FP and the
    genie line (bars, kbit/frame), and below it MADRL's and the genie's fractions of ESA-FP with the paper's
    fraction as a line.

    ``summary`` columns: K, N, sigma_rt, MADRL, MADRL_ci95, ESA, ESA-FP, genie MCS at P_max, of_esa_fp;
    ``paper_fraction`` in 0..1."""
    genie = "genie MCS at P_max"
    _require(summary, ["K", "N", "sigma_rt", "MADRL", "MADRL_ci95", "ESA", "ESA-FP", genie, "of_esa_fp"])
    at = _at(summary, sigma_rt).set_index(["K", "N"])
    missing = [kn for kn in sizes if kn not in at.index]
    if missing:
        raise ValueError(f"summary holds no row at (K, N) in {missing}")
    at = at.loc[list(sizes)]
    fig, (ax, ax2) = figure(2, 1, height_in=4.6, sharex=True, gridspec_kw={"height_ratios": (2.2, 1)})
    x = np.arange(len(at))
    for j, col in enumerate(("MADRL", "ESA", "ESA-FP", genie)):
        label, colour, _, _ = SCHEME_STYLE[col]
        err = at.MADRL_ci95.fillna(0).to_numpy() if col == "MADRL" else None
        ax.bar(x + (j - 1.5) * 0.2, at[col], width=0.19, color=colour, alpha=0.85 if col == "MADRL" else 0.6,
               yerr=err, capsize=3, label=label, hatch="//" if col == genie else None)
    ax.set(ylabel="physical throughput\n[kbit/frame]")
    ax2.plot(x, 100 * at.of_esa_fp, "o-", color=PALETTE[0], label="MADRL / ESA-FP (ours)")
    ax2.plot(x, 100 * at[genie] / at["ESA-FP"], "--", color=SCHEME_STYLE[genie][1], marker="x",
             label="genie / ESA-FP (ours)")
    if paper_fraction is not None:
        ax2.axhline(100 * paper_fraction, color="k", ls="--", lw=1.2, label="the paper's Fig. 7a")
    ax2.set(ylabel="% of ESA-FP", ylim=(0, 108), xlabel="(K, N)")
    ax2.set_xticks(x, [f"({k}, {n})" for k, n in at.index])
    legend_below(fig, ncol=2)
    return fig


def scale_figure(summary, sigmas, paper: Mapping | None = None, schemes=None):
    """The paper's Fig. 7b-c: sum throughput (log scale) by network size, one panel per sigma_rt in ``sigmas``;
    every scheme of ``schemes`` (summary columns, default: those of :data:`SCHEME_STYLE` present) as a line,
    the learned ones with their 95 % CI (``<scheme>_ci95``). ``paper``: ``{(sigma_rt, K, N): kbit/frame}``
    (points the paper's text implies, drawn as stars)."""
    _require(summary, ["K", "N", "sigma_rt"])
    deployed = [c for c in summary.columns if c.startswith("deployed ") and not c.endswith("_ci95")]
    schemes = [s for s in (schemes or [*SCHEME_STYLE, *deployed]) if s in summary.columns]
    schemes = list(dict.fromkeys(schemes))
    sizes = sorted(set(zip(summary.K, summary.N)), key=lambda kn: (kn[1], kn[0]))
    x = {kn: i for i, kn in enumerate(sizes)}
    fig, axes = figure(len(sigmas), 1, height_in=2.9 * len(sigmas) + 0.9, sharex=True, squeeze=False)
    for ax, sigma in zip(axes[:, 0], sigmas):
        at = _at(summary, sigma)
        for s in schemes:
            label, colour, ls, marker = _style(s)
            ok = at[s].notna()
            if not ok.any():
                continue
            xs = [x[kn] for kn in zip(at.K[ok], at.N[ok])]
            err = at[f"{s}_ci95"][ok].fillna(0) if f"{s}_ci95" in at.columns else None
            ax.errorbar(xs, at[s][ok], yerr=err, color=colour, ls=ls, marker=marker, ms=4, capsize=2, label=label)
        for (sig, k, n), v in (paper or {}).items():
            if np.isclose(sig, sigma) and (k, n) in x:
                ax.plot(x[(k, n)], v, "*", ms=12, color=PALETTE[0], mec="k", mew=0.6, zorder=5)
        ax.set(yscale="log", ylabel="throughput [kbit/frame]", title=f"$\\sigma_{{rt}}$ = {sigma:g}")
    ax.set_xticks(range(len(sizes)), [f"({k}, {n})" for k, n in sizes])
    ax.set_xlabel("(K, N)")
    handles = [key_line(label=_style(s)[0], color=_style(s)[1], ls=_style(s)[2], marker=_style(s)[3], ms=4)
               for s in schemes if summary[s].notna().any()]
    if paper:
        handles.append(key_line(label="MADRL implied by the paper's text", color=PALETTE[0], marker="*", ms=10,
                                mec="k", ls="none"))
    legend_below(fig, handles, [h.get_label() for h in handles], ncol=2)
    return fig


def decomposition_figure(summary, sigmas):
    """Where the room above MaxP-3GPP-MCS is, per network size: stacked bars of MaxP-3GPP-MCS, the link
    adaptation headroom (genie - MaxP) and the power control headroom (ESA-FP - genie), all relative to
    MaxP-3GPP-MCS (%), with MADRL's gain (and its CI) as a point; one panel per sigma_rt.

    ``summary`` columns: K, N, sigma_rt, MaxP-3GPP-MCS, la_headroom_kbits, pc_headroom_kbits, MADRL, MADRL_ci95."""
    _require(summary, ["K", "N", "sigma_rt", "MaxP-3GPP-MCS", "la_headroom_kbits", "pc_headroom_kbits", "MADRL",
                       "MADRL_ci95"])
    fig, axes = figure(1, len(sigmas), height_in=3.4, sharey=True, squeeze=False)
    for ax, sigma in zip(axes[0], sigmas):
        at = _at(summary, sigma)
        at = at[at["ESA-FP"].notna()]
        x = np.arange(len(at))
        base = at["MaxP-3GPP-MCS"].to_numpy()
        la = 100 * at.la_headroom_kbits.to_numpy() / base
        pc = 100 * at.pc_headroom_kbits.to_numpy() / base
        ax.bar(x, la, color="0.7", label="link adaptation at $P_{max}$ (genie - MaxP)")
        ax.bar(x, pc, bottom=la, color=PALETTE[4], label="power control (ESA-FP - genie)")
        gain = 100 * (at.MADRL.to_numpy() / base - 1)
        ax.errorbar(x, gain, yerr=100 * at.MADRL_ci95.fillna(0).to_numpy() / base, fmt="o", color=PALETTE[0],
                    capsize=3, label="MADRL (proposed)")
        ax.axhline(0, color="k", lw=0.8)
        ax.set_xticks(x, [f"({k},{n})" for k, n in zip(at.K, at.N)], rotation=45)
        ax.set(title=f"$\\sigma_{{rt}}$ = {sigma:g}", xlabel="(K, N)")
    axes[0, 0].set_ylabel("gain over MaxP-3GPP-MCS [%]")
    legend_below(fig, ncol=3)
    return fig


def sigma_figure(summary, k: int, n: int, paper: Mapping | None = None):
    """The gain over MaxP-3GPP-MCS (%) against sigma_rt at (K, N) = (``k``, ``n``): MADRL with its CI, the genie
    line and ESA-FP; ``paper``: ``{sigma_rt or label: gain %}`` drawn as horizontal reference lines labelled
    by key (the paper never states its high sigma_rt)."""
    _require(summary, ["K", "N", "sigma_rt", "MaxP-3GPP-MCS", "MADRL", "MADRL_ci95", "ESA-FP", "genie MCS at P_max"])
    at = summary[(summary.K == k) & (summary.N == n)].sort_values("sigma_rt")
    if at.empty:
        raise ValueError(f"summary holds no row at (K, N) = ({k}, {n})")
    fig, ax = figure(height_in=3.2)
    base = at["MaxP-3GPP-MCS"]
    ax.errorbar(at.sigma_rt, 100 * (at.MADRL / base - 1), yerr=100 * at.MADRL_ci95.fillna(0) / base, marker="o",
                color=PALETTE[0], capsize=3, label="MADRL (proposed)")
    for col in ("ESA-FP", "genie MCS at P_max", "OLLA (settled)"):
        if col in at.columns:
            label, colour, ls, marker = SCHEME_STYLE[col]
            ax.plot(at.sigma_rt, 100 * (at[col] / base - 1), color=colour, ls=ls, marker=marker, ms=4, label=label)
    for j, (label, v) in enumerate((paper or {}).items()):
        ax.axhline(v, color="k", ls=("--", ":")[j % 2], lw=1.0, label=label)
    ax.axhline(0, color="k", lw=0.6)
    ax.set(xlabel="$\\sigma_{rt}$", ylabel="gain over MaxP-3GPP-MCS [%]", xticks=list(at.sigma_rt))
    legend_below(fig, ncol=2)
    return fig
