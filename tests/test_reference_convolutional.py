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
