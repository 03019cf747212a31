"""channel.py: TR 38.901 UMi path loss against ns-3's test vectors, closed forms, properties;
Gauss-Markov fading (Eq. 3) statistics; the Jakes and Gauss-Markov spectra."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special, stats

from multirat import channel as ch
from multirat.paths import data_dir

FC, H_BS, H_UT = 6.5e9, 10.0, 1.5      # the paper's Table 1
NS3 = data_dir() / "validation" / "ns3_tr38901_umi.csv"


# ------------------------------------------------------------------------------------------------
# Path loss
# ------------------------------------------------------------------------------------------------

def test_ns3_umi_street_canyon_vectors():
    vec = pd.read_csv(NS3)
    assert len(vec) == 8 and set(vec.condition) == {"LoS", "NLoS"}
    los = vec.condition == "LoS"
    args = (vec.d2d_m.to_numpy(), vec.fc_hz.to_numpy(), vec.h_bs_m.to_numpy(), vec.h_ut_m.to_numpy())
    ours = np.where(los, ch.umi_los_path_loss_db(*args), ch.umi_nlos_path_loss_db(*args))
    np.testing.assert_allclose(ours, vec.path_loss_db, rtol=0, atol=1e-3)   # ns-3 prints 4 decimals


@pytest.mark.parametrize("fc", [3.5e9, FC, 28e9])
@pytest.mark.parametrize("h_ut", [H_UT, 5.0, 12.0])
def test_independent_reimplementation(fc, h_ut):
    # plain-Python re-implementation of TR 38.901 Tables 7.4.1-1 and 7.4.2-1 (Sionna-style oracle)
    def oracle(d, los):
        d3 = math.hypot(d, H_BS - h_ut)
        dbp = 4 * (H_BS - 1) * (h_ut - 1) * fc / 3e8
        f = fc / 1e9
        pl_los = (32.4 + 21 * math.log10(d3) + 20 * math.log10(f) if d <= dbp else
                  32.4 + 40 * math.log10(d3) + 20 * math.log10(f) - 9.5 * math.log10(dbp**2 + (H_BS - h_ut) ** 2))
        if los:
            return pl_los
        return max(pl_los, 22.4 + 35.3 * math.log10(d3) + 21.3 * math.log10(f) - 0.3 * (h_ut - 1.5))

    d = np.geomspace(10, 5000, 97)
    np.testing.assert_allclose(ch.umi_los_path_loss_db(d, fc, H_BS, h_ut), [oracle(x, True) for x in d], atol=1e-10)
    np.testing.assert_allclose(ch.umi_nlos_path_loss_db(d, fc, H_BS, h_ut), [oracle(x, False) for x in d], atol=1e-10)
    p = np.array([1.0 if x <= 18 else 18 / x + math.exp(-x / 36) * (1 - 18 / x) for x in d])
    np.testing.assert_allclose(ch.umi_los_probability(d), p, rtol=1e-14)
    expected = p * [oracle(x, True) for x in d] + (1 - p) * np.array([oracle(x, False) for x in d])
    np.testing.assert_allclose(ch.umi_path_loss_db(d, fc, H_BS, h_ut), expected, atol=1e-10)


def test_breakpoint_distance_closed_form():
    assert ch.breakpoint_distance_m(6.5e9, 10.0, 1.5) == pytest.approx(4 * 9 * 0.5 * 6.5e9 / 3e8, rel=1e-15)
    assert ch.breakpoint_distance_m(5e9, 10.0, 1.5) == pytest.approx(300.0, rel=1e-15)
    assert ch.breakpoint_distance_m(5e9, 10.0, 1.5, c_m_s=299792458.0) > 300.0


@pytest.mark.parametrize("fc", [0.5e9, 3.5e9, 6.5e9, 28e9, 100e9])
@pytest.mark.parametrize("h_ut", [1.5, 5.0, 9.0])
def test_los_continuous_at_breakpoint(fc, h_ut):
    dbp = ch.breakpoint_distance_m(fc, H_BS, h_ut)
    d3 = ch.distance_3d_m(dbp, H_BS, h_ut)
    f = fc / 1e9
    pl1 = 32.4 + 21 * np.log10(d3) + 20 * np.log10(f)
    pl2 = 32.4 + 40 * np.log10(d3) + 20 * np.log10(f) - 9.5 * np.log10(dbp**2 + (H_BS - h_ut) ** 2)
    assert abs(pl1 - pl2) < 1e-9
    left, right = ch.umi_los_path_loss_db(np.array([dbp, np.nextafter(dbp, np.inf)]), fc, H_BS, h_ut)
    assert abs(right - left) < 1e-9


def test_los_probability_branches_and_continuity():
    d = np.array([0.0, 12.0, 18.0, 18.0 + 1e-9, 30.0, 100.0, 300.0, 5000.0])
    p = ch.umi_los_probability(d)
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_array_equal(p[:3], 1.0)
    assert abs(p[3] - 1.0) < 1e-9                                   # continuous at 18 m
    assert p[5] == pytest.approx(18 / 100 + math.exp(-100 / 36) * (1 - 18 / 100), rel=1e-14)   # ns-3 channel-condition test
    printed = ch.umi_los_probability(np.array([10.0, 100.0]), paper_printed=True)
    assert printed[0] > 1.0                                         # the printed branch alone exceeds 1 below 18 m
    assert printed[1] == p[5]


distances = st.floats(min_value=0.0, max_value=6000.0, allow_nan=False)


ut_heights = st.floats(1.5, 22.5).filter(lambda h: h != H_BS)   # h_UT = h_BS at d2D = 0 has d3D = 0 (rejected)


@given(distances, distances, st.sampled_from([0.5e9, 2e9, 6.5e9, 28e9]), ut_heights)
def test_path_loss_increases_with_distance(d1, d2, fc, h_ut):
    lo, hi = sorted((d1, d2))
    for fn in (ch.umi_los_path_loss_db, ch.umi_nlos_path_loss_db, ch.umi_path_loss_db,
               ch.umi_path_loss_linear_average_db):
        a, b = fn(np.array([lo, hi]), fc, H_BS, h_ut)
        assert b >= a - 1e-9, fn.__name__
    assert ch.umi_los_probability(hi) <= ch.umi_los_probability(lo) + 1e-15


@given(distances, st.sampled_from([0.5e9, 6.5e9, 60e9]), ut_heights)
def test_nlos_at_least_los_and_eq4_between(d, fc, h_ut):
    los = ch.umi_los_path_loss_db(d, fc, H_BS, h_ut)
    nlos = ch.umi_nlos_path_loss_db(d, fc, H_BS, h_ut)
    eq4 = ch.umi_path_loss_db(d, fc, H_BS, h_ut)
    lin = ch.umi_path_loss_linear_average_db(d, fc, H_BS, h_ut)
    assert nlos >= los
    assert los - 1e-9 <= lin <= eq4 + 1e-9 <= nlos + 2e-9          # Jensen: mean gain >= geometric mean


def test_broadcasting_shapes():
    d = np.linspace(20, 400, 12).reshape(3, 4)
    assert ch.umi_path_loss_db(d, FC, H_BS, H_UT).shape == (3, 4)
    h_ut = np.array([1.5, 3.0, 6.0])[:, None, None]
    assert ch.umi_nlos_path_loss_db(d, FC, H_BS, h_ut).shape == (3, 3, 4)
    fc = np.array([3.5e9, 6.5e9])[:, None, None, None]
    assert ch.umi_los_path_loss_db(d, fc, H_BS, h_ut).shape == (2, 3, 3, 4)
    assert ch.umi_los_probability(d).shape == (3, 4)
    assert ch.breakpoint_distance_m(fc, H_BS, h_ut).shape == (2, 3, 1, 1)
    assert np.ndim(ch.umi_path_loss_db(100.0, FC, H_BS, H_UT)) == 0


@pytest.mark.parametrize("fn", [ch.umi_los_path_loss_db, ch.umi_nlos_path_loss_db, ch.umi_path_loss_db,
                                ch.umi_path_loss_linear_average_db])
def test_invalid_inputs(fn):
    for bad in (-1.0, np.nan, np.inf, [50.0, -0.1]):
        with pytest.raises(ValueError, match="d2d_m"):
            fn(bad, FC, H_BS, H_UT)
    for bad_fc in (6.5, 0.4e9, 101e9, np.nan):                      # 6.5: GHz passed instead of Hz
        with pytest.raises(ValueError, match="fc_hz"):
            fn(100.0, bad_fc, H_BS, H_UT)
    with pytest.raises(ValueError, match="h_bs_m"):
        fn(100.0, FC, 1.0, H_UT)
    with pytest.raises(ValueError, match="h_ut_m"):
        fn(100.0, FC, H_BS, 0.5)
    with pytest.raises(ValueError, match="d2d_m"):
        ch.umi_los_probability(-5.0)
    with pytest.raises(ValueError, match="zero 3-D distance"):
        fn(0.0, FC, H_BS, H_BS)


def test_validity_range_extrapolates_by_default_and_raises_when_strict():
    d = np.array([5.0, 9.99, 5000.01, 8000.0])
    assert np.all(np.isfinite(ch.umi_path_loss_db(d, FC, H_BS, H_UT)))   # documented extrapolation
    for x in d:
        with pytest.raises(ValueError, match="validity range"):
            ch.umi_path_loss_db(x, FC, H_BS, H_UT, strict=True)
    ch.umi_path_loss_db(np.array([10.0, 5000.0]), FC, H_BS, H_UT, strict=True)   # edges are valid
    assert np.isfinite(ch.umi_path_loss_db(0.0, FC, H_BS, H_UT))                  # d3D = h_BS - h_UT > 0


def test_los_draw_frequency_and_state_path_loss():
    rng = np.random.default_rng(7)
    d = np.full(200_000, 60.0)
    los = ch.draw_los_state(rng, d)
    p = ch.umi_los_probability(60.0)
    assert abs(los.mean() - p) < 5 * math.sqrt(p * (1 - p) / d.size)
    pl = ch.umi_path_loss_given_state_db(los[:4], d[:4], FC, H_BS, H_UT)
    expected = np.where(los[:4], ch.umi_los_path_loss_db(60.0, FC, H_BS, H_UT), ch.umi_nlos_path_loss_db(60.0, FC, H_BS, H_UT))
    np.testing.assert_array_equal(pl, expected)


def test_large_scale_gain_and_shadowing():
    assert ch.large_scale_gain(100.0, 0.0) == pytest.approx(1e-10, rel=1e-14)
    assert ch.large_scale_gain(97.0, 3.0) == pytest.approx(1e-10, rel=1e-14)
    rng = np.random.default_rng(3)
    s = ch.shadowing_db(rng, (400_000,), 6.0)
    n = s.size
    assert abs(s.mean()) < 5 * 6.0 / math.sqrt(n)
    assert abs(s.std() - 6.0) < 5 * 6.0 / math.sqrt(2 * n)
    per_link = ch.shadowing_db(rng, (2, 3), np.array([4.0, 7.82, 0.0]))
    assert per_link.shape == (2, 3) and np.all(per_link[:, 2] == 0)
    with pytest.raises(ValueError, match="std_db"):
        ch.shadowing_db(rng, 3, -1.0)
    assert ch.channel_gain(np.array([1 + 1j]), 0.5)[0] == pytest.approx(1.0)
    assert ch.received_power_dbm(30.0, 1e-10) == pytest.approx(-70.0)


# ------------------------------------------------------------------------------------------------
# Fading
# ------------------------------------------------------------------------------------------------

def test_jakes_correlation_closed_form():
    fd = np.array([0.0, 1.0, 10.0, 19.0, 50.0, 100.0])
    np.testing.assert_allclose(ch.jakes_correlation(fd, 0.02), special.j0(2 * np.pi * fd * 0.02), rtol=1e-15)
    assert ch.jakes_correlation(10.0, 0.02) == pytest.approx(0.6425118365775732, abs=1e-12)   # J0(0.4 pi)
    assert ch.jakes_correlation(0.0, 0.02) == 1.0
    assert ch.jakes_correlation(fd[:, None], np.array([0.01, 0.02])).shape == (6, 2)
    with pytest.raises(ValueError, match="doppler_hz"):
        ch.jakes_correlation(-1.0, 0.02)
    with pytest.raises(ValueError, match="slot_s"):
        ch.jakes_correlation(10.0, np.nan)


@pytest.mark.parametrize("rho", [1.0001, -1.5, np.nan])
def test_rho_outside_unit_interval_rejected(rho):
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="rho"):
        ch.gauss_markov_step(rng, np.ones(3, dtype=complex), rho)
    with pytest.raises(ValueError, match="rho"):
        ch.gauss_markov_sequence(rng, 3, 4, rho)


def test_gauss_markov_stationary_statistics():
    rho, n_links, n_steps = 0.6425, 100_000, 12
    h = ch.gauss_markov_sequence(np.random.default_rng(2026), (n_links,), n_steps, rho)
    assert h.shape == (n_steps, n_links) and h.dtype == np.complex128
    power = np.abs(h) ** 2                                       # Exp(1): mean 1, std 1
    assert np.all(np.abs(power.mean(axis=1) - 1.0) < 5 / math.sqrt(n_links))
    for k in range(0, 6):
        prod = h[k:] * np.conj(h[: n_steps - k])                 # [n_steps - k, L]
        r = prod[0]                                              # independent over links at one origin
        se = r.real.std() / math.sqrt(n_links)
        assert abs(r.real.mean() - rho**k) < 5 * se, k
        assert abs(r.imag.mean()) < 5 * r.imag.std() / math.sqrt(n_links)
    assert stats.kstest(np.abs(h[-1]), stats.rayleigh(scale=1 / math.sqrt(2)).cdf).pvalue > 1e-3
    np.testing.assert_allclose(ch.gauss_markov_autocorrelation(rho, np.arange(-3, 4)), rho ** np.abs(np.arange(-3, 4)))


def test_gauss_markov_edge_correlations():
    rng = np.random.default_rng(1)
    h0 = ch.gauss_markov_init(rng, (5,))
    np.testing.assert_array_equal(ch.gauss_markov_step(rng, h0, 1.0), h0)        # frozen channel
    assert ch.gauss_markov_step(rng, h0, np.array([[0.0], [0.5]])).shape == (2, 5)


def test_reproducibility():
    a = ch.gauss_markov_sequence(np.random.default_rng(11), (4, 3), 5, 0.6)
    b = ch.gauss_markov_sequence(np.random.default_rng(11), (4, 3), 5, 0.6)
    c = ch.gauss_markov_sequence(np.random.default_rng(12), (4, 3), 5, 0.6)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    d1 = ch.draw_los_state(np.random.default_rng(9), np.full(50, 60.0))
    np.testing.assert_array_equal(d1, ch.draw_los_state(np.random.default_rng(9), np.full(50, 60.0)))


def test_spectra_integrate_to_unit_power():
    from scipy import integrate
    # Jakes PSD: integral of the U shape is 1 (substitution f = f_d sin u removes the edge singularity)
    val, _ = integrate.quad(lambda u: ch.jakes_psd(10.0 * np.sin(u), 10.0) * 10.0 * np.cos(u), -np.pi / 2, np.pi / 2)
    assert val == pytest.approx(1.0, abs=1e-9)
    ts, rho = 0.02, 0.6425
    for k in (0, 1, 3):   # inverse DTFT of the AR(1) spectrum gives rho^k
        val, _ = integrate.quad(lambda f: ch.gauss_markov_psd(f, rho, ts) * np.cos(2 * np.pi * f * k * ts),
                                -0.5 / ts, 0.5 / ts, limit=200)
        assert val == pytest.approx(rho**k, abs=1e-9)


def test_doppler_helpers():
    assert ch.max_doppler_hz(1.0, 6.5e9) == pytest.approx(6.5e9 / 3e8)
    assert ch.doppler_for_coherence_time_hz(0.02, "geometric_mean") == pytest.approx(0.423 / 0.02)
    assert ch.doppler_for_coherence_time_hz(0.02, "clarke_0.5") == pytest.approx(9 / (16 * np.pi * 0.02))
    with pytest.raises(ValueError, match="rule"):
        ch.doppler_for_coherence_time_hz(0.02, "nope")


# ------------------------------------------------------------------------------------------------
# Boundaries and branches
# ------------------------------------------------------------------------------------------------

def test_los_branch_is_chosen_on_the_2d_distance_just_below_the_breakpoint():
    # within 0.05 m below d'_BP the 3-D distance already exceeds d'_BP: TR 38.901 still uses PL1 there
    dbp = ch.breakpoint_distance_m(FC, H_BS, H_UT)
    d = np.array([dbp - 0.04, dbp - 0.01, dbp])
    d3 = np.hypot(d, H_BS - H_UT)
    assert np.all(d3 > dbp)
    pl1 = 32.4 + 21 * np.log10(d3) + 20 * np.log10(FC / 1e9)
    np.testing.assert_allclose(ch.umi_los_path_loss_db(d, FC, H_BS, H_UT), pl1, rtol=0, atol=1e-12)


def test_los_probability_at_exactly_18_m():
    assert ch.umi_los_probability(18.0) == 1.0
    assert ch.umi_los_probability(18.0, paper_printed=True) == 1.0        # 18/18 + e^{-1/2} (1 - 1) = 1
    assert ch.umi_los_probability(36.0) == pytest.approx(0.5 + math.exp(-1.0) * 0.5, rel=1e-15)


def test_linear_average_path_loss_closed_form():
    d = np.array([12.0, 60.0, 250.0, 900.0])
    p = np.array([1.0 if x <= 18 else 18 / x + math.exp(-x / 36) * (1 - 18 / x) for x in d])
    los = ch.umi_los_path_loss_db(d, FC, H_BS, H_UT)
    nlos = ch.umi_nlos_path_loss_db(d, FC, H_BS, H_UT)
    expected = -10 * np.log10(p * 10 ** (-los / 10) + (1 - p) * 10 ** (-nlos / 10))
    np.testing.assert_allclose(ch.umi_path_loss_linear_average_db(d, FC, H_BS, H_UT), expected, rtol=1e-14)
    assert ch.umi_path_loss_linear_average_db(12.0, FC, H_BS, H_UT) == pytest.approx(los[0], rel=1e-14)
    with pytest.raises(ValueError, match="validity range"):
        ch.umi_path_loss_linear_average_db(5.0, FC, H_BS, H_UT, strict=True)


def test_path_loss_given_state_both_states_and_strict():
    pl = ch.umi_path_loss_given_state_db(np.array([True, False]), np.array([60.0, 60.0]), FC, H_BS, H_UT)
    assert pl[0] == ch.umi_los_path_loss_db(60.0, FC, H_BS, H_UT)
    assert pl[1] == ch.umi_nlos_path_loss_db(60.0, FC, H_BS, H_UT)
    assert pl[1] > pl[0]
    with pytest.raises(ValueError, match="validity range"):
        ch.umi_path_loss_given_state_db(True, 6000.0, FC, H_BS, H_UT, strict=True)
    # below 18 m every link is LoS
    assert ch.draw_los_state(np.random.default_rng(0), np.full(1000, 18.0)).all()


def test_received_power_of_a_zero_gain_and_invalid_gain():
    assert ch.received_power_dbm(30.0, 0.0) == -np.inf
    np.testing.assert_allclose(ch.received_power_dbm(np.array([0.0, 20.0]), np.array([1.0, 1e-3])), [0.0, -10.0])
    with pytest.raises(ValueError, match="gain"):
        ch.received_power_dbm(30.0, -1e-12)


@pytest.mark.parametrize("rho", [1.0, -1.0])
def test_rho_exactly_plus_or_minus_one(rho):
    """|rho| = 1 is allowed (a frozen or sign-flipping channel: no innovation), as a float or an array."""
    rng = np.random.default_rng(3)
    h0 = ch.gauss_markov_init(rng, (4,))
    np.testing.assert_array_equal(ch.gauss_markov_step(rng, h0, rho), rho * h0)
    np.testing.assert_array_equal(ch.gauss_markov_step(rng, h0, np.array([rho])), rho * h0)
    np.testing.assert_array_equal(ch.gauss_markov_autocorrelation(np.array(rho), np.arange(-3, 4)),
                                  rho ** np.abs(np.arange(-3, 4)))
    seq = ch.gauss_markov_sequence(np.random.default_rng(3), (4,), 3, np.array(rho))
    np.testing.assert_array_equal(seq[2], seq[0])
    np.testing.assert_array_equal(seq[1], rho * seq[0])


def test_gauss_markov_step_with_rho_zero_is_a_fresh_draw():
    h = np.full(5, 100.0 + 0j)
    a = ch.gauss_markov_step(np.random.default_rng(8), h, 0.0)
    b = ch.gauss_markov_init(np.random.default_rng(8), (5,))
    np.testing.assert_allclose(a, b, rtol=1e-15)                   # CN(0, 1 - 0) innovation, old value gone


def test_gauss_markov_sequence_lengths():
    one = ch.gauss_markov_sequence(np.random.default_rng(2), 3, 1, 0.5)
    assert one.shape == (1, 3)
    np.testing.assert_array_equal(one[0], ch.gauss_markov_init(np.random.default_rng(2), (3,)))
    for bad in (0, -2, 2.5):
        with pytest.raises(ValueError, match="n_steps"):
            ch.gauss_markov_sequence(np.random.default_rng(2), 3, bad, 0.5)
    with pytest.raises(TypeError, match="n_steps must be an integer; got bool"):
        ch.gauss_markov_sequence(np.random.default_rng(2), 3, True, 0.5)


def test_spectra_closed_values_and_band_edges():
    fd = 10.0
    s = ch.jakes_psd(np.array([0.0, 5.0, -5.0, fd, -fd, 10.5, -30.0]), fd)
    np.testing.assert_allclose(s[:3], [1 / (np.pi * fd), 1 / (np.pi * fd * math.sqrt(0.75)),
                                       1 / (np.pi * fd * math.sqrt(0.75))], rtol=1e-14)
    np.testing.assert_array_equal(s[3:], 0.0)                       # |f| >= f_d: outside the U (no inf at the edge)
    with pytest.raises(ValueError, match="doppler_hz"):
        ch.jakes_psd(1.0, 0.0)
    ts, rho = 0.02, 0.6425
    # DTFT of rho^|k| at 0 Hz and at the Nyquist frequency 1/(2 T_s)
    assert ch.gauss_markov_psd(0.0, rho, ts) == pytest.approx(ts * (1 + rho) / (1 - rho), rel=1e-14)
    assert ch.gauss_markov_psd(0.5 / ts, rho, ts) == pytest.approx(ts * (1 - rho) / (1 + rho), rel=1e-14)


def test_coherence_time_must_be_positive():
    for bad in (0.0, -0.02, np.nan):
        with pytest.raises(ValueError, match="coherence_time_s"):
            ch.doppler_for_coherence_time_hz(bad)
    assert ch.max_doppler_hz(3.0, 6.5e9, c_m_s=2e8) == pytest.approx(97.5)      # v f_c / c with the c given
    with pytest.raises(ValueError, match="speed_m_s"):
        ch.max_doppler_hz(-1.0, 6.5e9)
