"""baselines.py: RA, MaxP-3GPP-MCS, ESA (decomposed and brute force) and the ESA-FP adapter."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from netcases import NET, env_at, small
from scipy import stats

from multirat import baselines as bl
from multirat import coupling as cp
from multirat import cqi, units
from multirat.env import LinearDeviation, NetworkEnv, power_levels_w
from multirat.policy import Decision


@pytest.mark.parametrize("physical", [True, False])
def test_maxp_uses_pmax_and_the_cqi_of_its_sinr(physical):
    env = env_at(small(3, 6), n_envs=3, seed=4)
    d = bl.MaxPower3GPP(physical=physical).act(env, env.observe())
    n_mcs = 12
    assert np.all(d.actions // n_mcs == NET.n_power_levels - 1)
    info = env.evaluate(d.actions, physical=physical)
    np.testing.assert_allclose(info.power_w, units.dbm_to_watt(NET.p_max_dbm))
    expected = cqi.cqi_to_mcs(cqi.sinr_to_cqi(info.sinr), NET)             # SINR does not depend on the MCS
    np.testing.assert_array_equal(d.actions % n_mcs, expected)
    np.testing.assert_array_equal(d.info["cqi"], cqi.sinr_to_cqi(info.sinr))


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
    coupling = cp.link_coupling(env)
    levels = power_levels_w(cfg)
    total, _, _ = cp.sum_rate_best_mcs(coupling, np.repeat(levels[:, None], n, axis=1), cfg)
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


def test_fractional_adapter():
    cfg = small(1, 2)
    env = env_at(cfg, n_envs=2, seed=1)
    d = bl.FractionalProgramming().act(env, env.observe())
    assert d.actions.shape == (2, 2) and d.power_w.shape == (2, 2)
    lo, hi = units.dbm_to_watt(cfg.p_min_dbm), units.dbm_to_watt(cfg.p_max_dbm)
    assert np.all(d.power_w >= lo * (1 - 1e-9)) and np.all(d.power_w <= hi * (1 + 1e-9))
    env.step(d.actions, power_w=d.power_w)


def _brute_force_first_argmax(op, levels, cfg):
    """Independent ESA: every power vector by itertools.product, best-MCS rates by link.throughput_bits,
    first maximum in lexicographic order (ties to the lower MCS index)."""
    import itertools

    from multirat import link
    table = link.mcs_table(cfg)
    b, n = op.shape
    best = [(-np.inf, None, None)] * b
    for vec in itertools.product(range(len(levels)), repeat=n):
        p = np.asarray(levels)[list(vec)]
        ref = (op.hwi_matrix @ p)                                                    # [B, N]
        aci = op.aci_matrix @ p
        g = op.signal_gain
        sinr = np.where(op.scheduled, p * g / (g * op.sigma_rt**2 * ref + aci + op.noise_w), 0.0)
        rates = np.stack([link.throughput_bits(sinr, m, c, d, cfg.n_symbols) for m, c, d in
                          zip(table.modulation_order, table.code_rate, table.d_free)], axis=-1)   # [B, N, 12]
        mcs = rates.argmax(-1)
        rate = np.where(op.scheduled, rates.max(-1), 0.0)
        for k in range(b):
            if rate[k].sum() > best[k][0]:
                best[k] = (rate[k].sum(), np.array(vec), mcs[k])
    return best


@pytest.mark.parametrize("chunk_elements", [1, 7 * 12, 2**22])
def test_esa_chunks_keep_the_first_optimum_with_idle_links(chunk_elements):
    # N > R: idle links' powers do not matter, so every optimum is tied across |P|^(idle) vectors, many
    # of them in other chunks; the search must return the first one (idle links at level 0), whatever
    # the chunk size (1 vector per chunk, chunks not dividing |P|^N, one chunk)
    cfg = small(2, 4, n_rrbs=2)
    env = env_at(cfg, n_envs=3, seed=5)
    op = cp.link_coupling(env)
    idle = ~op.scheduled
    assert idle.any(axis=1).all()
    levels = power_levels_w(cfg)
    res = bl.exhaustive_power_search(op, levels, cfg, chunk_elements=chunk_elements)
    for k, (total, vec, mcs) in enumerate(_brute_force_first_argmax(op, levels, cfg)):
        np.testing.assert_allclose(res.sum_rate_bits[k], total, rtol=1e-12)
        np.testing.assert_array_equal(res.power_index[k], vec)
        np.testing.assert_array_equal(res.mcs_index[k][op.scheduled[k]], mcs[op.scheduled[k]])
    assert np.all(res.power_index[idle] == 0) and np.all(res.rate_bits[idle] == 0)
    np.testing.assert_array_equal(res.actions, res.power_index * 12 + res.mcs_index)


def test_esa_ties_across_chunks_of_equal_levels():
    # two equal power levels: every vector has a twin with the same sum rate; the first must win
    cfg = small(1, 3)
    env = env_at(cfg, n_envs=2, seed=1)
    op = cp.link_coupling(env)
    p = float(units.dbm_to_watt(cfg.p_max_dbm))
    for chunk in (1, 2 * 3 * 12 * 3, 2**22):
        res = bl.exhaustive_power_search(op, [p, p], cfg, chunk_elements=chunk)
        np.testing.assert_array_equal(res.power_index, 0)


@pytest.mark.parametrize("chunk", [1, 5, 48**2, 4096])
def test_bruteforce_chunks_and_the_padded_last_chunk(chunk):
    # the brute force pads its last chunk with copies of the last vector; any chunk size gives the
    # same optimum and the same (first) actions of the scheduled links as the decomposed search
    cfg = small(2, 2, n_rrbs=1)                                                      # one link idle
    env = env_at(cfg, n_envs=2, seed=8)
    slow = bl.exhaustive_search_bruteforce(env, chunk=chunk)
    fast = bl.exhaustive_search(env)
    np.testing.assert_allclose(slow.sum_rate_bits, fast.sum_rate_bits, rtol=1e-12)
    sched = env.state.rrb >= 0
    np.testing.assert_array_equal(slow.actions[sched], fast.actions[sched])
    assert np.all(slow.actions[~sched] == 0)                     # an idle link's action is irrelevant: the first


def test_random_policy_defaults_and_repr():
    assert bl.RandomPolicy().seed is None and repr(bl.RandomPolicy(4)) == "RandomPolicy(seed=4)"
    env = env_at(NET, n_envs=2)
    a, b = bl.RandomPolicy(None).act(env, None).actions, bl.RandomPolicy(None).act(env, None).actions
    assert a.shape == (2, NET.n_devices) and not np.array_equal(a, b)                 # fresh entropy


def test_scheme_defaults_pinned():
    m = bl.MaxPower3GPP()
    assert (m.physical, m.thresholds, m.rule, m.name) == (True, "common", "modulation_first", "MaxP-3GPP-MCS")
    e = bl.ExhaustiveSearch()
    assert (e.physical, e.max_power_vectors, e.chunk_elements, e.name) == (True, 4**12, 2**22, "ESA")
    assert bl.FractionalProgramming().name == "ESA-FP" and dict(bl.FractionalProgramming().kwargs) == {}
    assert bl.RandomPolicy.name == "RA"


def test_maxp_follows_physical_none_as_the_env_mode():
    cfg = small(2, 6)
    for mode in ("twin", "physical"):
        env = env_at(cfg, mode=mode, n_envs=2, seed=2, deviation=LinearDeviation(0.9))
        np.testing.assert_array_equal(bl.MaxPower3GPP(physical=None).act(env, None).actions,
                                      bl.MaxPower3GPP(physical=(mode == "physical")).act(env, None).actions)


def test_decision_validation():
    d = Decision(np.array([[1, 2]], dtype=np.int32))
    assert d.actions.dtype == np.int64 and d.power_w is None and d.info == {}
    with pytest.raises(ValueError, match="actions"):
        Decision(np.zeros(3, dtype=int))
    with pytest.raises(TypeError, match="actions"):
        Decision(np.zeros((1, 2)))                                                   # float actions: wrong type
    with pytest.raises(ValueError, match="power_w"):
        Decision(np.zeros((1, 2), dtype=int), np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"power_w=\[\[nan, 1.0\]\] is not a number"):
        Decision(np.zeros((1, 2), dtype=int), np.array([[np.nan, 1.0]]))


def test_invalid_inputs():
    cfg = small(1, 2)
    with pytest.raises(ValueError, match="thresholds"):
        bl.MaxPower3GPP(thresholds="nr")
    with pytest.raises(ValueError, match="rule"):
        bl.MaxPower3GPP(rule="nearest")
    with pytest.raises(ValueError, match="seed=-2 is out of range"):
        bl.RandomPolicy(seed=-2)
    with pytest.raises(ValueError, match="seed=1.5 is not an integer"):
        bl.RandomPolicy(seed=1.5)
    with pytest.raises(TypeError, match="seed must be None or a non-negative integer"):
        bl.RandomPolicy(seed=True)
    with pytest.raises(RuntimeError, match="reset"):
        bl.ExhaustiveSearch().act(NetworkEnv(cfg), None)
    with pytest.raises(TypeError, match="env must be"):
        bl.MaxPower3GPP().act(None, None)
    env = env_at(cfg, n_envs=1)
    op = cp.link_coupling(env)
    for bad in ([], [[1.0]], [np.nan], [-1.0], [np.inf]):
        with pytest.raises(ValueError, match="levels_w"):
            bl.exhaustive_power_search(op, bad, cfg)
    for name in ("max_power_vectors", "chunk_elements"):
        with pytest.raises(ValueError, match=name):
            bl.exhaustive_power_search(op, [1.0], cfg, **{name: 0})
    for name in ("max_candidates", "chunk"):
        with pytest.raises(ValueError, match=name):
            bl.exhaustive_search_bruteforce(env, **{name: 0})


def test_chunks_respect_chunk_elements(monkeypatch):
    # B x V x N x |M||C| <= chunk_elements: with B = 2, N = 3 and 12 MCS, 216 elements allow V = 3 vectors
    env = env_at(small(1, 3), n_envs=2, seed=1)
    op = cp.link_coupling(env)
    sizes, real = [], bl.sum_rate_best_mcs

    def spy(coupling, power_w, config):
        sizes.append(np.shape(power_w)[0])
        return real(coupling, power_w, config)

    monkeypatch.setattr(bl, "sum_rate_best_mcs", spy)
    bl.exhaustive_power_search(op, [0.01, 0.1], NET, chunk_elements=2 * 3 * 12 * 3)
    assert sizes == [3, 3, 2]


def test_size_limit_is_inclusive():
    op = cp.link_coupling(env_at(small(1, 3), n_envs=1))
    assert bl.exhaustive_power_search(op, [0.01, 0.1], NET, max_power_vectors=8).n_candidates == 8
    with pytest.raises(ValueError, match="max_power_vectors=7"):
        bl.exhaustive_power_search(op, [0.01, 0.1], NET, max_power_vectors=7)
    env = env_at(small(1, 2), n_envs=1)
    assert bl.exhaustive_search_bruteforce(env, max_candidates=48**2).n_candidates == 48**2
    with pytest.raises(ValueError, match="max_candidates"):
        bl.exhaustive_search_bruteforce(env, max_candidates=48**2 - 1)


STRONG = dict(phi=0.9, aclr_db=(10.0, 20.0), acs_db=(10.0, 20.0), sigma_rt=0.3)     # twin and physical differ


def test_esa_policy_and_searches_honour_physical():
    env = env_at(small(2, 3, **STRONG), n_envs=2, seed=2)
    twin = bl.ExhaustiveSearch(physical=False).search(env)
    np.testing.assert_array_equal(twin.sum_rate_bits, bl.exhaustive_search(env, False).sum_rate_bits)
    assert not np.allclose(twin.sum_rate_bits, bl.exhaustive_search(env, True).sum_rate_bits)
    np.testing.assert_array_equal(bl.exhaustive_search(env).sum_rate_bits, bl.exhaustive_search(env, True).sum_rate_bits)
    tw = env_at(small(1, 2, **STRONG), mode="twin", n_envs=2, seed=4)            # None follows the env's mode
    slow_none = bl.exhaustive_search_bruteforce(tw, None).sum_rate_bits
    np.testing.assert_array_equal(slow_none, bl.exhaustive_search_bruteforce(tw, False).sum_rate_bits)
    assert not np.allclose(slow_none, bl.exhaustive_search_bruteforce(tw, True).sum_rate_bits)


def test_bruteforce_result_fields_are_consistent():
    env = env_at(small(2, 2), n_envs=3, seed=5)
    slow = bl.exhaustive_search_bruteforce(env)
    np.testing.assert_array_equal(slow.power_index, slow.actions // 12)
    np.testing.assert_array_equal(slow.mcs_index, slow.actions % 12)
    np.testing.assert_allclose(slow.rate_bits, env.evaluate(slow.actions).rate_bits, rtol=1e-12)
    np.testing.assert_allclose(slow.rate_bits.sum(-1), slow.sum_rate_bits, rtol=1e-12)
    np.testing.assert_allclose(slow.sum_rate_kbits, slow.sum_rate_bits / 1e3, rtol=1e-15)


def test_fp_adapter_passes_its_kwargs_and_the_fp_info():
    from multirat.fractional import esa_fp

    env = env_at(small(2, 3), n_envs=2, seed=1)
    d = bl.FractionalProgramming(kwargs={"init": "min", "max_iter": 1}).act(env, None)
    actions, power_w, info = esa_fp(env, init="min", max_iter=1)
    np.testing.assert_array_equal(d.power_w, power_w)
    np.testing.assert_array_equal(d.actions, actions)
    np.testing.assert_array_equal(d.info["fp"].sum_rate_kbits, info.sum_rate_kbits)


def test_random_policy_seed_zero_is_valid():
    assert bl.RandomPolicy(0).seed == 0


def test_decision_power_w_shape_must_match_exactly():
    with pytest.raises(ValueError, match="power_w"):
        Decision(np.zeros((2, 3), dtype=int), np.zeros((1, 3)))
