r"""Validation reference for the SINR: Eq. (13) drawn sample by sample, and the SINR measured from it.

*Not the paper's model.* :func:`simulate_received_signal` draws the baseband samples of Eq. (13)
term by term (desired signal, HWI distortion, adjacent-channel terms, noise; physical network when
``phi != 0``) and :func:`empirical_sinr` measures the SINR from them as a receiver that knows its
symbols would. The book's chapter 4 and the tests compare the measurement with the closed form
Eq. (14), :func:`multirat.interference.sinr`; :func:`empirical_sinr_rel_std` is the measurement's
standard error. Like :func:`multirat.interference.sinr`, the simulator applies the physical factor
:math:`1+\phi` itself to the HWI distortion and to the ACI (Eqs. 11-12).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from multirat._checks import nonnegative as _nonnegative
from multirat._checks import positive as _positive
from multirat.interference import _broadcast, _phi, _sigma_rt

__all__ = ["ReceivedSignal", "simulate_received_signal", "empirical_sinr", "empirical_sinr_rel_std"]


@dataclass(frozen=True)
class ReceivedSignal:
    """Samples of Eq. (13) and their parts (complex arrays, samples on the last axis, volts^2 = W).

    ``received = desired + distortion + aci.sum(-2) + noise``.
    """

    received: np.ndarray     #: [..., n] r_n
    symbols: np.ndarray      #: [..., n] x_n, unit energy
    desired: np.ndarray      #: [..., n] sqrt(g P) x_n
    distortion: np.ndarray   #: [..., n] sqrt(g) z, z ~ CN(0, sigma_rt^2 P_total (1 + phi))
    aci: np.ndarray          #: [..., L, n] sqrt((1 + phi) g_l P_l / A_l) x_l
    noise: np.ndarray        #: [..., n] n_x ~ CN(0, sigma^2)


def _symbols(rng: np.random.Generator, shape, kind: str) -> np.ndarray:
    """Unit-energy symbols: QPSK (independent random signs on I and Q, over sqrt 2) or CN(0, 1)."""
    if kind == "qpsk":
        bits = rng.integers(0, 2, size=tuple(shape) + (2,), dtype=np.int8).astype(bool)
        return np.where(bits, -np.sqrt(0.5), np.sqrt(0.5)).view(np.complex128)[..., 0]
    if kind == "gaussian":
        return _cn(rng, shape, 1.0)
    raise ValueError(f"symbols={kind!r} is unknown: allowed 'qpsk' or 'gaussian'")


def _cn(rng: np.random.Generator, shape, variance) -> np.ndarray:
    """CN(0, variance): independent real and imaginary parts of variance/2 each."""
    iq = rng.standard_normal(tuple(shape) + (2,)).view(np.complex128)[..., 0]        # CN(0, 2)
    return np.sqrt(np.asarray(variance, dtype=float) / 2.0) * iq


def simulate_received_signal(rng: np.random.Generator, power_w, gain, total_power_w, sigma_rt, noise_w,
                             aci_gain=(), aci_power_w=(), acir=(), phi=0.0, n_samples=10_000,
                             symbols="qpsk") -> ReceivedSignal:
    r"""Draw ``n_samples`` baseband samples of Eq. (13) (physical network when ``phi != 0``).

    .. math::
        r = \sqrt{g}\left(\sqrt{P}\,x + z\right)
            + \sum_{l}\sqrt{(1+\phi)\frac{g_l P_l}{A_l}}\,x_l + n_x,\quad
        z\sim\mathcal{CN}(0,(1+\phi)\sigma_{rt}^2 P_{total}),\ n_x\sim\mathcal{CN}(0,\sigma^2)

    The symbols :math:`x, x_l` are independent, unit-energy QPSK (``symbols="qpsk"``) or
    :math:`\mathcal{CN}(0,1)` (``"gaussian"``). Eq. (13) writes :math:`n_x\sim\mathcal{N}(0,\sigma^2)`
    (real); a complex baseband sample needs :math:`\mathcal{CN}(0,\sigma^2)`, used here.

    ``power_w``, ``gain``, ``total_power_w``, ``sigma_rt``, ``noise_w``, ``phi`` broadcast to a
    batch shape [...]; ``aci_gain``, ``aci_power_w``, ``acir`` are [..., L] (one entry per
    interfering link, ``acir`` the linear :math:`A_l` of its adjacency; empty = no ACI). Samples
    are on the last axis. Every draw comes from ``rng``.
    """
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator; got {type(rng).__name__}")
    if isinstance(n_samples, bool) or int(n_samples) != n_samples or n_samples < 2:
        raise ValueError(f"n_samples must be an integer >= 2; got {n_samples!r}")
    n_samples = int(n_samples)
    p = _nonnegative(power_w, "power_w")
    g = _nonnegative(gain, "gain")
    noise = _positive(noise_w, "noise_w")
    f = 1.0 + _phi(phi)
    hwi_var = (1.0 + _phi(phi)) * _sigma_rt(sigma_rt) ** 2 * _nonnegative(total_power_w, "total_power_w")
    batch = _broadcast(("power_w", "gain", "total_power_w", "sigma_rt", "noise_w", "phi"),
                       p, g, hwi_var, noise, f)
    ag = np.atleast_1d(_nonnegative(aci_gain, "aci_gain"))
    ap = np.atleast_1d(_nonnegative(aci_power_w, "aci_power_w"))
    aa = np.atleast_1d(np.asarray(acir, dtype=float))
    if aa.size and np.any(~(aa > 0)):
        raise ValueError(f"acir must be > 0; got {acir!r}")
    aci_shape = _broadcast(("aci_gain", "aci_power_w", "acir"), ag, ap, aa)
    batch = _broadcast(("scenario parameters", "aci_* [..., L] without L"), np.empty(batch),
                       np.empty(aci_shape[:-1]))
    n_int = aci_shape[-1]

    def col(x):  # [...] -> [..., 1] broadcast to the batch
        return np.broadcast_to(x, batch)[..., None]

    x = _symbols(rng, batch + (n_samples,), symbols)                                   # [..., n]
    desired = np.sqrt(col(g) * col(p)) * x
    distortion = np.sqrt(col(g)) * _cn(rng, batch + (n_samples,), col(hwi_var))
    if n_int:
        amp = np.sqrt(col(f) * np.broadcast_to(ag * ap / aa, batch + (n_int,)))       # [..., L]
        aci = amp[..., None] * _symbols(rng, batch + (n_int, n_samples), symbols)      # [..., L, n]
    else:
        aci = np.zeros(batch + (0, n_samples), dtype=complex)
    noise_part = _cn(rng, batch + (n_samples,), col(noise))
    received = desired + distortion + aci.sum(axis=-2) + noise_part
    return ReceivedSignal(received, x, desired, distortion, aci, noise_part)


def empirical_sinr(received, symbols, return_parts=False):
    r"""SINR measured from samples by projecting on the known symbols (samples on the last axis).

    .. math::
        \hat a = \frac{\sum_i r_i x_i^*}{\sum_i |x_i|^2},\quad
        \hat V = \frac{1}{n-1}\sum_i |r_i - \hat a x_i|^2,\quad
        \widehat{\mathrm{sinr}} = \frac{|\hat a|^2 - \hat V/\sum_i|x_i|^2}{\hat V}

    :math:`|\hat a|^2` estimates the desired power :math:`gP` (unit-energy symbols; the bias
    :math:`\hat V/\sum|x|^2` is removed), :math:`\hat V` the power of everything else (HWI
    distortion, ACI, noise), which the projection treats as one disturbance uncorrelated with
    :math:`x`. Its relative standard deviation is :func:`empirical_sinr_rel_std`.
    With ``return_parts`` also returns ``(signal_w, disturbance_w)``.
    """
    r = np.asarray(received)
    x = np.asarray(symbols)
    if r.shape != x.shape:
        raise ValueError(f"received{r.shape} and symbols{x.shape} must have the same shape")
    if r.shape[-1] < 2:
        raise ValueError("need at least 2 samples on the last axis")
    energy = np.sum(np.abs(x) ** 2, axis=-1)
    if np.any(~(energy > 0)):
        raise ValueError("symbols must not be all zero")
    a_hat = np.sum(r * np.conj(x), axis=-1) / energy
    resid = r - a_hat[..., None] * x
    disturbance = np.sum(np.abs(resid) ** 2, axis=-1) / (r.shape[-1] - 1)
    signal = np.abs(a_hat) ** 2 - disturbance / energy
    value = signal / disturbance
    return (value, signal, disturbance) if return_parts else value


def empirical_sinr_rel_std(sinr_value, n_samples):
    r"""Relative standard deviation of :func:`empirical_sinr` for a Gaussian disturbance.

    .. math:: \frac{\mathrm{sd}(\widehat{\mathrm{sinr}})}{\mathrm{sinr}}
              \approx \sqrt{\frac{1}{n}\left(1 + \frac{2}{\mathrm{sinr}}\right)}

    :math:`1/n` from :math:`\hat V` (the mean of :math:`n` exponential variables) and
    :math:`2/(n\,\mathrm{sinr})` from :math:`|\hat a|^2` (its real error :math:`\mathcal{N}(0,
    V/(2n))` doubled by the square). A constant-modulus (QPSK) ACI term fluctuates less than a
    Gaussian one, so this is an upper bound when ACI dominates.
    """
    s = _positive(sinr_value, "sinr_value")
    n = _positive(n_samples, "n_samples")
    return np.sqrt((1.0 + 2.0 / s) / n)
