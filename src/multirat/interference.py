r"""Adjacent-channel interference, hardware-impairment distortion and the SINR
(paper Secs. III-B-2, III-B-3 and III-C-1, Eqs. 10-14).

A device :math:`n` served by RAT AP :math:`k` on RRB :math:`r` receives (Eq. 13)

.. math::
    r_n = \sqrt{g_{n,k}}\left(\sqrt{P_{n,k}}\,x_n + z\right)
          + \sum_{l=1}^{L}\sqrt{\frac{g_l P_l}{A_l}}\,x_l + n_x ,

with the HWI distortion :math:`z \sim \mathcal{CN}(0, \sigma_{rt}^2 P_{total,k})`
(:math:`\sigma_{rt}^2 = \sigma_t^2 + \sigma_r^2`), the adjacent-channel terms of Eq. (10) and the
noise :math:`n_x`, so that its SINR is Eq. (14)

.. math::
    \mathrm{sinr}_{n,k} = \frac{P_{n,k}\, g_{n,k}}
        {g_{n,k}\,\sigma_{rt}^2 P_{total,k} + P_{ACI} + \sigma^2} .

In the physical network both impairments are :math:`(1+\phi)` times larger (Eqs. 11-12).

**The** :math:`\phi` **convention (one place only).** Every ACI power this module hands out for a
network -- :func:`adjacent_channel_interference_w` -- is the *digital-twin* value of Eq. (10).
The factor :math:`1+\phi` of the physical network is applied *inside* :func:`sinr` (to the ACI and
to the HWI term alike) and inside the sample-level reference
:func:`multirat.reference.signal.simulate_received_signal`. Pass the twin ACI to
:func:`sinr` with the ``phi`` of the network you want; never pre-scale it. :func:`aci_power_w`
and :func:`hwi_distortion_power_w` accept ``phi`` so that Eqs. (11)-(12) can be evaluated and
plotted on their own; their outputs are for display, not for :func:`sinr`.

Deviations from the paper as printed, all documented in the book's chapter 4:

* Eq. (11) divides by :math:`A_k`; we use :math:`A_l` as in Eq. (10) (a typo: :math:`k` indexes
  APs, the ratio depends on the adjacency :math:`l`).
* Eq. (13) writes the AWGN as real :math:`\mathcal{N}(0, \sigma^2)`; a complex baseband sample
  needs circularly-symmetric :math:`\mathcal{CN}(0, \sigma^2)`, which we use.
* Who causes ACI is not stated beyond "adjacent RRBs": by default a link on RRB :math:`r\pm l`
  served by a *different* AP, received through the gain from *that* AP to the victim
  (``aci_source="other_ap"``; ``"any"`` also counts links of the serving AP).

All powers are in watts, all gains linear (dimensionless), all functions broadcast. Eq. (13) drawn
sample by sample, with the SINR measured from the samples, is the validation reference
:mod:`multirat.reference.signal` (this module never imports :mod:`multirat.reference`).
"""

from __future__ import annotations

import functools

import numpy as np

from multirat import units
from multirat._checks import (
    bool_array,
    broadcast,
    choice,
    flag,
    int_array,
    integer,
    real,
)
from multirat._checks import nonnegative as _nonnegative_any
from multirat._checks import positive as _positive

__all__ = [
    "ACI_SOURCES",
    "ACIR_MIN",
    "HWI_BASES",
    "acir_linear",
    "aci_power_w",
    "hwi_distortion_power_w",
    "sinr",
    "hwi_sinr_ceiling",
    "ap_total_power_w",
    "hwi_reference_power_w",
    "adjacent_channel_interference_w",
    "network_sinr",
]

#: Who leaks into a victim link (config field ``NetworkConfig.aci_source``).
ACI_SOURCES = ("other_ap", "any")

#: Which transmit power the HWI distortion on a link is proportional to (see :func:`hwi_reference_power_w`).
HWI_BASES = ("ap_total", "ap_mean", "own")


# ------------------------------------------------------------------------------------------------
# input checks
# ------------------------------------------------------------------------------------------------

def _phi(phi) -> np.ndarray:
    return real(phi, "phi", lo=-1.0, why="1 + phi scales a power; -1 removes ACI and HWI")


def _sigma_rt(sigma_rt) -> np.ndarray:
    return real(sigma_rt, "sigma_rt", lo=0.0, why="an EVM")


#: Smallest ACI ratio, linear: 1/A_l = 1/ACLR + 1/ACS with ACLR, ACS >= 0 dB gives A_l >= 1/2 (-3.01 dB).
ACIR_MIN = 0.5


def _acir(acir) -> np.ndarray:
    """Linear ACI ratios A_l: >= 1/2 (ACLR = ACS = 0 dB, Eq. 10) or +inf (no leakage)."""
    return real(acir, "acir", lo=ACIR_MIN, posinf=True,
                why="1/A_l = 1/ACLR + 1/ACS with ACLR, ACS >= 0 dB (Eq. 10): A_l >= 1/2 = -3.01 dB; inf = no leakage")


def _nonnegative(x, name: str) -> np.ndarray:
    """Powers and gains: finite and >= 0 (an infinite power or gain has no SINR)."""
    return _nonnegative_any(x, name, finite=True)


_broadcast = broadcast


def _int_array(x, name: str) -> np.ndarray:
    return int_array(x, name)


# ------------------------------------------------------------------------------------------------
# Eqs. (10)-(12) and (14): closed forms
# ------------------------------------------------------------------------------------------------

def acir_linear(aclr_db, acs_db):
    r"""Adjacent-channel interference ratio :math:`A_l` of Eq. (10), linear.

    .. math:: \frac{1}{A_l} = \frac{1}{\mathrm{ACLR}_l} + \frac{1}{\mathrm{ACS}_l}

    (3GPP TS 36.101/36.104; ECC Report 131, Table 10). ``aclr_db`` and ``acs_db`` in dB, one entry
    per adjacency :math:`l = 1, 2, \dots` (they broadcast). ``NetworkConfig.acir_db`` gives the same
    ratios in dB.

    Both are attenuations, >= 0 dB (0 dB = no attenuation), as ``NetworkConfig.aclr_db`` /
    ``acs_db`` require; there is no finite upper limit here (the config's 100 dB bounds a scenario,
    not the formula). Infinite attenuation is the ideal limit: ``aclr_db=inf`` (an ideal
    transmitter) gives :math:`A_l` = ACS, ``acs_db=inf`` gives ACLR, both give :math:`A_l = \infty`
    (no ACI). Raises ``ValueError`` for a negative value, NaN, ``-inf`` or shapes that do not
    broadcast, ``TypeError`` for non-numbers, naming the argument.
    """
    _broadcast(("aclr_db", "acs_db"), aclr_db, acs_db)
    aclr = real(aclr_db, "aclr_db", lo=0.0, posinf=True, unit="dB",
                why="an attenuation: 0 dB = none, +inf = an ideal transmitter")
    acs = real(acs_db, "acs_db", lo=0.0, posinf=True, unit="dB",
               why="an attenuation: 0 dB = none, +inf = an ideal receiver filter")
    return units.db_to_linear(units.combine_attenuations_db(aclr, acs))


def aci_power_w(gain, power_w, acir, phi=0.0):
    r"""ACI power at one victim, Eq. (10) (:math:`\phi = 0`) or Eq. (11) (physical network).

    .. math:: P_{ACI}^{(PHY)} = (1+\phi)\sum_{l=1}^{L} \frac{g_l P_l}{A_l}

    Parameters
    ----------
    gain : array [..., L]
        Channel gain :math:`g_l` from the transmitter of the :math:`l`-th adjacent-channel link to
        the victim (linear).
    power_w : array [..., L]
        Transmit power :math:`P_l` of that link (W). The paper calls it "the power received from
        the l-th adjacent channel"; multiplied by :math:`g_l` it must be the *transmit* power.
    acir : array [..., L]
        :math:`A_l` of that link's adjacency (linear, >= 1/2 -- the value of ACLR = ACS = 0 dB --
        or ``inf`` = no leakage; :func:`acir_linear`).
    phi : float or array [...]
        Physical-network deviation; ``0`` gives the twin's Eq. (10). Eq. (11) prints :math:`A_k`;
        we divide by :math:`A_l` (typo in the paper).

    Returns
    -------
    array [...] : the ACI power (W), summed over the last axis.

    Note: to compute a SINR, pass the twin value (``phi=0``) to :func:`sinr`, which applies
    :math:`1+\phi` itself.

    Raises ``ValueError`` (a gain or power negative or not finite, ``acir < 1/2``, ``phi < -1``, NaN,
    shapes that do not broadcast) or ``TypeError`` (non-numbers), naming the argument.
    """
    _broadcast(("gain", "power_w", "acir"), gain, power_w, acir)
    g = _nonnegative(gain, "gain")
    p = _nonnegative(power_w, "power_w")
    a = _acir(acir)
    with np.errstate(over="ignore"):                                   # a subnormal ACIR: an infinite leak
        return (1.0 + _phi(phi)) * np.sum(g * p / a, axis=-1)


def hwi_distortion_power_w(gain, total_power_w, sigma_rt, phi=0.0):
    r"""Received HWI distortion power, the first term of Eq. (14)'s denominator (W).

    .. math:: g_{n,k}\,(\sigma_t^2+\sigma_r^2)\,P_{total,k}\,(1+\phi)

    :math:`z \sim \mathcal{CN}(0, \sigma_{rt}^2 P_{total,k})` (twin, Sec. III-B-2) or
    :math:`\mathcal{CN}(0, \sigma_{rt}^2 P_{total,k}(1+\phi))` (physical, Eq. 12), passed through the
    serving channel :math:`\sqrt{g_{n,k}}` as in Eq. (13). ``gain`` linear, ``total_power_w`` (W)
    the power the distortion is proportional to (the paper: the serving AP's total transmit power,
    :func:`ap_total_power_w`; alternatives: :func:`hwi_reference_power_w`), ``sigma_rt`` =
    :math:`\sqrt{\sigma_t^2+\sigma_r^2}` (EVM, >= 0). Broadcasts. Raises ``ValueError`` /
    ``TypeError`` as :func:`aci_power_w`.
    """
    _broadcast(("gain", "total_power_w", "sigma_rt", "phi"), gain, total_power_w, sigma_rt, phi)
    g = _nonnegative(gain, "gain")
    p = _nonnegative(total_power_w, "total_power_w")
    s = _sigma_rt(sigma_rt)
    return g * s**2 * p * (1.0 + _phi(phi))


def sinr(power_w, gain, total_power_w, aci_w, noise_w, sigma_rt, phi=0.0):
    r"""Downlink SINR of Eq. (14), in the twin (:math:`\phi=0`) or the physical network (linear).

    .. math::
        \mathrm{sinr}_{n,k} = \frac{P_{n,k}\,g_{n,k}}
          {(1+\phi)\left[g_{n,k}\,\sigma_{rt}^2 P_{total,k} + P_{ACI}\right] + \sigma^2}

    With :math:`\phi = 0` this is Eq. (14) as printed; with :math:`\phi \ne 0` it is Eq. (14) with
    Eqs. (11)-(12) substituted, as the paper prescribes for the physical network.

    Parameters (all broadcast)
    ----------
    power_w : :math:`P_{n,k}`, the link's transmit power (W, >= 0).
    gain : :math:`g_{n,k}`, the serving channel gain (linear, >= 0).
    total_power_w : :math:`P_{total,k}` (W, >= 0): the serving AP's total transmit power over all
        its scheduled links, *including* this one (:func:`ap_total_power_w`).
    aci_w : the **twin** ACI power of Eq. (10) (W, >= 0), e.g. from
        :func:`adjacent_channel_interference_w`. The factor :math:`1+\phi` is applied here; do not
        pass an already-physical value.
    noise_w : :math:`\sigma^2` (W, > 0), e.g. ``dbm_to_watt(NetworkConfig().noise_power_dbm)``.
    sigma_rt : :math:`\sqrt{\sigma_t^2+\sigma_r^2}` (>= 0).
    phi : physical-network deviation (>= -1); ``-1`` removes ACI and HWI, ``0`` is the twin.

    Powers and gains must be finite and >= 0, ``noise_w`` finite and > 0; otherwise (or for NaN,
    shapes that do not broadcast) ``ValueError``, and ``TypeError`` for non-numbers, naming the argument.
    """
    _broadcast(("power_w", "gain", "total_power_w", "aci_w", "noise_w", "sigma_rt", "phi"),
               power_w, gain, total_power_w, aci_w, noise_w, sigma_rt, phi)
    p = _nonnegative(power_w, "power_w")
    g = _nonnegative(gain, "gain")
    aci = _nonnegative(aci_w, "aci_w")
    noise = _positive(noise_w, "noise_w", finite=True)
    total = _nonnegative(total_power_w, "total_power_w")
    return _sinr_core(p, g, total, aci, noise, _sigma_rt(sigma_rt), 1.0 + _phi(phi))


def _sinr_core(p, g, total, aci, noise, sigma_rt, factor):
    """Eq. (14) with the physical factor ``factor`` = 1 + phi on HWI and ACI; inputs already checked."""
    return p * g / (factor * (g * sigma_rt**2 * total + aci) + noise)


def hwi_sinr_ceiling(power_w, total_power_w, sigma_rt, phi=0.0):
    r"""Limit of Eq. (14) for :math:`g_{n,k}\to\infty` (ACI and noise fixed): the HWI ceiling.

    .. math:: \lim_{g\to\infty}\mathrm{sinr} = \frac{P_{n,k}}{(1+\phi)\,\sigma_{rt}^2\,P_{total,k}}

    With an equal split of the AP's power over :math:`n_k` links this is
    :math:`1/((1+\phi)\sigma_{rt}^2 n_k)` for every link. ``inf`` where :math:`\sigma_{rt} = 0`
    or :math:`\phi = -1`; ``total_power_w`` must be finite and > 0 (``ValueError`` / ``TypeError``
    naming the argument otherwise).
    """
    _broadcast(("power_w", "total_power_w", "sigma_rt", "phi"), power_w, total_power_w, sigma_rt, phi)
    p = _nonnegative(power_w, "power_w")
    total = _positive(total_power_w, "total_power_w", finite=True)
    den = (1.0 + _phi(phi)) * _sigma_rt(sigma_rt) ** 2 * total
    with np.errstate(divide="ignore"):
        return np.where(den > 0, p / np.where(den > 0, den, 1.0), np.inf)


# ------------------------------------------------------------------------------------------------
# Network-level quantities for an RRB allocation
# ------------------------------------------------------------------------------------------------

def _allocation(serving_ap, power_w, n_aps, scheduled):
    """Common checks: serving_ap [..., N] int in [0, K), power_w [..., N] >= 0, scheduled bool."""
    n_aps = integer(n_aps, "n_aps", lo=1)
    ap = _int_array(serving_ap, "serving_ap")
    p = _nonnegative(power_w, "power_w")
    if ap.ndim < 1 or p.ndim < 1:
        raise ValueError("serving_ap and power_w must be arrays [..., N]")
    if np.any((ap < 0) | (ap >= n_aps)):
        raise ValueError(f"serving_ap must be in [0, n_aps={n_aps}); got values {np.unique(ap)}")
    sched = np.ones(1, dtype=bool) if scheduled is None else bool_array(scheduled, "scheduled")
    shape = _broadcast(("serving_ap", "power_w", "scheduled"), ap, p, sched)
    return n_aps, np.broadcast_to(ap, shape), np.broadcast_to(p, shape), np.broadcast_to(sched, shape)


def ap_total_power_w(serving_ap, power_w, n_aps, scheduled=None):
    r""":math:`P_{total,k}`: total transmit power of each AP over its scheduled links (W).

    .. math:: P_{total,k} = \sum_{n:\,k(n)=k,\ n\ \mathrm{scheduled}} P_{n,k}

    ``serving_ap`` [..., N] int in [0, ``n_aps``), ``power_w`` [..., N] (W), ``scheduled`` [..., N]
    bool (default: all links; e.g. ``rrb >= 0``). Leading axes are independent networks.
    Returns [..., K] (``np.bincount`` on the flattened batch). Raises ``ValueError`` (an AP index
    outside [0, ``n_aps``), a power negative or not finite, shapes that do not broadcast) or
    ``TypeError`` (non-integer indices, a non-boolean mask, non-numbers), naming the argument.
    """
    n_aps, ap, p, sched = _allocation(serving_ap, power_w, n_aps, scheduled)
    return _ap_totals_core(ap, np.where(sched, p, 0.0), n_aps)


def _ap_totals_core(ap, p_scheduled, n_aps: int):
    """Sum of ``p_scheduled`` [..., N] per serving AP, [..., K]; inputs already checked."""
    batch = ap.shape[:-1]
    n_batch = int(np.prod(batch, dtype=np.int64))
    flat = (np.arange(n_batch).reshape(batch + (1,)) * n_aps + ap).ravel()          # [B*N]
    totals = np.bincount(flat, weights=p_scheduled.ravel(), minlength=n_batch * n_aps)
    return totals.reshape(batch + (n_aps,))                                           # [..., K]


def hwi_reference_power_w(serving_ap, power_w, n_aps, scheduled=None, basis="ap_total"):
    r"""Per link, the transmit power its HWI distortion is proportional to (W), [..., N].

    * ``"ap_total"`` (the paper, Sec. III-B-2): :math:`P_{total,k(n)}`, the serving AP's total power
      over *all* its RRBs, falls on the victim's RRB.
    * ``"ap_mean"``: :math:`P_{total,k(n)}/n_{k(n)}` -- an OFDMA transmitter's distortion spread
      evenly over the :math:`n_k` RRBs the AP occupies (an alternative, not the paper's).
    * ``"own"``: :math:`P_{n,k}`, distortion proportional to the link's own signal (the per-link
      model of Matthaiou et al. 2013 [40]); the ceiling is then :math:`1/\sigma_{rt}^2` for all.

    ``serving_ap``, ``power_w``, ``scheduled`` as in :func:`ap_total_power_w`. An unscheduled link
    gets the value its AP's scheduled links define (its own power for ``"own"``); it has no SINR.
    Raises as :func:`ap_total_power_w`, and ``ValueError`` for an unknown ``basis``.
    """
    choice(basis, "basis", HWI_BASES)
    n_aps, ap, p, sched = _allocation(serving_ap, power_w, n_aps, scheduled)
    return _hwi_reference_core(ap, p, sched, n_aps, basis)


def _hwi_reference_core(ap, p, sched, n_aps: int, basis: str):
    """:func:`hwi_reference_power_w` on checked, equally shaped arrays [..., N]."""
    if basis == "own":
        return p.copy()
    totals = _ap_totals_core(ap, np.where(sched, p, 0.0), n_aps)                     # [..., K]
    per_link_total = np.take_along_axis(totals, ap, axis=-1)                          # [..., N]
    if basis == "ap_total":
        return per_link_total
    counts = _ap_totals_core(ap, sched.astype(float), n_aps)                          # [..., K] n_k
    per_link_count = np.take_along_axis(counts, ap, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(per_link_count > 0, per_link_total / np.maximum(per_link_count, 1.0), 0.0)


def adjacent_channel_interference_w(rrb, serving_ap, power_w, gain_ap_to_device, acir,
                                    aci_source="other_ap", n_rrbs=None, per_offset=False):
    r"""Twin ACI power of Eq. (10) at every link of an RRB allocation (W), vectorized.

    A link :math:`n` on RRB :math:`r` receives, for every adjacency :math:`l = 1..L/2`, from every
    scheduled link :math:`j` on RRB :math:`r \pm l`

    .. math::
        P_{ACI,n} = \sum_{l=1}^{L/2} \frac{1}{A_l}
            \sum_{j:\ |r_j - r_n| = l,\ k(j) \ne k(n)} g_{k(j), n}\, P_j

    (``aci_source="other_ap"``, default, Sec. II-A: "devices associated with different RAT APs can
    be scheduled to adjacent RRBs"; ``"any"`` drops the condition :math:`k(j)\ne k(n)`). Eq. (10)'s
    :math:`L` counts both sides, so ``acir`` has :math:`L/2` entries. Several links may share an RRB
    (all of them leak). The physical-network factor :math:`1+\phi` (Eq. 11) is **not** applied
    here: :func:`sinr` applies it.

    Parameters
    ----------
    rrb : int array [..., N]
        RRB index of each link, ``-1`` = not scheduled this slot.
    serving_ap : int array [..., N]
        Serving AP :math:`k(n)` in [0, K).
    power_w : array [..., N]
        Transmit power of each link (W).
    gain_ap_to_device : array [..., K, N]
        Channel gain from each AP to each device (linear; path loss, shadowing and fading).
    acir : array [L/2]
        :math:`A_1, A_2, \dots` linear, each >= 1/2 or ``inf`` (:func:`acir_linear`).
    aci_source : {"other_ap", "any"}
    n_rrbs : int, optional
        Number of RRBs R; ``rrb`` must be < R (checked). Default: ``max(rrb) + 1``.
    per_offset : bool
        Also return the contribution of each adjacency, [..., L/2, N].

    Returns
    -------
    array [..., N] (W; 0 for unscheduled links), and with ``per_offset`` the breakdown.

    The computation puts each AP's scheduled power on an RRB grid ``[..., K, R + L]``
    (``np.bincount``) and gathers the grid at :math:`r_n \pm l`: cost :math:`O(N K L)`, no loop over
    links or RRBs.

    Raises ``ValueError`` (an index or size out of range, ``acir < 1/2`` or NaN, a gain or power
    negative or not finite, wrong shapes, an unknown ``aci_source``) or ``TypeError`` (non-integer
    indices, non-numbers, a non-boolean ``per_offset``), naming the argument.
    """
    choice(aci_source, "aci_source", ACI_SOURCES)
    per_offset = flag(per_offset, "per_offset")
    a = _acir(acir)
    if a.ndim != 1:
        raise ValueError(f"acir must be 1-D [L/2] (one ratio per adjacency); got shape {a.shape}")
    rrb = _int_array(rrb, "rrb")
    gain = _nonnegative(gain_ap_to_device, "gain_ap_to_device")
    if gain.ndim < 2:
        raise ValueError(f"gain_ap_to_device must be [..., K, N]; got shape {gain.shape}")
    n_aps = gain.shape[-2]
    if np.any(rrb < -1):
        raise ValueError(f"rrb must be >= 0 or -1 (not scheduled); got min {rrb.min()}")
    if n_rrbs is None:
        n_rrbs = max(int(rrb.max()) + 1 if rrb.size else 1, 1)
    else:
        n_rrbs = integer(n_rrbs, "n_rrbs", lo=1)
        if np.any(rrb >= n_rrbs):
            raise ValueError(f"rrb must be < n_rrbs={n_rrbs}; got max {rrb.max()}")

    sched = rrb >= 0
    n_aps, ap, p, sched = _allocation(serving_ap, power_w, n_aps, sched)
    shape = _broadcast(("rrb/serving_ap/power_w", "gain_ap_to_device[..., 0, :]"), ap, gain[..., 0, :])
    n_links = shape[-1]
    batch = shape[:-1]
    n_batch = int(np.prod(batch, dtype=np.int64))
    rrb = np.broadcast_to(rrb, shape).reshape(n_batch, n_links)                        # [B, N]
    ap = np.broadcast_to(ap, shape).reshape(n_batch, n_links)
    p = np.broadcast_to(p, shape).reshape(n_batch, n_links)
    sched = np.broadcast_to(sched, shape).reshape(n_batch, n_links)
    gain = np.broadcast_to(gain, batch + (n_aps, n_links)).reshape(n_batch, n_aps, n_links)  # [B, K, N]

    total, breakdown = _aci_core(rrb, ap, p, sched, gain, a, aci_source, n_rrbs)
    total = total.reshape(shape)
    if per_offset:
        return total, breakdown.reshape(batch + (a.size, n_links))
    return total


@functools.lru_cache(maxsize=64)
def _aci_index(n_batch: int, n_aps: int, width: int, half: int):
    """Index helpers of :func:`_aci_core` (cached: the step calls it with the same sizes every TS).

    ``batch_row`` [B, 1] = b K; ``ap_row`` [B, 1, K, 1] = (b K + k) width; ``offsets`` [L, 1] =
    -1, +1, -2, +2, ... RRBs.
    """
    batch_row = np.arange(n_batch)[:, None] * n_aps
    ap_row = ((batch_row + np.arange(n_aps)[None, :]) * width)[:, None, :, None]
    offsets = (np.repeat(np.arange(1, half + 1), 2) * np.tile([-1, 1], half))[:, None]
    for arr in (batch_row, ap_row, offsets):
        arr.setflags(write=False)
    return batch_row, ap_row, offsets


def _aci_core(rrb, ap, p, sched, gain, a, aci_source: str, n_rrbs: int):
    """Eq. (10) on checked arrays: rrb, ap, p, sched [B, N], gain [B, K, N], a [L/2].

    Returns the total [B, N] and the per-adjacency breakdown [B, L/2, N] (W).
    """
    n_batch, n_aps, n_links = gain.shape
    half = a.size
    width = n_rrbs + 2 * half                                                          # padded RRB axis
    batch_row, ap_row, offsets = _aci_index(n_batch, n_aps, width, half)
    # [B, K, R + L]: power each AP radiates on each RRB (scheduled links only)
    cell = (batch_row + ap) * width + np.where(sched, rrb + half, 0)
    grid = np.bincount(cell.ravel(), weights=np.where(sched, p, 0.0).ravel(), minlength=n_batch * n_aps * width)
    # [B, K, N]: which APs count as sources for each victim
    if aci_source == "other_ap":
        weight = np.where(np.arange(n_aps)[None, :, None] != ap[:, None, :], gain, 0.0)
    else:
        weight = gain
    centre = np.where(sched, rrb + half, half)                                         # [B, N]
    # [B, L, K, N]: each AP's power on the victim's RRB r + offset, gathered once for all offsets
    leaked = grid[ap_row + (centre[:, None, :] + offsets)[:, :, None, :]]
    per_side = np.einsum("bkn,blkn->bln", weight, leaked)                              # [B, L, N]
    breakdown = per_side.reshape(n_batch, half, 2, n_links).sum(axis=2) / a[None, :, None]   # [B, L/2, N]
    breakdown *= sched[:, None, :]
    return breakdown.sum(axis=1), breakdown


def network_sinr(rrb, serving_ap, power_w, gain_ap_to_device, acir, noise_w, sigma_rt, phi=0.0,
                 aci_source="other_ap", hwi_basis="ap_total", n_rrbs=None):
    r"""Eq. (14) for every link of an RRB allocation, [..., N] (linear; 0 for unscheduled links).

    Composes :func:`adjacent_channel_interference_w` (twin ACI, Eq. 10),
    :func:`hwi_reference_power_w` (``hwi_basis="ap_total"``: :math:`P_{total,k}`, the paper) and
    :func:`sinr` (which applies :math:`1+\phi`, Eqs. 11-12). Shapes and units as in
    :func:`adjacent_channel_interference_w`; the serving gain of link :math:`n` is
    ``gain_ap_to_device[..., serving_ap[n], n]``. Raises ``ValueError`` / ``TypeError`` as the three
    functions it composes.
    """
    aci = adjacent_channel_interference_w(rrb, serving_ap, power_w, gain_ap_to_device, acir,
                                          aci_source=aci_source, n_rrbs=n_rrbs)
    gain = np.asarray(gain_ap_to_device, dtype=float)
    sched = _int_array(rrb, "rrb") >= 0
    ap = _int_array(serving_ap, "serving_ap")
    shape = aci.shape
    ap_b = np.broadcast_to(ap, shape)
    gain_b = np.broadcast_to(gain, shape[:-1] + gain.shape[-2:])
    serving_gain = np.take_along_axis(gain_b, ap_b[..., None, :], axis=-2)[..., 0, :]  # [..., N]
    ref = hwi_reference_power_w(ap_b, np.broadcast_to(power_w, shape), gain.shape[-2],
                                np.broadcast_to(sched, shape), basis=hwi_basis)
    value = sinr(np.broadcast_to(power_w, shape), serving_gain, ref, aci, noise_w, sigma_rt, phi)
    return np.where(np.broadcast_to(sched, shape), value, 0.0)
