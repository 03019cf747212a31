"""Replay memory D of Alg. 2 (lines 3, 23, 25): FIFO, uniform sampling, for R runs side by side.

Every scheduled link adds one experience (s, a, r, s') per TS, tagged with where it came from (the
digital twin or the physical network), so the share of physical experience in D can be measured
over training. Run r's memory is row r of arrays ``[R, capacity, ...]``; it has its own fill level
and write position, and it is sampled only with run r's generator, so a run's memory is the same
alone or in a batch. Sampling is uniform with replacement over the experiences held (as in DQN
implementations such as CleanRL and Stable-Baselines3; the paper says "random mini-batch").
"""

from __future__ import annotations

import numpy as np

from multirat.config import STATE_DIM

__all__ = ["ReplayMemory"]


class ReplayMemory:
    """FIFO replay memories of ``capacity`` experiences for ``n_runs`` runs.

    ``obs_dim``: the width of an observation (6, Eq. 21; 6N for a centralized agent). ``action_shape``: the
    shape of one experience's action, ``()`` for one action index (the shared DQN, SADRL's joint index) or
    ``(N,)`` for one index per link (the factored agent, :mod:`multirat.agents.sadrl`).

    Raises ``ValueError`` for ``n_runs`` or ``capacity`` below 1.
    """

    def __init__(self, n_runs: int, capacity: int, obs_dim: int = STATE_DIM, action_shape: tuple = ()):
        if int(n_runs) < 1 or int(capacity) < 1:
            raise ValueError(f"n_runs={n_runs!r} and capacity={capacity!r} must be >= 1")
        r, c = int(n_runs), int(capacity)
        self.capacity = c
        self.obs = np.zeros((r, c, obs_dim), dtype=np.float32)
        self.next_obs = np.zeros((r, c, obs_dim), dtype=np.float32)
        self.action = np.zeros((r, c, *action_shape), dtype=np.int64)
        self.reward = np.zeros((r, c), dtype=np.float32)
        self.physical = np.zeros((r, c), dtype=bool)
        self.size = np.zeros(r, dtype=np.int64)        #: experiences held per run
        self.position = np.zeros(r, dtype=np.int64)    #: next write index per run
        self.added = np.zeros(r, dtype=np.int64)       #: experiences ever added per run

    @property
    def n_runs(self) -> int:
        return self.size.shape[0]

    def add(self, run: int, obs: np.ndarray, action: np.ndarray, reward: float, next_obs: np.ndarray,
            physical: bool) -> None:
        """Append M experiences to run ``run``'s memory, overwriting the oldest when full.

        ``obs``/``next_obs`` ``[M, 6]``, ``action`` ``[M, *action_shape]``; ``reward`` is the common reward of the TS
        (kbit/frame), the same for the M links (Sec. V-A-1). Raises ``ValueError`` on mismatched lengths.
        """
        m = len(action)
        if (obs.shape != (m, self.obs.shape[-1]) or next_obs.shape != obs.shape
                or action.shape[1:] != self.action.shape[2:]):
            raise ValueError(f"obs {obs.shape}, next_obs {next_obs.shape} and action {action.shape} must agree "
                             f"(observations [M, {self.obs.shape[-1]}], actions [M, *{self.action.shape[2:]}])")
        if m == 0:
            return
        start, end = self.position[run], (self.position[run] + m) % self.capacity
        if m > self.capacity:            # only the newest `capacity` survive, where a one-by-one write leaves them
            obs, action, next_obs = obs[-self.capacity:], action[-self.capacity:], next_obs[-self.capacity:]
            start = (start + m - self.capacity) % self.capacity
        idx = (start + np.arange(len(action))) % self.capacity
        self.obs[run, idx], self.next_obs[run, idx], self.action[run, idx] = obs, next_obs, action
        self.reward[run, idx], self.physical[run, idx] = reward, physical
        self.position[run] = end
        self.size[run] = min(self.size[run] + m, self.capacity)
        self.added[run] += m

    def add_links(self, runs, obs: np.ndarray, action: np.ndarray, reward: np.ndarray, next_obs: np.ndarray,
                  keep: np.ndarray, physical: bool) -> None:
        """One TS of several runs at once: run ``runs[j]`` appends the links ``keep[j]`` of row j.

        ``runs`` ``[J]`` distinct run indices; ``obs``/``next_obs`` ``[J, N, 6]``, ``action`` ``[J, N, *action_shape]``,
        ``keep`` ``[J, N]`` bool (the scheduled links), ``reward`` ``[J]``. The same memory contents as
        :meth:`add` called for each run in turn (tested); one vectorized write when every link is kept.
        """
        runs = np.asarray(runs, dtype=np.int64)
        n = action.shape[1]
        if not keep.all() or n > self.capacity or len(np.unique(runs)) != len(runs):
            for j, r in enumerate(runs):
                k = keep[j]
                self.add(int(r), obs[j][k], action[j][k], float(reward[j]), next_obs[j][k], physical)
            return
        idx = (self.position[runs][:, None] + np.arange(n)[None, :]) % self.capacity      # [J, N]
        rows = runs[:, None]
        self.obs[rows, idx], self.next_obs[rows, idx], self.action[rows, idx] = obs, next_obs, action
        self.reward[rows, idx] = np.asarray(reward, dtype=np.float64)[:, None]
        self.physical[rows, idx] = physical
        self.position[runs] = (self.position[runs] + n) % self.capacity
        self.size[runs] = np.minimum(self.size[runs] + n, self.capacity)
        self.added[runs] += n

    def clear_run(self, r: int) -> None:
        """Empty run r's memory (as a new one: nothing held, writing from index 0, nothing ever added); the
        other runs' memories are untouched. Stale entries stay in the arrays but are never sampled (indices
        are drawn below ``size``)."""
        self.size[r] = self.position[r] = self.added[r] = 0

    def sample_indices(self, rngs, batch_size: int) -> np.ndarray:
        """``[R, batch_size]`` indices drawn uniformly (with replacement) from each run's held experiences.

        ``rngs`` holds one generator per run, or ``None`` for a run that does not train now; a run with
        ``None`` or an empty memory gets zeros and its generator is not drawn from.
        """
        out = np.zeros((self.n_runs, batch_size), dtype=np.int64)
        for r, rng in enumerate(rngs):
            if rng is not None and self.size[r] > 0:
                out[r] = rng.integers(0, self.size[r], batch_size)
        return out

    def gather(self, idx: np.ndarray) -> dict:
        """The experiences at ``idx`` ``[R, B]``: obs/next_obs ``[R, B, 6]``, action ``[R, B, *action_shape]``,
        reward/physical ``[R, B]``."""
        flat = (np.arange(self.n_runs)[:, None] * self.capacity + idx).ravel()     # row-major [R * capacity]
        r, b = idx.shape

        def take(a):
            return a.reshape((r * self.capacity,) + a.shape[2:]).take(flat, axis=0).reshape((r, b) + a.shape[2:])

        return {"obs": take(self.obs), "action": take(self.action), "reward": take(self.reward),
                "next_obs": take(self.next_obs), "physical": take(self.physical)}

    def physical_share(self) -> np.ndarray:
        """``[R]`` share of physical-network experiences among those held (0 for an empty memory)."""
        held = np.arange(self.capacity)[None, :] < self.size[:, None]
        return np.where(self.size > 0, (self.physical & held).sum(axis=1) / np.maximum(self.size, 1), 0.0)

    def state_dict(self) -> dict:
        return {k: getattr(self, k).copy() for k in ("obs", "next_obs", "action", "reward", "physical", "size",
                                                     "position", "added")}

    def load_state_dict(self, state: dict) -> None:
        for k, v in state.items():
            getattr(self, k)[...] = v
