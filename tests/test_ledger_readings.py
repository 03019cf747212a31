"""multirat.ledger's measurements on hand-made tables (and a few on the committed paper tables): the numbers of
each claim group pinned, the aliases, the readings column's filters. Written from a fault-injection pass."""

import math

import numpy as np
import pandas as pd
import pytest

from multirat.evaluation import t_confidence_interval


def _half(x):
    return t_confidence_interval(np.asarray(x, float))[1]


def test_no_effect_at_all_is_called_no_sign():
    from multirat.ledger import status_reason

    assert status_reason("not reproduced", 46.0, 0.0, "effect") == "the opposite sign (or none)"


def test_time_rows_are_milliseconds_per_device_from_the_whole_stage():
    from multirat.ledger import time_rows

    table4 = pd.DataFrame({"stage": ["whole", "whole", "select"], "N": [1, 20, 20], "median_s": [0.010, 0.250, 9.0]})
    claims = pd.DataFrame({"id": ["table4_time_n1", "sec6h_time_n20", "fig5a_best_discount_factor"],
                           "N": [1.0, 20.0, math.nan]})
    rows = {r["id"]: r for r in time_rows(table4, claims)}
    assert set(rows) == {"table4_time_n1", "sec6h_time_n20"}
    assert rows["table4_time_n1"]["ours"] == pytest.approx(10.0)
    assert rows["sec6h_time_n20"]["ours"] == pytest.approx(12.5)      # 250 ms / 20 devices


def _fig6ab(values):
    return pd.DataFrame([{"run": f"{a}_K{k}_N{n}_seed{s}", "agent": a, "K": k, "N": n, "seed": s, "episode": 0,
                          "throughput_kbits": v} for (a, k, n), vs in values.items() for s, v in enumerate(vs)])


def test_fig6_rows_on_a_hand_made_table():
    from multirat.experiments import fig6c
    from multirat.ledger import fig6_rows

    ab = _fig6ab({("SADRL", 1, 2): [100, 100], ("MADRL", 1, 2): [95, 97],
                  ("SADRL", 2, 3): [50, 50], ("MADRL", 2, 3): [49, 48.5],     # 2.5 %: smallest
                  ("SADRL", 2, 5): [20, 20], ("MADRL", 2, 5): [14, 15]})      # 27.5 %: largest
    c = fig6c.run("paper", mode="cache_only", progress=False)
    other = c[c.scenario == "proposed"].assign(replay="a_bigger_memory", run=lambda d: d.run + "_big",
                                               throughput_kbits=lambda d: d.throughput_kbits + 50)
    rows = {r["id"]: r for r in fig6_rows(ab, pd.concat([c, other], ignore_index=True), window=0)}
    assert rows["fig6b_throughput_sadrl_k2_n5"]["ours"] == 20.0
    assert rows["fig6b_throughput_madrl_k2_n5"]["ours"] == 14.5
    lo, hi = rows["concl_madrl_sadrl_gap_min"], rows["concl_madrl_sadrl_gap_max"]
    assert (lo["ours"], hi["ours"]) == (pytest.approx(2.5), pytest.approx(27.5))
    assert lo["ci95"] == pytest.approx(100 * _half([1, 1.5]) / 50)
    assert hi["ci95"] == pytest.approx(100 * _half([6, 5]) / 20)
    final = c[(c.scenario == "proposed") & (c.phi == 0.9) & (c.z_k == 50) & (c.replay == "paper")]
    last = final.groupby("run").episode.transform("max")
    expected = final[final.episode == last].throughput_kbits.mean()                   # window 0: the last one
    assert rows["fig6c_throughput_phi0p9_zk50"]["ours"] == pytest.approx(expected)


def test_continual_gain_row_on_a_hand_made_table():
    from multirat.ledger import continual_gain_row

    rows = []

    def run(scenario, phi, sigma, gamma, seed, final):
        for ep, v in ((0, 1.0), (50, final), (100, final)):     # episode 0 is outside a window of 50
            rows.append({"run": f"{scenario}_{phi}_{sigma}_{gamma}_{seed}", "scenario": scenario, "phi": phi,
                         "sigma_rt": sigma, "gamma": gamma, "seed": seed, "episode": ep, "throughput_kbits": v})

    for seed in (0, 1):
        for phi, sigma, proposed in ((0.4, 0.05, 105.0), (0.4, 0.2, 110.0 + 2 * seed)):
            run("proposed", phi, sigma, 0.9, seed, proposed)
            run("dt_only", phi, sigma, 0.9, seed, 100.0)
            run("physical_only", phi, sigma, 0.9, seed, 110.0)
        run("proposed", 0.4, 0.05, 0.7, seed, 500.0)             # another gamma: must be ignored
    r = continual_gain_row(pd.DataFrame(rows), window=50)
    assert r["kind"] == "effect"
    assert r["ours"] == pytest.approx(11.0)
    assert r["ci95"] == pytest.approx(_half([10, 12]))
    assert "phi = 0.4, sigma_rt = 0.2" in r["measure"]


def test_fig7_rows_on_a_hand_made_summary():
    from multirat.experiments.fig7 import DEFAULT_SIGMA, HIGH_SIGMA
    from multirat.ledger import fig7_rows

    rows = []
    for sigma, frac in ((DEFAULT_SIGMA, (0.9, 0.8, 0.7)), (HIGH_SIGMA, (0.5, 0.5, 0.5))):
        for (k, n), f, ci in zip(((1, 2), (2, 3), (3, 5)), frac, (1.0, 2.0, 3.0)):
            rows.append({"K": k, "N": n, "sigma_rt": sigma, "of_esa_fp": f, "MADRL": 10.0 * f, "MADRL_ci95": ci,
                         "ESA-FP": 10.0})
        for n in (70, 100):
            rows.append({"K": 6, "N": n, "sigma_rt": sigma, "MADRL": 245.0, "MADRL_ci95": 5.0, "MaxP-3GPP-MCS": 200.0,
                         "gain_vs_maxp_kbits": 40.0, "gain_vs_ra_kbits": 250.0, "gain_vs_maxp_pct": 45.0})
    out = {r["id"]: r for r in fig7_rows(pd.DataFrame(rows), None)}
    assert out["fig7a_fraction_of_esa_optimum"]["ours"] == pytest.approx(80.0)
    assert out["fig7a_fraction_of_esa_optimum"]["ci95"] == pytest.approx(30.0)
    assert out["fig7b_gain_vs_ra_abs_k6_n70"]["ours"] == 250.0
    assert out["fig7b_gain_vs_maxp_abs_k6_n70"]["ours"] == 40.0
    assert out["fig7b_gain_vs_maxp_pct_k6_n100"]["ci95"] == pytest.approx(2.5)
    assert not out["fig7c_gain_vs_maxp_pct_high_hwi_k6_n100"]["reproducible"]


def test_paper_ledger_caps_fig6c_and_aliases_restate_their_figure():
    from multirat.ledger import SAME_CLAIM, ledger_table

    by = ledger_table("paper").set_index("id")
    assert (by.ratio - by.ours / by.paper).abs().max() < 1e-12
    fa = by.loc["fig7a_fraction_of_esa_optimum"]
    assert fa.reason == f"ours is {fa.ours / fa.paper:.2f} times the paper's, outside our interval"
    for cid in ("fig6c_throughput_phi0p4_zk10", "fig6c_throughput_phi0p4_zk50", "fig6c_throughput_phi0p4_zk200"):
        assert by.loc[cid, "status"] == "not reproducible" and "Eq. (15)" in by.loc[cid, "reason"]
    assert by.loc["fig6c_throughput_phi0p9_zk50", "status"] != "not reproducible"
    for alias, claim in SAME_CLAIM.items():
        cols = ["paper", "ours", "ci95", "status"]
        assert by.loc[alias, cols].tolist() == by.loc[claim, cols].tolist()


def test_readings_reproducing_on_hand_made_reading_claims(monkeypatch):
    from multirat import ledger, sensitivity
    from multirat.experiments import sensitivity_baselines, sensitivity_training

    found = pd.DataFrame([
        ("default", "fig7b_gain_vs_maxp_pct_k6_n100", 46.0, 1.0, 5, True),           # main column, not a reading
        ("n_rrbs=50", "fig7b_gain_vs_maxp_pct_k6_n100", 45.0, 2.0, 5, True),         # holds, plus its alias
        ("n_rrbs=50", "fig7b_gain_vs_maxp_abs_k6_n70", 10.0, 1.0, 5, True),          # misses
        ("n_rrbs=50", "fig5c_throughput_physical_only_500ep", 65.7, 1.0, 5, False),  # scenario-2 stand-in
    ], columns=["variant", "claim", "ours", "ci95", "n_seeds", "own_scenario"])
    monkeypatch.setattr(sensitivity_baselines, "run", lambda *a, **k: None)
    monkeypatch.setattr(sensitivity_baselines, "values", lambda *a, **k: {})
    monkeypatch.setattr(sensitivity_training, "final_values", lambda *a, **k: None)
    monkeypatch.setattr(sensitivity, "reading_claims", lambda *a, **k: found)
    assert ledger.readings_reproducing("paper") == {"fig7b_gain_vs_maxp_pct_k6_n100": ["RRBs R: R = 50"],
                                                     "concl_gain_vs_maxp_default_hwi": ["RRBs R: R = 50"]}


def test_reading_claims_threshold_reading_borrows_default_agents_and_ci_is_t():
    from multirat.sensitivity import CONDITIONS, VARIANTS, reading_claims

    C = CONDITIONS["paper"]
    bench = {}
    for c in C:
        bench |= {("MaxP-3GPP-MCS", c): 100.0, ("RA", c): 50.0}
    rows = [{"variant": "default", "scheme": "MADRL", "K": c.K, "N": c.N, "sigma_rt": c.sigma_rt, "phi": c.phi,
             "seed": s, "final_kbits": 100.0 + s} for s in (0, 1) for c in C]
    threshold = VARIANTS[-1]
    assert not threshold.network
    t = reading_claims({"default": bench, threshold.name: bench}, pd.DataFrame(rows), C,
                       [VARIANTS[0], threshold]).set_index(["variant", "claim"])
    r = t.loc[(threshold.name, "fig5b_throughput_proposed_300ep")]
    assert r.ours == 100.5 and r.ci95 == pytest.approx(_half([100, 101]))
