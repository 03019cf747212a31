"""Chapter 10: scenario 2 at the twin-mismatch regime with a replay memory that keeps the last physical
episode until the next one (|D| = Z_k N T; experiment ``twin_mismatch_zk_replay``, the runs are defined in
:mod:`multirat.experiments.fig6c`). Concatenate its table with ``twin_mismatch_zk``'s for the paired
comparison with the paper's |D| and with scenarios 1 and 3 (the same seeds, weights and drops)."""

from __future__ import annotations

from multirat.experiments import fig6c

__all__ = ["NAME", "experiment_config", "run", "run_specs"]

NAME = fig6c.REPLAY_NAME


def run_specs(profile: str = "paper"):
    """``[(name, condition, RunSpec)]``: Z_k in ``fig6c.Z_KS`` x seeds at ``fig6c.regime_condition``'s regime,
    each with ``replay_size = fig6c.keeping_replay_size(network, z_k)``."""
    return fig6c.run_specs(profile, NAME)


def experiment_config(profile: str = "paper") -> dict:
    return fig6c.experiment_config(profile, NAME)


def run(profile: str = "paper", mode: str | None = None, n_workers: int | None = None, progress: bool = True,
        resume: bool | None = None):
    """As :func:`multirat.experiments.fig6c.run` for this experiment (it needs the stored ``twin_mismatch``)."""
    return fig6c.run(profile, mode=mode, n_workers=n_workers, progress=progress, resume=resume, experiment=NAME)
