"""Signaling overhead of training and executing the link-adaptation agents (paper Sec. V-C-2,
Eq. 38; Sec. V-D-3; Algorithms 2 and 3).

The paper counts *information exchanges* (a unitless number; one exchange = one piece of
information of the size the paper calls :math:`T_D`). Training Algorithm 2 entirely in the
physical network costs, per time slot (TS),

.. math::

    c_{phy} = N(6T_D + K T_D + 1) + 2D_b ,

and over the run :math:`Z T c_{phy}`. The proposed scheme interacts with the physical network only
in the episodes :math:`i` with :math:`i \\bmod Z_k = 0` and trains in the digital twin (DT)
otherwise, which the paper counts as Eq. (38):

.. math::

    \\underbrace{\\frac{Z}{Z_k} T\\,c_{phy}}_{\\text{over the air}}
    + \\underbrace{\\Bigl(Z - \\frac{Z}{Z_k}\\Bigr) T\\,(NK + 7N + 2D_b)}_{\\text{inside the DT}} .

Symbols and units (all counts, unitless, integers :math:`\\ge 1`): :math:`Z` training episodes
(``episodes``), :math:`Z_k` physical-interaction period in episodes (``z_k``), :math:`T` TS per
episode (``slots``), :math:`N` IoT devices (``n_devices``), :math:`K` RAT APs (``n_aps``),
:math:`T_D` "the amount of information required from each device to accomplish a task"
(``t_d``), :math:`D_b` the mini-batch size, which the paper also uses as the number of exchanges
one weight update costs (``d_b``). Every function broadcasts over numpy arrays of these.
Exact counts are computed with Python integers and returned as int64; a count beyond int64
(:math:`2^{63} - 1`) raises ``ValueError`` instead of wrapping around to a wrong (negative) number.

Where the paper is ambiguous or, read literally, inconsistent, the paper's form is the default and
the alternative is a flag (the book's chapter 7 shows the effect of each):

* ``variant="printed"`` evaluates :math:`Z/Z_k` as a real division (Eq. 38 as printed);
  ``variant="floor"`` counts the physical episodes of Algorithm 2 exactly,
  :math:`\\lfloor Z/Z_k \\rfloor` (episodes :math:`i = 1..Z` with :math:`i \\bmod Z_k = 0`). The
  two agree when :math:`Z_k` divides :math:`Z`.
* ``per_episode_clustering=False`` counts the clustering exchanges :math:`NKT_D` every TS, as the
  paper's per-TS total does; ``True`` counts them once per episode, where Algorithm 2 clusters
  (line 7, outside the TS loop).
* The weight-update cost is ``d_b`` exchanges per update (the paper's convention); passing the
  number of DQN parameters (:func:`dqn_parameter_count`) as ``d_b`` gives the alternative of one
  exchange per parameter.

:func:`count_exchanges_by_simulation` is an independent check: it walks the loops of Algorithm 2
and adds the exchanges line by line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from multirat._checks import choice, counts, exact_counts, flag, integer

__all__ = [
    "VARIANTS",
    "OverheadTerms",
    "OverheadReduction",
    "per_slot_exchanges_physical",
    "per_slot_breakdown_physical",
    "per_slot_exchanges_dt",
    "per_episode_exchanges_physical",
    "per_episode_exchanges_dt",
    "physical_episode_count",
    "overhead_physical_only",
    "overhead_proposed",
    "overhead_reduction",
    "dqn_parameter_count",
    "execution_feedback_per_slot",
    "execution_position_reports",
    "count_exchanges_by_simulation",
]

#: How Eq. (38)'s :math:`Z/Z_k` is evaluated: as printed (real division) or Algorithm 2's exact
#: number of physical episodes :math:`\lfloor Z/Z_k \rfloor`.
VARIANTS = ("printed", "floor")


# ------------------------------------------------------------------------------------------------
# Input checks
# ------------------------------------------------------------------------------------------------

def _variant(variant: str) -> str:
    return choice(variant, "variant", VARIANTS)


# ------------------------------------------------------------------------------------------------
# Per-TS and per-episode counts
# ------------------------------------------------------------------------------------------------

def per_slot_exchanges_physical(n_devices, n_aps, t_d, d_b, per_episode_clustering: bool = False):
    r"""Information exchanges of one TS of Algorithm 2 run in the physical network (Sec. V-C-2).

    .. math::

        c_{phy} = \underbrace{NKT_D}_{\text{clustering}} + \underbrace{NT_D}_{\text{CSI}}
        + \underbrace{NT_D}_{\text{PF ratio, Eq. 18}}
        + \underbrace{4NT_D}_{s,\,a,\,r,\,s'} + \underbrace{N}_{\text{store in } D}
        + \underbrace{D_b}_{\text{DQN weights}} + \underbrace{D_b}_{\text{target weights}}
        = N(6T_D + KT_D + 1) + 2D_b .

    Term by term, from the paper's text: clustering computes the distance of the :math:`N`
    devices to the :math:`K` APs, :math:`NKT_D` exchanges; the instantaneous CSI of each device
    with its AP, :math:`NT_D`; the PF ratio of Eq. (18) between the scheduler and the devices,
    :math:`NT_D`; each device's state, action, reward and next state, :math:`4NT_D`; storing the
    :math:`N` experience tuples in the replay memory, :math:`N`; updating the trained DQN's
    weights, :math:`D_b`; updating the target DQN's weights, :math:`D_b`.

    Deviation offered: the paper's per-TS total contains the clustering term although Algorithm 2
    clusters once per *episode* (line 7, outside the TS loop). With
    ``per_episode_clustering=True`` the clustering term is left out of the per-TS count (it is
    added once per episode by :func:`per_episode_exchanges_physical`):
    :math:`N(6T_D + 1) + 2D_b`.

    Parameters
    ----------
    n_devices, n_aps, t_d, d_b : int or array_like of int, each >= 1
        :math:`N`, :math:`K`, :math:`T_D` (information units per device and task) and
        :math:`D_b` (exchanges per weight update; the paper: the mini-batch size). Broadcast.

    Returns
    -------
    int64 scalar or array
        Exchanges per TS (unitless count).

    Raises ``TypeError`` (non-numbers, booleans) or ``ValueError`` (counts that are not integers >= 1,
    an unknown ``variant``, an exact count beyond int64), naming the argument.
    """
    clus = flag(per_episode_clustering, "per_episode_clustering")
    return exact_counts(_per_slot(n_devices, n_aps, t_d, d_b, clus), n_devices=n_devices, n_aps=n_aps, t_d=t_d, d_b=d_b)


def _per_slot(n_devices, n_aps, t_d, d_b, per_episode_clustering: bool):
    """c_phy on checked counts, exact (object array of Python ints)."""
    n = counts(n_devices, "n_devices")
    k = counts(n_aps, "n_aps")
    td = counts(t_d, "t_d")
    db = counts(d_b, "d_b")
    clustering = 0 if per_episode_clustering else k * td
    return np.asarray(n * (6 * td + clustering + 1) + 2 * db, dtype=object)


def per_slot_breakdown_physical(n_devices, n_aps, t_d, d_b) -> dict:
    r"""The terms of :func:`per_slot_exchanges_physical` one by one, as the paper's text lists them.

    Returns a dict (in the paper's order) of int64 exchanges per TS: ``"clustering"``
    :math:`NKT_D`, ``"CSI"`` :math:`NT_D`, ``"PF ratio"`` :math:`NT_D`,
    ``"state, action, reward, next state"`` :math:`4NT_D`, ``"replay store"`` :math:`N`,
    ``"DQN weights"`` :math:`D_b`, ``"target weights"`` :math:`D_b`. Their sum is
    :math:`N(6T_D + KT_D + 1) + 2D_b`.

    Raises ``TypeError`` (non-numbers, booleans) or ``ValueError`` (counts that are not integers >= 1,
    an unknown ``variant``, an exact count beyond int64), naming the argument.
    """
    n = counts(n_devices, "n_devices")
    k = counts(n_aps, "n_aps")
    td = counts(t_d, "t_d")
    db = counts(d_b, "d_b")
    n, k, td, db = np.broadcast_arrays(n, k, td, db)
    args = {"n_devices": n_devices, "n_aps": n_aps, "t_d": t_d, "d_b": d_b}
    return {
        "clustering": exact_counts(n * k * td, **args),
        "CSI": exact_counts(n * td, **args),
        "PF ratio": exact_counts(n * td, **args),
        "state, action, reward, next state": exact_counts(4 * n * td, **args),
        "replay store": exact_counts(n.copy()),
        "DQN weights": exact_counts(db.copy()),
        "target weights": exact_counts(db.copy()),
    }


def per_slot_exchanges_dt(n_devices, n_aps, d_b, per_episode_clustering: bool = False):
    r"""Information exchanges of one TS of Algorithm 2 inside the digital twin: Eq. (38)'s
    second factor :math:`NK + 7N + 2D_b` (per TS).

    This is :func:`per_slot_exchanges_physical` with :math:`T_D = 1`: the paper's reading that
    training in the DT "does not introduce any communication overhead :math:`T_D` for
    device-specific information acquisition" while every other exchange is still counted once.
    ``per_episode_clustering=True`` drops the clustering term :math:`NK` from the per-TS count
    (see :func:`per_slot_exchanges_physical`). Returns int64 exchanges per TS.

    Raises ``TypeError`` (non-numbers, booleans) or ``ValueError`` (counts that are not integers >= 1,
    an unknown ``variant``, an exact count beyond int64), naming the argument.
    """
    return per_slot_exchanges_physical(n_devices, n_aps, 1, d_b, per_episode_clustering)


def per_episode_exchanges_physical(slots, n_devices, n_aps, t_d, d_b, per_episode_clustering: bool = False):
    r"""Exchanges of one physical episode of :math:`T` TS (int64).

    Paper's count (``per_episode_clustering=False``): :math:`T\,[N(6T_D + KT_D + 1) + 2D_b]`.
    Algorithm 2, line 7 (``True``): :math:`T\,[N(6T_D + 1) + 2D_b] + NKT_D`.

    Raises ``TypeError`` (non-numbers, booleans) or ``ValueError`` (counts that are not integers >= 1,
    an unknown ``variant``, an exact count beyond int64), naming the argument.
    """
    clus = flag(per_episode_clustering, "per_episode_clustering")
    return exact_counts(_per_episode(slots, n_devices, n_aps, t_d, d_b, clus), slots=slots, n_devices=n_devices,
                n_aps=n_aps, t_d=t_d, d_b=d_b)


def _per_episode(slots, n_devices, n_aps, t_d, d_b, per_episode_clustering: bool):
    """Exchanges of one physical episode on checked counts, exact (object array of Python ints)."""
    t = counts(slots, "slots")
    per_slot = _per_slot(n_devices, n_aps, t_d, d_b, per_episode_clustering)
    once = (counts(n_devices, "n_devices") * counts(n_aps, "n_aps") * counts(t_d, "t_d")
            if per_episode_clustering else 0)
    return np.asarray(t * per_slot + once, dtype=object)


def per_episode_exchanges_dt(slots, n_devices, n_aps, d_b, per_episode_clustering: bool = False):
    r"""Exchanges of one DT episode (int64): :math:`T(NK + 7N + 2D_b)` (paper), or
    :math:`T(7N + 2D_b) + NK` with ``per_episode_clustering=True``.

    Raises ``TypeError`` (non-numbers, booleans) or ``ValueError`` (counts that are not integers >= 1,
    an unknown ``variant``, an exact count beyond int64), naming the argument.
    """
    return per_episode_exchanges_physical(slots, n_devices, n_aps, 1, d_b, per_episode_clustering)


def physical_episode_count(episodes, z_k, variant: str = "printed"):
    r"""Eq. (38)'s factor :math:`Z/Z_k`, or the number of episodes of Algorithm 2 that interact with
    the physical network.

    ``"printed"``: :math:`Z/Z_k` as Eq. (38) writes it (float64, real division). This is the
    printed formula's real-valued count, not a number of episodes: when :math:`Z_k` does not divide
    :math:`Z` it is fractional (2000/300 = 6.67 where Algorithm 2 runs 6 physical episodes), and
    for :math:`Z_k > Z` it is a fraction of one episode although Algorithm 2 then never meets the
    physical network (which is why :class:`~multirat.config.TrainingConfig` refuses
    ``z_k > episodes`` with ``scenario='proposed'``). It is kept for every :math:`Z_k \ge 1` on
    purpose: chapter 7 sweeps :math:`Z_k` = 1..1000 and :math:`Z + 1`, :math:`Z + 500` to show
    where Eq. (38) and Algorithm 2 part.
    ``"floor"``: :math:`\lfloor Z/Z_k \rfloor` (int64), the number of :math:`i \in \{1..Z\}` with
    :math:`i \bmod Z_k = 0` (Alg. 2, line 18); 0 when :math:`Z_k > Z`. The two agree when
    :math:`Z_k` divides :math:`Z`.

    Raises ``TypeError`` (non-numbers, booleans) or ``ValueError`` (counts that are not integers >= 1,
    an unknown ``variant``, an exact count beyond int64), naming the argument.
    """
    return exact_counts(_n_physical(episodes, z_k, _variant(variant)), episodes=episodes, z_k=z_k)


def _n_physical(episodes, z_k, variant: str):
    """Z/Z_k (Python floats) or floor(Z/Z_k) (Python ints), object array."""
    z = counts(episodes, "episodes")
    zk = counts(z_k, "z_k")
    return np.asarray(z / zk if variant == "printed" else z // zk, dtype=object)


# ------------------------------------------------------------------------------------------------
# Totals over a training run
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OverheadTerms:
    """The two terms of Eq. (38) and their sum (unitless exchange counts, arrays broadcast)."""

    over_the_air: np.ndarray
    """First term: exchanges of the physical episodes (air interface, fronthaul/backhaul)."""
    dt_internal: np.ndarray
    """Second term: exchanges inside the digital twin (software)."""
    total: np.ndarray
    """Their sum, as Eq. (38) writes it."""

    def as_dict(self) -> dict:
        return {"over_the_air": self.over_the_air, "dt_internal": self.dt_internal, "total": self.total}


@dataclass(frozen=True)
class OverheadReduction:
    """Relative reductions of the proposed scheme against physical-only training (fractions)."""

    over_the_air: np.ndarray
    """:math:`1 - \\text{over-the-air}/\\text{physical-only}`."""
    total: np.ndarray
    """:math:`1 - \\text{Eq. (38) total}/\\text{physical-only}`."""


def overhead_physical_only(episodes, slots, n_devices, n_aps, t_d, d_b, per_episode_clustering: bool = False):
    r"""Total exchanges of Algorithm 2 trained only in the physical network (Sec. V-C-2, int64).

    .. math::

        O_{phy} = Z\,T\,\bigl(N(6T_D + KT_D + 1) + 2D_b\bigr)

    (paper). With ``per_episode_clustering=True``:
    :math:`Z\,\bigl(T(N(6T_D + 1) + 2D_b) + NKT_D\bigr)`. Arguments as in
    :func:`per_slot_exchanges_physical`, plus ``episodes`` :math:`Z` and ``slots`` :math:`T`.

    Raises ``TypeError`` (non-numbers, booleans) or ``ValueError`` (counts that are not integers >= 1,
    an unknown ``variant``, an exact count beyond int64), naming the argument.
    """
    clus = flag(per_episode_clustering, "per_episode_clustering")
    return exact_counts(_physical_only(episodes, slots, n_devices, n_aps, t_d, d_b, clus), episodes=episodes, slots=slots,
                n_devices=n_devices, n_aps=n_aps, t_d=t_d, d_b=d_b)


def _physical_only(episodes, slots, n_devices, n_aps, t_d, d_b, per_episode_clustering: bool):
    """O_phy on checked counts, exact (object array of Python ints)."""
    z = counts(episodes, "episodes")
    return np.asarray(z * _per_episode(slots, n_devices, n_aps, t_d, d_b, per_episode_clustering), dtype=object)


def overhead_proposed(episodes, z_k, slots, n_devices, n_aps, t_d, d_b, variant: str = "printed",
                      per_episode_clustering: bool = False) -> OverheadTerms:
    r"""Eq. (38): exchanges of the proposed DT-assisted training, split into its two terms.

    .. math::

        O_{prop} = \underbrace{\frac{Z}{Z_k}\,T\bigl(N(6T_D + KT_D + 1) + 2D_b\bigr)}_{\text{over the air}}
        + \underbrace{\Bigl(Z - \frac{Z}{Z_k}\Bigr)T\,(NK + 7N + 2D_b)}_{\text{inside the DT}}
        \tag{38}

    ``variant="printed"`` (default) evaluates :math:`Z/Z_k` as a real division, as Eq. (38) is
    printed (float64 results, fractional when :math:`Z_k` does not divide :math:`Z`).
    ``variant="floor"`` uses Algorithm 2's exact number of physical episodes
    :math:`\lfloor Z/Z_k \rfloor` (int64 results); :math:`Z_k > Z` then leaves only DT traffic.
    ``per_episode_clustering=True`` counts clustering once per episode in both terms (see
    :func:`per_slot_exchanges_physical`).

    Limits: :math:`Z_k = 1` gives :func:`overhead_physical_only` exactly (both variants).

    Returns
    -------
    OverheadTerms
        ``over_the_air`` (first term), ``dt_internal`` (second term), ``total`` (their sum).

    Raises ``TypeError`` (non-numbers, booleans) or ``ValueError`` (counts that are not integers >= 1,
    an unknown ``variant``, an exact count beyond int64), naming the argument.
    """
    ota, dt = _proposed(episodes, z_k, slots, n_devices, n_aps, t_d, d_b, _variant(variant),
                        flag(per_episode_clustering, "per_episode_clustering"))
    args = {"episodes": episodes, "z_k": z_k, "slots": slots, "n_devices": n_devices, "n_aps": n_aps, "t_d": t_d,
            "d_b": d_b}
    return OverheadTerms(over_the_air=exact_counts(ota, **args), dt_internal=exact_counts(dt, **args), total=exact_counts(ota + dt, **args))


def _proposed(episodes, z_k, slots, n_devices, n_aps, t_d, d_b, variant: str, per_episode_clustering: bool):
    """The two terms of Eq. (38) on checked arguments, exact (object arrays: Python ints or floats)."""
    z = counts(episodes, "episodes")
    n_phy = _n_physical(episodes, z_k, variant)
    phy_ep = _per_episode(slots, n_devices, n_aps, t_d, d_b, per_episode_clustering)
    dt_ep = _per_episode(slots, n_devices, n_aps, 1, d_b, per_episode_clustering)
    return np.asarray(n_phy * phy_ep, dtype=object), np.asarray((z - n_phy) * dt_ep, dtype=object)


def overhead_reduction(episodes, z_k, slots, n_devices, n_aps, t_d, d_b, variant: str = "printed",
                       per_episode_clustering: bool = False) -> OverheadReduction:
    r"""Relative reduction of the proposed scheme's overhead against physical-only training.

    .. math::

        \Delta_{air} = 1 - \frac{O_{air}}{O_{phy}}, \qquad
        \Delta_{total} = 1 - \frac{O_{air} + O_{DT}}{O_{phy}},

    with :math:`O_{air}`, :math:`O_{DT}` the two terms of Eq. (38) (:func:`overhead_proposed`) and
    :math:`O_{phy}` from :func:`overhead_physical_only`. For the printed variant
    :math:`\Delta_{air} = 1 - 1/Z_k` whatever :math:`N, K, T, T_D, D_b`, and
    :math:`\Delta_{total} = (1 - 1/Z_k)(1 - c_{DT}/c_{phy})` with the per-episode counts
    :math:`c_{DT}`, :math:`c_{phy}` -- which is 0 at :math:`T_D = 1`, where the DT count equals the
    physical one. Fractions (float64) in :math:`[0, 1]` for the paper's counts.

    Raises ``TypeError`` (non-numbers, booleans) or ``ValueError`` (counts that are not integers >= 1,
    an unknown ``variant``, an exact count beyond int64), naming the argument.
    """
    variant = _variant(variant)
    clus = flag(per_episode_clustering, "per_episode_clustering")
    phy = _physical_only(episodes, slots, n_devices, n_aps, t_d, d_b, clus)
    ota, dt = _proposed(episodes, z_k, slots, n_devices, n_aps, t_d, d_b, variant, clus)
    return OverheadReduction(over_the_air=exact_counts(1.0 - _ratio(ota, phy)), total=exact_counts(1.0 - _ratio(ota + dt, phy)))


def _ratio(num, den):
    """num / den as float64, from exact counts (Python ints or floats, object arrays)."""
    return np.asarray(num, dtype=float) / np.asarray(den, dtype=float)


# ------------------------------------------------------------------------------------------------
# The size of a weight update
# ------------------------------------------------------------------------------------------------

def dqn_parameter_count(hidden_sizes=None, n_inputs=None, n_outputs=None) -> int:
    r"""Number of trainable parameters (weights and biases) of the fully connected DQN.

    .. math::

        \sum_{l} (n_{l-1} + 1)\,n_l, \qquad n_0 = |\mathcal{S}_n|,\ n_1, n_2 = \text{hidden},\
        n_3 = |\mathcal{A}_n| .

    Defaults from the configuration: ``hidden_sizes`` = ``DQNConfig().hidden_sizes`` (64, 128),
    ``n_inputs`` = ``STATE_DIM`` (6, Eq. 21), ``n_outputs`` = ``NetworkConfig().n_actions`` (48):
    :math:`7\cdot64 + 65\cdot128 + 129\cdot48 = 14\,960`. The paper charges a weight update
    :math:`D_b` exchanges (the mini-batch size); passing this count as ``d_b`` to the overhead
    functions charges one exchange per parameter instead.

    Raises ``TypeError`` for widths of the wrong type and ``ValueError`` for widths that are not
    integers >= 1, naming the argument.
    """
    from multirat.config import STATE_DIM, DQNConfig, NetworkConfig

    hidden = DQNConfig().hidden_sizes if hidden_sizes is None else hidden_sizes
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__iter__"):
        raise TypeError(f"hidden_sizes must be a sequence of layer widths; got {type(hidden).__name__}")
    sizes = [STATE_DIM if n_inputs is None else n_inputs, *hidden,
             NetworkConfig().n_actions if n_outputs is None else n_outputs]
    sizes = [integer(s, "n_inputs" if i == 0 else "n_outputs" if i == len(sizes) - 1 else "hidden_sizes", lo=1)
             for i, s in enumerate(sizes)]
    return int(sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:])))


# ------------------------------------------------------------------------------------------------
# Execution (Algorithm 3, Sec. V-D-3)
# ------------------------------------------------------------------------------------------------

def execution_feedback_per_slot(n_devices):
    r"""Uplink feedback exchanges per TS of Algorithm 3 (Sec. V-D-3): :math:`N + N = 2N` (int64).

    :math:`N`: the per-link CSI estimated at each serving AP and forwarded to the centralized PF
    scheduler (fronthaul/backhaul); :math:`N`: the local CSI and the previous TS's SINR each link
    needs for its own link adaptation. Position reports for clustering are infrequent and counted
    by :func:`execution_position_reports`.

    Raises ``TypeError`` (non-numbers, booleans) or ``ValueError`` (counts that are not integers >= 1,
    an unknown ``variant``, an exact count beyond int64), naming the argument.
    """
    return exact_counts(2 * counts(n_devices, "n_devices"), n_devices=n_devices)


def execution_position_reports(n_devices, n_slots, clustering_period):
    r"""Position reports of Algorithm 3 over ``n_slots`` TS: :math:`N\lceil T_s/P \rceil` (int64).

    The positions are collected at TS 1 (Alg. 3, line 3) and, as Sec. V-D-3 allows, again every
    ``clustering_period`` :math:`P` TS ("once in several TSs"; Algorithm 3 as printed clusters
    only once, i.e. :math:`P \ge T_s`). Each collection costs :math:`N` uplink exchanges.

    Raises ``TypeError`` (non-numbers, booleans) or ``ValueError`` (counts that are not integers >= 1,
    an unknown ``variant``, an exact count beyond int64), naming the argument.
    """
    n = counts(n_devices, "n_devices")
    ts = counts(n_slots, "n_slots")
    p = counts(clustering_period, "clustering_period")
    return exact_counts(n * (-(-ts // p)), n_devices=n_devices, n_slots=n_slots, clustering_period=clustering_period)


# ------------------------------------------------------------------------------------------------
# Independent check: walk Algorithm 2 and count
# ------------------------------------------------------------------------------------------------

def count_exchanges_by_simulation(episodes: int, z_k: int, slots: int, n_devices: int, n_aps: int, t_d: int,
                                  d_b: int, per_episode_clustering: bool = False) -> OverheadTerms:
    """Count the exchanges of Algorithm 2 by walking its loops (an oracle for Eq. 38; Python ints).

    For episode ``i = 1..Z`` the episode is physical when ``i % Z_k == 0`` (line 18), DT otherwise.
    Every information item costs ``T_D`` exchanges in a physical episode and 1 in a DT episode
    (the paper: the DT "does not introduce any communication overhead T_D"); replay-memory stores
    and weight updates cost the same in both. Events, line by line:

    * line 7, clustering: ``N K`` items -- once per episode with ``per_episode_clustering``,
      otherwise once per TS (the paper's count);
    * line 9, PF scheduling: ``N`` CSI items and ``N`` PF-ratio items per TS;
    * lines 11-21, per device: state, action, reward, next state (4 items);
    * line 23, per device: one replay-memory store (1 exchange);
    * line 26: trained-DQN weight update (``D_b`` exchanges); line 27: target update (``D_b``).

    Scalars only; the loops over ``i`` and ``t`` are explicit on purpose (this is the reference,
    not the model).

    Raises ``TypeError`` / ``ValueError`` naming the argument unless every count is an integer >= 1.
    """
    episodes, z_k, slots, n_devices, n_aps, t_d, d_b = (
        integer(v, name, lo=1) for name, v in (("episodes", episodes), ("z_k", z_k), ("slots", slots),
                                               ("n_devices", n_devices), ("n_aps", n_aps), ("t_d", t_d),
                                               ("d_b", d_b)))
    per_episode_clustering = flag(per_episode_clustering, "per_episode_clustering")
    air = dt = 0
    for i in range(1, episodes + 1):
        physical = i % z_k == 0
        item = t_d if physical else 1                  # exchanges per information item
        count = 0
        if per_episode_clustering:
            count += n_devices * n_aps * item          # line 7
        for _t in range(1, slots + 1):
            if not per_episode_clustering:
                count += n_devices * n_aps * item      # line 7, counted per TS by the paper
            count += n_devices * item                  # line 9: CSI
            count += n_devices * item                  # line 9: PF ratio (Eq. 18)
            for _line in ("state", "action", "reward", "next state"):
                count += n_devices * item              # lines 11-21
            count += n_devices                         # line 23: store in D
            count += d_b                               # line 26: trained DQN
            count += d_b                               # line 27: target DQN
        if physical:
            air += count
        else:
            dt += count
    return OverheadTerms(over_the_air=air, dt_internal=dt, total=air + dt)
