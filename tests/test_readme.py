"""The README's Python snippets run as printed (from the repository root; the checkpoint goes to a
temporary folder instead of /tmp/tiny.pt)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from multirat.paths import repo_root

SNIPPETS = re.findall(r"```python\n(.*?)```", (repo_root() / "README.md").read_text(), re.S)


def test_the_readme_has_its_snippets():
    assert len(SNIPPETS) == 2 and "Trainer(" in SNIPPETS[0] and "load_policy(" in SNIPPETS[1]


@pytest.mark.parametrize("index", range(len(SNIPPETS)))
def test_a_readme_snippet_runs(index, tmp_path):
    code = SNIPPETS[index].replace("/tmp/tiny.pt", str(tmp_path / "tiny.pt"))
    out = subprocess.run([sys.executable, "-c", code], cwd=repo_root(), capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    if index == 0:                                  # evaluations before training, at 20 and at 40, two runs
        assert len(out.stdout.strip().splitlines()) == 1 + 6
        again = subprocess.run([sys.executable, "-c", code], cwd=repo_root(), capture_output=True, text=True,
                               timeout=300)
        assert again.stdout == out.stdout                          # resumed from the finished checkpoint
    else:
        assert [line.split(":")[0] for line in out.stdout.strip().splitlines()][1:] == ["RA", "MaxP-3GPP-MCS"]
