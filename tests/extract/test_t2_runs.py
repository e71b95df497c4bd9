"""Run-together digits in 表二 (`行政规范性文件693665`): cut where the evidence decides (the text
restating the numbers), otherwise left blank with the candidates and an error naming the row —
never a blank without an error (issue 8, item 2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract.document import extract_document
from tests.conftest import DOCS, load_truth

FLAT = "textflat_2021_fujian_pingtan_gov.txt"
TWIN = load_truth()["html_2021_fujian_pingtan_gov.html"]
ROW = "normative_documents"
COLS = ("issued_count", "repealed_count", "in_force_count")


def _doc(sentence: str = "", run: str = "693665") -> bytes:
    text = (DOCS / FLAT).read_text(encoding="utf-8")
    assert "行政规范性文件693665" in text
    text = text.replace("行政规范性文件693665", f"行政规范性文件{run}")
    at = text.index("第二十条")
    return (text[:at] + sentence + text[at:]).encode()


def _row(data: bytes):  # type: ignore[no-untyped-def]
    r = extract_document(data, "t2.txt")
    return r, {c.col_key: c for c in r.cells if c.row_key == ROW and c.table == "active_disclosure"}


def test_an_open_cut_is_blank_flagged_and_named_in_the_errors() -> None:
    r, row = _row(_doc())
    for col in COLS:
        cell = row[col]
        assert cell.value is None and "ambiguous_split" in cell.flags
        cands = next(f for f in cell.flags if f.startswith("candidates:")).split(":", 1)[1].split("|")
        assert TWIN[("active_disclosure", "art20_1", ROW, col)][0] in {Decimal(c) for c in cands}
    errors = [e for e in r.errors if e.code == "ambiguous_split" and ROW in e.message]
    assert len(errors) == 1 and all(col in errors[0].message for col in COLS)
    assert r.status.value == "extracted_with_issues"


@pytest.mark.parametrize("sentence", [
    "本年度制发规范性文件69件，废止3件，现行有效665件。",
    "全年制发行政规范性文件69件，现行有效665件。",  # two numbers leave one cut of the run
])
def test_the_text_restating_the_row_settles_the_cut(sentence: str) -> None:
    r, row = _row(_doc(sentence))
    for col in COLS:
        assert row[col].value == TWIN[("active_disclosure", "art20_1", ROW, col)][0]
        assert "split_by_prose" in row[col].flags
    assert not [e for e in r.errors if e.code == "ambiguous_split" and ROW in e.message]


def test_a_statement_no_cut_agrees_with_settles_nothing() -> None:
    r, row = _row(_doc("本年度制发规范性文件70件。"))
    assert all(row[c].value is None and "ambiguous_split" in row[c].flags for c in COLS)
    assert any(e.code == "ambiguous_split" and ROW in e.message for e in r.errors)


def test_the_issue_example_with_its_sentence() -> None:
    """`行政规范性文件8855698` with `制发规范性文件88件` and `现行有效698件` (issue 8)."""
    _r, row = _row(_doc("制发规范性文件88件，现行有效698件。", run="8855698"))
    assert [row[c].value for c in COLS] == [88, 55, 698]


@pytest.mark.parametrize("name", ["textflat_2019_fujian_pingtan_gov.txt", "textflat_2020_fujian_pingtan_gov.txt"])
def test_every_open_row_of_the_corpus_has_its_error(name: str) -> None:
    r = extract_document((DOCS / name).read_bytes(), name)
    open_rows = {(c.table, c.row_key) for c in r.cells if "ambiguous_split" in c.flags}
    assert open_rows
    named = [e.message for e in r.errors if e.code == "ambiguous_split"]
    for table, row in open_rows:
        assert any(m.startswith(table) and f"/{row}:" in m for m in named), (table, row)
