"""Proportional-fair RRB scheduling (paper Sec. III-C-3, Eqs. 18-19, Algorithm 1).

Every time slot the scheduler ranks the devices by the PF metric of Eq. (18), selects the top
``min(N, R)`` (Alg. 1, lines 4-6) and gives each one orthogonal RRB (line 7). Algorithm 1 does not
say *which* RRB; the placement decides who is adjacent to whom and therefore the ACI:

* ``"contiguous"`` (default, Alg. 1 literally): the selected devices occupy RRBs 0, 1, 2, ... in
  PF order;
* ``"spread"``: they are spread evenly over the R RRBs (RRB ``floor(i R / n)`` for the i-th), the
  remark of Sec. VI-G that few links can avoid adjacency.
"""

from __future__ import annotations

import numpy as np

from multirat._checks import (
    broadcast,
    choice,
    generator,
    integer,
    nonnegative,
    positive,
    real,
    scalar,
)
from multirat._checks import shape as _shape

__all__ = ["pf_metric", "update_average_rate", "select_and_place", "random_schedule", "jain_index",
           "PLACEMENTS"]

PLACEMENTS = ("contiguous", "spread")


def pf_metric(average_rate, gain, p_c_w: float, noise_w: float):
    r"""PF ratio of Eq. (18): :math:`w_n \log_2(1 + P_c g_n/\sigma^2)` with :math:`w_n = 1/\hat R_n`.

    ``average_rate`` (bits/frame, > 0), ``gain`` (linear, the serving link's channel gain this TS),
    ``p_c_w`` the common reference power (the paper takes :math:`P_c = P_{min}`), ``noise_w`` the
    noise power :math:`\sigma^2` (W). Broadcasts.

    Raises ``ValueError`` naming the argument and its value unless ``average_rate > 0`` (the PF
    weight is 1/average_rate; NaN rejected), ``gain`` is finite and >= 0 and ``p_c_w``, ``noise_w``
    are finite and > 0; ``TypeError`` for non-numbers.
    """
    average_rate = positive(average_rate, "average_rate", unit="bits/frame")
    gain = nonnegative(gain, "gain", finite=True)
    p_c = positive(p_c_w, "p_c_w", finite=True, unit="W")
    noise = positive(noise_w, "noise_w", finite=True, unit="W")
    broadcast(("average_rate", "gain", "p_c_w", "noise_w"), average_rate, gain, p_c, noise)
    with np.errstate(over="ignore"):                                   # a subnormal average rate: weight inf
        return _pf_metric_core(average_rate, gain, p_c, noise)


def _pf_metric_core(average_rate, gain, p_c_w, noise_w):
    """Eq. (18) on checked inputs."""
    return np.log2(1.0 + p_c_w * gain / noise_w) / average_rate


def update_average_rate(average_rate, achieved_rate, alpha: float):
    r"""Eq. (19): :math:`\hat R^t = (1-\alpha_r)\hat R^{t-1} + \alpha_r R^{t-1}` (bits/frame).

    ``average_rate`` and ``achieved_rate`` finite and >= 0, ``alpha`` in [0, 1], broadcast. Raises
    ``ValueError`` / ``TypeError`` naming the argument.
    """
    avg = nonnegative(average_rate, "average_rate", finite=True, unit="bits/frame")
    rate = nonnegative(achieved_rate, "achieved_rate", finite=True, unit="bits/frame")
    a = real(alpha, "alpha", lo=0.0, hi=1.0, why="the weight of an exponential moving average")
    broadcast(("average_rate", "achieved_rate", "alpha"), avg, rate, a)
    return _average_rate_core(avg, rate, a)


def _average_rate_core(average_rate, achieved_rate, alpha):
    """Eq. (19) on checked inputs (the environment's step)."""
    return (1.0 - alpha) * average_rate + alpha * achieved_rate


def _place(order: np.ndarray, n_rrbs: int, placement: str) -> np.ndarray:
    """RRB of every device given the PF ``order`` [..., N] (device indices, best first)."""
    n_devices = order.shape[-1]
    n_sel = min(n_devices, n_rrbs)
    slots = np.arange(n_sel)
    if placement == "spread":
        slots = (slots * n_rrbs) // n_sel
    rrb = np.full(order.shape, -1, dtype=np.int64)                            # [..., N], -1 = not scheduled
    np.put_along_axis(rrb, order[..., :n_sel], np.broadcast_to(slots, order.shape[:-1] + (n_sel,)), axis=-1)
    return rrb


def select_and_place(metric, n_rrbs: int, placement: str = "contiguous") -> np.ndarray:
    """Algorithm 1, lines 5-7: RRB index of every device, ``[..., N]`` int, ``-1`` if not scheduled.

    Devices are sorted by decreasing ``metric`` (ties broken by the lower device index, so the
    schedule is deterministic), the first ``min(N, R)`` are scheduled and placed by ``placement``.
    Leading axes are independent networks.

    Raises ``ValueError`` (``metric`` NaN or not an array [..., N] with N >= 1 devices -- a network
    has at least one, as ``NetworkConfig.n_devices`` requires --, ``n_rrbs`` not an integer >= 1,
    unknown ``placement``) or ``TypeError`` (non-numbers), naming the argument.
    """
    metric = real(metric, "metric", finite=False)
    if metric.ndim < 1:
        raise ValueError(f"metric must be an array [..., N]; got shape {metric.shape}")
    if metric.shape[-1] == 0:
        raise ValueError(f"metric must hold N >= 1 devices along its last axis; got shape {metric.shape}")
    n_rrbs = integer(n_rrbs, "n_rrbs", lo=1)
    return _select_core(metric, n_rrbs, choice(placement, "placement", PLACEMENTS))


def _select_core(metric, n_rrbs: int, placement: str):
    """Algorithm 1, lines 5-7, on a checked metric [..., N]."""
    return _place(np.argsort(-metric, axis=-1, kind="stable"), n_rrbs, placement)


def random_schedule(rng: np.random.Generator, n_devices: int, n_rrbs: int, placement: str = "contiguous",
                    batch: tuple = ()) -> np.ndarray:
    """Algorithm 1, line 2: the initial schedule, a random order of the devices placed as above.

    ``batch`` adds leading axes of independent networks (one permutation each). Raises
    ``TypeError`` (``rng`` not a Generator, non-integer sizes) or ``ValueError`` (sizes < 1 or a
    negative batch size, unknown ``placement``), naming the argument.
    """
    generator(rng)
    n_devices = integer(n_devices, "n_devices", lo=1)
    n_rrbs = integer(n_rrbs, "n_rrbs", lo=1)
    choice(placement, "placement", PLACEMENTS)
    batch = _shape(batch, "batch")
    order = np.argsort(rng.random(tuple(batch) + (n_devices,)), axis=-1)
    return _place(order, n_rrbs, placement)


def jain_index(x, axis: int = -1):
    r"""Jain's fairness index :math:`(\sum x)^2 / (n \sum x^2)` over the :math:`n` users along ``axis``.

    In [1/n, 1]: 1 when all users get the same, 1/n when one user gets everything. When every
    user gets 0 the ratio is 0/0; we return 1 (all equal), the limit of :math:`x = c\,\mathbf 1`
    as :math:`c \to 0`. Leading axes are independent allocations (an empty batch gives an empty result).

    ``x`` finite and >= 0, at least 1-D, with at least one user along ``axis`` (the index of no
    users is undefined); ``axis`` an integer axis of ``x``. Raises ``ValueError`` / ``TypeError``
    naming the argument.
    """
    x = nonnegative(x, "x", finite=True)
    axis = integer(scalar(axis, "axis"), "axis", lo=-max(x.ndim, 1), hi=max(x.ndim, 1) - 1)
    if x.ndim == 0:
        raise ValueError("x must be an array with at least one axis; got a scalar")
    n = x.shape[axis]
    if n == 0:
        raise ValueError(f"x has no users along axis={axis} (shape {x.shape}): Jain's index of no users is "
                         "undefined; allowed at least one user")
    num = np.sum(x, axis=axis) ** 2
    den = n * np.sum(x**2, axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), 1.0)
