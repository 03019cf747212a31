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

__all__ = ["NOT_TRAINING", "KernelWarning", "check_kernels", "code_fingerprint", "training_sources"]

#: Library files and folders that do not take part in training (presentation, tooling, benchmarks and the
#: schemes compared with the DQN); every other module of ``multirat`` is in :func:`code_fingerprint`.
NOT_TRAINING = ("plotting", "experiments", "reference", "__main__.py", "bench.py", "book.py", "claims.py",
                "paths.py", "report.py", "results.py", "baselines.py", "coupling.py", "cqi.py", "fractional.py",
                "hardness.py", "marl.py", "overhead.py", "rollout.py")


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
