"""One network as a PettingZoo ``ParallelEnv`` (paper Sec. V-A: one agent per IoT link).

:class:`MultiRATParallelEnv` wraps :class:`multirat.env.NetworkEnv` with ``n_envs=1``: same model,
same random stream (``reset(seed=s)`` gives the drop, the fading and the schedule of
``NetworkEnv(config, n_envs=1).reset(seed=s)``), exposed through the PettingZoo parallel API so that
any PettingZoo/Gymnasium tooling can drive it.

* Agents ``"link_0" ... "link_{N-1}"``, all present for the whole episode (``possible_agents``).
* Observation of an agent: its local state of Eq. (21), scaled as documented in
  :mod:`multirat.env`, ``Box(-inf, inf, (6,), float32)``.
* Action: one index of ``Discrete(|A_n|)`` (power-major, see :func:`multirat.env.action_table`).
* Reward: the common reward of Sec. V-A-1, the sum throughput of the network in **kbit/frame**,
  the same for every agent.
* ``terminations`` are always False (no terminal state); ``truncations`` become True after
  ``config.slots_per_episode`` steps (a time limit), and ``agents`` is then empty.
* ``infos[agent]`` after a step: ``sinr`` (linear), ``rate_bits`` (bits/frame), ``rrb`` (the RRB
  of the slot just played, -1 if not scheduled) and ``scheduled``; after ``reset``:
  ``serving_ap`` and ``rrb`` (the RRB of the first slot).

>>> env = MultiRATParallelEnv(NetworkConfig(n_devices=4))
>>> obs, infos = env.reset(seed=1)
>>> obs, rewards, terminations, truncations, infos = env.step({a: 0 for a in env.agents})
"""

from __future__ import annotations

import numpy as np
from gymnasium import spaces
from pettingzoo import ParallelEnv

from multirat._checks import seed as _seed
from multirat.config import STATE_DIM, NetworkConfig
from multirat.env import DeviationModel, NetworkEnv

__all__ = ["MultiRATParallelEnv"]


class MultiRATParallelEnv(ParallelEnv):
    """PettingZoo parallel environment of one multi-RAT network (twin or physical).

    Args:
        config: the network (default ``NetworkConfig()``).
        mode: ``"twin"`` or ``"physical"`` (see :class:`multirat.env.NetworkEnv`).
        deviation: the physical network's deviation model (default ``LinearDeviation(config.phi)``).
        render_mode: must be ``None``; there is nothing to render (``metadata["render_modes"]`` is empty).
    """

    metadata = {"name": "multirat_v0", "render_modes": []}

    def __init__(self, config: NetworkConfig | None = None, mode: str = "twin",
                 deviation: DeviationModel | None = None, render_mode: str | None = None):
        if render_mode is not None:
            raise ValueError(f"render_mode={render_mode!r} is not supported: allowed None "
                             f"(render_modes {self.metadata['render_modes']})")
        self.render_mode = render_mode
        self.core = NetworkEnv(config, mode=mode, n_envs=1, deviation=deviation)
        self.config = self.core.config
        self.possible_agents = [f"link_{n}" for n in range(self.core.n_agents)]
        self.agents: list[str] = []
        self._index = {agent: n for n, agent in enumerate(self.possible_agents)}
        # one space object per agent, created once: observation_space(agent) is observation_space(agent)
        self.observation_spaces = {agent: spaces.Box(-np.inf, np.inf, (STATE_DIM,), np.float32)
                                   for agent in self.possible_agents}
        self.action_spaces = {agent: spaces.Discrete(self.core.n_actions) for agent in self.possible_agents}

    # --- spaces ----------------------------------------------------------------------------------
    def observation_space(self, agent: str) -> spaces.Box:
        """``Box(-inf, inf, (6,), float32)``: the scaled local state of Eq. (21)."""
        return self.observation_spaces[self._agent(agent)]

    def action_space(self, agent: str) -> spaces.Discrete:
        """``Discrete(|A_n|)``: one index per (power, modulation, code rate), Eq. (23)."""
        return self.action_spaces[self._agent(agent)]

    def _agent(self, agent) -> str:
        if agent not in self._index:
            raise ValueError(f"unknown agent {agent!r}: agents are 'link_0' ... 'link_{len(self._index) - 1}'")
        return agent

    @property
    def np_random(self) -> np.random.Generator:
        """The generator of the wrapped environment (drops, shadowing, fading, first schedule)."""
        return self.core.rng

    # --- episode ---------------------------------------------------------------------------------
    def reset(self, seed: int | None = None, options: dict | None = None):
        """New device drop and channels; returns ``(observations, infos)`` keyed by agent.

        ``seed`` reseeds the network's generator exactly as ``NetworkEnv.reset(seed)`` does, and
        seeds every agent's action and observation space from independent children of
        ``numpy.random.SeedSequence(seed)``; ``None`` continues both. ``options`` is accepted for
        API compatibility and ignored (there are no reset options; PettingZoo's API test passes some).
        ``ValueError`` for a negative or fractional seed, ``TypeError`` for another type, naming ``seed``.
        """
        seed = _seed(seed)
        obs, info = self.core.reset(seed=seed)
        if seed is not None:
            children = np.random.SeedSequence(seed).spawn(2 * len(self.possible_agents))
            for n, agent in enumerate(self.possible_agents):
                self.action_spaces[agent].seed(int(children[2 * n].generate_state(1)[0]))
                self.observation_spaces[agent].seed(int(children[2 * n + 1].generate_state(1)[0]))
        self.agents = self.possible_agents[:]
        observations = {agent: obs[0, n] for n, agent in enumerate(self.agents)}
        infos = {agent: {"serving_ap": int(info["serving_ap"][0, n]), "rrb": int(info["rrb"][0, n])}
                 for n, agent in enumerate(self.agents)}
        return observations, infos

    def step(self, actions: dict):
        """Play one time slot: ``(observations, rewards, terminations, truncations, infos)``.

        ``actions`` must map every live agent to an integer index in ``[0, |A_n|)``: ``TypeError``
        for a non-dict or a non-integer action, ``ValueError`` for missing or unknown agents and
        indices out of range, ``RuntimeError`` without live agents.
        """
        if not self.agents:
            raise RuntimeError("no live agents: call reset() first (also after the episode was truncated)")
        if not isinstance(actions, dict):
            raise TypeError(f"actions must be a dict keyed by agent; got {type(actions).__name__}")
        missing = [a for a in self.agents if a not in actions]
        unknown = [a for a in actions if a not in self._index]
        if missing or unknown:
            raise ValueError(f"actions must have exactly one entry per live agent: missing {missing}, "
                             f"unknown {unknown}")
        index = np.array([[self._action_index(agent, actions[agent]) for agent in self.possible_agents]])
        obs, reward, done, info = self.core.step(index)
        r = float(reward[0])
        observations = {agent: obs[0, n] for n, agent in enumerate(self.agents)}
        rewards = {agent: r for agent in self.agents}
        terminations = {agent: False for agent in self.agents}
        truncations = {agent: bool(done) for agent in self.agents}
        infos = {agent: {"sinr": float(info.sinr[0, n]), "rate_bits": float(info.rate_bits[0, n]),
                         "rrb": int(info.rrb[0, n]), "scheduled": bool(info.scheduled[0, n])}
                 for n, agent in enumerate(self.agents)}
        if done:
            self.agents = []
        return observations, rewards, terminations, truncations, infos

    def _action_index(self, agent: str, action) -> int:
        """An action as a Python int, checked against the agent's ``Discrete`` space."""
        value = np.asarray(action) if action is not None else None
        if value is None or value.dtype.kind not in "iu":
            raise TypeError(f"action of {agent!r} must be an integer index; got {type(action).__name__} {action!r}")
        if value.shape != ():
            raise ValueError(f"action of {agent!r} must be an integer index (a scalar); got shape {value.shape}")
        a = int(value.item())
        if not 0 <= a < self.core.n_actions:
            raise ValueError(f"action of {agent!r} must be in [0, {self.core.n_actions}); got {a}")
        return a
