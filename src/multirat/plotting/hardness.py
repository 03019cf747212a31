"""Figures of chapter 6 (NP-hardness and the cost of exhaustive search).

Each function takes the arrays the chapter computed with the library (``multirat.link``,
``multirat.cqi``, ``multirat.experiments.esa_cost``, ``multirat.coupling``) and returns the
:class:`matplotlib.figure.Figure`; none of them computes a model quantity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from multirat.plotting import PALETTE, figure, legend_below
from multirat.plotting._checks import matrix, vector

__all__ = ["landscape_figure", "mcs_choice_figure", "search_cost_figure"]


_LINESTYLES = ("-", "--", ":", "-.")


def mcs_choice_figure(sinr_db, r_star_bits, chosen_bits: Mapping[str, np.ndarray]):
    """One link's throughput at the best pair of Eq. (17) and at the pairs a CQI mapping picks.

    Left: throughput (kbit/frame) against the SINR; right: each mapping's throughput as a fraction
    of the best pair's, :math:`R/R^\\star`. One legend below both panels.

    Args:
        sinr_db: ``[S]`` SINR grid (dB).
        r_star_bits: ``[S]`` best-MCS envelope :math:`R^\\star` (bit/frame) on that grid.
        chosen_bits: label -> ``[S]`` throughput (bit/frame) of the pair the mapping picks, e.g.
            one entry per CQI threshold set.

    Returns:
        The figure (two axes side by side, column width).

    Raises:
        ValueError: ``chosen_bits`` empty, or an array whose shape differs from ``sinr_db``'s.
    """
    s_db = vector(sinr_db, "sinr_db")
    r_star = vector(r_star_bits, "r_star_bits", like=s_db, like_name="sinr_db")
    if not chosen_bits:
        raise ValueError("chosen_bits is empty: give at least one mapping's throughput")
    fig, (ax_rate, ax_ratio) = figure(1, 2, height_in=3.3)
    ax_rate.plot(s_db, r_star / 1e3, color=PALETTE[0], lw=2.2, label=r"best pair of Eq. (17), $R^\star$")
    for k, (label, rate) in enumerate(chosen_bits.items()):
        rate = vector(rate, f"chosen_bits[{label!r}]", like=s_db, like_name="sinr_db")
        style = {"color": PALETTE[1 + k % (len(PALETTE) - 1)], "ls": _LINESTYLES[k % len(_LINESTYLES)]}
        ax_rate.plot(s_db, rate / 1e3, label=label, **style)
        ax_ratio.plot(s_db, rate / np.maximum(r_star, 1e-300), **style)
    ax_rate.set(xlabel="SINR (dB)", ylabel="throughput of one link (kbit/frame)",
                title="Eq. (15) at the chosen pair")
    ax_ratio.set(xlabel="SINR (dB)", ylabel=r"chosen pair / $R^\star$", ylim=(0, 1.05),
                 title="fraction of the best pair")
    legend_below(fig, ncol=1)
    return fig


def search_cost_figure(measured: Mapping[str, tuple], extrapolated: Mapping[str, tuple],
                       marks_s: Sequence[tuple[float, str]] = ((1.0, "1 s"), (60.0, "1 min")),
                       ylim_s: tuple[float, float] = (1e-4, 1e8)):
    """Run time of exhaustive searches against the number of links, measured and extrapolated (log y).

    Args:
        measured: search name -> ``(n_links [M], seconds [M])`` timed runs.
        extrapolated: search name -> ``(n_links [L], seconds [L])`` predicted run times; the same
            names as ``measured``.
        marks_s: horizontal reference lines ``(seconds, label)``.
        ylim_s: y-axis range (s).

    Returns:
        The figure (one axes, legend below it).

    Raises:
        ValueError: no search, different names in the two mappings, or ``n_links`` and ``seconds``
            of different shapes.
    """
    if not measured:
        raise ValueError("measured is empty: give at least one search")
    if set(measured) != set(extrapolated):
        raise ValueError(f"measured and extrapolated name different searches: {sorted(measured)} vs "
                         f"{sorted(extrapolated)}")
    fig, ax = figure(1, 1, height_in=3.4)
    n_max = 1
    for k, name in enumerate(measured):
        color, marker = PALETTE[k % len(PALETTE)], "os^Dv"[k % 5]
        for what, (n, sec) in (("measured", measured[name]), ("extrapolated", extrapolated[name])):
            n = vector(n, f"{what}[{name!r}] n_links")
            sec = vector(sec, f"{what}[{name!r}] seconds", like=n, like_name="its n_links")
            n_max = max(n_max, int(n.max()))
            if what == "measured":
                ax.semilogy(n, sec, marker=marker, ls="none", color=color, label=f"{name}, measured")
            else:
                ax.semilogy(n, sec, ls="--", color=color, alpha=0.7, label=f"{name}, extrapolated")
    for y, text in marks_s:
        ax.axhline(y, color="0.4", lw=0.8)
        ax.text(n_max, y * 1.15, text, ha="right", va="bottom", color="0.3")
    ax.set(xlabel="number of links $N$", ylabel="run time of one TS (s)", xticks=range(1, n_max + 1),
           ylim=ylim_s)
    legend_below(fig, ncol=2)
    return fig


def landscape_figure(p_dbm, sum_rate_kbits: Mapping[str, np.ndarray], esa_dbm: Mapping[str, np.ndarray],
                     levels_dbm):
    """Sum throughput of two links against their transmit powers, one panel per case.

    Each panel shows the landscape as a colour map with its colour bar, the power pairs of the
    Eq. (25) grid (white dots), the best pair of the fine grid (star) and the ESA optimum on the
    Eq. (25) grid (cross); one legend below the panels. Two cases sit side by side.

    Args:
        p_dbm: ``[G]`` power grid of both axes (dBm).
        sum_rate_kbits: panel title -> ``[G, G]`` sum throughput (kbit/frame), index ``[i, j]`` at
            ``(P_1, P_2) = (p_dbm[i], p_dbm[j])``.
        esa_dbm: panel title -> ``[2]`` the ESA power pair (dBm); the same titles.
        levels_dbm: ``[L]`` the power levels of Eq. (25) (dBm).

    Returns:
        The figure (one axes and one colour bar per case).

    Raises:
        ValueError: no case, more than two, titles that differ between the mappings, or a
            landscape not of shape ``[G, G]`` / an ESA pair not of shape ``[2]``.
    """
    p = vector(p_dbm, "p_dbm")
    levels = vector(levels_dbm, "levels_dbm")
    if not sum_rate_kbits or len(sum_rate_kbits) > 2:
        raise ValueError(f"sum_rate_kbits must hold one or two cases, got {len(sum_rate_kbits)}")
    if set(sum_rate_kbits) != set(esa_dbm):
        raise ValueError(f"sum_rate_kbits and esa_dbm name different cases: {sorted(sum_rate_kbits)} vs "
                         f"{sorted(esa_dbm)}")
    fig, axes = figure(1, len(sum_rate_kbits), height_in=3.5, squeeze=False)
    lx, ly = np.meshgrid(levels, levels, indexing="ij")
    pad = 0.6                                          # dB, so that markers on the border stay visible
    for ax, (title, z) in zip(axes[0], sum_rate_kbits.items()):
        z = matrix(z, f"sum_rate_kbits[{title!r}]", (p.size, p.size), meaning="[len(p_dbm), len(p_dbm)]")
        esa = vector(esa_dbm[title], f"esa_dbm[{title!r}]", like=2, like_name="the pair (P_1, P_2)")
        mesh = ax.pcolormesh(p, p, z.T, shading="auto", cmap="viridis")
        fig.colorbar(mesh, ax=ax, label="sum throughput (kbit/frame)")
        ax.scatter(lx.ravel(), ly.ravel(), s=24, facecolor="white", edgecolor="black", label="Eq. (25) grid")
        i, j = np.unravel_index(np.argmax(z), z.shape)
        ax.plot(p[i], p[j], marker="*", ms=14, color=PALETTE[1], mec="black", ls="none",
                label="best pair on the fine grid")
        ax.plot(*esa, marker="X", ms=10, color=PALETTE[3], mec="black", ls="none", label="ESA on Eq. (25)")
        ax.set(xlabel="$P_1$ (dBm)", ylabel="$P_2$ (dBm)", title=title, xlim=(p[0] - pad, p[-1] + pad),
               ylim=(p[0] - pad, p[-1] + pad), aspect="equal")
        ax.grid(False)
    legend_below(fig)
    return fig
