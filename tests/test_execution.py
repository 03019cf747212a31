"""execution.py: Algorithm 3's stages reproduce the environment and the policy; the timing times what it names."""

import dataclasses
import itertools

import numpy as np
import pytest

from multirat.agents import DQNPolicy
from multirat.agents.dqn import StackedQNetwork, layer_sizes
from multirat.config import DQNConfig, NetworkConfig
from multirat.env import NetworkEnv
from multirat.execution import PER_TS_STAGES, Algorithm3, time_stages


def _policy(config, seed=3):
    net = StackedQNetwork([seed], layer_sizes(DQNConfig(), config.n_actions), "tanh")
    return DQNPolicy(net.run_state(0))


@pytest.fixture
def played():
    cfg = dataclasses.replace(NetworkConfig(n_aps=3, n_devices=40, n_rrbs=10), slots_per_episode=6)
    env = NetworkEnv(cfg, mode="physical")
    obs, _ = env.reset(seed=7)
    rng = np.random.default_rng(0)
    for _ in range(3):                                       # a few TSs: average rates and history differ per link
        obs, *_ = env.step(rng.integers(0, env.n_actions, (1, cfg.n_devices)))
    return env, obs


def test_each_stage_is_what_the_environment_and_the_policy_compute(played):
    env, obs = played
    policy = _policy(env.config)
    alg = Algorithm3(env, policy)
    np.testing.assert_array_equal(alg.cluster(), env.state.serving_ap[0])
    gain = alg.collect_csi()
    np.testing.assert_allclose(gain, env.serving_gain(), rtol=1e-15)
    rrb = alg.schedule(gain)
    np.testing.assert_array_equal(rrb, env.state.rrb)         # the PF schedule the environment made for this TS
    assert 0 < (rrb >= 0).sum() < env.config.n_devices                # some links scheduled, some idle
    np.testing.assert_array_equal(alg.observe(), obs)
    np.testing.assert_array_equal(alg.decide(obs), policy.act(env, obs).actions)
    rrb2, actions = alg.decision()
    np.testing.assert_array_equal(rrb2, rrb)
    np.testing.assert_array_equal(actions, policy.act(env, obs).actions)
    assert list(alg.stages()) == list(PER_TS_STAGES)


def test_each_stage_times_only_itself(played, monkeypatch):
    env, _ = played
    alg = Algorithm3(env, _policy(env.config))
    stages = alg.stages()
    calls = []
    for name in ("collect_csi", "observe", "schedule"):
        original = getattr(alg, name)
        monkeypatch.setattr(alg, name, lambda *a, _f=original, _n=name: (calls.append(_n), _f(*a))[1])
    stages["PF scheduling"]()
    stages["DQN decision"]()
    assert calls == ["schedule"]                 # neither re-collects the CSI nor re-observes


def test_min_median_max_of_unordered_samples():
    now, costs = [0.0], itertools.cycle([7.0, 5.0, 5.0])

    def stage():
        now[0] += next(costs)

    row = time_stages({"s": stage}, repeats=3, warmup=0, clock=lambda: now[0])[0]
    assert (row["min_s"], row["median_s"], row["max_s"]) == (5.0, 5.0, 7.0)


def test_measure_names_its_rows():
    from multirat.experiments import table4

    cfg = dataclasses.replace(NetworkConfig(), slots_per_episode=1)
    rows = table4.measure(_policy(cfg), 2, 6, repeats=2, esa_fp_repeats=1, seed=0, base=cfg)
    assert [r["stage"] for r in rows] == ["clustering", *PER_TS_STAGES, "whole", "ESA-FP"]
    assert all((r["K"], r["N"]) == (2, 6) for r in rows)
    assert [r["repeats"] for r in rows] == [2] * 6 + [1]
    assert "ESA-FP" not in [r["stage"] for r in table4.measure(_policy(cfg), 2, 6, 2, 0, base=cfg)]


def test_bad_inputs():
    env = NetworkEnv(NetworkConfig(), n_envs=2)
    env.reset(seed=1)
    with pytest.raises(ValueError, match="n_envs == 1"):
        Algorithm3(env, _policy(NetworkConfig()))
    one = NetworkEnv(NetworkConfig())
    with pytest.raises(RuntimeError):
        Algorithm3(one, _policy(NetworkConfig()))
    one.reset(seed=1)
    with pytest.raises(TypeError, match="DQNPolicy"):
        Algorithm3(one, object())
    with pytest.raises(ValueError, match="repeats=0"):
        time_stages({"a": lambda: None}, repeats=0)


def test_the_timing_times_the_stages_it_names():
    # a fake clock that advances only when a stage runs: stage "a" takes 2 units, "b" 3, "c" 5 (then 7 on its
    # second timed call): each stage alone gets its own durations and the whole gets their sum
    now = [0.0]
    cost = {"a": [2.0], "b": [3.0], "c": [5.0, 7.0, 5.0]}
    calls = {k: 0 for k in cost}

    def stage(name):
        def run():
            now[0] += cost[name][calls[name] % len(cost[name])]
            calls[name] += 1
        return run

    rows = {r["stage"]: r for r in time_stages({k: stage(k) for k in cost}, repeats=3, warmup=0,
                                               clock=lambda: now[0])}
    assert list(rows) == ["a", "b", "c", "whole"]
    assert (rows["a"]["median_s"], rows["b"]["min_s"], rows["b"]["max_s"]) == (2.0, 3.0, 3.0)
    assert (rows["c"]["median_s"], rows["c"]["min_s"], rows["c"]["max_s"]) == (5.0, 5.0, 7.0)
    # in sequence, c's calls 4-6 take 5, 7, 5: the whole takes 10, 12, 10
    assert (rows["whole"]["median_s"], rows["whole"]["max_s"]) == (10.0, 12.0)
    assert all(r["repeats"] == 3 for r in rows.values())
    # warm-up calls run but are not timed
    time_stages({"a": stage("a")}, repeats=1, warmup=2, clock=lambda: now[0])
    assert calls["a"] == 3 + 3 + (2 + 1) * 2                  # alone and in "whole", both warmed up twice
