"""Chapter 13 / the paper's Fig. 8: the non-stationary network (Sec. VI-I) and Remark 2 put to the test.

Every Z_m episodes each link re-draws its shadowing (held for the block) and its phi_n
(:mod:`multirat.nonstationary`). Three ways to learn, on the same blocks (a seed's regimes are the same for
every way and every Z_m, block by block):

* ``continual`` -- scenario 2 as the paper runs it: the weights and the replay memory carry over (Remark 2);
* ``from_scratch`` -- "conventional periodic retraining": the weights, optimizer state and replay memory are
  re-initialized at every block start (epsilon and alpha keep their schedules);
* ``frozen`` -- scenario 2 trained as long on the *stationary* network (one phi, the drops' own shadowing),
  then never updated.

In two settings (:data:`SETTINGS`): ``paper``, phi_n from the paper's {0, 0.4, 0.6, 0.9} (the frozen policy
trained at Table 1's phi = 0.4); ``regime``, the set scaled to chapter 10's regime where the twin costs
(:func:`multirat.experiments.fig6c.regime_condition`, phi = 4: the set times 4 / 0.4; the frozen policy
trained at phi = 4). Every run is evaluated at the end of every block on the held-out test drops, which keep
that block's regime (``kind = "during"``); after training, every final policy is evaluated again on up to
:data:`FORGETTING_BLOCKS` earlier blocks (``kind = "final"``), which measures what it forgot.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from multirat import results
from multirat.config import NetworkConfig, TrainingConfig, get_profile
from multirat.nonstationary import block_index, block_regime

__all__ = ["EPISODES", "EVAL_DROPS", "FORGETTING_BLOCKS", "LEARNING", "NAME", "SETTINGS", "SETTLED_EPISODE", "Z_MS",
           "adaptation", "curves", "experiment_config", "forgetting", "forgetting_blocks", "run", "run_specs",
           "settings"]

NAME = "fig8"
SETTINGS = ("paper", "regime")
LEARNING = ("continual", "from_scratch")
Z_MS = {"smoke": (2, 3), "quick": (10, 30, 50), "paper": (10, 30, 50)}
#: training episodes per run (``None``: the profile's); the paper does not give Fig. 8's horizon
EPISODES = {"smoke": None, "quick": 200, "paper": 1000}
#: held-out test drops per evaluation (every block end of every run: fewer than chapter 8's 50)
EVAL_DROPS = {"smoke": 2, "quick": 10, "paper": 20}
#: earlier blocks each final policy is evaluated on (evenly spaced from block 0, the last block excluded)
FORGETTING_BLOCKS = 10
CHECKPOINT_EVERY = {"smoke": 2, "quick": 50, "paper": 100}


def settings(profile: str = "paper") -> dict:
    """``{setting: {"phi", "ser_model", "block_phi"}}``: the stationary phi of the frozen policy and the set
    the blocks draw phi_n from. ``regime`` needs the stored ``twin_mismatch`` table of ``profile``."""
    from multirat.experiments.fig6c import regime_condition

    paper_phi = NetworkConfig().block_phi
    found = regime_condition(profile)
    scale = found["phi"] / NetworkConfig().phi
    return {"paper": {"phi": NetworkConfig().phi, "ser_model": NetworkConfig().ser_model, "block_phi": paper_phi},
            "regime": {"phi": found["phi"], "ser_model": found["ser_model"],
                       "block_phi": tuple(round(p * scale, 12) for p in paper_phi)}}


def run_specs(profile: str = "paper"):
    """``[(name, condition, RunSpec)]``: per setting and seed one stationary run (``learning="frozen"``,
    ``z_m`` None) and one run per Z_m in ``Z_MS[profile]`` and learning in :data:`LEARNING`."""
    from multirat.training import RunSpec

    prof = get_profile(profile)
    out = []
    for setting, s in settings(profile).items():
        base = dataclasses.replace(NetworkConfig(), phi=s["phi"], ser_model=s["ser_model"])
        variants = [(None, "frozen")] + [(z_m, learning) for z_m in Z_MS[profile] for learning in LEARNING]
        for z_m, learning in variants:
            net = base if z_m is None else dataclasses.replace(base, block_episodes=z_m, block_phi=s["block_phi"])
            train = TrainingConfig(block_learning="continual" if learning == "frozen" else learning)
            net, train = prof.apply(net, train)
            if EPISODES[profile] is not None:
                train = dataclasses.replace(train, episodes=EPISODES[profile])
            train = dataclasses.replace(train, eval_drops=EVAL_DROPS[profile])
            tag = "stationary" if z_m is None else f"zm{z_m}_{learning}"
            cond = {"setting": setting, "z_m": z_m, "learning": learning}
            for seed in range(prof.n_seeds):
                out.append((f"{setting}_{tag}_seed{seed}", cond, RunSpec(seed=seed, network=net, training=train)))
    return out


def experiment_config(profile: str = "paper") -> dict:
    from multirat.training import TEST_DROPS_SEED

    return {"experiment": NAME, "runs": {name: spec for name, _, spec in run_specs(profile)},
            "forgetting_blocks": FORGETTING_BLOCKS, "test_drops_seed": TEST_DROPS_SEED,
            "network_mode": "physical", "eval": "every block end; the stationary runs at the end"}


def models_dir(profile: str):
    """``data/models/fig8/<profile>/`` (inside ``$MULTIRAT_RESULTS_DIR`` when it is set)."""
    return results.models_root() / NAME / profile


def forgetting_blocks(n_blocks: int, count: int = FORGETTING_BLOCKS) -> list[int]:
    """Up to ``count`` blocks evenly spaced over ``0 .. n_blocks - 2`` (the last block, where the final policy
    was trained, is left out), always including block 0; ``[]`` for a single block."""
    if n_blocks < 2:
        return []
    return sorted({int(round(x)) for x in np.linspace(0, n_blocks - 2, min(count, n_blocks - 1))})


def _evaluate(state, network, drops, seed, block):
    from multirat.agents.policy import DQNPolicy
    from multirat.evaluation import evaluate_policy
    from multirat.training import TEST_DROPS_SEED

    ev = evaluate_policy(DQNPolicy(state), network, drops, seed=TEST_DROPS_SEED, mode="physical",
                         regime=block_regime(network, seed, block)).per_drop["mean_sum_rate_kbits"].to_numpy()
    se = float(ev.std(ddof=1) / np.sqrt(ev.size)) if ev.size > 1 else float("nan")
    return {"throughput_kbits": float(ev.mean()), "se_kbits": se, "n_drops": int(ev.size)}


def _after_training(ev, models, specs, progress: bool):
    """The evaluations of the stationary (frozen) policies on every block and of every final policy on the
    earlier blocks; ``ev`` are the training evaluations (block runs only)."""
    import pandas as pd
    from tqdm import tqdm

    by_name = {name: (cond, spec) for name, cond, spec in specs}
    block_runs = [(n, c, s) for n, c, s in specs if c["z_m"] is not None]
    frozen = {(c["setting"], s.seed): n for n, c, s in specs if c["z_m"] is None}
    jobs = []                                      # (label row, model name, network of the blocks, block)
    for name, cond, spec in block_runs:
        z_m, episodes = spec.network.block_episodes, spec.training.episodes
        n_blocks = block_index(episodes, z_m) + 1
        for block in forgetting_blocks(n_blocks):
            jobs.append(({"run": name, **cond, "seed": spec.seed, "kind": "final", "episode": episodes,
                          "block": block}, name, spec.network, block))
        if cond["learning"] == "continual":        # the frozen policy on this schedule's block ends
            fname = frozen[(cond["setting"], spec.seed)]
            for episode in sorted({*range(0, episodes + 1, z_m), episodes}):     # as the trainer evaluates
                jobs.append(({"run": fname, **cond, "learning": "frozen", "seed": spec.seed, "kind": "during",
                              "episode": episode, "block": block_index(episode, z_m)}, fname, spec.network,
                             block_index(episode, z_m)))
    cache, rows = {}, []
    for label, name, network, block in tqdm(jobs, desc="fig8 evaluations", disable=not progress):
        key = (name, block)                        # a block's regime does not depend on Z_m: evaluate once
        if key not in cache:
            cache[key] = _evaluate(models[name][0], network, by_name[name][1].training.eval_drops,
                                   by_name[name][1].seed, block)
        rows.append({**label, **cache[key]})
    during = ev.assign(kind="during", block=[block_index(e, z) for e, z in zip(ev.episode, ev.z_m)])
    cols = ["run", "setting", "z_m", "learning", "seed", "kind", "episode", "block", "throughput_kbits",
            "se_kbits", "n_drops"]
    table = pd.concat([during[cols], pd.DataFrame(rows, columns=cols)], ignore_index=True)
    table["z_m"] = table.z_m.astype(int)
    return table.sort_values(["setting", "z_m", "learning", "seed", "kind", "episode", "block"],
                             ignore_index=True)


def run(profile: str = "paper", mode: str | None = None, n_workers: int | None = None, progress: bool = True,
        resume: bool | None = None):
    """One row per evaluation (columns run, setting, z_m, learning, seed, kind, episode, block,
    throughput_kbits, se_kbits, n_drops): ``kind="during"``, a policy at a block end (``episode``) on that
    block's regime (``block``), for ``continual``, ``from_scratch`` and ``frozen`` (the stationary policy,
    repeated for every Z_m); ``kind="final"``, a final policy on an earlier block. Cached; trains when
    missing (it needs the stored ``twin_mismatch`` table for the regime), storing the final models."""
    from multirat.experiments import fig5, is_default, recompute_hint
    from multirat.experiments._training import train_runs

    key = experiment_config(profile)
    specs = run_specs(profile)
    stored = fig5.stores(NAME, profile, key, mode) and (results.resolve_mode(mode) == "recompute"
                                                        or is_default(NAME, profile, key))

    def period(spec):
        return spec.network.block_episodes or spec.training.episodes

    def compute():
        ev, _, models = train_runs(NAME, profile, specs, eval_every=period, checkpoint_every=CHECKPOINT_EVERY[profile],
                                   n_workers=n_workers, progress=progress, resume=fig5._resume(mode, resume))
        if stored:
            fig5.save_models(models, models_dir(profile))
        return _after_training(ev[ev.learning != "frozen"], models, specs, progress)

    return results.cached_result(NAME, profile, key, compute, seeds=sorted({s.seed for _, _, s in specs}),
                                 mode=mode, recompute_command=recompute_hint(NAME, profile, key),
                                 storable=is_default(NAME, profile, key))


# --- analysis of the table (chapter 13) ---------------------------------------------------------------

_COND = ["setting", "z_m", "learning"]


def _require(table, columns):
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks the columns {missing}; it has {list(table.columns)}")


def curves(table):
    """Fig. 8: the block-end evaluations (``kind="during"``) per setting, Z_m, learning and episode, over seeds:
    ``n_seeds``, ``mean_kbits``, ``ci95_kbits`` (95 % t half-width; NaN for one seed). ``ValueError`` naming a
    missing column."""
    import pandas as pd

    from multirat.evaluation import t_confidence_interval

    _require(table, [*_COND, "kind", "episode", "seed", "throughput_kbits"])
    rows = []
    for key, g in table[table.kind == "during"].groupby([*_COND, "episode"], sort=True):
        mean, half = t_confidence_interval(g.throughput_kbits.to_numpy(float))
        rows.append({**dict(zip([*_COND, "episode"], key)), "n_seeds": len(g), "mean_kbits": mean, "ci95_kbits": half})
    return pd.DataFrame(rows)


def _paired(per_seed, reference):
    """Mean and CI over seeds of ``per_seed`` (Series by seed) minus ``reference`` (Series by seed)."""
    from multirat.evaluation import t_confidence_interval

    diff = (per_seed - reference).dropna().to_numpy(float)
    return t_confidence_interval(diff) if len(diff) else (float("nan"), float("nan"))


def adaptation(table, skip_first: bool = True):
    """How well each way of learning does while the network changes: per setting and Z_m, each seed's mean
    over its block-end evaluations (``kind="during"``; episode 0, before any training, left out when
    ``skip_first``), then over seeds: ``mean_kbits``, ``ci95_kbits``, and the paired differences by seed to
    the frozen policy (``vs_frozen_kbits``, ``vs_frozen_ci95_kbits``) and to retraining from scratch
    (``vs_scratch_kbits``, ``vs_scratch_ci95_kbits``); positive: better; and every seed's mean
    (``seed<k>_kbits``). One row per (setting, z_m, learning)."""
    import pandas as pd

    from multirat.evaluation import t_confidence_interval

    _require(table, [*_COND, "kind", "episode", "seed", "throughput_kbits"])
    during = table[(table.kind == "during") & ((table.episode > 0) | (not skip_first))]
    wide = during.groupby([*_COND, "seed"]).throughput_kbits.mean().unstack("learning")   # [(setting, z_m, seed)]
    rows = []
    for (setting, z_m), g in wide.groupby(level=[0, 1], sort=True):
        g = g.droplevel([0, 1])                                                               # seeds x learning
        for learning in sorted(g.columns[g.notna().any()]):
            s = g[learning].dropna()
            mean, half = t_confidence_interval(s.to_numpy(float))
            row = {"setting": setting, "z_m": z_m, "learning": learning, "n_seeds": len(s), "mean_kbits": mean,
                   "ci95_kbits": half, **{f"seed{int(k)}_kbits": float(v) for k, v in s.items()}}
            for ref, label in (("frozen", "frozen"), ("from_scratch", "scratch")):
                row[f"vs_{label}_kbits"], row[f"vs_{label}_ci95_kbits"] = (
                    _paired(s, g[ref]) if ref in g.columns else (float("nan"), float("nan")))
            rows.append(row)
    return pd.DataFrame(rows)


#: per profile, the episodes within which the curves settle (chapter 13's Figure 13.1): forgetting is measured
#: on the blocks that end after it, where "then" is a trained policy and not one still learning from scratch
#: (the smoke profile's four episodes never settle: every block)
SETTLED_EPISODE = {"smoke": 0, "quick": 100, "paper": 100}


def forgetting(table, after_episode: int = 0):
    """What a final policy lost on the earlier blocks: for each run and each block b of its ``kind="final"``
    rows whose block ends after episode ``after_episode`` (e.g. ``SETTLED_EPISODE[profile]``), its block-end
    evaluation of block b (the last ``during`` row of block b) minus the final policy's on block b (the same
    drops and regime), averaged over the blocks per seed, then over seeds:
    ``mean_kbits`` (positive: forgotten), ``ci95_kbits``, ``n_blocks`` and ``final_kbits`` / ``then_kbits``
    (the two means). One row per (setting, z_m, learning) with final rows (not the frozen policy, which never
    changes)."""
    import pandas as pd

    from multirat.evaluation import t_confidence_interval

    _require(table, ["run", *_COND, "kind", "episode", "block", "seed", "throughput_kbits"])
    during = table[table.kind == "during"].sort_values("episode").groupby(["run", "block"]).throughput_kbits.last()
    final = table[(table.kind == "final") & ((table.block + 1) * table.z_m > after_episode)].set_index(["run", "block"])
    rows = []
    for key, g in final.reset_index().groupby(_COND, sort=True):
        then = during.reindex(pd.MultiIndex.from_arrays([g.run, g.block])).to_numpy(float)
        g = g.assign(then=then, lost=then - g.throughput_kbits.to_numpy(float))
        per_seed = g.groupby("seed")[["lost", "then", "throughput_kbits"]].mean()
        mean, half = t_confidence_interval(per_seed.lost.to_numpy(float))
        rows.append({**dict(zip(_COND, key)), "n_seeds": len(per_seed), "n_blocks": int(g.groupby("seed").size().iloc[0]),
                     "then_kbits": float(per_seed.then.mean()), "final_kbits": float(per_seed.throughput_kbits.mean()),
                     "mean_kbits": mean, "ci95_kbits": half})
    return pd.DataFrame(rows)
