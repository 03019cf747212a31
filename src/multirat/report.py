"""Presentation helpers shared by the chapters (no model code here).

* :func:`html_table` -- a DataFrame as a notebook table whose TeX renders;
* :func:`facts_text` -- the findings a Discussion is written from, as plain lines a reader can check;
* :func:`parameter_table`, :func:`derived_table`, :func:`compare_with_paper` -- the configuration of
  :mod:`multirat.config` as the tables of the book's *Assumptions* page, rendered from each field's
  :class:`~multirat.config.Spec`, so that the page and the code cannot drift apart.
"""

from __future__ import annotations

import ast
import dataclasses
import math
import numbers
from typing import Any

from multirat.config import STATE_DIM, DQNConfig, NetworkConfig, TrainingConfig

__all__ = ["html_table", "facts_text", "parameter_table", "derived_table", "compare_with_paper"]

CONFIG_TYPES = (NetworkConfig, DQNConfig, TrainingConfig)


def html_table(df, index: bool = False, float_format=None, na_rep: str = "", links=None):
    """``df`` as an HTML table for a notebook output, with TeX in ``\\( \\)`` rendered by MathJax.

    ``links``: ``{column: href(value)}``: the cells of each such column become links to ``href(value)`` (their
    text and address HTML-escaped like every other cell).

    Jupyter Book marks notebook pages ``mathjax_ignore``; the ``mathjax_process`` class re-enables
    MathJax inside the table so that symbol columns render. The table sits in a
    ``<div class="table-scroll">`` that scrolls horizontally, so a wide table is never clipped at
    the edge of the text column (the book's style sheet makes it small enough not to need to). Headers are
    left-aligned, as the cells are.
    """
    from IPython.display import HTML

    if links:
        import html

        import pandas as pd

        missing = [c for c in links if c not in df.columns]
        if missing:
            raise ValueError(f"links names columns {missing} that df does not have; it has {list(df.columns)}")
        df = df.copy()
        for column in df.columns:                  # escaped here, since the link cells must not be escaped again
            cells = df[column]
            if column in links:
                df[column] = [f'<a href="{html.escape(links[column](v))}">{html.escape(str(v))}</a>' for v in cells]
            elif not pd.api.types.is_numeric_dtype(cells):
                df[column] = cells.map(lambda v: html.escape(v) if isinstance(v, str) else v)
        df.columns = [html.escape(str(c)) for c in df.columns]
    table = df.to_html(index=index, escape=not links, border=0, classes="mathjax_process", justify="left",
                       float_format=float_format, na_rep=na_rep)
    return HTML(f'<div class="table-scroll" style="overflow-x: auto; max-width: 100%">{table}</div>')


def facts_text(facts, width: int = 88) -> str:
    """The findings a chapter's Discussion is written from, one wrapped line each (``width`` characters).

    ``facts`` maps a finding to its value: a number, a string, a list (``"10, 30"``, or ``"none"`` when
    empty), a tuple (``"(-0.81, 4.28)"``) or a mapping (``"paper: 10, 30; regime: none"``, tuple keys joined
    by ``", "``), nested as needed; floats are shown with 4 significant digits. Raises ``TypeError`` when
    ``facts`` is not a mapping.
    """
    import textwrap
    from collections.abc import Mapping

    if not isinstance(facts, Mapping):
        raise TypeError(f"facts must be a mapping of finding -> value; got {type(facts).__name__}")

    def fmt(v) -> str:
        if isinstance(v, Mapping):
            return "; ".join(f"{key(k)}: {fmt(x)}" for k, x in v.items()) or "none"
        if isinstance(v, list):
            return ", ".join(fmt(x) for x in v) or "none"
        if isinstance(v, tuple):
            return "(" + ", ".join(fmt(x) for x in v) + ")"
        if isinstance(v, numbers.Real) and not isinstance(v, (bool, numbers.Integral)):
            return f"{float(v):.4g}"
        return str(v)

    def key(k) -> str:
        return ", ".join(fmt(x) for x in k) if isinstance(k, tuple) else fmt(k)

    return "\n".join(textwrap.fill(f"{k}: {fmt(v)}", width, subsequent_indent="    ") for k, v in facts.items())


# ------------------------------------------------------------------------------------------------
# The configuration as tables for the Assumptions page
# ------------------------------------------------------------------------------------------------

def _format_value(value: Any) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_format_value(v) for v in value) + ")"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def parameter_table(*configs: Any):
    """One row per field of the given configs (defaults when none given), from their metadata.

    Columns: group, parameter, symbol, value, unit, origin ('paper' or 'assumption'), source,
    allowed, description.
    """
    import pandas as pd

    if not configs:
        configs = (NetworkConfig(), DQNConfig(), TrainingConfig())
    rows = []
    for cfg in configs:
        if not isinstance(cfg, CONFIG_TYPES):
            raise TypeError(f"parameter_table takes config instances, got {type(cfg).__name__}")
        for f in dataclasses.fields(cfg):
            spec = f.metadata["spec"]
            rows.append({
                "group": type(cfg).__name__,
                "parameter": f.name,
                "symbol": f"\\({spec.symbol}\\)" if spec.symbol else "",
                "value": _format_value(getattr(cfg, f.name)),
                "unit": spec.unit,
                "origin": "assumption" if spec.assumption else "paper",
                "source": spec.source,
                "allowed": spec.allowed(),
                "description": spec.doc,
            })
    return pd.DataFrame(rows)


def derived_table(network: NetworkConfig | None = None):
    """Quantities computed from a :class:`NetworkConfig` (never typed in): one row each."""
    import pandas as pd

    net = network or NetworkConfig()
    rows = [
        ("noise power per RRB", "\\sigma^2", f"{net.noise_power_dbm:.2f}", "dBm",
         "N_0 + 10 log10(B) + NF"),
        ("carrier bandwidth", "R B", f"{net.carrier_bandwidth_hz / 1e6:.3g}", "MHz", "R x B"),
        ("actions per agent", "|\\mathcal{A}_n|", str(net.n_actions), "actions", "|M| x |P| x |C| (Sec. V-A-1)"),
        ("peak rate per link", "\\max r_{m,c} N_p", f"{net.peak_rate_bits / 1e3:.3g}", "kbit/frame",
         "max(c log2 M) x N_p: Eq. (15) at zero PER"),
        ("state features per agent", "|\\mathcal{S}_n|", str(STATE_DIM), "features", "Eq. (21)"),
    ]
    rows += [(f"ACIR, adjacent RRB r+-{i + 1}", f"A_{i + 1}", f"{a:.2f}", "dB", "1/(1/ACLR + 1/ACS)")
             for i, a in enumerate(net.acir_db)]
    return pd.DataFrame(rows, columns=["quantity", "symbol", "value", "unit", "how"]).assign(
        symbol=lambda d: "\\(" + d["symbol"] + "\\)")


def compare_with_paper(path=None):
    """Join ``data/paper_parameters.csv`` (the paper's parameter values as printed, transcribed)
    against the default configs: one row per printed parameter with ``paper``, ``config`` and
    ``match`` (equal to 1e-12 relative for numbers, exactly otherwise).
    """
    import pandas as pd

    from multirat.paths import data_dir

    path = data_dir() / "paper_parameters.csv" if path is None else path
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    configs = {c.__name__: c() for c in CONFIG_TYPES}
    rows = []
    for rec in table.to_dict("records"):
        if rec["config"] not in configs:
            raise ValueError(f"{path}: unknown config {rec['config']!r} for {rec['printed_parameter']!r}")
        cfg = configs[rec["config"]]
        if not hasattr(cfg, rec["field"]):
            raise ValueError(f"{path}: {rec['config']} has no field {rec['field']!r}")
        paper = ast.literal_eval(rec["value"])
        ours = getattr(cfg, rec["field"])
        pa, oa = (paper, ours) if isinstance(paper, tuple) else ((paper,), (ours,))
        match = len(pa) == len(oa) and all(
            math.isclose(p, o, rel_tol=1e-12) if isinstance(p, numbers.Real) and isinstance(o, numbers.Real)
            else p == o for p, o in zip(pa, oa))
        rows.append({"source": rec["source"], "printed": f"{rec['printed_parameter']} = {rec['printed_value']}",
                     "field": f"{rec['config']}.{rec['field']}", "paper": _format_value(paper),
                     "config": _format_value(ours), "match": match})
    return pd.DataFrame(rows)
