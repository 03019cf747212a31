"""A guard on the built book: nothing on a page is clipped at the column edge.

The book is built once per session (``jupyter-book build -W``, a few seconds: the notebooks are already
executed). Every page must load ``book/_static/multirat.css``, whose rules let display equations and
tables scroll in their own frame and make shown code wrap at the column width; every table must sit in
a scrolling frame, every display equation in the ``div.math`` the rule applies to, every code block in a
``pre`` the wrap rule applies to. These are static checks of the HTML and CSS (no browser is needed):
whatever is wider than the column scrolls or wraps instead of disappearing under the column edge.
Where Chromium is installed, one headless pass at 1280 px also measures what a reader sees: nothing
beyond the column, no table that needs its scroll frame, no shown code line that wraps.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from multirat.paths import repo_root

CSS = repo_root() / "book" / "_static" / "multirat.css"
SCROLLING = ("pst-scrollable-table-container", "table-scroll")        # the frames a table may sit in


def css_rules(text: str) -> dict[str, dict[str, str]]:
    """``{selector: {property: value}}`` of a simple style sheet (comments dropped, one entry per selector)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        decls = dict((k.strip(), v.strip()) for k, _, v in (d.partition(":") for d in body.split(";")) if v.strip())
        for sel in selectors.split(","):
            rules.setdefault(" ".join(sel.split()), {}).update(decls)
    return rules


def css_problems(text: str) -> list[str]:
    """What the style sheet lacks for nothing to be clipped (empty: nothing)."""
    rules = css_rules(text)
    want = {"div.math": ("overflow-x", "auto"), 'mjx-container[display="true"]': ("overflow-x", "auto"),
            "div.cell_input pre": ("white-space", "pre-wrap"), "div.highlight pre": ("white-space", "pre-wrap")}
    want.update({f"div.{c}": ("overflow-x", "auto") for c in SCROLLING})
    return [f"{sel} {{{prop}: {value}}}" for sel, (prop, value) in want.items() if rules.get(sel, {}).get(prop) != value]


class _Page(HTMLParser):
    """Collects, for a page, the tables outside a scrolling frame and the display equations outside div.math."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, set[str]]] = []
        self.problems: list[str] = []
        self.stylesheets: list[str] = []
        self.tables = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs.get("href") or "")
        if tag == "table":
            self.tables += 1
            if not any(t == "div" and classes_ & set(SCROLLING) for t, classes_ in self.stack):
                self.problems.append(f"table #{self.tables} is not inside a scrolling frame ({', '.join(SCROLLING)})")
        if tag not in self.VOID:
            self.stack.append((tag, classes))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):               # tolerate unclosed children (e.g. <p>)
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if any(t in ("pre", "code", "script", "style", "textarea") for t, _ in self.stack):
            return
        in_math = any("math" in c for _, c in self.stack)
        if ("\\[" in data or "$$" in data) and not in_math:
            self.problems.append(f"a display equation outside div.math: {data.strip()[:60]!r}")
        raw = re.search(r"\$[^$\n]{1,80}\$", data)
        if raw and not in_math and any("cell_output" in c for _, c in self.stack):
            self.problems.append(f"raw $...$ math in a cell output (Markdown outputs are not typeset): "
                                 f"{raw.group(0)!r}")


def page_problems(html: str) -> list[str]:
    """Everything on one built page that could be clipped at the column edge (empty: nothing)."""
    page = _Page()
    page.feed(html)
    problems = list(page.problems)
    if not any(href.split("?")[0].endswith("_static/multirat.css") for href in page.stylesheets):
        problems.append("the page does not load _static/multirat.css")
    return problems


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("book")
    jb = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run([str(jb), "build", str(repo_root()), "--path-output", str(out), "-W", "--keep-going"],
                            check=False, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return out / "_build" / "html"


def test_the_style_sheet_keeps_everything_in_the_column():
    assert css_problems(CSS.read_text()) == []


def test_no_page_has_anything_that_can_be_clipped(built):
    assert css_problems((built / "_static" / "multirat.css").read_text()) == []
    pages = sorted((built / "book").glob("*.html"))                     # index.html only redirects to intro
    assert len(pages) >= 10
    found = {path.name: page_problems(path.read_text()) for path in pages}
    assert {name: p for name, p in found.items() if p} == {}
    tables = sum(path.read_text().count("<table") for path in pages)
    assert tables > 50                                                 # the check saw the book's tables


# --- one headless-browser pass, where Chromium is installed -----------------------------------------------

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
MEASURE = Path(__file__).with_name("data") / "measure_overflow.js"


def browser_overflow(page: Path, width_px: int = 1280) -> dict:
    """Render ``page`` in headless Chromium at ``width_px`` (MathJax typeset) and return the report of
    ``tests/data/measure_overflow.js``: the column width, the number of display equations, MathJax's error
    messages, every element clipped at, or reaching beyond, the article column without scrolling in a frame
    of its own, every table wider than the column (``"<width> px: <its headers>"``), framed or not, and
    every shown code line longer than its block holds (``"<n> chars, the block holds <m>: <line>"``)."""
    probe = page.with_name(f".{page.stem}.probe.html")
    probe.write_text(page.read_text().replace("</body>", f"<script>{MEASURE.read_text()}</script></body>"))
    try:
        dom = subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", f"--window-size={width_px},900",
                              "--virtual-time-budget=15000", "--dump-dom", probe.as_uri()],
                             capture_output=True, text=True, timeout=120).stdout
    finally:
        probe.unlink()
    found = re.findall(r'<pre id="overflow-report"[^>]*>(.*?)</pre>', dom, re.S)
    assert found, f"{page.name}: the measuring script did not report (Chromium output {dom[-300:]!r})"
    return json.loads(unescape(found[-1]))


@pytest.mark.skipif(BROWSER is None, reason="no Chromium on PATH (Debian: apt-get install chromium): the browser "
                                            "pass is skipped; the static checks above still run")
def test_in_a_browser_at_1280_px_nothing_is_clipped_or_beyond_the_column(built):
    reports = {p.name: browser_overflow(p) for p in sorted((built / "book").glob("*.html"))}
    assert {name: r["overflow"] for name, r in reports.items() if r["overflow"]} == {}
    # and no table needs its scroll frame at this width: every column, the key ones too, is seen at once
    assert {name: r["scrolled_tables"] for name, r in reports.items() if r["scrolled_tables"]} == {}
    # and no shown code line wraps (it would lose its indentation)
    assert {name: r["wrapped_code"] for name, r in reports.items() if r["wrapped_code"]} == {}
    assert {name: r["math_errors"] for name, r in reports.items() if r["math_errors"]} == {}   # every formula typesets
    assert sum(r["equations"] for r in reports.values()) > 40            # MathJax ran: equations were measured
    assert all(600 <= r["column"] <= 900 for r in reports.values())


@pytest.mark.skipif(BROWSER is None, reason="no Chromium on PATH (Debian: apt-get install chromium)")
def test_the_browser_pass_flags_a_clipped_equation_and_an_over_wide_table(built, tmp_path):
    page = built / "book" / "04_sinr.html"
    wide = page.with_name("wide_probe_case.html")
    long_sum = " + ".join(f"x_{{{i}}}" for i in range(120))   # about 300 ex of rendered math, numbered as the book's are
    extra = ('<table id="too-wide" style="width: 1500px"><tr><td>wide</td></tr></table>'
             '<div style="overflow: hidden"><pre style="white-space: pre; overflow: hidden">' + "x" * 300 + "</pre></div>"
             f'<div class="math notranslate nohighlight">\\[ y = {long_sum} \\tag{{99}} \\]</div>'
             '<div class="math notranslate nohighlight">\\[\\begin{split} a \\tag{98} \\end{split}\\]</div>'
             '<div class="table-scroll" style="overflow-x: auto"><table><tr><th>scrolled</th><td>' + 'y' * 400 +
             '</td></tr></table></div>'
             '<div class="cell_input"><pre>short = 1\nlong_line = "' + 'z' * 120 + '"</pre></div>'
             '<details><summary>code</summary><div class="cell_input"><pre>folded = "' + 'z' * 120 + '"</pre></div>'
             '</details>')
    wide.write_text(re.sub(r"<link[^>]*multirat\.css[^>]*>", "", page.read_text()).replace("</article>",
                                                                                          extra + "</article>", 1))
    try:
        report = browser_overflow(wide)
    finally:
        wide.unlink()
    found = report["overflow"]
    assert report["math_errors"] and "split" in report["math_errors"][0], report["math_errors"]
    assert any(f.startswith("table reaches") for f in found), found
    assert any(f.startswith("pre clipped by") for f in found), found
    assert any(f.startswith("div clipped by") for f in found), found          # without multirat.css: div.math clips
    # the long shown line is reported; the folded one of a hide-input cell is not (it wraps only when opened)
    ours = [w for w in report["wrapped_code"] if any(k in w for k in ("long_line", "short", "folded"))]
    assert len(ours) == 1 and re.fullmatch(r'134 chars, the block holds 7\d: long_line = "z{37}', ours[0]), ours
    heads = [t.split(": ", 1)[1] for t in report["scrolled_tables"]]
    assert "wide" in heads and "scrolled" in heads                                     # framed or not


# --- the guard itself fails where it must ---------------------------------------------------------------

GOOD = ('<html><head><link rel="stylesheet" href="../_static/multirat.css?v=1" /></head><body>'
        '<div class="pst-scrollable-table-container"><table><tr><td>1</td></tr></table></div>'
        '<div class="cell_output"><div class="table-scroll" style="overflow-x: auto"><table></table></div></div>'
        '<div class="math notranslate nohighlight">\\[ x = 1 \\]</div><pre>\\[ in code \\]</pre></body></html>')


def test_the_guard_passes_a_good_page_and_flags_each_fault():
    assert page_problems(GOOD) == []
    wide_table = GOOD.replace('<div class="pst-scrollable-table-container"><table>', "<div><table>")
    assert page_problems(wide_table) == ["table #1 is not inside a scrolling frame (pst-scrollable-table-container, "
                                         "table-scroll)"]
    bare_equation = GOOD.replace('<div class="math notranslate nohighlight">', "<div>")
    assert page_problems(bare_equation) == ["a display equation outside div.math: '\\\\[ x = 1 \\\\]'"]
    no_css = GOOD.replace("multirat.css", "theme.css")
    assert page_problems(no_css) == ["the page does not load _static/multirat.css"]
    raw = GOOD.replace("</body>", '<div class="cell_output"><p>at $\\phi$ = 0.4</p></div></body>')
    assert page_problems(raw) == ["raw $...$ math in a cell output (Markdown outputs are not typeset): '$\\\\phi$'"]
    assert page_problems(GOOD.replace("</body>", "<p>costs $5 and $6</p></body>")) == []      # prose is typeset


def test_the_guard_flags_a_style_sheet_that_would_clip():
    text = CSS.read_text()
    assert css_problems(text.replace("pre-wrap", "pre")) == ["div.cell_input pre {white-space: pre-wrap}",
                                                             "div.highlight pre {white-space: pre-wrap}"]
    clipped = text.replace("overflow-x: auto;\n  overflow-y: hidden;", "overflow: hidden;")
    assert css_problems(clipped) == ["div.math {overflow-x: auto}", 'mjx-container[display="true"] {overflow-x: auto}']
    assert css_problems("") and len(css_problems("")) == 6
