"""data/paper_claims.csv: schema, and every sentence is the paper's."""

import re
from pathlib import Path

import numpy as np
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


HEADER = ",".join(COLUMNS)


def _write(path, *rows):
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    return path


def test_a_hand_written_table_parses_exactly(tmp_path):
    path = _write(tmp_path / "claims.csv",
                  'a,Fig. 5b,throughput,Scenario 1,4,20,0.4,0.05,,300,"K, N defaults",119.94,kbits/frame,"text one"',
                  'b,Table 4,time,DQN,,100,,,10,,,2.8,ms,"text two"')
    t = load_claims(path)
    assert list(t.id) == ["a", "b"]
    for col in ("K", "N", "phi", "sigma_rt", "Z_k", "episodes", "value"):
        assert t[col].dtype == np.float64, col
    assert t.loc[0, ["K", "N", "phi", "sigma_rt", "episodes", "value"]].tolist() == [4.0, 20.0, 0.4, 0.05, 300.0, 119.94]
    assert np.isnan(t.loc[0, "Z_k"])                                        # not stated: NaN, not 0
    assert t.loc[1, "Z_k"] == 10.0 and t.loc[1, "value"] == 2.8
    assert t.loc[1, ["K", "phi", "sigma_rt", "episodes"]].isna().all()
    assert t.loc[0, "other_conditions"] == "K, N defaults" and t.loc[1, "other_conditions"] == ""
    assert t.loc[1, "sentence"] == "text two"


def test_committed_conditions_are_numbers_or_nan():
    claims = load_claims()
    for col in ("K", "N", "phi", "sigma_rt", "Z_k", "episodes", "value"):
        assert claims[col].dtype == np.float64, col
    assert claims.value.notna().all()
    assert claims.K.isna().any() and claims.K.notna().any()                   # both stated and unstated occur


@pytest.mark.parametrize("col", ["K", "N", "phi", "sigma_rt", "Z_k", "episodes", "value"])
def test_every_numeric_column_is_checked(tmp_path, col):
    row = dict(zip(COLUMNS, ["a", "s", "q", "x", "4", "20", "0.4", "0.05", "100", "300", "", "1.5", "u", "t"]))
    row[col] = "many"
    path = _write(tmp_path / "claims.csv", ",".join(row[c] for c in COLUMNS))
    with pytest.raises(ValueError, match=f"column '{col}' is not numeric in rows \\['a'\\]"):
        load_claims(path)


def test_missing_value_is_rejected(tmp_path):
    path = _write(tmp_path / "claims.csv", "a,s,q,x,4,20,,,,,,1.5,u,t", "b,s,q,x,4,20,,,,,,,u,t")
    with pytest.raises(ValueError, match=r"missing value in rows \['b'\]"):
        load_claims(path)


def test_columns_must_be_in_order(tmp_path):
    cols = list(COLUMNS)
    cols[4], cols[5] = cols[5], cols[4]                                       # K and N swapped
    (tmp_path / "claims.csv").write_text(",".join(cols) + "\na,s,q,x,20,4,,,,,,1.5,u,t\n")
    with pytest.raises(ValueError, match="columns"):
        load_claims(tmp_path / "claims.csv")
    (tmp_path / "extra.csv").write_text(HEADER + ",note\na,s,q,x,4,20,,,,,,1.5,u,t,n\n")
    with pytest.raises(ValueError, match="columns"):
        load_claims(tmp_path / "extra.csv")


def test_a_directory_is_not_a_claims_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing result file"):
        load_claims(tmp_path)
