"""Chapter 14: the shared DQN (MADRL) retrained under the readings whose baseline-only effect is large
(:data:`RETRAINED`, chosen by :func:`multirat.sensitivity.retrain_selection` from ``sensitivity_baselines``), and,
beyond the paper, under standard learner stabilizers at the high HWI level (:data:`STABILIZERS`).

Per retrained reading, 5 seeds each, Algorithm 2 with Table 1-2's other parameters, evaluated on the held-out
physical test drops every ``EVAL_EVERY`` episodes as in chapters 8-11:

* at the Fig. 5 network (K, N) = (4, 20), sigma_rt 0.05: scenario 2 at phi 0.4 and 0.9 (the phi effect) and
  scenarios 1 and 3 at phi 0.4 (the scenario gap);
* at (6, 100): scenario 2 at sigma_rt 0.05 and 0.2 (the 46 % and 114.16 % claims).

The default reading's agents are chapter 8's (``fig5_evaluations``: the scenarios and phi) and chapter 11's
(``fig7``: the HWI levels and sizes), trained by the same code on the same drops. The stabilizers (ours, one at
a time: the reward scaled by 0.01, the Huber loss, Double-DQN targets, Adam) are trained in scenario 2 at (4, 20)
and sigma_rt 0.2, where chapter 8's learned policy ends far below ESA-FP; their reference is ``fig7``'s (4, 20)
runs at sigma_rt 0.2. One table, ``sensitivity_training``; the final models go to
``data/models/sensitivity_training/<profile>/``.
"""

from __future__ import annotations

import dataclasses

from multirat import results
from multirat.config import DQNConfig, NetworkConfig, TrainingConfig, get_profile

__all__ = ["EVAL_EVERY", "FINAL_WINDOW", "NAME", "READING_EPISODES", "RETRAINED", "STABILIZERS", "experiment_config",
           "final_values", "models_dir", "reading_episode",
           "run", "run_specs"]

NAME = "sensitivity_training"
#: The readings retrained per profile (variant names of :data:`multirat.sensitivity.VARIANTS`): those whose
#: baseline-only effect exceeds :data:`multirat.sensitivity.RETRAIN_THRESHOLD` in ``sensitivity_baselines``
#: (the chapter checks this list against the stored table).
RETRAINED = {"smoke": ("ser_model=exact",), "quick": ("ser_model=exact",),
             "paper": ("ser_model=exact", "hwi_basis=own", "hwi_basis=ap_mean", "n_rrbs=50", "n_symbols=100")}
#: Episodes of a retrained reading's runs (the profile's budget still applies): 500, the length of the paper's
#: Fig. 5c, where chapter 8's curves have long reached their plateau; the default's agents are read at the same
#: episode from their stored evaluations.
READING_EPISODES = 500
#: The learner stabilizers (ours), one at a time: DQNConfig overrides.
STABILIZERS = {"reward_scale=0.01": {"reward_scale": 0.01}, "loss=huber": {"loss": "huber"},
               "td_target=double": {"td_target": "double"}, "optimizer=adam": {"optimizer": "adam"}}
#: (K, N, sigma_rt) of the stabilizer runs per profile.
STABILIZER_NETWORK = {"smoke": (1, 2, 0.2), "quick": (4, 20, 0.2), "paper": (4, 20, 0.2)}
EVAL_EVERY = {"smoke": 2, "quick": 50, "paper": 50}
CHECKPOINT_EVERY = {"smoke": 2, "quick": 50, "paper": 50}
FINAL_WINDOW = {"smoke": 0, "quick": 50, "paper": 100}


def _variant(name: str):
    from multirat.sensitivity import VARIANTS

    by_name = {v.name: v for v in VARIANTS}
    if name not in by_name:
        raise ValueError(f"variant={name!r} is unknown: allowed one of {tuple(by_name)}")
    return by_name[name]


def run_specs(profile: str = "paper"):
    """``[(name, condition, RunSpec)]``: per retrained reading the four (4, 20) runs and the two (6, 100) runs
    (smaller sizes in the smoke profile, from :data:`multirat.sensitivity.CONDITIONS`), then the stabilizers;
    5 seeds each (the profile's). Condition columns: ``study`` ("reading" / "stabilizer"), ``variant``,
    ``stabilizer``, ``scenario``, ``K``, ``N``, ``sigma_rt``, ``phi``. ``ValueError`` for an unknown profile."""
    from multirat.sensitivity import CONDITIONS
    from multirat.training import RunSpec

    prof = get_profile(profile)
    conds = CONDITIONS[profile]
    base, phi_hi = conds[0], conds[1]
    big_n = max(c.N for c in conds)
    bigs = [c for c in conds if c.N == big_n and c.phi == base.phi]
    big = (min(bigs, key=lambda c: c.sigma_rt), max(bigs, key=lambda c: c.sigma_rt))
    plan = [(base, "proposed"), (phi_hi, "proposed"), (base, "physical_only"), (base, "dt_only"),
            *((c, "proposed") for c in dict.fromkeys(big))]
    out = []
    for vname in RETRAINED[profile]:
        variant = _variant(vname)
        for cond, scenario in plan:
            net, train = prof.apply(variant.apply(cond.apply(NetworkConfig())),
                                    TrainingConfig(scenario=scenario, episodes=READING_EPISODES))
            for seed in range(prof.n_seeds):
                name = f"{vname}_{scenario}_K{cond.K}_N{cond.N}_sigma{cond.sigma_rt:g}_phi{cond.phi:g}_seed{seed}"
                out.append((name, {"study": "reading", "variant": vname, "stabilizer": "", "scenario": scenario,
                                   "K": cond.K, "N": cond.N, "sigma_rt": cond.sigma_rt, "phi": cond.phi},
                            RunSpec(seed=seed, network=net, training=train, dqn=DQNConfig())))
    k, n, sigma = STABILIZER_NETWORK[profile]
    cfg = dataclasses.replace(NetworkConfig(), n_aps=k, n_devices=n, sigma_rt=sigma)
    for label, over in STABILIZERS.items():
        net, train = prof.apply(cfg, TrainingConfig(scenario="proposed"))
        for seed in range(prof.n_seeds):
            out.append((f"{label}_proposed_K{k}_N{n}_sigma{sigma:g}_seed{seed}",
                        {"study": "stabilizer", "variant": "default", "stabilizer": label, "scenario": "proposed",
                         "K": k, "N": n, "sigma_rt": sigma, "phi": cfg.phi},
                        RunSpec(seed=seed, network=net, training=train, dqn=DQNConfig(**over))))
    return out


def experiment_config(profile: str = "paper") -> dict:
    from multirat.experiments._training import training_key

    return training_key(NAME, run_specs(profile), EVAL_EVERY[profile])


def models_dir(profile: str):
    """``data/models/sensitivity_training/<profile>/`` (inside ``$MULTIRAT_RESULTS_DIR`` when it is set)."""
    return results.models_root() / NAME / profile


def run(profile: str = "paper", mode: str | None = None, n_workers: int | None = None, progress: bool = True,
        resume: bool | None = None):
    """Held-out physical throughput of every run, one row per run and evaluation episode (columns: run, the
    condition columns of :func:`run_specs`, seed, episode, throughput_kbits, se_kbits, n_drops). Cached; trains
    when missing and stores the models with it. ``mode``/``resume`` as in :func:`multirat.experiments.fig5.run`."""
    from multirat.experiments._training import cached_training

    return cached_training(NAME, profile, experiment_config(profile), run_specs(profile), models_dir(profile),
                           eval_every=EVAL_EVERY[profile], checkpoint_every=CHECKPOINT_EVERY[profile],
                           n_workers=n_workers, progress=progress, mode=mode, resume=resume)


def reading_episode(profile: str) -> int:
    """The episode the readings' agents are read at: :data:`READING_EPISODES`, or the profile's shorter budget."""
    episodes = get_profile(profile).episodes
    return READING_EPISODES if episodes is None else min(READING_EPISODES, episodes)


def final_values(profile: str = "paper", mode: str | None = None, progress: bool = False, episode: int | None = None):
    """Every agent chapter 14 reads, one row per (variant, scheme, condition, seed): ``variant`` (a
    :data:`multirat.sensitivity.VARIANTS` name), ``scheme`` (``MADRL`` = scenario 2, ``MADRL scenario 1``,
    ``MADRL scenario 3``, or ``MADRL <stabilizer>``), ``K``, ``N``, ``sigma_rt``, ``phi``, ``seed``, ``episode``
    (the last one averaged) and ``final_kbits``: the mean of the run's held-out evaluations within
    ``FINAL_WINDOW[profile]`` episodes of that episode.

    * the retrained readings (this experiment's table) at :func:`reading_episode`;
    * the default reading's agents from chapter 8 (``fig5_evaluations``: scenarios 1-3 at phi 0.4, scenario 2
      at phi 0.9; gamma 0.9, sigma_rt 0.05) and chapter 11 (``fig7``: scenario 2 at every size and HWI level),
      read at ``episode`` (default: the readings' :func:`reading_episode`, so that every reading is compared at
      one training length; their full length shows what the shorter one costs);
    * the stabilizers and their reference (``fig7``'s runs at the same network) at their last episode.

    Tables are loaded, or computed as ``mode`` allows (:mod:`multirat.results`).
    """
    import pandas as pd

    from multirat.experiments import fig5, fig7

    window, at = FINAL_WINDOW[profile], reading_episode(profile) if episode is None else int(episode)
    cols = ["variant", "scheme", "K", "N", "sigma_rt", "phi", "seed", "episode", "final_kbits"]

    def final(ev, last, keys):
        ev = ev[(ev.episode <= last) & (ev.episode >= last - window)] if last is not None else ev
        end = ev.groupby("run").episode.transform("max")
        ev = ev[ev.episode >= end - window]
        out = ev.groupby(["run", *keys], sort=False).agg(final_kbits=("throughput_kbits", "mean"),
                                                        episode=("episode", "max"))
        return out.reset_index()

    name = {"proposed": "MADRL", "physical_only": "MADRL scenario 1", "dt_only": "MADRL scenario 3"}
    own = run(profile, mode=mode, progress=progress)
    reading = final(own[own.study == "reading"], None, ["variant", "scenario", "K", "N", "sigma_rt", "phi", "seed"])
    reading["scheme"] = reading.scenario.map(name)
    stab = final(own[own.study == "stabilizer"], None, ["stabilizer", "K", "N", "sigma_rt", "phi", "seed"])
    stab = stab.assign(variant="default", scheme="MADRL " + stab.stabilizer)

    f5 = fig5.run(profile, mode=mode, progress=progress)
    f5 = f5[(f5.gamma == 0.9) & (f5.sigma_rt == 0.05)
            & ((f5.phi == 0.4) | (f5.scenario == "proposed"))]
    f5 = final(f5, at, ["scenario", "phi", "sigma_rt", "seed"]).assign(variant="default")
    f5 = f5.assign(scheme=f5.scenario.map(name), K=NetworkConfig().n_aps, N=NetworkConfig().n_devices)
    f7 = fig7.run(profile, mode=mode, progress=progress)
    k, n, sigma = STABILIZER_NETWORK[profile]
    ref = final(f7[(f7.K == k) & (f7.N == n) & (f7.sigma_rt == sigma)], None, ["K", "N", "sigma_rt", "seed"])
    ref = ref.assign(variant="default", scheme="MADRL", phi=NetworkConfig().phi, reference="stabilizers")
    f7 = final(f7, at, ["K", "N", "sigma_rt", "seed"]).assign(variant="default", scheme="MADRL",
                                                               phi=NetworkConfig().phi)
    f7 = f7[~((f7.K == NetworkConfig().n_aps) & (f7.N == NetworkConfig().n_devices) & (f7.sigma_rt == 0.05))]
    parts = [reading[cols], f5[cols], f7[cols], stab[cols],
             ref[cols].assign(scheme="MADRL (no stabilizer)")]
    return pd.concat(parts, ignore_index=True)
