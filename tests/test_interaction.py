"""Chapter 10's experiments and their analysis: fig6c, twin_mismatch, twin_mismatch_zk (small hand-built
tables with known answers, the run matrices, and the smoke computations)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from multirat import overhead, results
from multirat.config import DQNConfig, NetworkConfig, TrainingConfig
from multirat.experiments import _training, fig6c, twin_mismatch, twin_mismatch_zk, twin_mismatch_zk_replay
from multirat.training import RunSpec


def _table(rows):
    """Evaluations from ``(run, scenario, z_k, seed, [(episode, kbits), ...])`` at phi 0.4."""
    out = []
    for run, scenario, z_k, seed, evals in rows:
        for episode, kbits in evals:
            out.append({"run": run, "phi": 0.4, "ser_model": "eq17", "scenario": scenario, "z_k": z_k,
                        "replay": "paper", "seed": seed, "episode": episode, "throughput_kbits": kbits})
    return pd.DataFrame(out)


def test_final_summary_averages_the_window_and_pairs_by_seed():
    t = _table([
        ("s1a", "physical_only", None, 0, [(0, 1.0), (50, 10.0), (100, 12.0)]),
        ("s1b", "physical_only", None, 1, [(0, 1.0), (50, 20.0), (100, 22.0)]),
        ("s3a", "dt_only", None, 0, [(0, 1.0), (50, 8.0), (100, 8.0)]),
        ("s3b", "dt_only", None, 1, [(0, 1.0), (50, 17.0), (100, 19.0)]),
        ("z10a", "proposed", 10, 0, [(0, 1.0), (50, 9.0), (100, 11.0)]),
        ("z10b", "proposed", 10, 1, [(0, 1.0), (50, 21.0), (100, 21.0)]),
    ])
    s = fig6c.final_summary(t, window=50).set_index("scenario")
    # window 50 from episode 100: episodes 50 and 100
    assert s.loc["physical_only", "mean_kbits"] == pytest.approx((11.0 + 21.0) / 2)
    assert s.loc["dt_only", "seed1_kbits"] == pytest.approx(18.0)
    # paired differences of scenario 2 by seed: vs s1 (10 - 11, 21 - 21), vs s3 (10 - 8, 21 - 18)
    d1, d3 = np.array([-1.0, 0.0]), np.array([2.0, 3.0])
    t975 = stats.t.ppf(0.975, 1)
    assert s.loc["proposed", "vs_s1_kbits"] == pytest.approx(d1.mean())
    assert s.loc["proposed", "vs_s3_ci95_kbits"] == pytest.approx(t975 * d3.std(ddof=1) / np.sqrt(2))
    assert s.loc["proposed", "z_k"] == 10 and np.isnan(s.loc["dt_only", "z_k"])
    assert s.loc["physical_only", "vs_s1_kbits"] == 0.0
    # scenario 1 of another phi never enters the pairs
    other = _table([("o1a", "physical_only", None, 0, [(100, 100.0)]),
                    ("o1b", "physical_only", None, 1, [(100, 100.0)])]).assign(phi=0.9)
    mixed = fig6c.final_summary(pd.concat([t, other], ignore_index=True), window=50)
    row = mixed[(mixed.phi == 0.4) & (mixed.scenario == "proposed")].iloc[0]
    assert row.vs_s1_kbits == pytest.approx(d1.mean())
    assert row.vs_s1_ci95_kbits == pytest.approx(t975 * d1.std(ddof=1) / np.sqrt(2))
    # window 0: the last evaluation alone
    assert fig6c.final_summary(t, window=0).set_index("scenario").loc["physical_only", "mean_kbits"] == 17.0
    with pytest.raises(ValueError, match=r"lacks the columns \['replay'\]"):
        fig6c.final_summary(t.drop(columns="replay"), 0)


def test_replay_effect_pairs_the_memories_by_seed_and_z_k():
    paper = _table([("p10a", "proposed", 10, 0, [(50, 10.0), (100, 12.0)]),
                    ("p10b", "proposed", 10, 1, [(50, 20.0), (100, 20.0)]),
                    ("p50a", "proposed", 50, 0, [(100, 5.0)]),
                    ("s1a", "physical_only", None, 0, [(100, 99.0)])]).assign(replay_size=5000)
    kept = _table([("k10a", "proposed", 10, 0, [(50, 13.0), (100, 15.0)]),    # seed 0: 14 - 11 = +3
                   ("k10b", "proposed", 10, 1, [(50, 19.0), (100, 19.0)]),    # seed 1: 19 - 20 = -1
                   ("k50a", "proposed", 50, 0, [(100, 9.0)]),                  # one seed: +4, no CI
                   ("k50c", "proposed", 50, 2, [(100, 1.0)])])                 # seed 2 has no pair
    kept = kept.assign(replay="keeps last physical episode", replay_size=kept.z_k * 1000)
    out = fig6c.replay_effect(pd.concat([paper, kept], ignore_index=True), window=50).set_index("z_k")
    assert list(out.index) == [10, 50] and set(out.replay) == {"keeps last physical episode"}
    d = np.array([3.0, -1.0])
    assert out.loc[10, "diff_kbits"] == pytest.approx(1.0) and out.loc[10, "n_seeds"] == 2
    assert out.loc[10, "ci95_kbits"] == pytest.approx(stats.t.ppf(0.975, 1) * d.std(ddof=1) / np.sqrt(2))
    assert out.loc[50, "diff_kbits"] == 4.0 and np.isnan(out.loc[50, "ci95_kbits"]) and out.loc[50, "n_seeds"] == 1
    assert out.loc[50, "replay_size"] == 50_000
    with pytest.raises(ValueError, match=r"reference='big' is not a replay .*allowed \['keeps last physical"):
        fig6c.replay_effect(paper.assign(replay="x").pipe(lambda t: pd.concat([t, kept])), 50, reference="big")


def _gap_table(gap_by_mismatch, seeds=(0, 1, 2)):
    rows = []
    for label, phi, spread in (*twin_mismatch.MISMATCHES, twin_mismatch.SPREAD):
        gap = gap_by_mismatch.get(label, [0.0] * len(seeds))
        for seed, g in zip(seeds, gap):
            for scenario, value in (("physical_only", 50.0 + seed), ("dt_only", 50.0 + seed - g)):
                rows.append({"run": f"{scenario}{label}{seed}", "ser_model": "eq17", "mismatch": label, "phi": phi,
                             "phi_spread": spread, "scenario": scenario, "seed": seed, "episode": 500,
                             "throughput_kbits": value})
    return pd.DataFrame(rows)


def test_gaps_and_the_regime_are_the_first_mismatch_beyond_its_ci():
    table = _gap_table({"phi = 2": [0.5, -0.5, 0.1],         # mean 0.03: within its CI
                        "phi = 4": [2.0, 2.2, 1.9],          # clearly positive
                        "phi = 9": [9.0, 9.5, 8.8]})
    g = twin_mismatch.gaps(table, window=0).set_index("mismatch")
    assert list(g.index) == [m[0] for m in (*twin_mismatch.MISMATCHES, twin_mismatch.SPREAD)]
    assert g.loc["phi = 4", "gap_kbits"] == pytest.approx(np.mean([2.0, 2.2, 1.9]))
    assert g.loc["phi = 4", "loss_pct"] == pytest.approx(100 * np.mean([2.0, 2.2, 1.9]) / 51.0)
    assert g.loc["phi = 4", ["seed0_gap_kbits", "seed1_gap_kbits", "seed2_gap_kbits"]].tolist() == pytest.approx(
        [2.0, 2.2, 1.9])
    assert not g.loc["phi = 2", "twin_costs"] and g.loc["phi = 4", "twin_costs"] and g.loc["phi = 9", "twin_costs"]
    assert not g.loc["phi = 0.9", "twin_costs"]             # zero gap, zero spread: lower bound 0, not > 0
    found = twin_mismatch.regime(g.reset_index())
    assert found == {"ser_model": "eq17", "mismatch": "phi = 4", "phi": 4.0, "phi_spread": 0.0, "twin_costs": True}


def test_without_a_costing_mismatch_the_regime_is_the_largest_gap_and_says_so():
    g = twin_mismatch.gaps(_gap_table({"phi = 2": [0.5, -0.5, 0.3], "phi = 9": [3.0, -2.0, 0.5]}), 0)
    found = twin_mismatch.regime(g)
    assert found["mismatch"] == "phi = 9" and found["twin_costs"] is False
    with pytest.raises(ValueError, match="ser_model='exact'"):
        twin_mismatch.regime(g, "exact")


@pytest.mark.parametrize("y, cost, front", [
    ([1.0, 2.0, 3.0], [0.0, 1.0, 2.0], [True, True, True]),        # more throughput costs more: all on it
    ([3.0, 2.0, 1.0], [0.0, 1.0, 2.0], [True, False, False]),      # one point beats the others
    ([2.0, 2.0, 1.0], [1.0, 1.0, 1.0], [True, True, False]),       # equal points are both on the front
    ([2.0, 2.0], [1.0, 2.0], [True, False]),                       # same throughput, more cost: dominated
])
def test_pareto_front(y, cost, front):
    assert fig6c.pareto_front(y, cost).tolist() == front


def test_over_the_air_exchanges_follow_chapter_7():
    net, dqn = NetworkConfig(), DQNConfig()

    def spec(scenario, z_k=100):
        return RunSpec(0, net, TrainingConfig(scenario=scenario, z_k=z_k), dqn)

    args = dict(episodes=2000, slots=net.slots_per_episode, n_devices=net.n_devices, n_aps=net.n_aps,
                t_d=TrainingConfig().info_per_task, d_b=dqn.batch_size)
    o_phy = fig6c.over_the_air_exchanges(spec("physical_only"))
    assert o_phy == int(overhead.overhead_physical_only(**args))
    assert fig6c.over_the_air_exchanges(spec("dt_only")) == 0
    for z_k in (10, 50, 100, 200, 300):                               # 300 does not divide 2000: floor(6.67) = 6
        assert fig6c.over_the_air_exchanges(spec("proposed", z_k)) * 2000 == o_phy * (2000 // z_k)


def test_a_replay_memory_that_keeps_the_last_physical_episode():
    net = NetworkConfig()
    assert fig6c.keeping_replay_size(net, 100) == 100 * 20 * 50
    assert fig6c.keeping_replay_size(net, 1) == 5000                # never below the paper's |D|
    idle = dataclasses.replace(net, n_devices=130)                  # N > R: R links per TS
    assert fig6c.keeping_replay_size(idle, 10) == 10 * 100 * 50


def test_the_run_matrices():
    specs = fig6c.run_specs("paper")
    conds = {(c["phi"], c["scenario"], c["z_k"]) for _, c, _ in specs}
    assert len(specs) == 2 * 6 * 5 and len(conds) == 12
    assert {s.training.z_k for _, c, s in specs if c["scenario"] == "proposed"} == set(fig6c.Z_KS)
    assert all(s.training.episodes == 2000 and s.network.phi == c["phi"] for _, c, s in specs)
    mm = twin_mismatch.run_specs("paper")
    assert len(mm) == 2 * 5 * 2 * 5 and all(s.training.episodes == 500 for _, _, s in mm)
    spread = [s for _, c, s in mm if c["mismatch"] == twin_mismatch.SPREAD[0]]
    assert spread and all((s.network.phi, s.network.phi_spread) == (2.0, 2.0) for s in spread)
    assert {s.network.ser_model for _, _, s in mm} == {"eq17", "exact"}
    # the stacked batches: one group for the Z_k sweep, split in two
    work = _training.batches(specs, 2)
    assert sorted(map(len, work)) == [30, 30] and sorted(sum(work, [])) == sorted(n for n, _, _ in specs)


def test_runs_of_other_replay_sizes_go_to_other_batches():
    net = dataclasses.replace(NetworkConfig(), slots_per_episode=5)
    sizes = (5000,) * 16 + (9000,) * 3
    specs = [(f"r{i}", {}, RunSpec(i, net, TrainingConfig(episodes=4, z_k=2), DQNConfig(replay_size=size)))
             for i, size in enumerate(sizes)]
    work = _training.batches(specs, 2)
    # 16 compatible runs split in two batches of 8 (MIN_BATCH), the 3 others stay one batch
    assert [len(w) for w in work] == [8, 8, 3] and work[2] == ["r16", "r17", "r18"]
    assert _training.batches(specs, 3)[:3] == [[f"r{i}" for i in range(j, 16, 2)] for j in (0, 1)] + [work[2]]


def test_the_smoke_experiments_compute_store_and_load(tmp_path, monkeypatch):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    monkeypatch.setenv(results.MODE_ENV, "auto")                     # whatever the suite's mode: compute and store
    mm = twin_mismatch.run("smoke", progress=False, n_workers=2)          # two processes (spawned)
    assert len(mm) == 2 * 5 * 2 * 3 and set(mm.episode) == {0, 2, 4}
    zk = fig6c.run("smoke", progress=False, n_workers=1)
    assert {"mean_replay_physical_share", "throughput_kbits", "z_k"} <= set(zk.columns)
    assert sorted(p.name for p in (tmp_path / "models" / "fig6c" / "smoke").iterdir())[0].endswith(".pt")
    regime = twin_mismatch_zk.run("smoke", progress=False, n_workers=1)
    found = fig6c.regime_condition("smoke")
    assert set(regime.phi) == {found["phi"]} and set(regime.replay) == {"paper"}
    kept = twin_mismatch_zk_replay.run("smoke", progress=False, n_workers=1)
    assert set(kept.phi) == {found["phi"]} and set(kept.replay) == {"keeps last physical episode"}
    assert set(kept.scenario) == {"proposed"} and sorted(kept.z_k.unique()) == sorted(fig6c.Z_KS)
    sizes = kept.groupby("run").replay_size.first()
    for name, _, spec in twin_mismatch_zk_replay.run_specs("smoke"):   # Z_k as the profile caps it
        net = spec.network
        assert sizes[name] == spec.dqn.replay_size == max(
            5000, spec.training.z_k * min(net.n_devices, net.n_rrbs) * net.slots_per_episode)
    both = fig6c.final_summary(pd.concat([regime, kept]), 0)          # paired with the regime's scenarios 1, 3
    assert both.vs_s1_kbits.notna().all() and len(both) == 2 + 2 * len(fig6c.Z_KS)
    again = twin_mismatch.run("smoke", mode="cache_only")
    pd.testing.assert_frame_equal(again, mm, check_dtype=False)


def test_the_regime_modules_are_fig6c_bound_to_their_experiment():
    assert twin_mismatch_zk.experiment_config("paper") == fig6c.experiment_config("paper", fig6c.REGIME_NAME)
    assert twin_mismatch_zk_replay.experiment_config("paper")["experiment"] == "twin_mismatch_zk_replay"
    assert [n for n, _, _ in twin_mismatch_zk_replay.run_specs("paper")] == [
        n for n, _, _ in fig6c.run_specs("paper", fig6c.REPLAY_NAME)]
    assert twin_mismatch_zk.run.__name__ == "run" and "twin_mismatch_zk" in twin_mismatch_zk.run.__doc__
    with pytest.raises(ValueError, match="experiment='fig6c' has no module of its own"):
        fig6c.bound_functions(fig6c.NAME)
