"""Chapter 8 / the paper's Fig. 5: the shared DQN trained by Algorithm 2 in scenarios 1/2/3.

The run matrix (``conditions``; every condition trains ``Profile.n_seeds`` seeds):

* Fig. 5b, 5c: scenarios 1/2/3 at phi = 0.4 and 0.9 (gamma = 0.9, sigma_rt = 0.05, K = 4, N = 20);
* Fig. 5a: gamma = 0.8 and 0.7 in scenario 2 at phi = 0.4 (gamma = 0.9 is the 5b run);
* Fig. 5d: scenarios 1/2/3 at sigma_rt = 0.1, 0.15, 0.2, phi = 0.4 (sigma_rt = 0.05 is the 5b run).

All runs train together (split into ``n_workers`` batches, one process each, every batch a stacked
model of :mod:`multirat.training`), each evaluated every ``eval_every`` episodes on the physical
network over the same held-out test drops. Two tables go to the result store: ``fig5_evaluations``
(held-out physical throughput per run and evaluation episode) and ``fig5_curves`` (training curves,
means over blocks of ``CURVE_BLOCK`` episodes); the final model of every run is written to
``data/models/fig5/<profile>/<run name>.pt`` (committed for the paper profile). Each batch
checkpoints to ``data/checkpoints/fig5/<profile>/`` (git-ignored), so a killed computation resumes.
"""

from __future__ import annotations

import dataclasses
import os

import numpy as np

from multirat import results
from multirat.config import DQNConfig, NetworkConfig, TrainingConfig, get_profile

__all__ = [
    "CURVES",
    "CURVE_BLOCK",
    "EVAL_EVERY",
    "NAME",
    "conditions",
    "curves",
    "experiment_config",
    "models_dir",
    "run",
    "run_name",
    "run_specs",
]

NAME = "fig5_evaluations"
CURVES = "fig5_curves"
#: Episodes between held-out evaluations, per profile (the paper's markers sit at 300 and 500 episodes).
EVAL_EVERY = {"smoke": 2, "quick": 50, "paper": 50}
#: Training curves are stored as means over blocks of this many episodes, per profile.
CURVE_BLOCK = {"smoke": 1, "quick": 5, "paper": 10}
CHECKPOINT_EVERY = {"smoke": 2, "quick": 50, "paper": 100}
BASE_PHI, BASE_SIGMA, BASE_GAMMA = 0.4, 0.05, 0.9
SCENARIOS = ("physical_only", "proposed", "dt_only")


def conditions() -> list[dict]:
    """The distinct training conditions of Fig. 5, each with the panels it appears in."""
    out: dict[tuple, dict] = {}

    def add(panel, scenario, phi=BASE_PHI, sigma_rt=BASE_SIGMA, gamma=BASE_GAMMA):
        key = (scenario, phi, sigma_rt, gamma)
        out.setdefault(key, {"scenario": scenario, "phi": phi, "sigma_rt": sigma_rt, "gamma": gamma, "panels": ""})
        out[key]["panels"] = "+".join(filter(None, [out[key]["panels"], panel]))

    for phi, panel in ((0.4, "5b"), (0.9, "5c")):
        for scenario in SCENARIOS:
            add(panel, scenario, phi=phi)
    for gamma in (0.9, 0.8, 0.7):
        add("5a", "proposed", gamma=gamma)
    for sigma in (0.05, 0.1, 0.15, 0.2):
        for scenario in SCENARIOS:
            add("5d", scenario, sigma_rt=sigma)
    return list(out.values())


def run_name(condition: dict, seed: int) -> str:
    """File-friendly name of one run, e.g. ``proposed_phi0.4_sigma0.05_gamma0.9_seed0``."""
    return (f"{condition['scenario']}_phi{condition['phi']:g}_sigma{condition['sigma_rt']:g}_"
            f"gamma{condition['gamma']:g}_seed{seed}")


def run_specs(profile: str = "paper"):
    """``[(name, condition, RunSpec)]`` of every run of the profile (conditions x seeds 0..n_seeds-1)."""
    from multirat.training import RunSpec

    prof = get_profile(profile)
    out = []
    for cond in conditions():
        base_net = dataclasses.replace(NetworkConfig(), phi=cond["phi"], sigma_rt=cond["sigma_rt"])
        net, train = prof.apply(base_net, TrainingConfig(scenario=cond["scenario"]))
        dqn = dataclasses.replace(DQNConfig(), discount=cond["gamma"])
        for seed in range(prof.n_seeds):
            out.append((run_name(cond, seed), cond, RunSpec(seed=seed, network=net, training=train, dqn=dqn)))
    return out


def experiment_config(profile: str = "paper") -> dict:
    """What the Fig. 5 tables are keyed on: every run's configuration, the evaluation protocol."""
    from multirat.training import TEST_DROPS_SEED

    return {"experiment": NAME, "runs": {name: spec for name, _, spec in run_specs(profile)},
            "eval_every": EVAL_EVERY[profile], "curve_block": CURVE_BLOCK[profile],
            "test_drops_seed": TEST_DROPS_SEED, "network_mode": "physical"}


def models_dir(profile: str):
    """Where the final models of ``profile`` go: ``data/models/fig5/<profile>/`` beside the result store
    (moved with ``$MULTIRAT_RESULTS_DIR``, so that tests never write into the repository)."""
    return results.results_root().parent / "models" / "fig5" / profile


def checkpoint_dir(profile: str):
    """Checkpoints of the training batches (git-ignored), beside the result store."""
    return results.results_root().parent / "checkpoints" / "fig5" / profile


def _train_batch(profile: str, names: list[str], index: int, n_batches: int, progress: bool):
    """Train one batch of runs in this process; returns (evaluations, curves) DataFrames with run names."""
    from multirat.agents import save_policy
    from multirat.training import Trainer

    specs = {name: (cond, spec) for name, cond, spec in run_specs(profile)}
    runs = [specs[n][1] for n in names]
    ck = checkpoint_dir(profile) / f"batch{index}of{n_batches}.pt"
    trainer = Trainer(runs, eval_every=EVAL_EVERY[profile], checkpoint=ck, checkpoint_every=CHECKPOINT_EVERY[profile])
    res = trainer.train(progress=progress, desc=f"fig5 {profile} batch {index}")
    for r, name in enumerate(names):
        cond, spec = specs[name]
        save_policy(models_dir(profile) / f"{name}.pt", res.models[r],
                    {"name": name, "experiment": "fig5", "profile": profile, "seed": spec.seed, **cond,
                     "run": repr(spec), "episodes": spec.training.episodes})
    label = {r: n for r, n in enumerate(names)}
    return res.evaluations.assign(run=res.evaluations.run.map(label)), res.curves.assign(run=res.curves.run.map(label))


def _compute(profile: str, n_workers: int, progress: bool):
    import pandas as pd

    names = [name for name, _, _ in run_specs(profile)]
    n_workers = max(1, min(n_workers, len(names)))
    batches = [names[i::n_workers] for i in range(n_workers)]
    if n_workers == 1:
        parts = [_train_batch(profile, batches[0], 0, 1, progress)]
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(n_workers) as pool:
            futures = [pool.submit(_train_batch, profile, b, i, n_workers, progress) for i, b in enumerate(batches)]
            parts = [f.result() for f in futures]
    meta = pd.DataFrame([{"run": name, **cond, "seed": spec.seed} for name, cond, spec in run_specs(profile)])
    ev = pd.concat([p[0] for p in parts]).merge(meta, on="run")
    cur = pd.concat([p[1] for p in parts])
    block = CURVE_BLOCK[profile]
    cur["block_end"] = ((cur.episode - 1) // block + 1) * block
    agg = cur.groupby(["run", "block_end"], as_index=False).agg(
        reward_kbits=("reward_kbits", "mean"), loss=("loss", "mean"), epsilon=("epsilon", "last"),
        learning_rate=("learning_rate", "last"), physical_episodes=("physical", "sum"),
        replay_physical_share=("replay_physical_share", "mean"),
        replay_physical_share_max=("replay_physical_share", "max")).rename(columns={"block_end": "episode"})
    agg = agg.merge(meta, on="run")
    order = ["run", "scenario", "phi", "sigma_rt", "gamma", "seed", "panels"]
    ev = ev[order + [c for c in ev.columns if c not in order]].sort_values(["run", "episode"]).reset_index(drop=True)
    agg = agg[order + [c for c in agg.columns if c not in order]].sort_values(["run", "episode"]).reset_index(drop=True)
    return ev, agg


def run(profile: str = "paper", mode: str | None = None, n_workers: int | None = None, progress: bool = True):
    """The held-out physical throughput of every Fig. 5 run (one row per run and evaluation episode).

    Loaded from the result store when computed for this configuration; else every run is trained
    (resuming from checkpoints) and both tables, ``fig5_evaluations`` and ``fig5_curves``, are stored.
    """
    from multirat.experiments import recompute_hint

    key = experiment_config(profile)
    n_workers = n_workers or min(2, os.cpu_count() or 1)
    stash = {}

    def compute():
        ev, cur = _compute(profile, n_workers, progress)
        stash["curves"] = cur
        return ev

    table = results.cached_result(NAME, profile, key, compute, seeds=sorted({s.seed for s in key["runs"].values()}),
                                  mode=mode, recompute_command=recompute_hint(NAME, profile, key))
    if "curves" in stash and results.resolve_mode(mode) in ("auto", "recompute"):
        curves_key = dict(key, experiment=CURVES)
        results.save_result(stash["curves"], CURVES, profile, curves_key,
                            seeds=sorted({s.seed for s in key["runs"].values()}))
    return table


def curves(profile: str = "paper", mode: str | None = None):
    """The training curves of every Fig. 5 run (block means), stored beside ``fig5_evaluations``."""
    from multirat.experiments import recompute_hint

    key = dict(experiment_config(profile), experiment=CURVES)

    def compute():
        run(profile, mode="recompute")
        return results.load_result(CURVES, profile, key)

    return results.cached_result(CURVES, profile, key, compute, mode=mode,
                                 recompute_command=recompute_hint(NAME, profile, experiment_config(profile)))


def summary(table, episode: int | None = None):
    """Mean and 95 % t-interval over seeds of the held-out throughput per condition at ``episode`` (default: last)."""
    from multirat.evaluation import t_confidence_interval

    ep = int(table.episode.max()) if episode is None else int(episode)
    rows = []
    for keys, g in table[table.episode == ep].groupby(["scenario", "phi", "sigma_rt", "gamma"]):
        mean, half = t_confidence_interval(g.throughput_kbits.to_numpy())
        rows.append(dict(zip(["scenario", "phi", "sigma_rt", "gamma"], keys), episode=ep, n_seeds=len(g),
                         mean_kbits=mean, ci95_kbits=half, seed_std_kbits=float(np.std(g.throughput_kbits, ddof=1))
                         if len(g) > 1 else float("nan")))
    import pandas as pd

    return pd.DataFrame(rows)


_SCHEME_SCENARIO = {"Scenario 1": "physical_only", "Scenario 2": "proposed", "Scenario 3": "dt_only"}


def claims_table(evaluations, curves, claims):
    """Every Fig. 5 claim of ``data/paper_claims.csv`` beside our value: one row per claim.

    Throughput claims: our held-out physical throughput (mean and 95 % t half-width over seeds) of the
    claim's scenario, phi and sigma_rt (gamma = 0.9) at the claim's episode (the last evaluation when the
    paper gives none), and ``ratio`` = ours / paper. The discount-factor claim: the gamma with the highest
    mean training reward over the last 10 % of episodes. Raises ``ValueError`` for a claim it cannot map.
    """
    import pandas as pd

    from multirat.evaluation import t_confidence_interval

    rows = []
    fig5_claims = claims[claims.source.str.startswith("Fig. 5")]
    for _, c in fig5_claims.iterrows():
        row = {"claim": c.id, "figure": c.source, "paper": float(c.value), "unit": c.unit}
        if c.id == "fig5a_best_discount_factor":
            last = curves.episode.max()
            sub = curves[(curves.scenario == "proposed") & (curves.phi == c.phi) & (curves.sigma_rt == c.sigma_rt)
                         & (curves.episode > 0.9 * last)]
            by_gamma = sub.groupby("gamma").reward_kbits.mean()
            row.update(scenario="proposed", episode=int(last), ours=float(by_gamma.idxmax()), ci95=float("nan"),
                       ratio=float(by_gamma.idxmax()) / float(c.value))
        else:
            scenario = next((s for k, s in _SCHEME_SCENARIO.items() if str(c.scheme).startswith(k)), None)
            if scenario is None:
                raise ValueError(f"claim {c.id!r}: scheme {c.scheme!r} is not a Fig. 5 scenario")
            episode = int(c.episodes) if pd.notna(c.episodes) else int(evaluations.episode.max())
            sub = evaluations[(evaluations.scenario == scenario) & np.isclose(evaluations.phi, c.phi)
                              & np.isclose(evaluations.sigma_rt, c.sigma_rt) & (evaluations.gamma == BASE_GAMMA)]
            at = sub[sub.episode == episode] if episode in set(sub.episode) else sub[sub.episode == sub.episode.max()]
            if at.empty:
                raise ValueError(f"claim {c.id!r}: no run of scenario {scenario}, phi {c.phi}, sigma_rt {c.sigma_rt}")
            mean, half = t_confidence_interval(at.throughput_kbits.to_numpy())
            row.update(scenario=scenario, episode=int(at.episode.iloc[0]), ours=mean, ci95=half,
                       ratio=mean / float(c.value))
        rows.append(row)
    return pd.DataFrame(rows, columns=["claim", "figure", "scenario", "episode", "paper", "ours", "ci95", "ratio",
                                       "unit"])
