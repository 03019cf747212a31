"""Do the stored training tables still hold what today's code gives on this machine?

The result store is keyed on the configuration, not on the code or the machine (:mod:`multirat.results`), and
a learning run amplifies a difference in the last bits of its arithmetic into another trajectory (chapters 8
and 11). :func:`audit_stored_runs` retrains one stored run of each training experiment and compares its
held-out evaluations with the stored ones, bit for bit. ``python -m multirat.audit [EXPERIMENT ...]`` prints
the table (a few minutes for all of them).
"""

from __future__ import annotations

__all__ = ["AUDITED", "audit_stored_runs"]


#: The stored training experiments :func:`audit_stored_runs` checks by default (those evaluated every fixed
#: number of episodes; chapter 13's fig8 evaluates at block ends with the block's regime).
AUDITED = ("fig5", "fig5_replay", "twin_mismatch", "fig6c", "twin_mismatch_zk", "twin_mismatch_zk_replay",
           "fig6ab", "fig6ab_factored", "fig7")


def audit_stored_runs(modules=AUDITED, profile: str = "paper", episodes: int = 200, pick=None):
    """Retrain one stored run of each training experiment with today's code on this machine and compare its
    held-out evaluations with the stored ones, bit for bit (the result store is keyed on the configuration,
    not on the code or the machine: this is what tells whether a stored table is still what the code gives).

    Args:
        modules: experiment module names under ``multirat.experiments`` (each with ``NAME``, ``run_specs``
            and ``experiment_config``).
        profile: whose stored tables to check.
        episodes: how long to retrain (at least the run's Z_k, so that a scenario-2 run meets the physical
            network; never beyond the run's own length).
        pick: ``{module: run name}`` to choose the run; by default the first shared-DQN run of ``run_specs``
            (the first run where there is none).

    Returns a DataFrame, one row per module: ``experiment``, ``run``, ``episodes`` (retrained),
    ``compared`` (evaluations compared), ``first_difference`` (the first episode whose evaluation differs,
    -1 if none) and ``max_abs_difference_kbits``. The retraining runs in this process (the kernels of
    ``import multirat``). ``MissingResultError``/``StaleResultError`` as :func:`multirat.results.load_result`.
    """
    import dataclasses
    import importlib

    import numpy as np
    import pandas as pd

    from multirat import results
    from multirat.training import Trainer

    rows = []
    for name in modules:
        module = importlib.import_module(f"multirat.experiments.{name}")
        specs = module.run_specs(profile)
        shared = [n for n, _, s in specs if s.dqn.agent == "shared"]
        chosen = (pick or {}).get(name) or (shared or [specs[0][0]])[0]
        spec = dict((n, s) for n, _, s in specs)[chosen]
        stored = results.load_result(module.NAME, profile, module.experiment_config(profile))
        stored = stored[stored.run == chosen].sort_values("episode")
        every = int(stored.episode[stored.episode > 0].min())
        length = min(spec.training.episodes, max(int(episodes), spec.training.z_k))
        length = max(every, length - length % every)
        short = dataclasses.replace(spec, training=dataclasses.replace(spec.training, episodes=length))
        again = Trainer([short], eval_every=every).train(progress=False).evaluations.sort_values("episode")
        both = again.merge(stored[["episode", "throughput_kbits"]], on="episode", suffixes=("", "_stored"))
        diff = (both.throughput_kbits - both.throughput_kbits_stored).abs().to_numpy()
        differ = np.flatnonzero(diff > 0)
        rows.append({"experiment": module.NAME, "run": chosen, "episodes": length, "compared": len(both),
                     "first_difference": int(both.episode.iloc[differ[0]]) if differ.size else -1,
                     "max_abs_difference_kbits": float(diff.max()) if diff.size else 0.0})
    return pd.DataFrame(rows)


if __name__ == "__main__":                     # python -m multirat.audit: the audit, printed
    import sys

    table = audit_stored_runs(sys.argv[1:] or AUDITED)
    print(table.to_string(index=False))
