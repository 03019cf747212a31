"""config.py: every default, derived quantity and profile budget, pinned to a value typed here.

The expected values are written from their sources (the paper's Tables 1-2 and Sec. VI-B, or the
documented assumption and the reference it names), never read back from the config or its metadata:
a changed default must fail here even when every model test still passes.
"""

import dataclasses
import math

import pytest

from multirat import config
from multirat.config import PROFILES, DQNConfig, NetworkConfig, Profile, TrainingConfig

# (field, default, where the value comes from)
NETWORK_DEFAULTS = [
    ("n_aps", 4, "Sec. VI-B, Fig. 4: 4 RAT APs"),
    ("n_devices", 20, "Sec. VI-B, Fig. 4: 20 IoT devices"),
    ("ap_spacing_m", 600.0, "Sec. III-A-1: 600 m between neighbouring APs"),
    ("coverage_radius_m", 300.0, "Table 1: R = 300 m"),
    ("exclusion_radius_m", 30.0, "Table 1: r = 30 m"),
    ("h_ap_m", 10.0, "Table 1: H_k = 10 m"),
    ("h_ut_m", 1.5, "Table 1: H_n = 1.5 m"),
    ("fc_hz", 6.5e9, "Table 1: 6.5 GHz"),
    ("speed_of_light_m_s", 3e8, "Table 1: 3e8 m/s"),
    ("shadowing_std_db", 4.0, "assumption: TR 38.901 UMi LoS, 4 dB"),
    ("doppler_hz", 10.0, "assumption: Nasir & Guo 2019, 10 Hz"),
    ("slot_s", 0.020, "Table 1: T_s = 20 ms"),
    ("n_rrbs", 100, "assumption: LTE 20 MHz = 100 PRBs"),
    ("rrb_bandwidth_hz", 180e3, "assumption: LTE PRB = 12 x 15 kHz"),
    ("noise_psd_dbm_hz", -174.0, "Table 1: -174 dBm/Hz"),
    ("noise_figure_db", 9.0, "assumption: typical UE noise figure 9 dB"),
    ("p_max_dbm", 30.0, "Table 1: 30 dBm"),
    ("p_min_dbm", 5.0, "Table 1: 5 dBm"),
    ("n_power_levels", 4, "Sec. VI-B: |P| = 4"),
    ("power_grid", "eq25", "Eq. (25) as printed"),
    ("modulation_orders", (2, 4, 16, 64), "Sec. VI-B / Table 3: BPSK, QPSK, 16QAM, 64QAM"),
    ("code_rates", (1 / 2, 3 / 4, 5 / 6), "Sec. VI-B: {1/2, 3/4, 5/6}"),
    ("d_free", (10, 5, 4), "assumption: K=7 (133,171) code punctured to 3/4 and 5/6 (IEEE 802.11a)"),
    ("n_symbols", 1000, "Table 1: N_p = 1000"),
    ("ser_model", "eq17", "Eq. (17) / Table 3 as printed"),
    ("path_loss_model", "eq4", "Eq. (4) as printed"),
    ("sigma_rt", 0.05, "Table 1: sigma_rt = 0.05"),
    ("phi", 0.4, "Table 1: phi = 0.4"),
    ("phi_spread", 0.0, "Eq. (11)-(12): one phi for every link (0); a spread is beyond the paper (chapter 10)"),
    ("block_episodes", 0, "a stationary network (Sec. VI-I's Z_m only in chapter 13)"),
    ("block_shadowing_std_db", (4.0, 6.0, 8.0), "Sec. VI-I: 4, 6 or 8 dB"),
    ("block_phi", (0.0, 0.4, 0.6, 0.9), "Sec. VI-I: {0, 0.4, 0.6, 0.9}"),
    ("aci_neighbours", 2, "Sec. III-B-2: RRB r+-1 and r+-2"),
    ("aclr_db", (45.0, 45.0), "assumption: BS ACLR 45 dB (TS 36.104; ECC Rep. 131 Table 10)"),
    ("acs_db", (33.0, 45.0), "assumption: UE ACS 33 / 45 dB (TS 36.101; ECC Rep. 131 Table 10)"),
    ("hwi_basis", "ap_total", "Eq. (14) as printed: the serving AP's total power"),
    ("aci_source", "other_ap", "assumption: Sec. II-A, links of a different AP"),
    ("pf_alpha", 0.1, "Table 1: alpha_r = 0.1"),
    ("rrb_placement", "contiguous", "assumption: Alg. 1 literally"),
    ("slots_per_episode", 50, "assumption: T = 50 TS (DESIGN.md)"),
]

DQN_DEFAULTS = [
    ("hidden_sizes", (64, 128), "Sec. VI-B: N_1 = 64, N_2 = 128"),
    ("activation", "tanh", "Sec. VI-B: tanh"),
    ("agent", "shared", "Sec. V-B: one shared DQN (MADRL, CTDE)"),
    ("learning_rate", 5e-3, "Table 2 / Sec. VI-B: alpha(0) = 5e-3"),
    ("lr_decay", 1e-3, "Sec. VI-B: lambda = 1e-3"),
    ("discount", 0.9, "Sec. VI-C: gamma = 0.9 (Fig. 5a)"),
    ("replay_size", 5000, "Table 2: |D| = 5000"),
    ("batch_size", 64, "Table 2: D_b = 64"),
    ("target_update_steps", 500, "Table 2: T_step = 500"),
    ("epsilon_start", 0.7, "Sec. VI-B: epsilon(0) = 0.7"),
    ("epsilon_min", 1e-2, "Sec. VI-B: epsilon_min = 10^-2"),
    ("epsilon_decay", 1e-3, "Sec. VI-B: lambda_epsilon = 10^-3"),
    ("decay_unit", "episode", "assumption: t counts episodes"),
    ("optimizer", "rmsprop", "Sec. VI-B: RMSprop"),
    ("rmsprop_smoothing", 0.99, "assumption: PyTorch RMSprop default alpha = 0.99"),
    ("loss", "mse", "Eq. (37): squared TD error"),
    ("td_target", "max", "Eq. (37): r + gamma max_a' q(s', a'; theta')"),
    ("reward_scale", 1.0, "Eq. (37): the reward in kbit/frame, unscaled"),
]

TRAINING_DEFAULTS = [
    ("episodes", 2000, "Table 2: Z = 2000"),
    ("z_k", 100, "Sec. VI-D-1 / VI-F: every 100 episodes"),
    ("scenario", "proposed", "Sec. VI-D-1: Scenario 2"),
    ("updates_per_slot", 1, "Alg. 2, lines 25-26: one gradient step per TS"),
    ("info_per_task", 1, "assumption: T_D = 1"),
    ("block_learning", "continual", "Remark 2: continual learning"),
    ("eval_drops", 50, "assumption: 50 evaluation drops"),
]

ALL_DEFAULTS = ([(NetworkConfig, *row) for row in NETWORK_DEFAULTS] + [(DQNConfig, *row) for row in DQN_DEFAULTS]
                + [(TrainingConfig, *row) for row in TRAINING_DEFAULTS])


@pytest.mark.parametrize("cls, name, expected, source", ALL_DEFAULTS,
                         ids=[f"{c.__name__}.{n}" for c, n, _, _ in ALL_DEFAULTS])
def test_default_value(cls, name, expected, source):
    value = getattr(cls(), name)
    assert type(value) is type(expected), (name, source)
    if isinstance(expected, tuple):
        assert len(value) == len(expected), source
        for v, e in zip(value, expected):
            assert type(v) is type(e) and v == pytest.approx(e, rel=1e-15, abs=0), source
    elif isinstance(expected, float):
        assert value == pytest.approx(expected, rel=1e-15, abs=0), source
    else:
        assert value == expected, source


def test_every_field_has_a_pinned_default():
    """A new field must get a row above (so its default is pinned as well)."""
    for cls, rows in ((NetworkConfig, NETWORK_DEFAULTS), (DQNConfig, DQN_DEFAULTS),
                      (TrainingConfig, TRAINING_DEFAULTS)):
        assert [f.name for f in dataclasses.fields(cls)] == [r[0] for r in rows], cls.__name__


#: The fields the paper does not give (the Assumptions page lists exactly these).
ASSUMED = {
    "NetworkConfig": {"shadowing_std_db", "doppler_hz", "n_rrbs", "rrb_bandwidth_hz", "noise_figure_db", "d_free",
                      "aclr_db", "acs_db", "aci_source", "rrb_placement", "slots_per_episode"},
    "DQNConfig": {"decay_unit", "rmsprop_smoothing"},
    "TrainingConfig": {"info_per_task", "eval_drops"},
}


def test_assumption_flags_are_exactly_the_fields_the_paper_does_not_give():
    for cls in (NetworkConfig, DQNConfig, TrainingConfig):
        flagged = {f.name for f in dataclasses.fields(cls) if f.metadata["spec"].assumption}
        assert flagged == ASSUMED[cls.__name__]
        for f in dataclasses.fields(cls):
            spec = f.metadata["spec"]
            assert spec.source.startswith("assumption:") == spec.assumption, f.name
            assert spec.doc and spec.source, f.name


# ------------------------------------------------------------------------------------------------
# Derived quantities, each from an independent hand computation
# ------------------------------------------------------------------------------------------------

def test_noise_power_by_hand():
    # -174 dBm/Hz + 10 log10(180e3 Hz) + 9 dB NF; 10 log10(180e3) = 52.55272505103306
    assert NetworkConfig().noise_power_dbm == pytest.approx(-174.0 + 52.55272505103306 + 9.0, abs=1e-12)
    assert NetworkConfig().noise_power_dbm == pytest.approx(-112.44727494896694, abs=1e-12)
    # 1 MHz, NF 0: exactly -174 + 60
    cfg = NetworkConfig(rrb_bandwidth_hz=1e6, noise_figure_db=0.0, noise_psd_dbm_hz=-170.0)
    assert cfg.noise_power_dbm == pytest.approx(-110.0, abs=1e-12)


def test_acir_by_hand():
    # 1/ACIR = 1/ACLR + 1/ACS in linear terms:
    # A_1: 1/(10^-4.5 + 10^-3.3) -> 32.734276... dB ; A_2: 1/(2 * 10^-4.5) -> 45 - 3.0103 = 41.9897 dB
    a1 = -10 * math.log10(10 ** -4.5 + 10 ** -3.3)
    assert a1 == pytest.approx(32.73427624, abs=1e-8)
    acir = NetworkConfig().acir_db
    assert len(acir) == 2
    assert acir[0] == pytest.approx(32.73427624, abs=1e-8)
    assert acir[1] == pytest.approx(45.0 - 3.010299957, abs=1e-8)
    # the 1st adjacent RRB is the one with the smaller ACS (33 dB): its ACIR is below the ACS
    assert acir[0] < 33.0 and acir[1] < 45.0


def test_n_actions_peak_rate_and_bandwidth_by_hand():
    net = NetworkConfig()
    assert net.n_actions == 4 * 4 * 3 == 48                  # |M| |P| |C|, Sec. VI-B: 48 DQN outputs
    assert net.peak_rate_bits == pytest.approx(5000.0, rel=1e-15)   # 64QAM 5/6: 6 * 5/6 * 1000
    assert net.carrier_bandwidth_hz == pytest.approx(18e6, rel=1e-15)   # 100 x 180 kHz = 20 MHz carrier less guards
    small = NetworkConfig(modulation_orders=(2, 4), code_rates=(0.5, 0.75), d_free=(10, 5), n_power_levels=3,
                          n_symbols=200, n_rrbs=3)
    assert small.n_actions == 2 * 3 * 2
    assert small.peak_rate_bits == pytest.approx(2 * 0.75 * 200, rel=1e-15)   # QPSK 3/4
    assert small.carrier_bandwidth_hz == pytest.approx(540e3, rel=1e-15)
    # the peak is a max over the MCS set, not the last modulation with the last code rate by construction
    assert NetworkConfig(code_rates=(0.25, 0.5), d_free=(12, 10)).peak_rate_bits == pytest.approx(3000.0)


def test_state_dim_is_the_six_features_of_eq21():
    assert config.STATE_DIM == 6


# ------------------------------------------------------------------------------------------------
# Profiles
# ------------------------------------------------------------------------------------------------

# name: (n_seeds, eval_drops, episodes, slots_per_episode, mc_samples)
PROFILE_BUDGETS = {
    "smoke": (1, 2, 4, 5, 20_000),
    "quick": (2, 10, 200, None, 200_000),
    "paper": (5, 50, None, None, 1_000_000),      # Table 2 budgets (Z = 2000, T default), 5 seeds
}


@pytest.mark.parametrize("name", sorted(PROFILE_BUDGETS))
def test_profile_budgets(name):
    p = config.get_profile(name)
    assert p.name == name and p.description
    assert (p.n_seeds, p.eval_drops, p.episodes, p.slots_per_episode, p.mc_samples) == PROFILE_BUDGETS[name]
    assert set(PROFILES) == set(PROFILE_BUDGETS)


def test_profile_class_defaults():
    p = Profile("x", "y", n_seeds=1, eval_drops=1)
    assert p.episodes is None and p.slots_per_episode is None and p.mc_samples == 1_000_000


@pytest.mark.parametrize("name, episodes, slots, drops", [
    ("smoke", 4, 5, 2), ("quick", 200, 50, 10), ("paper", 2000, 50, 50)])
def test_profile_apply_sets_every_budget(name, episodes, slots, drops):
    base_net = NetworkConfig(n_devices=7)
    base_train = TrainingConfig(z_k=10, eval_drops=3)
    net, train = config.get_profile(name).apply(base_net, base_train)
    assert (train.episodes, net.slots_per_episode, train.eval_drops) == (episodes, slots, drops)
    # only the budget changes
    # z_k is shortened only where the budget is shorter (smoke: Z = 4 < Z_k = 10), so that a 'proposed'
    # run still meets the physical network (TrainingConfig requires Z_k <= Z)
    assert net.n_devices == 7 and train.z_k == min(10, episodes)
    assert dataclasses.replace(net, slots_per_episode=50) == base_net
    assert dataclasses.replace(train, episodes=2000, eval_drops=3, z_k=10) == base_train
    # a None budget keeps the config's own value
    custom = TrainingConfig(episodes=123)
    assert Profile("p", "", 1, 1).apply(base_net, custom) == (base_net, dataclasses.replace(custom, eval_drops=1))
