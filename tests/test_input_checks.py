"""Inputs checked at every entry point (issue 9): a bad value is a ValueError, a wrong type a TypeError,
and the message names the argument.

Three parts:

* the instances users found, one test each (strict path loss, ideal filters, values the configs
  accepted silently, the seed and power messages, the benchmark's ``--n``);
* a sweep over every public entry point that takes numbers or arrays: hypothesis draws values out
  of the documented range, non-finite values where they are not allowed, and values of the wrong
  type (str, None, complex, a list of str, a boolean), for every numeric field of the configs too;
* every documented limit probed exactly: a closed limit is accepted and the next float beyond it
  rejected, an open limit rejected and the next float inside accepted.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from multirat import (
    baselines,
    bench,
    channel,
    coupling,
    cqi,
    env,
    evaluation,
    fractional,
    hardness,
    interference,
    link,
    marl,
    overhead,
    scheduling,
    topology,
    units,
)
from multirat.config import (
    DQNConfig,
    NetworkConfig,
    Profile,
    TrainingConfig,
    get_profile,
)

INF, NAN = math.inf, math.nan
NET = NetworkConfig()
SMALL = dataclasses.replace(NET, n_aps=2, n_devices=3)
H_BS, H_UT, FC = NET.h_ap_m, NET.h_ut_m, NET.fc_hz


def _env(mode: str = "physical") -> env.NetworkEnv:
    e = env.NetworkEnv(SMALL, mode=mode, n_envs=1)
    e.reset(seed=0)
    return e


ENV = _env()
COUPLING = coupling.link_coupling(ENV)
PROBLEM = fractional.sinr_coupling(ENV)
P_MIN_W, P_MAX_W = float(units.dbm_to_watt(NET.p_min_dbm)), float(units.dbm_to_watt(NET.p_max_dbm))


# ================================================================================================
# 1. The instances found by a user
# ================================================================================================

# --- strict=True applies every validity range of TR 38.901 Table 7.4.1-1 (UMi) -------------------

PATH_LOSSES = [channel.umi_los_path_loss_db, channel.umi_nlos_path_loss_db, channel.umi_path_loss_db,
               channel.umi_path_loss_linear_average_db,
               lambda *a, **k: channel.umi_path_loss_given_state_db(np.array([True, False]), *a, **k)]


@pytest.mark.parametrize("pl", PATH_LOSSES, ids=["los", "nlos", "eq4", "linear_average", "given_state"])
@pytest.mark.parametrize("d2d, h_bs, h_ut, name", [
    (5.0, 10.0, 1.5, "d2d_m"), (6000.0, 10.0, 1.5, "d2d_m"),                    # distance, 10 m - 5 km
    (100.0, 10.0, 1.2, "h_ut_m"), (100.0, 10.0, 23.0, "h_ut_m"),                # UT height, 1.5-22.5 m
    (100.0, 12.0, 1.5, "h_bs_m"), (100.0, 9.0, 1.5, "h_bs_m"),                  # BS height, exactly 10 m
])
def test_strict_path_loss_enforces_every_umi_range(pl, d2d, h_bs, h_ut, name):
    pl(d2d, FC, h_bs, h_ut)                                                     # extrapolated by default
    with pytest.raises(ValueError, match=rf"{name}=.* is out of range: .*strict=True"):
        pl(d2d, FC, h_bs, h_ut, strict=True)


@pytest.mark.parametrize("pl", PATH_LOSSES[:4])
def test_the_papers_values_pass_strict(pl):
    """h_AP = 10 m, h_UT = 1.5 m, 6.5 GHz and drops at 30-300 m (Table 1, Sec. VI-B) are inside."""
    d = np.array([NET.exclusion_radius_m, 100.0, NET.coverage_radius_m])
    np.testing.assert_array_equal(pl(d, NET.fc_hz, NET.h_ap_m, NET.h_ut_m, strict=True),
                                  pl(d, NET.fc_hz, NET.h_ap_m, NET.h_ut_m))
    pl(d, NET.fc_hz, NET.h_ap_m, NET.h_ut_m, c_m_s=NET.speed_of_light_m_s, strict=True)


def test_carrier_frequency_is_enforced_always():
    for f in (0.4e9, 101e9, 6.5):                                               # 6.5: GHz passed as Hz
        with pytest.raises(ValueError, match=r"fc_hz=.* is out of range: allowed \[5e\+08, 1e\+11\] Hz"):
            channel.umi_path_loss_db(100.0, f, H_BS, H_UT)


def test_los_probability_domain():
    assert channel.umi_los_probability(0.0) == 1.0                              # defined for d >= 0
    with pytest.raises(ValueError, match="d2d_m=0.0 is out of range.*divides by the distance"):
        channel.umi_los_probability(0.0, paper_printed=True)                    # 18/0: was NaN
    with pytest.raises(ValueError, match="d2d_m=5.0 is out of range.*strict=True"):
        channel.umi_los_probability(5.0, strict=True)
    with pytest.raises(ValueError, match="d2d_m=10.0 is out of range.*exceeds 1 below 18 m"):
        channel.umi_los_probability(10.0, paper_printed=True, strict=True)      # 1.04: not a probability
    assert channel.umi_los_probability(18.0, paper_printed=True, strict=True) == 1.0


# --- ideal filters: infinite ACLR / ACS are limits, not errors -----------------------------------

def test_infinite_aclr_and_acs_are_the_limits_of_eq10():
    acs, aclr = 33.0, 45.0
    assert interference.acir_linear(INF, acs) == units.db_to_linear(acs)        # ACIR = ACS
    assert interference.acir_linear(aclr, INF) == units.db_to_linear(aclr)      # ACIR = ACLR
    assert interference.acir_linear(INF, INF) == INF                            # no ACI at all
    # the finite formula 1/ACIR = 1/ACLR + 1/ACS approaches the limit continuously
    for big in (100.0, 200.0, 300.0):
        finite = interference.acir_linear(big, acs)
        assert finite == pytest.approx(1 / (10 ** (-big / 10) + 10 ** (-acs / 10)), rel=1e-15)
        assert finite <= interference.acir_linear(INF, acs)                     # leakage only adds
        assert finite == pytest.approx(interference.acir_linear(INF, acs), rel=2 * 10 ** ((acs - big) / 10))
        assert interference.acir_linear(acs, big) == finite                     # symmetric in ACLR and ACS
    assert interference.aci_power_w([1e-9], [1.0], [INF]) == 0.0
    for bad in (NAN, -INF):
        with pytest.raises(ValueError, match="aclr_db="):
            interference.acir_linear(bad, acs)
        with pytest.raises(ValueError, match="acs_db="):
            interference.acir_linear(aclr, bad)


@pytest.mark.parametrize("aclr, acs, expected_db", [
    ((INF, INF), (33.0, 45.0), (33.0, 45.0)),                                   # ideal transmitter: ACIR = ACS
    ((45.0, 45.0), (INF, INF), (45.0, 45.0)),                                   # ideal receiver: ACIR = ACLR
    ((INF, INF), (INF, INF), (INF, INF)),                                       # both: no ACI
])
def test_config_and_environment_accept_ideal_filters(aclr, acs, expected_db):
    cfg = dataclasses.replace(SMALL, aclr_db=aclr, acs_db=acs)
    assert cfg.acir_db == pytest.approx(expected_db, rel=1e-15)
    e = env.NetworkEnv(cfg, mode="physical", n_envs=2)
    e.reset(seed=1)
    info = e.evaluate(np.full((2, 3), 47))
    assert np.all(np.isfinite(info.sinr)) and np.all(info.rate_bits >= 0)
    if math.isinf(expected_db[0]):
        assert np.all(info.aci_w == 0)


def test_negative_infinite_attenuation_is_rejected_by_the_config():
    with pytest.raises(ValueError, match=r"aclr_db=\(-inf, 45.0\) is invalid: -inf is not finite"):
        dataclasses.replace(NET, aclr_db=(-INF, 45.0))
    with pytest.raises(ValueError, match=r"acs_db=\(nan, 45.0\) is invalid: nan is not finite"):
        dataclasses.replace(NET, acs_db=(NAN, 45.0))


def test_a_single_ideal_filter_value_sets_every_offset():
    """``aclr_db=inf`` was refused ("float is not a tuple"): one number now means every adjacent-RRB offset."""
    ideal_tx = dataclasses.replace(NET, aclr_db=INF)
    assert ideal_tx.aclr_db == (INF,) * NET.aci_neighbours
    assert ideal_tx.acir_db == pytest.approx(NET.acs_db, rel=1e-15)             # ideal transmitter: ACIR = ACS
    assert dataclasses.replace(NET, acs_db=INF).acir_db == pytest.approx(NET.aclr_db, rel=1e-15)
    assert NetworkConfig(aclr_db=45.0) == NetworkConfig(aclr_db=(45.0,) * NET.aci_neighbours)
    e = env.NetworkEnv(dataclasses.replace(SMALL, aclr_db=INF, acs_db=INF), n_envs=2)
    e.reset(seed=1)
    assert np.all(e.evaluate(np.full((2, 3), 47)).aci_w == 0)                   # no ACI at all
    for bad in (NAN, -INF, -1.0):
        for name in ("aclr_db", "acs_db"):
            with pytest.raises(ValueError, match=f"^{name}="):
                dataclasses.replace(NET, **{name: bad})


def test_acir_linear_applies_the_configs_lower_limit():
    """acir_linear(-1, 33) was accepted (a negative attenuation amplifies); the config forbids it."""
    for args, name in (((-1.0, 33.0), "aclr_db"), ((45.0, -0.5), "acs_db"), (([45.0, -3.0], 33.0), "aclr_db")):
        with pytest.raises(ValueError, match=rf"^{name}=.* is out of range: allowed \[0, inf\) dB"):
            interference.acir_linear(*args)
    assert interference.acir_linear(0.0, 0.0) == pytest.approx(interference.ACIR_MIN)   # the smallest ACIR, -3 dB
    assert interference.acir_linear(200.0, 300.0) > 0                           # no finite upper limit
    for fn in (lambda a: interference.aci_power_w([1e-9], [1.0], a),
               lambda a: interference.adjacent_channel_interference_w([0, 1], [0, 1], [1.0, 1.0], GAIN_KN, a)):
        with pytest.raises(ValueError, match=r"acir=\[0.4\] is out of range: allowed \[0.5, inf\)"):
            fn([0.4])                                                           # below ACLR = ACS = 0 dB
        fn([INF])


def test_search_space_counts_of_a_million_links_is_a_clear_error():
    """search_space_counts(10**6) died printing a 1.7-million-digit integer."""
    with pytest.raises(ValueError, match=r"n_links=1000000 is out of range: allowed integer in \[1, 10000\]"):
        hardness.search_space_counts(10**6)
    with pytest.raises(ValueError, match=r"n_links=10000 is out of range for exact counts: allowed integer in "
                                         r"\[1, 2555\] .*pass log10=True"):
        hardness.search_space_counts(10**4)
    logs = hardness.search_space_counts(10**4, log10=True)
    assert logs["joint_action_vectors"] == pytest.approx(10**4 * math.log10(48), rel=1e-15)
    exact = hardness.search_space_counts(hardness._exact_links_max(48))
    assert all(len(str(v)) <= hardness.EXACT_DIGITS_MAX for v in exact.values())   # every exact count prints


def test_jain_index_of_no_users_is_undefined():
    for empty in ([], np.zeros((4, 0))):
        with pytest.raises(ValueError, match=r"x has no users along axis=-1 .* undefined"):
            scheduling.jain_index(empty)
    assert scheduling.jain_index(np.zeros(3)) == 1.0                            # all zero: all equal (documented)
    assert scheduling.jain_index(np.zeros((0, 3))).shape == (0,)                # an empty batch of allocations


def test_physical_episode_count_is_the_printed_real_valued_factor():
    """physical_episode_count(200, 300) = 2/3 while TrainingConfig refuses z_k > episodes: the printed Eq. (38)
    factor Z/Z_k is real-valued by design (chapter 7 sweeps Z_k beyond Z); 'floor' counts Algorithm 2's episodes."""
    assert overhead.physical_episode_count(200, 300) == pytest.approx(2 / 3, rel=1e-15)
    assert overhead.physical_episode_count(200, 300, "floor") == 0
    assert "real-valued" in overhead.physical_episode_count.__doc__
    with pytest.raises(ValueError, match="z_k=300 must be <= episodes=200"):
        TrainingConfig(episodes=200, z_k=300)


def test_overhead_counts_beyond_int64_are_refused_not_wrapped():
    """int64 arithmetic wrapped around to negative counts; the exact count beyond 2**63 - 1 is now an error."""
    with pytest.raises(ValueError, match=r"exceeds the int64 range .* for episodes=1099511627776, slots=1000000"):
        overhead.overhead_physical_only(2**40, 10**6, 10**4, 64, 1, 64)
    with pytest.raises(ValueError, match=r"n_devices=4611686018427387904"):
        overhead.execution_feedback_per_slot(2**62)
    assert overhead.execution_feedback_per_slot(2**62 - 1) == 2**63 - 2       # the largest that fits
    printed = overhead.overhead_proposed(2**50, 3, 10**6, 10**4, 64, 1, 64)     # float64: no int64 limit
    assert printed.total == pytest.approx(2**50 * 10**6 * (10**4 * 71 + 128), rel=1e-12)
    assert overhead.overhead_reduction(2**50, 3, 10**6, 10**4, 64, 1, 64).over_the_air == pytest.approx(2 / 3)


def test_empty_benchmark_tables_are_refused():
    cfg = dataclasses.replace(SMALL, slots_per_episode=2)
    with pytest.raises(ValueError, match=r"cases=\[\] is empty"):
        evaluation.benchmark_table([], {"RA": lambda: baselines.RandomPolicy(0)}, cfg, 1, 0)
    with pytest.raises(ValueError, match=r"policies=\{\} is empty"):
        evaluation.benchmark_table([(1, 2)], {}, cfg, 1, 0)


def test_huge_integers_are_shown_without_converting_them():
    from multirat._checks import shown

    assert shown(10**5000) == "<int of about 5000 digits>"
    with pytest.raises(ValueError, match=r"n_power=<int of about 5000 digits> is out of range"):
        hardness.search_space_counts(3, n_power=-(10**5000))


def test_other_physical_limits_are_valid():
    # zero HWI: the SINR is P g / (ACI + noise); phi = 0: the physical network equals the twin
    g, p, total, aci, noise = 1e-9, 1.0, 2.0, 1e-13, 1e-13
    assert interference.sinr(p, g, total, aci, noise, 0.0, phi=0.9) == pytest.approx(p * g / (1.9 * aci + noise))
    assert interference.hwi_sinr_ceiling(p, total, 0.0) == INF
    twin, phys = env.NetworkEnv(dataclasses.replace(SMALL, phi=0.0), mode="twin"), \
        env.NetworkEnv(dataclasses.replace(SMALL, phi=0.0), mode="physical")
    twin.reset(seed=3)
    phys.reset(seed=3)
    np.testing.assert_array_equal(twin.evaluate(np.zeros((1, 3), int)).sinr, phys.evaluate(np.zeros((1, 3), int)).sinr)
    # a noiseless receiver (NF = 0 dB), no shadowing, a static channel (f_d = 0: rho = 1), alpha = 0 and 1
    limits = dataclasses.replace(SMALL, noise_figure_db=0.0, shadowing_std_db=0.0, doppler_hz=0.0, sigma_rt=0.0)
    assert limits.noise_power_dbm == pytest.approx(-174.0 + 10 * math.log10(180e3))
    e = env.NetworkEnv(limits)
    e.reset(seed=0)
    assert e.rho == 1.0
    before = e.state.fading.copy()
    e.step(np.zeros((1, 3), int))
    np.testing.assert_array_equal(e.state.fading, before)
    for alpha in (0.0, 1.0):
        assert dataclasses.replace(SMALL, pf_alpha=alpha).pf_alpha == alpha


# --- values the configs accepted silently ---------------------------------------------------------

@pytest.mark.parametrize("cls, kwargs, message", [
    (NetworkConfig, {"phi": -1.0}, r"phi=-1.0 is out of range: allowed \(-1, 100\]"),
    (NetworkConfig, {"coverage_radius_m": 5001.0}, r"coverage_radius_m=5001.0 is out of range: allowed \(10, 5000\] m"),
    (NetworkConfig, {"doppler_hz": 1e9}, r"doppler_hz=1000000000.0 is out of range: allowed \[0, 50000\] Hz"),
    (NetworkConfig, {"slot_s": 1e6}, r"slot_s=1000000.0 is out of range: allowed \(0, 1\] s"),
    (NetworkConfig, {"n_symbols": 10**12}, r"n_symbols=1000000000000 is out of range: allowed integer in \[1, 11520000\]"),
    (NetworkConfig, {"n_symbols": 1e12}, r"n_symbols=1000000000000.0 is out of range"),
    (NetworkConfig, {"slots_per_episode": 10**9}, r"slots_per_episode=1000000000 is out of range"),
    (NetworkConfig, {"ap_spacing_m": 1.0}, r"ap_spacing_m=1.0 is out of range: allowed \(20, inf\) m"),
    (NetworkConfig, {"ap_spacing_m": 300.0}, r"ap_spacing_m=300.0 must be >= coverage_radius_m \+ exclusion_radius_m = 330 m"),
    (TrainingConfig, {"z_k": 2001}, r"z_k=2001 must be <= episodes=2000 with scenario='proposed'"),
    (TrainingConfig, {"episodes": 50}, r"z_k=100 must be <= episodes=50"),
])
def test_values_accepted_silently_before_are_rejected(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls(**kwargs)


def test_z_k_beyond_episodes_is_fine_when_the_scenario_never_meets_the_physical_network():
    assert TrainingConfig(z_k=2001, scenario="dt_only").z_k == 2001
    assert TrainingConfig(z_k=2001, scenario="physical_only").z_k == 2001
    assert TrainingConfig(z_k=2000).z_k == 2000                                 # Z_k = Z: the last episode
    smoke = get_profile("smoke").apply(NET, TrainingConfig())[1]                # 4 episodes, Z_k was 100
    assert (smoke.episodes, smoke.z_k, smoke.scenario) == (4, 4, "proposed")
    assert Profile("p", "", 1, 1, episodes=300).apply(NET, TrainingConfig(z_k=200))[1].z_k == 200


def test_the_cross_field_rules_at_the_paper_defaults():
    """The defaults satisfy every rule with margin (the numbers the rules compare)."""
    assert NET.doppler_hz * NET.slot_s == pytest.approx(0.2)                    # <= 0.423
    assert NET.n_symbols <= NET.rrb_bandwidth_hz * NET.slot_s == 3600           # 1000 symbols
    displacement = NET.slots_per_episode * NET.slot_s * NET.doppler_hz * NET.speed_of_light_m_s / NET.fc_hz
    assert displacement == pytest.approx(0.4615, abs=1e-4)                      # <= 10 m
    assert NET.ap_spacing_m >= NET.coverage_radius_m + NET.exclusion_radius_m   # 600 >= 330


@pytest.mark.parametrize("kwargs", [
    *({"n_aps": k} for k in (1, 2, 3, 4, 6, 9)),                                # Figs. 6b, 7a-c, benchmark sizes
    *({"n_devices": n} for n in (1, 2, 3, 5, 20, 50, 70, 100, 500)),            # Table 4, Figs. 6b, 7
    *({"phi": p} for p in (0.0, 0.4, 0.6, 0.9)),                                # Sec. VI-I, Figs. 5b-c, 6c
    *({"sigma_rt": s} for s in (0.0, 0.05, 0.1, 0.2)),                          # Table 1, Figs. 5d, 7c
    *({"shadowing_std_db": s} for s in (4.0, 6.0, 8.0)),                        # Sec. VI-I
    {"h_ap_m": 10.0, "h_ut_m": 1.5, "fc_hz": 6.5e9, "speed_of_light_m_s": 3e8},  # Table 1
    {"coverage_radius_m": 300.0, "exclusion_radius_m": 30.0, "ap_spacing_m": 600.0},
    {"p_max_dbm": 30.0, "p_min_dbm": 5.0, "noise_psd_dbm_hz": -174.0, "slot_s": 0.02, "n_symbols": 1000,
     "pf_alpha": 0.1},
    {"modulation_orders": (2, 4, 16, 64), "code_rates": (0.5, 0.75, 5 / 6), "n_power_levels": 4},
    {"code_rates": (0.5,), "d_free": (10,)},                                    # Sec. VI-E: rate 1/2 only
    {"slots_per_episode": 500},                                                 # chapter 5's paper profile
])
def test_every_value_the_paper_uses_passes(kwargs):
    cfg = dataclasses.replace(NET, **kwargs)
    assert all(getattr(cfg, k) == v for k, v in kwargs.items())


@pytest.mark.parametrize("cls, kwargs", [
    (DQNConfig, {"discount": g}) for g in (0.7, 0.8, 0.9)] + [               # Fig. 5a
    (DQNConfig, {"learning_rate": 5e-3, "replay_size": 5000, "batch_size": 64, "target_update_steps": 500}),
    (DQNConfig, {"hidden_sizes": (64, 128), "epsilon_start": 0.7, "epsilon_min": 1e-2, "epsilon_decay": 1e-3}),
    *((TrainingConfig, {"z_k": z}) for z in (10, 50, 100, 200)),               # Sec. VI-F, Fig. 6c
    *((TrainingConfig, {"episodes": e}) for e in (300, 500, 2000)),            # Figs. 5b-c, Table 2
])
def test_every_training_value_the_paper_uses_passes(cls, kwargs):
    cfg = cls(**kwargs)
    assert all(getattr(cfg, k) == v for k, v in kwargs.items())


# --- the seed, the power and the benchmark's --n --------------------------------------------------

def test_reset_seed_names_the_argument_and_value():
    e = env.NetworkEnv(SMALL)
    with pytest.raises(ValueError, match=r"seed=-1 is out of range: allowed integer in \[0, 2\*\*128\)"):
        e.reset(seed=-1)
    for bad in ("1", True, 1j):
        with pytest.raises(TypeError, match="seed must be None or a non-negative integer"):
            e.reset(seed=bad)
    with pytest.raises(ValueError, match="seed=1.5 is not an integer"):
        e.reset(seed=1.5)
    e.reset(seed=np.random.default_rng(0))                                      # a Generator is fine
    e.reset(seed=np.uint64(2**63))


@pytest.mark.parametrize("bad, message", [
    (np.array([[NAN, 1.0, 1.0]]), r"power_w=\[\[nan, 1.0, 1.0\]\] is not a number \(NaN\).*at index \(0, 0\)"),
    (np.full((1, 3), 2.0), r"power_w=\[\[2.0, 2.0, 2.0\]\] is out of range: allowed \[.*\] W \(constraint C1"),
    (np.full((1, 3), -INF), r"power_w=.* is not finite"),
])
def test_power_names_the_argument_and_shows_the_value(bad, message):
    with pytest.raises(ValueError, match=message):
        ENV.evaluate(np.zeros((1, 3), int), power_w=bad)
    with pytest.raises(ValueError, match=message):
        ENV.step(np.zeros((1, 3), int), power_w=bad)
    assert ENV.state.t == 0
    if not np.all(bad == 2.0):                                                  # 2 W is a power, outside C1 only
        with pytest.raises(ValueError, match=message):
            coupling.coupling_sinr(COUPLING, bad)
        with pytest.raises(ValueError, match=message.replace("power_w", "init")):
            fractional.fp_power_control(PROBLEM, P_MIN_W, P_MAX_W, init=bad)


def test_bench_accepts_its_own_notation():
    assert bench.count_arg("1e3") == bench.count_arg("1000") == bench.count_arg("1_000") == 1000
    assert bench.count_arg("1e8") == 10**8
    import argparse
    for bad in ("1.5e0", "-3", "0", "abc", "", "nan", "inf", "1e9", "2.5"):
        with pytest.raises(argparse.ArgumentTypeError):
            bench.count_arg(bad)


@pytest.mark.parametrize("value", ["1.5e0", "-3", "abc"])
def test_bench_cli_usage_error_names_n_and_exits_2(value, capsys):
    with pytest.raises(SystemExit) as stop:
        bench.main(["--n", value])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "argument --n:" in err and repr(value) in err and "allowed an integer in [1, 100_000_000]" in err


def test_bench_cli_as_a_process():
    out = subprocess.run([sys.executable, "-m", "multirat.bench", "--n", "abc"], capture_output=True, text=True,
                         timeout=120, check=False)
    assert out.returncode == 2 and "argument --n: 'abc' is not a number" in out.stderr and not out.stdout


# ================================================================================================
# 2. The sweep: every public entry point that takes numbers or arrays
# ================================================================================================

@dataclass(frozen=True)
class Arg:
    """One numeric argument of one entry point: ``call(**{**valid, name: value})``.

    The documented range is ``[lo, hi]`` (``lo_open``/``hi_open`` for open limits); ``posinf`` and
    ``neginf`` say whether an infinity is allowed; ``integer`` requires whole numbers; ``array``
    also feeds the bad value inside an array; ``none_ok``/``complex_ok``/``bool_ok`` exempt a type.
    """

    label: str
    call: Callable
    valid: dict
    name: str
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    posinf: bool = False
    neginf: bool = False
    integer: bool = False
    array: bool = False
    none_ok: bool = False
    complex_ok: bool = False
    bool_ok: bool = False                                 # booleans are valid values (a 0/1 matrix)
    extra_bad: tuple = ()
    numeric: bool = True                                  # False: a structure (only extra_bad are bad values)
    message: str = ""                                     # what the message names (default: name)

    def __call__(self, value):
        return self.call(**{**self.valid, self.name: value})

    def out_of_range(self) -> st.SearchStrategy:
        """Finite values outside the range, fractions for integers, NaN and the forbidden infinities."""
        if not self.numeric:
            return st.sampled_from(self.extra_bad)
        options = [st.just(NAN)] + ([] if self.posinf else [st.just(INF)]) + ([] if self.neginf else [st.just(-INF)])
        if self.lo is not None:
            top = self.lo if self.lo_open else math.nextafter(self.lo, -INF)
            options.append(st.floats(max_value=top, allow_nan=False, allow_infinity=False,
                                     min_value=-1e300).map(lambda v: math.floor(v) if self.integer else v))
        if self.hi is not None:
            bottom = self.hi if self.hi_open else math.nextafter(self.hi, INF)
            options.append(st.floats(min_value=bottom, allow_nan=False, allow_infinity=False,
                                     max_value=1e300).map(lambda v: math.ceil(v) if self.integer else v))
        if self.integer:
            options.append(st.floats(min_value=1.0, max_value=1e6).filter(lambda v: not v.is_integer()))
        options += [st.just(v) for v in self.extra_bad]
        return st.one_of(options)


WRONG_TYPES = ["7", None, 1 + 2j, ["a", "b"], True]

ADJ = np.array([[0, 1], [1, 0]])
GAIN_KN = np.full((2, 2), 1e-10)
ACIR = interference.acir_linear([45.0, 45.0], [33.0, 45.0])
PL = {"d2d_m": 100.0, "fc_hz": FC, "h_bs_m": H_BS, "h_ut_m": H_UT}
RNG = np.random.default_rng


def _pl(fn):
    return [Arg(f"channel.{fn.__name__}", fn, PL, "d2d_m", lo=0.0, array=True),
            Arg(f"channel.{fn.__name__}", fn, PL, "fc_hz", lo=0.5e9, hi=100e9),
            Arg(f"channel.{fn.__name__}", fn, PL, "h_bs_m", lo=1.0, lo_open=True),
            Arg(f"channel.{fn.__name__}", fn, PL, "h_ut_m", lo=1.0, lo_open=True),
            Arg(f"channel.{fn.__name__}", fn, PL, "c_m_s", lo=0.0, lo_open=True)]


ARGS = [
    # --- units ------------------------------------------------------------------------------------
    Arg("units.db_to_linear", units.db_to_linear, {"x_db": 3.0}, "x_db", posinf=True, neginf=True, array=True),
    Arg("units.linear_to_db", units.linear_to_db, {"x": 2.0}, "x", lo=0.0, posinf=True, array=True),
    Arg("units.dbm_to_watt", units.dbm_to_watt, {"p_dbm": 30.0}, "p_dbm", posinf=True, neginf=True, array=True),
    Arg("units.watt_to_dbm", units.watt_to_dbm, {"p_w": 1.0}, "p_w", lo=0.0, posinf=True, array=True),
    Arg("units.combine_attenuations_db", lambda attenuations_db: units.combine_attenuations_db(attenuations_db, 33.0),
        {"attenuations_db": 45.0}, "attenuations_db", posinf=True, array=True),
    Arg("units.noise_power_dbm", units.noise_power_dbm, {"bandwidth_hz": 180e3}, "bandwidth_hz", lo=0.0,
        lo_open=True),
    Arg("units.noise_power_dbm", units.noise_power_dbm, {"bandwidth_hz": 180e3}, "psd_dbm_per_hz"),
    Arg("units.noise_power_dbm", units.noise_power_dbm, {"bandwidth_hz": 180e3}, "noise_figure_db", lo=0.0),
    Arg("units.q_function", units.q_function, {"x": 1.0}, "x", posinf=True, neginf=True, array=True),
    Arg("units.q_function_inv", units.q_function_inv, {"p": 0.1}, "p", lo=0.0, hi=1.0, lo_open=True, hi_open=True,
        array=True),
    # --- channel ----------------------------------------------------------------------------------
    *_pl(channel.umi_los_path_loss_db), *_pl(channel.umi_nlos_path_loss_db), *_pl(channel.umi_path_loss_db),
    *_pl(channel.umi_path_loss_linear_average_db),
    *[Arg("channel.umi_path_loss_given_state_db", channel.umi_path_loss_given_state_db, {**PL, "is_los": True}, n,
          lo=lo, lo_open=lo_open, hi=hi) for n, lo, lo_open, hi in
      (("d2d_m", 0.0, False, None), ("fc_hz", 0.5e9, False, 100e9), ("h_ut_m", 1.0, True, None))],
    Arg("channel.breakpoint_distance_m", channel.breakpoint_distance_m, {"fc_hz": FC, "h_bs_m": H_BS, "h_ut_m": H_UT},
        "h_ut_m", lo=1.0, lo_open=True, array=True),
    Arg("channel.breakpoint_distance_m", channel.breakpoint_distance_m, {"fc_hz": FC, "h_bs_m": H_BS, "h_ut_m": H_UT},
        "c_m_s", lo=0.0, lo_open=True),
    *[Arg("channel.distance_3d_m", channel.distance_3d_m, {"d2d_m": 5.0, "h_bs_m": H_BS, "h_ut_m": H_UT}, n, lo=0.0,
          array=True) for n in ("d2d_m", "h_bs_m", "h_ut_m")],
    Arg("channel.umi_los_probability", channel.umi_los_probability, {"d2d_m": 20.0}, "d2d_m", lo=0.0, array=True),
    Arg("channel.draw_los_state", channel.draw_los_state, {"rng": RNG(0), "d2d_m": 20.0}, "d2d_m", lo=0.0),
    Arg("channel.shadowing_db", channel.shadowing_db, {"rng": RNG(0), "shape": (2,), "std_db": 4.0}, "std_db", lo=0.0,
        array=True),
    Arg("channel.shadowing_db", channel.shadowing_db, {"rng": RNG(0), "shape": (2,), "std_db": 4.0}, "shape", lo=0.0,
        integer=True, extra_bad=((-1,), (2.5,))),
    *[Arg("channel.large_scale_gain", channel.large_scale_gain, {"path_loss_db": 100.0, "shadowing_db": 1.0}, n,
          array=True) for n in ("path_loss_db", "shadowing_db")],
    Arg("channel.channel_gain", channel.channel_gain, {"h": 1 + 1j, "beta": 1e-9}, "h", complex_ok=True,
        extra_bad=(complex(NAN, 0), complex(0, INF))),
    Arg("channel.channel_gain", channel.channel_gain, {"h": 1 + 1j, "beta": 1e-9}, "beta", lo=0.0, array=True),
    Arg("channel.received_power_dbm", channel.received_power_dbm, {"p_tx_dbm": 30.0, "gain": 1e-9}, "p_tx_dbm"),
    Arg("channel.received_power_dbm", channel.received_power_dbm, {"p_tx_dbm": 30.0, "gain": 1e-9}, "gain", lo=0.0,
        array=True),
    *[Arg("channel.jakes_correlation", channel.jakes_correlation, {"doppler_hz": 10.0, "slot_s": 0.02}, n, lo=0.0,
          array=True) for n in ("doppler_hz", "slot_s")],
    Arg("channel.gauss_markov_autocorrelation", channel.gauss_markov_autocorrelation, {"rho": 0.5, "lag": 2}, "rho",
        lo=-1.0, hi=1.0, array=True),
    Arg("channel.gauss_markov_autocorrelation", channel.gauss_markov_autocorrelation, {"rho": 0.5, "lag": 2}, "lag",
        integer=True, posinf=False),
    Arg("channel.gauss_markov_init", channel.gauss_markov_init, {"rng": RNG(0), "shape": 3}, "shape", lo=0.0,
        integer=True),
    Arg("channel.gauss_markov_step", channel.gauss_markov_step, {"rng": RNG(0), "h": 1j, "rho": 0.9}, "rho",
        lo=-1.0, hi=1.0),
    Arg("channel.gauss_markov_step", channel.gauss_markov_step, {"rng": RNG(0), "h": 1j, "rho": 0.9}, "h",
        complex_ok=True, extra_bad=(complex(NAN, 1),)),
    Arg("channel.gauss_markov_sequence", channel.gauss_markov_sequence,
        {"rng": RNG(0), "shape": 2, "n_steps": 3, "rho": 0.5}, "n_steps", lo=1.0, integer=True),
    Arg("channel.gauss_markov_sequence", channel.gauss_markov_sequence,
        {"rng": RNG(0), "shape": 2, "n_steps": 3, "rho": 0.5}, "rho", lo=-1.0, hi=1.0),
    Arg("channel.jakes_psd", channel.jakes_psd, {"freq_hz": 1.0, "doppler_hz": 10.0}, "freq_hz", array=True),
    Arg("channel.jakes_psd", channel.jakes_psd, {"freq_hz": 1.0, "doppler_hz": 10.0}, "doppler_hz", lo=0.0,
        lo_open=True),
    Arg("channel.gauss_markov_psd", channel.gauss_markov_psd, {"freq_hz": 1.0, "rho": 0.5, "slot_s": 0.02}, "slot_s",
        lo=0.0, lo_open=True),
    Arg("channel.gauss_markov_psd", channel.gauss_markov_psd, {"freq_hz": 1.0, "rho": 0.5, "slot_s": 0.02}, "rho",
        lo=-1.0, hi=1.0),
    *[Arg("channel.max_doppler_hz", channel.max_doppler_hz, {"speed_m_s": 1.0, "fc_hz": FC}, n, lo=0.0,
          lo_open=n != "speed_m_s") for n in ("speed_m_s", "fc_hz", "c_m_s")],
    Arg("channel.doppler_for_coherence_time_hz", channel.doppler_for_coherence_time_hz, {"coherence_time_s": 0.02},
        "coherence_time_s", lo=0.0, lo_open=True, array=True),
    # --- link -------------------------------------------------------------------------------------
    Arg("link.coding_gain", link.coding_gain, {"code_rate": 0.5, "d_free": 10}, "code_rate", lo=0.0, lo_open=True,
        hi=1.0, array=True),
    Arg("link.coding_gain", link.coding_gain, {"code_rate": 0.5, "d_free": 10}, "d_free", lo=0.0, lo_open=True),
    Arg("link.symbol_error_rate", link.symbol_error_rate, {"sinr": 2.0, "modulation_order": 16, "coding_gain": 5.0},
        "sinr", lo=0.0, posinf=True, array=True),
    Arg("link.symbol_error_rate", link.symbol_error_rate, {"sinr": 2.0, "modulation_order": 16, "coding_gain": 5.0},
        "modulation_order", lo=2.0, posinf=False, extra_bad=(3, 8, 32, 4.5)),
    Arg("link.symbol_error_rate", link.symbol_error_rate, {"sinr": 2.0, "modulation_order": 16, "coding_gain": 5.0},
        "coding_gain", lo=0.0, lo_open=True),
    Arg("link.symbol_error_rate_exact", link.symbol_error_rate_exact, {"snr_symbol": 2.0, "modulation_order": 4},
        "snr_symbol", lo=0.0, posinf=True, array=True),
    Arg("link.packet_error_rate", link.packet_error_rate, {"ser": 1e-3, "n_symbols": 1000}, "ser", lo=0.0, hi=1.0,
        array=True),
    Arg("link.packet_error_rate", link.packet_error_rate, {"ser": 1e-3, "n_symbols": 1000}, "n_symbols", lo=1.0,
        integer=True),
    Arg("link.spectral_efficiency", link.spectral_efficiency, {"modulation_order": 4, "code_rate": 0.5}, "code_rate",
        lo=0.0, lo_open=True, hi=1.0),
    *[Arg("link.throughput_bits", link.throughput_bits, {"sinr": 5.0, "modulation_order": 4, "code_rate": 0.5,
                                                          "d_free": 10, "n_symbols": 100}, n, **kw)
      for n, kw in (("sinr", {"lo": 0.0, "posinf": True, "array": True}), ("code_rate", {"lo": 0.0, "lo_open": True, "hi": 1.0}),
                    ("d_free", {"lo": 0.0, "lo_open": True}), ("n_symbols", {"lo": 1.0, "integer": True}))],
    Arg("link.modulation_name", link.modulation_name, {"modulation_order": 4}, "modulation_order", lo=2.0,
        extra_bad=(8, np.array([4, 16]))),
    Arg("link.best_mcs", link.best_mcs, {"sinr": 5.0, "config": NET}, "sinr", lo=0.0, posinf=True, array=True),
    Arg("link.sinr_at_ser", link.sinr_at_ser, {"target_ser": 1e-3, "modulation_order": 4}, "target_ser", lo=1e-300,
        hi=0.5, lo_open=True, hi_open=True),
    Arg("link.sinr_at_ser", link.sinr_at_ser, {"target_ser": 1e-3, "modulation_order": 4}, "coding_gain", lo=0.0,
        lo_open=True),
    Arg("link.sinr_at_ser", link.sinr_at_ser, {"target_ser": 1e-3, "modulation_order": 4}, "bracket_db",
        extra_bad=((10.0, -10.0), (NAN, 10.0), (1.0,), (50.0, 60.0)), message="bracket_db"),
    Arg("link.sinr_at_throughput_fraction", link.sinr_at_throughput_fraction, {"fraction": 0.5, "config": NET},
        "fraction", lo=0.0, hi=1.0, lo_open=True, hi_open=True),
    Arg("link.mcs_switching_thresholds", link.mcs_switching_thresholds, {"config": NET}, "step_db", lo=0.0,
        lo_open=True, extra_bad=(1e-12,)),
    # --- interference -----------------------------------------------------------------------------
    *[Arg("interference.acir_linear", interference.acir_linear, {"aclr_db": 45.0, "acs_db": 33.0}, n, lo=0.0,
          posinf=True, array=True) for n in ("aclr_db", "acs_db")],
    *[Arg("interference.aci_power_w", interference.aci_power_w, {"gain": [1e-9], "power_w": [1.0], "acir": [1e3]}, n,
          lo=lo, lo_open=lo_open, posinf=posinf, array=True)
      for n, lo, lo_open, posinf in (("gain", 0.0, False, False), ("power_w", 0.0, False, False),
                                     ("acir", 0.5, False, True), ("phi", -1.0, False, False))],
    *[Arg("interference.hwi_distortion_power_w", interference.hwi_distortion_power_w,
          {"gain": 1e-9, "total_power_w": 2.0, "sigma_rt": 0.05}, n, lo=lo)
      for n, lo in (("gain", 0.0), ("total_power_w", 0.0), ("sigma_rt", 0.0), ("phi", -1.0))],
    *[Arg("interference.sinr", interference.sinr, {"power_w": 1.0, "gain": 1e-9, "total_power_w": 2.0, "aci_w": 0.0,
                                                  "noise_w": 1e-13, "sigma_rt": 0.05}, n, lo=lo, lo_open=lo_open,
          array=True)
      for n, lo, lo_open in (("power_w", 0.0, False), ("gain", 0.0, False), ("total_power_w", 0.0, False),
                             ("aci_w", 0.0, False), ("noise_w", 0.0, True), ("sigma_rt", 0.0, False),
                             ("phi", -1.0, False))],
    Arg("interference.hwi_sinr_ceiling", interference.hwi_sinr_ceiling, {"power_w": 1.0, "total_power_w": 2.0,
                                                                         "sigma_rt": 0.05}, "total_power_w", lo=0.0,
        lo_open=True),
    Arg("interference.ap_total_power_w", interference.ap_total_power_w,
        {"serving_ap": [0, 1], "power_w": [1.0, 1.0], "n_aps": 2}, "n_aps", lo=1.0, integer=True),
    Arg("interference.ap_total_power_w", interference.ap_total_power_w,
        {"serving_ap": [0, 1], "power_w": [1.0, 1.0], "n_aps": 2}, "serving_ap", lo=0.0, hi=1.0, integer=True,
        array=True),
    Arg("interference.ap_total_power_w", interference.ap_total_power_w,
        {"serving_ap": [0, 1], "power_w": [1.0, 1.0], "n_aps": 2}, "power_w", lo=0.0, array=True),
    *[Arg("interference.adjacent_channel_interference_w", interference.adjacent_channel_interference_w,
          {"rrb": [0, 1], "serving_ap": [0, 1], "power_w": [1.0, 1.0], "gain_ap_to_device": GAIN_KN, "acir": ACIR},
          n, **kw)
      for n, kw in (("rrb", {"lo": -1.0, "integer": True, "array": True}), ("power_w", {"lo": 0.0, "array": True}),
                    ("acir", {"lo": 0.5, "posinf": True, "array": True}),
                    ("gain_ap_to_device", {"lo": 0.0, "extra_bad": (-GAIN_KN,)}),
                    ("n_rrbs", {"lo": 2.0, "integer": True, "none_ok": True}))],
    *[Arg("interference.network_sinr", interference.network_sinr,
          {"rrb": [0, 1], "serving_ap": [0, 1], "power_w": [1.0, 1.0], "gain_ap_to_device": GAIN_KN, "acir": ACIR,
           "noise_w": 1e-13, "sigma_rt": 0.05}, n, lo=lo, lo_open=lo_open)
      for n, lo, lo_open in (("noise_w", 0.0, True), ("sigma_rt", 0.0, False), ("phi", -1.0, False))],
    # --- topology ---------------------------------------------------------------------------------
    Arg("topology.ap_positions", topology.ap_positions, {"n_aps": 4, "spacing_m": 600.0}, "n_aps", lo=1.0,
        integer=True),
    Arg("topology.ap_positions", topology.ap_positions, {"n_aps": 4, "spacing_m": 600.0}, "spacing_m", lo=0.0,
        lo_open=True),
    *[Arg("topology.drop_devices", topology.drop_devices,
          {"rng": RNG(0), "ap_xy": np.zeros((1, 2)), "n_devices": 3, "coverage_radius_m": 300.0,
           "exclusion_radius_m": 30.0}, n, **kw)
      for n, kw in (("n_devices", {"lo": 1.0, "integer": True}), ("coverage_radius_m", {"lo": 30.0, "lo_open": True}),
                    ("exclusion_radius_m", {"lo": 0.0, "hi": 300.0, "hi_open": True}),
                    ("ap_xy", {"extra_bad": (np.full((1, 2), NAN), np.zeros((1, 3)))}))],
    *[Arg("topology.distances_2d", topology.distances_2d, {"device_xy": np.zeros((2, 2)), "ap_xy": np.ones((1, 2))},
          n, extra_bad=(np.full((1, 2), NAN), np.zeros(3))) for n in ("device_xy", "ap_xy")],
    Arg("topology.cluster_nearest", topology.cluster_nearest, {"device_xy": np.zeros((2, 2)), "ap_xy": np.ones((1, 2))},
        "device_xy", extra_bad=(np.full((2, 2), INF),)),
    # --- scheduling -------------------------------------------------------------------------------
    *[Arg("scheduling.pf_metric", scheduling.pf_metric, {"average_rate": 10.0, "gain": 1e-9, "p_c_w": 1e-3,
                                                         "noise_w": 1e-13}, n, **kw)
      for n, kw in (("average_rate", {"lo": 0.0, "lo_open": True, "posinf": True, "array": True}),
                    ("gain", {"lo": 0.0, "array": True}), ("p_c_w", {"lo": 0.0, "lo_open": True}),
                    ("noise_w", {"lo": 0.0, "lo_open": True}))],
    *[Arg("scheduling.update_average_rate", scheduling.update_average_rate,
          {"average_rate": 10.0, "achieved_rate": 5.0, "alpha": 0.1}, n, **kw)
      for n, kw in (("average_rate", {"lo": 0.0, "array": True}), ("achieved_rate", {"lo": 0.0, "array": True}),
                    ("alpha", {"lo": 0.0, "hi": 1.0}))],
    Arg("scheduling.select_and_place", scheduling.select_and_place, {"metric": np.ones(3), "n_rrbs": 2}, "n_rrbs",
        lo=1.0, integer=True),
    Arg("scheduling.select_and_place", scheduling.select_and_place, {"metric": [1.0, 2.0], "n_rrbs": 2}, "metric",
        posinf=True, neginf=True, array=True, extra_bad=(np.zeros(0), np.zeros((2, 0)))),
    *[Arg("scheduling.random_schedule", scheduling.random_schedule, {"rng": RNG(0), "n_devices": 4, "n_rrbs": 2}, n,
          lo=1.0, integer=True) for n in ("n_devices", "n_rrbs")],
    Arg("scheduling.jain_index", scheduling.jain_index, {"x": [1.0, 2.0]}, "x", lo=0.0, array=True,
        extra_bad=([], np.zeros((3, 0)))),
    Arg("scheduling.jain_index", scheduling.jain_index, {"x": [1.0, 2.0]}, "axis", lo=-1.0, hi=0.0, integer=True),
    # --- env, coupling, baselines, fractional -----------------------------------------------------
    Arg("env.NetworkEnv", env.NetworkEnv, {"config": SMALL}, "n_envs", lo=1.0, integer=True),
    Arg("env.NetworkEnv.reset", lambda seed: env.NetworkEnv(SMALL).reset(seed=seed), {"seed": 0}, "seed", lo=0.0,
        integer=True, none_ok=True),
    Arg("env.NetworkEnv.evaluate", ENV.evaluate, {"actions": np.zeros((1, 3), int)}, "power_w", lo=P_MIN_W,
        hi=P_MAX_W, none_ok=True, extra_bad=(np.full((1, 3), NAN),)),
    Arg("env.NetworkEnv.evaluate", ENV.evaluate, {"actions": np.zeros((1, 3), int)}, "actions",
        extra_bad=(np.full((1, 3), 48), np.full((1, 3), -1), np.full((1, 3), 0.5), np.zeros(3, int))),
    Arg("env.NetworkEnv.step", ENV.step, {"actions": np.zeros((1, 3), int)}, "power_w", lo=P_MIN_W, hi=P_MAX_W,
        none_ok=True),
    Arg("env.LinearDeviation", env.LinearDeviation, {"phi": 0.4}, "phi", lo=-1.0, array=True),
    Arg("env.decode_actions", env.decode_actions, {"actions": [0, 47], "config": NET}, "actions",
        extra_bad=(np.array([48]), np.array([-1]), np.array([1.5]))),
    Arg("coupling.coupling_sinr", coupling.coupling_sinr, {"coupling": COUPLING, "power_w": np.ones((1, 3))},
        "power_w", lo=0.0, extra_bad=(np.ones((1, 2)),)),
    Arg("coupling.sum_rate_best_mcs", coupling.sum_rate_best_mcs,
        {"coupling": COUPLING, "power_w": np.ones((1, 3)), "config": SMALL}, "power_w", lo=0.0),
    *[Arg("coupling.power_index_vectors", coupling.power_index_vectors, {"index": [0, 5], "n_links": 3, "n_levels": 4},
          n, **kw)
      for n, kw in (("index", {"lo": 0.0, "hi": 63.0, "integer": True, "array": True}),
                    ("n_links", {"lo": 1.0, "integer": True, "extra_bad": (40,)}), ("n_levels", {"lo": 1.0, "integer": True}))],
    Arg("baselines.exhaustive_power_search", baselines.exhaustive_power_search,
        {"coupling": COUPLING, "levels_w": [0.1, 1.0], "config": SMALL}, "levels_w", lo=0.0, array=True,
        extra_bad=(np.zeros((0,)), np.ones((2, 2)))),
    *[Arg("baselines.exhaustive_power_search", baselines.exhaustive_power_search,
          {"coupling": COUPLING, "levels_w": [0.1, 1.0], "config": SMALL}, n, lo=1.0, integer=True, extra_bad=(2,))
      for n in ("max_power_vectors",)],
    Arg("baselines.exhaustive_power_search", baselines.exhaustive_power_search,
        {"coupling": COUPLING, "levels_w": [0.1, 1.0], "config": SMALL}, "chunk_elements", lo=1.0, integer=True),
    Arg("baselines.RandomPolicy", baselines.RandomPolicy, {"seed": 0}, "seed", lo=0.0, integer=True, none_ok=True),
    *[Arg("baselines.ExhaustiveSearch", baselines.ExhaustiveSearch, {}, n, lo=1.0, integer=True)
      for n in ("max_power_vectors", "chunk_elements")],
    *[Arg("fractional.fp_power_control", fractional.fp_power_control,
          {"problem": PROBLEM, "p_min_w": P_MIN_W, "p_max_w": P_MAX_W, "max_iter": 3}, n, **kw)
      for n, kw in (("p_min_w", {"lo": 0.0, "lo_open": True, "hi": P_MAX_W, "hi_open": True}),
                    ("p_max_w", {"lo": P_MIN_W, "lo_open": True}), ("max_iter", {"lo": 1.0, "integer": True}),
                    ("tol", {"lo": 0.0}))],
    Arg("fractional.nearest_power_index", fractional.nearest_power_index, {"power_w": 0.5, "config": NET}, "power_w",
        lo=0.0, lo_open=True, posinf=True, array=True),
    *[Arg("fractional.esa_fp", fractional.esa_fp, {"env": ENV, "max_iter": 2}, n, **kw)
      for n, kw in (("max_iter", {"lo": 1.0, "integer": True}), ("tol", {"lo": 0.0}))],
    # --- evaluation, cqi, overhead, hardness ------------------------------------------------------
    Arg("evaluation.t_confidence_interval", evaluation.t_confidence_interval, {"values": [1.0, 2.0]}, "values",
        array=True, extra_bad=([],)),
    Arg("evaluation.t_confidence_interval", evaluation.t_confidence_interval, {"values": [1.0, 2.0]}, "confidence",
        lo=0.0, hi=1.0, lo_open=True, hi_open=True),
    *[Arg("evaluation.evaluate_policy", evaluation.evaluate_policy,
          {"policy": baselines.RandomPolicy(0), "config": dataclasses.replace(SMALL, slots_per_episode=2),
           "n_drops": 1, "seed": 0}, n, lo=lo, integer=True, none_ok=n != "n_drops")
      for n, lo in (("n_drops", 1.0), ("seed", 0.0), ("n_envs", 1.0))],
    *[Arg("evaluation.benchmark_table", evaluation.benchmark_table,
          {"cases": [(1, 2)], "policies": {"RA": lambda: baselines.RandomPolicy(0)},
           "base_config": dataclasses.replace(SMALL, slots_per_episode=2), "n_drops": 1, "seed": 0}, n, lo=lo,
          integer=True, none_ok=n != "n_drops") for n, lo in (("n_drops", 1.0), ("seed", 0.0), ("n_envs", 1.0))],
    Arg("evaluation.benchmark_table", evaluation.benchmark_table,
        {"cases": [(1, 2)], "policies": {"RA": lambda: baselines.RandomPolicy(0)},
         "base_config": dataclasses.replace(SMALL, slots_per_episode=2), "n_drops": 1, "seed": 0}, "cases",
        extra_bad=([], [(0, 2)], [(1, 2, 3)], [(1.5, 2)], [(65, 2)], [(1, NAN)]), numeric=False),
    Arg("evaluation.benchmark_table", evaluation.benchmark_table,
        {"cases": [(1, 2)], "policies": {"RA": lambda: baselines.RandomPolicy(0)},
         "base_config": dataclasses.replace(SMALL, slots_per_episode=2), "n_drops": 1, "seed": 0}, "policies",
        extra_bad=({},), numeric=False),
    Arg("evaluation.same_slot_comparison", evaluation.same_slot_comparison,
        {"policies": {"RA": baselines.RandomPolicy(0)}, "config": dataclasses.replace(SMALL, slots_per_episode=2),
         "n_drops": 1, "seed": 0}, "n_drops", lo=1.0, integer=True),
    Arg("link.mcs_switching_thresholds", link.mcs_switching_thresholds, {"config": NET}, "sinr_db_range",
        extra_bad=((10.0, -10.0), (0.0, NAN), (0.0,)), message="sinr_db_range"),
    Arg("env.NetworkEnv.step", ENV.step, {"actions": np.zeros((1, 3), int)}, "actions",
        extra_bad=(np.full((1, 3), 48), np.full((1, 3), 0.5))),
    Arg("marl.MultiRATParallelEnv.reset", lambda seed: marl.MultiRATParallelEnv(SMALL).reset(seed=seed), {"seed": 0},
        "seed", lo=0.0, integer=True, none_ok=True),
    Arg("cqi.sinr_to_cqi", cqi.sinr_to_cqi, {"sinr": 10.0}, "sinr", lo=0.0, posinf=True, array=True),
    Arg("cqi.cqi_to_mcs", cqi.cqi_to_mcs, {"cqi": 7, "config": NET}, "cqi", lo=0.0, hi=15.0, integer=True, array=True),
    *[Arg("overhead.per_slot_exchanges_physical", overhead.per_slot_exchanges_physical,
          {"n_devices": 20, "n_aps": 4, "t_d": 1, "d_b": 64}, n, lo=1.0, integer=True, array=True)
      for n in ("n_devices", "n_aps", "t_d", "d_b")],
    *[Arg("overhead.overhead_proposed", overhead.overhead_proposed,
          {"episodes": 2000, "z_k": 100, "slots": 50, "n_devices": 20, "n_aps": 4, "t_d": 1, "d_b": 64}, n, lo=1.0,
          integer=True) for n in ("episodes", "z_k", "slots")],
    Arg("overhead.physical_episode_count", overhead.physical_episode_count, {"episodes": 2000, "z_k": 100}, "z_k",
        lo=1.0, integer=True),
    Arg("overhead.dqn_parameter_count", overhead.dqn_parameter_count, {}, "n_inputs", lo=1.0, integer=True,
        none_ok=True),
    Arg("overhead.execution_feedback_per_slot", overhead.execution_feedback_per_slot, {"n_devices": 20}, "n_devices",
        lo=1.0, integer=True, array=True),
    Arg("overhead.execution_position_reports", overhead.execution_position_reports,
        {"n_devices": 20, "n_slots": 100, "clustering_period": 10}, "clustering_period", lo=1.0, integer=True),
    *[Arg("overhead.count_exchanges_by_simulation", overhead.count_exchanges_by_simulation,
          {"episodes": 3, "z_k": 2, "slots": 2, "n_devices": 2, "n_aps": 1, "t_d": 1, "d_b": 2}, n, lo=1.0,
          integer=True, extra_bad=(0,)) for n in ("episodes", "z_k", "t_d")],
    Arg("hardness.search_space_counts", hardness.search_space_counts, {"n_links": 3, "log10": True}, "n_links",
        lo=1.0, hi=float(hardness.N_LINKS_MAX), integer=True),
    *[Arg("hardness.search_space_counts", hardness.search_space_counts, {"n_links": 3}, n, lo=1.0, integer=True)
      for n in ("n_power", "n_modulations", "n_code_rates")],
    Arg("hardness.mis_reduction_coupling", hardness.mis_reduction_coupling, {"adjacency": ADJ, "config": NET},
        "adjacency", lo=0.0, hi=1.0, integer=True, bool_ok=True, extra_bad=(np.ones((2, 2)), np.zeros((2, 3)))),
    *[Arg("hardness.mis_reduction_coupling", hardness.mis_reduction_coupling, {"adjacency": ADJ, "config": NET}, n,
          **kw) for n, kw in (("coupling_ratio", {"lo": 0.0, "lo_open": True}), ("snr_db", {}))],
    *[Arg("hardness.mis_reduction_bounds", hardness.mis_reduction_bounds, {"config": NET}, n, **kw)
      for n, kw in (("coupling_ratio", {"lo": 0.0, "lo_open": True}), ("snr_db", {}),
                    ("max_degree", {"lo": 0.0, "integer": True}))],
    Arg("hardness.independence_number", hardness.independence_number, {"adjacency": ADJ}, "adjacency", lo=0.0, hi=1.0,
        integer=True, bool_ok=True, extra_bad=(np.zeros((21, 21)),)),
]
IDS = [f"{a.label}:{a.name}" for a in ARGS]
assert len(set(IDS)) == len(IDS), sorted(i for i in IDS if IDS.count(i) > 1)


@pytest.mark.parametrize("arg", ARGS, ids=IDS)
def test_the_valid_call_works(arg):
    """The sweep's base call is valid, so that every failure below is the bad argument's."""
    arg.call(**arg.valid)


@pytest.mark.parametrize("arg", ARGS, ids=IDS)
@settings(max_examples=6, deadline=None, derandomize=True)
@given(data=st.data())
def test_bad_values_are_value_errors_naming_the_argument(arg, data):
    value = data.draw(arg.out_of_range(), label=arg.name)
    if data.draw(st.booleans(), label="inside an array") and arg.array and np.ndim(value) == 0:
        value = np.array([np.ravel(arg.valid.get(arg.name, 0.0))[0], value])      # the bad value as one element
    with pytest.raises(ValueError) as err:
        arg(value)
    assert (arg.message or arg.name) in str(err.value)


@pytest.mark.parametrize("bad", WRONG_TYPES, ids=[type(b).__name__ for b in WRONG_TYPES])
@pytest.mark.parametrize("arg", ARGS, ids=IDS)
def test_wrong_types_are_type_errors_naming_the_argument(arg, bad):
    if (bad is None and arg.none_ok) or (isinstance(bad, complex) and arg.complex_ok) or (
            isinstance(bad, bool) and arg.bool_ok):
        return
    with pytest.raises(TypeError) as err:
        arg(bad)
    assert (arg.message or arg.name) in str(err.value)


# --- every numeric field of the three configs -----------------------------------------------------

CONFIG_FIELDS = [(cls, f.name, f.metadata["spec"]) for cls in (NetworkConfig, DQNConfig, TrainingConfig)
                 for f in dataclasses.fields(cls) if f.metadata["spec"].choices is None]


def _field_out_of_range(spec) -> st.SearchStrategy:
    arg = Arg("", None, {}, "", lo=spec.lo, hi=spec.hi, lo_open=spec.lo_open, hi_open=spec.hi_open,
              posinf=spec.posinf, integer=spec.integer)
    strategy = arg.out_of_range()
    return strategy.map(lambda v: (v, v)) if spec.each else strategy


@pytest.mark.parametrize("cls, name, spec", CONFIG_FIELDS, ids=[f"{c.__name__}.{n}" for c, n, _ in CONFIG_FIELDS])
@settings(max_examples=8, deadline=None, derandomize=True)
@given(data=st.data())
def test_every_numeric_config_field_rejects_bad_values(cls, name, spec, data):
    value = data.draw(_field_out_of_range(spec), label=name)
    with pytest.raises(ValueError) as err:
        dataclasses.replace(cls(), **{name: value})
    assert str(err.value).startswith(f"{name}=")


@pytest.mark.parametrize("bad", WRONG_TYPES, ids=[type(b).__name__ for b in WRONG_TYPES])
@pytest.mark.parametrize("cls, name, spec", CONFIG_FIELDS, ids=[f"{c.__name__}.{n}" for c, n, _ in CONFIG_FIELDS])
def test_every_numeric_config_field_rejects_wrong_types(cls, name, spec, bad):
    value = (bad, bad) if spec.each and not isinstance(bad, list) else bad
    with pytest.raises(TypeError) as err:
        dataclasses.replace(cls(), **{name: value})
    assert str(err.value).startswith(f"{name}=")


BROADCAST_FIELDS = [(cls, name, spec) for cls, name, spec in CONFIG_FIELDS if spec.broadcast]


@pytest.mark.parametrize("cls, name, spec", BROADCAST_FIELDS, ids=[f"{c.__name__}.{n}" for c, n, _ in BROADCAST_FIELDS])
@settings(max_examples=8, deadline=None, derandomize=True)
@given(data=st.data())
def test_every_broadcast_config_field_rejects_a_bad_single_number(cls, name, spec, data):
    """A field that accepts one number for every entry checks that number against the same range."""
    arg = Arg("", None, {}, "", lo=spec.lo, hi=spec.hi, lo_open=spec.lo_open, hi_open=spec.hi_open,
              posinf=spec.posinf, integer=spec.integer)
    value = data.draw(arg.out_of_range(), label=name)
    with pytest.raises(ValueError) as err:
        dataclasses.replace(cls(), **{name: value})
    assert str(err.value).startswith(f"{name}=")


@pytest.mark.parametrize("bad", WRONG_TYPES, ids=[type(b).__name__ for b in WRONG_TYPES])
@pytest.mark.parametrize("cls, name, spec", BROADCAST_FIELDS, ids=[f"{c.__name__}.{n}" for c, n, _ in BROADCAST_FIELDS])
def test_every_broadcast_config_field_rejects_a_single_value_of_the_wrong_type(cls, name, spec, bad):
    with pytest.raises(TypeError) as err:
        dataclasses.replace(cls(), **{name: bad})
    assert str(err.value).startswith(f"{name}=")


def test_every_choice_field_rejects_wrong_types_and_unknown_values():
    for cls in (NetworkConfig, DQNConfig, TrainingConfig):
        for f in dataclasses.fields(cls):
            if f.metadata["spec"].choices is not None:
                with pytest.raises(TypeError, match=f"^{f.name}=None"):
                    dataclasses.replace(cls(), **{f.name: None})
                with pytest.raises(ValueError, match=f"^{f.name}='nope' is invalid: allowed one of"):
                    dataclasses.replace(cls(), **{f.name: "nope"})


def test_every_physical_field_states_why_it_is_bounded():
    """The reason is part of the 'allowed' column of the Assumptions page (Spec.allowed)."""
    structural = {"modulation_orders"}                                         # its rule is the set itself
    for f in dataclasses.fields(NetworkConfig):
        spec = f.metadata["spec"]
        if spec.choices is None and f.name not in structural:
            assert spec.why and spec.allowed().endswith(spec.why), f.name


# ================================================================================================
# 3. Every documented limit probed exactly, and every default inside its own range
# ================================================================================================

UP, DOWN = INF, -INF


def _strict_pl(**kw):
    return channel.umi_path_loss_db(**{**PL, **kw}, strict=True)


# (label, call(value), limit, accepted at the limit, direction of "beyond")
LIMITS = [
    ("strict d2d_m >= 10 m", lambda v: _strict_pl(d2d_m=v), 10.0, True, DOWN),
    ("strict d2d_m <= 5 km", lambda v: _strict_pl(d2d_m=v), 5000.0, True, UP),
    ("strict h_ut_m >= 1.5 m", lambda v: _strict_pl(h_ut_m=v), 1.5, True, DOWN),
    ("strict h_ut_m <= 22.5 m", lambda v: _strict_pl(h_ut_m=v), 22.5, True, UP),
    ("strict h_bs_m = 10 m (below)", lambda v: _strict_pl(h_bs_m=v), 10.0, True, DOWN),
    ("strict h_bs_m = 10 m (above)", lambda v: _strict_pl(h_bs_m=v), 10.0, True, UP),
    ("fc_hz >= 0.5 GHz", lambda v: channel.umi_path_loss_db(**{**PL, "fc_hz": v}), 0.5e9, True, DOWN),
    ("fc_hz <= 100 GHz", lambda v: channel.umi_path_loss_db(**{**PL, "fc_hz": v}), 100e9, True, UP),
    ("h_ut_m > 1 m", lambda v: channel.umi_path_loss_db(**{**PL, "h_ut_m": v}), 1.0, False, DOWN),
    ("h_bs_m > 1 m", lambda v: channel.breakpoint_distance_m(FC, v, H_UT), 1.0, False, DOWN),
    ("d2d_m >= 0", lambda v: channel.umi_path_loss_db(**{**PL, "d2d_m": v}), 0.0, True, DOWN),
    ("paper_printed d2d_m > 0", lambda v: channel.umi_los_probability(v, paper_printed=True), 0.0, False, DOWN),
    ("strict paper_printed d2d_m >= 18 m", lambda v: channel.umi_los_probability(v, True, strict=True), 18.0, True,
     DOWN),
    ("rho >= -1", lambda v: channel.gauss_markov_autocorrelation(v, 3), -1.0, True, DOWN),
    ("rho <= 1", lambda v: channel.gauss_markov_step(RNG(0), 1j, v), 1.0, True, UP),
    ("jakes_psd doppler_hz > 0", lambda v: channel.jakes_psd(0.0, v), 0.0, False, DOWN),
    ("coherence_time_s > 0", lambda v: channel.doppler_for_coherence_time_hz(v), 0.0, False, DOWN),
    ("std_db >= 0", lambda v: channel.shadowing_db(RNG(0), 2, v), 0.0, True, DOWN),
    ("phi >= -1", lambda v: interference.sinr(1.0, 1e-9, 2.0, 1e-13, 1e-13, 0.05, phi=v), -1.0, True, DOWN),
    ("LinearDeviation phi >= -1", lambda v: env.LinearDeviation(v), -1.0, True, DOWN),
    ("sigma_rt >= 0", lambda v: interference.hwi_distortion_power_w(1e-9, 2.0, v), 0.0, True, DOWN),
    ("noise_w > 0", lambda v: interference.sinr(1.0, 1e-9, 2.0, 0.0, v, 0.05), 0.0, False, DOWN),
    ("total_power_w > 0 (ceiling)", lambda v: interference.hwi_sinr_ceiling(1.0, v, 0.05), 0.0, False, DOWN),
    ("acir >= 1/2", lambda v: interference.aci_power_w([1e-9], [1.0], [v]), 0.5, True, DOWN),
    ("acir >= 1/2 (network)", lambda v: interference.adjacent_channel_interference_w(
        [0, 1], [0, 1], [1.0, 1.0], GAIN_KN, [v]), 0.5, True, DOWN),
    ("aclr_db >= 0", lambda v: interference.acir_linear(v, 33.0), 0.0, True, DOWN),
    ("acs_db >= 0", lambda v: interference.acir_linear(45.0, v), 0.0, True, DOWN),
    ("sinr >= 0", lambda v: link.throughput_bits(v, 4, 0.5, 10, 100), 0.0, True, DOWN),
    ("code_rate <= 1", lambda v: link.coding_gain(v, 10), 1.0, True, UP),
    ("code_rate > 0", lambda v: link.coding_gain(v, 10), 0.0, False, DOWN),
    ("ser >= 0", lambda v: link.packet_error_rate(v, 100), 0.0, True, DOWN),
    ("ser <= 1", lambda v: link.packet_error_rate(v, 100), 1.0, True, UP),
    ("n_symbols >= 1", lambda v: link.packet_error_rate(0.1, v), 1.0, True, DOWN),
    ("q_function_inv p > 0", units.q_function_inv, 0.0, False, DOWN),
    ("q_function_inv p < 1", units.q_function_inv, 1.0, False, UP),
    ("noise_figure_db >= 0", lambda v: units.noise_power_dbm(180e3, -174.0, v), 0.0, True, DOWN),
    ("linear_to_db x >= 0", units.linear_to_db, 0.0, True, DOWN),
    ("alpha >= 0", lambda v: scheduling.update_average_rate(1.0, 2.0, v), 0.0, True, DOWN),
    ("alpha <= 1", lambda v: scheduling.update_average_rate(1.0, 2.0, v), 1.0, True, UP),
    ("average_rate > 0", lambda v: scheduling.pf_metric(v, 1e-9, 1e-3, 1e-13), 0.0, False, DOWN),
    ("exclusion_radius_m < coverage_radius_m",
     lambda v: topology.drop_devices(RNG(0), np.zeros((1, 2)), 2, 300.0, v), 300.0, False, UP),
    ("exclusion_radius_m >= 0", lambda v: topology.drop_devices(RNG(0), np.zeros((1, 2)), 2, 300.0, v), 0.0, True,
     DOWN),
    ("spacing_m > 0", lambda v: topology.ap_positions(4, v), 0.0, False, DOWN),
    ("power_w >= P_min (1e-12 rounding)", lambda v: ENV.evaluate(np.zeros((1, 3), int), power_w=np.full((1, 3), v)),
     P_MIN_W * (1 - 1e-12), True, DOWN),
    ("power_w <= P_max (1e-12 rounding)", lambda v: ENV.evaluate(np.zeros((1, 3), int), power_w=np.full((1, 3), v)),
     P_MAX_W * (1 + 1e-12), True, UP),
    ("confidence > 0", lambda v: evaluation.t_confidence_interval([1.0, 2.0], v), 0.0, False, DOWN),
    ("confidence < 1", lambda v: evaluation.t_confidence_interval([1.0, 2.0], v), 1.0, False, UP),
    ("tol >= 0", lambda v: fractional.fp_power_control(PROBLEM, P_MIN_W, P_MAX_W, max_iter=1, tol=v), 0.0, True,
     DOWN),
    ("p_min_w < p_max_w", lambda v: fractional.fp_power_control(PROBLEM, v, P_MAX_W, max_iter=1), P_MAX_W, False, UP),
    ("coupling_ratio > 0", lambda v: hardness.mis_reduction_coupling(ADJ, NET, coupling_ratio=v), 0.0, False, DOWN),
    ("target_ser < 0.5", lambda v: link.sinr_at_ser(v, 4, bracket_db=(-400.0, 60.0)), 0.5, False, UP),
    ("fraction < 1", lambda v: link.sinr_at_throughput_fraction(v, NET), 1.0, False, UP),
]


@pytest.mark.parametrize("label, call, limit, closed, beyond", LIMITS, ids=[x[0] for x in LIMITS])
def test_limits_exactly(label, call, limit, closed, beyond):
    inward = -beyond
    if closed:
        call(limit)                                                             # at the limit: accepted
        with pytest.raises(ValueError):
            call(math.nextafter(limit, beyond))                                 # one ulp beyond: refused
    else:
        with pytest.raises(ValueError):
            call(limit)                                                         # an open limit is refused
        call(math.nextafter(limit, inward))                                     # one ulp inside: accepted


INTEGER_LIMITS = [
    ("n_steps >= 1", lambda v: channel.gauss_markov_sequence(RNG(0), 2, v, 0.5), 1),
    ("n_rrbs >= 1", lambda v: scheduling.select_and_place(np.ones(3), v), 1),
    ("n_aps >= 1", lambda v: topology.ap_positions(v, 600.0), 1),
    ("n_envs >= 1", lambda v: env.NetworkEnv(SMALL, n_envs=v), 1),
    ("seed >= 0", lambda v: env.NetworkEnv(SMALL).reset(seed=v), 0),
    ("max_iter >= 1", lambda v: fractional.fp_power_control(PROBLEM, P_MIN_W, P_MAX_W, max_iter=v), 1),
    ("overhead counts >= 1", lambda v: overhead.per_slot_exchanges_physical(v, 4, 1, 64), 1),
    ("max_degree >= 0", lambda v: hardness.mis_reduction_bounds(NET, max_degree=v), 0),
    ("cqi >= 0", lambda v: cqi.cqi_to_mcs(v, NET), 0),
    ("bench --n >= 1", lambda v: bench.count_arg(str(v)), 1),
]


@pytest.mark.parametrize("label, call, lowest", INTEGER_LIMITS, ids=[x[0] for x in INTEGER_LIMITS])
def test_integer_lower_limits_exactly(label, call, lowest):
    import argparse

    call(lowest)
    with pytest.raises((ValueError, argparse.ArgumentTypeError)):
        call(lowest - 1)


def test_integer_upper_limits_exactly():
    import argparse

    cqi.cqi_to_mcs(15, NET)
    with pytest.raises(ValueError, match="cqi=16 is out of range"):
        cqi.cqi_to_mcs(16, NET)
    assert bench.count_arg(str(bench.MAX_ELEMENTS)) == bench.MAX_ELEMENTS
    with pytest.raises(argparse.ArgumentTypeError):
        bench.count_arg(str(bench.MAX_ELEMENTS + 1))
    assert coupling.power_index_vectors([4**3 - 1], 3, 4).tolist() == [[3, 3, 3]]
    with pytest.raises(ValueError, match="index=.* is out of range"):
        coupling.power_index_vectors([4**3], 3, 4)
    coupling.power_index_vectors([0], 31, 4)                                    # 4^31 = 2^62 < 2^63
    with pytest.raises(ValueError, match="overflows int64"):
        coupling.power_index_vectors([0], 32, 4)                                # 4^32 = 2^64


@pytest.mark.parametrize("arg", [a for a in ARGS if a.name not in a.valid], ids=[f"{a.label}:{a.name}" for a in ARGS
                                                                               if a.name not in a.valid])
def test_every_default_is_inside_its_own_range(arg):
    """An argument left at its default in the sweep, passed explicitly with that default value, is valid."""
    target = arg.call
    try:
        parameters = inspect.signature(target).parameters
    except (TypeError, ValueError):
        pytest.skip("no signature")
    if arg.name not in parameters or parameters[arg.name].default is inspect.Parameter.empty:
        pytest.skip(f"{arg.name} has no default here")
    arg(parameters[arg.name].default)


# --- every public function lists the errors it raises ----------------------------------------------

MODULES = [units, channel, link, interference, topology, scheduling, env, cqi, coupling, baselines, fractional,
           evaluation, overhead, hardness]
#: Records that hold results or state and check nothing (no argument of theirs is validated).
RECORDS = {"EpisodeState", "DeviationModel", "SearchResult", "LinkCoupling", "AffineSINR", "FPInfo", "OverheadTerms",
           "OverheadReduction", "PolicyEvaluation"}


@pytest.mark.parametrize("module", MODULES, ids=[m.__name__ for m in MODULES])
def test_public_docstrings_list_their_errors(module):
    missing = []
    for name in module.__all__:
        obj = getattr(module, name)
        if not callable(obj) or name in RECORDS:
            continue                                                            # constants and records
        if "Error" not in (inspect.getdoc(obj) or ""):
            missing.append(name)
    assert not missing, f"{module.__name__}: docstrings without the errors raised: {missing}"
