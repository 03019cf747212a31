"""The ledger's stored file, its 'not measured' rows, its figure and counts, and the intro's counts (chapter 15)."""

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from multirat import ledger, results
from multirat.claims import load_claims
from multirat.plotting import ledger as plot_ledger
from multirat.report import html_table

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------------------------------
# the stored file: written, checked byte for byte, by mode
# --------------------------------------------------------------------------------------------------

@pytest.fixture
def store(tmp_path, monkeypatch):
    """A temporary result store and a ledger_table that returns a small fixed table (no experiment runs)."""
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    table = pd.DataFrame({"id": ["a", "b"], "paper": [1.0, 2.5], "status": ["reproduced", "not reproduced"]})
    calls = []

    def fake(profile, mode):
        calls.append(mode)
        return table.copy()

    monkeypatch.setattr(ledger, "ledger_table", fake)
    return tmp_path, table, calls


def test_auto_writes_a_missing_ledger_and_then_only_reads_it(store):
    root, table, _ = store
    path = root / "ledger" / "paper.csv"
    out = ledger.stored_ledger("paper", "auto")
    assert out.equals(table) and path.read_text() == "id,paper,status\na,1.0,reproduced\nb,2.5,not reproduced\n"
    before = path.stat().st_mtime_ns
    ledger.stored_ledger("paper", "cache_only")                       # equal: no error, no write
    assert path.stat().st_mtime_ns == before and not list(path.parent.glob(".*tmp*"))


def test_cache_only_refuses_a_missing_or_stale_ledger_and_names_the_command(store):
    root, _, _ = store
    with pytest.raises(results.MissingResultError, match="python -m multirat ledger --profile paper"):
        ledger.stored_ledger("paper", "cache_only")
    path = root / "ledger" / "paper.csv"
    ledger.write_ledger("paper")
    path.write_text(path.read_text().replace("2.5", "2.6"))           # one value changed
    with pytest.raises(results.StaleResultError, match="stale"):
        ledger.stored_ledger("paper", "cache_only")


def test_auto_warns_on_a_stale_ledger_without_writing_recompute_rewrites_off_never_writes(store):
    root, table, calls = store
    path = root / "ledger" / "paper.csv"
    ledger.stored_ledger("paper", "off")
    assert not path.exists()
    ledger.write_ledger("paper")
    path.write_text("stale\n")
    with pytest.warns(results.StaleResultWarning, match="rewrite it with"):
        ledger.stored_ledger("paper", "auto")
    assert path.read_text() == "stale\n"
    ledger.stored_ledger("paper", "recompute")
    assert pd.read_csv(path).equals(table)
    # recompute rewrites the ledger from the stored tables: it recomputes no experiment
    assert calls[-2:] == ["auto", "cache_only"]                     # the auto call above, then recompute's


def test_the_committed_paper_ledger_equals_the_ledger_of_the_committed_results():
    table = ledger.stored_ledger("paper", "cache_only")
    assert len(table) == len(load_claims())
    # the paper profile leaves a claim unmeasured only for our budget (SADRL at N = 5), never for its episodes
    unmeasured = table[table.status == ledger.NOT_MEASURED]
    assert list(unmeasured.id) == ["fig6b_throughput_sadrl_k2_n5"] and unmeasured.reason.str.startswith(
        "not measured: ").all()


# --------------------------------------------------------------------------------------------------
# the rule's refinements: a direction needs an interval that excludes zero; an unresolved match is flagged
# --------------------------------------------------------------------------------------------------

def test_same_direction_needs_our_interval_to_exclude_zero():
    assert ledger.claim_status(40.0, 5.0, 4.99, "effect") == "same direction"
    assert ledger.claim_status(40.0, 5.0, 5.0, "effect") == "not reproduced"        # 0 is at the interval's edge
    assert ledger.claim_status(40.0, 5.0, 10.0, "effect") == "not reproduced"
    assert ledger.claim_status(40.0, 5.0, kind="effect") == "same direction"        # no interval: a value != 0


def test_a_reproduced_value_whose_interval_holds_zero_says_so():
    flag = "which also holds zero (unresolved)"
    assert flag in ledger.status_reason("reproduced", 46.0, 42.0, "effect", ci95=42.0)
    assert flag not in ledger.status_reason("reproduced", 46.0, 42.0, "effect", ci95=41.9)
    assert ledger.status_reason("reproduced", 4096, 4096, "count", ci95=float("nan")) == "equal"
    assert ledger.status_reason("reproduced", 46.0, 42.0, "level") == "the paper's value is inside our 95 % interval"


# --------------------------------------------------------------------------------------------------
# 'not measured': only a reduced profile's budget leaves a claim without a measurement
# --------------------------------------------------------------------------------------------------

def test_a_claimed_size_that_was_not_timed_is_not_measured_with_its_reason():
    claims = load_claims()
    table4 = pd.DataFrame({"stage": ["whole", "whole"], "N": [1, 20], "median_s": [1e-4, 2e-4]})
    rows = {r["id"]: r for r in ledger.time_rows(table4, claims)}
    assert rows["table4_time_n20"]["measured"] and math.isclose(rows["table4_time_n20"]["ours"], 1e3 * 2e-4 / 20)
    miss = rows["table4_time_n100"]
    assert not miss["measured"] and math.isnan(miss["ours"])
    assert miss["reason"] == "not measured in this profile: N = 100 was not timed (timed: 1, 20)"


def test_status_reason_passes_the_callers_reason_for_unmeasured_and_unreproducible_claims():
    assert ledger.status_reason(ledger.NOT_MEASURED, 1.0, float("nan"), "level", "why") == "why"
    assert ledger.status_reason("not reproducible", 1.0, 2.0, "level", "because") == "because"
    with pytest.raises(ValueError, match="without a reason"):
        ledger.claim_row("x", float("nan"), float("nan"), "level", "08_training", "m", measured=False)


def test_fig5_claims_past_the_last_evaluated_episode_are_not_measured():
    claims = load_claims()
    runs = []
    for scenario in ("physical_only", "proposed", "dt_only"):
        for phi, sigma in ((0.4, 0.05), (0.9, 0.05), (0.4, 0.1)):
            for gamma in (0.9, 0.8, 0.7):
                for episode in (2, 4):
                    runs.append({"scenario": scenario, "phi": phi, "sigma_rt": sigma, "gamma": gamma, "seed": 0,
                                 "episode": episode, "throughput_kbits": 30.0 + episode,
                                 "run": f"{scenario}_{phi}_{sigma}_{gamma}"})
    ev = pd.DataFrame(runs)
    curves = ev.rename(columns={"throughput_kbits": "reward_kbits"})
    rows = {r["id"]: r for r in ledger.fig5_rows(ev, curves, claims)}
    fig5 = claims[claims.source.str.startswith("Fig. 5")]
    assert set(rows) == set(fig5.id)
    for c in fig5.itertuples():
        if not np.isnan(c.episodes):                                  # the paper's episodes 300 and 500
            assert not rows[c.id]["measured"] and "training ends at episode 4" in rows[c.id]["reason"]
        else:
            assert rows[c.id]["measured"]
    assert rows["fig5d_throughput_proposed_sigma0p1"]["ours"] == 34.0   # the final evaluation


def test_the_paper_profile_must_measure_every_claim(monkeypatch):
    real = ledger.time_rows

    def lacking(table4, claims):
        return real(table4[table4.N != 50], claims)

    monkeypatch.setattr(ledger, "time_rows", lacking)
    with pytest.raises(ValueError, match=r"paper profile must measure every claim.*table4_time_n50"):
        ledger.ledger_table("paper", "cache_only")


# --------------------------------------------------------------------------------------------------
# the chapter's counts and figure
# --------------------------------------------------------------------------------------------------

def _ledger_rows(statuses, sources, kinds=None, ours=None):
    n = len(statuses)
    return pd.DataFrame({"status": statuses, "source": sources, "kind": kinds or ["level"] * n,
                         "paper": [10.0] * n, "ours": ours or [12.0] * n, "ci95": [1.0] * n})


def test_status_counts_by_group_with_totals():
    table = _ledger_rows(["reproduced", "not reproduced", "reproduced", "same direction"],
                         ["Fig. 5b", "Fig. 5d", "Table 4", "Conclusion"])
    counts = plot_ledger.status_counts(table).set_index("claims")
    assert list(counts.columns) == ["reproduced", "same direction", "not reproduced", "all"]
    assert counts.loc["Fig. 5 (training, ch. 8)"].tolist() == [1, 0, 1, 2]
    assert counts.loc["Table 4, Sec. VI-H (times, ch. 12)"].tolist() == [1, 0, 0, 1]
    assert counts.loc["Fig. 7 (ch. 11)"].tolist() == [0, 0, 0, 0]
    assert counts.loc["all"].tolist() == [2, 1, 1, 4]
    with pytest.raises(ValueError, match="Fig. 9"):
        plot_ledger.status_counts(_ledger_rows(["reproduced"], ["Fig. 9"]))


def test_every_source_of_the_claims_file_has_a_group():
    known = {s for group in plot_ledger.GROUPS.values() for s in group}
    assert set(load_claims().source) <= known


def test_plotted_rows_leave_out_losses_unmeasured_claims_and_selections():
    table = _ledger_rows(["reproduced"] * 4, ["Fig. 5b"] * 4, kinds=["level", "effect", "selection", "level"],
                         ours=[12.0, -3.0, 0.7, float("nan")])
    placed, left = plot_ledger.plotted_rows(table)
    assert list(placed.index) == [0] and list(left.index) == [1, 2, 3]


def test_the_figure_refuses_unknown_statuses_missing_columns_and_bad_zooms():
    good = _ledger_rows(["reproduced", "not measured"], ["Fig. 5b", "Fig. 5b"])
    fig = plot_ledger.ledger_figure(good)
    assert len(fig.axes) == 2 and fig.axes[0].get_xscale() == "log"
    import matplotlib.pyplot as plt

    plt.close(fig)
    with pytest.raises(ValueError, match="status holds"):
        plot_ledger.ledger_figure(_ledger_rows(["maybe"], ["Fig. 5b"]))
    with pytest.raises(ValueError, match="lacks the columns"):
        plot_ledger.ledger_figure(good.drop(columns="ci95"))
    with pytest.raises(ValueError, match="zoom"):
        plot_ledger.ledger_figure(good, zoom=(5.0, 1.0))
    with pytest.raises(ValueError, match="no claim"):
        plot_ledger.ledger_figure(_ledger_rows(["reproduced"], ["Fig. 5b"], ours=[-1.0]))


def test_html_table_links_one_column_and_escapes_every_cell():
    df = pd.DataFrame({"a<b": ["x & y"], "chapter": ["08_training"], "v": [1.5]})
    out = html_table(df, links={"chapter": lambda c: f"{c}.html"}).data
    assert '<a href="08_training.html">08_training</a>' in out
    assert "x &amp; y" in out and "a&lt;b" in out and "<td>1.5</td>" in out
    with pytest.raises(ValueError, match="links names columns"):
        html_table(df, links={"nope": str})


# --------------------------------------------------------------------------------------------------
# the intro's "What the book has found" takes its counts from the ledger's page
# --------------------------------------------------------------------------------------------------

KEYS = ("ledger_n_claims", "ledger_reproduced", "ledger_same_direction", "ledger_not_reproduced",
        "ledger_not_reproducible", "ledger_not_measured")
CONTEXT = ("ledger_restated", "ledger_counts_reproduced", "ledger_measured_reproduced", "ledger_unresolved")


def test_the_intro_types_no_count_of_the_ledger():
    intro = (ROOT / "book" / "intro.md").read_text()
    bullet = intro[intro.index("* **The ledger**"):intro.index("## How to read this book")]
    for key in KEYS + CONTEXT:
        assert f"{{glue:text}}`15_ledger.ipynb::{key}:d`" in bullet
    bare = re.sub(r"\{glue:text\}`[^`]*`|\{doc\}`[^`]*`", "", bullet)
    assert re.findall(r"\d+", bare) == ["95", "2", "15"]     # "95 % interval", "a factor of 2", "Eq. (15)"


def test_the_ledger_page_glues_the_counts_of_the_committed_ledger():
    nb = json.loads((ROOT / "book" / "15_ledger.ipynb").read_text())
    glued = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                glued[name] = int(out["data"]["application/papermill.record/text/plain"])
    table = pd.read_csv(ROOT / "data" / "results" / "ledger" / "paper.csv")
    counts = table.status.value_counts()
    restating = {"concl_gain_vs_maxp_default_hwi", "concl_gain_vs_maxp_high_hwi", "contrib_gain_vs_maxp_high_hwi",
                 "concl_fraction_of_esafp_optimum", "sec6h_time_n20", "sec6h_time_n100"}
    own = table[(table.status == "reproduced") & (table.kind != "count") & ~table.id.isin(restating)]
    assert glued == {"ledger_n_claims": len(table), "ledger_reproduced": counts["reproduced"],
                     "ledger_same_direction": counts["same direction"],
                     "ledger_not_reproduced": counts["not reproduced"],
                     "ledger_not_reproducible": counts["not reproducible"],
                     "ledger_not_measured": counts["not measured"],
                     # the context, built here independently of the page: restatements, reproduced counts,
                     # reproduced measured numbers not restating another, those whose interval holds zero
                     "ledger_restated": 6, "ledger_counts_reproduced": 6, "ledger_measured_reproduced": len(own),
                     "ledger_unresolved": int((own.ci95 >= own.ours.abs()).sum())}
    assert sum(glued[k] for k in KEYS[1:]) == glued["ledger_n_claims"]


# --------------------------------------------------------------------------------------------------
# 'not measured' at its boundaries, and the row builders' plumbing (a fault-injection pass found these open)
# --------------------------------------------------------------------------------------------------

def _fig5_evaluations(last: int):
    runs = []
    for scenario in ("physical_only", "proposed", "dt_only"):
        for phi, sigma in ((0.4, 0.05), (0.9, 0.05), (0.4, 0.1)):
            for gamma in (0.9, 0.8, 0.7):
                for episode in range(50, last + 1, 50):
                    runs.append({"scenario": scenario, "phi": phi, "sigma_rt": sigma, "gamma": gamma, "seed": 0,
                                 "episode": episode, "throughput_kbits": 30.0,
                                 "run": f"{scenario}_{phi}_{sigma}_{gamma}"})
    ev = pd.DataFrame(runs)
    return ev, ev.rename(columns={"throughput_kbits": "reward_kbits"})


@pytest.mark.parametrize("last, measured_300", [(250, True), (249, False), (260, True)])
def test_a_fig5_claim_is_measured_once_its_window_reaches_an_evaluation(last, measured_300):
    # the claim at episode 300 averages the evaluations within 300 +- 50: measured once training reaches 250
    ev, curves = _fig5_evaluations(last)
    claims = load_claims()
    if last == 249:                                       # evaluations every 50 episodes: the last one is 200
        ev, curves = _fig5_evaluations(200)
        ev.loc[ev.episode == 200, "episode"] = 249
        curves.loc[curves.episode == 200, "episode"] = 249
    rows = {r["id"]: r for r in ledger.fig5_rows(ev, curves, claims)}
    assert rows["fig5b_throughput_proposed_300ep"]["measured"] is measured_300
    assert not rows["fig5c_throughput_proposed_500ep"]["measured"]


def _fig7_summary(drop=()):
    rows = []
    for k, n in ((1, 2), (2, 3), (3, 5), (6, 70), (6, 100)):
        for sigma in (0.05, 0.2):
            if (k, n, sigma) in drop:
                continue
            rows.append({"K": k, "N": n, "sigma_rt": sigma, "of_esa_fp": 0.95, "MADRL": 47.5, "MADRL_ci95": 1.0, "ESA-FP": 50.0,
                         "gain_vs_ra_kbits": 100.0, "gain_vs_maxp_kbits": 40.0, "gain_vs_maxp_pct": 45.0,
                         "MaxP-3GPP-MCS": 90.0})
    return pd.DataFrame(rows)


def test_fig7_rows_with_one_small_network_or_the_high_hwi_level_missing_are_not_measured():
    claims = load_claims()
    rows = {r["id"]: r for r in ledger.fig7_rows(_fig7_summary(drop={(3, 5, 0.05)}), claims)}
    assert not rows["fig7a_fraction_of_esa_optimum"]["measured"] and not rows["concl_fraction_of_esafp_optimum"][
        "measured"]
    assert rows["fig7b_gain_vs_maxp_pct_k6_n100"]["measured"]
    rows = {r["id"]: r for r in ledger.fig7_rows(_fig7_summary(drop={(6, 100, 0.2), (6, 70, 0.2)}), claims)}
    assert not rows["fig7c_gain_vs_maxp_pct_high_hwi_k6_n100"]["measured"]
    assert not rows["fig7c_gain_vs_ra_abs_high_hwi_k6_n70"]["measured"]
    assert rows["fig7b_gain_vs_maxp_pct_k6_n100"]["measured"] and rows["fig7a_fraction_of_esa_optimum"]["measured"]
    assert math.isclose(rows["fig7a_fraction_of_esa_optimum"]["ours"], 95.0)
    # a network where the agents are only deployed, not trained (the quick profile's (6, 100)): not measured
    deployed = _fig7_summary()
    deployed.loc[(deployed.N == 100), "MADRL"] = float("nan")
    rows = {r["id"]: r for r in ledger.fig7_rows(deployed, claims)}
    assert not rows["fig7b_gain_vs_maxp_pct_k6_n100"]["measured"] and rows["fig7b_gain_vs_ra_abs_k6_n70"]["measured"]
    assert "(6, 100, 0.05)" not in rows["fig7b_gain_vs_maxp_pct_k6_n100"]["reason"]


def test_the_sadrl_row_without_its_agent_is_a_budget_gap_in_the_paper_profile_and_a_profile_gap_elsewhere():
    from multirat.experiments import fig6ab, fig6c

    ab = fig6ab.run("paper", mode="cache_only")
    c = fig6c.run("paper", mode="cache_only")
    window = fig6ab.FINAL_WINDOW["paper"]
    for profile, prefix in (("paper", "not measured: "), ("smoke", "not measured in this profile: ")):
        rows = {r["id"]: r for r in ledger.fig6_rows(ab, c, window, profile=profile)}
        sadrl = rows["fig6b_throughput_sadrl_k2_n5"]
        assert not sadrl["measured"] and sadrl["reason"].startswith(prefix)
        assert sadrl["reproducible"]


def test_ledger_table_passes_its_profile_on_and_computes_fig7_before_what_reads_its_models(monkeypatch):
    from multirat.experiments import fig7, table4

    calls, seen = [], {}
    real_fig7, real_table4, real_fig6 = fig7.run, table4.run, ledger.fig6_rows
    monkeypatch.setattr(fig7, "run", lambda *a, **k: calls.append("fig7") or real_fig7(*a, **k))
    monkeypatch.setattr(table4, "run", lambda *a, **k: calls.append("table4") or real_table4(*a, **k))
    monkeypatch.setattr(ledger, "fig6_rows", lambda *a, **k: seen.update(k) or real_fig6(*a, **k))
    ledger.ledger_table("paper", "cache_only")
    assert calls.index("fig7") < calls.index("table4") and seen["profile"] == "paper"


def test_the_timed_sizes_in_a_reason_are_sorted():
    table4 = pd.DataFrame({"stage": ["whole", "whole"], "N": [20, 1], "median_s": [2e-4, 1e-4]})
    rows = {r["id"]: r for r in ledger.time_rows(table4, load_claims())}
    assert rows["table4_time_n50"]["reason"].endswith("(timed: 1, 20)")


def test_plotted_rows_leave_out_a_zero_paper_value_and_the_figure_an_unknown_kind():
    table = _ledger_rows(["reproduced", "reproduced"], ["Fig. 5b", "Fig. 5b"])
    table.loc[1, "paper"] = 0.0
    placed, left = plot_ledger.plotted_rows(table)
    assert list(placed.index) == [0] and list(left.index) == [1]
    with pytest.raises(ValueError, match="kind holds"):
        plot_ledger.ledger_figure(_ledger_rows(["reproduced"], ["Fig. 5b"], kinds=["bogus"]))


def test_html_table_escapes_link_addresses_and_texts():
    df = pd.DataFrame({"chapter": ["a<b"]})
    out = html_table(df, links={"chapter": lambda c: f"x?a=1&b={c}"}).data
    assert '<a href="x?a=1&amp;b=a&lt;b">a&lt;b</a>' in out


def test_continual_gains_pair_each_condition_by_seed_over_the_final_window():
    rows = []
    cases = (((0.4, 0.2), (110.0, 120.0), (100.0, 100.0)), ((0.9, 0.05), (90.0, 99.0), (90.0, 90.0)))
    for (phi, sigma), s2, s3 in cases:
        for seed in (0, 1):
            for scenario, value in (("proposed", s2[seed]), ("dt_only", s3[seed])):
                for episode, extra in ((50, -1000.0), (100, 0.0)):       # only the final window counts
                    rows.append({"scenario": scenario, "phi": phi, "sigma_rt": sigma, "gamma": 0.9, "seed": seed,
                                 "episode": episode, "throughput_kbits": value + extra,
                                 "run": f"{scenario}{phi}{sigma}{seed}"})
    gains = ledger.continual_gains(pd.DataFrame(rows), window=10)
    assert set(gains) == {(0.4, 0.2), (0.9, 0.05)}
    np.testing.assert_allclose(gains[(0.4, 0.2)], [10.0, 20.0])
    np.testing.assert_allclose(gains[(0.9, 0.05)], [0.0, 10.0])
    row = ledger.continual_gain_row(pd.DataFrame(rows), window=10)
    assert math.isclose(row["ours"], 15.0) and "phi = 0.4, sigma_rt = 0.2" in row["measure"]
