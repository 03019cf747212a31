"""The book's experiments: one module per figure or table, each a pure function of a profile.

Every experiment module defines ``NAME``, ``run(profile="paper", ..., mode=None) -> DataFrame`` and
``experiment_config(profile, ...)`` (what the result is keyed on), and caches its table in the result
store (:mod:`multirat.results`: ``data/results/<NAME>/<profile>.csv`` with a provenance sidecar). A
module whose table is stored by another experiment's computation (``fig5_curves``, stored by
``fig5_evaluations``) names that experiment in ``STORED_BY``.

``python -m multirat.experiments --list [NAME ...]`` lists them; ``python -m multirat.experiments NAME
--profile paper --mode recompute`` recomputes one and stores it; ``python -m multirat reproduce`` (``make
reproduce``) recomputes every one that is not current, in the order of :data:`EXPERIMENTS`.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["DEPENDS", "EXPERIMENTS", "get_experiment", "is_default", "recompute_command", "recompute_hint", "run"]

#: Experiment name -> module. The name is the folder under ``data/results``.
EXPERIMENTS = {
    "benchmark_table": "multirat.experiments.benchmark_table",
    "esa_cost": "multirat.experiments.esa_cost",
    "fig5_evaluations": "multirat.experiments.fig5",
    "fig5_curves": "multirat.experiments.fig5_curves",
    "fig5_baselines": "multirat.experiments.fig5_baselines",
    "fig5_large_replay": "multirat.experiments.fig5_replay",
    "twin_mismatch": "multirat.experiments.twin_mismatch",
    "fig6c": "multirat.experiments.fig6c",
    "twin_mismatch_zk": "multirat.experiments.twin_mismatch_zk",
    "twin_mismatch_zk_replay": "multirat.experiments.twin_mismatch_zk_replay",
    "fig6ab": "multirat.experiments.fig6ab",
    "fig6ab_curves": "multirat.experiments.fig6ab_curves",
    "fig6ab_baselines": "multirat.experiments.fig6ab_baselines",
    "fig6ab_factored": "multirat.experiments.fig6ab_factored",
    "sadrl_cost": "multirat.experiments.sadrl_cost",
    "fig8": "multirat.experiments.fig8",
    "fig7": "multirat.experiments.fig7",
    "fig7_benchmarks": "multirat.experiments.fig7_benchmarks",
    "table5": "multirat.experiments.table5",
    "table4": "multirat.experiments.table4",
    "sensitivity_baselines": "multirat.experiments.sensitivity_baselines",
    "sensitivity_training": "multirat.experiments.sensitivity_training",
    "closest_reading": "multirat.experiments.closest_reading",
}


#: Experiment name -> the experiments whose stored tables or models it reads (:mod:`multirat.reproduce` computes
#: them first, and recomputes a dependent when one of them was recomputed). :data:`EXPERIMENTS` lists every
#: experiment after what it depends on.
DEPENDS = {
    "fig5_curves": ("fig5_evaluations",),
    "fig6c": ("twin_mismatch",),
    "twin_mismatch_zk": ("twin_mismatch",),
    "twin_mismatch_zk_replay": ("twin_mismatch",),
    "fig6ab_curves": ("fig6ab",),
    "fig7_benchmarks": ("fig7",),
    "table5": ("fig7",),
    "table4": ("fig7",),
    "sensitivity_training": ("fig5_evaluations", "fig7"),
}


def get_experiment(name: str) -> ModuleType:
    """The module of experiment ``name``; ``ValueError`` listing the known names for an unknown one."""
    if name not in EXPERIMENTS:
        raise ValueError(f"experiment={name!r} is unknown: allowed one of {tuple(EXPERIMENTS)}")
    return importlib.import_module(EXPERIMENTS[name])


def recompute_command(name: str, profile: str) -> str:
    """The shell command that recomputes and stores experiment ``name`` in ``profile``, with this
    interpreter (so that it works without an activated virtual environment)."""
    import shlex
    import sys

    python = shlex.quote(sys.executable or "python")
    return f"{python} -m multirat.experiments {name} --profile {profile} --mode recompute"


def recompute_hint(name: str, profile: str, key: dict) -> str:
    """What a stale or missing result of ``name`` should say to recompute it: the command line when
    ``key`` is the experiment's default configuration for ``profile``, else ``mode='recompute'`` with the
    caller's arguments (the command line recomputes the defaults only)."""
    command = recompute_command(name, profile)
    if is_default(name, profile, key):
        return command
    return (f"mode='recompute' with these arguments (e.g. MULTIRAT_RESULTS=recompute for the notebook); note that "
            f"it replaces the stored {profile!r} table, which `{command}` restores")


def is_default(name: str, profile: str, key: dict) -> bool:
    """Is ``key`` the configuration experiment ``name`` has by default in ``profile``? Only such a result is
    stored in ``"auto"`` mode (``results.cached_result(..., storable=...)``), so that a one-off run with other
    arguments never becomes the profile's stored table."""
    return key == get_experiment(name).experiment_config(profile)


def run(name: str, profile: str = "paper", **kwargs):
    """``get_experiment(name).run(profile, **kwargs)``: the experiment's table (cached)."""
    return get_experiment(name).run(profile, **kwargs)
