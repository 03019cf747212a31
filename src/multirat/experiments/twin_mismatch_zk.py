"""Chapter 10: the Z_k sweep where the twin costs, with the paper's replay memory (experiment
``twin_mismatch_zk``; the runs and their regime are defined in :mod:`multirat.experiments.fig6c`, which
needs the stored ``twin_mismatch`` table)."""

from __future__ import annotations

from multirat.experiments import fig6c

__all__ = ["NAME", "experiment_config", "run", "run_specs"]

NAME = fig6c.REGIME_NAME
run_specs, experiment_config, run = fig6c.bound_functions(NAME)
