"""The benchmarks beside the paper's Fig. 5: RA, MaxP-3GPP-MCS and ESA-FP on the held-out test drops.

For every network condition of the Fig. 5 run matrix (phi, sigma_rt), each scheme is evaluated with
:func:`multirat.evaluation.evaluate_policy` on the physical network over the same held-out drops as the
learned policies (``seed = multirat.training.TEST_DROPS_SEED``, the profile's ``eval_drops``), so the
horizontal references of chapter 8's figures and the DQN's curves meet the very same drops.
"""

from __future__ import annotations

import dataclasses

from multirat import baselines, results
from multirat.config import NetworkConfig, TrainingConfig, get_profile

__all__ = ["NAME", "RA_SEED", "SCHEMES", "evaluation_row", "experiment_config", "network_conditions", "run"]

NAME = "fig5_baselines"
SCHEMES = ("RA", "MaxP-3GPP-MCS", "ESA-FP")
#: Seed of RA's own generator (its random actions; the drops come from TEST_DROPS_SEED).
RA_SEED = 2026


def network_conditions() -> list[tuple[float, float]]:
    """The distinct ``(phi, sigma_rt)`` of the Fig. 5 runs."""
    from multirat.experiments import fig5

    return sorted({(c["phi"], c["sigma_rt"]) for c in fig5.conditions()})


def _policies():
    return {"RA": lambda: baselines.RandomPolicy(RA_SEED), "MaxP-3GPP-MCS": baselines.MaxPower3GPP,
            "ESA-FP": baselines.FractionalProgramming}


def evaluation_row(policy, network, n_drops: int, seed: int) -> dict:
    """``policy`` on the physical ``network`` over ``n_drops`` held-out drops (``seed``):
    :func:`multirat.evaluation.evaluate_policy`'s per-drop mean sum throughput summarized as ``n_drops``,
    ``mean_kbits``, ``se_kbits`` (standard error over drops) and ``ci95_halfwidth_kbits``."""
    from multirat.evaluation import evaluate_policy

    ev = evaluate_policy(policy, network, n_drops, seed=seed, mode="physical")
    x = ev.per_drop["mean_sum_rate_kbits"]
    return {"n_drops": len(x), "mean_kbits": float(x.mean()), "se_kbits": float(x.std(ddof=1) / len(x) ** 0.5),
            "ci95_halfwidth_kbits": ev.summary["ci95_halfwidth_kbits"]}


def experiment_config(profile: str = "paper") -> dict:
    from multirat.training import TEST_DROPS_SEED

    prof = get_profile(profile)
    nets = {f"phi={phi:g},sigma_rt={sigma:g}": prof.apply(dataclasses.replace(NetworkConfig(), phi=phi,
                                                                               sigma_rt=sigma), TrainingConfig())[0]
            for phi, sigma in network_conditions()}
    return {"experiment": NAME, "networks": nets, "policies": {k: repr(f()) for k, f in _policies().items()},
            "n_drops": prof.eval_drops, "seed": TEST_DROPS_SEED, "network_mode": "physical"}


def run(profile: str = "paper", mode: str | None = None):
    """One row per (phi, sigma_rt, scheme): ``mean_kbits``, ``se_kbits``, ``ci95_halfwidth_kbits``, ``n_drops``."""
    import pandas as pd

    from multirat.experiments import is_default, recompute_hint

    key = experiment_config(profile)

    def compute():
        rows = [{"phi": phi, "sigma_rt": sigma, "policy": name,
                 **evaluation_row(factory(), net, key["n_drops"], key["seed"])}
                for (phi, sigma), net in zip(network_conditions(), key["networks"].values())
                for name, factory in _policies().items()]
        return pd.DataFrame(rows)

    return results.cached_result(NAME, profile, key, compute, seeds=[key["seed"], RA_SEED], mode=mode,
                                 recompute_command=recompute_hint(NAME, profile, key),
                                 storable=is_default(NAME, profile, key))
