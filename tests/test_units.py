"""units.py: conversions and the Q-function against independent references."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from multirat import units

finite_db = st.floats(min_value=-200, max_value=200, allow_nan=False)


@given(finite_db)
def test_db_round_trip(x_db):
    assert units.linear_to_db(units.db_to_linear(x_db)) == pytest.approx(x_db, abs=1e-9)


@given(st.floats(min_value=-100, max_value=80, allow_nan=False))
def test_dbm_round_trip(p_dbm):
    assert units.watt_to_dbm(units.dbm_to_watt(p_dbm)) == pytest.approx(p_dbm, abs=1e-9)


def test_known_values():
    assert units.dbm_to_watt(30.0) == pytest.approx(1.0)
    assert units.dbm_to_watt(0.0) == pytest.approx(1e-3)
    assert units.watt_to_dbm(2.0) == pytest.approx(10 * math.log10(2000))
    assert units.db_to_linear(3.0) == pytest.approx(1.9952623149688795)
    assert units.linear_to_db(0.0) == -np.inf


def test_broadcasting():
    x = np.array([[0.0, 10.0], [20.0, 30.0]])
    assert units.db_to_linear(x).shape == (2, 2)
    np.testing.assert_allclose(units.db_to_linear(x), [[1, 10], [100, 1000]])


@pytest.mark.parametrize("fn", [units.linear_to_db, units.watt_to_dbm])
def test_negative_power_rejected(fn):
    with pytest.raises(ValueError, match=">= 0"):
        fn(np.array([1.0, -1e-3]))


def test_nan_power_rejected():
    with pytest.raises(ValueError, match="NaN"):
        units.linear_to_db(float("nan"))


def test_q_function_matches_scipy_survival_function():
    x = np.linspace(-8, 37, 1001)
    np.testing.assert_allclose(units.q_function(x), stats.norm.sf(x), rtol=1e-12, atol=0)
    assert units.q_function(0.0) == 0.5
    # deep tail without cancellation: Q(37) ~ 5.7e-300
    assert 0 < units.q_function(37.0) < 1e-298


@given(st.floats(min_value=-30, max_value=30), st.floats(min_value=0.0, max_value=5.0))
def test_q_function_decreasing(x, dx):
    assert units.q_function(x + dx) <= units.q_function(x)


@given(st.floats(min_value=1e-200, max_value=1 - 1e-12))
def test_q_inverse(p):
    assert units.q_function(units.q_function_inv(p)) == pytest.approx(p, rel=1e-9)


@pytest.mark.parametrize("p", [0.0, 1.0, -0.1, 2.0])
def test_q_inverse_domain(p):
    with pytest.raises(ValueError, match="0 < p < 1"):
        units.q_function_inv(p)


def test_combine_attenuations_is_parallel_sum():
    # 1/ACIR = 1/ACLR + 1/ACS: two equal 45 dB paths give 45 - 10 log10(2)
    assert units.combine_attenuations_db(45.0, 45.0) == pytest.approx(45 - 10 * math.log10(2))
    aclr, acs = 45.0, 33.0
    expected = 1.0 / (1.0 / 10 ** (aclr / 10) + 1.0 / 10 ** (acs / 10))
    assert units.db_to_linear(units.combine_attenuations_db(aclr, acs)) == pytest.approx(expected)
    with pytest.raises(ValueError):
        units.combine_attenuations_db()


def test_noise_power():
    # kT at 290 K is -173.98 dBm/Hz; 1 Hz, no NF gives the PSD itself
    assert units.noise_power_dbm(1.0) == pytest.approx(-174.0)
    assert units.noise_power_dbm(180e3, -174.0, 9.0) == pytest.approx(-174 + 10 * math.log10(180e3) + 9)
    with pytest.raises(ValueError, match="bandwidth_hz"):
        units.noise_power_dbm(0.0)
