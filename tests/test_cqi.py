"""cqi.py: the TS 36.213 CQI table, SINR -> CQI and CQI -> the paper's MCS pairs (MaxP-3GPP-MCS)."""

import dataclasses

import numpy as np
import pytest

from multirat import cqi, link, units
from multirat.config import NetworkConfig

NET = dataclasses.replace(NetworkConfig(), slots_per_episode=4)


def test_cqi_table_transcription():
    t = cqi.load_cqi_table()
    assert list(t.cqi) == list(range(16)) and t.modulation[0] == "out of range"
    q = t.iloc[1:]
    # TS 36.213 defines efficiency = log2(M) x code rate x 1024 / 1024, printed to 4 decimals
    np.testing.assert_allclose(q.efficiency, np.log2(q.modulation_order) * q.code_rate_x1024 / 1024, atol=6e-5)
    assert list(q.modulation_order) == [4] * 6 + [16] * 3 + [64] * 6
    for col in cqi.THRESHOLD_SETS.values():
        assert np.all(np.diff(q[col]) > 0)
    assert t.source.str.len().min() > 0


@pytest.mark.parametrize("name", list(cqi.THRESHOLD_SETS))
def test_sinr_to_cqi_at_and_between_thresholds(name):
    thr = cqi.load_cqi_table()[cqi.THRESHOLD_SETS[name]].to_numpy()[1:]
    at = units.db_to_linear(thr)
    np.testing.assert_array_equal(cqi.sinr_to_cqi(at, name), np.arange(1, 16))
    np.testing.assert_array_equal(cqi.sinr_to_cqi(at * (1 - 1e-9), name), np.arange(0, 15))
    np.testing.assert_array_equal(cqi.sinr_to_cqi([0.0, 1e-6, 1e9], name), [0, 0, 15])
    assert cqi.sinr_to_cqi(np.ones((2, 3)), name).shape == (2, 3)


def test_cqi_to_mcs_hand_made():
    # worked out by hand from TS 36.213 Table 7.2.3-1 and the paper's 12 pairs (index = i_m * 3 + i_c)
    expected = {"modulation_first": [0, 0, 0, 0, 0, 2, 3, 3, 5, 6, 6, 9, 9, 10, 11, 11],
                "efficiency": [0, 0, 0, 0, 0, 2, 3, 3, 5, 6, 6, 7, 8, 10, 11, 11]}
    for rule, idx in expected.items():
        np.testing.assert_array_equal(cqi.cqi_to_mcs(np.arange(16), NET, rule), idx)
    table = cqi.cqi_mcs_map(NET)
    assert table.mcs[11] == "64QAM 1/2" and table.mcs[8] == "QPSK 5/6" and table.mcs[0] == "BPSK 1/2"


@pytest.mark.parametrize("rule", cqi.CQI_RULES)
def test_cqi_mapping_never_exceeds_the_cqi_efficiency(rule):
    m = cqi.cqi_mcs_map(NET, rule).iloc[1:]
    has_lower = m.efficiency >= link.mcs_table(NET).spectral_efficiency.min()
    assert np.all(m.mcs_efficiency[has_lower] <= m.efficiency[has_lower] + 1e-12)


def test_cqi_mapping_on_a_reduced_mcs_set():
    cfg = dataclasses.replace(NET, modulation_orders=(2, 4), code_rates=(0.5,), d_free=(10,))
    idx = cqi.cqi_to_mcs(np.arange(16), cfg)
    # QPSK 1/2 (index 1) from CQI 6 on: QPSK CQIs with rate >= 1/2 and every higher CQI by efficiency
    np.testing.assert_array_equal(idx, [0] * 6 + [1] * 10)


def test_cqi_table_values_pinned():
    # TS 36.213 Table 7.2.3-1, typed from the standard: CQI 1, 7, 10, 15 (modulation, rate x 1024, efficiency)
    t = cqi.load_cqi_table().set_index("cqi")
    assert (t.loc[1, "modulation_order"], t.loc[1, "code_rate_x1024"], t.loc[1, "efficiency"]) == (4, 78, 0.1523)
    assert (t.loc[7, "modulation_order"], t.loc[7, "code_rate_x1024"], t.loc[7, "efficiency"]) == (16, 378, 1.4766)
    assert (t.loc[10, "modulation_order"], t.loc[10, "code_rate_x1024"], t.loc[10, "efficiency"]) == (64, 466, 2.7305)
    assert (t.loc[15, "modulation_order"], t.loc[15, "code_rate_x1024"], t.loc[15, "efficiency"]) == (64, 948, 5.5547)
    assert cqi.THRESHOLD_SETS == {"common": "sinr_db", "vienna_awgn": "sinr_db_vienna_awgn"}
    assert cqi.CQI_RULES == ("modulation_first", "efficiency")


def test_defaults_are_common_thresholds_and_modulation_first():
    sinr = units.db_to_linear(np.linspace(-10, 30, 81))
    np.testing.assert_array_equal(cqi.sinr_to_cqi(sinr), cqi.sinr_to_cqi(sinr, "common"))
    q = np.arange(16)
    np.testing.assert_array_equal(cqi.cqi_to_mcs(q, NET), cqi.cqi_to_mcs(q, NET, "modulation_first"))
    assert not np.array_equal(cqi.cqi_to_mcs(q, NET, "modulation_first"), cqi.cqi_to_mcs(q, NET, "efficiency"))
    assert not np.array_equal(cqi.sinr_to_cqi(sinr, "common"), cqi.sinr_to_cqi(sinr, "vienna_awgn"))


def _write_table(tmp_path, mutate):
    t = mutate(cqi.load_cqi_table())
    path = tmp_path / "cqi.csv"
    t.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t.drop(columns="source"), "columns"),
    (lambda t: t.assign(cqi=list(range(1, 17))), "CQI 0..15"),
    (lambda t: t.assign(sinr_db=np.where(t.cqi == 5, t.sinr_db.shift(1), t.sinr_db)), "strictly increasing"),  # equal
    (lambda t: t.assign(sinr_db_vienna_awgn=np.where(t.cqi == 9, np.nan, t.sinr_db_vienna_awgn)), "strictly increasing"),
])
def test_a_malformed_cqi_table_is_rejected(tmp_path, mutate, message):
    path = _write_table(tmp_path, mutate)
    with pytest.raises(ValueError, match=message):
        cqi.load_cqi_table(path)


def test_cqi_0_threshold_is_not_used_and_a_missing_file_is_clear(tmp_path):
    # CQI 0 has no threshold (out of range): any SINR below CQI 1's threshold maps to 0
    t = cqi.load_cqi_table()
    assert cqi.sinr_to_cqi(units.db_to_linear(t.sinr_db[1]) * 0.999) == 0
    with pytest.raises(FileNotFoundError, match="missing CQI table"):
        cqi.load_cqi_table(tmp_path / "nope.csv")


def test_invalid_inputs():
    with pytest.raises(ValueError, match="rule"):
        cqi.cqi_to_mcs(3, NET, rule="nearest")
    for bad in (16, -1, np.array([1.5])):
        with pytest.raises(ValueError, match="cqi"):
            cqi.cqi_to_mcs(bad, NET)
    for bad in ("3", np.array([True]), None):
        with pytest.raises(TypeError, match="cqi must be an integer"):
            cqi.cqi_to_mcs(bad, NET)
    for bad in (-1.0, np.nan):
        with pytest.raises(ValueError, match="sinr"):
            cqi.sinr_to_cqi(bad)
    with pytest.raises(ValueError, match="thresholds='nr'"):
        cqi.sinr_to_cqi(1.0, "nr")


def test_equal_thresholds_of_cqi_1_and_2_are_rejected(tmp_path):
    path = _write_table(tmp_path, lambda t: t.assign(sinr_db=np.where(t.cqi == 2, t.sinr_db[1], t.sinr_db)))
    with pytest.raises(ValueError, match="strictly increasing"):
        cqi.load_cqi_table(path)


def test_a_code_rate_equal_to_the_cqi_rate_is_kept():
    # pairs: QPSK 378/1024 (0), QPSK 756/1024 (1), 16QAM 378/1024 (2), 16QAM 756/1024 (3); CQI 7 is
    # 16QAM at exactly 378/1024, so "modulation_first" keeps pair 2 (not the equally efficient QPSK 756/1024)
    cfg = dataclasses.replace(NET, modulation_orders=(4, 16), code_rates=(378 / 1024, 756 / 1024), d_free=(10, 5))
    assert cqi.cqi_to_mcs(np.array([7]), cfg)[0] == 2


def test_an_efficiency_equal_to_the_cqi_efficiency_is_kept():
    # BPSK at rate 0.6016 has exactly CQI 4's printed efficiency 0.6016
    cfg = dataclasses.replace(NET, modulation_orders=(2,), code_rates=(0.3, 0.6016), d_free=(10, 5))
    assert cqi.cqi_to_mcs(np.array([4]), cfg, "efficiency")[0] == 1


@pytest.mark.parametrize("sets", [{}, {"modulation_orders": (4, 64), "code_rates": (0.5,), "d_free": (10,)}])
def test_the_cached_mcs_key_is_the_mcs_table(sets):
    import dataclasses

    from multirat import link
    from multirat.config import NetworkConfig

    config = dataclasses.replace(NetworkConfig(), **sets)
    table = link.mcs_table(config)
    m, c, eff = cqi._mcs_key(config)
    np.testing.assert_array_equal(m, table.modulation_order.astype(float))
    np.testing.assert_array_equal(c, table.code_rate.astype(float))
    np.testing.assert_allclose(eff, table.spectral_efficiency, rtol=1e-15)
