"""Algorithm 3: the trained DQN acting greedily on each link's local state, as a :class:`multirat.policy.Policy`.

Execution is decentralized: link n's action is ``argmax_a q(s_n, a; theta)`` from its own state of
Eq. (21) only; the PF scheduling stays in the environment (centralized, Alg. 3 line 7). The policy
speaks the interface of the benchmarks, so :func:`multirat.evaluation.evaluate_policy` compares it
with RA, MaxP-3GPP-MCS, ESA and ESA-FP on the very same drops.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from multirat.agents.dqn import StackedQNetwork, single_thread
from multirat.env import NetworkEnv
from multirat.policy import Decision

__all__ = ["MODEL_FORMAT", "DQNPolicy", "load_policy", "save_policy"]

MODEL_FORMAT = 1


class DQNPolicy:
    """The greedy policy of one trained network (a ``run_state`` dict of :class:`StackedQNetwork`).

    ``act(env, obs)`` returns ``Decision(argmax_a q(obs[b, n], a))`` ``[B, N]``; ties go to the lowest
    action index. Raises ``ValueError`` when ``obs`` is not ``[B, N, 6]`` or the network's action count
    differs from the environment's.
    """

    def __init__(self, state: dict, name: str = "DQN (MADRL)", metadata: dict | None = None):
        self.network = StackedQNetwork([0], state["sizes"], state["activation"])
        self.network.load_run_state(0, state)
        self.network.requires_grad_(False)
        self.name = name
        self.metadata = dict(metadata or {})

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
        return Decision(np.argmax(self.q_values(obs), axis=-1).astype(np.int64))


def save_policy(path: str | Path, state: dict, metadata: dict) -> Path:
    """Write one trained network (``run_state``) and its ``metadata`` (run, configs, provenance) to ``path``."""
    from multirat.results import replacing

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as tmp:
        torch.save({"format": MODEL_FORMAT, "state": state, "metadata": metadata}, tmp)
    return path


def load_policy(path: str | Path, name: str | None = None) -> DQNPolicy:
    """The greedy :class:`DQNPolicy` of a model file written by :func:`save_policy` (e.g. under ``data/models/``).

    Raises ``FileNotFoundError`` naming the file, ``ValueError`` for a file of another format.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"model file {str(path)!r} does not exist")
    blob = torch.load(path, weights_only=True)
    if not isinstance(blob, dict) or blob.get("format") != MODEL_FORMAT:
        raise ValueError(f"{path} is not a multirat model file of format {MODEL_FORMAT}")
    return DQNPolicy(blob["state"], name=name or blob["metadata"].get("name", path.stem), metadata=blob["metadata"])
