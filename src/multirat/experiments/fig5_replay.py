"""One extra run for chapter 8: scenario 2 with a replay memory large enough to keep the physical experience.

With the paper's |D| = 5000 and N = 20 links, the memory holds the last five episodes: the physical
experience collected every Z_k = 100 episodes is flushed long before the next physical episode.
This experiment trains scenario 2 at phi = 0.4 and 0.9 with ``REPLAY_SIZE`` = 100 000 experiences
(about 100 episodes, so one physical episode is always held), seeds 0..n_seeds-1, otherwise exactly
the Fig. 5 runs (same seeds, hence the same initial weights and drops), evaluated on the same test drops.
"""

from __future__ import annotations

import dataclasses

from multirat import results
from multirat.experiments import fig5

__all__ = ["NAME", "REPLAY_SIZE", "experiment_config", "run", "run_specs"]

NAME = "fig5_large_replay"
REPLAY_SIZE = 100_000


def run_specs(profile: str = "paper"):
    """``[(name, condition, RunSpec)]``: the Fig. 5 scenario-2 runs at gamma 0.9, sigma_rt 0.05, with |D| enlarged."""
    out = []
    for name, cond, spec in fig5.run_specs(profile):
        if cond["scenario"] == "proposed" and cond["gamma"] == fig5.BASE_GAMMA and cond["sigma_rt"] == fig5.BASE_SIGMA:
            dqn = dataclasses.replace(spec.dqn, replay_size=REPLAY_SIZE)
            out.append((f"{name}_replay{REPLAY_SIZE}", dict(cond, replay_size=REPLAY_SIZE),
                        dataclasses.replace(spec, dqn=dqn)))
    return out


def experiment_config(profile: str = "paper") -> dict:
    from multirat.training import TEST_DROPS_SEED

    return {"experiment": NAME, "runs": {name: spec for name, _, spec in run_specs(profile)},
            "eval_every": fig5.EVAL_EVERY[profile], "curve_block": fig5.CURVE_BLOCK[profile],
            "test_drops_seed": TEST_DROPS_SEED, "network_mode": "physical"}


def run(profile: str = "paper", mode: str | None = None, progress: bool = True, resume: bool | None = None):
    """Held-out physical throughput of the large-replay runs (columns as ``fig5_evaluations`` plus ``replay_size``).

    ``resume`` as in :func:`multirat.experiments.fig5.run`; the final models are written only when the table is
    stored (:func:`multirat.experiments.fig5.stores`).
    """
    import pandas as pd

    from multirat.agents import run_metadata
    from multirat.experiments import is_default, recompute_hint
    from multirat.training import Trainer

    key = experiment_config(profile)
    specs = run_specs(profile)
    stored = fig5.stores(NAME, profile, key, mode) and (results.resolve_mode(mode) == "recompute"
                                                        or is_default(NAME, profile, key))

    def compute():
        trainer = Trainer([s for _, _, s in specs], eval_every=fig5.EVAL_EVERY[profile],
                          checkpoint=fig5.checkpoint_dir(profile) / "large_replay.pt",
                          checkpoint_every=fig5.CHECKPOINT_EVERY[profile])
        res = trainer.train(progress=progress, desc=f"fig5 large replay {profile}",
                            resume=fig5._resume(mode, resume))
        if stored:                                  # the models go with the table: never in modes that store nothing
            fig5.save_models({name: (res.models[r], {"name": name, "experiment": NAME, "profile": profile, **cond,
                                                     "episodes": spec.training.episodes, **run_metadata(spec)})
                              for r, (name, cond, spec) in enumerate(specs)}, fig5.models_dir(profile))
        meta = pd.DataFrame([{"run": n, **c, "seed": s.seed} for n, c, s in specs])
        ev = res.evaluations.assign(run=res.evaluations.run.map(dict(enumerate(n for n, _, _ in specs))))
        share = res.curves.groupby("run").replay_physical_share.mean().rename("mean_replay_physical_share")
        ev = ev.merge(meta, on="run")
        ev["mean_replay_physical_share"] = ev.run.map(
            dict(zip((n for n, _, _ in specs), share.sort_index().to_numpy())))
        return ev.sort_values(["run", "episode"]).reset_index(drop=True)

    return results.cached_result(NAME, profile, key, compute, seeds=sorted({s.seed for _, _, s in specs}),
                                 mode=mode, recompute_command=recompute_hint(NAME, profile, key),
                                 storable=is_default(NAME, profile, key))
