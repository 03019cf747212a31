"""Chapter 11 / the paper's Fig. 7 and Table 5: every benchmark, and the deployed agents, on the held-out
test drops of every network of :mod:`multirat.experiments.fig7` and beyond the paper's scale.

For every (K, N, sigma_rt) the chapter compares, each evaluated with :func:`multirat.evaluation.evaluate_policy`
on the physical network over the same drops as the learned runs (``seed = multirat.training.TEST_DROPS_SEED``,
the profile's ``eval_drops``):

* RA, MaxP-3GPP-MCS and ESA-FP (the paper's benchmarks), ESA where it is affordable (N <= :data:`ESA_MAX_LINKS`);
* the genie line (ours): P_max with each link's best MCS at its true SINR (link adaptation without power
  control), so a gain over MaxP-3GPP-MCS splits into link adaptation and power control;
* OLLA (ours): MaxP-3GPP-MCS with outer-loop link adaptation (:class:`multirat.baselines.OuterLoopLinkAdaptation`),
  its offsets starting at 0 dB with each drop as the paper's episodes start, and "OLLA (settled)", started at
  the offset OLLA settles at in that network (:func:`multirat.baselines.olla_converged_offset_db` over
  :data:`SETTLE_DROPS` calibration drops of :data:`SETTLE_SLOTS` TSs, seed :data:`SETTLE_SEED`, never a test
  drop), as a deployed network whose offsets have had time to converge;
* the models trained at (K, N) = (4, 20) deployed unchanged at every size, and those trained at (6, 100) at N >= 100
  (:data:`multirat.experiments.fig7.DEPLOYED`; the paper's argument that decentralized agents scale), one row
  per seed and training size.

Beyond the paper's scale, :data:`BEYOND` adds N = 300 and 1000 (K = 9 and 16) with every scheme but the
exhaustive ones (ESA-FP's rows stop at N = :data:`ESA_FP_MAX_LINKS`). One table, ``fig7_benchmarks``.
"""

from __future__ import annotations

from multirat import baselines, results
from multirat.config import TrainingConfig, get_profile
from multirat.experiments.fig7 import BENCHMARK_SCHEMES
from multirat.experiments.fig7 import DEPLOYED_LABEL as _DEPLOYED_LABEL

__all__ = ["BEYOND", "DEPLOYED_LABEL", "ESA_FP_MAX_LINKS", "ESA_MAX_LINKS", "NAME", "RA_SEED", "OLLA_SEED",
           "SCHEMES", "SETTLE_DROPS", "SETTLE_SEED", "SETTLE_SLOTS", "conditions", "experiment_config", "run"]

NAME = "fig7_benchmarks"
RA_SEED = 2026
OLLA_SEED = 2027
#: The calibration of "OLLA (settled)": drops, TSs per drop and the seed of the drops (disjoint from the tests').
SETTLE_DROPS, SETTLE_SLOTS, SETTLE_SEED = 10, 500, 2028
#: Sizes beyond the paper's, per profile: the trained models deployed at K = 9, N = 300 and K = 16, N = 1000.
BEYOND = {"smoke": ((2, 6),), "quick": ((6, 100),), "paper": ((9, 300), (16, 1000))}
ESA_MAX_LINKS = 5
ESA_FP_MAX_LINKS = 100
#: The benchmarks, and the label of the deployed agent's rows (the size it was trained at is in the column
#: ``trained_N``): :mod:`multirat.experiments.fig7`'s, which summarizes this table.
SCHEMES = BENCHMARK_SCHEMES
DEPLOYED_LABEL = _DEPLOYED_LABEL


def conditions(profile: str = "paper") -> list[tuple[int, int, float]]:
    """``[(K, N, sigma_rt)]``: every trained condition of ``fig7`` and the sizes of :data:`BEYOND` at the default
    and the high HWI level, sorted by N, K and sigma_rt."""
    from multirat.experiments import fig7

    out = {(k, n, s) for (k, n), sigmas in fig7.SIGMAS[profile].items() for s in sigmas}
    out |= {(k, n, s) for k, n in BEYOND[profile] for s in (fig7.DEFAULT_SIGMA, fig7.HIGH_SIGMA)}
    return sorted(out, key=lambda c: (c[1], c[0], c[2]))


def _policies(n: int, settled_offset_db: float = 0.0) -> dict:
    out = {"ESA": baselines.ExhaustiveSearch, "ESA-FP": baselines.FractionalProgramming,
           "genie MCS at P_max": baselines.GenieLinkAdaptation,
           "OLLA (settled)": lambda: baselines.OuterLoopLinkAdaptation(OLLA_SEED, initial_offset_db=settled_offset_db),
           "OLLA": lambda: baselines.OuterLoopLinkAdaptation(OLLA_SEED),
           "MaxP-3GPP-MCS": baselines.MaxPower3GPP, "RA": lambda: baselines.RandomPolicy(RA_SEED)}
    if n > ESA_MAX_LINKS:
        del out["ESA"]
    if n > ESA_FP_MAX_LINKS:
        del out["ESA-FP"]
    return out


def experiment_config(profile: str = "paper") -> dict:
    from multirat.experiments import fig7
    from multirat.training import TEST_DROPS_SEED

    prof = get_profile(profile)
    nets = {f"K={k},N={n},sigma_rt={s:g}": prof.apply(fig7.network(k, n, s), TrainingConfig())[0]
            for k, n, s in conditions(profile)}
    policies = {name: repr(f()) for name, f in _policies(1).items()}
    models = fig7.experiment_config(profile)["runs"]
    return {"experiment": NAME, "networks": nets, "policies": policies, "esa_max_links": ESA_MAX_LINKS,
            "esa_fp_max_links": ESA_FP_MAX_LINKS, "settle": (SETTLE_DROPS, SETTLE_SLOTS, SETTLE_SEED), "n_drops": prof.eval_drops, "seed": TEST_DROPS_SEED,
            "network_mode": "physical", "deployed": {"sizes": fig7.DEPLOYED[profile], "models": models}}


def _condition_rows(profile: str, k: int, n: int, sigma: float, net, n_drops: int, seed: int) -> list[dict]:
    """Every scheme's row at one network (one task of :func:`run`'s pool)."""
    from multirat.experiments import fig7
    from multirat.experiments.fig5_baselines import evaluation_row

    rows = []
    settled = baselines.olla_converged_offset_db(net, SETTLE_DROPS, SETTLE_SLOTS, SETTLE_SEED, seed=OLLA_SEED)
    for name, factory in _policies(n, settled).items():
        rows.append({"K": k, "N": n, "sigma_rt": sigma, "scheme": name, "seed": -1, "trained_K": 0,
                     "trained_N": 0, "olla_offset_db": settled if name == "OLLA (settled)" else float("nan"),
                     **evaluation_row(factory(), net, n_drops, seed)})
    for i, (dk, dn) in enumerate(fig7.DEPLOYED[profile]):
        if (i > 0 and n < dn) or sigma not in fig7.SIGMAS[profile].get((dk, dn), ()):
            continue
        for s, policy in fig7.final_models(profile, dk, dn, sigma).items():
            rows.append({"K": k, "N": n, "sigma_rt": sigma, "scheme": DEPLOYED_LABEL, "seed": s, "trained_K": dk,
                         "trained_N": dn, "olla_offset_db": float("nan"), **evaluation_row(policy, net, n_drops, seed)})
    return rows


def run(profile: str = "paper", mode: str | None = None, progress: bool = True, n_workers: int | None = None):
    """One row per (K, N, sigma_rt, scheme[, seed]): ``scheme``, ``seed`` (the deployed agent's training seed,
    -1 for a benchmark), ``trained_K``/``trained_N`` (the deployed agent's training size, 0 for a benchmark),
    ``olla_offset_db`` (the settled OLLA's starting offset, else NaN), ``mean_kbits``, ``se_kbits``,
    ``ci95_halfwidth_kbits`` (over drops), ``n_drops``. Cached; computing it needs the stored models of
    ``fig7`` (``FileNotFoundError`` with the command that trains them). The networks are evaluated by
    ``n_workers`` processes (default: 2 or the CPU count if smaller; :func:`multirat.distributed.map_tasks`); every
    scheme has its own generator, so the table does not depend on it."""
    import os

    import pandas as pd

    from multirat.distributed import check_workers, map_tasks
    from multirat.experiments import is_default, recompute_hint

    key = experiment_config(profile)
    workers = check_workers(n_workers or min(2, os.cpu_count() or 1), "n_workers")

    def compute():
        tasks = [(profile, k, n, sigma, net, key["n_drops"], key["seed"])
                 for (k, n, sigma), net in zip(conditions(profile), key["networks"].values())]
        names = [f"{NAME} {profile} K={k} N={n} sigma_rt={sigma}" for (k, n, sigma) in conditions(profile)]
        # the largest networks first, so that no worker starts one when the others are about done
        parts = map_tasks(_condition_rows, tasks[::-1], names[::-1], workers=workers, progress=progress,
                          desc=NAME, no_retry=(FileNotFoundError,))[::-1]          # a model fig7 has not stored
        return pd.DataFrame([row for part in parts for row in part])

    return results.cached_result(NAME, profile, key, compute, seeds=[key["seed"], RA_SEED, OLLA_SEED], mode=mode,
                                 recompute_command=recompute_hint(NAME, profile, key),
                                 storable=is_default(NAME, profile, key))
