"""topology.py: AP grid, device drop, clustering."""

import numpy as np
import pytest
from scipy import stats

from multirat import topology


@pytest.mark.parametrize("k, shape", [(1, (1, 1)), (2, (2, 1)), (4, (2, 2)), (6, (3, 2)), (9, (3, 3))])
def test_ap_grid(k, shape):
    xy = topology.ap_positions(k, 600.0)
    assert xy.shape == (k, 2)
    np.testing.assert_allclose(xy.mean(axis=0), 0.0, atol=1e-9)
    assert len(np.unique(np.round(xy[:, 0]))) == shape[0]
    assert len(np.unique(np.round(xy[:, 1]))) == shape[1]
    if k > 1:
        d = topology.distances_2d(xy, xy)
        nearest = np.sort(d, axis=0)[1]
        np.testing.assert_allclose(nearest, 600.0)


def test_drop_is_uniform_in_the_annuli():
    rng = np.random.default_rng(1)
    ap = topology.ap_positions(4, 600.0)
    xy = topology.drop_devices(rng, ap, 40_000, 300.0, 30.0)
    d = topology.distances_2d(xy, ap)
    serving = topology.cluster_nearest(xy, ap)
    r = d[serving, np.arange(len(xy))]
    assert r.min() >= 30.0 and r.max() <= 300.0 + 1e-9
    # uniform in area: r^2 ~ U(30^2, 300^2)
    assert stats.kstest(r**2, stats.uniform(loc=900.0, scale=300.0**2 - 900.0).cdf).pvalue > 1e-3
    # every AP gets about a quarter of the devices
    counts = np.bincount(serving, minlength=4)
    assert stats.chisquare(counts).pvalue > 1e-3
    # nobody is inside another AP's exclusion disk
    assert d.min() >= 30.0


def test_drop_is_reproducible():
    ap = topology.ap_positions(4, 600.0)
    a = topology.drop_devices(np.random.default_rng(7), ap, 20, 300.0, 30.0)
    b = topology.drop_devices(np.random.default_rng(7), ap, 20, 300.0, 30.0)
    c = topology.drop_devices(np.random.default_rng(8), ap, 20, 300.0, 30.0)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_clustering_is_nearest_ap():
    ap = np.array([[0.0, 0.0], [600.0, 0.0]])
    dev = np.array([[100.0, 0.0], [299.0, 50.0], [301.0, -50.0], [590.0, 10.0]])
    np.testing.assert_array_equal(topology.cluster_nearest(dev, ap), [0, 0, 1, 1])
    d = topology.distances_2d(dev, ap)
    assert d.shape == (2, 4)
    assert d[0, 0] == pytest.approx(100.0)


@pytest.mark.parametrize("call, match", [
    (lambda: topology.ap_positions(0, 600.0), "n_aps"),
    (lambda: topology.ap_positions(2.5, 600.0), "n_aps"),
    (lambda: topology.ap_positions(4, -1.0), "spacing_m"),
    (lambda: topology.drop_devices(np.random.default_rng(0), np.zeros((1, 2)), 0, 300.0, 30.0), "n_devices"),
    (lambda: topology.drop_devices(np.random.default_rng(0), np.zeros((1, 2)), 5, 30.0, 300.0), "exclusion"),
    (lambda: topology.drop_devices(np.random.default_rng(0), np.zeros((2, 3)), 5, 300.0, 30.0), "ap_xy"),
    (lambda: topology.distances_2d(np.zeros((3,)), np.zeros((1, 2))), "shape"),
])
def test_invalid_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("k, expected", [
    (1, [[0, 0]]),
    (3, [[-200, -200], [400, -200], [-200, 400]]),                              # 2 columns, centred on the mean
    (4, [[-300, -300], [300, -300], [-300, 300], [300, 300]]),                 # Fig. 4: 2 x 2, 600 m apart
    (5, [[-480, -240], [120, -240], [720, -240], [-480, 360], [120, 360]]),    # 3 columns, row by row
    (6, [[-600, -300], [0, -300], [600, -300], [-600, 300], [0, 300], [600, 300]]),
])
def test_ap_coordinates_by_hand(k, expected):
    np.testing.assert_allclose(topology.ap_positions(k, 600.0), expected, rtol=0, atol=1e-9)
    np.testing.assert_allclose(topology.ap_positions(k, 100.0), np.array(expected) / 6, rtol=0, atol=1e-9)


def test_equidistant_device_goes_to_the_lower_ap_index():
    """Sec. III-A-4 nearest AP; an exact tie (a device on the bisector) goes to the lower index."""
    ap = np.array([[-300.0, 0.0], [300.0, 0.0], [0.0, 1000.0]])
    dev = np.array([[0.0, 0.0], [0.0, 250.0], [0.0, -7.0]])
    d = topology.distances_2d(dev, ap)
    assert d[0, 0] == d[1, 0] and d[0, 1] == d[1, 1]                          # exact ties
    np.testing.assert_array_equal(topology.cluster_nearest(dev, ap), [0, 0, 0])
    np.testing.assert_array_equal(topology.cluster_nearest(dev, ap[::-1]), [1, 1, 1])   # same tie, other order
    # the centre of the 2 x 2 grid is equidistant from all four APs; the midpoint of APs 2 and 3 from those two
    grid = topology.ap_positions(4, 600.0)
    np.testing.assert_array_equal(topology.cluster_nearest(np.array([[0.0, 0.0], [0.0, 300.0], [300.0, 0.0]]),
                                                           grid), [0, 2, 1])
    # one metre off the bisector decides
    np.testing.assert_array_equal(topology.cluster_nearest(np.array([[1.0, 0.0], [-1.0, 0.0]]), ap), [1, 0])


def test_distances_by_hand():
    ap = np.array([[0.0, 0.0], [30.0, 40.0]])
    dev = np.array([[3.0, 4.0], [30.0, 0.0], [-6.0, -8.0]])
    np.testing.assert_allclose(topology.distances_2d(dev, ap), [[5.0, 30.0, 10.0], [45.0, 40.0, 60.0]], rtol=1e-15)


def test_drop_angle_is_uniform_around_the_home_ap():
    """The angle around the AP is U(0, 2 pi): every quadrant gets a quarter, and the angle passes a KS test."""
    ap = topology.ap_positions(4, 600.0)
    xy = topology.drop_devices(np.random.default_rng(3), ap, 20_000, 300.0, 30.0)
    home = topology.cluster_nearest(xy, ap)
    rel = xy - ap[home]
    angle = np.mod(np.arctan2(rel[:, 1], rel[:, 0]), 2 * np.pi)
    assert stats.kstest(angle, stats.uniform(loc=0.0, scale=2 * np.pi).cdf).pvalue > 1e-3
    quadrant = np.bincount((angle // (np.pi / 2)).astype(int), minlength=4)
    assert stats.chisquare(quadrant).pvalue > 1e-3


def test_drop_limits():
    ap = topology.ap_positions(2, 600.0)
    one = topology.drop_devices(np.random.default_rng(0), ap, 1, 300.0, 30.0)     # N = 1 is a valid drop
    assert one.shape == (1, 2)
    # no exclusion disk (r = 0) is allowed: a full disk
    xy = topology.drop_devices(np.random.default_rng(0), ap, 4000, 300.0, 0.0)
    r = topology.distances_2d(xy, ap).min(axis=0)
    assert r.max() <= 300.0 + 1e-9 and r.min() < 10.0
    # a thin annulus: every device at (almost) the same distance
    thin = topology.drop_devices(np.random.default_rng(0), ap, 50, 300.0, 299.999)
    np.testing.assert_allclose(topology.distances_2d(thin, ap).min(axis=0), 300.0, atol=2e-3)


@pytest.mark.parametrize("call, match", [
    (lambda: topology.ap_positions(4, 0.0), "spacing_m"),
    (lambda: topology.ap_positions(4, float("inf")), "spacing_m"),
    (lambda: topology.ap_positions(4, float("nan")), "spacing_m"),
    (lambda: topology.drop_devices(np.random.default_rng(0), np.zeros((0, 2)), 5, 300.0, 30.0), "ap_xy"),
    (lambda: topology.drop_devices(np.random.default_rng(0), np.zeros(2), 5, 300.0, 30.0), "ap_xy"),
    (lambda: topology.drop_devices(np.random.default_rng(0), np.zeros((1, 2)), 2.5, 300.0, 30.0), "n_devices"),
    (lambda: topology.drop_devices(np.random.default_rng(0), np.zeros((1, 2)), 5, 300.0, 300.0), "exclusion"),
    (lambda: topology.drop_devices(np.random.default_rng(0), np.zeros((1, 2)), 5, 300.0, -1.0), "exclusion"),
    (lambda: topology.distances_2d(np.zeros((3, 3)), np.zeros((1, 2))), "shape"),
    (lambda: topology.distances_2d(np.zeros((3, 2)), np.zeros((1, 3))), "shape"),
])
def test_invalid_limits(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("call, match", [
    (lambda: topology.ap_positions(True, 600.0), "n_aps must be an integer; got bool"),
    (lambda: topology.ap_positions(4, "600"), "spacing_m must be a real number"),
    (lambda: topology.drop_devices(np.random.default_rng(0), np.zeros((1, 2)), True, 300.0, 30.0),
     "n_devices must be an integer; got bool"),
    (lambda: topology.drop_devices(0, np.zeros((1, 2)), 5, 300.0, 30.0), "rng must be a numpy.random.Generator"),
])
def test_wrong_types_are_type_errors(call, match):
    with pytest.raises(TypeError, match=match):
        call()
