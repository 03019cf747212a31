"""data/paper_claims.csv: schema, and every sentence is the paper's."""

import re
from pathlib import Path

import pytest

from multirat.claims import COLUMNS, load_claims
from multirat.paths import repo_root

PAPER = repo_root().parent / "shared" / "paper" / "paper.md"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_claims_schema():
    claims = load_claims()
    assert tuple(claims.columns) == COLUMNS
    assert len(claims) >= 35
    assert claims.id.is_unique
    assert claims.sentence.str.len().gt(20).all()
    # the headline numbers of the abstract/conclusion are there
    for value in (114.16, 46.0, 70.4, 2.8, 10.9, 14.4):
        assert (claims.value == value).any(), value


def test_every_value_occurs_in_its_sentence():
    for row in load_claims().itertuples():
        digits = _norm(row.sentence).replace(",", "")
        assert re.search(rf"(?<![\d.]){re.escape(f'{row.value:.10g}')}(?![\d])", digits), (row.id, row.value)


@pytest.mark.skipif(not PAPER.is_file(), reason="the paper text is not beside this clone")
def test_every_sentence_is_quoted_from_the_paper():
    paper = _norm(PAPER.read_text())
    for row in load_claims().itertuples():
        assert _norm(row.sentence) in paper, row.id


def test_malformed_claims_are_rejected(tmp_path):
    good = load_claims()
    bad = good.copy()
    bad.loc[1, "id"] = bad.loc[0, "id"]
    path = tmp_path / "claims.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(ValueError, match="duplicate ids"):
        load_claims(path)
    bad = good.copy()
    bad["value"] = bad["value"].astype(object)
    bad.loc[0, "value"] = "about 12"
    bad.to_csv(path, index=False)
    with pytest.raises(ValueError, match="'value' is not numeric"):
        load_claims(path)
    good.drop(columns="sentence").to_csv(path, index=False)
    with pytest.raises(ValueError, match="columns"):
        load_claims(path)
    with pytest.raises(FileNotFoundError, match="missing result file"):
        load_claims(tmp_path / "nope.csv")
