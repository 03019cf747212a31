"""The stored ledger (chapter 15): ``data/results/ledger/<profile>.csv``, written from the stored results and
checked byte for byte against them (:func:`stored_ledger`); re-exported by :mod:`multirat.ledger`."""

from __future__ import annotations

__all__ = ["ledger_command", "ledger_path", "stored_ledger", "write_ledger"]

def ledger_path(profile: str):
    """``data/results/ledger/<profile>.csv`` (or under ``$MULTIRAT_RESULTS_DIR``)."""
    from multirat.store_location import results_root

    return results_root() / "ledger" / f"{profile}.csv"


def ledger_command(profile: str) -> str:
    """The shell command that rewrites the stored ledger of ``profile``."""
    return f"python -m multirat ledger --profile {profile}"


def _csv_bytes(table) -> bytes:
    return table.to_csv(index=False, lineterminator="\n").encode()


def write_ledger(profile: str = "paper", mode: str | None = "cache_only"):
    """:func:`multirat.ledger.ledger_table` of ``profile`` (``mode``: how the experiments' tables are loaded), written to
    :func:`ledger_path` by an atomic replace; returns ``(table, path)``. The ledger is derived from the stored
    results, so it carries no provenance sidecar of its own: the experiments' sidecars are its provenance, and
    :func:`stored_ledger` checks that the file equals a fresh :func:`multirat.ledger.ledger_table`."""
    from multirat.results import replacing

    from multirat import ledger

    table = ledger.ledger_table(profile, mode)
    path = ledger_path(profile)
    with replacing(path) as tmp:
        tmp.write_bytes(_csv_bytes(table))
    return table, path


def stored_ledger(profile: str = "paper", mode: str | None = None):
    """The ledger of ``profile``, checked against the stored file :func:`ledger_path`, as the result store's
    ``mode`` says (:func:`multirat.results.resolve_mode`; the experiments' tables are loaded in the same mode,
    but ``recompute`` rewrites the ledger from the stored tables and recomputes no experiment):

    * the file equals a fresh :func:`multirat.ledger.ledger_table` byte for byte: the table;
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
    from multirat import ledger

    table = ledger.ledger_table(profile, "cache_only" if mode in ("cache_only", "recompute") else mode)
    path = ledger_path(profile)
    fresh = _csv_bytes(table)
    stored = path.read_bytes() if path.is_file() else None
    if stored == fresh or mode == "off":
        return table
    if mode == "recompute" or (mode == "auto" and stored is None):
        write_ledger(profile, "cache_only")
        return table
    what = "missing" if stored is None else "stale: it differs from the ledger of the stored results"
    if mode == "auto":
        warnings.warn(f"{path} is {what}; rewrite it with `{ledger_command(profile)}`", results.StaleResultWarning,
                      stacklevel=2)
        return table
    error = results.MissingResultError if stored is None else results.StaleResultError
    raise error(f"{path} is {what}; rewrite it with `{ledger_command(profile)}`")
