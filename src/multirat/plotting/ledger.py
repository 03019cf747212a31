"""Chapter 15's figure: every claim of the paper against our value, on log-log axes, coloured by its status.

The claims span kbit/frame, per cent, milliseconds and counts, so the axes are logarithmic and each point is one
claim in its own unit: on the identity line ours equals the paper's.
"""

from __future__ import annotations

import numpy as np

from multirat.plotting import PALETTE, figure, legend_below

__all__ = ["GROUPS", "STATUS_COLOURS", "ledger_figure", "plotted_rows", "status_counts"]

#: The colour of each status (:data:`multirat.ledger.STATUSES` and ``not measured``).
STATUS_COLOURS = {"reproduced": PALETTE[2], "same direction": PALETTE[3], "not reproduced": PALETTE[1],
                  "not reproducible": PALETTE[4], "not measured": PALETTE[6]}

#: The marker of each kind of claim (:data:`multirat.ledger.KINDS`).
KIND_MARKERS = {"level": "o", "effect": "D", "count": "s", "time": "^", "selection": "P"}


#: The claims' groups in the summary counts: a label and the ``source`` values of ``data/paper_claims.csv`` in it.
GROUPS = {"Fig. 5 (training, ch. 8)": ("Fig. 5a", "Fig. 5b", "Fig. 5c", "Fig. 5d"),
          "Fig. 6 (ch. 9-10)": ("Fig. 6b", "Fig. 6c"),
          "Fig. 7 (ch. 11)": ("Fig. 7a", "Fig. 7b", "Fig. 7c"),
          "Table 4, Sec. VI-H (times, ch. 12)": ("Table 4", "Sec. VI-H"),
          "Secs. VI-E, VI-G (counts, ch. 6, 9)": ("Sec. VI-E", "Sec. VI-G"),
          "Conclusion, Contributions": ("Conclusion", "Sec. I-B (Contributions)")}


def status_counts(table):
    """The number of claims of each status (columns, in :data:`STATUS_COLOURS`'s order, those present) in each
    group of :data:`GROUPS` (rows) and in all, from a ledger ``table`` (columns ``source``, ``status``).
    ``ValueError`` naming a source no group holds."""
    import pandas as pd

    group_of = {src: g for g, sources in GROUPS.items() for src in sources}
    unknown = sorted(set(table.source) - set(group_of))
    if unknown:
        raise ValueError(f"table holds sources {unknown} that no group of GROUPS holds")
    statuses = [s for s in STATUS_COLOURS if s in set(table.status)]
    counts = (pd.crosstab(table.source.map(group_of), table.status).reindex(index=list(GROUPS), columns=statuses)
              .fillna(0).astype(int))
    counts.loc["all"] = counts.sum()
    counts["all"] = counts.sum(axis=1)
    return counts.rename_axis(index="claims", columns=None).reset_index()


def plotted_rows(table):
    """The rows of the ledger ``table`` the figure can place: a positive paper value and a finite positive ``ours``
    (a loss where the paper has a gain, a NaN for an unmeasured claim and a selection have no place on log axes).
    Returns ``(placed, left_out)``, two DataFrames."""
    ok = (table.paper > 0) & np.isfinite(table.ours) & (table.ours > 0) & (table.kind != "selection")
    return table[ok], table[~ok]


def _panel(ax, placed, lo: float, hi: float) -> None:
    """One log-log panel of ``placed`` rows on [lo, hi] (both axes)."""
    line = np.array([lo, hi])
    ax.plot(line, line, color="k", lw=0.9, zorder=1)
    ax.fill_between(line, line / 2, line * 2, color="0.85", alpha=0.5, lw=0, zorder=0)
    for status, colour in STATUS_COLOURS.items():
        for kind, marker in KIND_MARKERS.items():
            rows = placed[(placed.status == status) & (placed.kind == kind)]
            if rows.empty:
                continue
            x, y, ci = (rows[c].to_numpy(float) for c in ("paper", "ours", "ci95"))
            has = np.isfinite(ci)
            low = np.where(y - ci > lo, y - ci, lo)
            ax.vlines(x[has], low[has], (y + ci)[has], color=colour, lw=1.0, zorder=2)
            ax.scatter(x, y, color=colour, marker=marker, s=28, edgecolor="k", linewidth=0.4, zorder=3)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_box_aspect(1)
    ax.set_xlabel("the paper's value (its own unit)")


def ledger_figure(table, zoom: tuple[float, float] | None = (5.0, 500.0)):
    """Ours against the paper's for every claim of the ledger ``table`` (:func:`multirat.ledger.ledger_table`'s
    columns ``paper``, ``ours``, ``ci95``, ``kind``, ``status``) that :func:`plotted_rows` can place: the
    identity line, the factor-2 band, our 95 % CI as a vertical bar (clipped at the axis floor where it crosses
    zero), the colour the status (:data:`STATUS_COLOURS`) and the marker the kind (:data:`KIND_MARKERS`). The
    left panel holds every placed claim; a right panel (unless ``zoom`` is ``None``) repeats the range ``zoom``
    = (low, high) of both axes, where the throughput and gain claims crowd.

    Returns the figure; ``ValueError`` for a missing column, an unknown status or kind, no plottable row, or a
    ``zoom`` that is not 0 < low < high.
    """
    needed = ("paper", "ours", "ci95", "kind", "status")
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks the columns {missing}; it has {list(table.columns)}")
    for col, known in (("status", STATUS_COLOURS), ("kind", KIND_MARKERS)):
        unknown = sorted(set(table[col]) - set(known))
        if unknown:
            raise ValueError(f"table's {col} holds {unknown}: allowed {list(known)}")
    if zoom is not None and not (len(zoom) == 2 and 0 < zoom[0] < zoom[1]):
        raise ValueError(f"zoom={zoom!r} must be None or (low, high) with 0 < low < high")
    placed, _ = plotted_rows(table)
    if placed.empty:
        raise ValueError("no claim has a positive paper value and a positive value of ours to plot")
    values = np.concatenate([placed.paper.to_numpy(float), placed.ours.to_numpy(float)])
    lo, hi = 10 ** np.floor(np.log10(values.min()) - 0.3), 10 ** np.ceil(np.log10(values.max()) + 0.3)
    fig, axes = figure(1, 1 if zoom is None else 2, height_in=4.3, squeeze=False)
    _panel(axes[0, 0], placed, lo, hi)
    axes[0, 0].set_ylabel("ours (same unit)")
    if zoom is not None:
        _panel(axes[0, 1], placed, *zoom)
        axes[0, 1].set_title(f"the range {zoom[0]:g}-{zoom[1]:g}", fontsize=9)
        axes[0, 0].set_title("every claim with a positive value", fontsize=9)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    present = [s for s in STATUS_COLOURS if s in set(placed.status)]
    kinds = [k for k in KIND_MARKERS if k in set(placed.kind)]
    handles = [Patch(color=STATUS_COLOURS[s]) for s in present]
    handles += [Line2D([], [], ls="", marker=KIND_MARKERS[k], color="0.5", markeredgecolor="k") for k in kinds]
    handles += [Line2D([], [], color="k", lw=0.9), Patch(color="0.85")]
    legend_below(fig, handles, [*present, *(f"kind: {k}" for k in kinds), "ours = the paper's", "within a factor 2"],
                 ncol=4)
    return fig
