"""Presentation helpers shared by the chapters (no model code here)."""

from __future__ import annotations

__all__ = ["html_table"]


def html_table(df, index: bool = False, float_format=None, na_rep: str = ""):
    """``df`` as an HTML table for a notebook output, with TeX in ``\\( \\)`` rendered by MathJax.

    Jupyter Book marks notebook pages ``mathjax_ignore``; the ``mathjax_process`` class re-enables
    MathJax inside the table so that symbol columns render.
    """
    from IPython.display import HTML

    return HTML(df.to_html(index=index, escape=True, border=0, classes="mathjax_process",
                           float_format=float_format, na_rep=na_rep))
