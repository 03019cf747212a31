"""link.py: Eqs. (15)-(17), Table 3, the MCS table, best MCS and switching thresholds."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from multirat import link, units
from multirat.config import NetworkConfig

NET = NetworkConfig()
ORDERS = [2, 4, 16, 64, 256]
sinr_lin = st.floats(min_value=0.0, max_value=1e4, allow_nan=False)
order = st.sampled_from(ORDERS)
gain = st.floats(min_value=0.1, max_value=20.0)


# ------------------------------------------------------------------------------------------------
# Closed forms of Eq. (17) / Table 3, written out independently with scipy's normal survival function
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("g", [1.0, 2.5, 5.0])
@pytest.mark.parametrize("s_db", [-10.0, 0.0, 3.0, 7.5, 12.0])
def test_bpsk_row_of_table3(g, s_db):
    s = 10 ** (s_db / 10)
    expected = stats.norm.sf(math.sqrt(2 * g * s))
    assert link.symbol_error_rate(s, 2, g) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("m", [4, 16, 64])
@pytest.mark.parametrize("s_db", [-5.0, 0.0, 6.0, 15.0, 25.0])
def test_qam_rows_of_table3(m, s_db):
    s, g = 10 ** (s_db / 10), 3.75
    expected = 2 * (1 - 1 / math.sqrt(m)) * stats.norm.sf(math.sqrt(3 * g * math.log2(m) * s / (m - 1)))
    assert link.symbol_error_rate(s, m, g) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("m", ORDERS)
def test_ser_at_zero_sinr(m):
    # Q(0) = 1/2: BPSK 1/2, QAM 2(1 - 1/sqrt M) / 2
    expected = 0.5 if m == 2 else (1 - 1 / math.sqrt(m))
    assert link.symbol_error_rate(0.0, m, 5.0) == pytest.approx(expected, rel=1e-15)
    p = 1 - 1 / math.sqrt(m)
    assert link.symbol_error_rate_exact(0.0, m) == pytest.approx(0.5 if m == 2 else p * (2 - p), rel=1e-15)


def test_bpsk_and_qpsk_coincide_in_eq17():
    s = np.logspace(-2, 2, 50)
    np.testing.assert_allclose(link.symbol_error_rate(s, 2, 3.0), link.symbol_error_rate(s, 4, 3.0), rtol=1e-13)


@settings(max_examples=200, deadline=None)
@given(sinr_lin, order)
def test_eq17_with_per_bit_sinr_and_two_dimensions_is_exact(s, m):
    """Eq. (17) with G = 1 at sinr/log2(M) is one PAM dimension's error p; 1 - (1 - p)^2 is the exact SER."""
    p = link.symbol_error_rate(s / math.log2(m), m, 1.0)
    corrected = p if m == 2 else p * (2 - p)            # = 1 - (1 - p)^2 without cancellation
    exact = link.symbol_error_rate_exact(s, m)
    assert corrected == pytest.approx(exact, rel=1e-12, abs=1e-300)
    assert abs((p if m == 2 else 1 - (1 - p) ** 2) - exact) < 1e-12


@given(sinr_lin)
def test_bpsk_row_is_exact(s):
    assert link.symbol_error_rate(s, 2, 1.0) == link.symbol_error_rate_exact(s, 2)


def test_exact_ser_known_values():
    # QPSK: 2Q(sqrt(s)) - Q(sqrt(s))^2 (Proakis); 16QAM at Es/N0 = 20 dB
    q = stats.norm.sf(math.sqrt(10.0))
    assert link.symbol_error_rate_exact(10.0, 4) == pytest.approx(2 * q - q * q, rel=1e-12)
    p = 1.5 * stats.norm.sf(math.sqrt(3 * 100.0 / 15))
    assert link.symbol_error_rate_exact(100.0, 16) == pytest.approx(1 - (1 - p) ** 2, rel=1e-12)


def test_deep_tail_stays_positive_and_accurate():
    ser = link.symbol_error_rate(500.0, 64, 5.0)      # argument ~ 26.7 -> Q ~ 1e-157
    arg = math.sqrt(3 * 5.0 * 6 * 500.0 / 63)
    assert ser == pytest.approx(2 * (1 - 1 / 8) * stats.norm.sf(arg), rel=1e-10)
    assert 0 < ser < 1e-150


# ------------------------------------------------------------------------------------------------
# Eqs. (15), (16)
# ------------------------------------------------------------------------------------------------

def test_per_is_stable_for_tiny_ser():
    assert link.packet_error_rate(1e-18, 1000) == pytest.approx(1e-15, rel=1e-9)
    assert link.packet_error_rate(0.0, 1000) == 0.0
    assert link.packet_error_rate(1.0, 1000) == 1.0
    f = np.array([1e-4, 1e-3, 0.3])
    np.testing.assert_allclose(link.packet_error_rate(f, 50), 1 - (1 - f) ** 50, rtol=1e-12)


def test_throughput_closed_form():
    s = units.db_to_linear(8.0)
    g = 0.75 * 5
    f = 2 * (1 - 1 / 4) * stats.norm.sf(math.sqrt(3 * g * 4 * s / 15))
    expected = 0.75 * 4 * (1 - f) ** 1000 * 1000
    assert link.throughput_bits(s, 16, 0.75, 5, 1000) == pytest.approx(expected, rel=1e-9)
    # the peak: every pair reaches c log2(M) N_p at high SINR
    table = link.mcs_table(NET)
    peak = link.throughput_bits(1e6, table.modulation_order, table.code_rate, table.d_free, NET.n_symbols)
    np.testing.assert_allclose(peak, table.peak_bits, rtol=1e-12)
    assert peak.max() == pytest.approx(NET.peak_rate_bits)


def test_coding_gain_and_spectral_efficiency():
    np.testing.assert_allclose(link.coding_gain(np.array(NET.code_rates), np.array(NET.d_free)), [5.0, 3.75, 10 / 3])
    assert link.spectral_efficiency(64, 5 / 6) == pytest.approx(5.0)
    assert link.spectral_efficiency(2, 0.5) == pytest.approx(0.5)


@settings(max_examples=100, deadline=None)
@given(sinr_lin, st.floats(min_value=0.0, max_value=1e3), order, gain,
       st.sampled_from(list(link.SER_MODELS)))
def test_monotone_in_sinr(s, ds, m, g, model):
    s2 = s + ds
    if model == "eq17":
        f1, f2 = link.symbol_error_rate(s, m, g), link.symbol_error_rate(s2, m, g)
    else:
        f1, f2 = link.symbol_error_rate_exact(g * s, m), link.symbol_error_rate_exact(g * s2, m)
    assert f2 <= f1
    assert link.packet_error_rate(f2, 1000) <= link.packet_error_rate(f1, 1000)
    c, d = 0.75, 5
    assert link.throughput_bits(s2, m, c, d, 1000, model) >= link.throughput_bits(s, m, c, d, 1000, model)


def test_broadcasting_with_arrays_of_modulation_orders():
    s = np.logspace(-1, 2, 5)[:, None]                      # [5, 1]
    m = np.array([2, 4, 16, 64])                            # [4]
    ser = link.symbol_error_rate(s, m, 5.0)
    assert ser.shape == (5, 4)
    for j, mj in enumerate(m):
        np.testing.assert_allclose(ser[:, j], link.symbol_error_rate(s[:, 0], int(mj), 5.0), rtol=0)
    # one order per element
    mm = np.array([2, 16, 64, 4, 256])
    np.testing.assert_allclose(link.symbol_error_rate_exact(s[:, 0], mm),
                               [link.symbol_error_rate_exact(a, int(b)) for a, b in zip(s[:, 0], mm)], rtol=0)
    tput = link.throughput_bits(s, m, np.array([0.5, 0.75, 5 / 6])[:, None, None], 5, 1000)
    assert tput.shape == (3, 5, 4)


@pytest.mark.parametrize("bad", [3, 8, 32, 1, 0, -4, 4.5, np.array([4, 8])])
def test_unknown_modulation_order(bad):
    with pytest.raises(ValueError, match="modulation_order"):
        link.symbol_error_rate(1.0, bad, 1.0)
    with pytest.raises(ValueError, match="modulation_order"):
        link.symbol_error_rate_exact(1.0, bad)


def test_invalid_inputs():
    with pytest.raises(ValueError, match="sinr"):
        link.symbol_error_rate(-0.1, 4, 1.0)
    with pytest.raises(ValueError, match="sinr"):
        link.symbol_error_rate(np.array([1.0, np.nan]), 4, 1.0)
    for c in (0.0, 1.2, -0.5):
        with pytest.raises(ValueError, match="code_rate"):
            link.throughput_bits(1.0, 4, c, 5, 1000)
        with pytest.raises(ValueError, match="code_rate"):
            link.coding_gain(c, 5)
    with pytest.raises(ValueError, match="coding_gain"):
        link.symbol_error_rate(1.0, 4, 0.0)
    with pytest.raises(ValueError, match="ser"):
        link.packet_error_rate(1.5, 10)
    with pytest.raises(ValueError, match="n_symbols"):
        link.packet_error_rate(0.1, 0)
    with pytest.raises(ValueError, match="ser_model"):
        link.throughput_bits(1.0, 4, 0.5, 10, 1000, ser_model="paper")


# ------------------------------------------------------------------------------------------------
# MCS table, best MCS, thresholds
# ------------------------------------------------------------------------------------------------

def test_mcs_table_order():
    table = link.mcs_table(NET)
    assert len(table) == len(NET.modulation_orders) * len(NET.code_rates) == 12
    assert list(table["index"]) == list(range(12))
    assert table.loc[7, "mcs"] == "16QAM 3/4" and table.loc[7, "d_free"] == 5
    np.testing.assert_allclose(table.coding_gain, table.code_rate * table.d_free)


@pytest.mark.parametrize("model", link.SER_MODELS)
def test_best_mcs_matches_brute_force(model):
    table = link.mcs_table(NET)
    s = units.db_to_linear(np.linspace(-10, 30, 401))
    idx, best = link.best_mcs(s, NET, model)
    brute = np.stack([link.throughput_bits(s, r.modulation_order, r.code_rate, r.d_free, NET.n_symbols, model)
                      for r in table.itertuples()], axis=-1)
    np.testing.assert_array_equal(idx, np.argmax(brute, axis=-1))
    np.testing.assert_allclose(best, brute.max(axis=-1), rtol=0)
    assert idx.shape == s.shape and np.all(np.diff(best) >= 0)
    # 2-D input keeps its shape
    idx2, best2 = link.best_mcs(s[:400].reshape(20, 20), NET, model)
    assert idx2.shape == (20, 20)


def test_switching_thresholds_are_where_best_mcs_changes():
    th = link.mcs_switching_thresholds(NET)
    used = th.dropna(subset=["best_from_db"]).sort_values("best_from_db")
    assert np.all(np.diff(used.best_from_db.to_numpy()) > 0)
    for row in used.itertuples():
        if np.isfinite(row.best_from_db):
            below, above = link.best_mcs(units.db_to_linear(row.best_from_db + np.array([-1e-6, 1e-6])), NET)[0]
            assert above == row.index and below != row.index
    # Eq. 17 makes BPSK and QPSK equally reliable, so BPSK is never better than QPSK at the same rate
    bpsk = th[th.modulation_order == 2]
    assert bpsk.best_from_db.isna().all() and bpsk.best_until_db.isna().all()


def test_sinr_at_ser_and_throughput_fraction():
    for m in (2, 16, 64):
        for model in link.SER_MODELS:
            s = link.sinr_at_ser(1e-3, m, 2.0, model)
            f = link.symbol_error_rate(s, m, 2.0) if model == "eq17" else link.symbol_error_rate_exact(2.0 * s, m)
            assert f == pytest.approx(1e-3, rel=1e-8)
    s90 = link.sinr_at_throughput_fraction(0.9, NET)
    assert link.best_mcs(s90, NET)[1] == pytest.approx(0.9 * NET.peak_rate_bits, rel=1e-8)
    small = dataclasses.replace(NET, n_symbols=10)
    assert link.sinr_at_throughput_fraction(0.9, small) < s90      # shorter packets need less SINR
