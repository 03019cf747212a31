"""Chapter 9's cost of the centralized agent: parameters, training memory and the measured time per decision
and per gradient step of SADRL (16^N joint actions), MADRL (16 actions per link) and our factored centralized
agent (N heads of 16), code rate 1/2, against the number of links N (:func:`multirat.bench.sadrl_cases`).

A measurement of this machine, not of the model: run once per profile and stored (with the platform in the
sidecar), so that the book shows the same numbers on every build. One torch thread, as training uses.
"""

from __future__ import annotations

from multirat import bench, results

__all__ = ["LINKS", "MEASURE_MEMORY_FROM_MB", "NAME", "experiment_config", "run"]

NAME = "sadrl_cost"
#: N per profile (N = 5: a 135 M-parameter SADRL network, 3 GB to train, seconds per gradient step).
LINKS = {"smoke": (1, 2), "quick": (1, 2, 3), "paper": (1, 2, 3, 4, 5)}
#: Repeats per timing (best of).
REPEATS = {"smoke": 1, "quick": 3, "paper": 3}
#: The training memory is also measured (:func:`multirat.bench.step_memory_mb`, a subprocess each) where the computed
#: one reaches this many MB (:data:`multirat.bench.MEASURE_MEMORY_FROM_MB`).
MEASURE_MEMORY_FROM_MB = bench.MEASURE_MEMORY_FROM_MB


#: DQN settings added after the table was stored (chapter 14's stabilizers), left out of the key at these defaults
#: as :mod:`multirat.results` leaves out every such field of a configuration dataclass.
_ADDED_AFTER = {"td_target": "max", "reward_scale": 1.0}


def experiment_config(profile: str = "paper") -> dict:
    """What the table is keyed on: the N measured, the repeats and the DQN settings the networks use;
    ``ValueError`` for an unknown profile."""
    import dataclasses

    from multirat.bench import SADRL_AGENTS
    from multirat.config import DQNConfig, get_profile

    get_profile(profile)
    return {"experiment": NAME, "agents": SADRL_AGENTS, "links": LINKS[profile], "repeats": REPEATS[profile],
            "actions_per_link": 16, "memory_measured_from_mb": MEASURE_MEMORY_FROM_MB,
            "dqn": {k: v for k, v in dataclasses.asdict(DQNConfig()).items()
                    if k not in _ADDED_AFTER or v != _ADDED_AFTER[k]}}


def run(profile: str = "paper", mode: str | None = None):
    """One row per (agent, N): ``agent`` ("MADRL", "SADRL", "factored"), ``N``, ``actions`` (of the network's output),
    ``parameters``, ``training_mb`` (computed: :func:`multirat.agents.sadrl.sadrl_cost`),
    ``training_mb_measured`` (:func:`multirat.bench.step_memory_mb`, where ``training_mb`` reaches
    :data:`MEASURE_MEMORY_FROM_MB`, else NaN), ``decide_ms`` (one TS's decisions for the N links) and ``step_ms``
    (one gradient step), best of ``REPEATS``. Cached."""
    import numpy as np
    import pandas as pd

    from multirat.agents.dqn import single_thread
    from multirat.bench import sadrl_cases, step_memory_mb, time_case
    from multirat.experiments import is_default, recompute_hint

    key = experiment_config(profile)

    def compute():
        rows = []
        with single_thread():
            for (agent, n), case in sadrl_cases(key["links"]).items():
                mb = case["cost"]["training_bytes"] / 1e6
                measured = step_memory_mb(agent, n) if mb >= MEASURE_MEMORY_FROM_MB else np.nan
                rows.append({"agent": agent, "N": n, "actions": case["sizes"][-1],
                             "parameters": case["cost"]["parameters"], "training_mb": mb,
                             "training_mb_measured": measured,
                             "decide_ms": 1e3 * time_case(case["decide"], key["repeats"]),
                             "step_ms": 1e3 * time_case(case["step"], key["repeats"])})
        return pd.DataFrame(rows)

    return results.cached_result(NAME, profile, key, compute, mode=mode,
                                 recompute_command=recompute_hint(NAME, profile, key),
                                 storable=is_default(NAME, profile, key))
