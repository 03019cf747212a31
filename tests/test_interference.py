"""interference.py: Eqs. (10)-(14) against closed forms and a literal per-link loop."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from multirat import interference as itf
from multirat import units
from multirat.config import NetworkConfig

NOISE_W = float(units.dbm_to_watt(NetworkConfig().noise_power_dbm))
ACIR = itf.acir_linear(NetworkConfig().aclr_db, NetworkConfig().acs_db)


# ------------------------------------------------------------------------------------------------
# independent references (plain Python loops, written from the equations)
# ------------------------------------------------------------------------------------------------

def aci_loop(rrb, serving_ap, power_w, gain, acir, aci_source):
    """Eq. (10) literally: for each scheduled victim, for each other scheduled link on r +- l."""
    n = len(rrb)
    out = [0.0] * n
    for i in range(n):
        if rrb[i] < 0:
            continue
        for j in range(n):
            if j == i or rrb[j] < 0:
                continue
            offset = abs(int(rrb[j]) - int(rrb[i]))
            if not 1 <= offset <= len(acir):
                continue
            if aci_source == "other_ap" and serving_ap[j] == serving_ap[i]:
                continue
            out[i] += gain[serving_ap[j]][i] * power_w[j] / acir[offset - 1]
    return np.array(out)


def random_allocation(rng, n_links, n_aps, n_rrbs, p_unscheduled=0.2, unique=True):
    if unique:
        rrb = rng.permutation(n_rrbs)[:n_links] if n_links <= n_rrbs else rng.integers(0, n_rrbs, n_links)
    else:
        rrb = rng.integers(0, n_rrbs, n_links)   # several links may share an RRB
    rrb = np.where(rng.random(n_links) < p_unscheduled, -1, rrb)
    serving_ap = rng.integers(0, n_aps, n_links)
    power_w = units.dbm_to_watt(rng.uniform(5, 30, n_links))
    gain = 10.0 ** rng.uniform(-14, -7, (n_aps, n_links))
    return rrb, serving_ap, power_w, gain


# ------------------------------------------------------------------------------------------------
# closed forms
# ------------------------------------------------------------------------------------------------

def test_acir_closed_form_and_config():
    a = itf.acir_linear(45.0, 33.0)
    assert a == pytest.approx(1.0 / (10 ** -4.5 + 10 ** -3.3), rel=1e-12)
    cfg = NetworkConfig()
    np.testing.assert_allclose(units.linear_to_db(ACIR), cfg.acir_db, rtol=1e-12)
    assert units.linear_to_db(ACIR) == pytest.approx([32.7, 42.0], abs=0.05)  # ECC Rep. 131 values
    # a near-perfect receiver leaves the transmitter's ACLR (and vice versa); broadcasting
    np.testing.assert_allclose(itf.acir_linear(np.array([20.0, 40.0]), 100.0), [100.0, 1e4], rtol=1e-5)
    np.testing.assert_allclose(itf.acir_linear(100.0, np.array([20.0, 40.0])), [100.0, 1e4], rtol=1e-5)


def test_aci_power_closed_form_and_phi():
    g = np.array([1e-9, 2e-10, 4e-11])
    p = np.array([1.0, 0.5, 0.1])
    a = np.array([10.0, 100.0, 1000.0])
    expected = 1e-9 * 1.0 / 10 + 2e-10 * 0.5 / 100 + 4e-11 * 0.1 / 1000
    assert itf.aci_power_w(g, p, a) == pytest.approx(expected, rel=1e-12)
    for phi in (-1.0, 0.4, 0.9, 3.0):
        assert itf.aci_power_w(g, p, a, phi) == pytest.approx((1 + phi) * expected, rel=1e-12, abs=0)
    # broadcasting: [2, 3] gains with [3] powers -> [2]
    out = itf.aci_power_w(np.stack([g, 2 * g]), p, a)
    np.testing.assert_allclose(out, [expected, 2 * expected], rtol=1e-12)
    assert itf.aci_power_w(np.zeros((4, 0)), np.zeros(0), np.zeros(0) + 1).shape == (4,)


def test_hwi_closed_form():
    got = itf.hwi_distortion_power_w(1e-10, 5.0, 0.05, phi=0.4)
    assert got == pytest.approx(1e-10 * 0.05**2 * 5.0 * 1.4, rel=1e-12)
    assert itf.hwi_distortion_power_w(1e-10, 5.0, 0.0) == 0.0


def test_sinr_closed_form_twin_and_physical():
    p, g, pt, aci, sig = 0.5, 3e-11, 2.0, 4e-14, 0.1
    twin = p * g / (g * sig**2 * pt + aci + NOISE_W)
    assert itf.sinr(p, g, pt, aci, NOISE_W, sig) == pytest.approx(twin, rel=1e-12)
    for phi in (0.4, 0.9):
        phys = p * g / ((1 + phi) * (g * sig**2 * pt + aci) + NOISE_W)
        assert itf.sinr(p, g, pt, aci, NOISE_W, sig, phi) == pytest.approx(phys, rel=1e-12)
    # phi = -1 removes ACI and HWI: the SNR remains
    assert itf.sinr(p, g, pt, aci, NOISE_W, sig, -1.0) == pytest.approx(p * g / NOISE_W, rel=1e-12)


def test_phi_makes_impairments_more_severe_never_less():
    """The paper's sentence after Eq. (12) says the opposite; Eqs. (11)-(12) decide."""
    phi = np.linspace(-1, 5, 61)
    s = itf.sinr(0.5, 3e-11, 2.0, 4e-14, NOISE_W, 0.1, phi)
    assert np.all(np.diff(s) < 0)
    phi, s = phi[1:], s[1:]
    # the change is at most the factor 1 + phi (reached when noise is negligible)
    s0 = itf.sinr(0.5, 3e-11, 2.0, 4e-14, NOISE_W, 0.1)
    pos = phi >= 0
    assert np.all(s[pos] >= s0 / (1 + phi[pos]) * (1 - 1e-12))
    assert np.all(s[~pos] <= s0 / (1 + phi[~pos]) * (1 + 1e-12))
    s_hi = itf.sinr(0.5, 3e-11, 2.0, 4e-14, NOISE_W * 1e-9, 0.1, phi)
    s0_hi = itf.sinr(0.5, 3e-11, 2.0, 4e-14, NOISE_W * 1e-9, 0.1)
    np.testing.assert_allclose(s_hi, s0_hi / (1 + phi), rtol=1e-6)


@pytest.mark.parametrize("sigma", [0.05, 0.1, 0.2])
@pytest.mark.parametrize("n_k", [1, 3, 8])
def test_hwi_ceiling_equal_split(sigma, n_k):
    p = np.full(n_k, 0.3)
    total = itf.ap_total_power_w(np.zeros(n_k, int), p, 1)[0]
    ceiling = itf.hwi_sinr_ceiling(p, total, sigma)
    np.testing.assert_allclose(ceiling, 1.0 / (sigma**2 * n_k), rtol=1e-12)
    # Eq. (14) approaches it as the gain grows (ACI and noise fixed)
    s = itf.sinr(p, 1e6, total, 1e-13, NOISE_W, sigma)
    np.testing.assert_allclose(s, ceiling, rtol=1e-9)
    assert np.all(itf.sinr(p, 1e-9, total, 1e-13, NOISE_W, sigma) < ceiling)


def test_ceiling_without_hwi_is_infinite():
    assert itf.hwi_sinr_ceiling(1.0, 2.0, 0.0) == np.inf
    assert itf.hwi_sinr_ceiling(1.0, 2.0, 0.1, phi=-1.0) == np.inf
    assert itf.hwi_sinr_ceiling(1.0, 2.0, 0.1, phi=1.0) == pytest.approx(1 / (2 * 0.01 * 2))


# ------------------------------------------------------------------------------------------------
# property tests
# ------------------------------------------------------------------------------------------------

powers = st.floats(min_value=1e-4, max_value=10.0)
log_gain = st.floats(min_value=-15, max_value=-6)


@settings(max_examples=60, deadline=None)
@given(p1=powers, p2=powers, others=st.floats(0.0, 20.0), lg=log_gain, aci=st.floats(0.0, 1e-10),
       sigma=st.one_of(st.just(0.0), st.floats(1e-3, 0.5)), phi=st.sampled_from([0.0, 0.4, 0.9]))
def test_sinr_increases_in_own_power_and_saturates(p1, p2, others, lg, aci, sigma, phi):
    """P_total includes the link's own power: more own power still helps, up to 1/((1+phi) sigma^2)."""
    lo, hi = sorted((p1, p2))
    g = 10.0**lg
    s_lo = itf.sinr(lo, g, lo + others, aci, NOISE_W, sigma, phi)
    s_hi = itf.sinr(hi, g, hi + others, aci, NOISE_W, sigma, phi)
    assert s_hi >= s_lo * (1 - 1e-12)
    if hi > lo * (1 + 1e-9):
        assert s_hi > s_lo
    if sigma > 0:
        assert s_hi < 1.0 / ((1 + phi) * sigma**2)


@settings(max_examples=60, deadline=None)
@given(lg=log_gain, aci1=st.floats(0.0, 1e-10), aci2=st.floats(0.0, 1e-10), sigma=st.floats(0.0, 0.5),
       phi=st.floats(-1.0, 5.0))
def test_sinr_decreases_in_aci(lg, aci1, aci2, sigma, phi):
    lo, hi = sorted((aci1, aci2))
    s_lo = itf.sinr(0.1, 10.0**lg, 1.0, lo, NOISE_W, sigma, phi)
    s_hi = itf.sinr(0.1, 10.0**lg, 1.0, hi, NOISE_W, sigma, phi)
    assert s_hi <= s_lo


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 30), k=st.integers(1, 5))
def test_ap_total_power_is_the_per_ap_sum(seed, n, k):
    rng = np.random.default_rng(seed)
    ap = rng.integers(0, k, n)
    p = rng.random(n)
    sched = rng.random(n) < 0.7
    got = itf.ap_total_power_w(ap, p, k, sched)
    ref = [sum(p[i] for i in range(n) if ap[i] == kk and sched[i]) for kk in range(k)]
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=0)
    assert got.shape == (k,)
    np.testing.assert_allclose(itf.ap_total_power_w(ap, p, k).sum(), p.sum(), rtol=1e-12)


def test_ap_total_power_batched():
    rng = np.random.default_rng(7)
    ap = rng.integers(0, 3, (4, 5, 10))
    p = rng.random((4, 5, 10))
    got = itf.ap_total_power_w(ap, p, 3)
    assert got.shape == (4, 5, 3)
    for idx in np.ndindex(4, 5):
        np.testing.assert_allclose(got[idx], np.bincount(ap[idx], p[idx], minlength=3), rtol=1e-12)


def test_hwi_reference_power_bases():
    ap = np.array([0, 0, 0, 1, 1])
    p = np.array([1.0, 2.0, 3.0, 4.0, 8.0])
    sched = np.array([True, True, True, True, False])
    np.testing.assert_allclose(itf.hwi_reference_power_w(ap, p, 2, sched), [6, 6, 6, 4, 4])
    np.testing.assert_allclose(itf.hwi_reference_power_w(ap, p, 2, sched, basis="ap_mean"), [2, 2, 2, 4, 4])
    np.testing.assert_allclose(itf.hwi_reference_power_w(ap, p, 2, sched, basis="own"), p)
    # 'own' basis: the ceiling is 1/sigma^2 whatever the split
    ref = itf.hwi_reference_power_w(ap, p, 2, sched, basis="own")
    np.testing.assert_allclose(itf.hwi_sinr_ceiling(p, ref, 0.1), 100.0)


# ------------------------------------------------------------------------------------------------
# vectorized ACI vs the literal loop
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("aci_source", itf.ACI_SOURCES)
@pytest.mark.parametrize("unique", [True, False])
def test_aci_matches_loop_reference(seed, aci_source, unique):
    rng = np.random.default_rng(seed)
    n_links, n_aps, n_rrbs = int(rng.integers(2, 40)), int(rng.integers(1, 6)), int(rng.integers(3, 50))
    rrb, ap, p, gain = random_allocation(rng, n_links, n_aps, n_rrbs, unique=unique)
    acir = units.db_to_linear(rng.uniform(20, 50, int(rng.integers(1, 4))))
    got, parts = itf.adjacent_channel_interference_w(rrb, ap, p, gain, acir, aci_source, n_rrbs=n_rrbs,
                                                     per_offset=True)
    ref = aci_loop(rrb, ap, p, gain, acir, aci_source)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=0)
    assert np.all(got[rrb < 0] == 0)
    assert parts.shape == (len(acir), n_links)
    np.testing.assert_allclose(parts.sum(axis=0), got, rtol=1e-12, atol=0)


def test_aci_contiguous_allocation_by_hand():
    """Five links on RRBs 0-4 alternating between two APs; unit gains, so each term is P / A."""
    rrb = np.arange(5)
    ap = np.array([0, 1, 0, 1, 0])
    p = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    gain = np.ones((2, 5))
    a1, a2 = 10.0, 1000.0
    other = itf.adjacent_channel_interference_w(rrb, ap, p, gain, [a1, a2])
    # other AP: only odd offsets (+-1) have a different AP here
    np.testing.assert_allclose(other, [2 / a1, (1 + 4) / a1, (2 + 8) / a1, (4 + 16) / a1, 8 / a1])
    anyap = itf.adjacent_channel_interference_w(rrb, ap, p, gain, [a1, a2], aci_source="any")
    np.testing.assert_allclose(anyap - other, [4 / a2, 8 / a2, (1 + 16) / a2, 2 / a2, 4 / a2])


def test_aci_batched_equals_per_network():
    rng = np.random.default_rng(11)
    nets = [random_allocation(rng, 12, 3, 15) for _ in range(6)]
    rrb, ap, p, gain = (np.stack([n[i] for n in nets]).reshape((2, 3) + np.shape(nets[0][i])) for i in range(4))
    got = itf.adjacent_channel_interference_w(rrb, ap, p, gain, ACIR, n_rrbs=15)
    assert got.shape == (2, 3, 12)
    for b, (r, a, pw, g) in enumerate(nets):
        np.testing.assert_allclose(got.reshape(6, 12)[b], aci_loop(r, a, pw, g, ACIR, "other_ap"), rtol=1e-12)


def test_aci_edge_cases():
    # nobody scheduled
    z = itf.adjacent_channel_interference_w(np.full(3, -1), [0, 1, 0], np.ones(3), np.ones((2, 3)), ACIR)
    np.testing.assert_array_equal(z, 0.0)
    # no adjacency considered (L = 0)
    z = itf.adjacent_channel_interference_w([0, 1], [0, 1], np.ones(2), np.ones((2, 2)), np.zeros(0) + 1)
    assert z.shape == (2,)
    z = itf.adjacent_channel_interference_w([0, 1], [0, 1], np.ones(2), np.ones((2, 2)), np.empty(0))
    np.testing.assert_array_equal(z, 0.0)
    # interferer on the last RRB, victim on the first: no wrap-around
    z = itf.adjacent_channel_interference_w([0, 9], [0, 1], np.ones(2), np.ones((2, 2)), [10.0, 10.0], n_rrbs=10)
    np.testing.assert_array_equal(z, 0.0)
    # float RRB indices that are integral are accepted
    z = itf.adjacent_channel_interference_w(np.array([0.0, 1.0]), [0, 1], np.ones(2), np.ones((2, 2)), [10.0])
    np.testing.assert_allclose(z, [0.1, 0.1])


def test_network_sinr_matches_composition():
    rng = np.random.default_rng(3)
    rrb, ap, p, gain = random_allocation(rng, 20, 4, 25)
    got = itf.network_sinr(rrb, ap, p, gain, ACIR, NOISE_W, 0.05, phi=0.4, n_rrbs=25)
    aci = aci_loop(rrb, ap, p, gain, ACIR, "other_ap")
    for i in range(20):
        if rrb[i] < 0:
            assert got[i] == 0
            continue
        total = sum(p[j] for j in range(20) if ap[j] == ap[i] and rrb[j] >= 0)
        g = gain[ap[i], i]
        expected = p[i] * g / (1.4 * (g * 0.05**2 * total + aci[i]) + NOISE_W)
        assert got[i] == pytest.approx(expected, rel=1e-12)


# ------------------------------------------------------------------------------------------------
# invalid inputs
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda: itf.aci_power_w([-1e-9], [1.0], [10.0]), "gain"),
    (lambda: itf.aci_power_w([1e-9], [-1.0], [10.0]), "power_w"),
    (lambda: itf.aci_power_w([1e-9], [1.0], [0.0]), "acir"),
    (lambda: itf.aci_power_w([1e-9], [1.0], [10.0], phi=-1.5), "phi"),
    (lambda: itf.aci_power_w([1e-9, 1e-9], [1.0, 1.0, 1.0], [10.0]), "broadcast"),
    (lambda: itf.hwi_distortion_power_w(1e-9, 1.0, -0.1), "sigma_rt"),
    (lambda: itf.hwi_distortion_power_w(1e-9, -1.0, 0.1), "total_power_w"),
    (lambda: itf.sinr(1.0, 1e-9, 1.0, 0.0, 0.0, 0.1), "noise_w"),
    (lambda: itf.sinr(1.0, 1e-9, 1.0, 0.0, -1e-13, 0.1), "noise_w"),
    (lambda: itf.sinr(1.0, 1e-9, 1.0, -1e-13, 1e-13, 0.1), "aci_w"),
    (lambda: itf.sinr(1.0, 1e-9, 1.0, 0.0, 1e-13, 0.1, phi=-2), "phi"),
    (lambda: itf.sinr(np.ones(2), np.ones(3), 1.0, 0.0, 1e-13, 0.1), "broadcast"),
    (lambda: itf.sinr(float("nan"), 1e-9, 1.0, 0.0, 1e-13, 0.1), "NaN"),
    (lambda: itf.hwi_sinr_ceiling(1.0, 0.0, 0.1), "total_power_w"),
    (lambda: itf.acir_linear([45.0, 45.0], [33.0, 45.0, 50.0]), "broadcast"),
    (lambda: itf.acir_linear(-float("inf"), 33.0), "aclr_db=-inf is not finite"),      # +inf is the ideal limit
    (lambda: itf.acir_linear(45.0, float("nan")), "acs_db=nan is not a number"),
    (lambda: itf.acir_linear(-1, 33), r"aclr_db=-1 is out of range: allowed \[0, inf\) dB"),  # as the config
    (lambda: itf.acir_linear(45.0, [33.0, -1e-9]), r"acs_db=\[33.0, -1e-09\] is out of range"),
    (lambda: itf.aci_power_w([1e-9], [1.0], [0.49]), r"acir=\[0.49\] is out of range: allowed \[0.5, inf\)"),
    (lambda: itf.adjacent_channel_interference_w([0, 1], [0, 1], [1.0, 1.0], np.ones((2, 2)), [0.1]), "acir"),
    (lambda: itf.ap_total_power_w([0, 3], [1.0, 1.0], 3), "serving_ap"),
    (lambda: itf.ap_total_power_w([0, 1], [1.0, -1.0], 3), "power_w"),
    (lambda: itf.ap_total_power_w([0, 1], [1.0, 1.0], 0), "n_aps"),
    (lambda: itf.ap_total_power_w([0, 1], [1.0, 1.0], 2, scheduled=[1, 0]), (TypeError, "scheduled must be a boolean")),
    (lambda: itf.ap_total_power_w([0.5, 1], [1.0, 1.0], 2), "serving_ap=.* is not an integer"),
    (lambda: itf.hwi_reference_power_w([0, 1], [1.0, 1.0], 2, basis="rrb"), "basis"),
    (lambda: itf.adjacent_channel_interference_w([0, 5], [0, 1], [1.0, 1.0], np.ones((2, 2)), ACIR, n_rrbs=5),
     "n_rrbs"),
    (lambda: itf.adjacent_channel_interference_w([0, -2], [0, 1], [1.0, 1.0], np.ones((2, 2)), ACIR), "rrb"),
    (lambda: itf.adjacent_channel_interference_w([0, 1], [0, 2], [1.0, 1.0], np.ones((2, 2)), ACIR),
     "serving_ap"),
    (lambda: itf.adjacent_channel_interference_w([0, 1], [0, 1], [1.0, 1.0], np.ones((2, 2)), ACIR,
                                                 aci_source="same_ap"), "aci_source"),
    (lambda: itf.adjacent_channel_interference_w([0, 1], [0, 1], [1.0, 1.0], np.ones((2, 3)), ACIR),
     "broadcast"),
    (lambda: itf.adjacent_channel_interference_w([0, 1], [0, 1], [1.0, 1.0], -np.ones((2, 2)), ACIR),
     "gain_ap_to_device"),
    (lambda: itf.adjacent_channel_interference_w([0, 1], [0, 1], [1.0, 1.0], np.ones(2), ACIR),
     "gain_ap_to_device"),
    (lambda: itf.adjacent_channel_interference_w([0, 1], [0, 1], [1.0, 1.0], np.ones((2, 2)), [[10.0]]),
     "acir"),
])
def test_invalid_inputs_raise(call, match):
    error, match = match if isinstance(match, tuple) else (ValueError, match)      # wrong types: TypeError
    with pytest.raises(error, match=match):
        call()


# ------------------------------------------------------------------------------------------------
# every branch of the network-level functions, against the literal loop
# ------------------------------------------------------------------------------------------------

def network_sinr_loop(rrb, serving_ap, power_w, gain, acir, noise_w, sigma_rt, phi, aci_source, basis):
    """Eq. (14) per link, written out: HWI power per basis, ACI from aci_loop, 0 when unscheduled."""
    aci = aci_loop(rrb, serving_ap, power_w, gain, acir, aci_source)
    out = []
    for i in range(len(rrb)):
        if rrb[i] < 0:
            out.append(0.0)
            continue
        same = [j for j in range(len(rrb)) if serving_ap[j] == serving_ap[i] and rrb[j] >= 0]
        total = sum(power_w[j] for j in same)
        ref = {"ap_total": total, "ap_mean": total / len(same), "own": power_w[i]}[basis]
        g = gain[serving_ap[i]][i]
        out.append(power_w[i] * g / ((1 + phi) * (g * sigma_rt**2 * ref + aci[i]) + noise_w))
    return np.array(out)


@pytest.mark.parametrize("basis", itf.HWI_BASES)
@pytest.mark.parametrize("aci_source", itf.ACI_SOURCES)
def test_network_sinr_every_basis_and_source(basis, aci_source):
    rng = np.random.default_rng(21)
    nets = [random_allocation(rng, 14, 3, 16, p_unscheduled=0.3) for _ in range(2)]
    rrb, ap, p, gain = (np.stack([n[i] for n in nets]) for i in range(4))        # a batch of 2 networks
    got = itf.network_sinr(rrb, ap, p, gain, ACIR, NOISE_W, 0.1, phi=0.9, aci_source=aci_source,
                           hwi_basis=basis)                                     # n_rrbs from the data
    assert got.shape == (2, 14)
    for b, (r, a, pw, g) in enumerate(nets):
        ref = network_sinr_loop(r, a, pw, g, ACIR, NOISE_W, 0.1, 0.9, aci_source, basis)
        np.testing.assert_allclose(got[b], ref, rtol=1e-12, atol=0)
        assert np.all(got[b][r < 0] == 0) and np.all(got[b][r >= 0] > 0)


def test_aci_breakdown_per_adjacency_by_hand():
    """The allocation of test_aci_contiguous_allocation_by_hand: row l-1 of the breakdown holds the
    links at distance l only."""
    rrb, ap = np.arange(5), np.array([0, 1, 0, 1, 0])
    p = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    a1, a2 = 10.0, 1000.0
    _, parts = itf.adjacent_channel_interference_w(rrb, ap, p, np.ones((2, 5)), [a1, a2], aci_source="any",
                                                   per_offset=True)
    np.testing.assert_allclose(parts[0], np.array([2, 1 + 4, 2 + 8, 4 + 16, 8]) / a1, rtol=1e-15)
    np.testing.assert_allclose(parts[1], np.array([4, 8, 1 + 16, 2, 4]) / a2, rtol=1e-15)
    # the gain that counts is the one from the interferer's AP to the victim, not from the victim's AP
    gain = np.array([[1.0, 3.0, 1.0, 3.0, 1.0],    # AP 0 -> devices
                     [5.0, 1.0, 5.0, 1.0, 5.0]])   # AP 1 -> devices
    other = itf.adjacent_channel_interference_w(rrb, ap, p, gain, [a1, a2])
    np.testing.assert_allclose(other, np.array([5 * 2, 3 * (1 + 4), 5 * (2 + 8), 3 * (4 + 16), 5 * 8]) / a1,
                               rtol=1e-15)


def test_hwi_reference_of_an_ap_without_scheduled_links():
    ap = np.array([0, 1, 1])
    p = np.array([1.0, 2.0, 3.0])
    sched = np.array([True, False, False])                 # AP 1 serves nobody this slot
    np.testing.assert_array_equal(itf.hwi_reference_power_w(ap, p, 2, sched), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(itf.hwi_reference_power_w(ap, p, 2, sched, basis="ap_mean"), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(itf.hwi_reference_power_w(ap, p, 2, sched, basis="own"), p)
    np.testing.assert_array_equal(itf.ap_total_power_w(ap, p, 3, sched), [1.0, 0.0, 0.0])


@pytest.mark.parametrize("call, match", [
    (lambda: itf.ap_total_power_w([0, -1], [1.0, 1.0], 2), "serving_ap"),
    (lambda: itf.ap_total_power_w(np.array([True, False]), [1.0, 1.0], 2), (TypeError, "serving_ap must be an integer")),
    (lambda: itf.ap_total_power_w([0.0, np.nan], [1.0, 1.0], 2), "serving_ap=.* is not a number"),
    (lambda: itf.ap_total_power_w([0, 0], [1.0, 1.0], True), (TypeError, "n_aps must be an integer")),
    (lambda: itf.ap_total_power_w([0, 0], [1.0, 1.0], 2.5), "n_aps=2.5 is not an integer"),
    (lambda: itf.ap_total_power_w(0, 1.0, 2), "arrays"),
    (lambda: itf.adjacent_channel_interference_w([0, 1], [0, 1], [1.0, 1.0], np.ones((2, 2)), ACIR, n_rrbs=0),
     r"n_rrbs=0 is out of range: allowed integer in \[1, inf\)"),
    (lambda: itf.adjacent_channel_interference_w([0, 1], [0, 1], [1.0, 1.0], np.ones((2, 2)), ACIR, n_rrbs=True),
     (TypeError, "n_rrbs must be an integer")),
    (lambda: itf.network_sinr([0, 1], [0, 1], [1.0, 1.0], np.ones((2, 2)), ACIR, NOISE_W, 0.1, hwi_basis="rrb"),
     "basis"),
])
def test_allocation_checks(call, match):
    error, match = match if isinstance(match, tuple) else (ValueError, match)      # wrong types: TypeError
    with pytest.raises(error, match=match):
        call()


def test_allocation_edges_are_valid():
    # the last AP and the last RRB are inside their ranges; one RRB needs n_rrbs = 1
    assert itf.ap_total_power_w([0, 2], [1.0, 2.0], 3).tolist() == [1.0, 0.0, 2.0]
    z = itf.adjacent_channel_interference_w([0, 3], [0, 1], [1.0, 1.0], np.ones((2, 2)), [10.0], n_rrbs=4)
    np.testing.assert_array_equal(z, 0.0)
    z = itf.adjacent_channel_interference_w([0], [0], [1.0], np.ones((1, 1)), [10.0], n_rrbs=1)
    np.testing.assert_array_equal(z, 0.0)
