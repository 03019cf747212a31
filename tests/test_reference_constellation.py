"""reference/constellation.py: the commpy constellations and the SER Monte Carlo (chapter 3 (b))."""

import math

import numpy as np
import pytest
from scipy import stats

from multirat import link, units
from multirat.reference import constellation as rc


@pytest.mark.parametrize("m", [2, 4, 16, 64])
def test_constellation_unit_energy_and_gray(m):
    pts = rc.constellation(m)
    assert len(pts) == m and np.mean(np.abs(pts) ** 2) == pytest.approx(1.0, rel=1e-12)
    d = np.abs(pts[:, None] - pts[None, :])
    dmin = d[d > 1e-9].min()
    for i in range(m):
        for j in np.flatnonzero(np.isclose(d[i], dmin)):
            assert bin(i ^ j).count("1") == 1          # nearest neighbours differ in one bit


def test_qpsk_ser_monte_carlo_within_tolerance():
    rng = np.random.default_rng(20260)
    s = units.db_to_linear(np.array([4.0, 7.0]))
    n = 200_000
    df = rc.simulate_ser(rng, s, 4, n)
    exact = link.symbol_error_rate_exact(s, 4)
    se = np.sqrt(exact * (1 - exact) / n)
    assert np.all(np.abs(df.ser - exact) < 5 * se), (df.ser.to_numpy(), exact)
    # Gray QPSK: BER = Q(sqrt(s))
    np.testing.assert_allclose(df.ber, stats.norm.sf(np.sqrt(s)), rtol=0.05)


def test_minimum_distance_detector_agrees_with_commpy():
    from commpy.modulation import QAMModem

    modem = QAMModem(16)
    rng = np.random.default_rng(3)
    pts = rc.constellation(16)
    scale = np.sqrt(modem.Es)
    tx = rng.integers(0, 16, 2000)
    rx = pts[tx] + 0.3 * (rng.standard_normal(2000) + 1j * rng.standard_normal(2000))
    ours = np.argmin(np.abs(rx[:, None] - pts[None, :]), axis=1)
    bits = modem.demodulate(rx * scale, "hard").reshape(-1, 4)
    theirs = bits @ (1 << np.arange(3, -1, -1))
    np.testing.assert_array_equal(ours, theirs)




@pytest.mark.parametrize("m, levels", [(4, [-1, 1]), (16, [-3, -1, 1, 3]), (64, [-7, -5, -3, -1, 1, 3, 5, 7])])
def test_qam_points_are_the_square_grid_scaled_to_unit_energy(m, levels):
    lv = np.array(levels, dtype=float) / math.sqrt(2 * (m - 1) / 3)          # E_s of the odd-integer grid
    key = lambda z: (round(z.real, 9), round(z.imag, 9))                     # noqa: E731
    expected = sorted((complex(a, b) for a in lv for b in lv), key=key)
    got = sorted((complex(z) for z in rc.constellation(m)), key=key)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_bpsk_points():
    np.testing.assert_array_equal(rc.constellation(2), [1.0, -1.0])           # label 0 -> +1, label 1 -> -1
    assert rc.constellation(2).dtype == complex


def _slice(values, levels):
    """Nearest level per value (a per-dimension detector, independent of simulate_ser's exhaustive search)."""
    return levels[np.argmin(np.abs(values[:, None] - levels[None, :]), axis=1)]


@pytest.mark.parametrize("m, snr, n, chunk", [(16, [3.0, 10.0], 10, 4), (2, [0.2], 11, 3), (4, [1.0], 5, 5)])
def test_simulate_ser_counts_by_an_independent_construction(m, snr, n, chunk):
    """Same generator, same draw order (per chunk: labels, real noise, imaginary noise), but detection by
    slicing I and Q separately and bit errors counted with bin(); chunks that do not divide n."""
    pts = rc.constellation(m)
    df = rc.simulate_ser(np.random.default_rng(42), np.array(snr), m, n, chunk=chunk)
    rng = np.random.default_rng(42)
    k = int(math.log2(m))
    for row, g in zip(df.itertuples(), snr):
        sym = bits = 0
        for start in range(0, n, chunk):
            size = min(chunk, n - start)
            tx = rng.integers(0, m, size)
            re, im = rng.standard_normal(size), rng.standard_normal(size)
            rx = pts[tx] + (re + 1j * im) * math.sqrt(0.5 / g)
            if m == 2:
                det_pt = np.where(rx.real >= 0, 1.0, -1.0)
            else:
                lv = np.unique(np.round(pts.real, 12))
                det_pt = _slice(rx.real, lv) + 1j * _slice(rx.imag, lv)
            det = np.array([int(np.argmin(np.abs(pts - z))) for z in det_pt])   # label of the sliced point
            sym += int(np.sum(det != tx))
            bits += sum(bin(int(a) ^ int(b)).count("1") for a, b in zip(det, tx))
        assert (row.symbol_errors, row.bit_errors, row.n_symbols, row.modulation_order) == (sym, bits, n, m)
        assert row.ser == sym / n and row.ber == bits / (n * k)
        assert row.snr_symbol == g and row.snr_db == pytest.approx(10 * math.log10(g), rel=1e-14)
    assert df.symbol_errors.sum() > 0                                          # the case exercises the counting


def test_simulate_ser_without_noise_makes_no_error_and_validates():
    df = rc.simulate_ser(np.random.default_rng(0), 1e12, 64, 1000, chunk=300)
    assert (df.symbol_errors[0], df.bit_errors[0], df.ser[0]) == (0, 0, 0.0)
    for bad, match in (((np.ones((2, 2)), 4, 10), "1-D"), ((1.0, 4, 0), "n_symbols"), ((0.0, 4, 10), "snr_symbol"),
                       ((np.inf, 4, 10), "snr_symbol"), ((1.0, 8, 10), "modulation_order")):
        with pytest.raises(ValueError, match=match):
            rc.simulate_ser(np.random.default_rng(0), *bad)
