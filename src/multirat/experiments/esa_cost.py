"""Chapter 6's cost of exhaustive search: the measured run time of one ESA for one TS against the
number of links N, for the decomposed search (:func:`multirat.baselines.exhaustive_search`, the
:math:`|\\mathcal P|^N` power vectors) and the brute force over the :math:`48^N` joint actions
(:func:`multirat.baselines.exhaustive_search_bruteforce`).

A measurement of this machine, not of the model: it is run once per profile and stored (with the
platform in the sidecar), so that the book shows the same numbers on every build. The decomposed
search is timed for N = 1, 2, ... until one run takes longer than the profile's stop time (or N = 12);
the brute force up to the profile's largest N.
"""

from __future__ import annotations

import dataclasses
import math
import time

from multirat import baselines, hardness, results
from multirat.config import NetworkConfig, TrainingConfig, get_profile
from multirat.env import NetworkEnv

__all__ = ["NAME", "DEFAULT_SEED", "BUDGETS", "experiment_config", "run"]

NAME = "esa_cost"
DEFAULT_SEED = 2026
#: profile -> (stop the decomposed search after a run longer than this many seconds, largest brute-force N)
BUDGETS = {"smoke": (0.1, 2), "quick": (1.0, 3), "paper": (1.0, 3)}
MAX_N = 12


def _network(net: NetworkConfig, n: int, seed: int) -> NetworkEnv:
    env = NetworkEnv(dataclasses.replace(net, n_devices=n), mode="physical", n_envs=1)
    env.reset(seed=seed + n)
    return env


def _best_time_s(fn, repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def experiment_config(profile: str = "paper", seed: int = DEFAULT_SEED) -> dict:
    """What the table is keyed on: the network (K = 4 default geometry, the profile's episode length),
    the profile's stop time and largest brute-force N, and the seed of the drops."""
    net, _ = get_profile(profile).apply(NetworkConfig(), TrainingConfig())
    stop_s, bf_max_n = BUDGETS[profile]
    return {"experiment": NAME, "network": net, "stop_s": stop_s, "bruteforce_max_n": bf_max_n,
            "max_n": MAX_N, "seed": int(seed)}


def run(profile: str = "paper", seed: int = DEFAULT_SEED, mode: str | None = None):
    """The timing table: one row per (search, N) with ``N``, ``search`` ("decomposed ESA" or "brute
    force"), ``seconds`` (best of 1-3 runs, one TS of one physical network, drop seeded ``seed + N``)
    and ``evaluations`` (link-throughput evaluations, :func:`multirat.hardness.search_space_counts`).
    Cached in the result store (``mode`` as in :func:`multirat.results.cached_result`)."""
    import pandas as pd

    from multirat.experiments import is_default, recompute_hint

    key = experiment_config(profile, seed)

    def compute():
        rows, n = [], 0
        while True:                                              # decomposed ESA until one run exceeds stop_s
            n += 1
            env = _network(key["network"], n, seed)
            t = _best_time_s(lambda: baselines.exhaustive_search(env), 3 if n <= 6 else 1)
            rows.append({"N": n, "search": "decomposed ESA", "seconds": t,
                         "evaluations": hardness.search_space_counts(n)["decomposed_link_evaluations"]})
            if t > key["stop_s"] or n >= key["max_n"]:
                break
        for n in range(1, key["bruteforce_max_n"] + 1):          # brute force over 48^N joint actions
            env = _network(key["network"], n, seed)
            t = _best_time_s(lambda: baselines.exhaustive_search_bruteforce(env), 2 if n <= 2 else 1)
            rows.append({"N": n, "search": "brute force", "seconds": t,
                         "evaluations": hardness.search_space_counts(n)["bruteforce_link_evaluations"]})
        return pd.DataFrame(rows)

    return results.cached_result(NAME, profile, key, compute, seeds=[seed], mode=mode,
                                 recompute_command=recompute_hint(NAME, profile, key),
                                 storable=is_default(NAME, profile, key))
