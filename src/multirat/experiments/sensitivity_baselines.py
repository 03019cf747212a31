"""Chapter 14: every benchmark under every reading of :data:`multirat.sensitivity.VARIANTS`, on the held-out test
drops of the networks the claims are measured in (:data:`multirat.sensitivity.CONDITIONS`).

For every (variant, condition): RA, MaxP-3GPP-MCS, OLLA started at its settled offset, the genie line (P_max
with each link's best MCS at its true SINR) and, at the networks where the chapter reads the fraction of the
optimum (the Fig. 5 network and the largest N, at phi 0.4), ESA-FP; the settings and seeds of chapter 11
(:mod:`multirat.experiments.fig7_benchmarks`), so the default variant's rows equal chapter 11's at the same
networks. The CQI threshold set of a variant applies to MaxP-3GPP-MCS and OLLA. One table,
``sensitivity_baselines``.
"""

from __future__ import annotations

from multirat import baselines, results
from multirat.config import TrainingConfig, get_profile

__all__ = ["NAME", "SCHEMES", "esa_fp_conditions", "evaluate_tasks", "experiment_config", "run", "task_rows", "tasks",
           "values"]

NAME = "sensitivity_baselines"
SCHEMES = ("RA", "MaxP-3GPP-MCS", "OLLA (settled)", "genie MCS at P_max", "ESA-FP")


def esa_fp_conditions(profile: str):
    """The conditions where ESA-FP runs: phi as the first condition's, at the first condition's size and at the
    largest N (every HWI level there)."""
    from multirat.sensitivity import CONDITIONS

    conds = CONDITIONS[profile]
    big_n = max(c.N for c in conds)
    return tuple(c for c in conds if c.phi == conds[0].phi and (c.N in (conds[0].N, big_n)))


def tasks(profile: str = "paper"):
    """``[(variant, condition, NetworkConfig)]`` for every variant and condition of ``profile``, in that order
    (the profile's evaluation budget applied). ``ValueError`` for an unknown profile."""
    from multirat.config import NetworkConfig
    from multirat.sensitivity import CONDITIONS, VARIANTS

    prof = get_profile(profile)
    out = []
    for variant in VARIANTS:
        for cond in CONDITIONS[profile]:
            net = prof.apply(variant.apply(cond.apply(NetworkConfig())), TrainingConfig())[0]
            out.append((variant, cond, net))
    return out


def _policies(thresholds: str, settled_offset_db: float, with_esa_fp: bool) -> dict:
    from multirat.experiments.fig7_benchmarks import OLLA_SEED, RA_SEED

    out = {"RA": lambda: baselines.RandomPolicy(RA_SEED),
           "MaxP-3GPP-MCS": lambda: baselines.MaxPower3GPP(thresholds=thresholds),
           "OLLA (settled)": lambda: baselines.OuterLoopLinkAdaptation(OLLA_SEED, initial_offset_db=settled_offset_db,
                                                                       thresholds=thresholds),
           "genie MCS at P_max": baselines.GenieLinkAdaptation, "ESA-FP": baselines.FractionalProgramming}
    if not with_esa_fp:
        del out["ESA-FP"]
    return out


def experiment_config(profile: str = "paper") -> dict:
    from multirat.experiments.fig7_benchmarks import OLLA_SEED, RA_SEED, SETTLE_DROPS, SETTLE_SEED, SETTLE_SLOTS
    from multirat.training import TEST_DROPS_SEED

    prof = get_profile(profile)
    nets = {f"{v.name}|{c.key}": (net, v.thresholds) for v, c, net in tasks(profile)}
    return {"experiment": NAME, "networks": nets, "esa_fp": [c.key for c in esa_fp_conditions(profile)],
            "policies": {k: repr(f()) for k, f in _policies("common", 0.0, True).items()},
            "seeds": {"RA": RA_SEED, "OLLA": OLLA_SEED}, "settle": (SETTLE_DROPS, SETTLE_SLOTS, SETTLE_SEED),
            "n_drops": prof.eval_drops, "seed": TEST_DROPS_SEED, "network_mode": "physical"}


def task_rows(variant, cond, net, with_esa_fp: bool, n_drops: int, seed: int, schemes=SCHEMES) -> list[dict]:
    """The rows of one (variant, condition): every scheme of ``schemes`` (ESA-FP only ``with_esa_fp``) on the
    physical ``net`` over ``n_drops`` test drops (``seed``); OLLA's settled offset is calibrated only when
    "OLLA (settled)" is among them. One task of :func:`run`'s pool (and of ``closest_reading``'s)."""
    from multirat.experiments.fig5_baselines import evaluation_row
    from multirat.experiments.fig7_benchmarks import OLLA_SEED, SETTLE_DROPS, SETTLE_SEED, SETTLE_SLOTS

    settled = float("nan")
    if "OLLA (settled)" in schemes:
        settled = baselines.olla_converged_offset_db(net, SETTLE_DROPS, SETTLE_SLOTS, SETTLE_SEED, seed=OLLA_SEED,
                                                     thresholds=variant.thresholds)
    head = {"variant": variant.name, "axis": variant.axis, "label": variant.label, "K": cond.K, "N": cond.N,
            "sigma_rt": cond.sigma_rt, "phi": cond.phi}
    return [{**head, "scheme": name, "olla_offset_db": settled if name == "OLLA (settled)" else float("nan"),
             **evaluation_row(factory(), net, n_drops, seed)}
            for name, factory in _policies(variant.thresholds, settled, with_esa_fp).items() if name in schemes]


def evaluate_tasks(work, workers: int, desc: str, progress: bool):
    """:func:`task_rows` of every argument tuple of ``work`` (``(variant, condition, net, ...)``) on ``workers``
    worker processes (1: in this one; :func:`multirat.distributed.map_tasks`, which also names a failed task by
    ``desc``, its variant and condition), in the order of ``work`` whatever the order of completion, as one
    DataFrame (also ``closest_reading``'s)."""
    import pandas as pd

    from multirat.distributed import map_tasks

    names = [f"{desc} {t[0].name} {t[1].key}" for t in work]
    parts = map_tasks(task_rows, list(work), names, workers=workers, progress=progress, desc=desc)
    return pd.DataFrame([row for part in parts for row in part])


def run(profile: str = "paper", mode: str | None = None, progress: bool = True, n_workers: int | None = None):
    """One row per (variant, condition, scheme): ``variant`` (:attr:`Variant.name`), ``axis``, ``label``, ``K``,
    ``N``, ``sigma_rt``, ``phi``, ``scheme``, ``olla_offset_db`` (the settled OLLA's start, else NaN),
    ``n_drops``, ``mean_kbits``, ``se_kbits``, ``ci95_halfwidth_kbits``. Cached; ``n_workers`` processes
    (default: 2 or the CPU count if smaller; :func:`evaluate_tasks`), the same table for any number (every
    scheme has its own generator)."""
    import os

    from multirat.distributed import check_workers
    from multirat.experiments import is_default, recompute_hint

    key = experiment_config(profile)
    workers = check_workers(n_workers or min(2, os.cpu_count() or 1), "n_workers")
    with_fp = set(esa_fp_conditions(profile))

    def compute():
        work = [(v, c, net, c in with_fp, key["n_drops"], key["seed"]) for v, c, net in tasks(profile)]
        return evaluate_tasks(work, workers, NAME, progress)

    return results.cached_result(NAME, profile, key, compute, seeds=[key["seed"], *key["seeds"].values()],
                                 mode=mode, recompute_command=recompute_hint(NAME, profile, key),
                                 storable=is_default(NAME, profile, key))


def values(table, variant: str) -> dict:
    """``{(scheme, Condition): mean_kbits}`` of one variant's rows of :func:`run`'s table (the input of
    :func:`multirat.sensitivity.headline_quantities`)."""
    from multirat.sensitivity import Condition

    rows = table[table.variant == variant]
    return {(r.scheme, Condition(int(r.K), int(r.N), float(r.sigma_rt), float(r.phi))): float(r.mean_kbits)
            for r in rows.itertuples()}
