"""The paper's reported numbers, ``data/paper_claims.csv``: one row per number, with the sentence.

The reproduction-ledger chapter joins these rows against the book's results; other chapters use
them to put the paper's number next to ours.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["COLUMNS", "load_claims"]

#: Columns of ``paper_claims.csv``, in order.
COLUMNS = ("id", "source", "quantity", "scheme", "K", "N", "phi", "sigma_rt", "Z_k", "episodes",
           "other_conditions", "value", "unit", "sentence")
_NUMERIC = ("K", "N", "phi", "sigma_rt", "Z_k", "episodes", "value")


def load_claims(path: Path | str | None = None):
    """Read and validate the claims table; ``ValueError`` naming the problem if it is malformed.

    Numeric columns (conditions and ``value``) are floats, with NaN where the paper does not state
    a condition; ``value`` is never missing.
    """
    import pandas as pd

    from multirat.paths import paper_claims_path

    path = paper_claims_path() if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"missing result file {path}")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if tuple(table.columns) != COLUMNS:
        raise ValueError(f"{path}: columns {tuple(table.columns)} != expected {COLUMNS}")
    duplicated = table.id[table.id.duplicated()]
    if len(duplicated):
        raise ValueError(f"{path}: duplicate ids {sorted(set(duplicated))}")
    for col in _NUMERIC:
        numbers = pd.to_numeric(table[col].replace("", None), errors="coerce")
        bad = table[col].ne("") & numbers.isna()
        if bad.any():
            raise ValueError(f"{path}: column {col!r} is not numeric in rows {list(table.id[bad])}")
        table[col] = numbers.astype(float)
    if table.value.isna().any():
        raise ValueError(f"{path}: missing value in rows {list(table.id[table.value.isna()])}")
    return table
