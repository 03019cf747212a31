"""reference/constellation.py: the commpy constellations and the SER Monte Carlo (chapter 3 (b))."""

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


