"""The book's page conventions, checked on the committed (executed) notebooks and Markdown pages.

* every figure is a retina PNG (>= 150 dpi) no wider than the text column;
* every figure is followed by its caption, ``**Figure C.k.**``, numbered per chapter in order;
* the paper's figures are always named "the paper's Fig. N", never a bare "Fig. N" / "Figure N";
* the page shows the computation, not the drawing: a visible code cell holds at most a few
  matplotlib lines and at most 30 lines in all; longer plotting lives in ``multirat.plotting`` or in
  a ``hide-input`` cell;
* printed lines fit the code column; every HTML table scrolls instead of being clipped;
* no cell writes to stderr (warnings are fixed, not shown).
"""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest

from multirat.plotting import COLUMN_WIDTH_IN, DISPLAY_DPI

BOOK = Path(__file__).resolve().parents[1] / "book"
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))
PAGES = NOTEBOOKS + sorted(BOOK.glob("*.md"))

# a shown cell holds at most about 25 full lines of code, counted in characters (so that the formatting,
# one short line per argument or many long ones, does not decide), and never more than 80 lines
MAX_VISIBLE_CODE_CHARS = 2100
MAX_VISIBLE_LINES = 80
MAX_CODE_CHARS = 86                      # characters of code the 1280 px column holds at 12 px (multirat.css)
MAX_VISIBLE_DRAWING_LINES = 3
MAX_PRINT_CHARS = 88                     # monospace characters that fit the code column
MIN_PNG_DPI = 150
HIDDEN_TAGS = {"hide-input", "remove-input", "remove-cell", "hide-cell"}

_DRAWING = re.compile(r"\bplt\.|\bax\.|\baxes\b|\bfig\.|\bax\d?\.|\.(plot|hist|scatter|fill_between|imshow|"
                      r"legend|set_xlabel|set_ylabel|axvline|axhline|annotate|axvspan|bar|barh|errorbar|"
                      r"pcolormesh|contourf?|twinx|semilogy|loglog)\(")
_FIG_REF = re.compile(r"(?<![\w.])(Fig(?:ure)?s?\.?)\s*(\d+[a-z]?(?:\.\d+)?)")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def _chapter(path: Path) -> int | None:
    m = re.match(r"(\d+)_", path.name)
    return int(m.group(1)) if m else None


def _png_size(data: str) -> tuple[int, int]:
    import base64

    raw = base64.b64decode(data[:100])
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", raw[16:24])


def figure_reference_faults(text: str) -> list[str]:
    """Figure references that could be confused with the paper's figures.

    Ours are ``Figure C.k`` (chapter and number); the paper's must be preceded by "paper's".
    Returns the offending snippets (empty when the text follows the convention).
    """
    faults = []
    for m in _FIG_REF.finditer(text):
        word, number = m.group(1), m.group(2)
        if word.startswith("Figure") and re.fullmatch(r"\d+\.\d+", number):
            continue                                         # one of ours: Figure 5.3
        before = " ".join(text[max(0, m.start() - 20):m.start()].split())
        if before.endswith("paper's"):
            continue                                         # the paper's Fig. 4
        faults.append(" ".join(text[max(0, m.start() - 30):m.end() + 5].split()))
    return faults


def test_figure_reference_rule_itself():
    assert figure_reference_faults("see Figure 5.3 and the paper's Fig. 4, the paper's\nFigs. 5") == []
    assert figure_reference_faults("the paper's Fig. 7b-c and Figures 7.1-7.3") == []
    assert len(figure_reference_faults("as in Fig. 4 of the paper")) == 1
    assert len(figure_reference_faults("*Figure 1* shows, Figure 5.3a")) == 1
    assert len(figure_reference_faults("(Fig. 7a) and (Figs. 5-6), paper Fig. 2")) == 3


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_paper_figures_are_named_as_the_papers(path):
    if path.suffix == ".ipynb":
        text = "\n".join(_source(c) for c in _cells(path) if c["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    assert figure_reference_faults(text) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_figures_are_sharp_fit_the_column_and_are_numbered_with_a_caption_below(path):
    cells = _cells(path)
    chapter = _chapter(path)
    expected = 1
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})
                  or "image/svg+xml" in o.get("data", {})]
        if not images:
            continue
        assert chapter is not None, f"{path.name} cell {i}: a page outside the chapters has a figure"
        assert len(images) == 1, f"{path.name} cell {i}: {len(images)} figures in one cell; one figure per cell"
        out = images[0]
        assert "image/png" in out["data"], f"{path.name} cell {i}: figure is not a PNG"
        px_w, _ = _png_size(out["data"]["image/png"])
        shown_w = out.get("metadata", {}).get("image/png", {}).get("width")
        assert shown_w is not None, f"{path.name} cell {i}: PNG without display width (use_style() sets retina)"
        assert shown_w <= COLUMN_WIDTH_IN * DISPLAY_DPI + 1, f"{path.name} cell {i}: {shown_w} px wider than column"
        assert px_w / shown_w * DISPLAY_DPI >= MIN_PNG_DPI, f"{path.name} cell {i}: {px_w} px for {shown_w} px"
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        assert nxt is not None and nxt["cell_type"] == "markdown", f"{path.name} cell {i}: no caption below"
        caption = _source(nxt).lstrip()
        assert caption.startswith(f"**Figure {chapter}.{expected}.**"), (
            f"{path.name} cell {i}: caption should start with '**Figure {chapter}.{expected}.**', "
            f"got {caption[:40]!r}")
        expected += 1
    # no caption without a figure above it, no number used twice
    captions = re.findall(r"\*\*Figure (\d+)\.(\d+)\.\*\*",
                          "\n".join(_source(c) for c in cells if c["cell_type"] == "markdown"))
    assert [int(k) for _, k in captions] == list(range(1, expected)), f"{path.name}: captions {captions}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_visible_code_teaches_and_drawing_is_hidden(path):
    for i, cell in enumerate(_cells(path)):
        if cell["cell_type"] != "code" or HIDDEN_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        lines = [ln for ln in _source(cell).splitlines() if ln.strip() and not ln.strip().startswith("#")]
        drawing = [ln for ln in lines if _DRAWING.search(ln)]
        assert len(lines) <= MAX_VISIBLE_LINES, f"{path.name} cell {i}: {len(lines)} visible lines"
        chars = sum(len(ln.strip()) for ln in lines)
        assert chars <= MAX_VISIBLE_CODE_CHARS, f"{path.name} cell {i}: {chars} characters of shown code"
        wide = [ln for ln in _source(cell).splitlines() if len(ln) > MAX_CODE_CHARS]
        assert not wide, (f"{path.name} cell {i}: shown code wider than {MAX_CODE_CHARS} characters wraps in the "
                          f"column: {wide[0][:60]!r}")
        assert len(drawing) <= MAX_VISIBLE_DRAWING_LINES, (
            f"{path.name} cell {i}: {len(drawing)} drawing lines shown; move them to multirat.plotting or "
            f"tag the cell hide-input: {drawing[:3]}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_fit_the_column_and_tables_scroll(path):
    for i, cell in enumerate(_cells(path)):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                assert out["name"] == "stdout", f"{path.name} cell {i} writes to stderr: {''.join(out['text'])[:200]}"
                for line in "".join(out["text"]).splitlines():
                    assert len(line) <= MAX_PRINT_CHARS, f"{path.name} cell {i}: printed line of {len(line)} chars"
            html = out.get("data", {}).get("text/html")
            if html is not None:
                html = html if isinstance(html, str) else "".join(html)
                if "<table" in html:
                    assert 'class="table-scroll"' in html, f"{path.name} cell {i}: table not made by html_table"
