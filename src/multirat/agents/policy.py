"""Algorithm 3: the trained DQN acting greedily on each link's local state, as a :class:`multirat.policy.Policy`.

Execution is decentralized: link n's action is ``argmax_a q(s_n, a; theta)`` from its own state of
Eq. (21) only; the PF scheduling stays in the environment (centralized, Alg. 3 line 7). The policy
speaks the interface of the benchmarks, so :func:`multirat.evaluation.evaluate_policy` compares it
with RA, MaxP-3GPP-MCS, ESA and ESA-FP on the very same drops.
"""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import numpy as np
import torch

from multirat.agents.dqn import StackedQNetwork, single_thread
from multirat.env import NetworkEnv
from multirat.policy import Decision

__all__ = ["MODEL_FORMAT", "POLICY_CLASSES", "CentralizedPolicy", "DQNPolicy", "FactoredPolicy", "load_policy",
           "policy_class", "run_metadata", "save_policy"]

MODEL_FORMAT = 1


def run_metadata(run) -> dict:
    """The configurations of a training run (a :class:`multirat.training.RunSpec`) as plain data for a model's
    metadata: ``{"seed", "network", "training", "dqn"}`` (dicts of numbers, strings and tuples), from which
    :meth:`DQNPolicy.network_config` and its siblings rebuild the configs."""
    return {"seed": int(run.seed), "network": dataclasses.asdict(run.network),
            "training": dataclasses.asdict(run.training), "dqn": dataclasses.asdict(run.dqn)}


def _action_set(config) -> np.ndarray:
    """``[|A|, 3]`` power (W), modulation order and code rate of every action of ``config``."""
    from multirat.env import action_table

    return action_table(config)[["power_w", "modulation_order", "code_rate"]].to_numpy(float)


class DQNPolicy:
    """The greedy policy of one trained network (a ``run_state`` dict of :class:`StackedQNetwork`).

    ``act(env, obs)`` returns ``Decision(argmax_a q(obs[b, n], a))`` ``[B, N]``; ties go to the lowest
    action index. Raises ``ValueError`` when ``obs`` is not ``[B, N, 6]`` or the network's action count
    differs from the environment's; warns (``UserWarning``, once per network configuration) when the
    model's metadata names the network it was trained on and the environment's actions mean other powers,
    modulations or code rates (same count, other meaning: the Q-values then rank the wrong actions).
    """

    def __init__(self, state: dict, name: str = "DQN (MADRL)", metadata: dict | None = None):
        self.network = StackedQNetwork([0], state["sizes"], state["activation"])
        self.network.load_run_state(0, state)
        self.network.requires_grad_(False)
        self.name = name
        self.metadata = dict(metadata or {})
        self._checked_configs: set = set()

    def _config(self, key: str, cls):
        if key not in self.metadata:
            raise ValueError(f"this model's metadata holds no {key!r} configuration (a model saved without "
                             f"run_metadata(run)); it holds {sorted(self.metadata)}")
        return cls(**self.metadata[key])

    def network_config(self):
        """The :class:`~multirat.config.NetworkConfig` the model was trained on (from its metadata).

        Raises ``ValueError`` when the metadata holds none."""
        from multirat.config import NetworkConfig

        return self._config("network", NetworkConfig)

    def training_config(self):
        """The :class:`~multirat.config.TrainingConfig` of the model's training run (``ValueError`` if absent)."""
        from multirat.config import TrainingConfig

        return self._config("training", TrainingConfig)

    def dqn_config(self):
        """The :class:`~multirat.config.DQNConfig` of the model's training run (``ValueError`` if absent)."""
        from multirat.config import DQNConfig

        return self._config("dqn", DQNConfig)

    def _check_action_set(self, config) -> None:
        if "network" not in self.metadata or config in self._checked_configs:
            return
        self._checked_configs.add(config)
        trained = self.network_config()
        if trained == config:
            return
        a, b = _action_set(trained), _action_set(config)
        if a.shape != b.shape or not np.allclose(a, b, rtol=1e-12, atol=0):
            fields = ("p_min_dbm", "p_max_dbm", "n_power_levels", "power_grid", "modulation_orders", "code_rates")
            what = "; ".join(f"{f}: {getattr(trained, f)!r} -> {getattr(config, f)!r}" for f in fields
                             if getattr(trained, f) != getattr(config, f))
            warnings.warn(f"{self.name}: the environment's actions differ from those the model was trained on "
                          f"({what}); its Q-values rank the trained actions, not these", UserWarning, stacklevel=4)

    @property
    def n_actions(self) -> int:
        return self.network.sizes[-1]

    def q_values(self, obs: np.ndarray) -> np.ndarray:
        """``[..., |A|]`` Q-values of local states ``obs`` ``[..., 6]``."""
        x = torch.as_tensor(np.asarray(obs, dtype=np.float32))
        if x.shape[-1] != self.network.sizes[0]:
            raise ValueError(f"obs must end with the state size {self.network.sizes[0]}; got shape {tuple(x.shape)}")
        with torch.no_grad(), single_thread():
            q = self.network(x.reshape(1, -1, x.shape[-1]))[0]
        return q.numpy().reshape(*x.shape[:-1], -1)

    def act(self, env: NetworkEnv, obs: np.ndarray) -> Decision:
        obs = np.asarray(obs)
        if obs.ndim != 3:
            raise ValueError(f"obs must be [B, N, 6]; got shape {obs.shape}")
        if env.n_actions != self.n_actions:
            raise ValueError(f"the network has {self.n_actions} actions, the environment {env.n_actions}")
        self._check_action_set(env.config)
        return Decision(np.argmax(self.q_values(obs), axis=-1).astype(np.int64))


class CentralizedPolicy(DQNPolicy):
    """The greedy policy of a trained centralized agent (SADRL, Sec. VI-E; :mod:`multirat.agents.sadrl`).

    ``act(env, obs)``: the Q-values of each network's concatenated state ``[B, 1, 6N]`` and their argmax, a
    joint action, decoded into the links' actions ``Decision`` ``[B, N]`` (ties to the lowest joint index).
    ``ValueError`` when ``obs`` is not ``[B, N, 6]`` or the network's joint action count is not
    ``env.n_actions ** N``; warns as :class:`DQNPolicy` when the actions mean other settings.
    """

    def __init__(self, state: dict, name: str = "SADRL (centralized)", metadata: dict | None = None):
        super().__init__(state, name=name, metadata=metadata)

    def act(self, env: NetworkEnv, obs: np.ndarray) -> Decision:
        from multirat.agents.sadrl import centralized_states, decode_joint_actions

        obs = np.asarray(obs)
        if obs.ndim != 3:
            raise ValueError(f"obs must be [B, N, 6]; got shape {obs.shape}")
        n = obs.shape[1]
        if self.n_actions != env.n_actions**n:
            raise ValueError(f"the network has {self.n_actions} joint actions; {n} links of {env.n_actions} actions "
                             f"need {env.n_actions**n}")
        self._check_action_set(env.config)
        joint = np.argmax(self.q_values(centralized_states(obs)), axis=-1)[:, 0]                  # [B]
        return Decision(decode_joint_actions(joint, n, env.n_actions))


class FactoredPolicy(DQNPolicy):
    """The greedy policy of a trained factored centralized agent (ours, :mod:`multirat.agents.sadrl`): each
    network's concatenated state ``[B, 1, 6N]`` through the network, link n's action the argmax of its own head
    (``Decision`` ``[B, N]``; ties to the lowest action index). ``ValueError`` when ``obs`` is not ``[B, N, 6]``
    or the network's outputs are not ``N x env.n_actions``; warns as :class:`DQNPolicy`.
    """

    def __init__(self, state: dict, name: str = "factored (ours)", metadata: dict | None = None):
        super().__init__(state, name=name, metadata=metadata)

    def act(self, env: NetworkEnv, obs: np.ndarray) -> Decision:
        from multirat.agents.sadrl import branch_q_values, centralized_states

        obs = np.asarray(obs)
        if obs.ndim != 3:
            raise ValueError(f"obs must be [B, N, 6]; got shape {obs.shape}")
        n = obs.shape[1]
        if self.n_actions != n * env.n_actions:
            raise ValueError(f"the network has {self.n_actions} outputs; {n} heads of {env.n_actions} actions "
                             f"need {n * env.n_actions}")
        self._check_action_set(env.config)
        heads = branch_q_values(self.q_values(centralized_states(obs))[:, 0], n)                   # [B, N, |A|]
        return Decision(np.argmax(heads, axis=-1).astype(np.int64))


#: The policy class of each ``DQNConfig.agent``.
POLICY_CLASSES = {"shared": DQNPolicy, "centralized": CentralizedPolicy, "factored": FactoredPolicy}


def policy_class(metadata: dict | None):
    """The policy class of a model from its metadata's ``dqn.agent`` (:data:`POLICY_CLASSES`: the shared DQN's
    :class:`DQNPolicy` when absent). ``ValueError`` for an agent of no known class."""
    agent = ((metadata or {}).get("dqn") or {}).get("agent", "shared")
    if agent not in POLICY_CLASSES:
        raise ValueError(f"the model's dqn.agent={agent!r} is unknown: allowed {sorted(POLICY_CLASSES)}")
    return POLICY_CLASSES[agent]


def save_policy(path: str | Path, state: dict, metadata: dict) -> Path:
    """Write one trained network (``run_state``) and its ``metadata`` to ``path``.

    ``metadata``: plain data only (dicts, lists, tuples, strings, numbers, booleans, None), e.g. a name,
    provenance and :func:`run_metadata` of the run, so that :func:`load_policy` can read it without
    unpickling code. Raises ``TypeError`` naming the first value of another type.
    """
    from multirat.results import replacing

    _check_plain(metadata, "metadata")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as tmp:
        torch.save({"format": MODEL_FORMAT, "state": state, "metadata": metadata}, tmp)
    return path


def load_policy(path: str | Path, name: str | None = None) -> DQNPolicy:
    """The greedy :class:`DQNPolicy` (:class:`CentralizedPolicy`, :class:`FactoredPolicy` for those agents) of a model file
    written by :func:`save_policy` (e.g. under ``data/models/``).

    Raises ``FileNotFoundError`` naming the file, ``ValueError`` for anything that is not a model file of
    this format (another file, a training checkpoint, a model of another format).
    """
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{str(path)!r} is a folder, not a model file (models are files such as "
                         "data/models/fig5/paper/<run>.pt)")
    if not path.is_file():
        raise FileNotFoundError(f"model file {str(path)!r} does not exist")
    what = (f"{path} is not a multirat model file of format {MODEL_FORMAT} (models are written by "
            "multirat.agents.save_policy, e.g. data/models/; a training checkpoint is not a model)")
    try:
        blob = torch.load(path, weights_only=True)
    except Exception as exc:                      # not a torch file, a truncated one, or one holding code objects
        raise ValueError(f"{what}: torch.load failed ({type(exc).__name__})") from exc
    if isinstance(blob, dict) and "online" in blob and "runs" in blob:
        raise ValueError(f"{what}: it is a training checkpoint (multirat.training.Trainer); the final models are "
                         "written beside the result store, e.g. data/models/")
    if (not isinstance(blob, dict) or blob.get("format") != MODEL_FORMAT or not isinstance(blob.get("state"), dict)
            or not isinstance(blob.get("metadata"), dict)):
        got = blob.get("format") if isinstance(blob, dict) else type(blob).__name__
        raise ValueError(f"{what}: found format {got!r}" + ("" if got != MODEL_FORMAT else
                                                              ", but without its 'state' or 'metadata' dict"))
    try:
        cls = policy_class(blob["metadata"])
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None
    try:
        return cls(blob["state"], name=name or blob["metadata"].get("name", path.stem), metadata=blob["metadata"])
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ValueError(f"{what}: its network state is incomplete ({type(exc).__name__}: {exc})") from None


def _check_plain(value, name: str) -> None:
    """``TypeError`` naming the first entry of ``value`` that is not plain data."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"{name} key {k!r} must be a string")
            _check_plain(v, f"{name}[{k!r}]")
        return
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _check_plain(v, f"{name}[{i}]")
        return
    raise TypeError(f"{name}={value!r} ({type(value).__name__}) is not plain data: use dicts, lists, tuples, "
                    "strings, numbers, booleans or None")
