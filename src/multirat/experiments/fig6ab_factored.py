"""Chapter 9, beyond the paper: the factored centralized agent (ours; action branching, Tavakoli et al., AAAI
2018; :mod:`multirat.agents.sadrl`) on the runs of the paper's Fig. 6a-b.

The agent sees what SADRL sees (every link's state of Eq. 21, concatenated) but chooses per link, as MADRL
does (one head of 16 Q-values per link instead of 16^N joint actions). Its runs are those of
:mod:`multirat.experiments.fig6ab` with ``DQNConfig(agent="factored")``: the same sizes, seeds, Algorithm 2
settings (scenario 2, Z_k = 100, code rate 1/2) and evaluation protocol, so a seed's MADRL, SADRL and factored
runs meet the same training and test drops and their differences are paired
(:func:`paired_differences`).

One table, ``fig6ab_factored`` (:data:`NAME`): the held-out physical evaluations every ``EVAL_EVERY``
episodes, the columns of ``fig6ab``. The models go to ``data/models/fig6ab_factored/<profile>/`` (about 80 kB
each at N = 5).
"""

from __future__ import annotations

from multirat import results
from multirat.experiments import fig6ab

__all__ = ["AGENTS", "LABEL", "NAME", "PAIRS", "experiment_config", "models_dir", "paired_differences", "run",
           "run_specs"]

NAME = "fig6ab_factored"
#: The agent's label in the tables (its runs are named ``factored_K<k>_N<n>_seed<s>``).
LABEL = "factored"
AGENTS = {LABEL: "factored"}
#: The paired differences the chapter reports: (minuend, subtrahend) agent labels.
PAIRS = ((LABEL, "MADRL"), ("SADRL", LABEL), ("SADRL", "MADRL"))


def run_specs(profile: str = "paper"):
    """``[(name, condition, RunSpec)]``: the factored agent at every size of ``fig6ab.SIZES[profile]``, every
    seed; ``ValueError`` for an unknown profile."""
    return fig6ab.agent_run_specs(profile, AGENTS)


def experiment_config(profile: str = "paper") -> dict:
    from multirat.experiments._training import training_key

    return training_key(NAME, run_specs(profile), fig6ab.EVAL_EVERY[profile])


def models_dir(profile: str):
    """``data/models/fig6ab_factored/<profile>/`` (inside ``$MULTIRAT_RESULTS_DIR`` when it is set)."""
    return results.models_root() / NAME / profile


def run(profile: str = "paper", mode: str | None = None, n_workers: int | None = None, progress: bool = True,
        resume: bool | None = None):
    """Held-out physical throughput of every factored run, one row per run and evaluation episode (columns as
    :func:`multirat.experiments.fig6ab.run`'s). Cached; trains when missing and stores the models with it.
    ``mode``/``resume`` as in :func:`multirat.experiments.fig5.run`."""
    from multirat.experiments._training import cached_training

    return cached_training(NAME, profile, experiment_config(profile), run_specs(profile), models_dir(profile),
                           eval_every=fig6ab.EVAL_EVERY[profile], checkpoint_every=fig6ab.CHECKPOINT_EVERY[profile],
                           n_workers=n_workers, progress=progress, mode=mode, resume=resume, min_batch=1)


def paired_differences(table, window: int, pairs=PAIRS):
    """Paired differences of final throughput between agents per (K, N), where both ran (a seed's runs of any
    two agents meet the same drops).

    Args:
        table: evaluations of several agents (``fig6ab`` and this table concatenated), columns run, agent, K,
            N, seed, episode, throughput_kbits.
        window: ``fig6ab.FINAL_WINDOW[profile]`` (a run's final throughput is the mean of its evaluations
            within ``window`` episodes of its last).
        pairs: ``[(minuend, subtrahend)]`` agent labels.

    Returns one row per pair and (K, N): minuend, subtrahend, K, N, ``minuend_kbits`` and ``subtrahend_kbits``
    (means over seeds), ``diff_kbits`` (mean paired difference), ``ci95_kbits`` (its t half-width),
    ``diff_pct`` (100 diff / the subtrahend's mean), ``n_seeds``. ``ValueError`` for an agent label the
    table does not hold.
    """
    import pandas as pd

    from multirat.evaluation import t_confidence_interval

    final = fig6ab._final(table, window).reset_index().pivot_table(index=["K", "N", "seed"], columns="agent",
                                                                    values="final_kbits")
    rows = []
    for a, b in pairs:
        for label in (a, b):
            if label not in final.columns:
                raise ValueError(f"agent {label!r} is not in the table; it holds {sorted(final.columns)}")
        for (k, n), g in final[[a, b]].dropna().groupby(level=["K", "N"]):
            diff = (g[a] - g[b]).to_numpy()
            mean, half = t_confidence_interval(diff)
            rows.append({"minuend": a, "subtrahend": b, "K": k, "N": n, "minuend_kbits": float(g[a].mean()),
                         "subtrahend_kbits": float(g[b].mean()), "diff_kbits": mean, "ci95_kbits": half,
                         "diff_pct": 100 * mean / float(g[b].mean()), "n_seeds": len(diff)})
    return pd.DataFrame(rows)
