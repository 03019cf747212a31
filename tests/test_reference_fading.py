"""reference/fading.py: Zheng & Xiao's sum-of-sinusoids Clarke/Jakes simulator (chapter 2)."""

import math

import numpy as np
import pytest

from multirat import channel as ch
from multirat.reference import fading as rf


def test_reproducibility():
    t = np.arange(4) * 0.02
    s1 = rf.sum_of_sinusoids_fading(np.random.default_rng(5), t, 10.0, 7)
    s2 = rf.sum_of_sinusoids_fading(np.random.default_rng(5), t, 10.0, 7)
    np.testing.assert_array_equal(s1, s2)
    assert not np.allclose(s1, rf.sum_of_sinusoids_fading(np.random.default_rng(6), t, 10.0, 7))


@pytest.mark.parametrize("n_paths", [4, 16])
def test_sum_of_sinusoids_unit_power_and_jakes_autocorrelation(n_paths):
    # the random angle offset theta makes the ensemble autocorrelation exactly J0 for any M
    n_links, fd = 40_000, 10.0
    t = np.arange(0, 16) * 0.02
    h = rf.sum_of_sinusoids_fading(np.random.default_rng(4), t, fd, n_links, n_paths=n_paths)
    assert h.shape == (t.size, n_links)
    power = np.abs(h) ** 2
    assert np.all(np.abs(power.mean(axis=1) - 1.0) < 5 * power.std(axis=1) / math.sqrt(n_links))
    prod = h * np.conj(h[0])                                     # [T, L]: lag k = row k, origin 0
    est = prod.real.mean(axis=1)
    se = prod.real.std(axis=1) / math.sqrt(n_links)
    assert np.all(np.abs(est - ch.jakes_correlation(fd, t)) < 5 * se + 1e-12)
    with pytest.raises(ValueError, match="n_links"):
        rf.sum_of_sinusoids_fading(np.random.default_rng(0), t, fd, 0)
