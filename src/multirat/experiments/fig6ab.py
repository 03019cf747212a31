"""Chapter 9 / the paper's Fig. 6a-b: the shared multi-agent DQN (MADRL) against a centralized single agent
(SADRL, :mod:`multirat.agents.sadrl`), Sec. VI-E.

Both train with Algorithm 2 in scenario 2 (Z_k = 100), the code rate fixed at 1/2 (16 actions per link:
4 modulations x 4 powers) and otherwise Table 1's parameters, at the (K, N) of :data:`SIZES`; MADRL at
every size, SADRL up to :data:`SADRL_MAX_LINKS` links (its joint action space, 16^N, makes a gradient step
grow about 20-fold per link: the stored ``sadrl_cost`` table, ``python -m multirat.bench --only sadrl``).
A seed's MADRL and SADRL runs share their training drops and the held-out test drops (common random numbers),
so their difference is paired; their initial weights differ (different networks).

Two tables: ``fig6ab`` (:data:`NAME`, the held-out physical evaluations every ``EVAL_EVERY`` episodes, the
paper's Fig. 6b) and ``fig6ab_curves`` (:data:`CURVES`, training-curve block means: the reward in the twin,
the paper's Fig. 6a), stored together. The models go to ``data/models/fig6ab/<profile>/``, every one of at most
:data:`MODEL_LIMIT_BYTES` (every MADRL model and SADRL's at N = 2; SADRL's at N = 3, 2.2 MB each, are not kept, and
the chapter gives the command that retrains them).
"""

from __future__ import annotations

import dataclasses

from multirat import results
from multirat.config import DQNConfig, NetworkConfig, TrainingConfig, get_profile

__all__ = ["AGENTS", "CURVES", "CURVE_BLOCK", "EVAL_EVERY", "FINAL_WINDOW", "MODEL_LIMIT_BYTES", "NAME",
           "SADRL_MAX_LINKS", "SIZES", "agent_run_specs", "curves", "experiment_config", "final_summary",
           "half_rate_network", "kept_models", "model_bytes", "paired_gaps", "run", "run_specs"]

NAME = "fig6ab"
CURVES = "fig6ab_curves"
#: (K, N) per profile: the paper's Fig. 6a case (2, 3) and its Fig. 6b sizes up to (2, 5).
SIZES = {"smoke": ((1, 2),), "quick": ((1, 2), (2, 3)), "paper": ((1, 2), (2, 3), (2, 4), (2, 5))}
#: The largest N SADRL is trained at (16^N joint actions; N = 4 would take about 4 h per run here, N = 5 days).
SADRL_MAX_LINKS = {"smoke": 2, "quick": 3, "paper": 3}
#: The two agents by the paper's names and their ``DQNConfig.agent``.
AGENTS = {"MADRL": "shared", "SADRL": "centralized"}
EVAL_EVERY = {"smoke": 2, "quick": 50, "paper": 50}
CURVE_BLOCK = {"smoke": 1, "quick": 5, "paper": 10}
CHECKPOINT_EVERY = {"smoke": 2, "quick": 50, "paper": 50}
#: The largest model committed (issue 17: a SADRL model over 1 MB is not committed; its results and curves are).
MODEL_LIMIT_BYTES = 1_000_000
#: A run's final throughput: the mean of its evaluations within this many episodes of its last one.
FINAL_WINDOW = {"smoke": 0, "quick": 50, "paper": 100}


def half_rate_network(n_aps: int, n_devices: int, base: NetworkConfig | None = None) -> NetworkConfig:
    """``base`` (Table 1 by default) with K APs, N devices and the code rate fixed at 1/2 (Sec. VI-E), its
    d_free that of rate 1/2 in ``base``. ``ValueError`` if ``base`` has no rate 1/2."""
    base = base or NetworkConfig()
    if 0.5 not in base.code_rates:
        raise ValueError(f"the base network's code_rates {base.code_rates} hold no rate 1/2")
    d_free = base.d_free[base.code_rates.index(0.5)]
    return dataclasses.replace(base, n_aps=int(n_aps), n_devices=int(n_devices), code_rates=(0.5,), d_free=(d_free,))


def run_specs(profile: str = "paper"):
    """``[(name, condition, RunSpec)]``: agents x sizes x seeds (SADRL only up to ``SADRL_MAX_LINKS``), the
    costliest first (SADRL, largest N first), so that a pool of workers starts the longest batches first."""
    return agent_run_specs(profile, AGENTS, SADRL_MAX_LINKS[profile])


def agent_run_specs(profile: str, agents: dict, centralized_max_links: int | None = None):
    """:func:`run_specs` for the agents ``{label: DQNConfig.agent}`` at the profile's :data:`SIZES` (a
    centralized agent up to ``centralized_max_links`` links); runs are named ``<label>_K<k>_N<n>_seed<s>``, and
    a seed's runs of any agent meet the same training and test drops."""
    from multirat.training import RunSpec

    prof = get_profile(profile)
    out = []
    for label, agent in sorted(agents.items(), key=lambda a: a[1] != "centralized"):
        for k, n in sorted(SIZES[profile], key=lambda kn: -kn[1] if agent == "centralized" else kn[1]):
            if agent == "centralized" and centralized_max_links is not None and n > centralized_max_links:
                continue
            net, train = prof.apply(half_rate_network(k, n), TrainingConfig(scenario="proposed"))
            cond = {"agent": label, "K": k, "N": n}
            for seed in range(prof.n_seeds):
                out.append((f"{label}_K{k}_N{n}_seed{seed}", cond,
                            RunSpec(seed=seed, network=net, training=train, dqn=DQNConfig(agent=agent))))
    return out


def experiment_config(profile: str = "paper") -> dict:
    from multirat.experiments._training import training_key

    return training_key(NAME, run_specs(profile), EVAL_EVERY[profile], CURVE_BLOCK[profile])


def model_bytes(state: dict) -> int:
    """Bytes of a model's weights and biases as stored (float32: 4 bytes each); ``state``: a run's
    :meth:`~multirat.agents.dqn.StackedQNetwork.run_state` (``weights`` and ``biases``, lists of tensors)."""
    return int(sum(t.numel() * t.element_size() for t in [*state["weights"], *state["biases"]]))


def kept_models(models: dict, limit_bytes: int = MODEL_LIMIT_BYTES) -> dict:
    """The models of ``{name: (state, metadata)}`` whose tensors take at most ``limit_bytes`` bytes
    (:func:`model_bytes`): what is stored beside the tables."""
    return {name: m for name, m in models.items() if model_bytes(m[0]) <= limit_bytes}


def models_dir(profile: str):
    """``data/models/fig6ab/<profile>/`` (inside ``$MULTIRAT_RESULTS_DIR`` when it is set)."""
    return results.models_root() / NAME / profile


def _compute(profile: str, mode, n_workers, progress: bool, resume):
    from multirat.experiments import fig5
    from multirat.experiments._training import train_runs

    specs = run_specs(profile)
    # SADRL's gradient step grows with R like R separate steps: its runs are worth splitting over the workers
    ev, cur, models = train_runs(NAME, profile, specs, eval_every=EVAL_EVERY[profile],
                                 checkpoint_every=CHECKPOINT_EVERY[profile], n_workers=n_workers,
                                 progress=progress, resume=fig5._resume(mode, resume), min_batch=1)
    meta = ev[["run", "agent", "K", "N", "seed"]].drop_duplicates()
    agg = fig5.curve_block_means(cur, CURVE_BLOCK[profile]).merge(meta, on="run")
    order = list(meta.columns)
    agg = agg[order + [c for c in agg.columns if c not in order]].sort_values(["run", "episode"])
    if fig5.stores(NAME, profile, experiment_config(profile), mode):
        fig5.save_models(kept_models(models), models_dir(profile))
    return ev, agg.reset_index(drop=True)


def run(profile: str = "paper", mode: str | None = None, n_workers: int | None = None, progress: bool = True,
        resume: bool | None = None):
    """Held-out physical throughput of every run, one row per run and evaluation episode (columns: run, agent,
    K, N, seed, episode, throughput_kbits, se_kbits, n_drops). Cached; trains when missing, storing the
    training curves (:func:`curves`) and the models of at most :data:`MODEL_LIMIT_BYTES` with it.
    ``mode``/``resume`` as in :func:`multirat.experiments.fig5.run`."""
    from multirat.experiments import fig5, recompute_hint

    key = experiment_config(profile)
    curves_key = dict(key, experiment=CURVES)
    stash = {}

    def compute():
        ev, stash["curves"] = _compute(profile, mode, n_workers, progress, resume)
        return ev

    store_curves = fig5.stores(CURVES, profile, curves_key, mode)
    seeds = sorted({s.seed for s in key["runs"].values()})
    table = results.cached_result(NAME, profile, key, compute, seeds=seeds, mode=mode,
                                  recompute_command=recompute_hint(NAME, profile, key))
    if "curves" in stash and store_curves:
        results.save_result(stash["curves"], CURVES, profile, curves_key, seeds=seeds)
    return table


def curves(profile: str = "paper", mode: str | None = None, n_workers: int | None = None, progress: bool = True,
           resume: bool | None = None):
    """Training-curve block means of every run (``CURVE_BLOCK`` episodes; reward in kbit/frame per TS, loss,
    epsilon, ...: :func:`multirat.experiments.fig5.curve_block_means`), stored beside :func:`run`'s table;
    computing them trains every run and stores the evaluations too, as ``mode`` allows."""
    from multirat.experiments import fig5, recompute_hint

    ev_key = experiment_config(profile)
    key = dict(ev_key, experiment=CURVES)

    def compute():
        store_ev = fig5.stores(NAME, profile, ev_key, mode)
        ev, cur = _compute(profile, mode, n_workers, progress, resume)
        if store_ev:
            results.save_result(ev, NAME, profile, ev_key, seeds=sorted({s.seed for s in ev_key["runs"].values()}))
        return cur

    return results.cached_result(CURVES, profile, key, compute, mode=mode,
                                 recompute_command=recompute_hint(NAME, profile, ev_key))


def _final(table, window: int, keys=("run", "agent", "K", "N", "seed")):
    """Each run's final throughput: the mean of its evaluations at episodes >= its last - ``window``, a Series
    indexed by the columns ``keys`` (the run and its condition)."""
    last = table.groupby("run").episode.transform("max")
    at = table[table.episode >= last - window]
    return at.groupby(list(keys), sort=False).throughput_kbits.mean().rename("final_kbits")


def final_summary(table, window: int):
    """Final held-out throughput per (agent, K, N): ``mean_kbits``, ``ci95_kbits`` (t over seeds), ``iqm_kbits``
    (the interquartile mean over seeds), ``n_seeds`` and every seed's value (``seed<k>_kbits``), sorted by N
    and agent. ``table``: :func:`run`'s evaluations; ``window``: ``FINAL_WINDOW[profile]``."""
    import pandas as pd
    from scipy import stats

    from multirat.evaluation import t_confidence_interval

    final = _final(table, window).reset_index()
    rows = []
    for (agent, k, n), g in final.groupby(["agent", "K", "N"]):
        mean, half = t_confidence_interval(g.final_kbits.to_numpy())
        rows.append({"agent": agent, "K": k, "N": n, "mean_kbits": mean, "ci95_kbits": half,
                     "iqm_kbits": float(stats.trim_mean(g.final_kbits, 0.25)), "n_seeds": len(g),
                     **{f"seed{int(s)}_kbits": v for s, v in zip(g.seed, g.final_kbits)}})
    return pd.DataFrame(rows).sort_values(["N", "K", "agent"], ignore_index=True)


def paired_gaps(table, window: int):
    """SADRL minus MADRL per (K, N) where both ran, paired by seed (a seed's two runs meet the same drops):
    ``sadrl_kbits``, ``madrl_kbits`` (means over seeds), ``gap_kbits`` (mean paired difference), ``ci95_kbits``
    (its t half-width), ``gap_pct`` (100 gap / SADRL: the paper's "within 2.8-10.9 %" measure), ``n_seeds``
    and every seed's gap."""
    import pandas as pd

    from multirat.evaluation import t_confidence_interval

    final = _final(table, window).reset_index().pivot_table(index=["K", "N", "seed"], columns="agent",
                                                             values="final_kbits")
    rows = []
    for (k, n), g in final.dropna().groupby(level=["K", "N"]):
        gap = (g["SADRL"] - g["MADRL"]).to_numpy()
        mean, half = t_confidence_interval(gap)
        rows.append({"K": k, "N": n, "sadrl_kbits": float(g["SADRL"].mean()), "madrl_kbits": float(g["MADRL"].mean()),
                     "gap_kbits": mean, "ci95_kbits": half, "gap_pct": 100 * mean / float(g["SADRL"].mean()),
                     "n_seeds": len(gap),
                     **{f"seed{int(s)}_gap_kbits": v for s, v in zip(g.index.get_level_values("seed"), gap)}})
    return pd.DataFrame(rows)
