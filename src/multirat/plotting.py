"""One figure style for every chapter (seaborn), so the book looks like one book."""

from __future__ import annotations

__all__ = ["use_style", "PALETTE"]

#: Colours by role, reused across chapters (LoS/NLoS, twin/physical, schemes ...).
PALETTE = ("#1b6ca8", "#d1495b", "#66a182", "#edae49", "#8d6a9f", "#00798c", "#30343f")


def use_style() -> None:
    """Seaborn 'whitegrid' with the book's palette, compact fonts and PNG output at 100 dpi."""
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook", palette=list(PALETTE))
    mpl.rcParams.update({
        "figure.figsize": (7.0, 4.0),
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "legend.fontsize": 9,
        "figure.constrained_layout.use": True,
    })
