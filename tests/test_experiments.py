"""experiments/: the registry, the command line, and the committed paper-profile results."""

import pandas as pd
import pytest

from multirat import evaluation, experiments, results
from multirat.config import PROFILES
from multirat.experiments import __main__ as cli
from multirat.experiments import benchmark_table, esa_cost, fig5, fig5_curves

#: The registry in the order ``--all`` runs it (fig5_curves after fig5_evaluations, which stores it).
NAMES = ["benchmark_table", "esa_cost", "fig5_evaluations", "fig5_curves", "fig5_baselines", "fig5_large_replay",
         "twin_mismatch", "fig6c", "twin_mismatch_zk", "twin_mismatch_zk_replay", "fig6ab", "fig6ab_curves", "fig6ab_baselines",
         "fig6ab_factored", "sadrl_cost", "fig8", "fig7", "fig7_benchmarks",
         "table5", "table4", "sensitivity_baselines", "sensitivity_training", "closest_reading"]
USAGE_ERROR = "python -m multirat.experiments: error: "


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv(results.MODE_ENV, raising=False)
    monkeypatch.delenv(results.ROOT_ENV, raising=False)


def test_registry_and_unknown_names():
    assert list(experiments.EXPERIMENTS) == NAMES
    for name in experiments.EXPERIMENTS:
        module = experiments.get_experiment(name)
        assert module.NAME == name and callable(module.run) and callable(module.experiment_config)
        stored_by = {"fig5_curves": "fig5_evaluations", "fig6ab_curves": "fig6ab"}.get(name)
        assert getattr(module, "STORED_BY", None) == stored_by
    with pytest.raises(ValueError, match="experiment='fig99' is unknown.*benchmark_table"):
        experiments.get_experiment("fig99")
    import shlex
    import sys

    assert experiments.recompute_command("benchmark_table", "paper") == \
        f"{shlex.quote(sys.executable)} -m multirat.experiments benchmark_table --profile paper --mode recompute"


def test_benchmark_table_defaults_pinned():
    assert benchmark_table.CASES == ((1, 2), (2, 3), (3, 5))                       # the paper's Fig. 7a cases
    assert benchmark_table.DEFAULT_SEED == 2026
    assert list(benchmark_table.policies()) == ["RA", "MaxP-3GPP-MCS", "ESA", "ESA-FP"]
    key = benchmark_table.experiment_config("smoke")
    assert key["n_drops"] == PROFILES["smoke"].eval_drops and key["network_mode"] == "physical" and key["seed"] == 2026
    assert key["network"].slots_per_episode == PROFILES["smoke"].slots_per_episode
    assert benchmark_table.experiment_config("paper") != key


def test_smoke_run_through_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    out = benchmark_table.run("smoke", seed=5, cases=((1, 2),), mode="recompute")  # stored although not default
    net = benchmark_table.network_config("smoke")
    direct = evaluation.benchmark_table(((1, 2),), benchmark_table.policies(5), net, n_drops=2, seed=5)
    pd.testing.assert_series_equal(out.mean_kbits, direct.mean_kbits, rtol=0, atol=0)
    assert list(out.policy) == list(benchmark_table.SCHEMES)
    assert (tmp_path / "benchmark_table" / "smoke.csv").is_file()
    again = benchmark_table.run("smoke", seed=5, cases=((1, 2),), mode="cache_only")
    pd.testing.assert_frame_equal(out, again)
    # the stored table has cases ((1, 2),) and seed 5, not the defaults: the command line would not help
    with pytest.raises(results.StaleResultError, match=r"seed: 5 -> 6.*mode='recompute' with these arguments"):
        benchmark_table.run("smoke", seed=6, cases=((1, 2),), mode="cache_only")
    default = benchmark_table.run("smoke", mode="recompute")                         # the defaults' table ...
    assert len(default) == 12
    with pytest.raises(results.StaleResultError, match=r"`.* -m multirat.experiments benchmark_table --profile smoke"):
        benchmark_table.run("smoke", seed=5, cases=((1, 2),), mode="cache_only")    # ... is what the CLI restores
    with pytest.warns(results.StaleResultWarning, match="the stored table is kept"):
        benchmark_table.run("smoke", seed=5, cases=((1, 2),))


def test_cli_usage_errors_are_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    for argv in (["fig99"], [], ["benchmark_table", "--profile", "nonsense"], ["benchmark_table", "--mode", "fast"]):
        with pytest.raises(SystemExit) as err:
            cli.main(argv)
        assert err.value.code == 2
    assert "unknown experiment" in capsys.readouterr().err
    monkeypatch.setenv(results.MODE_ENV, "bogus")                                    # the variable is checked too
    with pytest.raises(SystemExit) as err:
        cli.main(["benchmark_table"])
    assert err.value.code == 2 and "MULTIRAT_RESULTS='bogus'" in capsys.readouterr().err


def test_cli_runs_loads_and_reports_result_errors_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    assert cli.main(["benchmark_table", "--profile", "smoke", "--mode", "cache_only"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no stored result for experiment 'benchmark_table', profile 'smoke'")
    assert err.count("\n") == 1 and "--profile smoke --mode recompute" in err
    assert cli.main(["benchmark_table", "--profile", "smoke"]) == 0                 # auto, nothing stored: compute + store
    assert "12 rows computed in" in (out := capsys.readouterr().out) and "and stored in" in out
    assert cli.main(["benchmark_table", "--profile", "smoke"]) == 0
    assert "12 rows loaded from" in capsys.readouterr().out
    monkeypatch.setenv(results.MODE_ENV, "off")                                      # the default mode comes from the env
    assert cli.main(["benchmark_table", "--profile", "smoke"]) == 0
    assert "not stored" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(experiments.EXPERIMENTS))
def test_committed_paper_results_match_the_code(name):
    # what `make book` loads: present, readable and computed for the configuration the code asks for today
    module = experiments.get_experiment(name)
    table = results.load_result(name, "paper", module.experiment_config("paper"),
                                recompute_command=experiments.recompute_command(name, "paper"))
    assert len(table) > 0
    meta = results.read_sidecar(name, "paper")
    assert meta["git"]["commit"] and meta["versions"]["multirat"]


def test_the_seed_reaches_ra_and_the_sidecar(tmp_path, monkeypatch):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    assert benchmark_table.experiment_config("smoke", seed=5)["policies"]["RA"] == "RandomPolicy(seed=5)"
    benchmark_table.run("smoke", seed=5, cases=((1, 2),))         # auto: other arguments are computed, not stored
    assert not (tmp_path / "benchmark_table").exists()
    benchmark_table.run("smoke", seed=5, cases=((1, 2),), mode="recompute")     # unless asked
    assert results.read_sidecar("benchmark_table", "smoke")["seeds"] == [5]


def test_auto_stores_only_the_profiles_default_configuration(tmp_path, monkeypatch):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    # every search runs once and "takes" 0.2 s, longer than the smoke stop time (0.1 s): the decomposed search
    # stops after N = 1 whatever the machine's load (measured, the table's length depended on it)
    monkeypatch.setattr(esa_cost, "_best_time_s", lambda fn, repeat: (fn(), 0.2)[1])
    expected = pd.DataFrame({"N": [1, 1, 2], "search": ["decomposed ESA", "brute force", "brute force"],
                             "seconds": [0.2, 0.2, 0.2], "evaluations": [48, 48, 2 * 48**2]})
    first = esa_cost.run("smoke", seed=7)                            # a one-off seed: computed, not stored
    assert not (tmp_path / "esa_cost").exists()
    default = esa_cost.run("smoke")                                  # the default: stored
    assert results.read_sidecar("esa_cost", "smoke")["seeds"] == [esa_cost.DEFAULT_SEED]
    with pytest.warns(results.StaleResultWarning, match=r"seed: 2026 -> 7.*the stored table is kept"):
        esa_cost.run("smoke", seed=7)                                # again: still not stored over the default
    assert results.read_sidecar("esa_cost", "smoke")["seeds"] == [esa_cost.DEFAULT_SEED]
    pd.testing.assert_frame_equal(first, expected)
    pd.testing.assert_frame_equal(default, expected)
    pd.testing.assert_frame_equal(results.load_result("esa_cost", "smoke", esa_cost.experiment_config("smoke")),
                                  expected)


def test_run_defaults_to_the_paper_profile():
    import inspect

    assert inspect.signature(experiments.run).parameters["profile"].default == "paper"
    assert inspect.signature(benchmark_table.run).parameters["profile"].default == "paper"


def test_cli_forwards_profile_and_mode(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    monkeypatch.delenv(results.MODE_ENV, raising=False)
    calls = []

    def stub(name, profile, **kwargs):
        calls.append((name, profile, kwargs))
        return pd.DataFrame({"a": [1]})

    monkeypatch.setattr(cli, "run", stub)
    assert cli.main(["benchmark_table"]) == 0
    assert cli.main(["benchmark_table", "--profile", "smoke", "--mode", "off"]) == 0
    assert cli.main(["--all", "--profile", "quick", "--mode", "recompute"]) == 0
    assert cli.main(["--all", "--profile", "smoke"]) == 0
    assert cli.main(["fig5_curves", "--profile", "paper", "--mode", "recompute"]) == 0
    # --all recomputes fig5_evaluations, which stores fig5_curves too: fig5_curves is then loaded, not trained again
    assert calls == [("benchmark_table", "paper", {"mode": "auto"}), ("benchmark_table", "smoke", {"mode": "off"}),
                     ("benchmark_table", "quick", {"mode": "recompute"}), ("esa_cost", "quick", {"mode": "recompute"}),
                     ("fig5_evaluations", "quick", {"mode": "recompute"}),
                     ("fig5_curves", "quick", {"mode": "cache_only"}),
                     ("fig5_baselines", "quick", {"mode": "recompute"}),
                     ("fig5_large_replay", "quick", {"mode": "recompute"}),
                     *[(name, "quick", {"mode": "recompute"}) for name in ("twin_mismatch", "fig6c", "twin_mismatch_zk",
                                                                              "twin_mismatch_zk_replay", "fig6ab")],
                     ("fig6ab_curves", "quick", {"mode": "cache_only"}),
                     ("fig6ab_baselines", "quick", {"mode": "recompute"}),
                     ("fig6ab_factored", "quick", {"mode": "recompute"}),
                     ("sadrl_cost", "quick", {"mode": "recompute"}),
                     ("fig8", "quick", {"mode": "recompute"}),
                     ("fig7", "quick", {"mode": "recompute"}),
                     ("fig7_benchmarks", "quick", {"mode": "recompute"}),
                     ("table5", "quick", {"mode": "recompute"}),
                     ("table4", "quick", {"mode": "recompute"}),
                     *[(name, "quick", {"mode": "recompute"}) for name in ("sensitivity_baselines",
                                                                              "sensitivity_training", "closest_reading")],
                     *[(name, "smoke", {"mode": "auto"}) for name in NAMES],
                     ("fig5_curves", "paper", {"mode": "recompute"})]               # alone: recomputed
    out = capsys.readouterr().out
    assert "not stored" in out and "and stored in" in out
    assert "fig5_curves [quick, mode recompute]: 1 rows stored by fig5_evaluations above, loaded from " in out


def test_cli_list_checks_every_stored_table(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    (tmp_path / "benchmark_table").mkdir()
    for folder in ("models/fig5/smoke", "checkpoints/fig5/smoke"):           # the store's other folders ...
        (tmp_path / folder).mkdir(parents=True)
    assert cli.main(["--list"]) == 0                                          # ... are never listed
    assert capsys.readouterr().out == "".join(f"{name}\n  smoke: missing\n  quick: missing\n  paper: missing\n"
                                              for name in NAMES)
    key = benchmark_table.experiment_config("smoke")
    results.save_result(pd.DataFrame({"a": [1]}), "benchmark_table", "smoke", key)
    results.save_result(pd.DataFrame({"a": [1]}), "benchmark_table", "quick", {"x": 1})
    results.save_result(pd.DataFrame({"a": [1]}), "benchmark_table", "paper", benchmark_table.experiment_config("paper"))
    (tmp_path / "benchmark_table" / "paper.json").write_text("{")
    assert cli.main(["--list"]) == 1                                                 # stale or corrupt: exit 1
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("  smoke: ok (created ") and out[2].startswith("  quick: stale: ")
    assert out[3].startswith("  paper: corrupt: ") and "truncated" in out[3]


def test_esa_cost_smoke_table(tmp_path, monkeypatch):
    # measured times: only what holds whatever they are (how far N goes depends on the machine's load)
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    assert esa_cost.BUDGETS == {"smoke": (0.1, 2), "quick": (1.0, 3), "paper": (1.0, 3)} and esa_cost.MAX_N == 12
    t = esa_cost.run("smoke")
    dec, bf = t[t.search == "decomposed ESA"], t[t.search == "brute force"]
    assert list(dec.N) == list(range(1, len(dec) + 1)) and list(bf.N) == [1, 2]
    # timed until the first run longer than 0.1 s (or N = 12): every earlier run is within it
    assert (dec.seconds.iloc[-1] > 0.1 or dec.N.iloc[-1] == 12) and (dec.seconds.iloc[:-1] <= 0.1).all()
    assert list(dec.evaluations) == [n * 4**n * 12 for n in dec.N]                   # N |P|^N |M||C|
    assert list(bf.evaluations) == [48, 2 * 48**2]                                    # N 48^N
    assert (t.seconds > 0).all()
    pd.testing.assert_frame_equal(esa_cost.run("smoke", mode="cache_only"), t)        # stored: the same on every build


def test_esa_cost_stops_after_the_first_search_longer_than_the_stop_time(tmp_path, monkeypatch):
    # scripted times instead of measured ones: the stop rule and the repeats, whatever the machine's load
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    script, repeats = iter([0.01, 0.1, 0.25, 0.5, 0.7]), []

    def best_time_s(fn, repeat):
        repeats.append(repeat)
        return next(script)

    monkeypatch.setattr(esa_cost, "_best_time_s", best_time_s)
    t = esa_cost.run("smoke", mode="off")                     # 0.1 s is not longer than 0.1 s: N = 3 is timed
    expected = pd.DataFrame({"N": [1, 2, 3, 1, 2], "search": ["decomposed ESA"] * 3 + ["brute force"] * 2,
                             "seconds": [0.01, 0.1, 0.25, 0.5, 0.7], "evaluations": [48, 384, 2304, 48, 4608]})
    pd.testing.assert_frame_equal(t, expected)
    assert repeats == [3, 3, 3, 2, 2]                          # best of 3 up to N = 6, of 2 for brute force N <= 2
    repeats.clear()
    monkeypatch.setattr(esa_cost, "_best_time_s", lambda fn, repeat: repeats.append(repeat) or 0.0)
    t = esa_cost.run("smoke", mode="off")                     # never slower than the stop time: up to MAX_N = 12
    assert list(t.N) == [*range(1, 13), 1, 2] and repeats == [3] * 6 + [1] * 6 + [2, 2]
    assert not (tmp_path / "esa_cost").exists()


def test_fig5_curves_is_the_table_fig5_stores(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    key = fig5_curves.experiment_config("smoke")
    assert key == {**fig5.experiment_config("smoke"), "experiment": "fig5_curves"}
    stored = pd.DataFrame({"run": ["a", "a"], "episode": [1, 2], "reward_kbits": [2.5, 3.0]})
    results.save_result(stored, "fig5_curves", "smoke", key)
    # fig5.curves looks the table up under the key the registry reports (else this would be stale)
    pd.testing.assert_frame_equal(fig5_curves.run("smoke", mode="cache_only"), stored)
    pd.testing.assert_frame_equal(experiments.run("fig5_curves", "smoke", mode="cache_only"), stored)
    assert cli.main(["fig5_curves", "--profile", "smoke", "--mode", "cache_only"]) == 0
    assert f"fig5_curves [smoke, mode cache_only]: 2 rows loaded from {tmp_path}" in capsys.readouterr().out
    with pytest.raises(results.MissingResultError, match="'fig5_curves', profile 'quick'.*fig5_evaluations"):
        fig5_curves.run("quick", mode="cache_only")           # recomputed by training fig5_evaluations
    calls = []
    monkeypatch.setattr(fig5, "curves", lambda profile, **kw: calls.append((profile, kw)) or stored)
    fig5_curves.run("quick", mode="off")
    fig5_curves.run("quick", mode="recompute", resume=True)
    assert calls == [("quick", {"mode": "off", "resume": None}), ("quick", {"mode": "recompute", "resume": True})]


def test_fig5_models_and_checkpoints_stay_inside_the_store(tmp_path, monkeypatch):
    from multirat.paths import data_dir

    assert fig5.models_dir("paper") == data_dir() / "models" / "fig5" / "paper"        # the committed models
    assert any(fig5.models_dir("paper").glob("*.pt"))
    assert fig5.checkpoint_dir("paper") == data_dir() / "checkpoints" / "fig5" / "paper"
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path / "results"))
    assert fig5.models_dir("smoke") == tmp_path / "results" / "models" / "fig5" / "smoke"
    assert fig5.checkpoint_dir("smoke") == tmp_path / "results" / "checkpoints" / "fig5" / "smoke"


def test_cli_list_only_the_named_experiments(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    missing = "  smoke: missing\n  quick: missing\n  paper: missing\n"
    for argv in (["--list", "nosuch"], ["--list", "esa_cost", "nosuch"], ["nosuch", "--list"]):
        with pytest.raises(SystemExit) as err:
            cli.main(argv)
        captured = capsys.readouterr()
        assert err.value.code == 2 and captured.out == ""                         # nothing listed
        assert captured.err.splitlines()[-1] == f"{USAGE_ERROR}unknown experiment(s) ['nosuch']: allowed {NAMES}"
    assert cli.main(["--list", "fig5_curves"]) == 0
    assert capsys.readouterr().out == f"fig5_curves\n{missing}"
    assert cli.main(["--list", "esa_cost", "benchmark_table", "esa_cost"]) == 0      # in the order given, once each
    assert capsys.readouterr().out == f"esa_cost\n{missing}benchmark_table\n{missing}"
    assert cli.main(["benchmark_table", "--list"]) == 0                              # a name before --list counts too
    assert capsys.readouterr().out == f"benchmark_table\n{missing}"
    assert cli.main(["--list"]) == 0
    assert [line for line in capsys.readouterr().out.splitlines() if not line.startswith(" ")] == NAMES


def test_cli_checks_the_store_before_anything_runs(tmp_path, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(cli, "run", lambda *args, **kwargs: calls.append(args) or pd.DataFrame({"a": [1]}))
    monkeypatch.setattr(cli, "status", lambda *args: calls.append(args) or "missing")
    store = tmp_path / "store.txt"
    store.write_text("a file\n")
    for value, argv, message in [
        (str(store), ["--list"], "exists but is not a folder: allowed an existing folder"),
        (str(store), ["fig5_evaluations", "--profile", "smoke"], "exists but is not a folder: allowed an existing "
                                                                  "folder, or a new folder inside an existing one"),
        ("", ["--list"], "is empty: allowed the path of a folder"),
        ("", ["benchmark_table", "--mode", "off"], "is empty: allowed the path of a folder"),
        (str(tmp_path / "missing"), ["--list"], "does not exist: listing results and mode 'cache_only' only read"),
        (str(tmp_path / "missing"), ["esa_cost", "--mode", "cache_only"], "does not exist"),
        (str(tmp_path / "a" / "b"), ["esa_cost", "--mode", "recompute"], "does not exist and neither does its parent"),
    ]:
        monkeypatch.setenv(results.ROOT_ENV, value)
        with pytest.raises(SystemExit) as err:
            cli.main(argv)
        captured = capsys.readouterr()
        assert err.value.code == 2 and captured.out == "", argv
        assert captured.err.splitlines()[-1].startswith(f"{USAGE_ERROR}MULTIRAT_RESULTS_DIR={value!r} {message}"), argv
    assert calls == []                                                   # nothing listed or computed ...
    assert sorted(tmp_path.iterdir()) == [store] and store.read_text() == "a file\n"   # ... nor written


def test_cli_auto_creates_a_missing_store(tmp_path, monkeypatch, capsys):
    store = tmp_path / "new"
    monkeypatch.setenv(results.ROOT_ENV, str(store))
    assert cli.main(["benchmark_table", "--profile", "smoke"]) == 0             # auto: computed, stored, created
    assert "12 rows computed in" in (out := capsys.readouterr().out) and f"and stored in {store}" in out
    assert sorted(p.name for p in (store / "benchmark_table").iterdir()) == ["smoke.csv", "smoke.json"]
    assert cli.main(["--list", "benchmark_table"]) == 0                         # now it exists: it can be listed
    assert capsys.readouterr().out.startswith("benchmark_table\n  smoke: ok (created ")


def test_resume_with_cache_only_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as err:
        cli.main(["fig5_evaluations", "--mode", "cache_only", "--resume"])
    assert err.value.code == 2 and "--resume continues training" in capsys.readouterr().err


@pytest.mark.parametrize("damage", ["stale", "corrupt"])
def test_cli_list_exit_status_for_each_problem_alone(tmp_path, monkeypatch, capsys, damage):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    key = benchmark_table.experiment_config("paper")
    results.save_result(pd.DataFrame({"a": [1]}), "benchmark_table", "paper", key if damage == "corrupt" else {"x": 1})
    if damage == "corrupt":
        (tmp_path / "benchmark_table" / "paper.json").write_text("{")
    assert cli.main(["--list", "benchmark_table"]) == 1
    assert f"  paper: {damage}" in capsys.readouterr().out
    results.save_result(pd.DataFrame({"a": [1]}), "benchmark_table", "paper", key)       # repaired: exit 0
    assert cli.main(["--list", "benchmark_table"]) == 0


def test_cli_list_of_one_profile(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    assert cli.main(["--list", "esa_cost", "--profile", "smoke"]) == 0
    assert capsys.readouterr().out == "esa_cost\n  smoke: missing\n"
    assert cli.main(["--list", "esa_cost"]) == 0
    assert capsys.readouterr().out == "esa_cost\n  smoke: missing\n  quick: missing\n  paper: missing\n"
