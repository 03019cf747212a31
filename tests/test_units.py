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
    with pytest.raises(ValueError, match=r"out of range: allowed \[0, inf\).*-0.001 at index 1"):
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


def test_q_inverse_deep_tail_and_known_points():
    """Q^{-1} stays accurate where 1 - 2p rounds to 1 (erfcinv, not erfinv(1 - 2p))."""
    assert units.q_function_inv(0.5) == 0.0
    assert units.q_function_inv(stats.norm.sf(1.0)) == pytest.approx(1.0, rel=1e-12)
    for p in (1e-20, 1e-100, 1e-300):
        assert units.q_function_inv(p) == pytest.approx(stats.norm.isf(p), rel=1e-10)
    assert units.q_function_inv(1e-20) == pytest.approx(9.262340089798408, rel=1e-12)


def test_noise_power_rejects_any_non_positive_bandwidth_in_an_array():
    with pytest.raises(ValueError, match="bandwidth_hz"):
        units.noise_power_dbm(np.array([180e3, 0.0]))
    with pytest.raises(ValueError, match="bandwidth_hz"):
        units.noise_power_dbm(np.array([180e3, np.nan]))
    np.testing.assert_allclose(units.noise_power_dbm(np.array([1e3, 1e6]), -170.0, 3.0), [-137.0, -107.0])


def test_default_keyword_arguments():
    """noise_power_dbm defaults: the paper's N_0 = -174 dBm/Hz (Table 1) and no noise figure."""
    import inspect

    params = inspect.signature(units.noise_power_dbm).parameters
    assert params["psd_dbm_per_hz"].default == -174.0
    assert params["noise_figure_db"].default == 0.0
    assert units.noise_power_dbm(1e3) == pytest.approx(-144.0, abs=1e-12)


# --- _checks: the input checks shared by the model modules ------------------------------------

def test_checks_nonnegative():
    from multirat import _checks

    np.testing.assert_array_equal(_checks.nonnegative([0.0, 2.0], "x"), [0.0, 2.0])
    assert _checks.nonnegative(np.inf, "x") == np.inf                       # infinite allowed by default
    with pytest.raises(ValueError, match=r"x=.* is not finite: allowed \[0, inf\)"):
        _checks.nonnegative([1.0, np.inf], "x", finite=True)
    with pytest.raises(ValueError, match="x=-inf is not finite"):
        _checks.nonnegative(-np.inf, "x", finite=True)
    with pytest.raises(ValueError, match=r"x=.* is not a number \(NaN\)"):
        _checks.nonnegative([0.0, np.nan], "x", finite=True)
    with pytest.raises(ValueError, match=r"x=.* is out of range: allowed \[0, inf\).*-1e-300 at index 0"):
        _checks.nonnegative([-1e-300, 1.0], "x")
    for bad in ("1", None, True, 1j, ["a"], [1.0, None]):                   # wrong types: TypeError naming x
        with pytest.raises(TypeError, match="x must be a real number"):
            _checks.nonnegative(bad, "x")


def test_checks_positive():
    from multirat import _checks

    assert _checks.positive(5e-324, "y") == 5e-324                         # the smallest positive float
    assert _checks.positive(np.inf, "y") == np.inf
    for bad in (0.0, -1.0, [1.0, 0.0]):
        with pytest.raises(ValueError, match=r"y=.* is out of range: allowed \(0, inf\)"):
            _checks.positive(bad, "y")
    with pytest.raises(ValueError, match="y=nan is not a number"):
        _checks.positive(np.nan, "y")
    with pytest.raises(ValueError, match="y=.* is not finite"):
        _checks.positive([1.0, np.inf], "y", finite=True)
    np.testing.assert_array_equal(_checks.positive([1.0, 2.0], "y", finite=True), [1.0, 2.0])


def test_checks_positive_int():
    from multirat import _checks

    assert _checks.positive_int(1, "n") == 1
    value = _checks.positive_int(np.int64(3), "n")
    assert value == 3 and type(value) is int
    assert _checks.positive_int(4.0, "n") == 4                              # integral floats, as the configs
    for bad in (0, -2):
        with pytest.raises(ValueError, match=r"n=-?\d+ is out of range: allowed integer in \[1, inf\)"):
            _checks.positive_int(bad, "n")
    for bad in (2.5, np.nan, np.inf):
        with pytest.raises(ValueError, match="n=.* is not an integer"):
            _checks.positive_int(bad, "n")
    for bad in (True, "3", None, 1j, [1]):
        with pytest.raises(TypeError, match="n must be an integer"):
            _checks.positive_int(bad, "n")


def test_checks_real_range_and_infinities():
    from multirat import _checks

    assert _checks.real(100.0, "a", lo=0, hi=100) == 100.0                  # closed limits are inside
    with pytest.raises(ValueError, match=r"a=100.0 is out of range: allowed \[0, 100\) dB \(why\)"):
        _checks.real(100.0, "a", lo=0, hi=100, hi_open=True, unit="dB", why="why")
    assert _checks.real(np.inf, "a", lo=0, hi=100, posinf=True) == np.inf   # +inf beyond a finite range
    with pytest.raises(ValueError, match=r"a=-inf is not finite: allowed \[0, 100\] or inf"):
        _checks.real(-np.inf, "a", lo=0, hi=100, posinf=True)
    assert _checks.real(-np.inf, "a", finite=False) == -np.inf
    with pytest.raises(ValueError, match="a=.* is invalid: not a rectangular array"):
        _checks.real([[1.0], [1.0, 2.0]], "a")


def test_checks_choice_flag_generator_seed():
    from multirat import _checks

    assert _checks.choice("x", "c", ("x", "y")) == "x"
    with pytest.raises(ValueError, match="c='z' is unknown: allowed one of 'x', 'y'"):
        _checks.choice("z", "c", ("x", "y"))
    with pytest.raises(TypeError, match="c must be one of 'x', 'y'; got NoneType"):
        _checks.choice(None, "c", ("x", "y"))
    assert _checks.flag(np.bool_(True), "f") is True
    with pytest.raises(TypeError, match="f must be True or False"):
        _checks.flag(1, "f")
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        _checks.generator(0)
    assert _checks.seed(None) is None and _checks.seed(np.int64(7)) == 7
    with pytest.raises(ValueError, match=r"seed=-1 is out of range: allowed integer in \[0, 2\*\*128\)"):
        _checks.seed(-1)
    for bad in ("1", True):
        with pytest.raises(TypeError, match="seed must be None or a non-negative integer"):
            _checks.seed(bad)
    assert _checks.seed(5.0) == 5
    with pytest.raises(ValueError, match="seed=1.5 is not an integer"):
        _checks.seed(1.5)
