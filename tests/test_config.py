"""config.py: paper defaults, validation of every field, metadata for the Assumptions page."""

import dataclasses
import math

import numpy as np
import pytest

from multirat import config
from multirat.config import DQNConfig, NetworkConfig, TrainingConfig

ALL = (NetworkConfig, DQNConfig, TrainingConfig)


def test_defaults_are_valid_and_frozen():
    for cls in ALL:
        cfg = cls()
        field = dataclasses.fields(cfg)[0]
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(cfg, field.name, getattr(cfg, field.name))


INVALID = [
    (NetworkConfig, "p_min_dbm", 35.0, "p_max_dbm"),          # P_min > P_max
    (NetworkConfig, "p_min_dbm", 30.0, "p_max_dbm"),          # P_min = P_max
    (NetworkConfig, "p_min_dbm", 26.0, "Eq. (25)"),           # above P_max/(|P|-1): grid not increasing
    (NetworkConfig, "p_max_dbm", 90.0, "[-30, 60]"),
    (NetworkConfig, "n_aps", 0, "[1, 64]"),
    (NetworkConfig, "n_aps", -3, "[1, 64]"),
    (NetworkConfig, "n_aps", 2.5, "not an integer"),
    (NetworkConfig, "n_devices", -1, "[1, 10000]"),
    (NetworkConfig, "n_rrbs", 0, "[1, 10000]"),
    (NetworkConfig, "n_symbols", 0, "[1, 11520000]"),
    (NetworkConfig, "n_symbols", 10**12, "[1, 11520000]"),
    (NetworkConfig, "n_symbols", 4000, "rrb_bandwidth_hz x slot_s = 3600"),
    (NetworkConfig, "n_power_levels", 1, "[2, 64]"),
    (NetworkConfig, "phi", -1.5, "(-1, 100]"),
    (NetworkConfig, "phi", -1.0, "(-1, 100]"),
    (NetworkConfig, "phi", float("nan"), "not finite"),
    (NetworkConfig, "phi_spread", -0.1, "[0, 100]"),
    (NetworkConfig, "phi_spread", float("nan"), "not finite"),
    (NetworkConfig, "block_shadowing_std_db", (4.0, -1.0), "each [0, 40]"),
    (NetworkConfig, "block_shadowing_std_db", (4.0, 40.5), "each [0, 40]"),
    (NetworkConfig, "block_phi", (0.0, -1.0), "each (-1, 100]"),
    (NetworkConfig, "block_phi", (), "non-empty"),
    (NetworkConfig, "block_episodes", -1, "[0, 1000000]"),
    (NetworkConfig, "sigma_rt", -0.01, "[0, 1]"),
    (NetworkConfig, "shadowing_std_db", -4.0, "[0, 20]"),
    (NetworkConfig, "doppler_hz", -1.0, "[0, 50000]"),
    (NetworkConfig, "doppler_hz", 1e9, "[0, 50000]"),
    (NetworkConfig, "doppler_hz", 22.0, "f_d T_s = 0.44 must be <= 0.423"),
    (NetworkConfig, "slot_s", 0.0, "(0, 1]"),
    (NetworkConfig, "slot_s", 1e6, "(0, 1]"),
    (NetworkConfig, "rrb_bandwidth_hz", -180e3, "[1, 1.152e+07]"),
    (NetworkConfig, "ap_spacing_m", -600.0, "(20, inf)"),
    (NetworkConfig, "ap_spacing_m", 1.0, "(20, inf)"),
    (NetworkConfig, "ap_spacing_m", 329.0, "coverage_radius_m + exclusion_radius_m = 330"),
    (NetworkConfig, "noise_psd_dbm_hz", -20.0, "[-200, -100]"),
    (NetworkConfig, "noise_figure_db", -3.0, "[0, 30]"),
    (NetworkConfig, "speed_of_light_m_s", 1.0, "[2.9e+08, 3e+08]"),
    (NetworkConfig, "aci_neighbours", -1, "[0, 8]"),
    (NetworkConfig, "fc_hz", 0.3e9, "[5e+08, 1e+11]"),
    (NetworkConfig, "h_ut_m", 1.0, "[1.5, 22.5]"),
    (NetworkConfig, "h_ap_m", 1.0, "(1, 150]"),
    (NetworkConfig, "exclusion_radius_m", 5.0, "[10, 5000)"),
    (NetworkConfig, "exclusion_radius_m", 300.0, "coverage_radius_m"),
    (NetworkConfig, "coverage_radius_m", 0.0, "(10, 5000]"),
    (NetworkConfig, "coverage_radius_m", 6000.0, "(10, 5000]"),
    (NetworkConfig, "modulation_orders", (2, 8), "not a known modulation order"),
    (NetworkConfig, "modulation_orders", (4, 32), "not a known modulation order"),
    (NetworkConfig, "modulation_orders", (16, 4), "strictly increasing"),
    (NetworkConfig, "modulation_orders", (), "non-empty"),
    (NetworkConfig, "code_rates", (0.5, 1.2, 0.9), "(0, 1]"),
    (NetworkConfig, "code_rates", (0.0, 0.5, 0.75), "(0, 1]"),
    (NetworkConfig, "d_free", (10, 5), "one entry per code rate"),
    (NetworkConfig, "d_free", (10, 0, 4), "[1, 100]"),
    (NetworkConfig, "aclr_db", (45.0,), "aci_neighbours"),
    (NetworkConfig, "acs_db", (33.0, -1.0), "[0, 100]"),
    (NetworkConfig, "pf_alpha", 1.5, "[0, 1]"),
    (NetworkConfig, "power_grid", "log", "'eq25', 'linear', 'db'"),
    (NetworkConfig, "rrb_placement", "random", "'contiguous', 'spread'"),
    (NetworkConfig, "aci_source", "all", "'other_ap', 'any'"),
    (NetworkConfig, "ser_model", "awgn", "'eq17', 'exact'"),
    (NetworkConfig, "path_loss_model", "friis", "'eq4', 'linear_average', 'random_los'"),
    (NetworkConfig, "hwi_basis", "rrb", "'ap_total', 'ap_mean', 'own'"),
    (NetworkConfig, "slots_per_episode", 0, "[1, 1000000]"),
    (NetworkConfig, "slots_per_episode", 10**9, "[1, 1000000]"),
    (NetworkConfig, "slots_per_episode", 2000, "shadowing decorrelation distance"),
    (DQNConfig, "hidden_sizes", (64,), "2 entries"),
    (DQNConfig, "hidden_sizes", (64, 0), "[1, 4096]"),
    (DQNConfig, "learning_rate", 0.0, "(0, 1]"),
    (DQNConfig, "lr_decay", 1.0, "[0, 1)"),
    (DQNConfig, "discount", 1.0, "[0, 1)"),
    (DQNConfig, "replay_size", 0, "[1, inf)"),
    (DQNConfig, "batch_size", 10_000, "replay_size"),
    (DQNConfig, "target_update_steps", 0, "[1, inf)"),
    (DQNConfig, "epsilon_start", 1.2, "[0, 1]"),
    (DQNConfig, "epsilon_min", 0.9, "epsilon_start"),
    (DQNConfig, "epsilon_decay", -0.1, "[0, 1)"),
    (DQNConfig, "activation", "sigmoid", "'tanh', 'relu'"),
    (DQNConfig, "agent", "single", "'shared', 'centralized', 'factored'"),
    (DQNConfig, "optimizer", "sgd", "'rmsprop', 'adam'"),
    (DQNConfig, "decay_unit", "slot", "'episode', 'step'"),
    (DQNConfig, "loss", "l1", "'mse', 'huber'"),
    (DQNConfig, "rmsprop_smoothing", 1.0, "(0, 1)"),
    (DQNConfig, "td_target", "soft", "'max', 'double'"),
    (DQNConfig, "reward_scale", 0.0, "(0, 1e+06]"),
    (DQNConfig, "reward_scale", 2e6, "(0, 1e+06]"),
    (TrainingConfig, "episodes", 0, "[1, inf)"),
    (TrainingConfig, "z_k", 0, "[1, inf)"),
    (TrainingConfig, "z_k", 2001, "z_k=2001 must be <= episodes=2000 with scenario='proposed'"),
    (TrainingConfig, "scenario", "twin", "'physical_only', 'proposed', 'dt_only'"),
    (TrainingConfig, "block_learning", "retrain", "'continual', 'from_scratch'"),
    (TrainingConfig, "eval_drops", -2, "[1, inf)"),
    (TrainingConfig, "info_per_task", 0, "[1, inf)"),
    (TrainingConfig, "updates_per_slot", 0, "[1, inf)"),
]


@pytest.mark.parametrize("cls, name, value, expected", INVALID,
                         ids=[f"{c.__name__}.{n}={v!r}" for c, n, v, _ in INVALID])
def test_invalid_value_is_rejected_with_field_name(cls, name, value, expected):
    with pytest.raises(ValueError) as err:
        dataclasses.replace(cls(), **{name: value})
    message = str(err.value)
    assert name in message
    assert expected in message


def test_every_range_checked_field_has_an_invalid_case():
    """Each field with a numeric range or choices appears in INVALID (no unchecked field)."""
    covered = {(c, n) for c, n, _, _ in INVALID}
    for cls in ALL:
        for f in dataclasses.fields(cls):
            spec = f.metadata["spec"]
            bounded = spec.choices is not None or spec.lo is not None or spec.hi is not None
            if bounded:
                assert (cls, f.name) in covered, f"{cls.__name__}.{f.name} has no invalid-value test"


def test_valid_variants_and_coercion():
    cfg = dataclasses.replace(NetworkConfig(), n_aps=6.0, n_devices=100, modulation_orders=[2, 4, 16, 64, 256],
                              phi=-0.5, aci_neighbours=1, aclr_db=(45.0,), acs_db=(33.0,))
    assert cfg.n_aps == 6 and isinstance(cfg.n_aps, int)
    assert cfg.modulation_orders == (2, 4, 16, 64, 256)
    assert cfg.n_actions == 5 * 4 * 3
    assert len(cfg.acir_db) == 1
    assert hash(cfg) == hash(dataclasses.replace(cfg))


def test_derived_quantities():
    net = NetworkConfig()
    assert net.n_actions == 48                       # Sec. VI-B: "the DQN has a total of 48 outputs"
    assert net.noise_power_dbm == pytest.approx(-174 + 52.5527 + 9, abs=1e-3)
    assert net.acir_db == pytest.approx((32.734, 41.990), abs=1e-3)
    assert net.peak_rate_bits == pytest.approx(6 * 5 / 6 * 1000)
    assert net.carrier_bandwidth_hz == pytest.approx(18e6)


def test_profiles():
    assert set(config.PROFILES) == {"smoke", "quick", "paper"}
    net, train = config.get_profile("smoke").apply(NetworkConfig(), TrainingConfig())
    assert train.episodes < 10 and net.slots_per_episode < 10
    net, train = config.get_profile("paper").apply(NetworkConfig(), TrainingConfig())
    assert train.episodes == 2000 and net == NetworkConfig()
    for bad in ("fast", "", None):
        with pytest.raises(ValueError, match="unknown"):
            config.get_profile(bad)


def test_unknown_profile_of_any_type_is_a_value_error():
    for bad in ([], {}, 3, "Paper"):
        with pytest.raises(ValueError, match="profile=.* is unknown: allowed one of 'smoke', 'quick', 'paper'"):
            config.get_profile(bad)


@pytest.mark.parametrize("cls, name, value, allowed", [
    (NetworkConfig, "n_aps", 65, "integer in [1, 64]"),
    (NetworkConfig, "h_ap_m", 1.0, "(1, 150] m"),
    (NetworkConfig, "slot_s", 0.0, "(0, 1] s (one scheduling decision"),
    (NetworkConfig, "n_symbols", 0, "integer in [1, 11520000] symbols/packet (a packet is sent"),
    (DQNConfig, "rmsprop_smoothing", 0.0, "(0, 1)"),
    (NetworkConfig, "modulation_orders", (2, 8192), "non-empty tuple, each integer in [2, 4096], strictly increasing"),
    (NetworkConfig, "aclr_db", (45.0, -1.0), "allowed number or tuple, each [0, 100] or inf dB (0 dB = no attenuation"),
    (NetworkConfig, "acs_db", -1.0, "allowed number or tuple, each [0, 100] or inf dB (0 dB = no attenuation"),
])
def test_error_message_states_the_allowed_range(cls, name, value, allowed):
    with pytest.raises(ValueError) as err:
        dataclasses.replace(cls(), **{name: value})
    assert allowed in str(err.value)


WRONG_TYPES = [
    (NetworkConfig, "n_aps", True, "True is not a number"),
    (NetworkConfig, "n_devices", "20", "'20' is not a number"),
    (NetworkConfig, "phi", None, "None is not a number"),
    (NetworkConfig, "sigma_rt", 0.05 + 0j, "is not a number"),
    (NetworkConfig, "aclr_db", ("45", 45.0), "'45' is not a number"),
    (NetworkConfig, "modulation_orders", 4, "int is not a tuple"),
    (NetworkConfig, "power_grid", None, "allowed one of 'eq25', 'linear', 'db'"),
    (DQNConfig, "decay_unit", None, "allowed one of 'episode', 'step'"),
    (DQNConfig, "hidden_sizes", (64, "128"), "'128' is not a number"),
    (TrainingConfig, "scenario", 2, "allowed one of 'physical_only', 'proposed', 'dt_only'"),
]


@pytest.mark.parametrize("cls, name, value, expected", WRONG_TYPES,
                         ids=[f"{c.__name__}.{n}={v!r}" for c, n, v, _ in WRONG_TYPES])
def test_wrong_type_is_a_type_error_with_field_name(cls, name, value, expected):
    with pytest.raises(TypeError) as err:
        dataclasses.replace(cls(), **{name: value})
    assert str(err.value).startswith(f"{name}=") and expected in str(err.value)


# --- aclr_db / acs_db: one number stands for every adjacent-RRB offset ------------------------------

@pytest.mark.parametrize("name", ["aclr_db", "acs_db"])
@pytest.mark.parametrize("value", [45.0, 45, 0.0, 100, math.inf, np.float64(33.0), np.int64(40)])
def test_a_single_aci_attenuation_is_the_same_at_every_offset(name, value):
    from multirat.results import config_hash

    n = NetworkConfig().aci_neighbours
    cfg = dataclasses.replace(NetworkConfig(), **{name: value})
    expected = (float(value),) * n
    assert getattr(cfg, name) == expected and all(type(v) is float for v in getattr(cfg, name))
    tuple_form = dataclasses.replace(NetworkConfig(), **{name: expected})
    assert cfg == tuple_form and hash(cfg) == hash(tuple_form) and config_hash(cfg) == config_hash(tuple_form)
    assert len(cfg.acir_db) == n


def test_single_aci_attenuation_follows_aci_neighbours():
    assert NetworkConfig(aclr_db=45.0) == NetworkConfig(aclr_db=(45.0,) * NetworkConfig().aci_neighbours)
    assert NetworkConfig(aclr_db=45.0) == NetworkConfig()                       # the default is 45 dB at both
    cfg = NetworkConfig(aci_neighbours=5, aclr_db=math.inf, acs_db=40)
    assert cfg.aclr_db == (math.inf,) * 5 and cfg.acs_db == (40.0,) * 5
    assert cfg.acir_db == pytest.approx((40.0,) * 5)                            # ideal transmitter: ACIR = ACS
    assert NetworkConfig(aci_neighbours=0, aclr_db=45.0, acs_db=33.0).aclr_db == ()   # no offsets, no entries
    with pytest.raises(ValueError, match=r"aclr_db=\(45.0, 45.0\) must have aci_neighbours=3 entries .* or be one "
                                         r"number for every offset"):
        NetworkConfig(aci_neighbours=3)


@pytest.mark.parametrize("name", ["aclr_db", "acs_db"])
@pytest.mark.parametrize("value, error, message", [
    (math.nan, ValueError, "nan is not finite"), (-math.inf, ValueError, "-inf is not finite"),
    (-1.0, ValueError, "is out of range: allowed number or tuple, each [0, 100] or inf dB"),
    (100.5, ValueError, "is out of range"),
    ("45", TypeError, "str is not a number or a tuple"), (None, TypeError, "NoneType is not a number or a tuple"),
    (True, TypeError, "bool is not a number or a tuple"), (45 + 0j, TypeError, "complex is not a number or a tuple"),
])
def test_a_bad_single_aci_attenuation_names_the_field(name, value, error, message):
    with pytest.raises(error) as err:
        dataclasses.replace(NetworkConfig(), **{name: value})
    assert str(err.value).startswith(f"{name}=") and message in str(err.value)


def test_only_broadcast_fields_accept_a_single_number():
    broadcast = {f.name for f in dataclasses.fields(NetworkConfig) if f.metadata["spec"].broadcast}
    assert broadcast == {"aclr_db", "acs_db"}
    for f in dataclasses.fields(NetworkConfig):
        spec = f.metadata["spec"]
        if spec.broadcast:                                  # the length field is an integer field checked first
            length = next(g for g in dataclasses.fields(NetworkConfig) if g.name == spec.broadcast)
            assert length.metadata["spec"].integer and not length.metadata["spec"].each
            assert "number" in spec.range_text() and "single number" in spec.doc
    with pytest.raises(TypeError, match="modulation_orders=4 is invalid: int is not a tuple"):
        NetworkConfig(modulation_orders=4)
    with pytest.raises(TypeError, match="code_rates=0.5 is invalid: float is not a tuple"):
        NetworkConfig(code_rates=0.5)
