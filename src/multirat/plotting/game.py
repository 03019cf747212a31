"""Figures of chapter 5, the network as a Markov game: drops, schedules and the impairments links see.

Every function takes the arrays the chapter computed (one drop's positions, one drop's schedule,
pooled per-link samples of many runs) and returns the :class:`matplotlib.figure.Figure`, drawn at
the book's column width (:data:`multirat.plotting.COLUMN_WIDTH_IN`) with any legend below the axes.
Power ratios are passed linear and drawn in dB; a ratio of exactly 0 (a link without ACI) is drawn
at ``floor_db``, the left edge of its axis.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from multirat.plotting import COLUMN_WIDTH_IN, PALETTE, figure, key_line, legend_below
from multirat.plotting._checks import matrix, vector

__all__ = ["RATIO_FLOOR_DB", "aci_cdf_figure", "drop_figure", "impairment_cdf_figure", "rrb_order_figure",
           "scheduling_figure"]

#: Where a power ratio of 0 (e.g. no ACI at all) is drawn on a dB axis.
RATIO_FLOOR_DB = -80.0

_LINESTYLES = ("-", "--", ":", "-.")


# ------------------------------------------------------------------------------------------------
# Input checks and small helpers
# ------------------------------------------------------------------------------------------------

def _ap_blocks(serving_ap: np.ndarray, distance_m: np.ndarray):
    """Device order by AP, then distance; the AP of each block, its centre row and the block edges."""
    order = np.lexsort((distance_m, serving_ap))
    sorted_ap = serving_ap[order]
    aps = np.unique(sorted_ap)
    centres = [np.flatnonzero(sorted_ap == k).mean() for k in aps]
    edges = np.flatnonzero(np.diff(sorted_ap)) + 0.5
    return order, aps, centres, edges


def _ecdf(ax, values: np.ndarray, **kwargs) -> None:
    v = np.sort(values)
    ax.plot(v, np.arange(1, v.size + 1) / v.size, **kwargs)


def _ratio_db(ratio: np.ndarray, floor_db: float) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.maximum(10.0 * np.log10(ratio), floor_db)


def _samples(name: str, samples: Mapping, key_length: int) -> dict:
    """``samples`` as ``{key: 1-D float array}``; keys are tuples of ``key_length`` labels."""
    if not isinstance(samples, Mapping) or not samples:
        raise ValueError(f"{name}: expected a non-empty mapping of runs to 1-D arrays")
    out = {}
    for key, values in samples.items():
        if not (isinstance(key, tuple) and len(key) == key_length):
            raise ValueError(f"{name}: keys must be tuples of {key_length} labels, got {key!r}")
        arr = np.asarray(values, dtype=float)
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"{name}[{key!r}]: expected a non-empty 1-D array, got shape {arr.shape}")
        if np.any(arr < 0):
            raise ValueError(f"{name}[{key!r}]: power ratios must be >= 0 (linear, not dB)")
        out[key] = arr
    return out


def _levels(keys, position: int) -> list:
    """The distinct labels at ``position`` of the keys, in order of first appearance."""
    return list(dict.fromkeys(key[position] for key in keys))


# ------------------------------------------------------------------------------------------------
# Figures
# ------------------------------------------------------------------------------------------------

def drop_figure(drops: Mapping, coverage_radius_m: float, exclusion_radius_m: float, *, height_in: float = 3.4):
    """One device drop per panel: APs, their coverage and exclusion disks, devices joined to their AP.

    Args:
        drops: ``{title: (ap_xy, device_xy, serving_ap)}``, one or two drops; ``ap_xy`` ``[K, 2]`` m,
            ``device_xy`` ``[N, 2]`` m, ``serving_ap`` ``[N]`` AP index in ``[0, K)``.
        coverage_radius_m, exclusion_radius_m: radii of the dashed coverage and grey exclusion disks (m).
        height_in: figure height (in); panel widths follow the drops' extents at equal aspect.

    Returns:
        the figure. Raises ``ValueError`` for mismatched shapes, AP indices out of range, more than two
        drops or non-positive radii.
    """
    from matplotlib.patches import Circle

    if not isinstance(drops, Mapping) or not 1 <= len(drops) <= 2:
        raise ValueError("drops: expected a mapping of one or two titles to (ap_xy, device_xy, serving_ap)")
    if not 0 < exclusion_radius_m < coverage_radius_m:
        raise ValueError(f"exclusion_radius_m={exclusion_radius_m!r}, coverage_radius_m={coverage_radius_m!r}: "
                         "need 0 < exclusion < coverage")
    checked = []
    for title, (ap_xy, device_xy, serving_ap) in drops.items():
        ap_xy = matrix(ap_xy, f"drops[{title!r}] ap_xy", (None, 2), meaning="x, y of each AP")
        device_xy = matrix(device_xy, f"drops[{title!r}] device_xy", (None, 2),
                           meaning="x, y of each device")
        serving_ap = vector(serving_ap, f"drops[{title!r}] serving_ap", like=device_xy.shape[0],
                            like_name="one per device of device_xy", dtype=int)
        if serving_ap.size and (serving_ap.min() < 0 or serving_ap.max() >= ap_xy.shape[0]):
            raise ValueError(f"drops[{title!r}] serving_ap: indices must lie in [0, {ap_xy.shape[0]})")
        checked.append((title, ap_xy, device_xy, serving_ap))
    widths = [np.ptp(ap_xy[:, 0]) + 2 * coverage_radius_m for _, ap_xy, _, _ in checked]
    fig, axes = figure(1, len(checked), height_in=height_in, squeeze=False,
                       gridspec_kw={"width_ratios": widths})
    for ax, (title, ap_xy, device_xy, serving_ap) in zip(axes[0], checked):
        for k, (x, y) in enumerate(ap_xy):
            colour = PALETTE[k % len(PALETTE)]
            ax.add_patch(Circle((x, y), coverage_radius_m, fill=False, ls="--", lw=1, color=colour))
            ax.add_patch(Circle((x, y), exclusion_radius_m, color="0.8"))
            mine = np.flatnonzero(serving_ap == k)
            for d in mine:
                ax.plot([x, device_xy[d, 0]], [y, device_xy[d, 1]], color=colour, lw=0.4, alpha=0.6)
            ax.scatter(device_xy[mine, 0], device_xy[mine, 1], s=12, color=colour, zorder=3)
            ax.plot(x, y, marker="^", ms=8, color="k", zorder=4)
            ax.annotate(f"AP {k}", (x, y), xytext=(5, 5), textcoords="offset points", fontsize=9)
        ax.set(xlabel="x [m]", title=title, aspect="equal")
        ax.autoscale_view()
    axes[0, 0].set_ylabel("y [m]")
    return fig


def scheduling_figure(scheduled: Mapping, average_rate, serving_ap, distance_m, jain: Mapping, *,
                      n_slots_shown: int = 60, jain_title: str = "", height_in: float = 6.6):
    """Who holds an RRB in each TS under two schedulers, the PF average rates, and Jain's index per drop.

    Args:
        scheduled: ``{title: scheduled}``, exactly two schedulers, each bool ``[T, N]`` (one drop).
        average_rate: ``[T, N]`` PF average rate of Eq. (19) after each TS (bits/frame, > 0), one drop.
        serving_ap: ``[N]`` serving AP index of each device; devices are drawn by AP, then by
            ``distance_m`` ``[N]``, their distance to it (m).
        jain: ``{label: [D]}`` Jain's index of per-device throughput, one value per drop.
        n_slots_shown: how many first TS to draw (at most T).
        jain_title: title of the Jain panel (e.g. the number of drops and TS).

    Returns:
        the figure (2 x 2 panels, one legend of the AP colours below). Raises ``ValueError`` for
        mismatched shapes, not exactly two schedulers, non-positive rates or an empty ``jain``.
    """
    if not isinstance(scheduled, Mapping) or len(scheduled) != 2:
        raise ValueError("scheduled: expected a mapping of exactly two scheduler titles to bool [T, N]")
    average_rate = matrix(average_rate, "average_rate", (None, None), meaning="[T, N]")
    n_slots, n_devices = average_rate.shape
    if np.any(average_rate <= 0):
        raise ValueError("average_rate: PF average rates must be > 0 (log axis)")
    grids = {title: matrix(s, f"scheduled[{title!r}]", (n_slots, n_devices), meaning="[T, N] of average_rate",
                           dtype=bool)
             for title, s in scheduled.items()}
    serving_ap = vector(serving_ap, "serving_ap", like=n_devices, like_name="one per device of average_rate",
                        dtype=int)
    distance_m = vector(distance_m, "distance_m", like=n_devices, like_name="one per device of average_rate")
    if not isinstance(jain, Mapping) or not jain:
        raise ValueError("jain: expected a non-empty mapping of labels to [D] Jain's indices")
    jain = {label: vector(v, f"jain[{label!r}]") for label, v in jain.items()}
    shown = min(int(n_slots_shown), n_slots)
    if shown < 1:
        raise ValueError(f"n_slots_shown={n_slots_shown!r}: must be >= 1")

    order, aps, centres, edges = _ap_blocks(serving_ap, distance_m)
    fig, axes = figure(2, 2, height_in=height_in)
    for i, (ax, (title, grid)) in enumerate(zip(axes[0], grids.items())):
        ax.imshow(grid[:shown][:, order].T.astype(float), aspect="auto", cmap="Greys", vmin=0, vmax=1,
                  interpolation="none", extent=(-0.5, shown - 0.5, n_devices - 0.5, -0.5))
        for edge in edges:
            ax.axhline(edge, color=PALETTE[1], lw=0.8)
        ax.set_yticks(centres, [f"AP {k}" for k in aps] if i == 0 else [])
        ax.set(xlabel="time slot t", title=f"{title}: scheduled (black)")
        ax.grid(False)
    axes[0, 0].set_ylabel("device (by AP, near first)")
    ax = axes[1, 0]
    for n in order:
        ax.plot(np.arange(shown), average_rate[:shown, n], color=PALETTE[serving_ap[n] % len(PALETTE)], lw=0.8,
                label=f"AP {serving_ap[n]}")
    ax.set(xlabel="time slot t", ylabel="$\\hat R_n^t$ [bits/frame]", yscale="log",
           title="PF average rate, Eq. (19)")
    ax = axes[1, 1]
    ax.boxplot(list(jain.values()), tick_labels=list(jain.keys()))
    ax.set(ylabel="Jain's index per drop", title=jain_title)
    legend_below(fig, ncol=len(aps))
    return fig


def rrb_order_figure(rrb: Mapping, serving_ap, distance_m, adjacent_share, *, height_in: float = 6.2):
    """The RRB each device holds in every TS under two policies, and how often two devices are adjacent.

    Args:
        rrb: ``{policy: rrb}``, exactly two, each int ``[T, N]`` RRB index of every device (one drop,
            every device scheduled, so all indices are >= 0).
        serving_ap: ``[N]`` serving AP of each device; ``distance_m`` ``[N]`` its distance to it (m).
            The RRB maps sort devices by distance (nearest first), the adjacency matrix by AP, then
            distance, with lines between the APs.
        adjacent_share: ``[N, N]`` share of TS in which two devices sit on first-adjacent RRBs, in [0, 1].

    Returns:
        the figure: the two RRB maps with one colour bar on top, the adjacency matrix below. Raises
        ``ValueError`` for mismatched shapes, unscheduled devices (negative RRB) or shares outside [0, 1].
    """
    if not isinstance(rrb, Mapping) or len(rrb) != 2:
        raise ValueError("rrb: expected a mapping of exactly two policy names to int [T, N]")
    maps = {}
    for name, r in rrb.items():
        arr = matrix(r, f"rrb[{name!r}]", (None, None), meaning="[T, N]", dtype=int)
        if maps and arr.shape[1] != next(iter(maps.values())).shape[1]:
            raise ValueError(f"rrb[{name!r}]: {arr.shape[1]} devices, the other policy has "
                             f"{next(iter(maps.values())).shape[1]}")
        if np.any(arr < 0):
            raise ValueError(f"rrb[{name!r}]: every device must hold an RRB (indices >= 0)")
        maps[name] = arr
    n_devices = next(iter(maps.values())).shape[1]
    serving_ap = vector(serving_ap, "serving_ap", like=n_devices, like_name="one per device of rrb", dtype=int)
    distance_m = vector(distance_m, "distance_m", like=n_devices, like_name="one per device of rrb")
    adjacent_share = matrix(adjacent_share, "adjacent_share", (n_devices, n_devices), meaning="[N, N] of rrb")
    if np.any((adjacent_share < 0) | (adjacent_share > 1)):
        raise ValueError("adjacent_share: shares must lie in [0, 1]")

    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if not 0 < height_in <= 12:
        raise ValueError(f"height_in={height_in!r}: must be in (0, 12] inches")
    fig = plt.figure(figsize=(COLUMN_WIDTH_IN, height_in))
    top, bottom = fig.subfigures(2, 1, height_ratios=[1, 1.15])
    by_distance = np.argsort(distance_m, kind="stable")
    top_max = max(int(m.max()) for m in maps.values())
    axes = top.subplots(1, 2, sharey=True)
    for ax, (name, r) in zip(axes, maps.items()):
        im = ax.imshow(r[:, by_distance].T, aspect="auto", cmap="viridis", vmin=0, vmax=top_max,
                       interpolation="none", extent=(-0.5, r.shape[0] - 0.5, n_devices - 0.5, -0.5))
        ax.set(xlabel="time slot t", title=f"RRB: {name}")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(False)
    axes[0].set_ylabel("device (near first)")
    top.colorbar(im, ax=axes, label="RRB index")
    order, aps, centres, edges = _ap_blocks(serving_ap, distance_m)
    ax = bottom.subplots()
    im = ax.imshow(adjacent_share[np.ix_(order, order)], cmap="Greys", vmin=0, vmax=1, interpolation="none")
    for edge in edges:
        ax.axhline(edge, color=PALETTE[1], lw=0.8)
        ax.axvline(edge, color=PALETTE[1], lw=0.8)
    ax.set_xticks(centres, [f"AP {k}" for k in aps])
    ax.set_yticks(centres, [f"AP {k}" for k in aps])
    ax.set(xlabel="device (by AP, near first)", ylabel="device (by AP, near first)",
           title="share of TS on adjacent RRBs")
    ax.grid(False)
    # an inset colour bar keeps the square matrix centred (a layout colour bar would push it aside)
    bottom.colorbar(im, cax=ax.inset_axes([1.05, 0.0, 0.05, 1.0]), label="share of TS")
    return fig


def _cdf_columns(panels: list, columns: list, height_in: float):
    """A grid with one row per quantity and one column per entry of ``columns`` (at most two)."""
    if len(columns) > 2:
        raise ValueError(f"at most two scenarios side by side, got {len(columns)}: {columns}")
    fig, axes = figure(len(panels), len(columns), height_in=height_in, squeeze=False,
                       sharey=True)
    for col, label in enumerate(columns):
        axes[0, col].set_title(label)
    for row in axes:
        row[0].set_ylabel("CDF over links")
    return fig, axes


def impairment_cdf_figure(sinr: Mapping, aci_over_noise: Mapping, hwi_over_noise: Mapping, *,
                          floor_db: float = RATIO_FLOOR_DB, height_in: float = 7.6):
    """CDFs over links of the SINR, the ACI and the HWI distortion (both relative to the noise).

    Args:
        sinr, aci_over_noise, hwi_over_noise: ``{(scenario, policy, network): [L]}`` linear ratios
            pooled over the scheduled links of a run (``L`` may differ between runs, not between the
            three arguments). One column per scenario (at most two), one row per quantity; colour
            marks the network, the line style the policy.
        floor_db: where an ACI or HWI of exactly 0 is drawn (the left edge of the axis).

    Returns:
        the figure with one legend below. Raises ``ValueError`` when the three mappings do not have
        the same keys and lengths, a ratio is negative, or there are more than two scenarios or four
        policies.
    """
    sinr = _samples("sinr", sinr, 3)
    aci = _samples("aci_over_noise", aci_over_noise, 3)
    hwi = _samples("hwi_over_noise", hwi_over_noise, 3)
    for name, other in (("aci_over_noise", aci), ("hwi_over_noise", hwi)):
        if set(other) != set(sinr):
            raise ValueError(f"{name}: keys differ from those of sinr: {sorted(set(other) ^ set(sinr))}")
        for key, v in other.items():
            if v.size != sinr[key].size:
                raise ValueError(f"{name}[{key!r}]: {v.size} links, sinr has {sinr[key].size}")
    scenarios, policies, networks = (_levels(sinr, i) for i in range(3))
    if len(policies) > len(_LINESTYLES):
        raise ValueError(f"sinr: at most {len(_LINESTYLES)} policies, got {len(policies)}")
    colour = {n: PALETTE[(0, 1, 3, 2, 4, 5, 6)[i % 7]] for i, n in enumerate(networks)}
    style = dict(zip(policies, _LINESTYLES))
    fig, axes = _cdf_columns(["sinr", "aci", "hwi"], scenarios, height_in)
    for (scenario, policy, network), values in sinr.items():
        col = scenarios.index(scenario)
        kw = {"color": colour[network], "ls": style[policy], "lw": 1.2}
        _ecdf(axes[0, col], 10.0 * np.log10(np.maximum(values, 1e-300)), **kw)
        _ecdf(axes[1, col], _ratio_db(aci[scenario, policy, network], floor_db), **kw)
        _ecdf(axes[2, col], _ratio_db(hwi[scenario, policy, network], floor_db), **kw)
    for col in range(len(scenarios)):
        axes[0, col].set(xlabel="SINR [dB]", xlim=(-30, 35))
        axes[1, col].set(xlabel="ACI / $\\sigma^2$ [dB] (ACI = 0 at left edge)", xlim=(floor_db - 2, 20))
        axes[2, col].set(xlabel="HWI distortion / $\\sigma^2$ [dB]", xlim=(-50, 50))
        for ax in axes[1:, col]:
            ax.axvline(0, color="k", lw=0.6)
    rows = sorted([[key_line(label=n, color=colour[n]) for n in networks],
                   [key_line(label=p, color="0.2", ls=style[p]) for p in policies]], key=len, reverse=True)
    ncol = len(rows[0])
    # matplotlib fills a legend column by column: interleave so that each row is one of the two kinds
    handles = [h for i in range(ncol) for h in (rows[0][i], *rows[1][i:i + 1])]
    legend_below(fig, handles, [h.get_label() for h in handles], ncol=ncol)
    return fig


#: The legend's words for the values of ``NetworkConfig.aci_source``.
_ACI_SOURCE_WORDS = {"other_ap": "other APs", "any": "any adjacent link"}


def aci_cdf_figure(aci_over_noise: Mapping, *, floor_db: float = RATIO_FLOOR_DB, height_in: float = 3.6):
    """CDFs over links of the ACI relative to the noise for RRB placements and ACI sources.

    Args:
        aci_over_noise: ``{(scenario, placement, source): [L]}`` linear ACI / noise ratio pooled over
            the scheduled links of a run; one panel per scenario (at most two), colour marks the ACI
            source, the line style the placement.
        floor_db: where an ACI of exactly 0 is drawn (the left edge of the axis).

    Returns:
        the figure with one legend below. Raises ``ValueError`` for a malformed mapping (keys not
        3-tuples, arrays not 1-D, negative ratios), more than two scenarios or four placements.
    """
    aci = _samples("aci_over_noise", aci_over_noise, 3)
    scenarios, placements, sources = (_levels(aci, i) for i in range(3))
    if len(placements) > len(_LINESTYLES):
        raise ValueError(f"aci_over_noise: at most {len(_LINESTYLES)} placements, got {len(placements)}")
    colour = {s: PALETTE[(0, 4, 2, 3, 1, 5, 6)[i % 7]] for i, s in enumerate(sources)}
    style = dict(zip(placements, (_LINESTYLES[0], _LINESTYLES[2], _LINESTYLES[1], _LINESTYLES[3])))
    fig, axes = _cdf_columns(["aci"], scenarios, height_in)
    for (scenario, placement, source), values in aci.items():
        _ecdf(axes[0, scenarios.index(scenario)], _ratio_db(values, floor_db), color=colour[source],
              ls=style[placement], label=f"{placement} RRBs, ACI from {_ACI_SOURCE_WORDS.get(source, source)}")
    for ax in axes[0]:
        ax.axvline(0, color="k", lw=0.6)
        ax.set(xlabel="ACI / $\\sigma^2$ [dB] (ACI = 0 at left edge)", xlim=(floor_db - 2, 30))
    legend_below(fig, ncol=min(len(aci), 2))
    return fig
