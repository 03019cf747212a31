r"""Interference as a linear operator of the transmit powers, for one TS (Eqs. 10 and 14).

In Eqs. (10)-(14) the ACI of Eq. (10) and the HWI reference power of Eq. (14) are linear in the
transmit powers, and neither depends on the modulation or code rate. :func:`link_coupling` obtains
both operators of the current TS by evaluating the library's own Eq. (10) and HWI functions
(:mod:`multirat.interference`) on unit power vectors, so that the SINR of many power vectors at once
is a matrix product followed by the library's Eq. (14) (:func:`coupling_sinr`). Nothing of Eqs.
(10)-(14) is re-implemented here. The exhaustive search (:mod:`multirat.baselines`), fractional
programming (:mod:`multirat.fractional`) and the NP-hardness reduction (:mod:`multirat.hardness`)
share this operator.

For a fixed power vector every SINR is fixed, so the sum of Eq. (15) is separable in the links' MCS:
:func:`sum_rate_best_mcs` gives every link its best MCS for the SINR a power vector gives it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from multirat import interference, link
from multirat._checks import flag, int_array, integer, real
from multirat.config import NetworkConfig
from multirat.env import NetworkEnv, require_state

__all__ = ["LinkCoupling", "deviation_factors", "link_coupling", "coupling_sinr", "sum_rate_best_mcs",
           "power_index_vectors"]


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


def deviation_factors(env: NetworkEnv, physical: bool) -> tuple[np.ndarray, np.ndarray]:
    """The (ACI, HWI) factors ``[B, N]`` each victim link sees: 1 in the twin (``physical=False``),
    ``env.deviation``'s factors (Eqs. 11-12, :math:`1+\\phi`) in the physical network, or the drop's
    :math:`1+\\phi_n` when ``config.phi_spread > 0`` (:meth:`~multirat.env.NetworkEnv.physical_factors`).

    ``TypeError`` unless ``env`` is a :class:`~multirat.env.NetworkEnv` and ``physical`` a bool."""
    if not isinstance(env, NetworkEnv):
        raise TypeError(f"env must be a multirat.env.NetworkEnv; got {type(env).__name__}")
    physical = flag(physical, "physical")
    shape = (env.n_envs, env.n_agents)
    if not physical:
        return np.ones(shape), np.ones(shape)
    # the drop's 1 + phi_n, or the deviation model's factors (LinearDeviation ignores the generator; a
    # stochastic model would give another draw of the same law than the one step() applies, see link_coupling)
    return env.physical_factors()


def link_coupling(env: NetworkEnv, physical: bool | None = True) -> LinkCoupling:
    """:class:`LinkCoupling` of the current TS of ``env`` (its gains, schedule and serving APs).

    The operators are computed column by column with the library's Eq. (10)
    (``interference._aci_core``) and HWI reference power (``interference._hwi_reference_core``)
    evaluated at unit power vectors, exact because both are linear in the powers. ``physical``:
    ``True`` (default: the physical network, perfect knowledge of its ACI and HWI), ``False`` (the
    twin) or ``None`` (the environment's mode). The factors come from ``env.deviation``; for the
    deterministic :class:`~multirat.env.LinearDeviation` they equal what :meth:`NetworkEnv.step`
    applies. Cost: one Eq. (10) evaluation on ``B N`` unit vectors.

    Raises ``TypeError`` (``env`` not a NetworkEnv, ``physical`` not a bool or None) and
    ``RuntimeError`` before ``env.reset()``.
    """
    s = require_state(env)
    cfg = env.config
    physical = (env.mode == "physical") if physical is None else flag(physical, "physical")
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
    aci_f, hwi_f = deviation_factors(env, physical)
    return LinkCoupling(signal_gain=s.serving_gain(), hwi_matrix=hwi * hwi_f[:, :, None],
                        aci_matrix=aci * aci_f[:, :, None], noise_w=env.noise_w, sigma_rt=float(cfg.sigma_rt),
                        scheduled=sched.copy())


def _coupling(coupling) -> LinkCoupling:
    if not isinstance(coupling, LinkCoupling):
        raise TypeError(f"coupling must be a LinkCoupling (link_coupling(env)); got {type(coupling).__name__}")
    return coupling


def _power_batch(coupling: LinkCoupling, power_w) -> np.ndarray:
    b, n = _coupling(coupling).shape
    p = real(power_w, "power_w", lo=0.0, unit="W")
    if p.ndim == 2 and p.shape[-1] == n:
        p = np.broadcast_to(p, (b,) + p.shape)
    if p.ndim != 3 or p.shape[0] != b or p.shape[-1] != n:
        raise ValueError(f"power_w must be [V, N] or [B, V, N] with B={b}, N={n}; got shape {np.shape(power_w)}")
    return p


def coupling_sinr(coupling: LinkCoupling, power_w) -> np.ndarray:
    """Eq. (14) for many power vectors at once: ``power_w`` ``[V, N]`` or ``[B, V, N]`` (W) -> SINR ``[B, V, N]``.

    The interference terms are the operator products :math:`\\mathbf H\\mathbf p` and
    :math:`\\mathbf C\\mathbf p`; the ratio is the library's Eq. (14) core. Unscheduled links get 0.
    Raises ``TypeError`` (not a :class:`LinkCoupling`, non-numbers) or ``ValueError`` (a power
    negative, NaN or infinite, the wrong shape), naming the argument and its value.
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
    ``(sum_bits [B, V], rate_bits [B, V, N], mcs_index [B, V, N])``: the best MCS per link by
    :func:`multirat.link.best_mcs` (Eq. 15 with ``config.ser_model``; ties to the lower MCS index).
    Unscheduled links contribute 0. Raises as :func:`coupling_sinr`, and ``TypeError`` unless
    ``config`` is a :class:`~multirat.config.NetworkConfig`.
    """
    if not isinstance(config, NetworkConfig):
        raise TypeError(f"config must be a NetworkConfig; got {type(config).__name__}")
    sinr = coupling_sinr(coupling, power_w)                                          # [B, V, N]
    mcs, rate = link.best_mcs(sinr, config, config.ser_model)                        # [B, V, N] each
    rate = np.where(coupling.scheduled[:, None, :], rate, 0.0)
    return rate.sum(axis=-1), rate, mcs


def power_index_vectors(index, n_links: int, n_levels: int) -> np.ndarray:
    """Power-level indices ``[V, N]`` of power-vector numbers ``index`` ``[V]`` (base ``n_levels``,
    link 0 the most significant digit: lexicographic order).

    ``index`` integers in ``[0, n_levels**n_links)``, ``n_links`` and ``n_levels`` integers >= 1
    with ``n_levels**n_links < 2**63`` (int64). Raises ``ValueError`` / ``TypeError`` naming the argument.
    """
    n_links, n_levels = integer(n_links, "n_links", lo=1), integer(n_levels, "n_levels", lo=1)
    if n_levels**n_links >= 2**63:
        raise ValueError(f"n_levels**n_links = {n_levels}^{n_links} overflows int64: allowed < 2**63")
    idx = int_array(index, "index", lo=0, hi=n_levels**n_links - 1)
    place = np.int64(n_levels) ** np.arange(n_links - 1, -1, -1, dtype=np.int64)      # [N]
    return (idx[:, None] // place[None, :]) % n_levels
