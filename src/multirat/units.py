"""Unit conversions (dB, dBm, W) and the Gaussian Q-function.

Every function takes scalars or numpy arrays and broadcasts. Linear power ratios are
dimensionless, powers are in watts; names carry the unit when it is logarithmic
(``_db``, ``_dbm``).
"""

from __future__ import annotations

import numpy as np
from scipy import special

from multirat._checks import nonnegative as _nonnegative

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
    r"""Power ratio from decibels: :math:`10^{x/10}` (dimensionless)."""
    return np.power(10.0, np.asarray(x_db, dtype=float) / 10.0)


def linear_to_db(x):
    r"""Decibels from a power ratio: :math:`10\log_{10} x`; ``0`` maps to ``-inf``.

    Raises ``ValueError`` for negative input (a power ratio cannot be negative).
    """
    arr = _nonnegative(x, "linear power ratio")
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(arr)


def dbm_to_watt(p_dbm):
    r"""Power in W from dBm: :math:`10^{(p-30)/10}`."""
    return np.power(10.0, (np.asarray(p_dbm, dtype=float) - 30.0) / 10.0)


def watt_to_dbm(p_w):
    r"""Power in dBm from W: :math:`10\log_{10} p + 30`; raises for negative power."""
    return linear_to_db(_nonnegative(p_w, "power [W]")) + 30.0


def combine_attenuations_db(*attenuations_db):
    r"""Attenuation (dB) of several leakage paths acting together on the same power.

    .. math:: A = -10\log_{10}\sum_i 10^{-A_i/10}

    Used for the adjacent-channel interference ratio, ACIR = 1/(1/ACLR + 1/ACS)
    (3GPP TS 36.101 / ECC Report 131), which the paper's Eq. (10) divides by.
    """
    if not attenuations_db:
        raise ValueError("combine_attenuations_db needs at least one attenuation")
    total = sum(np.power(10.0, -np.asarray(a, dtype=float) / 10.0) for a in attenuations_db)
    return -10.0 * np.log10(total)


def noise_power_dbm(bandwidth_hz, psd_dbm_per_hz=-174.0, noise_figure_db=0.0):
    r"""Thermal noise power :math:`\sigma^2` in dBm over a bandwidth.

    .. math:: \sigma^2 = N_0 + 10\log_{10} B + \mathrm{NF}

    with :math:`N_0` the AWGN power spectral density (Table 1: -174 dBm/Hz), :math:`B` in Hz and
    the receiver noise figure NF in dB (not given in the paper; an assumption of this book).
    """
    b = np.asarray(bandwidth_hz, dtype=float)
    if np.any(~(b > 0)):
        raise ValueError(f"bandwidth_hz must be > 0; got {bandwidth_hz!r}")
    return np.asarray(psd_dbm_per_hz, dtype=float) + 10.0 * np.log10(b) + np.asarray(noise_figure_db, dtype=float)


def q_function(x):
    r"""Gaussian tail probability :math:`Q(x) = P(Z > x) = \tfrac12\operatorname{erfc}(x/\sqrt2)`.

    Computed with ``scipy.special.erfc`` so that it stays accurate far in the tail (Eq. 17 needs
    values down to 1e-300 without cancellation).
    """
    return 0.5 * special.erfc(np.asarray(x, dtype=float) / np.sqrt(2.0))


def q_function_inv(p):
    r"""Inverse of :func:`q_function` on (0, 1): :math:`x` such that :math:`Q(x) = p`."""
    arr = np.asarray(p, dtype=float)
    if np.any(~((arr > 0) & (arr < 1))):
        raise ValueError(f"q_function_inv needs 0 < p < 1; got {p!r}")
    return np.sqrt(2.0) * special.erfcinv(2.0 * arr)
