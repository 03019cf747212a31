"""The non-stationary network (``multirat.nonstationary``, chapter 13): blocks, their regimes, the environment
that keeps a block's shadowing and phi_n and nothing else, and the trainer's continual and from-scratch runs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from multirat import channel
from multirat.agents.dqn import StackedQNetwork
from multirat.config import NetworkConfig, TrainingConfig
from multirat.env import NetworkEnv
from multirat.evaluation import evaluate_policy
from multirat.nonstationary import BLOCK_STREAM, LinkRegime, block_index, block_regime, block_start
from multirat.training import TEST_DROPS_SEED, RunSpec, Trainer

NET = dataclasses.replace(NetworkConfig(), n_aps=2, n_devices=6, slots_per_episode=4, block_episodes=3)


def test_block_boundaries():
    assert [block_index(e, 10) for e in (0, 1, 10, 11, 20, 21)] == [0, 0, 0, 1, 1, 2]
    assert [block_start(e, 10) for e in (1, 10, 11, 12, 21)] == [False, False, True, False, True]
    assert [block_index(e, 1) for e in (1, 2, 3)] == [0, 1, 2] and block_start(2, 1)
    with pytest.raises(ValueError, match="block_episodes"):
        block_index(3, 0)
    with pytest.raises(ValueError, match="episode"):
        block_start(0, 10)                        # episodes are 1-based


def test_a_block_regime_is_the_stated_draws_from_its_own_stream():
    r = block_regime(NET, 7, 4)
    # built independently: the stream, then s_n, phi_n, the [K, N] normals scaled by s_n
    rng = np.random.default_rng(np.random.SeedSequence(7, spawn_key=(BLOCK_STREAM, 4)))
    std = rng.choice([4.0, 6.0, 8.0], size=6)
    phi = rng.choice([0.0, 0.4, 0.6, 0.9], size=6)
    np.testing.assert_array_equal(r.shadowing_std_db, std)
    np.testing.assert_array_equal(r.phi, phi)
    np.testing.assert_array_equal(r.shadowing_db, rng.standard_normal((2, 6)) * std)
    assert r.block == 4 and r.shadowing_db.shape == (2, 6)
    again = block_regime(NET, 7, 4)
    np.testing.assert_array_equal(again.shadowing_db, r.shadowing_db)
    other = block_regime(NET, 7, 5)
    assert not np.array_equal(other.shadowing_db, r.shadowing_db)
    with pytest.raises(ValueError, match="block"):
        block_regime(NET, 7, -1)


def test_block_regimes_follow_their_laws_over_many_blocks():
    net = dataclasses.replace(NET, n_aps=4, n_devices=50)
    regs = [block_regime(net, 0, b) for b in range(400)]
    std = np.concatenate([r.shadowing_std_db for r in regs])
    phi = np.concatenate([r.phi for r in regs])
    z = np.concatenate([(r.shadowing_db / r.shadowing_std_db).ravel() for r in regs])
    n = std.size                                                            # 20 000 links
    for values, allowed in ((std, (4.0, 6.0, 8.0)), (phi, (0.0, 0.4, 0.6, 0.9))):
        share = np.array([np.mean(values == v) for v in allowed])
        assert share.sum() == 1.0
        p = 1 / len(allowed)
        assert np.all(np.abs(share - p) < 5 * np.sqrt(p * (1 - p) / n))        # uniform choice
    assert abs(z.mean()) < 5 / np.sqrt(z.size) and abs(z.std() - 1) < 5 / np.sqrt(2 * z.size)


def _state(env):
    s = env.state
    return {k: np.array(getattr(s, k), copy=True) for k in ("device_xy", "serving_ap", "fading", "rrb", "large_scale")}


def test_a_block_change_redraws_the_stated_parameters_and_nothing_else():
    a, b = block_regime(NET, 1, 0), block_regime(NET, 1, 1)
    envs = {name: NetworkEnv(NET, mode="physical", n_envs=2) for name in "ab"}
    envs["a"].reset(seed=[np.random.default_rng(5), np.random.default_rng(6)], regime=[a, a])
    envs["b"].reset(seed=[np.random.default_rng(5), np.random.default_rng(6)], regime=[b, a])
    stationary = NetworkEnv(dataclasses.replace(NET, block_episodes=0), mode="physical", n_envs=2)
    stationary.reset(seed=[np.random.default_rng(5), np.random.default_rng(6)])
    sa, sb, s0 = _state(envs["a"]), _state(envs["b"]), _state(stationary)
    for key in ("device_xy", "serving_ap", "fading", "rrb"):                # the drop itself: unchanged
        np.testing.assert_array_equal(sa[key], sb[key])
        np.testing.assert_array_equal(sa[key], s0[key])
    # the large-scale gain: the same path loss, the block's held shadowing instead of the drop's own
    pl_a = -10 * np.log10(sa["large_scale"]) - np.stack([a.shadowing_db, a.shadowing_db])
    pl_b = -10 * np.log10(sb["large_scale"]) - np.stack([b.shadowing_db, a.shadowing_db])
    np.testing.assert_allclose(pl_a, pl_b, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(sb["large_scale"][1], sa["large_scale"][1])      # network 1 kept regime a
    np.testing.assert_array_equal(envs["b"].state.phi_links, np.stack([b.phi, a.phi]))
    # and the physical network applies 1 + phi_n of the block (Eqs. 11-12)
    aci_f, hwi_f = envs["b"].physical_factors()
    np.testing.assert_array_equal(aci_f, 1 + np.stack([b.phi, a.phi]))
    np.testing.assert_array_equal(hwi_f, aci_f)
    # the regime's shadowing is the drop's path loss plus exactly it: the gain channel.large_scale_gain gives
    np.testing.assert_allclose(sa["large_scale"][0], channel.large_scale_gain(pl_a[0], a.shadowing_db), rtol=1e-12)


def test_the_physical_step_uses_each_links_block_phi():
    reg = block_regime(NET, 2, 0)
    reg = LinkRegime(reg.shadowing_db, reg.shadowing_std_db, np.array([0.0, 9.0, 0.0, 9.0, 0.0, 9.0]), 0)
    one = NetworkEnv(NET, mode="physical")
    one.reset(seed=3, regime=[reg])
    actions = np.full((1, 6), 47)
    _, _, _, info = one.step(actions)
    twin = NetworkEnv(NET, mode="twin")
    twin.reset(seed=3, regime=[reg])
    _, _, _, tinfo = twin.step(actions)
    np.testing.assert_allclose(info.aci_w, tinfo.aci_w * (1 + reg.phi), rtol=1e-12)   # Eq. 11 per link


def test_regime_errors_name_the_argument():
    env = NetworkEnv(NET, n_envs=2)
    with pytest.raises(ValueError, match=r"regime is required: config.block_episodes=3"):
        env.reset(seed=1)
    with pytest.raises(ValueError, match=r"regime must be a list of n_envs=2 LinkRegime .* of 1"):
        env.reset(seed=1, regime=[block_regime(NET, 0, 0)])
    bad = LinkRegime(np.zeros((3, 6)), np.zeros(6), np.zeros(6), 0)
    with pytest.raises(ValueError, match=r"regime\[1\] must have shadowing_db \[K, N\] = \(2, 6\)"):
        env.reset(seed=1, regime=[block_regime(NET, 0, 0), bad])
    minus = LinkRegime(np.zeros((2, 6)), np.zeros(6), np.full(6, -1.0), 0)
    with pytest.raises(ValueError, match=r"regime\[0\].phi must be > -1"):
        env.reset(seed=1, regime=[minus, minus])
    stationary = NetworkEnv(dataclasses.replace(NET, block_episodes=0))
    with pytest.raises(ValueError, match="only for a non-stationary network"):
        stationary.reset(seed=1, regime=[block_regime(NET, 0, 0)])
    with pytest.raises(ValueError, match="regime is required"):
        evaluate_policy(_Greedy(), NET, 2, seed=1)
    with pytest.raises(ValueError, match="block_learning='from_scratch' needs a non-stationary network"):
        RunSpec(0, dataclasses.replace(NET, block_episodes=0), TrainingConfig(block_learning="from_scratch"))
    with pytest.raises(ValueError, match="block_episodes=3 and phi_spread=1.0 exclude each other"):
        dataclasses.replace(NET, phi_spread=1.0)


class _Greedy:
    def act(self, env, obs):
        from multirat.baselines import Decision

        return Decision(np.zeros(obs.shape[:2], dtype=np.int64))


def _runs(episodes=7):
    train = {bl: TrainingConfig(episodes=episodes, z_k=2, eval_drops=2, block_learning=bl)
             for bl in ("continual", "from_scratch")}
    return [RunSpec(0, NET, train["continual"]), RunSpec(0, NET, train["from_scratch"]),
            RunSpec(1, NET, train["from_scratch"])]


def test_from_scratch_restarts_weights_target_optimizer_and_memory_at_a_block_start_only():
    tr = Trainer(_runs())
    for _ in range(3):                                                   # block 0: episodes 1-3
        tr.run_episode()
    before = [tr.online.run_state(r) for r in range(3)]
    sq_before = [v.clone() for v in tr.optimizer.square_avg]
    size_before = tr.replay.size.copy()
    assert all(size_before == 3 * 4 * 6)
    tr._restart_blocks(3)                                                # not a block start: nothing happens
    assert all(torch.equal(w, v) for w, v in zip(tr.online.run_state(1)["weights"], before[1]["weights"]))
    tr._restart_blocks(4)                                                # episode 4 opens block 1
    for r in (1, 2):                                                     # the from-scratch runs
        seed = int(np.random.SeedSequence(r - 1, spawn_key=(2, 1)).generate_state(1)[0])
        fresh = StackedQNetwork([seed], tr.online.sizes, "tanh").run_state(0)
        for got in (tr.online.run_state(r), tr.target.run_state(r)):
            assert all(torch.equal(w, f) for w, f in zip(got["weights"], fresh["weights"]))
            assert all(torch.equal(b, f) for b, f in zip(got["biases"], fresh["biases"]))
        assert all(float(v[r].abs().max()) == 0.0 for v in tr.optimizer.square_avg)
        assert tr.replay.size[r] == 0 and tr.replay.position[r] == 0
    # the continual run is untouched: weights, optimizer state, memory
    assert all(torch.equal(w, v) for w, v in zip(tr.online.run_state(0)["weights"], before[0]["weights"]))
    assert all(torch.equal(v[0], s[0]) for v, s in zip(tr.optimizer.square_avg, sq_before))
    assert tr.replay.size[0] == size_before[0]
    # the two from-scratch runs restart from different weights (their seeds differ)
    assert not torch.equal(tr.online.run_state(1)["weights"][0], tr.online.run_state(2)["weights"][0])


def test_the_runs_share_block_0_then_part_and_resume_exactly(tmp_path):
    res = Trainer(_runs(), eval_every=3).train(progress=False)
    ev = res.evaluations.pivot(index="episode", columns="run", values="throughput_kbits")
    assert ev.loc[3, 0] == ev.loc[3, 1]                                  # the same seed, the same block 0
    assert ev.loc[6, 0] != ev.loc[6, 1]                                  # the restart at episode 4 shows
    sizes = res.curves.pivot(index="episode", columns="run", values="replay_size")
    assert list(sizes[1]) == [24, 48, 72, 24, 48, 72, 24] and list(sizes[0])[-1] == 7 * 24
    # the first evaluation is block 0's: the initial policy on the test drops that keep block 0's regime
    tr = Trainer(_runs()[:1])
    want = evaluate_policy(tr.policy(0), NET, 2, seed=TEST_DROPS_SEED, regime=block_regime(NET, 0, 0)).summary
    assert ev.loc[0, 0] == pytest.approx(want["mean_kbits"], rel=1e-12)


def test_a_kill_after_a_block_restart_resumes_bit_identical(tmp_path, monkeypatch):
    runs = _runs()
    ref = Trainer(runs, eval_every=3, checkpoint=tmp_path / "ref.pt", checkpoint_every=2)
    ref_res = ref.train(progress=False)
    calls = {"n": 0}
    real_step = Trainer._gradient_step

    def dying_step(self, *args, **kwargs):                           # one call per TS, 4 TS per episode
        calls["n"] += 1
        if calls["n"] == 4 * 4 + 2:                                  # mid-episode 5: after the restart at 4
            raise KeyboardInterrupt("killed")
        return real_step(self, *args, **kwargs)

    monkeypatch.setattr(Trainer, "_gradient_step", dying_step)
    ck = tmp_path / "run.pt"
    with pytest.raises(KeyboardInterrupt):
        Trainer(runs, eval_every=3, checkpoint=ck, checkpoint_every=2).train(progress=False)
    monkeypatch.setattr(Trainer, "_gradient_step", real_step)
    assert torch.load(ck, weights_only=False)["episode"] == 4              # the checkpoint holds the restart
    resumed = Trainer(runs, eval_every=3, checkpoint=ck, checkpoint_every=2)
    res = resumed.train(progress=False)
    for a, b in zip(ref.online.parameters(), resumed.online.parameters()):
        assert torch.equal(a, b)
    assert res.evaluations.equals(ref_res.evaluations)
    np.testing.assert_array_equal(ref.replay.size, resumed.replay.size)


def _spec(seed, way, episodes=6):
    return RunSpec(seed, NET, TrainingConfig(episodes=episodes, z_k=2, eval_drops=2, block_learning=way))


def test_a_block_end_evaluation_keeps_the_block_just_played():
    tr = Trainer([_spec(0, "continual")], eval_every=3)
    res = tr.train(progress=False)
    last = res.evaluations[res.evaluations.episode == 6].throughput_kbits.item()        # episodes 4-6: block 1
    want = evaluate_policy(tr.policy(0), NET, 2, seed=TEST_DROPS_SEED, regime=block_regime(NET, 0, 1)).summary
    assert last == pytest.approx(want["mean_kbits"], rel=1e-12)


def test_a_run_meets_its_own_seeds_blocks_in_any_batch():
    both = Trainer([_spec(0, "from_scratch"), _spec(1, "from_scratch")], eval_every=3).train(progress=False)
    alone = Trainer([_spec(1, "from_scratch")], eval_every=3).train(progress=False)
    np.testing.assert_array_equal(both.evaluations[both.evaluations.run == 1].throughput_kbits.to_numpy(),
                                  alone.evaluations.throughput_kbits.to_numpy())


def test_every_episode_of_an_evaluation_keeps_the_regime():
    policy = Trainer([_spec(0, "continual")]).policy(0)
    ev = evaluate_policy(policy, NET, 4, seed=TEST_DROPS_SEED, n_envs=2, regime=block_regime(NET, 0, 1))
    assert len(ev.per_drop) == 4                                       # two episodes of two networks
