"""The digital twin's channel (paper Sec. III-B-1): path loss, shadowing and Jakes fading.

The channel gain of link (n, k) in time slot t is the paper's

.. math:: g^t_{n,k} = |h_{n,k}(t)|^2 \\beta_{n,k}, \\qquad \\beta_{n,k} = 10^{-(PL + \\sigma_s)/10}

with the path loss PL of 3GPP TR 38.901 UMi-Street Canyon (Eqs. 4-9, Table 7.4.1-1 of the TR),
log-normal shadowing :math:`\\sigma_s` and a first-order Gauss-Markov small-scale fading process
:math:`h` (Eq. 3) whose one-slot correlation is Clarke/Jakes' :math:`J_0(2\\pi f_d T_s)`.

Units: distances and heights in m, carrier frequency in **Hz** (TR 38.901 writes its formulas with
:math:`f_c` in GHz; the functions convert), path losses in dB, gains linear, times in s, Doppler in Hz.
Every function broadcasts over numpy arrays; every random draw takes a ``np.random.Generator``.
:func:`jakes_psd`, :func:`gauss_markov_psd`: the spectra of Clarke's correlation and of Eq. (3); chapter 2's
sum-of-sinusoids reference is :func:`multirat.reference.fading.sum_of_sinusoids_fading` (never imported here).

Validity. TR 38.901 Table 7.4.1-1 UMi holds for :math:`10\\,\\mathrm{m} \\le d_{2D} \\le 5\\,\\mathrm{km}`,
:math:`h_{BS} = 10` m, :math:`1.5 \\le h_{UT} \\le 22.5` m and :math:`0.5 \\le f_c \\le 100` GHz. A
carrier outside that range raises ``ValueError`` always. Distances and heights outside are
*extrapolated* with the same formulas by default (heights only need :math:`h > 1` m for Eq. 9), as
ns-3 does unless its ``EnforceParameterRanges`` attribute is set, because interfering links of large
or dense layouts can fall outside; pass ``strict=True`` to raise instead (ns-3's
``ThreeGppUmiStreetCanyonPropagationLossModel`` then aborts on the 2-D distance, on
:math:`h_{BS} \\ne 10` m and on the UT height; it bounds :math:`h_{UT} < h_{BS}`, we keep the TR's
22.5 m). The paper's values (drops at 30-300 m, :math:`h_{AP} = 10` m, :math:`h_{UT} = 1.5` m,
6.5 GHz) pass ``strict=True``.

Errors: ``TypeError`` for a wrong type, ``ValueError`` for NaN, infinities and values outside the ranges.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from multirat import _checks as chk

__all__ = [
    "UMI_D2D_MIN_M", "UMI_D2D_MAX_M", "UMI_FC_MIN_HZ", "UMI_FC_MAX_HZ", "UMI_SHADOWING_STD_DB",
    "UMI_H_BS_M", "UMI_H_UT_MIN_M", "UMI_H_UT_MAX_M", "UMI_SHADOWING_DECORRELATION_M", "COHERENCE_RULES",
    "breakpoint_distance_m", "distance_3d_m",
    "umi_los_probability", "umi_los_path_loss_db", "umi_nlos_path_loss_db", "umi_path_loss_db",
    "umi_path_loss_linear_average_db", "draw_los_state", "umi_path_loss_given_state_db",
    "shadowing_db", "large_scale_gain", "channel_gain", "received_power_dbm",
    "jakes_correlation", "gauss_markov_autocorrelation", "gauss_markov_init", "gauss_markov_step",
    "gauss_markov_sequence", "jakes_psd", "gauss_markov_psd",
    "max_doppler_hz", "doppler_for_coherence_time_hz",
]

#: Validity range of the 2-D distance in TR 38.901 UMi-Street Canyon (Table 7.4.1-1), m.
UMI_D2D_MIN_M, UMI_D2D_MAX_M = 10.0, 5000.0
#: Carrier-frequency range of TR 38.901 (Sec. 7.4.1), Hz.
UMI_FC_MIN_HZ, UMI_FC_MAX_HZ = 0.5e9, 100e9
#: Shadow-fading standard deviation of TR 38.901 Table 7.4.1-1, UMi-Street Canyon, dB.
UMI_SHADOWING_STD_DB = {"los": 4.0, "nlos": 7.82}
#: BS antenna height of TR 38.901 UMi-Street Canyon (Table 7.4.1-1: fixed at 10 m), m.
UMI_H_BS_M = 10.0
#: UT antenna height range of TR 38.901 UMi-Street Canyon (Table 7.4.1-1), m.
UMI_H_UT_MIN_M, UMI_H_UT_MAX_M = 1.5, 22.5
#: Shadow-fading decorrelation distance of TR 38.901 Table 7.5-6, UMi-Street Canyon, m.
UMI_SHADOWING_DECORRELATION_M = {"los": 10.0, "nlos": 13.0}


# ------------------------------------------------------------------------------------------------
# Input checks
# ------------------------------------------------------------------------------------------------

_STRICT = "TR 38.901 Table 7.4.1-1 UMi validity range; strict=True"


def _distance(d2d_m, strict: bool) -> np.ndarray:
    d = chk.real(d2d_m, "d2d_m", lo=0.0, unit="m")
    if strict:
        chk.real(d, "d2d_m", lo=UMI_D2D_MIN_M, hi=UMI_D2D_MAX_M, unit="m", why=f"the {_STRICT}")
    return d


def _frequency_ghz(fc_hz) -> np.ndarray:
    return chk.real(fc_hz, "fc_hz", lo=UMI_FC_MIN_HZ, hi=UMI_FC_MAX_HZ, unit="Hz",
                why="the TR 38.901 range 0.5-100 GHz; pass Hz, not GHz") / 1e9


def _heights(h_bs_m, h_ut_m, strict: bool) -> tuple[np.ndarray, np.ndarray]:
    """Heights > 1 m (Eq. 9 uses h - 1 m); with ``strict`` UMi's h_BS = 10 m and 1.5 <= h_UT <= 22.5 m."""
    why = "the breakpoint of Eq. (9) uses h - 1 m"
    h_bs = chk.real(h_bs_m, "h_bs_m", lo=1.0, lo_open=True, unit="m", why=why)
    h_ut = chk.real(h_ut_m, "h_ut_m", lo=1.0, lo_open=True, unit="m", why=why)
    if strict:
        chk.real(h_bs, "h_bs_m", lo=UMI_H_BS_M, hi=UMI_H_BS_M, unit="m", why=f"UMi fixes h_BS = 10 m: the {_STRICT}")
        chk.real(h_ut, "h_ut_m", lo=UMI_H_UT_MIN_M, hi=UMI_H_UT_MAX_M, unit="m", why=f"the {_STRICT}")
    return h_bs, h_ut


def _speed_of_light(c_m_s) -> float:
    return chk.real(c_m_s, "c_m_s", lo=0.0, lo_open=True, unit="m/s")


def _umi(d2d_m, fc_hz, h_bs_m, h_ut_m, c_m_s, strict):
    """Every argument of the UMi path-loss functions checked once: (d2d, f_GHz, h_bs, h_ut, c)."""
    strict = chk.flag(strict, "strict")
    d2d = _distance(d2d_m, strict)
    f_ghz = _frequency_ghz(fc_hz)
    h_bs, h_ut = _heights(h_bs_m, h_ut_m, strict)
    c = _speed_of_light(c_m_s)
    chk.broadcast(("d2d_m", "fc_hz", "h_bs_m", "h_ut_m", "c_m_s"), d2d, f_ghz, h_bs, h_ut, c)
    if np.any((d2d == 0) & (h_bs == h_ut)):
        raise ValueError("d2d_m=0 with h_ut_m == h_bs_m gives a zero 3-D distance (Eq. 2): the path loss is undefined")
    return d2d, f_ghz, h_bs, h_ut, c


def _rho(rho) -> np.ndarray:
    if isinstance(rho, float) and -1.0 <= rho <= 1.0:                   # fast path (the environment's step)
        return np.float64(rho)
    return chk.real(rho, "rho", lo=-1.0, hi=1.0, why="a correlation")


# ------------------------------------------------------------------------------------------------
# Large-scale fading: Eqs. 1-2, 4-9 and shadowing
# ------------------------------------------------------------------------------------------------

def breakpoint_distance_m(fc_hz, h_bs_m, h_ut_m, c_m_s=3e8):
    r"""Breakpoint distance :math:`d'_{BP}` of Eq. (9), in m.

    .. math:: d'_{BP} = \frac{4}{c}\,(h_{BS}-h_E)(h_{UT}-h_E)\,f_c, \qquad h_E = 1\ \mathrm{m}

    TR 38.901 Table 7.4.1-1 note 1 (UMi: effective environment height :math:`h_E = 1` m). The paper
    prints it as :math:`d_{BP} = \frac4c (H-1)(H_n-1) f_c`, i.e. with the effective heights already
    substituted. ``fc_hz`` in Hz (0.5-100 GHz), heights in m (> 1 m), ``c_m_s`` the speed of light
    (> 0; Table 1: 3e8 m/s).

    Raises ``ValueError`` (a value out of range, NaN, shapes that do not broadcast) or ``TypeError``
    (not real numbers), naming the argument.
    """
    f = _frequency_ghz(fc_hz) * 1e9
    h_bs, h_ut = _heights(h_bs_m, h_ut_m, strict=False)
    c = _speed_of_light(c_m_s)
    chk.broadcast(("fc_hz", "h_bs_m", "h_ut_m", "c_m_s"), f, h_bs, h_ut, c)
    return _breakpoint_core(f, h_bs, h_ut, c)


def _breakpoint_core(f_hz, h_bs, h_ut, c):  # Eq. (9) on checked inputs
    return 4.0 * (h_bs - 1.0) * (h_ut - 1.0) * f_hz / c


def distance_3d_m(d2d_m, h_bs_m, h_ut_m):
    r"""3-D distance of Eq. (2) from the 2-D distance of Eq. (1): :math:`\sqrt{d_{2D}^2 + (h_{BS}-h_{UT})^2}`, m.

    ``d2d_m``, ``h_bs_m``, ``h_ut_m`` finite and >= 0 (m), broadcast. Raises ``ValueError`` /
    ``TypeError`` naming the argument otherwise.
    """
    d, h_bs, h_ut = (chk.nonnegative(x, name, finite=True, unit="m")
                     for x, name in ((d2d_m, "d2d_m"), (h_bs_m, "h_bs_m"), (h_ut_m, "h_ut_m")))
    chk.broadcast(("d2d_m", "h_bs_m", "h_ut_m"), d, h_bs, h_ut)
    return np.hypot(d, h_bs - h_ut)


def umi_los_probability(d2d_m, paper_printed: bool = False, *, strict: bool = False):
    r"""LoS probability of TR 38.901 Table 7.4.2-1, UMi-Street Canyon (used by Eq. 4).

    .. math::
        \Pr_{LoS} = \begin{cases} 1 & d_{2D} \le 18\ \mathrm{m} \\
        \frac{18}{d_{2D}} + e^{-d_{2D}/36}\left(1-\frac{18}{d_{2D}}\right) & d_{2D} > 18\ \mathrm{m}\end{cases}

    The paper prints only the second branch. ``paper_printed=True`` evaluates that branch at every
    distance, which exceeds 1 below 18 m (it is shown in the book; the paper's drops start at 30 m,
    where both agree); it needs ``d2d_m > 0`` (it divides by the distance). ``d2d_m`` in m (>= 0),
    result in [0, 1] (default). ``strict=True`` also requires the UMi distance range
    [10 m, 5 km] of the path loss the probability weights, and with ``paper_printed`` a distance
    >= 18 m, where the printed branch is a probability.

    Raises ``ValueError`` for distances outside those domains or NaN, ``TypeError`` for non-numbers
    or non-boolean flags, naming the argument.
    """
    paper_printed, strict = chk.flag(paper_printed, "paper_printed"), chk.flag(strict, "strict")
    d = _distance(d2d_m, strict)
    if paper_printed:
        chk.real(d, "d2d_m", lo=18.0 if strict else 0.0, lo_open=not strict, unit="m",
             why="paper_printed=True divides by the distance" + (" and exceeds 1 below 18 m" if strict else ""))
        # 18/d + e^(-d/36)(1 - 18/d) = (18/36) (1 - e^(-x))/x + e^(-x), x = d/36: finite down to the tiniest d
        return 0.5 * special.exprel(-d / 36.0) + np.exp(-d / 36.0)
    return _los_probability_core(d)


def _los_probability_core(d):
    far = np.maximum(d, 18.0)                      # the d > 18 m branch, evaluated where it applies
    return np.where(d <= 18.0, 1.0, 18.0 / far + np.exp(-far / 36.0) * (1.0 - 18.0 / far))


def umi_los_path_loss_db(d2d_m, fc_hz, h_bs_m, h_ut_m, *, c_m_s=3e8, strict: bool = False):
    r"""LoS path loss of Eqs. (5)-(7) (TR 38.901 Table 7.4.1-1, UMi-Street Canyon), in dB.

    .. math::
        PL_{LoS} = \begin{cases} PL_1 = 32.4 + 21\log_{10} d_{3D} + 20\log_{10} f_c
            & d_{2D} \le d'_{BP} \\
        PL_2 = 32.4 + 40\log_{10} d_{3D} + 20\log_{10} f_c + \eta_{LoS} & d_{2D} > d'_{BP}\end{cases}

    with :math:`\eta_{LoS} = -9.5\log_{10}(d'^2_{BP} + (h_{BS}-h_{UT})^2)`, :math:`d_{3D}` of Eq. (2),
    :math:`d'_{BP}` of Eq. (9) and :math:`f_c` **in GHz** inside the formula (the argument ``fc_hz``
    is in Hz). The two branches meet continuously at :math:`d_{2D} = d'_{BP}`.

    Args: ``d2d_m`` 2-D distance (m, >= 0), ``fc_hz`` (Hz, 0.5-100 GHz), ``h_bs_m``, ``h_ut_m``
    (m, > 1), ``c_m_s`` (m/s, > 0), all broadcast. ``strict=True`` applies every validity range of
    TR 38.901 Table 7.4.1-1 for UMi, as ns-3's ``EnforceParameterRanges``: 10 m <= d2D <= 5 km,
    h_BS = 10 m, 1.5 m <= h_UT <= 22.5 m; otherwise the formulas extrapolate in distance and height.

    Raises ``ValueError`` naming the argument, its value and the range (also for a zero 3-D
    distance), ``TypeError`` for non-numbers.
    """
    return _los_core(*_umi(d2d_m, fc_hz, h_bs_m, h_ut_m, c_m_s, strict))


def _los_core(d2d, f_ghz, h_bs, h_ut, c):
    d3d = np.hypot(d2d, h_bs - h_ut)
    d_bp = _breakpoint_core(f_ghz * 1e9, h_bs, h_ut, c)
    eta_los = -9.5 * np.log10(d_bp**2 + (h_bs - h_ut) ** 2)
    pl1 = 32.4 + 21.0 * np.log10(d3d) + 20.0 * np.log10(f_ghz)
    pl2 = 32.4 + 40.0 * np.log10(d3d) + 20.0 * np.log10(f_ghz) + eta_los
    return np.where(d2d <= d_bp, pl1, pl2)


def _nlos_core(d2d, f_ghz, h_bs, h_ut, c, pl_los=None):
    """Eq. (8): max(PL'_NLoS, PL_LoS) on checked inputs."""
    pl_los = _los_core(d2d, f_ghz, h_bs, h_ut, c) if pl_los is None else pl_los
    eta_nlos = -0.3 * (h_ut - 1.5)
    prime = 22.4 + 35.3 * np.log10(np.hypot(d2d, h_bs - h_ut)) + 21.3 * np.log10(f_ghz) + eta_nlos
    return np.maximum(prime, pl_los)


def umi_nlos_path_loss_db(d2d_m, fc_hz, h_bs_m, h_ut_m, *, c_m_s=3e8, strict: bool = False):
    r"""NLoS path loss of Eq. (8) (TR 38.901 Table 7.4.1-1, UMi-Street Canyon), in dB.

    .. math::
        PL_{NLoS} = \max\left(22.4 + 35.3\log_{10} d_{3D} + 21.3\log_{10} f_c + \eta_{NLoS},\ PL_{LoS}\right),
        \qquad \eta_{NLoS} = -0.3\,(h_{UT} - 1.5)

    :math:`f_c` in GHz inside the formula (argument in Hz); same arguments, ranges (``strict``) and
    errors (``ValueError`` / ``TypeError``) as :func:`umi_los_path_loss_db`. By construction :math:`PL_{NLoS} \ge PL_{LoS}`.
    """
    return _nlos_core(*_umi(d2d_m, fc_hz, h_bs_m, h_ut_m, c_m_s, strict))


def _umi_los_nlos_db(d2d_m, fc_hz, h_bs_m, h_ut_m, c_m_s, strict):
    """(Pr_LoS, PL_LoS, PL_NLoS) computed once, for Eq. (4) and its alternatives."""
    args = _umi(d2d_m, fc_hz, h_bs_m, h_ut_m, c_m_s, strict)
    pl_los = _los_core(*args)
    return _los_probability_core(args[0]), pl_los, _nlos_core(*args, pl_los=pl_los)


def umi_path_loss_db(d2d_m, fc_hz, h_bs_m, h_ut_m, *, c_m_s=3e8, strict: bool = False):
    r"""Average path loss of Eq. (4), in dB, exactly as printed (the LoS-probability-weighted **dB** values).

    .. math:: PL = \Pr_{LoS}\,PL_{LoS} + (1-\Pr_{LoS})\,PL_{NLoS}

    Averaging in dB is a geometric mean of the two linear gains; TR 38.901 instead draws the LoS
    state per link (:func:`draw_los_state`, :func:`umi_path_loss_given_state_db`), whose mean linear
    gain is :func:`umi_path_loss_linear_average_db`. Arguments, ranges and errors (``ValueError``) as
    :func:`umi_los_path_loss_db`.
    """
    p_los, pl_los, pl_nlos = _umi_los_nlos_db(d2d_m, fc_hz, h_bs_m, h_ut_m, c_m_s, strict)
    return p_los * pl_los + (1.0 - p_los) * pl_nlos


def umi_path_loss_linear_average_db(d2d_m, fc_hz, h_bs_m, h_ut_m, *, c_m_s=3e8, strict: bool = False):
    r"""Path loss (dB) of the mean linear gain over the random LoS state (alternative to Eq. 4).

    .. math:: PL_{lin} = -10\log_{10}\left(\Pr_{LoS} 10^{-PL_{LoS}/10} + (1-\Pr_{LoS}) 10^{-PL_{NLoS}/10}\right)

    This is :math:`-10\log_{10} E[10^{-PL/10}]` when the state is LoS with probability
    :math:`\Pr_{LoS}` (TR 38.901 Sec. 7.4.2). By Jensen's inequality it is never above Eq. (4).
    Arguments, ranges and errors (``ValueError`` / ``TypeError``) as :func:`umi_los_path_loss_db`.
    """
    p_los, pl_los, pl_nlos = _umi_los_nlos_db(d2d_m, fc_hz, h_bs_m, h_ut_m, c_m_s, strict)
    return -10.0 * np.log10(p_los * 10.0 ** (-pl_los / 10.0) + (1.0 - p_los) * 10.0 ** (-pl_nlos / 10.0))


def draw_los_state(rng: np.random.Generator, d2d_m):
    """Random LoS state per link (TR 38.901 Sec. 7.4.2): ``True`` with probability
    :func:`umi_los_probability` of ``d2d_m``; boolean array of ``d2d_m``'s shape.

    Raises ``TypeError`` unless ``rng`` is a ``numpy.random.Generator``, and as
    :func:`umi_los_probability` for ``d2d_m``.
    """
    chk.generator(rng)
    p_los = _los_probability_core(_distance(d2d_m, strict=False))
    return rng.random(np.shape(p_los)) < p_los


def umi_path_loss_given_state_db(is_los, d2d_m, fc_hz, h_bs_m, h_ut_m, *, c_m_s=3e8, strict: bool = False):
    """Path loss (dB) of a link in a given LoS state: Eq. (5) where ``is_los``, Eq. (8) elsewhere.

    ``is_los`` booleans broadcast against the other arguments (``TypeError`` otherwise); the rest
    as :func:`umi_los_path_loss_db` (ranges, ``strict`` and errors).
    """
    los = chk.bool_array(is_los, "is_los")
    args = _umi(d2d_m, fc_hz, h_bs_m, h_ut_m, c_m_s, strict)
    chk.broadcast(("is_los", "d2d_m"), los, args[0])
    pl_los = _los_core(*args)
    return np.where(los, pl_los, _nlos_core(*args, pl_los=pl_los))


def shadowing_db(rng: np.random.Generator, shape, std_db):
    r"""Log-normal shadowing :math:`\sigma_s \sim \mathcal N(0, \mathrm{std}^2)` in dB, array of ``shape``.

    ``std_db`` (dB, finite, >= 0) broadcasts against ``shape`` (e.g. a per-link 4 / 7.82 dB for LoS / NLoS
    links, :data:`UMI_SHADOWING_STD_DB`). The paper uses one standard deviation for every link
    (Sec. VI-I: 4, 6, 8 dB); no spatial correlation is modelled (the paper gives none).

    Raises ``TypeError`` (``rng`` not a Generator, a shape or ``std_db`` not numbers) or
    ``ValueError`` (negative or non-finite ``std_db``, negative sizes, shapes that do not broadcast).
    """
    chk.generator(rng)
    size = chk.shape(shape)
    std = chk.nonnegative(std_db, "std_db", finite=True, unit="dB")
    chk.broadcast(("shape", "std_db"), np.empty(size, dtype=bool), std)
    return rng.standard_normal(size) * std


def large_scale_gain(path_loss_db, shadowing_db):
    r"""Large-scale gain :math:`\beta = 10^{-(PL + \sigma_s)/10}` (Sec. III-B-1), linear, from dB inputs.

    Both finite (dB), broadcast; ``ValueError`` / ``TypeError`` naming the argument otherwise."""
    pl, sh = chk.real(path_loss_db, "path_loss_db", unit="dB"), chk.real(shadowing_db, "shadowing_db", unit="dB")
    chk.broadcast(("path_loss_db", "shadowing_db"), pl, sh)
    with np.errstate(over="ignore", under="ignore"):
        return np.power(10.0, -(pl + sh) / 10.0)


def channel_gain(h, beta):
    r"""Channel gain :math:`g^t_{n,k} = |h_{n,k}(t)|^2 \beta_{n,k}` (Sec. III-B-1), linear.

    ``h`` finite complex (or real), ``beta`` finite and >= 0, broadcast; else ``ValueError`` / ``TypeError``."""
    hh, b = chk.complex_array(h, "h"), chk.nonnegative(beta, "beta", finite=True)
    chk.broadcast(("h", "beta"), hh, b)
    return _gain_core(hh, b)


def _gain_core(h, beta):  # on checked inputs (the environment's step)
    return np.abs(h) ** 2 * beta


def received_power_dbm(p_tx_dbm, gain):
    """Power received through a channel of linear power gain ``gain``: ``p_tx_dbm + 10 log10(gain)``, dBm.

    ``p_tx_dbm`` finite, ``gain`` finite and >= 0 (0 gives ``-inf``); ``ValueError`` / ``TypeError`` otherwise."""
    p = chk.real(p_tx_dbm, "p_tx_dbm", unit="dBm")
    g = chk.nonnegative(gain, "gain", finite=True)
    chk.broadcast(("p_tx_dbm", "gain"), p, g)
    with np.errstate(divide="ignore"):
        return p + 10.0 * np.log10(g)


# ------------------------------------------------------------------------------------------------
# Small-scale fading: Eq. 3, Clarke/Jakes correlation and the two processes' spectra
# ------------------------------------------------------------------------------------------------

def jakes_correlation(doppler_hz, slot_s):
    r"""Clarke/Jakes correlation of the fading between two instants ``slot_s`` apart.

    .. math:: \rho = J_0(2\pi f_d T_s)

    Used as :math:`\rho` of Eq. (3) (the paper does not give :math:`f_d`; see ``NetworkConfig.doppler_hz``).
    ``doppler_hz`` >= 0 (Hz), ``slot_s`` >= 0 (s), both finite; broadcast. Lag :math:`k` of Clarke's
    model is ``jakes_correlation(f_d, k * T_s)``. Raises ``ValueError`` / ``TypeError`` naming the argument.
    """
    fd = chk.nonnegative(doppler_hz, "doppler_hz", finite=True, unit="Hz")
    ts = chk.nonnegative(slot_s, "slot_s", finite=True, unit="s")
    chk.broadcast(("doppler_hz", "slot_s"), fd, ts)
    return special.j0(2.0 * np.pi * fd * ts)


def gauss_markov_autocorrelation(rho, lag):
    r"""Autocorrelation :math:`E[h(t+k)h^*(t)] = \rho^{|k|}` of the stationary process of Eq. (3).

    ``rho`` in [-1, 1], ``lag`` integers (slots; a fractional lag of a negative ``rho`` has no real
    power), broadcast. Raises ``ValueError`` / ``TypeError`` naming the argument.
    """
    r = _rho(rho)
    k = np.abs(chk.int_array(lag, "lag"))
    chk.broadcast(("rho", "lag"), r, k)
    return r ** k


def gauss_markov_init(rng: np.random.Generator, shape):
    r""":math:`h(0) \sim \mathcal{CN}(0, 1)` (Sec. III-B-1): complex128 array of ``shape``.

    Raises ``TypeError`` (``rng`` not a Generator, ``shape`` not integers) or ``ValueError`` (negative sizes).
    """
    chk.generator(rng)
    size = chk.shape(shape)
    return (rng.standard_normal(size) + 1j * rng.standard_normal(size)) * np.sqrt(0.5)


def gauss_markov_step(rng: np.random.Generator, h, rho):
    r"""One slot of the first-order Gauss-Markov fading of Eq. (3).

    .. math:: h(t) = \rho\, h(t-1) + e(t), \qquad e(t) \sim \mathcal{CN}(0, 1-\rho^2)

    (the paper names the innovation :math:`\sigma`). ``h`` finite complex, any shape; ``rho`` in
    [-1, 1] broadcasts against it. Keeps :math:`E|h|^2 = 1` when :math:`h(t-1) \sim \mathcal{CN}(0,1)`.
    Raises ``TypeError`` / ``ValueError`` naming the argument.
    """
    chk.generator(rng)
    hh, r = chk.complex_array(h, "h"), _rho(rho)
    chk.broadcast(("h", "rho"), hh, r)
    return _gauss_markov_step_core(rng, hh, r)


def _gauss_markov_step_core(rng, h, r):
    """Eq. (3) on checked inputs (the environment's step calls this once per TS)."""
    shape = np.broadcast_shapes(h.shape, np.shape(r))
    return _gauss_markov_update_core(h, r, rng.standard_normal(shape) + 1j * rng.standard_normal(shape))


def _gauss_markov_update_core(h, r, noise):
    """Eq. (3) given the innovation ``noise`` = e_re + j e_im (the environment's per-network draws)."""
    return r * h + np.sqrt((1.0 - r**2) / 2.0) * noise


def gauss_markov_sequence(rng: np.random.Generator, shape, n_steps: int, rho):
    """``n_steps`` slots of Eq. (3) from :math:`h(0) \\sim \\mathcal{CN}(0,1)`: complex ``[n_steps, *shape]``
    whose entry 0 is :math:`h(0)` (loops over slots only, vectorised over links).

    ``n_steps`` an integer >= 1, ``rho`` in [-1, 1] broadcast against ``shape``. Raises
    ``TypeError`` / ``ValueError`` naming the argument.
    """
    chk.generator(rng)
    size = chk.shape(shape)
    n = chk.integer(n_steps, "n_steps", lo=1)
    r = _rho(rho)
    chk.broadcast(("shape", "rho"), np.empty(size, dtype=bool), r)
    out = np.empty((n, *size), dtype=np.complex128)
    out[0] = gauss_markov_init(rng, size)
    for t in range(1, n):
        out[t] = _gauss_markov_step_core(rng, out[t - 1], r)
    return out


def jakes_psd(freq_hz, doppler_hz):
    r"""Clarke/Jakes Doppler power spectrum (unit power), 1/Hz: the Fourier transform of :math:`J_0(2\pi f_d\tau)`.

    .. math:: S(f) = \frac{1}{\pi f_d\sqrt{1-(f/f_d)^2}} \ \text{for}\ |f| < f_d, \ 0 \ \text{otherwise}

    ``freq_hz`` finite (Hz, any shape), ``doppler_hz`` one finite frequency > 0. Raises
    ``ValueError`` / ``TypeError`` naming the argument.
    """
    f = chk.real(freq_hz, "freq_hz", unit="Hz")
    fd = float(chk.real(chk.scalar(doppler_hz, "doppler_hz"), "doppler_hz", lo=0.0, lo_open=True, unit="Hz",
                    why="a Doppler spectrum needs motion"))
    inside = np.abs(f) < fd
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):    # 1/(pi f_d) may exceed the float range
        s = 1.0 / (np.pi * fd * np.sqrt(1.0 - (f / fd) ** 2))
    return np.where(inside, s, 0.0)


def gauss_markov_psd(freq_hz, rho, slot_s):
    r"""Power spectrum (unit power, 1/Hz over :math:`|f| \le 1/(2T_s)`) of the process of Eq. (3) sampled every ``slot_s``.

    .. math:: S(f) = \frac{T_s\,(1-\rho^2)}{|1-\rho\, e^{-j2\pi f T_s}|^2}

    the discrete-time Fourier transform of :math:`\rho^{|k|}` (a Lorentzian-like peak at 0 Hz, not
    Jakes' U shape). ``freq_hz`` finite (Hz), ``rho`` in [-1, 1], ``slot_s`` one finite duration
    > 0 (s). Raises ``ValueError`` / ``TypeError`` naming the argument.
    """
    f = chk.real(freq_hz, "freq_hz", unit="Hz")
    r = _rho(rho)
    chk.broadcast(("freq_hz", "rho"), f, r)
    ts = float(chk.positive(chk.scalar(slot_s, "slot_s"), "slot_s", finite=True, unit="s"))
    with np.errstate(divide="ignore", invalid="ignore"):
        return ts * (1.0 - r**2) / np.abs(1.0 - r * np.exp(-2j * np.pi * f * ts)) ** 2


def max_doppler_hz(speed_m_s, fc_hz, c_m_s=3e8):
    r"""Maximum Doppler frequency :math:`f_d = v f_c / c` (Hz) of a device moving at ``speed_m_s``.

    ``speed_m_s`` >= 0, ``fc_hz`` > 0, ``c_m_s`` > 0, all finite, broadcast. Raises ``ValueError`` /
    ``TypeError`` naming the argument.
    """
    v = chk.nonnegative(speed_m_s, "speed_m_s", finite=True, unit="m/s")
    f = chk.positive(fc_hz, "fc_hz", finite=True, unit="Hz")
    c = chk.positive(c_m_s, "c_m_s", finite=True, unit="m/s")
    chk.broadcast(("speed_m_s", "fc_hz", "c_m_s"), v, f, c)
    return v * f / c


#: Coherence-time rules T_c = k / f_d (Rappaport, Wireless Communications, 2nd ed., Sec. 5.4.3): the constant k.
COHERENCE_RULES = {"clarke_0.5": 9.0 / (16.0 * np.pi), "geometric_mean": 0.423}


def doppler_for_coherence_time_hz(coherence_time_s, rule: str = "geometric_mean"):
    r"""The Doppler frequency whose coherence time is ``coherence_time_s``: :math:`f_d = k / T_c`.

    ``rule="clarke_0.5"``: :math:`T_c = 9/(16\pi f_d)` (envelope correlation above 0.5);
    ``rule="geometric_mean"``: :math:`T_c = 0.423/f_d` (Rappaport's rule of thumb, the geometric
    mean of the two). The paper calls :math:`T_s = 20` ms "the channel coherence time" (Sec. III-A-3).
    ``coherence_time_s`` finite and > 0 (s). Raises ``ValueError`` (unknown ``rule``, a value out of
    range) or ``TypeError`` naming the argument.
    """
    k = COHERENCE_RULES[chk.choice(rule, "rule", tuple(COHERENCE_RULES))]
    with np.errstate(over="ignore"):                                       # a subnormal T_c: f_d = inf
        return k / chk.positive(coherence_time_s, "coherence_time_s", finite=True, unit="s")
