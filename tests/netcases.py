"""Small network configurations and reset environments shared by the benchmark tests."""

import dataclasses

from multirat.config import NetworkConfig
from multirat.env import NetworkEnv

#: The paper's network with 4-TS episodes (fast).
NET = dataclasses.replace(NetworkConfig(), slots_per_episode=4)


def small(k, n, **kw):
    """``NET`` with ``k`` APs and ``n`` devices (and any other field overrides)."""
    return dataclasses.replace(NET, n_aps=k, n_devices=n, **kw)


def env_at(cfg, mode="physical", n_envs=2, seed=0, **kw):
    """A :class:`NetworkEnv` of ``cfg`` already reset with ``seed``."""
    env = NetworkEnv(cfg, mode=mode, n_envs=n_envs, **kw)
    env.reset(seed=seed)
    return env
