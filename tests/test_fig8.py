"""Chapter 13's experiment (``multirat.experiments.fig8``): the run matrix, the analysis on small hand-built
tables with known answers, and the smoke computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import dataclasses

from multirat import results
from multirat.config import NetworkConfig, TrainingConfig
from multirat.experiments import fig8, twin_mismatch
from multirat.training import RunSpec

T975_1 = stats.t.ppf(0.975, 1)


def _rows(run, setting, z_m, learning, seed, evals, kind="during"):
    """``evals``: [(episode, block, kbits)]."""
    return [{"run": run, "setting": setting, "z_m": z_m, "learning": learning, "seed": seed, "kind": kind,
             "episode": e, "block": b, "throughput_kbits": v, "se_kbits": 0.1, "n_drops": 2} for e, b, v in evals]


def _table():
    rows = []
    for seed, bump in ((0, 0.0), (1, 2.0)):
        # Z_m = 10: blocks end at 10, 20; episode 0 is before training
        rows += _rows(f"c{seed}", "paper", 10, "continual", seed, [(0, 0, 1.0), (10, 0, 10.0 + bump), (20, 1, 12.0 + bump)])
        rows += _rows(f"s{seed}", "paper", 10, "from_scratch", seed, [(0, 0, 1.0), (10, 0, 10.0 + bump), (20, 1, 6.0)])
        rows += _rows(f"f{seed}", "paper", 10, "frozen", seed, [(0, 0, 9.0), (10, 0, 9.0), (20, 1, 8.0 + bump)])
        rows += _rows(f"c{seed}", "paper", 10, "continual", seed, [(20, 0, 9.0 + bump)], kind="final")
        rows += _rows(f"s{seed}", "paper", 10, "from_scratch", seed, [(20, 0, 4.0)], kind="final")
    return pd.DataFrame(rows)


def test_curves_average_the_seeds_at_each_block_end():
    c = fig8.curves(_table()).set_index(["learning", "episode"])
    assert c.loc[("continual", 10), "mean_kbits"] == pytest.approx(11.0)
    assert c.loc[("continual", 10), "ci95_kbits"] == pytest.approx(T975_1 * np.std([10, 12], ddof=1) / np.sqrt(2))
    assert c.loc[("frozen", 20), "mean_kbits"] == pytest.approx(9.0) and c.n_seeds.eq(2).all()
    assert len(c) == 9                                                     # final rows are not curves


def test_adaptation_pairs_each_way_with_frozen_and_from_scratch_by_seed():
    a = fig8.adaptation(_table()).set_index("learning")
    # per seed, mean over episodes 10 and 20: continual (11, 13), scratch (8, 9), frozen (8.5, 9.5)
    assert a.loc["continual", "mean_kbits"] == pytest.approx(12.0)
    assert (a.loc["continual", "seed0_kbits"], a.loc["continual", "seed1_kbits"]) == (11.0, 13.0)
    assert a.loc["continual", "vs_frozen_kbits"] == pytest.approx(((11 - 8.5) + (13 - 9.5)) / 2)
    d = np.array([11 - 8.0, 13 - 9.0])
    assert a.loc["continual", "vs_scratch_kbits"] == pytest.approx(d.mean())
    assert a.loc["continual", "vs_scratch_ci95_kbits"] == pytest.approx(T975_1 * d.std(ddof=1) / np.sqrt(2))
    assert a.loc["frozen", "vs_frozen_kbits"] == 0.0
    with_first = fig8.adaptation(_table(), skip_first=False).set_index("learning")
    assert with_first.loc["continual", "mean_kbits"] == pytest.approx(np.mean([(1 + 10 + 12) / 3, (1 + 12 + 14) / 3]))


def test_forgetting_is_then_minus_final_on_the_same_block():
    f = fig8.forgetting(_table()).set_index("learning")
    assert set(f.index) == {"continual", "from_scratch"}                   # the frozen policy never changes
    # block 0 ended at 10 (+bump) for both; finals 9 (+bump) and 4
    assert f.loc["continual", "mean_kbits"] == pytest.approx(1.0) and f.loc["continual", "ci95_kbits"] == 0.0
    assert f.loc["from_scratch", "mean_kbits"] == pytest.approx(np.mean([6.0, 8.0]))
    assert f.loc["from_scratch", "then_kbits"] == pytest.approx(11.0) and f.loc["from_scratch", "final_kbits"] == 4.0
    assert f.n_blocks.eq(1).all()
    # only blocks that end after episode 10 (block 0 ends at 10): none left
    assert fig8.forgetting(_table(), after_episode=10).empty
    assert len(fig8.forgetting(_table(), after_episode=9)) == 2 and fig8.SETTLED_EPISODE["paper"] == 100
    with pytest.raises(ValueError, match=r"lacks the columns \['block'\]"):
        fig8.forgetting(_table().drop(columns="block"))


def test_forgetting_blocks_are_evenly_spaced_and_leave_out_the_last():
    assert fig8.forgetting_blocks(100) == [0, 11, 22, 33, 44, 54, 65, 76, 87, 98]
    assert fig8.forgetting_blocks(20) == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]
    assert fig8.forgetting_blocks(5) == [0, 1, 2, 3] and fig8.forgetting_blocks(2) == [0]
    assert fig8.forgetting_blocks(1) == []


def test_the_run_matrix():
    specs = fig8.run_specs("paper")
    assert len(specs) == 2 * 5 * (1 + 3 * 2)
    by = {(c["setting"], c["z_m"], c["learning"]) for _, c, _ in specs}
    assert ("paper", None, "frozen") in by and ("regime", 50, "from_scratch") in by
    for _, c, s in specs:
        assert s.training.episodes == 1000 and s.training.eval_drops == 20 and s.training.scenario == "proposed"
        assert s.network.block_episodes == (c["z_m"] or 0)
        assert s.training.block_learning == ("continual" if c["learning"] == "frozen" else c["learning"])
        if c["z_m"]:
            assert s.network.block_phi == ((0.0, 0.4, 0.6, 0.9) if c["setting"] == "paper" else (0.0, 4.0, 6.0, 9.0))
        else:
            assert s.network.phi == (0.4 if c["setting"] == "paper" else 4.0)


def test_the_smoke_experiment_computes_stores_and_loads(tmp_path, monkeypatch):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    monkeypatch.setenv(results.MODE_ENV, "auto")
    twin_mismatch.run("smoke", progress=False, n_workers=1)                # the regime it needs
    t = fig8.run("smoke", progress=False, n_workers=1)
    assert set(t.learning) == {"continual", "from_scratch", "frozen"} and set(t.kind) == {"during", "final"}
    # block 0 is the same for the three ways of one seed until the first restart; the frozen policy is the
    # stationary run's, evaluated on the same blocks
    d = t[(t.kind == "during") & (t.setting == "paper") & (t.z_m == 2)].pivot(index="episode", columns="learning",
                                                                                values="throughput_kbits")
    assert d.loc[2, "continual"] == d.loc[2, "from_scratch"]
    assert list(d.index) == [0, 2, 4]
    assert sorted(p.name for p in (tmp_path / "models" / "fig8" / "smoke").iterdir())[0].endswith(".pt")
    again = fig8.run("smoke", mode="cache_only")
    pd.testing.assert_frame_equal(again, t, check_dtype=False)


def test_after_training_evaluates_the_right_models_seeds_and_blocks(monkeypatch):
    calls = []

    def fake(state, network, drops, seed, block):
        calls.append((state, seed, block))
        return {"throughput_kbits": 1.0, "se_kbits": 0.0, "n_drops": drops}

    monkeypatch.setattr(fig8, "_evaluate", fake)
    net = dataclasses.replace(NetworkConfig(), block_episodes=2)
    tr = TrainingConfig(episodes=5, z_k=1, eval_drops=2)
    specs = [("fz", {"setting": "paper", "z_m": None, "learning": "frozen"}, RunSpec(1, NetworkConfig(), tr)),
             ("ct", {"setting": "paper", "z_m": 2, "learning": "continual"}, RunSpec(1, net, tr))]
    ev = pd.DataFrame([{"run": "ct", "setting": "paper", "z_m": 2, "learning": "continual", "seed": 1, "episode": e,
                        "throughput_kbits": 2.0, "se_kbits": 0.0, "n_drops": 2} for e in (0, 2, 4, 5)])
    t = fig8._after_training(ev, {"fz": ("FZ", {}), "ct": ("CT", {})}, specs, progress=False)
    frozen = t[t.learning == "frozen"]
    assert list(frozen.episode) == [0, 2, 4, 5] and list(frozen.block) == [0, 0, 1, 2]     # as the trainer evaluates
    assert list(t[(t.learning == "continual") & (t.kind == "during")].block) == [0, 0, 1, 2]
    assert list(t[t.kind == "final"].block) == [0, 1]                                      # not the last block 2
    assert {seed for _, seed, _ in calls} == {1}                                           # the run's own seed
    assert sorted({(m, b) for m, _, b in calls}) == [("CT", 0), ("CT", 1), ("FZ", 0), ("FZ", 1), ("FZ", 2)]
