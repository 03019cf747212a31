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


def test_sum_of_sinusoids_formula_with_the_same_draws():
    """Zheng & Xiao's (2003) statistical model typed out term by term,
    h(t) = sqrt(2/M) sum_n exp(j psi_n) cos(w_d t cos a_n + phi), a_n = (2 pi n - pi + theta) / (4 M),
    n = 1..M, from the same draws: theta [L], phi [L], then psi [L, M], all U[-pi, pi)."""
    t = np.array([0.0, 0.013, 0.02, 0.5])
    fd, n_links, m = 37.0, 3, 5
    h = rf.sum_of_sinusoids_fading(np.random.default_rng(12), t, fd, n_links, n_paths=m)
    rng = np.random.default_rng(12)
    theta = rng.uniform(-np.pi, np.pi, n_links)
    phi = rng.uniform(-np.pi, np.pi, n_links)
    psi = rng.uniform(-np.pi, np.pi, (n_links, m))
    for link in range(n_links):
        for i, ti in enumerate(t):
            acc = 0j
            for n in range(1, m + 1):
                alpha = (2 * math.pi * n - math.pi + theta[link]) / (4 * m)
                acc += complex(math.cos(psi[link, n - 1]), math.sin(psi[link, n - 1])) * \
                    math.cos(2 * math.pi * fd * ti * math.cos(alpha) + phi[link])
            assert h[i, link] == pytest.approx(math.sqrt(2 / m) * acc, rel=1e-12, abs=1e-14)


def test_zero_doppler_is_a_frozen_channel():
    h = rf.sum_of_sinusoids_fading(np.random.default_rng(1), np.linspace(0, 10, 6), 0.0, 4)
    np.testing.assert_allclose(h, np.broadcast_to(h[0], h.shape), rtol=1e-15)
    assert rf.sum_of_sinusoids_fading(np.random.default_rng(1), 0.25, 5.0, 2).shape == (1, 2)   # scalar time


@pytest.mark.parametrize("kwargs, match", [
    (dict(times_s=np.zeros((2, 2))), "times_s"),
    (dict(times_s=[0.0, np.nan]), "times_s"),
    (dict(doppler_hz=-1.0), "doppler_hz"),
    (dict(doppler_hz=np.inf), "doppler_hz"),
    (dict(n_links=True), "n_links"),
    (dict(n_links=2.5), "n_links"),
    (dict(n_paths=0), "n_paths"),
    (dict(n_paths=False), "n_paths"),
])
def test_sum_of_sinusoids_validation(kwargs, match):
    args = dict(times_s=[0.0, 0.02], doppler_hz=10.0, n_links=2, n_paths=4) | kwargs
    with pytest.raises(ValueError, match=match):
        rf.sum_of_sinusoids_fading(np.random.default_rng(0), **args)
