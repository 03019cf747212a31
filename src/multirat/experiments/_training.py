"""Training experiments beyond Fig. 5 (chapters 10 and 13): train a list of named runs in stacked batches,
one worker process per batch (:func:`multirat.distributed.map_tasks`), with checkpoints, and return their
held-out evaluations, curves and final models.

Runs that can share a stacked model (:func:`multirat.training.Trainer` requires the same network shapes,
episode count and DQN settings other than gamma, alpha(0), lambda and epsilon) are grouped; each group is
split round-robin into ``n_workers`` batches, and all batches run on ``n_workers`` worker processes.
A batch checkpoints to ``<checkpoints root>/<experiment>/<profile>/batch-<hash of its run names>.pt``, so a
killed computation resumes where it stopped (a run's numbers do not depend on its batch: tested in
``tests/test_training.py``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os

from multirat import results

__all__ = ["batches", "cached_training", "resuming_retry", "save_models", "stores", "training_key",
           "train_runs"]


def training_key(experiment: str, specs, eval_every: int, curve_block: int | None = None) -> dict:
    """What a training experiment's table is keyed on: its name, every run's configuration (``specs``:
    ``[(name, condition, RunSpec)]``), the evaluation protocol (``eval_every`` episodes, the held-out test
    drops) and, when the experiment stores block-averaged curves, their ``curve_block``."""
    from multirat.training import TEST_DROPS_SEED

    key = {"experiment": experiment, "runs": {name: spec for name, _, spec in specs}, "eval_every": eval_every}
    if curve_block is not None:
        key["curve_block"] = curve_block
    return key | {"test_drops_seed": TEST_DROPS_SEED, "network_mode": "physical"}


def _compatibility(spec) -> tuple:
    from multirat.training import _PER_RUN_DQN

    net, dqn, tr = spec.network, spec.dqn, spec.training
    shape = tuple(getattr(net, f) for f in ("n_aps", "n_devices", "n_rrbs", "slots_per_episode", "n_power_levels",
                                            "modulation_orders", "code_rates"))
    fixed = tuple((f.name, getattr(dqn, f.name)) for f in dataclasses.fields(dqn) if f.name not in _PER_RUN_DQN)
    return shape, fixed, tr.episodes, tr.updates_per_slot


#: A group of compatible runs is split only into batches of at least this many runs: a stacked TS costs
#: about twice as much per run at R = 3 as at R >= 16 (``python -m multirat.bench --only dqn``).
MIN_BATCH = 8


def batches(specs, n_workers: int, eval_every=None, min_batch: int = MIN_BATCH) -> list[list[str]]:
    """Run names ``[[name, ...], ...]``: compatible runs grouped, each group split round-robin into at most
    ``n_workers`` batches of at least ``min_batch`` runs (a smaller group stays whole), in the order of
    ``specs``, a list of ``(name, condition, RunSpec)``. ``eval_every``: a function of a RunSpec when runs
    are evaluated at different periods (runs of one batch share it), else ``None``. ``min_batch`` 1 suits
    networks whose step costs R times one run's (e.g. the centralized agent's, chapter 9)."""
    groups: dict[tuple, list[str]] = {}
    for name, _, spec in specs:
        period = None if eval_every is None else eval_every(spec)
        groups.setdefault((_compatibility(spec), period), []).append(name)
    out = []
    for names in groups.values():
        k = max(1, min(n_workers, len(names) // max(1, int(min_batch))))
        out.extend(names[i::k] for i in range(k))
    return out


def _train_batch(experiment: str, profile: str, specs, names, eval_every: int, checkpoint_every: int,
                 progress: bool, resume):
    from multirat import results
    from multirat.agents import run_metadata
    from multirat.training import Trainer

    by_name = {name: (cond, spec) for name, cond, spec in specs}
    digest = hashlib.sha256("\n".join(names).encode()).hexdigest()[:12]
    ck = results.checkpoints_root() / experiment / profile / f"batch-{digest}.pt"
    trainer = Trainer([by_name[n][1] for n in names], eval_every=eval_every, checkpoint=ck,
                      checkpoint_every=checkpoint_every)
    res = trainer.train(progress=progress, desc=f"{experiment} {profile} ({len(names)} runs)", resume=resume)
    label = dict(enumerate(names))
    models = {name: (res.models[r], {"name": name, "experiment": experiment, "profile": profile,
                                     **by_name[name][0], "episodes": by_name[name][1].training.episodes,
                                     **run_metadata(by_name[name][1])})
              for r, name in enumerate(names)}
    return (res.evaluations.assign(run=res.evaluations.run.map(label)),
            res.curves.assign(run=res.curves.run.map(label)), models)


def resuming_retry(args: tuple) -> tuple:
    """The arguments of a training batch's retry (:func:`multirat.distributed.map_tasks`'s ``on_retry``), from
    those of its failed attempt, ``resume`` last: ``resume=False`` (``recompute`` mode: train afresh) becomes
    ``None``, so the retry resumes the checkpoint its failed attempt wrote after discarding the old one, rather
    than repeat every episode (a resumed run is bit-identical to an uninterrupted one, ``tests/test_training.py``);
    a checkpoint that cannot be resumed is discarded and trained afresh. ``True`` and ``None`` stay as they are."""
    *head, resume = args
    return (*head, None if resume is False else resume)


def train_runs(experiment: str, profile: str, specs, *, eval_every, checkpoint_every: int,
               n_workers: int | None = None, progress: bool = True, resume: bool | None = None,
               min_batch: int = MIN_BATCH):
    """Train every run of ``specs`` (``[(name, condition dict, RunSpec)]``).

    Returns ``(evaluations, curves, models)``: the held-out evaluations (one row per run and evaluation
    episode, with the condition's columns and ``seed``), the per-episode training curves (run names) and
    ``{name: (model state, metadata)}``. ``eval_every``: episodes between evaluations, an integer, or a
    function of a run's RunSpec (e.g. every block of a non-stationary network; batches then share it).
    ``n_workers`` processes (default: 2 or the CPU count if smaller; 1: in this process), through
    :func:`multirat.distributed.map_tasks` (``$MULTIRAT_SCHEDULER`` names a dask cluster to train on);
    ``resume`` as in :meth:`multirat.training.Trainer.train`, a retried batch resuming as :func:`resuming_retry`
    says; ``min_batch`` as in :func:`batches`.
    """
    import pandas as pd

    from multirat.distributed import check_workers, map_tasks
    from multirat.training import CheckpointError

    n_workers = check_workers(n_workers or min(2, os.cpu_count() or 1), "n_workers")
    period = eval_every if callable(eval_every) else None
    work = batches(specs, n_workers, period, min_batch)
    by_name = {name: spec for name, _, spec in specs}
    args = [(experiment, profile, specs, names, period(by_name[names[0]]) if period else eval_every, checkpoint_every,
             progress, resume) for names in work]
    labels = [f"{experiment} {profile} batch {i + 1} of {len(work)} ({len(names)} runs from {names[0]})"
              for i, names in enumerate(work)]
    parts = map_tasks(_train_batch, args, labels, workers=n_workers, on_retry=resuming_retry,
                      no_retry=(CheckpointError,))
    meta = pd.DataFrame([{"run": name, **cond, "seed": spec.seed} for name, cond, spec in specs])
    ev = pd.concat([p[0] for p in parts]).merge(meta, on="run")
    order = list(meta.columns)
    ev = ev[order + [c for c in ev.columns if c not in order]].sort_values(["run", "episode"]).reset_index(drop=True)
    cur = pd.concat([p[1] for p in parts]).reset_index(drop=True)
    models = {name: m for p in parts for name, m in p[2].items()}
    return ev, cur, models


def save_models(models: dict, folder) -> None:
    """Write ``{name: (state, metadata)}`` as ``<folder>/<name>.pt`` (:func:`multirat.agents.save_policy`)."""
    from multirat.agents import save_policy

    for name, (state, meta) in models.items():
        save_policy(folder / f"{name}.pt", state, meta)


def stores(name: str, profile: str, key: dict, mode: str | None) -> bool:
    """Does a computation in ``mode`` store the table ``name`` (and the models that go with it)? As
    :func:`multirat.results.cached_result` decides: ``recompute`` always; ``auto`` only where nothing is
    stored (never over a table of another configuration); ``off`` and ``cache_only`` never."""
    mode = results.resolve_mode(mode)
    if mode == "recompute":
        return True
    if mode != "auto":
        return False
    try:
        results.load_result(name, profile, key)
    except results.MissingResultError:
        return True
    except results.ResultError:
        return False
    return False


def _resume(mode: str | None, resume: bool | None) -> bool | None:
    """``Trainer.train``'s ``resume``: the caller's ``True``/``False``; by default (``None``) ``False`` in
    ``recompute`` mode (train afresh) and ``None`` otherwise (resume a checkpoint that can be resumed, else
    discard it with a warning and train afresh)."""
    if resume is None:
        return False if results.resolve_mode(mode) == "recompute" else None
    if not isinstance(resume, bool):
        raise TypeError(f"resume={resume!r} must be True, False or None")
    return resume


def cached_training(name: str, profile: str, key: dict, specs, models_folder, *, eval_every, checkpoint_every: int,
                    n_workers: int | None, progress: bool, mode: str | None, resume: bool | None,
                    min_batch: int = MIN_BATCH):
    """The held-out evaluations of a training experiment that stores only them and its final models (chapters 9
    and 11): loaded from the store when current for ``key``; else every run of ``specs`` is trained
    (:func:`train_runs`), the table stored as ``mode`` allows (:func:`multirat.results.cached_result`) and the
    models written to ``models_folder`` when the table is (:func:`stores`). ``resume`` as :func:`_resume`."""
    from multirat.experiments import recompute_hint

    def compute():
        ev, _, models = train_runs(name, profile, specs, eval_every=eval_every, checkpoint_every=checkpoint_every,
                                   n_workers=n_workers, progress=progress, resume=_resume(mode, resume),
                                   min_batch=min_batch)
        if stores(name, profile, key, mode):
            save_models(models, models_folder)
        return ev

    seeds = sorted({s.seed for s in key["runs"].values()})
    return results.cached_result(name, profile, key, compute, seeds=seeds, mode=mode,
                                 recompute_command=recompute_hint(name, profile, key))
