"""The reproduction ledger (the book's last chapter): the rule that gives each of the paper's claims a status.

* :func:`claim_status` -- ``reproduced``, ``same direction``, ``not reproduced`` or ``not reproducible`` for
  one claim, from the paper's value, ours and our 95 % interval, by the kind of quantity it is
  (:data:`KINDS`);
* :func:`ledger_table` -- every claim of ``data/paper_claims.csv`` with its status and reason, from the stored
  results; :func:`write_ledger` stores it as ``data/results/ledger/<profile>.csv``.

A reduced profile (``smoke``, ``quick``) trains for fewer episodes and times fewer sizes, so some claims have no
measurement there: their status is ``not measured``, which the ``paper`` profile never gives (``ValueError``).

The rule is the issue's: a claim is reproduced when the paper's value lies inside our 95 % interval (within a
stated tolerance for counts and times, which carry no interval); an effect (a gain, a difference, a fraction
between two schemes) with the paper's sign, significantly, but not its size is ``same direction``; a claim whose
conditions the paper never states, or that no scheme can reach, is ``not reproducible`` (the caller says why).
"""

from __future__ import annotations

import math

__all__ = ["KINDS", "NOT_MEASURED", "RESTATED", "SAME_CLAIM", "STATUSES", "TIME_FACTOR", "claim_row", "claim_status",
           "continual_gain_row", "continual_gains", "count_rows", "eq15_cap_kbits", "fig5_rows", "fig6_rows",
           "fig7_rows", "ledger_command", "ledger_path", "ledger_table", "readings_reproducing", "status_reason",
           "stored_ledger", "time_rows", "write_ledger"]

#: The statuses, from the best to the worst agreement.
STATUSES = ("reproduced", "same direction", "not reproduced", "not reproducible")

#: The status of a claim that a reduced profile's budget does not reach (never in the ``paper`` profile).
NOT_MEASURED = "not measured"

#: What a claim is, which decides how it is compared:
#:
#: * ``level``: a throughput or another absolute quantity; reproduced inside our interval, else not;
#: * ``effect``: a gain, a difference or a relative change, whose sign is part of the claim; outside our interval
#:   it is ``same direction`` when ours has the paper's (non-zero) sign;
#: * ``count``: an exact number (actions, combinations); reproduced only when equal (within ``tolerance``);
#: * ``time``: a measured duration, reproduced within a factor :data:`TIME_FACTOR` (another machine and
#:   implementation make a closer match meaningless);
#: * ``selection``: a choice among candidates (e.g. the best discount factor); reproduced only when equal.
KINDS = ("level", "effect", "count", "time", "selection")

#: A time is reproduced within this factor either way.
TIME_FACTOR = 2.0


def claim_status(paper: float, ours: float, ci95: float = math.nan, kind: str = "level", *,
                 tolerance: float = 0.0, reproducible: bool = True) -> str:
    """The status of one claim (one of :data:`STATUSES`).

    Args:
        paper: the paper's value.
        ours: our value, in the paper's unit (NaN only with ``reproducible=False``).
        ci95: half-width of our 95 % interval (NaN: none, e.g. one deterministic value or a count).
        kind: one of :data:`KINDS`.
        tolerance: for ``count`` and ``selection``, the largest allowed |ours - paper| (0: exact); for
            ``level`` and ``effect`` without an interval, the largest allowed relative difference
            |ours / paper - 1| (0: exact); ignored for ``time`` (:data:`TIME_FACTOR`).
        reproducible: ``False`` when the paper never states a condition the claim needs, or no scheme can
            reach its value: the status is then ``not reproducible`` whatever the numbers.

    The boundaries belong to ``reproduced``: the paper's value exactly at the edge of our interval, a count
    within ``tolerance``, a time exactly a factor :data:`TIME_FACTOR` away. ``same direction`` needs our
    interval to exclude zero (an effect we cannot tell from none has no direction).

    Raises ``ValueError`` for an unknown ``kind``, a NaN ``ours`` or ``paper`` of a reproducible claim, a
    negative ``tolerance`` or ``ci95``, and a non-positive time.
    """
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} is unknown: allowed one of {KINDS}")
    if not reproducible:
        return "not reproducible"
    paper, ours, ci95, tolerance = float(paper), float(ours), float(ci95), float(tolerance)
    if not (math.isfinite(paper) and math.isfinite(ours)):
        raise ValueError(f"paper={paper!r} and ours={ours!r} must be finite for a reproducible claim; mark a claim "
                         "without our value reproducible=False, with its reason")
    if tolerance < 0 or (math.isfinite(ci95) and ci95 < 0):
        raise ValueError(f"tolerance={tolerance!r} and ci95={ci95!r} must be >= 0")
    if kind in ("count", "selection"):
        return "reproduced" if abs(ours - paper) <= tolerance else "not reproduced"
    if kind == "time":
        if paper <= 0 or ours <= 0:
            raise ValueError(f"a time must be positive: paper={paper!r}, ours={ours!r}")
        return "reproduced" if max(ours / paper, paper / ours) <= TIME_FACTOR else "not reproduced"
    if math.isfinite(ci95):
        inside = abs(ours - paper) <= ci95
    else:
        inside = abs(ours - paper) <= tolerance * abs(paper)
    if inside:
        return "reproduced"
    resolved = abs(ours) > ci95 if math.isfinite(ci95) else ours != 0     # our interval excludes zero
    if kind == "effect" and resolved and paper != 0 and math.copysign(1, ours) == math.copysign(1, paper):
        return "same direction"
    return "not reproduced"


# ------------------------------------------------------------------------------------------------------------
# Our value of each claim, by the chapter that measures it
# ------------------------------------------------------------------------------------------------------------

def claim_row(claim_id: str, ours: float, ci95: float, kind: str, chapter: str, measure: str, *,
              reproducible: bool = True, reason: str = "", measured: bool = True) -> dict:
    """One ledger row before its status: the claim, our value and 95 % half-width (NaN: none), its
    :data:`KINDS` kind, the chapter (a ``book/`` page name) and what ``ours`` is in words; ``reproducible`` and
    ``reason`` as :func:`claim_status`; ``measured=False`` for a claim the profile's budget does not reach
    (:data:`NOT_MEASURED`). A claim that is not reproducible or not measured must say why (``ValueError``)."""
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} is unknown: allowed one of {KINDS}")
    if not (reproducible and measured) and not reason:
        raise ValueError(f"claim {claim_id!r} is marked not reproducible or not measured without a reason")
    return {"id": claim_id, "ours": float(ours), "ci95": float(ci95), "kind": kind, "chapter": chapter,
            "measure": measure, "reproducible": bool(reproducible), "reason": reason, "measured": bool(measured)}


def _not_measured(claim_id: str, kind: str, chapter: str, measure: str, why: str) -> dict:
    """The row of a claim this profile does not measure (``why``: what its budget lacks)."""
    nan = float("nan")
    return claim_row(claim_id, nan, nan, kind, chapter, measure, measured=False,
                     reason=f"not measured in this profile: {why}")


def eq15_cap_kbits(config) -> float:
    """The most any scheme can carry per frame under Eq. (15): min(N, R) scheduled links at the peak rate
    max r_{m,c} N_p with a zero PER (kbit/frame)."""
    return min(config.n_devices, config.n_rrbs) * config.peak_rate_bits / 1e3


def count_rows(config=None) -> list[dict]:
    """The counts of Sec. VI-E and VI-G (chapters 6 and 9): the centralized agent's joint actions for N = 3 and
    5 (|M||P| = 16 actions per link, the code rate fixed), and ESA's and ESA-FP's search spaces for N = 3
    (:func:`multirat.hardness.search_space_counts`)."""
    from multirat.agents.sadrl import joint_action_count
    from multirat.config import NetworkConfig
    from multirat.hardness import search_space_counts

    cfg = config or NetworkConfig()
    per_link = len(cfg.modulation_orders) * cfg.n_power_levels
    n3 = search_space_counts(3, cfg.n_power_levels, len(cfg.modulation_orders), len(cfg.code_rates))
    nan = float("nan")
    return [
        claim_row("sec6e_sadrl_action_space_k2_n3", joint_action_count(3, per_link), nan, "count", "09_sadrl",
                  f"{per_link}^3 joint actions"),
        claim_row("sec6e_sadrl_action_space_n5", joint_action_count(5, per_link), nan, "count", "09_sadrl",
                  f"{per_link}^5 joint actions"),
        claim_row("sec6g_esa_modulation_combinations_n3", n3["modulation_combinations"], nan, "count",
                  "06_np_hardness", "|M|^3"),
        claim_row("sec6g_esa_coding_combinations_n3", n3["code_rate_combinations"], nan, "count",
                  "06_np_hardness", "|C|^3"),
        claim_row("sec6g_esafp_mc_configurations_n3", n3["mc_configurations"], nan, "count", "06_np_hardness",
                  "(|M||C|)^3"),
        claim_row("sec6g_esa_mpc_evaluations_n3", n3["joint_action_vectors"], nan, "count", "06_np_hardness",
                  "(|P||M||C|)^3 joint vectors"),
    ]


def time_rows(table4, claims) -> list[dict]:
    """Table 4 and Sec. VI-H (chapter 12): our decision time per device and TS (the median of Algorithm 3's
    per-TS stages over the repeats, divided by N; ``table4``: :func:`multirat.experiments.table4.run`'s table)
    against the paper's milliseconds. A claimed N that was not timed (a reduced profile) is not measured."""
    whole = table4[table4.stage == "whole"].set_index("N").median_s
    rows = []
    for cid in [c for c in claims.id if c.startswith(("table4_time_n", "sec6h_time_n"))]:
        n = int(claims.set_index("id").loc[cid, "N"])
        measure = f"median per-TS time / N at N = {n}, one core (ms per device)"
        if n not in whole.index:
            rows.append(_not_measured(cid, "time", "12_runtime", measure,
                                      f"N = {n} was not timed (timed: {', '.join(map(str, sorted(whole.index)))})"))
            continue
        rows.append(claim_row(cid, 1e3 * whole[n] / n, float("nan"), "time", "12_runtime", measure))
    return rows


def fig5_rows(evaluations, curves, claims, config=None) -> list[dict]:
    """The paper's Fig. 5 claims (chapter 8): :func:`multirat.experiments.fig5.claims_table` (a window mean
    around the claim's episode, its t-interval over seeds; the discount factor a selection). A throughput above
    the Eq. (15) cap of the claim's network (:func:`eq15_cap_kbits`) is a value no scheme can reach: not
    reproducible. A claim at an episode past the last evaluated one (a reduced profile) is not measured."""
    from multirat.config import NetworkConfig
    from multirat.experiments.fig5 import CLAIM_WINDOW, claims_table

    cap = eq15_cap_kbits(config or NetworkConfig())
    rows = []
    last = int(evaluations.episode.max())
    fig5 = claims[claims.source.str.startswith("Fig. 5")]
    beyond = fig5.episodes.notna() & (fig5.episodes - CLAIM_WINDOW > last)
    for c in fig5[beyond].itertuples():
        rows.append(_not_measured(c.id, "level", "08_training", f"throughput around episode {int(c.episodes)}",
                                  f"training ends at episode {last}"))
    for r in claims_table(evaluations, curves, claims[~claims.id.isin(fig5[beyond].id)]).itertuples():
        if r.claim == "fig5a_best_discount_factor":
            rows.append(claim_row(r.claim, r.ours, float("nan"), "selection", "08_training", r.measure))
            continue
        above = r.paper > cap
        rows.append(claim_row(r.claim, r.ours, r.ci95, "level", "08_training", r.measure, reproducible=not above,
                              reason=f"above the Eq. (15) cap of {cap:g} kbit/frame (min(N, R) links at the "
                                     "peak rate): no scheme can carry it" if above else ""))
    return rows


def fig7_rows(summary, claims) -> list[dict]:
    """The paper's Fig. 7 claims and the Conclusion's restatements of them (chapter 11), from
    :func:`multirat.experiments.fig7.summary` (the agents trained per size, benchmarks on the same drops):

    * the fraction of the optimum (Fig. 7a, Conclusion): MADRL / ESA-FP at the paper's Fig. 7a sizes (1, 2),
      (2, 3), (3, 5), the mean of the three (the paper gives one number for them), its interval the largest
      of the three, scaled;
    * the gains over MaxP-3GPP-MCS and RA at (6, 70) and (6, 100) (Fig. 7b, Conclusion) at sigma_rt 0.05;
    * the same at a high HWI level (Fig. 7c, Conclusion, Contributions): the paper never states that level, so
      these are not reproducible as stated; ours is at chapter 11's sigma_rt = 0.2.
    """
    import numpy as np

    from multirat.experiments.fig7 import DEFAULT_SIGMA, HIGH_SIGMA

    s = summary.set_index(["K", "N", "sigma_rt"])
    sizes = ", ".join(f"({k}, {n}, {g:g})" for k, n, g in s.index[s.MADRL.notna()])
    small = [(1, 2), (2, 3), (3, 5)]
    frac_measure = "mean over (1, 2), (2, 3), (3, 5) of MADRL / ESA-FP [%]"
    rows = []
    for cid in ("fig7a_fraction_of_esa_optimum", "concl_fraction_of_esafp_optimum"):
        if any((k, n, DEFAULT_SIGMA) not in s.index or not math.isfinite(s.loc[(k, n, DEFAULT_SIGMA), "MADRL"])
               for k, n in small):
            rows.append(_not_measured(cid, "level", "11_benchmarks", frac_measure,
                                      f"MADRL trained at (K, N, sigma_rt) = {sizes} only"))
            continue
        frac = [100 * s.loc[(k, n, DEFAULT_SIGMA), "of_esa_fp"] for k, n in small]
        frac_ci = max(100 * s.loc[(k, n, DEFAULT_SIGMA), "MADRL_ci95"] / s.loc[(k, n, DEFAULT_SIGMA), "ESA-FP"]
                      for k, n in small)
        rows.append(claim_row(cid, float(np.mean(frac)), frac_ci, "level", "11_benchmarks", frac_measure))
    high_reason = (f"the paper never states its high HWI level; ours at sigma_rt = {HIGH_SIGMA:g} (chapter 11), "
                   "and chapter 11 shows the gain over sigma_rt")
    default_ids = ("fig7b_gain_vs_maxp_abs_k6_n70", "fig7b_gain_vs_ra_abs_k6_n70", "fig7b_gain_vs_maxp_pct_k6_n100",
                   "concl_gain_vs_maxp_default_hwi")
    high_ids = ("fig7c_gain_vs_maxp_abs_high_hwi_k6_n70", "fig7c_gain_vs_ra_abs_high_hwi_k6_n70",
                "fig7c_gain_vs_maxp_pct_high_hwi_k6_n100", "concl_gain_vs_maxp_high_hwi",
                "contrib_gain_vs_maxp_high_hwi")
    for sigma, tag, ids in ((DEFAULT_SIGMA, "", default_ids), (HIGH_SIGMA, "high HWI, ", high_ids)):
        for cid in ids:
            n = 70 if "_n70" in cid else 100
            if (6, n, sigma) not in s.index or not math.isfinite(s.loc[(6, n, sigma), "MADRL"]):
                rows.append(_not_measured(cid, "effect", "11_benchmarks", f"{tag}(6, {n}), sigma_rt = {sigma:g}",
                                          f"MADRL trained at (K, N, sigma_rt) = {sizes} only"))
                continue
            r = s.loc[(6, n, sigma)]
            if "_ra_" in cid:
                ours, ci, what = r.gain_vs_ra_kbits, r.MADRL_ci95, "MADRL - RA [kbit/frame]"
            elif "_abs_" in cid:
                ours, ci, what = r.gain_vs_maxp_kbits, r.MADRL_ci95, "MADRL - MaxP-3GPP-MCS [kbit/frame]"
            else:
                ours, ci = r.gain_vs_maxp_pct, 100 * r.MADRL_ci95 / r["MaxP-3GPP-MCS"]
                what = "100 (MADRL / MaxP-3GPP-MCS - 1) [%]"
            rows.append(claim_row(cid, ours, ci, "effect", "11_benchmarks",
                                  f"{tag}(6, {n}), sigma_rt = {sigma:g}: {what}",
                                  reproducible=sigma == DEFAULT_SIGMA, reason="" if sigma == DEFAULT_SIGMA
                                  else high_reason))
    return rows


def fig6_rows(fig6ab_table, fig6c_table, window: int, config=None, profile: str = "paper") -> list[dict]:
    """The paper's Fig. 6 claims and the Conclusion's MADRL-SADRL gap (chapters 9 and 10).

    * Fig. 6b at (K, N) = (2, 5), code rate 1/2: MADRL's final throughput
      (:func:`multirat.experiments.fig6ab.final_summary`); SADRL's only where it was trained (its joint action
      space at N = 5 is too large here, chapter 9: not measured, for our budget, in every profile);
    * the Conclusion's 2.8-10.9 % gap: the smallest and largest of our paired gaps 100 (SADRL - MADRL) / SADRL
      over the sizes where both ran (:func:`multirat.experiments.fig6ab.paired_gaps`), interval scaled;
    * Fig. 6c: scenario 2's final throughput per (phi, Z_k) under Eq. (17) with the paper's replay memory
      (:func:`multirat.experiments.fig6c.final_summary`); above the Eq. (15) cap: not reproducible.
    """
    from multirat.claims import load_claims
    from multirat.config import NetworkConfig
    from multirat.experiments import fig6ab, fig6c

    nan = float("nan")
    paper = load_claims().set_index("id").value
    final = fig6ab.final_summary(fig6ab_table, window).set_index(["agent", "K", "N"])
    rows = []
    for agent in ("SADRL", "MADRL"):
        cid = f"fig6b_throughput_{agent.lower()}_k2_n5"
        if (agent, 2, 5) in final.index:
            r = final.loc[(agent, 2, 5)]
            rows.append(claim_row(cid, r.mean_kbits, r.ci95_kbits, "level", "09_sadrl",
                                  f"{agent}'s final throughput at (2, 5), code rate 1/2"))
        elif agent == "SADRL" and profile == "paper":
            rows.append(claim_row(cid, nan, nan, "level", "09_sadrl", f"{agent} at (2, 5)", measured=False,
                                  reason="not measured: SADRL's 16^5 joint actions at (2, 5) are too many to train "
                                         "here (chapter 9 measures what it would take)"))
        else:
            rows.append(_not_measured(cid, "level", "09_sadrl", f"{agent} at (2, 5)",
                                      f"{agent} was not trained at (2, 5)"))
    gaps = fig6ab.paired_gaps(fig6ab_table, window)
    sizes = ", ".join(f"({k}, {n})" for k, n in zip(gaps.K, gaps.N))
    for cid, pick in (("concl_madrl_sadrl_gap_min", gaps.gap_pct.idxmin()),
                      ("concl_madrl_sadrl_gap_max", gaps.gap_pct.idxmax())):
        g = gaps.loc[pick]
        where = ("; the paper's 2.8 % is its gap at (2, 5), where SADRL is not trained here"
                 if cid.endswith("min") else "")
        rows.append(claim_row(cid, g.gap_pct, 100 * g.ci95_kbits / g.sadrl_kbits, "effect", "09_sadrl",
                              f"100 (SADRL - MADRL) / SADRL at ({int(g.K)}, {int(g.N)}), the {cid[-3:]} over "
                              f"{sizes}{where}"))
    cap = eq15_cap_kbits(config or NetworkConfig())
    s = fig6c.final_summary(fig6c_table, window)
    s = s[(s.scenario == "proposed") & (s.ser_model == "eq17") & (s.replay == "paper")]
    for phi, z_k in ((0.4, 10), (0.4, 50), (0.4, 200), (0.9, 50)):
        cid = f"fig6c_throughput_phi{f'{phi:g}'.replace('.', 'p')}_zk{z_k}"
        r = s[(s.phi == phi) & (s.z_k == z_k)].iloc[0]
        above = float(paper[cid]) > cap
        rows.append(claim_row(cid, r.mean_kbits, r.ci95_kbits, "level", "10_interaction",
                              f"scenario 2's final throughput, phi = {phi:g}, Z_k = {z_k}", reproducible=not above,
                              reason=f"above the Eq. (15) cap of {cap:g} kbit/frame (min(N, R) links at the peak "
                                     "rate): no scheme can carry it" if above else ""))
    return rows


def continual_gains(evaluations, window: int) -> dict:
    """Continual learning's gain over twin-only training in every Fig. 5 condition (chapter 8):
    ``{(phi, sigma_rt): per-seed 100 (scenario 2 / scenario 3 - 1) [%]}`` of the final throughput (each seed's
    mean over its last ``window`` episodes), paired by seed, gamma 0.9."""
    ev = evaluations[evaluations.gamma == 0.9]
    last = ev.groupby("run").episode.transform("max")
    final = (ev[ev.episode >= last - window].groupby(["scenario", "phi", "sigma_rt", "seed"]).throughput_kbits
             .mean().unstack("scenario"))
    return {(float(phi), float(sigma)): 100 * (g["proposed"] / g["dt_only"] - 1).to_numpy(float)
            for (phi, sigma), g in final.groupby(level=["phi", "sigma_rt"])}


def continual_gain_row(evaluations, window: int) -> dict:
    """The Conclusion's "up to 14.4 %" of continual learning over twin-only training (chapter 8): the largest
    mean of :func:`continual_gains` over the Fig. 5 conditions, with its t-interval over seeds (the paper states
    no condition; "up to" reads as the largest)."""
    from multirat.evaluation import t_confidence_interval

    gains = {cond: t_confidence_interval(x) for cond, x in continual_gains(evaluations, window).items()}
    (phi, sigma), (mean, half) = max(gains.items(), key=lambda kv: kv[1][0])
    return claim_row("concl_continual_vs_dt_only_gain_max", mean, half, "effect", "08_training",
                     f"the largest mean paired 100 (scenario 2 / scenario 3 - 1) over Fig. 5's conditions: "
                     f"phi = {phi:g}, sigma_rt = {sigma:g}")


def status_reason(status: str, paper: float, ours: float, kind: str, reason: str = "",
                  ci95: float | None = None) -> str:
    """The one-line reason the ledger gives a status (``reason``: the caller's, for ``not reproducible`` and
    ``not measured``; ``ci95``: our half-width, to flag a reproduced value whose interval holds zero)."""
    if status in ("not reproducible", NOT_MEASURED):
        return reason
    if status == "reproduced":
        inside = "the paper's value is inside our 95 % interval"
        if kind in ("level", "effect") and ci95 is not None and math.isfinite(ci95) and ci95 >= abs(ours):
            inside += ", which also holds zero (unresolved)"
        return {"count": "equal", "selection": "the same choice", "time": f"within a factor {TIME_FACTOR:g}"}.get(
            kind, inside)
    if status == "same direction":
        return f"the paper's sign, but {ours / paper:.2g} times its size (outside our interval)"
    if kind == "count":
        return f"ours is {ours:g}"
    if kind == "selection":
        return f"we select {ours:g}"
    if kind == "time":
        if ours < paper:
            return f"ours is {paper / ours:,.0f} times shorter"
        return f"ours is {ours / paper:.2g} times longer"
    if kind == "effect" and paper * ours <= 0:
        return "the opposite sign (or none)"
    return f"ours is {ours / paper:.2f} times the paper's, outside our interval"


#: Claims of the Conclusion and Contributions that restate a figure's claim (same quantity and network).
SAME_CLAIM = {"concl_gain_vs_maxp_default_hwi": "fig7b_gain_vs_maxp_pct_k6_n100",
              "concl_gain_vs_maxp_high_hwi": "fig7c_gain_vs_maxp_pct_high_hwi_k6_n100",
              "contrib_gain_vs_maxp_high_hwi": "fig7c_gain_vs_maxp_pct_high_hwi_k6_n100",
              "concl_fraction_of_esafp_optimum": "fig7a_fraction_of_esa_optimum"}

#: Every row that restates another's number: :data:`SAME_CLAIM` and Sec. VI-H's two times of Table 4.
RESTATED = {**SAME_CLAIM, "sec6h_time_n20": "table4_time_n20", "sec6h_time_n100": "table4_time_n100"}


def readings_reproducing(profile: str = "paper", mode: str | None = "cache_only") -> dict:
    """``{claim id: [reading label, ...]}``: the readings of chapter 14 (:mod:`multirat.sensitivity`, agents
    retrained there at 500 episodes, or the default's for a CQI-threshold reading) under which a throughput claim
    is reproduced by :func:`claim_status`, the agent of the claim's own scenario only (the default reading is
    the ledger's main column)."""
    from multirat import sensitivity
    from multirat.claims import load_claims
    from multirat.experiments import sensitivity_baselines, sensitivity_training

    bench = sensitivity_baselines.run(profile, mode=mode, progress=False)
    agents = sensitivity_training.final_values(profile, mode=mode)
    values = {v.name: sensitivity_baselines.values(bench, v.name) for v in sensitivity.VARIANTS}
    found = sensitivity.reading_claims(values, agents, sensitivity.CONDITIONS[profile])
    paper = load_claims().set_index("id").value
    label = {v.name: f"{v.axis}: {v.label}" for v in sensitivity.VARIANTS}
    out: dict = {}
    for r in found[(found.variant != "default") & found.own_scenario].itertuples():
        kind = "level" if sensitivity.CLAIMS[r.claim][0] == "level" else "effect"
        if claim_status(paper[r.claim], r.ours, r.ci95, kind) == "reproduced":
            out.setdefault(r.claim, []).append(label[r.variant])
    for alias, claim in SAME_CLAIM.items():
        if claim in out:
            out[alias] = out[claim]
    return out


def ledger_table(profile: str = "paper", mode: str | None = "cache_only"):
    """One row per claim of ``data/paper_claims.csv``, in its order: ``id``, ``source``, ``quantity``,
    ``paper``, ``unit``, ``ours``, ``ci95``, ``ratio`` (ours / paper), ``kind``, ``status``, ``reason``,
    ``chapter``, ``measure`` and ``reproduced under`` (:func:`readings_reproducing`, joined with "; "), from
    the stored results of ``profile`` (``mode``: how the experiments load them,
    :mod:`multirat.results`; stored tables only by default). ``ValueError`` when a claim has no row or a row no
    claim (every claim must be measured or say why not), and in the ``paper`` profile for a claim that is
    :data:`NOT_MEASURED`."""
    import pandas as pd

    from multirat.claims import load_claims
    from multirat.experiments import fig5, fig6ab, fig6c, fig7, fig7_benchmarks, table4

    claims = load_claims()
    window = fig6ab.FINAL_WINDOW[profile]
    evaluations = fig5.run(profile, mode=mode, progress=False)
    f7 = fig7.run(profile, mode=mode, progress=False)         # before table4 and fig7_benchmarks: its models
    rows = [*count_rows(), *time_rows(table4.run(profile, mode=mode, progress=False), claims),
            *fig5_rows(evaluations, fig5.curves(profile, mode=mode, progress=False), claims),
            *fig6_rows(fig6ab.run(profile, mode=mode, progress=False), fig6c.run(profile, mode=mode, progress=False),
                       window, profile=profile),
            continual_gain_row(evaluations, window),
            *fig7_rows(fig7.summary(f7, fig7_benchmarks.run(profile, mode=mode, progress=False), window), claims)]
    ids = [r["id"] for r in rows]
    missing, extra = sorted(set(claims.id) - set(ids)), sorted(set(ids) - set(claims.id))
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if missing or extra or twice:
        raise ValueError(f"ledger rows do not match the claims: missing {missing}, unknown {extra}, twice {twice}")
    unmeasured = [r["id"] for r in rows if not r["measured"] and r["reason"].startswith("not measured in this")]
    if profile == "paper" and unmeasured:
        raise ValueError(f"the paper profile must measure every claim; not measured: {unmeasured}")
    by_id = {r["id"]: r for r in rows}
    out = []
    for c in claims.itertuples():
        r = by_id[c.id]
        status = (claim_status(c.value, r["ours"], r["ci95"], r["kind"], reproducible=r["reproducible"])
                  if r["measured"] else NOT_MEASURED)
        out.append({"id": c.id, "source": c.source, "quantity": c.quantity, "paper": c.value, "unit": c.unit,
                    "ours": r["ours"], "ci95": r["ci95"], "ratio": r["ours"] / c.value, "kind": r["kind"],
                    "status": status,
                    "reason": status_reason(status, c.value, r["ours"], r["kind"], r["reason"], r["ci95"]),
                    "chapter": r["chapter"], "measure": r["measure"]})
    table = pd.DataFrame(out)
    under = readings_reproducing(profile, mode)
    table["reproduced under"] = ["; ".join(under.get(i, [])) for i in table.id]
    return table


def ledger_path(profile: str):
    """``data/results/ledger/<profile>.csv`` (or under ``$MULTIRAT_RESULTS_DIR``)."""
    from multirat import ledger_store

    return ledger_store.ledger_path(profile)


def ledger_command(profile: str) -> str:
    """The shell command that rewrites the stored ledger of ``profile``."""
    from multirat import ledger_store

    return ledger_store.ledger_command(profile)


def write_ledger(profile: str = "paper", mode: str | None = "cache_only"):
    """:func:`ledger_table` of ``profile`` (``mode``: how the experiments' tables are loaded), written to
    :func:`ledger_path` atomically; returns ``(table, path)``. The ledger carries no sidecar: the experiments'
    sidecars are its provenance, and :func:`stored_ledger` checks the file against a fresh table."""
    from multirat import ledger_store

    table = ledger_table(profile, mode)
    return table, ledger_store.write_table(table, ledger_store.ledger_path(profile))


def stored_ledger(profile: str = "paper", mode: str | None = None):
    """:func:`ledger_table` of ``profile``, checked against (and, as ``mode`` allows, written to) its stored file:
    :func:`multirat.ledger_store.checked` says how for each mode (``MissingResultError`` or ``StaleResultError``
    in ``cache_only`` for a missing or different file, naming the command that rewrites it)."""
    from multirat import ledger_store

    return ledger_store.checked(lambda experiments_mode: ledger_table(profile, experiments_mode), profile, mode)
