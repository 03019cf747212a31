"""``python -m multirat.experiments``: list, run or recompute the book's experiments."""

from __future__ import annotations

import argparse
import sys
import time

from multirat.config import PROFILES
from multirat.experiments import EXPERIMENTS, run
from multirat.results import RESULT_MODES, result_paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m multirat.experiments",
                                     description="Run the book's experiments and store their tables in data/results/.")
    parser.add_argument("experiments", nargs="*", metavar="EXPERIMENT",
                        help=f"experiments to run (one of: {', '.join(EXPERIMENTS)})")
    parser.add_argument("--all", action="store_true", help="run every experiment")
    parser.add_argument("--profile", default="paper", choices=tuple(PROFILES), help="compute budget (default: paper)")
    parser.add_argument("--mode", default="auto", choices=RESULT_MODES,
                        help="auto: reuse a matching stored result; recompute: always recompute and store; "
                             "cache_only: fail unless stored; off: compute without storing (default: auto)")
    parser.add_argument("--list", action="store_true", help="list the experiments and their stored results")
    args = parser.parse_args(argv)

    if args.list:
        for name in EXPERIMENTS:
            stored = [p for p in PROFILES if result_paths(name, p)[0].is_file()]
            print(f"{name}: stored profiles {stored or 'none'}")
        return 0
    unknown = [e for e in args.experiments if e not in EXPERIMENTS]
    if unknown:
        parser.error(f"unknown experiment(s) {unknown}: allowed {list(EXPERIMENTS)}")
    names = list(EXPERIMENTS) if args.all else args.experiments
    if not names:
        parser.error("name at least one experiment, or --all (see --list)")
    for name in names:
        t0 = time.perf_counter()
        table = run(name, args.profile, mode=args.mode)
        where = "not stored" if args.mode == "off" else f"stored in {result_paths(name, args.profile)[0]}"
        print(f"{name} [{args.profile}, mode {args.mode}]: {len(table)} rows in {time.perf_counter() - t0:.1f} s, "
              f"{where}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
