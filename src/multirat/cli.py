"""``python -m multirat``: the book's command line.

* ``list [EXPERIMENT ...] [--profile P]``: every experiment and, per profile, whether its stored result is
  current for the code (its configuration is the one the code asks for), missing, stale or corrupt;
* ``run EXPERIMENT ... [--profile P] [--seeds N] [--workers W] [--scheduler ADDRESS]``: compute experiments
  (``--mode`` as :mod:`multirat.results`; ``--seeds N`` runs seeds 0..N-1 instead of the profile's and then
  stores nothing unless N is the profile's own count, ``--output`` writes the table);
* ``reproduce [--profile P]``: every result that is not current, the ledger, the notebooks and the book
  (:mod:`multirat.reproduce`; ``make reproduce``);
* ``book [--profile P]``: the notebooks and the HTML from the stored results;
* ``ledger [--profile P]``: rewrite ``data/results/ledger/<profile>.csv`` from the stored results.

``--workers W`` runs an experiment's independent work units on W workers, a dask ``LocalCluster`` on this machine
(:mod:`multirat.distributed`); ``--scheduler ADDRESS`` sends them to a running dask scheduler instead, the same
code path. A usage error (an unknown experiment or profile, a count below 1, an unreachable scheduler) is one
line on stderr and exit status 2, before anything is computed.
"""

from __future__ import annotations

import argparse
import os
import sys

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line (``<prog>: error: <message>``, exit status 2)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _count(name: str):
    def parse(text: str) -> int:
        if not text.strip().isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError(f"{name} must be an integer >= 1; got {text!r}")
        return int(text)

    return parse


def _parser() -> argparse.ArgumentParser:
    from multirat.config import PROFILES
    from multirat.results import RESULT_MODES

    profiles = ", ".join(PROFILES)
    parser = _Parser(prog="python -m multirat", description="The multirat book's command line.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{list,run,reproduce,book,ledger}")

    def add_profile(p, default="paper"):
        p.add_argument("--profile", default=default, metavar="P",
                       help=f"compute budget: one of {profiles} (default: {default or 'every profile'})")

    def add_book_dir(p):
        p.add_argument("--book-dir", metavar="DIR",
                       help="build the book in a copy here (default: in place for paper, else "
                            "_build/reproduce/<profile>)")

    def add_workers(p):
        p.add_argument("--workers", type=_count("--workers"), metavar="W",
                       help="parallel workers (a dask LocalCluster; default: each experiment's own, 2 here)")
        p.add_argument("--scheduler", metavar="ADDRESS",
                       help="a running dask scheduler (e.g. tcp://10.0.0.5:8786) to send the work units to")

    p = sub.add_parser("list", help="every experiment and the state of its stored results")
    p.add_argument("experiments", nargs="*", metavar="EXPERIMENT")
    add_profile(p, default=None)
    p = sub.add_parser("run", help="compute experiments and store their tables")
    p.add_argument("experiments", nargs="+", metavar="EXPERIMENT")
    add_profile(p)
    p.add_argument("--seeds", type=_count("--seeds"), metavar="N", help="seeds 0..N-1 instead of the profile's")
    p.add_argument("--mode", choices=RESULT_MODES, default="recompute",
                   help="recompute (default): compute and store; auto: reuse a current result; off: store nothing")
    p.add_argument("--output", metavar="FILE.csv", help="also write the (last) table to this CSV file")
    add_workers(p)
    p = sub.add_parser("reproduce", help="recompute what is not current, then the ledger, notebooks and book")
    add_profile(p)
    p.add_argument("--force", action="store_true", help="recompute current results too")
    p.add_argument("--fresh", action="store_true", help="start training afresh, discarding checkpoints")
    p.add_argument("--only", nargs="+", metavar="EXPERIMENT",
                   help="these experiments and what they depend on (no ledger: it needs every result)")
    p.add_argument("--no-book", action="store_true",
                   help="stop after the experiments (and the ledger, which only a whole reproduction writes)")
    add_book_dir(p)
    add_workers(p)
    p = sub.add_parser("book", help="execute the notebooks on the stored results and build the HTML")
    add_profile(p)
    add_book_dir(p)
    p = sub.add_parser("ledger", help="rewrite data/results/ledger/<profile>.csv from the stored results")
    add_profile(p)
    return parser


def _check(parser, args) -> None:
    """Every usage error, before anything runs (``parser.error``: one line, exit status 2)."""
    from multirat.config import PROFILES
    from multirat.experiments import EXPERIMENTS

    if args.profile is not None and args.profile not in PROFILES:
        parser.error(f"unknown profile {args.profile!r}: allowed {', '.join(PROFILES)}")
    named = [*getattr(args, "experiments", []), *(getattr(args, "only", None) or [])]
    unknown = [e for e in named if e not in EXPERIMENTS]
    if unknown:
        parser.error(f"unknown experiment(s) {', '.join(unknown)}: allowed {', '.join(EXPERIMENTS)}")
    if args.command in ("run", "reproduce"):
        from multirat.distributed import SCHEDULER_ENV, SchedulerError, check_scheduler

        address = args.scheduler or os.environ.get(SCHEDULER_ENV)      # the variable is checked up front too
        if address is not None:
            try:
                check_scheduler(address)
            except (SchedulerError, TypeError, ValueError) as exc:
                parser.error(str(exc).splitlines()[0])
    if args.command in ("run", "reproduce") or args.command == "ledger":
        from multirat.results import check_store

        try:
            check_store(writing=not (args.command == "run" and args.mode in ("off", "cache_only")))
        except ValueError as exc:
            parser.error(str(exc))


def _list(args) -> int:
    from multirat.config import PROFILES
    from multirat.experiments import EXPERIMENTS
    from multirat.experiments.__main__ import status

    bad = False
    for name in args.experiments or EXPERIMENTS:
        print(name)
        for profile in [args.profile] if args.profile else PROFILES:
            state = status(name, profile)
            bad |= state.startswith(("stale", "corrupt"))
            print(f"  {profile}: {'current' + state[2:] if state.startswith('ok') else state}")
    return 1 if bad else 0


def _run(args) -> int:
    import inspect
    import time

    from multirat import results
    from multirat.config import PROFILES
    from multirat.experiments import get_experiment

    mode = args.mode
    if args.seeds is not None:
        os.environ["MULTIRAT_N_SEEDS"] = str(args.seeds)
        if args.seeds != PROFILES[args.profile].n_seeds and mode != "off":
            print(f"--seeds {args.seeds} is not the {args.profile} profile's {PROFILES[args.profile].n_seeds}: "
                  "the table is computed but not stored (mode off)", file=sys.stderr)
            mode = "off"
    table = None
    for name in args.experiments:
        module = get_experiment(name)
        kwargs = {"n_workers": args.workers} if args.workers and "n_workers" in inspect.signature(
            module.run).parameters else {}
        t0 = time.perf_counter()
        try:
            table = module.run(args.profile, mode=mode, **kwargs)
        except results.ResultError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"{name} [{args.profile}, mode {mode}]: {len(table)} rows in {time.perf_counter() - t0:.1f} s"
              + (f", stored in {results.result_paths(name, args.profile)[0]}" if mode == "recompute" else ""))
    if args.output:
        table.to_csv(args.output, index=False)
        print(f"written to {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` (default ``sys.argv[1:]``) and run the command; returns the exit status (0 success, 1 a
    failed computation, 2 a usage error via ``SystemExit``)."""
    parser = _parser()
    args = parser.parse_args(argv)
    _check(parser, args)
    if getattr(args, "scheduler", None):
        os.environ["MULTIRAT_SCHEDULER"] = args.scheduler       # multirat.distributed sends the work units there
    if args.command == "list":
        return _list(args)
    if args.command == "run":
        return _run(args)
    if args.command == "ledger":
        from multirat import ledger

        table, path = ledger.write_ledger(args.profile)
        print(f"ledger [{args.profile}]: {len(table)} claims written to {path}")
        return 0
    from multirat import reproduce

    try:
        if args.command == "book":
            reproduce.build_book(args.profile, out=args.book_dir)
        else:
            reproduce.reproduce(args.profile, force=args.force, fresh=args.fresh, only=args.only,
                                workers=args.workers, book=not args.no_book, book_out=args.book_dir)
    except (RuntimeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: the results stored so far are kept, and training resumes from its checkpoints "
              "when the command is run again", file=sys.stderr)
        return 130
    return 0
