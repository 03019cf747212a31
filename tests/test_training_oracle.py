"""An independent oracle for Algorithm 2 (multirat.training): a plain reference DQN loop.

The reference is written from the paper and the configs' documented meaning, in the style of CleanRL's
``dqn.py``: ``torch.nn.Linear`` layers, ``torch.optim.RMSprop`` / ``torch.optim.Adam``, a ``deque`` replay
memory, a separate target network, explicit loops over links and over the mini-batch bookkeeping. It shares
with the trainer only what is the contract, not the computation: the environment (validated in Part I),
the initial weights (copied in; their draw is tested in ``test_agents.py``) and the documented seeding of
each run (``SeedSequence(seed, spawn_key=(0,))`` for exploration and replay sampling, ``episode_seed`` for the
drops). Fed the same experiences and the same mini-batch indices, a one-run ``Trainer`` must end with the
same weights, per-step losses and TD targets, stored experiences and curve values within float tolerance.

Reading of Algorithm 2 the reference encodes (``multirat.config.DQNConfig`` and the Assumptions page):
one experience per *scheduled* link and TS (s, a, r, s') with the common reward; gradient steps start once
the memory holds one mini-batch; a step samples D_b experiences uniformly with replacement; the TD target
y = r + gamma max_a' q(s', a'; theta') bootstraps always (time-limit episodes); loss 1/2 mean (y - q)^2 (or
Huber); the target network is copied every T_step gradient steps; epsilon and alpha decay per episode (or
per gradient step), epsilon(t) = max(eps_min, eps0 (1 - lambda_eps)^t), alpha(t) = alpha0 (1 - lambda)^t.
"""

from __future__ import annotations

import dataclasses
import math
from collections import deque

import numpy as np
import pytest
import scipy.stats
import torch

from multirat import training
from multirat.agents.dqn import StackedQNetwork
from multirat.config import DQNConfig, NetworkConfig, TrainingConfig
from multirat.env import NetworkEnv
from multirat.evaluation import evaluate_policy
from multirat.training import TEST_DROPS_SEED, RunSpec, Trainer

# N = 5 links on R = 3 RRBs: two links idle in every TS, so "which links are stored" matters
NET = NetworkConfig(n_aps=2, n_devices=5, n_rrbs=3, slots_per_episode=10)

CASES = {
    # the paper's optimizer and loss, per-episode decays, the proposed scenario (physical every 3rd episode)
    "rmsprop-tanh-episode": RunSpec(
        seed=7, network=NET,
        training=TrainingConfig(episodes=30, z_k=3, scenario="proposed", eval_drops=2),
        dqn=DQNConfig(hidden_sizes=(16, 12), activation="tanh", learning_rate=4e-3, lr_decay=0.02, discount=0.8,
                      replay_size=40, batch_size=8, target_update_steps=37, epsilon_start=0.9, epsilon_min=0.2,
                      epsilon_decay=0.08, decay_unit="episode", rmsprop_smoothing=0.95)),
    # every other choice: relu, Adam, Huber, per-step decays, two updates per TS, physical only
    "adam-relu-step": RunSpec(
        seed=11, network=dataclasses.replace(NET, slots_per_episode=8, phi=0.9),
        training=TrainingConfig(episodes=20, scenario="physical_only", updates_per_slot=2, eval_drops=2),
        dqn=DQNConfig(hidden_sizes=(12, 16), activation="relu", learning_rate=2e-3, lr_decay=3e-3, discount=0.6,
                      replay_size=30, batch_size=6, target_update_steps=50, epsilon_start=0.8, epsilon_min=0.1,
                      epsilon_decay=7e-3, decay_unit="step", optimizer="adam", loss="huber")),
    # chapter 14's stabilizers (ours): Double-DQN targets on a reward scaled by 0.01
    "double-scaled": RunSpec(
        seed=5, network=NET,
        training=TrainingConfig(episodes=30, z_k=4, scenario="proposed", eval_drops=2),
        dqn=DQNConfig(hidden_sizes=(16, 12), learning_rate=4e-3, lr_decay=0.02, replay_size=40, batch_size=8,
                      target_update_steps=29, epsilon_start=0.9, epsilon_min=0.2, epsilon_decay=0.06,
                      td_target="double", reward_scale=0.01)),
}


class QNetwork(torch.nn.Module):
    """CleanRL's QNetwork: Linear layers with the activation between them, a linear output."""

    def __init__(self, sizes, activation):
        super().__init__()
        layers = []
        for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(torch.nn.Linear(fan_in, fan_out))
            if i < len(sizes) - 2:
                layers.append(torch.nn.Tanh() if activation == "tanh" else torch.nn.ReLU())
        self.network = torch.nn.Sequential(*layers)

    def forward(self, x):
        return self.network(x)

    def load_from(self, state):
        """Copy a ``StackedQNetwork.run_state`` (weights stored ``[in, out]``) into the Linear layers."""
        linears = [m for m in self.network if isinstance(m, torch.nn.Linear)]
        with torch.no_grad():
            for lin, w, b in zip(linears, state["weights"], state["biases"]):
                lin.weight.copy_(w.T)
                lin.bias.copy_(b.reshape(-1))

    def as_lists(self):
        linears = [m for m in self.network if isinstance(m, torch.nn.Linear)]
        return [lin.weight.detach().T for lin in linears], [lin.bias.detach() for lin in linears]


def reference_dqn(spec: RunSpec, initial_state: dict) -> dict:
    """Algorithm 2 for one run, written out plainly. Returns what it did, step by step."""
    net, tr, dqn = spec.network, spec.training, spec.dqn
    rng = np.random.default_rng(np.random.SeedSequence(spec.seed, spawn_key=(0,)))   # exploration + sampling
    sizes = (6, *dqn.hidden_sizes, 48)
    q_network, target_network = QNetwork(sizes, dqn.activation), QNetwork(sizes, dqn.activation)
    q_network.load_from(initial_state)
    target_network.load_state_dict(q_network.state_dict())
    if dqn.optimizer == "rmsprop":
        optimizer = torch.optim.RMSprop(q_network.parameters(), lr=dqn.learning_rate, alpha=dqn.rmsprop_smoothing,
                                        eps=1e-8)
    else:
        optimizer = torch.optim.Adam(q_network.parameters(), lr=dqn.learning_rate)
    rb = deque(maxlen=dqn.replay_size)
    written = 0                                      # experiences ever written (the ring's write count)
    global_step = 0                                  # gradient steps
    env = NetworkEnv(net, mode="twin", n_envs=1)
    out = {"losses": [], "td_targets": [], "curves": [], "added_per_episode": [], "target_copies": []}

    def decay_t(episode):
        return episode - 1 if dqn.decay_unit == "episode" else global_step

    for episode in range(1, tr.episodes + 1):
        physical = tr.scenario == "physical_only" or (tr.scenario == "proposed" and episode % tr.z_k == 0)
        env.mode = "physical" if physical else "twin"
        obs, _ = env.reset(seed=np.random.default_rng(np.random.SeedSequence(spec.seed, spawn_key=(1, episode))))
        eps_start = max(dqn.epsilon_min, dqn.epsilon_start * (1 - dqn.epsilon_decay) ** decay_t(episode))
        lr_start = dqn.learning_rate * (1 - dqn.lr_decay) ** decay_t(episode)
        rewards, losses, written_before = [], [], written
        for _ in range(net.slots_per_episode):
            epsilon = max(dqn.epsilon_min, dqn.epsilon_start * (1 - dqn.epsilon_decay) ** decay_t(episode))
            with torch.no_grad():
                q_values = q_network(torch.tensor(obs[0]))                               # [N, 48]
            eta = rng.random(net.n_devices)
            random_actions = rng.integers(0, 48, net.n_devices)
            actions = []
            for n in range(net.n_devices):
                actions.append(int(torch.argmax(q_values[n])) if eta[n] > epsilon else int(random_actions[n]))
            scheduled = [n for n in range(net.n_devices) if env.state.rrb[0, n] >= 0]
            next_obs, reward, _, _ = env.step(np.array([actions]))
            for n in scheduled:
                rb.append((obs[0, n].copy(), actions[n], float(reward[0]), next_obs[0, n].copy(), physical))
                written += 1
            rewards.append(float(reward[0]))
            obs = next_obs
            for _ in range(tr.updates_per_slot):
                if len(rb) < dqn.batch_size:
                    continue
                slots = rng.integers(0, len(rb), dqn.batch_size)           # indices into the trainer's ring ...
                oldest = written % dqn.replay_size if len(rb) == dqn.replay_size else 0
                data = [rb[(j - oldest) % len(rb)] for j in slots]         # ... mapped to the deque's age order
                s = torch.tensor(np.stack([d[0] for d in data]))
                a = torch.tensor([d[1] for d in data])
                r = torch.tensor([d[2] for d in data], dtype=torch.float32) * dqn.reward_scale
                s_next = torch.tensor(np.stack([d[3] for d in data]))
                with torch.no_grad():
                    if dqn.td_target == "double":        # the online network picks a', the target values it
                        a_next = q_network(s_next).argmax(dim=1, keepdim=True)
                        target_max = target_network(s_next).gather(1, a_next).squeeze(1)
                    else:
                        target_max, _ = target_network(s_next).max(dim=1)
                    td_target = r + dqn.discount * target_max
                old_val = q_network(s).gather(1, a.view(-1, 1)).squeeze(1)
                err = td_target - old_val
                if dqn.loss == "mse":
                    loss = (0.5 * err ** 2).mean()
                else:
                    loss = torch.where(err.abs() <= 1.0, 0.5 * err ** 2, err.abs() - 0.5).mean()
                for group in optimizer.param_groups:
                    group["lr"] = dqn.learning_rate * (1 - dqn.lr_decay) ** decay_t(episode)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                global_step += 1
                if global_step % dqn.target_update_steps == 0:
                    target_network.load_state_dict(q_network.state_dict())
                    out["target_copies"].append(global_step)
                losses.append(float(loss.detach()))
                out["losses"].append(float(loss.detach()))
                out["td_targets"].append(td_target.clone())
        out["added_per_episode"].append(written - written_before)
        out["curves"].append({
            "episode": episode, "physical": physical, "reward_kbits": sum(rewards) / len(rewards),
            "epsilon": eps_start, "learning_rate": lr_start,
            "loss": sum(losses) / len(losses) if losses else math.nan,
            "replay_physical_share": sum(d[4] for d in rb) / len(rb), "replay_size": len(rb),
            "grad_steps": global_step})
    out["replay"] = list(rb)
    out["weights"], out["biases"] = q_network.as_lists()
    out["target_weights"], _ = target_network.as_lists()
    return out


def _trainer_with_records(spec, monkeypatch):
    """A one-run Trainer whose per-step losses and TD targets are recorded as it trains."""
    trainer = Trainer([spec], eval_every=None)
    records = {"losses": [], "td_targets": []}
    real_step = trainer._gradient_step

    def recorded(real):
        def targets(*args, **kwargs):
            y = real(*args, **kwargs)
            records["td_targets"].append(y[0].clone())
            return y
        return targets

    def step():
        losses = real_step()
        if not np.isnan(losses[0]):
            records["losses"].append(float(losses[0]))
        return losses

    monkeypatch.setattr(training, "td_targets", recorded(training.td_targets))
    monkeypatch.setattr(training, "double_td_targets", recorded(training.double_td_targets))
    monkeypatch.setattr(trainer, "_gradient_step", step)
    return trainer, records


def _ring_in_age_order(mem, r=0):
    """The trainer's replay memory of run r, oldest first."""
    size, cap = int(mem.size[r]), mem.capacity
    start = int(mem.position[r]) if size == cap else 0
    order = (start + np.arange(size)) % cap
    return {k: getattr(mem, k)[r, order] for k in ("obs", "action", "reward", "next_obs", "physical")}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    spec = CASES[request.param]
    mp = pytest.MonkeyPatch()
    try:
        trainer, records = _trainer_with_records(spec, mp)
        initial = trainer.online.run_state(0)
        res = trainer.train(progress=False)
    finally:
        mp.undo()
    ref = reference_dqn(spec, initial)
    return spec, trainer, records, res, ref


def test_the_cases_span_target_copies_wrapping_memories_and_idle_links(case):
    spec, trainer, _, _, ref = case
    assert len(ref["target_copies"]) >= 2 and len(ref["losses"]) >= 250          # "a few hundred" steps
    assert sum(ref["added_per_episode"]) > 3 * spec.dqn.replay_size                # the FIFO memory wrapped
    assert spec.network.n_devices > spec.network.n_rrbs                            # idle links every TS
    eps = [row["epsilon"] for row in ref["curves"]]                                # epsilon reaches its floor
    assert eps[0] == spec.dqn.epsilon_start and eps[-1] == spec.dqn.epsilon_min and eps[len(eps) // 2] > eps[-1]


def test_same_weights_as_the_reference_loop(case):
    _, trainer, _, _, ref = case
    state = trainer.online.run_state(0)
    for ours, theirs in zip(state["weights"] + state["biases"], ref["weights"] + ref["biases"]):
        torch.testing.assert_close(ours.reshape(theirs.shape), theirs, rtol=1e-4, atol=1e-5)
    target = trainer.target.run_state(0)["weights"]
    for ours, theirs in zip(target, ref["target_weights"]):
        torch.testing.assert_close(ours, theirs, rtol=1e-4, atol=1e-5)
    # not vacuous: training moved the weights far beyond the tolerance
    initial = StackedQNetwork([trainer.runs[0].seed], trainer.online.sizes, trainer.dqn.activation).run_state(0)
    assert float((state["weights"][0] - initial["weights"][0]).abs().max()) > 1e-2


def test_same_losses_and_td_targets_at_every_gradient_step(case):
    _, trainer, records, _, ref = case
    assert len(records["losses"]) == len(ref["losses"]) == int(trainer.grad_steps[0])
    np.testing.assert_allclose(records["losses"], ref["losses"], rtol=1e-4, atol=1e-6)
    assert len(records["td_targets"]) == len(ref["td_targets"])
    for ours, theirs in zip(records["td_targets"], ref["td_targets"]):
        torch.testing.assert_close(ours, theirs, rtol=1e-4, atol=1e-5)


def test_same_experiences_stored(case):
    spec, trainer, _, _, ref = case
    ours = _ring_in_age_order(trainer.replay)
    assert len(ours["action"]) == len(ref["replay"]) == spec.dqn.replay_size
    np.testing.assert_array_equal(ours["action"], [d[1] for d in ref["replay"]])
    np.testing.assert_array_equal(ours["physical"], [d[4] for d in ref["replay"]])
    np.testing.assert_array_equal(ours["obs"], np.stack([d[0] for d in ref["replay"]]))
    np.testing.assert_array_equal(ours["next_obs"], np.stack([d[3] for d in ref["replay"]]))
    np.testing.assert_allclose(ours["reward"], [d[2] for d in ref["replay"]], rtol=1e-6)
    # exactly T x min(N, R) experiences per episode: one per scheduled link and TS
    per_episode = spec.network.slots_per_episode * min(spec.network.n_devices, spec.network.n_rrbs)
    assert ref["added_per_episode"] == [per_episode] * spec.training.episodes
    assert int(trainer.replay.added[0]) == per_episode * spec.training.episodes


def test_same_training_curves(case):
    _, _, _, res, ref = case
    ours = res.curves.drop(columns="run").reset_index(drop=True)
    for column in ("episode", "physical", "replay_size", "grad_steps"):
        assert ours[column].tolist() == [row[column] for row in ref["curves"]], column
    for column in ("reward_kbits", "epsilon", "learning_rate", "loss", "replay_physical_share"):
        np.testing.assert_allclose(ours[column].to_numpy(float), [row[column] for row in ref["curves"]],
                                   rtol=1e-4, atol=1e-7, err_msg=column)
    assert ours.loss.isna().sum() == 0 or ours.loss.isna().iloc[0]                  # NaN only before training


def test_first_loss_by_hand_uses_the_target_network(monkeypatch):
    """1/2 mean (r + gamma max_a' q(s', a'; theta') - q(s, a; theta))^2 over the first mini-batch, computed
    in float64 numpy from the memory, a copy of the run's generator and the two networks' weights, with a
    target network made to differ from the online one (so that using theta for q' would show)."""
    spec = RunSpec(seed=5, network=NET, training=TrainingConfig(episodes=2, z_k=1, eval_drops=2),
                   dqn=DQNConfig(hidden_sizes=(8, 8), batch_size=6, replay_size=50, discount=0.7))
    trainer = Trainer([spec], eval_every=None)
    trainer.target.load_run_state(0, StackedQNetwork([99], trainer.online.sizes).run_state(0))
    seen = {}
    real_step = trainer._gradient_step

    def step():
        if "loss" not in seen and trainer.replay.size[0] >= 6:
            seen["rng"] = np.random.default_rng()
            seen["rng"].bit_generator.state = trainer.rngs[0].bit_generator.state
            seen["memory"] = {k: v.copy() for k, v in trainer.replay.state_dict().items()}
            seen["online"], seen["target"] = trainer.online.run_state(0), trainer.target.run_state(0)
            seen["loss"] = float(real_step()[0])
            return np.array([seen["loss"]])
        return real_step()

    monkeypatch.setattr(trainer, "_gradient_step", step)
    slots = trainer.episode_slots()
    next(slots)
    assert trainer.grad_steps[0] == 0 and trainer.replay.size[0] == 3                # 3 < D_b = 6: no step yet
    next(slots)
    assert trainer.replay.size[0] == 6 and trainer.grad_steps[0] == 1                # exactly D_b: the first step

    def mlp(state, x):
        for i, (w, b) in enumerate(zip(state["weights"], state["biases"])):
            x = x @ w.double().numpy() + b.double().numpy().reshape(-1)
            if i < len(state["weights"]) - 1:
                x = np.tanh(x)
        return x

    mem = seen["memory"]
    idx = seen["rng"].integers(0, 6, 6)
    total = 0.0
    for j in idx:
        q = mlp(seen["online"], mem["obs"][0, j].astype(float))[mem["action"][0, j]]
        q_next = mlp(seen["target"], mem["next_obs"][0, j].astype(float)).max()
        y = float(mem["reward"][0, j]) + 0.7 * q_next
        total += 0.5 * (y - q) ** 2
    assert seen["loss"] == pytest.approx(total / 6, rel=1e-5)
    with_online = sum(0.5 * (float(mem["reward"][0, j]) + 0.7 * mlp(seen["online"], mem["next_obs"][0, j]
                                                                     .astype(float)).max()
                             - mlp(seen["online"], mem["obs"][0, j].astype(float))[mem["action"][0, j]]) ** 2
                      for j in idx) / 6
    assert abs(with_online - total / 6) > 1e-3 * abs(total / 6)                    # the check can tell them apart


def test_evaluate_is_evaluate_policy_on_the_test_drops_of_the_physical_network():
    spec = dataclasses.replace(CASES["rmsprop-tanh-episode"], training=TrainingConfig(episodes=2, z_k=1,
                                                                                       eval_drops=3))
    trainer = Trainer([spec], eval_every=None)
    trainer.run_episode()
    trainer.evaluate()
    row = trainer.evaluations[-1]
    per_drop = evaluate_policy(trainer.policy(0), spec.network, 3, seed=TEST_DROPS_SEED,
                               mode="physical").per_drop["mean_sum_rate_kbits"].to_numpy()
    assert row["episode"] == 1 and row["n_drops"] == 3
    assert row["throughput_kbits"] == pytest.approx(per_drop.mean(), rel=1e-12)
    assert row["se_kbits"] == pytest.approx(scipy.stats.sem(per_drop), rel=1e-12)      # standard error, ddof = 1
    twin = evaluate_policy(trainer.policy(0), spec.network, 3, seed=TEST_DROPS_SEED, mode="twin")
    other = evaluate_policy(trainer.policy(0), spec.network, 3, seed=TEST_DROPS_SEED + 1, mode="physical")
    assert twin.per_drop["mean_sum_rate_kbits"].mean() != pytest.approx(row["throughput_kbits"], rel=1e-9)
    assert other.per_drop["mean_sum_rate_kbits"].mean() != pytest.approx(row["throughput_kbits"], rel=1e-9)
    # eval_drops of the Trainer overrides the run's, and None keeps the run's (None and absent agree)
    assert Trainer([spec], eval_drops=None).eval_drops == Trainer([spec]).eval_drops == 3
    assert Trainer([spec], eval_drops=2).eval_drops == 2
