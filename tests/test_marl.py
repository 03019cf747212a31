"""marl.py: the PettingZoo ParallelEnv wrapper (PettingZoo's own API and seed tests, rollouts, errors)."""

import dataclasses

import numpy as np
import pytest
from gymnasium import spaces
from pettingzoo.test import api_test, parallel_api_test, parallel_seed_test
from pettingzoo.utils import parallel_to_aec

from multirat.config import NetworkConfig
from multirat.env import LinearDeviation, NetworkEnv
from multirat.marl import MultiRATParallelEnv

SMALL = NetworkConfig(n_aps=2, n_devices=4, slots_per_episode=10)


def test_pettingzoo_parallel_api_test():
    # 50 cycles > 10 slots: both episodes of the test run to their truncation
    parallel_api_test(MultiRATParallelEnv(SMALL), num_cycles=50)
    parallel_api_test(MultiRATParallelEnv(SMALL, mode="physical", deviation=LinearDeviation(0.9)), num_cycles=50)


def test_pettingzoo_parallel_seed_test():
    parallel_seed_test(lambda: MultiRATParallelEnv(SMALL))
    parallel_seed_test(lambda: MultiRATParallelEnv(dataclasses.replace(SMALL, n_devices=7, n_rrbs=5),
                                                   mode="physical"))


# The observation Box is unbounded on purpose (the gain feature is a log of a gain, -inf for a zero
# gain): PettingZoo's AEC api_test only warns about that; nothing else is filtered.
@pytest.mark.filterwarnings("ignore:Agent's minimum observation space value is -infinity")
@pytest.mark.filterwarnings("ignore:Agent's maximum observation space value is infinity")
def test_pettingzoo_aec_api_test_through_parallel_to_aec():
    api_test(parallel_to_aec(MultiRATParallelEnv(SMALL)), num_cycles=50)


def test_random_policy_rollout():
    cfg = dataclasses.replace(SMALL, n_devices=6, n_rrbs=4)          # N > R: two idle links per slot
    env = MultiRATParallelEnv(cfg, mode="physical")
    obs, infos = env.reset(seed=5)
    assert env.agents == env.possible_agents == [f"link_{n}" for n in range(6)]
    assert set(obs) == set(infos) == set(env.agents)
    assert sorted(info["rrb"] for info in infos.values())[2:] == [0, 1, 2, 3]
    total, steps = 0.0, 0
    while env.agents:
        for agent, o in obs.items():
            assert env.observation_space(agent).contains(o), (agent, o)
        actions = {agent: env.action_space(agent).sample() for agent in env.agents}
        obs, rewards, terminations, truncations, infos = env.step(actions)
        steps += 1
        assert set(obs) == set(rewards) == set(terminations) == set(truncations) == set(infos) \
            == set(env.possible_agents)
        common = rewards["link_0"]
        assert all(r == common for r in rewards.values())              # one common reward
        np.testing.assert_allclose(common, sum(i["rate_bits"] for i in infos.values()) / 1e3, rtol=1e-12)
        assert not any(terminations.values())
        assert all(t == (steps == cfg.slots_per_episode) for t in truncations.values())
        assert sum(i["scheduled"] for i in infos.values()) == cfg.n_rrbs
        for i in infos.values():
            assert i["scheduled"] == (i["rrb"] >= 0)
            if not i["scheduled"]:
                assert i["sinr"] == 0.0 and i["rate_bits"] == 0.0
        total += common
    assert steps == cfg.slots_per_episode and env.agents == []
    assert total > 0


@pytest.mark.parametrize("mode", ["twin", "physical"])
def test_wrapper_follows_the_core_environment(mode):
    """Same seed and actions: the wrapper's outputs are the n_envs = 1 core's, bit for bit."""
    cfg = dataclasses.replace(SMALL, n_devices=5)
    wrapped = MultiRATParallelEnv(cfg, mode=mode, deviation=LinearDeviation(0.7))
    core = NetworkEnv(cfg, mode=mode, n_envs=1, deviation=LinearDeviation(0.7))
    obs, infos = wrapped.reset(seed=13)
    core_obs, core_info = core.reset(seed=13)
    rng = np.random.default_rng(0)
    for _ in range(cfg.slots_per_episode):
        for n, agent in enumerate(wrapped.possible_agents):
            np.testing.assert_array_equal(obs[agent], core_obs[0, n])
        a = rng.integers(0, cfg.n_actions, size=(1, 5))
        obs, rewards, _, truncations, infos = wrapped.step({f"link_{n}": a[0, n] for n in range(5)})
        core_obs, reward, done, info = core.step(a)
        assert rewards["link_3"] == reward[0] and truncations["link_3"] == done
        assert [infos[f"link_{n}"]["sinr"] for n in range(5)] == list(info.sinr[0])


def test_spaces_are_cached_and_seeded_in_reset():
    env = MultiRATParallelEnv(SMALL)
    for agent in env.possible_agents:
        assert env.observation_space(agent) is env.observation_space(agent) is env.observation_spaces[agent]
        assert env.action_space(agent) is env.action_space(agent)
    box, disc = env.observation_space("link_0"), env.action_space("link_0")
    assert isinstance(box, spaces.Box) and box.shape == (6,) and box.dtype == np.float32
    assert np.all(box.low == -np.inf) and np.all(box.high == np.inf)
    assert isinstance(disc, spaces.Discrete) and disc.n == SMALL.n_actions == 48
    assert env.metadata["name"] == "multirat_v0" and env.metadata["render_modes"] == []

    def draws():
        return [[int(env.action_space(a).sample()) for _ in range(20)] for a in env.possible_agents]

    env.reset(seed=3)
    first = draws()
    env.reset(seed=3)
    assert draws() == first                                          # reset(seed) reseeds the spaces
    assert len({tuple(d) for d in first}) == len(first)              # and each agent gets its own stream
    env.reset(seed=4)
    assert draws() != first
    env.reset(seed=3)
    assert draws() == first
    env.reset()                                                      # None continues the streams
    assert draws() != first


def test_errors():
    with pytest.raises(ValueError, match="render_mode"):
        MultiRATParallelEnv(SMALL, render_mode="human")
    with pytest.raises(ValueError, match="mode="):
        MultiRATParallelEnv(SMALL, mode="digital")
    env = MultiRATParallelEnv(SMALL)
    with pytest.raises(ValueError, match="unknown agent"):
        env.action_space("link_4")
    with pytest.raises(ValueError, match="unknown agent"):
        env.observation_space(0)
    with pytest.raises(RuntimeError, match="reset"):
        env.step({a: 0 for a in env.possible_agents})
    env.reset(seed=0)
    full = {a: 0 for a in env.agents}
    with pytest.raises(ValueError, match=r"missing \['link_2'\]"):
        env.step({a: 0 for a in env.agents if a != "link_2"})
    with pytest.raises(ValueError, match=r"unknown \['link_9'\]"):
        env.step({**full, "link_9": 0})
    with pytest.raises(TypeError, match="dict"):
        env.step([0, 0, 0, 0])
    for bad in (1.5, 2.0, "1", True, None):                               # wrong types: TypeError
        with pytest.raises(TypeError, match="'link_1' must be an integer index"):
            env.step({**full, "link_1": bad})
    with pytest.raises(ValueError, match="'link_1' must be an integer index"):
        env.step({**full, "link_1": np.array([1, 2])})
    for bad in (48, -1):
        with pytest.raises(ValueError, match=r"'link_1' must be in \[0, 48\)"):
            env.step({**full, "link_1": bad})
    assert env.core.state.t == 0                                     # no invalid call advanced time
    for _ in range(SMALL.slots_per_episode):
        env.step({a: np.int64(47) for a in env.agents})
    assert env.agents == []
    with pytest.raises(RuntimeError, match="truncated"):
        env.step(full)


def test_reset_infos_and_generator_are_the_core_ones():
    cfg = dataclasses.replace(SMALL, n_devices=7, n_rrbs=5)
    env = MultiRATParallelEnv(cfg)
    obs, infos = env.reset(seed=21)
    assert env.np_random is env.core.rng
    state = env.core.state
    for n, agent in enumerate(env.possible_agents):
        assert infos[agent] == {"serving_ap": int(state.serving_ap[0, n]), "rrb": int(state.rrb[0, n])}
        np.testing.assert_array_equal(obs[agent], env.core.observe()[0, n])
    assert len({i["serving_ap"] for i in infos.values()}) == 2                  # both APs serve someone
    assert env.agents == env.possible_agents and env.agents is not env.possible_agents


def test_actions_reach_the_right_link_beyond_ten_agents():
    """Agent 'link_n' drives link n (not the n-th agent in string order: 'link_10' < 'link_2')."""
    cfg = dataclasses.replace(SMALL, n_devices=12)
    env = MultiRATParallelEnv(cfg)
    env.reset(seed=0)
    rrb_played = env.core.state.rrb[0].copy()
    _, _, _, _, infos = env.step({f"link_{n}": 3 * n for n in range(12)})
    np.testing.assert_array_equal(env.core.state.prev_action[0], [3 * n for n in range(12)])
    for n in range(12):                                                        # infos: the slot just played
        assert infos[f"link_{n}"]["rrb"] == rrb_played[n]


def test_wrapper_defaults():
    env = MultiRATParallelEnv()
    assert env.core.mode == "twin" and env.render_mode is None and env.config == NetworkConfig()
    assert env.core.n_envs == 1 and len(env.possible_agents) == 20 and env.agents == []
    assert env.core.deviation.phi == 0.4
    assert MultiRATParallelEnv(SMALL, mode="physical").core.deviation.phi == SMALL.phi


def test_observation_and_action_spaces_get_different_seeds():
    env = MultiRATParallelEnv(SMALL)
    env.reset(seed=9)
    for agent in env.possible_agents:
        a_state = env.action_space(agent).np_random.bit_generator.state["state"]
        o_state = env.observation_space(agent).np_random.bit_generator.state["state"]
        assert a_state != o_state, agent
