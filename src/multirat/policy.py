"""The interface every scheme shares: a policy acts on the current TS of a network and returns a
:class:`Decision`.

The benchmarks (:mod:`multirat.baselines`), the learned agents and the evaluation
(:mod:`multirat.evaluation`) all speak it, so none of them imports another for it.
``env.step(d.actions, power_w=d.power_w)`` plays a decision ``d``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from multirat._checks import real
from multirat.env import NetworkEnv

__all__ = ["Decision", "Policy"]


@dataclass(frozen=True, eq=False)
class Decision:
    """What a scheme plays in one TS: action indices ``[B, N]`` and optional continuous powers (W).

    ``actions`` index :func:`multirat.env.action_table` (power-major); ``power_w`` ``[B, N]`` or
    ``None`` replaces the actions' discrete power levels (ESA-FP). ``info`` carries scheme-specific
    extras (e.g. ESA's predicted sum rate); it is not part of what is played. ``TypeError`` for
    actions that are not integers or powers that are not numbers, ``ValueError`` for wrong shapes
    and powers that are negative, NaN or infinite (the message shows the value).
    """

    actions: np.ndarray
    power_w: np.ndarray | None = None
    info: dict = field(default_factory=dict)

    def __post_init__(self):
        a = np.asarray(self.actions)
        if a.dtype.kind not in "iu":
            raise TypeError(f"actions must be an integer array [B, N]; got dtype {a.dtype}")
        if a.ndim != 2:
            raise ValueError(f"actions must be an integer array [B, N]; got shape {a.shape}")
        object.__setattr__(self, "actions", a.astype(np.int64))
        if self.power_w is not None:
            p = real(self.power_w, "power_w", lo=0.0, unit="W")
            if p.shape != a.shape:
                raise ValueError(f"power_w must have the shape of actions {a.shape}; got {p.shape}")
            object.__setattr__(self, "power_w", p)


class Policy(Protocol):
    """A scheme (benchmark or learned agent): ``act(env, obs) -> Decision`` for the current TS of ``env``.

    ``obs`` is the local state ``[B, N, 6]`` of Eq. (21) that :meth:`NetworkEnv.reset` / ``step`` returned.
    A policy with a ``reset()`` method is reset by :func:`multirat.evaluation.evaluate_policy` first.
    """

    name: str

    def act(self, env: NetworkEnv, obs: np.ndarray) -> Decision:
        ...
