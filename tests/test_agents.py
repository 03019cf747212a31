"""The shared DQN (multirat.agents): network, RMSprop, TD target, schedules, epsilon-greedy, replay, policy."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
import torch

from multirat.agents import DQNPolicy, load_policy, run_metadata, save_policy
from multirat.agents.dqn import (
    StackedAdam,
    StackedQNetwork,
    StackedRMSprop,
    epsilon_greedy,
    epsilon_schedule,
    layer_sizes,
    learning_rate_schedule,
    single_thread,
    td_loss,
    td_targets,
)
from multirat.agents.replay import ReplayMemory
from multirat.config import DQNConfig, NetworkConfig
from multirat.env import NetworkEnv

SIZES = (6, 64, 128, 48)


def test_the_papers_network_by_default():
    assert layer_sizes(DQNConfig(), 48) == SIZES
    net = StackedQNetwork([1, 2], SIZES)
    assert [tuple(w.shape) for w in net.weights] == [(2, 6, 64), (2, 64, 128), (2, 128, 48)]
    assert sum(w[0].numel() + b[0].numel() for w, b in zip(net.weights, net.biases)) == 14_960


def test_a_runs_initial_weights_depend_on_its_seed_only():
    alone = StackedQNetwork([6], SIZES)
    batch = StackedQNetwork([5, 6, 7], SIZES)
    for w1, wb in zip(alone.weights, batch.weights):
        assert torch.equal(w1[0], wb[1])
    assert not torch.equal(batch.weights[0][0], batch.weights[0][1])
    bound = 1 / np.sqrt(6)                                  # nn.Linear's U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    w = batch.weights[0].detach()
    assert float(w.abs().max()) <= bound and float(w.abs().max()) > 0.9 * bound


def test_forward_equals_an_independent_torch_mlp_per_run():
    net = StackedQNetwork([3, 4], SIZES)
    x = torch.randn(2, 10, 6, generator=torch.Generator().manual_seed(0))
    q = net(x)
    for r in range(2):
        layers = []
        for i, (w, b) in enumerate(zip(net.weights, net.biases)):
            lin = torch.nn.Linear(w.shape[1], w.shape[2])
            with torch.no_grad():
                lin.weight.copy_(w[r].T)
                lin.bias.copy_(b[r, 0])
            layers += [lin] + ([torch.nn.Tanh()] if i < 2 else [])
        ref = torch.nn.Sequential(*layers)(x[r])
        torch.testing.assert_close(q[r], ref, rtol=1e-5, atol=1e-6)


def test_run_state_round_trip_and_size_check():
    a, b = StackedQNetwork([1], SIZES), StackedQNetwork([2, 3], SIZES)
    b.load_run_state(1, a.run_state(0))
    assert torch.equal(b.weights[2][1], a.weights[2][0])
    with pytest.raises(ValueError, match="sizes"):
        StackedQNetwork([1], (6, 8, 48)).load_run_state(0, a.run_state(0))
    with pytest.raises(ValueError, match="activation"):
        StackedQNetwork([1], SIZES, activation="sigmoid")
    with pytest.raises(ValueError, match="seeds"):
        StackedQNetwork([], SIZES)


def _optimizer_case(make_ours, make_ref, steps=6):
    """Two stacked runs and one torch reference run: run 0 active throughout; run 1 active in the first step
    (so its optimizer state is non-zero), then inactive while it still receives a non-zero gradient."""
    gen = torch.Generator().manual_seed(0)
    ours = StackedQNetwork([1, 2], (6, 8, 4))
    ref = StackedQNetwork([1], (6, 8, 4))
    opt, ref_opt = make_ours(ours.parameters()), make_ref(ref.parameters())
    frozen = None
    for step in range(steps):
        x, y = torch.randn(1, 7, 6, generator=gen), torch.randn(1, 7, 4, generator=gen)
        opt.zero_grad()
        ref_opt.zero_grad()
        loss = ((ours(torch.cat([x, 2 * x])) - torch.cat([y, y])) ** 2).sum(dim=(1, 2))    # [R]
        loss.sum().backward()                                                              # both runs get gradients
        ((ref(x) - y) ** 2).sum().backward()
        assert all(float(p.grad[1].abs().max()) > 0 for p in ours.parameters())
        opt.step(torch.tensor([5e-3, 1e-2]), torch.tensor([True, step == 0]))
        ref_opt.step()
        if step == 0:
            frozen = ([p[1].detach().clone() for p in ours.parameters()],
                      {k: [v[1].clone() for v in vs] for k, vs in opt.state_dict().items() if isinstance(vs, list)})
    for p, q in zip(ours.parameters(), ref.parameters()):
        torch.testing.assert_close(p[0], q[0], rtol=1e-5, atol=1e-7)
    weights, state = frozen
    for p, f in zip(ours.parameters(), weights):
        assert torch.equal(p[1], f)                                   # inactive: weights unchanged ...
    for k, vs in state.items():                                       # ... and its optimizer state too
        assert any(float(v.abs().max()) > 0 for v in vs), k           # (non-zero, so a decay would show)
        for v, f in zip(opt.state_dict()[k], vs):
            assert torch.equal(v[1], f), k
    return opt


def test_stacked_rmsprop_equals_torch_rmsprop_and_inactive_runs_do_not_move():
    _optimizer_case(lambda p: StackedRMSprop(p, smoothing=0.9, eps=1e-8),
                    lambda p: torch.optim.RMSprop(p, lr=5e-3, alpha=0.9, eps=1e-8))


def test_stacked_adam_equals_torch_adam_and_inactive_runs_do_not_move():
    opt = _optimizer_case(lambda p: StackedAdam(p, betas=(0.8, 0.99)),
                          lambda p: torch.optim.Adam(p, lr=5e-3, betas=(0.8, 0.99)))
    assert opt.steps.tolist() == [6.0, 1.0]                           # bias correction counts active steps only


def test_the_trainer_uses_the_configured_optimizer():
    from multirat.config import TrainingConfig
    from multirat.training import RunSpec, Trainer

    def make(**dqn):
        return Trainer([RunSpec(seed=1, network=NetworkConfig(slots_per_episode=2),
                                training=TrainingConfig(episodes=1, z_k=1), dqn=DQNConfig(**dqn))])

    rms = make(rmsprop_smoothing=0.5).optimizer
    assert isinstance(rms, StackedRMSprop) and rms.smoothing == 0.5
    assert isinstance(make(optimizer="adam").optimizer, StackedAdam)


def test_td_target_bootstraps_with_each_runs_discount():
    reward = torch.tensor([[1.0, 2.0], [3.0, 4.0]])                   # [R=2, B=2]
    next_q = torch.tensor([[[0.0, 5.0], [7.0, -1.0]], [[2.0, 2.0], [-3.0, -4.0]]])
    y = td_targets(reward, next_q, torch.tensor([0.9, 0.5]))
    torch.testing.assert_close(y, torch.tensor([[1 + 0.9 * 5, 2 + 0.9 * 7], [3 + 0.5 * 2, 4 - 0.5 * 3]]))
    q = torch.tensor([[0.0, 1.0]])
    t = torch.tensor([[2.0, 1.0]])
    torch.testing.assert_close(td_loss(q, t), torch.tensor([0.5 * (4 + 0) / 2]))
    torch.testing.assert_close(td_loss(q, t, "huber"), torch.tensor([(1.5 + 0) / 2]))
    with pytest.raises(ValueError, match="kind"):
        td_loss(q, t, "l1")


def test_double_td_target_lets_the_online_network_pick_and_the_target_network_value():
    from multirat.agents.dqn import double_td_targets

    reward = torch.tensor([[1.0, 2.0], [3.0, 4.0]])                   # [R=2, B=2]
    online = torch.tensor([[[0.0, 9.0], [1.0, 1.0]], [[5.0, 4.0], [-2.0, -1.0]]])     # picks 1, 0 (tie), 0, 1
    target = torch.tensor([[[3.0, -1.0], [7.0, 8.0]], [[2.0, 6.0], [0.5, -4.0]]])
    y = double_td_targets(reward, online, target, torch.tensor([0.9, 0.5]))
    torch.testing.assert_close(y, torch.tensor([[1 - 0.9 * 1, 2 + 0.9 * 7], [3 + 0.5 * 2, 4 - 0.5 * 4]]))
    # the plain target of Eq. (37) would have taken the target network's own maxima
    assert not torch.allclose(y, td_targets(reward, target, torch.tensor([0.9, 0.5])))


def test_double_targets_only_for_the_shared_agent():
    assert DQNConfig(td_target="double").td_target == "double"
    for agent in ("centralized", "factored"):
        with pytest.raises(ValueError, match="td_target='double' is implemented for agent='shared' only"):
            DQNConfig(td_target="double", agent=agent)
    with pytest.raises(ValueError, match="reward_scale"):
        DQNConfig(reward_scale=0.0)


def test_schedules_follow_their_recursions():
    dqn = DQNConfig()
    eps, lr = dqn.epsilon_start, dqn.learning_rate
    for t in range(3000):
        assert epsilon_schedule(t, dqn) == pytest.approx(max(dqn.epsilon_min, eps), rel=1e-9)
        assert learning_rate_schedule(t, dqn) == pytest.approx(lr, rel=1e-9)
        eps *= 1 - dqn.epsilon_decay
        lr *= 1 - dqn.lr_decay                                         # alpha(t) = (1 - lambda) alpha(t - 1)
    assert epsilon_schedule(0, dqn) == 0.7 and learning_rate_schedule(0, dqn) == 5e-3
    assert epsilon_schedule(10**6, dqn) == dqn.epsilon_min             # the floor


def test_epsilon_greedy_branches():
    q = np.array([[0.0, 3.0, 1.0], [2.0, 2.0, 0.0]])
    assert epsilon_greedy(q, 0.0, np.random.default_rng(1)).tolist() == [1, 0]      # ties -> lowest index
    rng = np.random.default_rng(2)
    counts = np.bincount(epsilon_greedy(np.zeros((30_000, 3)) + [0, 0, 1], 1.0, rng), minlength=3)
    assert np.all(np.abs(counts / 30_000 - 1 / 3) < 5 * np.sqrt(2 / 9 / 30_000))          # uniform when epsilon = 1
    rng = np.random.default_rng(3)
    share = (epsilon_greedy(np.zeros((40_000, 4)) + [0, 0, 0, 1], 0.4, rng) == 3).mean()
    assert abs(share - (0.6 + 0.4 / 4)) < 5 * np.sqrt(0.7 * 0.3 / 40_000)


def test_replay_is_fifo_and_equals_one_by_one_writes():
    mem, ref = ReplayMemory(2, 5), ReplayMemory(1, 5)
    obs = np.arange(8 * 6, dtype=np.float32).reshape(8, 6)
    mem.add(1, obs[:3], np.arange(3), 1.0, obs[:3] + 1, physical=False)
    mem.add(1, obs[3:], np.arange(3, 8), 2.0, obs[3:] + 1, physical=True)          # 8 > capacity 5 in total
    for i in range(8):
        ref.add(0, obs[i:i + 1], np.array([i]), 1.0 if i < 3 else 2.0, obs[i:i + 1] + 1, physical=i >= 3)
    assert mem.size.tolist() == [0, 5] and mem.added.tolist() == [0, 8] and mem.position[1] == ref.position[0]
    assert np.array_equal(mem.action[1], ref.action[0]) and sorted(mem.action[1]) == [3, 4, 5, 6, 7]
    assert mem.physical_share().tolist() == [0.0, 1.0]
    big = ReplayMemory(1, 4)
    big.add(0, obs[:2], np.arange(2), 0.0, obs[:2], False)
    big.add(0, obs[:7], np.arange(10, 17), 0.0, obs[:7], True)                      # one add larger than D
    one = ReplayMemory(1, 4)
    for i in range(2):
        one.add(0, obs[i:i + 1], np.array([i]), 0.0, obs[i:i + 1], False)
    for i in range(7):
        one.add(0, obs[i:i + 1], np.array([10 + i]), 0.0, obs[i:i + 1], True)
    assert np.array_equal(big.action, one.action) and big.position[0] == one.position[0]
    with pytest.raises(ValueError, match="agree"):
        mem.add(0, obs[:2], np.arange(3), 0.0, obs[:2], False)


def test_replay_samples_uniformly_from_what_it_holds():
    mem = ReplayMemory(2, 10)
    mem.add(0, np.zeros((4, 6), np.float32), np.arange(4), 0.0, np.zeros((4, 6), np.float32), False)
    idx = mem.sample_indices([np.random.default_rng(0), None], 40_000)
    assert idx[1].tolist() == [0] * 40_000                                            # an empty memory: no draws
    counts = np.bincount(idx[0], minlength=10)
    assert counts[4:].sum() == 0 and np.all(np.abs(counts[:4] / 40_000 - 0.25) < 5 * np.sqrt(0.25 * 0.75 / 40_000))
    got = mem.gather(np.array([[3, 1], [0, 0]]))
    assert got["obs"].shape == (2, 2, 6) and got["action"][0].tolist() == [3, 1]


def test_policy_is_greedy_saves_and_loads(tmp_path):
    env = NetworkEnv(NetworkConfig(), n_envs=2)
    obs, _ = env.reset(seed=3)
    net = StackedQNetwork([9], layer_sizes(DQNConfig(), env.n_actions))
    policy = DQNPolicy(net.run_state(0))
    with torch.no_grad(), single_thread():
        expected = net(torch.from_numpy(obs.reshape(1, -1, 6)))[0].argmax(-1).numpy().reshape(2, -1)
    assert np.array_equal(policy.act(env, obs).actions, expected)
    path = save_policy(tmp_path / "m.pt", net.run_state(0), {"name": "run 9", "seed": 9})
    loaded = load_policy(path)
    assert loaded.name == "run 9" and loaded.metadata["seed"] == 9
    unnamed = save_policy(tmp_path / "model7.pt", net.run_state(0), {"seed": 9})
    assert load_policy(unnamed).name == "model7"                                      # the file's stem
    assert load_policy(path, name="mine").name == "mine"                              # the argument wins
    assert DQNPolicy(net.run_state(0)).name == "DQN (MADRL)" and DQNPolicy(net.run_state(0)).metadata == {}
    assert np.array_equal(loaded.act(env, obs).actions, expected)
    with pytest.raises(FileNotFoundError, match="nope.pt"):
        load_policy(tmp_path / "nope.pt")
    torch.save({"format": 99}, tmp_path / "old.pt")
    with pytest.raises(ValueError, match="format"):
        load_policy(tmp_path / "old.pt")
    with pytest.raises(ValueError, match="obs"):
        policy.act(env, obs[0])


def test_physical_share_of_a_memory_neither_full_nor_empty():
    mem = ReplayMemory(3, 10)
    obs = np.zeros((4, 6), np.float32)
    mem.add(0, obs[:3], np.arange(3), 0.0, obs[:3], physical=False)
    mem.add(0, obs[:1], np.arange(1), 0.0, obs[:1], physical=True)                   # 1 physical of 4 held
    mem.add(1, obs, np.arange(4), 0.0, obs, physical=True)
    assert mem.size.tolist() == [4, 4, 0]
    np.testing.assert_array_equal(mem.physical_share(), [0.25, 1.0, 0.0])            # of what is held, not of D
    for _ in range(3):                                                                # wrap: 12 added, 10 held
        mem.add(0, obs, np.arange(4), 0.0, obs, physical=False)
    assert mem.size[0] == 10 and mem.physical_share()[0] == 0.0                      # the physical one was flushed


def _small_model(tmp_path, network, name="m.pt"):
    from multirat.config import TrainingConfig
    from multirat.training import RunSpec

    run = RunSpec(seed=4, network=network, training=TrainingConfig(episodes=3, z_k=3), dqn=DQNConfig(discount=0.7))
    env = NetworkEnv(network, n_envs=1)
    net = StackedQNetwork([4], layer_sizes(run.dqn, env.n_actions))
    return run, save_policy(tmp_path / name, net.run_state(0), {"name": "small", **run_metadata(run)})


def test_a_model_rebuilds_the_configurations_it_was_trained_for(tmp_path):
    network = NetworkConfig(n_devices=6, phi=0.9, code_rates=(0.5, 0.75), d_free=(10, 5))
    run, path = _small_model(tmp_path, network)
    policy = load_policy(path)
    assert policy.network_config() == network and policy.training_config() == run.training
    assert policy.dqn_config() == run.dqn and policy.metadata["seed"] == 4 and policy.n_actions == 32
    bare = save_policy(tmp_path / "bare.pt", policy.network.run_state(0), {"name": "bare"})
    with pytest.raises(ValueError, match="no 'network' configuration"):
        load_policy(bare).network_config()
    with pytest.raises(TypeError, match=r"metadata\['run'\]"):
        save_policy(tmp_path / "x.pt", policy.network.run_state(0), {"run": run})        # a dataclass is not data


def test_a_model_on_another_action_set_warns_and_another_action_count_is_refused(tmp_path):
    trained = NetworkConfig(n_devices=6)
    _, path = _small_model(tmp_path, trained)
    policy = load_policy(path)
    obs = {}

    def env_of(config):
        env = NetworkEnv(config, n_envs=1)
        obs[config] = env.reset(seed=1)[0]
        return env

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        same = env_of(dataclasses.replace(trained, phi=0.9, n_devices=8))            # other network, same actions
        policy.act(same, obs[same.config])
    other_power = env_of(dataclasses.replace(trained, p_max_dbm=20.0))                 # 48 actions, other powers
    with pytest.warns(UserWarning, match=r"actions differ .*\(p_max_dbm: 30\.0 -> 20\.0\)"):
        policy.act(other_power, obs[other_power.config])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        policy.act(other_power, obs[other_power.config])                              # warned once per network
    fewer = env_of(dataclasses.replace(trained, code_rates=(0.5, 0.75), d_free=(10, 5)))              # 32 < 48 actions
    more = env_of(dataclasses.replace(trained, n_power_levels=5))                     # 60 > 48 actions
    for env in (fewer, more):
        with pytest.raises(ValueError, match=f"the network has 48 actions, the environment {env.n_actions}"):
            policy.act(env, obs[env.config])
    small_run, small = _small_model(tmp_path, dataclasses.replace(trained, code_rates=(0.5, 0.75), d_free=(10, 5)), "s.pt")
    with pytest.raises(ValueError, match="the network has 32 actions, the environment 48"):
        load_policy(small).act(same, obs[same.config])


def test_load_policy_refuses_what_is_not_a_model(tmp_path):
    from multirat.config import TrainingConfig
    from multirat.training import RunSpec, Trainer

    readme = tmp_path / "README.md"
    readme.write_text("# not a model\n")
    truncated = tmp_path / "cut.pt"
    _, good = _small_model(tmp_path, NetworkConfig())
    truncated.write_bytes(good.read_bytes()[:200])
    ck = tmp_path / "ck.pt"
    Trainer([RunSpec(seed=1, network=NetworkConfig(slots_per_episode=2), training=TrainingConfig(episodes=1, z_k=1))],
            checkpoint=ck).train(progress=False)
    torch.save({"format": 1, "state": [1, 2]}, tmp_path / "odd.pt")
    torch.save({"format": 1, "state": {"sizes": (6, 4)}, "metadata": {}}, tmp_path / "partial.pt")
    torch.save({"format": 1, "state": good and {}}, tmp_path / "nometa.pt")
    for path in (readme, truncated, ck, tmp_path / "odd.pt", tmp_path / "partial.pt", tmp_path / "nometa.pt"):
        with pytest.raises(ValueError, match="is not a multirat model file") as err:
            load_policy(path)
        assert str(path) in str(err.value)
    with pytest.raises(ValueError, match="is a folder, not a model file"):
        load_policy(tmp_path)


@pytest.mark.parametrize("make", [lambda p: StackedAdam(p, betas=(0.8, 0.99)),
                                  lambda p: StackedRMSprop(p, smoothing=0.9, eps=1e-8)], ids=["adam", "rmsprop"])
def test_reset_run_zeroes_one_run_only(make):
    net = StackedQNetwork([1, 2], (6, 8, 4))
    opt = make(net.parameters())
    for _ in range(3):
        opt.zero_grad()
        (net(torch.randn(2, 5, 6, generator=torch.Generator().manual_seed(0))) ** 2).sum().backward()
        opt.step(torch.tensor([1e-3, 1e-3]), torch.tensor([True, True]))
    before = {k: [v[1].clone() for v in vs] for k, vs in opt.state_dict().items() if isinstance(vs, list)}
    opt.reset_run(0)
    for k, vs in opt.state_dict().items():
        if isinstance(vs, list):
            assert all(float(v[0].abs().max()) == 0.0 for v in vs), k
            assert all(torch.equal(v[1], b) for v, b in zip(vs, before[k])), k
    if isinstance(opt, StackedAdam):
        assert opt.steps.tolist() == [0.0, 3.0]


def test_clear_run_empties_one_memory_only():
    mem = ReplayMemory(2, 10)
    for r in (0, 1):
        mem.add(r, np.ones((4, 6), np.float32), np.arange(4), 1.0, np.ones((4, 6), np.float32), physical=True)
    mem.clear_run(0)
    assert list(mem.size) == [0, 4] and list(mem.position) == [0, 4] and list(mem.added) == [0, 4]
    mem.add(0, np.zeros((1, 6), np.float32), np.array([7]), 2.0, np.zeros((1, 6), np.float32), physical=False)
    assert mem.size[0] == 1 and mem.action[0, 0] == 7                   # written from index 0 again
