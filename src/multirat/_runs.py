"""One training run (:class:`RunSpec`, re-exported by :mod:`multirat.training`) and the checks of a batch of runs
(:class:`multirat.training.Trainer`): counts, and which settings the runs of one stacked batch may differ in; also
a run's episode schedule and random streams (:func:`is_physical_episode`, :func:`episode_seed`, both re-exported
by :mod:`multirat.training`); what training returns and raises (:class:`TrainingResult`, :class:`CheckpointError`,
:class:`CheckpointWarning`, re-exported too)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from multirat.config import DQNConfig, NetworkConfig, TrainingConfig

@dataclass(frozen=True)
class RunSpec:
    """One independent training run: its seed and its network, training and DQN settings."""

    seed: int
    network: NetworkConfig = field(default_factory=NetworkConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    dqn: DQNConfig = field(default_factory=DQNConfig)

    def __post_init__(self):
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) or not 0 <= self.seed < 2**63:
            raise ValueError(f"seed={self.seed!r} must be an integer in [0, 2^63)")
        for name, kind in (("network", NetworkConfig), ("training", TrainingConfig), ("dqn", DQNConfig)):
            if not isinstance(getattr(self, name), kind):
                raise TypeError(f"{name} must be a {kind.__name__}; got {type(getattr(self, name)).__name__}")
        if self.dqn.agent == "centralized":                     # its joint action space must be indexable
            from multirat.agents.sadrl import joint_action_count

            try:
                joint_action_count(self.network.n_devices, self.network.n_actions)
            except ValueError as exc:
                raise ValueError(f"dqn.agent='centralized' with n_devices={self.network.n_devices} and "
                                 f"{self.network.n_actions} actions per link: {exc}") from None
        if self.training.block_learning != "continual" and self.network.block_episodes == 0:
            raise ValueError(f"training.block_learning={self.training.block_learning!r} needs a non-stationary "
                             "network: network.block_episodes must be > 0 (it is 0)")


_AGENT_STREAM, _EPISODE_STREAM, _RESTART_STREAM = 0, 1, 2      # multirat.nonstationary.BLOCK_STREAM is 3


def _as_data(run: RunSpec) -> dict:
    """A run's configuration as plain data (nested dicts of numbers, strings and tuples)."""
    return dataclasses.asdict(run)


def is_physical_episode(episode: int, training: TrainingConfig) -> bool:
    """Does episode ``episode`` (1-based, Alg. 2 line 6) play the physical network? (Alg. 2 line 18)."""
    if training.scenario == "physical_only":
        return True
    if training.scenario == "dt_only":
        return False
    return episode % training.z_k == 0


def episode_seed(run_seed: int, episode: int) -> np.random.SeedSequence:
    """The seed of run ``run_seed``'s episode ``episode`` (its drop, fading and physical deviations)."""
    return np.random.SeedSequence(int(run_seed), spawn_key=(_EPISODE_STREAM, int(episode)))


#: DQN fields that may differ between runs of one batch (they are per-run tensors / schedules)
_PER_RUN_DQN = {"discount", "learning_rate", "lr_decay", "epsilon_start", "epsilon_min", "epsilon_decay"}


def _count(value, name: str) -> int:
    """An integer >= 1 (``ValueError``/``TypeError`` naming ``name`` otherwise; 2.7 is not silently 2)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}={value!r} must be an integer >= 1")
    if value < 1:
        raise ValueError(f"{name}={value!r} must be an integer >= 1")
    return int(value)


def _check_batch(runs: list) -> None:
    if not runs:
        raise ValueError("runs must hold at least one RunSpec")
    for r, run in enumerate(runs):
        if not isinstance(run, RunSpec):
            raise TypeError(f"runs[{r}] must be a RunSpec; got {type(run).__name__} {run!r}")
    first = runs[0]
    shape = ("n_aps", "n_devices", "n_rrbs", "slots_per_episode", "n_power_levels", "modulation_orders",
             "code_rates")
    for r, run in enumerate(runs[1:], 1):
        for name in shape:
            if getattr(run.network, name) != getattr(first.network, name):
                raise ValueError(f"runs[{r}].network.{name}={getattr(run.network, name)!r} differs from runs[0]'s "
                                 f"{getattr(first.network, name)!r}: runs of one batch must share the network's shapes")
        for f in dataclasses.fields(DQNConfig):
            if f.name not in _PER_RUN_DQN and getattr(run.dqn, f.name) != getattr(first.dqn, f.name):
                raise ValueError(f"runs[{r}].dqn.{f.name}={getattr(run.dqn, f.name)!r} differs from runs[0]'s "
                                 f"{getattr(first.dqn, f.name)!r}: only {sorted(_PER_RUN_DQN)} may differ within a batch")
        for name in ("episodes", "updates_per_slot"):
            if getattr(run.training, name) != getattr(first.training, name):
                raise ValueError(f"runs[{r}].training.{name} differs from runs[0]'s: runs of a batch go in lockstep")


class CheckpointError(ValueError):
    """A checkpoint that cannot be resumed: unreadable, of another format, of other runs, of another evaluation
    protocol or written by other training code (the message names the file and what differs)."""


class CheckpointWarning(UserWarning):
    """A checkpoint was discarded: training starts afresh (``resume=False``, or ``resume=None`` and the
    checkpoint could not be resumed)."""


_AFRESH = ("Start afresh: Trainer.train(resume=False), or on the command line --mode recompute without --resume, "
           "or delete the file")


@dataclass
class TrainingResult:
    """What :meth:`Trainer.train` returns: per-episode ``curves``, held-out ``evaluations``, final ``models``."""

    curves: object          #: DataFrame: run, episode, physical, reward_kbits, epsilon, learning_rate, loss, ...
    evaluations: object     #: DataFrame: run, episode, throughput_kbits, se_kbits, n_drops
    models: list            #: one ``run_state`` dict per run (load with :class:`multirat.agents.DQNPolicy`)
