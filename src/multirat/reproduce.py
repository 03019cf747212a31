"""``make reproduce``: recompute every stored result of a profile in dependency order, then the ledger, the
notebooks and the book (``python -m multirat reproduce --help``).

* :func:`plan` -- which experiments a reproduction computes and which it skips: a result whose stored
  configuration is the one the code asks for today (its config hash is current) is skipped unless ``force``;
* :func:`reproduce` -- runs the plan in the registry's order (:data:`multirat.experiments.EXPERIMENTS`, which
  respects :data:`multirat.experiments.DEPENDS`), resuming training runs from their checkpoints, with one
  progress bar over the experiments beside the trainers' own, and each experiment's and the total wall time;
  then writes the ledger (:func:`multirat.ledger.write_ledger`) and, unless ``book=False``, builds the book;
* :func:`build_book` -- the ``paper`` profile's book in place (``make book``); another profile's in a copy of
  the book's sources under ``_build/reproduce/<profile>/``, so that the committed notebooks keep the paper's
  outputs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Step", "book_dir", "build_book", "plan", "reproduce"]


@dataclass(frozen=True)
class Step:
    """One experiment of a reproduction: its name, its stored result's state before (``current``, ``missing``,
    ``stale: ...``, ``corrupt: ...``) and what the reproduction does (``compute``, ``skip``, ``load``: a table
    stored by an experiment computed earlier in the same reproduction)."""

    name: str
    state: str
    action: str


def plan(profile: str, *, force: bool = False, only=None) -> list[Step]:
    """The steps of a reproduction of ``profile``: every experiment (or the names in ``only`` and, before them,
    what they depend on, :data:`multirat.experiments.DEPENDS`) in the registry's order. ``ValueError`` for an
    unknown profile or experiment name."""
    from multirat.config import get_profile
    from multirat.experiments import DEPENDS, EXPERIMENTS, get_experiment
    from multirat.experiments.__main__ import status

    get_profile(profile)
    names = list(EXPERIMENTS)
    if only is not None:
        wanted = set()
        stack = list(only)
        while stack:
            name = stack.pop()
            get_experiment(name)                           # ValueError listing the known names
            if name not in wanted:
                wanted.add(name)
                stack.extend(DEPENDS.get(name, ()))
        names = [n for n in names if n in wanted]
    steps, computed = [], set()
    for name in names:
        state = status(name, profile)
        current = state.startswith("ok")
        stored_by = getattr(get_experiment(name), "STORED_BY", None)
        if stored_by in computed:
            action = "load"
        elif current and not force and not (set(DEPENDS.get(name, ())) & computed):
            action = "skip"
        else:
            action = "compute"
        if action == "compute":
            computed.add(name)
        steps.append(Step(name, "current" if current else state, action))
    return steps


def _trains(module) -> bool:
    import inspect

    return "resume" in inspect.signature(module.run).parameters


def _run_step(step: Step, profile: str, workers: int | None, fresh: bool):
    """Run one step; returns the table."""
    import inspect

    from multirat.experiments import get_experiment

    module = get_experiment(step.name)
    if step.action == "load":
        return module.run(profile, mode="cache_only")
    kwargs = {}
    params = inspect.signature(module.run).parameters
    if workers is not None and "n_workers" in params:
        kwargs["n_workers"] = workers
    if _trains(module):
        kwargs["resume"] = not fresh
    return module.run(profile, mode="recompute", **kwargs)


def book_dir(profile: str, out: Path | None = None) -> Path:
    """Where :func:`build_book` builds ``profile``'s book: the repository itself for ``paper`` (unless ``out`` is
    given), else ``out`` or ``_build/reproduce/<profile>/``, a copy of ``_config.yml``, ``_toc.yml`` and
    ``book/``."""
    from multirat.paths import repo_root

    root = repo_root()
    if out is not None:
        return Path(out).resolve()
    return root if profile == "paper" else root / "_build" / "reproduce" / profile


def build_book(profile: str = "paper", *, out: Path | None = None, echo=print) -> Path:
    """Execute every notebook of ``_toc.yml`` with ``profile``'s stored results (papermill, ``--results
    cache_only``) and build the HTML book with zero warnings allowed (``jupyter-book build -W``), in
    :func:`book_dir` (``out``: another folder for a copy). Returns the HTML folder. ``RuntimeError`` naming the
    step that failed; ``ValueError`` for an ``out`` inside ``book/`` or equal to the repository."""
    from multirat.book import toc_notebooks
    from multirat.paths import repo_root

    root, where = repo_root(), book_dir(profile, out)
    if where != root and (where == root / "book" or root / "book" in where.parents or where in root.parents):
        raise ValueError(f"out={str(where)!r} must be a folder outside book/ and not above the repository")
    if where != root:
        if where.exists():
            shutil.rmtree(where)
        where.mkdir(parents=True)
        for name in ("_config.yml", "_toc.yml"):
            shutil.copy2(root / name, where / name)
        shutil.copytree(root / "book", where / "book", ignore=shutil.ignore_patterns("__pycache__", ".ipynb_*"))
    notebooks = [str(p) for p in toc_notebooks(where)]
    steps = [("execute the notebooks", [sys.executable, "-m", "multirat.book", *notebooks, "--profile", profile,
                                        "--results", "cache_only"]),
             ("build the HTML", [str(Path(sys.executable).with_name("jupyter-book")), "build", str(where), "-W",
                                 "--keep-going"])]
    for what, command in steps:
        t0 = time.perf_counter()
        done = subprocess.run(command, check=False, cwd=root)
        if done.returncode != 0:
            raise RuntimeError(f"{what} failed (exit status {done.returncode}): {' '.join(command)}")
        echo(f"{what} [{profile}]: {time.perf_counter() - t0:.0f} s")
    return where / "_build" / "html"


def reproduce(profile: str = "paper", *, force: bool = False, fresh: bool = False, only=None,
              workers: int | None = None, book: bool = True, book_out: Path | None = None, progress: bool = True,
              echo=print) -> dict:
    """Recompute ``profile``'s results (:func:`plan`), write its ledger and build its book.

    ``force``: recompute current results too. ``fresh``: start training afresh instead of resuming the
    checkpoints an interrupted reproduction left. ``only``: experiment names (with what they depend on).
    ``workers``: parallel workers of the experiments that take ``n_workers`` (``None``: each one's default).
    ``book``: also execute the notebooks and build the HTML (:func:`build_book`, in ``book_out`` if given).

    Returns ``{"steps": [(name, action, seconds)], "total_s": seconds, "html": path or None}``. A failing
    experiment raises (its error names it); the results computed before it are stored.
    """
    from tqdm.auto import tqdm

    from multirat import ledger

    t0 = time.perf_counter()
    steps = plan(profile, force=force, only=only)
    todo = sum(s.action != "skip" for s in steps)
    echo(f"reproduce [{profile}]: {len(steps)} experiments, {todo} to compute or load, "
         f"{len(steps) - todo} current (skipped{'' if force else '; --force recomputes them'})")
    done = []
    bar = tqdm(steps, desc=f"reproduce {profile}", unit="experiment", disable=not progress, position=0)
    for step in bar:
        bar.set_postfix_str(step.name)
        t = time.perf_counter()
        if step.action == "skip":
            line = f"{step.name}: current, skipped"
        else:
            try:
                table = _run_step(step, profile, workers, fresh)
            except Exception as exc:
                raise RuntimeError(f"experiment {step.name!r} [{profile}] failed: {type(exc).__name__}: {exc}") \
                    from exc
            verb = "loaded (stored above)" if step.action == "load" else f"computed ({step.state} before)"
            line = f"{step.name}: {len(table)} rows {verb} in {time.perf_counter() - t:.1f} s"
        done.append((step.name, step.action, time.perf_counter() - t))
        (bar.write if progress else echo)(line)
    bar.close()
    if only is None:
        _, path = ledger.write_ledger(profile)
        echo(f"ledger [{profile}]: written to {path}")
    experiments_s = time.perf_counter() - t0
    echo(f"experiments [{profile}]: {experiments_s:.1f} s in all")
    html = build_book(profile, out=book_out, echo=echo) if book else None
    total = time.perf_counter() - t0
    echo(f"reproduce [{profile}]: {total:.1f} s in all" + (f"; the book is in {html}" if html else ""))
    return {"steps": done, "total_s": total, "html": html}
