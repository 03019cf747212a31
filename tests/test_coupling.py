"""coupling.py: the ACI and HWI operators of one TS (Eqs. 10, 14) and the best-MCS sum rate of power vectors."""

import dataclasses

import numpy as np
import pytest
from netcases import NET, env_at, small

from multirat import coupling as cp
from multirat import link
from multirat.env import LinearDeviation, NetworkEnv

VARIANTS = [small(4, 8), small(3, 7, aci_source="any"), small(2, 6, hwi_basis="ap_mean"),
            small(2, 5, hwi_basis="own"), small(3, 9, n_rrbs=5), small(2, 6, rrb_placement="spread")]


@pytest.mark.parametrize("cfg", VARIANTS)
@pytest.mark.parametrize("mode", ["twin", "physical"])
def test_coupling_operator_reproduces_env_evaluate(cfg, mode):
    env = env_at(cfg, mode=mode, n_envs=3, seed=7, deviation=LinearDeviation(np.linspace(0, 0.9, cfg.n_devices)))
    rng = np.random.default_rng(0)
    op = cp.link_coupling(env, physical=None)
    for _ in range(3):
        a = rng.integers(0, cfg.n_actions, (3, cfg.n_devices))
        info = env.evaluate(a)
        sinr = cp.coupling_sinr(op, info.power_w[:, None, :])[:, 0]
        np.testing.assert_allclose(sinr, info.sinr, rtol=1e-12, atol=0)
        total, rate, _ = cp.sum_rate_best_mcs(op, info.power_w[:, None, :], cfg)
        best = np.where(info.scheduled, link.best_mcs(info.sinr, cfg)[1], 0.0)
        np.testing.assert_allclose(rate[:, 0], best, rtol=1e-12)


def test_power_index_vectors_lexicographic():
    v = cp.power_index_vectors(np.arange(16), 2, 4)
    np.testing.assert_array_equal(v[:5], [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0]])
    np.testing.assert_array_equal(v[-1], [3, 3])


def test_twin_operator_has_no_deviation_and_physical_scales_rows():
    cfg = small(3, 6)
    phi = np.linspace(0.1, 0.9, 6)
    env = env_at(cfg, n_envs=2, seed=3, deviation=LinearDeviation(phi))
    twin, phys = cp.link_coupling(env, physical=False), cp.link_coupling(env, physical=True)
    # row n (victim) of both operators is multiplied by 1 + phi_n, columns untouched (Eqs. 11-12)
    np.testing.assert_allclose(phys.aci_matrix, twin.aci_matrix * (1 + phi)[None, :, None], rtol=1e-14)
    np.testing.assert_allclose(phys.hwi_matrix, twin.hwi_matrix * (1 + phi)[None, :, None], rtol=1e-14)
    assert twin.aci_matrix.any() or twin.hwi_matrix.any()


def test_hwi_operator_of_the_ap_total_is_same_ap_indicator():
    # hwi_basis="ap_total": H[n, j] = 1 when j is scheduled on n's AP (including n itself), else 0
    cfg = small(2, 5)
    env = env_at(cfg, n_envs=1, seed=2)
    op = cp.link_coupling(env, physical=False)
    ap, sched = env.state.serving_ap[0], env.state.rrb[0] >= 0
    expected = (ap[:, None] == ap[None, :]) & sched[None, :]
    np.testing.assert_array_equal(op.hwi_matrix[0], expected.astype(float))


def test_sum_rate_best_mcs_by_hand_for_one_isolated_link():
    # one link, no interference: SINR = p g / (g sigma_rt^2 p + noise); best MCS by enumerating link.throughput_bits
    cfg = small(1, 1)
    g, noise = 1e-9, 1e-13
    op = cp.LinkCoupling(signal_gain=np.array([[g]]), hwi_matrix=np.ones((1, 1, 1)), aci_matrix=np.zeros((1, 1, 1)),
                         noise_w=noise, sigma_rt=cfg.sigma_rt, scheduled=np.ones((1, 1), dtype=bool))
    p = np.array([[1e-3], [0.1]])                                                    # [V=2, N=1] W
    sinr = p[:, 0] * g / (g * cfg.sigma_rt**2 * p[:, 0] + noise)
    np.testing.assert_allclose(cp.coupling_sinr(op, p)[0, :, 0], sinr, rtol=1e-13)
    table = link.mcs_table(cfg)
    rates = np.array([[link.throughput_bits(s, m, c, d, cfg.n_symbols) for m, c, d in
                       zip(table.modulation_order, table.code_rate, table.d_free)] for s in sinr])   # [V, 12]
    total, rate, mcs = cp.sum_rate_best_mcs(op, p, cfg)
    np.testing.assert_allclose(total[0], rates.max(axis=1), rtol=1e-12)
    np.testing.assert_array_equal(mcs[0, :, 0], rates.argmax(axis=1))


def test_unscheduled_links_have_zero_sinr_and_rate():
    op = cp.LinkCoupling(signal_gain=np.array([[1e-9, 1e-9]]), hwi_matrix=np.ones((1, 2, 2)),
                         aci_matrix=np.zeros((1, 2, 2)), noise_w=1e-13, sigma_rt=0.05,
                         scheduled=np.array([[True, False]]))
    sinr = cp.coupling_sinr(op, np.full((1, 2), 0.1))
    assert sinr[0, 0, 0] > 0 and sinr[0, 0, 1] == 0
    total, rate, _ = cp.sum_rate_best_mcs(op, np.full((1, 2), 0.1), NET)
    assert rate[0, 0, 1] == 0 and total[0, 0] == rate[0, 0, 0]


def test_power_index_vectors_digits_and_single_level():
    # base-3 digits of 5 = 0*9 + 1*3 + 2 with the first link most significant
    np.testing.assert_array_equal(cp.power_index_vectors(np.array([5]), 3, 3), [[0, 1, 2]])
    np.testing.assert_array_equal(cp.power_index_vectors(np.array([0]), 4, 1), [[0, 0, 0, 0]])


def test_invalid_inputs():
    cfg = small(1, 2)
    env = env_at(cfg, n_envs=1)
    op = cp.link_coupling(env)
    for bad in (np.ones((2, 3)), np.ones((2, 1, 2)), np.ones(2)):
        with pytest.raises(ValueError, match="power_w"):
            cp.coupling_sinr(op, bad)
    for bad, what in ((-np.ones((1, 2)), r"is out of range: allowed \[0, inf\) W"),
                      (np.full((1, 2), np.nan), "is not a number"), (np.full((1, 2), np.inf), "is not finite")):
        with pytest.raises(ValueError, match=r"power_w=\[\[.*\]\] " + what):
            cp.coupling_sinr(op, bad)
    with pytest.raises(TypeError, match="power_w must be a real number"):
        cp.coupling_sinr(op, [["1", "2"]])
    with pytest.raises(TypeError, match="coupling must be a LinkCoupling"):
        cp.coupling_sinr(env, np.ones((1, 2)))
    with pytest.raises(RuntimeError, match="reset"):
        cp.link_coupling(NetworkEnv(cfg))
    with pytest.raises(TypeError, match="env must be"):
        cp.link_coupling(object())


class _SplitDeviation:
    """ACI x 1.5 and HWI x 3 (the shipped LinearDeviation uses one factor for both, which hides swaps)."""

    def factors(self, rng, shape):
        return np.full(shape, 1.5), np.full(shape, 3.0)


def test_aci_and_hwi_factors_are_applied_separately():
    cfg = small(2, 6)
    env = env_at(cfg, n_envs=2, seed=3, deviation=_SplitDeviation())
    twin, phys = cp.link_coupling(env, physical=False), cp.link_coupling(env, physical=True)
    np.testing.assert_allclose(phys.aci_matrix, 1.5 * twin.aci_matrix, rtol=1e-14)
    np.testing.assert_allclose(phys.hwi_matrix, 3.0 * twin.hwi_matrix, rtol=1e-14)
    a = np.random.default_rng(0).integers(0, cfg.n_actions, (2, 6))
    info = env.evaluate(a, physical=True)
    np.testing.assert_allclose(cp.coupling_sinr(phys, info.power_w[:, None, :])[:, 0], info.sinr, rtol=1e-12)


def test_default_is_the_physical_network_whatever_the_env_mode():
    env = env_at(small(2, 6, phi=0.9), mode="twin", n_envs=2, seed=1)
    default, phys = cp.link_coupling(env), cp.link_coupling(env, physical=True)
    np.testing.assert_array_equal(default.aci_matrix, phys.aci_matrix)
    np.testing.assert_array_equal(default.hwi_matrix, phys.hwi_matrix)
    assert not np.array_equal(default.hwi_matrix, cp.link_coupling(env, physical=False).hwi_matrix)


def test_all_zero_throughputs_tie_to_mcs_0():
    # with N_p = 4000 every MCS has exactly 0 throughput at SINR 0: the tie goes to the first MCS, as link.best_mcs
    # (N_p = 4000 symbols need B T_s >= 4000: a 25 ms slot on a 180 kHz RRB)
    op = cp.LinkCoupling(signal_gain=np.array([[1e-9, 1e-9]]), hwi_matrix=np.ones((1, 2, 2)),
                         aci_matrix=np.zeros((1, 2, 2)), noise_w=1e-13, sigma_rt=0.05,
                         scheduled=np.array([[True, False]]))
    cfg = dataclasses.replace(NET, n_symbols=4000, slot_s=0.025)
    _, rate, mcs = cp.sum_rate_best_mcs(op, np.array([[0.0, 0.1]]), cfg)             # link 0 at 0 W, link 1 idle
    assert np.all(rate == 0) and np.all(mcs == 0)
