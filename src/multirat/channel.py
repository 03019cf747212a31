"""The digital twin's channel (paper Sec. III-B-1): path loss, shadowing and Jakes fading.

The channel gain of link (n, k) in time slot t is the paper's

.. math:: g^t_{n,k} = |h_{n,k}(t)|^2 \\beta_{n,k}, \\qquad \\beta_{n,k} = 10^{-(PL + \\sigma_s)/10}

with the path loss PL of 3GPP TR 38.901 UMi-Street Canyon (Eqs. 4-9, Table 7.4.1-1 of the TR),
log-normal shadowing :math:`\\sigma_s` and a first-order Gauss-Markov small-scale fading process
:math:`h` (Eq. 3) whose one-slot correlation is Clarke/Jakes' :math:`J_0(2\\pi f_d T_s)`.

Units: distances and heights in m, carrier frequency in **Hz** (TR 38.901 writes its formulas with
:math:`f_c` in GHz; the functions convert), path losses in dB, gains linear, times in s, Doppler in Hz.
Every function broadcasts over numpy arrays; every random draw takes a ``np.random.Generator``.
:func:`jakes_psd` and :func:`gauss_markov_psd` are the closed-form spectra of Clarke's correlation
and of Eq. (3); the sum-of-sinusoids simulator of Clarke's model that chapter 2 compares Eq. (3)
with is a validation reference, :func:`multirat.reference.fading.sum_of_sinusoids_fading`
(this module never imports :mod:`multirat.reference`).

Validity. TR 38.901 UMi holds for :math:`10\\,\\mathrm{m} \\le d_{2D} \\le 5\\,\\mathrm{km}` and
:math:`0.5 \\le f_c \\le 100` GHz. A carrier outside that range raises ``ValueError``. Distances
outside [10 m, 5 km] are *extrapolated* with the same formulas by default (as ns-3 does unless its
``EnforceRanges`` attribute is set), because interfering links of large or dense layouts can fall
outside; pass ``strict=True`` to raise instead. The paper's own drops (30-300 m) are inside.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from multirat._checks import nonnegative

__all__ = [
    "UMI_D2D_MIN_M", "UMI_D2D_MAX_M", "UMI_FC_MIN_HZ", "UMI_FC_MAX_HZ", "UMI_SHADOWING_STD_DB",
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


# ------------------------------------------------------------------------------------------------
# Input checks
# ------------------------------------------------------------------------------------------------

def _distance(d2d_m, strict: bool) -> np.ndarray:
    d = np.asarray(d2d_m, dtype=float)
    if not np.all(np.isfinite(d)) or np.any(d < 0):
        bad = d[~(np.isfinite(d) & (d >= 0))]
        raise ValueError(f"d2d_m must be finite and >= 0 m; got {bad.size} invalid value(s), e.g. {bad.flat[0]!r}")
    if strict and np.any((d < UMI_D2D_MIN_M) | (d > UMI_D2D_MAX_M)):
        raise ValueError(f"d2d_m outside the TR 38.901 UMi validity range [{UMI_D2D_MIN_M:g}, {UMI_D2D_MAX_M:g}] m "
                         f"(strict=True): got range [{d.min():g}, {d.max():g}] m")
    return d


def _frequency_ghz(fc_hz) -> np.ndarray:
    f = np.asarray(fc_hz, dtype=float)
    if not np.all(np.isfinite(f)) or np.any((f < UMI_FC_MIN_HZ) | (f > UMI_FC_MAX_HZ)):
        raise ValueError(f"fc_hz must be in the TR 38.901 range [{UMI_FC_MIN_HZ:g}, {UMI_FC_MAX_HZ:g}] Hz "
                         f"(0.5-100 GHz; pass Hz, not GHz); got {fc_hz!r}")
    return f / 1e9


def _height(h_m, name: str) -> np.ndarray:
    h = np.asarray(h_m, dtype=float)
    if not np.all(np.isfinite(h)) or np.any(h <= 1.0):
        raise ValueError(f"{name} must be > 1 m (the breakpoint of Eq. 9 uses h - 1 m); got {h_m!r}")
    return h


def _nonnegative_finite(x, name: str) -> np.ndarray:
    return nonnegative(x, name, finite=True)


def _rho(rho) -> np.ndarray:
    if isinstance(rho, float) and -1.0 <= rho <= 1.0:                   # fast path (the environment's step)
        return np.float64(rho)
    r = np.asarray(rho, dtype=float)
    if not np.all(np.isfinite(r)) or np.any(np.abs(r) > 1):
        raise ValueError(f"rho must be a correlation in [-1, 1]; got {rho!r}")
    return r


# ------------------------------------------------------------------------------------------------
# Large-scale fading: Eqs. 1-2, 4-9 and shadowing
# ------------------------------------------------------------------------------------------------

def breakpoint_distance_m(fc_hz, h_bs_m, h_ut_m, c_m_s=3e8):
    r"""Breakpoint distance :math:`d'_{BP}` of Eq. (9), in m.

    .. math:: d'_{BP} = \frac{4}{c}\,(h_{BS}-h_E)(h_{UT}-h_E)\,f_c, \qquad h_E = 1\ \mathrm{m}

    TR 38.901 Table 7.4.1-1 note 1 (UMi: effective environment height :math:`h_E = 1` m). The paper
    prints it as :math:`d_{BP} = \frac4c (H-1)(H_n-1) f_c`, i.e. with the effective heights already
    substituted. ``fc_hz`` in Hz, heights in m (> 1 m), ``c_m_s`` the speed of light (Table 1: 3e8 m/s).
    """
    f = _frequency_ghz(fc_hz) * 1e9
    h_bs, h_ut = _height(h_bs_m, "h_bs_m"), _height(h_ut_m, "h_ut_m")
    return 4.0 * (h_bs - 1.0) * (h_ut - 1.0) * f / float(c_m_s)


def distance_3d_m(d2d_m, h_bs_m, h_ut_m):
    r"""3-D distance of Eq. (2) from the 2-D distance of Eq. (1): :math:`\sqrt{d_{2D}^2 + (h_{BS}-h_{UT})^2}`, m."""
    return np.hypot(np.asarray(d2d_m, dtype=float), np.asarray(h_bs_m, dtype=float) - np.asarray(h_ut_m, dtype=float))


def umi_los_probability(d2d_m, paper_printed: bool = False):
    r"""LoS probability of TR 38.901 Table 7.4.2-1, UMi-Street Canyon (used by Eq. 4).

    .. math::
        \Pr_{LoS} = \begin{cases} 1 & d_{2D} \le 18\ \mathrm{m} \\
        \frac{18}{d_{2D}} + e^{-d_{2D}/36}\left(1-\frac{18}{d_{2D}}\right) & d_{2D} > 18\ \mathrm{m}\end{cases}

    The paper prints only the second branch. ``paper_printed=True`` evaluates that branch at every
    distance, which exceeds 1 below 18 m (it is shown in the book; the paper's drops start at 30 m,
    where both agree). ``d2d_m`` in m, result in [0, 1] (default).
    """
    d = _distance(d2d_m, strict=False)
    if paper_printed:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return 18.0 / d + np.exp(-d / 36.0) * (1.0 - 18.0 / d)
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

    Args: ``d2d_m`` 2-D distance (m, >= 0), ``fc_hz`` (Hz), ``h_bs_m``, ``h_ut_m`` (m, > 1), all
    broadcast. ``strict=True`` raises outside 10 m <= d2D <= 5 km; otherwise the formulas extrapolate.
    """
    d2d = _distance(d2d_m, strict)
    f_ghz = _frequency_ghz(fc_hz)
    h_bs, h_ut = _height(h_bs_m, "h_bs_m"), _height(h_ut_m, "h_ut_m")
    d3d = distance_3d_m(d2d, h_bs, h_ut)
    if np.any(d3d == 0):
        raise ValueError("d2d_m = 0 with h_ut_m == h_bs_m gives a zero 3-D distance (Eq. 2): the path loss is undefined")
    d_bp = breakpoint_distance_m(fc_hz, h_bs, h_ut, c_m_s)
    eta_los = -9.5 * np.log10(d_bp**2 + (h_bs - h_ut) ** 2)
    pl1 = 32.4 + 21.0 * np.log10(d3d) + 20.0 * np.log10(f_ghz)
    pl2 = 32.4 + 40.0 * np.log10(d3d) + 20.0 * np.log10(f_ghz) + eta_los
    return np.where(d2d <= d_bp, pl1, pl2)


def _umi_nlos_prime_db(d2d, fc_hz, h_bs, h_ut):
    """PL'_NLoS of TR 38.901 (the first argument of the max in Eq. 8), dB; inputs already checked."""
    eta_nlos = -0.3 * (h_ut - 1.5)
    return 22.4 + 35.3 * np.log10(distance_3d_m(d2d, h_bs, h_ut)) + 21.3 * np.log10(fc_hz / 1e9) + eta_nlos


def umi_nlos_path_loss_db(d2d_m, fc_hz, h_bs_m, h_ut_m, *, c_m_s=3e8, strict: bool = False):
    r"""NLoS path loss of Eq. (8) (TR 38.901 Table 7.4.1-1, UMi-Street Canyon), in dB.

    .. math::
        PL_{NLoS} = \max\left(22.4 + 35.3\log_{10} d_{3D} + 21.3\log_{10} f_c + \eta_{NLoS},\ PL_{LoS}\right),
        \qquad \eta_{NLoS} = -0.3\,(h_{UT} - 1.5)

    :math:`f_c` in GHz inside the formula (argument in Hz); same arguments as
    :func:`umi_los_path_loss_db`. By construction :math:`PL_{NLoS} \ge PL_{LoS}`.
    """
    return _umi_los_nlos_db(d2d_m, fc_hz, h_bs_m, h_ut_m, c_m_s, strict)[2]


def _umi_los_nlos_db(d2d_m, fc_hz, h_bs_m, h_ut_m, c_m_s, strict):
    """(Pr_LoS, PL_LoS, PL_NLoS) computed once, for Eq. (4) and its alternatives."""
    pl_los = umi_los_path_loss_db(d2d_m, fc_hz, h_bs_m, h_ut_m, c_m_s=c_m_s, strict=strict)
    d2d = np.asarray(d2d_m, dtype=float)
    pl_nlos = np.maximum(_umi_nlos_prime_db(d2d, np.asarray(fc_hz, dtype=float), np.asarray(h_bs_m, dtype=float),
                                            np.asarray(h_ut_m, dtype=float)), pl_los)
    return umi_los_probability(d2d), pl_los, pl_nlos


def umi_path_loss_db(d2d_m, fc_hz, h_bs_m, h_ut_m, *, c_m_s=3e8, strict: bool = False):
    r"""Average path loss of Eq. (4), in dB, exactly as printed (the LoS-probability-weighted **dB** values).

    .. math:: PL = \Pr_{LoS}\,PL_{LoS} + (1-\Pr_{LoS})\,PL_{NLoS}

    Averaging in dB is a geometric mean of the two linear gains; TR 38.901 instead draws the LoS
    state per link (:func:`draw_los_state`, :func:`umi_path_loss_given_state_db`), whose mean linear
    gain is :func:`umi_path_loss_linear_average_db`. Arguments as :func:`umi_los_path_loss_db`.
    """
    p_los, pl_los, pl_nlos = _umi_los_nlos_db(d2d_m, fc_hz, h_bs_m, h_ut_m, c_m_s, strict)
    return p_los * pl_los + (1.0 - p_los) * pl_nlos


def umi_path_loss_linear_average_db(d2d_m, fc_hz, h_bs_m, h_ut_m, *, c_m_s=3e8, strict: bool = False):
    r"""Path loss (dB) of the mean linear gain over the random LoS state (alternative to Eq. 4).

    .. math:: PL_{lin} = -10\log_{10}\left(\Pr_{LoS} 10^{-PL_{LoS}/10} + (1-\Pr_{LoS}) 10^{-PL_{NLoS}/10}\right)

    This is :math:`-10\log_{10} E[10^{-PL/10}]` when the state is LoS with probability
    :math:`\Pr_{LoS}` (TR 38.901 Sec. 7.4.2). By Jensen's inequality it is never above Eq. (4).
    """
    p_los, pl_los, pl_nlos = _umi_los_nlos_db(d2d_m, fc_hz, h_bs_m, h_ut_m, c_m_s, strict)
    return -10.0 * np.log10(p_los * 10.0 ** (-pl_los / 10.0) + (1.0 - p_los) * 10.0 ** (-pl_nlos / 10.0))


def draw_los_state(rng: np.random.Generator, d2d_m):
    """Random LoS state per link (TR 38.901 Sec. 7.4.2): ``True`` with probability
    :func:`umi_los_probability` of ``d2d_m``; boolean array of ``d2d_m``'s shape."""
    p_los = umi_los_probability(d2d_m)
    return rng.random(np.shape(p_los)) < p_los


def umi_path_loss_given_state_db(is_los, d2d_m, fc_hz, h_bs_m, h_ut_m, *, c_m_s=3e8, strict: bool = False):
    """Path loss (dB) of a link in a given LoS state: Eq. (5) where ``is_los``, Eq. (8) elsewhere."""
    d2d = _distance(d2d_m, strict)
    return np.where(np.asarray(is_los, dtype=bool),
                    umi_los_path_loss_db(d2d, fc_hz, h_bs_m, h_ut_m, c_m_s=c_m_s),
                    umi_nlos_path_loss_db(d2d, fc_hz, h_bs_m, h_ut_m, c_m_s=c_m_s))


def shadowing_db(rng: np.random.Generator, shape, std_db):
    r"""Log-normal shadowing :math:`\sigma_s \sim \mathcal N(0, \mathrm{std}^2)` in dB, array of ``shape``.

    ``std_db`` (dB, >= 0) broadcasts against ``shape`` (e.g. a per-link 4 / 7.82 dB for LoS / NLoS
    links, :data:`UMI_SHADOWING_STD_DB`). The paper uses one standard deviation for every link
    (Sec. VI-I: 4, 6, 8 dB); no spatial correlation is modelled (the paper gives none).
    """
    std = _nonnegative_finite(std_db, "std_db")
    return rng.standard_normal(shape) * std


def large_scale_gain(path_loss_db, shadowing_db):
    r"""Large-scale gain :math:`\beta = 10^{-(PL + \sigma_s)/10}` (Sec. III-B-1), linear, from dB inputs."""
    return np.power(10.0, -(np.asarray(path_loss_db, dtype=float) + np.asarray(shadowing_db, dtype=float)) / 10.0)


def channel_gain(h, beta):
    r"""Channel gain :math:`g^t_{n,k} = |h_{n,k}(t)|^2 \beta_{n,k}` (Sec. III-B-1), linear."""
    return np.abs(np.asarray(h)) ** 2 * np.asarray(beta, dtype=float)


def received_power_dbm(p_tx_dbm, gain):
    """Power received through a channel of linear power gain ``gain``: ``p_tx_dbm + 10 log10(gain)``, dBm."""
    g = _nonnegative_finite(gain, "gain")
    with np.errstate(divide="ignore"):
        return np.asarray(p_tx_dbm, dtype=float) + 10.0 * np.log10(g)


# ------------------------------------------------------------------------------------------------
# Small-scale fading: Eq. 3, Clarke/Jakes correlation and the two processes' spectra
# ------------------------------------------------------------------------------------------------

def jakes_correlation(doppler_hz, slot_s):
    r"""Clarke/Jakes correlation of the fading between two instants ``slot_s`` apart.

    .. math:: \rho = J_0(2\pi f_d T_s)

    Used as :math:`\rho` of Eq. (3) (the paper does not give :math:`f_d`; see ``NetworkConfig.doppler_hz``).
    ``doppler_hz`` >= 0 (Hz), ``slot_s`` >= 0 (s); broadcast. Lag :math:`k` of Clarke's model is
    ``jakes_correlation(f_d, k * T_s)``.
    """
    fd = _nonnegative_finite(doppler_hz, "doppler_hz")
    ts = _nonnegative_finite(slot_s, "slot_s")
    return special.j0(2.0 * np.pi * fd * ts)


def gauss_markov_autocorrelation(rho, lag):
    r"""Autocorrelation :math:`E[h(t+k)h^*(t)] = \rho^{|k|}` of the stationary process of Eq. (3)."""
    r = _rho(rho)
    k = np.abs(np.asarray(lag))
    return r ** k


def gauss_markov_init(rng: np.random.Generator, shape):
    r""":math:`h(0) \sim \mathcal{CN}(0, 1)` (Sec. III-B-1): complex128 array of ``shape``."""
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) * np.sqrt(0.5)


def gauss_markov_step(rng: np.random.Generator, h, rho):
    r"""One slot of the first-order Gauss-Markov fading of Eq. (3).

    .. math:: h(t) = \rho\, h(t-1) + e(t), \qquad e(t) \sim \mathcal{CN}(0, 1-\rho^2)

    (the paper names the innovation :math:`\sigma`). ``h`` complex, any shape; ``rho`` in [-1, 1]
    broadcasts against it. Keeps :math:`E|h|^2 = 1` when :math:`h(t-1) \sim \mathcal{CN}(0,1)`.
    """
    h = np.asarray(h)
    r = _rho(rho)
    shape = np.broadcast_shapes(h.shape, r.shape)
    return r * h + np.sqrt((1.0 - r**2) / 2.0) * (rng.standard_normal(shape) + 1j * rng.standard_normal(shape))


def gauss_markov_sequence(rng: np.random.Generator, shape, n_steps: int, rho):
    """``n_steps`` slots of Eq. (3) from :math:`h(0) \\sim \\mathcal{CN}(0,1)`: complex ``[n_steps, *shape]``
    whose entry 0 is :math:`h(0)` (loops over slots only, vectorised over links)."""
    if isinstance(n_steps, bool) or int(n_steps) != n_steps or n_steps < 1:
        raise ValueError(f"n_steps must be a positive integer; got {n_steps!r}")
    shape = (int(shape),) if np.isscalar(shape) else tuple(shape)
    _rho(rho)
    out = np.empty((int(n_steps), *shape), dtype=np.complex128)
    out[0] = gauss_markov_init(rng, shape)
    for t in range(1, int(n_steps)):
        out[t] = gauss_markov_step(rng, out[t - 1], rho)
    return out


def jakes_psd(freq_hz, doppler_hz):
    r"""Clarke/Jakes Doppler power spectrum (unit power), 1/Hz: the Fourier transform of :math:`J_0(2\pi f_d\tau)`.

    .. math:: S(f) = \frac{1}{\pi f_d\sqrt{1-(f/f_d)^2}} \ \text{for}\ |f| < f_d, \ 0 \ \text{otherwise}
    """
    f = np.asarray(freq_hz, dtype=float)
    fd = float(_nonnegative_finite(doppler_hz, "doppler_hz"))
    if fd == 0:
        raise ValueError("doppler_hz must be > 0 for a Doppler spectrum")
    inside = np.abs(f) < fd
    with np.errstate(invalid="ignore", divide="ignore"):
        s = 1.0 / (np.pi * fd * np.sqrt(1.0 - (f / fd) ** 2))
    return np.where(inside, s, 0.0)


def gauss_markov_psd(freq_hz, rho, slot_s):
    r"""Power spectrum (unit power, 1/Hz over :math:`|f| \le 1/(2T_s)`) of the process of Eq. (3) sampled every ``slot_s``.

    .. math:: S(f) = \frac{T_s\,(1-\rho^2)}{|1-\rho\, e^{-j2\pi f T_s}|^2}

    the discrete-time Fourier transform of :math:`\rho^{|k|}` (a Lorentzian-like peak at 0 Hz, not
    Jakes' U shape).
    """
    f = np.asarray(freq_hz, dtype=float)
    r = _rho(rho)
    ts = float(_nonnegative_finite(slot_s, "slot_s"))
    return ts * (1.0 - r**2) / np.abs(1.0 - r * np.exp(-2j * np.pi * f * ts)) ** 2


def max_doppler_hz(speed_m_s, fc_hz, c_m_s=3e8):
    r"""Maximum Doppler frequency :math:`f_d = v f_c / c` (Hz) of a device moving at ``speed_m_s``."""
    return _nonnegative_finite(speed_m_s, "speed_m_s") * np.asarray(fc_hz, dtype=float) / float(c_m_s)


#: Coherence-time rules T_c = k / f_d (Rappaport, Wireless Communications, 2nd ed., Sec. 5.4.3).
_COHERENCE_RULES = {"clarke_0.5": 9.0 / (16.0 * np.pi), "geometric_mean": 0.423}


def doppler_for_coherence_time_hz(coherence_time_s, rule: str = "geometric_mean"):
    r"""The Doppler frequency whose coherence time is ``coherence_time_s``: :math:`f_d = k / T_c`.

    ``rule="clarke_0.5"``: :math:`T_c = 9/(16\pi f_d)` (envelope correlation above 0.5);
    ``rule="geometric_mean"``: :math:`T_c = 0.423/f_d` (Rappaport's rule of thumb, the geometric
    mean of the two). The paper calls :math:`T_s = 20` ms "the channel coherence time" (Sec. III-A-3).
    """
    if rule not in _COHERENCE_RULES:
        raise ValueError(f"rule={rule!r} is unknown: allowed {', '.join(map(repr, _COHERENCE_RULES))}")
    tc = np.asarray(coherence_time_s, dtype=float)
    if not np.all(np.isfinite(tc)) or np.any(tc <= 0):
        raise ValueError(f"coherence_time_s must be > 0; got {coherence_time_s!r}")
    return _COHERENCE_RULES[rule] / tc
