"""Where the result store lives: ``data/results`` or ``$MULTIRAT_RESULTS_DIR``, and the trained models and
training checkpoints that go with it (:mod:`multirat.results` re-exports every public name here).

With the variable set to ``X``, tables go to ``X/<experiment>/``, models to ``X/models`` and checkpoints
to ``X/checkpoints``, inside the chosen store (so that a run pointed elsewhere never writes into the
repository); unset, to ``data/results``, ``data/models`` and ``data/checkpoints``. :func:`check_store`
validates the location before anything runs.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CPU_FLAGS", "ROOT_ENV", "check_store", "checkpoints_root", "models_root", "platform_description", "results_root"]

ROOT_ENV = "MULTIRAT_RESULTS_DIR"



def _env_root() -> str | None:
    """``$MULTIRAT_RESULTS_DIR``, ``None`` when unset; ``ValueError`` when it is set but empty or blank
    (``MULTIRAT_RESULTS_DIR=$TYPO`` must not fall back to the repository's ``data/results``)."""
    env = os.environ.get(ROOT_ENV)
    if env is not None and not env.strip():
        raise ValueError(f"{ROOT_ENV}={env!r} is empty: allowed the path of a folder for the result store, "
                         "or leave it unset for data/results")
    return env


def results_root(root=None) -> Path:
    """``root``, else ``$MULTIRAT_RESULTS_DIR``, else ``data/results`` of the repository.

    Only the value is checked here (``ValueError`` if ``root`` or the variable is an empty or blank
    string); :func:`check_store` checks the location.
    """
    if root is not None:
        if not str(root).strip():
            raise ValueError(f"root={str(root)!r} is empty: allowed the path of a folder for the result store, "
                             "or None for the default")
        return Path(root)
    env = _env_root()
    if env is not None:
        return Path(env)
    from multirat.paths import data_dir

    return data_dir() / "results"


def _store_folder(folder: str) -> Path:
    """``$MULTIRAT_RESULTS_DIR/<folder>`` when the variable names another store than the repository's
    ``data/results``, else ``data/<folder>`` (the variable set to its own default changes nothing)."""
    from multirat.paths import data_dir

    env = _env_root()
    if env is not None and Path(env).resolve() != (data_dir() / "results").resolve():
        return Path(env) / folder
    return data_dir() / folder


def models_root() -> Path:
    """Where trained models are written and read: ``$MULTIRAT_RESULTS_DIR/models`` when the variable is
    set (inside the chosen store, so that a run pointed elsewhere never writes into the repository), else
    ``data/models`` of the repository (the committed paper-profile models are in ``data/models/fig5/paper/``).

    ``ValueError`` if the variable is set but empty. The folder is not created here.
    """
    return _store_folder("models")


def checkpoints_root() -> Path:
    """Where training checkpoints are written: ``$MULTIRAT_RESULTS_DIR/checkpoints`` when the variable is
    set (inside the chosen store), else ``data/checkpoints`` of the repository (git-ignored).

    ``ValueError`` if the variable is set but empty. The folder is not created here.
    """
    return _store_folder("checkpoints")


def check_store(writing: bool, root=None) -> Path:
    """Check the location of the result store (:func:`results_root`) before anything runs; return it.

    ``writing``: whether the caller may write there: ``True`` for the modes ``"auto"``, ``"recompute"`` and
    ``"off"`` (``"off"`` stores no table, but training still writes models and checkpoints inside a store set
    by ``$MULTIRAT_RESULTS_DIR``); ``False`` for read-only use (``--list``, mode ``"cache_only"``).

    Allowed: an existing folder; when ``writing``, also a folder that does not exist yet but whose parent
    folder does: it is created when the first table, model or checkpoint is stored. Only that last level is
    created, so that a mistyped path (``/hoem/me/results``) is reported instead of created.

    Raises ``ValueError`` naming where the location comes from (``root``, ``$MULTIRAT_RESULTS_DIR`` or the
    default ``data/results``), its value and what is allowed, when the value is empty or blank, when the path
    exists but is not a folder (e.g. a file), when it does not exist and ``writing`` is false, or when
    neither it nor its parent folder exists.
    """
    path = results_root(root)
    if root is not None:
        label = f"root={str(root)!r}"
    elif os.environ.get(ROOT_ENV) is not None:
        label = f"{ROOT_ENV}={os.environ[ROOT_ENV]!r}"
    else:
        label = f"the result store {str(path)!r} (data/results: {ROOT_ENV} is unset)"
    allowed = "an existing folder" + (", or a new folder inside an existing one (created when something is stored)"
                                      if writing else "")
    if path.exists() and not path.is_dir():
        raise ValueError(f"{label} exists but is not a folder: allowed {allowed}")
    if not path.exists():
        if not writing:
            raise ValueError(f"{label} does not exist: listing results and mode 'cache_only' only read, so allowed "
                             f"{allowed} (mode auto or recompute creates it)")
        if path.parent.exists() and not path.parent.is_dir():
            raise ValueError(f"{label} does not exist and its parent {str(path.parent)!r} is a file, not a folder: "
                             f"allowed {allowed}")
        if not path.parent.is_dir():
            raise ValueError(f"{label} does not exist and neither does its parent folder {str(path.parent)!r}: "
                             f"allowed {allowed}")
    return path


#: The SIMD features :func:`platform_description` reports (the last bits of training depend on the machine).
CPU_FLAGS = ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile")


def platform_description() -> dict:
    """What a result's sidecar records of the machine: the Python version, ``platform.platform()``, the machine
    type, the CPU count, the CPU model and which of :data:`CPU_FLAGS` it has (from ``/proc/cpuinfo`` on Linux;
    ``platform.processor()`` and no flags elsewhere). Training tables computed on different CPUs need not be
    bit-identical (chapters 8 and 11, ``python -m multirat.audit``)."""
    import platform

    model, flags = platform.processor() or platform.machine(), set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and value.strip():
                model = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
                break
    except OSError:
        pass
    return {"python": platform.python_version(), "system": platform.platform(), "machine": platform.machine(),
            "cpus": os.cpu_count(), "cpu": model, "cpu_flags": [f for f in CPU_FLAGS if f in flags]}
