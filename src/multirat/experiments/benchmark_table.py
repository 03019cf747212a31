"""Chapter 6's benchmark table: RA, MaxP-3GPP-MCS, ESA and ESA-FP in the ``(K, N)`` cases of the
paper's Fig. 7a, on the physical network (Sec. VI-A schemes, Sec. VI evaluation protocol).

Every scheme of a case meets the same held-out drops (:func:`multirat.evaluation.benchmark_table`,
common random numbers); the profile sets the number of drops (``eval_drops``) and the episode
length. The table is cached in the result store under ``data/results/benchmark_table/``.
"""

from __future__ import annotations

from multirat import baselines, evaluation, results
from multirat.config import NetworkConfig, TrainingConfig, get_profile

__all__ = ["NAME", "CASES", "DEFAULT_SEED", "SCHEMES", "network_config", "policies", "experiment_config", "run"]

NAME = "benchmark_table"
#: (K, N) of the paper's Fig. 7a, small enough for the exhaustive search.
CASES = ((1, 2), (2, 3), (3, 5))
#: Seed of the evaluation drops (and of RA's own generator).
DEFAULT_SEED = 2026
SCHEMES = ("RA", "MaxP-3GPP-MCS", "ESA", "ESA-FP")


def network_config(profile: str, base_config: NetworkConfig | None = None) -> NetworkConfig:
    """``base_config`` (default: the paper's :class:`NetworkConfig`) with the profile's episode length."""
    net, _ = get_profile(profile).apply(base_config or NetworkConfig(), TrainingConfig())
    return net


def policies(seed: int = DEFAULT_SEED) -> dict:
    """Scheme name -> factory of a fresh policy, in :data:`SCHEMES` order."""
    return {"RA": lambda: baselines.RandomPolicy(seed), "MaxP-3GPP-MCS": baselines.MaxPower3GPP,
            "ESA": baselines.ExhaustiveSearch, "ESA-FP": baselines.FractionalProgramming}


def experiment_config(profile: str = "paper", seed: int = DEFAULT_SEED, base_config: NetworkConfig | None = None,
                      cases=CASES) -> dict:
    """What the table is keyed on: the network configuration, cases, schemes, drops, seed and the
    network evaluated (``network_mode``: the physical network)."""
    prof = get_profile(profile)
    return {"experiment": NAME, "network": network_config(profile, base_config),
            "cases": [list(map(int, c)) for c in cases],
            "policies": {name: repr(factory()) for name, factory in policies(seed).items()},
            "n_drops": prof.eval_drops, "seed": int(seed), "network_mode": "physical"}


def run(profile: str = "paper", seed: int = DEFAULT_SEED, base_config: NetworkConfig | None = None, cases=CASES,
        mode: str | None = None):
    """The benchmark table (one row per case and scheme, the columns of
    :func:`multirat.evaluation.benchmark_table` but ``wall_s``, so that a recomputation gives the same
    file), loaded from the result store when it was computed for the same configuration, else computed
    (``mode`` as in :func:`multirat.results.cached_result`).
    """
    from multirat.experiments import is_default, recompute_hint

    key = experiment_config(profile, seed, base_config, cases)
    net = key["network"]

    def compute():                          # timings stay out of the table (the sidecar has the wall time)
        return evaluation.benchmark_table(cases, policies(seed), net, n_drops=key["n_drops"], seed=seed,
                                          mode="physical").drop(columns="wall_s")

    return results.cached_result(NAME, profile, key, compute, seeds=[seed], mode=mode,
                                 recompute_command=recompute_hint(NAME, profile, key),
                                 storable=is_default(NAME, profile, key))
