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
