"""multirat.ledger: the status rule on hand-made rows, boundaries probed exactly."""

import math

import pytest

from multirat.ledger import KINDS, STATUSES, TIME_FACTOR, claim_status


@pytest.mark.parametrize("paper, ours, ci95, kind, expected", [
    (46.0, 41.9, 49.9, "effect", "reproduced"),              # the paper's value inside our interval
    (46.0, 42.0, 4.0, "effect", "reproduced"),               # exactly at the edge: inside
    (46.0, 42.0, 3.75, "effect", "same direction"),          # just outside, same sign
    (114.16, 77.3, 35.1, "effect", "same direction"),        # outside, the paper's sign
    (46.0, -43.3, 33.4, "effect", "not reproduced"),         # the wrong sign
    (46.0, 0.0, 1.0, "effect", "not reproduced"),            # no effect at all is not the paper's sign
    (118.96, 118.0, 2.0, "level", "reproduced"),
    (118.96, 90.0, 5.0, "level", "not reproduced"),          # a level has no direction
    (-47.5, -10.0, 5.0, "effect", "same direction"),         # a negative effect keeps its sign
    (-47.5, 10.0, 5.0, "effect", "not reproduced"),
])
def test_interval_rule(paper, ours, ci95, kind, expected):
    assert claim_status(paper, ours, ci95, kind) == expected


def test_counts_and_selections_must_be_equal():
    assert claim_status(4096, 4096, kind="count") == "reproduced"
    assert claim_status(4096, 4095, kind="count") == "not reproduced"            # a count off by one
    assert claim_status(4096, 4097, kind="count") == "not reproduced"
    assert claim_status(4096, 4097, kind="count", tolerance=1) == "reproduced"    # a stated tolerance
    assert claim_status(0.9, 0.9, kind="selection") == "reproduced"
    assert claim_status(0.9, 0.8, kind="selection") == "not reproduced"
    assert claim_status(4096, 4095, 10.0, kind="count") == "not reproduced"       # an interval never widens a count


def test_times_within_a_factor_either_way():
    assert TIME_FACTOR == 2.0
    assert claim_status(10e-3, 5e-3, kind="time") == "reproduced"                 # exactly a factor 2: inside
    assert claim_status(10e-3, 20e-3, kind="time") == "reproduced"
    assert claim_status(10e-3, 4.99e-3, kind="time") == "not reproduced"
    assert claim_status(15.1e-3, 1.5e-6, kind="time") == "not reproduced"         # 10 000 times faster
    with pytest.raises(ValueError, match="positive"):
        claim_status(10e-3, 0.0, kind="time")


def test_without_an_interval_a_relative_tolerance_decides():
    assert claim_status(70.4, 70.4, kind="level") == "reproduced"                 # exact, tolerance 0
    assert claim_status(70.4, 70.5, kind="level") == "not reproduced"
    assert claim_status(100.0, 104.0, kind="level", tolerance=0.05) == "reproduced"
    assert claim_status(100.0, 106.0, kind="effect", tolerance=0.05) == "same direction"


def test_not_reproducible_whatever_the_numbers_and_bad_input_refused():
    assert claim_status(14.4, math.nan, kind="effect", reproducible=False) == "not reproducible"
    assert claim_status(46.0, 46.0, 1.0, "effect", reproducible=False) == "not reproducible"
    with pytest.raises(ValueError, match="finite"):
        claim_status(46.0, math.nan, 1.0, "effect")
    with pytest.raises(ValueError, match="kind='gain' is unknown"):
        claim_status(46.0, 40.0, 1.0, "gain")
    with pytest.raises(ValueError, match=">= 0"):
        claim_status(46.0, 40.0, -1.0, "effect")
    assert STATUSES == ("reproduced", "same direction", "not reproduced", "not reproducible")
    assert KINDS == ("level", "effect", "count", "time", "selection")


def test_each_status_gets_its_reason():
    from multirat.ledger import status_reason

    assert status_reason("reproduced", 46.0, 41.9, "effect") == "the paper's value is inside our 95 % interval"
    assert status_reason("reproduced", 4096, 4096, "count") == "equal"
    assert status_reason("reproduced", 10.0, 6.0, "time") == "within a factor 2"
    assert status_reason("same direction", 49.01, 113.16, "effect").startswith("the paper's sign, but 2.3 times")
    assert status_reason("not reproduced", 2.8, -5.5, "effect") == "the opposite sign (or none)"
    assert status_reason("not reproduced", 15.1, 0.0015, "time") == "ours is 10,067 times shorter"
    assert status_reason("not reproduced", 0.9, 0.7, "selection") == "we select 0.7"
    assert status_reason("not reproduced", 4096, 4095, "count") == "ours is 4095"
    assert status_reason("not reproduced", 70.4, 97.1, "level") == "ours is 1.38 times the paper's, outside our interval"
    assert status_reason("not reproducible", 1.0, 1.0, "level", "unstated") == "unstated"


def test_a_row_needs_a_known_kind_and_a_reason_when_not_reproducible():
    from multirat.ledger import claim_row

    assert claim_row("x", 1, math.nan, "level", "08_training", "m")["reproducible"] is True
    with pytest.raises(ValueError, match="without a reason"):
        claim_row("x", math.nan, math.nan, "level", "08_training", "m", reproducible=False)
    with pytest.raises(ValueError, match="kind='gain' is unknown"):
        claim_row("x", 1, 1, "gain", "08_training", "m")


def test_the_eq15_cap_by_hand():
    from multirat.config import NetworkConfig
    from multirat.ledger import eq15_cap_kbits

    assert eq15_cap_kbits(NetworkConfig()) == pytest.approx(20 * 6 * (5 / 6) * 1000 / 1e3)   # 100 kbit/frame
    assert eq15_cap_kbits(NetworkConfig(n_aps=6, n_devices=200, n_rrbs=50)) == pytest.approx(50 * 5.0)


def test_the_paper_ledger_has_one_row_per_claim_each_with_a_status_and_a_reason():
    from multirat.claims import load_claims
    from multirat.ledger import ledger_table

    table = ledger_table("paper")
    claims = load_claims()
    assert list(table.id) == list(claims.id)
    assert set(table.status) <= set(STATUSES) | {"not measured"} and table.reason.str.len().gt(0).all()
    by = table.set_index("id")
    assert list(by.index[by.status == "not measured"]) == ["fig6b_throughput_sadrl_k2_n5"]    # our budget
    assert (by.loc[by.kind == "count", "status"] == "reproduced").all() and (by.kind == "count").sum() == 6
    assert (by.loc[by.kind == "time", "status"] == "not reproduced").all()               # 140-10 000x faster
    assert by.loc["fig7b_gain_vs_maxp_pct_k6_n100", "status"] == "reproduced"
    assert by.loc["fig5b_throughput_proposed_300ep", "status"] == "not reproducible"     # above Eq. (15)'s cap
    assert by.loc["fig7c_gain_vs_maxp_pct_high_hwi_k6_n100", "status"] == "not reproducible"   # unstated HWI level
    assert by.loc["concl_fraction_of_esafp_optimum", "ours"] == by.loc["fig7a_fraction_of_esa_optimum", "ours"]


def test_a_claim_without_a_row_is_an_error(monkeypatch):
    from multirat import ledger

    real = ledger.count_rows
    monkeypatch.setattr(ledger, "count_rows", lambda: real()[1:])
    with pytest.raises(ValueError, match=r"missing \['sec6e_sadrl_action_space_k2_n3'\]"):
        ledger.ledger_table("paper")


def test_the_readings_column_names_the_readings_under_which_a_claim_holds():
    from multirat.ledger import SAME_CLAIM, ledger_table

    by = ledger_table("paper").set_index("id")["reproduced under"]
    assert by["fig7c_gain_vs_maxp_pct_high_hwi_k6_n100"] == "packet N_p: N_p = 100"     # chapter 14's finding
    assert by["contrib_gain_vs_maxp_high_hwi"] == by["fig7c_gain_vs_maxp_pct_high_hwi_k6_n100"]
    assert all(by[a] == by[c] for a, c in SAME_CLAIM.items())
    assert by["table4_time_n1"] == ""                                                    # no reading times it
