"""Benchmarks (``python -m multirat.bench``): wall time of the vectorized models, not a test.

Prints one row per case: what is computed, how many elements, the best of several repeats.
"""

from __future__ import annotations

import argparse
import sys
import timeit
from typing import Callable

import numpy as np

__all__ = ["time_call", "model_cases", "main"]


def time_call(fn: Callable[[], object], repeat: int = 5) -> float:
    """Best wall time in seconds of ``fn()`` over ``repeat`` runs (after one warm-up call)."""
    fn()
    return min(timeit.repeat(fn, number=1, repeat=repeat))


def model_cases(n: int, seed: int = 0) -> dict[str, tuple[int, Callable[[], object]]]:
    """The issue-3 cases: path loss of ``n`` distances, throughput of ``n`` (SINR, MCS) pairs."""
    from multirat import channel, link
    from multirat.config import NetworkConfig

    net = NetworkConfig()
    rng = np.random.default_rng(seed)
    d2d = rng.uniform(net.exclusion_radius_m, net.coverage_radius_m, n)
    sinr = 10.0 ** rng.uniform(-1.0, 3.0, n)
    table = link.mcs_table(net)
    pick = rng.integers(len(table), size=n)
    m = table["modulation_order"].to_numpy()[pick]
    c = table["code_rate"].to_numpy()[pick]
    dfree = table["d_free"].to_numpy()[pick]
    return {
        "umi_path_loss_db (Eq. 4)": (n, lambda: channel.umi_path_loss_db(d2d, net.fc_hz, net.h_ap_m, net.h_ut_m)),
        "throughput_bits (Eqs. 15-17)": (
            n, lambda: link.throughput_bits(sinr, m, c, dfree, net.n_symbols)),
        "best_mcs over 12 pairs": (n, lambda: link.best_mcs(sinr, net)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m multirat.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="elements per case (default 1e6)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if args.n < 1 or args.repeat < 1:
        parser.error("--n and --repeat must be >= 1")
    print(f"{'case':<34} {'elements':>10} {'best [ms]':>10} {'ns/element':>11}")
    for name, (n, fn) in model_cases(args.n).items():
        t = time_call(fn, args.repeat)
        print(f"{name:<34} {n:>10} {1e3 * t:>10.1f} {1e9 * t / n:>11.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
