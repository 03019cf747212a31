"""``python -m multirat``: usage errors are one line with exit status 2; list, run, ledger."""

import subprocess
import sys
import time

import pandas as pd
import pytest

from multirat import cli, results
from multirat.experiments import EXPERIMENTS


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path / "results"))
    for name in ("MULTIRAT_N_SEEDS", "MULTIRAT_SCHEDULER"):    # cli.main sets them: restored (unset) after
        monkeypatch.setenv(name, "x")
        monkeypatch.delenv(name)
    return tmp_path / "results"


@pytest.mark.parametrize("argv, message", [
    (["run", "fig9"], "unknown experiment(s) fig9: allowed benchmark_table, esa_cost"),
    (["run", "fig7", "--profile", "papr"], "unknown profile 'papr': allowed smoke, quick, paper"),
    (["list", "--profile", "huge"], "unknown profile 'huge'"),
    (["reproduce", "--only", "fig7", "nope"], "unknown experiment(s) nope"),
    (["run", "esa_cost", "--profile", "smoke", "--workers", "0"], "--workers must be an integer >= 1; got '0'"),
    (["run", "esa_cost", "--profile", "smoke", "--workers", "2.5"], "--workers must be an integer >= 1; got '2.5'"),
    (["run", "esa_cost", "--profile", "smoke", "--seeds", "0"], "--seeds must be an integer >= 1; got '0'"),
    (["run", "esa_cost", "--profile", "smoke", "--seeds", "-1"], "--seeds must be an integer >= 1"),
    (["reproduce", "--workers", "two"], "--workers must be an integer >= 1; got 'two'"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    ([], "the following arguments are required"),
])
def test_usage_errors_are_one_line_with_status_2(argv, message, capsys, store):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and message in err
    assert len(err.strip().splitlines()) == 1, err


def test_an_unreachable_scheduler_is_a_usage_error_before_anything_runs(capsys, store):
    t0 = time.perf_counter()
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", "esa_cost", "--profile", "smoke", "--scheduler", "tcp://127.0.0.1:1"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "tcp://127.0.0.1:1" in err and len(err.strip().splitlines()) == 1
    assert time.perf_counter() - t0 < 60
    assert not (store / "esa_cost").exists()                        # nothing computed or stored


def test_list_says_which_stored_results_are_current(capsys):
    assert cli.main(["list", "fig7", "table4", "--profile", "paper"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "fig7" and out[1].startswith("  paper: current (created ") and out[2] == "table4"


def test_list_without_a_profile_shows_every_profile_of_every_experiment(capsys, store):
    store.mkdir()
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if not line.startswith("  ")] == list(EXPERIMENTS)
    assert sum(line == "  smoke: missing" for line in out) == len(EXPERIMENTS)


def test_run_stores_its_table_and_other_seed_counts_store_nothing(capsys, store, tmp_path):
    assert cli.main(["run", "fig6ab_baselines", "--profile", "smoke"]) == 0
    stored = results.result_paths("fig6ab_baselines", "smoke")[0]
    assert stored.is_file() and "stored in" in capsys.readouterr().out
    before = stored.read_bytes()
    out = tmp_path / "three.csv"
    assert cli.main(["run", "fig6ab", "--profile", "smoke", "--seeds", "2", "--output", str(out)]) == 0
    captured = capsys.readouterr()
    assert "not stored (mode off)" in captured.err
    assert sorted(pd.read_csv(out).seed.unique()) == [0, 1]                 # seeds 0..N-1
    assert not results.result_paths("fig6ab", "smoke")[0].exists() and stored.read_bytes() == before


def test_the_module_runs_as_a_program():
    done = subprocess.run([sys.executable, "-m", "multirat", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "reproduce" in done.stdout and "ledger" in done.stdout


class _FakeExperiment:
    """Stands in for an experiment module: records how it is run."""

    def __init__(self):
        self.calls = []

    def run(self, profile, mode=None, n_workers=None, resume=None):
        self.calls.append({"profile": profile, "mode": mode, "n_workers": n_workers, "resume": resume})
        return pd.DataFrame({"x": [1]})


def test_run_passes_workers_and_mode_to_the_experiment(monkeypatch, capsys, store):
    import multirat.experiments as experiments

    fake = _FakeExperiment()
    store.mkdir()
    monkeypatch.setattr(experiments, "get_experiment", lambda name: fake)
    assert cli.main(["run", "esa_cost", "--profile", "smoke", "--workers", "2", "--mode", "off"]) == 0
    assert fake.calls == [{"profile": "smoke", "mode": "off", "n_workers": 2, "resume": None}]


def test_list_exits_1_on_a_corrupt_stored_result(capsys, store):
    folder = store / "esa_cost"
    folder.mkdir(parents=True)
    (folder / "smoke.csv").write_text("x\n1\n")
    (folder / "smoke.json").write_text("{not json")
    assert cli.main(["list", "esa_cost", "--profile", "smoke"]) == 1
    assert "smoke: corrupt" in capsys.readouterr().out


def test_ledger_writes_the_named_profiles_file(monkeypatch, capsys, store):
    from multirat import ledger

    monkeypatch.setattr(ledger, "ledger_table", lambda profile, mode: pd.DataFrame({"id": [profile]}))
    assert cli.main(["ledger", "--profile", "smoke"]) == 0
    assert (store / "ledger" / "smoke.csv").read_text() == "id\nsmoke\n" and not (store / "ledger" / "paper.csv").exists()


def test_the_seed_count_override_is_validated_and_empty_means_unset(monkeypatch):
    from multirat.config import get_profile

    for bad in ("0", "-1", "x", "2.5"):
        monkeypatch.setenv("MULTIRAT_N_SEEDS", bad)
        with pytest.raises(ValueError, match="MULTIRAT_N_SEEDS"):
            get_profile("paper")
    monkeypatch.setenv("MULTIRAT_N_SEEDS", "")
    assert get_profile("paper").n_seeds == 5
    monkeypatch.setenv("MULTIRAT_N_SEEDS", "3")
    assert get_profile("paper").n_seeds == 3 and get_profile("smoke").n_seeds == 3
    monkeypatch.delenv("MULTIRAT_N_SEEDS")
    assert get_profile("paper").n_seeds == 5 and get_profile("smoke").n_seeds == 1


def test_a_peer_that_is_not_a_dask_scheduler_is_an_error_within_the_timeout_never_a_hang():
    # a TCP server that accepts the connection and never answers dask's handshake (a new user's web server)
    import socket

    from multirat.distributed import SchedulerError, check_scheduler

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
        t0 = time.perf_counter()
        with pytest.raises(SchedulerError, match=r"no dask scheduler answered within 1 s.*check the address"):
            check_scheduler(address, timeout=1.0)
        assert time.perf_counter() - t0 < 30


def test_the_scheduler_variable_is_checked_before_anything_runs(monkeypatch, capsys, store):
    monkeypatch.setenv("MULTIRAT_SCHEDULER", "tcp://127.0.0.1:1")
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", "esa_cost", "--profile", "smoke"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "tcp://127.0.0.1:1" in err and len(err.strip().splitlines()) == 1
    assert not (store / "esa_cost").exists()
