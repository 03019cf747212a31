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
    (lambda: scheduling.jain_index(np.array([-1.0])), r"x=\[-1.0\] is out of range: allowed \[0, inf\)"),
])
def test_invalid_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --- Eq. (18): hand values and limits ------------------------------------------------------------

def test_pf_metric_by_hand():
    # P_c g / sigma^2 = 1e-3 * 3e-6 / 1e-12 = 3000 -> log2(3001) = 11.5512276...; w = 1/R = 1/1000
    assert scheduling.pf_metric(1000.0, 3e-6, 1e-3, 1e-12) == pytest.approx(11.551227603598288e-3, rel=1e-12)
    # a zero gain is a valid channel (metric 0), not an error
    np.testing.assert_array_equal(scheduling.pf_metric([1.0, 2.0], [0.0, 0.0], 1e-3, 1e-12), [0.0, 0.0])
    # the smallest positive average rate is accepted (w finite up to overflow)
    assert scheduling.pf_metric(1e-300, 1e-12, 1.0, 1.0) > 0


@pytest.mark.parametrize("args", [(1.0, 1.0, 0.0, 1.0), (1.0, 1.0, -1.0, 1.0), (1.0, 1.0, 1.0, 0.0),
                                  (1.0, 1.0, 1.0, np.nan), (np.array([1.0, -1.0]), 1.0, 1.0, 1.0),
                                  (np.array([1.0, np.nan]), 1.0, 1.0, 1.0)])
def test_pf_metric_rejects(args):
    with pytest.raises(ValueError):
        scheduling.pf_metric(*args)


# --- Eq. (19): the EMA by hand, at its limits ----------------------------------------------------

def test_ema_three_steps_by_hand():
    """R^t = 0.9 R^{t-1} + 0.1 r^{t-1} from R^0 = 1 with rates 100, 0, 50: 10.9, 9.81, 13.829."""
    r = np.array(1.0)
    out = []
    for achieved in (100.0, 0.0, 50.0):
        r = scheduling.update_average_rate(r, achieved, 0.1)
        out.append(float(r))
    np.testing.assert_allclose(out, [10.9, 9.81, 13.829], rtol=1e-14)


def test_ema_alpha_limits():
    np.testing.assert_array_equal(scheduling.update_average_rate([3.0, 5.0], [7.0, 0.0], 0.0), [3.0, 5.0])
    np.testing.assert_array_equal(scheduling.update_average_rate([3.0, 5.0], [7.0, 0.0], 1.0), [7.0, 0.0])
    for bad in (-1e-12, 1.0 + 1e-12, np.nan):
        with pytest.raises(ValueError, match="alpha"):
            scheduling.update_average_rate(1.0, 1.0, bad)


# --- Algorithm 1: ties, N == R, N = R + 1, exact placements --------------------------------------

def test_exact_ties_go_to_the_lower_index():
    """Equal PF metrics: Alg. 1 as implemented ranks the lower device index first (stable order)."""
    flat = np.full(40, 0.7)
    np.testing.assert_array_equal(scheduling.select_and_place(flat, 5), [0, 1, 2, 3, 4] + [-1] * 35)
    np.testing.assert_array_equal(scheduling.select_and_place(np.zeros(3), 9, "spread"), [0, 3, 6])
    metric = np.array([1.0, 2.0, 2.0, 1.0, 2.0])
    np.testing.assert_array_equal(scheduling.select_and_place(metric, 2), [-1, 0, 1, -1, -1])
    np.testing.assert_array_equal(scheduling.select_and_place(metric, 3), [-1, 0, 1, -1, 2])
    np.testing.assert_array_equal(scheduling.select_and_place(metric, 4), [3, 0, 1, -1, 2])
    # many ties at a few levels: within a level, ascending device index (a plain loop as the reference)
    levels = np.random.default_rng(0).integers(0, 3, 40).astype(float)
    want = sorted(range(40), key=lambda n: (-levels[n], n))
    rrb = scheduling.select_and_place(levels, 40)
    assert [int(np.flatnonzero(rrb == i)[0]) for i in range(40)] == want
    # ties in a batch: every network ranks by index on its own
    batch = np.array([[5.0, 5.0, 5.0], [1.0, 3.0, 3.0]])
    np.testing.assert_array_equal(scheduling.select_and_place(batch, 2), [[0, 1, -1], [-1, 0, 1]])


def test_n_equal_r_and_n_one_above_r():
    metric = np.array([0.3, 0.9, 0.1, 0.5])
    # N == R: everyone is scheduled, on RRBs 0..N-1 in PF order (both placements coincide)
    for placement in scheduling.PLACEMENTS:
        np.testing.assert_array_equal(scheduling.select_and_place(metric, 4, placement), [2, 0, 3, 1])
    # N = R + 1: exactly the weakest device idles
    for placement in scheduling.PLACEMENTS:
        np.testing.assert_array_equal(scheduling.select_and_place(metric, 3, placement), [2, 0, -1, 1])
    # R = 1: only the best device
    np.testing.assert_array_equal(scheduling.select_and_place(metric, 1), [-1, 0, -1, -1])


@pytest.mark.parametrize("n, r, expected", [
    (3, 10, [0, 3, 6]),            # floor(i R / n): 0, 3.33 -> 3, 6.67 -> 6
    (4, 6, [0, 1, 3, 4]),          # 0, 1.5 -> 1, 3, 4.5 -> 4
    (2, 3, [0, 1]),
    (5, 5, [0, 1, 2, 3, 4]),
    (7, 5, [0, 1, 2, 3, 4]),       # N > R: the R best fill every RRB
])
def test_spread_rrbs_by_hand(n, r, expected):
    metric = -np.arange(n, dtype=float)                # device i is the i-th best
    rrb = scheduling.select_and_place(metric, r, "spread")
    np.testing.assert_array_equal(rrb[: len(expected)], expected)
    assert np.all(rrb[len(expected):] == -1)


def test_default_placement_is_contiguous():
    np.testing.assert_array_equal(scheduling.select_and_place(np.arange(4.0), 12), [3, 2, 1, 0])
    a = scheduling.random_schedule(np.random.default_rng(0), 4, 12)
    np.testing.assert_array_equal(np.sort(a), [0, 1, 2, 3])


def test_random_schedule_uses_the_placement():
    for seed in range(5):
        a = scheduling.random_schedule(np.random.default_rng(seed), 4, 12, "spread")
        np.testing.assert_array_equal(np.sort(a), [0, 3, 6, 9])
    b = scheduling.random_schedule(np.random.default_rng(1), 7, 5, "spread", batch=(3,))
    assert b.shape == (3, 7) and np.all(np.sort(b, axis=-1)[:, 2:] == np.arange(5))


def test_random_schedule_is_a_uniform_permutation():
    """Every device is equally likely to be served first (Alg. 1, line 2: a random initial schedule)."""
    from scipy import stats

    first = scheduling.random_schedule(np.random.default_rng(2), 5, 1, batch=(5000,))
    counts = (first == 0).sum(axis=0)
    assert counts.sum() == 5000 and stats.chisquare(counts).pvalue > 1e-3


# --- Jain's index: hand values ---------------------------------------------------------------------

def test_jain_index_by_hand():
    assert scheduling.jain_index(np.array([1.0, 2.0, 3.0])) == pytest.approx(36.0 / 42.0, rel=1e-15)
    assert scheduling.jain_index(np.array([1.0, 3.0])) == pytest.approx(0.8, rel=1e-15)
    assert scheduling.jain_index(np.array([5.0])) == pytest.approx(1.0)
    # all zero: every link equal -> 1 (not 0, not NaN)
    assert scheduling.jain_index(np.zeros(4)) == 1.0
    # axis other than the last: n is the length of that axis
    x = np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    np.testing.assert_allclose(scheduling.jain_index(x, axis=0), [1.0, 0.5, 1.0], rtol=1e-15)
    np.testing.assert_allclose(scheduling.jain_index(x, axis=1), [4.0 / 6.0, 1.0 / 3.0], rtol=1e-15)


def test_n_rrbs_must_be_a_plain_positive_integer():
    for bad in (2.5, -1):
        with pytest.raises(ValueError, match="n_rrbs"):
            scheduling.select_and_place(np.ones(3), bad)
    with pytest.raises(TypeError, match="n_rrbs must be an integer; got bool"):
        scheduling.select_and_place(np.ones(3), True)
    np.testing.assert_array_equal(scheduling.select_and_place(np.ones(3), 2.0), [0, 1, -1])


def test_no_devices_is_refused_and_all_zero_jain_is_one():
    for metric in (np.zeros(0), np.zeros((3, 0))):
        with pytest.raises(ValueError, match="metric must hold N >= 1 devices"):
            scheduling.select_and_place(metric, 4)
    for x, axis in (([], -1), (np.zeros((2, 0)), 1), (np.zeros((0, 2)), 0)):
        with pytest.raises(ValueError, match="x has no users along axis=.*undefined"):
            scheduling.jain_index(x, axis=axis)
    np.testing.assert_array_equal(scheduling.jain_index(np.zeros((2, 3))), [1.0, 1.0])   # 0/0 -> 1: all equal
    assert scheduling.jain_index(np.zeros((0, 3))).shape == (0,)                        # no allocations, no values
