"""Chapter 10 / the paper's Fig. 6c: the interaction frequency Z_k of scenario 2, and the twin-mismatch regime.

Two experiments share this module.

``fig6c`` (:data:`NAME`): scenario 2 with Z_k in :data:`Z_KS` at phi = 0.4 and 0.9, beside scenarios 1 and 3
(its two limits: Z_k = 1 and Z_k > Z), at Table 1's parameters, 2000 episodes and 5 seeds in the paper
profile (Sec. VI-F). A seed's runs share their initial weights, training drops and test drops, so the
differences between Z_k are paired.

``twin_mismatch_zk`` (:data:`REGIME_NAME`): the same sweep where the twin costs something, at the regime
:func:`multirat.experiments.twin_mismatch.regime` finds in the stored ``twin_mismatch`` table (the smallest
phi at which scenario 3 loses more than its CI to scenario 1 under Eq. 17), plus scenario 2 with a replay
memory that keeps the last physical episode until the next one (|D| = Z_k N T, :func:`keeping_replay_size`).

Every run is evaluated every ``EVAL_EVERY`` episodes on the held-out physical test drops; the final models
are written to ``data/models/<experiment>/<profile>/`` with the table.
"""

from __future__ import annotations

import dataclasses

from multirat import results
from multirat.config import DQNConfig, NetworkConfig, TrainingConfig, get_profile

__all__ = ["EVAL_EVERY", "NAME", "PHIS", "REGIME_NAME", "Z_KS", "experiment_config", "keeping_replay_size",
           "regime_condition", "run", "run_specs"]

NAME = "fig6c"
REGIME_NAME = "twin_mismatch_zk"
Z_KS = (10, 50, 100, 200)
PHIS = (0.4, 0.9)
EVAL_EVERY = {"smoke": 2, "quick": 50, "paper": 50}
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
    """``[(name, condition, RunSpec)]`` of experiment ``NAME`` or ``REGIME_NAME`` (conditions x seeds)."""
    from multirat.training import RunSpec

    prof = get_profile(profile)
    if experiment == NAME:
        conds = _conditions(PHIS, "eq17", large_replay=False)
    elif experiment == REGIME_NAME:
        found = regime_condition(profile)
        conds = _conditions((found["phi"],), found["ser_model"], large_replay=True)
        conds = [dict(c, phi_spread=found["phi_spread"]) for c in conds]
    else:
        raise ValueError(f"experiment={experiment!r} is unknown: allowed {NAME!r}, {REGIME_NAME!r}")
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
    from multirat.training import TEST_DROPS_SEED

    return {"experiment": experiment, "runs": {name: spec for name, _, spec in run_specs(profile, experiment)},
            "eval_every": EVAL_EVERY[profile], "test_drops_seed": TEST_DROPS_SEED, "network_mode": "physical"}


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
