"""experiments/fig7, fig7_benchmarks, table5 and plotting/benchmarks: chapter 11's run matrix, tables and figures."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from multirat.config import NetworkConfig
from multirat.experiments import fig5, fig7, fig7_benchmarks, table5


def test_the_paper_run_matrix():
    specs = fig7.run_specs("paper")
    assert len(specs) == 80                                    # (7 sizes x 2 HWI levels + 2 more sigma) x 5 seeds
    assert len({name for name, _, _ in specs}) == 80
    sizes = {(c["K"], c["N"]) for _, c, _ in specs}
    assert sizes == {(1, 2), (2, 3), (3, 5), (4, 20), (5, 50), (6, 70), (6, 100)}
    sigmas = {(c["K"], c["N"], c["sigma_rt"]) for _, c, _ in specs}
    assert {s for k, n, s in sigmas if (k, n) == (6, 100)} == {0.05, 0.1, 0.15, 0.2}
    assert {s for k, n, s in sigmas if (k, n) == (3, 5)} == {fig7.DEFAULT_SIGMA, fig7.HIGH_SIGMA} == {0.05, 0.2}
    table1 = NetworkConfig()
    for name, cond, spec in specs:
        assert name == fig7.run_name(cond["K"], cond["N"], cond["sigma_rt"], spec.seed)
        assert spec.network == dataclasses.replace(table1, n_aps=cond["K"], n_devices=cond["N"],
                                                   sigma_rt=cond["sigma_rt"])
        assert spec.network.n_actions == 48                     # the full action set, unlike chapter 9
        tr = spec.training
        assert (tr.scenario, tr.z_k, tr.episodes, tr.eval_drops) == ("proposed", 100, 2000, 50)
        assert spec.seed in range(5)
    assert [c["N"] for _, c, _ in specs] == sorted((c["N"] for _, c, _ in specs), reverse=True)   # largest first
    assert fig7.DEPLOYED["paper"] == ((4, 20), (6, 100))
    for kn in fig7.DEPLOYED["paper"]:                          # deployed at both HWI levels
        assert {fig7.DEFAULT_SIGMA, fig7.HIGH_SIGMA} <= set(fig7.SIGMAS["paper"][kn])


def test_the_table1_runs_are_chapter_8s_scenario_2_runs():
    # the same RunSpec trains the same run: (4, 20) at sigma_rt 0.05 and 0.2 are Fig. 5's scenario-2 runs
    ours = {(c["sigma_rt"], s.seed): s for _, c, s in fig7.run_specs("paper") if (c["K"], c["N"]) == (4, 20)}
    theirs = {(c["sigma_rt"], s.seed): s for _, c, s in fig5.run_specs("paper")
              if c["scenario"] == "proposed" and c["phi"] == 0.4 and c["gamma"] == 0.9}
    assert ours and all(theirs[key] == spec for key, spec in ours.items())


def test_the_benchmark_conditions():
    conds = fig7_benchmarks.conditions("paper")
    assert (9, 300, 0.05) in conds and (16, 1000, 0.2) in conds and (6, 100, 0.15) in conds
    assert len(conds) == 7 * 2 + 2 + 2 * 2
    assert [n for _, n, _ in conds] == sorted(n for _, n, _ in conds)
    assert set(fig7_benchmarks._policies(5)) == set(fig7_benchmarks.SCHEMES)        # ESA up to N = 5 ...
    assert set(fig7_benchmarks._policies(6)) == set(fig7_benchmarks.SCHEMES) - {"ESA"}
    assert "ESA-FP" in fig7_benchmarks._policies(100) and "ESA-FP" not in fig7_benchmarks._policies(101)
    olla = fig7_benchmarks._policies(3, settled_offset_db=7.5)
    assert olla["OLLA (settled)"]().initial_offset_db == 7.5 and olla["OLLA"]().initial_offset_db == 0.0
    assert olla["OLLA"]().seed == olla["OLLA (settled)"]().seed == fig7_benchmarks.OLLA_SEED
    assert olla["RA"]().seed == fig7_benchmarks.RA_SEED
    assert fig7_benchmarks.SETTLE_SEED not in (fig7_benchmarks.RA_SEED, fig7_benchmarks.OLLA_SEED)


def test_table5s_changed_network():
    net = table5.experiment_config("paper")["adaptability_network"]
    assert (net.n_aps, net.n_devices, net.phi, net.sigma_rt) == (4, 20, 0.9, 0.05)
    assert net == dataclasses.replace(NetworkConfig(), phi=0.9)


def _hand_made():
    ev = pd.DataFrame({"run": ["a", "a", "a", "b", "b", "b"], "K": 2, "N": 6, "sigma_rt": 0.05, "seed": [0, 0, 0, 1, 1, 1],
                       "episode": [0, 50, 100, 0, 50, 100], "throughput_kbits": [1.0, 9.0, 11.0, 2.0, 13.0, 13.0]})
    rows = [("ESA-FP", 20.0), ("ESA", 20.5), ("genie MCS at P_max", 19.0), ("OLLA (settled)", 15.0), ("OLLA", 9.0),
            ("MaxP-3GPP-MCS", 8.0), ("RA", 4.0)]
    bench = pd.DataFrame([{"K": 2, "N": 6, "sigma_rt": 0.05, "scheme": s, "seed": -1, "trained_N": 0, "mean_kbits": v}
                          for s, v in rows]
                         + [{"K": 2, "N": 6, "sigma_rt": 0.05, "scheme": fig7_benchmarks.DEPLOYED_LABEL, "seed": s,
                             "trained_N": 3, "mean_kbits": v} for s, v in ((0, 6.0), (1, 8.0), (2, 10.0))])
    return ev, bench


def test_the_summary_on_a_hand_made_case():
    ev, bench = _hand_made()
    s = fig7.summary(ev, bench, window=50).iloc[0]
    # final values: the mean of the evaluations at episodes >= 100 - 50: run a (9 + 11) / 2 = 10, run b 13
    assert s.MADRL == pytest.approx(11.5)
    assert s.MADRL_ci95 == pytest.approx(stats.t.ppf(0.975, 1) * np.std([10, 13], ddof=1) / np.sqrt(2))
    assert s["deployed 3"] == pytest.approx(8.0)
    assert s["deployed 3_ci95"] == pytest.approx(stats.t.ppf(0.975, 2) * 2.0 / np.sqrt(3))
    assert s.gain_vs_maxp_pct == pytest.approx(100 * (11.5 / 8 - 1))
    assert (s.gain_vs_maxp_kbits, s.gain_vs_ra_kbits) == pytest.approx((3.5, 7.5))
    assert (s.of_esa_fp, s.of_esa) == pytest.approx((11.5 / 20, 11.5 / 20.5))
    assert (s.la_headroom_kbits, s.pc_headroom_kbits) == pytest.approx((11.0, 1.0))
    assert s.n_seeds == 2
    assert fig7.summary(ev, bench, window=0).iloc[0].MADRL == pytest.approx(12.0)       # the last evaluation only
    with pytest.raises(ValueError, match="OLLA"):
        fig7.summary(ev, bench[bench.scheme != "OLLA"], window=50)


def test_the_figures_draw_and_name_what_is_missing():
    import matplotlib.pyplot as plt

    from multirat.plotting import benchmarks as pb

    ev, bench = _hand_made()
    s = fig7.summary(ev, bench, window=50)
    for fig in (pb.optimum_figure(s, [(2, 6)], 0.05, 0.704), pb.scale_figure(s, (0.05,), paper={(0.05, 2, 6): 12.0}),
                pb.decomposition_figure(s, (0.05,)), pb.sigma_figure(s, 2, 6, paper={"46 %": 46.0})):
        assert fig.axes
        plt.close(fig)
    with pytest.raises(ValueError, match="sigma_rt = 0.3"):
        pb.scale_figure(s, (0.3,))
    with pytest.raises(ValueError, match=r"\(3, 5\)"):
        pb.optimum_figure(s, [(3, 5)], 0.05)
    with pytest.raises(ValueError, match="MADRL_ci95"):
        pb.decomposition_figure(s.drop(columns="MADRL_ci95"), (0.05,))


def test_the_execution_signaling_reading():
    from multirat.overhead import execution_feedback_per_slot

    assert table5.execution_exchanges_per_slot("MADRL", 100, 6) == execution_feedback_per_slot(100) == 200
    expected = {"MADRL": 40, "MaxP-3GPP-MCS": 20, "RA": 20, "OLLA": 40, "OLLA (settled)": 40,
                "genie MCS at P_max": 100, "ESA-FP": 100, "ESA": 100}                  # N = 20, K = 4
    assert {s: table5.execution_exchanges_per_slot(s, 20, 4) for s in expected} == expected
    with pytest.raises(ValueError, match="scheme='PF'"):
        table5.execution_exchanges_per_slot("PF", 20, 4)


def test_the_benchmarks_do_not_depend_on_the_workers(tmp_path, monkeypatch):
    from multirat import results

    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    monkeypatch.delenv(results.MODE_ENV, raising=False)
    fig7.run("smoke", progress=False)                                     # trains and stores the smoke models
    pool = fig7_benchmarks.run("smoke", progress=False, n_workers=2, mode="off")
    alone = fig7_benchmarks.run("smoke", progress=False, n_workers=1, mode="off")
    pd.testing.assert_frame_equal(pool, alone)
    assert set(alone.scheme) == set(fig7_benchmarks.SCHEMES) | {fig7_benchmarks.DEPLOYED_LABEL}
    assert (alone[alone.scheme == "ESA"].N <= fig7_benchmarks.ESA_MAX_LINKS).all()
    assert (alone.olla_offset_db.notna() == (alone.scheme == "OLLA (settled)")).all()
    dep = alone[alone.scheme == fig7_benchmarks.DEPLOYED_LABEL]
    at = {n: set(zip(g.K, g.N, g.sigma_rt)) for n, g in dep.groupby("trained_N")}
    assert at[2] == set(fig7_benchmarks.conditions("smoke"))                   # the first size: everywhere
    assert at[3] == {(2, 3, 0.05), (2, 6, 0.05)}                              # the others: N >= their own


def _runs(rows):
    return pd.DataFrame([{"run": r, "K": k, "N": n, "sigma_rt": s, "seed": seed, "episode": e, "throughput_kbits": v}
                         for r, k, n, s, seed, e, v in rows])


def test_final_values_per_run():
    ev = _runs([("a", 2, 6, 0.05, 0, 0, 1.0), ("a", 2, 6, 0.05, 0, 100, 11.0),
                ("b", 2, 6, 0.05, 1, 0, 2.0), ("b", 2, 6, 0.05, 1, 50, 13.0)])      # b stopped earlier
    assert dict(zip(*fig7.final_values(ev, 0)[["run", "final_kbits"]].T.to_numpy())) == {"a": 11.0, "b": 13.0}
    one = _runs([("a", 2, 6, 0.05, 0, e, v) for e, v in ((0, 1.0), (50, 9.0), (100, 11.0))])
    assert fig7.final_values(one, 100).final_kbits.item() == pytest.approx(7.0)       # the mean, not the median


def test_the_summary_iqm_and_order():
    _, bench = _hand_made()
    ev = _runs([(f"r{i}", 2, 6, 0.05, i, 100, v) for i, v in enumerate((1.0, 2.0, 3.0, 4.0, 100.0))])
    s = fig7.summary(ev, bench, window=0).iloc[0]
    assert (s.MADRL, s.MADRL_iqm) == pytest.approx((22.0, 3.0))                # IQM of 5: trim one from each end
    two = pd.concat([bench.assign(sigma_rt=0.2), bench.assign(K=3, N=10)])
    ev2 = pd.concat([ev.assign(sigma_rt=0.2), ev.assign(K=3, N=10)])
    order = fig7.summary(ev2, two, window=0)[["K", "N", "sigma_rt"]].itertuples(index=False)
    assert [tuple(r) for r in order] == [(3, 10, 0.05), (2, 6, 0.2)]          # by sigma_rt, then N


def test_the_intros_chapter_11_and_12_numbers_are_the_stored_results(monkeypatch):
    # book/intro.md is plain markdown: its chapter-11 and -12 numbers are checked here against the committed tables
    from pathlib import Path

    from multirat import results
    from multirat.experiments import table4

    monkeypatch.delenv(results.ROOT_ENV, raising=False)
    intro = " ".join((Path(__file__).resolve().parents[1] / "book" / "intro.md").read_text().split())
    bullet = intro[intro.index("* **Against every benchmark**"):intro.index("* **A network that keeps changing**")]
    s = fig7.summary(fig7.run("paper", mode="cache_only"), fig7_benchmarks.run("paper", mode="cache_only"),
                     fig7.FINAL_WINDOW["paper"])
    s0 = s[np.isclose(s.sigma_rt, 0.05)].set_index(["K", "N"])
    frac = 100 * s0.loc[[(1, 2), (2, 3), (3, 5)], "of_esa_fp"]
    assert "97-98 % of the optimum" in bullet and round(frac.min()) == 97 and round(frac.max()) == 98
    assert f"carries {s0.loc[(6, 100), 'gain_vs_maxp_pct']:.0f} % more than MaxP-3GPP-MCS" in bullet
    half = 100 * s0.loc[(6, 100), "MADRL_ci95"] / s0.loc[(6, 100), "MaxP-3GPP-MCS"]
    gain = s0.loc[(6, 100), "gain_vs_maxp_pct"]
    assert "includes both zero and the paper's value" in bullet and gain - half < 0 and gain - half < 46 < gain + half
    final = fig7.final_values(fig7.run("paper", mode="cache_only"), fig7.FINAL_WINDOW["paper"])
    big = final[(final.N == 100) & np.isclose(final.sigma_rt, 0.05)].final_kbits
    assert "2 of 5 seeds collapse" in bullet and (big < 0.8 * big.median()).sum() == 2
    fp = s[s["ESA-FP"].notna() & s.MADRL.notna()]
    assert "about 90 % or more of the way" in bullet
    assert (100 * fp.la_headroom_kbits / (fp["ESA-FP"] - fp["MaxP-3GPP-MCS"])).min() > 89
    assert "ends below it everywhere" in bullet and (fp.MADRL < fp["genie MCS at P_max"]).all()
    assert "within 4 % of the learned policy or beats it" in bullet
    assert (s0["OLLA (settled)"] / s0.MADRL).dropna().min() > 0.96
    big_n = s[s.MADRL.notna() & np.isclose(s.sigma_rt, 0.2) & (s.N >= 50)]
    assert ((big_n["OLLA (settled)"] / big_n["MaxP-3GPP-MCS"] - 1).abs() < 0.05).all()
    assert (big_n.MADRL - big_n.MADRL_ci95 > big_n["OLLA (settled)"]).all()             # "keeps its lead"
    sweep = s[(s.K == 6) & (s.N == 100)]
    room = 100 * (sweep["ESA-FP"] / sweep["MaxP-3GPP-MCS"] - 1)
    assert "about 110-115 % of it" in bullet and room.min() > 109.5 and room.max() < 115.5
    assert "would take a policy as good as the optimum" in bullet
    t = table4.run("paper", mode="cache_only")
    whole = t[t.stage == "whole"].set_index("N").median_s
    per_dev = whole / whole.index
    runtime = intro[intro.index("* **How long a decision takes**"):intro.index("* **A network that keeps changing**")]
    assert f"{1e6 * per_dev[100]:.1f} µs per device and TS at $N = 100$" in runtime
    assert f"{1e6 * per_dev[10_000]:.1f} µs at $N = 10\\,000$" in runtime
    ratio = {n: {1: 10, 100: 15.1}[n] / 1e3 / per_dev[n] for n in (1, 100)}
    assert "140 to 10 000 times less" in runtime and round(ratio[1], -1) == 140 and round(ratio[100], -3) == 10_000
    fp_t = t[t.stage == "ESA-FP"].set_index("N").median_s
    assert f"ESA-FP needs {fp_t[1000]:.2f} s per TS at $N = 1000$" in runtime and fp_t[1000] > 0.020


def test_the_audit_finds_a_stored_table_that_is_not_what_the_code_gives(tmp_path, monkeypatch):
    from multirat import results
    from multirat.audit import audit_stored_runs

    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    monkeypatch.delenv(results.MODE_ENV, raising=False)
    table = fig7.run("smoke", progress=False)
    first = audit_stored_runs(["fig7"], "smoke", episodes=4).iloc[0]
    run0 = fig7.run_specs("smoke")[0][0]
    assert (first.run, first.first_difference, first.max_abs_difference_kbits) == (run0, -1, 0.0)
    assert first.compared == (table.run == run0).sum() == 3                     # episodes 0, 2, 4
    tampered = table.copy()
    at = (tampered.run == run0) & (tampered.episode == 2)
    tampered.loc[at, "throughput_kbits"] += 1e-9                                # one last bit, one evaluation
    results.save_result(tampered, fig7.NAME, "smoke", fig7.experiment_config("smoke"))
    again = audit_stored_runs(["fig7"], "smoke", episodes=4).iloc[0]
    assert again.first_difference == 2 and 0 < again.max_abs_difference_kbits < 1e-8
