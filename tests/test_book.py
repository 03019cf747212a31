"""The book as a whole: every notebook runs in the smoke profile, the committed notebooks are
executed, and Jupyter Book builds the HTML without a single warning."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from multirat import book, results
from multirat.paths import repo_root

ROOT = repo_root()
NOTEBOOKS = book.toc_notebooks(ROOT)


def test_toc_lists_the_required_pages():
    names = {p.name for p in NOTEBOOKS}
    assert "assumptions.ipynb" in names
    assert (ROOT / "book" / "intro.md").is_file()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_notebook_is_executed_and_parameterised(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters' (papermill)"
    assert "profile" in tagged[0].source
    for cell in code:
        assert cell.execution_count is not None, f"unexecuted cell in {path.name}: run `make book`"
        assert not any(o.get("output_type") == "error" for o in cell.outputs), path.name
    for cell in code:
        if "injected-parameters" in cell.metadata.get("tags", []):
            assert "remove-cell" in cell.metadata["tags"], "papermill's injected cell must be hidden"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_smoke_profile(path, tmp_path, monkeypatch):
    # experiments compute and store their smoke tables in a temporary result store, never in data/
    monkeypatch.setenv(results.MODE_ENV, "auto")
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path / "results"))
    out = book.execute_notebook(path, tmp_path / path.name, {"profile": "smoke"})
    first = out.read_bytes()
    # a second run (cached tables now loaded, not computed) gives a byte-identical file: no wall-clock
    # times on the page, no random cell ids, the same numbers from the store as from a fresh computation
    second = book.execute_notebook(path, out, {"profile": "smoke"}).read_bytes()
    if second != first:                                  # say where, so that a rare difference can be diagnosed
        i = next((k for k, (x, y) in enumerate(zip(first, second)) if x != y), min(len(first), len(second)))
        pytest.fail(f"{path.name}: the second smoke run differs at byte {i}:\n--- first\n"
                    f"{first[max(0, i - 600):i + 300].decode(errors='replace')}\n--- second\n"
                    f"{second[max(0, i - 600):i + 300].decode(errors='replace')}")
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "remove-cell" in injected[0].metadata.tags and injected[0].id == "injected-parameters"
    assert "'smoke'" in injected[0].source or '"smoke"' in injected[0].source


def test_results_mode_is_passed_to_the_kernels(monkeypatch, tmp_path):
    monkeypatch.setattr(book, "execute_notebook", lambda nb, *a, **k: nb)
    monkeypatch.setenv(results.MODE_ENV, "auto")                  # restored after the test
    nb = _tiny_notebook(tmp_path / "x.ipynb", "x = 1")
    assert book.main([str(nb), "--results", "cache_only"]) == 0
    import os
    assert os.environ[results.MODE_ENV] == "cache_only"
    with pytest.raises(SystemExit):
        book.main([str(nb), "--results", "sometimes"])


@pytest.mark.parametrize("argv, message", [
    (["--profile", "fast"], "profile='fast' is unknown: allowed one of 'smoke', 'quick', 'paper'"),
    (["book/nosuch.ipynb"], "notebook 'book/nosuch.ipynb' does not exist"),
    (["README.md"], "notebook 'README.md' is not a .ipynb file"),
])
def test_usage_errors_are_one_line_with_status_2(argv, message, capsys):
    with pytest.raises(SystemExit) as err:
        book.main(argv)
    assert err.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].endswith(message)


@pytest.mark.parametrize("argv, message", [
    (["-p", "profle", "quick"], ("parameter 'profle' is not a parameter of book/01_path_loss.ipynb: allowed "
                                 "'profile', 'seed'")),
    (["-p", "seed", "abc"], "parameter seed='abc': must be an integer >= 0"),
    (["-p", "seed", "1.5"], "parameter seed=1.5: must be an integer >= 0"),
    (["-p", "seed", "True"], "parameter seed=True: must be an integer >= 0"),
    (["-p", "seed", "-1"], "parameter seed=-1: must be an integer >= 0"),
    (["-p", "profile", "7"], "profile=7 is unknown"),
    (["-p", "profile", "nonsense"], "profile='nonsense' is unknown: allowed one of 'smoke', 'quick', 'paper'"),
    (["--profile", "quick", "-p", "profile", "smoke"], "give the profile once"),
    (["-p", "seed", "3", "-p", "seed", "4"], "parameter 'seed' is given more than once"),
    (["--output-dir", "README.md"], "--output-dir 'README.md' is a file, not a folder"),
])
def test_a_misspelled_or_mistyped_parameter_is_a_usage_error(argv, message, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    ran = []
    monkeypatch.setattr(book, "execute_notebook", lambda *a, **k: ran.append(a))
    with pytest.raises(SystemExit) as err:
        book.main(["book/01_path_loss.ipynb", *argv])
    assert err.value.code == 2 and ran == []                          # no kernel started
    assert message in capsys.readouterr().err.strip().splitlines()[-1]


def test_parameters_reach_the_notebook_with_their_types(monkeypatch):
    monkeypatch.chdir(ROOT)
    ran = []
    monkeypatch.setattr(book, "execute_notebook", lambda nb, out, params: ran.append(params) or nb)
    assert book.main(["book/01_path_loss.ipynb", "-p", "seed", "7", "--profile", "quick"]) == 0
    assert ran == [{"seed": 7, "profile": "quick"}]
    assert [book.parse_value(v) for v in ("7", "0.4", "True", "quick", "'7'")] == [7, 0.4, True, "quick", "7"]


def test_a_parameter_of_the_wrong_type_for_one_notebook_is_a_usage_error(tmp_path, capsys):
    nb = _tiny_notebook(tmp_path / "t.ipynb", "x = 1")
    with pytest.raises(SystemExit) as err:                      # the tiny notebook's profile default is "paper"
        book.main([str(nb), "-p", "profile", "3"])
    assert err.value.code == 2
    with pytest.raises(ValueError, match="must be str like its default profile"):
        book.check_parameters(nb, {"profile": 3})


def test_warnings_inside_a_chapter_reach_the_console(tmp_path, capsys):
    nb = _tiny_notebook(tmp_path / "t.ipynb", "import warnings; warnings.warn('the stored table is kept')")
    assert book.main([str(nb)]) == 0
    err = capsys.readouterr().err
    assert "UserWarning: the stored table is kept" in err
    assert book.stderr_lines(nb) == [line.strip() for line in err.strip().splitlines()]


def test_kernels_use_ipc_not_unencrypted_tcp(tmp_path, capfd):
    nb = _tiny_notebook(tmp_path / "t.ipynb", "import sys; print('ok', file=sys.stdout)")
    book.execute_notebook(nb)
    assert "without encryption" not in capfd.readouterr().err
    out = nbformat.read(nb, as_version=4)
    assert out.cells[-1].outputs[0]["text"] == "ok\n"


def test_jupyter_book_builds_without_warnings(tmp_path):
    jb = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run([str(jb), "build", str(ROOT), "--path-output", str(tmp_path), "-W", "--keep-going"],
                            check=False, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    html = tmp_path / "_build" / "html"
    assert (html / "index.html").is_file()
    page = (html / "book" / "assumptions.html").read_text()
    assert "p_max_dbm" in page and "assumption:" in page
    assert "injected-parameters" not in page
    # the intro's ledger counts are glued from chapter 15's page: the rendered numbers are the stored ledger's
    import pandas as pd

    intro = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", (html / "book" / "intro.html").read_text()))
    found = re.search(r"Of the paper.s (\d+) claims, (\d+) are reproduced .*?, (\d+) have the paper.s sign but "
                      r"not its size, (\d+) are not reproduced, (\d+) are not reproducible .*?, and (\d+) could not "
                      r"be measured", intro)
    ledger = pd.read_csv(ROOT / "data" / "results" / "ledger" / "paper.csv").status.value_counts()
    assert found and [int(x) for x in found.groups()] == [ledger.sum(), ledger["reproduced"],
                                                          ledger["same direction"], ledger["not reproduced"],
                                                          ledger["not reproducible"], ledger["not measured"]], found
    # MathJax is bundled: every page loads the local copy, none a CDN (formulas render offline)
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file()
    with_math = []
    for path in sorted((html / "book").glob("*.html")):
        text = path.read_text()
        assert "cdn.jsdelivr.net/npm/mathjax" not in text and "mathjax@3" not in text, path.name
        if "_static/mathjax/tex-chtml.js" in text:
            with_math.append(path.stem)
    assert {"intro", "assumptions", "01_path_loss", "03_link_model", "04_sinr", "06_np_hardness"} <= set(with_math)
    # no inline script twice on a page (sphinx-thebe's `const THEBE_JS_URL` twice was a console error everywhere)
    for path in [html / "index.html", *sorted((html / "book").glob("*.html"))]:
        inline = re.findall(r"<script>(.*?)</script>", path.read_text(), flags=re.DOTALL)
        assert len(inline) == len(set(inline)), (path.name, [s[:60] for s in inline if inline.count(s) > 1])
    # the References list is labelled author-year like the citations, never numbered
    labels = re.findall(r'class="label"><span class="fn-bracket">\[</span>(?:<a[^>]*>)?([^<]+)',
                        (html / "book" / "bibliography.html").read_text())
    assert len(labels) >= 20 and "3GPP TR 38.901, 2020" in labels and "Belhadj Mohamed et al., 2026" in labels, labels
    assert not any(label.strip().isdigit() for label in labels), labels
    assert "Björnson et al., 2014" in labels                       # LaTeX accents decoded
    assert len(labels) == len(set(labels))                          # a, b, ... where an author has two in a year


def _tiny_notebook(path, body):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                             "language": "python"},
                                            "language_info": {"name": "python"}})
    nb.cells = [nbformat.v4.new_code_cell('profile = "paper"', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(body)]
    nbformat.write(nb, path)
    return path


def test_a_failing_in_place_run_leaves_the_notebook_intact(tmp_path, capsys):
    nb = _tiny_notebook(tmp_path / "failing.ipynb", 'raise ValueError(f"stale result in {profile}")')
    before = nb.read_bytes()
    assert book.main([str(nb), "--profile", "smoke"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ValueError: stale result in smoke" in err
    assert "failing.ipynb failed in the cell starting 'raise ValueError(f\"stale result in {profile}\")'" in err
    assert nb.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["failing.ipynb"]
    ok = _tiny_notebook(tmp_path / "ok.ipynb", "print(profile)")
    ok.chmod(0o640)
    assert book.main([str(ok), "--profile", "smoke"]) == 0                           # a successful run replaces it
    assert ok.stat().st_mode & 0o777 == 0o640                                        # ... keeping its permissions
    cells = nbformat.read(ok, as_version=4).cells
    assert any("smoke" in "".join(o.get("text", "")) for c in cells if c.cell_type == "code" for o in c.outputs)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["failing.ipynb", "ok.ipynb"]


def test_an_invalid_results_mode_in_the_environment_is_a_usage_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(results.MODE_ENV, "bogus")
    with pytest.raises(SystemExit) as err:
        book.main([str(tmp_path / "x.ipynb")])
    assert err.value.code == 2 and "MULTIRAT_RESULTS='bogus'" in capsys.readouterr().err


def test_adjacent_stream_outputs_are_merged_in_order():
    """A print split by the kernel's flush timer under load ('... dB' + newline) is stored as one output; a
    figure between two prints keeps its place, stdout and stderr stay apart."""
    from nbformat.v4 import new_output

    split = [new_output("stream", name="stdout", text="largest difference: 0.027 dB"),
             new_output("stream", name="stdout", text="\n"),
             new_output("display_data", data={"text/plain": "<Figure>"}),
             new_output("stream", name="stdout", text="after the figure\n"),
             new_output("stream", name="stderr", text="a warning\n"),
             new_output("stream", name="stdout", text="last\n")]
    merged = book.merge_adjacent_streams(split)
    assert [(o.output_type, o.get("name"), o.get("text")) for o in merged] == [
        ("stream", "stdout", "largest difference: 0.027 dB\n"), ("display_data", None, None),
        ("stream", "stdout", "after the figure\n"), ("stream", "stderr", "a warning\n"), ("stream", "stdout", "last\n")]
    assert book.merge_adjacent_streams([]) == []
