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
* :class:`FractionalProgramming` -- ESA-FP: a thin adapter around :func:`multirat.fractional.esa_fp`.
* :class:`GenieLinkAdaptation` -- :math:`P_{max}` with each link's best MCS at its true SINR (ours: a
  reference that isolates link adaptation from power control).
* :class:`OuterLoopLinkAdaptation` -- OLLA (ours, beyond the paper): MaxP-3GPP-MCS with the per-link
  SINR offset of deployed LTE/NR schedulers, steered by ACK/NACK towards a target BLER
  (:func:`olla_update`, :func:`olla_mcs`).

**The decomposition behind ESA.** In Eqs. (10)-(14) the interference a link sees depends on the
transmit *powers* only, never on the modulation or code rate. For a fixed power vector
:math:`\mathbf p` every SINR :math:`\mathrm{sinr}_n(\mathbf p)` is therefore fixed, the sum of
Eq. (15) is separable in the links' MCS, and

.. math::
    \max_{\mathbf p, \mathbf m, \mathbf c} \sum_n R_n
    = \max_{\mathbf p \in \mathcal P^N} \sum_n \max_{(m, c) \in \mathcal M \times \mathcal C}
      R_{m,c}\bigl(\mathrm{sinr}_n(\mathbf p)\bigr),

which costs :math:`|\mathcal P|^N N |\mathcal M||\mathcal C|` throughput evaluations instead of
:math:`(|\mathcal P||\mathcal M||\mathcal C|)^N N` (:func:`multirat.hardness.search_space_counts`).
:func:`exhaustive_search_bruteforce` evaluates every one of the :math:`(|\mathcal A_n|)^N` joint
actions through :meth:`NetworkEnv.evaluate` as an independent check.

The search evaluates power vectors through the linear operator of :mod:`multirat.coupling`.
Comparing schemes on held-out drops is :mod:`multirat.evaluation`'s job; the policy interface
(:class:`~multirat.policy.Decision`, :class:`~multirat.policy.Policy`) lives in :mod:`multirat.policy`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from multirat import cqi, fractional, link
from multirat._checks import choice, flag, positive_int, real
from multirat._checks import seed as _seed
from multirat.config import NetworkConfig
from multirat.coupling import LinkCoupling, deviation_factors, link_coupling, power_index_vectors, sum_rate_best_mcs
from multirat.env import EpisodeState, NetworkEnv, power_levels_w, require_state
from multirat.policy import Decision

__all__ = [
    "SearchResult", "exhaustive_power_search", "exhaustive_search", "exhaustive_search_bruteforce",
    "RandomPolicy", "MaxPower3GPP", "GenieLinkAdaptation", "ExhaustiveSearch", "FractionalProgramming",
    "OuterLoopLinkAdaptation", "olla_converged_offset_db", "olla_mcs", "olla_update",
]



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
    ``max_power_vectors``, or naming the argument for ``levels_w`` not a non-empty 1-D array of
    finite powers >= 0 (W) and sizes that are not integers >= 1; ``TypeError`` for a ``coupling``
    that is not a :class:`LinkCoupling`, a ``config`` that is not a NetworkConfig or non-numbers.
    """
    if not isinstance(coupling, LinkCoupling):
        raise TypeError(f"coupling must be a LinkCoupling; got {type(coupling).__name__}")
    if not isinstance(config, NetworkConfig):
        raise TypeError(f"config must be a NetworkConfig; got {type(config).__name__}")
    levels = real(levels_w, "levels_w", lo=0.0, unit="W")
    if levels.ndim != 1 or levels.size < 1:
        raise ValueError(f"levels_w must be a non-empty 1-D array of powers (W); got shape {levels.shape}")
    b, n = coupling.shape
    n_mcs = len(config.modulation_orders) * len(config.code_rates)
    n_vec = _check_size(levels.size, n, positive_int(max_power_vectors, "max_power_vectors"),
                        "exhaustive search over |P|^N power vectors", "max_power_vectors")
    chunk = max(1, positive_int(chunk_elements, "chunk_elements") // (b * n * n_mcs))
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
    as there; default the physical network). ``kwargs``: ``max_power_vectors``, ``chunk_elements``.
    Raises ``ValueError`` / ``TypeError`` / ``RuntimeError`` as :func:`link_coupling` and
    :func:`exhaustive_power_search`."""
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
    vectors); ``ValueError`` naming the size beyond ``max_candidates`` (and for sizes that are not
    integers >= 1), ``TypeError`` for ``physical`` not a bool or None, ``RuntimeError`` before ``reset``.
    """
    s = require_state(env)
    cfg = env.config
    physical = (env.mode == "physical") if physical is None else flag(physical, "physical")
    b, n = s.rrb.shape
    n_act = env.n_actions
    n_mcs = len(cfg.modulation_orders) * len(cfg.code_rates)
    n_vec = _check_size(n_act, n, positive_int(max_candidates, "max_candidates"),
                        "brute-force search over |A_n|^N joint actions", "max_candidates")
    chunk = positive_int(chunk, "chunk")
    aci_f, hwi_f = deviation_factors(env, physical)
    arrays = {f.name: getattr(s, f.name) for f in dataclasses.fields(s)
              if f.name not in ("t", "gain") and getattr(s, f.name) is not None}
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

    ``seed`` (an integer >= 0 or None) seeds the policy's own generator; :meth:`reset` restarts it,
    so that :func:`evaluate_policy` gives the same numbers for the same seeds. ``ValueError`` for a
    negative seed, ``TypeError`` for another type.
    """

    name = "RA"

    def __init__(self, seed: int | None = None):
        self.seed = _seed(seed)
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
    environment's mode). It is quantised with :func:`multirat.cqi.sinr_to_cqi` (``thresholds``) and mapped with
    :func:`multirat.cqi.cqi_to_mcs` (``rule``). ``ValueError`` for an unknown ``thresholds`` /
    ``rule``, ``TypeError`` for arguments of the wrong type.
    """

    physical: bool | None = True
    thresholds: str = "common"
    rule: str = "modulation_first"
    name: str = "MaxP-3GPP-MCS"

    def __post_init__(self):
        if self.physical is not None:
            flag(self.physical, "physical")
        cqi.threshold_column(self.thresholds)
        choice(self.rule, "rule", cqi.CQI_RULES)

    def act(self, env: NetworkEnv, obs=None) -> Decision:
        require_state(env)
        cfg = env.config
        n_mcs = len(cfg.modulation_orders) * len(cfg.code_rates)
        top = cfg.n_power_levels - 1                                                  # P_max: the last level
        probe = np.full((env.n_envs, env.n_agents), top * n_mcs, dtype=np.int64)
        sinr = env.evaluate(probe, physical=self.physical).sinr                       # the MCS does not enter Eq. 14
        q = cqi.sinr_to_cqi(sinr, self.thresholds)
        return Decision(top * n_mcs + cqi.cqi_to_mcs(q, cfg, self.rule), info={"sinr": sinr, "cqi": q})


@dataclass(frozen=True)
class GenieLinkAdaptation:
    """P_max on every link with each link's best MCS at its SINR (link adaptation without power control).

    The SINR is Eq. (14) with every scheduled link at :math:`P_{max}`, known perfectly: in the physical
    network (``physical=True``, default; the genie reference of chapters 10 and 11) or in the twin
    (``physical=False``: the best MCS the twin would predict, then played wherever the environment is;
    ``None``: the environment's mode). With every power fixed the MCS does not enter Eq. (14), so the
    per-link choice (:func:`multirat.link.best_mcs` under ``config.ser_model``) is the best of all actions at
    P_max. ``TypeError`` for a ``physical`` that is not a bool or None.
    """

    physical: bool | None = True
    name: str = "genie MCS at P_max"

    def __post_init__(self):
        if self.physical is not None:
            flag(self.physical, "physical")

    def act(self, env: NetworkEnv, obs=None) -> Decision:
        require_state(env)
        cfg = env.config
        n_mcs = len(cfg.modulation_orders) * len(cfg.code_rates)
        top = cfg.n_power_levels - 1
        probe = np.full((env.n_envs, env.n_agents), top * n_mcs, dtype=np.int64)
        sinr = env.evaluate(probe, physical=self.physical).sinr
        index, _ = link.best_mcs(sinr, cfg, cfg.ser_model)
        return Decision(top * n_mcs + index, info={"sinr": sinr})


@dataclass(frozen=True)
class ExhaustiveSearch:
    """ESA (Sec. VI-A): the per-TS optimum over (power, modulation, rate), perfect ACI/HWI knowledge.

    ``physical=True`` (default) optimises the physical network's sum throughput. See
    :func:`exhaustive_search`; ``max_power_vectors`` bounds :math:`|\\mathcal P|^N`. ``TypeError`` /
    ``ValueError`` at construction for arguments of the wrong type or sizes that are not integers >= 1.
    """

    physical: bool | None = True
    max_power_vectors: int = 4**12
    chunk_elements: int = 2**22
    name: str = "ESA"

    def __post_init__(self):
        if self.physical is not None:
            flag(self.physical, "physical")
        positive_int(self.max_power_vectors, "max_power_vectors")
        positive_int(self.chunk_elements, "chunk_elements")

    def search(self, env: NetworkEnv) -> SearchResult:
        return exhaustive_search(env, self.physical, max_power_vectors=self.max_power_vectors,
                                 chunk_elements=self.chunk_elements)

    def act(self, env: NetworkEnv, obs=None) -> Decision:
        res = self.search(env)
        return Decision(res.actions, info={"sum_rate_bits": res.sum_rate_bits})


@dataclass(frozen=True)
class FractionalProgramming:
    """ESA-FP (Sec. VI-A): adapter that calls :func:`multirat.fractional.esa_fp` ``(env, **kwargs)``.

    ``esa_fp`` returns ``(actions [B, N], power_w [B, N], FPInfo)``; the decision plays the actions'
    MCS with the continuous powers and carries the :class:`~multirat.fractional.FPInfo` as ``info["fp"]``.
    ``TypeError`` unless ``kwargs`` is a mapping.
    """

    kwargs: Mapping = field(default_factory=dict)
    name: str = "ESA-FP"

    def __post_init__(self):
        if not isinstance(self.kwargs, Mapping):
            raise TypeError(f"kwargs must be a mapping of esa_fp arguments; got {type(self.kwargs).__name__}")

    def act(self, env: NetworkEnv, obs=None) -> Decision:
        actions, power_w, fp_info = fractional.esa_fp(env, **dict(self.kwargs))
        return Decision(actions, power_w, info={"fp": fp_info})


# ------------------------------------------------------------------------------------------------
# Outer-loop link adaptation (ours, beyond the paper)
# ------------------------------------------------------------------------------------------------

def olla_update(offset_db, ack, transmitted, step_db: float, bler_target: float, bounds_db: tuple[float, float]):
    r"""One outer-loop update of the per-link SINR offsets (dB), arrays broadcast together.

    A link that transmitted moves its offset down by ``step_db`` on a NACK and up by
    :math:`\Delta_{up} = \Delta\, t / (1 - t)` on an ACK (:math:`t` = ``bler_target``), then the offset is
    clipped to ``bounds_db``; a link that did not transmit keeps its offset. While the offset stays
    inside its bounds, the net drift is zero exactly when the NACK fraction is :math:`t`: after :math:`T`
    transmissions the NACK fraction is :math:`t - (1 - t)(o_T - o_0)/(\Delta T)`. Source: the standard
    OLLA of LTE/NR schedulers (e.g. Pocovi et al., "Joint link adaptation and scheduling for 5G URLLC",
    IEEE Access 2018; Sionna's ``OLLA``). ``ValueError`` for a step <= 0, a target outside (0, 1) or
    bounds with ``lo > hi``.
    """
    step, t = float(step_db), float(bler_target)
    lo, hi = (float(b) for b in bounds_db)
    if not step > 0 or not 0 < t < 1 or not lo <= hi:
        raise ValueError(f"step_db={step_db!r} must be > 0, bler_target={bler_target!r} in (0, 1), bounds_db="
                         f"{bounds_db!r} with lo <= hi")
    delta = np.where(np.asarray(ack, dtype=bool), step * t / (1.0 - t), -step)
    moved = np.where(np.asarray(transmitted, dtype=bool), np.asarray(offset_db, dtype=float) + delta, offset_db)
    return np.clip(moved, lo, hi)


def olla_mcs(sinr, offset_db, config: NetworkConfig, thresholds: str = "common", rule: str = "modulation_first"):
    """The MCS index (:func:`multirat.link.mcs_table` row) OLLA picks: the CQI of the SINR shifted by the
    offset, ``sinr_dB + offset_dB``, mapped as MaxP-3GPP-MCS maps it (:func:`multirat.cqi.sinr_to_cqi`,
    :func:`multirat.cqi.cqi_to_mcs`). ``sinr`` linear ``[...]``, ``offset_db`` broadcast to it. Errors as those
    functions."""
    shifted = np.asarray(sinr, dtype=float) * 10.0 ** (np.asarray(offset_db, dtype=float) / 10.0)
    return cqi.cqi_to_mcs(cqi.sinr_to_cqi(shifted, thresholds), config, rule)


@dataclass(eq=False)
class OuterLoopLinkAdaptation:
    """OLLA at :math:`P_{max}` (ours, beyond the paper): what deployed LTE/NR link adaptation does.

    Every link transmits at :math:`P_{max}`; its MCS is the CQI-table choice of MaxP-3GPP-MCS for its SINR
    at :math:`P_{max}` (measured perfectly, as there) *plus a per-link offset* :math:`o_n` in dB. After each
    TS every scheduled link's packet is acknowledged with probability :math:`1 - \rho` (the PER of Eq. 16
    of the MCS it played at the SINR it met, :math:`\rho = 1 - R / (r_{m,c} N_p)` from Eq. 15) and the
    offset moves as :func:`olla_update`, so that the long-run BLER settles at ``bler_target``.

    Settings (ours; the paper has no OLLA): ``bler_target`` 0.1 (the 10 % BLER the CQI table is defined
    for), ``step_db`` 0.5 dB down per NACK (0.056 dB up per ACK at 10 %), ``initial_offset_db`` 0 (start as
    MaxP-3GPP-MCS), ``offset_bounds_db`` (-20, 20) dB. The offsets persist across the TSs of an episode and
    restart at ``initial_offset_db`` with each new drop (a TS counter of 0); the ACK/NACK draws come from
    the policy's own generator (``seed``; :meth:`reset` restarts it), never from the environment's.
    ``physical`` chooses which SINR is measured (as :class:`MaxPower3GPP`); the outcome is always drawn in
    the environment's own network. ``ValueError``/``TypeError`` for invalid settings.
    """

    seed: int | None = 0
    bler_target: float = 0.1
    step_db: float = 0.5
    initial_offset_db: float = 0.0
    offset_bounds_db: tuple = (-20.0, 20.0)
    physical: bool | None = True
    thresholds: str = "common"
    rule: str = "modulation_first"
    name: str = "OLLA"

    def __post_init__(self):
        self.seed = _seed(self.seed)
        olla_update(0.0, True, True, self.step_db, self.bler_target, self.offset_bounds_db)     # checks them
        lo, hi = self.offset_bounds_db
        real(self.initial_offset_db, "initial_offset_db", lo=lo, hi=hi, unit="dB", why="inside offset_bounds_db")
        if self.physical is not None:
            flag(self.physical, "physical")
        cqi.threshold_column(self.thresholds)
        choice(self.rule, "rule", cqi.CQI_RULES)
        self.reset()

    def reset(self) -> None:
        """Restart the generator and forget the offsets (the next TS starts at ``initial_offset_db``)."""
        self.rng = np.random.default_rng(self.seed)
        self.offset_db: np.ndarray | None = None

    def act(self, env: NetworkEnv, obs=None) -> Decision:
        state = require_state(env)
        cfg = env.config
        shape = (env.n_envs, env.n_agents)
        if self.offset_db is None or state.t == 0 or self.offset_db.shape != shape:
            self.offset_db = np.full(shape, float(self.initial_offset_db))
        n_mcs = len(cfg.modulation_orders) * len(cfg.code_rates)
        top = cfg.n_power_levels - 1
        probe = np.full(shape, top * n_mcs, dtype=np.int64)
        sinr = env.evaluate(probe, physical=self.physical).sinr                       # the MCS does not enter Eq. 14
        offset = self.offset_db
        actions = top * n_mcs + olla_mcs(sinr, offset, cfg, self.thresholds, self.rule)
        played = env.evaluate(actions)                                                 # what this TS delivers
        m, c, _ = link._mcs_arrays(cfg)
        peak = link.spectral_efficiency(m, c)[actions - top * n_mcs] * cfg.n_symbols
        per = np.clip(1.0 - played.rate_bits / peak, 0.0, 1.0)
        ack = self.rng.random(shape) >= per
        self.offset_db = olla_update(offset, ack, played.scheduled, self.step_db, self.bler_target,
                                     self.offset_bounds_db)
        return Decision(actions, info={"sinr": sinr, "offset_db": offset, "ack": ack, "per": per,
                                       "scheduled": played.scheduled})


def olla_converged_offset_db(config: NetworkConfig, n_drops: int, slots: int, drops_seed: int, **olla) -> float:
    """The offset (dB) OLLA settles at in ``config``'s physical network: the median, over the links of ``n_drops``
    drops (``drops_seed``, :func:`multirat.evaluation.evaluate_policy`) whose offset ends more than one NACK step
    (``step_db``) above its lower bound (a link pinned there that met one ACK sits a fraction of a step above it),
    of the offset after ``slots`` TSs of :class:`OuterLoopLinkAdaptation` (settings ``olla``) started at 0 dB; the
    lower bound if no link's does. A link that fails at every MCS drives its offset to the lower bound whatever
    the bound is and carries nothing at any offset, so it is left out (at a high HWI level most links are such
    links, chapter 11). A deployed network's offsets have had far longer than one 50-TS episode to settle;
    ``OuterLoopLinkAdaptation(initial_offset_db=...)`` with this value starts where they would be (ours; chapter
    11). Errors as ``evaluate_policy``."""
    from multirat.evaluation import evaluate_policy

    policy = OuterLoopLinkAdaptation(**olla)
    evaluate_policy(policy, dataclasses.replace(config, slots_per_episode=int(slots)), n_drops, seed=drops_seed)
    lo = float(policy.offset_bounds_db[0])
    alive = policy.offset_db[policy.offset_db > lo + float(policy.step_db)]      # not pinned at the bound
    return float(np.median(alive)) if alive.size else lo
