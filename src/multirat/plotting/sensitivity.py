"""Chapter 14's figures: tornado plots of how far each reading of the paper moves a headline quantity, and the
readings' distances to the paper's claims.

Both take long tables (one row per reading and quantity) and return the :class:`matplotlib.figure.Figure`; a
missing column or quantity is a ``ValueError`` naming it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from multirat.plotting import PALETTE, figure, legend_below

__all__ = ["distance_figure", "tornado_figure"]


def _require(table, columns):
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks the columns {missing}; it has {list(table.columns)}")


def tornado_figure(table, quantities: Sequence[str], paper: Mapping | None = None, *, ncols: int = 2):
    """One tornado panel per quantity: for every reading, a bar from the default reading's value to the
    reading's, the readings sorted by how far they move it (the largest on top), with the reading's 95 % CI
    where ``ci95`` is finite, a vertical line at the default and, where ``paper`` ({quantity: value}) has one,
    a dashed line at the paper's value.

    ``table``: columns ``quantity``, ``reading`` (a label; the default's is ``"default"``), ``value`` and
    ``ci95``; readings with a NaN value for a quantity are left out of its panel.
    """
    _require(table, ("quantity", "reading", "value", "ci95"))
    absent = [q for q in quantities if q not in set(table.quantity)]
    if absent:
        raise ValueError(f"table holds no rows of the quantities {absent}")
    paper = paper or {}
    nrows = int(np.ceil(len(quantities) / ncols))
    most = max(int(table[table.quantity == q].value.notna().sum()) for q in quantities)
    fig, axes = figure(nrows, ncols, height_in=min(12.0, 0.6 + nrows * (0.8 + 0.2 * most)), width_in=6.6,
                       squeeze=False)
    for ax, q in zip(axes.flat, quantities):
        rows = table[(table.quantity == q) & table.value.notna()]
        ref = rows[rows.reading == "default"]
        if ref.empty:
            raise ValueError(f"quantity {q!r} has no value for the 'default' reading")
        base = float(ref.value.iloc[0])
        rows = rows[rows.reading != "default"].assign(move=lambda t: (t.value - base).abs()).sort_values("move")
        y = np.arange(len(rows))
        colour = [PALETTE[1] if v < base else PALETTE[0] for v in rows.value]
        ax.barh(y, rows.value - base, left=base, color=colour, height=0.6)
        ci = rows.ci95.to_numpy(float)
        has = np.isfinite(ci)
        ax.errorbar(rows.value.to_numpy(float)[has], y[has], xerr=ci[has], fmt="none", ecolor="k", capsize=2, lw=0.8)
        ax.axvline(base, color="k", lw=1.0)
        if q in paper:
            ax.axvline(paper[q], color=PALETTE[3], ls="--", lw=1.4)
        ax.set_yticks(y, rows.reading, fontsize=7)
        ax.set_title(q, fontsize=8.5)
        ax.tick_params(axis="x", labelsize=7.5)
    for ax in list(axes.flat)[len(quantities):]:
        ax.set_visible(False)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Line2D([], [], color="k", lw=1.0), Patch(color=PALETTE[0]), Patch(color=PALETTE[1]),
               Line2D([], [], color=PALETTE[3], ls="--", lw=1.4)]
    legend_below(fig, handles, ["the book's defaults", "reading raises it", "reading lowers it", "the paper's value"],
                 ncol=2)
    return fig


def distance_figure(table, top: int = 12):
    """The readings' distances to the paper's claims (RMS log ratio), the ``top`` closest, one bar group per
    reading: one bar per stand-in of the learned policy (``table``: columns ``reading``, ``stand_in``,
    ``distance``), sorted by the first stand-in's distance, the closest on top."""
    _require(table, ("reading", "stand_in", "distance"))
    stands = list(dict.fromkeys(table.stand_in))
    order = (table[table.stand_in == stands[0]].sort_values("distance").reading.head(top).tolist())[::-1]
    fig, ax = figure(height_in=min(12.0, 1.2 + 0.32 * len(order)))
    width = 0.8 / len(stands)
    for i, s in enumerate(stands):
        d = table[table.stand_in == s].set_index("reading").reindex(order).distance
        ax.barh(np.arange(len(order)) + (i - (len(stands) - 1) / 2) * width, d, height=width, color=PALETTE[i],
                label=s)
    ax.set_yticks(np.arange(len(order)), order, fontsize=7)
    ax.set_xlabel("RMS of ln(ours / the paper's) over the throughput claims")
    legend_below(fig, ncol=len(stands))
    return fig
