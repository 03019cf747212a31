"""Chapter 10, beyond the paper: the twin-physical mismatch at which training in the twin starts to cost.

Scenario 1 (physical only) against scenario 3 (twin only), paired by seed (a seed's runs share their
initial weights, training drops and test drops), for mismatches of growing size: one phi for every link
(``phi`` in :data:`PHIS`) and a per-link phi drawn at every drop, unknown to the twin
(``NetworkConfig.phi_spread``, :data:`SPREAD`), each under the paper's Eq. (17) and under the exact QAM
SER (``ser_model``). Everything else is Table 1 (K = 4, N = 20, sigma_rt = 0.05, gamma = 0.9). The runs use
:data:`EPISODES` episodes (chapter 8's curves plateau within about 100), fewer than the paper's 2000; the
held-out physical throughput is the mean of each run's evaluations in the last :data:`FINAL_WINDOW`
episodes (:func:`gaps`). Models are not stored (100 runs; the command retrains them in about 10 minutes).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from multirat import results
from multirat.config import DQNConfig, NetworkConfig, TrainingConfig, get_profile

__all__ = ["EPISODES", "EVAL_EVERY", "FINAL_WINDOW", "MISMATCHES", "NAME", "SER_MODELS", "experiment_config",
           "gaps", "mismatch_conditions", "regime", "run", "run_specs"]

NAME = "twin_mismatch"
#: The mismatches, in growing order: (label, phi, phi_spread). phi = 0.9 is the paper's largest.
MISMATCHES = (("phi = 0.9", 0.9, 0.0), ("phi = 2", 2.0, 0.0), ("phi = 4", 4.0, 0.0), ("phi = 9", 9.0, 0.0))
#: The per-link mismatch: phi_n ~ U(0, 4) at every drop (mean 2), unknown to the twin.
SPREAD = ("phi_n ~ U(0, 4)", 2.0, 2.0)
SER_MODELS = ("eq17", "exact")
SCENARIOS = ("physical_only", "dt_only")
#: Training episodes per profile (the paper profile's 500 instead of Table 2's 2000: see the module doc).
EPISODES = {"smoke": None, "quick": 100, "paper": 500}
EVAL_EVERY = {"smoke": 2, "quick": 25, "paper": 50}
#: The final throughput of a run: the mean of its evaluations within this many episodes of its last one.
FINAL_WINDOW = {"smoke": 0, "quick": 25, "paper": 100}
CHECKPOINT_EVERY = {"smoke": 2, "quick": 50, "paper": 50}


def mismatch_conditions() -> list[dict]:
    """Every condition: ser_model x mismatch (the four phis and the spread) x scenario 1 / 3."""
    return [{"ser_model": ser, "mismatch": label, "phi": phi, "phi_spread": spread, "scenario": scenario}
            for ser in SER_MODELS for label, phi, spread in (*MISMATCHES, SPREAD) for scenario in SCENARIOS]


def _name(cond: dict, seed: int) -> str:
    tag = cond["mismatch"].replace(" ", "").replace("=", "").replace("~", "").replace(",", "-")
    return f"{cond['scenario']}_{cond['ser_model']}_{tag}_seed{seed}"


def run_specs(profile: str = "paper"):
    """``[(name, condition, RunSpec)]`` of every run (conditions x seeds 0..n_seeds-1)."""
    from multirat.training import RunSpec

    prof = get_profile(profile)
    episodes = EPISODES[profile]
    out = []
    for cond in mismatch_conditions():
        base = dataclasses.replace(NetworkConfig(), phi=cond["phi"], phi_spread=cond["phi_spread"],
                                   ser_model=cond["ser_model"])
        train = TrainingConfig(scenario=cond["scenario"])
        if episodes is not None:
            train = dataclasses.replace(train, episodes=episodes, z_k=min(train.z_k, episodes))
        net, train = prof.apply(base, train)
        for seed in range(prof.n_seeds):
            out.append((_name(cond, seed), cond, RunSpec(seed=seed, network=net, training=train, dqn=DQNConfig())))
    return out


def experiment_config(profile: str = "paper") -> dict:
    from multirat.training import TEST_DROPS_SEED

    return {"experiment": NAME, "runs": {name: spec for name, _, spec in run_specs(profile)},
            "eval_every": EVAL_EVERY[profile], "test_drops_seed": TEST_DROPS_SEED, "network_mode": "physical"}


def run(profile: str = "paper", mode: str | None = None, n_workers: int | None = None, progress: bool = True,
        resume: bool | None = None):
    """Held-out physical throughput of every run, one row per run and evaluation episode (columns: run, the
    condition, seed, episode, throughput_kbits, se_kbits, n_drops). Cached; trains when missing."""
    from multirat.experiments import fig5, is_default, recompute_hint
    from multirat.experiments._training import train_runs

    key = experiment_config(profile)
    specs = run_specs(profile)

    def compute():
        ev, _, _ = train_runs(NAME, profile, specs, eval_every=EVAL_EVERY[profile],
                              checkpoint_every=CHECKPOINT_EVERY[profile], n_workers=n_workers, progress=progress,
                              resume=fig5._resume(mode, resume))
        return ev

    return results.cached_result(NAME, profile, key, compute, seeds=sorted({s.seed for _, _, s in specs}),
                                 mode=mode, recompute_command=recompute_hint(NAME, profile, key),
                                 storable=is_default(NAME, profile, key))


def final_throughput(table, window: int):
    """Each run's final held-out throughput: the mean of its evaluations at episodes >= last - ``window``
    (one row per run with the condition's columns, ``final_kbits`` and ``n_evaluations``)."""
    last = table.groupby("run").episode.transform("max")
    at = table[table.episode >= last - window]
    keys = [c for c in ("run", "ser_model", "mismatch", "phi", "phi_spread", "scenario", "z_k", "replay",
                        "replay_size", "seed") if c in table.columns]
    return (at.groupby(keys, sort=False, dropna=False).throughput_kbits.agg(final_kbits="mean", n_evaluations="size")
            .reset_index())


def gaps(table, window: int):
    """Scenario 1 minus scenario 3 per ser_model and mismatch, paired by seed.

    Returns one row per (ser_model, mismatch), in the order of :data:`SER_MODELS` and the mismatches, with
    ``s1_kbits``, ``s3_kbits`` (means over seeds of the final throughput, :func:`final_throughput`),
    ``gap_kbits`` (the mean paired difference), ``ci95_kbits`` (its 95 % t half-width over seeds),
    ``loss_pct`` (100 gap / s1), ``n_seeds``, ``twin_costs`` (the gap exceeds its CI: lower bound > 0) and every
    seed's gap (``seed<k>_gap_kbits``), so that a seed that lags in one scenario is seen.
    """
    import pandas as pd

    from multirat.evaluation import t_confidence_interval

    final = final_throughput(table, window)
    rows = []
    order = [m[0] for m in (*MISMATCHES, SPREAD)]
    for ser in SER_MODELS:
        for label in order:
            sub = final[(final.ser_model == ser) & (final.mismatch == label)]
            if sub.empty:
                continue
            wide = sub.pivot(index="seed", columns="scenario", values="final_kbits")
            diff = (wide["physical_only"] - wide["dt_only"]).dropna().to_numpy(float)
            mean, half = t_confidence_interval(diff)
            s1, s3 = float(wide["physical_only"].mean()), float(wide["dt_only"].mean())
            per_seed = (wide["physical_only"] - wide["dt_only"]).to_dict()
            rows.append({"ser_model": ser, "mismatch": label, "phi": float(sub.phi.iloc[0]),
                         "phi_spread": float(sub.phi_spread.iloc[0]), "s1_kbits": s1, "s3_kbits": s3,
                         "gap_kbits": mean, "ci95_kbits": half, "loss_pct": 100 * mean / s1, "n_seeds": len(diff),
                         "twin_costs": bool(len(diff) > 1 and mean - half > 0),
                         **{f"seed{int(k)}_gap_kbits": float(v) for k, v in sorted(per_seed.items())}})
    return pd.DataFrame(rows)


def regime(gap_table, ser_model: str = "eq17") -> dict:
    """Where to test continual learning: the smallest single-phi mismatch under ``ser_model`` at which
    twin-only training costs more than its CI (``twin_costs``), as ``{"ser_model", "mismatch", "phi",
    "phi_spread", "twin_costs": True}``. Where no mismatch costs anything (or the CI cannot be computed, one
    seed), the single-phi mismatch with the largest mean gap, with ``"twin_costs": False`` -- a chapter must
    then say that the twin never cost anything. ``ValueError`` if the table has no row of ``ser_model``."""
    order = [m[0] for m in MISMATCHES]
    sub = gap_table[(gap_table.ser_model == ser_model) & gap_table.mismatch.isin(order)]
    if sub.empty:
        raise ValueError(f"ser_model={ser_model!r}: the gap table has no single-phi mismatch of it")
    costs = sub[sub.twin_costs]
    if costs.empty:
        row = sub.loc[sub.gap_kbits.idxmax()]
    else:
        row = costs.iloc[int(np.argmin([order.index(m) for m in costs.mismatch]))]
    return {"ser_model": ser_model, "mismatch": row.mismatch, "phi": float(row.phi),
            "phi_spread": float(row.phi_spread), "twin_costs": not costs.empty}
