"""The factored centralized agent (ours, chapter 9; action branching, Tavakoli et al. 2018): its heads, its TD
targets, its training against a hand-written loss, its policy and its experiment."""

import dataclasses

import numpy as np
import pytest
import torch

from multirat.agents.dqn import td_targets
from multirat.agents.sadrl import branch_q_values, branch_td_targets, factored_layer_sizes
from multirat.config import DQNConfig, NetworkConfig, TrainingConfig

HALF_RATE = NetworkConfig(code_rates=(0.5,), d_free=(10,))


def _spec(seed, n_aps, n_devices, agent="factored", episodes=3, n_rrbs=100, **training):
    from multirat.training import RunSpec

    net = dataclasses.replace(HALF_RATE, n_aps=n_aps, n_devices=n_devices, slots_per_episode=6, n_rrbs=n_rrbs)
    return RunSpec(seed=seed, network=net, training=TrainingConfig(episodes=episodes, z_k=2, eval_drops=2, **training),
                   dqn=DQNConfig(agent=agent, batch_size=4, replay_size=50))


def test_the_network_has_one_head_per_link():
    assert factored_layer_sizes(DQNConfig(), 3, 16) == (18, 64, 128, 48)
    assert factored_layer_sizes(DQNConfig(hidden_sizes=(8, 4)), 5, 16) == (30, 8, 4, 80)
    assert factored_layer_sizes(DQNConfig(), 1, 16) == (6, 64, 128, 16)            # N = 1: the shared DQN's
    q = np.arange(2 * 12).reshape(2, 12)                                           # 2 states, 3 heads of 4
    heads = branch_q_values(q, 3)
    assert heads.shape == (2, 3, 4)
    np.testing.assert_array_equal(heads[1, 2], [20, 21, 22, 23])                   # head n: outputs 4n .. 4n + 3
    assert branch_q_values(torch.zeros(5, 7, 32), 2).shape == (5, 7, 2, 16)
    with pytest.raises(ValueError, match="last axis \\(10\\) must hold n_links = 3 heads"):
        branch_q_values(np.zeros((1, 10)), 3)
    with pytest.raises(ValueError, match="n_links must be a positive integer; got 0"):
        factored_layer_sizes(DQNConfig(), 0, 16)


def test_each_head_has_its_own_target_by_hand():
    reward = torch.tensor([[1.0, 2.0]])                                            # R = 1, B = 2
    nxt = torch.tensor([[[[0.0, 3.0], [5.0, -1.0]], [[-2.0, -4.0], [1.0, 1.0]]]])   # [1, 2, N = 2, A = 2]
    y = branch_td_targets(reward, nxt, torch.tensor([0.5]))
    np.testing.assert_allclose(y.numpy(), [[[1 + 1.5, 1 + 2.5], [2 - 1.0, 2 + 0.5]]])
    # N = 1: the shared DQN's target of Eq. (37)
    one = torch.randn(3, 4, 1, 16, generator=torch.Generator().manual_seed(0))
    r, g = torch.randn(3, 4), torch.tensor([0.9, 0.5, 0.0])
    assert torch.equal(branch_td_targets(r, one, g)[..., 0], td_targets(r, one[:, :, 0], g))


def test_with_one_link_the_factored_agent_is_the_shared_dqn():
    from multirat.training import Trainer

    shared, factored = (Trainer([_spec(5, 1, 1, agent)], eval_every=1).train(progress=False)
                        for agent in ("shared", "factored"))
    for a, b in zip(shared.models[0]["weights"], factored.models[0]["weights"]):
        assert torch.equal(a, b)
    np.testing.assert_array_equal(shared.evaluations.throughput_kbits, factored.evaluations.throughput_kbits)
    np.testing.assert_array_equal(shared.curves.loss, factored.curves.loss)


def _numpy_q(state: dict, x: np.ndarray) -> np.ndarray:
    """The MLP of a run_state in float64 numpy: tanh hidden layers, linear output (independent of torch)."""
    ws, bs = state["weights"], state["biases"]
    for i, (w, b) in enumerate(zip(ws, bs)):
        x = x @ w.double().numpy() + b.double().numpy()[0]
        if i < len(ws) - 1:
            x = np.tanh(x)
    return x


def test_a_gradient_step_minimizes_the_mean_of_the_heads_td_errors():
    # fill the memory, then rebuild the step's loss by hand: the mini-batch the run's generator draws, each
    # head's q(s, a_n) and its own target r + gamma max_a q_n'(s', a), 1/2 squared error averaged over B and N
    from multirat.training import Trainer

    spec = _spec(11, 2, 3, episodes=3)
    trainer = Trainer([spec])
    trainer.run_episode()
    mem = trainer.replay
    assert mem.action.shape == (1, 50, 3) and mem.size[0] == 6                     # one [N] action per TS
    rng = np.random.default_rng()
    rng.bit_generator.state = trainer.rngs[0].bit_generator.state
    idx = rng.integers(0, mem.size[0], 4)
    online, target = trainer.online.run_state(0), trainer.target.run_state(0)
    q = _numpy_q(online, mem.obs[0, idx].astype(float)).reshape(4, 3, 16)
    q_next = _numpy_q(target, mem.next_obs[0, idx].astype(float)).reshape(4, 3, 16)
    a = mem.action[0, idx]                                                          # [B, N]
    taken = np.take_along_axis(q, a[..., None], axis=-1)[..., 0]
    y = mem.reward[0, idx][:, None] + spec.dqn.discount * q_next.max(axis=-1)
    expected = 0.5 * np.mean((y - taken) ** 2)
    loss = trainer._gradient_step()
    assert loss[0] == pytest.approx(expected, rel=1e-5)


def test_the_memory_holds_the_action_each_link_played(monkeypatch):
    from multirat.env import NetworkEnv
    from multirat.training import Trainer

    played, real_step = [], NetworkEnv.step

    def step(self, actions):
        played.append(np.array(actions, copy=True))
        return real_step(self, actions)

    monkeypatch.setattr(NetworkEnv, "step", step)
    trainer = Trainer([_spec(11, 2, 3)])
    trainer.run_episode()                                           # epsilon = 1: the links' actions differ
    played = np.concatenate(played)                                 # [slots, N], link order
    assert (played != played[:, :1]).any()
    np.testing.assert_array_equal(trainer.replay.action[0, :6], played)


def test_an_unscheduled_link_does_not_drop_the_experience_of_the_ts():
    # 3 links on 2 RRBs: a link waits every TS, yet the factored agent keeps one experience per TS (its heads
    # all train on it, as SADRL's joint action does)
    from multirat.training import Trainer

    trainer = Trainer([_spec(11, 2, 3, n_rrbs=2)])
    trainer.run_episode()
    assert trainer.replay.size[0] == 6


def test_training_alone_or_batched_and_resumed(tmp_path, monkeypatch):
    from multirat.agents import FactoredPolicy
    from multirat.env import NetworkEnv
    from multirat.agents.sadrl import centralized_states
    from multirat.training import Trainer

    specs = [_spec(7, 2, 3), _spec(8, 2, 3, scenario="dt_only")]
    together = Trainer(specs, eval_every=1)
    assert together.online.sizes == (18, 64, 128, 48) and together.replay.obs.shape[-1] == 18
    both = together.train(progress=False)
    assert set(both.curves.replay_size[both.curves.episode == 3]) == {3 * 6}         # one experience per TS
    alone = Trainer([specs[1]], eval_every=1).train(progress=False)
    np.testing.assert_array_equal(alone.evaluations.throughput_kbits,
                                  both.evaluations[both.evaluations.run == 1].throughput_kbits)
    # killed after its checkpoint at episode 2, resumed: the replay memory's [N] actions survive
    real_step, calls = Trainer._gradient_step, {"n": 0}

    def dying_step(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2 * 6 + 2:
            raise KeyboardInterrupt("killed")
        return real_step(self, *args, **kwargs)

    monkeypatch.setattr(Trainer, "_gradient_step", dying_step)
    ck = tmp_path / "run.pt"
    with pytest.raises(KeyboardInterrupt):
        Trainer(specs, eval_every=1, checkpoint=ck, checkpoint_every=2).train(progress=False)
    monkeypatch.setattr(Trainer, "_gradient_step", real_step)
    resumed = Trainer(specs, eval_every=1, checkpoint=ck, checkpoint_every=2).train(progress=False)
    assert resumed.evaluations.equals(both.evaluations) and resumed.curves.equals(both.curves)
    # the policy: link n's action is the argmax of head n over the concatenated state
    policy = together.policy(0)
    assert isinstance(policy, FactoredPolicy)
    env = NetworkEnv(specs[0].network, mode="physical", n_envs=2)
    obs, _ = env.reset(seed=3)
    heads = policy.q_values(centralized_states(obs))[:, 0].reshape(2, 3, 16)
    np.testing.assert_array_equal(policy.act(env, obs).actions, heads.argmax(axis=-1))
    with pytest.raises(ValueError, match="48 outputs; 2 heads of 16 actions need 32"):
        policy.act(NetworkEnv(_spec(7, 2, 2).network, n_envs=1), obs[:1, :2])
    with pytest.raises(ValueError, match="obs must be \\[B, N, 6\\]"):
        policy.act(env, obs[0])


def test_a_saved_factored_model_loads_as_its_policy(tmp_path):
    from multirat.agents import FactoredPolicy, load_policy, run_metadata, save_policy
    from multirat.training import Trainer

    spec = _spec(3, 1, 2, episodes=2)
    trainer = Trainer([spec])
    path = save_policy(tmp_path / "m.pt", trainer.online.run_state(0), {"name": "f", **run_metadata(spec)})
    assert isinstance(load_policy(path), FactoredPolicy)
    meta = run_metadata(spec)
    meta["dqn"]["agent"] = "joint"
    save_policy(tmp_path / "bad.pt", trainer.online.run_state(0), meta)
    with pytest.raises(ValueError, match="dqn.agent='joint' is unknown: allowed \\['centralized', 'factored', "
                                         "'shared'\\]"):
        load_policy(tmp_path / "bad.pt")


# --- experiment fig6ab_factored ----------------------------------------------------------------------------------

def test_its_runs_are_fig6abs_with_the_factored_agent():
    from multirat.experiments import fig6ab, fig6ab_factored

    specs = fig6ab_factored.run_specs("paper")
    assert len(specs) == 5 * 4 and {c["agent"] for _, c, _ in specs} == {"factored"}
    madrl = {name.replace("MADRL", "factored"): spec for name, c, spec in fig6ab.run_specs("paper")
             if c["agent"] == "MADRL"}
    assert set(madrl) == {name for name, _, _ in specs}
    for name, _, spec in specs:                   # the same seed, network and training: the same drops
        assert spec.dqn.agent == "factored"
        assert dataclasses.replace(spec, dqn=DQNConfig()) == madrl[name]
    key = fig6ab_factored.experiment_config("paper")
    assert key["experiment"] == "fig6ab_factored" and key["eval_every"] == fig6ab.EVAL_EVERY["paper"] == 50


def _eval_table(rows):
    import pandas as pd

    return pd.DataFrame([{"run": f"{a}_{n}_{s}", "agent": a, "K": 2, "N": n, "seed": s, "episode": e,
                          "throughput_kbits": v} for a, n, s, evals in rows for e, v in evals])


def test_paired_differences_by_hand():
    from multirat.experiments.fig6ab_factored import paired_differences

    t = _eval_table([("MADRL", 3, 0, [(0, 1.0), (100, 10.0)]), ("MADRL", 3, 1, [(0, 1.0), (100, 8.0)]),
                     ("factored", 3, 0, [(0, 1.0), (100, 9.0)]), ("factored", 3, 1, [(0, 1.0), (100, 5.0)]),
                     ("SADRL", 3, 0, [(0, 1.0), (100, 12.0)]), ("SADRL", 3, 1, [(0, 1.0), (100, 8.0)]),
                     ("MADRL", 5, 0, [(0, 1.0), (100, 12.0)]), ("factored", 5, 0, [(0, 1.0), (100, 11.0)])])
    d = paired_differences(t, window=0).set_index(["minuend", "subtrahend", "N"])
    row = d.loc[("factored", "MADRL", 3)]
    # seed differences 9 - 10 = -1 and 5 - 8 = -3: mean -2, t half-width 12.706 * sd(=sqrt 2) / sqrt 2
    assert row.diff_kbits == pytest.approx(-2.0) and row.ci95_kbits == pytest.approx(12.7062047, rel=1e-6)
    assert row.diff_pct == pytest.approx(100 * -2.0 / 9.0) and row.n_seeds == 2
    assert d.loc[("SADRL", "factored", 3)].diff_kbits == pytest.approx(3.0)
    assert d.loc[("factored", "MADRL", 5)].n_seeds == 1 and ("SADRL", "factored", 5) not in d.index
    with pytest.raises(ValueError, match="agent 'joint' is not in the table"):
        paired_differences(t, 0, pairs=(("joint", "MADRL"),))


def test_paired_differences_report_each_agents_mean_over_its_final_window():
    from multirat.experiments.fig6ab_factored import paired_differences

    t = _eval_table([("MADRL", 3, 0, [(0, 1.0), (50, 6.0), (100, 10.0)]), ("MADRL", 3, 1, [(0, 1.0), (50, 4.0), (100, 8.0)]),
                     ("factored", 3, 0, [(0, 1.0), (50, 3.0), (100, 9.0)]),
                     ("factored", 3, 1, [(0, 1.0), (50, 3.0), (100, 5.0)])])
    row = paired_differences(t, window=50, pairs=(("factored", "MADRL"),)).iloc[0]
    assert row.minuend_kbits == pytest.approx(5.0) and row.subtrahend_kbits == pytest.approx(7.0)
    assert row.diff_kbits == pytest.approx(-2.0) and row.diff_pct == pytest.approx(100 * -2.0 / 7.0)


def test_the_benchmarks_factored_step_bootstraps_from_the_target_network():
    from multirat import bench

    def updated(shift):
        case = bench.sadrl_cases(n_links=(2,))["factored", 2]
        online, target = case["step"].__defaults__[:2]
        with torch.no_grad():
            target.biases[-1].add_(shift)
        case["step"]()
        return online.weights[-1].detach().clone()

    assert not torch.equal(updated(0.0), updated(100.0))


def test_the_smoke_experiment_computes_stores_and_loads(tmp_path, monkeypatch):
    import pandas as pd

    from multirat import results
    from multirat.experiments import fig6ab_factored

    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    monkeypatch.setenv(results.MODE_ENV, "auto")
    ev = fig6ab_factored.run("smoke", progress=False, n_workers=1)
    assert set(ev.agent) == {"factored"} and set(ev.episode) == {0, 2, 4}
    assert list(ev.columns[:5]) == ["run", "agent", "K", "N", "seed"]
    saved = sorted(p.stem for p in (tmp_path / "models" / "fig6ab_factored" / "smoke").iterdir())
    assert saved == sorted(set(ev.run))
    pd.testing.assert_frame_equal(fig6ab_factored.run("smoke", mode="cache_only"), ev, check_dtype=False)


def test_centralized_execution_needs_twice_the_exchanges_of_madrl():
    from multirat.agents.sadrl import centralized_execution_exchanges_per_slot
    from multirat.overhead import execution_feedback_per_slot

    np.testing.assert_array_equal(centralized_execution_exchanges_per_slot(np.array([1, 3, 5, 100])),
                                  [4, 12, 20, 400])
    # the MADRL count it builds on (Sec. V-D-3): N CSI to the PF scheduler + N local reports
    assert execution_feedback_per_slot(5) == 10 and centralized_execution_exchanges_per_slot(5).dtype == np.int64
    with pytest.raises(ValueError, match="n_devices"):
        centralized_execution_exchanges_per_slot(0)


def test_the_intros_chapter_9_numbers_are_the_stored_results(monkeypatch):
    # book/intro.md is plain markdown: its chapter-9 numbers are checked here against the committed tables
    import re
    from pathlib import Path

    import pandas as pd

    from multirat import results
    from multirat.experiments import fig6ab, fig6ab_baselines, fig6ab_factored, sadrl_cost

    monkeypatch.delenv(results.ROOT_ENV, raising=False)
    intro = (Path(__file__).resolve().parents[1] / "book" / "intro.md").read_text()
    bullet = intro[intro.index("* **One shared DQN or one centralized agent**"):]
    bullet = " ".join(bullet[:bullet.index("\n* ")].split())
    table = pd.concat([fig6ab.run("paper", mode="cache_only"), fig6ab_factored.run("paper", mode="cache_only")])
    gaps = fig6ab.paired_gaps(table, fig6ab.FINAL_WINDOW["paper"])
    assert f"(by {-gaps.gap_pct.iloc[0]:.1f} % and {-gaps.gap_pct.iloc[1]:.1f} %" in bullet
    assert ((gaps.gap_kbits + gaps.ci95_kbits) < 0).all()                      # "beyond the intervals"
    d = fig6ab_factored.paired_differences(table, fig6ab.FINAL_WINDOW["paper"], pairs=(("factored", "MADRL"),))
    assert f"{-d.diff_pct.max():.0f}-{-d.diff_pct.min():.0f} % behind the shared DQN" in bullet
    cost = sadrl_cost.run("paper", mode="cache_only").set_index(["agent", "N"]).step_ms
    growth = [cost["SADRL", n + 1] / cost["SADRL", n] for n in (2, 3, 4)]
    assert f"grows {min(growth):.0f}- to {max(growth):.0f}-fold per link" in bullet
    days = cost["SADRL", 5] * 100_000 / 1e3 / 86_400
    assert "about four days" in bullet and round(days) == 4
    assert re.search(r"in our reading it needs twice the shared DQN's\s+signaling", bullet)
    esa = fig6ab_baselines.run("paper", mode="cache_only").query("policy == 'ESA'").set_index(["K", "N"]).mean_kbits
    madrl = fig6ab.final_summary(table, fig6ab.FINAL_WINDOW["paper"]).query("agent == 'MADRL'").set_index(["K", "N"])
    assert "no agent could be 2.8 % ahead of the shared DQN" in bullet
    assert (100 * (1 - madrl.mean_kbits / esa) < 2.8).all()
    summary = fig6ab.final_summary(table, fig6ab.FINAL_WINDOW["paper"]).set_index(["agent", "K", "N"]).mean_kbits
    of_esa = {a: (1 - summary[a] / esa.reindex(summary[a].index)).dropna() for a in ("MADRL", "SADRL")}
    assert "the shared DQN within 1.5 %, the centralized agent within 8 %" in bullet
    assert of_esa["MADRL"].max() < 0.015 and 0.07 < of_esa["SADRL"].max() < 0.08
    d2 = fig6ab_factored.paired_differences(table, fig6ab.FINAL_WINDOW["paper"], pairs=(("SADRL", "factored"),))
    assert "level with the centralized agent within the intervals" in bullet
    assert (d2.diff_kbits.abs() < d2.ci95_kbits).all()
