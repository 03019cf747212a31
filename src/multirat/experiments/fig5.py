"""Chapter 8 / the paper's Fig. 5: the shared DQN trained by Algorithm 2 in scenarios 1/2/3.

The run matrix (``conditions``; every condition trains ``Profile.n_seeds`` seeds):

* Fig. 5b, 5c: scenarios 1/2/3 at phi = 0.4 and 0.9 (gamma = 0.9, sigma_rt = 0.05, K = 4, N = 20);
* Fig. 5a: gamma = 0.8 and 0.7 in scenario 2 at phi = 0.4 (gamma = 0.9 is the 5b run);
* Fig. 5d: scenarios 1/2/3 at sigma_rt = 0.1, 0.15, 0.2, phi = 0.4 (sigma_rt = 0.05 is the 5b run).

All runs train together (split into ``n_workers`` batches, one worker process each through
:func:`multirat.distributed.map_tasks`, every batch a stacked model of :mod:`multirat.training`), each
evaluated every ``eval_every`` episodes on the physical network over the same held-out test drops. Two
tables go to the result store: ``fig5_evaluations`` (held-out physical throughput per run and evaluation
episode) and ``fig5_curves`` (training curves, means over blocks of ``CURVE_BLOCK`` episodes); the final
model of every run is written to ``data/models/fig5/<profile>/<run name>.pt`` (committed for the paper
profile). Each batch checkpoints to ``data/checkpoints/fig5/<profile>/`` (git-ignored), so a killed
computation resumes.
"""

from __future__ import annotations

import dataclasses
import os

import numpy as np

from multirat import results
from multirat.config import DQNConfig, NetworkConfig, TrainingConfig, get_profile
# shared by the training experiments
from multirat.experiments._training import _resume, resuming_retry, save_models, stores

__all__ = [
    "CURVES",
    "CURVE_BLOCK",
    "EVAL_EVERY",
    "NAME",
    "conditions",
    "curve_block_means",
    "curves",
    "experiment_config",
    "models_dir",
    "save_models",
    "stores",
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
    from multirat.experiments._training import training_key

    return training_key(NAME, run_specs(profile), EVAL_EVERY[profile], CURVE_BLOCK[profile])


def models_dir(profile: str):
    """Where the final models of ``profile`` go: ``<models_root>/fig5/<profile>/``, that is
    ``data/models/fig5/<profile>/``, or ``$MULTIRAT_RESULTS_DIR/models/fig5/<profile>/`` inside a store set
    by the variable, so that tests never write into the repository (:func:`multirat.results.models_root`)."""
    return results.models_root() / "fig5" / profile


def checkpoint_dir(profile: str):
    """Checkpoints of the training batches: ``data/checkpoints/fig5/<profile>/`` (git-ignored), or
    ``$MULTIRAT_RESULTS_DIR/checkpoints/fig5/<profile>/`` (:func:`multirat.results.checkpoints_root`)."""
    return results.checkpoints_root() / "fig5" / profile


def _train_batch(profile: str, names: list[str], index: int, n_batches: int, progress: bool,
                 resume: bool | None = None):
    """Train one batch of runs in this process (``resume`` as in :meth:`multirat.training.Trainer.train`);
    returns (evaluations, curves) DataFrames with run names and ``{name: (model state, metadata)}``."""
    from multirat.agents import run_metadata
    from multirat.training import Trainer

    specs = {name: (cond, spec) for name, cond, spec in run_specs(profile)}
    runs = [specs[n][1] for n in names]
    ck = checkpoint_dir(profile) / f"batch{index}of{n_batches}.pt"
    _warn_other_splits(ck)
    trainer = Trainer(runs, eval_every=EVAL_EVERY[profile], checkpoint=ck, checkpoint_every=CHECKPOINT_EVERY[profile])
    res = trainer.train(progress=progress, desc=f"fig5 {profile} batch {index}", resume=resume)
    models = {}
    for r, name in enumerate(names):
        cond, spec = specs[name]
        models[name] = (res.models[r], {"name": name, "experiment": "fig5", "profile": profile, **cond,
                                        "episodes": spec.training.episodes, **run_metadata(spec)})
    label = {r: n for r, n in enumerate(names)}
    return (res.evaluations.assign(run=res.evaluations.run.map(label)),
            res.curves.assign(run=res.curves.run.map(label)), models)


def _warn_other_splits(checkpoint) -> None:
    """Warn when checkpoints of another split into batches lie beside ``checkpoint`` (another worker count):
    they are not resumed (a batch's checkpoint holds its runs only)."""
    import warnings

    if checkpoint.exists():
        return
    others = sorted(p.name for p in checkpoint.parent.glob("batch*of*.pt") if not p.name.endswith(
        f"of{checkpoint.stem.rpartition('of')[2]}.pt"))
    if others:
        warnings.warn(f"{checkpoint.parent} holds checkpoints of another number of worker processes "
                      f"({', '.join(others)}); they are not resumed by {checkpoint.name}: use the same n_workers "
                      "to resume them", UserWarning, stacklevel=3)


def curve_block_means(curves, block: int):
    """Per-episode training curves aggregated into blocks of ``block`` episodes, per run.

    ``curves``: one row per run and training episode (the ``curves`` of
    :class:`multirat.training.TrainingResult`, run names or indices), with at least the columns
    ``run``, ``episode`` (1-based integer), ``reward_kbits`` (kbit/frame per TS), ``loss``, ``epsilon``,
    ``learning_rate``, ``physical`` (bool: the episode played the physical network) and
    ``replay_physical_share`` (share of physical experiences in D after the episode, 0..1); other
    columns are ignored. ``block``: episodes per block, an integer >= 1 (``CURVE_BLOCK[profile]``).

    Episode e belongs to block ``(e - 1) // block`` of its run: episodes 1..block, block+1..2 block, ...
    Returns one row per run and block, sorted by run and episode, with the columns

    * ``run``;
    * ``episode``: the block's last episode (``block_end``), the label the block is plotted at; it is
      k * block for a full block, and the run's last episode for a partial last block (7, not 9, for
      episodes 1..7 in blocks of 3), so that epsilon and the learning rate sit at their episode;
    * ``reward_kbits``, ``loss``: the mean over the block's episodes (NaN losses, episodes before the
      first gradient step, are skipped; NaN if the whole block has none);
    * ``epsilon``, ``learning_rate``: the value of the block's **last** episode;
    * ``physical_episodes``: how many of the block's episodes played the physical network (sum);
    * ``replay_physical_share``, ``replay_physical_share_max``: mean and maximum of
      ``replay_physical_share`` over the block.

    The rows are sorted by run and episode before aggregating, so the input order does not matter.
    Raises ``ValueError`` if a column is missing, an episode is not an integer >= 1, or a run has an
    episode twice; ``TypeError`` / ``ValueError`` for a ``block`` that is not an integer >= 1.
    """
    from multirat._checks import positive_int

    block = positive_int(block, "block")
    needed = ["run", "episode", "reward_kbits", "loss", "epsilon", "learning_rate", "physical",
              "replay_physical_share"]
    missing = [c for c in needed if c not in curves.columns]
    if missing:
        raise ValueError(f"curves lacks the columns {missing}; it has {list(curves.columns)}")
    episode = np.asarray(curves.episode, dtype=float)
    bad = ~(np.isfinite(episode) & (episode == np.round(episode)) & (episode >= 1))
    if bad.any():
        raise ValueError(f"curves.episode must hold integers >= 1 (1-based episodes); got {episode[bad][0]!r}")
    if curves.duplicated(["run", "episode"]).any():
        dup = curves[curves.duplicated(["run", "episode"])].iloc[0]
        raise ValueError(f"curves has run {dup.run!r} episode {int(dup.episode)} more than once")
    cur = curves[needed].sort_values(["run", "episode"], kind="stable")
    cur = cur.assign(episode=cur.episode.astype(int), block=(cur.episode.astype(int) - 1) // block)
    groups = cur.groupby(["run", "block"], sort=True)
    agg = groups.agg(reward_kbits=("reward_kbits", "mean"), loss=("loss", "mean"),
                     physical_episodes=("physical", "sum"), replay_physical_share=("replay_physical_share", "mean"),
                     replay_physical_share_max=("replay_physical_share", "max"))
    last = (cur.drop_duplicates(["run", "block"], keep="last")                  # each block's last episode
           .set_index(["run", "block"])[["episode", "epsilon", "learning_rate"]])
    out = last.join(agg).reset_index().drop(columns="block").astype({"physical_episodes": int})
    columns = ["run", "episode", "reward_kbits", "loss", "epsilon", "learning_rate", "physical_episodes",
               "replay_physical_share", "replay_physical_share_max"]
    return out[columns].sort_values(["run", "episode"]).reset_index(drop=True)


def _compute(profile: str, n_workers: int, progress: bool, resume: bool | None = None):
    import pandas as pd

    from multirat.distributed import check_workers, map_tasks
    from multirat.training import CheckpointError

    names = [name for name, _, _ in run_specs(profile)]
    n_workers = min(check_workers(n_workers, "n_workers"), len(names))
    batches = [names[i::n_workers] for i in range(n_workers)]
    parts = map_tasks(_train_batch, [(profile, b, i, n_workers, progress, resume) for i, b in enumerate(batches)],
                      [f"fig5 {profile} batch {i} of {n_workers}" for i in range(n_workers)], workers=n_workers,
                      on_retry=resuming_retry, no_retry=(CheckpointError,))
    models = {name: m for p in parts for name, m in p[2].items()}
    meta = pd.DataFrame([{"run": name, **cond, "seed": spec.seed} for name, cond, spec in run_specs(profile)])
    ev = pd.concat([p[0] for p in parts]).merge(meta, on="run")
    cur = pd.concat([p[1] for p in parts])
    agg = curve_block_means(cur, CURVE_BLOCK[profile]).merge(meta, on="run")
    order = ["run", "scenario", "phi", "sigma_rt", "gamma", "seed", "panels"]
    ev = ev[order + [c for c in ev.columns if c not in order]].sort_values(["run", "episode"]).reset_index(drop=True)
    agg = agg[order + [c for c in agg.columns if c not in order]].sort_values(["run", "episode"]).reset_index(drop=True)
    return ev, agg, models


def _train_all(profile: str, mode: str | None, n_workers: int | None, progress: bool, resume: bool | None):
    """Train every run; the final models are written only when the evaluations table is stored (:func:`stores`)."""
    ev, cur, models = _compute(profile, n_workers or min(2, os.cpu_count() or 1), progress, _resume(mode, resume))
    if stores(NAME, profile, experiment_config(profile), mode):
        save_models(models, models_dir(profile))
    return ev, cur


def run(profile: str = "paper", mode: str | None = None, n_workers: int | None = None, progress: bool = True,
        resume: bool | None = None):
    """The held-out physical throughput of every Fig. 5 run (one row per run and evaluation episode).

    Loaded from the result store when computed for this configuration; else every run is trained, and
    the tables ``fig5_evaluations`` and ``fig5_curves`` and the final models are stored as ``mode`` allows
    (:func:`stores`: ``recompute`` always, ``auto`` only where nothing is stored, ``off`` never).
    ``resume``: ``True`` continues the training batches from their checkpoints (an error if one cannot be
    resumed), ``False`` trains afresh; ``None`` (default): afresh in ``recompute`` mode, else resume what
    can be resumed (see :meth:`multirat.training.Trainer.train`).
    """
    from multirat.experiments import recompute_hint

    key = experiment_config(profile)
    curves_key = dict(key, experiment=CURVES)
    stash = {}

    def compute():
        ev, stash["curves"] = _train_all(profile, mode, n_workers, progress, resume)
        return ev

    store_curves = stores(CURVES, profile, curves_key, mode)
    table = results.cached_result(NAME, profile, key, compute, seeds=sorted({s.seed for s in key["runs"].values()}),
                                  mode=mode, recompute_command=recompute_hint(NAME, profile, key))
    if "curves" in stash and store_curves:
        results.save_result(stash["curves"], CURVES, profile, curves_key,
                            seeds=sorted({s.seed for s in key["runs"].values()}))
    return table


def curves(profile: str = "paper", mode: str | None = None, n_workers: int | None = None, progress: bool = True,
           resume: bool | None = None):
    """The training curves of every Fig. 5 run (block means), stored beside ``fig5_evaluations``.

    Computing them trains every run; the evaluations table and the models are stored beside them as
    ``mode`` allows (:func:`stores`). ``resume`` as in :func:`run`.
    """
    from multirat.experiments import recompute_hint

    ev_key = experiment_config(profile)
    key = dict(ev_key, experiment=CURVES)

    def compute():
        store_ev = stores(NAME, profile, ev_key, mode)
        ev, cur = _train_all(profile, mode, n_workers, progress, resume)
        if store_ev:
            results.save_result(ev, NAME, profile, ev_key, seeds=sorted({s.seed for s in ev_key["runs"].values()}))
        return cur

    return results.cached_result(CURVES, profile, key, compute, mode=mode,
                                 recompute_command=recompute_hint(NAME, profile, experiment_config(profile)))


def summary(table, episode: int | None = None):
    """Held-out throughput over seeds per condition at one evaluation episode: mean, 95 % t-interval,
    interquartile mean and every seed's value.

    ``table``: the Fig. 5 evaluations (:func:`run`), one row per run and evaluation episode, with the
    columns scenario, phi, sigma_rt, gamma, seed, episode and throughput_kbits (kbit/frame).
    ``episode``: the evaluation episode to summarise; ``None`` (default) takes the table's last one.

    Returns one row per condition (scenario, phi, sigma_rt, gamma), sorted by them, with the columns

    * scenario, phi, sigma_rt, gamma, ``episode``, ``n_seeds`` (how many seeds the condition has there);
    * ``mean_kbits`` and ``ci95_kbits``: the mean over seeds and the half-width of its two-sided 95 %
      t-interval, :math:`t_{0.975, n-1}\\, s / \\sqrt n` (NaN for a single seed);
    * ``seed_std_kbits``: the sample standard deviation over seeds (``ddof=1``; NaN for one seed);
    * ``iqm_kbits``: the interquartile mean over seeds, ``scipy.stats.trim_mean(x, 0.25)`` as in
      ``rliable`` (Agarwal et al., NeurIPS 2021): the ``int(0.25 n)`` smallest and largest values are
      dropped and the rest averaged, i.e. the mean of the middle 3 of n = 5 seeds, of the middle 2 of
      n = 4, the plain mean for n <= 3. A robustness check: one collapsed seed moves the mean by its
      drop / n but leaves the IQM almost unchanged;
    * ``seed<k>_kbits`` for every seed k at that episode in the table, in seed order (``seed0_kbits``,
      ``seed1_kbits``, ...): that seed's value, NaN where the condition lacks seed k. Numeric columns,
      one per seed, so that a table renders them with the same number format as the mean and a
      column reads one seed across conditions (the scenarios of a seed share its initial weights and
      drops).

    Raises ``ValueError`` if a column is missing, the table has no row at ``episode``, or a condition
    has a seed twice at that episode.
    """
    import pandas as pd
    from scipy import stats

    from multirat.evaluation import t_confidence_interval

    keys = ["scenario", "phi", "sigma_rt", "gamma"]
    missing = [c for c in [*keys, "seed", "episode", "throughput_kbits"] if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks the columns {missing}; it has {list(table.columns)}")
    ep = int(table.episode.max()) if episode is None else int(episode)
    at = table[table.episode == ep]
    if at.empty:
        raise ValueError(f"no evaluation at episode {ep}; the table has episodes {sorted(set(table.episode))}")
    if at.duplicated([*keys, "seed"]).any():
        dup = at[at.duplicated([*keys, "seed"])].iloc[0]
        raise ValueError(f"scenario {dup.scenario}, phi {dup.phi:g}, sigma_rt {dup.sigma_rt:g}, gamma {dup.gamma:g} "
                         f"has seed {int(dup.seed)} more than once at episode {ep}")
    seeds = sorted(int(s) for s in set(at.seed))
    rows = []
    for cond, g in at.groupby(keys, sort=True):
        x = g.throughput_kbits.to_numpy(float)
        mean, half = t_confidence_interval(x)
        per_seed = dict(zip(g.seed.astype(int), x))
        rows.append({**dict(zip(keys, cond)), "episode": ep, "n_seeds": len(x), "mean_kbits": mean,
                     "ci95_kbits": half, "seed_std_kbits": float(np.std(x, ddof=1)) if len(x) > 1 else float("nan"),
                     "iqm_kbits": float(stats.trim_mean(x, 0.25)),
                     **{f"seed{s}_kbits": float(per_seed.get(s, np.nan)) for s in seeds}})
    return pd.DataFrame(rows)


_SCHEME_SCENARIO = {"Scenario 1": "physical_only", "Scenario 2": "proposed", "Scenario 3": "dt_only"}


#: Half-width (episodes) of the window of evaluations :func:`claims_table` averages around a claim's episode.
CLAIM_WINDOW = 50


def claims_table(evaluations, curves, claims, window: int = CLAIM_WINDOW):
    """Every Fig. 5 claim of ``data/paper_claims.csv`` beside our value: one row per claim.

    ``evaluations``: the Fig. 5 evaluations (:func:`run`), columns scenario, phi, sigma_rt, gamma, seed,
    episode, throughput_kbits (kbit/frame). ``curves``: the training curves (:func:`curves`), columns
    scenario, phi, sigma_rt, gamma, episode, reward_kbits. ``claims``: :func:`multirat.claims.load_claims`
    (or a table with its columns id, source, scheme, phi, sigma_rt, episodes, value, unit); the rows whose
    source does not start with "Fig. 5" are ignored. ``window``: half-width in episodes (integer >= 0).

    Throughput claims (the claim's scenario, phi and sigma_rt, gamma = 0.9):

    * with an episode ``e`` (the paper's Figs. 5b, 5c): a **window** instead of one noisy evaluation.
      Each seed's evaluations at episodes ``e - window .. e + window`` (inclusive) are averaged; ``ours``
      is the mean of these per-seed means and ``ci95`` the half-width of its 95 % t-interval over
      seeds. With evaluations every 50 episodes and ``window = 50`` that is episodes e - 50, e, e + 50;
      ``window = 0`` is the single evaluation at ``e``;
    * without an episode (Fig. 5d): the last evaluation of the table (the final throughput).

    ``ratio`` = ours / paper. ``episode`` is the claim's episode (or the last one), ``episodes`` the range
    of evaluation episodes averaged ("250-350", "2000") and ``measure`` says in words what ``ours`` is.

    The discount-factor claim (``fig5a_best_discount_factor``) is a **selection**, not a quantity: ``ours``
    is the gamma with the highest mean training reward over the last 10 % of episodes (scenario 2, the
    claim's phi and sigma_rt), ``measure`` reads "selected gamma = ...", and ``ci95`` and ``ratio`` are
    NaN (a ratio of two discount factors means nothing).

    Raises ``ValueError`` for a claim it cannot map to a scenario, for a claim without runs, for a window
    around ``e`` with no evaluation, for a seed that has an episode twice in it, and for a ``window`` that
    is not an integer >= 0.
    """
    import pandas as pd

    from multirat.evaluation import t_confidence_interval

    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 0:
        raise ValueError(f"window must be an integer >= 0 (episodes); got {window!r}")
    rows = []
    fig5_claims = claims[claims.source.str.startswith("Fig. 5")]
    for _, c in fig5_claims.iterrows():
        row = {"claim": c.id, "figure": c.source, "paper": float(c.value), "unit": c.unit}
        if c.id == "fig5a_best_discount_factor":
            last = curves.episode.max()
            sub = curves[(curves.scenario == "proposed") & (curves.phi == c.phi) & (curves.sigma_rt == c.sigma_rt)
                         & (curves.episode > 0.9 * last)]
            by_gamma = sub.groupby("gamma").reward_kbits.mean()
            best = float(by_gamma.idxmax())
            row.update(scenario="proposed", episode=int(last), episodes=f"{int(last - 0.1 * last) + 1}-{int(last)}",
                       measure=f"selected gamma = {best:g} (highest training reward, last 10 % of episodes)",
                       ours=best, ci95=float("nan"), ratio=float("nan"))
        else:
            scenario = next((s for k, s in _SCHEME_SCENARIO.items() if str(c.scheme).startswith(k)), None)
            if scenario is None:
                raise ValueError(f"claim {c.id!r}: scheme {c.scheme!r} is not a Fig. 5 scenario")
            sub = evaluations[(evaluations.scenario == scenario) & np.isclose(evaluations.phi, c.phi)
                              & np.isclose(evaluations.sigma_rt, c.sigma_rt) & (evaluations.gamma == BASE_GAMMA)]
            if sub.empty:
                raise ValueError(f"claim {c.id!r}: no run of scenario {scenario}, phi {c.phi}, sigma_rt {c.sigma_rt}")
            shorter = pd.notna(c.episodes) and sub.episode.max() < int(c.episodes) - window
            if pd.notna(c.episodes) and not shorter:
                episode = int(c.episodes)
                at = sub[(sub.episode - episode).abs() <= window]
                if at.empty:
                    raise ValueError(f"claim {c.id!r}: no evaluation within {window} episodes of episode {episode}")
                if at.duplicated(["seed", "episode"]).any():
                    raise ValueError(f"claim {c.id!r}: a seed has the same evaluation episode twice")
                per_seed = at.groupby("seed").throughput_kbits.mean()
                lo, hi = int(at.episode.min()), int(at.episode.max())
                n_eval = at.groupby("seed").size()
                count = f"{n_eval.iloc[0]}" if n_eval.nunique() == 1 else f"{n_eval.min()}-{n_eval.max()}"
                measure = (f"mean of each seed's {count} evaluation(s) within +-{window} episodes of {episode}, "
                           "then over seeds")
            else:
                episode = int(evaluations.episode.max())
                at = sub[sub.episode == episode] if episode in set(sub.episode) else sub[sub.episode == sub.episode.max()]
                episode = lo = hi = int(at.episode.iloc[0])
                per_seed = at.groupby("seed").throughput_kbits.mean()
                measure = "mean over seeds of the last evaluation"
                if shorter:                                   # e.g. the smoke profile: said, never silent
                    measure += f" (the runs end before the paper's episode {int(c.episodes)})"
            mean, half = t_confidence_interval(per_seed.to_numpy(float))
            row.update(scenario=scenario, episode=episode, episodes=f"{lo}-{hi}" if lo != hi else f"{lo}",
                       measure=measure, ours=mean, ci95=half, ratio=mean / float(c.value))
        rows.append(row)
    return pd.DataFrame(rows, columns=["claim", "figure", "scenario", "episode", "episodes", "measure", "paper",
                                       "ours", "ci95", "ratio", "unit"])
