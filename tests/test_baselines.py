"""baselines.py: RA, MaxP-3GPP-MCS, ESA (decomposed and brute force), ESA-FP adapter, evaluation."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from multirat import baselines as bl
from multirat import link, units
from multirat.config import NetworkConfig
from multirat.env import LinearDeviation, NetworkEnv, power_levels_w

NET = dataclasses.replace(NetworkConfig(), slots_per_episode=4)


def small(k, n, **kw):
    return dataclasses.replace(NET, n_aps=k, n_devices=n, **kw)


def env_at(cfg, mode="physical", n_envs=2, seed=0, **kw):
    env = NetworkEnv(cfg, mode=mode, n_envs=n_envs, **kw)
    env.reset(seed=seed)
    return env


# ------------------------------------------------------------------------------------------------
# CQI table and mapping
# ------------------------------------------------------------------------------------------------

def test_cqi_table_transcription():
    t = bl.load_cqi_table()
    assert list(t.cqi) == list(range(16)) and t.modulation[0] == "out of range"
    q = t.iloc[1:]
    # TS 36.213 defines efficiency = log2(M) x code rate x 1024 / 1024, printed to 4 decimals
    np.testing.assert_allclose(q.efficiency, np.log2(q.modulation_order) * q.code_rate_x1024 / 1024, atol=6e-5)
    assert list(q.modulation_order) == [4] * 6 + [16] * 3 + [64] * 6
    for col in bl.THRESHOLD_SETS.values():
        assert np.all(np.diff(q[col]) > 0)
    assert t.source.str.len().min() > 0


@pytest.mark.parametrize("name", list(bl.THRESHOLD_SETS))
def test_sinr_to_cqi_at_and_between_thresholds(name):
    thr = bl.load_cqi_table()[bl.THRESHOLD_SETS[name]].to_numpy()[1:]
    at = units.db_to_linear(thr)
    np.testing.assert_array_equal(bl.sinr_to_cqi(at, name), np.arange(1, 16))
    np.testing.assert_array_equal(bl.sinr_to_cqi(at * (1 - 1e-9), name), np.arange(0, 15))
    np.testing.assert_array_equal(bl.sinr_to_cqi([0.0, 1e-6, 1e9], name), [0, 0, 15])
    assert bl.sinr_to_cqi(np.ones((2, 3)), name).shape == (2, 3)


def test_cqi_to_mcs_hand_made():
    # worked out by hand from TS 36.213 Table 7.2.3-1 and the paper's 12 pairs (index = i_m * 3 + i_c)
    expected = {"modulation_first": [0, 0, 0, 0, 0, 2, 3, 3, 5, 6, 6, 9, 9, 10, 11, 11],
                "efficiency": [0, 0, 0, 0, 0, 2, 3, 3, 5, 6, 6, 7, 8, 10, 11, 11]}
    for rule, idx in expected.items():
        np.testing.assert_array_equal(bl.cqi_to_mcs(np.arange(16), NET, rule), idx)
    table = bl.cqi_mcs_map(NET)
    assert table.mcs[11] == "64QAM 1/2" and table.mcs[8] == "QPSK 5/6" and table.mcs[0] == "BPSK 1/2"


@pytest.mark.parametrize("rule", bl.CQI_RULES)
def test_cqi_mapping_never_exceeds_the_cqi_efficiency(rule):
    m = bl.cqi_mcs_map(NET, rule).iloc[1:]
    has_lower = m.efficiency >= link.mcs_table(NET).spectral_efficiency.min()
    assert np.all(m.mcs_efficiency[has_lower] <= m.efficiency[has_lower] + 1e-12)


def test_cqi_mapping_on_a_reduced_mcs_set():
    cfg = dataclasses.replace(NET, modulation_orders=(2, 4), code_rates=(0.5,), d_free=(10,))
    idx = bl.cqi_to_mcs(np.arange(16), cfg)
    # QPSK 1/2 (index 1) from CQI 6 on: QPSK CQIs with rate >= 1/2 and every higher CQI by efficiency
    np.testing.assert_array_equal(idx, [0] * 6 + [1] * 10)


# ------------------------------------------------------------------------------------------------
# MaxP-3GPP-MCS and RA
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("physical", [True, False])
def test_maxp_uses_pmax_and_the_cqi_of_its_sinr(physical):
    env = env_at(small(3, 6), n_envs=3, seed=4)
    d = bl.MaxPower3GPP(physical=physical).act(env, env.observe())
    n_mcs = 12
    assert np.all(d.actions // n_mcs == NET.n_power_levels - 1)
    info = env.evaluate(d.actions, physical=physical)
    np.testing.assert_allclose(info.power_w, units.dbm_to_watt(NET.p_max_dbm))
    expected = bl.cqi_to_mcs(bl.sinr_to_cqi(info.sinr), NET)             # SINR does not depend on the MCS
    np.testing.assert_array_equal(d.actions % n_mcs, expected)
    np.testing.assert_array_equal(d.info["cqi"], bl.sinr_to_cqi(info.sinr))


def test_random_policy_uniform_and_reproducible():
    env = env_at(NET, n_envs=5)
    pol = bl.RandomPolicy(seed=3)
    draws = np.concatenate([pol.act(env, None).actions.ravel() for _ in range(100)])   # 10,000 actions
    counts = np.bincount(draws, minlength=NET.n_actions)
    assert stats.chisquare(counts).pvalue > 1e-3
    # the three components are uniform and independent: power x MCS contingency table
    table = np.bincount(draws // 12 * 12 + draws % 12, minlength=48).reshape(4, 12)
    assert stats.chi2_contingency(table).pvalue > 1e-3
    pol.reset()
    a = pol.act(env, None).actions
    np.testing.assert_array_equal(a, bl.RandomPolicy(seed=3).act(env, None).actions)


# ------------------------------------------------------------------------------------------------
# The interference operator and ESA
# ------------------------------------------------------------------------------------------------

VARIANTS = [small(4, 8), small(3, 7, aci_source="any"), small(2, 6, hwi_basis="ap_mean"),
            small(2, 5, hwi_basis="own"), small(3, 9, n_rrbs=5), small(2, 6, rrb_placement="spread")]


@pytest.mark.parametrize("cfg", VARIANTS)
@pytest.mark.parametrize("mode", ["twin", "physical"])
def test_coupling_operator_reproduces_env_evaluate(cfg, mode):
    env = env_at(cfg, mode=mode, n_envs=3, seed=7, deviation=LinearDeviation(np.linspace(0, 0.9, cfg.n_devices)))
    rng = np.random.default_rng(0)
    coupling = bl.link_coupling(env, physical=None)
    for _ in range(3):
        a = rng.integers(0, cfg.n_actions, (3, cfg.n_devices))
        info = env.evaluate(a)
        sinr = bl.coupling_sinr(coupling, info.power_w[:, None, :])[:, 0]
        np.testing.assert_allclose(sinr, info.sinr, rtol=1e-12, atol=0)
        total, rate, _ = bl.sum_rate_best_mcs(coupling, info.power_w[:, None, :], cfg)
        best = np.where(info.scheduled, link.best_mcs(info.sinr, cfg)[1], 0.0)
        np.testing.assert_allclose(rate[:, 0], best, rtol=1e-12)


@pytest.mark.parametrize("k", [1, 2])
@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("physical", [True, False])
def test_esa_equals_bruteforce(k, n, physical):
    seeds = (1, 2) if n == 3 else (1, 2, 3, 4)
    for seed in seeds:
        env = env_at(small(k, n), n_envs=2, seed=seed, deviation=LinearDeviation(0.9))
        fast = bl.exhaustive_search(env, physical)
        slow = bl.exhaustive_search_bruteforce(env, physical)
        np.testing.assert_allclose(fast.sum_rate_bits, slow.sum_rate_bits, rtol=1e-12)
        assert fast.n_candidates == 4**n and slow.n_candidates == 48**n
        # the decomposed optimum, replayed through the environment, is what it claims
        np.testing.assert_allclose(env.evaluate(fast.actions, physical=physical).rate_bits.sum(-1),
                                   fast.sum_rate_bits, rtol=1e-12)


def test_esa_beats_every_other_decision_on_the_same_slot():
    cfg = small(2, 5)
    env = env_at(cfg, n_envs=4, seed=11)
    rng = np.random.default_rng(5)
    for _ in range(3):                                                   # three TS of the episode
        esa = bl.ExhaustiveSearch().search(env)
        others = [bl.MaxPower3GPP(), bl.MaxPower3GPP(thresholds="vienna_awgn", rule="efficiency"),
                  bl.RandomPolicy(seed=2)]
        for pol in others:
            value = env.evaluate(pol.act(env, None).actions).rate_bits.sum(-1)
            assert np.all(esa.sum_rate_bits >= value - 1e-9)
        random_best = np.max([env.evaluate(rng.integers(0, 48, (4, 5))).rate_bits.sum(-1) for _ in range(200)], axis=0)
        assert np.all(esa.sum_rate_bits >= random_best - 1e-9)
        # a coordinate-wise perturbation of the optimum never helps
        for n in range(5):
            for a in range(48):
                alt = esa.actions.copy()
                alt[:, n] = a
                assert np.all(env.evaluate(alt).rate_bits.sum(-1) <= esa.sum_rate_bits + 1e-9)
        env.step(esa.actions)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 5), k=st.integers(1, 4))
def test_esa_is_at_least_every_constant_power_profile(seed, n, k):
    cfg = small(k, n)
    env = env_at(cfg, n_envs=1, seed=seed)
    esa = bl.exhaustive_search(env)
    coupling = bl.link_coupling(env)
    levels = power_levels_w(cfg)
    total, _, _ = bl.sum_rate_best_mcs(coupling, np.repeat(levels[:, None], n, axis=1), cfg)
    assert np.all(esa.sum_rate_bits[:, None] >= total - 1e-9)
    assert np.all(esa.sum_rate_bits <= n * cfg.peak_rate_bits + 1e-9)


def test_esa_size_limit_is_a_clear_error():
    env = env_at(small(2, 9), n_envs=1)
    with pytest.raises(ValueError, match=r"4\^9 = 262,144 .*max_power_vectors=65,536"):
        bl.ExhaustiveSearch(max_power_vectors=4**8).act(env, None)
    with pytest.raises(ValueError, match=r"48\^9"):
        bl.exhaustive_search_bruteforce(env)


def test_unscheduled_links_get_nothing():
    cfg = small(2, 6, n_rrbs=3)
    env = env_at(cfg, n_envs=2, seed=3)
    res = bl.exhaustive_search(env)
    idle = env.state.rrb < 0
    assert idle.any() and np.all(res.rate_bits[idle] == 0)


def test_power_index_vectors_lexicographic():
    v = bl.power_index_vectors(np.arange(16), 2, 4)
    np.testing.assert_array_equal(v[:5], [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0]])
    np.testing.assert_array_equal(v[-1], [3, 3])


# ------------------------------------------------------------------------------------------------
# Complexity helpers
# ------------------------------------------------------------------------------------------------

def test_mis_reduction_bounds_scaling():
    b = bl.mis_reduction_bounds(NET, coupling_ratio=3.0)
    assert b["gamma_off"] == pytest.approx(1 / 3) and b["gamma_cap"] == pytest.approx(1 / NET.sigma_rt**2)
    assert b["gamma_on"] < b["gamma_cap"] and 0 < b["delta"] < 1e-3 and 0 < b["eps"] < 1e-12
    assert b["n_max"] == math.floor(0.5 / max(b["delta"], b["eps"]))
    # a wider power range (smaller P_min) pushes gamma_on towards the HWI ceiling: delta shrinks
    wide = bl.mis_reduction_bounds(dataclasses.replace(NET, p_min_dbm=-20.0), coupling_ratio=3.0)
    assert wide["delta"] < b["delta"] and wide["n_max"] > b["n_max"]


def test_search_space_counts_sec_vi_g():
    c = bl.search_space_counts(3)
    assert (c["modulation_combinations"], c["code_rate_combinations"], c["mc_configurations"],
            c["power_vectors"], c["joint_action_vectors"]) == (64, 27, 1728, 64, 110_592)
    assert c["decomposed_link_evaluations"] == 64 * 3 * 12
    assert bl.search_space_counts(30)["joint_action_vectors"] == 48**30          # exact integers


@pytest.mark.parametrize("edges, n, alpha", [([], 3, 3), ([(0, 1), (1, 2), (2, 3)], 4, 2),
                                             ([(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)], 4, 1),
                                             ([(0, 1), (0, 2), (0, 3)], 4, 3)])
def test_mis_reduction_optimum_is_alpha_peaks(edges, n, alpha):
    adj = np.zeros((n, n), dtype=bool)
    for i, j in edges:
        adj[i, j] = adj[j, i] = True
    assert bl.independence_number(adj) == alpha
    res = bl.exhaustive_power_search(bl.mis_reduction_coupling(adj, NET), power_levels_w(NET), NET)
    assert abs(res.sum_rate_bits[0] / NET.peak_rate_bits - alpha) < 0.01
    bnd = bl.mis_reduction_bounds(NET)                                    # the proof's bounds (kappa = 3, 40 dB)
    opt = res.sum_rate_bits[0]
    assert alpha * bnd["rate_on_bits"] * (1 - 1e-12) <= opt <= alpha * bnd["rate_cap_bits"] + n * bnd["rate_off_bits"]
    on = res.rate_bits[0] > 0.5 * NET.peak_rate_bits
    assert not np.any(adj[np.ix_(on, on)])                               # the links at peak form an independent set


# ------------------------------------------------------------------------------------------------
# Evaluation
# ------------------------------------------------------------------------------------------------

def test_evaluate_policy_reproducible_with_ci():
    cfg = small(2, 4)
    a = bl.evaluate_policy(bl.RandomPolicy(seed=1), cfg, n_drops=5, seed=9, n_envs=2)
    b = bl.evaluate_policy(bl.RandomPolicy(seed=1), cfg, n_drops=5, seed=9, n_envs=2)
    np.testing.assert_array_equal(a.per_drop.mean_sum_rate_kbits, b.per_drop.mean_sum_rate_kbits)
    assert len(a.per_drop) == 5 and list(a.per_drop.episode) == [0, 0, 1, 1, 2]
    c = bl.evaluate_policy(bl.RandomPolicy(seed=1), cfg, n_drops=5, seed=10, n_envs=2)
    assert not np.allclose(a.per_drop.mean_sum_rate_kbits, c.per_drop.mean_sum_rate_kbits)
    s = a.summary
    x = a.per_drop.mean_sum_rate_kbits.to_numpy()
    half = stats.t.ppf(0.975, 4) * x.std(ddof=1) / math.sqrt(5)
    assert s["mean_kbits"] == pytest.approx(x.mean()) and s["ci95_halfwidth_kbits"] == pytest.approx(half)
    assert s["ci95_low_kbits"] < s["mean_kbits"] < s["ci95_high_kbits"] and s["n_drops"] == 5
    # the same policy object evaluated twice gives the same numbers (its generator is reset)
    pol = bl.RandomPolicy(seed=1)
    first = bl.evaluate_policy(pol, cfg, 3, seed=9).summary["mean_kbits"]
    assert bl.evaluate_policy(pol, cfg, 3, seed=9).summary["mean_kbits"] == first


def test_evaluate_policy_esa_dominates_per_drop_and_matches_same_slot():
    cfg = small(2, 3)
    esa = bl.evaluate_policy(bl.ExhaustiveSearch(), cfg, n_drops=3, seed=2)
    assert esa.summary["mean_kbits"] <= 3 * cfg.peak_rate_bits / 1e3
    df = bl.same_slot_comparison({"ESA": bl.ExhaustiveSearch(), "MaxP": bl.MaxPower3GPP(), "RA": bl.RandomPolicy(0)},
                                 cfg, n_drops=3, seed=2)
    wide = df.pivot_table(index=["drop", "t"], columns="policy", values="sum_rate_kbits")
    assert len(wide) == 3 * cfg.slots_per_episode
    assert np.all(wide.ESA >= wide.MaxP - 1e-12) and np.all(wide.ESA >= wide.RA - 1e-12)
    # driven by ESA, the same-slot ESA series is the one evaluate_policy saw
    np.testing.assert_allclose(wide.ESA.groupby("drop").mean().to_numpy(),
                               esa.per_drop.mean_sum_rate_kbits.to_numpy(), rtol=1e-12)


def test_t_confidence_interval():
    mean, half = bl.t_confidence_interval([1.0, 2.0, 3.0])
    assert mean == 2.0 and half == pytest.approx(stats.t.ppf(0.975, 2) * 1.0 / math.sqrt(3))
    assert math.isnan(bl.t_confidence_interval([4.0])[1])
    with pytest.raises(ValueError, match="confidence"):
        bl.t_confidence_interval([1.0, 2.0], confidence=1.5)


def test_benchmark_table_cache(tmp_path):
    path = tmp_path / "bench.csv"
    policies = {"RA": lambda: bl.RandomPolicy(0), "MaxP-3GPP-MCS": bl.MaxPower3GPP}
    t1 = bl.benchmark_table([(1, 2)], policies, NET, n_drops=2, seed=1, cache_path=path)
    meta = path.with_suffix(".json").read_text()
    assert "config_hash" in meta and "git" in meta and "versions" in meta
    import pandas as pd
    marked = t1.assign(mean_kbits=-1.0)                                  # a sentinel: loaded, not recomputed
    marked.to_csv(path, index=False)
    t2 = bl.benchmark_table([(1, 2)], policies, NET, n_drops=2, seed=1, cache_path=path)
    assert np.all(t2.mean_kbits == -1.0) and list(t2.policy) == ["RA", "MaxP-3GPP-MCS"]
    t3 = bl.benchmark_table([(1, 2)], policies, NET, n_drops=3, seed=1, cache_path=path)  # new config -> recompute
    assert np.all(t3.mean_kbits > 0) and np.all(pd.read_csv(path).mean_kbits > 0)
    assert t3.n_drops.iloc[0] == 3


def test_fractional_adapter():
    fractional = pytest.importorskip("multirat.fractional")
    assert fractional is not None and bl.fractional_available()
    cfg = small(1, 2)
    env = env_at(cfg, n_envs=2, seed=1)
    d = bl.FractionalProgramming().act(env, env.observe())
    assert d.actions.shape == (2, 2) and d.power_w.shape == (2, 2)
    lo, hi = units.dbm_to_watt(cfg.p_min_dbm), units.dbm_to_watt(cfg.p_max_dbm)
    assert np.all(d.power_w >= lo * (1 - 1e-9)) and np.all(d.power_w <= hi * (1 + 1e-9))
    env.step(d.actions, power_w=d.power_w)


# ------------------------------------------------------------------------------------------------
# Invalid input
# ------------------------------------------------------------------------------------------------

def test_invalid_inputs():
    cfg = small(1, 2)
    with pytest.raises(ValueError, match="mode"):
        bl.evaluate_policy(bl.RandomPolicy(0), cfg, 2, seed=0, mode="digital")
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="n_drops"):
            bl.evaluate_policy(bl.RandomPolicy(0), cfg, bad, seed=0)
    with pytest.raises(ValueError, match="n_envs"):
        bl.evaluate_policy(bl.RandomPolicy(0), cfg, 2, seed=0, n_envs=0)
    with pytest.raises(ValueError, match="thresholds"):
        bl.MaxPower3GPP(thresholds="nr")
    with pytest.raises(ValueError, match="rule"):
        bl.MaxPower3GPP(rule="nearest")
    with pytest.raises(ValueError, match="rule"):
        bl.cqi_to_mcs(3, cfg, rule="nearest")
    with pytest.raises(ValueError, match="cqi"):
        bl.cqi_to_mcs(16, cfg)
    with pytest.raises(ValueError, match="sinr"):
        bl.sinr_to_cqi(-1.0)
    with pytest.raises(ValueError, match="seed"):
        bl.RandomPolicy(seed=-2)
    with pytest.raises(ValueError, match="actions"):
        bl.Decision(np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match="power_w"):
        bl.Decision(np.zeros((1, 2), dtype=int), np.zeros((1, 3)))
    with pytest.raises(RuntimeError, match="reset"):
        bl.ExhaustiveSearch().act(NetworkEnv(cfg), None)
    env = env_at(cfg, n_envs=1)
    with pytest.raises(ValueError, match="power_w"):
        bl.coupling_sinr(bl.link_coupling(env), np.ones((2, 3)))
    with pytest.raises(ValueError, match="adjacency"):
        bl.mis_reduction_coupling(np.ones((3, 3)), cfg)
    with pytest.raises(ValueError, match="sigma_rt"):
        bl.mis_reduction_bounds(dataclasses.replace(cfg, sigma_rt=0.0))
    with pytest.raises(ValueError, match="driver"):
        bl.same_slot_comparison({"RA": bl.RandomPolicy(0)}, cfg, 1, seed=0, driver="ESA")
