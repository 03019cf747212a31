"""The Fig. 5 experiments (multirat.experiments.fig5, fig5_baselines, fig5_replay)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from multirat import results
from multirat.claims import load_claims
from multirat.experiments import fig5, fig5_baselines, fig5_replay


def test_the_run_matrix_covers_every_panel_once():
    conds = fig5.conditions()
    keys = [(c["scenario"], c["phi"], c["sigma_rt"], c["gamma"]) for c in conds]
    assert len(keys) == len(set(keys)) == 17
    by_panel = {p: [c for c in conds if p in c["panels"].split("+")] for p in ("5a", "5b", "5c", "5d")}
    assert len(by_panel["5a"]) == 3 and {c["gamma"] for c in by_panel["5a"]} == {0.9, 0.8, 0.7}
    assert len(by_panel["5b"]) == len(by_panel["5c"]) == 3
    assert len(by_panel["5d"]) == 12 and {c["sigma_rt"] for c in by_panel["5d"]} == {0.05, 0.1, 0.15, 0.2}
    shared = next(c for c in conds if c["panels"] == "5b+5a+5d")            # the base run serves three panels
    assert (shared["scenario"], shared["phi"], shared["gamma"]) == ("proposed", 0.4, 0.9)


def test_run_specs_follow_the_profile():
    specs = fig5.run_specs("smoke")
    assert len(specs) == 17 and len({n for n, _, _ in specs}) == 17
    name, _, spec = next(s for s in specs if s[1]["scenario"] == "proposed" and s[1]["phi"] == 0.9)
    assert name == "proposed_phi0.9_sigma0.05_gamma0.9_seed0"
    assert spec.training.episodes == 4 and spec.training.z_k == 4 and spec.network.phi == 0.9
    paper = fig5.run_specs("paper")
    assert len(paper) == 85 and {s.seed for _, _, s in paper} == set(range(5))
    assert all(s.training.episodes == 2000 and s.training.z_k == 100 for _, _, s in paper)
    large = fig5_replay.run_specs("paper")
    assert len(large) == 10 and all(s.dqn.replay_size == 100_000 for _, _, s in large)


def test_summary_and_claims_table_on_a_hand_made_case():
    rows = []
    for scenario, base in (("physical_only", 100.0), ("proposed", 90.0), ("dt_only", 80.0)):
        for seed, dx in enumerate((-1.0, 0.0, 1.0)):
            for episode in (300, 500, 2000):
                for phi in (0.4, 0.9):
                    for sigma in (0.05, 0.1):
                        rows.append({"scenario": scenario, "phi": phi, "sigma_rt": sigma, "gamma": 0.9, "seed": seed,
                                     "episode": episode, "throughput_kbits": base + dx + episode / 1000})
    ev = pd.DataFrame(rows)
    curves = pd.DataFrame({"scenario": "proposed", "phi": 0.4, "sigma_rt": 0.05, "gamma": [0.9, 0.8, 0.7],
                           "episode": 2000, "reward_kbits": [5.0, 7.0, 6.0]})
    table = fig5.claims_table(ev, curves, load_claims()).set_index("claim")
    row = table.loc["fig5b_throughput_proposed_300ep"]
    assert row.episode == 300 and row.ours == pytest.approx(90.3) and row.ratio == pytest.approx(90.3 / 118.96)
    assert row.ci95 == pytest.approx(4.302652729749464 * 1.0 / np.sqrt(3))            # t_{0.975, 2} s / sqrt(n)
    assert table.loc["fig5d_throughput_dt_only_sigma0p1"].episode == 2000            # no episode in the claim
    assert table.loc["fig5a_best_discount_factor"].ours == 0.8                        # highest reward
    s = fig5.summary(ev, episode=500)
    assert len(s) == 12 and s.n_seeds.eq(3).all() and s.seed_std_kbits.eq(1.0).all()
    with pytest.raises(ValueError, match="no run"):
        fig5.claims_table(ev[ev.phi == 0.4], curves, load_claims())


def test_smoke_computation_stores_tables_and_models_outside_the_repository(tmp_path, monkeypatch):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path / "results"))
    monkeypatch.setenv(results.MODE_ENV, "auto")            # book/conftest.py sets cache_only for nbval
    ev = fig5.run("smoke", n_workers=1, progress=False)
    assert set(ev.episode) == {0, 2, 4} and len(ev) == 17 * 3
    assert (tmp_path / "results" / "fig5_curves" / "smoke.csv").is_file()
    models = sorted((tmp_path / "models" / "fig5" / "smoke").glob("*.pt"))
    assert len(models) == 17 and fig5.models_dir("smoke") == tmp_path / "models" / "fig5" / "smoke"
    curves = fig5.curves("smoke", mode="cache_only")
    assert len(curves) == 17 * 4 and curves.epsilon.iloc[0] == 0.7
    base = fig5_baselines.run("smoke")
    assert set(base.policy) == {"RA", "MaxP-3GPP-MCS", "ESA-FP"} and len(base) == 3 * 5
