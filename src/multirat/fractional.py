r"""Continuous power control by fractional programming: the power step of the ESA-FP benchmark
(paper Sec. VI-A, "ESA and fractional programming (FP)"; Sec. VI-G).

The paper's ESA-FP enumerates every MCS pair :math:`(m, c)` per link and, "for each :math:`(m, c)`
pair", optimizes the continuous transmit powers by FP (Shen & Yu 2018); it states neither the
objective FP maximizes nor the algorithm. This module makes both explicit.

The SINR is a ratio of affine functions of the power vector
-----------------------------------------------------------------
For the schedule of the current TS (RRB :math:`r_n`, serving AP :math:`k(n)`, ``env.state``), Eq.
(14) with Eq. (10) (ACI) and the HWI of the serving AP's scheduled power is, for every scheduled
link :math:`n` and powers :math:`\mathbf p = (p_1, \dots, p_N)` (W),

.. math::
    \mathrm{sinr}_n(\mathbf p) = \frac{A_n(\mathbf p)}{B_n(\mathbf p)},\qquad
    A_n = g_n p_n,\qquad
    B_n = \sum_{j} D_{nj}\, p_j + \sigma^2,

    D_{nj} = f^{HWI}_n\, g_n \sigma_{rt}^2\, h_{nj}
           + f^{ACI}_n\, \frac{g_{k(j), n}}{A_{|r_j - r_n|}}\,
             \mathbb 1\{1 \le |r_j - r_n| \le L/2,\ k(j) \ne k(n)\} ,

with :math:`g_n = g_{k(n),n}` the serving gain, :math:`g_{k(j),n}` the gain from the AP of link
:math:`j` to device :math:`n`, :math:`A_l` the ACIR, :math:`\sigma^2` the noise power, the
physical-network factors :math:`f_n = 1 + \phi` (Eqs. 11-12; 1 in the twin) and the HWI pattern
:math:`h_{nj}` of ``config.hwi_basis``: ``"ap_total"`` (the paper) :math:`h_{nj} = \mathbb 1\{k(j) =
k(n)\}` (own power included); ``"ap_mean"`` the same divided by the number :math:`n_{k(n)}` of
scheduled links of the AP; ``"own"`` :math:`h_{nj} = \mathbb 1\{j = n\}`. ``aci_source="any"`` drops
:math:`k(j) \ne k(n)`. Only scheduled :math:`j` couple. :func:`sinr_coupling` builds ``D`` as a
``[B, N, N]`` array; the tests check it against :meth:`multirat.env.NetworkEnv.evaluate`.

What FP maximizes (our choice; the paper is silent)
---------------------------------------------------
Eq. (15) at a fixed :math:`(m, c)` is a sigmoid-like function of the SINR, not a ratio, and is not
concave, so Shen & Yu's concave-convex FP theory does not apply to it. We maximize the sum spectral
efficiency proxy (bits per channel use)

.. math::
    F(\mathbf p) = \sum_{n\ \mathrm{scheduled}} \log_2\bigl(1 + \mathrm{sinr}_n(\mathbf p)\bigr)
    \quad \text{s.t.}\quad P_{min} \le p_n \le P_{max}\ \ \text{(C1)},

and afterwards give every link the MCS that maximizes Eq. (15) at its SINR
(:func:`multirat.link.best_mcs`). Because this power step does not depend on :math:`(m, c)`, the
paper's nested loop over all :math:`|\mathcal M|^N |\mathcal C|^N` MCS combinations returns the
same powers for every combination, and its outer maximization reduces exactly to the per-link
:func:`~multirat.link.best_mcs` (each link's Eq. 15 depends on its own MCS only).

The algorithm: Lagrangian dual transform + quadratic transform, closed-form updates
----------------------------------------------------------------------------------
Two transforms of Shen & Yu turn :math:`F` into a function that is concave in each block of
variables. The Lagrangian dual transform (K. Shen and W. Yu, "Fractional programming for communication
systems -- Part II: Uplink scheduling via matching", IEEE Trans. Signal Process. 66(10),
2631-2644, 2018) writes, for every
:math:`\gamma_n \ge 0`,

.. math::
    \ln(1 + A_n/B_n) = \max_{\gamma_n \ge 0}\ \ln(1+\gamma_n) - \gamma_n
        + \frac{(1+\gamma_n) A_n}{A_n + B_n},\qquad \gamma_n^\star = A_n/B_n ,

and the multiple-ratio quadratic transform (Shen & Yu 2018, Part I; bib key ``shen2018fp``) writes the
remaining ratio, for every :math:`y_n`,

.. math::
    \frac{(1+\gamma_n) A_n}{A_n + B_n} = \max_{y_n}\ 2 y_n\sqrt{(1+\gamma_n) A_n}
        - y_n^2 (A_n + B_n),\qquad y_n^\star = \frac{\sqrt{(1+\gamma_n) A_n}}{A_n + B_n} .

Hence :math:`\ln 2\cdot F(\mathbf p) = \max_{\boldsymbol\gamma, \mathbf y} f_q(\mathbf p,
\boldsymbol\gamma, \mathbf y)` with the transformed objective

.. math::
    f_q = \sum_n \ln(1+\gamma_n) - \gamma_n + 2 y_n \sqrt{(1+\gamma_n) g_n p_n}
          - y_n^2\Bigl(g_n p_n + \sum_j D_{nj} p_j + \sigma^2\Bigr) .

For fixed :math:`(\boldsymbol\gamma, \mathbf y)`, :math:`f_q` is *separable* in the powers, because
:math:`A_n` is linear in :math:`p_n` alone and every denominator is affine:
:math:`f_q = \mathrm{const} + \sum_j \bigl(2 a_j \sqrt{p_j} - c_j p_j\bigr)` with

.. math::
    a_j = y_j \sqrt{(1+\gamma_j) g_j},\qquad
    c_j = y_j^2 g_j + \sum_n y_n^2 D_{nj} .

With :math:`q_j = \sqrt{p_j}` each term :math:`2 a_j q_j - c_j q_j^2` is a concave parabola, so the
exact maximizer over the box C1 is

.. math::
    p_j = \min\Bigl(P_{max},\ \max\bigl(P_{min},\ (a_j / c_j)^2\bigr)\Bigr) .

One iteration: :math:`\gamma_n \leftarrow \mathrm{sinr}_n(\mathbf p)`, :math:`y_n \leftarrow
\sqrt{(1+\gamma_n) A_n}/(A_n+B_n)`, then the power update above. Each step maximizes :math:`f_q`
exactly over one block, and :math:`f_q` equals :math:`\ln 2\cdot F` at the optimal
:math:`(\boldsymbol\gamma, \mathbf y)`, so (block ascent)

.. math::
    F(\mathbf p^{t-1}) \le f_q(\mathbf p^{t}, \boldsymbol\gamma^{t-1}, \mathbf y^{t-1})/\ln 2
    \le F(\mathbf p^{t}) :

both the original and the transformed objectives are non-decreasing, and the limit points are
stationary points of :math:`F` on the box (Shen & Yu, Part I). It is a local method: :math:`F` is
not concave, and different starting points can end in different stationary points.

Stopping: when :math:`F(\mathbf p^t) - F(\mathbf p^{t-1}) \le \mathrm{tol}\cdot\max(1, F(\mathbf p^t))`
or after ``max_iter`` iterations; each of the ``B`` networks stops on its own (a converged network
is frozen, so its result does not depend on the other networks of the batch).

Known behaviour and two options beyond Shen & Yu (both off by default):

* *Slow crawl.* Where :math:`F` is nearly flat along a power -- a link at its HWI ceiling
  :math:`1/((1+\phi)\sigma_{rt}^2)` whose power only hurts its ACI victims, or a single link
  climbing from :math:`P_{min}` at high SNR -- the power step is a tiny multiplicative change and FP
  needs thousands of iterations. ``accelerate=True`` also tries over-relaxed steps in log-power
  (:data:`EXTRAPOLATION_FACTORS`) and keeps one only if it raises :math:`F`; the sandwich above
  still holds with :math:`\mathbf p^{FP}` in place of :math:`\mathbf p^t` in :math:`f_q`.
* *Local optima.* With strong coupling, "both links on" and "one link at :math:`P_{min}`" can both
  be stationary; ``init=["max", "min", ...]`` runs FP from several starts and keeps the best.

Choice of MCS and the objective's mismatch with Eq. (15): the power step maximizes a proxy, so a
grid point of Eq. (25) with per-link best MCS (the paper's ESA) can beat ESA-FP's Eq. (15) sum
throughput, e.g. when lowering one link's power shrinks its AP's HWI enough to lift another link
over an MCS threshold while its own throughput stays saturated. ESA-FP is therefore *not* an upper
bound on ESA in this reading.

Perfect knowledge. Like ESA, ESA-FP knows the gains, the schedule and (``physical=True``) the
deviation factors :math:`1+\phi` of the network it optimizes; the deviation model must be
deterministic (as :class:`multirat.env.LinearDeviation`), since ``env.evaluate`` draws its factors
again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from multirat import link, units
from multirat._checks import flag, integer, nonnegative, real, scalar
from multirat.coupling import link_coupling
from multirat.env import power_levels_w, require_state

__all__ = ["AffineSINR", "FPInfo", "EXTRAPOLATION_FACTORS", "sinr_coupling", "fp_power_control",
           "nearest_power_index", "esa_fp"]

_LN2 = float(np.log(2.0))


# ------------------------------------------------------------------------------------------------
# The SINR as a ratio of affine functions of the powers
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AffineSINR:
    r"""Eq. (14) for one TS as :math:`\mathrm{sinr}_n = g_n p_n / (\sum_j D_{nj} p_j + \sigma^2)`.

    Arrays over ``B`` networks and ``N`` links (float64); unscheduled links have zero rows and
    columns in ``coupling`` and zero ``signal_gain``.
    """

    signal_gain: np.ndarray      #: [B, N] g_n, serving gain (0 for unscheduled links), linear
    coupling: np.ndarray         #: [B, N, N] D[b, n, j]: W of interference-plus-distortion at n per W of p_j
    noise_w: float               #: sigma^2 (W)
    scheduled: np.ndarray        #: [B, N] bool

    def denominator_w(self, power_w) -> np.ndarray:
        r""":math:`B_n(\mathbf p) = \sum_j D_{nj} p_j + \sigma^2` (W), [B, N]."""
        p = np.asarray(power_w, dtype=float)
        return np.einsum("bnj,bj->bn", self.coupling, p) + self.noise_w

    def sinr(self, power_w) -> np.ndarray:
        """SINR of every link for powers ``power_w`` [B, N] (W); 0 for unscheduled links."""
        p = np.asarray(power_w, dtype=float)
        return self.signal_gain * p / self.denominator_w(p)

    def sum_log_rate_bits(self, power_w) -> np.ndarray:
        r""":math:`F(\mathbf p) = \sum_n \log_2(1 + \mathrm{sinr}_n)` (bits per channel use), [B]."""
        return np.log1p(self.sinr(power_w)).sum(axis=-1) / _LN2


def sinr_coupling(env, physical: bool | None = True) -> AffineSINR:
    r"""The affine numerators and denominators of Eq. (14) for the current TS of ``env``.

    Builds :math:`g_n` and the coupling matrix :math:`D` ``[B, N, N]`` of the module docstring from
    the ACI and HWI operators of :func:`multirat.coupling.link_coupling` (the library's Eq. (10)
    and HWI code evaluated on unit power vectors, so the equations stay implemented once), for
    every ``hwi_basis`` and ``aci_source``. ``physical=True`` multiplies the ACI and HWI rows of link :math:`n` by the
    deviation factors of ``env.deviation`` (Eqs. 11-12), ``False`` gives the twin, ``None`` follows
    ``env.mode`` (as :meth:`~multirat.env.NetworkEnv.evaluate`). Raises ``TypeError`` (``env`` not a
    NetworkEnv, ``physical`` not a bool or None) and ``RuntimeError`` before ``env.reset()``.
    """
    require_state(env)
    op = link_coupling(env, physical)
    sched = op.scheduled                                                               # [B, N]
    both = sched[:, :, None] & sched[:, None, :]                                       # [B, N(victim), N(source)]
    g_serv = op.signal_gain                                                            # [B, N]
    # D[b, n, j] = g_n sigma_rt^2 H[n, j] + C[n, j]; rows and columns of unscheduled links are 0
    coupling = np.where(both, g_serv[:, :, None] * op.sigma_rt**2 * op.hwi_matrix + op.aci_matrix, 0.0)
    return AffineSINR(signal_gain=np.where(sched, g_serv, 0.0), coupling=coupling,
                      noise_w=float(op.noise_w), scheduled=sched)


# ------------------------------------------------------------------------------------------------
# FP iteration
# ------------------------------------------------------------------------------------------------

@dataclass
class FPInfo:
    """Diagnostics of :func:`esa_fp` / :func:`fp_power_control` (arrays over ``B`` networks)."""

    objective_bits: np.ndarray     #: [T + 1, B] F(p^t), sum log2(1 + sinr) in bits/channel use; row 0 = start
    transformed_bits: np.ndarray   #: [T, B] f_q(p^t, gamma^{t-1}, y^{t-1}) / ln 2 after each power update
    iterations: np.ndarray         #: [B] iterations until the stopping rule held (or max_iter)
    converged: np.ndarray          #: [B] bool: stopping rule met before max_iter
    sinr: np.ndarray               #: [B, N] linear SINR at the returned powers (0 unscheduled)
    mcs_index: np.ndarray = None   #: [B, N] best_mcs at that SINR (esa_fp only)
    sum_rate_kbits: np.ndarray = None   #: [B] Eq. 15 sum throughput, env.evaluate (esa_fp only)
    rate_bits: np.ndarray = None   #: [B, N] Eq. 15 per link, bits/frame (esa_fp only)


def _power_bounds_w(config) -> tuple[float, float]:
    return float(units.dbm_to_watt(config.p_min_dbm)), float(units.dbm_to_watt(config.p_max_dbm))


def _initial_power(init, shape, p_min, p_max) -> np.ndarray:
    if isinstance(init, str):
        if init == "max":
            return np.full(shape, p_max)
        if init == "min":
            return np.full(shape, p_min)
        raise ValueError(f"init={init!r} is unknown: allowed 'max', 'min', an array of powers [B, N] (W), "
                         "or a list of these (multi-start)")
    p = real(init, "init", unit="W")
    if p.shape != tuple(shape):
        raise ValueError(f"init must have shape {tuple(shape)}; got {p.shape}")
    real(p, "init", lo=p_min * (1 - 1e-12), hi=p_max * (1 + 1e-12), unit="W",
         why=f"init powers must lie in [P_min, P_max] = [{p_min:.4g}, {p_max:.4g}] W")
    return np.clip(p, p_min, p_max)


def _starts(init, shape, p_min, p_max) -> np.ndarray:
    """Starting powers ``[S, B, N]``: one start (str or array [B, N]) or a list/tuple of them."""
    if isinstance(init, (list, tuple)):
        if len(init) == 0:
            raise ValueError("init must not be an empty list")
        return np.stack([_initial_power(i, shape, p_min, p_max) for i in init])
    return _initial_power(init, shape, p_min, p_max)[None]


#: Over-relaxation factors of ``accelerate=True``, applied to the FP step in log-power.
EXTRAPOLATION_FACTORS = (4.0, 16.0, 64.0)


def fp_power_control(problem: AffineSINR, p_min_w: float, p_max_w: float, *, max_iter: int = 300,
                     tol: float = 1e-7, init="max", accelerate: bool = False) -> tuple[np.ndarray, FPInfo]:
    r"""Maximize :math:`\sum_n \log_2(1+\mathrm{sinr}_n(\mathbf p))` over :math:`[P_{min}, P_{max}]^N`.

    The Lagrangian-dual + quadratic-transform iteration of the module docstring, vectorized over
    ``B`` networks and ``N`` links (only the iterations loop).

    Args:
        problem: :class:`AffineSINR` (:func:`sinr_coupling`).
        p_min_w, p_max_w: the box of constraint C1 (W), ``0 < p_min_w < p_max_w``.
        max_iter: at most this many iterations.
        tol: a network stops when one iteration raises :math:`F` by at most ``tol * max(1, F)``.
        init: ``"max"`` (every link at :math:`P_{max}`), ``"min"``, an array ``[B, N]`` of powers in
            the box, or a list of these: *multi-start*, FP runs from each start and each network
            keeps the run with the largest final :math:`F` (the diagnostics are those of that run).
        accelerate: after each FP step :math:`\mathbf p^{FP}`, also try the over-relaxed points
            :math:`\mathrm{clip}(\mathbf p^{t-1} (\mathbf p^{FP}/\mathbf p^{t-1})^{\alpha})`,
            :math:`\alpha \in` :data:`EXTRAPOLATION_FACTORS` (a step in log-power), and keep the
            one with the largest :math:`F` if it beats :math:`F(\mathbf p^{FP})`. This is *not*
            part of Shen & Yu's algorithm (default off); it keeps both monotonicity properties,
            since :math:`F(\mathbf p^{t}) \ge F(\mathbf p^{FP}) \ge f_q(\mathbf p^{FP},
            \boldsymbol\gamma^{t-1}, \mathbf y^{t-1})/\ln 2 \ge F(\mathbf p^{t-1})`, and it
            shortens the slow crawl of plain FP along directions where :math:`F` is nearly flat
            (a link at its HWI ceiling whose power only hurts its ACI victims).

    Returns:
        ``(power_w [B, N], FPInfo)``; unscheduled links get :math:`P_{min}` (they do not transmit;
        the value only keeps ``power_w`` inside C1). ``FPInfo.objective_bits[t]`` is
        :math:`F(\mathbf p^t)` and ``transformed_bits[t-1]`` is :math:`f_q(\mathbf p^{FP,t},
        \boldsymbol\gamma^{t-1}, \mathbf y^{t-1})/\ln 2`; after a network stopped, its objective
        rows repeat the final value and its transformed rows are NaN.

    Raises ``ValueError`` (``p_min_w``, ``p_max_w`` not finite with ``0 < p_min_w < p_max_w``,
    ``max_iter`` not an integer >= 1, ``tol`` not finite and >= 0, an invalid ``init``) or
    ``TypeError`` (a ``problem`` that is not an :class:`AffineSINR`, arguments of the wrong type),
    naming the argument and its value.
    """
    if not isinstance(problem, AffineSINR):
        raise TypeError(f"problem must be an AffineSINR (sinr_coupling(env)); got {type(problem).__name__}")
    p_min_w = float(real(scalar(p_min_w, "p_min_w"), "p_min_w", lo=0.0, lo_open=True, unit="W"))
    p_max_w = float(real(scalar(p_max_w, "p_max_w"), "p_max_w", lo=0.0, lo_open=True, unit="W"))
    if not p_min_w < p_max_w:
        raise ValueError(f"p_min_w={p_min_w!r} must be < p_max_w={p_max_w!r} (constraint C1)")
    max_iter = integer(max_iter, "max_iter", lo=1)
    tol = float(nonnegative(scalar(tol, "tol"), "tol", finite=True))
    accelerate = flag(accelerate, "accelerate")
    starts = _starts(init, problem.signal_gain.shape, p_min_w, p_max_w)                # [S, B, N]
    n_starts, n_batch, n_links = starts.shape
    # the S starts of every network run side by side as S * B networks (start-major)
    tiled = AffineSINR(signal_gain=np.tile(problem.signal_gain, (n_starts, 1)),
                       coupling=np.tile(problem.coupling, (n_starts, 1, 1)),
                       noise_w=problem.noise_w, scheduled=np.tile(problem.scheduled, (n_starts, 1)))
    p, objective, transformed, iterations, active = _fp_iterate(
        tiled, starts.reshape(n_starts * n_batch, n_links), p_min_w, p_max_w, int(max_iter), float(tol),
        bool(accelerate))
    # pick per network the start with the largest final F
    final = objective[-1].reshape(n_starts, n_batch)
    best = np.argmax(final, axis=0)                                                    # [B]
    pick = best * n_batch + np.arange(n_batch)                                         # rows of the tiled batch
    power = p[pick]
    info = FPInfo(objective_bits=objective[:, pick], transformed_bits=transformed[:, pick],
                  iterations=iterations[pick], converged=~active[pick], sinr=problem.sinr(power))
    return power, info


def _fp_iterate(problem: AffineSINR, p0, p_min_w, p_max_w, max_iter, tol, accelerate):
    """The FP loop on checked inputs; returns (p, objective [T+1, B], transformed [T, B], iterations, active)."""
    g, d, noise, sched = problem.signal_gain, problem.coupling, problem.noise_w, problem.scheduled
    n_batch = g.shape[0]
    p = np.where(sched, p0, p_min_w)                                                   # [B, N]
    objective = [problem.sum_log_rate_bits(p)]                                         # [B] per entry
    transformed = []
    active = np.ones(n_batch, dtype=bool)                                              # [B]
    iterations = np.zeros(n_batch, dtype=np.int64)
    for _ in range(max_iter):
        signal = g * p                                                                 # [B, N] A_n
        den = np.einsum("bnj,bj->bn", d, p) + noise                                    # [B, N] B_n
        gamma = signal / den                                                           # Lagrangian-dual variable
        y = np.sqrt((1.0 + gamma) * signal) / (signal + den)                           # quadratic-transform variable
        a = y * np.sqrt((1.0 + gamma) * g)                                             # [B, N]
        c = y**2 * g + np.einsum("bn,bnj->bj", y**2, d)                                # [B, N]; 0 only if unscheduled
        p_fp = np.where(sched, np.clip((a / np.where(sched, c, 1.0)) ** 2, p_min_w, p_max_w), p_min_w)
        p_fp = np.where(active[:, None], p_fp, p)
        # f_q(p_fp, gamma, y) in bits, summed over scheduled links (unscheduled terms are all 0)
        f_q = (np.log1p(gamma) - gamma + 2.0 * y * np.sqrt((1.0 + gamma) * g * p_fp)
               - y**2 * (g * p_fp + np.einsum("bnj,bj->bn", d, p_fp) + noise))
        f_q = np.where(sched, f_q, 0.0).sum(axis=-1) / _LN2
        p_new, new_obj = p_fp, problem.sum_log_rate_bits(p_fp)
        if accelerate:
            log_step = np.log(p_fp) - np.log(p)                                        # [B, N]
            for alpha in EXTRAPOLATION_FACTORS:
                p_ext = np.where(sched, np.clip(p * np.exp(alpha * log_step), p_min_w, p_max_w), p_min_w)
                f_ext = problem.sum_log_rate_bits(p_ext)
                better = active & (f_ext > new_obj)
                p_new = np.where(better[:, None], p_ext, p_new)
                new_obj = np.where(better, f_ext, new_obj)
        improvement = new_obj - objective[-1]
        transformed.append(np.where(active, f_q, np.nan))
        objective.append(new_obj)
        iterations += active
        p = p_new
        active &= ~(improvement <= tol * np.maximum(1.0, np.abs(new_obj)))
        if not active.any():
            break
    return p, np.array(objective), np.array(transformed), iterations, active


# ------------------------------------------------------------------------------------------------
# ESA-FP
# ------------------------------------------------------------------------------------------------

def nearest_power_index(power_w, config) -> np.ndarray:
    """Index of the power level of :func:`multirat.env.power_levels_w` nearest to ``power_w`` in dB
    (ties to the lower level), same shape as ``power_w``.

    ``power_w`` finite and > 0 (W); ``ValueError`` / ``TypeError`` naming it otherwise, ``TypeError``
    for a ``config`` that is not a NetworkConfig."""
    levels_dbm = units.watt_to_dbm(power_levels_w(config))                            # [|P|]
    p_dbm = units.watt_to_dbm(real(power_w, "power_w", lo=0.0, lo_open=True, unit="W"))
    return np.argmin(np.abs(p_dbm[..., None] - levels_dbm), axis=-1)


def esa_fp(env, physical: bool | None = True, max_iter: int = 300, tol: float = 1e-7, init="max",
           accelerate: bool = False):
    r"""ESA-FP benchmark (Sec. VI-A) for the current TS of ``env``, with perfect knowledge.

    1. Continuous powers in :math:`[P_{min}, P_{max}]` maximizing
       :math:`\sum_n \log_2(1+\mathrm{sinr}_n)` by :func:`fp_power_control` on
       :func:`sinr_coupling` (``physical``: True = the physical network with its :math:`1+\phi`,
       False = the twin, None = ``env.mode``).
    2. Per link the MCS maximizing Eq. (15) at its SINR (:func:`multirat.link.best_mcs` with
       ``config.ser_model``) -- what the paper's enumeration over :math:`(m, c)` pairs returns when
       the power step does not depend on :math:`(m, c)` (module docstring).

    ``max_iter``, ``tol``, ``init`` (``"max"``, ``"min"``, an array ``[B, N]`` or a list of these
    for multi-start) and ``accelerate`` as in :func:`fp_power_control`.

    Returns ``(actions [B, N] int, power_w [B, N] W, FPInfo)``. ``actions`` encodes the MCS and, as
    power index, the Eq. (25) level nearest to the FP power in dB (:func:`nearest_power_index`), so
    that ``env.step(actions, power_w=power_w)`` records a sensible previous-action feature;
    ``power_w`` overrides that level in :meth:`~multirat.env.NetworkEnv.evaluate` /
    :meth:`~multirat.env.NetworkEnv.step`. ``info.sum_rate_kbits`` is
    ``env.evaluate(actions, physical=physical, power_w=power_w).sum_rate_kbits``.

    Raises ``ValueError`` / ``TypeError`` / ``RuntimeError`` as :func:`sinr_coupling` and
    :func:`fp_power_control`.
    """
    require_state(env)
    cfg = env.config
    physical = (env.mode == "physical") if physical is None else flag(physical, "physical")
    problem = sinr_coupling(env, physical=physical)
    p_min, p_max = _power_bounds_w(cfg)
    power, info = fp_power_control(problem, p_min, p_max, max_iter=max_iter, tol=tol, init=init,
                                   accelerate=accelerate)
    mcs, _ = link.best_mcs(info.sinr, cfg, cfg.ser_model)                              # [B, N]
    n_mcs = len(cfg.modulation_orders) * len(cfg.code_rates)
    actions = (nearest_power_index(power, cfg) * n_mcs + mcs).astype(np.int64)
    step = env.evaluate(actions, physical=physical, power_w=power)
    info.mcs_index = mcs
    info.sum_rate_kbits = step.sum_rate_kbits
    info.rate_bits = step.rate_bits
    return actions, power, info
