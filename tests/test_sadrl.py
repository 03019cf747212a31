"""agents/sadrl.py: the centralized agent's joint action and state (Sec. VI-E)."""

import itertools

import numpy as np
import pytest

from multirat.actions import decode_actions
from multirat.agents.dqn import StackedQNetwork
from multirat.agents.sadrl import (MAX_JOINT_ACTIONS, centralized_states, decode_joint_actions,
                                   encode_joint_actions, joint_action_count, sadrl_cost, sadrl_layer_sizes)
from multirat.config import DQNConfig, NetworkConfig

HALF_RATE = NetworkConfig(code_rates=(0.5,), d_free=(10,))        # Sec. VI-E: the code rate fixed at 1/2


def test_the_papers_joint_action_counts():
    assert HALF_RATE.n_actions == 16                                 # |M| x |P| = 4 x 4
    assert joint_action_count(3, HALF_RATE.n_actions) == 4096        # Sec. VI-E-1
    assert joint_action_count(5, HALF_RATE.n_actions) == 1_048_576   # Sec. VI-E-2
    assert joint_action_count(1, 16) == 16


@pytest.mark.parametrize("n_links", [1, 2, 3, 4, 5])
def test_joint_actions_round_trip_against_numpy_ravel(n_links):
    base = 16
    rng = np.random.default_rng(n_links)
    if n_links <= 3:                                                 # every joint action
        actions = np.array(list(itertools.product(range(base), repeat=n_links)), dtype=np.int64)
    else:
        actions = rng.integers(0, base, (5000, n_links))
        actions[0], actions[1] = 0, base - 1                         # the two ends of the range
    joint = encode_joint_actions(actions, base)
    expected = np.ravel_multi_index(tuple(actions.T), (base,) * n_links)      # C order: link 0 most significant
    np.testing.assert_array_equal(joint, expected)
    np.testing.assert_array_equal(decode_joint_actions(joint, n_links, base), actions)
    np.testing.assert_array_equal(decode_joint_actions(expected, n_links, base),
                                  np.stack(np.unravel_index(expected, (base,) * n_links), axis=-1))
    if n_links <= 3:
        np.testing.assert_array_equal(np.sort(joint), np.arange(base**n_links))   # a bijection


def test_a_small_case_by_hand_and_the_links_settings():
    assert encode_joint_actions(np.array([1, 2]), 16) == 18                   # 1 x 16 + 2
    assert encode_joint_actions(np.array([[0, 0, 1], [15, 15, 15]]), 16).tolist() == [1, 4095]
    per_link = decode_joint_actions(np.array(18), 2, 16)
    assert per_link.tolist() == [1, 2]
    settings = decode_actions(per_link, HALF_RATE)                            # what each link plays
    assert np.all(settings["code_rate"] == 0.5)
    every = decode_actions(decode_joint_actions(np.arange(16**2), 2, 16), HALF_RATE)
    pairs = {(m, p) for m, p in zip(every["modulation_order"][:, 1], every["power_index"][:, 1])}
    assert len(pairs) == 16                                                   # link 1 sweeps every (m, p)


def test_bad_joint_actions_raise():
    with pytest.raises(ValueError, match=r"lie in \[0, 16\)"):
        encode_joint_actions(np.array([0, 16]), 16)
    with pytest.raises(ValueError, match="integer"):
        encode_joint_actions(np.array([0.0, 1.0]), 16)
    with pytest.raises(ValueError, match=r"\[0, 256\)"):
        decode_joint_actions(np.array([256]), 2, 16)
    with pytest.raises(ValueError, match=r"\[0, 256\)"):
        decode_joint_actions(np.array([-1]), 2, 16)
    with pytest.raises(ValueError, match="2\\^62"):
        joint_action_count(16, 16)                                            # 2^64
    assert joint_action_count(31, 4) == MAX_JOINT_ACTIONS                     # exactly the limit
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="positive integer"):
            joint_action_count(bad, 16)


def test_the_centralized_state_is_the_links_states_in_order():
    states = np.arange(2 * 3 * 6, dtype=np.float32).reshape(2, 3, 6)
    flat = centralized_states(states)
    assert flat.shape == (2, 1, 18)
    for r in range(2):
        for n in range(3):
            np.testing.assert_array_equal(flat[r, 0, 6 * n:6 * n + 6], states[r, n])
    with pytest.raises(ValueError, match=r"\[R, N, 6\]"):
        centralized_states(states[0])
    with pytest.raises(ValueError, match=r"\[R, N, 6\]"):
        centralized_states(np.zeros((2, 3, 5)))


def test_the_network_and_its_cost():
    dqn = DQNConfig()
    assert sadrl_layer_sizes(dqn, 3, 16) == (18, 64, 128, 4096)
    assert sadrl_layer_sizes(dqn, 1, 48) == (6, 64, 128, 48)                  # N = 1: the MADRL network
    madrl = sadrl_cost((6, 64, 128, 48), 64)
    assert madrl["parameters"] == 384 + 64 + 8192 + 128 + 6144 + 48          # 14 960
    sizes = sadrl_layer_sizes(dqn, 3, 16)
    cost = sadrl_cost(sizes, 64)
    assert cost["parameters"] == sum(p.numel() for p in StackedQNetwork([0], sizes).parameters()) == 537_920
    assert cost["weights_bytes"] == 4 * 537_920
    assert cost["training_bytes"] == 4 * (4 * 537_920 + 3 * 64 * (64 + 128 + 4096))
    with pytest.raises(ValueError, match="input and an output"):
        sadrl_cost((6,), 64)
    with pytest.raises(ValueError, match="batch_size"):
        sadrl_cost((6, 48), 0)


def test_step_flops_by_hand():
    from multirat.agents.sadrl import ASSUMED_GPU_FLOPS, step_flops

    assert ASSUMED_GPU_FLOPS == 10e12                                     # chapter 9's stated assumption

    # MADRL's network 6-64-128-16 on a batch of 64: 4 passes x 2 flops x 64 x (384 + 8192 + 2048) multiply-adds
    assert step_flops((6, 64, 128, 16), 64) == 4 * 2 * 64 * (6 * 64 + 64 * 128 + 128 * 16) == 5_439_488
    # SADRL at N = 5: the output layer, 128 x 16^5, is almost all of it
    n5 = step_flops(sadrl_layer_sizes(DQNConfig(), 5, 16), 64)
    assert n5 == 4 * 2 * 64 * (30 * 64 + 64 * 128 + 128 * 16**5)
    assert 68.7e9 < n5 < 68.8e9
    assert step_flops((6, 48), 1) == 4 * 2 * 6 * 48
    with pytest.raises(ValueError, match="input and an output"):
        step_flops((6,), 64)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        step_flops((6, 48), 0)


def test_the_benchmark_cases_decide_and_learn():
    from multirat import bench

    cases = bench.sadrl_cases(n_links=(1, 2))
    assert {k: c["sizes"] for k, c in cases.items()} == {
        ("MADRL", 1): (6, 64, 128, 16), ("MADRL", 2): (6, 64, 128, 16),
        ("SADRL", 1): (6, 64, 128, 16), ("SADRL", 2): (12, 64, 128, 256),
        ("factored", 1): (6, 64, 128, 16), ("factored", 2): (12, 64, 128, 32)}
    for (agent, n), case in cases.items():
        decided = case["decide"]()
        # one joint action, one per link from its own state, or one per link from its head
        assert decided.shape == {"SADRL": (1, 1), "MADRL": (1, n), "factored": (1, 1, n)}[agent]
        assert 0 <= int(decided.min()) and int(decided.max()) < (16 if agent != "SADRL" else 16**n)
        w = case["step"].__defaults__[0].weights[-1].detach().clone()          # the online network
        case["step"]()
        assert not np.array_equal(w, case["step"].__defaults__[0].weights[-1].detach())
        assert case["cost"] == sadrl_cost(case["sizes"], DQNConfig().batch_size)


# --- the centralized agent in Algorithm 2 (multirat.training) ------------------------------------------------

def _spec(seed, n_aps, n_devices, agent, episodes=3, **training):
    import dataclasses

    from multirat.config import TrainingConfig
    from multirat.training import RunSpec

    net = dataclasses.replace(HALF_RATE, n_aps=n_aps, n_devices=n_devices, slots_per_episode=6)
    return RunSpec(seed=seed, network=net, training=TrainingConfig(episodes=episodes, z_k=2, eval_drops=2, **training),
                   dqn=DQNConfig(agent=agent, batch_size=4, replay_size=50))


def test_with_one_link_the_centralized_agent_is_the_shared_dqn():
    # N = 1: the same state, the same 16 actions, the same single experience per TS (the link is always scheduled),
    # so training must agree to the last bit: weights, curves and held-out evaluations
    from multirat.training import Trainer

    results = [Trainer([_spec(5, 1, 1, agent)], eval_every=1).train(progress=False) for agent in ("shared", "centralized")]
    shared, central = results
    for a, b in zip(shared.models[0]["weights"], central.models[0]["weights"]):
        assert torch_equal(a, b)
    np.testing.assert_array_equal(shared.evaluations.throughput_kbits, central.evaluations.throughput_kbits)
    np.testing.assert_array_equal(shared.curves.reward_kbits, central.curves.reward_kbits)
    assert central.curves.replay_size.iloc[-1] == 3 * 6                       # one experience per TS


def torch_equal(a, b) -> bool:
    return bool((a == b).all())


def test_the_centralized_agent_trains_on_joint_actions_alone_or_batched():
    from multirat.agents import CentralizedPolicy
    from multirat.training import Trainer

    specs = [_spec(7, 2, 3, "centralized"), _spec(8, 2, 3, "centralized", scenario="dt_only")]
    together = Trainer(specs, eval_every=1)
    assert together.online.sizes == (18, 64, 128, 4096) and together.replay.obs.shape[-1] == 18
    both = together.train(progress=False)
    assert set(both.curves.replay_size[both.curves.episode == 3]) == {3 * 6}         # one experience per TS
    alone = Trainer([specs[1]], eval_every=1).train(progress=False)
    np.testing.assert_array_equal(alone.evaluations.throughput_kbits,
                                  both.evaluations[both.evaluations.run == 1].throughput_kbits)
    policy = together.policy(0)
    assert isinstance(policy, CentralizedPolicy)
    # the policy's decision is the argmax joint action of the concatenated state, decoded link by link
    from multirat.env import NetworkEnv

    env = NetworkEnv(specs[0].network, mode="physical", n_envs=2)
    obs, _ = env.reset(seed=3)
    joint = np.argmax(policy.q_values(centralized_states(obs)), axis=-1)[:, 0]
    np.testing.assert_array_equal(policy.act(env, obs).actions, decode_joint_actions(joint, 3, 16))
    with pytest.raises(ValueError, match="4096 joint actions"):
        policy.act(NetworkEnv(_spec(7, 2, 2, "centralized").network, n_envs=1), obs[:1, :2])


def test_the_trainer_feeds_the_network_and_the_memory_the_links_states_in_link_order(monkeypatch):
    # end to end: what the environment returns, [R, N, 6], recorded as the trainer plays one episode, against what
    # the centralized Q-network is fed to decide and what the replay memory stores, both [R, 1, 6N]
    from multirat.env import NetworkEnv
    from multirat.training import Trainer

    seen = []
    reset, step = NetworkEnv.reset, NetworkEnv.step

    def recording_reset(self, *a, **k):
        obs, info = reset(self, *a, **k)
        seen.append(np.array(obs))
        return obs, info

    def recording_step(self, *a, **k):
        out = step(self, *a, **k)
        seen.append(np.array(out[0]))
        return out

    trainer = Trainer([_spec(7, 2, 3, "centralized", episodes=2)])
    fed, forward = [], trainer.online.forward
    monkeypatch.setattr(trainer.online, "forward", lambda x: fed.append(x.clone()) or forward(x))
    monkeypatch.setattr(NetworkEnv, "reset", recording_reset)
    monkeypatch.setattr(NetworkEnv, "step", recording_step)
    trainer.run_episode()
    slots = trainer.slots
    assert len(seen) == slots + 1 and all(o.shape == (1, 3, 6) for o in seen)
    by_hand = [np.concatenate([o[0, 0], o[0, 1], o[0, 2]]) for o in seen]     # link 1, link 2, link 3
    decisions = [x for x in fed if x.shape == (1, 1, 18)]
    assert len(decisions) == slots
    for t in range(slots):
        np.testing.assert_array_equal(decisions[t][0, 0].numpy(), by_hand[t])
        np.testing.assert_array_equal(trainer.replay.obs[0, t], by_hand[t])
        np.testing.assert_array_equal(trainer.replay.next_obs[0, t], by_hand[t + 1])
    assert trainer.replay.size[0] == slots                                    # one experience per TS


def test_a_centralized_run_whose_joint_space_cannot_be_indexed_is_refused():
    with pytest.raises(ValueError, match="dqn.agent='centralized' with n_devices=20"):
        _spec(1, 4, 20, "centralized")


# --- experiment fig6ab (chapter 9) ---------------------------------------------------------------------------

def test_the_fig6ab_run_matrix():
    from multirat.experiments import fig6ab
    from multirat.experiments._training import batches

    assert fig6ab.SIZES["paper"] == ((1, 2), (2, 3), (2, 4), (2, 5)) and fig6ab.SADRL_MAX_LINKS["paper"] == 3
    specs = fig6ab.run_specs("paper")
    assert len(specs) == 5 * (4 + 2)
    conds = {(c["agent"], c["K"], c["N"]) for _, c, _ in specs}
    assert conds == {("MADRL", k, n) for k, n in fig6ab.SIZES["paper"]} | {("SADRL", 1, 2), ("SADRL", 2, 3)}
    for name, cond, spec in specs:
        net, tr = spec.network, spec.training
        assert net.code_rates == (0.5,) and net.d_free == (10,) and net.n_actions == 16        # Sec. VI-E
        assert (net.n_aps, net.n_devices) == (cond["K"], cond["N"]) and net.phi == 0.4
        assert tr.scenario == "proposed" and tr.z_k == 100 and tr.episodes == 2000
        assert spec.dqn.agent == fig6ab.AGENTS[cond["agent"]] and name.startswith(cond["agent"])
    assert specs[0][1] == {"agent": "SADRL", "K": 2, "N": 3}                    # the costliest runs first
    # SADRL's 5 runs at N = 3 go to the two workers as 3 + 2 (its step costs R times one run's)
    work = batches(specs, 2, None, 1)
    assert [len(b) for b in work[:2]] == [3, 2] and all(n.startswith("SADRL_K2_N3") for n in work[0] + work[1])
    assert [len(b) for b in batches(specs, 2)] == [5] * 6                     # the default keeps groups whole


def test_the_half_rate_network():
    from multirat.experiments.fig6ab import half_rate_network

    net = half_rate_network(2, 5)
    assert (net.n_aps, net.n_devices, net.code_rates, net.d_free) == (2, 5, (0.5,), (10,))
    assert net.modulation_orders == NetworkConfig().modulation_orders and net.n_power_levels == 4
    with pytest.raises(ValueError, match="no rate 1/2"):
        half_rate_network(1, 2, NetworkConfig(code_rates=(0.75,), d_free=(6,)))


def test_the_fig6ab_smoke_experiment_computes_stores_and_loads(tmp_path, monkeypatch):
    import pandas as pd

    from multirat import results
    from multirat.experiments import fig6ab, fig6ab_baselines, fig6ab_curves

    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    monkeypatch.setenv(results.MODE_ENV, "auto")
    ev = fig6ab.run("smoke", progress=False, n_workers=1)
    assert set(ev.agent) == {"MADRL", "SADRL"} and set(ev.episode) == {0, 2, 4}
    assert list(ev.columns[:5]) == ["run", "agent", "K", "N", "seed"]
    cur = fig6ab_curves.run("smoke", mode="cache_only")                       # stored with the evaluations
    assert set(cur.run) == set(ev.run) and {"reward_kbits", "agent", "N"} <= set(cur.columns)
    saved = sorted(p.stem for p in (tmp_path / "models" / "fig6ab" / "smoke").iterdir())
    assert saved == sorted(set(ev.run))           # at N = 2 every model, SADRL's too, is under the 1 MB limit
    pd.testing.assert_frame_equal(fig6ab.run("smoke", mode="cache_only"), ev, check_dtype=False)
    base = fig6ab_baselines.run("smoke")
    assert list(base.policy) == list(fig6ab_baselines.SCHEMES) and set(base.N) == {2}
    esa = base.set_index("policy").mean_kbits
    assert esa["ESA"] >= esa["genie MCS at P_max"] - 1e-9 and esa["ESA"] > esa["RA"]   # the optimum of the set


def test_models_over_one_megabyte_are_not_kept():
    import torch

    from multirat.agents.sadrl import sadrl_layer_sizes
    from multirat.config import DQNConfig
    from multirat.experiments import fig6ab

    assert fig6ab.MODEL_LIMIT_BYTES == 1_000_000                                 # issue 17's budget
    def state(sizes):                        # a run's state: the network's weights and biases, float32
        return {"sizes": sizes, "activation": "tanh", "weights": [torch.zeros(b, a) for a, b in zip(sizes, sizes[1:])],
                "biases": [torch.zeros(b) for b in sizes[1:]]}

    sizes = {n: sadrl_layer_sizes(DQNConfig(), n, 16) for n in (2, 3)}
    by_hand = {n: 4 * sum(a * b + b for a, b in zip(s, s[1:])) for n, s in sizes.items()}
    assert by_hand[2] == 4 * (12 * 64 + 64 + 64 * 128 + 128 + 128 * 256 + 256)
    models = {f"SADRL_N{n}": (state(s), {}) for n, s in sizes.items()}
    assert {n: fig6ab.model_bytes(models[f"SADRL_N{n}"][0]) for n in sizes} == by_hand
    assert by_hand[2] < 1_000_000 < by_hand[3]
    assert list(fig6ab.kept_models(models)) == ["SADRL_N2"]
    assert list(fig6ab.kept_models(models, limit_bytes=by_hand[3])) == ["SADRL_N2", "SADRL_N3"]   # at the limit
    assert list(fig6ab.kept_models(models, limit_bytes=by_hand[2] - 1)) == []


def test_the_memory_measurement_builds_only_the_agent_asked_for_and_converts_kib(monkeypatch):
    from multirat import bench

    assert list(bench.sadrl_cases((2,), agents=("factored",))) == [("factored", 2)]
    calls, peaks = [], iter([1000, 1977])                          # KiB before and after the step
    real = bench.sadrl_cases

    def recording(n_links, seed=0, agents=bench.SADRL_AGENTS):
        calls.append((tuple(n_links), seed, tuple(agents)))
        return {(agents[0], n_links[0]): real((1,), seed, agents)[agents[0], 1]}    # small: the step is not tested

    monkeypatch.setattr(bench, "sadrl_cases", recording)
    monkeypatch.setattr(bench, "_peak_resident_kib", lambda: next(peaks))
    assert bench._step_peak_rss_mb("MADRL", 5, 3) == pytest.approx(977 * 1024 / 1e6)
    assert calls == [((5,), 3, ("MADRL",))]           # MADRL at N = 5 alone, not SADRL's 3 GB network beside it


def test_sadrl_cost_measures_memory_at_the_threshold_and_only_there(tmp_path, monkeypatch):
    from multirat import bench, results
    from multirat.agents.sadrl import sadrl_cost as sadrl_cost_fn
    from multirat.experiments import sadrl_cost

    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    top = sadrl_cost_fn(sadrl_layer_sizes(DQNConfig(), 2, 16), DQNConfig().batch_size)["training_bytes"] / 1e6
    monkeypatch.setattr(sadrl_cost, "MEASURE_MEMORY_FROM_MB", top)            # SADRL at N = 2 exactly at it
    monkeypatch.setattr(bench, "step_memory_mb", lambda agent, n, seed=0: 1000.0 * n + len(agent))
    t = sadrl_cost.run("smoke", mode="off").set_index(["agent", "N"])
    assert t.loc[("SADRL", 2), "training_mb"] == top
    assert t.loc[("SADRL", 2), "training_mb_measured"] == 2005.0             # its own N and agent
    assert t.drop(index=[("SADRL", 2)]).training_mb_measured.isna().all()


def test_the_sadrl_cost_smoke_table(tmp_path, monkeypatch):
    from multirat import results
    from multirat.experiments import sadrl_cost

    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    monkeypatch.setenv(results.MODE_ENV, "auto")
    assert sadrl_cost.LINKS["paper"] == (1, 2, 3, 4, 5)
    t = sadrl_cost.run("smoke").set_index(["agent", "N"])
    assert list(t.index) == [("MADRL", 1), ("MADRL", 2), ("SADRL", 1), ("SADRL", 2), ("factored", 1), ("factored", 2)]
    assert list(t.actions) == [16, 16, 16, 256, 16, 32]
    assert t.loc[("factored", 2), "parameters"] == 12 * 64 + 64 + 8320 + 128 * 32 + 32 and t.loc[("SADRL", 2), "parameters"] == 12 * 64 + 64 + 8320 + 128 * 256 + 256
    # measured times: only what holds whatever they are (they are a measurement of this machine)
    assert (t.decide_ms > 0).all() and (t.step_ms > 0).all()
    assert t.loc[("MADRL", 1), "parameters"] == t.loc[("SADRL", 1), "parameters"] == t.loc[("factored", 1), "parameters"]
    assert sadrl_cost.MEASURE_MEMORY_FROM_MB == 10.0 and (t.training_mb < 10).all()
    assert t.training_mb_measured.isna().all()                          # below 10 MB nothing is measured


def test_the_measured_training_memory_is_the_computed_one():
    """The peak memory a fresh process gains building SADRL at N = 4 and taking one gradient step, against
    sadrl_cost's float32 accounting (186 MB): within 0.75-1.6 times it (measured 179-222 MB here: the
    allocator's pages and reuse move it by tens of MB, but an accounting that missed a copy of the 47 MB of
    weights, or counted bytes as float64, would fall outside)."""
    from multirat import bench
    from multirat.agents.sadrl import sadrl_layer_sizes

    computed = sadrl_cost(sadrl_layer_sizes(DQNConfig(), 4, 16), DQNConfig().batch_size)["training_bytes"] / 1e6
    assert computed == pytest.approx(185.9, abs=0.1)
    measured = bench.step_memory_mb("SADRL", 4)
    assert 0.75 * computed <= measured <= 1.6 * computed, (measured, computed)
    # the same from a parent that holds 400 MB itself (getrusage's peak would carry it into the child)
    ballast = np.ones(50_000_000)
    again = bench.step_memory_mb("SADRL", 4)
    assert ballast.sum() == 50_000_000 and 0.75 * computed <= again <= 1.6 * computed, (again, computed)
    with pytest.raises(ValueError, match="agent 'DQN' unknown"):
        bench.step_memory_mb("DQN", 4)
    with pytest.raises(ValueError, match="n must be a positive integer; got 0"):
        bench.step_memory_mb("SADRL", 0)
    with pytest.raises(ValueError, match=r"agents \['DQN'\] unknown"):
        bench.sadrl_cases((1,), agents=("DQN",))


def _eval_table(rows):
    import pandas as pd

    return pd.DataFrame([{"run": f"{a}_{n}_{s}", "agent": a, "K": 2, "N": n, "seed": s, "episode": e,
                          "throughput_kbits": v} for a, n, s, evals in rows for e, v in evals])


def test_final_summary_and_paired_gaps_by_hand():
    from multirat.experiments.fig6ab import final_summary, paired_gaps

    t = _eval_table([("MADRL", 3, 0, [(0, 1.0), (50, 8.0), (100, 10.0)]),
                     ("MADRL", 3, 1, [(0, 1.0), (50, 6.0), (100, 8.0)]),
                     ("SADRL", 3, 0, [(0, 1.0), (50, 9.0), (100, 13.0)]),
                     ("SADRL", 3, 1, [(0, 1.0), (50, 9.0), (100, 9.0)]),
                     ("MADRL", 5, 0, [(0, 1.0), (100, 12.0)])])
    s = final_summary(t, window=50).set_index(["agent", "N"])
    assert s.loc[("MADRL", 3), "mean_kbits"] == pytest.approx((9.0 + 7.0) / 2)      # window: episodes 50, 100
    assert s.loc[("SADRL", 3), "seed0_kbits"] == pytest.approx(11.0)
    assert s.loc[("MADRL", 5), "n_seeds"] == 1 and np.isnan(s.loc[("MADRL", 5), "ci95_kbits"])
    assert final_summary(t, window=0).set_index(["agent", "N"]).loc[("SADRL", 3), "mean_kbits"] == pytest.approx(11.0)
    g = paired_gaps(t, window=50)
    assert len(g) == 1 and (g.K.iloc[0], g.N.iloc[0]) == (2, 3)                       # N = 5 has no SADRL run
    # seed gaps: 11 - 9 = 2 and 9 - 7 = 2 -> mean 2, zero spread
    assert g.gap_kbits.iloc[0] == pytest.approx(2.0) and g.ci95_kbits.iloc[0] == pytest.approx(0.0)
    assert g.gap_pct.iloc[0] == pytest.approx(100 * 2.0 / 10.0)
    assert g.seed0_gap_kbits.iloc[0] == pytest.approx(2.0)
