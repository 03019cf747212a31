"""Chapter 12 / the paper's Table 4: the decision time of Algorithm 3 per device and TS, stage by stage.

For every network size of :data:`SIZES` (the paper's N = 1, 20, 50, 100 and, beyond it, 1000 and 10 000; the
paper states no K; ours grow with N up to the 64 APs the library allows), one drop of the physical network is reset with the
test-drop seed and advanced :data:`WARM_SLOTS` TSs (so the links have a history), then each stage of
:class:`multirat.execution.Algorithm3` is timed alone and all per-TS stages in sequence
(:func:`multirat.execution.time_stages`: warm-up, ``repeats`` calls, median and range), on one core with one
torch thread. The deciding model is the shared DQN trained at :data:`multirat.experiments.fig7.DEPLOYED`'s
first size (seed 0, Table 1's HWI level): the paper saves its model after 2000 episodes and deploys it.
ESA-FP's decision (:class:`multirat.baselines.FractionalProgramming`) is timed at the same sizes up to
:data:`ESA_FP_MAX_N`, so the price of the optimum is visible.

One table, ``table4``: one row per (N, stage) with K, ``median_s``, ``min_s``, ``max_s``, ``repeats``; the
stages are ``clustering`` (once per drop), :data:`multirat.execution.PER_TS_STAGES`, ``whole`` (the per-TS
stages in sequence) and ``ESA-FP``. The times are this machine's, stored when computed (``python -m
multirat.experiments table4 --profile paper --mode recompute``, a few minutes), so the page never shows a time
measured while the book builds; ``python -m multirat.bench --only decision`` prints a fresh measurement.
"""

from __future__ import annotations

from multirat import results
from multirat.config import TrainingConfig, get_profile

__all__ = ["ESA_FP_MAX_N", "NAME", "REPEATS", "SIZES", "WARM_SLOTS", "experiment_config", "measure", "run"]

NAME = "table4"
#: (K, N) per profile: the paper's Table 4 sizes, then N = 1000 and 10 000.
SIZES = {"smoke": ((1, 1), (2, 6)), "quick": ((1, 1), (4, 20), (6, 100)),
         "paper": ((1, 1), (4, 20), (6, 50), (6, 100), (16, 1000), (64, 10_000))}
REPEATS = {"smoke": 3, "quick": 20, "paper": 200}
ESA_FP_REPEATS = {"smoke": 2, "quick": 5, "paper": 10}
ESA_FP_MAX_N = 1000
WARM_SLOTS = 3


def experiment_config(profile: str = "paper") -> dict:
    from multirat.experiments import fig7
    from multirat.training import TEST_DROPS_SEED

    prof = get_profile(profile)
    k, n = fig7.DEPLOYED[profile][0]
    return {"experiment": NAME, "sizes": SIZES[profile], "repeats": REPEATS[profile],
            "esa_fp_repeats": ESA_FP_REPEATS[profile], "esa_fp_max_n": ESA_FP_MAX_N, "warm_slots": WARM_SLOTS,
            "seed": TEST_DROPS_SEED, "model": fig7.run_name(k, n, fig7.DEFAULT_SIGMA, 0),
            "model_spec": fig7.experiment_config(profile)["runs"][fig7.run_name(k, n, fig7.DEFAULT_SIGMA, 0)],
            "network": prof.apply(fig7.network(1, 1), TrainingConfig())[0], "threads": 1}


def measure(policy, n_aps: int, n_devices: int, repeats: int, esa_fp_repeats: int = 0, seed: int = 0,
            base=None) -> list[dict]:
    """The rows of one network size: every stage of Algorithm 3 timed alone, the per-TS stages in sequence
    (``whole``) and, when ``esa_fp_repeats > 0``, ESA-FP's decision; one torch thread. ``base``: the network
    configuration whose K and N are replaced (Table 1's by default)."""
    import dataclasses

    from multirat.agents.dqn import single_thread
    from multirat.baselines import FractionalProgramming
    from multirat.config import NetworkConfig
    from multirat.env import NetworkEnv
    from multirat.execution import Algorithm3, time_stages

    cfg = dataclasses.replace(base or NetworkConfig(), n_aps=int(n_aps), n_devices=int(n_devices))
    cfg = dataclasses.replace(cfg, slots_per_episode=max(cfg.slots_per_episode, WARM_SLOTS + 1))
    env = NetworkEnv(cfg, mode="physical")
    obs, _ = env.reset(seed=seed)
    with single_thread():
        for _ in range(WARM_SLOTS):
            obs, *_ = env.step(policy.act(env, obs).actions)
        alg = Algorithm3(env, policy)
        rows = time_stages({"clustering": alg.cluster}, repeats)[:1]
        rows += time_stages(alg.stages(), repeats)
        if esa_fp_repeats > 0:
            fp = FractionalProgramming()
            row = time_stages({"ESA-FP": lambda: fp.act(env, obs)}, esa_fp_repeats, warmup=1)[0]
            rows.append(row)
    return [{"K": int(n_aps), "N": int(n_devices), **r} for r in rows]


def run(profile: str = "paper", mode: str | None = None, progress: bool = True):
    """The table of the module docstring. Cached; computing it needs the stored ``fig7`` model."""
    import pandas as pd
    from tqdm import tqdm

    from multirat.agents import load_policy
    from multirat.experiments import fig7, is_default, recompute_hint

    key = experiment_config(profile)

    def compute():
        policy = load_policy(fig7.models_dir(profile) / f"{key['model']}.pt")
        rows = []
        for k, n in tqdm(key["sizes"], desc=NAME, disable=not progress):
            fp = key["esa_fp_repeats"] if n <= key["esa_fp_max_n"] else 0
            rows += measure(policy, k, n, key["repeats"], fp, key["seed"], base=key["network"])
        return pd.DataFrame(rows)

    return results.cached_result(NAME, profile, key, compute, seeds=[key["seed"]], mode=mode,
                                 recompute_command=recompute_hint(NAME, profile, key),
                                 storable=is_default(NAME, profile, key))
