"""Benchmarks (``python -m multirat.bench``): wall time of the vectorized models, not a test.

Prints one row per case: what is computed, how many elements, the best of several repeats.
"""

from __future__ import annotations

import argparse
import math
import sys
import timeit
from collections.abc import Callable

import numpy as np

__all__ = ["dqn_cases", "env_cases", "main", "model_cases", "print_decision_times", "sadrl_cases", "step_memory_mb",
           "time_call", "time_case"]

#: Stacked runs of the DQN benchmark (issue 10: one run alone, 16 and 64 side by side).
DQN_RUNS = (1, 16, 64)

#: (K, N) of the environment benchmark (issue 4): the paper's default, its dense case, a large one.
ENV_SIZES = ((4, 20), (6, 100), (9, 500))
#: Largest ``--n``: 10^8 elements (a few float64 arrays of that size fit in memory).
MAX_ELEMENTS = 10**8


def count_arg(text: str, *, limit: int = MAX_ELEMENTS) -> int:
    """A positive count from the command line, also in the notation the help uses (``1e6``, ``1_000``).

    Accepts an integer (``1000``) or an integral float literal (``1e3``); rejects fractions
    (``1.5e0``), values < 1, values above ``limit`` and anything else with ``argparse.ArgumentTypeError``
    (argparse then prints a usage error naming the option and exits with status 2).
    """
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number; allowed an integer in [1, {limit:_}] "
                                         "such as 1000 or 1e3") from None
    if not math.isfinite(value) or not value.is_integer():
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer; allowed an integer in [1, {limit:_}]")
    if not 1 <= value <= limit:
        raise argparse.ArgumentTypeError(f"{text!r} is out of range; allowed an integer in [1, {limit:_}]")
    return int(value)


def _step_forever(env, actions):
    """One ``env.step`` that never ends the episode: the slot counter is rewound first, so that the
    benchmark times steps of one drop without resets (the configuration keeps its episode length)."""
    env.state.t = 0
    return env.step(actions)


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


def env_cases(sizes=ENV_SIZES, n_envs: int = 16, seed: int = 0):
    """Environment step cases: one network per step, ``n_envs`` networks per step, and the literal
    per-link oracle of the tests (``oracle_slot`` in ``tests/test_env.py``), when the repository has it."""
    import dataclasses
    import importlib.util

    from multirat.config import NetworkConfig
    from multirat.env import NetworkEnv
    from multirat.paths import repo_root

    reference = None
    path = repo_root() / "tests" / "test_env.py"
    if path.is_file():
        spec = importlib.util.spec_from_file_location("test_env", path)
        reference = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(reference)

    cases = {}
    for k, n in sizes:
        cfg = dataclasses.replace(NetworkConfig(), n_aps=k, n_devices=n)
        for b in (1, n_envs):
            env = NetworkEnv(cfg, n_envs=b)
            env.reset(seed=seed)
            actions = np.random.default_rng(seed).integers(cfg.n_actions, size=(b, n))
            cases[f"env step K={k} N={n} B={b}"] = (b, lambda env=env, a=actions: _step_forever(env, a))
        if reference is not None:
            env = NetworkEnv(cfg, n_envs=1)
            env.reset(seed=seed)
            actions = np.random.default_rng(seed).integers(cfg.n_actions, size=(1, n))
            state = env.state.copy()
            cases[f"per-link oracle K={k} N={n}"] = (
                1, lambda s=state, a=actions, c=cfg: reference.oracle_slot(c, s, a, None, s.fading))
    return cases


def dqn_cases(runs=DQN_RUNS, seed: int = 0):
    """DQN cases per number of stacked runs R: one gradient step (Alg. 2, lines 25-27: sample, forward, TD
    target, backward, RMSprop) on full replay memories, and one whole training TS of Algorithm 2 (the R
    networks stepped as one vectorized environment, epsilon-greedy actions, replay writes, the gradient
    step); for R > 1 also the same TS with one environment per run (the loop the vectorized environment
    replaced), for the ratio. Run on one torch thread, as training does."""
    from multirat.config import NetworkConfig, TrainingConfig
    from multirat.training import RunSpec, Trainer

    cases = {}
    for r in runs:
        specs = [RunSpec(seed=seed + i, network=NetworkConfig(), training=TrainingConfig(episodes=10**4))
                 for i in range(r)]
        trainer = Trainer(specs)
        rng = np.random.default_rng(seed)
        n = trainer.replay.capacity
        for i in range(r):                                 # full memories of plausible states
            obs = rng.random((n, 6), dtype=np.float32)
            trainer.replay.add(i, obs, rng.integers(0, 48, n), 50.0, obs[::-1].copy(), False)
        cases[f"gradient step R={r}"] = (r, trainer._gradient_step)
        cases[f"training TS R={r}"] = (r, _slot_runner(trainer))
        if r > 1:                                          # the same TS with one environment per run (the old loop)
            per_run = Trainer(specs)
            per_run.vectorized = False
            per_run.replay.load_state_dict(trainer.replay.state_dict())
            cases[f"training TS R={r}, env per run"] = (r, _slot_runner(per_run))
    return cases


#: Links of the SADRL benchmark (issue 17): the paper's Fig. 6a case, and the sizes Fig. 6b needs.
SADRL_LINKS = (1, 3, 4, 5)
#: The agents of the SADRL benchmark, by their labels in chapter 9.
SADRL_AGENTS = ("MADRL", "SADRL", "factored")
#: Training memory is measured (:func:`step_memory_mb`) where the computed one reaches this many MB; below it the
#: growth of a fresh process's peak memory is torch's first allocations (about 12 MB here), not the network.
MEASURE_MEMORY_FROM_MB = 10.0


def sadrl_cases(n_links=SADRL_LINKS, seed: int = 0, agents=SADRL_AGENTS):
    """The centralized agent of Sec. VI-E (code rate 1/2, 16 actions per link, :mod:`multirat.agents.sadrl`),
    the shared DQN (MADRL) with the same action set and our factored centralized agent, per number of links N:
    ``{(agent, N): case}`` with ``agent`` "MADRL", "SADRL" or "factored", each case a dict with the network's
    ``sizes``, its :func:`~multirat.agents.sadrl.sadrl_cost` and two callables: ``decide`` (one TS's greedy
    decisions for the N links: SADRL one forward pass of the concatenated state ``[1, 1, 6N]`` and the argmax
    over 16^N joint actions, the factored agent the same pass and an argmax per head of 16, MADRL one forward pass of the N
    local states ``[1, N, 6]``) and ``step`` (one gradient step on a mini-batch of D_b experiences: forward,
    TD target with the target network, backward, RMSprop; MADRL's does not depend on N). With N = 1 the three
    are the same network. Run on one torch thread, as training does. ``agents``: a subset of
    :data:`SADRL_AGENTS` (``ValueError`` for another label)."""
    import torch

    from multirat.agents.dqn import StackedQNetwork, StackedRMSprop, layer_sizes, td_loss
    from multirat.agents.sadrl import (branch_q_values, branch_td_targets, factored_layer_sizes, sadrl_cost,
                                       sadrl_layer_sizes)
    from multirat.config import DQNConfig

    unknown = [a for a in agents if a not in SADRL_AGENTS]
    if unknown:
        raise ValueError(f"agents {unknown} unknown; allowed {SADRL_AGENTS}")
    dqn = DQNConfig()
    cases = {}
    for agent in agents:
        for n in n_links:
            sizes = (sadrl_layer_sizes(dqn, n, 16) if agent == "SADRL" else factored_layer_sizes(dqn, n, 16)
                     if agent == "factored" else layer_sizes(dqn, 16))
            heads = n if agent == "factored" else 1
            online, target = StackedQNetwork([seed], sizes), StackedQNetwork([seed + 1], sizes)
            opt = StackedRMSprop(online.parameters())
            gen = torch.Generator().manual_seed(seed)
            obs, nxt = (torch.rand(1, dqn.batch_size, sizes[0], generator=gen) for _ in range(2))
            act = torch.randint(0, sizes[-1] // heads, (1, dqn.batch_size, heads), generator=gen)
            reward, gamma = 50 * torch.rand(1, dqn.batch_size, generator=gen), torch.tensor([dqn.discount])
            lr, active = torch.tensor([dqn.learning_rate]), torch.tensor([True])
            state = torch.rand(1, n if agent == "MADRL" else 1, sizes[0], generator=gen)

            def decide(online=online, state=state, heads=heads, factored=agent == "factored"):
                with torch.no_grad():
                    q = online(state)
                    return (branch_q_values(q, heads) if factored else q).argmax(dim=-1)

            def step(online=online, target=target, opt=opt, obs=obs, nxt=nxt, act=act, reward=reward, heads=heads):
                q = branch_q_values(online(obs), heads).gather(-1, act[..., None]).squeeze(-1)     # [1, B, heads]
                with torch.no_grad():
                    y = branch_td_targets(reward, branch_q_values(target(nxt), heads), gamma)
                opt.zero_grad()
                td_loss(q.flatten(1), y.flatten(1)).sum().backward()
                opt.step(lr, active)

            cases[agent, n] = {"sizes": sizes, "cost": sadrl_cost(sizes, dqn.batch_size), "decide": decide,
                               "step": step}
    return cases


def _peak_resident_kib() -> int:
    """This process's peak resident memory, ``VmHWM`` of ``/proc/self/status`` (KiB; Linux). Not
    ``getrusage``'s ``ru_maxrss``, which a process started by a large parent inherits across ``exec``."""
    from pathlib import Path

    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("/proc/self/status has no VmHWM line: the memory measurement needs Linux")


def _step_peak_rss_mb(agent: str, n: int, seed: int) -> float:
    """In a fresh process: the growth of the peak resident memory (MB) from after torch's first operation to
    after building ``agent``'s networks for ``n`` links and one gradient step (:func:`step_memory_mb`)."""
    import torch

    from multirat.agents.dqn import single_thread

    torch.ones(8).add_(1)                                               # torch's own start-up is not counted
    before = _peak_resident_kib()
    with single_thread():
        sadrl_cases((n,), seed, agents=(agent,))[agent, n]["step"]()
    return (_peak_resident_kib() - before) * 1024 / 1e6


def step_memory_mb(agent: str, n: int, seed: int = 0) -> float:
    """Measured memory of training ``agent`` (a label of :data:`SADRL_AGENTS`) at ``n`` links: how much the peak
    resident memory of a fresh Python process (a subprocess, torch imported and started) grows while it builds the
    online and target networks and the optimizer of :func:`sadrl_cases` and takes one gradient step, in MB
    (10^6 bytes). What :func:`multirat.agents.sadrl.sadrl_cost` computes, measured, allocator overheads
    included. Linux (``VmHWM``); ``ValueError`` for an unknown agent or a non-positive ``n``,
    ``RuntimeError`` with the subprocess's error if it fails."""
    import subprocess

    if agent not in SADRL_AGENTS:
        raise ValueError(f"agent {agent!r} unknown; allowed {SADRL_AGENTS}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer; got {n!r}")
    code = f"from multirat.bench import _step_peak_rss_mb as f; print(f({agent!r}, {int(n)}, {int(seed)}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"measuring {agent} at N = {n} failed: {out.stderr.strip()[-2000:]}")
    return float(out.stdout.strip().splitlines()[-1])


def time_case(fn, repeat: int = 3) -> float:
    """Best seconds per call of ``fn`` over ``repeat`` repeats of about 0.2 s each (one call if it is slower)."""
    t1 = time_call(fn, repeat=1)
    number = max(1, int(0.2 / max(t1, 1e-9)))
    return min(timeit.repeat(fn, number=number, repeat=repeat if t1 < 1 else 1)) / number


def _slot_runner(trainer):
    """A callable that plays one TS of every run of ``trainer``; a new episode starts when one ends."""
    slots = iter(())

    def play() -> None:
        nonlocal slots
        try:
            next(slots)
        except StopIteration:
            slots = trainer.episode_slots()
            next(slots)

    return play


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; an invalid option is a usage error naming it (``SystemExit`` with status 2)."""
    parser = argparse.ArgumentParser(prog="python -m multirat.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=count_arg, default=1_000_000,
                        help=f"elements per case, an integer in [1, {MAX_ELEMENTS:_}] such as 1000 or 1e3 "
                             "(default 1e6)")
    parser.add_argument("--repeat", type=lambda text: count_arg(text, limit=1000), default=5,
                        help="repeats per case, an integer in [1, 1000] (default 5)")
    parser.add_argument("--only", choices=("models", "env", "dqn", "sadrl", "decision"),
                        help="run one group of cases")
    args = parser.parse_args(argv)
    if args.only in (None, "models"):
        print(f"{'case':<34} {'elements':>10} {'best [ms]':>10} {'ns/element':>11}")
        for name, (n, fn) in model_cases(args.n).items():
            t = time_call(fn, args.repeat)
            print(f"{name:<34} {n:>10} {1e3 * t:>10.1f} {1e9 * t / n:>11.1f}")
    if args.only in (None, "env"):
        print(f"\n{'case':<34} {'networks':>10} {'best [us]':>10} {'us/network':>11} {'steps/s':>9}")
        for name, (b, fn) in env_cases().items():
            t1 = time_call(fn, repeat=1)
            number = max(1, int(0.2 / max(t1, 1e-9)))                  # about 0.2 s per repeat
            t = min(timeit.repeat(fn, number=number, repeat=args.repeat if t1 < 1 else 1)) / number
            print(f"{name:<34} {b:>10} {1e6 * t:>10.0f} {1e6 * t / b:>11.0f} {b / t:>9.0f}")
    if args.only in (None, "dqn"):
        from multirat.agents.dqn import single_thread

        print(f"\n{'case':<34} {'runs':>10} {'best [ms]':>10} {'ms/run':>11}")
        with single_thread():
            for name, (r, fn) in dqn_cases().items():
                fn()                                                     # warm-up
                t = min(timeit.repeat(fn, number=20, repeat=args.repeat)) / 20
                print(f"{name:<34} {r:>10} {1e3 * t:>10.2f} {1e3 * t / r:>11.3f}")
    if args.only in (None, "sadrl"):
        from multirat.agents.dqn import single_thread

        print(f"\n{'agent (code rate 1/2)':<22} {'N':>3} {'actions':>9} {'parameters':>12} {'train [MB]':>10} "
              f"{'measured [MB]':>13} {'decide [ms]':>11} {'step [ms]':>10}")
        with single_thread():
            for (agent, n), case in sadrl_cases().items():
                decide, step = (time_case(case[k], min(args.repeat, 3)) for k in ("decide", "step"))
                cost = case["cost"]
                mb = cost["training_bytes"] / 1e6
                measured = f"{step_memory_mb(agent, n):>13.1f}" if mb >= MEASURE_MEMORY_FROM_MB else f"{'-':>13}"
                print(f"{agent:<22} {n:>3} {case['sizes'][-1]:>9} {cost['parameters']:>12,} {mb:>10.1f} {measured} "
                      f"{1e3 * decide:>11.3f} {1e3 * step:>10.2f}")
    if args.only in (None, "decision"):
        print_decision_times(repeat=max(20, args.repeat))
    return 0


def print_decision_times(sizes=((1, 1), (4, 20), (6, 50), (6, 100), (16, 1000), (64, 10_000)), repeat: int = 50,
                         esa_fp_max_n: int = 100) -> None:
    """Algorithm 3's decision time per TS and per device (chapter 12, the paper's Table 4), stage by stage, with
    a shared DQN of random weights (the time does not depend on them) and ESA-FP's up to ``esa_fp_max_n``."""
    from multirat.agents import DQNPolicy
    from multirat.agents.dqn import StackedQNetwork, layer_sizes
    from multirat.config import DQNConfig, NetworkConfig
    from multirat.execution import PER_TS_STAGES
    from multirat.experiments.table4 import measure

    net = StackedQNetwork([0], layer_sizes(DQNConfig(), NetworkConfig().n_actions), DQNConfig().activation)
    policy = DQNPolicy(net.run_state(0))
    stages = ("clustering", *PER_TS_STAGES, "whole")
    print(f"\n{'K':>4} {'N':>6} " + " ".join(f"{s[:12]:>12}" for s in stages) + f" {'us/device':>10} {'ESA-FP':>10}")
    print(f"{'':>11} " + " ".join(f"{'[us]':>12}" for _ in stages) + f" {'':>10} {'[ms]':>10}")
    for k, n in sizes:
        rows = {r["stage"]: r["median_s"] for r in measure(policy, k, n, repeat, 3 if n <= esa_fp_max_n else 0)}
        fp = f"{1e3 * rows['ESA-FP']:>10.2f}" if "ESA-FP" in rows else f"{'-':>10}"
        print(f"{k:>4} {n:>6} " + " ".join(f"{1e6 * rows[s]:>12.1f}" for s in stages)
              + f" {1e6 * rows['whole'] / n:>10.3f} {fp}")


if __name__ == "__main__":
    sys.exit(main())
