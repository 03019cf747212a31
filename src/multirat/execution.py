"""Algorithm 3 (Sec. V-D): the deployed decision of the proposed scheme, stage by stage, and its timing.

Algorithm 3 runs a trained shared DQN in the physical network. Before the TS loop it determines the devices'
positions and clusters each to its nearest AP (lines 3-4, once per drop). Then, every TS, it collects each
link's channel gain at its serving AP (line 6), schedules the RRBs by PF (line 7, Algorithm 1), and every link
observes its state (line 9, Eq. 21) and plays the greedy action of the DQN (line 10). :class:`Algorithm3`
exposes each of these as a separate call on one network, built from the same library functions the
environment uses, so that each can be timed alone and checked against the environment (chapter 12).
:func:`time_stages` times named stages alone and in sequence.

What is not part of a decision here: the simulator's own work (the fading update, the SINR and throughput
of the TS, i.e. the reward). The paper's Sec. VI-H counts "SINR computation" and "ACI estimation" in its
times; in this implementation the previous TS's SINR, which the state of Eq. (21) holds, is what the
receiver measured and is read from the network, not computed (chapter 12 says what this does to the
comparison).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping

import numpy as np

from multirat import channel, scheduling, topology
from multirat.env import NetworkEnv, require_state

__all__ = ["PER_DROP_STAGES", "PER_TS_STAGES", "Algorithm3", "time_stages"]

#: Algorithm 3's stages done once per drop (lines 3-4) and every TS (lines 6-10), in order.
PER_DROP_STAGES = ("clustering",)
PER_TS_STAGES = ("CSI collection", "PF scheduling", "state", "DQN decision")


class Algorithm3:
    """Algorithm 3 on one network: each stage a call that reads the network's current TS and returns its output.

    Args:
        env: a :class:`~multirat.env.NetworkEnv` with ``n_envs == 1``, reset (its state is the TS decided).
        policy: the trained greedy policy (:class:`multirat.agents.DQNPolicy`) whose network decides.

    The stages (all arrays over the network's N links):

    * :meth:`cluster` (lines 3-4): the serving AP of every device from its position, ``[N]``;
    * :meth:`collect_csi` (line 6): g_n^t, each link's channel gain from its serving AP, ``[1, N]``;
    * :meth:`schedule` (line 7): the RRB of every link by Algorithm 1 (Eq. 18's PF metric), ``[1, N]``;
    * :meth:`observe` (line 9): the local states of Eq. (21), ``[1, N, 6]``;
    * :meth:`decide` (line 10): each link's greedy action, the argmax of the DQN's Q-values, ``[1, N]``.

    ``ValueError`` for an environment with more than one network or one that has not been reset, ``TypeError``
    for a policy without a Q-network.
    """

    def __init__(self, env: NetworkEnv, policy):
        if env.n_envs != 1:
            raise ValueError(f"env must hold one network (n_envs == 1); it holds {env.n_envs}")
        require_state(env)
        if not hasattr(policy, "network"):
            raise TypeError(f"policy must be a trained DQNPolicy; got {type(policy).__name__}")
        self.env, self.policy = env, policy
        self.network = policy.network

    def cluster(self) -> np.ndarray:
        """Lines 3-4: each device's nearest AP (:func:`multirat.topology.cluster_nearest`), ``[N]`` int."""
        return topology.cluster_nearest(self.env.state.device_xy[0], self.env.ap_xy)

    def collect_csi(self) -> np.ndarray:
        """Line 6: the channel gain of every link from its serving AP this TS, ``g = |h|^2 beta``, ``[1, N]``."""
        s = self.env.state
        n = np.arange(s.serving_ap.shape[1])
        return channel._gain_core(s.fading[0, s.serving_ap[0], n], s.large_scale[0, s.serving_ap[0], n])[None]

    def schedule(self, gain: np.ndarray) -> np.ndarray:
        """Line 7: Algorithm 1 on the PF metric of Eq. (18) with the links' average rates, ``[1, N]`` RRB or -1."""
        env = self.env
        metric = scheduling._pf_metric_core(env.state.average_rate, gain, env.p_c_w, env.noise_w)
        return scheduling._select_core(metric, env.config.n_rrbs, env.config.rrb_placement)

    def observe(self) -> np.ndarray:
        """Line 9: every link's local state of Eq. (21), ``[1, N, 6]`` float32 (:meth:`NetworkEnv.observe`)."""
        return self.env.observe()

    def decide(self, obs: np.ndarray) -> np.ndarray:
        """Line 10: every link's greedy action, the argmax of the shared DQN's Q-values, ``[1, N]`` int64 (ties to
        the lowest index, as :meth:`DQNPolicy.act`)."""
        import torch

        with torch.inference_mode():
            q = self.network(torch.from_numpy(obs))
        return q.argmax(dim=-1).numpy().astype(np.int64)

    def stages(self) -> dict[str, Callable[[], object]]:
        """The per-TS stages (:data:`PER_TS_STAGES`, in order) as calls without arguments, each on the output
        of the previous one as computed once here, so that each can be timed alone."""
        gain = self.collect_csi()
        obs = self.observe()
        return {"CSI collection": self.collect_csi, "PF scheduling": lambda: self.schedule(gain),
                "state": self.observe, "DQN decision": lambda: self.decide(obs)}

    def decision(self) -> tuple[np.ndarray, np.ndarray]:
        """One TS of Algorithm 3 after clustering: ``(rrb [1, N], actions [1, N])``."""
        gain = self.collect_csi()
        rrb = self.schedule(gain)
        return rrb, self.decide(self.observe())


def time_stages(stages: Mapping[str, Callable[[], object]], repeats: int, warmup: int = 3,
                clock: Callable[[], float] = time.perf_counter) -> list[dict]:
    """Wall time of each named stage alone and of all of them in sequence (``"whole"``).

    Each stage is called ``warmup`` times, then timed ``repeats`` times with ``clock`` (seconds); the stages in
    sequence likewise. Returns one dict per stage and one for ``"whole"``: ``stage``, ``median_s``, ``min_s``,
    ``max_s``, ``repeats``. Run it with one thread (:func:`multirat.agents.dqn.single_thread`) for the book's
    measurements. ``ValueError`` for ``repeats < 1``, ``warmup < 0`` or no stages.
    """
    if int(repeats) < 1 or int(warmup) < 0 or not stages:
        raise ValueError(f"repeats={repeats!r} must be >= 1, warmup={warmup!r} >= 0, and stages non-empty")
    calls = dict(stages)

    def whole():
        for fn in calls.values():
            fn()

    out = []
    for name, fn in [*calls.items(), ("whole", whole)]:
        for _ in range(int(warmup)):
            fn()
        samples = []
        for _ in range(int(repeats)):
            t0 = clock()
            fn()
            samples.append(clock() - t0)
        out.append({"stage": name, "median_s": statistics.median(samples), "min_s": min(samples),
                    "max_s": max(samples), "repeats": int(repeats)})
    return out
