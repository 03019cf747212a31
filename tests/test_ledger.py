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
