r"""The complexity of the per-TS problem (paper Lemma 1, Sec. VI-G; chapter 6).

* :func:`search_space_counts` -- the exact sizes of the search spaces the paper counts in Sec. VI-G,
  and of the decomposed exhaustive search of :mod:`multirat.baselines`;
* :func:`mis_reduction_coupling` and :func:`mis_reduction_bounds` -- the reduction from MAXIMUM
  INDEPENDENT SET that chapter 6 uses to prove the per-TS problem NP-hard (the paper's own proof of
  Lemma 1 reduces in the wrong direction);
* :func:`independence_number` -- a brute-force :math:`\alpha(G)`, the oracle the reduction is checked against.
"""

from __future__ import annotations

import math

import numpy as np

from multirat import link, units
from multirat._checks import flag, integer, positive_int, real, scalar, shown
from multirat.config import NetworkConfig
from multirat.coupling import LinkCoupling

__all__ = ["EXACT_DIGITS_MAX", "N_LINKS_MAX", "independence_number", "mis_reduction_bounds", "mis_reduction_coupling",
           "search_space_counts"]


#: Most decimal digits an exact count of :func:`search_space_counts` may have: Python's default limit
#: for converting an int to text (``sys.int_info.default_max_str_digits``), so every count prints.
EXACT_DIGITS_MAX = 4300
#: Most links of :func:`search_space_counts`: the links of one TS are at most min(N, R), and
#: :class:`~multirat.config.NetworkConfig` bounds both ``n_devices`` and ``n_rrbs`` by 10 000.
N_LINKS_MAX = 10_000


def search_space_counts(n_links: int, n_power: int = 4, n_modulations: int = 4, n_code_rates: int = 3,
                        log10: bool = False) -> dict:
    r"""Sizes of the per-TS search spaces for ``n_links`` links: exact Python integers, or their log10.

    ``modulation_combinations`` :math:`|\mathcal M|^N`, ``code_rate_combinations`` :math:`|\mathcal C|^N`,
    ``mc_configurations`` :math:`(|\mathcal M||\mathcal C|)^N` (ESA-FP's outer loop),
    ``power_vectors`` :math:`|\mathcal P|^N`, ``joint_action_vectors``
    :math:`(|\mathcal P||\mathcal M||\mathcal C|)^N` (brute-force ESA), and the throughput
    evaluations of the brute force (:math:`N` per joint vector) and of the decomposed ESA
    (:math:`|\mathcal P|^N N |\mathcal M||\mathcal C|`); ``n_links`` is returned as given.

    Bounds: ``n_links`` in [1, :data:`N_LINKS_MAX` = 10 000] (the links of one TS, at most
    min(N, R)); the set sizes ``n_power``, ``n_modulations``, ``n_code_rates`` integers >= 1.
    The exact counts grow as :math:`48^N`: they are returned only while the largest,
    :math:`(|\mathcal P||\mathcal M||\mathcal C|)^N N`, has at most :data:`EXACT_DIGITS_MAX` = 4300
    decimal digits (Python's limit for printing an int; N <= 2555 for the paper's 48 actions).
    Beyond, pass ``log10=True``: every count (not ``n_links``) is then its base-10 logarithm, a
    float, for any ``n_links`` in range.

    Raises ``ValueError`` (an argument not an integer >= 1, ``n_links`` above 10 000, or exact
    counts beyond 4300 digits -- the message gives the largest ``n_links`` for these set sizes) or
    ``TypeError`` (arguments of the wrong type), naming the argument.
    """
    n = positive_int(n_links, "n_links")
    if n > N_LINKS_MAX:
        raise ValueError(f"n_links={n} is out of range: allowed integer in [1, {N_LINKS_MAX}] (the links of one TS "
                         f"are at most min(N, R), and NetworkConfig bounds N and R by {N_LINKS_MAX})")
    sizes = [positive_int(x, name) for x, name in ((n_power, "n_power"), (n_modulations, "n_modulations"),
                                                     (n_code_rates, "n_code_rates"))]
    p, m, c = sizes
    q = p * m * c
    if flag(log10, "log10"):
        lp, lm, lc, ln = (math.log10(v) for v in (p, m, c, n))
        return {"n_links": n, "modulation_combinations": n * lm, "code_rate_combinations": n * lc,
                "mc_configurations": n * (lm + lc), "power_vectors": n * lp, "joint_action_vectors": n * (lp + lm + lc),
                "bruteforce_link_evaluations": n * (lp + lm + lc) + ln,
                "decomposed_link_evaluations": n * lp + ln + lm + lc}
    n_max = _exact_links_max(q)
    if n > n_max:
        if n_max == 0:
            raise ValueError(f"n_power x n_modulations x n_code_rates = {shown(p)} x {shown(m)} x {shown(c)} is too "
                             "large for exact counts: "
                             f"even one link's count has more than {EXACT_DIGITS_MAX} decimal digits; pass log10=True")
        raise ValueError(f"n_links={n} is out of range for exact counts: allowed integer in [1, {n_max}] with "
                         f"|P||M||C| = {shown(p)} x {shown(m)} x {shown(c)} = {shown(q)} (beyond, (|P||M||C|)^N N has more than "
                         f"{EXACT_DIGITS_MAX} decimal digits, Python's limit for printing an int); pass log10=True "
                         f"for the log10 of the counts")
    return {"n_links": n, "modulation_combinations": m**n, "code_rate_combinations": c**n,
            "mc_configurations": (m * c) ** n, "power_vectors": p**n, "joint_action_vectors": q**n,
            "bruteforce_link_evaluations": q**n * n, "decomposed_link_evaluations": p**n * n * m * c}


def _exact_links_max(q: int) -> int:
    """Largest N <= N_LINKS_MAX with q^N N below 10^EXACT_DIGITS_MAX (at most that many digits); 0 if none."""
    limit = 10**EXACT_DIGITS_MAX
    if q == 1:
        return N_LINKS_MAX
    n = min(N_LINKS_MAX, int(EXACT_DIGITS_MAX / math.log10(q)) + 1)      # q^n >= 10^D just above this
    while n > 0 and q**n * n >= limit:
        n -= 1
    return n


def _adjacency(adjacency) -> np.ndarray:
    raw = np.asarray(adjacency) if not isinstance(adjacency, (str, bytes)) and adjacency is not None else None
    if raw is None or raw.dtype.kind not in "biufO":
        raise TypeError(f"adjacency must be a 0/1 (or boolean) matrix [N, N]; got {type(adjacency).__name__}")
    a = raw if raw.dtype.kind == "b" else real(adjacency, "adjacency", lo=0.0, hi=1.0, integer=True, why="0 or 1")
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

    Raises ``ValueError`` (``adjacency`` not a simple graph's 0/1 matrix, ``coupling_ratio`` not
    finite and > 0, ``snr_db`` not finite) or ``TypeError`` (``config`` not a NetworkConfig,
    arguments of the wrong type), naming the argument.
    """
    a = _adjacency(adjacency)
    config, coupling_ratio, snr_db = _reduction_args(config, coupling_ratio, snr_db)
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
    Rates in bits/frame. Raises as :func:`mis_reduction_coupling` for the shared arguments,
    ``ValueError`` / ``TypeError`` for ``max_degree`` not an integer >= 0 and ``ValueError`` for
    ``config.sigma_rt = 0``.
    """
    max_degree = integer(max_degree, "max_degree", lo=0)
    config, coupling_ratio, snr_db = _reduction_args(config, coupling_ratio, snr_db)
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


def _reduction_args(config, coupling_ratio, snr_db) -> tuple:
    if not isinstance(config, NetworkConfig):
        raise TypeError(f"config must be a NetworkConfig; got {type(config).__name__}")
    ratio = float(real(scalar(coupling_ratio, "coupling_ratio"), "coupling_ratio", lo=0.0, lo_open=True))
    return config, ratio, float(real(scalar(snr_db, "snr_db"), "snr_db", unit="dB"))


def independence_number(adjacency) -> int:
    r""":math:`\alpha(G)`, the size of a maximum independent set, by enumerating all :math:`2^N` vertex
    subsets (vectorized; N <= 20). A validation oracle for :func:`mis_reduction_coupling`.
    Raises ``ValueError`` / ``TypeError`` as :func:`mis_reduction_coupling` for ``adjacency``, and
    ``ValueError`` for N > 20."""
    a = _adjacency(adjacency)
    n = a.shape[0]
    if n > 20:
        raise ValueError(f"independence_number enumerates 2^N subsets; N={n} > 20 is too large")
    subsets = ((np.arange(2**n)[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)    # [2^N, N]
    edges = np.argwhere(np.triu(a))                                                  # [E, 2]
    independent = ~np.any(subsets[:, edges[:, 0]] & subsets[:, edges[:, 1]], axis=1) if len(edges) else \
        np.ones(2**n, dtype=bool)
    return int(subsets[independent].sum(axis=1).max())
