"""Network topology of the digital twin (paper Sec. III-A, VI-B, Fig. 4).

K RAT access points on a square-ish grid with ``ap_spacing_m`` between neighbours; N devices
dropped uniformly in the coverage disks (radius ``coverage_radius_m``) outside an exclusion disk
(radius ``exclusion_radius_m``) around each AP; each device is served by its nearest AP
(clustering, Sec. III-A-4), recomputed once per episode.

Positions are 2-D, in metres; the heights (``h_ap_m``, ``h_ut_m``) enter only the path loss.
"""

from __future__ import annotations

import math

import numpy as np

from multirat._checks import generator, integer, real, scalar

__all__ = ["ap_positions", "drop_devices", "distances_2d", "cluster_nearest"]


def ap_positions(n_aps: int, spacing_m: float) -> np.ndarray:
    """AP coordinates ``[K, 2]`` (m) on a grid of ``ceil(sqrt(K))`` columns, row by row, centred on 0.

    K = 4 gives the 2 x 2 layout of the paper's Fig. 4, K = 6 a 3 x 2 and K = 9 a 3 x 3 grid;
    neighbouring APs are ``spacing_m`` apart (600 m in Sec. III-A-1). Raises ``ValueError`` (``n_aps``
    not an integer >= 1, ``spacing_m`` not finite and > 0) or ``TypeError`` (wrong types), naming the argument.
    """
    n_aps = integer(n_aps, "n_aps", lo=1)
    spacing_m = float(real(scalar(spacing_m, "spacing_m"), "spacing_m", lo=0.0, lo_open=True, unit="m"))
    cols = math.ceil(math.sqrt(n_aps))
    idx = np.arange(n_aps)
    xy = np.stack([idx % cols, idx // cols], axis=1).astype(float) * spacing_m   # [K, 2]
    return xy - xy.mean(axis=0)


def drop_devices(rng: np.random.Generator, ap_xy: np.ndarray, n_devices: int, coverage_radius_m: float,
                 exclusion_radius_m: float) -> np.ndarray:
    """Device coordinates ``[N, 2]`` (m), uniform over the union of the APs' coverage annuli.

    Each device picks an AP uniformly at random and a point uniform in the area of that AP's
    annulus ``exclusion_radius_m <= r <= coverage_radius_m`` (radius ``sqrt(U(r_min^2, r_max^2))``,
    angle ``U(0, 2 pi)``). With the paper's 600 m spacing and 300 m coverage the annuli do not
    overlap, so this is uniform over their union; where they would overlap (smaller spacing) the
    overlap is denser. A device may end up nearer to another AP than the one it was drawn around
    only when annuli overlap; clustering (:func:`cluster_nearest`) decides the serving AP.

    Raises ``ValueError`` (``ap_xy`` not finite [K, 2] with K >= 1, ``n_devices`` not an integer
    >= 1, radii not finite with ``0 <= exclusion_radius_m < coverage_radius_m``) or ``TypeError``
    (``rng`` not a Generator, wrong types), naming the argument.
    """
    generator(rng)
    ap_xy = real(ap_xy, "ap_xy", unit="m")
    if ap_xy.ndim != 2 or ap_xy.shape[1] != 2 or len(ap_xy) == 0:
        raise ValueError(f"ap_xy must have shape [K, 2] with K >= 1; got {ap_xy.shape}")
    n = integer(n_devices, "n_devices", lo=1)
    coverage_radius_m = float(real(scalar(coverage_radius_m, "coverage_radius_m"), "coverage_radius_m", lo=0.0,
                                   lo_open=True, unit="m"))
    exclusion_radius_m = float(real(scalar(exclusion_radius_m, "exclusion_radius_m"), "exclusion_radius_m",
                                    lo=0.0, hi=coverage_radius_m, hi_open=True, unit="m",
                                    why="need 0 <= exclusion_radius_m < coverage_radius_m"))
    home = rng.integers(len(ap_xy), size=n)                                                 # [N]
    radius = np.sqrt(rng.uniform(exclusion_radius_m**2, coverage_radius_m**2, size=n))    # [N]
    angle = rng.uniform(0.0, 2.0 * np.pi, size=n)                                           # [N]
    return ap_xy[home] + radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)


def distances_2d(device_xy: np.ndarray, ap_xy: np.ndarray) -> np.ndarray:
    """2-D distance (Eq. 1) from every AP to every device, ``[K, N]`` in metres.

    Positions finite, shapes ``[N, 2]`` and ``[K, 2]``; ``ValueError`` / ``TypeError`` naming the argument."""
    device_xy = real(device_xy, "device_xy", unit="m")
    ap_xy = real(ap_xy, "ap_xy", unit="m")
    for name, xy in (("device_xy", device_xy), ("ap_xy", ap_xy)):
        if xy.ndim != 2 or xy.shape[1] != 2:
            raise ValueError(f"{name} must have shape [*, 2] (positions); got shape {xy.shape}")
    return np.hypot(ap_xy[:, None, 0] - device_xy[None, :, 0], ap_xy[:, None, 1] - device_xy[None, :, 1])


def cluster_nearest(device_xy: np.ndarray, ap_xy: np.ndarray) -> np.ndarray:
    """Serving AP of every device, ``[N]`` int: the nearest AP (Sec. III-A-4); ties go to the lower index.

    Raises ``ValueError`` / ``TypeError`` as :func:`distances_2d`."""
    return np.argmin(distances_2d(device_xy, ap_xy), axis=0)
