"""Validation reference for the coding gain: the K = 7 (133, 171) convolutional code of IEEE 802.11a.

*Not the paper's model.* The paper abstracts coding by the gain :math:`G = c\\,d_{free,H}` of
Eq. (17) (:func:`multirat.link.coding_gain`) without naming a code; the book assumes the K = 7
(133, 171) code of IEEE 802.11a punctured to 3/4 and 5/6 (``NetworkConfig.d_free``). This module
builds that code and checks the assumption (the book's chapter 3 (c)):

* :func:`trellis_802_11`, :func:`conv_encode` -- the encoder (commpy's ``Trellis``, vectorized);
* :data:`PUNCTURE_PATTERNS`, :func:`puncture_pattern`, :func:`puncture`, :func:`depuncture` -- the
  802.11a/n puncturing;
* :func:`viterbi_decode` -- batched maximum-likelihood (soft or hard) Viterbi decoding;
* :func:`distance_spectrum`, :func:`coded_ber_union_bound` -- the free distance and the union bound,
  computed from the trellis;
* :func:`simulate_coded_ber` -- Monte Carlo of the punctured code over BPSK/AWGN;
* :func:`snr_at_error_rate` -- where a measured (or bounded) error-rate curve crosses a target.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from multirat import units
from multirat._checks import positive
from multirat.link import _code_rate, _sinr

__all__ = [
    "PUNCTURE_PATTERNS",
    "trellis_802_11", "puncture_pattern", "puncture", "depuncture", "conv_encode", "viterbi_decode",
    "distance_spectrum", "coded_ber_union_bound", "simulate_coded_ber", "snr_at_error_rate",
]

#: IEEE 802.11a/n puncturing patterns of the rate-1/2 K = 7 (133, 171) mother code, one row per
#: encoder output (A = 133, B = 171), one column per input bit of the puncturing period
#: (IEEE 802.11a Sec. 17.3.5.6; 5/6 from 802.11n Sec. 20.3.11.6). 1 = transmitted, 0 = stolen.
PUNCTURE_PATTERNS = {
    "1/2": ((1,), (1,)),
    "3/4": ((1, 1, 0), (1, 0, 1)),
    "5/6": ((1, 1, 0, 1, 0), (1, 0, 1, 0, 1)),
}


def _positive_finite(x, name: str) -> np.ndarray:
    return positive(x, name, finite=True)


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
    interpolation of :math:`\\log_{10}` of the error rate between the two bracketing points; a point
    exactly at ``target`` (the first one included) gives its own SNR. NaN if the curve never reaches
    ``target``, starts below it, or a bracketing point has no errors."""
    x = np.asarray(snr_db, dtype=float)
    y = np.asarray(error_rate, dtype=float)
    if x.shape != y.shape or x.ndim != 1 or np.any(np.diff(x) <= 0):
        raise ValueError("snr_db must be 1-D increasing and error_rate the same shape")
    if not 0 < target < 1:
        raise ValueError(f"target must be in (0, 1); got {target!r}")
    below = np.flatnonzero(y <= target)
    if len(below) == 0:
        return float("nan")
    j = below[0]
    if y[j] == target:                                  # an exact hit, also at the first grid point
        return float(x[j])
    if j == 0 or y[j] <= 0 or y[j - 1] <= 0:
        return float("nan")
    ly0, ly1, lt = np.log10(y[j - 1]), np.log10(y[j]), np.log10(target)
    return float(x[j - 1] + (lt - ly0) * (x[j] - x[j - 1]) / (ly1 - ly0))
