"""Chapter 14, beyond the paper: the benchmarks under every combination of the plausible readings of the model's
equations (:func:`multirat.sensitivity.factorial_readings`: Eq. 17's SER, Eq. 14's HWI basis, Eq. 4's path
loss and Alg. 1's RRB placement, 36 readings), at the networks of the paper's Fig. 5-7 throughput claims
(:func:`claim_conditions`), so that the chapter can rank the readings by their distance to the paper's claims
(:func:`multirat.sensitivity.claim_distance`).

An agent cannot be trained under 36 readings here, so the learned policy is stood in for by the two reference
lines of chapter 11 it approaches from below: the genie link adaptation (P_max, each link's best MCS at its
true SINR) and ESA-FP; the chapter checks the stand-ins against the agents retrained under the one-axis readings
(``sensitivity_training``). Same test drops and seeds as ``sensitivity_baselines``. One table,
``closest_reading``.
"""

from __future__ import annotations

from multirat import results
from multirat.config import TrainingConfig, get_profile

__all__ = ["NAME", "SCHEMES", "claim_conditions", "experiment_config", "run", "tasks"]

NAME = "closest_reading"
SCHEMES = ("RA", "MaxP-3GPP-MCS", "genie MCS at P_max", "ESA-FP")


def claim_conditions(profile: str):
    """The conditions of :data:`multirat.sensitivity.CONDITIONS` the claims of
    :data:`multirat.sensitivity.CLAIMS` are read at: all but the Fig. 5 network at the high HWI level."""
    from multirat.sensitivity import CONDITIONS

    conds = CONDITIONS[profile]
    top = max(c.sigma_rt for c in conds)
    return tuple(c for c in conds if not (c.N == conds[0].N and c.sigma_rt == top and c is not conds[0]))


def tasks(profile: str = "paper"):
    """``[(reading, condition, NetworkConfig)]`` for every reading and claim condition (the profile's budget)."""
    from multirat.config import NetworkConfig
    from multirat.sensitivity import factorial_readings

    prof = get_profile(profile)
    return [(v, c, prof.apply(v.apply(c.apply(NetworkConfig())), TrainingConfig())[0])
            for v in factorial_readings() for c in claim_conditions(profile)]


def experiment_config(profile: str = "paper") -> dict:
    from multirat.experiments.fig7_benchmarks import RA_SEED
    from multirat.training import TEST_DROPS_SEED

    prof = get_profile(profile)
    return {"experiment": NAME, "networks": {f"{v.name}|{c.key}": net for v, c, net in tasks(profile)},
            "schemes": list(SCHEMES), "ra_seed": RA_SEED, "n_drops": prof.eval_drops, "seed": TEST_DROPS_SEED,
            "network_mode": "physical"}


def run(profile: str = "paper", mode: str | None = None, progress: bool = True, n_workers: int | None = None):
    """One row per (reading, condition, scheme), the columns of ``sensitivity_baselines`` (``variant`` is the
    reading's name, ``axis`` "reading"). Cached; ``n_workers`` processes (default: 2 or the CPU count if
    smaller), the same table for any number."""
    import os

    from multirat.distributed import check_workers
    from multirat.experiments import is_default, recompute_hint
    from multirat.experiments.sensitivity_baselines import evaluate_tasks

    key = experiment_config(profile)
    workers = check_workers(n_workers or min(2, os.cpu_count() or 1), "n_workers")

    def compute():
        work = [(v, c, net, True, key["n_drops"], key["seed"], SCHEMES) for v, c, net in tasks(profile)]
        return evaluate_tasks(work, workers, NAME, progress)

    return results.cached_result(NAME, profile, key, compute, seeds=[key["seed"], key["ra_seed"]], mode=mode,
                                 recompute_command=recompute_hint(NAME, profile, key),
                                 storable=is_default(NAME, profile, key))
