"""multirat.distributed.map_tasks: task order, the same tables for any number of workers, retries, a worker
killed mid-training, bad input, and a scheduler named by $MULTIRAT_SCHEDULER.

Every wait is on a file or a condition with a generous timeout, never on a sleep's length."""

import os
import re
import time
from pathlib import Path

import pandas as pd
import pytest

from multirat import distributed, results
from multirat.distributed import SCHEDULER_ENV, SchedulerError, TaskError, map_tasks

HERE = Path(__file__).parent


@pytest.fixture(autouse=True)
def _no_scheduler(monkeypatch):
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    monkeypatch.delenv(results.MODE_ENV, raising=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A result store for the module, with the fig7 smoke models that fig7_benchmarks deploys."""
    from multirat.experiments import fig7

    root = tmp_path_factory.mktemp("store")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(results.ROOT_ENV, str(root))
        mp.delenv(results.MODE_ENV, raising=False)
        mp.delenv(SCHEDULER_ENV, raising=False)
        fig7.run("smoke", progress=False, n_workers=1)
        yield root


@pytest.fixture(scope="module")
def fig5_alone(store):
    """fig5's smoke evaluations trained in this process (one batch): the reference of the worker runs."""
    from multirat.experiments import fig5

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(results.ROOT_ENV, str(store))
        return fig5.run("smoke", mode="off", n_workers=1, progress=False)


# --- task functions (module level: the workers import them) ---------------------------------------------------
def _wait_for(path: Path, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > end:
            raise TimeoutError(f"{path} never appeared")
        time.sleep(0.01)


def _square_after(i: int, folder: str, wait_for: int | None):
    """``(i, i * i)``, once task ``wait_for`` has finished (its marker file), so tasks finish out of order."""
    if wait_for is not None:
        _wait_for(Path(folder) / f"done-{wait_for}")
    (Path(folder) / f"done-{i}").touch()
    return i, i * i


def _attempt(folder: str, name: str) -> int:
    """Count this call in ``folder`` (one file per attempt: the workers are other processes); the count."""
    n = 1
    while True:
        try:
            os.close(os.open(Path(folder) / f"{name}-{n}", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            return n
        except FileExistsError:
            n += 1


def _flaky(folder: str, name: str, value: int):
    """Fails on the first attempt of ``name`` only; returns ``(value, attempt)``."""
    n = _attempt(folder, name)
    if n == 1:
        raise RuntimeError(f"first attempt of {name} fails\nsecond line of the message")
    return value, n


def _broken(folder: str, name: str, fails: bool = True):
    """Fails on every attempt if ``fails``, else returns the attempt."""
    n = _attempt(folder, name)
    if fails:
        raise ValueError("always broken")
    return n


# --- tests -----------------------------------------------------------------------------------------------------
def test_results_come_in_task_order_whatever_the_order_of_completion(tmp_path):
    # task 0 finishes only after task 1 (it waits for task 1's marker): completion order 1, 0 on 2 workers
    tasks = [(0, str(tmp_path), 1), (1, str(tmp_path), None)]
    out = map_tasks(_square_after, tasks, ["waits for 1", "first"], workers=2)
    assert out == [_square_after(*t) for t in tasks] == [(0, 0), (1, 1)]
    assert map_tasks(_square_after, tasks, ["a", "b"], workers=1) == out               # the in-process path


def test_a_benchmark_table_is_the_same_for_one_or_two_workers(store):
    from multirat.experiments import fig7_benchmarks

    alone = fig7_benchmarks.run("smoke", mode="off", n_workers=1, progress=False)
    pool = fig7_benchmarks.run("smoke", mode="off", n_workers=2, progress=False)
    pd.testing.assert_frame_equal(pool, alone)
    assert len(alone) and alone.mean_kbits.notna().all()


def test_a_training_table_is_the_same_for_one_or_two_workers(store, fig5_alone):
    from multirat.experiments import fig5

    assert len(fig5.run_specs("smoke")) >= 2                        # two batches: the worker path is taken
    pool = fig5.run("smoke", mode="off", n_workers=2, progress=False)
    pd.testing.assert_frame_equal(pool, fig5_alone)


def test_a_failed_task_is_retried_and_said_and_a_broken_one_named(tmp_path, capsys):
    out = map_tasks(_flaky, [(str(tmp_path), "f1", 1), (str(tmp_path), "f2", 2)], ["flaky-1", "flaky-2"], workers=2)
    assert out == [(1, 2), (2, 2)]                                   # each succeeded on its second attempt
    err = capsys.readouterr().err.splitlines()
    assert "task flaky-1 failed (RuntimeError: first attempt of f1 fails); retry 1/2" in err
    assert "task flaky-2 failed (RuntimeError: first attempt of f2 fails); retry 1/2" in err

    with pytest.raises(TaskError, match=r"task broken-one failed on all 3 attempts.*ValueError: always broken") as exc:
        map_tasks(_broken, [(str(tmp_path), "broken"), (str(tmp_path), "fine", False)], ["broken-one", "fine"],
                  workers=2)
    assert sorted(p.name for p in tmp_path.glob("broken-*")) == ["broken-1", "broken-2", "broken-3"]
    assert isinstance(exc.value, RuntimeError) and isinstance(exc.value.error, ValueError)
    assert exc.value.attempts == 3 and exc.value.name == "broken-one"
    assert [line for line in capsys.readouterr().err.splitlines() if line.startswith("task broken-one")] == [
        f"task broken-one failed (ValueError: always broken); retry {k}/2" for k in (1, 2)]


def test_on_retry_rewrites_the_retry_and_no_retry_errors_pass_unchanged(tmp_path):
    out = map_tasks(_flaky, [(str(tmp_path), "f1", 1), (str(tmp_path), "f2", 2)], ["a", "b"], workers=2,
                    on_retry=lambda args: (*args[:2], args[2] + 10))
    assert out == [(11, 2), (12, 2)]                                 # the retry ran with on_retry's arguments
    with pytest.raises(ValueError, match="always broken"):
        map_tasks(_broken, [(str(tmp_path), "broken"), (str(tmp_path), "fine", False)], ["c", "d"], workers=2,
                  no_retry=(ValueError,))
    assert [p.name for p in tmp_path.glob("broken-*")] == ["broken-1"]          # never retried
    with pytest.raises(RuntimeError, match="first attempt of f3"):    # in this process: raised as it is
        map_tasks(_flaky, [(str(tmp_path), "f3", 3)], ["e"], workers=1)


def test_a_worker_killed_mid_training_is_retried_from_its_checkpoint(tmp_path, monkeypatch, capsys, fig5_alone):
    import dask

    from multirat.experiments import fig5

    store, marks = tmp_path / "store", tmp_path / "marks"
    store.mkdir(), marks.mkdir()
    monkeypatch.setenv(results.ROOT_ENV, str(store))
    monkeypatch.setenv("MULTIRAT_TEST_KILL_DIR", str(marks))             # read by the preload in the workers
    with dask.config.set({"distributed.worker.preload": [str(HERE / "distributed_kill_preload.py")]}):
        table = fig5.run("smoke", mode="recompute", n_workers=2, progress=False)
    pid, checkpoint, episode = (marks / "killed").read_text().split()
    assert int(pid) != os.getpid() and int(episode) == fig5.CHECKPOINT_EVERY["smoke"]
    err = capsys.readouterr().err
    said = (r"^task fig5 smoke batch \d of 2 failed \(KilledWorker: its worker process died while running it\); "
            r"retry 1/2$")
    assert re.search(said, err, re.M), err
    # the retry (resume=None, not recompute's False) resumed the checkpoint the killed attempt wrote
    resumed = [line.split() for line in (marks / "resumed.log").read_text().splitlines()]
    assert [(c, done, int(e)) for _, c, done, e in resumed] == [(checkpoint, "True", int(episode))]
    pd.testing.assert_frame_equal(table, fig5_alone)                  # as if never interrupted
    stored = results.load_result(fig5.NAME, "smoke", fig5.experiment_config("smoke"))
    pd.testing.assert_frame_equal(stored, table, check_dtype=False)
    assert sorted(p.stem for p in fig5.models_dir("smoke").glob("*.pt")) == sorted(table.run.unique())
    assert not [p for p in store.rglob("*") if ".tmp" in p.name]          # no half-written file anywhere


@pytest.mark.parametrize("workers, error", [(0, ValueError), (-1, ValueError), (2.5, TypeError),
                                            (True, TypeError), ("2", TypeError), (None, TypeError)])
def test_bad_workers_are_named(workers, error):
    with pytest.raises(error, match=f"^workers={re.escape(repr(workers))} "):
        map_tasks(_square_after, [(1, ".", None)], ["x"], workers=workers)


def test_bad_input_is_refused_before_anything_runs(monkeypatch):
    from multirat.experiments import sensitivity_baselines

    with pytest.raises(ValueError, match=r"^names=\['a'\] does not name each of the 2 tasks"):
        map_tasks(_square_after, [(1, ".", None), (2, ".", None)], ["a"], workers=2)
    with pytest.raises(TypeError, match="^tasks="):
        map_tasks(_square_after, [[1, ".", None]], ["a"], workers=1)
    with pytest.raises(ValueError, match="^retries=-1 "):
        map_tasks(_square_after, [(1, ".", None)], ["a"], workers=1, retries=-1)
    with pytest.raises(TypeError, match="^n_workers=2.5 "):
        sensitivity_baselines.run("smoke", mode="off", n_workers=2.5)
    monkeypatch.setenv(SCHEDULER_ENV, " ")
    with pytest.raises(SchedulerError, match=f"^{SCHEDULER_ENV}=' ' is empty"):
        map_tasks(_square_after, [(1, ".", None)], ["a"], workers=1)


def test_an_unreachable_scheduler_is_one_line_and_quick(monkeypatch):
    start = time.monotonic()
    with pytest.raises(SchedulerError) as exc:
        distributed.check_scheduler("tcp://127.0.0.1:1", timeout=1)
    message = str(exc.value)
    assert "\n" not in message and "'tcp://127.0.0.1:1'" in message and "within 1 s" in message
    monkeypatch.setenv(SCHEDULER_ENV, "tcp://127.0.0.1:1")
    with pytest.raises(SchedulerError, match=r"^scheduler='tcp://127\.0\.0\.1:1': no dask scheduler answered "
                                             r"within 1 s"):
        map_tasks(_square_after, [(1, ".", None)], ["a"], workers=1, timeout=1)
    assert time.monotonic() - start < 30                                # a bound on a hang, not a race
    with pytest.raises(ValueError, match="^timeout=0 "):
        distributed.check_scheduler("tcp://127.0.0.1:1", timeout=0)


def test_the_scheduler_named_by_the_environment_runs_even_one_task(monkeypatch):
    from distributed import Client, LocalCluster

    http = {"dashboard": False, "dashboard_address": ":0"}                # not 8787: another cluster may hold it
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      scheduler_kwargs=http) as cluster, \
            Client(cluster, set_as_default=False) as client:
        distributed.check_scheduler(cluster.scheduler_address)           # answers: no error
        monkeypatch.setenv(SCHEDULER_ENV, cluster.scheduler_address)
        out = map_tasks(os.getpid, [(), ()], ["pid 1", "pid 2"], workers=1)
        workers = set(client.run(os.getpid).values())
    assert os.getpid() not in out and set(out) <= workers
