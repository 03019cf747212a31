"""multirat.sensitivity and chapter 14's experiments: each reading changes what it names, the claims' quantities,
the retrain selection and the distance on hand-made tables, the factorial, and the experiments' tables."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from scipy.special import erfc

from multirat import interference, link, scheduling, sensitivity
from multirat.config import NetworkConfig
from multirat.cqi import sinr_to_cqi
from multirat.env import NetworkEnv
from multirat.sensitivity import (CONDITIONS, VARIANTS, Condition, Variant, claim_distance, claim_values,
                                  factorial_readings, headline_quantities, retrain_selection)


def _env(cfg, seed=3):
    env = NetworkEnv(cfg, mode="physical")
    env.reset(seed=seed)
    return env


def _exact_ser_eq17_ser(cfg):
    # 16-QAM at 12 dB per-symbol SINR: the exact square-QAM SER by hand (two PAM dimensions) against Eq. (17)
    g = 10 ** 1.2
    q = 0.5 * erfc(np.sqrt(3 * g / 15) / np.sqrt(2))
    exact = 1 - (1 - 2 * (1 - 1 / 4) * q) ** 2
    assert cfg.ser_model == "exact"
    assert link.symbol_error_rate_exact(g, 16) == pytest.approx(exact, rel=1e-9)
    assert exact > link.symbol_error_rate(g, 16, 1.0)            # the exact SER is larger than Eq. (17)'s


def _own_power(cfg, basis):
    ap, p = np.array([0, 0, 1]), np.array([1.0, 2.0, 4.0])
    ref = interference.hwi_reference_power_w(ap, p, 2, basis=basis)
    assert cfg.hwi_basis == basis
    expected = {"own": [1.0, 2.0, 4.0], "ap_mean": [1.5, 1.5, 4.0]}[basis]
    np.testing.assert_allclose(ref, expected)                    # by hand: own power / AP total over its links
    np.testing.assert_allclose(interference.hwi_reference_power_w(ap, p, 2), [3.0, 3.0, 4.0])


def _differs(attr):
    def check(cfg):
        small = dataclasses.replace(cfg, n_aps=2, n_devices=6)
        base = dataclasses.replace(NetworkConfig(), n_aps=2, n_devices=6)
        a, b = _env(small), _env(base)
        assert not np.array_equal(getattr(a.state, attr), getattr(b.state, attr))
    return check


def _spread(cfg):
    assert cfg.rrb_placement == "spread"
    metric = np.array([[3.0, 2.0, 1.0]])
    np.testing.assert_array_equal(scheduling.select_and_place(metric, 9, "contiguous"), [[0, 1, 2]])
    np.testing.assert_array_equal(scheduling.select_and_place(metric, 9, cfg.rrb_placement), [[0, 3, 6]])


def _fifty_rrbs(cfg):
    env = _env(dataclasses.replace(cfg, n_aps=6, n_devices=100))
    assert cfg.n_rrbs == 50 and int((env.state.rrb >= 0).sum()) == 50       # half of the 100 links scheduled


def _noise(cfg):
    ratio = _env(cfg).noise_w / _env(NetworkConfig()).noise_w
    assert ratio == pytest.approx(10 ** (-2 / 10), rel=1e-12)                # 2 dB less noise


def _shadowing(cfg):
    assert cfg.shadowing_std_db == 8.0
    _differs("large_scale")(cfg)


def _packet(cfg):
    assert cfg.n_symbols == 100
    ser = 1e-3
    assert link.packet_error_rate(ser, cfg.n_symbols) == pytest.approx(1 - (1 - ser) ** 100, rel=1e-12)
    assert link.packet_error_rate(ser, cfg.n_symbols) < link.packet_error_rate(ser, 1000)


def _vienna(variant):
    sinr = 10 ** (np.arange(-5.0, 25.0, 0.5) / 10)
    assert variant.network == ()                                   # the network is the default's
    assert not np.array_equal(sinr_to_cqi(sinr, variant.thresholds), sinr_to_cqi(sinr, "common"))


CHECKS = {
    "ser_model=exact": _exact_ser_eq17_ser,
    "hwi_basis=own": lambda cfg: _own_power(cfg, "own"),
    "hwi_basis=ap_mean": lambda cfg: _own_power(cfg, "ap_mean"),
    "path_loss_model=random_los": _differs("large_scale"),
    "path_loss_model=linear_average": _differs("large_scale"),
    "rrb_placement=spread": _spread,
    "n_rrbs=50": _fifty_rrbs,
    "shadowing_std_db=8": _shadowing,
    "noise_figure_db=7": _noise,
    "n_symbols=100": _packet,
}


@pytest.mark.parametrize("variant", VARIANTS[1:], ids=[v.name for v in VARIANTS[1:]])
def test_each_reading_changes_what_it_names(variant):
    assert variant.name in CHECKS or variant.thresholds != "common", f"no check for {variant.name}"
    if variant.thresholds != "common":
        _vienna(variant)
    else:
        CHECKS[variant.name](variant.apply(NetworkConfig()))
    assert variant.axis != "default" and variant.why


def test_the_default_reading_changes_nothing_and_names_are_unique():
    assert VARIANTS[0] is sensitivity.DEFAULT and VARIANTS[0].apply(NetworkConfig()) == NetworkConfig()
    assert len({v.name for v in VARIANTS}) == len(VARIANTS)


def test_a_bad_reading_is_refused():
    with pytest.raises(ValueError, match="NetworkConfig field"):
        Variant("x", "y", (("no_such_field", 1),))
    with pytest.raises(ValueError, match="thresholds"):
        Variant("x", "y", thresholds="lte")
    with pytest.raises(ValueError, match="ser_model"):
        Variant("x", "y", (("ser_model", "approx"),)).apply(NetworkConfig())


def test_the_factorial_holds_every_combination_once_the_defaults_first():
    readings = factorial_readings()
    assert len(readings) == 2 * 3 * 3 * 2 and readings[0].network == () and readings[0].name == "default"
    assert len({r.name for r in readings}) == len(readings)
    assert all(r.apply(NetworkConfig()) != NetworkConfig() for r in readings[1:])
    small = factorial_readings({"ser_model": ("eq17", "exact"), "rrb_placement": ("contiguous", "spread")})
    assert [r.name for r in small] == ["default", "rrb_placement=spread", "ser_model=exact",
                                       "ser_model=exact,rrb_placement=spread"]
    assert [r.label for r in small] == ["default", "spread RRBs", "exact SER", "exact SER + spread RRBs"]


C = CONDITIONS["paper"]


def _values(scale=1.0, madrl=1.5):
    """A hand-made table: MaxP 100, genie 200, ESA-FP 250, MADRL 150 everywhere, RA 50; at phi 0.9 the
    genie and MADRL lose 10 %; scenario 1 = 160, scenario 3 = 140 at the Fig. 5 network."""
    out = {}
    for c in C:
        hit = 0.9 if c.phi == 0.9 else 1.0
        out |= {("MaxP-3GPP-MCS", c): 100.0, ("genie MCS at P_max", c): 200.0 * scale * hit, ("ESA-FP", c): 250.0,
                ("MADRL", c): 100 * madrl * hit, ("RA", c): 50.0}
    out |= {("MADRL scenario 1", C[0]): 160.0, ("MADRL scenario 3", C[0]): 140.0}
    return out


def test_headline_quantities_on_a_hand_made_table():
    q = headline_quantities(_values(), C)
    assert q["headroom genie/MaxP, N=100"] == q["headroom genie/MaxP, N=100, high HWI"] == 2.0
    assert q["gain over MaxP [%], N=100"] == pytest.approx(50.0)
    assert q["fraction of ESA-FP [%], N=20"] == q["fraction of ESA-FP [%], N=100"] == pytest.approx(60.0)
    assert q["phi effect [%]"] == pytest.approx(-10.0) and q["genie phi effect [%]"] == pytest.approx(-10.0)
    assert q["scenario 1 - scenario 3 [kbit/frame]"] == pytest.approx(20.0)
    missing = headline_quantities({k: v for k, v in _values().items() if k[0] != "ESA-FP"}, C)
    assert math.isnan(missing["fraction of ESA-FP [%], N=20"]) and missing["phi effect [%]"] == q["phi effect [%]"]


def test_retrain_selection_at_the_threshold_and_beyond():
    ref = headline_quantities(_values(), C)
    at = headline_quantities(_values(scale=1.25), C)                # the headroom moves by exactly 25 % (2 -> 2.5)
    above = headline_quantities(_values(scale=1.2501), C)
    phi = dict(ref, **{"genie phi effect [%]": ref["genie phi effect [%]"] - 25.01})
    near = dict(ref, **{"genie phi effect [%]": ref["genie phi effect [%]"] - 24.99})
    q = {"default": ref, "n_rrbs=50": at, "ser_model=exact": above, "hwi_basis=own": phi,
         "hwi_basis=ap_mean": near, "cqi_thresholds=vienna_awgn": above}
    assert at["headroom genie/MaxP, N=100"] / ref["headroom genie/MaxP, N=100"] - 1 == 0.25
    selected = retrain_selection(q, threshold=0.25)
    assert selected == ["ser_model=exact", "hwi_basis=own"]          # threshold-only: never retrained
    assert retrain_selection(q, threshold=0.26) == []
    assert retrain_selection(q) == ["n_rrbs=50", "ser_model=exact", "hwi_basis=own", "hwi_basis=ap_mean"]
    with pytest.raises(ValueError, match="'default'"):
        retrain_selection({"ser_model=exact": above})


def test_claim_values_on_a_hand_made_table():
    ours = claim_values(_values(), C)
    assert set(ours) == set(sensitivity.CLAIMS)
    assert ours["fig5b_throughput_proposed_300ep"] == 150.0 and ours["fig6c_throughput_phi0p9_zk50"] == 135.0
    assert ours["fig5b_throughput_physical_only_300ep"] == 160.0 and ours["fig5b_throughput_dt_only_300ep"] == 140.0
    assert ours["fig5c_throughput_dt_only_500ep"] == 135.0         # no scenario-3 agent at phi 0.9: the agent's
    assert ours["fig7b_gain_vs_maxp_abs_k6_n70"] == 50.0 and ours["fig7c_gain_vs_ra_abs_high_hwi_k6_n70"] == 100.0
    assert ours["fig7b_gain_vs_maxp_pct_k6_n100"] == pytest.approx(50.0)
    genie = claim_values(_values(), C, agent="genie MCS at P_max")
    assert genie["fig7c_gain_vs_maxp_pct_high_hwi_k6_n100"] == pytest.approx(100.0)
    assert math.isnan(claim_values(_values(), C[:2])["fig7b_gain_vs_maxp_abs_k6_n70"])     # size not measured


def test_claim_distance_on_a_hand_made_pair():
    paper = {"a": 100.0, "b": 50.0, "c": 10.0}
    d, n = claim_distance({"a": 200.0, "b": 25.0}, paper)                 # one 2x over, one 2x under, c missing
    assert (n, d) == (2, pytest.approx(math.log(2)))
    d, n = claim_distance({"a": 100.0, "b": 50.0, "c": -3.0}, paper)       # a loss where the paper has a gain
    assert n == 3 and d == pytest.approx(math.sqrt(math.log(0.01) ** 2 / 3))
    assert claim_distance({"a": float("nan")}, paper) == (pytest.approx(float("nan"), nan_ok=True), 0)
    with pytest.raises(ValueError, match="positive"):
        claim_distance({"a": 1.0}, {"a": 0.0})


def test_the_claims_exist_in_the_paper_claims_table():
    from multirat.claims import load_claims

    ids = set(load_claims().id)
    assert set(sensitivity.CLAIMS) <= ids


# --- the experiments -------------------------------------------------------------------------------------------

def test_a_benchmark_row_is_evaluate_policy_on_the_readings_network(tmp_path, monkeypatch):
    from multirat import baselines
    from multirat.evaluation import evaluate_policy
    from multirat.experiments import sensitivity_baselines as sb

    variant, cond = VARIANTS[1], Condition(1, 2, 0.05)
    net = dataclasses.replace(variant.apply(cond.apply(NetworkConfig())), slots_per_episode=4)
    rows = sb.task_rows(variant, cond, net, True, 2, 11, schemes=("MaxP-3GPP-MCS", "ESA-FP"))
    assert [r["scheme"] for r in rows] == ["MaxP-3GPP-MCS", "ESA-FP"]
    direct = evaluate_policy(baselines.MaxPower3GPP(), net, 2, seed=11, mode="physical")
    assert rows[0]["mean_kbits"] == pytest.approx(direct.per_drop["mean_sum_rate_kbits"].mean(), rel=1e-12)
    assert rows[0]["variant"] == "ser_model=exact" and math.isnan(rows[0]["olla_offset_db"])


def test_the_smoke_tables_agree_where_they_overlap(tmp_path, monkeypatch):
    from multirat import results
    from multirat.experiments import closest_reading, sensitivity_baselines

    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    base = sensitivity_baselines.run("smoke", mode="auto", progress=False, n_workers=1)
    fact = closest_reading.run("smoke", mode="auto", progress=False, n_workers=1)
    assert set(base.variant) == {v.name for v in VARIANTS} and fact.variant.nunique() == 36
    assert set(base.scheme) == set(sensitivity_baselines.SCHEMES)
    olla = base.scheme == "OLLA (settled)"
    assert base[olla].olla_offset_db.notna().all() and base[~olla].olla_offset_db.isna().all()
    keys = ["K", "N", "sigma_rt", "phi", "scheme"]
    both = base[base.variant == "default"].merge(fact[fact.variant == "default"], on=keys, suffixes=("", "_f"))
    assert len(both) > 0 and set(both.scheme) == {"RA", "MaxP-3GPP-MCS", "genie MCS at P_max", "ESA-FP"}
    np.testing.assert_array_equal(both.mean_kbits, both.mean_kbits_f)


def test_the_training_runs_hold_the_reading_or_the_stabilizer_they_name():
    from multirat.experiments import sensitivity_training as st

    specs = st.run_specs("paper")
    assert len(specs) == 5 * (6 * len(st.RETRAINED["paper"]) + len(st.STABILIZERS))
    by_variant = {v.name: v for v in VARIANTS}
    for name, cond, spec in specs:
        if cond["study"] == "reading":
            variant = by_variant[cond["variant"]]
            assert all(getattr(spec.network, k) == v for k, v in variant.network)
            assert spec.training.episodes == st.READING_EPISODES and spec.training.scenario == cond["scenario"]
            assert (spec.network.n_aps, spec.network.n_devices, spec.network.phi) == (cond["K"], cond["N"], cond["phi"])
        else:
            over = st.STABILIZERS[cond["stabilizer"]]
            assert all(getattr(spec.dqn, k) == v for k, v in over.items()) and spec.training.episodes == 2000
            others = {f.name for f in dataclasses.fields(spec.dqn)} - set(over)
            assert all(getattr(spec.dqn, k) == getattr(type(spec.dqn)(), k) for k in others)
        assert name.endswith(f"_seed{spec.seed}")
    with pytest.raises(ValueError, match="variant='nope' is unknown"):
        st._variant("nope")


def test_headline_table_pairs_within_a_seed_and_borrows_the_default_agents_for_a_threshold_reading():
    import pandas as pd
    from multirat.sensitivity import headline_table

    bench = {k: v for k, v in _values().items() if not k[0].startswith("MADRL")}
    rows = []
    for seed, level in ((0, 140.0), (1, 160.0)):
        for c in C:
            rows.append({"variant": "default", "scheme": "MADRL", "K": c.K, "N": c.N, "sigma_rt": c.sigma_rt,
                         "phi": c.phi, "seed": seed, "final_kbits": level * (0.9 if c.phi == 0.9 else 1.0)})
        for scheme, x in (("MADRL scenario 1", level + 10), ("MADRL scenario 3", level - 10 * seed)):
            rows.append({"variant": "default", "scheme": scheme, "K": 4, "N": 20, "sigma_rt": 0.05, "phi": 0.4,
                         "seed": seed, "final_kbits": x})
    agents = pd.DataFrame(rows)
    variants = (VARIANTS[0], VARIANTS[1], VARIANTS[-1])                  # default, ser_model=exact, thresholds
    table = headline_table({v.name: bench for v in variants}, agents, C, variants).set_index(["variant", "quantity"])
    gain = table.loc[("default", "gain over MaxP [%], N=100")]
    t = 12.706204736174696                                             # t_{0.975, 1}
    assert gain.value == pytest.approx(50.0) and gain.ci95 == pytest.approx(t * 10.0, rel=1e-9)
    assert gain.n_seeds == 2
    gap = table.loc[("default", "scenario 1 - scenario 3 [kbit/frame]")]    # 10 and 20: paired per seed
    assert gap.value == pytest.approx(15.0) and gap.ci95 == pytest.approx(t * 5.0, rel=1e-9)
    assert table.loc[("default", "phi effect [%]")].value == pytest.approx(-10.0)
    head = table.loc[("default", "headroom genie/MaxP, N=100")]
    assert head.value == 2.0 and math.isnan(head.ci95) and head.n_seeds == 0      # no seeds in a benchmark ratio
    assert table.loc[(VARIANTS[-1].name, "gain over MaxP [%], N=100")].value == pytest.approx(50.0)
    assert math.isnan(table.loc[("ser_model=exact", "gain over MaxP [%], N=100")].value)    # no agents of its own


def test_the_intro_states_chapter_14s_numbers_from_the_committed_tables():
    # book/intro.md is plain markdown: its chapter-14 numbers are checked here against the committed tables
    from pathlib import Path

    from multirat.claims import load_claims
    from multirat.experiments import closest_reading, sensitivity_baselines, sensitivity_training

    intro = " ".join((Path(__file__).resolve().parents[1] / "book" / "intro.md").read_text().split())
    bullet = intro[intro.index("* **What the claims depend on**"):intro.index("## How to read this book")]
    bench = sensitivity_baselines.run("paper", mode="cache_only")
    agents = sensitivity_training.final_values("paper", mode="cache_only")
    values = {v.name: sensitivity_baselines.values(bench, v.name) for v in VARIANTS}
    h = sensitivity.headline_table(values, agents, C).set_index(["variant", "quantity"]).value
    head = "headroom genie/MaxP, N=100"
    assert (f"carries {h[('default', head)]:.2f} times MaxP-3GPP-MCS under the equations as printed, but "
            f"{h[('ser_model=exact', head)]:.2f} times with the exact QAM SER and "
            f"{h[('hwi_basis=own', head)]:.2f} with per-link HWI") in bullet
    gain = "gain over MaxP [%], N=100"
    retrained = ["default", *sensitivity_training.RETRAINED["paper"]]
    lo, hi = (f(retrained, key=lambda v: h[(v, gain)]) for f in (min, max))
    assert (lo, hi) == ("ser_model=exact", "n_symbols=100")
    assert f"runs from {h[(lo, gain)]:.0f} % (exact SER" in bullet and f"to {h[(hi, gain)]:.0f} % (a 10x" in bullet
    ci = sensitivity.headline_table(values, agents, C).set_index(["variant", "quantity"]).ci95
    assert "only the wide interval of the defaults' agents holds the paper's 46 %" in bullet
    assert [v for v in retrained if abs(h[(v, gain)] - 46) <= ci[(v, gain)]] == ["default"]
    fact = closest_reading.run("paper", mode="cache_only")
    paper = {c: float(load_claims().set_index("id").loc[c, "value"]) for c in sensitivity.CLAIMS}
    dist = {}
    for name, g in fact.groupby("variant"):
        vals = {(r.scheme, Condition(int(r.K), int(r.N), float(r.sigma_rt), float(r.phi))): float(r.mean_kbits)
                for r in g.itertuples()}
        dist[name] = claim_distance(claim_values(vals, C, "genie MCS at P_max"), paper)[0]
    best = min(dist, key=dist.get)
    assert "hwi_basis=" in best
    assert f"RMS log ratio of {dist[best]:.2f}" in bullet and f"against {dist['default']:.2f} for" in bullet
    st = agents[agents.scheme.str.startswith("MADRL ") & (agents.N == 20) & ~agents.scheme.str.contains("scenario")]
    means = st.groupby("scheme").final_kbits.mean()
    fp = values["default"][("ESA-FP", Condition(4, 20, 0.2))]
    assert f"reaches {100 * means['MADRL (no stabilizer)'] / fp:.0f} % of ESA-FP" in bullet
    assert "Retrained under each reading that matters (500 episodes)" in bullet
    assert sensitivity_training.READING_EPISODES == 500
    assert means.idxmax() == "MADRL (no stabilizer)" and len(means) == 5


def test_claim_values_read_each_claim_at_its_own_condition():
    vals = {("MADRL", c): 100.0 + i for i, c in enumerate(C)}            # a different value at every condition
    vals |= {(s, c): x for c in C for s, x in (("MaxP-3GPP-MCS", 50.0), ("RA", 0.0))}
    ours = claim_values(vals, C)
    level = {"fig5b": 100.0, "fig5c": 101.0, "fig5d": 102.0, "fig6c_throughput_phi0p4": 100.0,
             "fig6c_throughput_phi0p9": 101.0}
    for cid, x in ours.items():
        if "_throughput_" in cid:
            assert x == next(v for k, v in level.items() if cid.startswith(k)), cid
    assert ours["fig7b_gain_vs_maxp_abs_k6_n70"] == 54.0 and ours["fig7c_gain_vs_maxp_abs_high_hwi_k6_n70"] == 55.0
    assert ours["fig7b_gain_vs_ra_abs_k6_n70"] == 104.0 and ours["fig7c_gain_vs_ra_abs_high_hwi_k6_n70"] == 105.0
    assert ours["fig7b_gain_vs_maxp_pct_k6_n100"] == pytest.approx(112.0)
    assert ours["fig7c_gain_vs_maxp_pct_high_hwi_k6_n100"] == pytest.approx(114.0)


def test_values_keep_every_condition_of_the_variant_apart():
    import pandas as pd
    from multirat.experiments.sensitivity_baselines import values

    rows = [{"variant": v, "scheme": "genie MCS at P_max", "K": c.K, "N": c.N, "sigma_rt": c.sigma_rt, "phi": c.phi,
             "mean_kbits": float(i) + (100 if v == "other" else 0)} for v in ("default", "other") for i, c in enumerate(C)]
    assert values(pd.DataFrame(rows), "default") == {("genie MCS at P_max", c): float(i) for i, c in enumerate(C)}


def test_reading_episode_is_capped_by_the_profiles_budget():
    from multirat.config import get_profile
    from multirat.experiments import sensitivity_training as st

    assert st.reading_episode("paper") == st.READING_EPISODES == 500
    assert st.reading_episode("smoke") == get_profile("smoke").episodes == 4
    assert st.reading_episode("quick") == get_profile("quick").episodes == 200


def test_the_networks_each_experiment_measures():
    from multirat.experiments import closest_reading, sensitivity_baselines, sensitivity_training

    assert sensitivity_baselines.esa_fp_conditions("paper") == (
        Condition(4, 20, 0.05), Condition(4, 20, 0.1), Condition(4, 20, 0.2), Condition(6, 100, 0.05),
        Condition(6, 100, 0.2))
    assert closest_reading.claim_conditions("paper") == tuple(c for c in C if c != Condition(4, 20, 0.2))
    plan = {(c["variant"], c["scenario"], c["K"], c["N"], c["sigma_rt"], c["phi"])
            for _, c, _ in sensitivity_training.run_specs("paper") if c["study"] == "reading"}
    expected = {(v, s, k, n, sig, phi) for v in sensitivity_training.RETRAINED["paper"]
                for s, k, n, sig, phi in (("proposed", 4, 20, 0.05, 0.4), ("proposed", 4, 20, 0.05, 0.9),
                                          ("physical_only", 4, 20, 0.05, 0.4), ("dt_only", 4, 20, 0.05, 0.4),
                                          ("proposed", 6, 100, 0.05, 0.4), ("proposed", 6, 100, 0.2, 0.4))}
    assert plan == expected


def test_reading_claims_flag_a_scenario_claim_read_from_the_scenario_2_agent():
    import pandas as pd
    from multirat.sensitivity import reading_claims

    bench = {k: v for k, v in _values().items() if not k[0].startswith("MADRL")}
    rows = [{"variant": "default", "scheme": "MADRL", "K": c.K, "N": c.N, "sigma_rt": c.sigma_rt, "phi": c.phi,
             "seed": s, "final_kbits": 100.0 + s} for s in (0, 1) for c in C]
    rows += [{"variant": "default", "scheme": "MADRL scenario 1", "K": 4, "N": 20, "sigma_rt": 0.05, "phi": 0.4,
              "seed": s, "final_kbits": 90.0 + 2 * s} for s in (0, 1)]
    t = reading_claims({"default": bench}, pd.DataFrame(rows), C, [VARIANTS[0]]).set_index("claim")
    assert t.loc["fig5b_throughput_physical_only_300ep"].ours == 91.0 and t.loc["fig5b_throughput_physical_only_300ep"].own_scenario
    assert t.loc["fig5c_throughput_physical_only_500ep"].ours == 100.5                  # the scenario-2 agent ...
    assert not t.loc["fig5c_throughput_physical_only_500ep"].own_scenario               # ... flagged
    assert t.loc["fig5b_throughput_proposed_300ep"].own_scenario and t.loc["fig5b_throughput_proposed_300ep"].n_seeds == 2
