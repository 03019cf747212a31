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


@pytest.mark.parametrize("call, match", [
    (lambda: rs.simulate_received_signal(np.random.default_rng(0), 1.0, 1e-9, 1.0, 0.1, 1e-13,
                                          n_samples=1), "n_samples"),
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
