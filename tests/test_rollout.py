"""rollout.py: fixed-policy rollouts of NetworkEnv, reference schedulers, neighbour counting."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from multirat import interference, link, rollout, scheduling, units
from multirat.config import NetworkConfig
from multirat.env import LinearDeviation, action_table, power_levels_w

NET = dataclasses.replace(NetworkConfig(), slots_per_episode=12)
SMALL_R = dataclasses.replace(NET, n_rrbs=8)


def test_find_action_matches_the_table():
    table = action_table(NET).set_index("action")
    a = rollout.find_action(NET, -1, 4, 0.5)
    row = table.loc[a]
    assert row.power_w == pytest.approx(power_levels_w(NET)[-1])
    assert row.modulation_order == 4 and row.code_rate == 0.5
    assert rollout.find_action(NET, 0, 2, 0.5) == 0
    assert rollout.find_action(NET, NET.n_power_levels - 1, 64, 5 / 6) == NET.n_actions - 1


@pytest.mark.parametrize("args, match", [((4, 4, 0.5), "power_index"), ((0, 8, 0.5), "modulation_order"),
                                         ((0, 4, 0.6), "code_rate")])
def test_find_action_invalid(args, match):
    with pytest.raises(ValueError, match=match):
        rollout.find_action(NET, *args)
    with pytest.raises(TypeError, match="power_index must be an integer; got bool"):
        rollout.find_action(NET, True, 4, 0.5)


def test_policies():
    from multirat.env import NetworkEnv
    env = NetworkEnv(NET, n_envs=3)
    obs, _ = env.reset(seed=0)
    np.testing.assert_array_equal(rollout.constant_policy(7)(obs, env), np.full((3, NET.n_devices), 7))
    a1 = rollout.uniform_random_policy(np.random.default_rng(4))(obs, env)
    a2 = rollout.uniform_random_policy(np.random.default_rng(4))(obs, env)
    np.testing.assert_array_equal(a1, a2)
    assert a1.shape == (3, NET.n_devices) and a1.min() >= 0 and a1.max() < NET.n_actions
    with pytest.raises(ValueError, match="action"):
        rollout.constant_policy(-1)
    with pytest.raises(ValueError, match="out of range"):
        rollout.constant_policy(NET.n_actions)(obs, env)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        rollout.uniform_random_policy(3)


@pytest.fixture(scope="module")
def random_run():
    return rollout.rollout(SMALL_R, rollout.uniform_random_policy(np.random.default_rng(1)), n_episodes=2,
                           n_envs=3, seed=11, record_gain=True)


def test_shapes_and_reward(random_run):
    r = random_run
    d, t, n, k = 6, NET.slots_per_episode, NET.n_devices, NET.n_aps
    for name in ("action", "rrb", "power_w", "serving_gain", "sinr", "aci_w", "hwi_w", "rate_bits", "average_rate"):
        assert getattr(r, name).shape == (d, t, n), name
    assert r.obs.shape == (d, t, n, 6)
    assert np.all(r.obs[:, 0, :, 1:] == 0)                             # no history in the first TS
    assert r.reward_kbits.shape == (d, t) and r.serving_ap.shape == (d, n) and r.device_xy.shape == (d, n, 2)
    assert r.gain.shape == (d, t, k, n) and r.n_drops == d
    np.testing.assert_allclose(r.reward_kbits, r.rate_bits.sum(-1) / 1e3, rtol=1e-12)
    # episodes are new drops
    assert not np.allclose(r.device_xy[0], r.device_xy[3])


def test_throughput_and_sinr_from_the_parts(random_run):
    r = random_run
    table = action_table(NET)
    m, c, dfree = (table[col].to_numpy()[r.action] for col in ("modulation_order", "code_rate", "d_free"))
    expected = np.where(r.scheduled, link.throughput_bits(r.sinr, m, c, dfree, NET.n_symbols), 0.0)
    np.testing.assert_allclose(r.rate_bits, expected, rtol=1e-10, atol=1e-9)
    s = r.scheduled
    rebuilt = interference.sinr(r.power_w[s], r.serving_gain[s], 0.0, r.aci_w[s] + r.hwi_w[s], r.noise_w, 0.0)
    np.testing.assert_allclose(rebuilt, r.sinr[s], rtol=1e-12)
    serving = np.take_along_axis(r.gain, np.broadcast_to(r.serving_ap[:, None, None, :], r.gain.shape[:2] + (1, 20)),
                                 axis=2)[:, :, 0]
    np.testing.assert_allclose(serving, r.serving_gain, rtol=1e-12)


def test_unscheduled_links_are_silent(random_run):
    r = random_run
    assert (~r.scheduled).any()
    for name in ("power_w", "sinr", "aci_w", "hwi_w", "rate_bits"):
        assert np.all(getattr(r, name)[~r.scheduled] == 0), name
    assert np.all(r.scheduled.sum(-1) == min(SMALL_R.n_devices, SMALL_R.n_rrbs))
    # next TS: an idle link played no action, so its state holds no history (zeros, as at the first TS),
    # while a scheduled link's history holds its action (the power index of the action it played)
    idle = ~r.scheduled[:, :-1]
    nxt = r.obs[:, 1:]
    assert idle.any() and (~idle).any()
    np.testing.assert_array_equal(nxt[..., 1:][idle], 0.0)
    table = action_table(NET)
    np.testing.assert_allclose(nxt[..., 3][~idle], table.power_index.to_numpy()[r.action[:, :-1][~idle]]
                               / (NET.n_power_levels - 1), rtol=1e-6)


def test_pf_schedule_is_eq18_on_the_recorded_rates(random_run):
    r = random_run
    noise = units.dbm_to_watt(NET.noise_power_dbm)
    metric = scheduling.pf_metric(r.average_rate[:, :-1], r.serving_gain[:, 1:], units.dbm_to_watt(NET.p_min_dbm),
                                  noise)
    np.testing.assert_array_equal(r.rrb[:, 1:], scheduling.select_and_place(metric, SMALL_R.n_rrbs))


def test_physical_mode_parts_and_common_random_numbers():
    pol = rollout.constant_policy(rollout.find_action(NET, -1, 4, 0.5))
    twin = rollout.rollout(NET, pol, n_envs=4, seed=2)
    phys = rollout.rollout(NET, pol, n_envs=4, seed=2, mode="physical", deviation=LinearDeviation(0.9))
    np.testing.assert_array_equal(twin.device_xy, phys.device_xy)
    np.testing.assert_array_equal(twin.serving_gain, phys.serving_gain)
    s = phys.scheduled
    rebuilt = interference.sinr(phys.power_w[s], phys.serving_gain[s], 0.0, phys.aci_w[s] + phys.hwi_w[s],
                                phys.noise_w, 0.0)
    np.testing.assert_allclose(rebuilt, phys.sinr[s], rtol=1e-12)
    # with R >= N every device is scheduled in both, and the HWI is 1.9x the twin's whenever the AP's
    # scheduled powers agree (same action everywhere -> same P_total)
    np.testing.assert_allclose(phys.hwi_w, 1.9 * twin.hwi_w, rtol=1e-12)
    assert np.all(phys.sinr <= twin.sinr * (1 + 1e-12))
    again = rollout.rollout(NET, pol, n_envs=4, seed=2)
    np.testing.assert_array_equal(again.sinr, twin.sinr)


def test_max_gain_scheduler_takes_the_strongest():
    r = rollout.rollout(SMALL_R, rollout.constant_policy(39), n_envs=2, seed=5, scheduler="max_gain")
    np.testing.assert_array_equal(r.rrb[:, 1:], scheduling.select_and_place(r.serving_gain[:, 1:], 8))


def test_round_robin_serves_everyone_equally():
    cfg = dataclasses.replace(SMALL_R, slots_per_episode=41)
    r = rollout.rollout(cfg, rollout.constant_policy(39), n_envs=3, seed=5, scheduler="round_robin")
    counts = r.scheduled[:, 1:].sum(axis=1)                              # [D, N] over TS 1..40 = 320 slots
    assert np.all(counts.max(-1) - counts.min(-1) <= 1)
    np.testing.assert_array_equal(counts.sum(-1), 40 * 8)


def test_spread_placement_has_no_adjacent_links():
    cfg = dataclasses.replace(NET, rrb_placement="spread", n_rrbs=3 * NET.n_devices)
    r = rollout.rollout(cfg, rollout.uniform_random_policy(np.random.default_rng(0)), n_envs=2, seed=1)
    assert np.all(r.aci_w == 0)
    for off in (1, 2):
        assert np.all(rollout.adjacent_neighbours(r.rrb, r.serving_ap[:, None, :], cfg.n_rrbs, off, False) == 0)


def _neighbours_loop(rrb, ap, offset, other_ap):
    out = np.zeros(len(rrb), dtype=int)
    for i in range(len(rrb)):
        for j in range(len(rrb)):
            if rrb[i] >= 0 and rrb[j] >= 0 and abs(rrb[i] - rrb[j]) == offset and (not other_ap or ap[i] != ap[j]):
                out[i] += 1
    return out


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(1, 15), st.integers(1, 4), st.integers(1, 3), st.booleans(), st.integers(0, 10**6))
def test_adjacent_neighbours_against_loops(n, r, k, offset, other_ap, seed):
    rng = np.random.default_rng(seed)
    rrb = scheduling.select_and_place(rng.random(n), r, "contiguous" if seed % 2 else "spread")
    ap = rng.integers(0, k, n)
    np.testing.assert_array_equal(rollout.adjacent_neighbours(rrb, ap, r, offset, other_ap),
                                  _neighbours_loop(rrb, ap, offset, other_ap))


def test_adjacent_neighbours_contiguous_line():
    rrb = np.array([0, 1, 2, 3, -1])
    np.testing.assert_array_equal(rollout.adjacent_neighbours(rrb, np.zeros(5, int), 5, 1, False), [1, 2, 2, 1, 0])
    np.testing.assert_array_equal(rollout.adjacent_neighbours(rrb, np.array([0, 1, 0, 1, 0]), 5, 2), [0, 0, 0, 0, 0])


@pytest.mark.parametrize("call, match", [
    (lambda: rollout.rollout(NET, rollout.constant_policy(0), scheduler="fifo"), "scheduler"),
    (lambda: rollout.rollout(NET, rollout.constant_policy(0), n_episodes=0), "n_episodes"),
    (lambda: rollout.rollout(NET, rollout.constant_policy(0), n_envs=1.5), "n_envs"),
    (lambda: rollout.rollout(NET, rollout.constant_policy(0), mode="real"), "mode"),
    (lambda: rollout.adjacent_neighbours(np.array([0, 5]), 0, 4), "rrb"),
    (lambda: rollout.adjacent_neighbours(np.array([0, 1]), 0, 4, offset=0), "offset"),
    (lambda: rollout.adjacent_neighbours(np.array([0, 1]), 0, 0), "n_rrbs"),
])
def test_invalid_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_wrong_types_are_type_errors():
    with pytest.raises(TypeError, match="rrb must be an integer array"):
        rollout.adjacent_neighbours(np.array([0.0, 1.0]), 0, 4)
    with pytest.raises(TypeError, match="policy must be callable"):
        rollout.rollout(NET, "random")


def test_round_robin_pointer_by_hand():
    """TS t >= 1 serves devices (t-1)R, ..., (t-1)R + R - 1 (mod N), the first on RRB 0 (contiguous)."""
    cfg = dataclasses.replace(SMALL_R, slots_per_episode=6)                  # N = 20, R = 8
    r = rollout.rollout(cfg, rollout.constant_policy(5), n_envs=2, seed=3, scheduler="round_robin")
    for t in range(1, 6):
        want = np.full(20, -1)
        for i in range(8):
            want[((t - 1) * 8 + i) % 20] = i
        for d in range(2):
            np.testing.assert_array_equal(r.rrb[d, t], want, err_msg=f"TS {t}")
    # R > N, spread: RRBs floor(i 7 / 3) = 0, 2, 4; the pointer (t-1) 7 mod 3 moves by one device per TS
    cfg = dataclasses.replace(NET, n_devices=3, n_rrbs=7, rrb_placement="spread", slots_per_episode=4)
    r = rollout.rollout(cfg, rollout.constant_policy(5), seed=3, scheduler="round_robin")
    np.testing.assert_array_equal(r.rrb[0, 1], [0, 2, 4])                    # t = 1: device 0 first
    np.testing.assert_array_equal(r.rrb[0, 2], [4, 0, 2])                    # t = 2: device 1 first
    np.testing.assert_array_equal(r.rrb[0, 3], [2, 4, 0])                    # t = 3: device 2 first


def test_reference_schedulers_use_the_placement():
    cfg = dataclasses.replace(NET, n_devices=4, n_rrbs=12, rrb_placement="spread", slots_per_episode=4)
    for scheduler in ("max_gain", "round_robin"):
        r = rollout.rollout(cfg, rollout.constant_policy(5), n_envs=2, seed=1, scheduler=scheduler)
        np.testing.assert_array_equal(np.sort(r.rrb[:, 1:], axis=-1), np.broadcast_to([0, 3, 6, 9], (2, 3, 4)))
    r = rollout.rollout(cfg, rollout.constant_policy(5), n_envs=2, seed=1, scheduler="max_gain")
    for d, t in np.ndindex(2, 3):                                              # strongest on RRB 0, then 3, ...
        order = sorted(range(4), key=lambda n: (-r.serving_gain[d, t + 1, n], n))
        assert [r.rrb[d, t + 1, n] for n in order] == [0, 3, 6, 9]


def test_drop_order_is_episode_major():
    """Drop d is episode d // n_envs of network d % n_envs: the same drops as NetworkEnv reset twice."""
    from multirat.env import NetworkEnv

    cfg = dataclasses.replace(NET, slots_per_episode=2)
    r = rollout.rollout(cfg, rollout.constant_policy(0), n_episodes=2, n_envs=3, seed=17)
    env = NetworkEnv(cfg, n_envs=3)
    env.reset(seed=17)
    first = env.state.device_xy.copy()
    env.step(np.zeros((3, cfg.n_devices), dtype=int))
    env.step(np.zeros((3, cfg.n_devices), dtype=int))
    env.reset()
    np.testing.assert_array_equal(r.device_xy[:3], first)
    np.testing.assert_array_equal(r.device_xy[3:], env.state.device_xy)


def test_rollout_defaults():
    r = rollout.rollout(dataclasses.replace(NET, slots_per_episode=2), rollout.constant_policy(0), seed=0)
    assert r.n_drops == 1 and r.mode == "twin" and r.scheduler == "pf" and r.gain is None
    import inspect

    params = inspect.signature(rollout.adjacent_neighbours).parameters
    assert params["offset"].default == 1 and params["other_ap"].default is True
    rrb = np.array([0, 1, 2, -1])
    np.testing.assert_array_equal(rollout.adjacent_neighbours(rrb, np.array([0, 1, 1, 0]), 3), [1, 1, 0, 0])


def test_uniform_random_policy_reaches_every_action():
    from multirat.env import NetworkEnv

    env = NetworkEnv(NET, n_envs=50)
    obs, _ = env.reset(seed=0)
    a = rollout.uniform_random_policy(np.random.default_rng(0))(obs, env)
    assert set(np.unique(a)) == set(range(NET.n_actions))                  # 0 and 47 included


def test_find_action_limits():
    n_p = NET.n_power_levels
    assert rollout.find_action(NET, -n_p, 2, 0.5) == rollout.find_action(NET, 0, 2, 0.5) == 0
    assert rollout.find_action(NET, n_p - 1, 2, 0.5) == 36                  # power-major: 3 * 12
    assert rollout.find_action(NET, 1, 16, 0.75) == 12 + 2 * 3 + 1
    assert rollout.find_action(NET, 0, 2, 5 / 6 + 1e-10) == 2               # code rate to 1e-9
    for args in ((-n_p - 1, 2, 0.5), (n_p, 2, 0.5), (0, 2, 5 / 6 + 1e-8), (0, 2, 0.76), (1.5, 2, 0.5)):
        with pytest.raises(ValueError):
            rollout.find_action(NET, *args)
    with pytest.raises(TypeError, match="action must be an integer; got bool"):
        rollout.constant_policy(True)


def test_adjacent_neighbours_rrb_limits():
    assert rollout.adjacent_neighbours(np.array([3, 2]), 0, 4, 1, False).tolist() == [1, 1]   # R - 1 is valid
    for bad in (np.array([4, 0]), np.array([-2, 0])):
        with pytest.raises(ValueError, match="rrb"):
            rollout.adjacent_neighbours(bad, 0, 4)
    with pytest.raises(TypeError, match="offset must be an integer; got bool"):
        rollout.adjacent_neighbours(np.array([0, 1]), 0, 4, offset=True)


# --- action_shares ----------------------------------------------------------------------------------

def test_action_shares_of_a_constant_policy_put_everything_on_its_action():
    a = rollout.find_action(SMALL_R, -1, 16, 0.75)                  # P_max, 16-QAM 3/4
    rec = rollout.rollout(SMALL_R, rollout.constant_policy(a), n_envs=2, seed=3)
    n_slots = 2 * SMALL_R.slots_per_episode * SMALL_R.n_rrbs         # N = 20 > R = 8: 8 scheduled per TS
    power = rollout.action_shares(rec, "power")
    assert list(power.power_index) == list(range(SMALL_R.n_power_levels))
    np.testing.assert_allclose(power.power_w, power_levels_w(SMALL_R))
    assert list(power.link_slots) == [0] * (SMALL_R.n_power_levels - 1) + [n_slots]
    assert list(power.share) == [0.0] * (SMALL_R.n_power_levels - 1) + [1.0]
    mcs = rollout.action_shares(rec, "mcs")
    assert len(mcs) == len(SMALL_R.modulation_orders) * len(SMALL_R.code_rates)
    hit = mcs[(mcs.modulation_order == 16) & np.isclose(mcs.code_rate, 0.75)]
    assert list(hit.link_slots) == [n_slots] and mcs.share.sum() == pytest.approx(1.0)
    assert mcs.drop(index=hit.index).link_slots.eq(0).all()
    action = rollout.action_shares(rec, "action")
    assert len(action) == SMALL_R.n_actions and action.set_index("action").loc[a, "share"] == 1.0


def test_action_shares_count_a_hand_made_record_and_skip_unscheduled_links():
    rec = rollout.rollout(NET, rollout.constant_policy(0), n_envs=1, seed=0)
    p_max_64_56 = rollout.find_action(NET, -1, 64, 5 / 6)
    low_qpsk = rollout.find_action(NET, 0, 4, 0.5)
    action = np.full(rec.action.shape, p_max_64_56)                  # [1, 12, 20]
    action[0, :3, :5] = low_qpsk                                        # 15 link-slots at P_min, QPSK 1/2
    rrb = np.tile(np.arange(NET.n_devices), (1, NET.slots_per_episode, 1))
    rrb[0, :, -2:] = -1                                                 # 2 links never scheduled ...
    action[0, :, -2:] = low_qpsk                                        # ... and what they "play" is ignored
    rec = dataclasses.replace(rec, action=action, rrb=rrb)
    total = NET.slots_per_episode * (NET.n_devices - 2)                # 12 x 18 = 216 link-slots
    power = rollout.action_shares(rec, "power").set_index("power_index")
    assert power.link_slots.to_dict() == {0: 15, 1: 0, 2: 0, 3: total - 15}
    np.testing.assert_allclose(power.share, [15 / 216, 0, 0, 201 / 216])
    mod = rollout.action_shares(rec, "modulation").set_index("modulation_order")
    assert mod.link_slots.to_dict() == {2: 0, 4: 15, 16: 0, 64: 201}
    mcs = rollout.action_shares(rec, "mcs")
    top = mcs[(mcs.modulation_order == 64) & np.isclose(mcs.code_rate, 5 / 6)]
    assert top.share.tolist() == pytest.approx([201 / 216])


def test_action_shares_errors():
    rec = rollout.rollout(NET, rollout.constant_policy(0), n_envs=1, seed=0)
    with pytest.raises(ValueError, match="by='rate' is unknown"):
        rollout.action_shares(rec, "rate")
    with pytest.raises(TypeError, match="record must be a Rollout"):
        rollout.action_shares(rec.action, "power")
    with pytest.raises(ValueError, match="no scheduled link-slot"):
        rollout.action_shares(dataclasses.replace(rec, rrb=np.full_like(rec.rrb, -1)))
    with pytest.raises(ValueError, match="the table has 48 actions"):
        rollout.action_shares(dataclasses.replace(rec, action=np.full_like(rec.action, 48)))
