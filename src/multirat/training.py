"""Algorithm 2: training the shared DQN in the digital twin and the physical network, R runs at once.

Scenarios (Sec. VI-D-1, ``TrainingConfig.scenario``): 1 ``physical_only`` (every episode physical),
2 ``proposed`` (the twin, and the physical network in every episode i with i mod Z_k = 0, Alg. 2
line 18, episodes numbered i = 1..Z), 3 ``dt_only`` (the twin only). The twin and the physical
network are the same :class:`multirat.env.NetworkEnv` in its two modes.

Per episode and run: a new drop (clustering, Alg. 2 line 7); per TS: PF scheduling (inside the
environment), every link's epsilon-greedy action from its local state, one step, one experience per
*scheduled* link into the replay memory (a centralized or factored agent, chapter 9: one per TS, from the
concatenated state), then ``updates_per_slot`` gradient steps (lines 25-26) and
the target copy every T_step gradient steps (line 27). epsilon and alpha decay together, once per
episode (``DQNConfig.decay_unit="episode"``, the default: both are constant within an episode) or once per
gradient step (``"step"``: each TS's actions use the epsilon of the gradient steps done before that TS, each
gradient step the learning rate of the steps done before it). The training curves record both at the
start of each episode.

Runs (:class:`RunSpec`: seed, network, training, DQN settings) train in lockstep as one stacked
model (:mod:`multirat.agents.dqn`); each keeps its own generators, replay memory, epsilon, learning
rate and environment, so a run gives the same result alone or in any batch (tested). Randomness per
run, all derived from its seed: the initial weights (torch generator), exploration and replay
sampling (one numpy generator whose state is checkpointed), and the drop/fading/physical-deviation
stream of episode i (``SeedSequence(seed, spawn_key=(1, i))``). The held-out test drops use
``TEST_DROPS_SEED`` through :func:`multirat.evaluation.evaluate_policy` (a different spawn key, so never
a training drop), the same for every run and scheme.

A checkpoint (every ``checkpoint_every`` episodes) holds everything the rest of the run depends on;
a run killed at any point and resumed from its last checkpoint ends bit-identical to an
uninterrupted one (tested). It also records what it was computed by: the runs' configurations (as
data) and :func:`code_fingerprint`, a hash of the library code that trains; a checkpoint whose runs or
code differ is refused with a message (never silently resumed), and ``train(resume=False)`` starts afresh.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import torch

from multirat.agents.dqn import (
    StackedAdam,
    StackedQNetwork,
    StackedRMSprop,
    double_td_targets,
    epsilon_greedy_runs,
    epsilon_schedule,
    layer_sizes,
    learning_rate_schedule,
    single_thread,
    td_loss,
    td_targets,
)
from multirat.agents.policy import DQNPolicy, policy_class
from multirat.agents.sadrl import (branch_q_values, branch_td_targets, centralized_states, decode_joint_actions,
                                   factored_layer_sizes, sadrl_layer_sizes)
from multirat.agents.replay import ReplayMemory
from multirat.config import STATE_DIM
from multirat.env import NetworkEnv, require_state
from multirat.evaluation import evaluate_policy
from multirat.nonstationary import block_index, block_regime, block_start
from multirat.reproducibility import NOT_TRAINING, KernelWarning, check_kernels, code_fingerprint, training_sources
from multirat._runs import (_AFRESH, _AGENT_STREAM, _PER_RUN_DQN, _RESTART_STREAM, CheckpointError, CheckpointWarning,
                            RunSpec, TrainingResult, _as_data, _check_batch, _count, episode_seed, is_physical_episode)
from multirat.results import replacing

__all__ = ["NOT_TRAINING", "TEST_DROPS_SEED", "CheckpointError", "CheckpointWarning", "KernelWarning", "RunSpec", "Trainer",
           "TrainingResult", "check_kernels", "code_fingerprint", "episode_seed", "is_physical_episode",
           "training_sources"]

#: Seed of the held-out test drops (``evaluate_policy(..., seed=TEST_DROPS_SEED)``) for every run and scheme.
TEST_DROPS_SEED = 8_000_000_001
CHECKPOINT_FORMAT = 2



class Trainer:
    """Algorithm 2 for a batch of runs, with held-out evaluation, checkpoints and resume.

    Args:
        runs: the runs (:class:`RunSpec`); they must share the network's shapes, the episode count
            and the DQN settings other than gamma, alpha(0), lambda and the epsilon schedule.
        eval_every: evaluate every run's greedy policy on the physical network every this many
            episodes (and before the first); ``None``: only at the end.
        eval_drops: held-out test drops per evaluation (``TrainingConfig.eval_drops`` of run 0 if None).
        checkpoint: file to checkpoint to (and resume from, when it exists); ``None``: no checkpoints.
        checkpoint_every: episodes between checkpoints.
        device: the torch device of the networks, the optimizer and the mini-batches (``"cpu"``, the
            default, or e.g. ``"cuda"``); the environments, the replay memory and every generator stay on
            the CPU, so only the floating-point rounding of the network can differ between devices.

    The runs' networks are stepped as one vectorized environment per distinct network configuration and
    mode of the episode (:class:`~multirat.env.NetworkEnv` with one generator per network), so a TS of R
    runs costs a few array operations rather than R environment steps, with every run's random numbers
    exactly those it draws alone.

    Raises ``ValueError``/``TypeError`` for an inconsistent batch or bad arguments.
    """

    def __init__(self, runs, *, eval_every: int | None = None, eval_drops: int | None = None,
                 checkpoint: str | Path | None = None, checkpoint_every: int = 50, device: str | torch.device = "cpu"):
        self.runs = list(runs)
        _check_batch(self.runs)
        check_kernels()
        self.n_runs = len(self.runs)
        first = self.runs[0]
        self.episodes = first.training.episodes
        self.slots = first.network.slots_per_episode
        self.eval_every = None if eval_every is None else _count(eval_every, "eval_every")
        self.eval_drops = first.training.eval_drops if eval_drops is None else _count(eval_drops, "eval_drops")
        self.checkpoint = None if checkpoint is None else Path(checkpoint)
        self.checkpoint_every = _count(checkpoint_every, "checkpoint_every")
        try:
            self.device = torch.device(device)
        except (RuntimeError, TypeError) as exc:
            raise ValueError(f"device={device!r} is not a torch device (e.g. 'cpu', 'cuda', 'cuda:1')") from exc
        dqn = first.dqn
        self.dqn = dqn
        #: the vectorized environments, one per (network configuration, mode, runs) met so far
        self._envs: dict[tuple, NetworkEnv] = {}
        self.vectorized = True          #: False: one environment per run (the per-run loop the benchmark compares)
        self.episode_envs: list[tuple[np.ndarray, NetworkEnv]] = []    #: (runs, environment) of this episode
        #: a centralized agent (SADRL, chapter 9) sees [R, 1, 6N] and picks a joint action; the shared DQN [R, N, 6];
        #: the factored agent (ours) sees [R, 1, 6N] and has one head per link
        self.centralized, self.factored = dqn.agent == "centralized", dqn.agent == "factored"
        net = first.network
        self.n_links = net.n_devices
        sizes = (sadrl_layer_sizes(dqn, net.n_devices, net.n_actions) if self.centralized
                 else factored_layer_sizes(dqn, net.n_devices, net.n_actions) if self.factored
                 else layer_sizes(dqn, net.n_actions))
        seeds = [run.seed for run in self.runs]
        self.online = StackedQNetwork(seeds, sizes, dqn.activation).to(self.device)
        self.target = StackedQNetwork(seeds, sizes, dqn.activation).to(self.device)
        self.target.load_state_dict(self.online.state_dict())                  # Alg. 2 line 5: theta' = theta
        if dqn.optimizer == "rmsprop":
            self.optimizer = StackedRMSprop(self.online.parameters(), smoothing=dqn.rmsprop_smoothing)
        else:                                                                   # "adam" (an alternative)
            self.optimizer = StackedAdam(self.online.parameters())
        self.replay = ReplayMemory(self.n_runs, dqn.replay_size, obs_dim=sizes[0],
                                   action_shape=(self.n_links,) if self.factored else ())
        self.rngs = [np.random.default_rng(np.random.SeedSequence(s, spawn_key=(_AGENT_STREAM,))) for s in seeds]
        self.discount = torch.tensor([run.dqn.discount for run in self.runs], dtype=torch.float32,
                                     device=self.device)
        self.grad_steps = np.zeros(self.n_runs, dtype=np.int64)
        self.episode = 0                                                        # episodes completed
        self._lr_cache: tuple[int, np.ndarray] = (-1, np.zeros(0))
        self.curves: list[dict] = []
        self.evaluations: list[dict] = []

    # --- schedules --------------------------------------------------------------------------------
    def _decay_steps(self, r: int) -> int:
        return self.episode if self.dqn.decay_unit == "episode" else int(self.grad_steps[r])

    def epsilon(self) -> np.ndarray:
        """``[R]`` exploration probability of each run now."""
        return np.array([float(epsilon_schedule(self._decay_steps(r), run.dqn)) for r, run in enumerate(self.runs)])

    def learning_rate(self) -> np.ndarray:
        """``[R]`` RMSprop learning rate alpha(t) of each run now."""
        if self.dqn.decay_unit == "episode" and self._lr_cache[0] == self.episode:
            return self._lr_cache[1]                    # constant within an episode: computed once per episode
        lr = np.array([float(learning_rate_schedule(self._decay_steps(r), run.dqn)) for r, run in enumerate(self.runs)])
        self._lr_cache = (self.episode, lr)
        return lr

    # --- one gradient step (Alg. 2, lines 25-27) --------------------------------------------------
    def _gradient_step(self) -> np.ndarray:
        """One TD update of every run whose memory holds a mini-batch; returns the ``[R]`` losses (NaN: no step)."""
        batch = self.dqn.batch_size
        active = self.replay.size >= batch
        losses = np.full(self.n_runs, np.nan)
        if not active.any():
            return losses
        idx = self.replay.sample_indices([rng if a else None for rng, a in zip(self.rngs, active)], batch)
        b = self.replay.gather(idx)
        obs, next_obs, action, reward = (torch.from_numpy(b[k]).to(self.device)
                                         for k in ("obs", "next_obs", "action", "reward"))
        if self.dqn.reward_scale != 1.0:                                                # chapter 14 (ours)
            reward = reward * self.dqn.reward_scale
        if self.factored:                         # every head's q(s, a_n) and its own target, [R, B * N]
            q_taken = branch_q_values(self.online(obs), self.n_links).gather(-1, action[..., None]).squeeze(-1)
            with torch.no_grad():
                y = branch_td_targets(reward, branch_q_values(self.target(next_obs), self.n_links), self.discount)
            q_taken, y = q_taken.flatten(1), y.flatten(1)
        else:
            q_taken = self.online(obs).gather(-1, action[..., None]).squeeze(-1)       # q(s, a; theta)  [R, B]
            with torch.no_grad():
                if self.dqn.td_target == "double":                                      # chapter 14 (ours)
                    y = double_td_targets(reward, self.online(next_obs), self.target(next_obs), self.discount)
                else:
                    y = td_targets(reward, self.target(next_obs), self.discount)       # Eq. (37)       [R, B]
        loss_r = td_loss(q_taken, y, self.dqn.loss)                                      # [R]
        mask = torch.from_numpy(active).to(self.device)
        self.optimizer.zero_grad()
        (loss_r * mask).sum().backward()                                                 # runs' losses summed
        lr = self.learning_rate()
        self.optimizer.step(torch.from_numpy(lr).to(self.device), mask)
        self.grad_steps += active
        sync = active & (self.grad_steps % self.dqn.target_update_steps == 0)           # Alg. 2 line 27
        for r in np.flatnonzero(sync):
            self.target.load_run_state(r, self.online.run_state(r))
        losses[active] = loss_r.detach().cpu().numpy()[active]
        return losses

    # --- one episode ----------------------------------------------------------------------------
    def run_episode(self) -> None:
        """Play episode ``self.episode + 1`` of every run (Alg. 2, lines 7-28) and record its curve row."""
        for _ in self.episode_slots():
            pass

    def episode_slots(self):
        """Episode ``self.episode + 1`` as a generator that yields after every TS (what :meth:`run_episode`
        exhausts; the benchmark times one TS at a time). The curve row is recorded after the last TS."""
        i = self.episode + 1
        physical = [is_physical_episode(i, run.training) for run in self.runs]
        eps = self.epsilon()
        lr_now = self.learning_rate()
        eps_slot = eps                  # decay_unit "step": epsilon follows the gradient steps within the episode
        self.episode_envs = self._episode_envs(physical)
        states = np.empty((self.n_runs, self.runs[0].network.n_devices, STATE_DIM), dtype=np.float32)
        self._restart_blocks(i)
        for idx, env in self.episode_envs:                                       # line 7: every run's drop of episode i
            o, _ = env.reset(seed=[np.random.default_rng(episode_seed(self.runs[r].seed, i)) for r in idx],
                             regime=self._regimes(idx, i))
            states[idx] = o
        total = np.zeros(self.n_runs)
        loss_sum, loss_n = np.zeros(self.n_runs), np.zeros(self.n_runs)
        for t in range(self.slots):
            if t > 0 and self.dqn.decay_unit == "step":
                eps_slot = self.epsilon()
            obs = self._agent_obs(states)                                                   # [R, M, d]
            with torch.no_grad():
                q = self.online(torch.from_numpy(obs).to(self.device)).cpu().numpy()       # [R, M, |A|]
            if self.factored:
                q = branch_q_values(q[:, 0], self.n_links)                                  # [R, N, |A_n|]
            chosen = epsilon_greedy_runs(q, eps_slot, self.rngs)                          # lines 12-17
            actions = (decode_joint_actions(chosen[:, 0], states.shape[1], self.runs[0].network.n_actions)
                       if self.centralized else chosen)                                     # [R, N]
            if self.factored:
                chosen = chosen[:, None, :]                           # one experience per TS: [R, 1, N]
            nxt_states = np.empty_like(states)
            for idx, env in self.episode_envs:
                scheduled = require_state(env).rrb >= 0                                     # line 9 (PF, in env)
                nxt, reward, _, _ = env.step(actions[idx])                                  # lines 18-22
                keep = np.ones((len(idx), 1), dtype=bool) if self.centralized or self.factored else scheduled
                self.replay.add_links(idx, obs[idx], chosen[idx], reward, self._agent_obs(nxt), keep,
                                      env.mode == "physical")                               # line 23
                total[idx] += reward
                nxt_states[idx] = nxt
            states = nxt_states
            for _ in range(self.runs[0].training.updates_per_slot):
                losses = self._gradient_step()
                ok = ~np.isnan(losses)
                loss_sum[ok] += losses[ok]
                loss_n[ok] += 1
            yield
        self.episode = i
        share = self.replay.physical_share()
        for r in range(self.n_runs):
            self.curves.append({
                "run": r, "episode": i, "physical": physical[r], "reward_kbits": total[r] / self.slots,
                "epsilon": eps[r], "learning_rate": lr_now[r],
                "loss": loss_sum[r] / loss_n[r] if loss_n[r] else math.nan,
                "replay_physical_share": share[r], "replay_size": int(self.replay.size[r]),
                "grad_steps": int(self.grad_steps[r])})

    def _agent_obs(self, states: np.ndarray) -> np.ndarray:
        """What the agents observe: the links' states ``[R, N, 6]`` (shared DQN) or, for a centralized or factored
        agent, each network's concatenated state ``[R, 1, 6N]`` (one experience per TS)."""
        return centralized_states(states) if self.centralized or self.factored else states

    # --- the non-stationary network (multirat.nonstationary, chapter 13) ------------------------------
    def _regime(self, r: int, episode: int):
        """Run r's block regime at episode ``episode`` (``None`` in a stationary network)."""
        net = self.runs[r].network
        if net.block_episodes == 0:
            return None
        return block_regime(net, self.runs[r].seed, block_index(episode, net.block_episodes))

    def _regimes(self, idx, episode: int):
        """The regimes of runs ``idx`` (one group, so all stationary or none) for ``NetworkEnv.reset``."""
        regimes = [self._regime(int(r), episode) for r in idx]
        return None if regimes[0] is None else regimes

    def _restart_blocks(self, episode: int) -> None:
        """Runs with ``block_learning="from_scratch"`` whose block starts at ``episode`` start afresh: new initial
        weights (from the run's seed and the block), the target equal to them (Alg. 2 line 5), the optimizer's
        state of the run zeroed and its replay memory emptied. epsilon and alpha keep their schedules."""
        for r, run in enumerate(self.runs):
            z_m = run.network.block_episodes
            if run.training.block_learning != "from_scratch" or not block_start(episode, z_m):
                continue
            block = block_index(episode, z_m)
            seed = int(np.random.SeedSequence(run.seed, spawn_key=(_RESTART_STREAM, block)).generate_state(1)[0])
            fresh = StackedQNetwork([seed], self.online.sizes, self.dqn.activation).run_state(0)
            self.online.load_run_state(r, fresh)
            self.target.load_run_state(r, fresh)
            self.optimizer.reset_run(r)
            self.replay.clear_run(r)

    def _episode_envs(self, physical: list[bool]) -> list[tuple[np.ndarray, NetworkEnv]]:
        """The runs grouped by (network configuration, physical or twin) for one episode, each group with its
        vectorized environment ``(run indices [J], NetworkEnv with n_envs = J)``; environments are cached."""
        groups: dict[tuple, list[int]] = {}
        for r, (run, phys) in enumerate(zip(self.runs, physical)):
            key = (run.network, phys) if self.vectorized else (run.network, phys, r)
            groups.setdefault(key, []).append(r)
        out = []
        for (network, phys, *_), members in groups.items():
            key = (network, phys, tuple(members))
            if key not in self._envs:
                self._envs[key] = NetworkEnv(network, mode="physical" if phys else "twin", n_envs=len(members))
            out.append((np.array(members), self._envs[key]))
        return out

    # --- evaluation on the held-out physical drops (Alg. 3) ---------------------------------------
    def policy(self, r: int) -> DQNPolicy:
        """Run r's current greedy policy (Alg. 3)."""
        from multirat.agents.policy import run_metadata

        meta = run_metadata(self.runs[r])
        return policy_class(meta)(self._cpu_run_state(r), name=f"DQN run {r}", metadata=meta)

    def _cpu_run_state(self, r: int) -> dict:
        """Run r's weights on the CPU (what policies, models and the result store hold)."""
        state = self.online.run_state(r)
        return {**state, "weights": [w.cpu() for w in state["weights"]], "biases": [b.cpu() for b in state["biases"]]}

    def evaluate(self) -> None:
        """Physical throughput of every run's greedy policy on the held-out test drops; appends to ``evaluations``.

        The mean over drops of the mean sum throughput per TS (kbit/frame) and its standard error; every run
        (and every scheme evaluated with ``seed=TEST_DROPS_SEED``) meets the same drops. In a non-stationary
        network the drops keep the regime of the block the last episode played (block 0 before training).
        """
        for r, run in enumerate(self.runs):
            ev = evaluate_policy(self.policy(r), run.network, self.eval_drops, seed=TEST_DROPS_SEED,
                                 mode="physical", regime=self._regime(r, self.episode)
                                 ).per_drop["mean_sum_rate_kbits"].to_numpy()
            se = float(ev.std(ddof=1) / math.sqrt(ev.size)) if ev.size > 1 else math.nan
            self.evaluations.append({"run": r, "episode": self.episode, "throughput_kbits": float(ev.mean()),
                                     "se_kbits": se, "n_drops": int(ev.size)})

    def _evaluated_now(self) -> bool:
        return bool(self.evaluations) and self.evaluations[-1]["episode"] == self.episode

    # --- checkpoints ------------------------------------------------------------------------------
    def state_dict(self) -> dict:
        """Everything the rest of the runs depends on (weights, optimizer, target, replay, generators, curves)."""
        return {
            "format": CHECKPOINT_FORMAT, "runs": [_as_data(run) for run in self.runs], "code": code_fingerprint(),
            "protocol": self._protocol(), "episode": self.episode,
            "online": self.online.state_dict(), "target": self.target.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "replay": {k: torch.from_numpy(v) for k, v in self.replay.state_dict().items()},
            "rngs": [rng.bit_generator.state for rng in self.rngs],
            "grad_steps": torch.from_numpy(self.grad_steps.copy()),
            "curves": list(self.curves), "evaluations": list(self.evaluations)}

    def _protocol(self) -> dict:
        """The evaluation protocol the stored evaluations follow (a resumed run must keep it)."""
        return {"eval_every": self.eval_every, "eval_drops": self.eval_drops}

    def load_state_dict(self, state: dict) -> None:
        """Restore a :meth:`state_dict`.

        Raises :class:`CheckpointError` (a ``ValueError``) when it has another format, belongs to other runs
        (naming the first differences), follows another evaluation protocol (``eval_every``, ``eval_drops``)
        or was written by other training code (:func:`code_fingerprint` differs).
        """
        from multirat.results import config_differences

        fresh = _AFRESH
        if not isinstance(state, dict) or state.get("format") != CHECKPOINT_FORMAT:
            got = state.get("format") if isinstance(state, dict) else type(state).__name__
            raise CheckpointError(f"checkpoint format {got!r}; this code reads format {CHECKPOINT_FORMAT}. {fresh}")
        mine = [_as_data(run) for run in self.runs]
        if state["runs"] != mine:
            if len(state["runs"]) != len(mine):
                what = f"{len(state['runs'])} runs, these are {len(mine)}"
            else:
                r = next(i for i, (a, b) in enumerate(zip(state["runs"], mine)) if a != b)
                what = f"run {r}: " + "; ".join(config_differences(state["runs"][r], mine[r]))
            raise CheckpointError(f"the checkpoint belongs to other runs ({what}). {fresh}")
        if state["protocol"] != self._protocol():
            what = "; ".join(f"{k}: {state['protocol'][k]!r} -> {v!r}" for k, v in self._protocol().items()
                             if state["protocol"].get(k) != v)
            raise CheckpointError(f"the checkpoint follows another evaluation protocol ({what}): its evaluations and "
                                  f"the new ones would not form one table. {fresh}")
        if state["code"] != code_fingerprint():
            raise CheckpointError(f"the checkpoint was written by other training code (fingerprint "
                                  f"{state['code'][:12]}, this code {code_fingerprint()[:12]}; see "
                                  f"multirat.training.code_fingerprint): resuming would mix old and new training. "
                                  f"{fresh}")
        self.episode = int(state["episode"])
        self.online.load_state_dict(state["online"])
        self.target.load_state_dict(state["target"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.replay.load_state_dict({k: v.numpy() for k, v in state["replay"].items()})
        for rng, s in zip(self.rngs, state["rngs"]):
            rng.bit_generator.state = s
        self.grad_steps[...] = state["grad_steps"].numpy()
        self.curves, self.evaluations = list(state["curves"]), list(state["evaluations"])

    def save_checkpoint(self) -> None:
        if self.checkpoint is None:
            return
        self.checkpoint.parent.mkdir(parents=True, exist_ok=True)
        with replacing(self.checkpoint) as tmp:
            torch.save(self.state_dict(), tmp)

    def resume(self) -> bool:
        """Load ``checkpoint`` if it exists; returns whether it did.

        Raises :class:`CheckpointError` naming the file when it cannot be resumed (see :meth:`load_state_dict`).
        """
        if self.checkpoint is None or not self.checkpoint.exists():
            return False
        try:
            state = torch.load(self.checkpoint, weights_only=False, map_location=self.device)
        except Exception as exc:                      # a truncated or foreign file
            raise CheckpointError(f"checkpoint {self.checkpoint} is not a readable training checkpoint "
                                  f"({type(exc).__name__}). {_AFRESH}") from exc
        try:
            self.load_state_dict(state)
        except CheckpointError as exc:
            raise CheckpointError(f"checkpoint {self.checkpoint}: {exc}") from None
        return True

    def _discard_checkpoint(self, why: str) -> None:
        """Delete the checkpoint file (if any) before training afresh, saying so (:class:`CheckpointWarning`)."""
        if self.checkpoint is None or not self.checkpoint.exists():
            return
        try:
            done = torch.load(self.checkpoint, weights_only=False)["episode"]
            at = f" (at episode {int(done)} of {self.episodes})"
        except Exception:                             # unreadable: nothing to report about it
            at = ""
        self.checkpoint.unlink()
        warnings.warn(f"checkpoint {self.checkpoint}{at} discarded, training afresh: {why}", CheckpointWarning,
                      stacklevel=4)

    # --- the whole run ----------------------------------------------------------------------------
    def train(self, progress: bool = True, desc: str | None = None, resume: bool | None = True) -> TrainingResult:
        """Train to ``episodes``, evaluating and checkpointing.

        ``resume``: ``True`` continues from the checkpoint if there is one (:class:`CheckpointError` if it
        cannot: other runs, another evaluation protocol, other training code, unreadable); ``False`` deletes
        it and starts afresh; ``None`` resumes when it can and otherwise starts afresh. A discarded checkpoint
        is announced with a :class:`CheckpointWarning`. Shows a tqdm bar (episodes/s, ETA, the last mean
        held-out throughput) unless ``progress`` is False.
        """
        if resume is not None and not isinstance(resume, bool):
            raise TypeError(f"resume={resume!r} must be True, False or None")
        with single_thread():
            return self._train(progress, desc, resume)

    def _train(self, progress: bool, desc: str | None, resume: bool | None) -> TrainingResult:
        import pandas as pd
        from tqdm import tqdm

        if resume is False:
            if self.episode == 0:
                self._discard_checkpoint("resume=False (on the command line: --resume continues it)")
        else:
            try:
                self.resume()
            except CheckpointError as exc:
                if resume:
                    raise
                self._discard_checkpoint(f"it cannot be resumed: {exc}")
        if self.episode == 0 and self.eval_every is not None and not self._evaluated_now():
            self.evaluate()                                   # the untrained policy: the curves' first point
        bar = tqdm(total=self.episodes, initial=self.episode, disable=not progress, unit="episode",
                   desc=desc or f"{self.n_runs} run(s)", mininterval=1.0)
        with bar:
            while self.episode < self.episodes:
                self.run_episode()
                if self.eval_every is not None and self.episode % self.eval_every == 0:
                    self.evaluate()
                if self.episode % self.checkpoint_every == 0:
                    self.save_checkpoint()
                bar.update(1)
                if self.evaluations:
                    last = [e["throughput_kbits"] for e in self.evaluations[-self.n_runs:]]
                    bar.set_postfix(eval_kbits=f"{np.mean(last):.1f}", refresh=False)
        if not self._evaluated_now():
            self.evaluate()                                   # the final policy, always evaluated
        self.save_checkpoint()
        return TrainingResult(curves=pd.DataFrame(self.curves), evaluations=pd.DataFrame(self.evaluations),
                              models=[self._cpu_run_state(r) for r in range(self.n_runs)])
