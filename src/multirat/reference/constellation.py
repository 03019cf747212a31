"""Validation reference for the symbol error rate: Monte Carlo of the real constellations over AWGN.

*Not the paper's model.* :func:`constellation` gives the Gray-mapped constellations of scikit-commpy
(unit average energy) and :func:`simulate_ser` sends equiprobable symbols of them over complex AWGN
with minimum-distance detection. The book's chapter 3 (b) and the tests compare the result with
:func:`multirat.link.symbol_error_rate_exact` (the exact uncoded SER) and with Eq. (17) as printed
(:func:`multirat.link.symbol_error_rate`).
"""

from __future__ import annotations

import numpy as np

from multirat import units
from multirat._checks import positive
from multirat.link import _modulation_order

__all__ = ["constellation", "simulate_ser"]


def _positive_finite(x, name: str) -> np.ndarray:
    return positive(x, name, finite=True)


def constellation(modulation_order) -> np.ndarray:
    """The Gray-mapped constellation of scikit-commpy, scaled to unit average symbol energy.

    BPSK is ``commpy.modulation.PSKModem(2)``, M-QAM is ``QAMModem(M)`` (QPSK = 4-QAM); commpy's
    QAM points have :math:`E_s = 2(M-1)/3`, so they are divided by :math:`\\sqrt{E_s}`.
    Element ``i`` is the point labelled with the bits of ``i`` (MSB first).
    """
    from commpy.modulation import PSKModem, QAMModem

    m = int(_modulation_order(modulation_order))
    modem = PSKModem(2) if m == 2 else QAMModem(m)
    points = np.asarray(modem.constellation, dtype=complex)
    if m == 2:
        points = points.real.astype(complex)  # exp(j pi) has a 1e-16 imaginary part
    return points / np.sqrt(np.mean(np.abs(points) ** 2))


def simulate_ser(rng: np.random.Generator, snr_symbol, modulation_order, n_symbols: int,
                 chunk: int = 1 << 16):
    """Monte Carlo SER of a constellation over complex AWGN with minimum-distance (hard) detection.

    *Validation reference, not the paper's model.* For every SNR, ``n_symbols`` equiprobable
    symbols of :func:`constellation` (unit average energy) are sent; the receiver sees
    :math:`y = x + w`, :math:`w \\sim \\mathcal{CN}(0, 1/\\gamma_s)`, and decides for the nearest
    constellation point (exhaustive search over all M points). Gray labels do not change the SER;
    the bit errors of the Gray labels are counted too.

    Args:
        rng: the random generator (symbols and noise).
        snr_symbol: linear :math:`E_s/N_0` (> 0), 1-D or scalar.
        modulation_order: M (2 or square QAM).
        n_symbols: symbols per SNR.
        chunk: symbols per vectorized block (memory: ``chunk * M`` distances).

    Returns:
        ``pandas.DataFrame``, one row per SNR: ``snr_symbol``, ``snr_db``, ``modulation_order``,
        ``n_symbols``, ``symbol_errors``, ``ser``, ``bit_errors``, ``ber``.
    """
    import pandas as pd

    snr = np.atleast_1d(_positive_finite(snr_symbol, "snr_symbol"))
    if snr.ndim != 1:
        raise ValueError(f"snr_symbol must be scalar or 1-D; got shape {snr.shape}")
    n_symbols = int(n_symbols)
    if n_symbols < 1:
        raise ValueError(f"n_symbols must be >= 1; got {n_symbols!r}")
    points = constellation(modulation_order)
    m = len(points)
    bits_per_symbol = int(np.log2(m))
    rows = []
    for g in snr:
        sym_err = bit_err = 0
        for start in range(0, n_symbols, chunk):
            size = min(chunk, n_symbols - start)
            tx = rng.integers(0, m, size)                                   # [size]
            noise = (rng.standard_normal(size) + 1j * rng.standard_normal(size)) * np.sqrt(0.5 / g)
            rx = points[tx] + noise                                         # [size]
            dist2 = (rx.real[:, None] - points.real) ** 2 + (rx.imag[:, None] - points.imag) ** 2   # [size, M]
            detected = np.argmin(dist2, axis=1)                             # [size] nearest point
            sym_err += int(np.count_nonzero(detected != tx))
            diff = np.bitwise_xor(detected, tx)
            bit_err += int(sum(np.count_nonzero((diff >> b) & 1) for b in range(bits_per_symbol)))
        rows.append({"snr_symbol": float(g), "snr_db": float(units.linear_to_db(g)), "modulation_order": m,
                     "n_symbols": n_symbols, "symbol_errors": sym_err, "ser": sym_err / n_symbols,
                     "bit_errors": bit_err, "ber": bit_err / (n_symbols * bits_per_symbol)})
    return pd.DataFrame(rows)

