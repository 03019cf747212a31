"""Comparing schemes on the same held-out drops (the evaluation protocol of Sec. VI).

* :func:`evaluate_policy` -- any :class:`~multirat.policy.Policy` on independent drops of a network:
  mean sum throughput per TS (kbit/frame) per drop, and the mean with a 95 % t-interval over drops;
* :func:`same_slot_comparison` -- every scheme's decision on the *same* TS (one scheme drives);
* :func:`benchmark_table` -- :func:`evaluate_policy` for several schemes and ``(K, N)`` cases;
* :func:`t_confidence_interval` -- the interval used throughout.

Two schemes evaluated with the same ``seed`` and ``n_envs`` meet the same drops and fading (common
random numbers). Caching a table is :mod:`multirat.results`' job, not this module's.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Mapping
from typing import NamedTuple

import numpy as np

from multirat._checks import choice, positive_int, real, scalar
from multirat._checks import seed as _seed
from multirat.config import NetworkConfig
from multirat.env import MODES, DeviationModel, NetworkEnv
from multirat.policy import Policy

__all__ = ["PolicyEvaluation", "t_confidence_interval", "evaluate_policy", "same_slot_comparison",
           "benchmark_table"]


class PolicyEvaluation(NamedTuple):
    """``per_drop``: one row per drop (``mean_sum_rate_kbits`` = mean over its TS of the sum
    throughput, kbit/frame); ``summary``: mean, standard deviation and 95 % t-interval over drops."""

    per_drop: object
    summary: dict


def t_confidence_interval(values, confidence: float = 0.95) -> tuple[float, float]:
    r"""Mean and half-width of the two-sided t-interval :math:`\bar x \pm t_{n-1,(1+\alpha)/2}\, s/\sqrt n`.

    ``values`` (>= 1 finite value, flattened); ``confidence`` in (0, 1); the half-width is NaN for
    a single value. Raises ``ValueError`` / ``TypeError`` naming the argument.
    """
    from scipy import stats

    x = real(values, "values").ravel()
    if x.size < 1:
        raise ValueError("values must hold at least one finite number; got none")
    confidence = float(real(scalar(confidence, "confidence"), "confidence", lo=0.0, hi=1.0, lo_open=True,
                            hi_open=True))
    if x.size == 1:
        return float(x[0]), float("nan")
    sem = x.std(ddof=1) / math.sqrt(x.size)
    return float(x.mean()), float(stats.t.ppf(0.5 + confidence / 2.0, x.size - 1) * sem)


def _check_mode(mode: str) -> None:
    choice(mode, "mode", MODES)


def _check_policy(policy, name: str = "policy") -> None:
    if not callable(getattr(policy, "act", None)):
        raise TypeError(f"{name} must have act(env, obs) -> Decision; got {type(policy).__name__}")


def evaluate_policy(policy: Policy, config: NetworkConfig, n_drops: int, seed: int, mode: str = "physical",
                    n_envs: int | None = None, deviation: DeviationModel | None = None,
                    regime=None) -> PolicyEvaluation:
    """Run ``n_drops`` independent drops of ``config.slots_per_episode`` TS each and summarise them.

    ``n_envs`` networks run side by side (default: all drops at once); episodes follow until
    ``n_drops`` drops are done (drop ``d`` = network ``d % n_envs`` of episode ``d // n_envs``). The
    environment is seeded once with ``seed`` (drops, shadowing, fading, first schedules), and the
    policy's ``reset()`` (if any) is called first: the same arguments give the same numbers, and two
    policies evaluated with the same ``seed`` and ``n_envs`` meet the same drops and fading (the PF
    schedules differ as the rates do). Returns :class:`PolicyEvaluation`.

    ``regime``: in a non-stationary network (``config.block_episodes > 0``) the block's
    :class:`multirat.nonstationary.LinkRegime`, which every drop keeps (required there, refused elsewhere:
    ``ValueError`` naming ``regime``).

    Raises ``ValueError`` (unknown ``mode``, ``n_drops`` / ``n_envs`` not integers >= 1, a negative
    ``seed``) or ``TypeError`` (a ``policy`` without ``act``, a ``config`` that is not a
    :class:`NetworkConfig`, arguments of the wrong type), naming the argument.
    """
    import pandas as pd

    _check_mode(mode)
    n_drops = positive_int(n_drops, "n_drops")
    n_envs = n_drops if n_envs is None else positive_int(n_envs, "n_envs")
    seed = _seed(seed)
    if not isinstance(config, NetworkConfig):
        raise TypeError(f"config must be a NetworkConfig; got {type(config).__name__}")
    _check_policy(policy)
    if callable(getattr(policy, "reset", None)):
        policy.reset()
    env = NetworkEnv(config, mode=mode, n_envs=n_envs, deviation=deviation)
    n_episodes = -(-n_drops // n_envs)
    means = []
    for episode in range(n_episodes):
        obs, _ = env.reset(seed=seed if episode == 0 else None, regime=None if regime is None else [regime] * n_envs)
        total = np.zeros(n_envs)
        done = False
        while not done:
            d = policy.act(env, obs)
            obs, reward, done, _ = env.step(d.actions, power_w=d.power_w)
            total += reward
        means.append(total / config.slots_per_episode)
    values = np.concatenate(means)[:n_drops]
    drops = np.arange(n_drops)
    per_drop = pd.DataFrame({"drop": drops, "episode": drops // n_envs, "network": drops % n_envs,
                             "mean_sum_rate_kbits": values})
    mean, half = t_confidence_interval(values)
    summary = {"policy": getattr(policy, "name", type(policy).__name__), "mode": mode, "n_drops": n_drops,
               "mean_kbits": mean, "std_kbits": float(values.std(ddof=1)) if n_drops > 1 else float("nan"),
               "ci95_halfwidth_kbits": half, "ci95_low_kbits": mean - half, "ci95_high_kbits": mean + half}
    return PolicyEvaluation(per_drop, summary)


def same_slot_comparison(policies: Mapping[str, Policy], config: NetworkConfig, n_drops: int, seed: int,
                         mode: str = "physical", driver: str | None = None, n_envs: int | None = None,
                         deviation: DeviationModel | None = None):
    """Every scheme's sum throughput on the **same** TS: at each TS each policy acts on the current
    state and its decision is evaluated with :meth:`NetworkEnv.evaluate` (no time passes); then the
    ``driver`` policy's decision (default: the first) is played to advance the episode.

    Returns a long DataFrame: ``drop``, ``t``, ``policy``, ``sum_rate_kbits``. Raises as
    :func:`evaluate_policy`, and ``ValueError`` for no policies or an unknown ``driver``.
    """
    import pandas as pd

    _check_mode(mode)
    if not isinstance(policies, Mapping):
        raise TypeError(f"policies must be a mapping name -> policy; got {type(policies).__name__}")
    if not policies:
        raise ValueError("policies must name at least one policy")
    for name, p in policies.items():
        _check_policy(p, f"policies[{name!r}]")
    driver = next(iter(policies)) if driver is None else driver
    if driver not in policies:
        raise ValueError(f"driver={driver!r} is not one of the policies {list(policies)}")
    n_drops = positive_int(n_drops, "n_drops")
    n_envs = n_drops if n_envs is None else positive_int(n_envs, "n_envs")
    seed = _seed(seed)
    for p in policies.values():
        if callable(getattr(p, "reset", None)):
            p.reset()
    env = NetworkEnv(config, mode=mode, n_envs=n_envs, deviation=deviation)
    frames = []
    for episode in range(-(-n_drops // n_envs)):
        obs, _ = env.reset(seed=seed if episode == 0 else None)
        done = False
        while not done:
            t = env.state.t
            decisions = {name: p.act(env, obs) for name, p in policies.items()}
            for name, d in decisions.items():
                value = env.evaluate(d.actions, power_w=d.power_w).sum_rate_kbits
                frames.append(pd.DataFrame({"drop": episode * n_envs + np.arange(n_envs), "t": t, "policy": name,
                                            "sum_rate_kbits": value}))
            d = decisions[driver]
            obs, _, done, _ = env.step(d.actions, power_w=d.power_w)
    out = pd.concat(frames, ignore_index=True)
    return out[out["drop"] < n_drops].reset_index(drop=True)


def benchmark_table(cases, policies: Mapping[str, Callable[[], Policy]], base_config: NetworkConfig, n_drops: int,
                    seed: int, mode: str = "physical", n_envs: int | None = None):
    """Mean sum throughput and 95 % t-interval of each scheme in each ``(K, N)`` case.

    ``cases`` ``[(K, N), ...]``; ``policies`` maps a column name to a factory (a fresh policy per
    case); ``base_config`` gives every other parameter (``n_aps`` and ``n_devices`` are replaced per
    case). Every scheme of a case meets the same drops (:func:`evaluate_policy` with the same
    ``seed``). Returns a DataFrame with one row per (case, scheme): ``K``, ``N``, ``policy``,
    ``n_drops``, ``mean_kbits``, ``ci95_halfwidth_kbits``, ``ci95_low_kbits``, ``ci95_high_kbits``,
    ``std_kbits`` (kbit/frame) and ``wall_s`` (seconds spent on that row). ``ValueError`` for an
    unknown ``mode``, no cases or no policies (a table without rows), a case that is not a pair of
    integers (K, N) in the config's ranges or a non-positive ``n_drops`` / ``n_envs``; ``TypeError``
    for arguments of the wrong type.
    """
    import pandas as pd

    _check_mode(mode)
    if not isinstance(base_config, NetworkConfig):
        raise TypeError(f"base_config must be a NetworkConfig; got {type(base_config).__name__}")
    if not isinstance(policies, Mapping) or not all(callable(f) for f in policies.values()):
        raise TypeError("policies must map a column name to a factory (a callable returning a policy)")
    if not policies:
        raise ValueError("policies={} is empty: allowed a mapping with at least one policy factory")
    positive_int(n_drops, "n_drops")
    if n_envs is not None:
        positive_int(n_envs, "n_envs")
    _seed(seed)
    if isinstance(cases, (str, bytes)) or not isinstance(cases, (list, tuple)):
        raise TypeError(f"cases must be a list of (K, N) pairs; got {type(cases).__name__} {cases!r}")
    if not cases:
        raise ValueError(f"cases={cases!r} is empty: allowed a list of at least one (K, N) pair")
    cases = [_case(c, i) for i, c in enumerate(cases)]
    configs = []
    for i, (k, n) in enumerate(cases):
        try:
            configs.append(dataclasses.replace(base_config, n_aps=k, n_devices=n))
        except ValueError as err:
            raise ValueError(f"cases[{i}]=({k}, {n}) is invalid: {err}") from None
    rows = []
    for (k, n), cfg in zip(cases, configs):
        for name, factory in policies.items():
            t0 = time.perf_counter()
            _, summary = evaluate_policy(factory(), cfg, n_drops, seed, mode=mode, n_envs=n_envs)
            rows.append({"K": k, "N": n, "policy": name, "n_drops": summary["n_drops"],
                         "mean_kbits": summary["mean_kbits"], "ci95_halfwidth_kbits": summary["ci95_halfwidth_kbits"],
                         "ci95_low_kbits": summary["ci95_low_kbits"], "ci95_high_kbits": summary["ci95_high_kbits"],
                         "std_kbits": summary["std_kbits"], "wall_s": time.perf_counter() - t0})
    return pd.DataFrame(rows)


def _case(case, i: int) -> tuple[int, int]:
    """One benchmark case as ``(K, N)`` Python ints."""
    from multirat._checks import integer

    if isinstance(case, (str, bytes)) or not hasattr(case, "__len__"):
        raise TypeError(f"cases[{i}] must be a pair (K, N); got {type(case).__name__} {case!r}")
    if len(case) != 2:
        raise ValueError(f"cases[{i}]={case!r} must be a pair (K, N)")
    return integer(case[0], f"cases[{i}] K", lo=1), integer(case[1], f"cases[{i}] N", lo=1)
