"""Link-level model of the paper (Sec. III-C-2): symbol error, packet error and throughput.

The achievable rate of link n in time slot t is the paper's Eqs. (15)-(17),

.. math::

    R = r_{m,c}\\,\\bigl(1 - \\rho_{m,c}(\\mathrm{sinr})\\bigr) N_p, \\qquad
    \\rho_{m,c} = 1 - \\bigl(1 - f_{m,c}(\\mathrm{sinr})\\bigr)^{N_p}, \\qquad
    f_{m,c} = 2\\Bigl(1 - \\tfrac{1}{\\sqrt M}\\Bigr)
              Q\\Bigl(\\sqrt{\\tfrac{3 G \\log_2(M)\\,\\mathrm{sinr}}{M - 1}}\\Bigr),

with :math:`G = c\\,d_{free,H}` (BPSK: :math:`f = Q(\\sqrt{2 G\\,\\mathrm{sinr}})`, Table 3).

Units. ``sinr`` / ``snr_symbol`` are **linear** power ratios per channel symbol (Eq. 14: signal power
over noise + ACI + distortion power, for unit-energy symbols); dB only where a name ends in ``_db``.
Rates are bits per channel symbol; throughputs bits per frame (packet of :math:`N_p` symbols).

What is implemented as printed and what is offered beside it:

* :func:`symbol_error_rate` is Eq. (17)/Table 3 exactly as printed (``ser_model="eq17"``). Its
  :math:`\\log_2 M` factor reads the SINR as an SNR per *bit*, while Eq. (14) defines it per
  *symbol*, and for QAM it is the error probability of one PAM dimension (the exact SER is
  :math:`1 - (1 - p)^2`).
* :func:`symbol_error_rate_exact` is the exact uncoded SER of BPSK and square M-QAM over AWGN with a
  per-symbol SNR (Proakis & Salehi 2008, Sec. 4.3). ``ser_model="exact"`` in :func:`throughput_bits`
  and :func:`best_mcs` evaluates it at :math:`G\\,\\mathrm{sinr}` (the paper's coding-gain
  abstraction kept, the modulation part corrected).

Validation references (not part of the paper's model, used by the book's chapter 3 and the tests):
:func:`simulate_ser` (Monte Carlo of the Gray-mapped constellations of scikit-commpy with
minimum-distance detection), :func:`conv_encode`, :func:`viterbi_decode`, :func:`puncture`,
:func:`depuncture`, :func:`simulate_coded_ber` (Monte Carlo of the K = 7 (133, 171) convolutional
code of IEEE 802.11a, punctured to 3/4 and 5/6, with Viterbi decoding), :func:`distance_spectrum`
and :func:`coded_ber_union_bound` (its free distance and union bound computed from the trellis).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from multirat import units
from multirat._checks import positive

__all__ = [
    "SER_MODELS", "PUNCTURE_PATTERNS",
    "coding_gain", "symbol_error_rate", "symbol_error_rate_exact", "packet_error_rate",
    "spectral_efficiency", "throughput_bits", "modulation_name", "mcs_table", "best_mcs",
    "mcs_switching_thresholds", "sinr_at_ser", "sinr_at_throughput_fraction",
    "constellation", "simulate_ser",
    "trellis_802_11", "puncture_pattern", "puncture", "depuncture", "conv_encode", "viterbi_decode",
    "distance_spectrum", "coded_ber_union_bound", "simulate_coded_ber", "snr_at_error_rate",
]

#: SER models accepted by :func:`throughput_bits` and :func:`best_mcs`: Eq. (17) as printed, or the
#: exact uncoded SER at the per-symbol SINR scaled by the coding gain.
SER_MODELS = ("eq17", "exact")

#: IEEE 802.11a/n puncturing patterns of the rate-1/2 K = 7 (133, 171) mother code, one row per
#: encoder output (A = 133, B = 171), one column per input bit of the puncturing period
#: (IEEE 802.11a Sec. 17.3.5.6; 5/6 from 802.11n Sec. 20.3.11.6). 1 = transmitted, 0 = stolen.
PUNCTURE_PATTERNS = {
    "1/2": ((1,), (1,)),
    "3/4": ((1, 1, 0), (1, 0, 1)),
    "5/6": ((1, 1, 0, 1, 0), (1, 0, 1, 0, 1)),
}


# ------------------------------------------------------------------------------------------------
# Input checks
# ------------------------------------------------------------------------------------------------

def _sinr(sinr, name: str = "sinr") -> np.ndarray:
    s = np.asarray(sinr, dtype=float)
    if np.any(np.isnan(s)):
        raise ValueError(f"{name} contains NaN")
    if np.any(s < 0):
        raise ValueError(f"{name} must be a linear power ratio >= 0 (not dB); got min {s.min()!r}")
    return s


def _modulation_order(modulation_order) -> np.ndarray:
    """Validate M (scalar or array): 2 (BPSK) or a square QAM order 4, 16, 64, 256, ..."""
    m = np.asarray(modulation_order)
    if m.dtype == bool or not np.issubdtype(m.dtype, np.number):
        raise ValueError(f"modulation_order must be numeric; got {modulation_order!r}")
    mf = m.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.log2(np.where(mf >= 2, mf, 2.0))
        ok = np.isfinite(mf) & (mf == np.round(mf)) & (mf >= 2)
        ok &= (mf == 2) | ((k == np.round(k)) & (np.round(k) % 2 == 0))
    if not np.all(ok):
        bad = np.unique(mf[~ok]) if mf.ndim else mf
        raise ValueError(f"modulation_order={bad!r} is not a known modulation order: allowed 2 (BPSK) or "
                         "a square QAM order 4, 16, 64, 256, ...")
    return mf


def _code_rate(code_rate) -> np.ndarray:
    c = np.asarray(code_rate, dtype=float)
    if np.any(~((c > 0) & (c <= 1))):
        raise ValueError(f"code_rate must be in (0, 1]; got {code_rate!r}")
    return c


def _positive_finite(x, name: str) -> np.ndarray:
    return positive(x, name, finite=True)


def _ser_model(ser_model: str) -> str:
    if ser_model not in SER_MODELS:
        raise ValueError(f"ser_model={ser_model!r} is unknown: allowed one of {', '.join(map(repr, SER_MODELS))}")
    return ser_model


# ------------------------------------------------------------------------------------------------
# The paper's model: Eqs. (15)-(17), Table 3
# ------------------------------------------------------------------------------------------------

def coding_gain(code_rate, d_free):
    r"""Coding gain of a convolutional code, Sec. III-C-2 (below Eq. 17), dimensionless.

    .. math:: G = c\, d_{free,H}

    the asymptotic soft-decision coding gain of a code of rate :math:`c` and Hamming free distance
    :math:`d_{free,H}` over BPSK/AWGN, measured at equal energy per *information* bit
    (Proakis & Salehi 2008, Sec. 8.2). The paper does not give :math:`d_{free,H}`; the book assumes
    the K = 7 (133, 171) code of IEEE 802.11a (``NetworkConfig.d_free``).

    Args:
        code_rate: code rate :math:`c \in (0, 1]`, any shape.
        d_free: Hamming free distance (> 0), broadcast against ``code_rate``.
    """
    return _code_rate(code_rate) * _positive_finite(d_free, "d_free")


def symbol_error_rate(sinr, modulation_order, coding_gain):
    r"""Symbol error rate of Eq. (17) / Table 3, **exactly as printed**.

    .. math::

        f_{m,c}(\mathrm{sinr}) =
        \begin{cases}
          Q\bigl(\sqrt{2 G\,\mathrm{sinr}}\bigr) & M = 2 \ \text{(BPSK)} \\
          2\Bigl(1 - \frac{1}{\sqrt M}\Bigr) Q\Bigl(\sqrt{\frac{3 G \log_2(M)\,\mathrm{sinr}}{M-1}}\Bigr)
            & M = 4, 16, 64, \dots
        \end{cases}

    Deviation from the exact uncoded SER (see :func:`symbol_error_rate_exact`): the
    :math:`\log_2 M` factor treats ``sinr`` as an SNR per bit although Eq. (14) defines it per
    symbol, and the QAM branch is the error probability of one PAM dimension. With :math:`G = 1`,
    ``1 - (1 - symbol_error_rate(s / log2(M), M, 1))**2 == symbol_error_rate_exact(s, M)``.
    With this form BPSK and QPSK have the same SER for every SINR.

    Args:
        sinr: linear SINR per symbol (>= 0), any shape.
        modulation_order: M, 2 or a square QAM order; scalar or array broadcast against ``sinr``.
        coding_gain: G > 0 (see :func:`coding_gain`), broadcast against ``sinr``.

    Returns:
        SER in [0, 1/2 (BPSK) or 2(1 - 1/sqrt(M)) / 2], the broadcast shape. Accurate in the deep
        tail (Q via ``erfc``).
    """
    s = _sinr(sinr)
    m = _modulation_order(modulation_order)
    g = _positive_finite(coding_gain, "coding_gain")
    return _ser_eq17_core(s, m, g)


def _ser_eq17_core(s, m, g):
    """Eq. (17) on checked float arrays."""
    bpsk = m == 2
    # one Q evaluation per element: BPSK row Q(sqrt(2 G s)), QAM rows 2(1 - 1/sqrt M) Q(sqrt(3 G log2(M) s / (M-1)))
    scale = np.where(bpsk, 2.0, 3.0 * np.log2(m) / (m - 1.0))
    factor = np.where(bpsk, 1.0, 2.0 * (1.0 - 1.0 / np.sqrt(m)))
    return factor * units.q_function(np.sqrt(scale * g * s))


def symbol_error_rate_exact(snr_symbol, modulation_order):
    r"""Exact uncoded SER of BPSK and square M-QAM over AWGN (validation reference, corrected model).

    .. math::

        P_s = Q\bigl(\sqrt{2\gamma_s}\bigr) \ (M = 2), \qquad
        P_s = 1 - (1 - p)^2 = p(2 - p), \quad
        p = 2\Bigl(1 - \frac{1}{\sqrt M}\Bigr) Q\Bigl(\sqrt{\frac{3\gamma_s}{M - 1}}\Bigr) \ (M = 4^k)

    with :math:`\gamma_s = E_s/N_0` the SNR per symbol and :math:`p` the symbol error probability
    of each :math:`\sqrt M`-PAM dimension (Proakis & Salehi 2008, Eqs. 4.3-30 and 4.3-31 with
    coherent minimum-distance detection; equiprobable symbols of unit average energy).

    Args:
        snr_symbol: linear SNR per symbol :math:`E_s/N_0` (>= 0), any shape.
        modulation_order: M, 2 or a square QAM order; broadcast against ``snr_symbol``.
    """
    return _ser_exact_core(_sinr(snr_symbol, "snr_symbol"), _modulation_order(modulation_order))


def _ser_exact_core(s, m):
    """Exact BPSK / square-QAM SER on checked float arrays."""
    bpsk = m == 2
    scale = np.where(bpsk, 2.0, 3.0 / (m - 1.0))
    factor = np.where(bpsk, 1.0, 2.0 * (1.0 - 1.0 / np.sqrt(m)))
    p = factor * units.q_function(np.sqrt(scale * s))                  # BPSK: the SER; QAM: one PAM dimension
    return np.where(bpsk, p, p * (2.0 - p))


def packet_error_rate(ser, n_symbols):
    r"""Packet error rate of Eq. (16): a packet of :math:`N_p` symbols fails if any symbol fails.

    .. math:: \rho = 1 - (1 - f)^{N_p} = -\operatorname{expm1}\bigl(N_p \operatorname{log1p}(-f)\bigr)

    computed with ``log1p``/``expm1`` so that a SER of 1e-18 gives a PER of about
    :math:`N_p \cdot 10^{-18}` instead of 0. Symbol errors are independent (the paper's assumption).

    Args:
        ser: symbol error rate in [0, 1], any shape.
        n_symbols: :math:`N_p` symbols per packet (>= 1), broadcast against ``ser``.
    """
    f = np.asarray(ser, dtype=float)
    if np.any(~((f >= 0) & (f <= 1))):
        bad = f[~((f >= 0) & (f <= 1))]
        raise ValueError(f"ser must be a probability in [0, 1]; got {bad.size} invalid value(s), e.g. {bad.flat[0]!r}")
    n = _positive_finite(n_symbols, "n_symbols")
    with np.errstate(divide="ignore"):
        return -np.expm1(n * np.log1p(-f))


def spectral_efficiency(modulation_order, code_rate):
    r"""Information bits per channel symbol of an MCS pair, :math:`r_{m,c} = c \log_2 M`.

    The paper calls :math:`r_{m,c}` the *transmission efficiency* (bits per symbol, Sec. III-C-2)
    without a formula; :math:`c\log_2 M` is our reading (it gives the 48-action set of Sec. VI-B a
    peak of 5 bits/symbol at 64QAM, rate 5/6).
    """
    return _code_rate(code_rate) * np.log2(_modulation_order(modulation_order))


def throughput_bits(sinr, modulation_order, code_rate, d_free, n_symbols, ser_model: str = "eq17"):
    r"""Achievable rate of Eq. (15) in bits per frame.

    .. math:: R = r_{m,c}\bigl(1 - \rho_{m,c}(\mathrm{sinr})\bigr) N_p

    with :math:`r_{m,c} = c\log_2 M` (:func:`spectral_efficiency`), :math:`\rho` from Eq. (16)
    (:func:`packet_error_rate`) and the SER from Eq. (17) with :math:`G = c\,d_{free,H}`.

    Args:
        sinr: linear SINR per symbol (>= 0), any shape.
        modulation_order, code_rate, d_free, n_symbols: broadcast against ``sinr``.
        ser_model: ``"eq17"`` (the paper, default) or ``"exact"``
            (:func:`symbol_error_rate_exact` at :math:`G\,\mathrm{sinr}`).

    Returns:
        bits per frame, the broadcast shape; at most :math:`c\log_2(M) N_p`.
    """
    g = coding_gain(code_rate, d_free)
    _ser_model(ser_model)
    return _throughput_core(_sinr(sinr), _modulation_order(modulation_order), _code_rate(code_rate), g,
                            _positive_finite(n_symbols, "n_symbols"), ser_model)


def _throughput_core(s, m, c, g, n, ser_model: str):
    """Eq. (15) on checked float arrays: SINR s, order m, rate c, coding gain g, N_p n."""
    ser = _ser_eq17_core(s, m, g) if ser_model == "eq17" else _ser_exact_core(s * g, m)
    # 1 - PER = (1 - f)^N_p computed directly (exp of N_p log1p(-f)), not as 1 - packet_error_rate(...):
    # at low SINR the success probability is far below machine epsilon and 1 - PER would round to 0
    with np.errstate(divide="ignore"):
        success = np.exp(n * np.log1p(-ser))
    return c * np.log2(m) * success * n


# ------------------------------------------------------------------------------------------------
# The MCS set of a configuration and the best pair per SINR
# ------------------------------------------------------------------------------------------------

def modulation_name(modulation_order) -> str:
    """'BPSK', 'QPSK', '16QAM', '64QAM', ... for a scalar modulation order."""
    m = int(_modulation_order(modulation_order))
    return {2: "BPSK", 4: "QPSK"}.get(m, f"{m}QAM")


def _rate_label(code_rate: float) -> str:
    from fractions import Fraction
    frac = Fraction(code_rate).limit_denominator(16)
    return f"{frac.numerator}/{frac.denominator}"


def mcs_table(config):
    """The :math:`|\\mathcal M| \\times |\\mathcal C|` MCS pairs of a :class:`~multirat.config.NetworkConfig`.

    Order (the action encoding the rest of the library uses): modulation-major,
    ``index = i_m * len(config.code_rates) + i_c`` with ``i_m`` indexing ``config.modulation_orders``
    and ``i_c`` indexing ``config.code_rates`` (and ``config.d_free``).

    Returns:
        ``pandas.DataFrame`` with columns ``index``, ``mcs`` (e.g. '16QAM 3/4'), ``modulation``,
        ``modulation_order`` (M), ``code_rate`` (c), ``rate_label``, ``d_free``, ``coding_gain``
        (G = c d_free), ``spectral_efficiency`` (r = c log2 M, bits/symbol) and ``peak_bits``
        (r N_p, bits/frame).
    """
    import pandas as pd

    rows = []
    for i_m, m in enumerate(config.modulation_orders):
        for i_c, (c, d) in enumerate(zip(config.code_rates, config.d_free)):
            rows.append({
                "index": i_m * len(config.code_rates) + i_c,
                "mcs": f"{modulation_name(m)} {_rate_label(c)}",
                "modulation": modulation_name(m), "modulation_order": int(m), "code_rate": float(c),
                "rate_label": _rate_label(c), "d_free": int(d),
                "coding_gain": float(coding_gain(c, d)),
                "spectral_efficiency": float(spectral_efficiency(m, c)),
                "peak_bits": float(spectral_efficiency(m, c)) * config.n_symbols,
            })
    return pd.DataFrame(rows)


def best_mcs(sinr, config, ser_model: str = "eq17"):
    """Per SINR, the MCS pair of ``config`` that maximises Eq. (15) (link adaptation without ACI choice).

    Args:
        sinr: linear SINR per symbol (>= 0), any shape ``S``.
        config: a :class:`~multirat.config.NetworkConfig` (modulation orders, code rates, d_free, N_p).
        ser_model: ``"eq17"`` (paper) or ``"exact"``, see :func:`throughput_bits`.

    Returns:
        ``(index, throughput)``: int array of shape ``S`` (row of :func:`mcs_table`; ties go to the
        lower index) and the maximal throughput in bits/frame, shape ``S``.
    """
    table = mcs_table(config)
    s = _sinr(sinr)
    # [*S, n_mcs]
    tput = throughput_bits(s[..., None], table.modulation_order.to_numpy(), table.code_rate.to_numpy(),
                           table.d_free.to_numpy(), config.n_symbols, ser_model=ser_model)
    index = np.argmax(tput, axis=-1)
    return index, np.take_along_axis(tput, index[..., None], axis=-1)[..., 0]


def mcs_switching_thresholds(config, ser_model: str = "eq17", sinr_db_range=(-20.0, 50.0),
                             step_db: float = 0.01):
    """SINR (dB) at which each MCS pair becomes the best one of :func:`best_mcs`, and where it stops.

    :func:`best_mcs` is evaluated on a grid of ``step_db`` over ``sinr_db_range``; every change of
    the best pair is then refined with Brent's method on the difference of the two throughputs
    (to about 1e-9 dB). Pairs that are never the best have NaN thresholds; the pair that is best at
    the low end of the range has ``best_from_db = -inf`` and the last one ``best_until_db = inf``.

    Returns:
        ``pandas.DataFrame``: :func:`mcs_table` columns plus ``best_from_db``, ``best_until_db``.
    """
    from scipy import optimize

    table = mcs_table(config)
    lo, hi = sinr_db_range
    grid_db = np.arange(lo, hi + step_db / 2, step_db)
    idx, best = best_mcs(units.db_to_linear(grid_db), config, ser_model)
    grid_db, idx = grid_db[best > 0], idx[best > 0]                     # no winner where all underflow to 0
    start = np.full(len(table), np.nan)
    stop = np.full(len(table), np.nan)
    start[idx[0]] = -np.inf                          # the best pair at the low end of the range (and below)

    def gap(x_db, a, b):
        t = throughput_bits(units.db_to_linear(x_db), table.modulation_order.to_numpy()[[a, b]],
                            table.code_rate.to_numpy()[[a, b]], table.d_free.to_numpy()[[a, b]],
                            config.n_symbols, ser_model=ser_model)
        return t[1] - t[0]

    for j in np.flatnonzero(idx[1:] != idx[:-1]):
        a, b = int(idx[j]), int(idx[j + 1])
        x = optimize.brentq(gap, grid_db[j], grid_db[j + 1], args=(a, b), xtol=1e-12) \
            if gap(grid_db[j], a, b) * gap(grid_db[j + 1], a, b) < 0 else grid_db[j + 1]
        stop[a] = x
        start[b] = x if np.isnan(start[b]) else start[b]
    stop[idx[-1]] = np.inf
    return table.assign(best_from_db=start, best_until_db=stop)


def sinr_at_ser(target_ser: float, modulation_order, coding_gain=1.0, ser_model: str = "eq17",
                bracket_db=(-40.0, 60.0)) -> float:
    """Linear SINR at which the SER equals ``target_ser`` (Brent's method in dB).

    ``ser_model="eq17"``: :func:`symbol_error_rate` with the given coding gain; ``"exact"``:
    :func:`symbol_error_rate_exact` at ``coding_gain * sinr``. Scalar arguments only.
    """
    from scipy import optimize

    if not 1e-300 < target_ser < 0.5:
        raise ValueError(f"target_ser must be in (1e-300, 0.5); got {target_ser!r}")
    if _ser_model(ser_model) == "eq17":
        def ser(x_db):
            return float(symbol_error_rate(units.db_to_linear(x_db), modulation_order, coding_gain))
    else:
        def ser(x_db):
            return float(symbol_error_rate_exact(coding_gain * units.db_to_linear(x_db), modulation_order))
    # compare logs (floored where the SER underflows): the SER spans hundreds of decades over the bracket
    x_db = optimize.brentq(lambda x: math.log(max(ser(x), 1e-300)) - math.log(target_ser), *bracket_db, xtol=1e-12)
    return float(units.db_to_linear(x_db))


def sinr_at_throughput_fraction(fraction: float, config, ser_model: str = "eq17",
                                bracket_db=(-40.0, 60.0)) -> float:
    """Linear SINR at which the best-MCS throughput (:func:`best_mcs`) first reaches ``fraction`` of the
    peak rate ``config.peak_rate_bits`` (Brent's method on the envelope, which is continuous and
    non-decreasing)."""
    from scipy import optimize

    if not 0 < fraction < 1:
        raise ValueError(f"fraction must be in (0, 1); got {fraction!r}")
    target = fraction * config.peak_rate_bits
    x_db = optimize.brentq(lambda x: float(best_mcs(units.db_to_linear(x), config, ser_model)[1]) - target,
                           *bracket_db, xtol=1e-12)
    return float(units.db_to_linear(x_db))


# ------------------------------------------------------------------------------------------------
# Validation reference 1: Monte Carlo of the real constellations over AWGN
# ------------------------------------------------------------------------------------------------

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


# ------------------------------------------------------------------------------------------------
# Validation reference 2: the K = 7 (133, 171) convolutional code, punctured, Viterbi-decoded
# ------------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def trellis_802_11():
    """The rate-1/2, K = 7 convolutional code of IEEE 802.11a (generators 133, 171 octal) as a
    ``commpy.channelcoding.Trellis`` (memory 6, 64 states).

    The standard's octal generators have their most significant bit on the *current* input bit
    (output A = u_t + u_{t-2} + u_{t-3} + u_{t-5} + u_{t-6}, impulse response 1011011), which is
    commpy's ``polynomial_format="Matlab"`` (MATLAB's ``poly2trellis(7, [133 171])``). commpy's
    default ``"MSB"`` format reads 133 with its least significant bit on the current input: the
    time-reversed code. Unpunctured, both have the same distance spectrum; punctured with the
    802.11 patterns, the reversed code has d_free 4 (3/4) and 3 (5/6) instead of 5 and 4.
    """
    from commpy.channelcoding import Trellis

    return Trellis(np.array([6]), np.array([[0o133, 0o171]]), polynomial_format="Matlab")


def _rate_key(code_rate) -> str:
    c = float(_code_rate(code_rate))
    for key in PUNCTURE_PATTERNS:
        num, den = map(int, key.split("/"))
        if math.isclose(c, num / den, rel_tol=1e-9):
            return key
    raise ValueError(f"code_rate={code_rate!r} has no IEEE 802.11 puncturing pattern: allowed "
                     f"{', '.join(PUNCTURE_PATTERNS)}")


def puncture_pattern(code_rate) -> np.ndarray:
    """The puncturing pattern of :data:`PUNCTURE_PATTERNS` for ``code_rate`` (1/2, 3/4 or 5/6), as an
    int array of shape ``[2, period]``."""
    return np.array(PUNCTURE_PATTERNS[_rate_key(code_rate)], dtype=int)


def _puncture_mask(pattern, length: int) -> np.ndarray:
    """Boolean mask over a mother-code stream of ``length`` bits ordered A0 B0 A1 B1 ..."""
    pattern = np.asarray(pattern, dtype=int)
    if pattern.ndim != 2 or pattern.shape[0] != 2 or not np.isin(pattern, (0, 1)).all() or pattern.sum() == 0:
        raise ValueError(f"pattern must be a [2, period] array of 0/1 with at least one 1; got {pattern.tolist()!r}")
    if length % 2:
        raise ValueError(f"the mother-code stream must have an even length (2 bits per step); got {length}")
    steps = length // 2
    # [steps, 2] -> flat, time-major (A_t, B_t)
    return pattern[:, np.arange(steps) % pattern.shape[1]].T.reshape(-1).astype(bool)


def puncture(coded, pattern):
    """Remove the stolen bits of a rate-1/2 stream (last axis, ordered A0 B0 A1 B1 ...).

    Args:
        coded: ``[..., 2 T]`` mother-code bits (or soft values).
        pattern: ``[2, period]`` 0/1 array, e.g. :func:`puncture_pattern`.

    Returns:
        ``[..., K]`` with K the number of ones of the tiled pattern over T steps.
    """
    coded = np.asarray(coded)
    return coded[..., _puncture_mask(pattern, coded.shape[-1])]


def depuncture(received, pattern, length: int, fill: float = 0.0):
    """Inverse of :func:`puncture`: put the received values back at their mother-code positions and
    ``fill`` (an erasure: 0 contributes nothing to the soft Viterbi metric) at the stolen ones.

    Args:
        received: ``[..., K]`` punctured stream.
        pattern: the ``[2, period]`` pattern used by :func:`puncture`.
        length: mother-code length 2 T.
    """
    received = np.asarray(received)
    mask = _puncture_mask(pattern, int(length))
    if received.shape[-1] != mask.sum():
        raise ValueError(f"received has {received.shape[-1]} values but the pattern keeps {int(mask.sum())} "
                         f"of length={length}")
    out = np.full(received.shape[:-1] + (int(length),), fill, dtype=np.result_type(received, float))
    out[..., mask] = received
    return out


def _trellis_tables():
    """Predecessor tables of the 802.11 trellis: for each next state, its 2 (state, input, label)."""
    tr = trellis_802_11()
    nxt, out = tr.next_state_table, tr.output_table                    # [S, 2]
    n_states = tr.number_states
    prev_state = np.zeros((n_states, 2), dtype=int)
    prev_input = np.zeros((n_states, 2), dtype=int)
    prev_label = np.zeros((n_states, 2), dtype=int)
    count = np.zeros(n_states, dtype=int)
    for s in range(n_states):
        for u in range(2):
            t = nxt[s, u]
            prev_state[t, count[t]], prev_input[t, count[t]], prev_label[t, count[t]] = s, u, out[s, u]
            count[t] += 1
    assert (count == 2).all()
    return nxt, out, prev_state, prev_input, prev_label


def conv_encode(message_bits):
    """Encode with the 802.11 K = 7 code, terminated with 6 zero tail bits (as ``commpy``'s
    ``conv_encode(..., termination='term')``), vectorized over frames.

    Args:
        message_bits: ``[..., L]`` 0/1 array.

    Returns:
        ``[..., 2 (L + 6)]`` int8 mother-code bits, ordered A0 B0 A1 B1 ... (A = 133, B = 171).
    """
    u = np.asarray(message_bits)
    if not np.isin(u, (0, 1)).all():
        raise ValueError("message_bits must contain only 0 and 1")
    nxt, out, *_ = _trellis_tables()
    memory = int(trellis_802_11().total_memory)
    u = np.concatenate([u.astype(int), np.zeros(u.shape[:-1] + (memory,), dtype=int)], axis=-1)
    state = np.zeros(u.shape[:-1], dtype=int)
    coded = np.empty(u.shape[:-1] + (u.shape[-1], 2), dtype=np.int8)
    for t in range(u.shape[-1]):
        label = out[state, u[..., t]]
        coded[..., t, 0], coded[..., t, 1] = label >> 1, label & 1     # MSB = output of 133
        state = nxt[state, u[..., t]]
    return coded.reshape(u.shape[:-1] + (-1,))


def viterbi_decode(soft, n_message_bits: int):
    """Maximum-likelihood (Viterbi) decoding of the terminated 802.11 K = 7 code, batched over frames.

    The branch metric is the correlation :math:`\\sum_j y_j (2b_j - 1)` of the received values with the
    BPSK image of the branch label (bit 1 -> +1, commpy's convention), maximised over the trellis;
    for real Gaussian noise this is the unquantized soft-decision ML metric, for ``y = ±1`` hard
    decisions it minimises the Hamming distance, and erased (punctured) positions ``y = 0`` do not
    count. The path is traced back from state 0 over the whole frame (the code is terminated).

    Args:
        soft: ``[B, 2 T]`` or ``[2 T]`` depunctured values, T = ``n_message_bits`` + 6.
        n_message_bits: L.

    Returns:
        ``[B, L]`` (or ``[L]``) decoded bits, int8.
    """
    y = np.asarray(soft, dtype=float)
    single = y.ndim == 1
    y = np.atleast_2d(y)
    nxt, out, prev_state, prev_input, prev_label = _trellis_tables()
    memory = int(trellis_802_11().total_memory)
    steps = int(n_message_bits) + memory
    if y.shape[-1] != 2 * steps:
        raise ValueError(f"soft has {y.shape[-1]} values; expected 2 * (n_message_bits + {memory}) = {2 * steps}")
    batch, n_states = y.shape[0], nxt.shape[0]
    y = y.reshape(batch, steps, 2)
    # correlation of each step with the four labels 00, 01, 10, 11 as +-1: [B, T, 4]
    signs = np.array([[-1, -1], [-1, 1], [1, -1], [1, 1]], dtype=float)
    corr = np.einsum("btj,lj->btl", y, signs)
    metric = np.full((batch, n_states), -np.inf)
    metric[:, 0] = 0.0
    decisions = np.empty((steps, batch, n_states), dtype=np.uint8)
    ps0, ps1 = prev_state[:, 0], prev_state[:, 1]
    pl0, pl1 = prev_label[:, 0], prev_label[:, 1]
    for t in range(steps):
        # [B, S]: metric of each next state through its first and its second predecessor
        ct = corr[:, t, :]
        m0 = metric[:, ps0] + ct[:, pl0]
        m1 = metric[:, ps1] + ct[:, pl1]
        choice = m1 > m0
        decisions[t] = choice
        metric = np.maximum(m0, m1)
        if t % 64 == 63:
            metric -= metric.max(axis=1, keepdims=True)                # keep the numbers small
    state = np.zeros(batch, dtype=int)                                  # terminated: end in state 0
    bits = np.empty((batch, steps), dtype=np.int8)
    rows = np.arange(batch)
    for t in range(steps - 1, -1, -1):
        choice = decisions[t, rows, state]
        bits[:, t] = prev_input[state, choice]
        state = prev_state[state, choice]
    bits = bits[:, :n_message_bits]
    return bits[0] if single else bits


@functools.lru_cache(maxsize=16)
def _spectrum(rate_key: str, max_weight: int):
    nxt, out, *_ = _trellis_tables()
    pattern = np.array(PUNCTURE_PATTERNS[rate_key], dtype=int)       # [2, P]
    period = pattern.shape[1]
    n_states = nxt.shape[0]
    weight_of = np.array([[(lab >> 1) * pattern[0, p] + (lab & 1) * pattern[1, p] for lab in range(4)]
                          for p in range(period)])                      # [P, 4]
    paths = np.zeros(max_weight + 1)
    info = np.zeros(max_weight + 1)
    for phase in range(period):
        # count[s, d], bits[s, d]: paths not yet remerged, in state s with output weight d
        count = np.zeros((n_states, max_weight + 1))
        bits = np.zeros((n_states, max_weight + 1))
        w0 = weight_of[phase, out[0, 1]]
        if w0 <= max_weight:
            count[nxt[0, 1], w0] = 1.0
            bits[nxt[0, 1], w0] = 1.0
        t = 1
        while count.any():
            if t > 50 * (max_weight + 10):
                raise RuntimeError("distance spectrum does not converge (catastrophic puncturing?)")
            p = (phase + t) % period
            new_count = np.zeros_like(count)
            new_bits = np.zeros_like(bits)
            for u in (0, 1):
                weight = weight_of[p, out[:, u]]                        # [S] branch weights
                shifted_c = np.zeros_like(count)
                shifted_b = np.zeros_like(bits)
                for w in np.unique(weight):
                    sel = weight == w
                    shifted_c[sel, w:] = count[sel, :max_weight + 1 - w]
                    shifted_b[sel, w:] = bits[sel, :max_weight + 1 - w] + u * count[sel, :max_weight + 1 - w]
                shifted_c[0] = shifted_b[0] = 0.0                       # no path sits in state 0
                remerge = nxt[:, u] == 0
                paths += shifted_c[remerge].sum(axis=0)
                info += shifted_b[remerge].sum(axis=0)
                np.add.at(new_count, nxt[~remerge, u], shifted_c[~remerge])
                np.add.at(new_bits, nxt[~remerge, u], shifted_b[~remerge])
            count, bits = new_count, new_bits
            t += 1
    return paths, info, period


def distance_spectrum(code_rate, max_weight: int = 20):
    """Distance spectrum of the 802.11 K = 7 code punctured to ``code_rate``, computed from the trellis.

    For each output weight d, ``paths`` :math:`a_d` counts the error events (paths leaving state 0
    and first returning to it) of weight d and ``info_weight`` :math:`c_d` their total number of
    information-bit errors, summed over the ``period`` starting phases of the puncturing pattern
    (Haccoun & Begin 1989). The free distance is the smallest d with :math:`a_d > 0`.

    Returns:
        ``pandas.DataFrame`` with columns ``d``, ``paths``, ``info_weight`` (rows with a_d > 0 up to
        ``max_weight``) and the attribute ``attrs["period"]``.
    """
    import pandas as pd

    paths, info, period = _spectrum(_rate_key(code_rate), int(max_weight))
    d = np.flatnonzero(paths > 0)
    df = pd.DataFrame({"d": d, "paths": paths[d].astype(np.int64), "info_weight": info[d].astype(np.int64)})
    df.attrs["period"] = period
    return df


def coded_ber_union_bound(ebn0, code_rate, decision: str = "soft", max_weight: int = 20):
    r"""Union bound on the bit error rate of Viterbi decoding over BPSK/AWGN (Proakis & Salehi 2008,
    Sec. 8.2-3), from :func:`distance_spectrum`:

    .. math::

        P_b \le \frac{1}{P} \sum_{d \ge d_{free}} c_d P_2(d), \qquad
        P_2(d) = Q\bigl(\sqrt{2 d\, c\, E_b/N_0}\bigr) \ \text{(soft)}, \quad
        P_2(d) = \sum_{e > d/2} \binom{d}{e} p^e (1-p)^{d-e} \,[+\tfrac12 \text{tie}] \ \text{(hard)}

    with :math:`p = Q(\sqrt{2 c E_b/N_0})` the channel-bit error probability and P the puncturing
    period (input bits). Truncated at ``max_weight``; tight at low BER, loose (> 1) near 0 dB.

    Args:
        ebn0: linear :math:`E_b/N_0` per information bit, any shape.
        code_rate: 1/2, 3/4 or 5/6.
        decision: ``"soft"`` (unquantized) or ``"hard"``.
    """
    from scipy import stats

    key = _rate_key(code_rate)
    paths, info, period = _spectrum(key, int(max_weight))
    num, den = map(int, key.split("/"))
    es_n0 = _sinr(ebn0, "ebn0") * num / den
    d = np.flatnonzero(info > 0)
    if decision == "soft":
        p2 = units.q_function(np.sqrt(2.0 * d * es_n0[..., None]))          # [..., n_d]
    elif decision == "hard":
        p = units.q_function(np.sqrt(2.0 * es_n0))[..., None]
        p2 = stats.binom.sf(np.floor(d / 2), d, p)                         # P(e > d/2)
        even = d % 2 == 0
        p2 = p2 + np.where(even, 0.5 * stats.binom.pmf(d // 2, d, p), 0.0)
    else:
        raise ValueError(f"decision={decision!r} is unknown: allowed 'soft' or 'hard'")
    return (p2 * info[d]).sum(axis=-1) / period


def simulate_coded_ber(rng: np.random.Generator, ebn0, code_rate, n_bits: int, frame_bits: int = 1000,
                       decision: str = "soft", max_frames_per_block: int = 256):
    """Monte Carlo bit error rate of the punctured K = 7 code over BPSK/AWGN with Viterbi decoding.

    *Validation reference for the coding-gain assumption* :math:`G = c\\,d_{free,H}`, not the paper's
    model. Per frame: ``frame_bits`` random bits, :func:`conv_encode` (6 tail bits), :func:`puncture`
    to ``code_rate`` (IEEE 802.11a/n patterns), BPSK (bit 1 -> +1), real AWGN of variance
    :math:`N_0/2` with :math:`E_s/N_0 = c\\,E_b/N_0` (the tail's rate loss, 6/``frame_bits``, is not
    charged), :func:`depuncture` with erasures, and :func:`viterbi_decode` on the unquantized
    values (``decision="soft"``) or on their signs (``"hard"``).

    Args:
        rng: random generator (bits and noise).
        ebn0: linear :math:`E_b/N_0` per information bit, scalar or 1-D.
        code_rate: 1/2, 3/4 or 5/6.
        n_bits: information bits per :math:`E_b/N_0` (rounded up to whole frames).

    Returns:
        ``pandas.DataFrame``, one row per :math:`E_b/N_0`: ``ebn0``, ``ebn0_db``, ``esn0_db`` (SNR per
        channel symbol, :math:`c E_b/N_0`, the paper's per-symbol SINR), ``code_rate``,
        ``decision``, ``n_bits``, ``bit_errors``, ``ber``, ``ber_se`` (standard error of ``ber`` from
        the spread of the per-frame error counts: errors come in bursts, so the binomial formula
        would understate it), ``n_frames``, ``frame_errors``.
    """
    import pandas as pd

    if decision not in ("soft", "hard"):
        raise ValueError(f"decision={decision!r} is unknown: allowed 'soft' or 'hard'")
    pattern = puncture_pattern(code_rate)
    rate = float(_code_rate(code_rate))
    ebn0 = np.atleast_1d(_positive_finite(ebn0, "ebn0"))
    frame_bits = int(frame_bits)
    if frame_bits < 1 or int(n_bits) < 1:
        raise ValueError(f"frame_bits and n_bits must be >= 1; got {frame_bits!r}, {n_bits!r}")
    n_frames = -(-int(n_bits) // frame_bits)
    rows = []
    for g in ebn0:
        sigma = np.sqrt(0.5 / (rate * g))                               # Es = 1, N0/2 per real dimension
        bit_err = frame_err = 0
        sum_sq = 0.0                                                    # sum of squared per-frame error counts
        for start in range(0, n_frames, max_frames_per_block):
            b = min(max_frames_per_block, n_frames - start)
            msg = rng.integers(0, 2, (b, frame_bits), dtype=np.int8)    # [B, L]
            mother = conv_encode(msg)                                   # [B, 2(L+6)]
            tx = 2.0 * puncture(mother, pattern) - 1.0                  # [B, K]
            rx = tx + sigma * rng.standard_normal(tx.shape)
            if decision == "hard":
                rx = np.sign(rx)
            soft = depuncture(rx, pattern, mother.shape[-1])            # [B, 2(L+6)], 0 = erasure
            errors = viterbi_decode(soft, frame_bits) != msg            # [B, L]
            per_frame = errors.sum(axis=1)                              # [B]
            bit_err += int(per_frame.sum())
            sum_sq += float(np.sum(per_frame.astype(float) ** 2))
            frame_err += int(np.count_nonzero(per_frame))
        mean = bit_err / n_frames
        var = max(sum_sq / n_frames - mean**2, 0.0) * n_frames / max(n_frames - 1, 1)
        rows.append({"ebn0": float(g), "ebn0_db": float(units.linear_to_db(g)),
                     "esn0_db": float(units.linear_to_db(rate * g)), "code_rate": rate, "decision": decision, "n_bits": n_frames * frame_bits, "bit_errors": bit_err,
                     "ber": bit_err / (n_frames * frame_bits),
                     "ber_se": math.sqrt(var / n_frames) / frame_bits,
                     "n_frames": n_frames, "frame_errors": frame_err})
    return pd.DataFrame(rows)


def snr_at_error_rate(snr_db, error_rate, target: float) -> float:
    """SNR (dB) where a measured, decreasing error-rate curve first crosses ``target``: linear
    interpolation of :math:`\\log_{10}` of the error rate between the two bracketing points.
    NaN if the curve never crosses ``target`` (or a bracketing point has no errors)."""
    x = np.asarray(snr_db, dtype=float)
    y = np.asarray(error_rate, dtype=float)
    if x.shape != y.shape or x.ndim != 1 or np.any(np.diff(x) <= 0):
        raise ValueError("snr_db must be 1-D increasing and error_rate the same shape")
    if not 0 < target < 1:
        raise ValueError(f"target must be in (0, 1); got {target!r}")
    below = np.flatnonzero(y <= target)
    if len(below) == 0 or below[0] == 0:
        return float("nan")
    j = below[0]
    if y[j] <= 0 or y[j - 1] <= 0:
        return float("nan")
    ly0, ly1, lt = np.log10(y[j - 1]), np.log10(y[j]), np.log10(target)
    return float(x[j - 1] + (lt - ly0) * (x[j] - x[j - 1]) / (ly1 - ly0))
