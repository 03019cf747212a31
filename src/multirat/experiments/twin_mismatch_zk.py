"""Chapter 10: the Z_k sweep and the replay-memory size where the twin costs something (experiment
``twin_mismatch_zk``; the runs and their regime are defined in :mod:`multirat.experiments.fig6c`)."""

from __future__ import annotations

from multirat.experiments import fig6c

__all__ = ["NAME", "experiment_config", "run", "run_specs"]

NAME = fig6c.REGIME_NAME


def run_specs(profile: str = "paper"):
    """``[(name, condition, RunSpec)]`` at the regime of :func:`multirat.experiments.fig6c.regime_condition`."""
    return fig6c.run_specs(profile, NAME)


def experiment_config(profile: str = "paper") -> dict:
    return fig6c.experiment_config(profile, NAME)


def run(profile: str = "paper", mode: str | None = None, n_workers: int | None = None, progress: bool = True,
        resume: bool | None = None):
    """As :func:`multirat.experiments.fig6c.run` for this experiment (it needs the stored ``twin_mismatch``)."""
    return fig6c.run(profile, mode=mode, n_workers=n_workers, progress=progress, resume=resume, experiment=NAME)
