"""Reproducibility of training: what a checkpoint's code fingerprint covers, and the CPU kernels torch uses.

* :func:`code_fingerprint` -- a hash of the library code that trains (:func:`training_sources`: every
  ``multirat`` module but those in :data:`NOT_TRAINING`); a training checkpoint records it, and one of
  other code is never silently resumed (:mod:`multirat.training`);
* :func:`check_kernels` -- warn (:class:`KernelWarning`) unless torch runs the CPU kernels and MKL's
  reproducibility branch that ``import multirat`` asks for (:data:`multirat.TORCH_CPU_CAPABILITY`,
  :data:`multirat.MKL_CBWR`), without which float32 rounding, and so a training run, depends on the CPU.

:mod:`multirat.training` re-exports every public name here.
"""

from __future__ import annotations

import functools
import hashlib
import warnings
from pathlib import Path

__all__ = ["NOT_TRAINING", "PORTABLE_KERNELS", "KernelWarning", "check_kernels", "code_fingerprint",
           "retrain_first_evaluation", "training_sources"]

#: PyTorch's portable CPU kernels and MKL's compatible branch (``ATEN_CPU_CAPABILITY``, ``MKL_CBWR``): the
#: library's pin before chapter 10 (about 1.6x slower than the AVX2 pin, :data:`multirat.TORCH_CPU_CAPABILITY`);
#: chapter 8 retrains one run under them to show how far a trajectory moves with the last bits alone.
PORTABLE_KERNELS = ("default", "COMPATIBLE")

#: Library files and folders that do not take part in training (presentation, tooling, benchmarks and the
#: schemes compared with the DQN); every other module of ``multirat`` is in :func:`code_fingerprint`.
NOT_TRAINING = ("plotting", "experiments", "reference", "__main__.py", "audit.py", "bench.py", "book.py", "claims.py",
                "paths.py", "report.py", "results.py", "baselines.py", "coupling.py", "cqi.py", "fractional.py",
                "hardness.py", "ledger.py", "marl.py", "overhead.py", "rollout.py", "sensitivity.py")


class KernelWarning(UserWarning):
    """PyTorch runs other CPU kernels than :data:`multirat.TORCH_CPU_CAPABILITY` / :data:`multirat.MKL_CBWR`:
    training is reproducible on this machine, but not bit-identical to machines with other SIMD units."""


def check_kernels() -> None:
    """Warn (:class:`KernelWarning`) when torch's CPU kernels are not the ones multirat asks for (torch was
    imported before multirat, ``ATEN_CPU_CAPABILITY``/``MKL_CBWR`` are set to something else, or the CPU has
    no AVX2 and torch fell back to its portable kernels)."""
    import multirat

    import os

    import torch

    used = torch.backends.cpu.get_cpu_capability()
    mkl = os.environ.get("MKL_CBWR")
    if used.lower() != multirat.TORCH_CPU_CAPABILITY or mkl != multirat.MKL_CBWR:
        warnings.warn(f"torch uses its {used} CPU kernels with MKL_CBWR={mkl!r}, not the pinned ones "
                      f"({multirat.TORCH_CPU_CAPABILITY!r}, {multirat.MKL_CBWR!r}): training is reproducible on this "
                      "machine but not bit-identical to machines with other SIMD units. Import multirat before "
                      f"torch, or set ATEN_CPU_CAPABILITY={multirat.TORCH_CPU_CAPABILITY} and "
                      f"MKL_CBWR={multirat.MKL_CBWR}", KernelWarning, stacklevel=3)


def training_sources() -> list[Path]:
    """The source files of the ``multirat`` modules that take part in training (all but :data:`NOT_TRAINING`),
    sorted by their path inside the package."""
    package = Path(__file__).resolve().parent
    out = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        if rel.parts[0] not in NOT_TRAINING and "__pycache__" not in rel.parts:
            out.append(path)
    return out


@functools.cache
def code_fingerprint() -> str:
    """SHA-256 (hex) of the code that trains: the relative path and bytes of every :func:`training_sources` file.

    A checkpoint stores it; resuming with other code is refused (any edit of those files, even of a
    docstring, counts: the check is conservative, never silently permissive). Computed once per process
    (the code a process runs is the code it imported).
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in training_sources():
        digest.update(str(path.relative_to(package).as_posix()).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def retrain_first_evaluation(experiment: str, name: str, profile: str = "paper",
                             kernels: tuple[str, str] | None = None) -> float:
    """Retrain run ``name`` of an experiment module (``"multirat.experiments.fig5"``: its ``run_specs`` and
    ``EVAL_EVERY``) up to its first held-out evaluation and return that throughput (kbit/frame), in a fresh
    Python process whose PyTorch runs the CPU kernels ``kernels`` = ``(ATEN_CPU_CAPABILITY, MKL_CBWR)``
    (``None``: the library's pinned ones). Kernels are chosen when torch loads, so another choice needs
    another process. ``ValueError`` for an unknown run name; ``RuntimeError`` with the child's error when the
    retraining fails.
    """
    import importlib
    import json
    import os
    import subprocess
    import sys

    import multirat

    names = [n for n, _, _ in importlib.import_module(experiment).run_specs(profile)]
    if name not in names:
        raise ValueError(f"name={name!r} is not a run of {experiment} ({profile!r}; e.g. {names[0]!r})")
    capability, mkl = kernels if kernels is not None else (multirat.TORCH_CPU_CAPABILITY, multirat.MKL_CBWR)
    code = (
        "import dataclasses, importlib, json, warnings\n"
        "warnings.simplefilter('ignore')\n"
        "from multirat import training\n"
        f"module = importlib.import_module({experiment!r})\n"
        f"spec = {{n: s for n, _, s in module.run_specs({profile!r})}}[{name!r}]\n"
        f"first = module.EVAL_EVERY[{profile!r}]\n"
        "short = dataclasses.replace(spec, training=dataclasses.replace(spec.training, episodes=first))\n"
        "ev = training.Trainer([short], eval_every=first).train(progress=False).evaluations\n"
        "print(json.dumps(float(ev[ev.episode == first].throughput_kbits.iloc[0])))\n")
    env = dict(os.environ, ATEN_CPU_CAPABILITY=capability, MKL_CBWR=mkl)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"retraining {name} with kernels {capability}/{mkl} failed:\n{done.stderr[-2000:]}")
    return float(json.loads(done.stdout.strip().splitlines()[-1]))


