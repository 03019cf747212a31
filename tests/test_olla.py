"""baselines.py: outer-loop link adaptation (OLLA, ours), its update, its fixed point and its policy."""

import dataclasses
import functools

import numpy as np
import pytest

from multirat import cqi, link
from multirat.baselines import MaxPower3GPP, OuterLoopLinkAdaptation, olla_mcs, olla_update
from multirat.config import NetworkConfig
from multirat.env import NetworkEnv

CFG = NetworkConfig()


def test_the_defaults():
    p = OuterLoopLinkAdaptation()
    assert (p.bler_target, p.step_db, p.initial_offset_db, p.offset_bounds_db) == (0.1, 0.5, 0.0, (-20.0, 20.0))
    assert (p.physical, p.thresholds, p.rule, p.name, p.seed) == (True, "common", "modulation_first", "OLLA", 0)


def test_one_update_moves_by_exactly_the_steps():
    off = np.array([0.0, 0.0, 3.0, -1.0])
    ack = np.array([True, False, True, False])
    sent = np.array([True, True, False, True])
    new = olla_update(off, ack, sent, 0.5, 0.1, (-20.0, 20.0))
    # ACK: + 0.5 * 0.1 / 0.9; NACK: - 0.5; no transmission: unchanged
    np.testing.assert_allclose(new, [0.5 / 9, -0.5, 3.0, -1.5], rtol=0, atol=1e-15)
    up = olla_update(0.0, True, True, 1.0, 0.25, (-5, 5))
    assert up == pytest.approx(1.0 / 3.0)


def test_the_offset_stays_within_its_bounds_exactly_at_the_edges():
    assert olla_update(19.99, True, True, 0.5, 0.5, (-20.0, 20.0)) == 20.0              # + 0.5, clipped
    assert olla_update(-19.8, False, True, 0.5, 0.1, (-20.0, 20.0)) == -20.0
    assert olla_update(-20.0, True, True, 0.5, 0.1, (-20.0, 20.0)) == pytest.approx(-20.0 + 0.5 / 9)
    for bad in ({"step_db": 0.0}, {"bler_target": 1.0}, {"bler_target": 0.0}, {"bounds_db": (1.0, -1.0)}):
        kw = {"step_db": 0.5, "bler_target": 0.1, "bounds_db": (-20.0, 20.0)} | bad
        with pytest.raises(ValueError, match="step_db=.*bler_target=.*bounds_db="):
            olla_update(0.0, True, True, **kw)


def test_the_mcs_is_the_cqi_choice_of_the_shifted_sinr():
    sinr_db = np.array([[-8.0, 0.0, 5.0, 12.0, 25.0]])
    sinr = 10 ** (sinr_db / 10)
    np.testing.assert_array_equal(olla_mcs(sinr, 0.0, CFG), cqi.cqi_to_mcs(cqi.sinr_to_cqi(sinr), CFG))
    shifted = olla_mcs(sinr, -3.0, CFG)
    np.testing.assert_array_equal(shifted, cqi.cqi_to_mcs(cqi.sinr_to_cqi(10 ** ((sinr_db - 3) / 10)), CFG))
    # the CQI thresholds probed from either side: an offset that lifts 0 dB to just above theta_q gives CQI q
    theta = cqi.load_cqi_table()["sinr_db"].to_numpy()[1:]
    for q in (1, 7, 15):
        above = olla_mcs(np.array([1.0]), theta[q - 1] + 1e-9, CFG)[0]
        below = olla_mcs(np.array([1.0]), theta[q - 1] - 1e-9, CFG)[0]
        assert above == cqi.cqi_to_mcs(np.array([q]), CFG)[0]
        assert below == cqi.cqi_to_mcs(np.array([q - 1]), CFG)[0]


@pytest.mark.parametrize(("thresholds", "rule"), [("vienna_awgn", "modulation_first"), ("common", "efficiency")])
def test_the_mcs_follows_the_chosen_thresholds_and_rule(thresholds, rule):
    # a grid of SINRs that avoids every CQI threshold (float rounding there is not what is tested)
    sinr_db = np.arange(-10.013, 25, 0.37)
    got = olla_mcs(10 ** (sinr_db / 10), -3.0, CFG, thresholds, rule)
    want = cqi.cqi_to_mcs(cqi.sinr_to_cqi(10 ** ((sinr_db - 3) / 10), thresholds), CFG, rule)
    np.testing.assert_array_equal(got, want)
    assert not np.array_equal(got, olla_mcs(10 ** (sinr_db / 10), -3.0, CFG))         # not the defaults


def _fixed_sinr_loop(sinr_db: float, n: int, step: float, target: float, seed: int):
    """OLLA on one link whose SINR never changes: PER from Eqs. 15-17, ACK/NACK drawn, offsets updated."""
    m, c, d = link._mcs_arrays(CFG)
    sinr = 10 ** (sinr_db / 10)
    rate = link.throughput_bits(np.full(len(m), sinr), m, c, d, CFG.n_symbols)       # [12], every MCS at once
    per_of_mcs = 1 - rate / (link.spectral_efficiency(m, c) * CFG.n_symbols)
    draws = np.random.default_rng(seed).random(n)
    mcs_at = functools.cache(lambda o: int(olla_mcs(np.array([sinr]), o, CFG)[0]))   # offsets lie on a lattice
    off, nacks, offsets = 0.0, 0, np.empty(n)
    for k in range(n):
        ack = draws[k] >= per_of_mcs[mcs_at(round(off, 9))]
        nacks += not ack
        off = float(olla_update(off, ack, True, step, target, (-20.0, 20.0)))
        offsets[k] = off
    return nacks / n, offsets


@pytest.mark.parametrize("sinr_db", [3.0, 8.0])
def test_on_a_fixed_sinr_link_the_long_run_bler_is_the_target(sinr_db):
    # The fixed point, independent of the PER curves: with the offset never clipped, the offsets' net change
    # o_T - o_0 = step (A t / (1 - t) - K) over A ACKs and K NACKs, so the NACK fraction is exactly
    # t - (1 - t) (o_T - o_0) / (step T): within (1 - t) (hi - lo) / (step T) of the target
    n, step, t = 20_000, 0.5, 0.1
    bler, offsets = _fixed_sinr_loop(sinr_db, n, step, t, seed=4)
    assert offsets.min() > -20.0 and offsets.max() < 20.0                      # never clipped
    assert bler == pytest.approx(t - (1 - t) * offsets[-1] / (step * n), abs=1e-12)
    assert abs(bler - t) <= (1 - t) * 40.0 / (step * n) + 1e-12                   # 0.0036 here
    assert abs(bler - t) < 0.005


def _stationary_offsets(sinr_db: float, step: float, target: float, bound: float = 20.0):
    """OLLA on a fixed-SINR link as a Markov chain, solved by linear algebra: with t = 1/10 the step up is
    step / 9, so offsets live on the lattice k step / 9 (|k| <= bound / (step / 9)); from k the chain moves
    to k - 9 with the PER of the MCS played at k (Eqs. 15-17), else to k + 1, clipped at the bounds.
    Returns the lattice's offsets [dB], its stationary law pi and the MCS played at each offset."""
    m, c, d = link._mcs_arrays(CFG)
    sinr = 10 ** (sinr_db / 10)
    rate = link.throughput_bits(np.full(len(m), sinr), m, c, d, CFG.n_symbols)
    per_of_mcs = 1 - rate / (link.spectral_efficiency(m, c) * CFG.n_symbols)
    up = step * target / (1 - target)
    down_k = round(step / up)
    assert down_k * up == pytest.approx(step)                                      # a lattice: t = 1/10
    k_max = round(bound / up)
    ks = np.arange(-k_max, k_max + 1)
    mcs = olla_mcs(np.full(len(ks), sinr), ks * up, CFG)
    per = per_of_mcs[mcs]
    p = np.zeros((len(ks), len(ks)))
    rows = np.arange(len(ks))
    np.add.at(p, (rows, np.clip(rows - down_k, 0, len(ks) - 1)), per)
    np.add.at(p, (rows, np.clip(rows + 1, 0, len(ks) - 1)), 1 - per)
    a = np.vstack([p.T - np.eye(len(ks)), np.ones(len(ks))])                   # pi P = pi, sum pi = 1
    pi = np.linalg.lstsq(a, np.r_[np.zeros(len(ks)), 1.0], rcond=None)[0]
    return ks * up, pi, mcs, per


@pytest.mark.parametrize("sinr_db", [3.0, 8.0])
def test_the_long_run_offsets_follow_the_markov_chains_stationary_law(sinr_db):
    # independent of the loop: the stationary law of the chain on the offset lattice, by linear algebra
    offsets_pi, pi, mcs_pi, per_pi = _stationary_offsets(sinr_db, 0.5, 0.1)
    assert pi.min() > -1e-9 and pi.sum() == pytest.approx(1.0)
    assert pi @ per_pi == pytest.approx(0.1, abs=1e-6)                 # its BLER is the target (no clipping)
    mean_pi = pi @ offsets_pi
    mix_pi = {int(j): float(pi[mcs_pi == j].sum()) for j in np.unique(mcs_pi) if pi[mcs_pi == j].sum() > 1e-6}
    # the simulated loop, after a burn-in of 2000 TSs from 0 dB
    n, burn = 40_000, 2_000
    _, offsets = _fixed_sinr_loop(sinr_db, n, 0.5, 0.1, seed=11)
    played = olla_mcs(np.full(n - burn - 1, 10 ** (sinr_db / 10)), offsets[burn:-1], CFG)
    mix = {int(j): float(np.mean(played == j)) for j in np.unique(played)}
    assert set(mix) <= set(mix_pi)
    for j, share in mix_pi.items():
        assert mix.get(j, 0.0) == pytest.approx(share, abs=0.01), (j, mix, mix_pi)
    assert offsets[burn:].mean() == pytest.approx(mean_pi, abs=0.1)             # dB
    assert len(mix_pi) >= 2                                                       # it does alternate


def test_where_the_top_mcs_never_fails_the_offset_climbs_to_its_bound_and_stays():
    # at 15 dB the top MCS (64-QAM 5/6) has PER 0 under Eq. 17: every packet is an ACK, so the offset rises by
    # 0.5 / 9 dB per TS and is clipped at +20 dB after ceil(20 / (0.5 / 9)) = 360 TSs
    bler, offsets = _fixed_sinr_loop(15.0, 500, 0.5, 0.1, seed=4)
    assert bler == 0.0
    np.testing.assert_allclose(offsets[:359], np.arange(1, 360) * 0.5 / 9, rtol=1e-9)
    assert np.all(offsets[359:] == 20.0)


def test_the_policy_starts_as_maxp_and_restarts_with_each_drop():
    env = NetworkEnv(CFG, mode="physical", n_envs=3)
    obs, _ = env.reset(seed=11)
    olla = OuterLoopLinkAdaptation(seed=1)
    first = olla.act(env, obs)
    np.testing.assert_array_equal(first.actions, MaxPower3GPP().act(env, obs).actions)   # offset 0 at t = 0
    assert np.all(first.info["offset_db"] == 0.0)
    moved = olla.offset_db.copy()
    sched = first.info["scheduled"]
    expect = np.where(first.info["ack"], 0.5 / 9, -0.5)
    np.testing.assert_allclose(moved[sched], expect[sched])                    # every scheduled link moved
    assert np.all(moved[~sched] == 0.0)
    obs, *_ = env.step(first.actions)
    second = olla.act(env, obs)
    np.testing.assert_array_equal(second.info["offset_db"], moved)             # persists within the episode
    obs, _ = env.reset(seed=12)                                                # a new drop: t = 0
    assert np.all(olla.act(env, obs).info["offset_db"] == 0.0)


def test_the_policy_draws_from_its_own_generator_and_repeats_after_reset():
    def run(policy):
        env = NetworkEnv(dataclasses.replace(CFG, slots_per_episode=8), mode="physical", n_envs=2)
        obs, _ = env.reset(seed=5)
        out, done = [], False
        while not done:
            d = policy.act(env, obs)
            out.append(np.concatenate([d.actions, d.info.get("offset_db", 0 * d.actions)], axis=-1))
            obs, _, done, _ = env.step(d.actions)
        return np.array(out), env.state.fading.copy()

    p = OuterLoopLinkAdaptation(seed=9, initial_offset_db=12.0)        # aggressive MCSs: PERs inside (0, 1)
    a1, fading1 = run(p)
    p.reset()
    a2, _ = run(p)
    np.testing.assert_array_equal(a1, a2)
    _, fading_maxp = run(MaxPower3GPP())
    np.testing.assert_array_equal(fading1, fading_maxp)                        # the environment's draws untouched
    other = run(OuterLoopLinkAdaptation(seed=10, initial_offset_db=12.0))[0]
    assert not np.array_equal(a1, other)                                        # the ACK draws move the offsets


def test_the_per_is_that_of_eq15_16():
    env = NetworkEnv(CFG, mode="physical", n_envs=2)
    obs, _ = env.reset(seed=2)
    d = OuterLoopLinkAdaptation().act(env, obs)
    m, c, dfree = link._mcs_arrays(CFG)
    i = d.actions % len(m)
    sinr = env.evaluate(d.actions).sinr
    ser = link.symbol_error_rate(sinr, m[i], link.coding_gain(c[i], dfree[i]))
    per = link.packet_error_rate(ser, CFG.n_symbols)
    sched = d.info["scheduled"]
    np.testing.assert_allclose(d.info["per"][sched], per[sched], rtol=1e-9, atol=1e-12)


def test_bad_settings_raise():
    with pytest.raises(ValueError, match="initial_offset_db"):
        OuterLoopLinkAdaptation(initial_offset_db=25.0)
    with pytest.raises(ValueError, match="bler_target"):
        OuterLoopLinkAdaptation(bler_target=1.5)
    with pytest.raises(ValueError, match="rule"):
        OuterLoopLinkAdaptation(rule="nearest")
    with pytest.raises(ValueError, match="seed"):
        OuterLoopLinkAdaptation(seed=-1)


def test_the_settled_offset_is_the_median_after_the_given_tss():
    from multirat.baselines import olla_converged_offset_db

    net = dataclasses.replace(CFG, n_aps=2, n_devices=6)
    # after one TS every scheduled link moved once from 0: up 0.5 / 9 (ACK), down 0.5 (NACK), or stayed (idle)
    one = olla_converged_offset_db(net, 3, 1, drops_seed=4)
    assert min(abs(one - v) for v in (0.0, 0.5 * 0.1 / 0.9, -0.5, (0.5 * 0.1 / 0.9 - 0.5) / 2, 0.5 * 0.1 / 1.8, -0.25)) < 1e-12
    long = olla_converged_offset_db(net, 3, 200, drops_seed=4)
    assert long == olla_converged_offset_db(net, 3, 200, drops_seed=4)                    # same seed, same value
    p = OuterLoopLinkAdaptation()
    from multirat.evaluation import evaluate_policy
    evaluate_policy(p, dataclasses.replace(net, slots_per_episode=200), 3, seed=4)
    assert long == float(np.median(p.offset_db[p.offset_db > -19.5])) and p.offset_db.shape == (3, 6)
    assert long > 1.0                                  # the CQI table is conservative under Eq. 17: the offset climbs


def test_equal_bounds_pin_the_offset_and_are_allowed():
    assert olla_update(3.0, False, True, 0.5, 0.1, (2.0, 2.0)) == 2.0
    assert OuterLoopLinkAdaptation(offset_bounds_db=(0.0, 0.0)).offset_bounds_db == (0.0, 0.0)


def test_an_ack_and_a_nack_each_move_their_own_link():
    env = NetworkEnv(CFG, mode="physical", n_envs=3)
    obs, _ = env.reset(seed=11)
    p = OuterLoopLinkAdaptation(seed=1, initial_offset_db=12.0)           # aggressive: some scheduled links fail
    d = p.act(env, obs)
    sched, ack = d.info["scheduled"], d.info["ack"]
    assert (sched & ack).any() and (sched & ~ack).any()
    np.testing.assert_allclose(p.offset_db, np.where(sched, np.where(ack, 12 + 0.5 / 9, 11.5), 12.0))


def test_the_settled_offset_uses_the_given_settings():
    from multirat.baselines import olla_converged_offset_db

    net = dataclasses.replace(CFG, n_aps=2, n_devices=6)
    assert olla_converged_offset_db(net, 3, 200, drops_seed=4, offset_bounds_db=(-1.0, 1.0)) <= 1.0


def test_links_that_fail_at_every_mcs_are_left_out_of_the_settled_offset():
    from multirat.baselines import olla_converged_offset_db

    # a noise floor 74 dB above Table 1's: every link fails at every MCS, every offset falls to the lower bound
    dead = dataclasses.replace(CFG, n_aps=2, n_devices=6, noise_psd_dbm_hz=-100.0)
    assert olla_converged_offset_db(dead, 2, 60, drops_seed=4) == -20.0
    assert olla_converged_offset_db(dead, 2, 60, drops_seed=4, offset_bounds_db=(-3.0, 3.0)) == -3.0
    # a mix: the median of the live links only (built by hand from the policy's offsets)
    from multirat.evaluation import evaluate_policy

    mixed = dataclasses.replace(CFG, n_aps=6, n_devices=100, sigma_rt=0.2)      # about half the links dead
    p = OuterLoopLinkAdaptation()
    evaluate_policy(p, dataclasses.replace(mixed, slots_per_episode=300), 3, seed=4)
    live = [o for o in p.offset_db.ravel() if o > -20.0 + 0.5]              # more than one NACK step above
    assert 0 < len(live) < p.offset_db.size                                  # both kinds of link are there
    assert olla_converged_offset_db(mixed, 3, 300, drops_seed=4) == float(np.median(live))
