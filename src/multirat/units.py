"""Unit conversions (dB, dBm, W) and the Gaussian Q-function.

Every function takes scalars or numpy arrays and broadcasts. Linear power ratios are
dimensionless, powers are in watts; names carry the unit when it is logarithmic
(``_db``, ``_dbm``).

Every function raises ``TypeError`` for arguments that are not real numbers (strings, ``None``,
booleans, complex numbers) and ``ValueError`` for NaN and out-of-range values, naming the argument.
Infinities are allowed where they are exact limits (``-inf`` dB is a zero ratio, ``+inf`` dB an
infinite one).
"""

from __future__ import annotations

import numpy as np
from scipy import special

from multirat._checks import nonnegative as _nonnegative
from multirat._checks import positive, real

__all__ = [
    "db_to_linear",
    "linear_to_db",
    "dbm_to_watt",
    "watt_to_dbm",
    "combine_attenuations_db",
    "noise_power_dbm",
    "q_function",
    "q_function_inv",
]


def db_to_linear(x_db):
    r"""Power ratio from decibels: :math:`10^{x/10}` (dimensionless); ``-inf`` gives 0, ``+inf`` gives ``inf``.

    Raises ``TypeError`` (not real numbers) or ``ValueError`` (NaN) naming ``x_db``.
    """
    return np.power(10.0, real(x_db, "x_db", finite=False) / 10.0)


def linear_to_db(x):
    r"""Decibels from a power ratio: :math:`10\log_{10} x`; ``0`` maps to ``-inf``.

    Raises ``ValueError`` for negative input or NaN (a power ratio cannot be negative) and
    ``TypeError`` for non-numbers, naming ``x``.
    """
    arr = _nonnegative(x, "x")
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(arr)


def dbm_to_watt(p_dbm):
    r"""Power in W from dBm: :math:`10^{(p-30)/10}`; ``-inf`` dBm gives 0 W.

    Raises ``TypeError`` (not real numbers) or ``ValueError`` (NaN) naming ``p_dbm``.
    """
    return np.power(10.0, (real(p_dbm, "p_dbm", finite=False) - 30.0) / 10.0)


def watt_to_dbm(p_w):
    r"""Power in dBm from W: :math:`10\log_{10} p + 30`; 0 W gives ``-inf`` dBm.

    Raises ``ValueError`` for negative power or NaN and ``TypeError`` for non-numbers, naming ``p_w``.
    """
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(_nonnegative(p_w, "p_w", unit="W")) + 30.0


def combine_attenuations_db(*attenuations_db):
    r"""Attenuation (dB) of several leakage paths acting together on the same power.

    .. math:: A = -10\log_{10}\sum_i 10^{-A_i/10}

    Used for the adjacent-channel interference ratio, ACIR = 1/(1/ACLR + 1/ACS)
    (3GPP TS 36.101 / ECC Report 131), which the paper's Eq. (10) divides by. An infinite
    attenuation is an ideal path that leaks nothing: ``combine(inf, a) == a``, and all of them
    infinite give ``inf``.

    Raises ``ValueError`` without an attenuation, for NaN or ``-inf`` (an infinite gain), and
    ``TypeError`` for non-numbers, naming the argument (``attenuations_db[i]``).
    """
    if not attenuations_db:
        raise ValueError("combine_attenuations_db needs at least one attenuation")
    arrays = [real(a, f"attenuations_db[{i}]", posinf=True) for i, a in enumerate(attenuations_db)]
    total = sum(np.power(10.0, -a / 10.0) for a in arrays)
    with np.errstate(divide="ignore"):
        return -10.0 * np.log10(total)


def noise_power_dbm(bandwidth_hz, psd_dbm_per_hz=-174.0, noise_figure_db=0.0):
    r"""Thermal noise power :math:`\sigma^2` in dBm over a bandwidth.

    .. math:: \sigma^2 = N_0 + 10\log_{10} B + \mathrm{NF}

    with :math:`N_0` the AWGN power spectral density (Table 1: -174 dBm/Hz), :math:`B` in Hz and
    the receiver noise figure NF in dB (not given in the paper; an assumption of this book).

    Raises ``ValueError`` unless ``bandwidth_hz`` is finite and > 0 and ``psd_dbm_per_hz``,
    ``noise_figure_db`` are finite (NF >= 0 dB), ``TypeError`` for non-numbers; each names its argument.
    """
    b = positive(bandwidth_hz, "bandwidth_hz", finite=True, unit="Hz")
    return (real(psd_dbm_per_hz, "psd_dbm_per_hz") + 10.0 * np.log10(b)
            + real(noise_figure_db, "noise_figure_db", lo=0.0, unit="dB"))


def q_function(x):
    r"""Gaussian tail probability :math:`Q(x) = P(Z > x) = \tfrac12\operatorname{erfc}(x/\sqrt2)`.

    Computed with ``scipy.special.erfc`` so that it stays accurate far in the tail (Eq. 17 needs
    values down to 1e-300 without cancellation). ``Q(-inf) = 1``, ``Q(inf) = 0``.

    Raises ``TypeError`` (not real numbers) or ``ValueError`` (NaN) naming ``x``.
    """
    return 0.5 * special.erfc(real(x, "x", finite=False) / np.sqrt(2.0))


def q_function_inv(p):
    r"""Inverse of :func:`q_function` on (0, 1): :math:`x` such that :math:`Q(x) = p`.

    Raises ``ValueError`` unless every ``p`` is in (0, 1) (``q_function_inv needs 0 < p < 1``) and
    ``TypeError`` for non-numbers.
    """
    arr = real(p, "p", lo=0.0, hi=1.0, lo_open=True, hi_open=True, why="q_function_inv needs 0 < p < 1")
    return np.sqrt(2.0) * special.erfcinv(2.0 * arr)
