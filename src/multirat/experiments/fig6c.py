"""Chapter 10 / the paper's Fig. 6c: the interaction frequency Z_k of scenario 2, and the twin-mismatch regime.

Two experiments share this module.

``fig6c`` (:data:`NAME`): scenario 2 with Z_k in :data:`Z_KS` at phi = 0.4 and 0.9, beside scenarios 1 and 3
(its two limits: Z_k = 1 and Z_k > Z), at Table 1's parameters, 2000 episodes and 5 seeds in the paper
profile (Sec. VI-F). A seed's runs share their initial weights, training drops and test drops, so the
differences between Z_k are paired.

``twin_mismatch_zk`` (:data:`REGIME_NAME`): the same sweep where the twin costs something, at the regime
:func:`multirat.experiments.twin_mismatch.regime` finds in the stored ``twin_mismatch`` table (the smallest
phi at which scenario 3 loses more than its CI to scenario 1 under Eq. 17).

``twin_mismatch_zk_replay`` (:data:`REPLAY_NAME`): scenario 2 at the same regime and the same Z_k, with a
replay memory that keeps the last physical episode until the next one arrives (|D| = Z_k N T,
:func:`keeping_replay_size`). Its seeds share initial weights and drops with ``twin_mismatch_zk``'s, so the
two tables concatenated give paired differences (:func:`final_summary`).

Every run is evaluated every ``EVAL_EVERY`` episodes on the held-out physical test drops; the final models
are written to ``data/models/<experiment>/<profile>/`` with the table.
"""

from __future__ import annotations

import dataclasses

from multirat import results
from multirat.config import DQNConfig, NetworkConfig, TrainingConfig, get_profile

__all__ = ["EVAL_EVERY", "FINAL_WINDOW", "NAME", "PHIS", "REGIME_NAME", "REPLAY_NAME", "Z_KS", "experiment_config", "keeping_replay_size",
           "bound_functions", "condition_key", "condition_specs", "final_summary", "replay_effect", "over_the_air_exchanges", "pareto_front", "regime_condition", "run",
           "run_specs"]

NAME = "fig6c"
REGIME_NAME = "twin_mismatch_zk"
REPLAY_NAME = "twin_mismatch_zk_replay"
Z_KS = (10, 50, 100, 200)
PHIS = (0.4, 0.9)
EVAL_EVERY = {"smoke": 2, "quick": 50, "paper": 50}
#: The final throughput of a run: the mean of its evaluations within this many episodes of its last one.
FINAL_WINDOW = {"smoke": 0, "quick": 50, "paper": 100}
CHECKPOINT_EVERY = {"smoke": 2, "quick": 50, "paper": 100}


def keeping_replay_size(network: NetworkConfig, z_k: int, replay_size: int = DQNConfig().replay_size) -> int:
    """|D| that holds the last physical episode until the next one arrives: Z_k N T experiences (N = R
    scheduled links per TS at most, T TS per episode), and never below the paper's ``replay_size``."""
    per_episode = min(network.n_devices, network.n_rrbs) * network.slots_per_episode
    return max(int(replay_size), int(z_k) * per_episode)


def _conditions(phis, ser_model: str, large_replay: bool) -> list[dict]:
    out = []
    for phi in phis:
        for scenario in ("physical_only", "dt_only"):
            out.append({"scenario": scenario, "phi": phi, "ser_model": ser_model, "z_k": None, "replay": "paper"})
        for z_k in Z_KS:
            out.append({"scenario": "proposed", "phi": phi, "ser_model": ser_model, "z_k": z_k, "replay": "paper"})
            if large_replay:
                out.append({"scenario": "proposed", "phi": phi, "ser_model": ser_model, "z_k": z_k,
                            "replay": "keeps last physical episode"})
    return out


def regime_condition(profile: str = "paper") -> dict:
    """The regime of ``twin_mismatch_zk``: ``twin_mismatch.regime`` of the stored ``twin_mismatch`` table of
    ``profile`` (loaded, never trained here; its ``twin_costs`` says whether the twin really costs there).
    The result store's errors (with the command to compute it) when the table is missing or stale."""
    from multirat.experiments import twin_mismatch as tm

    table = tm.run(profile, mode="cache_only")
    return tm.regime(tm.gaps(table, tm.FINAL_WINDOW[profile]))


def run_specs(profile: str = "paper", experiment: str = NAME):
    """``[(name, condition, RunSpec)]`` of experiment ``NAME``, ``REGIME_NAME`` or ``REPLAY_NAME`` (conditions x
    seeds); ``ValueError`` for another experiment."""
    from multirat.training import RunSpec

    prof = get_profile(profile)
    if experiment == NAME:
        conds = _conditions(PHIS, "eq17", large_replay=False)
    elif experiment in (REGIME_NAME, REPLAY_NAME):
        found = regime_condition(profile)
        conds = _conditions((found["phi"],), found["ser_model"], large_replay=experiment == REPLAY_NAME)
        conds = [dict(c, phi_spread=found["phi_spread"]) for c in conds
                 if (c["replay"] == "paper") == (experiment == REGIME_NAME)]
    else:
        raise ValueError(f"experiment={experiment!r} is unknown: allowed {NAME!r}, {REGIME_NAME!r}, {REPLAY_NAME!r}")
    out = []
    for cond in conds:
        base = dataclasses.replace(NetworkConfig(), phi=cond["phi"], ser_model=cond["ser_model"],
                                   phi_spread=cond.get("phi_spread", 0.0))
        train = TrainingConfig(scenario=cond["scenario"], **({"z_k": cond["z_k"]} if cond["z_k"] else {}))
        net, train = prof.apply(base, train)
        dqn = DQNConfig()
        if cond["replay"] != "paper":
            dqn = dataclasses.replace(dqn, replay_size=keeping_replay_size(net, train.z_k, dqn.replay_size))
        cond = dict(cond, replay_size=dqn.replay_size)
        tag = cond["scenario"] if cond["z_k"] is None else f"proposed_zk{cond['z_k']}"
        tag += "" if cond["replay"] == "paper" else f"_replay{dqn.replay_size}"
        for seed in range(prof.n_seeds):
            out.append((f"{tag}_{cond['ser_model']}_phi{cond['phi']:g}_seed{seed}", cond,
                        RunSpec(seed=seed, network=net, training=train, dqn=dqn)))
    return out


def experiment_config(profile: str = "paper", experiment: str = NAME) -> dict:
    from multirat.experiments._training import training_key

    return training_key(experiment, run_specs(profile, experiment), EVAL_EVERY[profile])


def models_dir(profile: str, experiment: str = NAME):
    """``data/models/<experiment>/<profile>/`` (inside ``$MULTIRAT_RESULTS_DIR`` when it is set)."""
    return results.models_root() / experiment / profile


def run(profile: str = "paper", mode: str | None = None, n_workers: int | None = None, progress: bool = True,
        resume: bool | None = None, experiment: str = NAME):
    """Held-out physical throughput of every run, one row per run and evaluation episode (columns: run, the
    condition -- scenario, phi, ser_model, z_k, replay, replay_size --, seed, episode, throughput_kbits,
    se_kbits, n_drops, and mean_replay_physical_share, the run's mean share of physical experience in D).
    Cached; trains when missing, storing the final models with the table."""
    from multirat.experiments import fig5, is_default, recompute_hint
    from multirat.experiments._training import train_runs

    key = experiment_config(profile, experiment)
    specs = run_specs(profile, experiment)
    stored = fig5.stores(experiment, profile, key, mode) and (results.resolve_mode(mode) == "recompute"
                                                              or is_default(experiment, profile, key))

    def compute():
        ev, cur, models = train_runs(experiment, profile, specs, eval_every=EVAL_EVERY[profile],
                                     checkpoint_every=CHECKPOINT_EVERY[profile], n_workers=n_workers,
                                     progress=progress, resume=fig5._resume(mode, resume))
        if stored:
            fig5.save_models(models, models_dir(profile, experiment))
        share = cur.groupby("run").replay_physical_share.mean()
        return ev.assign(mean_replay_physical_share=ev.run.map(share))

    return results.cached_result(experiment, profile, key, compute, seeds=sorted({s.seed for _, _, s in specs}),
                                 mode=mode, recompute_command=recompute_hint(experiment, profile, key),
                                 storable=is_default(experiment, profile, key))


def bound_functions(experiment: str):
    """``(run_specs, experiment_config, run)`` of ``experiment`` (``REGIME_NAME`` or ``REPLAY_NAME``), each a
    function of the profile as :mod:`multirat.experiments` expects of an experiment module; the modules
    ``twin_mismatch_zk`` and ``twin_mismatch_zk_replay`` are these. ``ValueError`` for another experiment."""
    if experiment not in (REGIME_NAME, REPLAY_NAME):
        raise ValueError(f"experiment={experiment!r} has no module of its own: allowed {REGIME_NAME!r}, {REPLAY_NAME!r}")

    def bound_run_specs(profile: str = "paper"):
        return run_specs(profile, experiment)

    def bound_experiment_config(profile: str = "paper") -> dict:
        return experiment_config(profile, experiment)

    def bound_run(profile: str = "paper", mode: str | None = None, n_workers: int | None = None,
                  progress: bool = True, resume: bool | None = None):
        return run(profile, mode=mode, n_workers=n_workers, progress=progress, resume=resume, experiment=experiment)

    for f, doc in ((bound_run_specs, run_specs), (bound_experiment_config, experiment_config), (bound_run, run)):
        f.__name__ = f.__qualname__ = f.__name__.removeprefix("bound_")
        f.__doc__ = f"As :func:`multirat.experiments.fig6c.{f.__name__}` with ``experiment={experiment!r}``."
    return bound_run_specs, bound_experiment_config, bound_run


_KEYS = ["phi", "ser_model", "scenario", "z_k", "replay"]


def final_summary(table, window: int):
    """Final held-out throughput per condition over seeds, with paired differences to scenarios 1 and 3.

    ``table``: :func:`run`'s table. A run's final throughput is the mean of its evaluations at episodes
    >= its last - ``window`` (:func:`multirat.experiments.twin_mismatch.final_throughput`). One row per
    condition (phi, ser_model, scenario, z_k, replay; z_k is NaN for scenarios 1 and 3), sorted, with
    ``n_seeds``, ``mean_kbits``, ``ci95_kbits`` (95 % t half-width over seeds), ``iqm_kbits``, every seed's
    value (``seed<k>_kbits``) and the paired differences by seed to scenario 1 and scenario 3 of the same
    phi: ``vs_s1_kbits``, ``vs_s1_ci95_kbits``, ``vs_s3_kbits``, ``vs_s3_ci95_kbits`` (positive: this
    condition is better). ``ValueError`` when a column is missing.
    """
    import numpy as np
    import pandas as pd
    from scipy import stats

    from multirat.evaluation import t_confidence_interval
    from multirat.experiments.twin_mismatch import final_throughput

    missing = [c for c in [*_KEYS, "seed", "episode", "throughput_kbits", "run"] if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks the columns {missing}; it has {list(table.columns)}")
    final = final_throughput(table, window)
    final["z_k"] = final.z_k.astype(float)
    seeds = sorted(int(s) for s in final.seed.unique())
    rows = []
    for cond, g in final.groupby(_KEYS, dropna=False, sort=True):
        x = g.set_index("seed").final_kbits
        mean, half = t_confidence_interval(x.to_numpy(float))
        row = {**dict(zip(_KEYS, cond)), "n_seeds": len(x), "mean_kbits": mean, "ci95_kbits": half,
               "iqm_kbits": float(stats.trim_mean(x.to_numpy(float), 0.25)),
               **{f"seed{s}_kbits": float(x.get(s, np.nan)) for s in seeds}}
        for ref, label in (("physical_only", "s1"), ("dt_only", "s3")):
            base = final[(final.scenario == ref) & (final.phi == cond[0]) & (final.ser_model == cond[1])]
            diff = (x - base.set_index("seed").final_kbits).dropna().to_numpy(float)
            row[f"vs_{label}_kbits"], row[f"vs_{label}_ci95_kbits"] = (t_confidence_interval(diff) if len(diff)
                                                                        else (np.nan, np.nan))
        rows.append(row)
    return pd.DataFrame(rows)


def replay_effect(table, window: int, reference: str = "paper"):
    """Scenario 2 with each other replay memory minus scenario 2 with ``reference``, per phi and Z_k, paired by
    seed (the same initial weights and drops).

    ``table``: the runs of both memories (e.g. ``twin_mismatch_zk`` and ``twin_mismatch_zk_replay``
    concatenated). One row per (phi, z_k, replay != reference) with ``replay_size``, ``n_seeds`` (paired),
    ``diff_kbits`` (the mean paired difference of the final throughput, positive: the other memory is better)
    and ``ci95_kbits`` (its 95 % t half-width; NaN for one seed). ``ValueError`` when ``reference`` is not a
    replay of the table's scenario 2 runs.
    """
    import pandas as pd

    from multirat.evaluation import t_confidence_interval
    from multirat.experiments.twin_mismatch import final_throughput

    final = final_throughput(table[table.scenario == "proposed"], window)
    if reference not in set(final.replay):
        raise ValueError(f"reference={reference!r} is not a replay of the table's scenario 2 runs: "
                         f"allowed {sorted(set(final.replay))}")
    base = final[final.replay == reference].set_index(["phi", "z_k", "seed"]).final_kbits
    rows = []
    for (phi, z_k, replay), g in final[final.replay != reference].groupby(["phi", "z_k", "replay"], sort=True):
        diff = (g.set_index(["phi", "z_k", "seed"]).final_kbits - base).dropna().to_numpy(float)
        mean, half = t_confidence_interval(diff) if len(diff) else (float("nan"), float("nan"))
        rows.append({"phi": phi, "z_k": z_k, "replay": replay, "replay_size": int(g.replay_size.iloc[0]),
                     "n_seeds": len(diff), "diff_kbits": mean, "ci95_kbits": half})
    return pd.DataFrame(rows, columns=["phi", "z_k", "replay", "replay_size", "n_seeds", "diff_kbits", "ci95_kbits"])


def over_the_air_exchanges(spec) -> int:
    """Over-the-air exchanges of a whole training run (chapter 7's :mod:`multirat.overhead`): Sec. V-C-2's
    O_phy for scenario 1, the first term of Eq. (38) with Algorithm 2's floor(Z / Z_k) physical episodes for
    scenario 2, 0 for scenario 3. ``spec``: a :class:`multirat.training.RunSpec` (scenario, Z, Z_k, T, N, K,
    T_D, D_b)."""
    from multirat import overhead

    tr = spec.training
    args = dict(episodes=tr.episodes, slots=spec.network.slots_per_episode, n_devices=spec.network.n_devices,
                n_aps=spec.network.n_aps, t_d=tr.info_per_task, d_b=spec.dqn.batch_size)
    if tr.scenario == "physical_only":
        return int(overhead.overhead_physical_only(**args))
    if tr.scenario == "dt_only":
        return 0
    return int(overhead.overhead_proposed(z_k=tr.z_k, variant="floor", **args).over_the_air)


def condition_key(phi, scenario, z_k, replay) -> tuple:
    """The key of a condition in :func:`condition_specs`: z_k None for scenarios 1 and 3 (given as None or NaN)."""
    import math

    z = None if z_k is None or (isinstance(z_k, float) and math.isnan(z_k)) else float(z_k)
    return float(phi), str(scenario), z, str(replay)


def condition_specs(profile: str = "paper", experiment: str = NAME) -> dict:
    """``{condition_key(...): RunSpec of seed 0}``, to look up a condition's configuration from a row of
    :func:`final_summary` (``condition_specs(p)[condition_key(r.phi, r.scenario, r.z_k, r.replay)]``)."""
    out = {}
    for _, cond, spec in run_specs(profile, experiment):
        out.setdefault(condition_key(cond["phi"], cond["scenario"], cond["z_k"], cond["replay"]), spec)
    return out


def pareto_front(throughput, cost):
    """``[n]`` bool: the points no other point beats, i.e. none has at least the throughput and at most the cost
    with one of the two strictly better (ties: equal points are all on the front)."""
    import numpy as np

    y, c = np.asarray(throughput, float), np.asarray(cost, float)
    dominated = ((y[None, :] >= y[:, None]) & (c[None, :] <= c[:, None])
                 & ((y[None, :] > y[:, None]) | (c[None, :] < c[:, None])))
    return ~dominated.any(axis=1)
