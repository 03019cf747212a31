"""The references beside the paper's Fig. 6b (chapter 9): ESA, the genie link adaptation, MaxP-3GPP-MCS and RA
on the held-out test drops of every (K, N) of :data:`multirat.experiments.fig6ab.SIZES`, with the code rate
fixed at 1/2 as for the learned agents (so ESA is the optimum over the same 16 actions per link).

Each scheme is evaluated with :func:`multirat.evaluation.evaluate_policy` on the physical network over the
same drops as the MADRL and SADRL runs (``seed = multirat.training.TEST_DROPS_SEED``, the profile's
``eval_drops``).
"""

from __future__ import annotations

from multirat import baselines, results
from multirat.config import TrainingConfig, get_profile

__all__ = ["NAME", "RA_SEED", "SCHEMES", "experiment_config", "run"]

NAME = "fig6ab_baselines"
SCHEMES = ("ESA", "genie MCS at P_max", "MaxP-3GPP-MCS", "RA")
#: Seed of RA's own generator (its random actions; the drops come from TEST_DROPS_SEED).
RA_SEED = 2026


def _policies():
    return {"ESA": baselines.ExhaustiveSearch, "genie MCS at P_max": baselines.GenieLinkAdaptation,
            "MaxP-3GPP-MCS": baselines.MaxPower3GPP, "RA": lambda: baselines.RandomPolicy(RA_SEED)}


def experiment_config(profile: str = "paper") -> dict:
    from multirat.experiments import fig6ab
    from multirat.training import TEST_DROPS_SEED

    prof = get_profile(profile)
    nets = {f"K={k},N={n}": prof.apply(fig6ab.half_rate_network(k, n), TrainingConfig())[0]
            for k, n in fig6ab.SIZES[profile]}
    return {"experiment": NAME, "networks": nets, "policies": {k: repr(f()) for k, f in _policies().items()},
            "n_drops": prof.eval_drops, "seed": TEST_DROPS_SEED, "network_mode": "physical"}


def run(profile: str = "paper", mode: str | None = None):
    """One row per (K, N, scheme): ``mean_kbits``, ``se_kbits``, ``ci95_halfwidth_kbits`` (over drops), ``n_drops``."""
    import pandas as pd

    from multirat.experiments import is_default, recompute_hint
    from multirat.experiments.fig5_baselines import evaluation_row

    key = experiment_config(profile)

    def compute():
        rows = [{"K": net.n_aps, "N": net.n_devices, "policy": name,
                 **evaluation_row(factory(), net, key["n_drops"], key["seed"])}
                for net in key["networks"].values() for name, factory in _policies().items()]
        return pd.DataFrame(rows)

    return results.cached_result(NAME, profile, key, compute, seeds=[key["seed"], RA_SEED], mode=mode,
                                 recompute_command=recompute_hint(NAME, profile, key),
                                 storable=is_default(NAME, profile, key))
