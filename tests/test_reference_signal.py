"""reference/signal.py: Eq. (13) sample by sample and the SINR measured from the samples (chapter 4)."""

import math

import numpy as np
import pytest

from multirat import interference as itf
from multirat import units
from multirat.config import NetworkConfig
from multirat.reference import signal as rs

NOISE_W = float(units.dbm_to_watt(NetworkConfig().noise_power_dbm))
ACIR = itf.acir_linear(NetworkConfig().aclr_db, NetworkConfig().acs_db)


def test_simulated_signal_parts_and_sinr():
    rng = np.random.default_rng(2026)
    kw = dict(power_w=0.3, gain=2e-11, total_power_w=1.5, sigma_rt=0.1, noise_w=NOISE_W,
              aci_gain=[5e-10, 1e-10], aci_power_w=[1.0, 0.5], acir=ACIR, phi=0.4)
    n = 200_000
    sig = rs.simulate_received_signal(rng, n_samples=n, **kw)
    np.testing.assert_allclose(sig.received, sig.desired + sig.distortion + sig.aci.sum(-2) + sig.noise)
    assert sig.aci.shape == (2, n)
    tol = 6 / math.sqrt(n)  # 6 standard errors of a mean of n |CN|^2 samples (relative sd 1 each)
    hwi = itf.hwi_distortion_power_w(2e-11, 1.5, 0.1, 0.4)
    assert np.mean(np.abs(sig.distortion) ** 2) == pytest.approx(hwi, rel=tol)
    assert np.mean(np.abs(sig.noise) ** 2) == pytest.approx(NOISE_W, rel=tol)
    aci_phys = itf.aci_power_w([5e-10, 1e-10], [1.0, 0.5], ACIR, 0.4)
    assert np.mean(np.abs(sig.aci.sum(-2)) ** 2) == pytest.approx(aci_phys, rel=tol)
    aci_twin = itf.aci_power_w([5e-10, 1e-10], [1.0, 0.5], ACIR)
    theory = itf.sinr(0.3, 2e-11, 1.5, aci_twin, NOISE_W, 0.1, 0.4)
    measured = rs.empirical_sinr(sig.received, sig.symbols)
    assert measured == pytest.approx(theory, rel=6 * rs.empirical_sinr_rel_std(theory, n))


def test_simulation_is_reproducible_and_batched():
    a = rs.simulate_received_signal(np.random.default_rng(5), [0.1, 0.2], 1e-10, 1.0, 0.05, NOISE_W,
                                     aci_gain=[[1e-10], [2e-10]], aci_power_w=1.0, acir=ACIR[:1], n_samples=64,
                                     symbols="gaussian")
    b = rs.simulate_received_signal(np.random.default_rng(5), [0.1, 0.2], 1e-10, 1.0, 0.05, NOISE_W,
                                     aci_gain=[[1e-10], [2e-10]], aci_power_w=1.0, acir=ACIR[:1], n_samples=64,
                                     symbols="gaussian")
    np.testing.assert_array_equal(a.received, b.received)
    assert a.received.shape == (2, 64) and a.aci.shape == (2, 1, 64)
    c = rs.simulate_received_signal(np.random.default_rng(5), 0.1, 1e-10, 1.0, 0.05, NOISE_W, n_samples=16)
    assert c.aci.shape == (0, 16)
    np.testing.assert_allclose(np.abs(c.symbols), 1.0)  # QPSK is constant modulus


def test_empirical_sinr_standard_error_formula():
    """Spread of the estimator over independent repetitions vs empirical_sinr_rel_std."""
    rng = np.random.default_rng(99)
    reps, n = 400, 2_000
    g = 0.5 * NOISE_W                                              # P = 1 W, noise only: sinr = g P / noise = 0.5
    sig = rs.simulate_received_signal(rng, np.ones(reps), g, 1.0, 0.0, NOISE_W, n_samples=n)
    est = rs.empirical_sinr(sig.received, sig.symbols)
    predicted = rs.empirical_sinr_rel_std(0.5, n)
    # sample sd of 400 draws: relative sd of an sd estimate ~ 1/sqrt(2*399) = 3.5 %; allow 15 %
    assert np.std(est, ddof=1) / 0.5 == pytest.approx(predicted, rel=0.15)
    assert np.mean(est) == pytest.approx(0.5, abs=5 * predicted * 0.5 / math.sqrt(reps))



# ------------------------------------------------------------------------------------------------
# deterministic cases: hand-built samples whose answer is computed by hand
# ------------------------------------------------------------------------------------------------

def test_empirical_sinr_of_hand_built_samples():
    """r = a x + d with d orthogonal to x, so a_hat = a exactly and the residual is d.

    Row 0: x = [1, -1, j, -j], a = 2, d = [1, 1, 0, 0]: sum|x|^2 = 4, sum|d|^2 = 2, V = 2/(n-1) = 2/3,
    signal = |a|^2 - V/4 = 4 - 1/6 = 23/6, sinr = (23/6)/(2/3) = 23/4.
    Row 1: x doubled (sum|x|^2 = 16), a = 1 + j (|a|^2 = 2), d = [0, 0, 1, 1] (sum d x* = 0):
    V = 2/3, signal = 2 - (2/3)/16 = 47/24, sinr = (47/24)/(2/3) = 47/16.
    """
    x = np.array([[1, -1, 1j, -1j], [2, -2, 2j, -2j]])
    d = np.array([[1, 1, 0, 0], [0, 0, 1, 1]], dtype=complex)
    a = np.array([2.0, 1 + 1j])
    r = a[:, None] * x + d
    value, signal, disturbance = rs.empirical_sinr(r, x, return_parts=True)
    np.testing.assert_allclose(value, [23 / 4, 47 / 16], rtol=1e-14)
    np.testing.assert_allclose(signal, [23 / 6, 47 / 24], rtol=1e-14)
    np.testing.assert_allclose(disturbance, [2 / 3, 2 / 3], rtol=1e-14)
    np.testing.assert_allclose(rs.empirical_sinr(r, x), value, rtol=0)
    # two samples are enough: x = [1, 1], r = [3, 1] -> a_hat = 2, V = 2/1, signal = 4 - 1 = 3, sinr = 3/2
    assert rs.empirical_sinr(np.array([3.0, 1.0]), np.array([1.0, 1.0])) == pytest.approx(1.5, rel=1e-15)
    with pytest.raises(ValueError, match="at least 2"):
        rs.empirical_sinr(np.ones(1), np.ones(1))


def test_empirical_sinr_rel_std_closed_form():
    assert rs.empirical_sinr_rel_std(2.0, 8) == pytest.approx(0.5, rel=1e-15)          # sqrt((1 + 2/2) / 8)
    np.testing.assert_allclose(rs.empirical_sinr_rel_std(np.array([1.0, 4.0]), 100), [math.sqrt(3) / 10,
                                                                                      math.sqrt(1.5) / 10])
    for bad in ((0.0, 10), (1.0, 0), (-1.0, 10)):
        with pytest.raises(ValueError):
            rs.empirical_sinr_rel_std(*bad)


def test_simulated_desired_and_aci_parts_exactly():
    """The desired part is sqrt(g P) x and each QPSK interferer has the constant modulus
    sqrt((1 + phi) g_l P_l / A_l): checked sample by sample, not statistically."""
    g, p, phi = 2e-11, 0.3, 0.4
    ag, ap, acir = np.array([5e-10, 1e-10]), np.array([1.0, 0.5]), np.array([10.0, 1000.0])
    sig = rs.simulate_received_signal(np.random.default_rng(1), p, g, 1.5, 0.1, NOISE_W, aci_gain=ag,
                                      aci_power_w=ap, acir=acir, phi=phi, n_samples=2)
    np.testing.assert_allclose(sig.desired, math.sqrt(g * p) * sig.symbols, rtol=1e-15)
    np.testing.assert_allclose(np.abs(sig.aci), np.sqrt((1 + phi) * ag * ap / acir)[:, None] * np.ones((2, 2)),
                               rtol=1e-14)
    # QPSK symbols: +-1/sqrt(2) on each of I and Q
    np.testing.assert_allclose(np.abs(sig.symbols.real), math.sqrt(0.5), rtol=1e-15)
    np.testing.assert_allclose(np.abs(sig.symbols.imag), math.sqrt(0.5), rtol=1e-15)
    # Gaussian symbols are not constant modulus
    gauss = rs.simulate_received_signal(np.random.default_rng(1), p, g, 1.5, 0.1, NOISE_W, n_samples=64,
                                        symbols="gaussian")
    assert np.ptp(np.abs(gauss.symbols)) > 0.5


def test_without_hwi_the_distortion_is_exactly_zero():
    sig = rs.simulate_received_signal(np.random.default_rng(2), 1.0, 1e-10, 1.0, 0.0, NOISE_W, n_samples=8)
    np.testing.assert_array_equal(sig.distortion, 0.0)
    sig = rs.simulate_received_signal(np.random.default_rng(2), 1.0, 1e-10, 1.0, 0.1, NOISE_W, phi=-1.0,
                                      n_samples=8)
    np.testing.assert_array_equal(sig.distortion, 0.0)                      # 1 + phi = 0 removes it


@pytest.mark.parametrize("call, match", [
    (lambda: rs.simulate_received_signal(np.random.default_rng(0), 1.0, 1e-9, 1.0, 0.1, 1e-13,
                                          n_samples=1), "n_samples"),
    (lambda: rs.simulate_received_signal(np.random.default_rng(0), 1.0, 1e-9, 1.0, 0.1, 1e-13,
                                          n_samples=True), "n_samples"),
    (lambda: rs.simulate_received_signal(np.random.default_rng(0), 1.0, 1e-9, 1.0, 0.1, 1e-13,
                                          n_samples=10.5), "n_samples"),
    (lambda: rs.simulate_received_signal(np.random.default_rng(0), 1.0, 1e-9, 1.0, 0.1, 0.0), "noise_w"),
    (lambda: rs.simulate_received_signal(np.random.default_rng(0), 1.0, 1e-9, 1.0, 0.1, 1e-13, phi=-1.5), "phi"),
    (lambda: rs.simulate_received_signal(np.random.default_rng(0), 1.0, 1e-9, 1.0, 0.1, 1e-13,
                                          aci_gain=[1e-9, 1e-9], aci_power_w=[1.0, 1.0, 1.0], acir=[10.0]),
     "broadcast"),
    (lambda: rs.simulate_received_signal(0, 1.0, 1e-9, 1.0, 0.1, 1e-13), "rng"),
    (lambda: rs.simulate_received_signal(np.random.default_rng(0), 1.0, 1e-9, 1.0, 0.1, 1e-13,
                                          symbols="16qam"), "symbols"),
    (lambda: rs.simulate_received_signal(np.random.default_rng(0), 1.0, 1e-9, 1.0, 0.1, 1e-13,
                                          aci_gain=[1e-9], aci_power_w=[1.0], acir=[0.0]), "acir"),
    (lambda: rs.empirical_sinr(np.ones(4), np.ones(3)), "same shape"),
    (lambda: rs.empirical_sinr(np.ones(4), np.zeros(4)), "zero"),
])
def test_invalid_inputs_raise(call, match):
    with pytest.raises(ValueError, match=match):
        call()
