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


# ------------------------------------------------------------------------------------------------
# Boundaries and branches: exact edges, ties, both SER models, closed forms typed independently
# ------------------------------------------------------------------------------------------------

def test_code_rate_one_and_d_free_edges():
    # c = 1 is inside (0, 1]; d_free must be finite and > 0
    assert link.coding_gain(1.0, 5) == 5.0
    assert link.spectral_efficiency(16, 1.0) == 4.0
    s = 2.0
    f = 2 * (1 - 1 / 4) * stats.norm.sf(math.sqrt(3 * 5.0 * 4 * s / 15))
    assert link.throughput_bits(s, 16, 1.0, 5, 10) == pytest.approx(4 * (1 - f) ** 10 * 10, rel=1e-12)
    for bad in (0.0, -1.0, np.inf, np.nan):
        with pytest.raises(ValueError, match="d_free"):
            link.coding_gain(0.5, bad)
    with pytest.raises(ValueError, match="n_symbols"):
        link.throughput_bits(1.0, 4, 0.5, 10, np.inf)


@pytest.mark.parametrize("m", [2, 4, 16, 64, 256])
def test_throughput_with_the_exact_ser_model_closed_form(m):
    """ser_model='exact' evaluates the exact SER at G * sinr (not at sinr, not with Eq. 17's log2 M)."""
    s, c, d, n = units.db_to_linear(9.0), 0.75, 5, 200
    gs = c * d * s
    if m == 2:
        ser = stats.norm.sf(math.sqrt(2 * gs))
    else:
        p = 2 * (1 - 1 / math.sqrt(m)) * stats.norm.sf(math.sqrt(3 * gs / (m - 1)))
        ser = 1 - (1 - p) ** 2
    expected = c * math.log2(m) * (1 - ser) ** n * n
    assert link.throughput_bits(s, m, c, d, n, "exact") == pytest.approx(expected, rel=1e-9)


def test_modulation_names_and_a_full_mcs_row():
    assert [link.modulation_name(m) for m in (2, 4, 16, 64, 256)] == ["BPSK", "QPSK", "16QAM", "64QAM", "256QAM"]
    row = link.mcs_table(NET).iloc[11]                       # last pair: 64QAM, rate 5/6, d_free 4
    assert (row.mcs, row.modulation_order, row.rate_label, row.d_free) == ("64QAM 5/6", 64, "5/6", 4)
    assert row.coding_gain == pytest.approx(5 / 6 * 4, rel=1e-15)
    assert row.spectral_efficiency == pytest.approx(5.0, rel=1e-15)
    assert row.peak_bits == pytest.approx(5.0 * NET.n_symbols, rel=1e-15)
    first = link.mcs_table(NET).iloc[0]
    assert (first.mcs, first.spectral_efficiency, first.peak_bits) == ("BPSK 1/2", 0.5, 0.5 * NET.n_symbols)


def _duck_config(modulation_orders, code_rates, d_free, n_symbols):
    """The four fields mcs_table/best_mcs read. NetworkConfig rejects repeated code rates, which is the
    only way to build two pairs with bit-identical throughput curves (an exact tie at every SINR)."""
    from types import SimpleNamespace

    return SimpleNamespace(modulation_orders=modulation_orders, code_rates=code_rates, d_free=d_free,
                           n_symbols=n_symbols)


def test_best_mcs_ties_go_to_the_lower_index():
    tied = _duck_config((4,), (0.5, 0.5), (10, 10), 100)
    s = units.db_to_linear(np.array([-5.0, 0.0, 5.0, 20.0]))
    idx, best = link.best_mcs(s, tied)
    np.testing.assert_array_equal(idx, 0)
    np.testing.assert_allclose(best, link.throughput_bits(s, 4, 0.5, 10, 100), rtol=0)
    # where every pair's throughput underflows to exactly 0, the tie also goes to index 0
    idx0, best0 = link.best_mcs(0.0, dataclasses.replace(NET, n_symbols=2000))
    assert int(idx0) == 0 and float(best0) == 0.0
    th = link.mcs_switching_thresholds(tied, sinr_db_range=(-10.0, 10.0), step_db=0.5)
    assert th.best_from_db.tolist()[0] == -np.inf and th.best_until_db.tolist()[0] == np.inf
    assert np.isnan(th.best_from_db[1]) and np.isnan(th.best_until_db[1])


def test_switching_thresholds_chain_and_open_ends():
    th = link.mcs_switching_thresholds(NET)
    used = th.dropna(subset=["best_from_db"]).sort_values("best_from_db")
    assert used.best_from_db.iloc[0] == -np.inf and used.best_until_db.iloc[-1] == np.inf
    assert np.isfinite(used.best_from_db.iloc[1:]).all() and np.isfinite(used.best_until_db.iloc[:-1]).all()
    # each pair stops exactly where the next one starts
    np.testing.assert_array_equal(used.best_until_db.to_numpy()[:-1], used.best_from_db.to_numpy()[1:])
    # the refined threshold is a root of the throughput difference of the two pairs
    for a, b in zip(used.itertuples(), used.iloc[1:].itertuples()):
        s = units.db_to_linear(a.best_until_db)
        ta = link.throughput_bits(s, a.modulation_order, a.code_rate, a.d_free, NET.n_symbols)
        tb = link.throughput_bits(s, b.modulation_order, b.code_rate, b.d_free, NET.n_symbols)
        assert ta == pytest.approx(tb, rel=1e-9)


def test_switching_thresholds_skip_the_range_where_every_throughput_underflows():
    """With N_p = 2000 every pair's throughput is exactly 0 below about -30 dB; that part of the grid
    must not name a 'best' pair (argmax of zeros would pick BPSK 1/2)."""
    long_packets = dataclasses.replace(NET, n_symbols=2000)
    assert float(link.best_mcs(units.db_to_linear(-60.0), long_packets)[1]) == 0.0
    th = link.mcs_switching_thresholds(long_packets, sinr_db_range=(-60.0, 40.0), step_db=0.05)
    assert (th.best_from_db == -np.inf).sum() == 1
    lowest = th[th.best_from_db == -np.inf].iloc[0]
    assert lowest.modulation_order == 4                     # QPSK 1/2: Eq. 17 gives BPSK no edge over QPSK
    assert th[th.modulation_order == 2].best_from_db.isna().all()


@pytest.mark.parametrize("g", [1.0, 5.0])
def test_sinr_at_ser_inverts_the_bpsk_closed_form(g):
    # Q(sqrt(2 G s)) = t  <=>  s = Q^{-1}(t)^2 / (2 G), for both SER models (they agree for BPSK)
    for t in (0.3, 1e-3, 1e-9):
        expected = stats.norm.isf(t) ** 2 / (2 * g)
        assert link.sinr_at_ser(t, 2, g) == pytest.approx(expected, rel=1e-8)
        assert link.sinr_at_ser(t, 2, g, "exact") == pytest.approx(expected, rel=1e-8)


def test_sinr_at_ser_and_fraction_reject_their_edges():
    for bad in (0.5, 1e-300, 0.0, 0.7):
        with pytest.raises(ValueError, match="target_ser"):
            link.sinr_at_ser(bad, 16)
    assert link.sinr_at_ser(0.4999, 16) > 0                    # just inside the open interval
    with pytest.raises(ValueError, match="ser_model"):
        link.sinr_at_ser(1e-3, 16, ser_model="paper")
    for bad in (0.0, 1.0, -0.1):
        with pytest.raises(ValueError, match="fraction"):
            link.sinr_at_throughput_fraction(bad, NET)
    with pytest.raises(ValueError, match="ser_model"):
        link.best_mcs(1.0, NET, "paper")
