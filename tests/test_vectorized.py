"""The trainer's vectorized environment (issue 16, part 0): R networks stepped as one NetworkEnv with one
generator per network must be, draw for draw, the R separate environments it replaced; and what the faster
training TS changed around it (batched replay writes, batched epsilon-greedy, the optimizers' unmasked
path, the torch device) must leave every run's numbers as they were alone."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from multirat.agents.dqn import StackedAdam, StackedQNetwork, StackedRMSprop, epsilon_greedy, epsilon_greedy_runs
from multirat.agents.replay import ReplayMemory
from multirat.config import DQNConfig, NetworkConfig, TrainingConfig
from multirat.env import LinearDeviation, NetworkEnv
from multirat.training import RunSpec, Trainer


class NoisyDeviation:
    """A deviation model that draws (log-normal factors every TS): per-network generators must reach it."""

    draws = True

    def factors(self, rng, shape):
        return np.exp(0.3 * rng.standard_normal(shape)), np.exp(0.3 * rng.standard_normal(shape))


def _separate_and_vectorized(cfg, mode, seeds, deviation=None):
    vec = NetworkEnv(cfg, mode=mode, n_envs=len(seeds), deviation=deviation)
    alone = [NetworkEnv(cfg, mode=mode, n_envs=1, deviation=deviation) for _ in seeds]
    obs_v, info_v = vec.reset(seed=[np.random.default_rng(s) for s in seeds])
    obs_a = [env.reset(seed=np.random.default_rng(s)) for s, env in zip(seeds, alone)]
    return vec, alone, obs_v, info_v, obs_a


@pytest.mark.parametrize("path_loss_model", ["eq4", "linear_average", "random_los"])
@pytest.mark.parametrize("n_devices", [7, 130])                       # 130 > R = 100 RRBs: idle links every TS
@pytest.mark.parametrize("mode, deviation", [("twin", None), ("physical", None), ("physical", NoisyDeviation())])
def test_the_vectorized_environment_is_the_separate_ones_draw_for_draw(path_loss_model, n_devices, mode, deviation):
    cfg = dataclasses.replace(NetworkConfig(), path_loss_model=path_loss_model, n_devices=n_devices,
                              slots_per_episode=4, phi=0.9)
    seeds = [3, 17, 3, 250]                                             # two networks on equal seeds: equal drops
    vec, alone, obs_v, info_v, obs_a = _separate_and_vectorized(cfg, mode, seeds, deviation)
    np.testing.assert_array_equal(obs_v, np.concatenate([o for o, _ in obs_a]))
    np.testing.assert_array_equal(info_v["rrb"], np.concatenate([i["rrb"] for _, i in obs_a]))
    for field in ("device_xy", "serving_ap", "large_scale", "fading", "rrb"):
        np.testing.assert_array_equal(getattr(vec.state, field),
                                      np.concatenate([getattr(e.state, field) for e in alone]), err_msg=field)
    pick = np.random.default_rng(5)
    for t in range(cfg.slots_per_episode):
        actions = pick.integers(0, cfg.n_actions, (len(seeds), n_devices))
        out_v = vec.step(actions)
        out_a = [env.step(actions[b:b + 1]) for b, env in enumerate(alone)]
        np.testing.assert_array_equal(out_v[0], np.concatenate([o[0] for o in out_a]), err_msg=f"obs, TS {t}")
        np.testing.assert_array_equal(out_v[1], np.concatenate([o[1] for o in out_a]), err_msg=f"reward, TS {t}")
        np.testing.assert_array_equal(out_v[3].sinr, np.concatenate([o[3].sinr for o in out_a]))
        np.testing.assert_array_equal(vec.state.fading, np.concatenate([e.state.fading for e in alone]))
        assert out_v[2] == out_a[0][2]
    assert (n_devices > cfg.n_rrbs) == bool((vec.state.rrb < 0).any())
    # the generators were consumed exactly as the separate environments consumed theirs
    for g, env in zip(vec.rngs, alone):
        assert g.bit_generator.state == env.rng.bit_generator.state
    # and the per-network streams are not one shared stream (equal seeds gave equal networks, others did not)
    np.testing.assert_array_equal(vec.state.fading[0], vec.state.fading[2])
    assert not np.array_equal(vec.state.fading[0], vec.state.fading[1])


def test_a_deterministic_deviation_is_applied_once_for_all_networks():
    cfg = dataclasses.replace(NetworkConfig(), n_devices=5, slots_per_episode=2)
    phi = np.array([[0.1, 0.2, 0.3, 0.4, 0.5], [1.0, 2.0, 3.0, 4.0, 5.0]])     # per network and link: [B, N]
    env = NetworkEnv(cfg, mode="physical", n_envs=2, deviation=LinearDeviation(phi))
    env.reset(seed=[np.random.default_rng(1), np.random.default_rng(2)])
    aci, hwi = env._deviation_factors((2, 5))
    np.testing.assert_array_equal(aci, 1.0 + phi)
    np.testing.assert_array_equal(hwi, 1.0 + phi)
    assert LinearDeviation.draws is False


def test_per_network_generators_are_checked_and_reset_back_to_one_generator():
    env = NetworkEnv(dataclasses.replace(NetworkConfig(), n_devices=4), n_envs=2)
    with pytest.raises(ValueError, match="seed: a list of one Generator per network must hold n_envs=2; got 3"):
        env.reset(seed=[np.random.default_rng(i) for i in range(3)])
    with pytest.raises(TypeError, match=r"seed\[1\] must be a numpy Generator; got int"):
        env.reset(seed=[np.random.default_rng(0), 7])
    env.reset(seed=[np.random.default_rng(0), np.random.default_rng(1)])
    assert env.rngs is not None
    env.reset(seed=None)                                   # None continues the per-network streams
    assert env.rngs is not None
    env.reset(seed=4)                                      # an integer: back to one shared generator
    assert env.rngs is None
    shared = NetworkEnv(dataclasses.replace(NetworkConfig(), n_devices=4), n_envs=2)
    shared.reset(seed=4)
    np.testing.assert_array_equal(env.state.fading, shared.state.fading)


def _net(**kw):
    return dataclasses.replace(NetworkConfig(), slots_per_episode=5, **kw)


def _spec(seed, net=None, **training):
    return RunSpec(seed=seed, network=net or _net(),
                   training=dataclasses.replace(TrainingConfig(episodes=6, z_k=2, eval_drops=2), **training),
                   dqn=DQNConfig(target_update_steps=3))


def test_the_trainer_gives_the_same_runs_with_one_environment_per_run():
    """Groups of equal configurations (runs 0, 1 and 3 share one network; run 3 is physical on the episodes
    where run 0 is too), other phi, other scenarios, idle links: exact equality with the per-run loop."""
    runs = [_spec(1), _spec(2, scenario="dt_only"), _spec(3, _net(phi=0.9), scenario="physical_only"), _spec(4)]
    idle = [_spec(5, _net(n_devices=120)), _spec(6, _net(n_devices=120), scenario="physical_only"),
            _spec(7, _net(n_devices=120))]               # a second batch, with idle links (N > R)
    for batch in (runs, idle):
        vec, loop = Trainer(batch, eval_every=3), Trainer(batch, eval_every=3)
        loop.vectorized = False
        res_v, res_l = vec.train(progress=False), loop.train(progress=False)
        for a, b in zip(vec.online.parameters(), loop.online.parameters()):
            assert torch.equal(a, b)
        assert res_v.curves.equals(res_l.curves) and res_v.evaluations.equals(res_l.evaluations)
        for k, v in vec.replay.state_dict().items():
            np.testing.assert_array_equal(v, loop.replay.state_dict()[k], err_msg=k)
    # the grouping really grouped: equal configurations and modes share one environment
    sizes = sorted(env.n_envs for _, env in Trainer(runs)._episode_envs([False, False, True, False]))
    assert sizes == [1, 3]


def test_a_run_in_a_batch_is_bit_identical_to_the_run_alone():
    runs = [_spec(11), _spec(12, _net(phi=0.9), scenario="physical_only"), _spec(13, scenario="dt_only"), _spec(14)]
    batch = Trainer(runs, eval_every=3)
    res_b = batch.train(progress=False)
    for r, run in enumerate(runs):
        alone = Trainer([run], eval_every=3)
        res_a = alone.train(progress=False)
        for a, b in zip(alone.online.parameters(), batch.online.parameters()):
            assert torch.equal(a[0], b[r])
        cb = res_b.curves[res_b.curves.run == r].drop(columns="run").reset_index(drop=True)
        assert res_a.curves.drop(columns="run").equals(cb)


def test_replay_writes_of_several_runs_equal_one_run_at_a_time():
    rng = np.random.default_rng(0)
    for keep_all in (True, False):
        a, b = ReplayMemory(4, 11), ReplayMemory(4, 11)
        b.add(2, rng.random((3, 6), dtype=np.float32), np.arange(3), 1.0, rng.random((3, 6), dtype=np.float32), True)
        a.load_state_dict(b.state_dict())
        for step in range(5):                            # N = 4 links per TS into 11 slots: wraps around
            obs = rng.random((3, 4, 6), dtype=np.float32)
            nxt = rng.random((3, 4, 6), dtype=np.float32)
            act = rng.integers(0, 48, (3, 4))
            reward = rng.random(3) * 100
            keep = np.ones((3, 4), bool) if keep_all else rng.random((3, 4)) < 0.6
            runs = np.array([3, 0, 2])
            a.add_links(runs, obs, act, reward, nxt, keep, physical=step % 2 == 0)
            for j, r in enumerate(runs):
                b.add(int(r), obs[j][keep[j]], act[j][keep[j]], float(reward[j]), nxt[j][keep[j]], step % 2 == 0)
        for k, v in a.state_dict().items():
            np.testing.assert_array_equal(v, b.state_dict()[k], err_msg=f"{k}, keep_all={keep_all}")
        assert a.size[1] == 0 and a.size[3] == (11 if keep_all else a.size[3])


def test_replay_gather_returns_the_indexed_experiences():
    mem = ReplayMemory(3, 5)
    for r in range(3):
        obs = (np.arange(30, dtype=np.float32).reshape(5, 6) + 100 * r)
        mem.add(r, obs, np.arange(5) + 10 * r, float(r), obs + 0.5, r == 1)
    idx = np.array([[4, 0], [1, 1], [3, 2]])
    got = mem.gather(idx)
    for r in range(3):
        for j in range(2):
            np.testing.assert_array_equal(got["obs"][r, j], mem.obs[r, idx[r, j]])
            assert got["action"][r, j] == 10 * r + idx[r, j] and got["reward"][r, j] == r
            assert got["physical"][r, j] == (r == 1)
    np.testing.assert_array_equal(got["next_obs"], got["obs"] + 0.5)


def test_batched_epsilon_greedy_is_each_runs_epsilon_greedy():
    q = np.random.default_rng(1).standard_normal((5, 7, 48))
    q[0, 0, [3, 9]] = q[0, 0].max() + 1                 # a tie: the lowest index wins in both
    eps = np.array([0.0, 1.0, 0.3, 0.7, 0.5])
    got = epsilon_greedy_runs(q, eps, [np.random.default_rng(s) for s in range(5)])
    want = np.stack([epsilon_greedy(q[r], eps[r], np.random.default_rng(r)) for r in range(5)])
    np.testing.assert_array_equal(got, want)
    assert got[0, 0] == 3 and np.array_equal(got[0], q[0].argmax(-1))


@pytest.mark.parametrize("optimizer", [StackedRMSprop, StackedAdam])
def test_an_active_run_steps_the_same_beside_an_inactive_one(optimizer):
    """The optimizers' unmasked path (every run active) and masked path compute the same numbers."""
    nets = [StackedQNetwork([1, 2]), StackedQNetwork([1, 2])]
    opts = [optimizer(n.parameters()) for n in nets]
    gen = torch.Generator().manual_seed(0)
    for _ in range(4):
        x = torch.randn(2, 8, 6, generator=gen)
        for net, opt, active in zip(nets, opts, ([True, True], [True, False])):
            opt.zero_grad()
            net(x).square().mean(dim=(1, 2)).sum().backward()
            opt.step(torch.tensor([1e-3, 1e-3], dtype=torch.float64), torch.tensor(active))
    for a, b in zip(*(n.parameters() for n in nets)):
        assert torch.equal(a[0], b[0])                   # run 0 active in both: identical
    fresh = StackedQNetwork([1, 2])
    assert all(torch.equal(a[1], f[1]) for a, f in zip(nets[1].parameters(), fresh.parameters()))   # never stepped


def test_the_trainer_takes_a_torch_device():
    runs = [_spec(21), _spec(22, scenario="physical_only")]
    default = Trainer(runs, eval_every=None).train(progress=False)
    for device in ("cpu", torch.device("cpu")):
        trainer = Trainer(runs, eval_every=None, device=device)
        assert trainer.device == torch.device("cpu") and trainer.online.weights[0].device.type == "cpu"
        res = trainer.train(progress=False)
        assert res.curves.equals(default.curves)
        assert all(torch.equal(a, b) for a, b in zip(res.models[1]["weights"], default.models[1]["weights"]))
    with pytest.raises(ValueError, match="device='gpu0' is not a torch device"):
        Trainer(runs, device="gpu0")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device on this machine")
def test_training_on_cuda_gives_cpu_models():            # pragma: no cover - needs a GPU
    res = Trainer([_spec(31)], eval_every=None, device="cuda").train(progress=False)
    assert res.models[0]["weights"][0].device.type == "cpu"


class _FixedDraws:
    """A generator stub: every uniform is ``eta``, every random action 7."""

    def __init__(self, eta):
        self.eta = eta

    def random(self, n):
        return np.full(n, self.eta)

    def integers(self, lo, hi, n):
        return np.full(n, 7)


@pytest.mark.parametrize("eta, expected", [(0.5, 7), (0.5000001, 2)])
def test_epsilon_greedy_explores_unless_eta_exceeds_epsilon(eta, expected):
    """Alg. 2 lines 12-17: the greedy action only when eta > epsilon; at eta == epsilon the action is random."""
    q = np.zeros((1, 3, 48))
    q[..., 2] = 1.0
    np.testing.assert_array_equal(epsilon_greedy_runs(q, np.array([0.5]), [_FixedDraws(eta)]), np.full((1, 3), expected))
    np.testing.assert_array_equal(epsilon_greedy(q[0], 0.5, _FixedDraws(eta)), np.full(3, expected))
