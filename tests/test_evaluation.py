"""evaluation.py: evaluate_policy, same_slot_comparison, benchmark_table and the t-interval."""

import dataclasses
import math

import numpy as np
import pytest
from netcases import NET, small
from scipy import stats

from multirat import baselines as bl
from multirat import evaluation as ev
from multirat.env import LinearDeviation, NetworkEnv
from multirat.policy import Decision


def test_evaluate_policy_reproducible_with_ci():
    cfg = small(2, 4)
    a = ev.evaluate_policy(bl.RandomPolicy(seed=1), cfg, n_drops=5, seed=9, n_envs=2)
    b = ev.evaluate_policy(bl.RandomPolicy(seed=1), cfg, n_drops=5, seed=9, n_envs=2)
    np.testing.assert_array_equal(a.per_drop.mean_sum_rate_kbits, b.per_drop.mean_sum_rate_kbits)
    assert len(a.per_drop) == 5 and list(a.per_drop.episode) == [0, 0, 1, 1, 2]
    c = ev.evaluate_policy(bl.RandomPolicy(seed=1), cfg, n_drops=5, seed=10, n_envs=2)
    assert not np.allclose(a.per_drop.mean_sum_rate_kbits, c.per_drop.mean_sum_rate_kbits)
    s = a.summary
    x = a.per_drop.mean_sum_rate_kbits.to_numpy()
    half = stats.t.ppf(0.975, 4) * x.std(ddof=1) / math.sqrt(5)
    assert s["mean_kbits"] == pytest.approx(x.mean()) and s["ci95_halfwidth_kbits"] == pytest.approx(half)
    assert s["ci95_low_kbits"] < s["mean_kbits"] < s["ci95_high_kbits"] and s["n_drops"] == 5
    # the same policy object evaluated twice gives the same numbers (its generator is reset)
    pol = bl.RandomPolicy(seed=1)
    first = ev.evaluate_policy(pol, cfg, 3, seed=9).summary["mean_kbits"]
    assert ev.evaluate_policy(pol, cfg, 3, seed=9).summary["mean_kbits"] == first


def test_evaluate_policy_esa_dominates_per_drop_and_matches_same_slot():
    cfg = small(2, 3)
    esa = ev.evaluate_policy(bl.ExhaustiveSearch(), cfg, n_drops=3, seed=2)
    assert esa.summary["mean_kbits"] <= 3 * cfg.peak_rate_bits / 1e3
    df = ev.same_slot_comparison({"ESA": bl.ExhaustiveSearch(), "MaxP": bl.MaxPower3GPP(), "RA": bl.RandomPolicy(0)},
                                 cfg, n_drops=3, seed=2)
    wide = df.pivot_table(index=["drop", "t"], columns="policy", values="sum_rate_kbits")
    assert len(wide) == 3 * cfg.slots_per_episode
    assert np.all(wide.ESA >= wide.MaxP - 1e-12) and np.all(wide.ESA >= wide.RA - 1e-12)
    # driven by ESA, the same-slot ESA series is the one evaluate_policy saw
    np.testing.assert_allclose(wide.ESA.groupby("drop").mean().to_numpy(),
                               esa.per_drop.mean_sum_rate_kbits.to_numpy(), rtol=1e-12)


def test_t_confidence_interval():
    mean, half = ev.t_confidence_interval([1.0, 2.0, 3.0])
    assert mean == 2.0 and half == pytest.approx(stats.t.ppf(0.975, 2) * 1.0 / math.sqrt(3))
    assert math.isnan(ev.t_confidence_interval([4.0])[1])
    with pytest.raises(ValueError, match="confidence"):
        ev.t_confidence_interval([1.0, 2.0], confidence=1.5)


def test_t_confidence_interval_typed_values():
    # [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, sample std (n - 1) = sqrt(32/7); t_{0.975, 7} = 2.364624251592785
    x = [2, 4, 4, 4, 5, 5, 7, 9]
    mean, half = ev.t_confidence_interval(x)
    assert mean == 5.0 and half == pytest.approx(2.364624251592785 * math.sqrt(32 / 7) / math.sqrt(8), rel=1e-12)
    _, half90 = ev.t_confidence_interval(x, confidence=0.9)                          # t_{0.95, 7} = 1.894578605
    assert half90 == pytest.approx(1.894578605090864 * math.sqrt(32 / 7) / math.sqrt(8), rel=1e-12)
    assert ev.t_confidence_interval([3.0, 3.0]) == (3.0, 0.0)


class _ConstantPolicy:
    """Every link plays one action; counts its resets."""
    name = "const"

    def __init__(self, action):
        self.action, self.resets = action, 0

    def reset(self):
        self.resets += 1

    def act(self, env, obs):
        return Decision(np.full((env.n_envs, env.n_agents), self.action, dtype=np.int64))


def test_evaluate_policy_per_drop_is_the_mean_reward_of_each_drop():
    # replay the same drops by hand with NetworkEnv and compare drop by drop (n_drops not a multiple of n_envs)
    cfg = small(2, 3)
    pol = _ConstantPolicy(47)
    res = ev.evaluate_policy(pol, cfg, n_drops=5, seed=4, n_envs=2)
    assert pol.resets == 1
    env = NetworkEnv(cfg, mode="physical", n_envs=2)
    values = []
    for episode in range(3):
        env.reset(seed=4 if episode == 0 else None)
        total = np.zeros(2)
        for _ in range(cfg.slots_per_episode):
            _, r, _, _ = env.step(np.full((2, 3), 47))
            total += r
        values.extend(total / cfg.slots_per_episode)
    np.testing.assert_allclose(res.per_drop.mean_sum_rate_kbits, values[:5], rtol=1e-12)
    np.testing.assert_array_equal(res.per_drop.network, [0, 1, 0, 1, 0])
    x = np.array(values[:5])
    assert res.summary["std_kbits"] == pytest.approx(x.std(ddof=1), rel=1e-12)
    assert res.summary["policy"] == "const" and res.summary["mode"] == "physical"
    assert math.isnan(ev.evaluate_policy(pol, cfg, n_drops=1, seed=4).summary["std_kbits"])


def test_evaluate_policy_mode_twin_differs_from_physical():
    cfg = small(2, 6, phi=0.9)
    pol = _ConstantPolicy(47)
    twin = ev.evaluate_policy(pol, cfg, 2, seed=1, mode="twin").summary["mean_kbits"]
    phys = ev.evaluate_policy(pol, cfg, 2, seed=1).summary["mean_kbits"]
    assert phys < twin                                                               # 1 + phi on ACI and HWI


def test_benchmark_table_rows_and_common_drops():
    policies = {"RA": lambda: bl.RandomPolicy(0), "MaxP-3GPP-MCS": bl.MaxPower3GPP}
    t = ev.benchmark_table([(1, 2), (2, 3)], policies, NET, n_drops=2, seed=1)
    assert list(t.columns) == ["K", "N", "policy", "n_drops", "mean_kbits", "ci95_halfwidth_kbits", "ci95_low_kbits",
                               "ci95_high_kbits", "std_kbits", "wall_s"]
    assert list(zip(t.K, t.N, t.policy)) == [(1, 2, "RA"), (1, 2, "MaxP-3GPP-MCS"), (2, 3, "RA"), (2, 3, "MaxP-3GPP-MCS")]
    direct = ev.evaluate_policy(bl.MaxPower3GPP(), small(2, 3), 2, seed=1)
    x = direct.per_drop["mean_sum_rate_kbits"].to_numpy()
    half = stats.t.ppf(0.975, 1) * stats.sem(x)
    expected = {"n_drops": 2, "mean_kbits": x.mean(), "ci95_halfwidth_kbits": half, "ci95_low_kbits": x.mean() - half,
                "ci95_high_kbits": x.mean() + half, "std_kbits": x.std(ddof=1)}
    for column, value in expected.items():                     # every column of the row, built apart from the code
        assert t[column].iloc[3] == pytest.approx(value, rel=1e-12), column
        assert t[column].iloc[3] == direct.summary[column], column
    assert (t.ci95_low_kbits < t.mean_kbits).all() and (t.mean_kbits < t.ci95_high_kbits).all()
    assert (t.wall_s > 0).all()


def test_invalid_inputs():
    cfg = small(1, 2)
    with pytest.raises(ValueError, match="mode"):
        ev.evaluate_policy(bl.RandomPolicy(0), cfg, 2, seed=0, mode="digital")
    for bad in (0, -1, 2.5):
        with pytest.raises(ValueError, match="n_drops"):
            ev.evaluate_policy(bl.RandomPolicy(0), cfg, bad, seed=0)
    with pytest.raises(TypeError, match="n_drops must be an integer; got bool"):
        ev.evaluate_policy(bl.RandomPolicy(0), cfg, True, seed=0)
    with pytest.raises(ValueError, match="n_envs"):
        ev.evaluate_policy(bl.RandomPolicy(0), cfg, 2, seed=0, n_envs=0)
    with pytest.raises(TypeError, match="config"):
        ev.evaluate_policy(bl.RandomPolicy(0), {"n_aps": 1}, 2, seed=0)
    with pytest.raises(TypeError, match="policy must have act"):
        ev.evaluate_policy(object(), cfg, 2, seed=0)
    with pytest.raises(ValueError, match="driver"):
        ev.same_slot_comparison({"RA": bl.RandomPolicy(0)}, cfg, 1, seed=0, driver="ESA")
    with pytest.raises(ValueError, match="at least one"):
        ev.same_slot_comparison({}, cfg, 1, seed=0)
    with pytest.raises(ValueError, match="mode"):
        ev.benchmark_table([(1, 2)], {"RA": lambda: bl.RandomPolicy(0)}, cfg, 1, seed=0, mode="digital")
    with pytest.raises(ValueError, match=r"cases=\[\] is empty: allowed a list of at least one \(K, N\) pair"):
        ev.benchmark_table([], {"RA": lambda: bl.RandomPolicy(0)}, cfg, 1, seed=0)      # was an empty table
    with pytest.raises(ValueError, match=r"policies=\{\} is empty"):
        ev.benchmark_table([(1, 2)], {}, cfg, 1, seed=0)
    for bad in ([], [np.nan], [1.0, np.inf]):
        with pytest.raises(ValueError, match="values"):
            ev.t_confidence_interval(bad)
    for bad in (0.0, 1.0, 1.5):
        with pytest.raises(ValueError, match="confidence"):
            ev.t_confidence_interval([1.0, 2.0], confidence=bad)


def test_defaults_all_drops_at_once_and_the_first_policy_drives():
    cfg = small(2, 3)
    res = ev.evaluate_policy(_ConstantPolicy(0), cfg, n_drops=3, seed=2)             # n_envs defaults to n_drops
    assert list(res.per_drop.episode) == [0, 0, 0] and list(res.per_drop.network) == [0, 1, 2]
    assert res.summary["mode"] == "physical"
    # same_slot_comparison: the first policy drives (its decision is played), mode physical
    pols = {"low": _ConstantPolicy(0), "high": _ConstantPolicy(47)}
    df = ev.same_slot_comparison(pols, cfg, n_drops=2, seed=2)
    low = ev.evaluate_policy(_ConstantPolicy(0), cfg, n_drops=2, seed=2).per_drop.mean_sum_rate_kbits.to_numpy()
    np.testing.assert_allclose(df[df.policy == "low"].groupby("drop").sum_rate_kbits.mean().to_numpy(), low,
                               rtol=1e-12)
    assert list(df.columns) == ["drop", "t", "policy", "sum_rate_kbits"]
    assert sorted(df.t.unique()) == list(range(cfg.slots_per_episode))


def test_same_slot_drops_when_n_drops_is_not_a_multiple_of_n_envs():
    cfg = small(1, 2)
    df = ev.same_slot_comparison({"RA": bl.RandomPolicy(0), "MaxP": bl.MaxPower3GPP()}, cfg, n_drops=3, seed=2,
                                 n_envs=2)
    assert sorted(df["drop"].unique()) == [0, 1, 2]
    assert (df.groupby(["drop", "policy"]).size() == cfg.slots_per_episode).all()
    ra = ev.evaluate_policy(bl.RandomPolicy(0), cfg, 3, seed=2, n_envs=2).per_drop.mean_sum_rate_kbits.to_numpy()
    np.testing.assert_allclose(df[df.policy == "RA"].groupby("drop").sum_rate_kbits.mean().to_numpy(), ra, rtol=1e-12)


def test_benchmark_table_forwards_n_envs_and_mode():
    base = dataclasses.replace(NET, phi=0.9)
    t = ev.benchmark_table([(1, 2)], {"MaxP": bl.MaxPower3GPP}, base, n_drops=3, seed=1, mode="twin", n_envs=1)
    cfg = small(1, 2, phi=0.9)
    direct = ev.evaluate_policy(bl.MaxPower3GPP(), cfg, 3, seed=1, mode="twin", n_envs=1).summary["mean_kbits"]
    assert t.mean_kbits[0] == direct
    others = [ev.evaluate_policy(bl.MaxPower3GPP(), cfg, 3, seed=1, mode=m, n_envs=n).summary["mean_kbits"]
              for m, n in (("physical", 1), ("twin", None))]
    assert all(o != direct for o in others)                                          # both arguments matter here


def test_evaluate_policy_uses_the_given_deviation():
    cfg = small(2, 4, phi=0.9, sigma_rt=0.3)
    pol = _ConstantPolicy(40)
    no_deviation = ev.evaluate_policy(pol, cfg, 2, seed=1, deviation=LinearDeviation(0.0)).summary["mean_kbits"]
    twin = ev.evaluate_policy(pol, cfg, 2, seed=1, mode="twin").summary["mean_kbits"]
    assert no_deviation == pytest.approx(twin, rel=1e-12)
    assert ev.evaluate_policy(pol, cfg, 2, seed=1).summary["mean_kbits"] < twin


@pytest.mark.parametrize("driver", ["RA", "MaxP", None])
def test_the_driver_alone_advances_the_episode(driver):
    """The driver's recorded throughput is the episode it plays: the same as evaluating it alone on the same
    drops (twin mode: no deviation draws between the schemes' evaluations); the other scheme's is not, since
    with N > R the PF schedule follows the rates the driver achieved."""
    cfg = dataclasses.replace(small(2, 6), slots_per_episode=6, n_rrbs=3)  # N > R: the schedule follows the rates
    policies = {"RA": bl.RandomPolicy(5), "MaxP": bl.MaxPower3GPP()}
    table = ev.same_slot_comparison(policies, cfg, 2, seed=9, mode="twin", driver=driver)
    played = driver or "RA"                                              # the default: the first policy
    alone = {"RA": ev.evaluate_policy(bl.RandomPolicy(5), cfg, 2, seed=9, mode="twin"),
             "MaxP": ev.evaluate_policy(bl.MaxPower3GPP(), cfg, 2, seed=9, mode="twin")}
    per_drop = table.groupby(["policy", "drop"]).sum_rate_kbits.mean()
    np.testing.assert_allclose(per_drop[played].to_numpy(), alone[played].per_drop["mean_sum_rate_kbits"],
                               rtol=1e-12)
    other = "MaxP" if played == "RA" else "RA"
    assert not np.allclose(per_drop[other].to_numpy(), alone[other].per_drop["mean_sum_rate_kbits"], rtol=1e-6)
