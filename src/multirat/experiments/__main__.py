"""``python -m multirat.experiments``: list, run or recompute the book's experiments."""

from __future__ import annotations

import argparse
import sys
import time

from multirat import results
from multirat.config import PROFILES
from multirat.experiments import EXPERIMENTS, get_experiment, run


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m multirat.experiments",
                                     description="Run the book's experiments and store their tables in data/results/.")
    parser.add_argument("experiments", nargs="*", metavar="EXPERIMENT",
                        help=f"experiments to run (one of: {', '.join(EXPERIMENTS)})")
    parser.add_argument("--all", action="store_true", help="run every experiment")
    parser.add_argument("--profile", default="paper", choices=tuple(PROFILES), help="compute budget (default: paper)")
    parser.add_argument("--mode", choices=results.RESULT_MODES,
                        help="auto: reuse a matching stored result, else compute (and store if nothing is stored); "
                             "recompute: always recompute and store; cache_only: fail unless stored; off: compute "
                             f"without storing (default: ${results.MODE_ENV} or auto)")
    parser.add_argument("--list", action="store_true",
                        help="list the experiments and the state of their stored results (ok, missing, stale, "
                             "corrupt; exit status 1 if any is stale or corrupt); the store is data/results or "
                             f"${results.ROOT_ENV}")
    args = parser.parse_args(argv)
    try:
        mode = results.resolve_mode(args.mode)
    except ValueError as exc:
        parser.error(str(exc))

    if args.list:                                     # exit status 1 when a stored table is stale or corrupt
        bad = False
        for name in EXPERIMENTS:
            print(name)
            for profile in PROFILES:
                state = status(name, profile)
                bad |= state.startswith(("stale", "corrupt"))
                print(f"  {profile}: {state}")
        return 1 if bad else 0
    unknown = [e for e in args.experiments if e not in EXPERIMENTS]
    if unknown:
        parser.error(f"unknown experiment(s) {unknown}: allowed {list(EXPERIMENTS)}")
    names = list(EXPERIMENTS) if args.all else args.experiments
    if not names:
        parser.error("name at least one experiment, or --all (see --list)")
    for name in names:
        before = status(name, args.profile)
        t0 = time.perf_counter()
        try:
            table = run(name, args.profile, mode=mode)
        except results.ResultError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        elapsed = time.perf_counter() - t0
        csv = results.result_paths(name, args.profile)[0]
        if mode in ("auto", "cache_only") and before.startswith("ok"):
            what = f"loaded from {csv}"
        elif mode == "recompute" or (mode == "auto" and before == "missing"):
            what = f"computed in {elapsed:.1f} s and stored in {csv}"
        else:
            what = f"computed in {elapsed:.1f} s, not stored"
        print(f"{name} [{args.profile}, mode {mode}]: {len(table)} rows {what}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
