"""config.py: every range probed exactly at its limits, and the cross-field rules at equality.

Each limit is typed here (from the field's documented range), then checked four ways: a closed limit
is accepted and the next float (or integer) beyond it is rejected; an open limit is rejected and the
next float inside it is accepted. ``math.nextafter`` makes "just outside" one ulp, so that ``<``
versus ``<=`` cannot hide.
"""

import dataclasses
import math

import numpy as np
import pytest

from multirat.config import DQNConfig, NetworkConfig, TrainingConfig
from multirat.env import NetworkEnv

INF = math.inf
# (class, field, lo, lo_open, hi, hi_open, integer, other fields that make the limit feasible)
RANGES = [
    (NetworkConfig, "n_aps", 1, False, 64, False, True, {}),
    (NetworkConfig, "n_devices", 1, False, 10_000, False, True, {}),
    (NetworkConfig, "ap_spacing_m", None, False, None, False, False, {}),      # (20, inf): see below
    (NetworkConfig, "coverage_radius_m", 10.0, True, 5000.0, False, False, {"exclusion_radius_m": 10.0,
                                                                            "ap_spacing_m": 1e4}),
    (NetworkConfig, "exclusion_radius_m", 10.0, False, 5000.0, True, False, {"coverage_radius_m": 5000.0,
                                                                             "ap_spacing_m": 1e4}),
    (NetworkConfig, "h_ap_m", 1.0, True, 150.0, False, False, {}),
    (NetworkConfig, "h_ut_m", 1.5, False, 22.5, False, False, {}),
    (NetworkConfig, "fc_hz", 0.5e9, False, 100e9, False, False, {}),
    (NetworkConfig, "speed_of_light_m_s", 2.9e8, False, 3.0e8, False, False, {}),
    (NetworkConfig, "shadowing_std_db", 0.0, False, 20.0, False, False, {}),
    (NetworkConfig, "doppler_hz", 0.0, False, 5e4, False, False, {"slot_s": 8e-6, "n_symbols": 1}),
    (NetworkConfig, "slot_s", None, False, 1.0, False, False, {"doppler_hz": 0.0, "n_symbols": 1}),  # lo 0: below
    (NetworkConfig, "n_rrbs", 1, False, 10_000, False, True, {}),
    (NetworkConfig, "rrb_bandwidth_hz", 1.0, False, 12 * 960e3, False, False, {"slot_s": 1.0, "n_symbols": 1,
                                                                               "doppler_hz": 0.0}),
    (NetworkConfig, "noise_psd_dbm_hz", -200.0, False, -100.0, False, False, {}),
    (NetworkConfig, "noise_figure_db", 0.0, False, 30.0, False, False, {}),
    (NetworkConfig, "p_max_dbm", None, False, 60.0, False, False, {}),          # lo -30: see below
    (NetworkConfig, "p_min_dbm", -30.0, False, None, False, False, {}),         # hi 60: see below
    (NetworkConfig, "n_power_levels", 2, False, 64, False, True, {}),
    (NetworkConfig, "n_symbols", 1, False, 11_520_000, False, True, {"rrb_bandwidth_hz": 12 * 960e3, "slot_s": 1.0,
                                                                     "doppler_hz": 0.0}),
    (NetworkConfig, "sigma_rt", 0.0, False, 1.0, False, False, {}),
    (NetworkConfig, "phi", -1.0, True, 100.0, False, False, {}),
    (NetworkConfig, "phi_spread", 0.0, False, 100.0, False, False, {"phi": 99.5}),
    (NetworkConfig, "block_episodes", 0, False, 10**6, False, True, {}),
    (NetworkConfig, "aci_neighbours", None, False, 8, False, True, {}),        # lo 0 needs empty ACLR/ACS: tested at the end
    (NetworkConfig, "pf_alpha", 0.0, False, 1.0, False, False, {}),
    (NetworkConfig, "slots_per_episode", 1, False, 1_000_000, False, True, {"doppler_hz": 0.0}),
    (DQNConfig, "learning_rate", 0.0, True, 1.0, False, False, {}),
    (DQNConfig, "lr_decay", 0.0, False, 1.0, True, False, {}),
    (DQNConfig, "discount", 0.0, False, 1.0, True, False, {}),
    (DQNConfig, "replay_size", 1, False, None, False, True, {"batch_size": 1}),
    (DQNConfig, "batch_size", 1, False, None, False, True, {"replay_size": 10**9}),
    (DQNConfig, "target_update_steps", 1, False, None, False, True, {}),
    (DQNConfig, "epsilon_start", 0.0, False, 1.0, False, False, {"epsilon_min": 0.0}),
    (DQNConfig, "epsilon_min", 0.0, False, 1.0, False, False, {"epsilon_start": 1.0}),
    (DQNConfig, "epsilon_decay", 0.0, False, 1.0, True, False, {}),
    (DQNConfig, "rmsprop_smoothing", 0.0, True, 1.0, True, False, {}),
    (DQNConfig, "reward_scale", 0.0, True, 1e6, False, False, {}),
    (TrainingConfig, "episodes", 1, False, None, False, True, {"z_k": 1}),
    (TrainingConfig, "z_k", 1, False, None, False, True, {}),
    (TrainingConfig, "updates_per_slot", 1, False, None, False, True, {}),
    (TrainingConfig, "info_per_task", 1, False, None, False, True, {}),
    (TrainingConfig, "eval_drops", 1, False, None, False, True, {}),
]

# aci_neighbours needs one ACLR/ACS entry per adjacent RRB
_ACI = {8: {"aclr_db": (45.0,) * 8, "acs_db": (45.0,) * 8}}


def _make(cls, extra, name, value):
    kwargs = dict(extra)
    if name == "aci_neighbours" and value in _ACI:
        kwargs.update(_ACI[value])
    if name == "n_power_levels":
        kwargs["power_grid"] = "linear"      # Eq. (25) needs P_min < P_max/(|P|-1): tested on its own below
    return cls(**{**kwargs, name: value})


def _probes(lo, lo_open, hi, hi_open, integer):
    """(value, accepted) pairs at and just beyond each finite limit."""
    out = []
    for limit, is_open, outward in ((lo, lo_open, -INF), (hi, hi_open, INF)):
        if limit is None:
            continue
        inward = -outward
        if integer:
            step = 1 if outward > 0 else -1
            out += [(limit, True), (limit + step, False)]
        elif is_open:
            out += [(limit, False), (math.nextafter(limit, inward), True)]
        else:
            out += [(limit, True), (math.nextafter(limit, outward), False)]
    return out


CASES = [(cls, name, value, ok, extra) for cls, name, lo, lo_open, hi, hi_open, integer, extra in RANGES
         for value, ok in _probes(lo, lo_open, hi, hi_open, integer)]


@pytest.mark.parametrize("cls, name, value, ok, extra", CASES,
                         ids=[f"{c.__name__}.{n}={v!r}-{'ok' if ok else 'reject'}" for c, n, v, ok, _ in CASES])
def test_range_limit(cls, name, value, ok, extra):
    if ok:
        cfg = _make(cls, extra, name, value)
        assert getattr(cfg, name) == value
    else:
        with pytest.raises(ValueError, match=rf"{name}=.*out of range"):
            _make(cls, extra, name, value)


def test_every_range_checked_scalar_is_probed():
    probed = {(c, n) for c, n, *_ in RANGES}
    for cls in (NetworkConfig, DQNConfig, TrainingConfig):
        for f in dataclasses.fields(cls):
            spec = f.metadata["spec"]
            if spec.choices is None and not spec.each:
                assert (cls, f.name) in probed, f"{cls.__name__}.{f.name}"


def test_limits_that_only_a_cross_field_rule_can_reach():
    """Where another field makes a limit unreachable, the range still rejects one ulp beyond it."""
    # AP spacing (20, inf): 20 is out of range; anything below R + r > 20 breaks the spacing rule
    with pytest.raises(ValueError, match="ap_spacing_m=20.0 is out of range"):
        NetworkConfig(ap_spacing_m=20.0)
    with pytest.raises(ValueError, match="ap_spacing_m=20.000000000000004 must be >= coverage_radius_m"):
        NetworkConfig(ap_spacing_m=math.nextafter(20.0, INF), coverage_radius_m=11.0, exclusion_radius_m=10.0)
    # the spacing rule at equality: spacing = R + r is allowed, one ulp less is not
    tight = NetworkConfig(exclusion_radius_m=10.0, coverage_radius_m=11.0, ap_spacing_m=21.0)
    assert tight.ap_spacing_m == tight.coverage_radius_m + tight.exclusion_radius_m
    with pytest.raises(ValueError, match="must be >= coverage_radius_m \\+ exclusion_radius_m = 21 m"):
        NetworkConfig(exclusion_radius_m=10.0, coverage_radius_m=11.0, ap_spacing_m=math.nextafter(21.0, 0.0))
    # slot (0, 1]: 0 is out of range; below N_p / B (>= 1 / 11.52 MHz) the packet does not fit the slot
    with pytest.raises(ValueError, match="slot_s=0.0 is out of range"):
        NetworkConfig(slot_s=0.0)
    with pytest.raises(ValueError, match="n_symbols=1 must be <= rrb_bandwidth_hz x slot_s"):
        NetworkConfig(slot_s=math.nextafter(0.0, 1.0), n_symbols=1)
    assert NetworkConfig(slot_s=1 / (12 * 960e3), n_symbols=1, rrb_bandwidth_hz=12 * 960e3).n_symbols == 1
    # coverage radius (10, 5000]: anything <= the exclusion radius breaks r < R
    with pytest.raises(ValueError, match="coverage_radius_m=10.0 is out of range"):
        NetworkConfig(coverage_radius_m=10.0)
    with pytest.raises(ValueError, match="must be < coverage_radius_m"):
        NetworkConfig(coverage_radius_m=math.nextafter(10.0, INF))
    # P_max in [-30, 60]: -30 itself breaks P_min < P_max (P_min >= -30)
    NetworkConfig(p_max_dbm=-29.0, p_min_dbm=-30.0, power_grid="linear")
    with pytest.raises(ValueError, match="p_max_dbm=.*out of range"):
        NetworkConfig(p_max_dbm=math.nextafter(-30.0, -INF), p_min_dbm=-40.0, power_grid="linear")
    with pytest.raises(ValueError, match="p_min_dbm=-30.0 must be < p_max_dbm=-30.0"):
        NetworkConfig(p_max_dbm=-30.0, p_min_dbm=-30.0, power_grid="linear")
    # P_min in [-30, 60]: 60 breaks P_min < P_max (P_max <= 60)
    with pytest.raises(ValueError, match="p_min_dbm=.*out of range"):
        NetworkConfig(p_min_dbm=math.nextafter(60.0, INF), p_max_dbm=60.0)
    with pytest.raises(ValueError, match="p_min_dbm=60.0 must be < p_max_dbm=60.0"):
        NetworkConfig(p_min_dbm=60.0, p_max_dbm=60.0, power_grid="linear")
    # aci_neighbours in [0, 8]: 1 is the smallest constructible value (0 needs empty ACLR/ACS: tested at the end), -1 is out
    assert NetworkConfig(aci_neighbours=1, aclr_db=(45.0,), acs_db=(33.0,)).acir_db == pytest.approx(
        (-10 * math.log10(10 ** -4.5 + 10 ** -3.3),), abs=1e-12)
    with pytest.raises(ValueError, match="aci_neighbours=-1 is out of range"):
        NetworkConfig(aci_neighbours=-1, aclr_db=(45.0,), acs_db=(33.0,))


# ------------------------------------------------------------------------------------------------
# Tuple fields: each element at its limits
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, ok", [
    ({"modulation_orders": (2, 4096)}, True),                          # BPSK and 4096-QAM: both limits
    ({"modulation_orders": (4, 16384)}, False),                        # 4^7 is square QAM but above 4096
    ({"modulation_orders": (1, 4)}, False),
    ({"code_rates": (1.0,), "d_free": (1,)}, True),                    # c in (0, 1]
    ({"code_rates": (math.nextafter(1.0, 2.0),), "d_free": (1,)}, False),
    ({"code_rates": (0.0,), "d_free": (1,)}, False),
    ({"code_rates": (5e-324,), "d_free": (1,)}, True),
    ({"d_free": (1, 100, 4)}, True),                                   # d_free in [1, 100]
    ({"d_free": (0, 5, 4)}, False),
    ({"d_free": (10, 101, 4)}, False),
    ({"aclr_db": (0.0, 100.0)}, True),                                 # ACLR, ACS in [0, 100] dB
    ({"aclr_db": (math.nextafter(0.0, -1.0), 45.0)}, False),
    ({"aclr_db": (45.0, math.nextafter(100.0, INF))}, False),
    ({"acs_db": (0.0, 100.0)}, True),
    ({"acs_db": (math.nextafter(0.0, -1.0), 45.0)}, False),
    ({"acs_db": (33.0, math.nextafter(100.0, INF))}, False),
])
def test_tuple_element_limits(kwargs, ok):
    if ok:
        cfg = NetworkConfig(**kwargs)
        for name, value in kwargs.items():
            assert getattr(cfg, name) == value
    else:
        with pytest.raises(ValueError, match="out of range"):
            NetworkConfig(**kwargs)


@pytest.mark.parametrize("sizes, ok", [((1, 1), True), ((4096, 4096), True), ((0, 64), False),
                                       ((64, 4097), False)])
def test_hidden_size_limits(sizes, ok):
    if ok:
        assert DQNConfig(hidden_sizes=sizes).hidden_sizes == sizes
    else:
        with pytest.raises(ValueError, match="hidden_sizes=.*out of range"):
            DQNConfig(hidden_sizes=sizes)


@pytest.mark.parametrize("kwargs", [
    {"modulation_orders": (2, 4, 4, 16)},                              # repeated neighbour
    {"modulation_orders": (4, 4)},
    {"code_rates": (0.5, 0.5, 0.75)},
    {"code_rates": (0.5, 0.75, 0.75)},
])
def test_strictly_increasing_rejects_equal_neighbours(kwargs):
    with pytest.raises(ValueError, match="strictly increasing"):
        NetworkConfig(**kwargs)


def test_d_free_need_not_increase():
    assert NetworkConfig(d_free=(4, 4, 4)).d_free == (4, 4, 4)


@pytest.mark.parametrize("kwargs, message", [
    ({"d_free": (10, 5, 4, 3)}, "one entry per code rate"),           # one too many
    ({"acs_db": (33.0,)}, "acs_db=.*aci_neighbours=2"),
    ({"acs_db": (33.0, 45.0, 50.0)}, "acs_db=.*aci_neighbours=2"),
    ({"aclr_db": (45.0, 45.0, 45.0)}, "aclr_db=.*aci_neighbours=2"),
    ({"doppler_hz": INF}, "not finite"),                               # no upper limit, but finite
    ({"n_symbols": INF}, "not finite"),
    ({"slot_s": -INF}, "not finite"),
    ({"code_rates": (0.5, float("nan"), 0.9)}, "not finite"),
])
def test_invalid_combinations(kwargs, message):
    with pytest.raises(ValueError, match=message):
        NetworkConfig(**kwargs)


def test_hidden_sizes_must_have_exactly_two_entries():
    for sizes in ((64,), (64, 128, 48)):
        with pytest.raises(ValueError, match="must have 2 entries"):
            DQNConfig(hidden_sizes=sizes)


# ------------------------------------------------------------------------------------------------
# Cross-field rules at equality
# ------------------------------------------------------------------------------------------------

def test_power_limits_at_equality():
    with pytest.raises(ValueError, match="must be < p_max_dbm"):
        NetworkConfig(p_min_dbm=30.0, p_max_dbm=30.0, power_grid="db")
    assert NetworkConfig(p_min_dbm=29.0, p_max_dbm=30.0, power_grid="db").p_min_dbm == 29.0


def test_eq25_grid_limit_at_equality():
    """Eq. (25) needs P_min < P_max/(|P|-1): equality gives two equal levels and is rejected."""
    # P_max = 30 dBm = 1 W, |P| = 2: P_max/(|P|-1) = 1 W, so P_min must be < 30 dBm anyway; use |P| = 11
    # with P_max = 40 dBm = 10 W: the first step is exactly 1 W = 30 dBm
    with pytest.raises(ValueError, match=r"power_grid='eq25'.*30.00 dBm"):
        NetworkConfig(p_max_dbm=40.0, n_power_levels=11, p_min_dbm=30.0)
    ok = NetworkConfig(p_max_dbm=40.0, n_power_levels=11, p_min_dbm=29.99)
    assert ok.p_min_dbm == 29.99
    # the same P_min is fine on the other grids (uniform from P_min)
    for grid in ("linear", "db"):
        assert NetworkConfig(p_max_dbm=40.0, n_power_levels=11, p_min_dbm=30.0, power_grid=grid).p_min_dbm == 30.0
    # the default |P| = 4: P_max/3 = 1/3 W = 25.23 dBm
    with pytest.raises(ValueError, match="Eq. \\(25\\)"):
        NetworkConfig(p_min_dbm=25.23)
    assert NetworkConfig(p_min_dbm=25.22).p_min_dbm == 25.22
    # |P| = 64 at the default powers: step 1/63 W = 12.01 dBm > P_min = 5 dBm
    assert NetworkConfig(n_power_levels=64).n_power_levels == 64


def test_exclusion_radius_equal_to_coverage_radius_is_rejected():
    with pytest.raises(ValueError, match="exclusion_radius_m=300.0 must be < coverage_radius_m=300.0"):
        NetworkConfig(exclusion_radius_m=300.0, coverage_radius_m=300.0)
    assert NetworkConfig(exclusion_radius_m=299.0).exclusion_radius_m == 299.0


def test_epsilon_min_equal_to_epsilon_start_is_accepted():
    cfg = DQNConfig(epsilon_start=0.3, epsilon_min=0.3)
    assert cfg.epsilon_min == cfg.epsilon_start == 0.3
    with pytest.raises(ValueError, match="epsilon_min=.*epsilon_start"):
        DQNConfig(epsilon_start=0.3, epsilon_min=math.nextafter(0.3, 1.0))


def test_batch_equal_to_replay_size_is_accepted():
    cfg = DQNConfig(batch_size=64, replay_size=64)
    assert cfg.batch_size == cfg.replay_size == 64
    with pytest.raises(ValueError, match="batch_size=65 must be <= replay_size=64"):
        DQNConfig(batch_size=65, replay_size=64)


# ------------------------------------------------------------------------------------------------
# Coercion
# ------------------------------------------------------------------------------------------------

def test_integral_values_are_stored_as_int_also_inside_tuples():
    cfg = NetworkConfig(modulation_orders=[2.0, 4.0, 16.0], d_free=[10.0, 5.0, 4.0], n_rrbs=50.0)
    assert cfg.modulation_orders == (2, 4, 16) and all(type(m) is int for m in cfg.modulation_orders)
    assert all(type(d) is int for d in cfg.d_free)
    assert type(cfg.n_rrbs) is int
    assert all(type(h) is int for h in DQNConfig(hidden_sizes=(64.0, 128.0)).hidden_sizes)


# ------------------------------------------------------------------------------------------------
# aci_neighbours = 0 (no ACI) needs empty ACLR and ACS tuples: a lower limit that once could not be reached
# ------------------------------------------------------------------------------------------------

def test_aci_neighbours_zero_is_constructible():
    cfg = NetworkConfig(aci_neighbours=0, aclr_db=(), acs_db=())
    assert cfg.aci_neighbours == 0 and cfg.acir_db == ()
    env = NetworkEnv(dataclasses.replace(cfg, n_aps=2, n_devices=6), n_envs=2)     # and the network runs without ACI
    env.reset(seed=0)
    _, _, _, info = env.step(np.full((2, 6), 47))
    assert np.all(info.aci_w == 0) and np.all(info.rate_bits > 0)
    with pytest.raises(ValueError, match="aclr_db=\\(\\) must have aci_neighbours=2"):
        NetworkConfig(aclr_db=(), acs_db=())
