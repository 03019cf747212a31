"""reference/convolutional.py: the K = 7 (133, 171) code of IEEE 802.11a, puncturing, Viterbi decoding,
distance spectrum, union bound, coded-BER Monte Carlo and snr_at_error_rate (chapter 3 (c))."""

import math

import numpy as np
import pytest
from scipy import stats

from multirat import units
from multirat.config import NetworkConfig
from multirat.reference import convolutional as cc

NET = NetworkConfig()


@pytest.mark.parametrize("rate", [0.5, 0.75, 5 / 6])
def test_puncture_round_trip(rate):
    pattern = cc.puncture_pattern(rate)
    x = np.arange(1, 2 * 37 + 1, dtype=float).reshape(1, -1).repeat(3, axis=0)   # [3, 74] distinct values
    p = cc.puncture(x, pattern)
    back = cc.depuncture(p, pattern, x.shape[-1], fill=0.0)
    kept = back != 0
    np.testing.assert_array_equal(back[kept], x[kept])
    assert kept.sum(axis=1).tolist() == [p.shape[-1]] * 3
    # punctured length over whole periods = info bits / rate
    period = pattern.shape[1]
    full = cc.puncture(np.zeros((2 * period * 10,)), pattern)
    assert len(full) == pytest.approx(period * 10 / rate)


def test_802_11a_puncturing_order():
    # 3/4: A0 B0 A1 B2 (IEEE 802.11a Fig. "punctured coding r = 3/4")
    labels = np.array(["A0", "B0", "A1", "B1", "A2", "B2"])
    assert cc.puncture(labels, cc.puncture_pattern(0.75)).tolist() == ["A0", "B0", "A1", "B2"]
    with pytest.raises(ValueError, match="code_rate"):
        cc.puncture_pattern(2 / 3)
    with pytest.raises(ValueError, match="received"):
        cc.depuncture(np.zeros(5), cc.puncture_pattern(0.75), 6)


def test_encoder_matches_commpy_and_802_11a_generators():
    from commpy.channelcoding import conv_encode

    rng = np.random.default_rng(5)
    msg = rng.integers(0, 2, (4, 120))
    ours = cc.conv_encode(msg)
    for i in range(4):
        np.testing.assert_array_equal(ours[i], conv_encode(msg[i], cc.trellis_802_11()))
    impulse = cc.conv_encode(np.eye(1, 10, dtype=int)[0])
    assert impulse[0:14:2].tolist() == [1, 0, 1, 1, 0, 1, 1]      # 133 octal, MSB = current input
    assert impulse[1:14:2].tolist() == [1, 1, 1, 1, 0, 0, 1]      # 171 octal


@pytest.mark.parametrize("rate", [0.5, 0.75, 5 / 6])
def test_viterbi_noiseless_and_ml(rate):
    from commpy.channelcoding import viterbi_decode

    rng = np.random.default_rng(11)
    pattern = cc.puncture_pattern(rate)
    msg = rng.integers(0, 2, (3, 150))
    mother = cc.conv_encode(msg)
    clean = cc.depuncture(2.0 * cc.puncture(mother, pattern) - 1.0, pattern, mother.shape[-1])
    np.testing.assert_array_equal(cc.viterbi_decode(clean, 150), msg)
    noisy_tx = 2.0 * cc.puncture(mother, pattern) - 1.0
    noisy = cc.depuncture(noisy_tx + 0.9 * rng.standard_normal(noisy_tx.shape), pattern, mother.shape[-1])
    ours = cc.viterbi_decode(noisy, 150)

    def metric(bits):
        return ((2.0 * cc.conv_encode(bits) - 1.0) * noisy).sum(axis=-1)

    # maximum likelihood: no codeword correlates better with the received values
    assert np.all(metric(ours) >= metric(msg) - 1e-9)
    theirs = np.array([viterbi_decode(r, cc.trellis_802_11(), tb_depth=60, decoding_type="unquantized")[:150]
                       for r in noisy])
    assert np.all(metric(ours) >= metric(theirs) - 1e-9)


def test_distance_spectrum_and_free_distances():
    free = [int(cc.distance_spectrum(c).d.iloc[0]) for c in NET.code_rates]
    assert free == list(NET.d_free)                                   # 10, 5, 4: the config's assumption
    half = cc.distance_spectrum(0.5).head(4)
    # the published spectrum of the (133, 171) code: a_d = 11, 38, 193, 1331; c_d = 36, 211, 1404, 11633
    assert half.paths.tolist() == [11, 38, 193, 1331]
    assert half.info_weight.tolist() == [36, 211, 1404, 11633]
    # the union bound is dominated by its first term at high SNR
    ebn0 = units.db_to_linear(9.0)
    first = 36 * stats.norm.sf(math.sqrt(2 * 10 * 0.5 * ebn0))
    assert cc.coded_ber_union_bound(ebn0, 0.5) == pytest.approx(first, rel=0.05)
    assert cc.coded_ber_union_bound(ebn0, 0.5, "hard") > cc.coded_ber_union_bound(ebn0, 0.5)


def test_coded_ber_below_uncoded_at_4_db():
    rng = np.random.default_rng(4)
    ebn0 = units.db_to_linear(4.0)
    df = cc.simulate_coded_ber(rng, ebn0, 0.5, 20_000, frame_bits=500)
    uncoded = stats.norm.sf(math.sqrt(2 * ebn0))                      # 1.25e-2
    assert df.n_bits[0] == 20_000
    assert df.ber[0] < uncoded / 10
    hard = cc.simulate_coded_ber(rng, ebn0, 0.5, 20_000, frame_bits=500, decision="hard")
    assert df.ber[0] <= hard.ber[0] < uncoded


def test_snr_at_error_rate():
    x = np.array([0.0, 1.0, 2.0, 3.0])
    y = np.array([1e-1, 1e-2, 1e-3, 0.0])
    assert cc.snr_at_error_rate(x, y, 10 ** -1.5) == pytest.approx(0.5)
    assert math.isnan(cc.snr_at_error_rate(x, y, 1e-5))
    with pytest.raises(ValueError):
        cc.snr_at_error_rate(x[::-1], y, 1e-2)


# ------------------------------------------------------------------------------------------------
# Published spectra, exact bounds, validation branches, counting by an independent construction
# ------------------------------------------------------------------------------------------------

def test_published_spectra_of_the_punctured_codes():
    """a_d from Frenger et al. (Table B.32, as used by ns-3's YansErrorRateModel: d_free, a_dfree,
    a_dfree+1) and c_d from Haccoun & Begin (as used by ns-3's NistErrorRateModel), first terms."""
    half = cc.distance_spectrum(0.5, max_weight=26)
    assert half.attrs["period"] == 1 and half.d.tolist() == list(range(10, 27, 2))     # odd weights: none
    assert half.info_weight.tolist() == [36, 211, 1404, 11633, 77433, 502690, 3322763, 21292910, 134365911]
    three = cc.distance_spectrum(0.75, max_weight=9)
    assert three.attrs["period"] == 3
    assert three.d.tolist() == [5, 6, 7, 8, 9] and three.paths.tolist()[:2] == [8, 31]
    assert three.info_weight.tolist() == [42, 201, 1492, 10469, 62935]
    five = cc.distance_spectrum(5 / 6, max_weight=7)
    assert five.attrs["period"] == 5
    assert five.d.tolist() == [4, 5, 6, 7] and five.paths.tolist()[:2] == [14, 69]
    assert five.info_weight.tolist() == [92, 528, 8694, 79453]
    # truncation keeps every weight up to and including max_weight
    assert cc.distance_spectrum(0.75, max_weight=5).d.tolist() == [5]
    assert cc.distance_spectrum(0.75, max_weight=4).empty


def _q(x):
    return 0.5 * math.erfc(x / math.sqrt(2))


def _p2_hard(d, p):
    """Pairwise error probability of hard-decision decoding at Hamming distance d (ties split)."""
    wrong = sum(math.comb(d, e) * p**e * (1 - p) ** (d - e) for e in range(d // 2 + 1, d + 1))
    tie = 0.5 * math.comb(d, d // 2) * (p * (1 - p)) ** (d // 2) if d % 2 == 0 else 0.0
    return wrong + tie


@pytest.mark.parametrize("rate, max_weight, spectrum", [
    (0.5, 14, {10: 36, 12: 211, 14: 1404}),
    (0.75, 8, {5: 42, 6: 201, 7: 1492, 8: 10469}),
    (5 / 6, 6, {4: 92, 5: 528, 6: 8694}),
])
@pytest.mark.parametrize("ebn0_db", [3.0, 6.0])
def test_union_bound_against_the_published_spectrum(rate, max_weight, spectrum, ebn0_db):
    """P_b <= (1/P) sum_d c_d P_2(d), typed from Proakis & Salehi Sec. 8.2-3 with published c_d; P is the
    puncturing period (1, 3, 5) and E_s/N_0 = c E_b/N_0; hard decisions include odd and even d (tie term)."""
    period = {0.5: 1, 0.75: 3, 5 / 6: 5}[rate]
    esn0 = rate * 10 ** (ebn0_db / 10)
    soft = sum(c * _q(math.sqrt(2 * d * esn0)) for d, c in spectrum.items()) / period
    p = _q(math.sqrt(2 * esn0))
    hard = sum(c * _p2_hard(d, p) for d, c in spectrum.items()) / period
    ebn0 = 10 ** (ebn0_db / 10)
    assert float(cc.coded_ber_union_bound(ebn0, rate, "soft", max_weight)) == pytest.approx(soft, rel=1e-12)
    assert float(cc.coded_ber_union_bound(ebn0, rate, "hard", max_weight)) == pytest.approx(hard, rel=1e-12)


def test_union_bound_shape_and_decision_check():
    e = np.array([[1.0, 2.0, 4.0]])
    out = cc.coded_ber_union_bound(e, 0.5)
    assert out.shape == (1, 3) and np.all(np.diff(out[0]) < 0)
    with pytest.raises(ValueError, match="decision"):
        cc.coded_ber_union_bound(1.0, 0.5, "soft-ish")
    with pytest.raises(ValueError, match="ebn0"):
        cc.coded_ber_union_bound(-1.0, 0.5)


def test_spectrum_of_a_catastrophic_pattern_raises(monkeypatch):
    # stealing every bit leaves zero-weight paths that never die: the search must stop, not hang
    monkeypatch.setitem(cc.PUNCTURE_PATTERNS, "0/1", ((0,), (0,)))
    with pytest.raises(RuntimeError, match="converge"):
        cc._spectrum("0/1", 1)


def test_802_11n_five_sixths_puncturing_order():
    # 5/6: A0 B0 A1 B2 A3 B4 (IEEE 802.11n, Sec. 20.3.11.6)
    labels = np.array([f"{x}{t}" for t in range(5) for x in "AB"])
    assert cc.puncture(labels, cc.puncture_pattern(5 / 6)).tolist() == ["A0", "B0", "A1", "B2", "A3", "B4"]
    assert cc.puncture(labels[:2], cc.puncture_pattern(0.5)).tolist() == ["A0", "B0"]


@pytest.mark.parametrize("pattern, length, match", [
    ([1, 1], 4, "pattern"),                              # 1-D
    ([[1], [1], [1]], 4, "pattern"),                     # three rows
    ([[1, 2], [1, 0]], 4, "pattern"),                    # not 0/1
    ([[0, 0], [0, 0]], 4, "pattern"),                    # steals everything
    ([[1, 1], [1, 0]], 5, "even length"),                # half a trellis step
])
def test_puncture_pattern_checks(pattern, length, match):
    with pytest.raises(ValueError, match=match):
        cc.puncture(np.zeros(length), pattern)


def test_depuncture_fill_and_shape():
    pattern = cc.puncture_pattern(0.75)
    out = cc.depuncture(np.array([[1.0, 2.0, 3.0, 4.0]]), pattern, 6, fill=-7.0)
    np.testing.assert_array_equal(out, [[1.0, 2.0, 3.0, -7.0, -7.0, 4.0]])    # A0 B0 A1 (B1) (A2) B2
    assert cc.depuncture(np.array([1, 0, 1, 1]), pattern, 6).dtype == float   # 0.0 erasures beside int input


def test_encoder_edges():
    assert cc.conv_encode(np.zeros(5, dtype=int)).tolist() == [0] * 22          # 2 (L + 6)
    out = cc.conv_encode(np.ones((2, 3, 4), dtype=int))
    assert out.shape == (2, 3, 20) and out.dtype == np.int8
    for bad in ([0, 2, 1], [0.5, 1.0], [-1, 0]):
        with pytest.raises(ValueError, match="0 and 1"):
            cc.conv_encode(np.array(bad))


def test_viterbi_single_frame_hard_flips_and_length_check():
    rng = np.random.default_rng(8)
    msg = rng.integers(0, 2, 40)
    tx = 2.0 * cc.conv_encode(msg) - 1.0                                        # 1-D, no puncturing
    rx = tx.copy()
    rx[[3, 30, 61]] *= -1                                                       # 3 spread hard errors < d_free / 2
    out = cc.viterbi_decode(rx, 40)
    assert out.shape == (40,) and out.dtype == np.int8
    np.testing.assert_array_equal(out, msg)
    # a frame longer than 64 steps (the metric renormalisation) with all-zero bits and a single flip
    long = -np.ones(2 * (200 + 6))
    long[150] = 1.0
    np.testing.assert_array_equal(cc.viterbi_decode(long, 200), 0)
    for n_values in (2 * 46 - 1, 2 * 46 + 2, 2 * 40):                        # T = L + 6 = 46 steps expected
        with pytest.raises(ValueError, match="expected"):
            cc.viterbi_decode(np.zeros(n_values), 40)


def _simulate_coded_ber_by_hand(seed, ebn0, rate, n_bits, frame_bits, decision, block):
    """simulate_coded_ber rebuilt from its description with an independent encoder (commpy), explicit
    puncturing indices and a per-frame loop; the generator is drawn in the same order (per block:
    message bits, then noise)."""
    from commpy.channelcoding import conv_encode as commpy_encode

    rng = np.random.default_rng(seed)
    n_frames = -(-n_bits // frame_bits)
    keep = {0.5: [0, 1], 0.75: [0, 1, 2, 5], 5 / 6: [0, 1, 2, 5, 6, 9]}[rate]       # A0 B0 A1 B2 ...: flat indices
    span = {0.5: 2, 0.75: 6, 5 / 6: 10}[rate]
    sigma = math.sqrt(1 / (2 * rate * ebn0))
    errors = []
    for start in range(0, n_frames, block):
        b = min(block, n_frames - start)
        msg = rng.integers(0, 2, (b, frame_bits), dtype=np.int8)
        mother = np.array([commpy_encode(m, cc.trellis_802_11()) for m in msg])
        idx = np.array([i for i in range(mother.shape[1]) if i % span in keep])
        tx = 2.0 * mother[:, idx] - 1.0
        rx = tx + sigma * rng.standard_normal(tx.shape)
        if decision == "hard":
            rx = np.sign(rx)
        full = np.zeros(mother.shape)
        full[:, idx] = rx
        errors += [int(np.sum(cc.viterbi_decode(f, frame_bits) != m)) for f, m in zip(full, msg)]
    return np.array(errors), n_frames


@pytest.mark.parametrize("rate, decision", [(0.75, "soft"), (5 / 6, "hard"), (0.5, "hard")])
def test_simulate_coded_ber_counts_by_an_independent_construction(rate, decision):
    ebn0 = 10 ** (-1.0 / 10)                                                    # -1 dB: errors in some frames
    df = cc.simulate_coded_ber(np.random.default_rng(3), ebn0, rate, n_bits=95, frame_bits=20,
                               decision=decision, max_frames_per_block=2)       # 5 frames in blocks 2, 2, 1
    e, n_frames = _simulate_coded_ber_by_hand(3, ebn0, rate, 95, 20, decision, 2)
    row = df.iloc[0]
    assert (n_frames, len(df)) == (5, 1)
    assert (row.n_frames, row.n_bits, row.bit_errors, row.frame_errors) == (5, 100, e.sum(), np.count_nonzero(e))
    assert row.ber == e.sum() / 100
    assert row.ber_se == pytest.approx(np.std(e, ddof=1) / math.sqrt(5) / 20, rel=1e-12)
    assert (row.code_rate, row.decision, row.ebn0) == (rate, decision, ebn0)
    assert row.ebn0_db == pytest.approx(-1.0, rel=1e-12)
    assert row.esn0_db == pytest.approx(-1.0 + 10 * math.log10(rate), rel=1e-12)
    assert 0 < np.count_nonzero(e) < 5                                          # the case exercises the counting


def test_simulate_coded_ber_single_frame_and_validation():
    df = cc.simulate_coded_ber(np.random.default_rng(0), [1.0, 100.0], 0.5, n_bits=30, frame_bits=30)
    assert df.n_frames.tolist() == [1, 1] and df.ber_se.tolist()[1] == 0.0     # one frame: no spread
    assert df.bit_errors[1] == 0
    for kwargs, match in ((dict(decision="soft-ish"), "decision"), (dict(frame_bits=0), "frame_bits"),
                          (dict(n_bits=0), "n_bits"), (dict(ebn0=0.0), "ebn0"), (dict(code_rate=2 / 3), "code_rate")):
        args = dict(ebn0=1.0, code_rate=0.5, n_bits=10, frame_bits=10) | kwargs
        with pytest.raises(ValueError, match=match):
            cc.simulate_coded_ber(np.random.default_rng(0), **args)


def test_snr_at_error_rate_edges():
    x = np.array([0.0, 2.0, 4.0])
    y = np.array([1e-1, 1e-3, 1e-4])
    assert cc.snr_at_error_rate(x, y, 1e-2) == pytest.approx(1.0, rel=1e-12)       # log-linear, not linear
    assert cc.snr_at_error_rate(x, y, 1e-3) == 2.0                                  # an exact hit at a grid point
    assert cc.snr_at_error_rate(x, y, 10 ** -3.5) == pytest.approx(3.0, rel=1e-12)
    assert math.isnan(cc.snr_at_error_rate(x, y, 0.5))                             # below the range: no crossing
    assert cc.snr_at_error_rate(x, y, 1e-1) == 0.0                                 # the first point is a hit
    assert cc.snr_at_error_rate(x, np.array([1e-2, 0.0, 0.0]), 1e-2) == 0.0        # ... even before a zero
    assert cc.snr_at_error_rate(x, np.array([1e-1, 1e-2, 0.0]), 1e-2) == 2.0       # an interior hit before a zero
    assert math.isnan(cc.snr_at_error_rate(x, np.array([1e-1, 0.0, 0.0]), 1e-2))   # bracketing point has no errors
    for bad_x, bad_y in ((np.array([0.0, 1.0, 1.0]), y), (np.array([[0.0, 1.0, 2.0]]), y[None]), (x, y[:2])):
        with pytest.raises(ValueError, match="increasing"):
            cc.snr_at_error_rate(bad_x, bad_y, 1e-2)
    for bad in (0.0, 1.0, -1e-3):
        with pytest.raises(ValueError, match="target"):
            cc.snr_at_error_rate(x, y, bad)
