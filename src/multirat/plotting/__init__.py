"""One figure style for every chapter, and the chapters' long plotting code.

Every chapter calls :func:`use_style` once. It sets seaborn's ``whitegrid`` theme with the book's
palette, sizes fonts for the book's text column, and makes the notebook emit *retina* PNGs: the
image has twice the pixels (192 dpi) of its displayed size, so text stays sharp, and the page shows
it at :data:`COLUMN_WIDTH_IN` inches (96 CSS px per inch), the width of the text column, without
scaling. A figure never needs to be wider than :data:`COLUMN_WIDTH_IN`; multi-panel figures stack
panels or share one legend below the axes (:func:`legend_below`), never over the data.

The chapter-specific figures live in submodules by topic (``plotting.channel`` for chapters 1-2,
``plotting.link``, ``plotting.sinr``, ``plotting.game``, ``plotting.hardness``,
``plotting.overhead``); each function takes the numbers a chapter computed and returns the
:class:`matplotlib.figure.Figure`, so the page shows the computation and hides the drawing. They
share the helpers here (:func:`figure`, the legends :func:`legend_below` and :func:`axes_legend`,
legend keys :func:`key_line`) and the input checks of the private ``plotting._checks``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["COLUMN_WIDTH_IN", "DISPLAY_DPI", "PALETTE", "RENDER_DPI", "axes_legend", "figure", "key_line",
           "legend_below", "use_style"]

#: Colours by role, reused across chapters (LoS/NLoS, twin/physical, schemes ...).
PALETTE = ("#1b6ca8", "#d1495b", "#66a182", "#edae49", "#8d6a9f", "#00798c", "#30343f")

#: Width of the book's text column in inches at :data:`DISPLAY_DPI` (sphinx-book-theme shows about
#: 730 CSS px of text at a desktop window width); the widest a figure may be.
COLUMN_WIDTH_IN = 7.2

#: CSS pixels per inch: the size at which the page displays a figure.
DISPLAY_DPI = 96

#: Pixels per inch of the stored PNG (retina: twice :data:`DISPLAY_DPI`).
RENDER_DPI = 2 * DISPLAY_DPI


def use_style() -> None:
    """Set the book's figure style: seaborn ``whitegrid``, the palette, fonts for the column, retina PNG.

    Safe to call outside IPython (then only the matplotlib settings change). Raises nothing.
    """
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="paper", palette=list(PALETTE))
    mpl.rcParams.update({
        "figure.figsize": (COLUMN_WIDTH_IN, 3.6),
        "figure.dpi": DISPLAY_DPI,
        "savefig.dpi": RENDER_DPI,
        "font.size": 10,
        "axes.titlesize": 10,
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "legend.title_fontsize": 9,
        "legend.framealpha": 0.95,
        "lines.linewidth": 1.6,
        "figure.constrained_layout.use": True,
        # the notebook saves with bbox_inches="tight"; no extra margin, so a 7.2 in figure stays 7.2 in
        # (constrained layout already keeps a small pad inside the figure)
        "savefig.pad_inches": 0.0,
        "svg.hashsalt": "multirat",            # deterministic ids should anyone save SVG
    })
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:                        # pragma: no cover - IPython ships with the book's dependencies
        return
    if get_ipython() is not None:
        set_matplotlib_formats("retina")


def figure(nrows: int = 1, ncols: int = 1, *, height_in: float = 3.6, width_in: float = COLUMN_WIDTH_IN,
           **subplot_kw: Any):
    """``plt.subplots`` at the column width: returns ``(fig, axes)`` like :func:`matplotlib.pyplot.subplots`.

    Raises:
        ValueError: ``width_in`` wider than :data:`COLUMN_WIDTH_IN` (the page would shrink the figure
            and its text) or a non-positive size.
    """
    import matplotlib.pyplot as plt

    if not (0 < width_in <= COLUMN_WIDTH_IN):
        raise ValueError(f"width_in={width_in!r}: must be in (0, {COLUMN_WIDTH_IN}] inches, the text column")
    if not (0 < height_in <= 12):
        raise ValueError(f"height_in={height_in!r}: must be in (0, 12] inches")
    return plt.subplots(nrows, ncols, figsize=(width_in, height_in), **subplot_kw)


def legend_below(fig, handles=None, labels=None, *, ncol: int | None = None, **kwargs: Any):
    """One legend for the whole figure, centred below the axes, so it never covers data.

    Collects handles from every axes of ``fig`` (first occurrence of each label) unless given.
    Requires constrained layout (set by :func:`use_style`). Returns the legend.
    """
    if handles is None:
        seen: dict[str, Any] = {}
        for ax in fig.axes:
            for h, lab in zip(*ax.get_legend_handles_labels()):
                if not lab.startswith("_") and lab not in seen:
                    seen[lab] = h
        handles, labels = list(seen.values()), list(seen.keys())
    if ncol is None:
        ncol = min(len(handles), 4) or 1
    return fig.legend(handles, labels, loc="outside lower center", ncol=ncol, frameon=False, **kwargs)


def axes_legend(ax, *, side: str = "right", ncol: int = 1):
    """The legend of one axes, outside its plotting area, so it never covers data.

    For a figure whose panels need legends of their own; a legend shared by all panels goes below
    them with :func:`legend_below`. Constrained layout (set by :func:`use_style`) makes room.

    Args:
        ax: the axes; its labelled artists make the legend.
        side: ``"right"``, top-aligned to the right of the axes, or ``"below"``, centred under the
            x-axis label.
        ncol: number of legend columns.

    Returns:
        The legend.

    Raises:
        ValueError: ``side`` neither ``"right"`` nor ``"below"``.
    """
    if side == "right":
        return ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, ncol=ncol, frameon=False)
    if side == "below":
        return ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=ncol, frameon=False)
    raise ValueError(f"side={side!r}: must be 'right' or 'below'")


def key_line(**kwargs: Any):
    """A line that is drawn nowhere, as a legend key: ``Line2D([], [], **kwargs)``.

    For legends that explain a style (a colour, a line style, a marker) rather than one curve; pass
    ``label=`` to let :func:`legend_below` or ``Axes.legend`` read it, or give the labels separately.
    """
    from matplotlib.lines import Line2D

    return Line2D([], [], **kwargs)
