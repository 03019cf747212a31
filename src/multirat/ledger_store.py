"""The stored ledger (chapter 15): ``data/results/ledger/<profile>.csv``, and the check of a stored file against a
fresh table by the result store's mode. :func:`multirat.ledger.write_ledger` and
:func:`multirat.ledger.stored_ledger` compute the table and call these (this module never imports the ledger)."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["checked", "ledger_command", "ledger_path", "write_table"]


def ledger_path(profile: str):
    """``data/results/ledger/<profile>.csv`` (or under ``$MULTIRAT_RESULTS_DIR``)."""
    from multirat.store_location import results_root

    return results_root() / "ledger" / f"{profile}.csv"


def ledger_command(profile: str) -> str:
    """The shell command that rewrites the stored ledger of ``profile``."""
    return f"python -m multirat ledger --profile {profile}"


def _csv_bytes(table) -> bytes:
    return table.to_csv(index=False, lineterminator="\n").encode()


def write_table(table, path):
    """Write the ledger ``table`` as CSV to ``path`` by an atomic replace; returns ``path``."""
    from multirat.results import replacing

    with replacing(path) as tmp:
        tmp.write_bytes(_csv_bytes(table))
    return path


def checked(table_for: Callable, profile: str, mode: str | None = None):
    """The ledger of ``profile`` (``table_for(experiments_mode)`` computes it), checked against the stored file
    :func:`ledger_path` as the result store's ``mode`` says (:func:`multirat.results.resolve_mode`; the experiments'
    tables are loaded in the same mode, but ``recompute`` rewrites the ledger from the stored tables and
    recomputes no experiment):

    * the file equals the fresh table byte for byte: the table;
    * ``recompute``, or ``auto`` with no file: the fresh table, written;
    * ``auto`` with a file that differs: the fresh table, not written, and a
      :class:`multirat.results.StaleResultWarning`;
    * ``cache_only``: :class:`multirat.results.MissingResultError` (no file) or
      :class:`multirat.results.StaleResultError` (a file that differs), naming the command that rewrites it;
    * ``off``: the fresh table, never written.
    """
    import warnings

    from multirat import results

    mode = results.resolve_mode(mode)
    table = table_for("cache_only" if mode in ("cache_only", "recompute") else mode)
    path = ledger_path(profile)
    fresh = _csv_bytes(table)
    stored = path.read_bytes() if path.is_file() else None
    if stored == fresh or mode == "off":
        return table
    if mode == "recompute" or (mode == "auto" and stored is None):
        write_table(table, path)
        return table
    what = "missing" if stored is None else "stale: it differs from the ledger of the stored results"
    if mode == "auto":
        warnings.warn(f"{path} is {what}; rewrite it with `{ledger_command(profile)}`", results.StaleResultWarning,
                      stacklevel=3)
        return table
    error = results.MissingResultError if stored is None else results.StaleResultError
    raise error(f"{path} is {what}; rewrite it with `{ledger_command(profile)}`")
