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

The MCS set of a configuration (:func:`mcs_table`), the best pair per SINR (:func:`best_mcs`), the
SINRs where it changes (:func:`mcs_switching_thresholds`) and the SINR of a target SER or throughput
(:func:`sinr_at_ser`, :func:`sinr_at_throughput_fraction`) complete the module. The independent
references that validate these formulas (constellation Monte Carlo, the punctured K = 7 code of
IEEE 802.11a with Viterbi decoding) live in :mod:`multirat.reference`, which this module never imports.
"""

from __future__ import annotations

import math

import numpy as np

from multirat import units
from multirat._checks import broadcast, choice, positive, real, scalar

__all__ = [
    "SER_MODELS",
    "coding_gain", "symbol_error_rate", "symbol_error_rate_exact", "packet_error_rate",
    "spectral_efficiency", "throughput_bits", "modulation_name", "mcs_table", "best_mcs",
    "mcs_switching_thresholds", "sinr_at_ser", "sinr_at_throughput_fraction",
]

#: SER models accepted by :func:`throughput_bits` and :func:`best_mcs`: Eq. (17) as printed, or the
#: exact uncoded SER at the per-symbol SINR scaled by the coding gain.
SER_MODELS = ("eq17", "exact")


# ------------------------------------------------------------------------------------------------
# Input checks
# ------------------------------------------------------------------------------------------------

def _sinr(sinr, name: str = "sinr") -> np.ndarray:
    """A linear SINR: >= 0, ``+inf`` allowed (no noise), NaN not."""
    return real(sinr, name, lo=0.0, posinf=True, why="a linear power ratio, not dB")


def _modulation_order(modulation_order) -> np.ndarray:
    """Validate M (scalar or array): 2 (BPSK) or a square QAM order 4, 16, 64, 256, ..."""
    mf = real(modulation_order, "modulation_order", finite=False)
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
    return real(code_rate, "code_rate", lo=0.0, lo_open=True, hi=1.0)


def _positive_finite(x, name: str) -> np.ndarray:
    return positive(x, name, finite=True)


def _n_symbols(n_symbols) -> np.ndarray:
    """N_p: whole symbols, >= 1."""
    return real(n_symbols, "n_symbols", lo=1.0, integer=True, why="symbols per packet")


def _ser_model(ser_model: str) -> str:
    return choice(ser_model, "ser_model", SER_MODELS)


_CONFIG_FIELDS = ("modulation_orders", "code_rates", "d_free", "n_symbols")


def _config(config):
    """A :class:`~multirat.config.NetworkConfig` (or any object with its four MCS fields)."""
    if not all(hasattr(config, f) for f in _CONFIG_FIELDS):
        raise TypeError(f"config must be a NetworkConfig (with {', '.join(_CONFIG_FIELDS)}); "
                        f"got {type(config).__name__}")
    return config


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
        d_free: Hamming free distance (finite, > 0), broadcast against ``code_rate``.

    Raises ``ValueError`` (a value out of range, NaN, shapes that do not broadcast) or
    ``TypeError`` (non-numbers), naming the argument; every function of this module does likewise.
    """
    c, d = _code_rate(code_rate), _positive_finite(d_free, "d_free")
    broadcast(("code_rate", "d_free"), c, d)
    return c * d


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
        tail (Q via ``erfc``). ``ValueError`` / ``TypeError`` naming the argument for invalid input.
    """
    s = _sinr(sinr)
    m = _modulation_order(modulation_order)
    g = _positive_finite(coding_gain, "coding_gain")
    broadcast(("sinr", "modulation_order", "coding_gain"), s, m, g)
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

    ``ValueError`` / ``TypeError`` naming the argument for invalid input.
    """
    s, m = _sinr(snr_symbol, "snr_symbol"), _modulation_order(modulation_order)
    broadcast(("snr_symbol", "modulation_order"), s, m)
    return _ser_exact_core(s, m)


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
        n_symbols: :math:`N_p` symbols per packet (a whole number >= 1), broadcast against ``ser``.

    ``ValueError`` / ``TypeError`` naming the argument for invalid input.
    """
    f = real(ser, "ser", lo=0.0, hi=1.0, why="a probability")
    n = _n_symbols(n_symbols)
    broadcast(("ser", "n_symbols"), f, n)
    with np.errstate(divide="ignore"):
        return -np.expm1(n * np.log1p(-f))


def spectral_efficiency(modulation_order, code_rate):
    r"""Information bits per channel symbol of an MCS pair, :math:`r_{m,c} = c \log_2 M`.

    The paper calls :math:`r_{m,c}` the *transmission efficiency* (bits per symbol, Sec. III-C-2)
    without a formula; :math:`c\log_2 M` is our reading (it gives the 48-action set of Sec. VI-B a
    peak of 5 bits/symbol at 64QAM, rate 5/6). ``ValueError`` / ``TypeError`` for invalid input.
    """
    c, m = _code_rate(code_rate), _modulation_order(modulation_order)
    broadcast(("modulation_order", "code_rate"), m, c)
    return c * np.log2(m)


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
        bits per frame, the broadcast shape; at most :math:`c\log_2(M) N_p`. ``ValueError`` /
        ``TypeError`` naming the argument for invalid input (``n_symbols`` a whole number >= 1).
    """
    g = coding_gain(code_rate, d_free)
    _ser_model(ser_model)
    s, m, c, n = _sinr(sinr), _modulation_order(modulation_order), _code_rate(code_rate), _n_symbols(n_symbols)
    broadcast(("sinr", "modulation_order", "code_rate", "d_free", "n_symbols"), s, m, c, g, n)
    return _throughput_core(s, m, c, g, n, ser_model)


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
    """'BPSK', 'QPSK', '16QAM', '64QAM', ... for a scalar modulation order (``ValueError`` otherwise)."""
    m = int(_modulation_order(scalar(modulation_order, "modulation_order")))
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
        (r N_p, bits/frame). ``TypeError`` if ``config`` lacks those fields.
    """
    import pandas as pd

    _config(config)
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
        lower index) and the maximal throughput in bits/frame, shape ``S``. ``ValueError`` /
        ``TypeError`` naming the argument for invalid input.
    """
    m, c, d = _mcs_arrays(_config(config))
    s = _sinr(sinr)
    tput = throughput_bits(s[..., None], m, c, d, config.n_symbols, ser_model=ser_model)     # [*S, n_mcs]
    index = np.argmax(tput, axis=-1)
    return index, np.take_along_axis(tput, index[..., None], axis=-1)[..., 0]


def _mcs_arrays(config) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(M, c, d_free) ``[n_mcs]`` in :func:`mcs_table` order (modulation-major), without the DataFrame."""
    m = np.repeat(np.asarray(config.modulation_orders, dtype=np.int64), len(config.code_rates))
    c = np.tile(np.asarray(config.code_rates, dtype=float), len(config.modulation_orders))
    d = np.tile(np.asarray(config.d_free, dtype=np.int64), len(config.modulation_orders))
    return m, c, d


def mcs_switching_thresholds(config, ser_model: str = "eq17", sinr_db_range=(-20.0, 50.0),
                             step_db: float = 0.01):
    """SINR (dB) at which each MCS pair becomes the best one of :func:`best_mcs`, and where it stops.

    :func:`best_mcs` is evaluated on a grid of ``step_db`` over ``sinr_db_range``; every change of
    the best pair is then refined with Brent's method on the difference of the two throughputs
    (to about 1e-9 dB). Pairs that are never the best have NaN thresholds; the pair that is best at
    the low end of the range has ``best_from_db = -inf`` and the last one ``best_until_db = inf``.

    Returns:
        ``pandas.DataFrame``: :func:`mcs_table` columns plus ``best_from_db``, ``best_until_db``.
        ``ValueError`` / ``TypeError`` naming the argument for an invalid range, step (finite, > 0,
        at most 10^7 grid points) or model.
    """
    from scipy import optimize

    _ser_model(ser_model)
    lo, hi = _db_range(sinr_db_range, "sinr_db_range")
    step_db = float(positive(scalar(step_db, "step_db"), "step_db", finite=True, unit="dB"))
    if (hi - lo) / step_db > 1e7:
        raise ValueError(f"step_db={step_db!r} is too small for sinr_db_range={sinr_db_range!r}: "
                         f"{(hi - lo) / step_db:.3g} grid points, allowed at most 1e7")
    table = mcs_table(config)
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
    :func:`symbol_error_rate_exact` at ``coding_gain * sinr``. Scalar arguments only. ``ValueError``
    (a value out of range, a ``bracket_db`` that does not hold the solution) or ``TypeError``,
    naming the argument.
    """

    target_ser = float(real(scalar(target_ser, "target_ser"), "target_ser", lo=1e-300, hi=0.5, lo_open=True,
                            hi_open=True))
    modulation_order = float(_modulation_order(scalar(modulation_order, "modulation_order")))
    coding_gain = float(_positive_finite(scalar(coding_gain, "coding_gain"), "coding_gain"))
    bracket_db = _db_range(bracket_db, "bracket_db")
    if _ser_model(ser_model) == "eq17":
        def ser(x_db):
            return float(symbol_error_rate(units.db_to_linear(x_db), modulation_order, coding_gain))
    else:
        def ser(x_db):
            return float(symbol_error_rate_exact(coding_gain * units.db_to_linear(x_db), modulation_order))
    # compare logs (floored where the SER underflows): the SER spans hundreds of decades over the bracket
    x_db = _brentq(lambda x: math.log(max(ser(x), 1e-300)) - math.log(target_ser), bracket_db,
                   f"target_ser={target_ser!r}")
    return float(units.db_to_linear(x_db))


def _db_range(pair, name: str) -> tuple[float, float]:
    """Two finite dB values ``lo < hi``."""
    values = real(pair, name, unit="dB")
    if values.shape != (2,) or not values[0] < values[1]:
        raise ValueError(f"{name}={pair!r} must be two finite values (lo, hi) with lo < hi (dB)")
    return float(values[0]), float(values[1])


def _brentq(fn, bracket_db, what: str) -> float:
    """Brent's method on ``bracket_db``; ``ValueError`` naming the bracket when it holds no sign change."""
    from scipy import optimize

    lo, hi = bracket_db
    if not fn(lo) * fn(hi) <= 0:
        raise ValueError(f"bracket_db={bracket_db!r} does not contain the SINR of {what}: widen it")
    return optimize.brentq(fn, lo, hi, xtol=1e-12)


def sinr_at_throughput_fraction(fraction: float, config, ser_model: str = "eq17",
                                bracket_db=(-40.0, 60.0)) -> float:
    """Linear SINR at which the best-MCS throughput (:func:`best_mcs`) first reaches ``fraction`` of the
    peak rate ``config.peak_rate_bits`` (Brent's method on the envelope, which is continuous and
    non-decreasing). ``ValueError`` (``fraction`` outside (0, 1), a ``bracket_db`` that does not hold
    the solution) or ``TypeError``, naming the argument.
    """
    fraction = float(real(scalar(fraction, "fraction"), "fraction", lo=0.0, hi=1.0, lo_open=True, hi_open=True))
    _ser_model(ser_model)
    if not hasattr(_config(config), "peak_rate_bits"):
        raise TypeError(f"config must be a NetworkConfig; got {type(config).__name__}")
    target = fraction * config.peak_rate_bits
    x_db = _brentq(lambda x: float(best_mcs(units.db_to_linear(x), config, ser_model)[1]) - target,
                   _db_range(bracket_db, "bracket_db"), f"fraction={fraction!r}")
    return float(units.db_to_linear(x_db))
