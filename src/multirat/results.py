"""The result store: every cached experiment table, with its provenance, under ``data/results/``.

A result is ``<root>/<experiment>/<profile>.csv`` (the table) plus ``<profile>.json`` (the
sidecar). The sidecar records what produced the table: the hash of the experiment's configuration
(:func:`config_hash`), the configuration itself, the seeds, the package versions (numpy, scipy,
pandas, torch, multirat), the git commit and whether the tree was dirty, the wall time, the creation
time, and the SHA-256 and row count of the CSV it belongs to.

Writes are atomic: each file is written to a temporary file in the same folder and moved into place
with :func:`os.replace`, the CSV first and the sidecar last. A run killed before the CSV's replace
leaves the previous result untouched; one killed between the two replaces leaves a CSV that does
not match its sidecar's SHA-256, which is never trusted (:class:`CorruptResultError`).

:func:`cached_result` is what experiments call. Its ``mode`` (default: the environment variable
``MULTIRAT_RESULTS``, else ``"auto"``) is one of :data:`RESULT_MODES`:

``"auto"``
    load the stored table when its configuration hash matches; when nothing is stored, compute and
    store it; when the stored table belongs to another configuration, compute the table, warn
    (:class:`StaleResultWarning`, naming what differs) and leave the stored one as it is: only
    ``"recompute"`` replaces a result (so a parameter tried in a notebook never overwrites the
    committed one).
``"cache_only"``
    load the stored table or raise :class:`MissingResultError` / :class:`StaleResultError` naming the
    experiment, the profile and the command that recomputes it (what ``make book`` uses: it never
    trains).
``"recompute"``
    always compute and store (``make reproduce``).
``"off"``
    compute, store nothing (quick experiments with parameters of one's own).

A sidecar or CSV that cannot be read, or that does not match, is an error in every mode
(:class:`CorruptResultError`, saying which file and why), never a silent recompute over committed
data; ``"recompute"`` replaces it deliberately. The root is ``data/results`` unless the environment
variable ``MULTIRAT_RESULTS_DIR`` (or the ``root`` argument) says otherwise; the tests point it at a
temporary folder. With the variable set to ``X``, trained models and checkpoints go to ``X/models`` and
``X/checkpoints`` (:func:`models_root`, :func:`checkpoints_root`), inside the chosen store, so those two
names are never experiments; unset, they are ``data/models`` and ``data/checkpoints``.
:func:`check_store` validates the location before anything is computed (:func:`cached_result` and
``python -m multirat.experiments`` call it). The store knows nothing of policies or experiments: callers
pass the configuration to hash and the function that computes the table.

The key is the configuration, not the code: a change of the library that keeps the configuration
does not invalidate a stored table (the sidecar's git commit says which code produced it);
``"recompute"`` (``make reproduce``) refreshes it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import math
import os
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path, PurePath

import numpy as np

from multirat.store_location import (ROOT_ENV, check_store, checkpoints_root, models_root, platform_description,
                                     results_root)

__all__ = [
    "RESULT_MODES", "MODE_ENV", "ROOT_ENV", "FORMAT_VERSION", "ResultError", "MissingResultError",
    "StaleResultError", "CorruptResultError", "StaleResultWarning", "config_hash", "config_differences",
    "resolve_mode", "results_root", "models_root", "checkpoints_root", "check_store", "result_paths",
    "file_mode_for", "replacing",
    "package_versions", "git_state", "save_result", "rekey", "read_sidecar", "load_result", "cached_result",
]

RESULT_MODES = ("auto", "cache_only", "recompute", "off")
MODE_ENV = "MULTIRAT_RESULTS"
#: Version of the sidecar layout; a sidecar of another version is reported, not guessed at.
FORMAT_VERSION = 2
_SIDECAR_KEYS = ("format_version", "experiment", "profile", "config_hash", "config", "seeds", "csv_sha256",
                 "csv_rows", "columns", "versions", "platform", "git", "command", "wall_time_s", "created")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
#: Folders of a store set by ``MULTIRAT_RESULTS_DIR`` that hold models and checkpoints, not results.
_RESERVED = ("models", "checkpoints")
_VERSIONED_PACKAGES = ("multirat", "numpy", "scipy", "pandas", "torch")


class ResultError(RuntimeError):
    """A stored result cannot be used as it is."""


class MissingResultError(ResultError):
    """No stored result (cache-only mode)."""


class StaleResultError(ResultError):
    """The stored result was computed for another configuration (cache-only mode)."""


class CorruptResultError(ResultError):
    """The sidecar or the CSV cannot be read, or they do not belong together."""


class StaleResultWarning(UserWarning):
    """``"auto"`` mode recomputed a table whose stored version belongs to another configuration."""


# ------------------------------------------------------------------------------------------------
# Hashing and provenance
# ------------------------------------------------------------------------------------------------

def _jsonable(x):
    """``x`` as plain JSON types; dataclasses become their type name and fields. ``TypeError`` for
    anything whose rendering would not be stable (e.g. a function, whose repr holds an address)."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {"__type__": type(x).__name__, **{f.name: _jsonable(getattr(x, f.name)) for f in dataclasses.fields(x)
                                                 if not _added_at_default(f, getattr(x, f.name))}}
    if isinstance(x, Mapping):
        out = {}
        for k, v in x.items():
            if not isinstance(k, str):
                raise TypeError(f"config keys must be strings; got {k!r} ({type(k).__name__})")
            out[k] = _jsonable(v)
        return out
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, np.generic):
        return _jsonable(x.item())
    if isinstance(x, float) and not math.isfinite(x):
        return repr(x)                                   # 'inf', 'nan': JSON has no literal for them
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    if isinstance(x, PurePath):
        return str(x)
    raise TypeError(f"cannot hash a configuration value of type {type(x).__name__} ({x!r}): use plain "
                    "values, numpy arrays, dataclasses, lists and dicts")


def _added_at_default(f, value) -> bool:
    """A configuration field added after results were stored (``Spec.added``), at its default: not part of the
    key, so results computed before the field existed (with the behaviour its default reproduces) stay current."""
    spec = f.metadata.get("spec")
    return bool(getattr(spec, "added", False)) and value == f.default


def config_hash(obj) -> str:
    """SHA-256 (first 16 hex digits) of the canonical JSON of ``obj`` (keys sorted; dataclasses as
    their type name and fields, numpy values as Python values, tuples as lists).

    Equal configurations give equal hashes in every process. ``TypeError`` naming the value for
    anything without a stable rendering (functions, arbitrary objects).
    """
    text = json.dumps(_jsonable(obj), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _flatten(x, prefix: str = "") -> dict:
    if isinstance(x, dict):
        out = {}
        for k, v in x.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: x}


def config_differences(stored, requested, limit: int = 6) -> list[str]:
    """``["network.phi: 0.4 -> 0.5", ...]``: the fields where two configurations differ (``stored`` as in
    a sidecar, ``requested`` as passed to :func:`config_hash`), at most ``limit`` of them."""
    a, b = _flatten(_jsonable(stored)), _flatten(_jsonable(requested))
    keys = sorted(set(a) | set(b))
    diff = [f"{k}: {a.get(k, '(absent)')!r} -> {b.get(k, '(absent)')!r}" for k in keys
            if (k in a) != (k in b) or a.get(k) != b.get(k)]
    return diff[:limit] + ([f"... and {len(diff) - limit} more"] if len(diff) > limit else [])


def _command_line() -> str:
    """The command that runs this process (``python -m multirat.experiments ...``), interpreter by name."""
    argv = list(getattr(sys, "orig_argv", None) or sys.argv)
    return " ".join([os.path.basename(argv[0]), *argv[1:]]) if argv else ""


def package_versions() -> dict:
    """Installed versions of multirat, numpy, scipy, pandas and torch (``None`` if absent)."""
    import importlib.metadata as md

    out = {}
    for pkg in _VERSIONED_PACKAGES:
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = None
    return out


def git_state() -> dict:
    """``{"commit": <HEAD sha or None>, "dirty": <bool or None>}`` of the repository: dirty when a
    tracked file outside ``data/results`` differs from HEAD (``None`` where git or the repository is
    not available)."""
    import subprocess

    from multirat.paths import repo_root

    def run(*args):
        try:
            out = subprocess.run(["git", *args], cwd=repo_root(), capture_output=True, text=True, timeout=10)
            return out.stdout.strip() if out.returncode == 0 else None
        except (OSError, subprocess.SubprocessError):
            return None

    # dirty: a tracked file other than the stored results differs from HEAD (untracked files do not count)
    status = run("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)data/results")
    return {"commit": run("rev-parse", "HEAD"), "dirty": bool(status) if status is not None else None}


# ------------------------------------------------------------------------------------------------
# Locations (multirat.store_location; re-exported here)
# ------------------------------------------------------------------------------------------------

def _check_name(value, name: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise ValueError(f"{name}={value!r} is not a valid result name: use letters, digits, '_', '-', '.' "
                         "(starting with a letter or digit)")
    return value


def result_paths(experiment: str, profile: str, root=None) -> tuple[Path, Path]:
    """``(csv, sidecar)`` paths of ``<root>/<experiment>/<profile>.csv`` and ``.json``.

    ``ValueError`` if ``experiment`` or ``profile`` is not a plain name (no path separators), or if
    ``experiment`` is ``"models"`` or ``"checkpoints"`` (folders of the store: :func:`models_root`).
    """
    if _check_name(experiment, "experiment") in _RESERVED:
        raise ValueError(f"experiment={experiment!r} is reserved for the folder of trained {experiment} in the "
                         f"store: allowed any other name (not one of {_RESERVED})")
    folder = results_root(root) / experiment
    stem = _check_name(profile, "profile")
    return folder / f"{stem}.csv", folder / f"{stem}.json"


def resolve_mode(mode=None) -> str:
    """``mode``, else ``$MULTIRAT_RESULTS``, else ``"auto"``; ``ValueError`` naming the source for an
    unknown mode (one of :data:`RESULT_MODES`)."""
    source = "mode"
    if mode is None:
        mode, source = os.environ.get(MODE_ENV) or "auto", MODE_ENV
    if mode not in RESULT_MODES:
        raise ValueError(f"{source}={mode!r} is unknown: allowed one of {RESULT_MODES}")
    return mode


# ------------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------------

def file_mode_for(path: Path) -> int:
    """Permission bits a file written at ``path`` should get: those of the file it replaces, else the
    default for a new file (``0o666`` less the umask). ``tempfile.mkstemp`` creates ``0o600`` files, which
    :func:`os.replace` would otherwise carry over."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def replacing(path: Path):
    """Write ``path`` atomically: yield a temporary path in the same folder (``.<stem>.<random>.tmp<suffix>``:
    hidden, and with the target's suffix, which papermill requires), which replaces ``path``
    (with :func:`file_mode_for` permissions) when the block succeeds; on any exception the temporary
    is removed and ``path`` is left as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = file_mode_for(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp" + path.suffix)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through :func:`replacing`, flushed to disk before the replace."""
    with replacing(path) as tmp, open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _csv_bytes(table) -> bytes:
    buf = io.StringIO()
    table.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode()


def save_result(table, experiment: str, profile: str, config, *, seeds=(), wall_time_s: float | None = None,
                root=None) -> Path:
    """Store ``table`` (a DataFrame) as the result of ``experiment`` in ``profile``; return the CSV path.

    ``config`` is what the table was computed from (its :func:`config_hash` is the key later loads
    compare); ``seeds`` the seeds used; ``wall_time_s`` the computing time in seconds. The sidecar also
    records the package versions, the Python version, platform and CPU, the git state and the command
    line. The CSV is written first, the sidecar last, each atomically (module docstring).
    """
    import pandas as pd

    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame; got {type(table).__name__}")
    csv, sidecar = result_paths(experiment, profile, root)
    data = _csv_bytes(table)
    meta = {"format_version": FORMAT_VERSION, "experiment": experiment, "profile": profile,
            "config_hash": config_hash(config), "config": _jsonable(config), "seeds": _jsonable(list(seeds)),
            "csv_sha256": hashlib.sha256(data).hexdigest(), "csv_rows": int(len(table)),
            "columns": [str(c) for c in table.columns], "versions": package_versions(),
            "platform": platform_description(),
            "git": git_state(), "command": _command_line(),
            "wall_time_s": None if wall_time_s is None else round(float(wall_time_s), 3),
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    _atomic_write_bytes(csv, data)
    _atomic_write_bytes(sidecar, (json.dumps(meta, indent=2, sort_keys=False) + "\n").encode())
    return csv


def _added_defaults(obj, out=None) -> dict:
    """``{field name: default}`` of every configuration field marked ``Spec.added`` in the dataclasses of ``obj``
    (nested in dicts, lists and dataclasses)."""
    out = {} if out is None else out
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            if getattr(f.metadata.get("spec"), "added", False):
                out[f.name] = f.default
            _added_defaults(getattr(obj, f.name), out)
    elif isinstance(obj, Mapping):
        for v in obj.values():
            _added_defaults(v, out)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _added_defaults(v, out)
    return out


def rekey(experiment: str, profile: str, config, root=None) -> bool:
    """Re-key a stored result computed before a configuration field was added (``Spec.added``) to ``config``.

    The stored table stays as it is; only its sidecar's key (``config``, ``config_hash``) is rewritten, and only
    when the stored and the requested configuration differ in nothing but added fields that the stored one
    holds at their default and the requested one leaves out (:func:`_added_at_default`): the same
    computation, written down before the field existed or with it spelled out. Returns whether it rewrote
    the sidecar (False: already current). ``StaleResultError`` naming the differences otherwise, and the
    errors of :func:`load_result` for a missing or corrupt result.
    """
    meta = read_sidecar(experiment, profile, root)
    csv, sidecar = result_paths(experiment, profile, root)
    _read_csv_checked(csv, meta)
    if meta["config_hash"] == config_hash(config):
        return False
    added = _added_defaults(config)
    a, b = _flatten(meta["config"]), _flatten(_jsonable(config))
    other = [k for k in sorted(set(a) | set(b)) if (k in a) != (k in b) or a.get(k) != b.get(k)]
    bad = [k for k in other if not (k not in b and k.rsplit(".", 1)[-1] in added
                                    and a[k] == _jsonable(added[k.rsplit(".", 1)[-1]]))]
    if bad:
        raise StaleResultError(f"experiment {experiment!r}, profile {profile!r}: the stored configuration differs in "
                               f"more than added fields at their defaults ({'; '.join(bad[:6])}): recompute it")
    meta = dict(meta, config_hash=config_hash(config), config=_jsonable(config))
    _atomic_write_bytes(sidecar, (json.dumps(meta, indent=2, sort_keys=False) + "\n").encode())
    return True


# ------------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------------

def read_sidecar(experiment: str, profile: str, root=None) -> dict:
    """The sidecar of a stored result, checked for completeness.

    ``MissingResultError`` if there is none; ``CorruptResultError`` (naming the file and the
    problem) if it is not valid JSON, lacks a field, or has another format version.
    """
    _, sidecar = result_paths(experiment, profile, root)
    if not sidecar.is_file():
        raise MissingResultError(f"no stored result for experiment {experiment!r}, profile {profile!r} "
                                 f"({sidecar} does not exist)")
    try:
        meta = json.loads(sidecar.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CorruptResultError(f"the sidecar {sidecar} is corrupt or truncated (not valid JSON: {exc}); "
                                 "restore it from git or recompute the result") from exc
    if not isinstance(meta, dict):
        raise CorruptResultError(f"the sidecar {sidecar} is corrupt: expected a JSON object")
    if "format_version" in meta and meta["format_version"] != FORMAT_VERSION:
        raise CorruptResultError(f"the sidecar {sidecar} has format_version {meta['format_version']!r}; "
                                 f"this multirat reads {FORMAT_VERSION}: recompute the result")
    missing = [k for k in _SIDECAR_KEYS if k not in meta]
    if missing:
        raise CorruptResultError(f"the sidecar {sidecar} is corrupt or truncated: it lacks {missing}")
    return meta


def _read_csv_checked(csv: Path, meta: dict):
    import pandas as pd

    if not csv.is_file():
        raise CorruptResultError(f"{csv} is missing but its sidecar exists; restore it from git or recompute")
    data = csv.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != meta["csv_sha256"]:
        raise CorruptResultError(f"{csv} does not match its sidecar (SHA-256 {digest[:12]}... != "
                                 f"{str(meta['csv_sha256'])[:12]}...): an interrupted write or a hand edit; "
                                 "restore it from git or recompute")
    table = pd.read_csv(io.BytesIO(data))
    if len(table) != meta["csv_rows"] or [str(c) for c in table.columns] != meta["columns"]:
        raise CorruptResultError(f"{csv} has {len(table)} rows and columns {list(table.columns)}; its sidecar "
                                 f"says {meta['csv_rows']} rows and {meta['columns']}")
    return table


def load_result(experiment: str, profile: str, config, root=None, *, recompute_command: str | None = None):
    """The stored table of ``experiment`` in ``profile``, only if it was computed for ``config``.

    Raises ``MissingResultError`` (nothing stored), ``StaleResultError`` (stored for another
    configuration hash; the message lists the fields that differ) or ``CorruptResultError``
    (unreadable or mismatched files, or a CSV without its sidecar); the messages name the
    experiment, the profile and ``recompute_command`` when given.
    """
    hint = ""
    if recompute_command:                             # a shell command is quoted, an instruction is not
        quoted = recompute_command if recompute_command.startswith("mode=") else f"`{recompute_command}`"
        hint = f"; recompute it with {quoted}"
    csv, sidecar = result_paths(experiment, profile, root)
    try:
        meta = read_sidecar(experiment, profile, root)
    except CorruptResultError as exc:
        raise CorruptResultError(f"{exc}{hint}") from None
    except MissingResultError as exc:
        if csv.is_file():
            raise CorruptResultError(f"{csv} has no sidecar ({sidecar.name} is missing), so it is not trusted; "
                                     f"restore it from git{hint.replace('; recompute', ' or recompute')}") from None
        raise MissingResultError(f"{exc}{hint}") from None
    try:                                              # a corrupt file is reported as corrupt, stale or not
        table = _read_csv_checked(csv, meta)
    except CorruptResultError as exc:
        raise CorruptResultError(f"{exc}{hint}") from None
    if meta["config_hash"] != config_hash(config):
        changes = "; ".join(config_differences(meta["config"], config))
        raise StaleResultError(f"the stored result of experiment {experiment!r}, profile {profile!r} was computed "
                               f"for another configuration ({changes}){hint}")
    return table


def cached_result(experiment: str, profile: str, config, compute: Callable[[], object], *, seeds=(),
                  mode: str | None = None, root=None, recompute_command: str | None = None,
                  storable: bool = True):
    """The table of ``experiment`` for ``config``: loaded when stored, else ``compute()``-d (and stored).

    ``compute`` takes no argument and returns a DataFrame; ``mode`` one of :data:`RESULT_MODES`
    (default ``$MULTIRAT_RESULTS`` or ``"auto"``, module docstring). ``recompute_command`` is quoted
    in the errors of ``"cache_only"``. A corrupt stored result raises ``CorruptResultError`` in
    every mode but ``"recompute"`` and ``"off"``; ``"auto"`` never replaces a stored result (a stale
    one gives a :class:`StaleResultWarning` and the fresh table, unstored). With ``storable=False``
    (the experiments pass it for arguments other than the profile's defaults) ``"auto"`` stores nothing
    either, so a one-off run (e.g. another seed) never becomes the profile's stored table. The store's
    location is checked first (:func:`check_store`: ``ValueError`` for a file, an empty value, or a missing
    folder in ``"cache_only"``), so that nothing is computed for a store that cannot take it.
    """
    mode = resolve_mode(mode)
    check_store(writing=mode != "cache_only", root=root)
    store = mode == "recompute" or (mode == "auto" and storable)
    if mode in ("auto", "cache_only"):
        try:
            return load_result(experiment, profile, config, root,
                               recompute_command=recompute_command if mode == "cache_only" else None)
        except MissingResultError:
            if mode == "cache_only":
                raise
        except StaleResultError as exc:
            if mode == "cache_only":
                raise
            store = False
            warnings.warn(f"{exc}; computed for this configuration, the stored table is kept (mode 'recompute' replaces it)",
                          StaleResultWarning, stacklevel=3)
    import pandas as pd

    t0 = time.perf_counter()
    table = compute()
    wall = time.perf_counter() - t0
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"compute() of experiment {experiment!r} must return a DataFrame; got {type(table).__name__}")
    if store:
        save_result(table, experiment, profile, config, seeds=seeds, wall_time_s=wall, root=root)
    return pd.read_csv(io.BytesIO(_csv_bytes(table)))       # exactly what a later load returns
