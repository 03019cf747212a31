"""Chapter 8's training curves of the Fig. 5 runs (``fig5_curves``): a registry entry for the table that
:func:`multirat.experiments.fig5.run` stores beside ``fig5_evaluations`` (block means of reward, loss,
epsilon, learning rate and the share of physical experiences, per run).

The table has no computation of its own: computing it trains every Fig. 5 run, which stores both tables
(:func:`multirat.experiments.fig5.curves`). ``STORED_BY`` names that experiment, so that
``python -m multirat.experiments --all --mode recompute`` loads the curves its ``fig5_evaluations`` step
has just stored instead of training everything a second time.
"""

from __future__ import annotations

from multirat.experiments import fig5

__all__ = ["NAME", "STORED_BY", "experiment_config", "run"]

NAME = fig5.CURVES
#: The experiment whose computation stores this table.
STORED_BY = fig5.NAME


def experiment_config(profile: str = "paper") -> dict:
    """What the table is keyed on: the configuration of ``fig5_evaluations`` (every run, the evaluation
    protocol, the curve block) with ``experiment`` set to ``"fig5_curves"``, as :func:`fig5.curves` stores it.
    ``ValueError`` for an unknown profile."""
    return dict(fig5.experiment_config(profile), experiment=NAME)


def run(profile: str = "paper", mode: str | None = None, resume: bool | None = None, **kwargs):
    """The training curves of every Fig. 5 run (one row per run and block of ``fig5.CURVE_BLOCK[profile]``
    episodes): :func:`multirat.experiments.fig5.curves` with ``profile``, ``mode`` (as in
    :func:`multirat.results.cached_result`), ``resume`` (as in :func:`fig5.run`) and ``kwargs``. Loaded from the result store when computed for
    this configuration; else every Fig. 5 run is trained and both tables are stored. Raises what
    :func:`fig5.curves` raises (``MissingResultError`` / ``StaleResultError`` in mode ``"cache_only"``)."""
    return fig5.curves(profile, mode=mode, resume=resume, **kwargs)
