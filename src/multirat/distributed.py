"""Independent work units (training batches, benchmark evaluations) on dask.distributed, or in this process.

:func:`map_tasks` is the experiments' one way to fan work out: ``[fn(*t) for t in tasks]`` in task order,
computed

* in this process, one task after the other, when one worker is asked for or there is one task (dask is not
  even imported: the sequential path costs nothing);
* else on a ``dask.distributed.LocalCluster`` of ``min(workers, len(tasks))`` worker processes, one thread
  each, started for the call and closed after;
* or, whatever ``workers`` says, on the dask scheduler at ``$MULTIRAT_SCHEDULER`` (an address such as
  ``tcp://host:8786``) or the ``scheduler`` argument, through the same submit-and-gather code as the local
  cluster, so that a user's cluster runs exactly what the local one runs.

Failures: a task that raises is resubmitted up to ``retries`` times by this module (not by dask, so that each
retry is reported on stderr), and a worker process that dies mid-task ends the same way: the local cluster's
scheduler gives up on a task at its first dead worker (``allowed_failures=0``) and its nanny restarts the
worker, so the task is resubmitted here; a user's scheduler first reschedules it itself as its configuration
says (``distributed.scheduler.allowed-failures``). ``on_retry`` rewrites a retried task's arguments: training
batches resume the checkpoint their failed attempt wrote (:func:`multirat.experiments._training.resuming_retry`).

Worker threads: one per worker, and one for each computation. The local cluster's workers start with
``OMP_NUM_THREADS``, ``MKL_NUM_THREADS`` and ``OPENBLAS_NUM_THREADS`` set to 1 (any worker gets them before a
task runs, for the libraries the task loads), and a task starts with ``torch.set_num_threads(1)`` when torch is
loaded; training and the learned policies also hold torch to one thread themselves
(:func:`multirat.agents.dqn.single_thread`, as in this process), so that the tiny networks never pay for
thread start-up and one summation order gives the same numbers for any number of workers.
"""

from __future__ import annotations

import numbers
import os
import sys

__all__ = ["CONNECT_TIMEOUT", "SCHEDULER_ENV", "SchedulerError", "TaskError", "check_scheduler", "check_workers",
           "map_tasks", "scheduler_address"]

#: The environment variable naming a running dask scheduler (e.g. ``tcp://host:8786``) to compute on.
SCHEDULER_ENV = "MULTIRAT_SCHEDULER"
#: Seconds to wait for a scheduler before :class:`SchedulerError`.
CONNECT_TIMEOUT = 5.0
#: The local workers' environment: one thread for every BLAS / OpenMP pool.
SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


class TaskError(RuntimeError):
    """A task failed on every attempt. ``name``: the task's name; ``attempts``: how many were made;
    ``error``: the last attempt's exception (also ``__cause__``)."""

    def __init__(self, name: str, attempts: int, error: BaseException):
        super().__init__(f"task {name} failed on all {attempts} attempts, the last with {_describe(error)}")
        self.name, self.attempts, self.error = name, attempts, error


class SchedulerError(ValueError):
    """A dask scheduler cannot be reached (or is not a dask scheduler); the message names the address."""


def check_workers(value, name: str = "workers") -> int:
    """``value`` as an int >= 1: ``TypeError`` for anything but an integer (``2.5``, ``True``, ``"2"``),
    ``ValueError`` below 1, each naming ``name`` and the value."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}={value!r} is not an integer: allowed integers >= 1 (worker processes)")
    if value < 1:
        raise ValueError(f"{name}={value!r} is out of range: allowed integers >= 1 (worker processes)")
    return int(value)


def _check_timeout(timeout) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real) or not 0 < timeout < float("inf"):
        raise ValueError(f"timeout={timeout!r} is out of range: allowed a finite number of seconds > 0")
    return float(timeout)


def scheduler_address(scheduler: str | None = None) -> str | None:
    """The scheduler to compute on: ``scheduler`` if given, else ``$MULTIRAT_SCHEDULER`` if set, else ``None``
    (this machine). ``TypeError`` for a non-string; :class:`SchedulerError` for a blank address or variable
    (a mistyped ``MULTIRAT_SCHEDULER=$TYPO`` must not silently compute elsewhere)."""
    where = "scheduler"
    if scheduler is None:
        scheduler, where = os.environ.get(SCHEDULER_ENV), SCHEDULER_ENV
        if scheduler is None:
            return None
    if not isinstance(scheduler, str):
        raise TypeError(f"scheduler={scheduler!r} is not a string: allowed a dask scheduler's address "
                        "(e.g. 'tcp://host:8786') or None")
    if not scheduler.strip():
        raise SchedulerError(f"{where}={scheduler!r} is empty: allowed a dask scheduler's address (e.g. "
                             f"tcp://host:8786), or leave {SCHEDULER_ENV} unset to compute on this machine")
    return scheduler.strip()


def check_scheduler(address: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """Raise :class:`SchedulerError` (one line, naming ``address`` and ``timeout``) unless a dask scheduler
    answers at ``address`` within ``timeout`` seconds; for a command line to call before anything runs.
    ``TypeError`` for a non-string address, ``ValueError`` for a timeout that is not a number > 0."""
    import asyncio
    import threading

    address = scheduler_address(address)
    timeout = _check_timeout(timeout)

    async def probe():
        from distributed.comm import connect

        comm = await connect(address, timeout=timeout)
        await comm.close()

    outcome: list = []

    def attempt():                # a thread of its own: the caller may already run an event loop (Jupyter)
        try:
            asyncio.run(asyncio.wait_for(probe(), timeout))  # the handshake too: a server that is not dask
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcome.append(exc)

    # a daemon thread: a peer that never answers cannot keep this process waiting, or alive at exit
    thread = threading.Thread(target=attempt, daemon=True, name="multirat-scheduler-probe")
    thread.start()
    thread.join(timeout + 1.0)
    error = outcome[0] if outcome else TimeoutError(f"no answer in {timeout:g} s")
    if error is not None:
        raise SchedulerError(f"scheduler={address!r}: no dask scheduler answered within {timeout:g} s "
                             f"({_describe(error)}); check the address, start a scheduler there (`dask scheduler`), "
                             f"or leave --scheduler and {SCHEDULER_ENV} unset to compute on this machine") from None


def map_tasks(fn, tasks, names, *, workers: int, scheduler: str | None = None, retries: int = 2,
              progress: bool = False, desc: str = "", on_retry=None, no_retry: tuple = (),
              timeout: float = CONNECT_TIMEOUT) -> list:
    """``[fn(*t) for t in tasks]``, in the order of ``tasks`` whatever the order of completion.

    Args:
        fn: a picklable function (defined at a module's top level), called as ``fn(*task)``.
        tasks: a list of ``T`` argument tuples.
        names: ``T`` human-readable names, one per task (``"fig5 smoke batch 0 of 2"``), in messages.
        workers: worker processes, an int >= 1; 1 (or one task) computes in this process unless a scheduler
            is named.
        scheduler: a dask scheduler's address; ``None``: ``$MULTIRAT_SCHEDULER`` if set, else this machine.
        retries: how many times a failed task is resubmitted (each said on stderr as
            ``task <name> failed (<ExcType>: <message>); retry k/retries``); not in this process, where an
            exception propagates as it is.
        progress: a tqdm bar over the completed tasks (``desc``), drawn here, never by the workers.
        on_retry: ``None`` or a function of a failed task's arguments returning its next attempt's (e.g.
            "resume the checkpoint you wrote"); called before every retry.
        no_retry: exception types that no retry can cure (e.g. ``CheckpointError``): re-raised unchanged at once.
        timeout: seconds to wait for a scheduler at an address.

    Returns:
        A list of ``T`` results, ``result[i] = fn(*tasks[i])``.

    Raises:
        TypeError / ValueError: bad ``workers`` or ``retries`` (named), ``tasks`` not a list of tuples, or
            ``names`` not one string per task.
        SchedulerError: the scheduler does not answer within ``timeout`` (never a hang).
        TaskError: a task failed ``retries + 1`` times; it names the task and the last error.
    """
    workers = check_workers(workers)
    if isinstance(retries, bool) or not isinstance(retries, numbers.Integral) or retries < 0:
        raise ValueError(f"retries={retries!r} is out of range: allowed integers >= 0")
    if not callable(fn):
        raise TypeError(f"fn={fn!r} is not callable: allowed a function defined at a module's top level")
    if not isinstance(tasks, (list, tuple)) or not all(isinstance(t, tuple) for t in tasks):
        raise TypeError(f"tasks={_short(tasks)} is not a list of argument tuples: allowed [(arg, ...), ...]")
    if isinstance(names, str) or not isinstance(names, (list, tuple)) or len(names) != len(tasks):
        raise ValueError(f"names={_short(names)} does not name each of the {len(tasks)} tasks: allowed a list of "
                         f"{len(tasks)} strings")
    if on_retry is not None and not callable(on_retry):
        raise TypeError(f"on_retry={on_retry!r} is not callable: allowed None or a function of a task's arguments")
    address = scheduler_address(scheduler)
    if not tasks:
        return []
    if address is None and (workers == 1 or len(tasks) == 1):
        from tqdm import tqdm

        return [fn(*t) for t in tqdm(tasks, desc=desc, disable=not progress)]
    timeout = _check_timeout(timeout)
    if address is not None:
        check_scheduler(address, timeout)
    return _on_dask(fn, list(tasks), [str(n) for n in names], address, min(workers, len(tasks)), int(retries),
                    progress, desc, on_retry, tuple(no_retry), timeout)


def _run_single_threaded(fn, args):
    """One task on a worker, on one thread: the BLAS / OpenMP pools through the environment (for libraries the
    task loads; the local workers start with it), torch through ``torch.set_num_threads`` when it is loaded
    (importing it for a task that does not need it costs a second per worker)."""
    for name, value in SINGLE_THREAD_ENV.items():
        os.environ.setdefault(name, value)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    return fn(*args)


def _on_dask(fn, tasks, names, address, n_workers, retries, progress, desc, on_retry, no_retry, timeout) -> list:
    """:func:`map_tasks` on a dask cluster: on a LocalCluster of ``n_workers`` when ``address`` is None."""
    import logging
    import uuid
    from concurrent.futures import CancelledError

    import dask.config
    from distributed import Client, LocalCluster, as_completed
    from tqdm import tqdm

    cluster = client = None
    futures = {}
    try:
        if address is None:
            # no dashboard, and the scheduler's HTTP routes on a free port, not 8787: clusters run side by side;
            # no memory limit (a nanny would kill a large training batch a process pool lets run)
            # no statistical profiler in the workers (it samples the task's thread every 10 ms for the dashboard)
            http = {"dashboard": False, "dashboard_address": ":0"}
            config = dask.config.merge(dask.config.config, {"distributed": {"worker": {"profile": {"enabled": False}}}})
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=logging.WARNING, scheduler_kwargs={"allowed_failures": 0, **http},
                                   memory_limit=0, env=dict(SINGLE_THREAD_ENV), config=config)
            client = Client(cluster, set_as_default=False)
            slots = n_workers             # one task per worker at a time: a dead worker takes only its running task
        else:
            try:
                client = Client(address, timeout=timeout, set_as_default=False)
            except Exception as exc:
                raise SchedulerError(f"scheduler={address!r}: no dask client could connect within {timeout:g} s "
                                     f"({_describe(exc)})") from None
            slots = len(tasks)            # the user's scheduler balances (and may scale) its workers itself
        run = uuid.uuid4().hex[:8]
        current = list(tasks)
        attempts = [0] * len(tasks)
        results = [None] * len(tasks)
        todo = list(range(len(tasks)))[::-1]

        def submit(i):
            attempts[i] += 1
            f = client.submit(_run_single_threaded, fn, current[i], key=f"multirat-{run}-{i}-{attempts[i]}",
                              pure=False, retries=0)
            futures[f] = i
            return f

        pending = as_completed([submit(todo.pop()) for _ in range(min(slots, len(todo)))], loop=client.loop)
        bar = tqdm(total=len(tasks), desc=desc, disable=not progress)
        with bar:
            for f in pending:
                i = futures.pop(f)
                error = f.exception() if f.status == "error" else None
                if f.status == "cancelled":           # e.g. the scheduler lost it: as good as a failed attempt
                    error = CancelledError(f"the scheduler cancelled {f.key}")
                if error is None:
                    results[i] = f.result()
                    bar.update(1)
                elif isinstance(error, no_retry):
                    raise error
                elif attempts[i] > retries:
                    raise TaskError(names[i], attempts[i], error) from error
                else:
                    bar.write(f"task {names[i]} failed ({_describe(error)}); retry {attempts[i]}/{retries}",
                              file=sys.stderr)
                    if on_retry is not None:
                        current[i] = tuple(on_retry(current[i]))
                    todo.append(i)
                f.release()
                if todo:
                    pending.add(submit(todo.pop()))
        return results
    finally:
        if client is not None:
            if futures:
                client.cancel(list(futures))
            client.close()
        if cluster is not None:
            cluster.close()


def _describe(error: BaseException) -> str:
    """``<ExcType>: <first line of its message>`` (at most 300 characters); dask's paragraph on a
    ``KilledWorker`` is said in a few words."""
    if type(error).__name__ == "KilledWorker":
        return "KilledWorker: its worker process died while running it"
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0][:300] if text else ''}".rstrip(": ")


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
