"""overhead.py: the signaling-overhead counts of Sec. V-C-2 (Eq. 38) and Sec. V-D-3."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from multirat import overhead as ovh
from multirat.config import STATE_DIM, DQNConfig, NetworkConfig, TrainingConfig

counts = st.integers(1, 60)


# --- per-TS count: hand-computed cases ---------------------------------------------------------

@pytest.mark.parametrize("n, k, t_d, d_b, expected", [
    (20, 4, 1, 64, 20 * (6 + 4 + 1) + 128),        # 348, the paper's default scenario
    (20, 4, 2, 64, 20 * (12 + 8 + 1) + 128),       # 548
    (1, 1, 1, 1, 1 * (6 + 1 + 1) + 2),             # 10
    (100, 6, 3, 32, 100 * (18 + 18 + 1) + 64),     # 3764
])
def test_per_slot_hand_computed(n, k, t_d, d_b, expected):
    assert ovh.per_slot_exchanges_physical(n, k, t_d, d_b) == expected


def test_per_slot_term_by_term():
    n, k, t_d, d_b = 7, 3, 5, 11
    clustering, csi, pf, sars, store, weights = n * k * t_d, n * t_d, n * t_d, 4 * n * t_d, n, 2 * d_b
    assert ovh.per_slot_exchanges_physical(n, k, t_d, d_b) == clustering + csi + pf + sars + store + weights
    assert ovh.per_slot_exchanges_physical(n, k, t_d, d_b, per_episode_clustering=True) == \
        csi + pf + sars + store + weights
    parts = ovh.per_slot_breakdown_physical(n, k, t_d, d_b)
    assert list(parts.values()) == [clustering, csi, pf, sars, store, d_b, d_b]
    # the DT count is N K + 7 N + 2 D_b (Eq. 38's second factor)
    assert ovh.per_slot_exchanges_dt(n, k, d_b) == n * k + 7 * n + 2 * d_b


def test_per_episode_clustering_counts_clustering_once():
    t, n, k, t_d, d_b = 50, 20, 4, 2, 64
    paper = ovh.per_episode_exchanges_physical(t, n, k, t_d, d_b)
    alg2 = ovh.per_episode_exchanges_physical(t, n, k, t_d, d_b, per_episode_clustering=True)
    assert paper - alg2 == (t - 1) * n * k * t_d
    assert ovh.per_episode_exchanges_dt(t, n, k, d_b, per_episode_clustering=True) == t * (7 * n + 2 * d_b) + n * k


def test_physical_only_closed_form_and_broadcasting():
    z = np.array([1, 10, 2000])[:, None]
    t = np.array([1, 50])[None, :]
    got = ovh.overhead_physical_only(z, t, 20, 4, 1, 64)
    assert got.shape == (3, 2) and got.dtype == np.int64
    np.testing.assert_array_equal(got, z * t * 348)


# --- Eq. (38) ------------------------------------------------------------------------------------

def test_eq38_as_printed_reimplemented():
    z, zk, t, n, k, t_d, d_b = 2000, 300, 50, 20, 4, 3, 64
    r = ovh.overhead_proposed(z, zk, t, n, k, t_d, d_b)
    first = (z / zk) * t * (n * (6 * t_d + k * t_d + 1) + 2 * d_b)
    second = (z - z / zk) * t * (n * k + 7 * n + 2 * d_b)
    assert r.over_the_air == pytest.approx(first, rel=1e-14)
    assert r.dt_internal == pytest.approx(second, rel=1e-14)
    assert r.total == pytest.approx(first + second, rel=1e-14)
    f = ovh.overhead_proposed(z, zk, t, n, k, t_d, d_b, variant="floor")
    assert f.over_the_air == (z // zk) * t * (n * (6 * t_d + k * t_d + 1) + 2 * d_b)
    assert f.dt_internal == (z - z // zk) * t * (n * k + 7 * n + 2 * d_b)


@pytest.mark.parametrize("variant", ovh.VARIANTS)
@given(z=st.integers(1, 5000), t=counts, n=counts, k=st.integers(1, 9), t_d=st.integers(1, 5),
       d_b=st.integers(1, 256), clustering=st.booleans())
@settings(max_examples=60, deadline=None)
def test_zk_one_is_physical_only(variant, z, t, n, k, t_d, d_b, clustering):
    r = ovh.overhead_proposed(z, 1, t, n, k, t_d, d_b, variant, clustering)
    phy = ovh.overhead_physical_only(z, t, n, k, t_d, d_b, clustering)
    assert r.total == phy and r.over_the_air == phy and r.dt_internal == 0
    red = ovh.overhead_reduction(z, 1, t, n, k, t_d, d_b, variant, clustering)
    assert red.over_the_air == 0.0 and red.total == 0.0


@given(z=st.integers(1, 500), extra=st.integers(1, 1000), t=counts, n=counts, k=st.integers(1, 9),
       t_d=st.integers(1, 5), d_b=st.integers(1, 256))
@settings(max_examples=50, deadline=None)
def test_zk_above_z_floor_leaves_only_dt_traffic(z, extra, t, n, k, t_d, d_b):
    r = ovh.overhead_proposed(z, z + extra, t, n, k, t_d, d_b, variant="floor")
    assert r.over_the_air == 0
    assert r.dt_internal == r.total == z * t * ovh.per_slot_exchanges_dt(n, k, d_b)
    assert ovh.overhead_reduction(z, z + extra, t, n, k, t_d, d_b, variant="floor").over_the_air == 1.0
    # the printed form still charges Z/Z_k > 0 (a fraction of one) physical episodes
    assert ovh.overhead_proposed(z, z + extra, t, n, k, t_d, d_b).over_the_air > 0


@pytest.mark.parametrize("variant", ovh.VARIANTS)
@given(z=st.integers(1, 3000), zk=st.integers(1, 4000), t=counts, n=counts, k=st.integers(1, 9),
       t_d=st.integers(1, 5), d_b=st.integers(1, 256), clustering=st.booleans())
@settings(max_examples=60, deadline=None)
def test_terms_sum_and_linearity(variant, z, zk, t, n, k, t_d, d_b, clustering):
    r = ovh.overhead_proposed(z, zk, t, n, k, t_d, d_b, variant, clustering)
    assert r.total == r.over_the_air + r.dt_internal
    # linear in T (every count is T times a per-TS or per-episode count... except per-episode
    # clustering, which adds a T-independent term): compare differences
    r2 = ovh.overhead_proposed(z, zk, 2 * t, n, k, t_d, d_b, variant, clustering)
    r3 = ovh.overhead_proposed(z, zk, 3 * t, n, k, t_d, d_b, variant, clustering)
    assert r3.total - r2.total == pytest.approx(r2.total - r.total, rel=1e-12)
    if not clustering:
        assert r2.total == pytest.approx(2 * r.total, rel=1e-12)
    # linear in Z (printed form: exactly proportional; physical-only: exactly proportional)
    phy, phy3 = (ovh.overhead_physical_only(zz, t, n, k, t_d, d_b, clustering) for zz in (z, 3 * z))
    assert phy3 == 3 * phy
    if variant == "printed":
        assert ovh.overhead_proposed(3 * z, zk, t, n, k, t_d, d_b, variant, clustering).total == \
            pytest.approx(3 * r.total, rel=1e-12)


@pytest.mark.parametrize("variant", ovh.VARIANTS)
@given(z=st.integers(1, 3000), zk=st.lists(st.integers(1, 5000), min_size=2, max_size=8),
       t=counts, n=counts, k=st.integers(1, 9), t_d=st.integers(1, 5), d_b=st.integers(1, 256))
@settings(max_examples=60, deadline=None)
def test_over_the_air_non_increasing_in_zk(variant, z, zk, t, n, k, t_d, d_b):
    zk = np.sort(np.array(zk))
    ota = np.asarray(ovh.overhead_proposed(z, zk, t, n, k, t_d, d_b, variant).over_the_air, dtype=float)
    assert np.all(np.diff(ota) <= 0)


@given(z=st.integers(1, 3000), zk=st.integers(1, 5000), t=counts, n=counts, k=st.integers(1, 9),
       t_d=st.integers(1, 6), d_b=st.integers(1, 256), clustering=st.booleans())
@settings(max_examples=60, deadline=None)
def test_reduction_closed_forms(z, zk, t, n, k, t_d, d_b, clustering):
    red = ovh.overhead_reduction(z, zk, t, n, k, t_d, d_b, "printed", clustering)
    assert red.over_the_air == pytest.approx(1 - 1 / zk, abs=1e-12)
    c_phy = ovh.per_episode_exchanges_physical(t, n, k, t_d, d_b, clustering)
    c_dt = ovh.per_episode_exchanges_dt(t, n, k, d_b, clustering)
    assert red.total == pytest.approx((1 - 1 / zk) * (1 - c_dt / c_phy), abs=1e-12)
    floor = ovh.overhead_reduction(z, zk, t, n, k, t_d, d_b, "floor", clustering)
    assert floor.over_the_air == pytest.approx(1 - (z // zk) / z, abs=1e-12)
    assert -1e-12 <= red.total <= red.over_the_air + 1e-12 <= 1.0 + 1e-12


def test_total_reduction_vanishes_at_unit_t_d():
    """With T_D = 1 the DT count NK + 7N + 2D_b equals the physical one: Eq. (38) = physical-only."""
    zk = np.array([1, 10, 50, 100, 200, 1000])
    r = ovh.overhead_proposed(2000, zk, 50, 20, 4, 1, 64)
    np.testing.assert_allclose(r.total, ovh.overhead_physical_only(2000, 50, 20, 4, 1, 64), rtol=1e-15)
    assert np.all(ovh.overhead_reduction(2000, zk, 50, 20, 4, 2, 64).total[1:] > 0)


def test_physical_episode_count():
    assert ovh.physical_episode_count(2000, 300) == pytest.approx(2000 / 300)
    assert ovh.physical_episode_count(2000, 300, "floor") == 6
    assert ovh.physical_episode_count(5, 7, "floor") == 0


# --- the event-counting oracle ------------------------------------------------------------------

@pytest.mark.parametrize("z, zk, t, n, k, t_d, d_b, clustering", [
    (30, 7, 4, 5, 3, 2, 8, False),       # Z_k does not divide Z
    (30, 7, 4, 5, 3, 2, 8, True),
    (40, 10, 3, 20, 4, 1, 64, False),    # Z_k divides Z
    (40, 10, 3, 20, 4, 3, 64, True),
    (12, 1, 5, 2, 2, 4, 1, False),       # physical-only
    (12, 50, 5, 2, 2, 4, 1, True),       # Z_k > Z
])
def test_simulation_matches_closed_forms(z, zk, t, n, k, t_d, d_b, clustering):
    sim = ovh.count_exchanges_by_simulation(z, zk, t, n, k, t_d, d_b, clustering)
    floor = ovh.overhead_proposed(z, zk, t, n, k, t_d, d_b, "floor", clustering)
    assert (sim.over_the_air, sim.dt_internal, sim.total) == (floor.over_the_air, floor.dt_internal, floor.total)
    printed = ovh.overhead_proposed(z, zk, t, n, k, t_d, d_b, "printed", clustering)
    if z % zk == 0:
        assert printed.total == sim.total and printed.over_the_air == sim.over_the_air
    else:
        assert printed.over_the_air != sim.over_the_air
    if zk == 1:
        assert sim.total == ovh.overhead_physical_only(z, t, n, k, t_d, d_b, clustering)


# --- DQN size ------------------------------------------------------------------------------------

def test_dqn_parameter_count_against_torch():
    net = NetworkConfig()
    h1, h2 = DQNConfig().hidden_sizes
    model = torch.nn.Sequential(torch.nn.Linear(STATE_DIM, h1), torch.nn.Tanh(), torch.nn.Linear(h1, h2),
                                torch.nn.Tanh(), torch.nn.Linear(h2, net.n_actions))
    n_torch = sum(p.numel() for p in model.parameters())
    assert ovh.dqn_parameter_count() == n_torch == 6 * 64 + 64 + 64 * 128 + 128 + 128 * 48 + 48
    assert ovh.dqn_parameter_count((3,), 2, 1) == (2 + 1) * 3 + (3 + 1) * 1
    with pytest.raises(ValueError, match="hidden_sizes"):
        ovh.dqn_parameter_count((0, 4))
    with pytest.raises(ValueError, match="n_outputs"):
        ovh.dqn_parameter_count(n_outputs=2.5)


# --- execution (Algorithm 3) ---------------------------------------------------------------------

def test_execution_feedback():
    np.testing.assert_array_equal(ovh.execution_feedback_per_slot(np.array([1, 20, 100])), [2, 40, 200])
    assert ovh.execution_position_reports(20, 100, 10) == 20 * 10
    assert ovh.execution_position_reports(20, 101, 10) == 20 * 11
    assert ovh.execution_position_reports(20, 5, 1000) == 20        # Alg. 3 as printed: once


# --- invalid inputs ------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [0, -3, 2.5, np.nan, True, "4"])
@pytest.mark.parametrize("name", ["episodes", "z_k", "slots", "n_devices", "n_aps", "t_d", "d_b"])
def test_invalid_counts_name_the_argument(name, bad):
    args = dict(episodes=2000, z_k=100, slots=50, n_devices=20, n_aps=4, t_d=1, d_b=64)
    args[name] = bad
    error = TypeError if isinstance(bad, (bool, str)) else ValueError       # wrong types: TypeError
    with pytest.raises(error, match=name):
        ovh.overhead_proposed(**args)
    with pytest.raises(error, match=name):
        ovh.count_exchanges_by_simulation(**args)


def test_invalid_arrays_and_variant():
    with pytest.raises(ValueError, match="n_devices"):
        ovh.per_slot_exchanges_physical(np.array([20, 0]), 4, 1, 64)
    with pytest.raises(ValueError, match="variant"):
        ovh.overhead_proposed(2000, 100, 50, 20, 4, 1, 64, variant="round")
    with pytest.raises(ValueError, match="clustering_period"):
        ovh.execution_position_reports(20, 100, 0)


def test_paper_defaults_from_config():
    """The chapter's operating point, from the configs (not a hand-typed number)."""
    net, dqn, tr = NetworkConfig(), DQNConfig(), TrainingConfig()
    r = ovh.overhead_reduction(tr.episodes, tr.z_k, net.slots_per_episode, net.n_devices, net.n_aps, 1,
                               dqn.batch_size)
    assert r.over_the_air == pytest.approx(1 - 1 / tr.z_k, abs=1e-15)


# --- hand-computed totals at the paper's operating point (Z = 2000, T = 50, N = 20, K = 4, D_b = 64) ---

def test_eq38_at_the_paper_defaults_by_hand():
    # c_phy = 20 (6 + 4 + 1) + 128 = 348 at T_D = 1; 20 (12 + 8 + 1) + 128 = 548 at T_D = 2; c_DT = 348
    assert ovh.overhead_physical_only(2000, 50, 20, 4, 1, 64) == 34_800_000
    r = ovh.overhead_proposed(2000, 100, 50, 20, 4, 1, 64)
    assert (r.over_the_air, r.dt_internal, r.total) == (348_000, 34_452_000, 34_800_000)
    r = ovh.overhead_proposed(2000, 100, 50, 20, 4, 2, 64)
    assert (r.over_the_air, r.dt_internal, r.total) == (548_000, 34_452_000, 35_000_000)
    red = ovh.overhead_reduction(2000, 100, 50, 20, 4, 2, 64)
    assert red.over_the_air == pytest.approx(0.99, abs=1e-15)
    assert red.total == pytest.approx(1 - 35.0 / 54.8, abs=1e-15)


def test_zk_not_dividing_z_by_hand():
    """Z = 2000, Z_k = 300: the printed form charges 6.67 physical episodes, Algorithm 2 runs 6."""
    per_episode = 50 * 348
    printed = ovh.overhead_proposed(2000, 300, 50, 20, 4, 1, 64)
    floor = ovh.overhead_proposed(2000, 300, 50, 20, 4, 1, 64, variant="floor")
    assert printed.over_the_air == pytest.approx(2000 / 300 * per_episode, rel=1e-15)
    assert printed.over_the_air == pytest.approx(116_000.0, rel=1e-15)
    assert floor.over_the_air == 6 * per_episode == 104_400
    assert floor.dt_internal == 1994 * per_episode
    assert ovh.count_exchanges_by_simulation(2000, 300, 50, 20, 4, 1, 64).over_the_air == 104_400
    # Z_k = Z: exactly one physical episode (the last one), in both forms
    for variant in ovh.VARIANTS:
        assert ovh.overhead_proposed(40, 40, 5, 2, 2, 3, 4, variant).over_the_air == \
            ovh.per_episode_exchanges_physical(5, 2, 2, 3, 4)


def test_default_keyword_arguments():
    """The paper's count is the default everywhere: Eq. (38) as printed, clustering counted per TS."""
    import inspect

    assert ovh.VARIANTS == ("printed", "floor")
    for fn in (ovh.per_slot_exchanges_physical, ovh.per_slot_exchanges_dt, ovh.per_episode_exchanges_physical,
               ovh.per_episode_exchanges_dt, ovh.overhead_physical_only, ovh.overhead_proposed,
               ovh.overhead_reduction, ovh.count_exchanges_by_simulation):
        assert inspect.signature(fn).parameters["per_episode_clustering"].default is False, fn.__name__
    for fn in (ovh.physical_episode_count, ovh.overhead_proposed, ovh.overhead_reduction):
        assert inspect.signature(fn).parameters["variant"].default == "printed", fn.__name__
    # and the values agree with the explicit arguments
    assert ovh.per_episode_exchanges_dt(50, 20, 4, 64) == 50 * (80 + 140 + 128) == 17_400
    assert ovh.per_slot_exchanges_dt(20, 4, 64) == 348
    red = ovh.overhead_reduction(2000, 300, 50, 20, 4, 2, 64)
    assert red.over_the_air == pytest.approx(1 - 1 / 300, abs=1e-15)        # printed: 1 - 1/Z_k
    sim = ovh.count_exchanges_by_simulation(3, 2, 2, 1, 1, 1, 1)
    assert sim.total == 3 * 2 * (1 + 6 + 1 + 2)                            # clustering every TS: N K = 1


def test_dt_count_with_per_episode_clustering():
    assert ovh.per_slot_exchanges_dt(20, 4, 64, per_episode_clustering=True) == 7 * 20 + 128
    assert ovh.per_slot_exchanges_dt(20, 4, 64, per_episode_clustering=False) == 20 * 4 + 7 * 20 + 128


@pytest.mark.parametrize("bad, error, message", [
    (np.inf, ValueError, "positive integer count"), (-np.inf, ValueError, "positive integer count"),
    (True, TypeError, "boolean"), (np.array([True, False]), TypeError, "boolean")])
def test_counts_reject_infinite_and_boolean(bad, error, message):
    with pytest.raises(error, match=message):
        ovh.per_slot_exchanges_physical(bad, 4, 1, 64)


def test_dqn_parameter_count_rejects_booleans():
    with pytest.raises(TypeError, match="hidden_sizes"):
        ovh.dqn_parameter_count((True, 4))
    with pytest.raises(TypeError, match="n_inputs"):
        ovh.dqn_parameter_count(n_inputs=False)
    assert ovh.dqn_parameter_count() == 14_960                              # 7*64 + 65*128 + 129*48


def test_counts_beyond_int64_raise_instead_of_wrapping():
    with pytest.raises(ValueError, match=r"exceeds the int64 range .* for n_devices=\[20, 2305843009213693952\]"):
        ovh.per_slot_exchanges_physical([20, 2**61], 4, 1, 64)
    with pytest.raises(ValueError, match="exceeds the int64 range"):
        ovh.overhead_proposed(2**50, 3, 10**6, 10**4, 64, 1, 64, variant="floor")
    with pytest.raises(ValueError, match="exceeds the int64 range"):
        ovh.per_slot_breakdown_physical(2**61, 4, 1, 64)
    with pytest.raises(ValueError, match=r"exceeds the int64 range .* clustering_period=2"):
        ovh.execution_position_reports(2**62, 3, 2)                            # N ceil(3/2) = 2**63 does not fit
    assert ovh.execution_position_reports(2**62 - 1, 3, 2) == 2**63 - 2
    # the largest counts that fit are exact (int64 arithmetic would be exact too; Python ints stay exact beyond)
    assert ovh.overhead_physical_only(2**20, 2**20, 1, 1, 1, 1) == 2**40 * 10
    got = ovh.overhead_physical_only(np.array([1, 2]), 50, 20, 4, 1, 64)
    assert got.dtype == np.int64 and got.tolist() == [17_400, 34_800]


def test_count_inputs_of_every_integer_kind():
    assert ovh.per_slot_exchanges_physical(np.array([20], dtype=object), 4, 1, 64).tolist() == [348]
    assert ovh.per_slot_exchanges_physical(np.uint16(20), np.int8(4), 1.0, 64) == 348
    with pytest.raises(ValueError, match=r"n_devices=9223372036854775808 is out of range"):
        ovh.per_slot_exchanges_physical(np.uint64(2**63), 4, 1, 64)
    with pytest.raises(ValueError, match=r"n_devices=.* is out of range: allowed integer in \[1, 2\*\*63\)"):
        ovh.per_slot_exchanges_physical([1, 2**64], 4, 1, 64)


def test_printed_factor_is_real_valued_beyond_z():
    """Eq. (38)'s Z/Z_k for Z_k > Z: a fraction of one episode (chapter 7 shows it); floor: none."""
    assert ovh.physical_episode_count(200, 300) == pytest.approx(2 / 3)
    assert ovh.physical_episode_count(200, 300, "floor") == 0
    zk = np.arange(1, 1001)
    assert np.all(ovh.physical_episode_count(2000, zk) >= ovh.physical_episode_count(2000, zk, "floor"))
