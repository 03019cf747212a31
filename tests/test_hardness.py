"""hardness.py: the Sec. VI-G search-space counts and the MIS reduction of chapter 6."""

import dataclasses
import math

import numpy as np
import pytest
from netcases import NET

from multirat import baselines as bl
from multirat import hardness as hd
from multirat import link
from multirat.env import power_levels_w


def test_mis_reduction_bounds_scaling():
    b = hd.mis_reduction_bounds(NET, coupling_ratio=3.0)
    assert b["gamma_off"] == pytest.approx(1 / 3) and b["gamma_cap"] == pytest.approx(1 / NET.sigma_rt**2)
    assert b["gamma_on"] < b["gamma_cap"] and 0 < b["delta"] < 1e-3 and 0 < b["eps"] < 1e-12
    assert b["n_max"] == math.floor(0.5 / max(b["delta"], b["eps"]))
    # a wider power range (smaller P_min) pushes gamma_on towards the HWI ceiling: delta shrinks
    wide = hd.mis_reduction_bounds(dataclasses.replace(NET, p_min_dbm=-20.0), coupling_ratio=3.0)
    assert wide["delta"] < b["delta"] and wide["n_max"] > b["n_max"]


def test_search_space_counts_sec_vi_g():
    c = hd.search_space_counts(3)
    assert (c["modulation_combinations"], c["code_rate_combinations"], c["mc_configurations"],
            c["power_vectors"], c["joint_action_vectors"]) == (64, 27, 1728, 64, 110_592)
    assert c["decomposed_link_evaluations"] == 64 * 3 * 12
    assert hd.search_space_counts(30)["joint_action_vectors"] == 48**30          # exact integers


@pytest.mark.parametrize("edges, n, alpha", [([], 3, 3), ([(0, 1), (1, 2), (2, 3)], 4, 2),
                                             ([(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)], 4, 1),
                                             ([(0, 1), (0, 2), (0, 3)], 4, 3)])
def test_mis_reduction_optimum_is_alpha_peaks(edges, n, alpha):
    adj = np.zeros((n, n), dtype=bool)
    for i, j in edges:
        adj[i, j] = adj[j, i] = True
    assert hd.independence_number(adj) == alpha
    res = bl.exhaustive_power_search(hd.mis_reduction_coupling(adj, NET), power_levels_w(NET), NET)
    assert abs(res.sum_rate_bits[0] / NET.peak_rate_bits - alpha) < 0.01
    bnd = hd.mis_reduction_bounds(NET)                                    # the proof's bounds (kappa = 3, 40 dB)
    opt = res.sum_rate_bits[0]
    assert alpha * bnd["rate_on_bits"] * (1 - 1e-12) <= opt <= alpha * bnd["rate_cap_bits"] + n * bnd["rate_off_bits"]
    on = res.rate_bits[0] > 0.5 * NET.peak_rate_bits
    assert not np.any(adj[np.ix_(on, on)])                               # the links at peak form an independent set


def test_search_space_counts_hand_values_and_other_set_sizes():
    # N = 2 with |P| = 2, |M| = 3, |C| = 5, typed by hand
    c = hd.search_space_counts(2, n_power=2, n_modulations=3, n_code_rates=5)
    assert c == {"n_links": 2, "modulation_combinations": 9, "code_rate_combinations": 25, "mc_configurations": 225,
                 "power_vectors": 4, "joint_action_vectors": 900, "bruteforce_link_evaluations": 1800,
                 "decomposed_link_evaluations": 4 * 2 * 15}
    assert hd.search_space_counts(1)["joint_action_vectors"] == 48                  # the defaults are 4, 4, 3


def test_mis_reduction_bounds_closed_form():
    # the constants typed from the formulas of the docstring, with the paper's defaults
    k, snr_db, deg = 3.0, 40.0, 3
    rho = 10 ** ((NET.p_max_dbm - NET.p_min_dbm) / 10)
    on = 1 / (NET.sigma_rt**2 + deg * k / rho + 10 ** (-snr_db / 10))
    b = hd.mis_reduction_bounds(NET, coupling_ratio=k, snr_db=snr_db, max_degree=deg)
    assert b["power_ratio"] == pytest.approx(rho, rel=1e-12) and b["gamma_on"] == pytest.approx(on, rel=1e-12)
    _, (r_on, r_off, r_cap) = link.best_mcs(np.array([on, 1 / k, 1 / NET.sigma_rt**2]), NET)
    assert b["rate_on_bits"] == pytest.approx(r_on) and b["rate_off_bits"] == pytest.approx(r_off)
    assert b["delta"] == pytest.approx(1 - r_on / r_cap) and b["eps"] == pytest.approx(r_off / r_cap)
    # max_degree 0: gamma_on loses its ACI term
    b0 = hd.mis_reduction_bounds(NET, coupling_ratio=k, snr_db=snr_db, max_degree=0)
    assert b0["gamma_on"] == pytest.approx(1 / (NET.sigma_rt**2 + 10 ** (-snr_db / 10)), rel=1e-12)


def test_mis_reduction_coupling_by_hand():
    adj = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]], dtype=bool)
    op = hd.mis_reduction_coupling(adj, NET, coupling_ratio=2.0, snr_db=30.0)
    noise = 10 ** (NET.noise_power_dbm / 10) / 1e3
    g = noise * 1e3 / (10 ** (NET.p_max_dbm / 10) / 1e3)
    np.testing.assert_allclose(op.signal_gain, np.full((1, 3), g), rtol=1e-12)
    np.testing.assert_allclose(op.aci_matrix[0], 2.0 * g * adj, rtol=1e-12)
    np.testing.assert_array_equal(op.hwi_matrix[0], np.eye(3))
    assert op.noise_w == pytest.approx(noise, rel=1e-12) and op.scheduled.all() and op.sigma_rt == NET.sigma_rt


def test_independence_number_of_known_graphs():
    def cycle(n):
        a = np.zeros((n, n), dtype=bool)
        for i in range(n):
            a[i, (i + 1) % n] = a[(i + 1) % n, i] = True
        return a
    assert [hd.independence_number(cycle(n)) for n in (3, 4, 5, 6, 7)] == [1, 2, 2, 3, 3]   # floor(n / 2)
    petersen = np.zeros((10, 10), dtype=bool)
    for i, j in [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0), (5, 7), (7, 9), (9, 6), (6, 8), (8, 5),
                 (0, 5), (1, 6), (2, 7), (3, 8), (4, 9)]:
        petersen[i, j] = petersen[j, i] = True
    assert hd.independence_number(petersen) == 4
    assert hd.independence_number(np.zeros((1, 1))) == 1


def test_invalid_inputs():
    with pytest.raises(ValueError, match="adjacency"):
        hd.mis_reduction_coupling(np.ones((3, 3)), NET)                               # self-loops
    with pytest.raises(ValueError, match="adjacency"):
        hd.mis_reduction_coupling(np.triu(np.ones((3, 3)), 1), NET)                   # not symmetric
    with pytest.raises(ValueError, match="adjacency"):
        hd.independence_number(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="N=21"):
        hd.independence_number(np.zeros((21, 21)))
    for bad in (0.0, -1.0, math.inf, math.nan):
        with pytest.raises(ValueError, match="coupling_ratio"):
            hd.mis_reduction_coupling(np.zeros((2, 2)), NET, coupling_ratio=bad)
        with pytest.raises(ValueError, match="coupling_ratio"):
            hd.mis_reduction_bounds(NET, coupling_ratio=bad)
    with pytest.raises(ValueError, match="sigma_rt"):
        hd.mis_reduction_bounds(dataclasses.replace(NET, sigma_rt=0.0))
    for bad in (-1, 1.5):
        with pytest.raises(ValueError, match="max_degree"):
            hd.mis_reduction_bounds(NET, max_degree=bad)
    with pytest.raises(TypeError, match="max_degree must be an integer; got bool"):
        hd.mis_reduction_bounds(NET, max_degree=True)
    for name in ("n_links", "n_power", "n_modulations", "n_code_rates"):
        kwargs = {"n_links": 2, name: 0}
        with pytest.raises(ValueError, match=name):
            hd.search_space_counts(**kwargs)


def test_independence_number_at_its_size_limit():
    assert hd.independence_number(np.zeros((20, 20), dtype=bool)) == 20             # N = 20 is allowed, 21 is not


def test_reduction_defaults_pinned():
    # coupling_ratio 3 and 40 dB SNR by default (chapter 6's instance)
    a = np.array([[0, 1], [1, 0]], dtype=bool)
    default, explicit = hd.mis_reduction_coupling(a, NET), hd.mis_reduction_coupling(a, NET, 3.0, 40.0)
    np.testing.assert_array_equal(default.aci_matrix, explicit.aci_matrix)
    np.testing.assert_array_equal(default.signal_gain, explicit.signal_gain)
    assert hd.mis_reduction_bounds(NET) == hd.mis_reduction_bounds(NET, 3.0, 40.0, 3)


def test_n_max_is_infinite_when_both_gaps_vanish():
    # a tiny sigma_rt, a 90 dB power range, kappa = 1e4 and 10^4 symbols per frame: the "on" rate equals
    # the cap and the "off" rate underflows to 0, so delta = eps = 0 exactly (10^4 symbols fit a 20 ms slot
    # of a 1 MHz RRB; the bounds depend on SINRs only)
    cfg = dataclasses.replace(NET, sigma_rt=1e-4, p_min_dbm=-30.0, p_max_dbm=60.0, n_symbols=10**4,
                              rrb_bandwidth_hz=1e6)
    b = hd.mis_reduction_bounds(cfg, coupling_ratio=1e4, snr_db=80.0)
    assert b["delta"] == 0.0 and b["eps"] == 0.0 and b["n_max"] == math.inf


def test_search_space_counts_log10_matches_the_exact_counts():
    for n, sizes in ((1, {}), (3, {}), (30, {}), (7, {"n_power": 2, "n_modulations": 3, "n_code_rates": 5}),
                     (4, {"n_power": 1, "n_modulations": 1, "n_code_rates": 1})):
        exact = hd.search_space_counts(n, **sizes)
        logs = hd.search_space_counts(n, **sizes, log10=True)
        assert logs["n_links"] == exact["n_links"] == n and set(logs) == set(exact)
        for key in set(exact) - {"n_links"}:
            assert logs[key] == pytest.approx(math.log10(exact[key]), rel=1e-12, abs=1e-12), key


def test_search_space_counts_exact_limit_is_4300_digits():
    n_max = hd._exact_links_max(48)
    assert n_max == 2555                                                          # the paper's 48 joint actions
    top = hd.search_space_counts(n_max)["bruteforce_link_evaluations"]
    assert len(str(top)) <= hd.EXACT_DIGITS_MAX                                  # prints
    assert 48 ** (n_max + 1) * (n_max + 1) >= 10**hd.EXACT_DIGITS_MAX             # one more link would not
    with pytest.raises(ValueError, match=r"n_links=2556 is out of range for exact counts: allowed integer in "
                                         r"\[1, 2555\] with \|P\|\|M\|\|C\| = 4 x 4 x 3 = 48"):
        hd.search_space_counts(n_max + 1)
    assert hd.search_space_counts(hd.N_LINKS_MAX, 1, 1, 1)["bruteforce_link_evaluations"] == hd.N_LINKS_MAX
    with pytest.raises(ValueError, match="too large for exact counts"):
        hd.search_space_counts(1, n_power=10**4400)
    assert hd.search_space_counts(1, n_power=10**4400, log10=True)["power_vectors"] == pytest.approx(4400.0)
    with pytest.raises(ValueError, match=r"n_links=10001 is out of range: allowed integer in \[1, 10000\]"):
        hd.search_space_counts(hd.N_LINKS_MAX + 1, log10=True)
    with pytest.raises(TypeError, match="log10 must be True or False"):
        hd.search_space_counts(3, log10=1)
