"""Validation reference for the fading: Clarke/Jakes fading by a sum of sinusoids.

*Not the paper's model.* The paper's small-scale fading is the first-order Gauss-Markov process of
Eq. (3) (:func:`multirat.channel.gauss_markov_sequence`) whose one-slot correlation is Clarke/Jakes'
:math:`J_0(2\\pi f_d T_s)` (:func:`multirat.channel.jakes_correlation`).
:func:`sum_of_sinusoids_fading` simulates Clarke's model itself (Zheng & Xiao 2003), so that the
book's chapter 2 can compare the two processes' autocorrelations and spectra. The closed-form
spectra :func:`multirat.channel.jakes_psd` and :func:`multirat.channel.gauss_markov_psd` stay in
:mod:`multirat.channel`: they are theory curves of the model's correlations, not simulators.
"""

from __future__ import annotations

import numpy as np

from multirat._checks import nonnegative

__all__ = ["sum_of_sinusoids_fading"]


def sum_of_sinusoids_fading(rng: np.random.Generator, times_s, doppler_hz, n_links: int, n_paths: int = 16):
    r"""Independent Clarke/Jakes fading by the statistical sum-of-sinusoids model of Zheng & Xiao (2003).

    .. math::
        h(t) = \sqrt{\tfrac{2}{M}}\sum_{n=1}^{M}\left(\cos\psi_n + j\sin\psi_n\right)
               \cos\!\left(2\pi f_d t \cos\alpha_n + \phi\right),
        \qquad \alpha_n = \frac{2\pi n - \pi + \theta}{4M}

    with :math:`\psi_n, \phi, \theta \sim U[-\pi, \pi)` independent per link. Its ensemble
    autocorrelation is exactly :math:`E[h(t+\tau)h^*(t)] = J_0(2\pi f_d\tau)` for any :math:`M`
    (the random :math:`\theta` spreads the arrival angles uniformly over :math:`[0, \pi/2)`), and
    :math:`E|h|^2 = 1`; the envelope tends to Rayleigh as :math:`M` grows. Used only to validate
    Eq. (3) against Clarke's model; it is not part of the paper.

    Args: ``times_s`` [T] (s), ``doppler_hz`` (Hz, scalar), ``n_links`` independent links,
    ``n_paths`` = M sinusoids. Returns complex ``[T, n_links]``.
    """
    t = np.atleast_1d(np.asarray(times_s, dtype=float))
    if t.ndim != 1 or not np.all(np.isfinite(t)):
        raise ValueError(f"times_s must be a finite 1-D array; got shape {t.shape}")
    fd = float(nonnegative(doppler_hz, "doppler_hz", finite=True))
    for name, v in (("n_links", n_links), ("n_paths", n_paths)):
        if isinstance(v, bool) or int(v) != v or v < 1:
            raise ValueError(f"{name} must be a positive integer; got {v!r}")
    m = int(n_paths)
    theta = rng.uniform(-np.pi, np.pi, size=(int(n_links), 1))                              # [L, 1]
    phi = rng.uniform(-np.pi, np.pi, size=(int(n_links), 1))                                # [L, 1]
    psi = rng.uniform(-np.pi, np.pi, size=(int(n_links), m))                                # [L, M]
    alpha = (2.0 * np.pi * np.arange(1, m + 1) - np.pi + theta) / (4.0 * m)                 # [L, M]
    omega = 2.0 * np.pi * fd * np.cos(alpha)                                                # [L, M]
    weight = np.exp(1j * psi) * np.sqrt(2.0 / m)                                            # [L, M]
    out = np.empty((t.size, int(n_links)), dtype=np.complex128)                             # [T, L]
    for i, ti in enumerate(t):  # one slot at a time keeps memory at [L, M]
        out[i] = np.sum(weight * np.cos(omega * ti + phi), axis=1)
    return out
