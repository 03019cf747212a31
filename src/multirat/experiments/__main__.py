"""``python -m multirat.experiments``: list, run or recompute the book's experiments."""

from __future__ import annotations

import argparse
import sys
import time

from multirat import results
from multirat.config import PROFILES
from multirat.experiments import EXPERIMENTS, get_experiment, run
from multirat.training import CheckpointError


def status(name: str, profile: str) -> str:
    """``ok``, ``missing``, ``stale (...)`` or ``corrupt (...)``: the stored result of ``name`` in
    ``profile`` against the configuration the code asks for today."""
    try:
        results.load_result(name, profile, get_experiment(name).experiment_config(profile))
    except results.MissingResultError:
        return "missing"
    except results.StaleResultError as exc:
        return f"stale: {str(exc).partition('configuration (')[2].rstrip(')')}"
    except results.CorruptResultError as exc:
        return f"corrupt: {exc}"
    meta = results.read_sidecar(name, profile)
    return f"ok (created {meta['created']}, commit {str(meta['git']['commit'])[:7]})"


def _trains(name: str) -> bool:
    """Does experiment ``name`` train (its ``run`` takes ``resume``)?"""
    import inspect

    return "resume" in inspect.signature(get_experiment(name).run).parameters


def main(argv: list[str] | None = None) -> int:
    """The command line: list (``--list [NAME ...]``), run or recompute experiments; returns the exit status.

    ``argv``: the arguments (default ``sys.argv[1:]``). Returns 0 on success; 1 when ``--list`` finds a
    stale or corrupt table, or when a run raises a :class:`multirat.results.ResultError` (printed as one
    line). Usage errors exit with status 2 (``SystemExit``) and a one-line message before anything is listed
    or computed: an unknown experiment (listed or run), an unknown profile or mode, and a result store
    (``$MULTIRAT_RESULTS_DIR``) that :func:`multirat.results.check_store` rejects: a file, an empty value, a
    missing folder when only reading (``--list``, ``--mode cache_only``), or a missing folder whose parent
    folder is missing too.
    """
    parser = argparse.ArgumentParser(prog="python -m multirat.experiments",
                                     description="Run the book's experiments and store their tables in data/results/.")
    parser.add_argument("experiments", nargs="*", metavar="EXPERIMENT",
                        help=f"experiments to run (one of: {', '.join(EXPERIMENTS)})")
    parser.add_argument("--all", action="store_true", help="run every experiment")
    parser.add_argument("--resume", action="store_true",
                        help="with --mode recompute, continue training from the checkpoints of an interrupted "
                             "recomputation instead of starting afresh (experiments that train; auto mode always "
                             "resumes; a checkpoint of other runs or other training code is refused)")
    parser.add_argument("--profile", choices=tuple(PROFILES),
                        help="compute budget (default: paper; with --list: every profile unless given)")
    parser.add_argument("--mode", choices=results.RESULT_MODES,
                        help="auto: reuse a matching stored result, else compute (and store if nothing is stored); "
                             "recompute: always recompute and store; cache_only: fail unless stored; off: compute "
                             f"without storing (default: ${results.MODE_ENV} or auto)")
    parser.add_argument("--list", nargs="*", metavar="NAME",
                        help="list the experiments (only the NAMEs given, if any) and the state of their stored "
                             "results (ok, missing, stale, corrupt; exit status 1 if any is stale or corrupt); the "
                             f"store is data/results or ${results.ROOT_ENV}, which must exist")
    args = parser.parse_args(argv)
    try:
        mode = results.resolve_mode(args.mode)
    except ValueError as exc:
        parser.error(str(exc))
    if args.resume and mode == "cache_only":
        parser.error("--resume continues training, but --mode cache_only only loads stored tables: use --mode "
                     "recompute --resume (or auto, which resumes by itself)")
    listing = args.list is not None
    profile_given = args.profile is not None
    args.profile = args.profile or "paper"
    named = [*(args.list or []), *args.experiments]            # `--list a b` and `a b --list` list a and b
    unknown = [e for e in named if e not in EXPERIMENTS]
    if unknown:
        parser.error(f"unknown experiment(s) {unknown}: allowed {list(EXPERIMENTS)}")
    if not listing and not args.all and not args.experiments:
        parser.error("name at least one experiment, or --all (see --list)")
    try:                                              # before anything is listed, computed or written
        results.check_store(writing=not listing and mode != "cache_only")
    except ValueError as exc:
        parser.error(str(exc))

    if listing:                                       # exit status 1 when a stored table is stale or corrupt
        bad = False
        for name in dict.fromkeys(named) or EXPERIMENTS:
            print(name)
            for profile in [args.profile] if profile_given else PROFILES:
                state = status(name, profile)
                bad |= state.startswith(("stale", "corrupt"))
                print(f"  {profile}: {state}")
        return 1 if bad else 0
    names = list(EXPERIMENTS) if args.all else args.experiments
    done = set()
    for name in names:
        # a table stored by an experiment recomputed above (fig5_curves by fig5_evaluations) is loaded, not
        # recomputed: recomputing it would repeat that experiment's whole computation
        stored_by = getattr(get_experiment(name), "STORED_BY", None)
        reuse = mode == "recompute" and stored_by in done
        before = status(name, args.profile)
        t0 = time.perf_counter()
        try:
            extra = {"resume": True} if args.resume and _trains(name) and not reuse else {}
            table = run(name, args.profile, mode="cache_only" if reuse else mode, **extra)
        except (results.ResultError, CheckpointError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print(f"\ninterrupted: {name} [{args.profile}] was not stored; its training checkpoints are kept, so "
                  f"`--mode recompute --resume` (or mode auto) continues from them", file=sys.stderr)
            return 130
        done.add(name)
        elapsed = time.perf_counter() - t0
        csv = results.result_paths(name, args.profile)[0]
        if reuse:
            what = f"stored by {stored_by} above, loaded from {csv}"
        elif mode in ("auto", "cache_only") and before.startswith("ok"):
            what = f"loaded from {csv}"
        elif mode == "recompute" or (mode == "auto" and before == "missing"):
            what = f"computed in {elapsed:.1f} s and stored in {csv}"
        else:
            what = f"computed in {elapsed:.1f} s, not stored"
        print(f"{name} [{args.profile}, mode {mode}]: {len(table)} rows {what}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
