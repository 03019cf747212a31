"""Chapter 10: scenario 2 at the twin-mismatch regime with a replay memory that keeps the last physical
episode until the next one (|D| = Z_k N T; experiment ``twin_mismatch_zk_replay``, the runs are defined in
:mod:`multirat.experiments.fig6c`). Concatenate its table with ``twin_mismatch_zk``'s for the paired
comparison with the paper's |D| and with scenarios 1 and 3 (the same seeds, weights and drops)."""

from __future__ import annotations

from multirat.experiments import fig6c

__all__ = ["NAME", "experiment_config", "run", "run_specs"]

NAME = fig6c.REPLAY_NAME
run_specs, experiment_config, run = fig6c.bound_functions(NAME)
