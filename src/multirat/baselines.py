r"""Benchmark schemes of the paper (Sec. VI-A) on the same :class:`~multirat.env.NetworkEnv` state as the agents.

Every scheme is a *policy*: an object with ``act(env, obs) -> Decision``. A :class:`Decision` holds the
action indices ``[B, N]`` of :func:`multirat.env.action_table` and, for schemes with continuous
power (ESA-FP), the powers ``[B, N]`` in W; ``env.step(d.actions, power_w=d.power_w)`` plays it.

* :class:`RandomPolicy` -- RA: power, modulation and code rate drawn uniformly and independently
  from :math:`\mathcal P`, :math:`\mathcal M`, :math:`\mathcal C` with the policy's own generator.
* :class:`MaxPower3GPP` -- MaxP-3GPP-MCS: every link at :math:`P_{max}`; its SINR at :math:`P_{max}`
  (Eq. 14, all links at :math:`P_{max}`) is quantised to a CQI of 3GPP TS 36.213 Table 7.2.3-1 with
  10 % BLER SINR thresholds (``data/cqi/ts36213_table_7_2_3_1.csv``) and the CQI's (modulation, code
  rate) is mapped onto the configuration's MCS pairs (:func:`cqi_to_mcs`).
* :class:`ExhaustiveSearch` -- ESA: the exact per-TS maximum of the sum throughput over all
  (power, modulation, rate) with perfect knowledge of ACI and HWI (:func:`exhaustive_search`).
* :class:`FractionalProgramming` -- ESA-FP: a thin adapter around ``multirat.fractional.esa_fp``.

**The decomposition behind ESA.** In Eqs. (10)-(14) the interference a link sees depends on the
transmit *powers* only, never on the modulation or code rate. For a fixed power vector
:math:`\mathbf p` every SINR :math:`\mathrm{sinr}_n(\mathbf p)` is therefore fixed, the sum of
Eq. (15) is separable in the links' MCS, and

.. math::
    \max_{\mathbf p, \mathbf m, \mathbf c} \sum_n R_n
    = \max_{\mathbf p \in \mathcal P^N} \sum_n \max_{(m, c) \in \mathcal M \times \mathcal C}
      R_{m,c}\bigl(\mathrm{sinr}_n(\mathbf p)\bigr),

which costs :math:`|\mathcal P|^N N |\mathcal M||\mathcal C|` throughput evaluations instead of
:math:`(|\mathcal P||\mathcal M||\mathcal C|)^N N` (:func:`search_space_counts`).
:func:`exhaustive_search_bruteforce` evaluates every one of the :math:`(|\mathcal A_n|)^N` joint
actions through :meth:`NetworkEnv.evaluate` as an independent check.

**Interference as a linear operator.** Eq. (10) (ACI) and the HWI reference power of Eq. (14) are
linear in the transmit powers. :func:`link_coupling` obtains both operators of the current TS by
evaluating the library's own Eq. (10) and HWI functions (``interference``) on unit power vectors,
so that the SINR of many power vectors at once is a matrix product followed by the library's Eq.
(14) (:func:`coupling_sinr`). Nothing of Eqs. (10)-(14) is re-implemented here.

Evaluation: :func:`evaluate_policy` (independent drops, t-distribution confidence intervals),
:func:`same_slot_comparison` (every scheme on the same TS), :func:`benchmark_table` (with a result
cache). Complexity: :func:`search_space_counts` and :func:`mis_reduction_coupling` (the NP-hardness
reduction of chapter 6).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib
import importlib.util
import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, NamedTuple, Protocol

import numpy as np

from multirat import interference, link, units
from multirat.config import NetworkConfig
from multirat.env import MODES, DeviationModel, EpisodeState, NetworkEnv, power_levels_w

__all__ = [
    "THRESHOLD_SETS", "CQI_RULES", "Decision", "Policy",
    "load_cqi_table", "sinr_to_cqi", "cqi_to_mcs", "cqi_mcs_map",
    "LinkCoupling", "link_coupling", "coupling_sinr", "sum_rate_best_mcs", "power_index_vectors",
    "SearchResult", "exhaustive_power_search", "exhaustive_search", "exhaustive_search_bruteforce",
    "RandomPolicy", "MaxPower3GPP", "ExhaustiveSearch", "FractionalProgramming", "fractional_available",
    "PolicyEvaluation", "t_confidence_interval", "evaluate_policy", "same_slot_comparison",
    "search_space_counts", "mis_reduction_coupling", "mis_reduction_bounds", "independence_number",
    "config_hash", "benchmark_table",
]

#: SINR threshold sets of the CQI table (column of ``data/cqi/ts36213_table_7_2_3_1.csv``).
THRESHOLD_SETS = {"common": "sinr_db", "vienna_awgn": "sinr_db_vienna_awgn"}
#: Rules that map a CQI's (modulation, code rate) onto the configuration's MCS pairs.
CQI_RULES = ("modulation_first", "efficiency")


# ------------------------------------------------------------------------------------------------
# The policy interface
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Decision:
    """What a scheme plays in one TS: action indices ``[B, N]`` and optional continuous powers (W).

    ``actions`` index :func:`multirat.env.action_table` (power-major); ``power_w`` ``[B, N]`` or
    ``None`` replaces the actions' discrete power levels (ESA-FP). ``info`` carries scheme-specific
    extras (e.g. ESA's predicted sum rate); it is not part of what is played.
    """

    actions: np.ndarray
    power_w: np.ndarray | None = None
    info: dict = field(default_factory=dict)

    def __post_init__(self):
        a = np.asarray(self.actions)
        if a.ndim != 2 or a.dtype.kind not in "iu":
            raise ValueError(f"actions must be an integer array [B, N]; got shape {a.shape}, dtype {a.dtype}")
        object.__setattr__(self, "actions", a.astype(np.int64))
        if self.power_w is not None:
            p = np.asarray(self.power_w, dtype=float)
            if p.shape != a.shape:
                raise ValueError(f"power_w must have the shape of actions {a.shape}; got {p.shape}")
            object.__setattr__(self, "power_w", p)


class Policy(Protocol):
    """A benchmark scheme: ``act(env, obs) -> Decision`` for the current TS of ``env``."""

    name: str

    def act(self, env: NetworkEnv, obs: np.ndarray) -> Decision:
        ...


def _require_state(env: NetworkEnv) -> EpisodeState:
    if not isinstance(env, NetworkEnv):
        raise TypeError(f"env must be a NetworkEnv; got {type(env).__name__}")
    if env.state is None:
        raise RuntimeError("call env.reset() before asking a scheme to act")
    return env.state


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


# ------------------------------------------------------------------------------------------------
# 3GPP CQI table (TS 36.213 Table 7.2.3-1) for MaxP-3GPP-MCS
# ------------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def _cqi_table_cached(path: str):
    import pandas as pd

    table = pd.read_csv(path)
    expected = ["cqi", "modulation", "modulation_order", "code_rate_x1024", "efficiency", *THRESHOLD_SETS.values(),
                "source"]
    if list(table.columns) != expected:
        raise ValueError(f"{path}: columns {list(table.columns)} != expected {expected}")
    if list(table.cqi) != list(range(16)):
        raise ValueError(f"{path}: must hold CQI 0..15 in order")
    for col in THRESHOLD_SETS.values():
        thr = table[col].to_numpy()[1:]
        if np.any(~np.isfinite(thr)) or np.any(np.diff(thr) <= 0):
            raise ValueError(f"{path}: {col} must be finite and strictly increasing over CQI 1..15")
    return table


def load_cqi_table(path=None):
    """3GPP TS 36.213 Table 7.2.3-1 with two sets of 10 % BLER SINR thresholds, as a DataFrame.

    Columns: ``cqi`` (0..15; 0 = out of range), ``modulation``, ``modulation_order`` (M),
    ``code_rate_x1024``, ``efficiency`` (bits/symbol), ``sinr_db`` (the LTE CQI-SINR table at 10 %
    BLER in common use, ``thresholds="common"``), ``sinr_db_vienna_awgn`` (10 % BLER SNRs of the
    Vienna LTE link-level simulator's AWGN curves, ``thresholds="vienna_awgn"``) and ``source``.
    Default path: ``data/cqi/ts36213_table_7_2_3_1.csv``. The thresholds belong to LTE turbo codes,
    not to the paper's Eq. (17) (chapter 6 shows the mismatch).
    """
    from multirat.paths import data_dir

    path = data_dir() / "cqi" / "ts36213_table_7_2_3_1.csv" if path is None else Path(path)
    if not Path(path).is_file():
        raise FileNotFoundError(f"missing CQI table {path}")
    return _cqi_table_cached(str(path)).copy()


def _threshold_column(thresholds: str) -> str:
    if thresholds not in THRESHOLD_SETS:
        raise ValueError(f"thresholds={thresholds!r} is unknown: allowed one of {tuple(THRESHOLD_SETS)}")
    return THRESHOLD_SETS[thresholds]


def sinr_to_cqi(sinr, thresholds: str = "common", table=None) -> np.ndarray:
    r"""CQI (0..15) of a linear SINR: the highest CQI whose 10 % BLER threshold is :math:`\le` the SINR.

    .. math:: \mathrm{CQI}(\gamma) = \max\{q \in 1..15 : \gamma_{dB} \ge \theta_q\},\quad 0 \text{ below } \theta_1

    ``sinr`` linear (>= 0), any shape; ``thresholds`` one of :data:`THRESHOLD_SETS`. A SINR of
    exactly :math:`\theta_q` gives CQI :math:`q`.
    """
    s = np.asarray(sinr, dtype=float)
    if np.any(np.isnan(s)) or np.any(s < 0):
        raise ValueError("sinr must be a linear power ratio >= 0 (not dB)")
    table = load_cqi_table() if table is None else table
    thr = units.db_to_linear(table[_threshold_column(thresholds)].to_numpy()[1:])  # [15] linear, increasing
    return np.searchsorted(thr, s, side="right").astype(np.int64)                   # compared in linear units


@functools.lru_cache(maxsize=32)
def _cqi_map_cached(key: tuple, rule: str, table_path: str | None) -> np.ndarray:
    mod, rates, effs = (np.asarray(x, dtype=float) for x in key)
    table = load_cqi_table(table_path)
    out = np.zeros(16, dtype=np.int64)
    lowest = int(np.argmin(effs))                                                   # first of the least efficient
    for q in range(1, 16):
        m_q = float(table.modulation_order[q])
        r_q = float(table.code_rate_x1024[q]) / 1024.0
        e_q = float(table.efficiency[q])
        chosen = None
        if rule == "modulation_first":
            same = np.flatnonzero((mod == m_q) & (rates <= r_q + 1e-12))
            if same.size:
                chosen = int(same[np.argmax(rates[same])])
        if chosen is None:
            below = np.flatnonzero(effs <= e_q + 1e-12)
            chosen = int(below[np.argmax(effs[below])]) if below.size else lowest
        out[q] = chosen
    out[0] = lowest
    return out


def _mcs_key(config: NetworkConfig) -> tuple:
    table = link.mcs_table(config)
    return (tuple(table.modulation_order.astype(float)), tuple(table.code_rate.astype(float)),
            tuple(table.spectral_efficiency.astype(float)))


def cqi_to_mcs(cqi, config: NetworkConfig, rule: str = "modulation_first", table_path=None) -> np.ndarray:
    r"""Index of the configuration's MCS pair (:func:`multirat.link.mcs_table`) for each CQI (0..15).

    The paper names the CQI table but not how its LTE (modulation, code rate) becomes one of its own
    pairs of Table 3 and Sec. VI-B. Our rules (CQI :math:`q` with modulation :math:`M_q`, code rate
    :math:`r_q` = code rate x 1024 / 1024 and efficiency :math:`e_q`):

    * ``"modulation_first"`` (default): the pair with the same modulation order and the largest code
      rate :math:`c \le r_q`; if there is none (the CQI's rate is below every rate of
      :math:`\mathcal C`, e.g. QPSK at 78/1024), the pair with the largest spectral efficiency
      :math:`c\log_2 M \le e_q`; if there is none either, the least efficient pair. This keeps the
      modulation the UE reported as decodable and rounds its code rate *down*, as an eNodeB
      picks an MCS whose effective code rate does not exceed the reported one (TS 36.213 Sec. 7.2.3).
    * ``"efficiency"``: the pair with the largest spectral efficiency :math:`\le e_q` (ties to the
      lower modulation), else the least efficient pair.

    Both never exceed the CQI's efficiency when a pair at or below it exists. CQI 0 ("out of
    range") gives the least efficient pair (BPSK 1/2 in the paper's set). Any shape.
    """
    if rule not in CQI_RULES:
        raise ValueError(f"rule={rule!r} is unknown: allowed one of {CQI_RULES}")
    q = np.asarray(cqi)
    if q.dtype.kind not in "iu" or (q.size and (q.min() < 0 or q.max() > 15)):
        raise ValueError("cqi must be integers in 0..15")
    mapping = _cqi_map_cached(_mcs_key(config), rule, None if table_path is None else str(table_path))
    return mapping[q]


def cqi_mcs_map(config: NetworkConfig, rule: str = "modulation_first"):
    """The CQI table joined with the MCS pair each CQI maps to (:func:`cqi_to_mcs`), one row per CQI."""
    table = load_cqi_table()
    mcs = link.mcs_table(config)
    idx = cqi_to_mcs(table.cqi.to_numpy(), config, rule)
    return table.drop(columns="source").assign(
        mcs_index=idx, mcs=mcs.mcs.to_numpy()[idx],
        mcs_efficiency=mcs.spectral_efficiency.to_numpy()[idx])


# ------------------------------------------------------------------------------------------------
# Interference as a linear operator of the powers (one TS)
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class LinkCoupling:
    r"""The SINR map of one TS of ``B`` networks, linear in the powers:

    .. math::
        \mathrm{sinr}_n(\mathbf p) = \frac{p_n g_n}{g_n \sigma_{rt}^2 (\mathbf H \mathbf p)_n
            + (\mathbf C \mathbf p)_n + \sigma^2}

    (Eq. 14) with :math:`\mathbf H` the HWI reference power (the serving AP's total power,
    ``hwi_basis``) and :math:`\mathbf C` the ACI of Eq. (10), each already multiplied by the physical
    factor :math:`1 + \phi` of the victim when built for the physical network (Eqs. 11-12).
    """

    signal_gain: np.ndarray    #: [B, N] g_n of the serving channel (linear)
    hwi_matrix: np.ndarray     #: [B, N, N] HWI reference power at victim n per W of link j (dimensionless)
    aci_matrix: np.ndarray     #: [B, N, N] ACI power (W) at victim n per W of link j
    noise_w: float             #: sigma^2 (W)
    sigma_rt: float            #: HWI level
    scheduled: np.ndarray      #: [B, N] bool: links with an RRB this TS

    @property
    def shape(self) -> tuple:
        return self.signal_gain.shape


def _deviation_factors(env: NetworkEnv, physical: bool) -> tuple[np.ndarray, np.ndarray]:
    shape = (env.n_envs, env.n_agents)
    if not physical:
        return np.ones(shape), np.ones(shape)
    # LinearDeviation ignores the generator; a stochastic deviation model would give another draw of
    # the same law than the one step() applies (documented in link_coupling)
    aci_f, hwi_f = env.deviation.factors(np.random.default_rng(0), shape)
    return np.broadcast_to(aci_f, shape).astype(float), np.broadcast_to(hwi_f, shape).astype(float)


def link_coupling(env: NetworkEnv, physical: bool | None = True) -> LinkCoupling:
    """:class:`LinkCoupling` of the current TS of ``env`` (its gains, schedule and serving APs).

    The operators are computed column by column with the library's Eq. (10)
    (``interference._aci_core``) and HWI reference power (``interference._hwi_reference_core``)
    evaluated at unit power vectors, exact because both are linear in the powers. ``physical``:
    ``True`` (default: the physical network, perfect knowledge of its ACI and HWI), ``False`` (the
    twin) or ``None`` (the environment's mode). The factors come from ``env.deviation``; for the
    deterministic :class:`~multirat.env.LinearDeviation` they equal what :meth:`NetworkEnv.step`
    applies. Cost: one Eq. (10) evaluation on ``B N`` unit vectors.
    """
    s = _require_state(env)
    cfg = env.config
    physical = (env.mode == "physical") if physical is None else bool(physical)
    b, n = s.rrb.shape
    sched = s.rrb >= 0
    unit = np.broadcast_to(np.eye(n), (b, n, n)).reshape(b * n, n)                 # row (b, j): 1 W on link j

    def rep(x):  # [B, ...] -> [B*N, ...], row (b, j)
        return np.repeat(x, n, axis=0)

    aci_cols = interference._aci_core(rep(s.rrb), rep(s.serving_ap), unit, rep(sched), rep(s.gain), env.acir,
                                      cfg.aci_source, cfg.n_rrbs)[0]                 # [B*N, N]: (b, j) -> victim n
    hwi_cols = interference._hwi_reference_core(rep(s.serving_ap), unit, rep(sched), cfg.n_aps, cfg.hwi_basis)
    aci = aci_cols.reshape(b, n, n).transpose(0, 2, 1)                               # [B, n, j]
    hwi = hwi_cols.reshape(b, n, n).transpose(0, 2, 1)
    aci_f, hwi_f = _deviation_factors(env, physical)
    return LinkCoupling(signal_gain=s.serving_gain(), hwi_matrix=hwi * hwi_f[:, :, None],
                        aci_matrix=aci * aci_f[:, :, None], noise_w=env.noise_w, sigma_rt=float(cfg.sigma_rt),
                        scheduled=sched.copy())


def _power_batch(coupling: LinkCoupling, power_w) -> np.ndarray:
    b, n = coupling.shape
    p = np.asarray(power_w, dtype=float)
    if p.ndim == 2 and p.shape[-1] == n:
        p = np.broadcast_to(p, (b,) + p.shape)
    if p.ndim != 3 or p.shape[0] != b or p.shape[-1] != n:
        raise ValueError(f"power_w must be [V, N] or [B, V, N] with B={b}, N={n}; got shape {np.shape(power_w)}")
    if np.any(np.isnan(p)) or np.any(p < 0):
        raise ValueError("power_w must be >= 0 (W)")
    return p


def coupling_sinr(coupling: LinkCoupling, power_w) -> np.ndarray:
    """Eq. (14) for many power vectors at once: ``power_w`` ``[V, N]`` or ``[B, V, N]`` (W) -> SINR ``[B, V, N]``.

    The interference terms are the operator products :math:`\\mathbf H\\mathbf p` and
    :math:`\\mathbf C\\mathbf p`; the ratio is the library's Eq. (14) core. Unscheduled links get 0.
    """
    p = _power_batch(coupling, power_w)                                              # [B, V, N]
    hwi_ref = np.einsum("bnj,bvj->bvn", coupling.hwi_matrix, p)
    aci = np.einsum("bnj,bvj->bvn", coupling.aci_matrix, p)
    sched = coupling.scheduled[:, None, :]
    value = interference._sinr_core(p, coupling.signal_gain[:, None, :], hwi_ref, aci, coupling.noise_w,
                                    coupling.sigma_rt, 1.0)
    return np.where(sched, value, 0.0)


def sum_rate_best_mcs(coupling: LinkCoupling, power_w, config: NetworkConfig):
    """Sum throughput when every link uses its best MCS for the SINR a power vector gives it.

    ``power_w`` ``[V, N]`` or ``[B, V, N]`` (W, continuous values allowed). Returns
    ``(sum_bits [B, V], rate_bits [B, V, N], mcs_index [B, V, N])``: Eq. (15) (``config.ser_model``)
    of every MCS pair evaluated with :func:`multirat.link.throughput_bits` on ``[B, V, N, |M||C|]``
    and maximised per link (ties to the lower MCS index, as :func:`multirat.link.best_mcs`).
    Unscheduled links contribute 0.
    """
    table = link.mcs_table(config)
    sinr = coupling_sinr(coupling, power_w)                                          # [B, V, N]
    tput = link.throughput_bits(sinr[..., None], table.modulation_order.to_numpy(), table.code_rate.to_numpy(),
                                table.d_free.to_numpy(), config.n_symbols, ser_model=config.ser_model)  # [B,V,N,M]
    mcs = np.argmax(tput, axis=-1)
    rate = np.take_along_axis(tput, mcs[..., None], axis=-1)[..., 0]
    rate = np.where(coupling.scheduled[:, None, :], rate, 0.0)
    return rate.sum(axis=-1), rate, mcs


def power_index_vectors(index, n_links: int, n_levels: int) -> np.ndarray:
    """Power-level indices ``[V, N]`` of power-vector numbers ``index`` ``[V]`` (base ``n_levels``,
    link 0 the most significant digit: lexicographic order)."""
    idx = np.asarray(index, dtype=np.int64)
    place = np.int64(n_levels) ** np.arange(n_links - 1, -1, -1, dtype=np.int64)      # [N]
    return (idx[:, None] // place[None, :]) % n_levels


# ------------------------------------------------------------------------------------------------
# Exhaustive search
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class SearchResult:
    """Outcome of an exhaustive search for ``B`` networks (arrays ``[B, N]`` unless noted)."""

    actions: np.ndarray          #: action indices (power-major, :func:`multirat.env.action_table`)
    power_index: np.ndarray
    mcs_index: np.ndarray
    rate_bits: np.ndarray        #: Eq. (15) per link at the optimum, bits/frame
    sum_rate_bits: np.ndarray    #: [B] the optimum, bits/frame
    n_candidates: int            #: power vectors (decomposed) or joint action vectors (brute force) per network

    @property
    def sum_rate_kbits(self) -> np.ndarray:
        return self.sum_rate_bits / 1e3


def _check_size(n_levels: int, n_links: int, limit: int, what: str, name: str) -> int:
    count = int(n_levels) ** int(n_links)
    if count > limit:
        raise ValueError(f"{what}: {n_levels}^{n_links} = {count:,} candidates per network exceed "
                         f"{name}={limit:,}; reduce N={n_links} or raise {name}")
    return count


def exhaustive_power_search(coupling: LinkCoupling, levels_w, config: NetworkConfig, *,
                            max_power_vectors: int = 4**12, chunk_elements: int = 2**22) -> SearchResult:
    r"""The exact maximum of the sum throughput over power vectors in ``levels_w``\ :sup:`N` and all MCS.

    Enumerates the :math:`L^N` power vectors (``L = len(levels_w)``) in chunks of at most
    ``chunk_elements`` throughput evaluations (``B x V x N x |M||C|``), evaluates each with
    :func:`sum_rate_best_mcs` and keeps the best per network (ties: the first vector in lexicographic
    order, then the lower MCS index). ``ValueError`` naming the size if :math:`L^N` exceeds
    ``max_power_vectors``.
    """
    levels = np.asarray(levels_w, dtype=float)
    if levels.ndim != 1 or levels.size < 1 or np.any(~np.isfinite(levels)) or np.any(levels < 0):
        raise ValueError("levels_w must be a 1-D array of finite powers >= 0 (W)")
    b, n = coupling.shape
    n_mcs = len(config.modulation_orders) * len(config.code_rates)
    n_vec = _check_size(levels.size, n, _positive_int(max_power_vectors, "max_power_vectors"),
                        "exhaustive search over |P|^N power vectors", "max_power_vectors")
    chunk = max(1, _positive_int(chunk_elements, "chunk_elements") // (b * n * n_mcs))
    best = np.full(b, -np.inf)
    best_vec = np.zeros(b, dtype=np.int64)
    best_mcs = np.zeros((b, n), dtype=np.int64)
    best_rate = np.zeros((b, n))
    rows = np.arange(b)
    for start in range(0, n_vec, chunk):
        index = np.arange(start, min(start + chunk, n_vec), dtype=np.int64)
        p = levels[power_index_vectors(index, n, levels.size)]                       # [V, N]
        total, rate, mcs = sum_rate_best_mcs(coupling, p, config)                    # [B, V], [B, V, N]
        j = np.argmax(total, axis=1)
        better = total[rows, j] > best
        best = np.where(better, total[rows, j], best)
        best_vec = np.where(better, index[j], best_vec)
        best_mcs = np.where(better[:, None], mcs[rows, j], best_mcs)
        best_rate = np.where(better[:, None], rate[rows, j], best_rate)
    power_index = power_index_vectors(best_vec, n, levels.size)
    return SearchResult(actions=power_index * n_mcs + best_mcs, power_index=power_index, mcs_index=best_mcs,
                        rate_bits=best_rate, sum_rate_bits=best, n_candidates=n_vec)


def exhaustive_search(env: NetworkEnv, physical: bool | None = True, **kwargs) -> SearchResult:
    """ESA on the current TS of ``env``: :func:`exhaustive_power_search` over the Eq. (25) grid
    (:func:`multirat.env.power_levels_w`) with the operator of :func:`link_coupling` (``physical``
    as there; default the physical network). ``kwargs``: ``max_power_vectors``, ``chunk_elements``."""
    return exhaustive_power_search(link_coupling(env, physical), power_levels_w(env.config), env.config, **kwargs)


@dataclass(frozen=True)
class _FixedFactors:
    """A deviation model that returns given factor arrays (brute force on a tiled copy of the state)."""

    aci: np.ndarray
    hwi: np.ndarray

    def factors(self, rng, shape):
        return self.aci, self.hwi


def exhaustive_search_bruteforce(env: NetworkEnv, physical: bool | None = True, *, max_candidates: int = 48**4,
                                 chunk: int = 4096) -> SearchResult:
    r"""Reference ESA without the decomposition: all :math:`|\mathcal A_n|^N` joint actions.

    Every joint action vector is played through :meth:`NetworkEnv.evaluate` on a copy of the
    current state tiled ``chunk`` times (the environment's own Eqs. 10-15, not the operator of
    :func:`link_coupling`), ``chunk`` vectors per network at a time. Meant for N <= 3 (110,592
    vectors); ``ValueError`` naming the size beyond ``max_candidates``.
    """
    s = _require_state(env)
    cfg = env.config
    physical = (env.mode == "physical") if physical is None else bool(physical)
    b, n = s.rrb.shape
    n_act = env.n_actions
    n_mcs = len(cfg.modulation_orders) * len(cfg.code_rates)
    n_vec = _check_size(n_act, n, _positive_int(max_candidates, "max_candidates"),
                        "brute-force search over |A_n|^N joint actions", "max_candidates")
    chunk = _positive_int(chunk, "chunk")
    aci_f, hwi_f = _deviation_factors(env, physical)
    arrays = {f.name: getattr(s, f.name) for f in dataclasses.fields(s) if f.name not in ("t", "gain")}
    best = np.full(b, -np.inf)
    best_vec = np.zeros(b, dtype=np.int64)
    best_rate = np.zeros((b, n))
    rows = np.arange(b)
    v = min(chunk, n_vec)                                                            # vectors per network and chunk
    tiled = NetworkEnv(cfg, mode="physical" if physical else "twin", n_envs=b * v,
                       deviation=_FixedFactors(np.repeat(aci_f, v, axis=0), np.repeat(hwi_f, v, axis=0)))
    tiled.state = EpisodeState(**{k: np.repeat(a, v, axis=0) for k, a in arrays.items()}, t=s.t)
    for start in range(0, n_vec, chunk):
        index = np.arange(start, start + v, dtype=np.int64)
        index = np.minimum(index, n_vec - 1)            # the last chunk repeats its last vector (ties keep the first)
        actions = power_index_vectors(index, n, n_act)                               # [V, N] joint actions
        info = tiled.evaluate(np.tile(actions, (b, 1)))                              # row b*V + v
        rate = info.rate_bits.reshape(b, v, n)
        total = rate.sum(axis=-1)
        j = np.argmax(total, axis=1)
        better = total[rows, j] > best
        best = np.where(better, total[rows, j], best)
        best_vec = np.where(better, index[j], best_vec)
        best_rate = np.where(better[:, None], rate[rows, j], best_rate)
    actions = power_index_vectors(best_vec, n, n_act)
    return SearchResult(actions=actions, power_index=actions // n_mcs, mcs_index=actions % n_mcs,
                        rate_bits=best_rate, sum_rate_bits=best, n_candidates=n_vec)


# ------------------------------------------------------------------------------------------------
# The schemes
# ------------------------------------------------------------------------------------------------

class RandomPolicy:
    """RA (Sec. VI-A): power, modulation and code rate drawn uniformly and independently each TS.

    ``seed`` (int or None) seeds the policy's own generator; :meth:`reset` restarts it, so that
    :func:`evaluate_policy` gives the same numbers for the same seeds.
    """

    name = "RA"

    def __init__(self, seed: int | None = None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
            raise ValueError(f"seed must be a non-negative integer or None; got {seed!r}")
        self.seed = None if seed is None else int(seed)
        self.reset()

    def reset(self) -> None:
        self.rng = np.random.default_rng(self.seed)

    def __repr__(self) -> str:
        return f"RandomPolicy(seed={self.seed!r})"

    def act(self, env: NetworkEnv, obs=None) -> Decision:
        cfg = env.config
        shape = (env.n_envs, env.n_agents)
        n_m, n_c = len(cfg.modulation_orders), len(cfg.code_rates)
        i_p = self.rng.integers(0, cfg.n_power_levels, shape)
        i_m = self.rng.integers(0, n_m, shape)
        i_c = self.rng.integers(0, n_c, shape)
        return Decision(i_p * n_m * n_c + i_m * n_c + i_c)


@dataclass(frozen=True)
class MaxPower3GPP:
    """MaxP-3GPP-MCS (Sec. VI-A): :math:`P_{max}` on every link, MCS from the CQI of its SINR at :math:`P_{max}`.

    The SINR is Eq. (14) with every scheduled link at :math:`P_{max}`, measured perfectly in the
    physical network (``physical=True``, default; ``False``: the twin's SINR; ``None``: the
    environment's mode). It is quantised with :func:`sinr_to_cqi` (``thresholds``) and mapped with
    :func:`cqi_to_mcs` (``rule``).
    """

    physical: bool | None = True
    thresholds: str = "common"
    rule: str = "modulation_first"
    name: str = "MaxP-3GPP-MCS"

    def __post_init__(self):
        _threshold_column(self.thresholds)
        if self.rule not in CQI_RULES:
            raise ValueError(f"rule={self.rule!r} is unknown: allowed one of {CQI_RULES}")

    def act(self, env: NetworkEnv, obs=None) -> Decision:
        _require_state(env)
        cfg = env.config
        n_mcs = len(cfg.modulation_orders) * len(cfg.code_rates)
        top = cfg.n_power_levels - 1                                                  # P_max: the last level
        probe = np.full((env.n_envs, env.n_agents), top * n_mcs, dtype=np.int64)
        sinr = env.evaluate(probe, physical=self.physical).sinr                       # the MCS does not enter Eq. 14
        cqi = sinr_to_cqi(sinr, self.thresholds)
        return Decision(top * n_mcs + cqi_to_mcs(cqi, cfg, self.rule), info={"sinr": sinr, "cqi": cqi})


@dataclass(frozen=True)
class ExhaustiveSearch:
    """ESA (Sec. VI-A): the per-TS optimum over (power, modulation, rate), perfect ACI/HWI knowledge.

    ``physical=True`` (default) optimises the physical network's sum throughput. See
    :func:`exhaustive_search`; ``max_power_vectors`` bounds :math:`|\\mathcal P|^N`.
    """

    physical: bool | None = True
    max_power_vectors: int = 4**12
    chunk_elements: int = 2**22
    name: str = "ESA"

    def search(self, env: NetworkEnv) -> SearchResult:
        return exhaustive_search(env, self.physical, max_power_vectors=self.max_power_vectors,
                                 chunk_elements=self.chunk_elements)

    def act(self, env: NetworkEnv, obs=None) -> Decision:
        res = self.search(env)
        return Decision(res.actions, info={"sum_rate_bits": res.sum_rate_bits})


def fractional_available() -> bool:
    """True when ``multirat.fractional`` (ESA-FP) is installed."""
    return importlib.util.find_spec("multirat.fractional") is not None


@dataclass(frozen=True)
class FractionalProgramming:
    """ESA-FP (Sec. VI-A): adapter that calls ``multirat.fractional.esa_fp(env, **kwargs)``.

    ``esa_fp`` returns ``(actions [B, N], power_w [B, N], info)``; the decision plays the actions'
    MCS with the continuous powers. ``ImportError`` if the module is not there.
    """

    kwargs: Mapping = field(default_factory=dict)
    name: str = "ESA-FP"

    def act(self, env: NetworkEnv, obs=None) -> Decision:
        if not fractional_available():
            raise ImportError("ESA-FP needs multirat.fractional (esa_fp), which is not installed")
        fractional = importlib.import_module("multirat.fractional")
        actions, power_w, info = fractional.esa_fp(env, **dict(self.kwargs))
        return Decision(np.asarray(actions), np.asarray(power_w, dtype=float),
                        info=dict(info) if isinstance(info, Mapping) else {"info": info})


# ------------------------------------------------------------------------------------------------
# Evaluation
# ------------------------------------------------------------------------------------------------

class PolicyEvaluation(NamedTuple):
    """``per_drop``: one row per drop (``mean_sum_rate_kbits`` = mean over its TS of the sum
    throughput, kbit/frame); ``summary``: mean, standard deviation and 95 % t-interval over drops."""

    per_drop: object
    summary: dict


def t_confidence_interval(values, confidence: float = 0.95) -> tuple[float, float]:
    r"""Mean and half-width of the two-sided t-interval :math:`\bar x \pm t_{n-1,(1+\alpha)/2}\, s/\sqrt n`.

    ``values`` 1-D (>= 1 value); the half-width is NaN for a single value.
    """
    from scipy import stats

    x = np.asarray(values, dtype=float).ravel()
    if x.size < 1 or np.any(~np.isfinite(x)):
        raise ValueError("values must hold at least one finite number")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1); got {confidence!r}")
    if x.size == 1:
        return float(x[0]), float("nan")
    sem = x.std(ddof=1) / math.sqrt(x.size)
    return float(x.mean()), float(stats.t.ppf(0.5 + confidence / 2.0, x.size - 1) * sem)


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"mode={mode!r} is unknown: allowed one of {MODES}")


def evaluate_policy(policy: Policy, config: NetworkConfig, n_drops: int, seed: int, mode: str = "physical",
                    n_envs: int | None = None, deviation: DeviationModel | None = None) -> PolicyEvaluation:
    """Run ``n_drops`` independent drops of ``config.slots_per_episode`` TS each and summarise them.

    ``n_envs`` networks run side by side (default: all drops at once); episodes follow until
    ``n_drops`` drops are done (drop ``d`` = network ``d % n_envs`` of episode ``d // n_envs``). The
    environment is seeded once with ``seed`` (drops, shadowing, fading, first schedules), and the
    policy's ``reset()`` (if any) is called first: the same arguments give the same numbers, and two
    policies evaluated with the same ``seed`` and ``n_envs`` meet the same drops and fading (the PF
    schedules differ as the rates do). Returns :class:`PolicyEvaluation`.
    """
    import pandas as pd

    _check_mode(mode)
    n_drops = _positive_int(n_drops, "n_drops")
    n_envs = n_drops if n_envs is None else _positive_int(n_envs, "n_envs")
    if not isinstance(config, NetworkConfig):
        raise TypeError(f"config must be a NetworkConfig; got {type(config).__name__}")
    if not callable(getattr(policy, "act", None)):
        raise ValueError("policy must have act(env, obs) -> Decision")
    if callable(getattr(policy, "reset", None)):
        policy.reset()
    env = NetworkEnv(config, mode=mode, n_envs=n_envs, deviation=deviation)
    n_episodes = -(-n_drops // n_envs)
    means = []
    for episode in range(n_episodes):
        obs, _ = env.reset(seed=seed if episode == 0 else None)
        total = np.zeros(n_envs)
        done = False
        while not done:
            d = policy.act(env, obs)
            obs, reward, done, _ = env.step(d.actions, power_w=d.power_w)
            total += reward
        means.append(total / config.slots_per_episode)
    values = np.concatenate(means)[:n_drops]
    drops = np.arange(n_drops)
    per_drop = pd.DataFrame({"drop": drops, "episode": drops // n_envs, "network": drops % n_envs,
                             "mean_sum_rate_kbits": values})
    mean, half = t_confidence_interval(values)
    summary = {"policy": getattr(policy, "name", type(policy).__name__), "mode": mode, "n_drops": n_drops,
               "mean_kbits": mean, "std_kbits": float(values.std(ddof=1)) if n_drops > 1 else float("nan"),
               "ci95_halfwidth_kbits": half, "ci95_low_kbits": mean - half, "ci95_high_kbits": mean + half}
    return PolicyEvaluation(per_drop, summary)


def same_slot_comparison(policies: Mapping[str, Policy], config: NetworkConfig, n_drops: int, seed: int,
                         mode: str = "physical", driver: str | None = None, n_envs: int | None = None,
                         deviation: DeviationModel | None = None):
    """Every scheme's sum throughput on the **same** TS: at each TS each policy acts on the current
    state and its decision is evaluated with :meth:`NetworkEnv.evaluate` (no time passes); then the
    ``driver`` policy's decision (default: the first) is played to advance the episode.

    Returns a long DataFrame: ``drop``, ``t``, ``policy``, ``sum_rate_kbits``.
    """
    import pandas as pd

    _check_mode(mode)
    if not policies:
        raise ValueError("policies must name at least one policy")
    driver = next(iter(policies)) if driver is None else driver
    if driver not in policies:
        raise ValueError(f"driver={driver!r} is not one of the policies {list(policies)}")
    n_drops = _positive_int(n_drops, "n_drops")
    n_envs = n_drops if n_envs is None else _positive_int(n_envs, "n_envs")
    for p in policies.values():
        if callable(getattr(p, "reset", None)):
            p.reset()
    env = NetworkEnv(config, mode=mode, n_envs=n_envs, deviation=deviation)
    frames = []
    for episode in range(-(-n_drops // n_envs)):
        obs, _ = env.reset(seed=seed if episode == 0 else None)
        done = False
        while not done:
            t = env.state.t
            decisions = {name: p.act(env, obs) for name, p in policies.items()}
            for name, d in decisions.items():
                value = env.evaluate(d.actions, power_w=d.power_w).sum_rate_kbits
                frames.append(pd.DataFrame({"drop": episode * n_envs + np.arange(n_envs), "t": t, "policy": name,
                                            "sum_rate_kbits": value}))
            d = decisions[driver]
            obs, _, done, _ = env.step(d.actions, power_w=d.power_w)
    out = pd.concat(frames, ignore_index=True)
    return out[out["drop"] < n_drops].reset_index(drop=True)


# ------------------------------------------------------------------------------------------------
# Complexity
# ------------------------------------------------------------------------------------------------

def search_space_counts(n_links: int, n_power: int = 4, n_modulations: int = 4, n_code_rates: int = 3) -> dict:
    r"""Exact sizes of the per-TS search spaces (Python integers) for ``n_links`` links.

    ``modulation_combinations`` :math:`|\mathcal M|^N`, ``code_rate_combinations`` :math:`|\mathcal C|^N`,
    ``mc_configurations`` :math:`(|\mathcal M||\mathcal C|)^N` (ESA-FP's outer loop),
    ``power_vectors`` :math:`|\mathcal P|^N`, ``joint_action_vectors``
    :math:`(|\mathcal P||\mathcal M||\mathcal C|)^N` (brute-force ESA), and the throughput
    evaluations of the brute force (:math:`N` per joint vector) and of the decomposed ESA
    (:math:`|\mathcal P|^N N |\mathcal M||\mathcal C|`).
    """
    n = _positive_int(n_links, "n_links")
    sizes = [_positive_int(x, name) for x, name in ((n_power, "n_power"), (n_modulations, "n_modulations"),
                                                     (n_code_rates, "n_code_rates"))]
    p, m, c = sizes
    return {"n_links": n, "modulation_combinations": m**n, "code_rate_combinations": c**n,
            "mc_configurations": (m * c) ** n, "power_vectors": p**n, "joint_action_vectors": (p * m * c) ** n,
            "bruteforce_link_evaluations": (p * m * c) ** n * n, "decomposed_link_evaluations": p**n * n * m * c}


def _adjacency(adjacency) -> np.ndarray:
    a = np.asarray(adjacency)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < 1:
        raise ValueError(f"adjacency must be a square matrix [N, N]; got shape {a.shape}")
    a = a.astype(bool)
    if np.any(a != a.T) or np.any(np.diag(a)):
        raise ValueError("adjacency must be symmetric with a zero diagonal (a simple graph)")
    return a


def mis_reduction_coupling(adjacency, config: NetworkConfig, coupling_ratio: float = 3.0,
                           snr_db: float = 40.0) -> LinkCoupling:
    r"""The single-slot instance of the reduction from MAXIMUM INDEPENDENT SET (chapter 6).

    Graph :math:`G = (V, E)`, ``adjacency`` ``[N, N]``: one link per vertex, each served by its own
    AP (so :math:`P_{total,k(n)} = p_n`), all links within the ACI reach of each other (Eq. 10 with
    :math:`L` covering the band). Serving gain :math:`g` with :math:`P_{max} g/\sigma^2` =
    ``snr_db``; the gain from the AP of :math:`j` to device :math:`n`, divided by :math:`A_l`, is
    :math:`\kappa g` if :math:`\{n, j\} \in E` and 0 otherwise (:math:`\kappa` = ``coupling_ratio``).
    Then, with the paper's :math:`\sigma_{rt}`, MCS set and :math:`N_p`, the optimum of the sum
    throughput is within a small fraction of a link's peak rate of :math:`\alpha(G)` times that peak
    rate (chapter 6 proves the bounds; the notebook checks them). Returns a ``B = 1``
    :class:`LinkCoupling`.
    """
    a = _adjacency(adjacency)
    if not coupling_ratio > 0 or not math.isfinite(coupling_ratio):
        raise ValueError(f"coupling_ratio must be finite and > 0; got {coupling_ratio!r}")
    n = a.shape[0]
    noise = float(units.dbm_to_watt(config.noise_power_dbm))
    g = noise * float(units.db_to_linear(snr_db)) / float(units.dbm_to_watt(config.p_max_dbm))
    return LinkCoupling(signal_gain=np.full((1, n), g), hwi_matrix=np.eye(n)[None],
                        aci_matrix=(coupling_ratio * g * a.astype(float))[None], noise_w=noise,
                        sigma_rt=float(config.sigma_rt), scheduled=np.ones((1, n), dtype=bool))


def mis_reduction_bounds(config: NetworkConfig, coupling_ratio: float = 3.0, snr_db: float = 40.0,
                         max_degree: int = 3) -> dict:
    r"""The constants of the MIS reduction's bounds (chapter 6) for graphs of maximum degree ``max_degree``.

    With :math:`R^\star` the best-MCS envelope (:func:`multirat.link.best_mcs`),
    :math:`\rho = P_{max}/P_{min}` and :math:`\kappa` = ``coupling_ratio``:

    .. math::
        \gamma_{on} = \Bigl(\sigma_{rt}^2 + \Delta\kappa/\rho + 10^{-\mathrm{snr}/10}\Bigr)^{-1},\quad
        \gamma_{off} = 1/\kappa,\quad \gamma_{cap} = 1/\sigma_{rt}^2,

        \delta = 1 - R^\star(\gamma_{on})/R^\star(\gamma_{cap}),\qquad
        \varepsilon = R^\star(\gamma_{off})/R^\star(\gamma_{cap}),

    so that :math:`\alpha R^\star(\gamma_{on}) \le \mathrm{OPT} \le \alpha R^\star(\gamma_{cap}) +
    N R^\star(\gamma_{off})`, and the threshold :math:`(k - \tfrac12) R^\star(\gamma_{cap})` decides
    :math:`\alpha(G) \ge k` for every graph with :math:`N \le` ``n_max`` :math:`= \lfloor
    1/(2\max(\delta, \varepsilon)) \rfloor` vertices (``n_max`` is ``inf`` when both vanish).
    Rates in bits/frame.
    """
    if isinstance(max_degree, bool) or int(max_degree) != max_degree or max_degree < 0:
        raise ValueError(f"max_degree must be a non-negative integer; got {max_degree!r}")
    if not coupling_ratio > 0 or not math.isfinite(coupling_ratio):
        raise ValueError(f"coupling_ratio must be finite and > 0; got {coupling_ratio!r}")
    if config.sigma_rt <= 0:
        raise ValueError("the bounds need sigma_rt > 0 (the HWI ceiling 1/sigma_rt^2 caps every SINR)")
    rho = float(units.dbm_to_watt(config.p_max_dbm) / units.dbm_to_watt(config.p_min_dbm))
    gamma_on = 1.0 / (config.sigma_rt**2 + max_degree * coupling_ratio / rho + float(units.db_to_linear(-snr_db)))
    gamma_off = 1.0 / coupling_ratio
    gamma_cap = 1.0 / config.sigma_rt**2
    _, (r_on, r_off, r_cap) = link.best_mcs(np.array([gamma_on, gamma_off, gamma_cap]), config, config.ser_model)
    delta, eps = 1.0 - r_on / r_cap, r_off / r_cap
    worst = max(delta, eps)
    return {"coupling_ratio": float(coupling_ratio), "power_ratio": rho, "gamma_on": gamma_on,
            "gamma_off": gamma_off, "gamma_cap": gamma_cap, "rate_on_bits": float(r_on),
            "rate_off_bits": float(r_off), "rate_cap_bits": float(r_cap), "delta": float(delta), "eps": float(eps),
            "n_max": math.floor(0.5 / worst) if worst > 0 else math.inf}


def independence_number(adjacency) -> int:
    r""":math:`\alpha(G)`, the size of a maximum independent set, by enumerating all :math:`2^N` vertex
    subsets (vectorized; N <= 20). A validation oracle for :func:`mis_reduction_coupling`."""
    a = _adjacency(adjacency)
    n = a.shape[0]
    if n > 20:
        raise ValueError(f"independence_number enumerates 2^N subsets; N={n} > 20 is too large")
    subsets = ((np.arange(2**n)[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)    # [2^N, N]
    edges = np.argwhere(np.triu(a))                                                  # [E, 2]
    independent = ~np.any(subsets[:, edges[:, 0]] & subsets[:, edges[:, 1]], axis=1) if len(edges) else \
        np.ones(2**n, dtype=bool)
    return int(subsets[independent].sum(axis=1).max())


# ------------------------------------------------------------------------------------------------
# The benchmark table with a result cache
# ------------------------------------------------------------------------------------------------

def config_hash(obj) -> str:
    """SHA-256 (first 16 hex digits) of a JSON rendering of ``obj`` (dataclasses as their fields)."""
    def default(x):
        if dataclasses.is_dataclass(x) and not isinstance(x, type):
            return {"__type__": type(x).__name__, **dataclasses.asdict(x)}
        if isinstance(x, np.generic):
            return x.item()
        return repr(x)

    text = json.dumps(obj, default=default, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _git_commit() -> dict:
    import subprocess

    from multirat.paths import repo_root

    def run(*args):
        try:
            out = subprocess.run(["git", *args], cwd=repo_root(), capture_output=True, text=True, timeout=10)
            return out.stdout.strip() if out.returncode == 0 else None
        except (OSError, subprocess.SubprocessError):
            return None

    status = run("status", "--porcelain")
    return {"commit": run("rev-parse", "HEAD"), "dirty": bool(status) if status is not None else None}


def _versions() -> dict:
    import importlib.metadata as md

    out = {}
    for pkg in ("multirat", "numpy", "scipy", "pandas"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = None
    return out


def benchmark_table(cases, policies: Mapping[str, Callable[[], Policy]], base_config: NetworkConfig, n_drops: int,
                    seed: int, mode: str = "physical", n_envs: int | None = None, cache_path=None,
                    extra: Mapping | None = None):
    """Mean sum throughput and 95 % t-interval of each scheme in each ``(K, N)`` case.

    ``policies`` maps a column name to a factory (a fresh policy per case); every scheme of a case
    meets the same drops (:func:`evaluate_policy` with the same ``seed``). Returns a DataFrame with
    one row per (case, scheme): ``K``, ``N``, ``policy``, ``n_drops``, ``mean_kbits``,
    ``ci95_halfwidth_kbits``, ``ci95_low_kbits``, ``ci95_high_kbits``, ``std_kbits``, ``wall_s``.

    With ``cache_path`` (a ``.csv`` path) the table is loaded from there when its JSON sidecar
    (same name, ``.json``) holds the same configuration hash (cases, configs, schemes, drops, seed,
    mode, ``extra``); otherwise it is computed and both files are written (sidecar: hash, seeds,
    package versions, git commit, wall time).
    """
    import pandas as pd

    _check_mode(mode)
    cases = [tuple(int(x) for x in c) for c in cases]
    configs = [dataclasses.replace(base_config, n_aps=k, n_devices=n) for k, n in cases]
    key = {"cases": cases, "configs": configs, "policies": {name: repr(f()) for name, f in policies.items()},
           "n_drops": int(n_drops), "seed": int(seed), "mode": mode, "n_envs": n_envs, "extra": dict(extra or {})}
    digest = config_hash(key)
    if cache_path is not None:
        csv, meta = Path(cache_path), Path(cache_path).with_suffix(".json")
        if csv.is_file() and meta.is_file() and json.loads(meta.read_text()).get("config_hash") == digest:
            return pd.read_csv(csv)
    rows = []
    t_all = time.perf_counter()
    for (k, n), cfg in zip(cases, configs):
        for name, factory in policies.items():
            t0 = time.perf_counter()
            _, summary = evaluate_policy(factory(), cfg, n_drops, seed, mode=mode, n_envs=n_envs)
            rows.append({"K": k, "N": n, "policy": name, "n_drops": summary["n_drops"],
                         "mean_kbits": summary["mean_kbits"], "ci95_halfwidth_kbits": summary["ci95_halfwidth_kbits"],
                         "ci95_low_kbits": summary["ci95_low_kbits"], "ci95_high_kbits": summary["ci95_high_kbits"],
                         "std_kbits": summary["std_kbits"], "wall_s": time.perf_counter() - t0})
    table = pd.DataFrame(rows)
    if cache_path is not None:
        csv.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(csv, index=False)
        meta.write_text(json.dumps({"config_hash": digest, "seed": int(seed), "n_drops": int(n_drops), "mode": mode,
                                    "cases": cases, "policies": key["policies"], "extra": key["extra"],
                                    "versions": _versions(), "git": _git_commit(),
                                    "wall_time_s": round(time.perf_counter() - t_all, 3),
                                    "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}, indent=2) + "\n")
    return table
