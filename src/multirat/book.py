"""Execute the book's notebooks with papermill (``python -m multirat.book --help``).

``make book`` runs every notebook listed in ``_toc.yml`` in place with its own parameters and
``--results cache_only`` (cached experiment tables are loaded, never recomputed: a missing or stale
one is an error naming the command that recomputes it, see :mod:`multirat.results`); the tests run
each one with ``profile="smoke"`` into a temporary folder. Either way the cell
papermill injects with the parameters is tagged ``remove-cell`` so the rendered book does not
show it.

Parameters are given like papermill's (``-p seed 7``, ``--profile quick`` = ``-p profile quick``) but
checked first against each notebook's ``parameters`` cell: a misspelled name (``-p profle quick``)
or a value of the wrong type is a usage error, where papermill itself would only warn and run the
default. Kernels talk over IPC sockets in a private temporary folder, not unencrypted TCP.
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from multirat.paths import repo_root
from multirat.results import MODE_ENV, RESULT_MODES, replacing, resolve_mode

__all__ = [
    "check_common_parameters",
    "check_parameters",
    "execute_notebook",
    "hide_injected_parameters",
    "main",
    "merge_adjacent_streams",
    "parse_value",
    "stderr_lines",
    "toc_notebooks",
]

INJECTED_TAG = "injected-parameters"
HIDE_TAG = "remove-cell"


def _toc_files(entries: Iterable[dict]) -> Iterable[str]:
    for entry in entries:
        if "file" in entry:
            yield entry["file"]
        for key in ("parts", "chapters", "sections"):
            yield from _toc_files(entry.get(key, []))


def toc_notebooks(root: Path | None = None) -> list[Path]:
    """The ``.ipynb`` files of ``_toc.yml``, in book order."""
    import yaml

    root = Path(root) if root is not None else repo_root()
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"], *_toc_files(toc.get("parts", []) + toc.get("chapters", []))]
    notebooks = []
    for name in files:
        path = root / name
        if path.suffix == "":
            path = path.with_suffix(".ipynb") if path.with_suffix(".ipynb").exists() else path.with_suffix(".md")
        if path.suffix == ".ipynb":
            if not path.is_file():
                raise FileNotFoundError(f"_toc.yml lists {name!r} but {path} does not exist")
            notebooks.append(path)
    return notebooks


def merge_adjacent_streams(outputs: list) -> list:
    """``outputs`` of one cell with every run of consecutive stream outputs of the same name (stdout,
    stderr) merged into one, in order. The kernel flushes a busy cell's prints on a timer, so under load
    one ``print`` can arrive as two stream messages ("...0.027 dB" and "\\n"); merging neighbours makes the
    stored notebook independent of that timing. Outputs in between (a figure) keep their place."""
    merged: list = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (out.get("output_type") == "stream" and prev is not None and prev.get("output_type") == "stream"
                and prev.get("name") == out.get("name")):
            text = out["text"] if isinstance(out["text"], str) else "".join(out["text"])
            prev["text"] = (prev["text"] if isinstance(prev["text"], str) else "".join(prev["text"])) + text
        else:
            merged.append(out)
    return merged


def hide_injected_parameters(path: Path) -> int:
    """Tag papermill's injected-parameters cell(s) of ``path`` with ``remove-cell``, give them a fixed
    cell id (papermill draws a random one on every run), merge adjacent stream outputs
    (:func:`merge_adjacent_streams`) and drop the run-time stamps papermill and Jupyter store, so that
    re-executing an unchanged chapter leaves the file unchanged; return how many injected cells were found."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    count = 0
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if not tags:
            del cell.metadata["tags"]
        if INJECTED_TAG in tags:
            count += 1
            if HIDE_TAG not in tags:
                tags.append(HIDE_TAG)
            cell["id"] = INJECTED_TAG if count == 1 else f"{INJECTED_TAG}-{count}"   # papermill draws a random id
        for key in ("papermill", "execution"):
            cell.metadata.pop(key, None)
        if cell.get("outputs"):
            cell.outputs = merge_adjacent_streams(cell.outputs)
    papermill_meta = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path", "environment_variables"):
        papermill_meta.pop(key, None)
    nbformat.write(nb, path)
    return count


def execute_notebook(path: Path, output: Path | None = None, parameters: dict[str, Any] | None = None,
                     progress_bar: bool = False) -> Path:
    """Run ``path`` with papermill (in place when ``output`` is None), working directory = its folder.

    The run writes to a temporary file beside ``output`` that replaces ``output`` only when every cell
    ran: a failing chapter (e.g. a stale cached result in ``cache_only`` mode) leaves the notebook as
    it was. Raises papermill's ``PapermillExecutionError`` on a failing cell.
    """
    import papermill
    from traitlets.config import Config

    path = Path(path).resolve()
    output = path if output is None else Path(output).resolve()
    with replacing(output) as tmp, tempfile.TemporaryDirectory(prefix="multirat-kernel-") as sockets:
        # IPC sockets in a private folder: no "Kernel is running over TCP without encryption" warning
        ipc = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(sockets) / "kernel")}})
        papermill.execute_notebook(
            str(path), str(tmp), parameters=parameters or {}, cwd=str(path.parent),
            kernel_name="python3", progress_bar=progress_bar, log_output=False, config=ipc)
        hide_injected_parameters(tmp)
    return output


def parse_value(text: str) -> Any:
    """A command-line parameter value as papermill's ``-p`` reads it: a Python literal (``7``, ``0.4``,
    ``True``, ``None``, ``'x'``) when it is one, else the string itself."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


_TYPES = {"int": (int,), "float": (int, float), "str": (str,), "bool": (bool,)}


def check_parameters(path: Path, parameters: dict[str, Any]) -> None:
    """Check ``parameters`` against the ``parameters`` cell of notebook ``path`` (via papermill's inspection).

    Raises:
        ValueError: a name the notebook does not declare (naming the notebook and the allowed names), or a
            value whose type differs from the declared default's (an ``int`` is accepted for a ``float``).
    """
    import papermill

    if not parameters:
        return
    declared = papermill.inspect_notebook(str(path))
    for name, value in parameters.items():
        if name not in declared:
            allowed = ", ".join(repr(n) for n in declared) or "none"
            raise ValueError(f"parameter {name!r} is not a parameter of {path}: allowed {allowed}")
        kind = declared[name].get("inferred_type_name")
        if kind not in _TYPES:                        # no annotation: the type of the default's literal
            kind = type(parse_value(str(declared[name].get("default")))).__name__
        types = _TYPES.get(kind)
        if types and (not isinstance(value, types) or (isinstance(value, bool) and kind != "bool")):
            raise ValueError(f"parameter {name}={value!r} for {path}: must be {kind} like its default "
                             f"{name} = {declared[name].get('default')}")


def check_common_parameters(params: dict[str, Any]) -> None:
    """Check the parameters every chapter shares: ``profile`` must name a profile, ``seed`` must be an integer >= 0.

    Raises ``ValueError``/``TypeError`` naming the parameter (before any kernel starts).
    """
    if "profile" in params:
        from multirat.config import get_profile

        get_profile(params["profile"])
    if "seed" in params:
        seed = params["seed"]
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ValueError(f"parameter seed={seed!r}: must be an integer >= 0 (numpy seeds a generator with it)")


def stderr_lines(path: Path, limit: int = 400) -> list[str]:
    """The distinct non-empty lines the executed notebook ``path`` wrote to stderr (warnings), each cut at ``limit``."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    lines: list[str] = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                for line in out["text"].splitlines():
                    line = line.strip()[:limit]
                    if line and line not in lines:
                        lines.append(line)
    return lines


def main(argv: list[str] | None = None) -> int:
    from papermill.exceptions import PapermillExecutionError

    parser = argparse.ArgumentParser(prog="python -m multirat.book", description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: every notebook in _toc.yml)")
    parser.add_argument("--profile", help="pass profile=PROFILE to every notebook (smoke, quick, paper)")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="pass NAME=VALUE to every notebook, like papermill's -p (e.g. -p seed 7); the name "
                             "must be one of the notebook's parameters")
    parser.add_argument("--output-dir", type=Path,
                        help="write executed notebooks here instead of in place")
    parser.add_argument("--results", choices=RESULT_MODES,
                        help="how experiments use data/results/ (sets $MULTIRAT_RESULTS for the kernels): auto "
                             "(load a matching result, else compute and store), cache_only (load or fail; make "
                             "book), recompute, off (compute, store nothing); default: $MULTIRAT_RESULTS or auto")
    args = parser.parse_args(argv)
    if args.results is not None:
        os.environ[MODE_ENV] = args.results           # the kernels papermill starts inherit it
    try:
        resolve_mode()                                # an invalid $MULTIRAT_RESULTS fails before any kernel starts
    except ValueError as exc:
        parser.error(str(exc))

    names = [name for name, _ in args.parameter]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        parser.error(f"parameter {repeated[0]!r} is given more than once")
    if args.profile is not None and "profile" in names:
        parser.error("give the profile once: --profile PROFILE or -p profile PROFILE, not both")
    params = {name: parse_value(value) for name, value in args.parameter}
    if args.profile is not None:
        params["profile"] = args.profile
    try:                                              # the book-wide parameters, checked before any kernel starts
        check_common_parameters(params)
    except (TypeError, ValueError) as exc:
        parser.error(str(exc))
    if args.output_dir is not None and args.output_dir.exists() and not args.output_dir.is_dir():
        parser.error(f"--output-dir {str(args.output_dir)!r} is a file, not a folder")
    for nb in args.notebooks:
        if nb.suffix != ".ipynb":
            parser.error(f"notebook {str(nb)!r} is not a .ipynb file")
        if not nb.is_file():
            parser.error(f"notebook {str(nb)!r} does not exist")
    notebooks = args.notebooks or toc_notebooks()
    for nb in notebooks:                              # a misspelled -p fails before any kernel starts
        try:
            check_parameters(nb, params)
        except ValueError as exc:
            parser.error(str(exc))
    for i, nb in enumerate(notebooks, 1):
        out = None if args.output_dir is None else args.output_dir / Path(nb).name
        print(f"[{i}/{len(notebooks)}] {nb}" + (f" -> {out}" if out else " (in place)"), flush=True)
        try:
            done = execute_notebook(nb, out, params)
        except PapermillExecutionError as exc:
            first = next((line for line in (exc.source or "").splitlines() if line.strip()), "")
            print(f"error: {nb} failed in the cell starting {first.strip()[:60]!r}: {exc.ename}: {exc.evalue}",
                  file=sys.stderr)
            return 1
        for line in stderr_lines(done):               # e.g. a StaleResultWarning: say it here, not only in the page
            print(f"  {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
