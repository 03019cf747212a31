"""experiments/: the registry, the command line, and the committed paper-profile results."""

import pandas as pd
import pytest

from multirat import evaluation, experiments, results
from multirat.config import PROFILES
from multirat.experiments import __main__ as cli
from multirat.experiments import benchmark_table, esa_cost


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv(results.MODE_ENV, raising=False)
    monkeypatch.delenv(results.ROOT_ENV, raising=False)


def test_registry_and_unknown_names():
    assert set(experiments.EXPERIMENTS) == {"benchmark_table", "esa_cost", "fig5_evaluations", "fig5_baselines",
                                            "fig5_large_replay"}
    for name in experiments.EXPERIMENTS:
        module = experiments.get_experiment(name)
        assert module.NAME == name and callable(module.run) and callable(module.experiment_config)
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
    first = esa_cost.run("smoke", seed=7)                            # a one-off seed: computed, not stored
    assert not (tmp_path / "esa_cost").exists()
    default = esa_cost.run("smoke")                                  # the default: stored
    assert results.read_sidecar("esa_cost", "smoke")["seeds"] == [esa_cost.DEFAULT_SEED]
    assert len(first) == len(default)


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
    assert calls == [("benchmark_table", "paper", {"mode": "auto"}), ("benchmark_table", "smoke", {"mode": "off"}),
                     *[(name, "quick", {"mode": "recompute"}) for name in experiments.EXPERIMENTS]]
    out = capsys.readouterr().out
    assert "not stored" in out and "and stored in" in out


def test_cli_list_checks_every_stored_table(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    (tmp_path / "benchmark_table").mkdir()
    assert cli.main(["--list"]) == 0
    assert capsys.readouterr().out == "".join(f"{name}\n  smoke: missing\n  quick: missing\n  paper: missing\n"
                                              for name in experiments.EXPERIMENTS)
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
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path))
    assert esa_cost.BUDGETS == {"smoke": (0.1, 2), "quick": (1.0, 3), "paper": (1.0, 3)} and esa_cost.MAX_N == 12
    t = esa_cost.run("smoke")
    dec, bf = t[t.search == "decomposed ESA"], t[t.search == "brute force"]
    assert list(dec.N) == list(range(1, len(dec) + 1)) and list(bf.N) == [1, 2]
    # timed until the first run longer than 0.1 s (or N = 12): every earlier run is within it
    assert (dec.seconds.iloc[-1] > 0.1 or dec.N.iloc[-1] == 12) and (dec.seconds.iloc[:-1] <= 0.1).all()
    assert list(dec.evaluations[:3]) == [48, 2 * 16 * 12, 3 * 64 * 12]               # N |P|^N |M||C|
    assert list(bf.evaluations) == [48, 2 * 48**2]                                    # N 48^N
    assert (t.seconds > 0).all()
    pd.testing.assert_frame_equal(esa_cost.run("smoke", mode="cache_only"), t)        # stored: the same on every build
