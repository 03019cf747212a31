"""What the headline numbers depend on (chapter 14): the readings of the paper's unstated parameters and
ambiguous equations, the quantities its claims are made of, and a distance from our values to its claims.

* :class:`Variant` / :data:`VARIANTS` -- one reading, one axis at a time from the book's defaults: each is a
  configuration value that already exists (the Assumptions page), or the CQI threshold set of the 3GPP
  benchmarks; :func:`factorial_readings` -- the combinations of the plausible readings of the model's
  equations (the closest-reading search, a small factorial, no continuous knob);
* :class:`Condition` / :data:`CONDITIONS` -- the networks the claims are measured in;
* :func:`headline_quantities` -- the claims' quantities (the gain over MaxP-3GPP-MCS, the fraction of
  ESA-FP, the phi effect, the scenario 1 - scenario 3 gap, the headroom genie / MaxP) from per-condition
  values of each scheme;
* :func:`retrain_selection` -- the variants whose baseline-only effect is large enough to retrain the agent;
* :func:`claim_values` / :func:`claim_distance` -- our value of each throughput claim of the paper's Figs. 5-7
  under a reading, and the RMS of the log ratios to the paper's.

Nothing here tunes a number toward the paper's: the readings are the alternatives the Assumptions page
lists, and the book's defaults stay the paper's equations as printed.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass

from multirat.config import NetworkConfig

__all__ = ["CLAIMS", "CONDITIONS", "DEFAULT", "FACTORIAL_AXES", "FACTORIAL_LABELS", "RETRAIN_THRESHOLD", "VARIANTS",
           "Condition", "Variant", "claim_distance", "claim_values", "factorial_readings", "headline_quantities",
           "headline_table", "reading_claims", "retrain_selection"]


@dataclass(frozen=True)
class Variant:
    """One reading of the paper: ``network`` overrides of :class:`NetworkConfig` (``((field, value), ...)``) and
    the CQI threshold set (:data:`multirat.cqi.THRESHOLD_SETS`) of MaxP-3GPP-MCS and OLLA; ``axis`` names what
    it varies, ``label`` the value, ``why`` where the alternative comes from."""

    axis: str
    label: str
    network: tuple = ()
    thresholds: str = "common"
    why: str = ""

    def __post_init__(self):
        fields = {f.name for f in dataclasses.fields(NetworkConfig)}
        for item in self.network:
            if not (isinstance(item, tuple) and len(item) == 2 and item[0] in fields):
                raise ValueError(f"network={self.network!r}: each override must be (NetworkConfig field, value)")
        from multirat.cqi import threshold_column

        threshold_column(self.thresholds)

    @property
    def name(self) -> str:
        """A short key, e.g. ``ser_model=exact`` (``default`` for no override)."""
        parts = [f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in self.network]
        if self.thresholds != "common":
            parts.append(f"cqi_thresholds={self.thresholds}")
        return ",".join(parts) or "default"

    def apply(self, base: NetworkConfig) -> NetworkConfig:
        """``base`` with this reading's overrides (validated by :class:`NetworkConfig`)."""
        return dataclasses.replace(base, **dict(self.network))


DEFAULT = Variant("default", "the book's defaults", why="the paper's equations as printed, Table 1")
#: One axis at a time from the defaults (each value an existing configuration choice).
VARIANTS = (
    DEFAULT,
    Variant("SER model", "exact QAM SER", (("ser_model", "exact"),),
            why="Eq. (17) is one PAM dimension of the QAM error at a per-bit SINR; the exact square-QAM SER "
                "at the per-symbol SINR (chapter 3)"),
    Variant("HWI basis", "own power", (("hwi_basis", "own"),),
            why="Eq. (14) scales the HWI distortion with the AP's total power; per link it would scale with "
                "the link's own power (chapter 4)"),
    Variant("HWI basis", "AP mean per RRB", (("hwi_basis", "ap_mean"),),
            why="the AP's total power divided by its occupied RRBs (chapter 4)"),
    Variant("path loss", "random LoS state", (("path_loss_model", "random_los"),),
            why="TR 38.901 draws each link's LoS state; Eq. (4) weights the dB losses by the LoS probability "
                "(chapter 1)"),
    Variant("path loss", "mean linear gain", (("path_loss_model", "linear_average"),),
            why="the LoS-probability-weighted linear gain instead of dB (chapter 1)"),
    Variant("RRB placement", "spread", (("rrb_placement", "spread"),),
            why="Sec. VI-G: with few links, transmissions 'can be scheduled over non-adjacent RRBs' (Alg. 1: "
                "contiguous)"),
    Variant("RRBs R", "R = 50", (("n_rrbs", 50),), why="a 10 MHz LTE carrier instead of 20 MHz (TS 36.101)"),
    Variant("shadowing", "8 dB", (("shadowing_std_db", 8.0),),
            why="the largest of Sec. VI-I's 4/6/8 dB (TR 38.901 UMi NLoS is 7.82 dB)"),
    Variant("noise figure", "7 dB", (("noise_figure_db", 7.0),), why="a receiver 2 dB better than TS 36.101's 9 dB"),
    Variant("packet N_p", "N_p = 100", (("n_symbols", 100),),
            why="Table 1's '1000 packet/frame' leaves the unit open; a 10x shorter packet (a flatter PER cliff)"),
    Variant("CQI thresholds", "Vienna AWGN", thresholds="vienna_awgn",
            why="the Vienna simulator's 10 % BLER SNRs instead of the common CQI-SINR table (chapter 6)"),
)

#: The axes of the closest-reading factorial: the plausible readings of the model's equations (Eq. 17, Eq. 14,
#: Eq. 4 and Alg. 1's placement); the continuous assumptions (R, shadowing, NF, N_p) stay at the defaults.
FACTORIAL_AXES = {"ser_model": ("eq17", "exact"), "hwi_basis": ("ap_total", "own", "ap_mean"),
                  "path_loss_model": ("eq4", "random_los", "linear_average"),
                  "rrb_placement": ("contiguous", "spread")}


#: Short names of the factorial's non-default values (its readings' labels).
FACTORIAL_LABELS = {("ser_model", "exact"): "exact SER", ("hwi_basis", "own"): "HWI own",
                    ("hwi_basis", "ap_mean"): "HWI AP mean", ("path_loss_model", "random_los"): "random LoS",
                    ("path_loss_model", "linear_average"): "linear-mean PL", ("rrb_placement", "spread"): "spread RRBs"}


def factorial_readings(axes: dict | None = None) -> list[Variant]:
    """Every combination of :data:`FACTORIAL_AXES` (or ``axes``: ``{field: values}``) as a :class:`Variant`, the
    defaults' combination first (its ``network`` holds only the non-default values; its ``label`` joins their
    :data:`FACTORIAL_LABELS`, ``"default"`` for none)."""
    axes = FACTORIAL_AXES if axes is None else axes
    defaults = NetworkConfig()
    out = []
    for values in itertools.product(*axes.values()):
        over = tuple((k, v) for k, v in zip(axes, values) if getattr(defaults, k) != v)
        out.append(Variant("reading", " + ".join(FACTORIAL_LABELS.get(o, f"{o[0]}={o[1]}") for o in over)
                           or "default", over))
    return out


@dataclass(frozen=True)
class Condition:
    """A network the claims are measured in: K APs, N devices, the HWI level sigma_rt and the deviation phi."""

    K: int
    N: int
    sigma_rt: float
    phi: float = 0.4

    @property
    def key(self) -> str:
        return f"K={self.K},N={self.N},sigma_rt={self.sigma_rt:g},phi={self.phi:g}"

    def apply(self, base: NetworkConfig) -> NetworkConfig:
        return dataclasses.replace(base, n_aps=self.K, n_devices=self.N, sigma_rt=self.sigma_rt, phi=self.phi)


#: Per profile: the Fig. 5 network (Table 1) at phi 0.4 and 0.9 and sigma_rt 0.05, 0.1 (Fig. 5d) and 0.2 (the
#: high HWI level of chapter 11), and Fig. 7's (6, 70) and (6, 100) at sigma_rt 0.05 and 0.2; the smoke and quick
#: profiles use networks chapter 11's ``fig7`` trains in those profiles, so the default reading has its agents.
CONDITIONS = {
    "smoke": (Condition(1, 2, 0.05), Condition(1, 2, 0.05, 0.9), Condition(2, 3, 0.05)),
    "quick": (Condition(4, 20, 0.05), Condition(4, 20, 0.05, 0.9), Condition(4, 20, 0.1), Condition(4, 20, 0.2)),
    "paper": (Condition(4, 20, 0.05), Condition(4, 20, 0.05, 0.9), Condition(4, 20, 0.1), Condition(4, 20, 0.2),
              Condition(6, 70, 0.05), Condition(6, 70, 0.2), Condition(6, 100, 0.05), Condition(6, 100, 0.2)),
}

#: Retrain the agent under a variant whose baseline-only effect moves the headroom genie / MaxP-3GPP-MCS by more
#: than this fraction, or the genie's phi effect by more than this many percentage points / 100.
RETRAIN_THRESHOLD = 0.05


def _at(values, scheme: str, cond: Condition) -> float:
    try:
        return float(values[(scheme, cond)])
    except KeyError:
        return math.nan


def headline_quantities(values: dict, conditions) -> dict:
    """The quantities the paper's claims are made of, from ``values`` = ``{(scheme, Condition): kbit/frame}``.

    ``conditions``: the profile's :data:`CONDITIONS`; the first is the Fig. 5 network (phi 0.4, default HWI),
    the second the same at phi 0.9, the largest N at the default and at the highest sigma_rt are Fig. 7's.
    Schemes: ``MaxP-3GPP-MCS``, ``genie MCS at P_max``, ``ESA-FP``, ``MADRL`` (scenario 2), and for the phi
    effect and the scenario gap ``MADRL`` at the phi-0.9 condition and ``MADRL scenario 1`` / ``MADRL scenario
    3``. A missing value gives NaN. Returns ``{quantity: value}``:

    * ``headroom genie/MaxP, N=<N>`` and ``..., high HWI``: genie / MaxP-3GPP-MCS (the room where the 46 % and
      114.16 % claims live);
    * ``gain over MaxP [%], N=<N>`` and ``..., high HWI``: 100 (MADRL / MaxP-3GPP-MCS - 1);
    * ``fraction of ESA-FP [%], N=<n>`` at the Fig. 5 network and at the largest N;
    * ``phi effect [%]``: 100 (MADRL at phi 0.9 / at phi 0.4 - 1), and ``genie phi effect [%]``;
    * ``scenario 1 - scenario 3 [kbit/frame]`` at the Fig. 5 network.
    """
    base, phi_hi = conditions[0], conditions[1]
    big_n = max(c.N for c in conditions)
    sigmas = sorted({c.sigma_rt for c in conditions if c.N == big_n})
    big, big_hi = (next(c for c in conditions if c.N == big_n and c.sigma_rt == s and c.phi == base.phi)
                   for s in (sigmas[0], sigmas[-1]))
    v = lambda s, c: _at(values, s, c)            # noqa: E731
    out = {}
    for tag, c in ((f"N={big_n}", big), (f"N={big_n}, high HWI", big_hi)):
        out[f"headroom genie/MaxP, {tag}"] = v("genie MCS at P_max", c) / v("MaxP-3GPP-MCS", c)
        out[f"gain over MaxP [%], {tag}"] = 100 * (v("MADRL", c) / v("MaxP-3GPP-MCS", c) - 1)
    for c in (base, big):
        out[f"fraction of ESA-FP [%], N={c.N}"] = 100 * v("MADRL", c) / v("ESA-FP", c)
    out["phi effect [%]"] = 100 * (v("MADRL", phi_hi) / v("MADRL", base) - 1)
    out["genie phi effect [%]"] = 100 * (v("genie MCS at P_max", phi_hi) / v("genie MCS at P_max", base) - 1)
    out["scenario 1 - scenario 3 [kbit/frame]"] = v("MADRL scenario 1", base) - v("MADRL scenario 3", base)
    return out


def headline_table(benchmarks: dict, agents, conditions, variants=VARIANTS):
    """:func:`headline_quantities` of every variant with its 95 % CI over the agents' seeds.

    Args:
        benchmarks: ``{variant name: {(scheme, Condition): kbit/frame}}`` (deterministic: means over the test
            drops).
        agents: the agents' final values, a DataFrame with columns ``variant``, ``scheme``, ``K``, ``N``,
            ``sigma_rt``, ``phi``, ``seed``, ``final_kbits`` (e.g. ``sensitivity_training.final_values``). A
            variant without network overrides (a CQI threshold set) uses the default's agents; one with
            overrides but no agents of its own gets NaN for the agents' quantities.
        conditions: the profile's :data:`CONDITIONS`.

    Returns one row per (variant, quantity): ``variant``, ``axis``, ``label``, ``quantity``, ``value`` (the mean
    over seeds of the quantity computed seed by seed, so ratios and differences are paired within a seed),
    ``ci95`` (t half-width over seeds; NaN for a quantity of the benchmarks alone or a single seed), ``n_seeds``.
    """
    import numpy as np
    import pandas as pd

    from multirat.evaluation import t_confidence_interval

    rows = []
    for v in variants:
        source = v.name if v.network or v.name == "default" else "default"
        mine = agents[agents.variant == source]
        seeds = sorted(set(mine.seed)) or [None]
        per_seed = []
        for seed in seeds:
            values = dict(benchmarks[v.name])
            for r in mine[mine.seed == seed].itertuples():
                cond = Condition(int(r.K), int(r.N), float(r.sigma_rt), float(r.phi))
                values[(r.scheme, cond)] = float(r.final_kbits)
            per_seed.append(headline_quantities(values, conditions))
        for q in per_seed[0]:
            x = np.array([p[q] for p in per_seed], float)
            x = x[np.isfinite(x)]
            alone = np.unique(x).size <= 1
            mean, half = t_confidence_interval(x) if x.size else (float("nan"), float("nan"))
            rows.append({"variant": v.name, "axis": v.axis, "label": v.label, "quantity": q, "value": mean,
                         "ci95": float("nan") if alone else half, "n_seeds": int(x.size) if not alone else 0})
    return pd.DataFrame(rows)


def retrain_selection(quantities: dict, threshold: float = RETRAIN_THRESHOLD, variants=VARIANTS) -> list[str]:
    """The variant names (keys of ``quantities`` = ``{variant name: headline_quantities(...)}``, which must hold
    ``"default"``) whose headroom genie / MaxP-3GPP-MCS moves by more than ``threshold`` (relative, at either HWI
    level) or whose genie phi effect moves by more than ``100 threshold`` percentage points, in their order.
    A variant of ``variants`` without network overrides (a CQI threshold set) is never selected: it changes the
    benchmarks, not the agent's problem, so its agents are the default's."""
    if "default" not in quantities:
        raise ValueError(f"quantities must hold the 'default' variant; got {sorted(quantities)}")
    ref = quantities["default"]
    same_network = {v.name for v in variants if not v.network}
    out = []
    for name, q in quantities.items():
        if name in same_network:
            continue
        moved = [abs(q[k] / ref[k] - 1) > threshold for k in q if k.startswith("headroom")]
        moved.append(abs(q["genie phi effect [%]"] - ref["genie phi effect [%]"]) > 100 * threshold)
        if any(moved):
            out.append(name)
    return out


#: The paper's throughput claims of Figs. 5-7 this chapter matches (``data/paper_claims.csv`` ids), each with
#: what our value is. ``("level", i, scenario)``: the agent's throughput at condition ``i`` of
#: :data:`CONDITIONS` ``["paper"]`` (0: Fig. 5's network, 1: at phi 0.9, 2: sigma_rt 0.1), its scenario-1 or -3
#: agent where ``scenario`` names one and ``values`` holds it; ``("gain_maxp" | "gain_ra" | "pct_maxp", (K, N,
#: high HWI))``: agent - benchmark (kbit/frame) or 100 (agent / MaxP - 1). Fig. 5b/5d are at phi 0.4, Fig. 5c
#: at phi 0.9; the episode counts of the claims (300, 500, 2000) are not matched (the agents' plateau).
CLAIMS = {
    "fig5b_throughput_physical_only_300ep": ("level", 0, 1), "fig5b_throughput_proposed_300ep": ("level", 0, None),
    "fig5b_throughput_dt_only_300ep": ("level", 0, 3), "fig5c_throughput_physical_only_500ep": ("level", 1, 1),
    "fig5c_throughput_proposed_500ep": ("level", 1, None), "fig5c_throughput_dt_only_500ep": ("level", 1, 3),
    "fig5d_throughput_physical_only_sigma0p1": ("level", 2, 1),
    "fig5d_throughput_proposed_sigma0p1": ("level", 2, None), "fig5d_throughput_dt_only_sigma0p1": ("level", 2, 3),
    "fig6c_throughput_phi0p4_zk10": ("level", 0, None), "fig6c_throughput_phi0p4_zk50": ("level", 0, None),
    "fig6c_throughput_phi0p4_zk200": ("level", 0, None), "fig6c_throughput_phi0p9_zk50": ("level", 1, None),
    "fig7b_gain_vs_maxp_abs_k6_n70": ("gain_maxp", (6, 70, False)),
    "fig7b_gain_vs_ra_abs_k6_n70": ("gain_ra", (6, 70, False)),
    "fig7b_gain_vs_maxp_pct_k6_n100": ("pct_maxp", (6, 100, False)),
    "fig7c_gain_vs_maxp_abs_high_hwi_k6_n70": ("gain_maxp", (6, 70, True)),
    "fig7c_gain_vs_ra_abs_high_hwi_k6_n70": ("gain_ra", (6, 70, True)),
    "fig7c_gain_vs_maxp_pct_high_hwi_k6_n100": ("pct_maxp", (6, 100, True)),
}


def claim_values(values: dict, conditions, agent: str = "MADRL") -> dict:
    """Our value of each claim of :data:`CLAIMS` from ``values`` = ``{(scheme, Condition): kbit/frame}``
    (``agent``: the scheme that stands for the learned policy, ``"<agent> scenario 1"`` / ``... 3`` its agents of
    those scenarios where present; ``MaxP-3GPP-MCS``, ``RA``); the high HWI level is the largest sigma_rt among
    ``conditions`` at that size. NaN where a value is missing."""
    out = {}
    for cid, (kind, where, *scenario) in CLAIMS.items():
        if kind == "level":
            if where >= len(conditions):
                out[cid] = math.nan
                continue
            cond = conditions[where]
            own = f"{agent} scenario {scenario[0]}"
            out[cid] = _at(values, own if scenario[0] and (own, cond) in values else agent, cond)
            continue
        k, n, high = where
        at_size = [c for c in conditions if (c.K, c.N) == (k, n) and c.phi == conditions[0].phi]
        if not at_size:
            out[cid] = math.nan
            continue
        c = max(at_size, key=lambda c: c.sigma_rt) if high else min(at_size, key=lambda c: c.sigma_rt)
        a = _at(values, agent, c)
        if kind == "gain_maxp":
            out[cid] = a - _at(values, "MaxP-3GPP-MCS", c)
        elif kind == "gain_ra":
            out[cid] = a - _at(values, "RA", c)
        else:
            out[cid] = 100 * (a / _at(values, "MaxP-3GPP-MCS", c) - 1)
    return out


def claim_distance(ours: dict, paper: dict, floor: float = 0.01) -> tuple[float, int]:
    """RMS of ``ln(ours / paper)`` over the claims both hold (finite values), and how many that is.

    A value of ours below ``floor`` x the paper's (zero or negative, e.g. a gain that is a loss) counts as
    ``floor`` x the paper's, a 100x miss at the default: large, never undefined. ``paper``'s values must be
    positive (``ValueError`` otherwise). Returns ``(distance, n_claims)``; ``(nan, 0)`` with no claim in common.
    """
    logs = []
    for cid, p in paper.items():
        if not p > 0:
            raise ValueError(f"paper[{cid!r}]={p!r}: a claim's value must be positive for a log ratio")
        o = ours.get(cid, math.nan)
        if o is None or not math.isfinite(o):
            continue
        logs.append(math.log(max(o, floor * p) / p))
    if not logs:
        return math.nan, 0
    return math.sqrt(sum(x * x for x in logs) / len(logs)), len(logs)


def reading_claims(benchmarks: dict, agents, conditions, variants=VARIANTS):
    """Our value of each claim of :data:`CLAIMS` under every reading that has agents of its own (or shares the
    default's), seed by seed: ``(variant, claim, ours, ci95, n_seeds)`` rows, ``ours`` the mean over seeds of
    :func:`claim_values` computed with one seed's agents and ``ci95`` its t half-width. Arguments as
    :func:`headline_table`; a claim at a network where a reading has no agent is left out. ``own_scenario`` is
    ``False`` where a scenario-1 or -3 claim fell back to the scenario-2 agent (:func:`claim_values`)."""
    import numpy as np
    import pandas as pd

    from multirat.evaluation import t_confidence_interval

    rows = []
    for v in variants:
        source = v.name if v.network or v.name == "default" else "default"
        mine = agents[(agents.variant == source) & agents.scheme.str.fullmatch(r"MADRL( scenario \d)?")]
        if mine.empty:
            continue
        per_seed = []
        for seed, g in mine.groupby("seed"):
            values = dict(benchmarks[v.name])
            for r in g.itertuples():
                cond = Condition(int(r.K), int(r.N), float(r.sigma_rt), float(r.phi))
                values[(r.scheme, cond)] = float(r.final_kbits)
            per_seed.append(claim_values(values, conditions))
        for cid, (kind, where, *scenario) in CLAIMS.items():
            x = np.array([p[cid] for p in per_seed], float)
            x = x[np.isfinite(x)]
            own = not (kind == "level" and scenario[0]) or (
                (f"MADRL scenario {scenario[0]}", conditions[where]) in values)
            if x.size:
                mean, half = t_confidence_interval(x)
                rows.append({"variant": v.name, "claim": cid, "ours": mean, "ci95": half, "n_seeds": int(x.size),
                             "own_scenario": bool(own)})
    return pd.DataFrame(rows, columns=["variant", "claim", "ours", "ci95", "n_seeds", "own_scenario"])
