"""Chapter 11 / the paper's Table 5, measured: what its qualitative words leave out.

Two measurements the other chapter-11 tables do not hold (optimality and scalability come from
:func:`multirat.experiments.fig7.summary`, signaling from :mod:`multirat.overhead`):

* **adaptability**: the models trained at (K, N) = (4, 20) and phi = 0.4 (``fig7``), deployed unchanged in a
  physical network whose deviation has grown to phi = :data:`CHANGED_PHI`, beside every benchmark there
  (the agents retrained at that phi are chapter 8's ``fig5_evaluations`` runs);
* **execution time**: the wall time of one decision of every scheme (``policy.act`` for one TS of one network,
  what the scheme computes to choose the powers and MCSs, not the environment's step), at the sizes of
  :data:`TIMED_SIZES`, one torch thread, after a warm-up: median, min and max over :data:`TIMING_REPEATS`
  TSs. Chapter 12 takes the learned decision apart stage by stage.

One table, ``table5``: rows of kind ``adaptability`` (K, N, phi, scheme, seed, mean_kbits, se_kbits) and
``time`` (K, N, scheme, median_s, min_s, max_s, repeats). Its times are this machine's, stored when computed,
so the page never shows a time measured while the book builds.
"""

from __future__ import annotations

import dataclasses

from multirat import baselines, results
from multirat.config import TrainingConfig, get_profile

__all__ = ["CHANGED_PHI", "NAME", "TIMED_SIZES", "TIMING_REPEATS", "execution_exchanges_per_slot", "experiment_config",
           "run"]

NAME = "table5"
CHANGED_PHI = 0.9
TIMED_SIZES = {"smoke": ((1, 2),), "quick": ((4, 20),), "paper": ((4, 20), (6, 100))}
TIMING_REPEATS = {"smoke": 3, "quick": 20, "paper": 50}


def execution_exchanges_per_slot(scheme: str, n_devices: int, n_aps: int) -> int:
    """Signaling exchanges per TS each scheme needs to act, in the unit of chapter 7 (one report or decision).

    Only the proposed scheme's count is the paper's (:func:`multirat.overhead.execution_feedback_per_slot`,
    2N). The others are our reading, built from the same items: MaxP-3GPP-MCS and RA need the N CSI reports
    of the PF scheduler (a CQI report is that report); OLLA adds one ACK/NACK per link (2N); the genie line
    and ESA-FP need, at one place, every link's gain to every AP (K N) and send N decisions back (K N + N).
    ``ValueError`` for another scheme name; counts as :func:`multirat.overhead.execution_feedback_per_slot`.
    """
    from multirat.overhead import execution_feedback_per_slot

    two_n = int(execution_feedback_per_slot(n_devices))
    n = two_n // 2
    table = {"MADRL": two_n, "MaxP-3GPP-MCS": n, "RA": n, "OLLA": two_n, "OLLA (settled)": two_n,
             "genie MCS at P_max": n_aps * n + n, "ESA-FP": n_aps * n + n, "ESA": n_aps * n + n}
    if scheme not in table:
        raise ValueError(f"scheme={scheme!r} is unknown: allowed one of {tuple(table)}")
    return table[scheme]


def _schemes(profile: str, k: int, n: int, sigma: float):
    from multirat.experiments import fig7, fig7_benchmarks as fb

    out = {name: f for name, f in fb._policies(n).items() if name not in ("ESA", "OLLA (settled)")}
    if (k, n) in fig7.SIZES[profile]:
        out["MADRL"] = lambda: fig7.final_models(profile, k, n, sigma)[0]
    return out


def experiment_config(profile: str = "paper") -> dict:
    from multirat.experiments import fig7
    from multirat.training import TEST_DROPS_SEED

    prof = get_profile(profile)
    k, n = fig7.DEPLOYED[profile][0]
    net = prof.apply(dataclasses.replace(fig7.network(k, n), phi=CHANGED_PHI), TrainingConfig())[0]
    return {"experiment": NAME, "adaptability_network": net, "n_drops": prof.eval_drops, "seed": TEST_DROPS_SEED,
            "models": fig7.experiment_config(profile)["runs"], "timed_sizes": TIMED_SIZES[profile],
            "repeats": TIMING_REPEATS[profile], "network_mode": "physical"}


def _decision_times(policy, net, repeats: int, seed: int):
    import time

    import numpy as np

    from multirat.agents.dqn import single_thread
    from multirat.env import NetworkEnv

    env = NetworkEnv(net, mode="physical")
    obs, _ = env.reset(seed=seed)
    out = []
    with single_thread():
        policy.act(env, obs)                                            # warm-up
        for _ in range(repeats):
            t0 = time.perf_counter()
            d = policy.act(env, obs)
            out.append(time.perf_counter() - t0)
            obs, _, done, _ = env.step(d.actions, power_w=d.power_w)
            if done:
                obs, _ = env.reset()
    return np.median(out), min(out), max(out)


def run(profile: str = "paper", mode: str | None = None):
    """The table of the module docstring (kinds ``adaptability`` and ``time``). Cached; computing it needs the
    stored ``fig7`` models."""
    import pandas as pd

    from multirat.experiments import fig7, is_default, recompute_hint
    from multirat.experiments import fig7_benchmarks as fb
    from multirat.experiments.fig5_baselines import evaluation_row

    key = experiment_config(profile)

    def compute():
        rows = []
        net = key["adaptability_network"]
        k, n = net.n_aps, net.n_devices
        settled = baselines.olla_converged_offset_db(net, fb.SETTLE_DROPS, fb.SETTLE_SLOTS, fb.SETTLE_SEED,
                                                     seed=fb.OLLA_SEED)
        for name, factory in fb._policies(n, settled).items():
            if name != "ESA":
                rows.append({"kind": "adaptability", "K": k, "N": n, "phi": net.phi, "scheme": name, "seed": -1,
                             **evaluation_row(factory(), net, key["n_drops"], key["seed"])})
        for seed, policy in fig7.final_models(profile, k, n, net.sigma_rt).items():
            rows.append({"kind": "adaptability", "K": k, "N": n, "phi": net.phi, "scheme": "MADRL trained at phi 0.4",
                         "seed": seed, **evaluation_row(policy, net, key["n_drops"], key["seed"])})
        prof = get_profile(profile)
        for kt, nt in key["timed_sizes"]:
            tnet = prof.apply(fig7.network(kt, nt), TrainingConfig())[0]
            for name, factory in _schemes(profile, kt, nt, fig7.DEFAULT_SIGMA).items():
                med, lo, hi = _decision_times(factory(), tnet, key["repeats"], key["seed"])
                rows.append({"kind": "time", "K": kt, "N": nt, "scheme": name, "median_s": med, "min_s": lo,
                             "max_s": hi, "repeats": key["repeats"]})
        return pd.DataFrame(rows)

    return results.cached_result(NAME, profile, key, compute, seeds=[key["seed"]], mode=mode,
                                 recompute_command=recompute_hint(NAME, profile, key),
                                 storable=is_default(NAME, profile, key))
