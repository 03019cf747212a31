"""scheduling.py: PF metric (Eq. 18), EMA (Eq. 19), Algorithm 1 selection and placement."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from multirat import scheduling


def test_pf_metric_closed_form():
    m = scheduling.pf_metric(np.array([2.0, 4.0]), np.array([1e-9, 1e-9]), 1e-3, 1e-12)
    np.testing.assert_allclose(m, np.log2(1 + 1e-3 * 1e-9 / 1e-12) / np.array([2.0, 4.0]))


def test_ema():
    np.testing.assert_allclose(scheduling.update_average_rate([10.0, 0.0], [0.0, 10.0], 0.1), [9.0, 1.0])
    with pytest.raises(ValueError, match="alpha"):
        scheduling.update_average_rate(1.0, 1.0, 1.5)


def test_top_r_contiguous_in_pf_order():
    metric = np.array([0.1, 5.0, 3.0, 4.0, 0.2])
    rrb = scheduling.select_and_place(metric, 3, "contiguous")
    np.testing.assert_array_equal(rrb, [-1, 0, 2, 1, -1])


def test_spread_placement_leaves_gaps():
    rrb = scheduling.select_and_place(np.arange(4.0), 12, "spread")
    np.testing.assert_array_equal(np.sort(rrb), [0, 3, 6, 9])
    assert np.diff(np.sort(rrb)).min() == 3


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=60), st.integers(1, 80),
       st.sampled_from(scheduling.PLACEMENTS))
def test_selection_properties(metric, n_rrbs, placement):
    metric = np.array(metric)
    rrb = scheduling.select_and_place(metric, n_rrbs, placement)
    scheduled = rrb >= 0
    assert scheduled.sum() == min(len(metric), n_rrbs)
    assert len(np.unique(rrb[scheduled])) == scheduled.sum()          # orthogonal RRBs
    assert rrb.max() < n_rrbs
    if (~scheduled).any():                                              # nobody unscheduled beats a scheduled one
        assert metric[~scheduled].max() <= metric[scheduled].min()


def test_batched_selection_equals_per_network():
    rng = np.random.default_rng(5)
    metric = rng.random((3, 4, 7))
    batched = scheduling.select_and_place(metric, 5, "spread")
    for idx in np.ndindex(3, 4):
        np.testing.assert_array_equal(batched[idx], scheduling.select_and_place(metric[idx], 5, "spread"))
    rs = scheduling.random_schedule(rng, 7, 5, batch=(2,))
    assert rs.shape == (2, 7) and ((rs >= 0).sum(axis=1) == 5).all()


def test_random_schedule_is_seeded():
    a = scheduling.random_schedule(np.random.default_rng(3), 10, 4)
    b = scheduling.random_schedule(np.random.default_rng(3), 10, 4)
    np.testing.assert_array_equal(a, b)
    assert (a >= 0).sum() == 4


def test_jain_index():
    assert scheduling.jain_index(np.ones(5)) == pytest.approx(1.0)
    assert scheduling.jain_index(np.array([1.0, 0, 0, 0])) == pytest.approx(0.25)
    np.testing.assert_allclose(scheduling.jain_index(np.array([[1.0, 1.0], [1.0, 0.0]])), [1.0, 0.5])


@pytest.mark.parametrize("call, match", [
    (lambda: scheduling.select_and_place(np.ones(3), 0), "n_rrbs"),
    (lambda: scheduling.select_and_place(np.float64(1.0), 2), "array"),
    (lambda: scheduling.select_and_place(np.array([1.0, np.nan]), 2), "NaN"),
    (lambda: scheduling.select_and_place(np.ones(3), 2, "random"), "placement"),
    (lambda: scheduling.pf_metric(0.0, 1.0, 1.0, 1.0), "average_rate"),
    (lambda: scheduling.pf_metric(1.0, -1.0, 1.0, 1.0), "gain"),
    (lambda: scheduling.jain_index(np.array([-1.0])), "non-negative"),
])
def test_invalid_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
