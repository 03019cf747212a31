"""The per-link deviation drawn at every drop (``NetworkConfig.phi_spread``, chapter 10, beyond the paper)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from multirat import coupling
from multirat.config import NetworkConfig
from multirat.env import LinearDeviation, NetworkEnv

NET = dataclasses.replace(NetworkConfig(), n_devices=6, slots_per_episode=3)


def test_zero_spread_draws_nothing_and_a_spread_draws_last():
    plain = NetworkEnv(dataclasses.replace(NET, phi=2.0), mode="physical", n_envs=2)
    spread = NetworkEnv(dataclasses.replace(NET, phi=2.0, phi_spread=2.0), mode="physical", n_envs=2)
    plain.reset(seed=4)
    spread.reset(seed=4)
    assert plain.state.phi_links is None and not plain.drop_deviation
    for f in ("device_xy", "large_scale", "fading", "rrb"):               # the drop itself is unchanged
        np.testing.assert_array_equal(getattr(plain.state, f), getattr(spread.state, f))
    # phi_n ~ U(phi - spread, phi + spread): the next 12 uniforms of the same generator, after the drop's draws
    probe = np.random.default_rng(4)
    NetworkEnv(dataclasses.replace(NET, phi=2.0), n_envs=2).reset(seed=probe)
    np.testing.assert_array_equal(spread.state.phi_links, probe.uniform(0.0, 4.0, (2, 6)))
    assert spread.state.phi_links.min() >= 0.0 and spread.state.phi_links.max() < 4.0


def test_twin_and_physical_drops_share_their_random_numbers():
    cfg = dataclasses.replace(NET, phi=2.0, phi_spread=2.0)
    twin, phys = NetworkEnv(cfg, mode="twin"), NetworkEnv(cfg, mode="physical")
    twin.reset(seed=9)
    phys.reset(seed=9)
    actions = np.full((1, 6), 47)
    for _ in range(3):
        twin.step(actions)
        phys.step(actions)
    np.testing.assert_array_equal(twin.state.fading, phys.state.fading)     # the same stream in both modes


def test_the_physical_sinr_uses_each_links_own_phi():
    cfg = dataclasses.replace(NET, phi=2.0, phi_spread=2.0)
    env = NetworkEnv(cfg, mode="physical", n_envs=3)
    env.reset(seed=[np.random.default_rng(s) for s in range(3)])
    actions = np.random.default_rng(0).integers(0, cfg.n_actions, (3, 6))
    got = env.evaluate(actions)
    # the same TS with an explicit per-link LinearDeviation of the drawn phi_n: identical SINR
    ref = NetworkEnv(cfg, mode="physical", n_envs=3, deviation=LinearDeviation(env.state.phi_links))
    ref.state = env.state.copy()
    assert not ref.drop_deviation                                       # a given model replaces the drop's phi_n
    np.testing.assert_array_equal(got.sinr, ref.evaluate(actions).sinr)
    # ... and not the SINR of the mean phi
    mean = NetworkEnv(dataclasses.replace(cfg, phi_spread=0.0), mode="physical", n_envs=3)
    mean.state = env.state.copy()
    assert not np.allclose(got.sinr, mean.evaluate(actions).sinr)
    # the benchmark schemes see the same factors
    aci_f, hwi_f = coupling.deviation_factors(env, True)
    np.testing.assert_array_equal(aci_f, 1.0 + env.state.phi_links)
    np.testing.assert_array_equal(hwi_f, 1.0 + env.state.phi_links)
    np.testing.assert_array_equal(coupling.deviation_factors(env, False)[0], np.ones((3, 6)))


def test_a_spread_that_would_make_a_factor_non_positive_is_refused():
    with pytest.raises(ValueError, match=r"phi_spread=1.5 is too wide for phi=0.5: phi - phi_spread must be > -1"):
        dataclasses.replace(NET, phi=0.5, phi_spread=1.5)
    dataclasses.replace(NET, phi=0.5, phi_spread=1.49)                   # just inside
