"""env.py: one time slot against an independent per-link oracle, plus seeding, errors and actions.

The oracle below (:func:`oracle_slot`) is written from the paper's equations and env.py's documented
conventions with ``math`` and plain Python loops over networks, links and APs. It calls nothing of
``multirat.interference``, ``link``, ``scheduling`` or ``channel``: it reads only the episode state
before the step (``env.state.copy()``), the actions, the config, and the fading after the step
(the only random input of a step: the Gauss-Markov innovation of Eq. 3).

Tolerances. The env sums in another order (vectorized bincount/einsum) than the oracle's loops, so
equality is to ``RTOL = 1e-9`` relative for every float64 output (SINR, ACI, rate, reward, average
rate); the largest relative differences seen over all cases are 1e-15 (SINR, ACI) and 1e-12 (rate,
whose (1 - SER)^N_p amplifies the SER's rounding by up to N_p). Rates below 1e-300 bit/frame (a
subnormal ``(1 - SER)**N_p``) are compared with ``ATOL_RATE_BITS = 1e-300`` absolute. The observation
is float32 by design: compared with the oracle's float64 features cast to float32, to within two
float32 ulps (``RTOL_OBS = 2.4e-7``). RRB indices, actions, shapes and ``done`` are compared exactly.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from scipy import special

from multirat import interference, link, scheduling
from multirat.config import NetworkConfig
from multirat.env import MODES, LinearDeviation, NetworkEnv, action_table, decode_actions, power_levels_w

# The documented observation scaling and PF start (env.py's module docstring, the Assumptions page), typed
# here rather than imported, so that the oracle does not follow a changed constant
# (test_env_pinned.py checks env.py's constants against these).
GAIN_OFFSET_DB = -110.0        # serving gain in dB, shifted by +110 dB ...
GAIN_SCALE_DB = 20.0           # ... and divided by 20 dB
SINR_SCALE_DB = 20.0           # previous SINR in dB divided by 20 dB ...
SINR_FLOOR_DB = -30.0          # ... after flooring at -30 dB
PF_INITIAL_RATE_BITS = 1.0     # PF average rate of every device at the first TS (bits/frame)

RTOL = 1e-9
ATOL_RATE_BITS = 1e-300
RTOL_OBS = 2.4e-7


# ------------------------------------------------------------------------------------------------
# The oracle: one time slot, link by link, from the paper's equations
# ------------------------------------------------------------------------------------------------

def _dbm_to_w(p_dbm: float) -> float:
    return 10.0 ** ((p_dbm - 30.0) / 10.0)


def _q(x: float) -> float:
    """Gaussian tail Q(x) = erfc(x / sqrt 2) / 2."""
    return 0.5 * math.erfc(x / math.sqrt(2.0))


def _db10(x: float) -> float:
    return -math.inf if x == 0.0 else 10.0 * math.log10(x)


def oracle_power_levels(cfg: NetworkConfig) -> list:
    """Eq. (25) as printed: {P_min, P_max/(|P|-1), 2 P_max/(|P|-1), ..., P_max} (W); or the alternatives."""
    n = cfg.n_power_levels
    p_min, p_max = _dbm_to_w(cfg.p_min_dbm), _dbm_to_w(cfg.p_max_dbm)
    if cfg.power_grid == "eq25":
        return [p_min] + [i * p_max / (n - 1) for i in range(1, n)]
    if cfg.power_grid == "linear":
        return [p_min + i * (p_max - p_min) / (n - 1) for i in range(n)]
    return [_dbm_to_w(cfg.p_min_dbm + i * (cfg.p_max_dbm - cfg.p_min_dbm) / (n - 1)) for i in range(n)]


def oracle_decode(a: int, cfg: NetworkConfig) -> tuple:
    """a = i_p |M||C| + i_m |C| + i_c -> (P (W), M, c, d_free, i_p, i_m, i_c)."""
    n_m, n_c = len(cfg.modulation_orders), len(cfg.code_rates)
    i_p, rest = divmod(a, n_m * n_c)
    i_m, i_c = divmod(rest, n_c)
    return (oracle_power_levels(cfg)[i_p], cfg.modulation_orders[i_m], cfg.code_rates[i_c], cfg.d_free[i_c],
            i_p, i_m, i_c)


def oracle_ser(s: float, m: int, g: float, model: str) -> float:
    """Eq. (17) / Table 3 as printed ("eq17"), or the exact BPSK / square-QAM SER at G s ("exact")."""
    if model == "eq17":
        if m == 2:
            return _q(math.sqrt(2.0 * g * s))
        return 2.0 * (1.0 - 1.0 / math.sqrt(m)) * _q(math.sqrt(3.0 * g * math.log2(m) * s / (m - 1)))
    x = g * s
    if m == 2:
        return _q(math.sqrt(2.0 * x))
    p = 2.0 * (1.0 - 1.0 / math.sqrt(m)) * _q(math.sqrt(3.0 * x / (m - 1)))
    return p * (2.0 - p)


def oracle_rate(s: float, m: int, c: float, d_free: int, n_p: int, model: str) -> float:
    """Eqs. (15)-(16): R = c log2(M) (1 - PER) N_p with 1 - PER = (1 - SER)^N_p, G = c d_free."""
    ser = oracle_ser(s, m, c * d_free, model)
    success = (1.0 - ser) ** n_p                          # 1 - PER of Eq. (16), without the 1 - (1 - .) round trip
    return c * math.log2(m) * success * n_p


def oracle_slot(cfg: NetworkConfig, state, actions, phi, fading_next) -> dict:
    """One TS of ``B`` networks, link by link. ``phi`` None (twin) or an array broadcastable to [B, N]."""
    n_envs, n_links = state.rrb.shape
    n_aps, half = cfg.n_aps, cfg.aci_neighbours
    acir = [1.0 / (1.0 / 10.0 ** (aclr / 10.0) + 1.0 / 10.0 ** (acs / 10.0))
            for aclr, acs in zip(cfg.aclr_db, cfg.acs_db)]                       # A_l, linear
    noise_w = _dbm_to_w(cfg.noise_psd_dbm_hz + 10.0 * math.log10(cfg.rrb_bandwidth_hz) + cfg.noise_figure_db)
    p_c = _dbm_to_w(cfg.p_min_dbm)                                                # PF: P_c = P_min
    peak = max(c * math.log2(m) for m in cfg.modulation_orders for c in cfg.code_rates) * cfg.n_symbols
    phis = None if phi is None else np.broadcast_to(np.asarray(phi, dtype=float), (n_envs, n_links))

    out = {k: np.zeros((n_envs, n_links)) for k in ("sinr", "rate", "aci", "power", "avg_next")}
    out["rrb_next"] = np.full((n_envs, n_links), -1, dtype=np.int64)
    out["obs_next"] = np.zeros((n_envs, n_links, 6))
    out["reward"] = np.zeros(n_envs)
    for b in range(n_envs):
        ap = [int(x) for x in state.serving_ap[b]]
        rrb = [int(x) for x in state.rrb[b]]
        sched = [r >= 0 for r in rrb]
        gain = [[abs(complex(state.fading[b, k, n])) ** 2 * float(state.large_scale[b, k, n])
                 for n in range(n_links)] for k in range(n_aps)]                 # g = |h|^2 beta, [K][N]
        dec = [oracle_decode(int(actions[b, n]), cfg) for n in range(n_links)]
        power = [dec[n][0] if sched[n] else 0.0 for n in range(n_links)]       # unscheduled: silent
        for n in range(n_links):
            if not sched[n]:
                continue
            aci = 0.0                                                            # Eq. (10)
            for j in range(n_links):
                if j == n or not sched[j]:
                    continue
                offset = abs(rrb[j] - rrb[n])
                if not 1 <= offset <= half:
                    continue
                if cfg.aci_source == "other_ap" and ap[j] == ap[n]:
                    continue
                aci += gain[ap[j]][n] * power[j] / acir[offset - 1]             # through j's AP to the victim
            cluster = [j for j in range(n_links) if sched[j] and ap[j] == ap[n]]
            total = sum(power[j] for j in cluster)                              # P_total,k
            ref = {"ap_total": total, "ap_mean": total / len(cluster), "own": power[n]}[cfg.hwi_basis]
            g = gain[ap[n]][n]
            hwi = g * cfg.sigma_rt ** 2 * ref
            if phis is not None:                                                # Eqs. (11)-(12)
                aci *= 1.0 + phis[b, n]
                hwi *= 1.0 + phis[b, n]
            s = power[n] * g / (hwi + aci + noise_w)                            # Eq. (14)
            _, m, c, d_free, *_ = dec[n]
            out["sinr"][b, n], out["aci"][b, n], out["power"][b, n] = s, aci, power[n]
            out["rate"][b, n] = oracle_rate(s, m, c, d_free, cfg.n_symbols, cfg.ser_model)
        out["reward"][b] = sum(out["rate"][b]) / 1000.0                         # kbit/frame

        # next TS: Eq. (19) EMA (floored), Eq. (18) PF metric on the new fading, Alg. 1 selection
        metric = []
        for n in range(n_links):
            avg = max((1.0 - cfg.pf_alpha) * float(state.average_rate[b, n]) + cfg.pf_alpha * out["rate"][b, n],
                      np.finfo(float).tiny)
            out["avg_next"][b, n] = avg
            g_next = abs(complex(fading_next[b, ap[n], n])) ** 2 * float(state.large_scale[b, ap[n], n])
            metric.append(math.log2(1.0 + p_c * g_next / noise_w) / avg)
            i_p, i_m, i_c = dec[n][4:]
            out["obs_next"][b, n] = [
                (_db10(g_next) - GAIN_OFFSET_DB) / GAIN_SCALE_DB,
                max(_db10(out["sinr"][b, n]), SINR_FLOOR_DB) / SINR_SCALE_DB,
                out["rate"][b, n] / peak,
                i_p / max(cfg.n_power_levels - 1, 1),
                i_m / max(len(cfg.modulation_orders) - 1, 1),
                i_c / max(len(cfg.code_rates) - 1, 1)]
            if state.rrb[b, n] < 0:                                   # no RRB, no action played: no history
                out["obs_next"][b, n, 1:] = 0.0
        order = sorted(range(n_links), key=lambda n: (-metric[n], n))          # descending, ties: lower index
        n_sel = min(n_links, cfg.n_rrbs)
        for i, n in enumerate(order[:n_sel]):
            out["rrb_next"][b, n] = i if cfg.rrb_placement == "contiguous" else (i * cfg.n_rrbs) // n_sel
    return out


def oracle_reset_obs(cfg: NetworkConfig, state) -> np.ndarray:
    """Eq. (21) at the first TS: the serving-gain feature, history entries 0."""
    n_envs, n_links = state.rrb.shape
    obs = np.zeros((n_envs, n_links, 6))
    for b, n in itertools.product(range(n_envs), range(n_links)):
        k = int(state.serving_ap[b, n])
        g = abs(complex(state.fading[b, k, n])) ** 2 * float(state.large_scale[b, k, n])
        obs[b, n, 0] = (_db10(g) - GAIN_OFFSET_DB) / GAIN_SCALE_DB
    return obs


def assert_slot_matches(env, before, actions, phi, obs, reward, done, info):
    """Compare one env step with the oracle."""
    cfg = env.config
    want = oracle_slot(cfg, before, actions, phi, env.state.fading)
    np.testing.assert_allclose(info.sinr, want["sinr"], rtol=RTOL, atol=0)
    np.testing.assert_allclose(info.aci_w, want["aci"], rtol=RTOL, atol=0)
    np.testing.assert_allclose(info.power_w, want["power"], rtol=RTOL, atol=0)
    np.testing.assert_allclose(info.rate_bits, want["rate"], rtol=RTOL, atol=ATOL_RATE_BITS)
    np.testing.assert_allclose(reward, want["reward"], rtol=RTOL, atol=0)
    np.testing.assert_allclose(info.sum_rate_kbits, want["reward"], rtol=RTOL, atol=0)
    np.testing.assert_array_equal(info.rrb, before.rrb)
    np.testing.assert_array_equal(info.scheduled, before.rrb >= 0)
    np.testing.assert_allclose(env.state.average_rate, want["avg_next"], rtol=RTOL, atol=0)
    np.testing.assert_array_equal(env.state.rrb, want["rrb_next"])
    np.testing.assert_array_equal(env.state.prev_action, np.where(before.rrb >= 0, actions, -1))
    assert obs.dtype == np.float32 and obs.shape == (env.n_envs, env.n_agents, 6)
    np.testing.assert_allclose(obs, want["obs_next"].astype(np.float32), rtol=RTOL_OBS, atol=0)
    # what must not change within an episode
    np.testing.assert_array_equal(env.state.large_scale, before.large_scale)
    np.testing.assert_array_equal(env.state.serving_ap, before.serving_ap)
    np.testing.assert_array_equal(env.state.device_xy, before.device_xy)
    assert env.state.t == before.t + 1 and done == (env.state.t >= cfg.slots_per_episode)
    return want


# ------------------------------------------------------------------------------------------------
# The oracle over many configurations
# ------------------------------------------------------------------------------------------------

#: (K, N, R): R chosen so that "spread" placement still leaves adjacent RRBs (R < 3N), and N > R in the last.
SHAPES = [(1, 3, 4), (2, 5, 8), (4, 20, 30), (3, 150, 100)]
#: (mode, phi): twin, physical with a scalar phi, physical with a per-link phi drawn in the test.
MODE_VARIANTS = [("twin", None), ("physical", 0.4), ("physical", 0.9), ("physical", "per_link")]
CASES = list(itertools.product(range(len(SHAPES)), ("contiguous", "spread"), interference.ACI_SOURCES,
                               range(len(MODE_VARIANTS))))


def _case_config(i_case: int, shape: int, placement: str, aci_source: str) -> NetworkConfig:
    """Cycle the other choices over the cases so that every value meets every shape."""
    k, n, r = SHAPES[shape]
    return dataclasses.replace(
        NetworkConfig(), n_aps=k, n_devices=n, n_rrbs=r, rrb_placement=placement, aci_source=aci_source,
        hwi_basis=interference.HWI_BASES[i_case % 3], ser_model=link.SER_MODELS[(i_case // 3) % 2],
        path_loss_model=("eq4", "linear_average", "random_los")[(i_case // 2) % 3],
        power_grid=("eq25", "eq25", "linear", "db")[i_case % 4])


@pytest.mark.parametrize("i_case", range(len(CASES)),
                         ids=[f"K{SHAPES[s][0]}N{SHAPES[s][1]}-{p}-{a}-{MODE_VARIANTS[m][0]}{MODE_VARIANTS[m][1]}"
                              for s, p, a, m in CASES])
def test_step_matches_per_link_oracle(i_case):
    shape, placement, aci_source, i_mode = CASES[i_case]
    cfg = _case_config(i_case, shape, placement, aci_source)
    n_envs = (1, 3)[i_case % 2]
    mode, phi = MODE_VARIANTS[i_mode]
    rng = np.random.default_rng(1000 + i_case)
    if phi == "per_link":
        phi = rng.uniform(-0.5, 2.0, size=(n_envs, cfg.n_devices))
    env = NetworkEnv(cfg, mode=mode, n_envs=n_envs,
                     deviation=None if phi is None else LinearDeviation(phi))
    obs, info = env.reset(seed=i_case)
    np.testing.assert_allclose(obs, oracle_reset_obs(cfg, env.state).astype(np.float32), rtol=RTOL_OBS, atol=0)
    for _ in range(3):   # three TSs: the history features, the EMA and the PF schedule all come into play
        before = env.state.copy()
        actions = rng.integers(0, cfg.n_actions, size=(n_envs, cfg.n_devices))
        obs, reward, done, info = env.step(actions)
        assert_slot_matches(env, before, actions, phi if mode == "physical" else None, obs, reward, done, info)


def test_oracle_cases_exercise_aci_hwi_and_unscheduled_links():
    """Guard against a vacuous comparison: the cases above do produce ACI, idle links and both SER models."""
    cfg = _case_config(0, 3, "spread", "other_ap")
    env = NetworkEnv(cfg, mode="physical", n_envs=2, deviation=LinearDeviation(0.9))
    env.reset(seed=7)
    info = env.step(np.full((2, cfg.n_devices), cfg.n_actions - 1))[3]
    assert (~info.scheduled).sum() == 2 * (cfg.n_devices - cfg.n_rrbs)
    assert (info.aci_w[info.scheduled] > 0).mean() > 0.3                      # spread over R < 3N: neighbours
    assert np.all(info.aci_w[~info.scheduled] == 0) and np.all(info.rate_bits[~info.scheduled] == 0)
    # the SER models differ at a moderate SINR, so the ser_model cycling is not a no-op
    s = np.array([3.0])
    assert not np.isclose(link.throughput_bits(s, 16, 0.75, 5, 1000, ser_model="eq17"),
                          link.throughput_bits(s, 16, 0.75, 5, 1000, ser_model="exact"))[0]


def test_aci_neighbours_other_than_two():
    """Eq. (10) with L/2 = 1 and 3 adjacent RRBs on each side (config.aci_neighbours)."""
    for half, aclr, acs in ((1, (45.0,), (33.0,)), (3, (45.0, 45.0, 50.0), (33.0, 45.0, 50.0))):
        cfg = dataclasses.replace(NetworkConfig(), n_aps=4, n_devices=12, aci_neighbours=half,
                                  aclr_db=aclr, acs_db=acs, aci_source="any")
        env = NetworkEnv(cfg, n_envs=2)
        env.reset(seed=half)
        rng = np.random.default_rng(half)
        for _ in range(2):
            before = env.state.copy()
            actions = rng.integers(0, cfg.n_actions, size=(2, cfg.n_devices))
            assert_slot_matches(env, before, actions, None, *env.step(actions))


def test_pf_ties_go_to_the_lower_index():
    """Zero serving gain gives PF metric 0 for several devices: Alg. 1 ranks them by index, after the rest."""
    cfg = dataclasses.replace(NetworkConfig(), n_aps=2, n_devices=8, n_rrbs=5)
    env = NetworkEnv(cfg, n_envs=1)
    env.reset(seed=3)
    zero = [1, 2, 5, 7]
    env.state.large_scale[:, :, zero] = 0.0
    env.state.update_gain()
    before = env.state.copy()
    actions = np.full((1, 8), 5)
    with np.errstate(divide="ignore"):
        want = assert_slot_matches(env, before, actions, None, *env.step(actions))
    rrb = env.state.rrb[0]
    assert set(np.flatnonzero(rrb >= 0)) >= {0, 3, 4, 6}                      # positive metric first
    assert list(rrb[zero]) == [4, -1, -1, -1]                                  # then the tie, lowest index first
    assert np.isneginf(want["obs_next"][0, zero, 0]).all()


def test_twin_mode_ignores_the_deviation_and_evaluate_can_override():
    cfg = dataclasses.replace(NetworkConfig(), n_aps=4, n_devices=20)
    actions = np.random.default_rng(0).integers(0, cfg.n_actions, size=(2, 20))
    plain, deviated = NetworkEnv(cfg, n_envs=2), NetworkEnv(cfg, n_envs=2, deviation=LinearDeviation(5.0))
    plain.reset(seed=4)
    deviated.reset(seed=4)
    np.testing.assert_array_equal(plain.step(actions)[1], deviated.step(actions)[1])
    # evaluate(physical=True) on a twin env = the physical slot with config.phi, and does not advance time
    before = plain.state.copy()
    info = plain.evaluate(actions, physical=True)
    want = oracle_slot(cfg, before, actions, cfg.phi, plain.state.fading)
    np.testing.assert_allclose(info.sinr, want["sinr"], rtol=RTOL, atol=0)
    np.testing.assert_allclose(info.rate_bits, want["rate"], rtol=RTOL, atol=ATOL_RATE_BITS)
    assert plain.state.t == before.t
    for name in ("fading", "rrb", "average_rate", "prev_sinr", "prev_rate", "prev_action"):
        np.testing.assert_array_equal(getattr(plain.state, name), getattr(before, name))
    twin = plain.evaluate(actions)
    assert np.all(twin.sinr >= info.sinr) and np.any(twin.sinr > info.sinr)   # phi = 0.4 > 0 hurts


def test_fading_innovation_is_gauss_markov_with_jakes_rho():
    """The only random part of a step: h(t) - rho h(t-1) ~ CN(0, 1 - rho^2), rho = J0(2 pi f_d T_s) (Eq. 3)."""
    cfg = dataclasses.replace(NetworkConfig(), n_aps=4, n_devices=150)
    rho = special.j0(2 * np.pi * cfg.doppler_hz * cfg.slot_s)
    env = NetworkEnv(cfg, n_envs=3)
    env.reset(seed=11)
    innovations, previous = [], []
    for _ in range(5):
        h = env.state.fading.copy()
        env.step(np.zeros((3, 150), dtype=int))
        innovations.append(env.state.fading - rho * h)
        previous.append(h)
    e, h = np.concatenate(innovations).ravel(), np.concatenate(previous).ravel()
    var = 1 - rho**2
    se = var / np.sqrt(e.size)                                                 # |e|^2 is exponential: sd = mean
    assert abs(np.mean(np.abs(e) ** 2) - var) < 5 * se
    assert abs(np.mean(e * np.conj(h))) < 5 * np.sqrt(var / e.size)           # innovation independent of h(t-1)


# ------------------------------------------------------------------------------------------------
# Reset
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path_loss_model", ["eq4", "linear_average", "random_los"])
def test_reset_state_against_the_topology(path_loss_model):
    cfg = dataclasses.replace(NetworkConfig(), n_aps=4, n_devices=60, n_rrbs=40, path_loss_model=path_loss_model,
                              rrb_placement="spread")
    env = NetworkEnv(cfg, n_envs=2)
    obs, info = env.reset(seed=5)
    s = env.state
    assert s.t == 0 and obs.shape == (2, 60, 6)
    for b, n in itertools.product(range(2), range(60)):
        d = [math.dist(s.device_xy[b, n], env.ap_xy[k]) for k in range(4)]
        assert s.serving_ap[b, n] == min(range(4), key=lambda k: (d[k], k))    # nearest AP (Sec. III-A-4)
        assert cfg.exclusion_radius_m <= min(d) <= cfg.coverage_radius_m
    assert np.all((s.large_scale > 0) & (s.large_scale < 1e-5))                # > 60 dB loss beyond 30 m at 6.5 GHz
    np.testing.assert_array_equal(info["serving_ap"], s.serving_ap)
    np.testing.assert_array_equal(info["rrb"], s.rrb)
    for b in range(2):                                                         # random first schedule, placed
        assert sorted(s.rrb[b][s.rrb[b] >= 0]) == [(i * 40) // 40 for i in range(40)]
    np.testing.assert_array_equal(s.average_rate, PF_INITIAL_RATE_BITS)
    np.testing.assert_array_equal(s.prev_action, -1)
    np.testing.assert_allclose(obs, oracle_reset_obs(cfg, s).astype(np.float32), rtol=RTOL_OBS, atol=0)


def test_linear_average_path_loss_gains_at_least_eq4():
    """Same seed, no shadowing: the mean linear gain over the LoS state is >= Eq. (4)'s dB average (Jensen)."""
    base = dataclasses.replace(NetworkConfig(), n_devices=50, shadowing_std_db=0.0)
    gains = {}
    for model in ("eq4", "linear_average"):
        env = NetworkEnv(dataclasses.replace(base, path_loss_model=model), n_envs=2)
        env.reset(seed=9)
        gains[model] = env.state.large_scale
    assert np.all(gains["linear_average"] >= gains["eq4"] * (1 - 1e-12))
    assert np.any(gains["linear_average"] > gains["eq4"] * 1.01)


def test_reset_reseeding_semantics():
    cfg = dataclasses.replace(NetworkConfig(), n_devices=10)
    env = NetworkEnv(cfg, n_envs=2)
    first, _ = env.reset(seed=21)
    xy = env.state.device_xy.copy()
    np.testing.assert_array_equal(env.reset(seed=21)[0], first)               # same seed: same drop
    np.testing.assert_array_equal(env.state.device_xy, xy)
    continued, _ = env.reset()                                                 # None: continue the generator
    assert not np.array_equal(continued, first)
    other = NetworkEnv(cfg, n_envs=2)
    other.reset(seed=21)
    np.testing.assert_array_equal(other.reset()[0], continued)                 # ... deterministically
    gen = np.random.default_rng(21)                                            # a Generator is used as is
    np.testing.assert_array_equal(other.reset(seed=gen)[0], first)
    assert other.rng is gen
    assert not np.array_equal(NetworkEnv(cfg, n_envs=2).reset(seed=22)[0], first)
    # a reset mid-episode or after the end starts a new episode at t = 0
    env.reset(seed=1)
    for _ in range(cfg.slots_per_episode):
        env.step(np.zeros((2, 10), dtype=int))
    env.reset(seed=1)
    assert env.state.t == 0
    env.step(np.zeros((2, 10), dtype=int))


def _episode(seed, cfg, n_envs=3):
    """Every output of one episode as (name, array) pairs, with a fixed action sequence."""
    env = NetworkEnv(cfg, mode="physical", n_envs=n_envs, deviation=LinearDeviation(0.4))
    obs, info = env.reset(seed=seed)
    rng = np.random.default_rng(123)                                            # same actions for every seed
    record = [("obs", obs), ("serving_ap", info["serving_ap"]), ("rrb", info["rrb"])]
    done = False
    while not done:
        obs, reward, done, step = env.step(rng.integers(0, cfg.n_actions, size=(n_envs, cfg.n_devices)))
        record += [("obs", obs), ("reward", reward), ("done", np.array(done))]
        record += [(f.name, getattr(step, f.name)) for f in dataclasses.fields(step)]
    return record


def test_same_seed_same_episode_bit_for_bit():
    cfg = dataclasses.replace(NetworkConfig(), n_devices=20, slots_per_episode=20, path_loss_model="random_los")
    a, b, c = _episode(8, cfg), _episode(8, cfg), _episode(9, cfg)
    assert len(a) == len(b) == len(c) == 3 + 20 * 11
    for (name, x), (_, y) in zip(a, b):
        assert x.dtype == y.dtype and x.shape == y.shape, name
        assert np.array_equal(x, y), name                                       # bit for bit, no tolerance
    for (name, x), (_, z) in zip(a, c):                                         # another seed: another episode
        if name in ("obs", "reward", "sinr", "rate_bits", "aci_w", "serving_gain"):
            assert not np.array_equal(x, z), name


# ------------------------------------------------------------------------------------------------
# Errors
# ------------------------------------------------------------------------------------------------

@pytest.fixture
def small_env():
    env = NetworkEnv(dataclasses.replace(NetworkConfig(), n_aps=2, n_devices=4, slots_per_episode=3), n_envs=2)
    env.reset(seed=0)
    return env


@pytest.mark.parametrize("bad, message", [
    (np.full((2, 4), 48), r"actions must be in \[0, 48\)"),
    (np.full((2, 4), -1), r"actions must be in \[0, 48\)"),
    (np.zeros(4, dtype=int), r"actions must have shape \(2, 4\)"),
    (np.zeros((2, 5), dtype=int), r"actions must have shape \(2, 4\)"),
    (np.zeros((2, 4, 1), dtype=int), r"actions must have shape \(2, 4\)"),
    (np.full((2, 4), 0.5), "actions must be integer indices"),
    (np.full((2, 4), np.nan), "actions must be integer indices"),
    (np.full((2, 4), np.inf), "actions must be integer indices"),
    (np.zeros((2, 4), dtype=bool), "actions must be integer indices"),
    (np.full((2, 4), "1"), "actions must be integer indices"),
])
def test_invalid_actions_raise(small_env, bad, message):
    t = small_env.state.t
    error = TypeError if np.asarray(bad).dtype.kind in "bU" else ValueError     # wrong types: TypeError
    with pytest.raises(error, match=message):
        small_env.step(bad)
    with pytest.raises(error, match=message):
        small_env.evaluate(bad)
    assert small_env.state.t == t                                               # nothing happened


def test_huge_float_action_raises_value_error(small_env):
    with pytest.raises(ValueError, match=r"actions must be in \[0, 48\)"):
        small_env.step(np.full((2, 4), 1e20))


def test_integral_float_actions_are_accepted_as_indices(small_env):
    before = small_env.state.copy()
    as_float = small_env.evaluate(np.full((2, 4), 7.0))
    small_env.state = before
    as_int = small_env.evaluate(np.full((2, 4), 7))
    np.testing.assert_array_equal(as_float.rate_bits, as_int.rate_bits)


def test_step_before_reset_and_after_done_raise():
    env = NetworkEnv(dataclasses.replace(NetworkConfig(), n_devices=4, slots_per_episode=2))
    with pytest.raises(RuntimeError, match="reset"):
        env.step(np.zeros((1, 4), dtype=int))
    with pytest.raises(RuntimeError, match="reset"):
        env.evaluate(np.zeros((1, 4), dtype=int))
    with pytest.raises(RuntimeError, match="reset"):
        env.observe()
    env.reset(seed=0)
    assert env.step(np.zeros((1, 4), dtype=int))[2] is False
    assert env.step(np.zeros((1, 4), dtype=int))[2] is True
    with pytest.raises(RuntimeError, match="episode is over"):
        env.step(np.zeros((1, 4), dtype=int))


def test_constructor_errors():
    with pytest.raises(ValueError, match="mode="):
        NetworkEnv(mode="digital")
    for bad in (0, -1, 1.5):
        with pytest.raises(ValueError, match="n_envs"):
            NetworkEnv(n_envs=bad)
    with pytest.raises(TypeError, match="n_envs must be an integer; got bool"):
        NetworkEnv(n_envs=True)
    with pytest.raises(TypeError, match="NetworkConfig"):
        NetworkEnv(config={"n_aps": 4})
    with pytest.raises(ValueError, match="phi"):
        LinearDeviation(-1.5)
    with pytest.raises(ValueError, match="phi"):
        LinearDeviation(np.array([0.1, np.nan]))


# ------------------------------------------------------------------------------------------------
# Actions and configuration choices
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("power_grid", ["eq25", "linear", "db"])
def test_action_table_order_and_power_levels(power_grid):
    cfg = dataclasses.replace(NetworkConfig(), power_grid=power_grid)
    table = action_table(cfg)
    n_m, n_c, n_p = len(cfg.modulation_orders), len(cfg.code_rates), cfg.n_power_levels
    assert len(table) == cfg.n_actions == n_m * n_c * n_p == 48
    np.testing.assert_array_equal(table.action, np.arange(cfg.n_actions))
    levels = oracle_power_levels(cfg)
    for row in table.itertuples():
        p, m, c, d, i_p, i_m, i_c = oracle_decode(row.action, cfg)
        assert (row.power_index, row.mcs_index) == (i_p, i_m * n_c + i_c)
        assert (row.modulation_order, row.code_rate, row.d_free) == (m, c, d)
        assert math.isclose(row.power_w, p, rel_tol=1e-12)
        assert math.isclose(row.power_dbm, 10 * math.log10(p) + 30, rel_tol=1e-12)
    np.testing.assert_allclose(power_levels_w(cfg), levels, rtol=1e-12)
    assert np.all(np.diff(power_levels_w(cfg)) > 0)
    assert math.isclose(levels[0], 10 ** ((cfg.p_min_dbm - 30) / 10)) and math.isclose(levels[-1], 1.0)
    if power_grid == "eq25":                                                    # {P_min, 1/3, 2/3, 1} W
        np.testing.assert_allclose(levels[1:], [1 / 3, 2 / 3, 1.0], rtol=1e-15)
    decoded = decode_actions(np.arange(cfg.n_actions), cfg)
    np.testing.assert_array_equal(decoded["power_index"], table.power_index)
    np.testing.assert_array_equal(decoded["modulation_index"] * n_c + decoded["code_index"], table.mcs_index)
    np.testing.assert_array_equal(decoded["power_w"], table.power_w)


def test_config_choices_are_the_library_constants():
    choices = {f.name: f.metadata["spec"].choices for f in dataclasses.fields(NetworkConfig)}
    assert choices["aci_source"] == interference.ACI_SOURCES
    assert choices["hwi_basis"] == interference.HWI_BASES
    assert choices["ser_model"] == link.SER_MODELS
    assert choices["rrb_placement"] == scheduling.PLACEMENTS
    assert MODES == ("twin", "physical")


def test_env_sizes():
    env = NetworkEnv(n_envs=3)
    assert (env.n_agents, env.n_actions, env.obs_dim, env.batch) == (20, 48, 6, (3,))
    obs, _ = env.reset(seed=0)
    assert obs.shape == (3, 20, 6) and obs.dtype == np.float32
    obs, reward, done, info = env.step(np.zeros((3, 20), dtype=np.int32))
    assert reward.shape == (3,) and isinstance(done, bool)
    for f in dataclasses.fields(info):
        assert getattr(info, f.name).shape == ((3,) if f.name == "sum_rate_kbits" else (3, 20))


def test_continuous_power_override_matches_the_same_discrete_level(small_env):
    """power_w equal to each action's own level reproduces the discrete evaluation; C1 is enforced."""
    from multirat.env import power_levels_w

    small_env.reset(seed=11)
    actions = np.random.default_rng(2).integers(small_env.n_actions, size=(2, 4))
    levels = power_levels_w(small_env.config)
    same = levels[actions // (small_env.n_actions // len(levels))]
    a = small_env.evaluate(actions)
    b = small_env.evaluate(actions, power_w=same)
    np.testing.assert_array_equal(a.sinr, b.sinr)
    np.testing.assert_array_equal(a.rate_bits, b.rate_bits)
    half = small_env.evaluate(actions, power_w=np.full((2, 4), levels[-1] / 2))
    assert not np.allclose(half.sinr, a.sinr)
    for bad in (np.full((2, 4), levels[-1] * 1.5), np.full((2, 4), levels[0] / 2), np.zeros((2, 3))):
        with pytest.raises(ValueError, match="power_w"):
            small_env.evaluate(actions, power_w=bad)
