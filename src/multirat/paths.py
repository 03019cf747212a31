"""Where the book's files live: the repository root (the folder holding ``_toc.yml``) and ``data/``."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["repo_root", "data_dir", "paper_claims_path"]


def repo_root() -> Path:
    """The repository root.

    ``MULTIRAT_ROOT`` overrides it; otherwise the nearest folder above this file holding ``_toc.yml``
    (the package is installed in editable mode from the repository, ``pip install -e .``).
    """
    env = os.environ.get("MULTIRAT_ROOT")
    if env:
        root = Path(env).resolve()
        if not (root / "_toc.yml").is_file():
            raise FileNotFoundError(f"MULTIRAT_ROOT={env!r} does not contain _toc.yml")
        return root
    for parent in Path(__file__).resolve().parents:
        if (parent / "_toc.yml").is_file():
            return parent
    raise FileNotFoundError(
        "cannot find the multirat repository (no _toc.yml above the package): install with "
        "'pip install -e .' from a clone, or set MULTIRAT_ROOT")


def data_dir() -> Path:
    """``<repo>/data``: committed inputs and cached results."""
    return repo_root() / "data"


def paper_claims_path() -> Path:
    """``data/paper_claims.csv``: every numeric result the paper reports, one row each."""
    path = data_dir() / "paper_claims.csv"
    if not path.is_file():
        raise FileNotFoundError(f"missing result file {path}")
    return path
