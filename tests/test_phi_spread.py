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


@pytest.mark.parametrize("ser_model", ["eq17", "exact"])
@pytest.mark.parametrize("physical", [True, False])
def test_the_genie_plays_p_max_and_the_best_mcs_by_brute_force(ser_model, physical):
    from multirat.baselines import GenieLinkAdaptation

    cfg = dataclasses.replace(NET, n_devices=8, phi=2.0, phi_spread=2.0, ser_model=ser_model)
    env = NetworkEnv(cfg, mode="physical", n_envs=3)
    env.reset(seed=11)
    decision = GenieLinkAdaptation(physical=physical).act(env)
    n_mcs = len(cfg.modulation_orders) * len(cfg.code_rates)
    top = (cfg.n_power_levels - 1) * n_mcs
    assert decision.actions.min() >= top                                  # P_max everywhere
    # brute force: every MCS at P_max on every link at once (the MCS does not change any SINR), rate per link
    rates = np.stack([env.evaluate(np.full((3, 8), top + i), physical=physical).rate_bits for i in range(n_mcs)])
    best = rates.max(axis=0)
    chosen = np.take_along_axis(rates, (decision.actions - top)[None], axis=0)[0]
    np.testing.assert_allclose(chosen, best, rtol=1e-12)
    if not physical:                                                      # the twin's choice, played in the physical network
        phys = GenieLinkAdaptation(physical=True).act(env)
        assert env.evaluate(phys.actions).sum_rate_kbits.sum() >= env.evaluate(decision.actions).sum_rate_kbits.sum()


def test_an_added_field_at_its_default_leaves_stored_keys_current_and_rekey_converts_old_ones(tmp_path):
    import pandas as pd

    from multirat import results

    net = NetworkConfig()
    spread = dataclasses.replace(net, phi_spread=1.0)
    assert results.config_hash({"net": net}) != results.config_hash({"net": spread})   # a set value is keyed
    assert "phi_spread" not in results._jsonable(net)                    # the default is not
    table = pd.DataFrame({"x": [1.0]})
    # a result stored when the field was spelled out (as by code before it was marked added): re-keyed
    old = {"net": {**results._jsonable(net), "phi_spread": 0.0}}
    results.save_result(table, "demo", "smoke", old, root=tmp_path)
    with pytest.raises(results.StaleResultError, match=r"net.phi_spread: 0.0 -> '\(absent\)'"):
        results.load_result("demo", "smoke", {"net": net}, root=tmp_path)
    assert results.rekey("demo", "smoke", {"net": net}, root=tmp_path) is True
    pd.testing.assert_frame_equal(results.load_result("demo", "smoke", {"net": net}, root=tmp_path), table)
    assert results.rekey("demo", "smoke", {"net": net}, root=tmp_path) is False      # already current
    # anything else differing is never re-keyed
    results.save_result(table, "demo", "smoke", {"net": {**results._jsonable(net), "phi_spread": 1.0}}, root=tmp_path)
    with pytest.raises(results.StaleResultError, match="more than added fields"):
        results.rekey("demo", "smoke", {"net": net}, root=tmp_path)
    results.save_result(table, "demo", "smoke", {"net": {**results._jsonable(net), "phi": 0.9, "phi_spread": 0.0}},
                        root=tmp_path)
    with pytest.raises(results.StaleResultError, match=r"net.phi"):
        results.rekey("demo", "smoke", {"net": net}, root=tmp_path)
