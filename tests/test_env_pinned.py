"""env.py: documented constants and defaults pinned, hand-built observations, and the branches the
random-drop oracle of test_env.py does not reach (partial history, |M| = |C| = 1, continuous power in
``step``, ``evaluate(physical=False)``, pf_alpha = 1, the path-loss branches, ``require_state``)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import multirat.env as env_module
from multirat import channel
from multirat.config import NetworkConfig
from multirat.env import LinearDeviation, NetworkEnv, decode_actions, power_levels_w
from test_env import (ATOL_RATE_BITS, GAIN_OFFSET_DB, GAIN_SCALE_DB, PF_INITIAL_RATE_BITS, RTOL, SINR_FLOOR_DB,
                      SINR_SCALE_DB, assert_slot_matches, oracle_slot)


def test_documented_constants():
    """Observation scaling and the PF start, as the module docstring and the Assumptions page state them."""
    assert env_module.GAIN_OFFSET_DB == -110.0 == GAIN_OFFSET_DB
    assert env_module.GAIN_SCALE_DB == 20.0 == GAIN_SCALE_DB
    assert env_module.SINR_SCALE_DB == 20.0 == SINR_SCALE_DB
    assert env_module.SINR_FLOOR_DB == -30.0 == SINR_FLOOR_DB
    assert env_module.PF_INITIAL_RATE_BITS == 1.0 == PF_INITIAL_RATE_BITS
    assert env_module.MODES == ("twin", "physical")


def test_default_deviation_and_pf_reference_power():
    assert LinearDeviation().phi == 0.4                                  # Table 1: phi = 0.4
    f_aci, f_hwi = LinearDeviation().factors(np.random.default_rng(0), (2, 3))
    np.testing.assert_array_equal(f_aci, np.full((2, 3), 1.4))
    np.testing.assert_array_equal(f_hwi, np.full((2, 3), 1.4))
    env = NetworkEnv()
    assert env.p_c_w == pytest.approx(10 ** ((5.0 - 30.0) / 10.0), rel=1e-15)   # P_c = P_min = 5 dBm
    assert env.noise_w == pytest.approx(10 ** ((-174.0 + 10 * math.log10(180e3) + 9.0 - 30.0) / 10.0), rel=1e-12)
    x = 2 * math.pi * 10.0 * 0.020                                       # rho = J0(2 pi f_d T_s), Eq. (3)
    j0 = sum((-1) ** k * (x / 2) ** (2 * k) / math.factorial(k) ** 2 for k in range(30))   # power series
    assert env.rho == pytest.approx(j0, rel=1e-12) and j0 == pytest.approx(0.64251184, abs=1e-8)
    assert env.peak_rate_bits == 5000.0
    np.testing.assert_allclose(env.acir, [10 ** 3.2734276244, 10 ** 4.1989700043], rtol=1e-9)
    assert env.mode == "twin" and env.n_envs == 1 and env.config == NetworkConfig()
    # the K = 4 APs of Fig. 4 on a 2 x 2 grid, 600 m apart (Sec. III-A-1), centred on the origin
    np.testing.assert_allclose(env.ap_xy, [[-300, -300], [300, -300], [-300, 300], [300, 300]], rtol=0, atol=1e-9)


def test_linear_deviation_limits_and_per_link_phi():
    f, _ = LinearDeviation(-1.0).factors(None, (1, 2))                    # phi = -1 is allowed: no ACI/HWI
    np.testing.assert_array_equal(f, [[0.0, 0.0]])
    f, _ = LinearDeviation(np.array([0.0, 1.0, 2.5])).factors(None, (2, 3))
    np.testing.assert_array_equal(f, [[1.0, 2.0, 3.5], [1.0, 2.0, 3.5]])
    with pytest.raises(ValueError, match="phi"):
        LinearDeviation(math.nextafter(-1.0, -2.0))


def test_physical_env_defaults_to_the_config_phi():
    """No deviation given: LinearDeviation(config.phi), not the class default 0.4."""
    cfg = NetworkConfig(n_aps=2, n_devices=6, phi=0.9)
    env = NetworkEnv(cfg, mode="physical", n_envs=2)
    assert env.deviation.phi == 0.9
    env.reset(seed=2)
    actions = np.random.default_rng(1).integers(0, cfg.n_actions, size=(2, 6))
    before = env.state.copy()
    assert_slot_matches(env, before, actions, 0.9, *env.step(actions))


def test_evaluate_physical_override_both_ways():
    cfg = NetworkConfig(n_aps=2, n_devices=8)
    phys = NetworkEnv(cfg, mode="physical", n_envs=1, deviation=LinearDeviation(2.0))
    phys.reset(seed=4)
    actions = np.full((1, 8), 40)
    want_twin = oracle_slot(cfg, phys.state.copy(), actions, None, phys.state.fading)
    want_phys = oracle_slot(cfg, phys.state.copy(), actions, 2.0, phys.state.fading)
    as_twin = phys.evaluate(actions, physical=False)
    np.testing.assert_allclose(as_twin.sinr, want_twin["sinr"], rtol=RTOL, atol=0)
    np.testing.assert_allclose(as_twin.aci_w, want_twin["aci"], rtol=RTOL, atol=0)
    np.testing.assert_allclose(phys.evaluate(actions).sinr, want_phys["sinr"], rtol=RTOL, atol=0)
    np.testing.assert_allclose(phys.evaluate(actions, physical=True).sinr, want_phys["sinr"], rtol=RTOL, atol=0)
    assert np.any(want_twin["sinr"] > want_phys["sinr"])


class _SplitDeviation:
    """A deviation model with different ACI and HWI factors (the protocol allows it)."""

    def factors(self, rng, shape):
        return np.full(shape, 2.0), np.full(shape, 5.0)


def test_aci_and_hwi_factors_apply_to_their_own_term():
    cfg = NetworkConfig(n_aps=3, n_devices=12, aci_source="any")
    env = NetworkEnv(cfg, mode="physical", n_envs=2, deviation=_SplitDeviation())
    env.reset(seed=6)
    actions = np.random.default_rng(6).integers(0, cfg.n_actions, size=(2, 12))
    twin = env.evaluate(actions, physical=False)
    phys = env.evaluate(actions)
    s = twin.scheduled
    signal = twin.power_w * twin.serving_gain
    hwi_twin = signal[s] / twin.sinr[s] - twin.aci_w[s] - env.noise_w        # Eq. (14) solved for the HWI term
    assert np.all(twin.aci_w[s] > 0) and np.all(hwi_twin > 0)
    np.testing.assert_allclose(phys.aci_w[s], 2.0 * twin.aci_w[s], rtol=1e-12)
    np.testing.assert_allclose(phys.sinr[s], signal[s] / (5.0 * hwi_twin + 2.0 * twin.aci_w[s] + env.noise_w),
                               rtol=1e-9)


# ------------------------------------------------------------------------------------------------
# Observations built by hand
# ------------------------------------------------------------------------------------------------

def _one_ap_env(n_devices=3, **kw):
    cfg = dataclasses.replace(NetworkConfig(), n_aps=1, n_devices=n_devices, **kw)
    env = NetworkEnv(cfg, n_envs=1)
    env.reset(seed=0)
    env.state.fading[:] = 1.0 + 0.0j
    return env


def test_observation_by_hand():
    env = _one_ap_env()
    s = env.state
    s.large_scale[0, 0, :] = [1e-12, 1e-8, 1e-14]                        # -120, -80, -140 dB
    s.update_gain()
    s.prev_sinr[0] = [100.0, 1e-5, 0.0]                                  # 20 dB, -50 dB (floored), idle
    s.prev_rate[0] = [2500.0, 0.0, 5000.0]                               # peak 5000 bits/frame
    s.prev_action[0] = [29, 0, 47]                                       # a = i_p 12 + i_m 3 + i_c
    obs = env.observe()
    want = [[-0.5, 1.0, 0.5, 2 / 3, 1 / 3, 1.0],                         # i_p 2, i_m 1 (QPSK), i_c 2 (5/6)
            [1.5, -1.5, 0.0, 0.0, 0.0, 0.0],
            [-1.5, -1.5, 1.0, 1.0, 1.0, 1.0]]                            # i_p 3, i_m 3 (64QAM), i_c 2
    assert obs.dtype == np.float32 and obs.shape == (1, 3, 6)
    np.testing.assert_allclose(obs[0], np.array(want, dtype=np.float32), rtol=2.4e-7, atol=1e-7)


def test_observation_with_partial_history():
    """Links without a previous action (prev_action -1) show 0 history even next to links that have one."""
    env = _one_ap_env()
    s = env.state
    s.large_scale[0, 0, :] = 1e-11                                       # -110 dB -> feature 0
    s.update_gain()
    s.prev_sinr[0] = [100.0, 10.0, 1.0]
    s.prev_rate[0] = [0.0, 1000.0, 0.0]
    s.prev_action[0] = [-1, 5, 7]                                        # 5: i_p 0, i_m 1, i_c 2; 7: i_m 2, i_c 1
    obs = env.observe()[0]
    np.testing.assert_allclose(obs[0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0], atol=1e-7)
    np.testing.assert_allclose(obs[1], [0.0, 0.5, 0.2, 0.0, 1 / 3, 1.0], rtol=2.4e-7, atol=1e-7)
    np.testing.assert_allclose(obs[2], [0.0, 0.0, 0.0, 0.0, 2 / 3, 0.5], rtol=2.4e-7, atol=1e-7)


def test_first_slot_has_zero_history_and_last_slot_is_done_exactly_at_t():
    cfg = NetworkConfig(n_aps=2, n_devices=5, slots_per_episode=3)
    env = NetworkEnv(cfg, n_envs=2)
    obs, _ = env.reset(seed=8)
    assert np.all(obs[..., 1:] == 0) and np.all(obs[..., 0] != 0)
    dones = [env.step(np.full((2, 5), 0))[2] for _ in range(3)]
    assert dones == [False, False, True] and env.state.t == 3
    with pytest.raises(RuntimeError, match="episode is over"):
        env.step(np.full((2, 5), 0))
    one = NetworkEnv(dataclasses.replace(cfg, slots_per_episode=1))   # T = 1: the first slot is the last
    one.reset(seed=0)
    assert one.step(np.zeros((1, 5), dtype=int))[2] is True


def test_single_modulation_and_code_rate_give_zero_index_features():
    """|M| = |C| = 1: the index features are 0 (the divisor max(|.|-1, 1) avoids 0/0)."""
    cfg = NetworkConfig(n_aps=1, n_devices=2, modulation_orders=(4,), code_rates=(0.5,), d_free=(10,),
                        n_power_levels=2)
    assert cfg.n_actions == 2
    env = NetworkEnv(cfg)
    env.reset(seed=0)
    obs = env.step(np.array([[0, 1]]))[0]
    np.testing.assert_array_equal(obs[0, :, 3], [0.0, 1.0])
    np.testing.assert_array_equal(obs[0, :, 4:], 0.0)
    dec = decode_actions(np.array([0, 1]), cfg)
    np.testing.assert_array_equal(dec["modulation_order"], [4, 4])
    np.testing.assert_allclose(dec["power_w"], [10 ** -2.5, 1.0], rtol=1e-15)   # eq25 with |P| = 2: {P_min, P_max}


# ------------------------------------------------------------------------------------------------
# Power grids and actions, by hand
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("grid, expected_w", [
    ("eq25", [10 ** -2.5, 1 / 3, 2 / 3, 1.0]),                                       # Eq. (25) as printed
    ("linear", [10 ** -2.5, 10 ** -2.5 + (1 - 10 ** -2.5) / 3, 10 ** -2.5 + 2 * (1 - 10 ** -2.5) / 3, 1.0]),
    ("db", [10 ** -2.5, 10 ** ((5 + 25 / 3 - 30) / 10), 10 ** ((5 + 50 / 3 - 30) / 10), 1.0]),   # 5 .. 30 dBm
])
def test_power_levels_by_hand(grid, expected_w):
    np.testing.assert_allclose(power_levels_w(NetworkConfig(power_grid=grid)), expected_w, rtol=1e-14)


def test_decode_actions_rejects_out_of_range_indices():
    cfg = NetworkConfig()
    for bad in (np.array([48]), np.array([-1]), np.array([0.5])):
        with pytest.raises(ValueError, match="actions"):
            decode_actions(bad, cfg)
    dec = decode_actions(np.array([[0, 47], [12, 13]]), cfg)
    np.testing.assert_array_equal(dec["power_index"], [[0, 3], [1, 1]])
    np.testing.assert_array_equal(dec["modulation_order"], [[2, 64], [2, 2]])
    np.testing.assert_allclose(dec["code_rate"], [[0.5, 5 / 6], [0.5, 0.75]])
    np.testing.assert_array_equal(dec["d_free"], [[10, 4], [10, 5]])


# ------------------------------------------------------------------------------------------------
# Continuous power (the ESA-FP override) in evaluate and step
# ------------------------------------------------------------------------------------------------

@pytest.fixture
def crowded():
    """N > R: two idle links per network."""
    env = NetworkEnv(NetworkConfig(n_aps=2, n_devices=6, n_rrbs=4), n_envs=2)
    env.reset(seed=5)
    return env


def test_step_uses_the_continuous_power_and_records_the_action(crowded):
    env = crowded
    actions = np.full((2, 6), 13)                                         # power index 1, QPSK 3/4
    power = np.full((2, 6), 0.05)
    before = env.state.copy()
    expected = env.evaluate(actions, power_w=power)
    env.state = before.copy()
    env.state.update_gain()
    discrete = env.evaluate(actions)
    env.state = before.copy()
    env.state.update_gain()
    obs, reward, _, info = env.step(actions, power_w=power)
    np.testing.assert_array_equal(info.sinr, expected.sinr)
    np.testing.assert_array_equal(reward, expected.sum_rate_kbits)
    assert not np.allclose(info.sinr[info.scheduled], discrete.sinr[discrete.scheduled])
    # unscheduled links stay silent whatever power_w says
    np.testing.assert_array_equal(info.power_w, np.where(info.scheduled, 0.05, 0.0))
    assert np.all(info.sinr[~info.scheduled] == 0) and np.all(info.aci_w[~info.scheduled] == 0)
    # the observation keeps the action's power index (1/3), not the continuous power; an unscheduled link
    # played no action: no history at all (as at the first TS), not the action it was handed
    sched = before.rrb >= 0
    assert sched.any() and (~sched).any()
    np.testing.assert_allclose(obs[..., 3][sched], 1 / 3, rtol=1e-6)
    np.testing.assert_array_equal(obs[..., 1:][~sched], 0.0)
    np.testing.assert_array_equal(env.state.prev_action, np.where(sched, actions, -1))


def test_continuous_power_limits(crowded):
    env = crowded
    actions = np.zeros((2, 6), dtype=int)
    p_min, p_max = 10 ** -2.5, 1.0
    for ok in (p_min, p_max, p_min * (1 - 1e-13), p_max * (1 + 1e-13)):   # C1, with a rounding tolerance
        env.evaluate(actions, power_w=np.full((2, 6), ok))
    for bad in (p_min * (1 - 1e-9), p_max * (1 + 1e-9), np.nan, np.inf, 0.0):
        with pytest.raises(ValueError, match="power_w"):
            env.evaluate(actions, power_w=np.full((2, 6), bad))
    with pytest.raises(ValueError, match="power_w"):
        env.step(actions, power_w=np.full((2, 6), np.nan))
    assert env.state.t == 0


# ------------------------------------------------------------------------------------------------
# PF average rate at pf_alpha = 1 (the rate of the last TS) and its floor
# ------------------------------------------------------------------------------------------------

def test_pf_alpha_one_floors_the_average_rate_of_idle_links():
    """pf_alpha = 1: the average is the last TS's rate; idle links (rate 0) keep a positive average, so
    the PF weight 1/R stays finite (zero-gain idle links here: metric exactly 0, no 0/0)."""
    cfg = NetworkConfig(n_aps=1, n_devices=4, n_rrbs=2, pf_alpha=1.0, doppler_hz=0.0)
    env = NetworkEnv(cfg)
    env.reset(seed=1)
    env.state.rrb[0] = [0, 1, -1, -1]
    env.state.large_scale[0, 0, 2:] = 0.0
    env.state.update_gain()
    with np.errstate(divide="ignore"):                                    # log10 of the zero gains in observe()
        _, _, _, info = env.step(np.zeros((1, 4), dtype=int))
    avg = env.state.average_rate[0]
    np.testing.assert_array_equal(avg[:2], info.rate_bits[0, :2])         # alpha = 1: exactly the last rate
    assert np.all(avg[2:] > 0) and np.all(avg[2:] <= 1e-300)
    np.testing.assert_array_equal(env.state.rrb[0, 2:], [-1, -1])         # zero gain: never preferred


def test_pf_alpha_one_ranks_starving_devices_by_channel():
    # the PF average rate is floored at 1e-300 (not the smallest normal float), so the metric
    # log2(1 + SNR) / R of a starving device stays finite and starving devices are ranked by channel
    assert env_module.PF_RATE_FLOOR_BITS == 1e-300
    cfg = NetworkConfig(n_aps=1, n_devices=4, n_rrbs=2, pf_alpha=1.0, doppler_hz=0.0)
    env = NetworkEnv(cfg)
    env.reset(seed=1)
    env.state.rrb[0] = [0, 1, -1, -1]
    env.state.large_scale[0, 0, :] = [1e-9, 1e-9, 1e-10, 1e-8]          # idle device 3 has the best channel
    env.state.update_gain()
    env.step(np.zeros((1, 4), dtype=int))
    assert np.all(np.isfinite(env.state.average_rate))
    np.testing.assert_array_equal(env.state.rrb[0], [-1, -1, 1, 0])


# ------------------------------------------------------------------------------------------------
# Reset: each path-loss branch and the placement of the first schedule
# ------------------------------------------------------------------------------------------------

#: Non-default propagation parameters, so that a parameter the environment fails to pass on shows up
#: (the breakpoint distance 4 (h_AP - 1)(h_UT - 1) f_c / c falls inside the cells: 4 * 11 * 1.5 * 3.5e9 / 2.9e8)
PROPAGATION = dict(fc_hz=3.5e9, h_ap_m=12.0, h_ut_m=2.5, speed_of_light_m_s=2.9e8, ap_spacing_m=500.0,
                   coverage_radius_m=250.0)


def _large_scale_db(model, seed=3, shadowing_std_db=0.0):
    cfg = NetworkConfig(n_devices=40, shadowing_std_db=shadowing_std_db, path_loss_model=model, **PROPAGATION)
    env = NetworkEnv(cfg, n_envs=2)
    env.reset(seed=seed)
    d2d = np.linalg.norm(env.state.device_xy[:, None, :, :] - env.ap_xy[None, :, None, :], axis=-1)   # [B, K, N]
    assert d2d.max() > 4 * 11 * 1.5 * 3.5e9 / 2.9e8                            # beyond the breakpoint
    return cfg, d2d, -10 * np.log10(env.state.large_scale)


def test_path_loss_branches():
    args, kw = (3.5e9, 12.0, 2.5), {"c_m_s": 2.9e8}
    cfg, d2d, pl = _large_scale_db("eq4")
    np.testing.assert_allclose(pl, channel.umi_path_loss_db(d2d, *args, **kw), rtol=1e-12)
    cfg, d2d, pl = _large_scale_db("linear_average")
    np.testing.assert_allclose(pl, channel.umi_path_loss_linear_average_db(d2d, *args, **kw), rtol=1e-12)
    cfg, d2d, pl = _large_scale_db("random_los")
    los, nlos = channel.umi_los_path_loss_db(d2d, *args, **kw), channel.umi_nlos_path_loss_db(d2d, *args, **kw)
    is_los = np.isclose(pl, los, rtol=1e-12, atol=0)
    is_nlos = np.isclose(pl, nlos, rtol=1e-12, atol=0)
    assert np.all(is_los | is_nlos)                                       # each pair is LoS or NLoS ...
    assert np.any(is_los & ~is_nlos) and np.any(is_nlos & ~is_los)        # ... both occur
    assert not np.allclose(pl, channel.umi_path_loss_db(d2d, *args, **kw))


def test_shadowing_has_the_configured_spread():
    """beta = 10^(-(PL + X)/10) with X ~ N(0, sigma_s^2) independent per AP-device pair."""
    cfg, d2d, pl = _large_scale_db("eq4", seed=5, shadowing_std_db=8.0)
    x = (pl - channel.umi_path_loss_db(d2d, 3.5e9, 12.0, 2.5, c_m_s=2.9e8)).ravel()      # 2 x 4 x 40 = 320
    assert abs(x.mean()) < 4 * 8.0 / np.sqrt(x.size)
    assert 0.85 * 8.0 < x.std(ddof=1) < 1.15 * 8.0


def test_environment_geometry_follows_the_config():
    env = NetworkEnv(NetworkConfig(n_devices=200, **PROPAGATION), n_envs=1)
    np.testing.assert_allclose(env.ap_xy, [[-250, -250], [250, -250], [-250, 250], [250, 250]], rtol=0, atol=1e-9)
    env.reset(seed=0)
    r = np.linalg.norm(env.state.device_xy[0] - env.ap_xy[env.state.serving_ap[0]], axis=-1)
    assert r.max() <= 250.0 + 1e-9 and r.min() >= 30.0
    assert r.max() > 240.0                                                     # the coverage, not the default 300 m


def test_first_schedule_uses_the_placement():
    cfg = NetworkConfig(n_aps=2, n_devices=4, n_rrbs=12, rrb_placement="spread")
    env = NetworkEnv(cfg, n_envs=3)
    _, info = env.reset(seed=0)
    np.testing.assert_array_equal(np.sort(info["rrb"], axis=-1), np.tile([0, 3, 6, 9], (3, 1)))
    env = NetworkEnv(dataclasses.replace(cfg, rrb_placement="contiguous"), n_envs=3)
    np.testing.assert_array_equal(np.sort(env.reset(seed=0)[1]["rrb"], axis=-1), np.tile([0, 1, 2, 3], (3, 1)))


# ------------------------------------------------------------------------------------------------
# State copies and returned arrays do not alias
# ------------------------------------------------------------------------------------------------

def test_state_copy_is_deep_and_step_outputs_do_not_alias_the_state():
    env = NetworkEnv(NetworkConfig(n_aps=2, n_devices=5), n_envs=1)
    env.reset(seed=0)
    snap = env.state.copy()
    for f in dataclasses.fields(snap):
        value = getattr(snap, f.name)
        if isinstance(value, np.ndarray) and f.name != "gain":
            assert not np.shares_memory(value, getattr(env.state, f.name)), f.name
    _, _, _, info = env.step(np.full((1, 5), 3))
    prev = (env.state.prev_sinr.copy(), env.state.prev_rate.copy(), env.state.prev_action.copy())
    info.sinr[:] = -1.0
    info.rate_bits[:] = -1.0
    np.testing.assert_array_equal(env.state.prev_sinr, prev[0])
    np.testing.assert_array_equal(env.state.prev_rate, prev[1])
    np.testing.assert_array_equal(env.state.prev_action, prev[2])


def test_require_state():
    require_state = getattr(env_module, "require_state", None)
    if require_state is None:
        pytest.skip("require_state is not in this version of env.py")
    env = NetworkEnv(NetworkConfig(n_devices=3))
    with pytest.raises(RuntimeError, match="reset"):
        require_state(env)
    env.reset(seed=0)
    assert require_state(env) is env.state
    with pytest.raises(TypeError, match="NetworkEnv"):
        require_state(object())
    with pytest.raises(TypeError, match="NetworkEnv"):
        require_state(None)


def test_oracle_matches_with_rate_tolerance_constants():
    """The oracle's tolerances are the ones test_env.py documents (a guard against loosening them)."""
    assert RTOL == 1e-9 and ATOL_RATE_BITS == 1e-300
