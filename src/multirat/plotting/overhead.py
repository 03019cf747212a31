"""Figures of chapter 7 (signaling overhead).

Each function takes the counts the chapter computed with :mod:`multirat.overhead` (exchange counts
are unitless; reductions are fractions and are drawn in percent) and returns the
:class:`matplotlib.figure.Figure`; none of them computes a count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

from multirat.overhead import OverheadReduction, OverheadTerms
from multirat.plotting import PALETTE, axes_legend, figure, legend_below
from multirat.plotting._checks import vector

__all__ = ["SizeSweep", "interaction_period_figure", "network_size_figure", "reduction_vs_td_figure"]


_PHYSICAL, _AIR, _FLOOR, _TWIN, _TOTAL, _OTHER_TD = PALETTE[6], PALETTE[0], PALETTE[3], PALETTE[2], PALETTE[1], PALETTE[4]
_TD_STYLES = ("-", "-.", ":", "--")


def interaction_period_figure(z_k, physical_only, printed: OverheadTerms, floor: OverheadTerms,
                              reduction: OverheadReduction, reduction_floor: OverheadReduction,
                              total_reduction_by_td: Mapping[int, np.ndarray], *, t_d: int,
                              paper_z_k: Sequence[int] = (), title: str = ""):
    """Exchanges of a training run and their reductions against the interaction period :math:`Z_k`.

    Left (log-log): physical-only training, the over-the-air term of Eq. (38) as printed and with
    :math:`\\lfloor Z/Z_k \\rfloor` physical episodes, the twin-internal term (omitted at
    :math:`Z_k = 1`, where it is 0) and Eq. (38)'s total. Right: :math:`\\Delta_{air}` (both
    variants) and :math:`\\Delta_{total}` at the chapter's :math:`T_D` and at the other values
    given, in percent. Dots mark ``paper_z_k``. Each panel has its legend below it.

    Args:
        z_k: ``[Z]`` interaction periods (episodes), increasing.
        physical_only: :math:`O_{phy}` (scalar, exchanges).
        printed, floor: Eq. (38) and Eq. (38') on ``z_k``, fields ``[Z]``.
        reduction, reduction_floor: their reductions (fractions), fields ``[Z]``; ``reduction.total``
            is drawn as the :math:`T_D` = ``t_d`` curve.
        total_reduction_by_td: other :math:`T_D` -> ``[Z]`` :math:`\\Delta_{total}` (fractions).
        t_d: the :math:`T_D` of ``printed``/``reduction`` (for the labels).
        paper_z_k: periods to mark with dots (those in ``z_k``).
        title: title of the left panel.

    Returns:
        The figure (two axes side by side).

    Raises:
        ValueError: an array whose shape differs from ``z_k``'s, or a non-scalar ``physical_only``.
    """
    zk = vector(z_k, "z_k")
    if np.ndim(physical_only) != 0:
        raise ValueError(f"physical_only must be a scalar, got shape {np.shape(physical_only)}")
    series = {}
    for name, obj in (("printed", printed), ("floor", floor)):
        for field in ("over_the_air", "dt_internal", "total"):
            series[f"{name}.{field}"] = vector(getattr(obj, field), f"{name}.{field}", like=zk, like_name="z_k")
    for name, obj in (("reduction", reduction), ("reduction_floor", reduction_floor)):
        for field in ("over_the_air", "total"):
            series[f"{name}.{field}"] = 100 * vector(getattr(obj, field), f"{name}.{field}", like=zk,
                                                     like_name="z_k")
    others = {td: 100 * vector(r, f"total_reduction_by_td[{td!r}]", like=zk, like_name="z_k")
              for td, r in total_reduction_by_td.items()}
    marked = np.isin(zk, paper_z_k)
    positive = zk > 1

    fig, (ax, axr) = figure(1, 2, height_in=4.6)
    ax.axhline(float(physical_only), color=_PHYSICAL, lw=2, label="physical-only $O_{phy}$")
    ax.plot(zk, series["printed.over_the_air"], color=_AIR, label="over the air, Eq. (38) as printed")
    ax.plot(zk, series["floor.over_the_air"], color=_FLOOR, ls="--",
            label="over the air, $\\lfloor Z/Z_k \\rfloor$ episodes")
    ax.plot(zk[positive], series["printed.dt_internal"][positive], color=_TWIN,
            label="inside the twin $O_{DT}$ (0 at $Z_k = 1$)")
    ax.plot(zk, series["printed.total"], color=_TOTAL, ls=":", lw=2.5, label="Eq. (38) total")
    ax.plot(zk[marked], series["printed.over_the_air"][marked], "o", color=_AIR, label="$Z_k$ of Sec. VI-F")
    ax.set(xscale="log", yscale="log", xlabel="interaction period $Z_k$ (episodes)",
           ylabel="exchanges over the training run", title=title)
    axes_legend(ax, side="below")

    axr.plot(zk, series["reduction.over_the_air"], color=_AIR, label="$\\Delta_{air}$, as printed")
    axr.plot(zk, series["reduction_floor.over_the_air"], color=_FLOOR, ls="--",
             label="$\\Delta_{air}$, $\\lfloor Z/Z_k \\rfloor$")
    axr.plot(zk, series["reduction.total"], color=_TOTAL, lw=2.5, label=f"$\\Delta_{{total}}$, $T_D$ = {t_d}")
    for (td, r), style in zip(others.items(), _TD_STYLES[1:] * len(others)):
        axr.plot(zk, r, color=_OTHER_TD, ls=style, label=f"$\\Delta_{{total}}$, $T_D$ = {td}")
    axr.plot(zk[marked], series["reduction.over_the_air"][marked], "o", color=_AIR, label="$Z_k$ of Sec. VI-F")
    axr.set(xscale="log", xlabel="interaction period $Z_k$ (episodes)", ylabel="reduction vs physical-only (%)",
            ylim=(-3, 103), title="reduction of the overhead")
    axes_legend(axr, side="below")
    return fig


class SizeSweep(NamedTuple):
    """The counts of a training run along one network-size axis (:func:`network_size_figure`)."""

    grid: np.ndarray
    """``[G]`` the swept size (number of devices or of APs)."""
    physical_only: np.ndarray
    """``[G]`` :math:`O_{phy}` (exchanges)."""
    proposed: OverheadTerms
    """Eq. (38) on the grid, fields ``[G]``."""
    air_reduction: np.ndarray
    """``[G]`` :math:`\\Delta_{air}` (fraction)."""
    total_reduction_by_td: Mapping[int, np.ndarray]
    """:math:`T_D` -> ``[G]`` :math:`\\Delta_{total}` (fraction)."""


def network_size_figure(sweeps: Mapping[str, SizeSweep], *, title: str = ""):
    """Exchanges (left, log axis) and reductions (right, percent) against network-size axes.

    One row of two panels per sweep; the x-axis label of a row is its key. Short grids (at most 20
    points) are drawn with markers. One legend below all panels; :math:`\\Delta_{total}` at
    :math:`T_D = 1` is red, other :math:`T_D` purple.

    Args:
        sweeps: x-axis label -> :class:`SizeSweep`.
        title: the figure's title.

    Returns:
        The figure (``2 * len(sweeps)`` axes).

    Raises:
        ValueError: no sweep, or an array whose shape differs from its sweep's ``grid``.
    """
    if not sweeps:
        raise ValueError("sweeps is empty: give at least one size axis")
    fig, axes = figure(len(sweeps), 2, height_in=2.6 * len(sweeps) + 0.9, squeeze=False)
    for (ax, axr), (label, sw) in zip(axes, sweeps.items()):
        ref = f"sweeps[{label!r}].grid"
        grid = vector(sw.grid, ref)
        marker = "o" if grid.size <= 20 else None
        physical = vector(sw.physical_only, f"sweeps[{label!r}].physical_only", like=grid, like_name=ref)
        ax.plot(grid, physical, color=_PHYSICAL, lw=2, marker=marker, label="physical-only $O_{phy}$")
        for field, color, style, name in (("over_the_air", _AIR, "-", "over the air $O_{air}$"),
                                          ("dt_internal", _TWIN, "-", "inside the twin $O_{DT}$"),
                                          ("total", _TOTAL, ":", "Eq. (38) total")):
            y = vector(getattr(sw.proposed, field), f"sweeps[{label!r}].proposed.{field}", like=grid, like_name=ref)
            ax.plot(grid, y, color=color, ls=style, lw=2.5 if field == "total" else None, marker=marker,
                    label=name)
        ax.set(yscale="log", xlabel=label, ylabel="exchanges over the training run")
        air = vector(sw.air_reduction, f"sweeps[{label!r}].air_reduction", like=grid, like_name=ref)
        axr.plot(grid, 100 * air, color=_AIR, marker=marker, label="$\\Delta_{air}$")
        for (td, r), style in zip(sw.total_reduction_by_td.items(), _TD_STYLES * len(sw.total_reduction_by_td)):
            y = 100 * vector(r, f"sweeps[{label!r}].total_reduction_by_td[{td!r}]", like=grid, like_name=ref)
            axr.plot(grid, y, color=_TOTAL if td == 1 else _OTHER_TD, ls=style, marker=marker,
                     label=f"$\\Delta_{{total}}$, $T_D$ = {td}")
        axr.set(xlabel=label, ylabel="reduction vs physical-only (%)", ylim=(-3, 103))
    if title:
        fig.suptitle(title)
    legend_below(fig, ncol=2)
    return fig


def reduction_vs_td_figure(t_d, total_reduction: Mapping[int, np.ndarray], air_reduction: Mapping[int, float], *,
                           title: str = ""):
    """:math:`\\Delta_{total}` (solid) against :math:`T_D`, one line per :math:`Z_k`, with that
    :math:`Z_k`'s :math:`\\Delta_{air}` as a dashed line of the same colour (percent).

    Args:
        t_d: ``[D]`` information units per device and task.
        total_reduction: :math:`Z_k` -> ``[D]`` :math:`\\Delta_{total}` (fractions).
        air_reduction: :math:`Z_k` -> :math:`\\Delta_{air}` (scalar fraction); the same keys.
        title: the axes' title.

    Returns:
        The figure (one axes, legend below it).

    Raises:
        ValueError: no :math:`Z_k`, different keys in the two mappings, a curve whose shape differs
            from ``t_d``'s, or a non-scalar :math:`\\Delta_{air}`.
    """
    td = vector(t_d, "t_d")
    if not total_reduction:
        raise ValueError("total_reduction is empty: give at least one Z_k")
    if set(total_reduction) != set(air_reduction):
        raise ValueError(f"total_reduction and air_reduction have different Z_k: {sorted(total_reduction)} vs "
                         f"{sorted(air_reduction)}")
    fig, ax = figure(1, 1, height_in=3.6)
    for k, (zk, r) in enumerate(total_reduction.items()):
        color = PALETTE[k % len(PALETTE)]
        curve = vector(r, f"total_reduction[{zk!r}]", like=td, like_name="t_d")
        ax.plot(td, 100 * curve, color=color, label=f"$Z_k$ = {zk}")
        if np.ndim(air_reduction[zk]) != 0:
            raise ValueError(f"air_reduction[{zk!r}] must be a scalar, got shape {np.shape(air_reduction[zk])}")
        ax.axhline(100 * float(air_reduction[zk]), color=color, ls="--", lw=1)
    ax.set(xlabel="information per device and task $T_D$ (units)", ylabel="$\\Delta_{total}$ (%)", title=title,
           ylim=(-3, 103))
    legend_below(fig)
    return fig
