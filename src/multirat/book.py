"""Execute the book's notebooks with papermill (``python -m multirat.book --help``).

``make book`` runs every notebook listed in ``_toc.yml`` in place with its own parameters and
``--results cache_only`` (cached experiment tables are loaded, never recomputed: a missing or stale
one is an error naming the command that recomputes it, see :mod:`multirat.results`); the tests run
each one with ``profile="smoke"`` into a temporary folder. Either way the cell
papermill injects with the parameters is tagged ``remove-cell`` so the rendered book does not
show it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Iterable

from multirat.paths import repo_root
from multirat.results import MODE_ENV, RESULT_MODES, replacing, resolve_mode

__all__ = ["toc_notebooks", "hide_injected_parameters", "execute_notebook", "main"]

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


def hide_injected_parameters(path: Path) -> int:
    """Tag papermill's injected-parameters cell(s) of ``path`` with ``remove-cell``, give them a fixed
    cell id (papermill draws a random one on every run) and drop the run-time stamps papermill and
    Jupyter store, so that re-executing an unchanged chapter leaves the file unchanged; return how many
    injected cells were found."""
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

    path = Path(path).resolve()
    output = path if output is None else Path(output).resolve()
    with replacing(output) as tmp:
        papermill.execute_notebook(
            str(path), str(tmp), parameters=parameters or {}, cwd=str(path.parent),
            kernel_name="python3", progress_bar=progress_bar, log_output=False)
        hide_injected_parameters(tmp)
    return output


def main(argv: list[str] | None = None) -> int:
    from papermill.exceptions import PapermillExecutionError

    parser = argparse.ArgumentParser(prog="python -m multirat.book", description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: every notebook in _toc.yml)")
    parser.add_argument("--profile", help="pass profile=PROFILE to every notebook (smoke, quick, paper)")
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

    if args.profile is not None:                      # usage errors before any kernel starts
        from multirat.config import get_profile
        try:
            get_profile(args.profile)
        except ValueError as exc:
            parser.error(str(exc))
    for nb in args.notebooks:
        if nb.suffix != ".ipynb":
            parser.error(f"notebook {str(nb)!r} is not a .ipynb file")
        if not nb.is_file():
            parser.error(f"notebook {str(nb)!r} does not exist")
    notebooks = args.notebooks or toc_notebooks()
    params = {} if args.profile is None else {"profile": args.profile}
    for i, nb in enumerate(notebooks, 1):
        out = None if args.output_dir is None else args.output_dir / Path(nb).name
        print(f"[{i}/{len(notebooks)}] {nb}" + (f" -> {out}" if out else " (in place)"), flush=True)
        try:
            execute_notebook(nb, out, params)
        except PapermillExecutionError as exc:
            first = next((line for line in (exc.source or "").splitlines() if line.strip()), "")
            print(f"error: {nb} failed in the cell starting {first.strip()[:60]!r}: {exc.ename}: {exc.evalue}",
                  file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
