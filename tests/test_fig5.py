"""The Fig. 5 experiments (multirat.experiments.fig5, fig5_baselines, fig5_replay)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from multirat import results
from multirat.claims import load_claims
from multirat.experiments import fig5, fig5_baselines, fig5_replay
from multirat import training
from multirat.training import CheckpointWarning


def test_the_run_matrix_covers_every_panel_once():
    conds = fig5.conditions()
    keys = [(c["scenario"], c["phi"], c["sigma_rt"], c["gamma"]) for c in conds]
    assert len(keys) == len(set(keys)) == 17
    by_panel = {p: [c for c in conds if p in c["panels"].split("+")] for p in ("5a", "5b", "5c", "5d")}
    assert len(by_panel["5a"]) == 3 and {c["gamma"] for c in by_panel["5a"]} == {0.9, 0.8, 0.7}
    assert len(by_panel["5b"]) == len(by_panel["5c"]) == 3
    assert len(by_panel["5d"]) == 12 and {c["sigma_rt"] for c in by_panel["5d"]} == {0.05, 0.1, 0.15, 0.2}
    shared = next(c for c in conds if c["panels"] == "5b+5a+5d")            # the base run serves three panels
    assert (shared["scenario"], shared["phi"], shared["gamma"]) == ("proposed", 0.4, 0.9)


def test_run_specs_follow_the_profile():
    specs = fig5.run_specs("smoke")
    assert len(specs) == 17 and len({n for n, _, _ in specs}) == 17
    name, _, spec = next(s for s in specs if s[1]["scenario"] == "proposed" and s[1]["phi"] == 0.9)
    assert name == "proposed_phi0.9_sigma0.05_gamma0.9_seed0"
    assert spec.training.episodes == 4 and spec.training.z_k == 4 and spec.network.phi == 0.9
    paper = fig5.run_specs("paper")
    assert len(paper) == 85 and {s.seed for _, _, s in paper} == set(range(5))
    assert all(s.training.episodes == 2000 and s.training.z_k == 100 for _, _, s in paper)
    large = fig5_replay.run_specs("paper")
    assert len(large) == 10 and all(s.dqn.replay_size == 100_000 for _, _, s in large)


def test_summary_and_claims_table_on_a_hand_made_case():
    rows = []
    for scenario, base in (("physical_only", 100.0), ("proposed", 90.0), ("dt_only", 80.0)):
        for seed, dx in enumerate((-1.0, 0.0, 1.0)):
            for episode in (300, 500, 2000):
                for phi in (0.4, 0.9):
                    for sigma in (0.05, 0.1):
                        rows.append({"scenario": scenario, "phi": phi, "sigma_rt": sigma, "gamma": 0.9, "seed": seed,
                                     "episode": episode, "throughput_kbits": base + dx + episode / 1000})
    ev = pd.DataFrame(rows)
    curves = pd.DataFrame({"scenario": "proposed", "phi": 0.4, "sigma_rt": 0.05, "gamma": [0.9, 0.8, 0.7],
                           "episode": 2000, "reward_kbits": [5.0, 7.0, 6.0]})
    table = fig5.claims_table(ev, curves, load_claims()).set_index("claim")
    row = table.loc["fig5b_throughput_proposed_300ep"]
    assert row.episode == 300 and row.ours == pytest.approx(90.3) and row.ratio == pytest.approx(90.3 / 118.96)
    assert row.ci95 == pytest.approx(4.302652729749464 * 1.0 / np.sqrt(3))            # t_{0.975, 2} s / sqrt(n)
    assert table.loc["fig5d_throughput_dt_only_sigma0p1"].episode == 2000            # no episode in the claim
    assert table.loc["fig5a_best_discount_factor"].ours == 0.8                        # highest reward
    s = fig5.summary(ev, episode=500)
    assert len(s) == 12 and s.n_seeds.eq(3).all() and s.seed_std_kbits.eq(1.0).all()
    with pytest.raises(ValueError, match="no run"):
        fig5.claims_table(ev[ev.phi == 0.4], curves, load_claims())


def test_smoke_computation_stores_tables_and_models_outside_the_repository(tmp_path, monkeypatch):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path / "results"))
    monkeypatch.setenv(results.MODE_ENV, "auto")            # book/conftest.py sets cache_only for nbval
    ev = fig5.run("smoke", n_workers=1, progress=False)
    assert set(ev.episode) == {0, 2, 4} and len(ev) == 17 * 3
    assert (tmp_path / "results" / "fig5_curves" / "smoke.csv").is_file()
    models_dir = fig5.models_dir("smoke")
    assert models_dir.is_relative_to(tmp_path) and models_dir.parts[-2:] == ("fig5", "smoke")   # not the repository
    assert len(sorted(models_dir.glob("*.pt"))) == 17
    curves = fig5.curves("smoke", mode="cache_only")
    assert len(curves) == 17 * 4 and curves.epsilon.iloc[0] == 0.7
    base = fig5_baselines.run("smoke")
    assert set(base.policy) == {"RA", "MaxP-3GPP-MCS", "ESA-FP"} and len(base) == 3 * 5


def test_every_stored_number_is_what_an_independent_evaluation_gives(tmp_path, monkeypatch):
    """The baselines' rows, the final evaluation of a run and its stored model, and the large-replay runs'
    physical share, each recomputed apart from the experiment code (evaluate_policy, scipy, a hand count)."""
    import dataclasses

    from scipy import stats

    from multirat.agents import load_policy
    from multirat.baselines import MaxPower3GPP, RandomPolicy
    from multirat.config import NetworkConfig, TrainingConfig, get_profile
    from multirat.evaluation import evaluate_policy
    from multirat.training import TEST_DROPS_SEED

    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    monkeypatch.setenv(results.MODE_ENV, "auto")
    prof = get_profile("smoke")
    base = fig5_baselines.run("smoke")
    for phi, sigma in ((0.9, 0.05), (0.4, 0.2)):                       # two conditions: phi and sigma_rt apart
        net = prof.apply(dataclasses.replace(NetworkConfig(), phi=phi, sigma_rt=sigma), TrainingConfig())[0]
        for name, policy in (("RA", RandomPolicy(fig5_baselines.RA_SEED)), ("MaxP-3GPP-MCS", MaxPower3GPP())):
            x = evaluate_policy(policy, net, prof.eval_drops, seed=TEST_DROPS_SEED,
                                mode="physical").per_drop["mean_sum_rate_kbits"].to_numpy()
            row = base[(base.phi == phi) & (base.sigma_rt == sigma) & (base.policy == name)].iloc[0]
            assert row.n_drops == prof.eval_drops == len(x) == 2
            assert row.mean_kbits == pytest.approx(x.mean(), rel=1e-12)
            assert row.se_kbits == pytest.approx(stats.sem(x), rel=1e-12)
            assert row.ci95_halfwidth_kbits == pytest.approx(stats.t.ppf(0.975, 1) * stats.sem(x), rel=1e-9)
    # a run's final evaluation is its stored model on the test drops of its own network
    ev = fig5.run("smoke", n_workers=1, progress=False)
    name, cond, spec = next(r for r in fig5.run_specs("smoke") if r[1]["phi"] == 0.9 and r[1]["scenario"] == "dt_only")
    model = load_policy(fig5.models_dir("smoke") / f"{name}.pt")
    assert model.network_config() == spec.network and model.metadata["scenario"] == "dt_only"
    x = evaluate_policy(model, spec.network, prof.eval_drops, seed=TEST_DROPS_SEED,
                        mode="physical").per_drop["mean_sum_rate_kbits"].to_numpy()
    last = ev[(ev.run == name) & (ev.episode == ev.episode.max())].iloc[0]
    assert last.throughput_kbits == pytest.approx(x.mean(), rel=1e-12) and last.se_kbits == pytest.approx(
        stats.sem(x), rel=1e-12)
    # the large-replay runs hold every experience: the physical episode 4 of 4 adds a quarter of them, so the
    # share after episodes 1-4 is 0, 0, 0, 1/4 and its mean 1/16
    large = fig5_replay.run("smoke", progress=False)
    assert set(large.replay_size) == {fig5_replay.REPLAY_SIZE} and set(large.scenario) == {"proposed"}
    np.testing.assert_allclose(large.mean_replay_physical_share, 1 / 16, rtol=1e-12)
    assert sorted(large.phi.unique()) == [0.4, 0.9] and set(large.episode) == {0, 2, 4}


def _count_episodes(monkeypatch):
    """Count the training episodes played in this process (one batch: ``n_workers=1``)."""
    from multirat.training import Trainer

    played = []
    real = Trainer.run_episode
    monkeypatch.setattr(Trainer, "run_episode", lambda self: played.append(self.episode + 1) or real(self))
    monkeypatch.setattr(fig5.os, "cpu_count", lambda: 1)               # the CLI's default: one worker process
    return played


def test_recompute_trains_afresh_unless_told_to_resume(tmp_path, monkeypatch):
    """A recomputation never reuses finished training silently: ``mode="recompute"`` (and the command line's
    ``--mode recompute``) start afresh, ``resume=True`` / ``--resume`` continue from the checkpoints."""
    from multirat.experiments import __main__ as cli

    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    played = _count_episodes(monkeypatch)
    first = fig5.run("smoke", mode="recompute", progress=False)
    assert played == [1, 2, 3, 4]                                    # one batch of 17 runs, 4 episodes
    with pytest.warns(CheckpointWarning, match=r"batch0of1\.pt \(at episode 4 of 4\) discarded, training afresh"):
        again = fig5.run("smoke", mode="recompute", progress=False)
    assert played == [1, 2, 3, 4] * 2 and again.equals(first)        # trained again, to the same table
    fig5.run("smoke", mode="recompute", progress=False, resume=True)
    assert played == [1, 2, 3, 4] * 2                                # the finished checkpoint: nothing to train
    assert cli.main(["fig5_evaluations", "--profile", "smoke", "--mode", "recompute", "--resume"]) == 0
    assert played == [1, 2, 3, 4] * 2
    with pytest.warns(CheckpointWarning, match="discarded"):
        assert cli.main(["fig5_evaluations", "--profile", "smoke", "--mode", "recompute"]) == 0
    assert played == [1, 2, 3, 4] * 3
    assert fig5.run("smoke", progress=False, mode="auto").equals(first) and len(played) == 12   # auto: loaded
    with pytest.raises(TypeError, match="resume"):
        fig5.run("smoke", mode="recompute", resume="yes")


def test_curves_off_stores_nothing_and_auto_never_replaces_another_configurations_curves(tmp_path, monkeypatch):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    played = _count_episodes(monkeypatch)
    cur = fig5.curves("smoke", mode="off", progress=False)
    assert len(cur) == 17 * 4 and played == [1, 2, 3, 4]
    assert not (tmp_path / fig5.CURVES).exists() and not (tmp_path / fig5.NAME).exists()     # no table stored
    # a stored pair of another configuration: auto computes this one, warns, and replaces neither table
    other = dict(fig5.experiment_config("smoke"), eval_every=3)
    results.save_result(pd.DataFrame({"x": [1]}), fig5.NAME, "smoke", other)
    results.save_result(pd.DataFrame({"y": [2]}), fig5.CURVES, "smoke", dict(other, experiment=fig5.CURVES))
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.csv")}
    for compute in (fig5.run, fig5.curves):                           # either table asked for in auto mode
        with pytest.warns(UserWarning, match="another configuration|differ"):
            compute("smoke", mode="auto", progress=False)
        assert {p: p.read_bytes() for p in tmp_path.rglob("*.csv")} == before
    # ... and the models stay those of no stored table: none written in "off" or over a stale table
    assert not fig5.models_dir("smoke").exists()


def test_models_are_written_with_the_table_and_a_stale_checkpoint_is_retrained_in_auto_mode(tmp_path, monkeypatch):
    import torch

    from multirat.agents import load_policy

    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    played = _count_episodes(monkeypatch)
    fig5.run("smoke", mode="auto", progress=False)                      # nothing stored: table and models stored
    models = sorted(fig5.models_dir("smoke").glob("*.pt"))
    assert len(models) == 17 and (tmp_path / fig5.NAME / "smoke.csv").is_file()
    def weights():
        return {p: [w.clone() for w in load_policy(p).network.run_state(0)["weights"]] for p in models}

    stamps = weights()
    # the training code changed since the (finished) checkpoint was written: auto mode says so and retrains
    for p in (tmp_path / fig5.NAME).glob("smoke.*"):
        p.unlink()
    monkeypatch.setattr(training, "code_fingerprint", lambda: "f" * 64)
    with pytest.warns(CheckpointWarning, match="cannot be resumed: .*other training code"):
        fig5.run("smoke", mode="auto", progress=False)
    assert played == [1, 2, 3, 4] * 2
    after = weights()                                                   # same code path, same models
    assert all(all(torch.equal(a, b) for a, b in zip(stamps[p], after[p])) for p in models)
    # --resume insists: the command line's one-line error, exit status 1
    from multirat.experiments import __main__ as cli

    monkeypatch.setattr(training, "code_fingerprint", lambda: "e" * 64)
    assert cli.main(["fig5_evaluations", "--profile", "smoke", "--mode", "recompute", "--resume"]) == 1


def test_checkpoints_of_another_worker_count_are_named(tmp_path, monkeypatch):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    folder = fig5.checkpoint_dir("smoke")
    folder.mkdir(parents=True)
    (folder / "batch0of2.pt").write_bytes(b"x")
    with pytest.warns(UserWarning, match=r"another number of worker processes \(batch0of2\.pt\).*n_workers"):
        fig5.run("smoke", mode="off", n_workers=1, progress=False)


# --- the training curves as block means ------------------------------------------------------------

def _per_episode_curves():
    """Two runs, 7 and 8 episodes: with blocks of 3, run a ends in a partial block of 1 episode, run b of 2."""
    nan = np.nan
    a = pd.DataFrame({"run": "a", "episode": range(1, 8),
                      "reward_kbits": [1, 2, 6, 4, 4, 10, 7], "loss": [nan, nan, 3, 4, 8, 6, 10],
                      "epsilon": [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3],
                      "learning_rate": [9e-3, 8e-3, 7e-3, 6e-3, 5e-3, 4e-3, 3e-3],
                      "physical": [False, False, True, False, False, True, False],
                      "replay_physical_share": [0.0, 0.0, 0.3, 0.2, 0.1, 0.3, 0.25]})
    b = pd.DataFrame({"run": "b", "episode": range(1, 9),
                      "reward_kbits": [3, 3, 3, 1, 2, 3, 5, 9], "loss": [nan, nan, nan, 1, 1, 4, 2, 4],
                      "epsilon": [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6],
                      "learning_rate": [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3],
                      "physical": [False, False, False, False, False, True, True, False],
                      "replay_physical_share": [0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.4, 0.2]})
    both = pd.concat([a, b], ignore_index=True).assign(grad_steps=-1)       # a column the function ignores
    return both.iloc[np.random.default_rng(0).permutation(len(both))]      # the input order must not matter


def test_curve_block_means_on_a_hand_made_case_with_partial_blocks():
    out = fig5.curve_block_means(_per_episode_curves(), 3)
    assert list(out.columns) == ["run", "episode", "reward_kbits", "loss", "epsilon", "learning_rate",
                                 "physical_episodes", "replay_physical_share", "replay_physical_share_max"]
    expected = pd.DataFrame({
        "run": ["a", "a", "a", "b", "b", "b"],
        "episode": [3, 6, 7, 3, 6, 8],                          # the block's last episode: 7 and 8, not 9
        "reward_kbits": [3.0, 6.0, 7.0, 3.0, 2.0, 7.0],         # (1+2+6)/3, (4+4+10)/3, 7 | 3, (1+2+3)/3, (5+9)/2
        "loss": [3.0, 6.0, 10.0, np.nan, 2.0, 3.0],             # NaN skipped; a block of NaN only stays NaN
        "epsilon": [0.7, 0.4, 0.3, 0.85, 0.7, 0.6],             # the last of the block (the first: 0.9, 0.6, ...)
        "learning_rate": [7e-3, 4e-3, 3e-3, 0.8, 0.5, 0.3],
        "physical_episodes": [1, 1, 0, 0, 1, 1],
        "replay_physical_share": [0.1, 0.2, 0.25, 0.0, 0.5 / 3, 0.3],
        "replay_physical_share_max": [0.3, 0.3, 0.25, 0.0, 0.5, 0.4]})
    pd.testing.assert_frame_equal(out, expected, check_dtype=False)
    assert out.physical_episodes.dtype.kind == "i" and out.episode.dtype.kind == "i"


def test_curve_block_means_boundaries_and_errors():
    curves = _per_episode_curves()
    one = fig5.curve_block_means(curves, 1)                                 # smoke profile: every episode a block
    assert len(one) == 15 and (one.replay_physical_share == one.replay_physical_share_max).all()
    whole = fig5.curve_block_means(curves, 8).set_index("run")              # one block per run
    assert whole.loc["a", "episode"] == 7 and whole.loc["b", "episode"] == 8
    assert whole.loc["a", "epsilon"] == 0.3 and whole.loc["b", "physical_episodes"] == 2
    assert whole.loc["a", "reward_kbits"] == pytest.approx(34 / 7)
    for block, err in ((0, ValueError), (2.5, ValueError), (True, TypeError), ("3", TypeError)):
        with pytest.raises(err, match="block"):
            fig5.curve_block_means(curves, block)
    with pytest.raises(ValueError, match=r"lacks the columns \['physical'\]"):
        fig5.curve_block_means(curves.drop(columns="physical"), 3)
    with pytest.raises(ValueError, match="integers >= 1"):
        fig5.curve_block_means(curves.assign(episode=curves.episode - 1), 3)
    with pytest.raises(ValueError, match="more than once"):
        fig5.curve_block_means(pd.concat([curves, curves.iloc[:1]]), 3)


# --- summary and claims_table on data holding rows they must drop ----------------------------------

T975_4, T975_3 = 2.776445, 3.182446                 # t_{0.975, n-1} for n = 5 and 4 seeds, from a t table


def _evaluations_with_rows_to_drop():
    """Scenario 2 at phi 0.4, sigma 0.05, gamma 0.9 (the claims' runs) beside runs every filter must drop."""
    def cond(scenario, phi, sigma, gamma, episode, values):
        return [{"scenario": scenario, "phi": phi, "sigma_rt": sigma, "gamma": gamma, "seed": seed,
                 "episode": episode, "throughput_kbits": float(v)} for seed, v in enumerate(values)]

    rows = (cond("proposed", 0.4, 0.05, 0.9, 300, [10, 12, 30, 31, 100])
            + cond("proposed", 0.4, 0.05, 0.9, 2000, [40, 45, 46, 44, 20])        # seed 4 collapsed
            + cond("proposed", 0.4, 0.05, 0.8, 300, [1000] * 5)                   # another discount factor
            + cond("proposed", 0.4, 0.05, 0.8, 2000, [1000] * 5)
            + cond("proposed", 0.9, 0.05, 0.9, 2000, [5, 6, 100])                 # another phi, 3 seeds
            + cond("proposed", 0.4, 0.1, 0.9, 2000, [700] * 5)                    # another sigma_rt
            + cond("dt_only", 0.4, 0.1, 0.9, 2000, [1, 2, 3, 10])                 # seeds 0-3 only
            + cond("physical_only", 0.4, 0.1, 0.9, 2000, [300] * 5))              # another scenario
    return pd.DataFrame(rows).sample(frac=1.0, random_state=1)


def test_summary_picks_its_episode_and_gives_iqm_and_every_seed():
    ev = _evaluations_with_rows_to_drop()
    last = fig5.summary(ev)                                                  # default: the last episode, 2000
    assert list(last.columns[-6:]) == ["iqm_kbits", "seed0_kbits", "seed1_kbits", "seed2_kbits", "seed3_kbits",
                                       "seed4_kbits"]
    assert list(zip(last.scenario, last.phi, last.sigma_rt, last.gamma)) == [
        ("dt_only", 0.4, 0.1, 0.9), ("physical_only", 0.4, 0.1, 0.9), ("proposed", 0.4, 0.05, 0.8),
        ("proposed", 0.4, 0.05, 0.9), ("proposed", 0.4, 0.1, 0.9), ("proposed", 0.9, 0.05, 0.9)]
    assert last.episode.eq(2000).all() and list(last.n_seeds) == [4, 5, 5, 5, 5, 3]
    s2 = last.iloc[3]                                                        # values 40, 45, 46, 44, 20
    assert s2.mean_kbits == pytest.approx(39.0) and s2.iqm_kbits == pytest.approx((40 + 44 + 45) / 3)
    assert s2.seed_std_kbits == pytest.approx(np.sqrt(472 / 4))             # squared deviations 1+36+49+25+361
    assert s2.ci95_kbits == pytest.approx(T975_4 * np.sqrt(472 / 4) / np.sqrt(5), rel=1e-6)
    assert [s2[f"seed{k}_kbits"] for k in range(5)] == [40, 45, 46, 44, 20]  # in seed order
    s3 = last.iloc[0]                                                        # n = 4: the middle 2 of 1, 2, 3, 10
    assert s3.iqm_kbits == pytest.approx(2.5) and s3.mean_kbits == pytest.approx(4.0)
    assert np.isnan(s3.seed4_kbits) and s3.seed3_kbits == 10
    n3 = last.iloc[5]                                                        # n = 3: nothing trimmed
    assert n3.iqm_kbits == pytest.approx(37.0) == n3.mean_kbits and np.isnan(n3.seed3_kbits)
    early = fig5.summary(ev, episode=300)
    assert len(early) == 2 and early.episode.eq(300).all() and list(early.gamma) == [0.8, 0.9]
    assert early.iloc[1].mean_kbits == pytest.approx(36.6) and early.iloc[1].iqm_kbits == pytest.approx(73 / 3)
    with pytest.raises(ValueError, match="no evaluation at episode 500"):
        fig5.summary(ev, episode=500)
    twice = ev[ev.seed == 0].iloc[:1].assign(episode=2000, scenario="physical_only", phi=0.4, sigma_rt=0.1, gamma=0.9)
    with pytest.raises(ValueError, match="physical_only, phi 0.4, sigma_rt 0.1, gamma 0.9 has seed 0 more than once"):
        fig5.summary(pd.concat([ev, twice]))
    one = fig5.summary(ev[ev.seed == 0])
    assert one.n_seeds.eq(1).all() and one.ci95_kbits.isna().all() and (one.iqm_kbits == one.mean_kbits).all()
    assert [c for c in one.columns if c.startswith("seed") and c != "seed_std_kbits"] == ["seed0_kbits"]


def _claims():
    def claim(id_, source, scheme, phi, sigma, episodes, value, unit="kbits/frame"):
        return {"id": id_, "source": source, "scheme": scheme, "phi": phi, "sigma_rt": sigma,
                "episodes": episodes, "value": value, "unit": unit}

    return pd.DataFrame([
        claim("table4_esa", "Table 4", "ESA-FP", 0.4, 0.05, np.nan, 1.0),               # not Fig. 5: dropped
        claim("s2_300", "Fig. 5b", "Scenario 2 proposed", 0.4, 0.05, 300, 50.0),
        claim("concl", "Conclusion", "Scenario 2 proposed vs Scenario 3 DT-only", np.nan, np.nan, np.nan, 14.4, "%"),
        claim("s2_last", "Fig. 5d", "Scenario 2 proposed", 0.4, 0.05, np.nan, 40.0),   # no episode: the last
        claim("s3_sigma", "Fig. 5d", "Scenario 3 DT-only", 0.4, 0.1, np.nan, 2.0),
        claim("fig5a_best_discount_factor", "Fig. 5a", "DQN agent (proposed)", 0.4, 0.05, np.nan, 0.9,
              "dimensionless")])


def test_claims_table_drops_every_row_it_must():
    ev = _evaluations_with_rows_to_drop()
    curves = pd.DataFrame([
        # the late proposed runs at phi 0.4, sigma 0.05 (episode > 0.9 * 2000): gamma 0.8 has the highest reward
        *({"scenario": "proposed", "phi": 0.4, "sigma_rt": 0.05, "gamma": g, "episode": e, "reward_kbits": r}
          for g, rewards in ((0.9, (5, 5)), (0.8, (7, 8)), (0.7, (6, 6))) for e, r in zip((1900, 2000), rewards)),
        {"scenario": "proposed", "phi": 0.4, "sigma_rt": 0.05, "gamma": 0.7, "episode": 1800, "reward_kbits": 99},
        {"scenario": "physical_only", "phi": 0.4, "sigma_rt": 0.05, "gamma": 0.9, "episode": 2000, "reward_kbits": 99},
        {"scenario": "proposed", "phi": 0.9, "sigma_rt": 0.05, "gamma": 0.7, "episode": 2000, "reward_kbits": 99},
        {"scenario": "proposed", "phi": 0.4, "sigma_rt": 0.1, "gamma": 0.9, "episode": 2000, "reward_kbits": 99}])
    table = fig5.claims_table(ev, curves, _claims())
    assert list(table.claim) == ["s2_300", "s2_last", "s3_sigma", "fig5a_best_discount_factor"]
    t = table.set_index("claim")
    at300 = t.loc["s2_300"]                                                  # 10, 12, 30, 31, 100 at episode 300
    assert (at300.scenario, at300.episode, at300.figure) == ("proposed", 300, "Fig. 5b")
    assert at300.ours == pytest.approx(36.6) and at300.ratio == pytest.approx(36.6 / 50)
    assert at300.ci95 == pytest.approx(T975_4 * np.sqrt(5407.2 / 4 / 5), rel=1e-6)   # squared deviations sum 5407.2
    last = t.loc["s2_last"]                                                  # 40, 45, 46, 44, 20 at episode 2000
    assert last.episode == 2000 and last.ours == pytest.approx(39.0) and last.ratio == pytest.approx(39 / 40)
    assert last.ci95 == pytest.approx(T975_4 * np.sqrt(472 / 4 / 5), rel=1e-6)
    s3 = t.loc["s3_sigma"]                                                   # 1, 2, 3, 10: four seeds
    assert (s3.scenario, s3.episode) == ("dt_only", 2000) and s3.ours == pytest.approx(4.0)
    assert s3.ci95 == pytest.approx(T975_3 * np.sqrt(50 / 3) / 2, rel=1e-6)
    gamma = t.loc["fig5a_best_discount_factor"]
    assert gamma.ours == 0.8 and np.isnan(gamma.ratio) and np.isnan(gamma.ci95)      # a selection: no ratio
    assert gamma.measure.startswith("selected gamma = 0.8 ") and gamma.episodes == "1801-2000"
    assert gamma.episode == 2000 and gamma.unit == "dimensionless"
    assert last.episodes == "2000" and last.measure == "mean over seeds of the last evaluation"


def test_claims_table_averages_each_seed_over_a_window_around_the_claims_episode():
    """Evaluations every 50 episodes; the +-50 window around 300 holds 250, 300, 350 and nothing else."""
    def cond(episode, values, scenario="proposed", phi=0.4):
        return [{"scenario": scenario, "phi": phi, "sigma_rt": 0.05, "gamma": 0.9, "seed": seed, "episode": episode,
                 "throughput_kbits": float(v)} for seed, v in enumerate(values)]

    ev = pd.DataFrame(cond(200, [900, 900, 900]) + cond(249, [800, 800, 800])          # outside: dropped
                      + cond(250, [10, 20, 30]) + cond(300, [40, 50, 60]) + cond(350, [70, 80, 90])
                      + cond(351, [700, 700, 700]) + cond(400, [600, 600, 600])          # outside: dropped
                      + cond(300, [1000, 1000, 1000], phi=0.9)                            # another phi
                      + cond(300, [1000, 1000, 1000], scenario="dt_only")                 # another scenario
                      + cond(2000, [1, 2, 3]))
    ev = ev[~((ev.seed == 2) & (ev.episode == 350))]               # seed 2 lacks episode 350: its mean is of two
    claims = _claims()[lambda c: c.id == "s2_300"]
    row = fig5.claims_table(ev, pd.DataFrame(), claims).iloc[0]
    per_seed = np.array([(10 + 40 + 70) / 3, (20 + 50 + 80) / 3, (30 + 60) / 2])        # 40, 50, 45
    assert row.ours == pytest.approx(45.0) and row.ratio == pytest.approx(45.0 / 50.0)
    assert row.ci95 == pytest.approx(4.302652729749464 * per_seed.std(ddof=1) / np.sqrt(3), rel=1e-6)
    assert (row.episode, row.episodes) == (300, "250-350")
    assert row.measure.startswith("mean of each seed's 2-3 evaluation(s) within +-50 episodes of 300")
    single = fig5.claims_table(ev, pd.DataFrame(), claims, window=0).iloc[0]           # the evaluation at 300 alone
    assert single.ours == pytest.approx(50.0) and single.episodes == "300"
    wide = fig5.claims_table(ev, pd.DataFrame(), claims, window=100).iloc[0]            # 200 ... 400
    assert wide.episodes == "200-400"
    assert wide.ours == pytest.approx(np.mean([(900 + 800 + 10 + 40 + 70 + 700 + 600) / 7,
                                               (900 + 800 + 20 + 50 + 80 + 700 + 600) / 7,
                                               (900 + 800 + 30 + 60 + 700 + 600) / 6]))
    with pytest.raises(ValueError, match="no evaluation within 10 episodes of episode 300"):
        fig5.claims_table(ev[ev.episode != 300], pd.DataFrame(), claims, window=10)
    short = fig5.claims_table(ev[ev.episode <= 200], pd.DataFrame(), claims, window=50).iloc[0]   # runs end at 200
    assert short.episodes == "200" and short.measure.endswith("(the runs end before the paper's episode 300)")
    assert short.ours == pytest.approx(np.mean(ev[ev.episode == 200].groupby("seed").throughput_kbits.mean()))
    with pytest.raises(ValueError, match="window must be an integer >= 0"):
        fig5.claims_table(ev, pd.DataFrame(), claims, window=-1)
    with pytest.raises(ValueError, match="same evaluation episode twice"):
        fig5.claims_table(pd.concat([ev, ev[ev.episode == 300].iloc[:1]]), pd.DataFrame(), claims)


def test_auto_never_replaces_a_matching_table_while_computing_its_missing_companion(tmp_path, monkeypatch):
    """fig5_evaluations stored for this very configuration, fig5_curves missing: computing the curves in auto
    mode stores them and leaves the stored evaluations (and the absent models) alone."""
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    key = fig5.experiment_config("smoke")
    results.save_result(pd.DataFrame({"placeholder": [1.0]}), fig5.NAME, "smoke", key)
    assert fig5.stores(fig5.NAME, "smoke", key, "auto") is False
    assert fig5.stores(fig5.CURVES, "smoke", dict(key, experiment=fig5.CURVES), "auto") is True
    assert fig5.stores(fig5.NAME, "smoke", key, "recompute") is True and not fig5.stores(fig5.NAME, "smoke", key, "off")
    stored = {p: p.read_bytes() for p in (tmp_path / fig5.NAME).iterdir()}
    cur = fig5.curves("smoke", mode="auto", n_workers=1, progress=False)
    assert len(cur) == 17 * 4 and (tmp_path / fig5.CURVES / "smoke.csv").is_file()
    assert {p: p.read_bytes() for p in (tmp_path / fig5.NAME).iterdir()} == stored
    assert not fig5.models_dir("smoke").exists()


def test_retraining_a_run_in_a_fresh_process_with_chosen_kernels(tmp_path, monkeypatch):
    from multirat.experiments import fig5 as f5

    from multirat.reproducibility import PORTABLE_KERNELS, retrain_first_evaluation

    with pytest.raises(ValueError, match=r"name='nope' is not a run of multirat.experiments.fig5 \('smoke'"):
        retrain_first_evaluation("multirat.experiments.fig5", "nope", "smoke")
    import dataclasses
    import sys

    from multirat.training import Trainer

    name, _, spec = f5.run_specs("smoke")[0]
    monkeypatch.setenv("MULTIRAT_RESULTS_DIR", str(tmp_path))
    child = retrain_first_evaluation("multirat.experiments.fig5", name, "smoke")   # pinned kernels, as here
    first = f5.EVAL_EVERY["smoke"]
    short = dataclasses.replace(spec, training=dataclasses.replace(spec.training, episodes=first))
    ev = Trainer([short], eval_every=first).train(progress=False).evaluations
    assert child == float(ev[ev.episode == first].throughput_kbits.iloc[0]) and child > 0
    monkeypatch.setattr(sys, "executable", "/bin/false")                 # a child that fails
    with pytest.raises(RuntimeError, match="kernels default/COMPATIBLE failed"):
        retrain_first_evaluation("multirat.experiments.fig5", name, "smoke", kernels=PORTABLE_KERNELS)
