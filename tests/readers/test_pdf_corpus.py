"""The two real PDFs (淮安市 and 洪泽区 2024) read back with the printed numbers in place.

Keys are the mapper's job; here the grids are checked against truth.csv through the printed
order of rows and columns (format-spec §2), which is what a mapper will rely on.
"""

from __future__ import annotations

import re
import time
from functools import cache

import pytest

from extract.grid import Document, Table
from extract.readers.pdf import read_pdf

from .conftest import CITY_PDF, HONGZE_PDF, corpus_bytes, truth_rows

APP_COLS = ["natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
            "legal_service_org", "other_org", "total"]
HEAD = ["new_received", "carried_over", "granted", "partially_granted",
        "withheld_state_secret", "withheld_prohibited_by_law", "withheld_security_stability",
        "withheld_third_party_rights", "withheld_internal_affairs", "withheld_process_info",
        "withheld_enforcement_file", "withheld_admin_inquiry", "unavailable_not_held",
        "unavailable_needs_creation", "unavailable_still_unclear", "not_processed_petition",
        "not_processed_duplicate", "not_processed_publication", "not_processed_excessive",
        "not_processed_confirm_reissue"]
V21_OTHER = ["other_no_correction", "other_fee_unpaid", "other_misc"]
TAIL = ["results_total", "carried_forward"]
REVIEW = ["review_upheld", "review_corrected", "review_other", "review_pending", "review_total",
          "suit_direct_upheld", "suit_direct_corrected", "suit_direct_other", "suit_direct_pending",
          "suit_direct_total", "suit_after_review_upheld", "suit_after_review_corrected",
          "suit_after_review_other", "suit_after_review_pending", "suit_after_review_total"]
NUM = re.compile(r"^\d+(?:\.\d+)?$")


@cache
def doc(name: str) -> Document:
    return read_pdf(corpus_bytes(name))


def table_with(d: Document, text: str) -> Table:
    found = [t for t in d.tables if text in t.text()]
    assert len(found) == 1, f"{len(found)} tables contain {text!r}"
    return found[0]


def numeric_rows(t: Table, width: int) -> list[list[str]]:
    """The rows that end in `width` number cells (the data rows), as those cells' texts."""
    out = []
    for row in t.rows:
        tail = [c.text for c in row[-width:]]
        if len(row) >= width and all(NUM.match(x) for x in tail):
            out.append(tail)
    return out


def truth(name: str, table: str) -> dict[tuple[str, str], str]:
    return {(r["row_key"], r["col_key"]): r["value"] for r in truth_rows(name) if r["table"] == table}


@pytest.mark.parametrize("name", [CITY_PDF, HONGZE_PDF])
def test_three_tables_one_per_form_table(name: str) -> None:
    d = doc(name)
    assert len(d.tables) == 3
    assert [t.index for t in d.tables] == [0, 1, 2]
    for t in d.tables:
        widths = {len(r) for r in t.rows}
        assert len(widths) == 1, "every row of a grid has the same width"
        assert [[c.row for c in r] for r in t.rows] == [[i] * len(r) for i, r in enumerate(t.rows)]
        assert all(c.col == j for r in t.rows for j, c in enumerate(r))


def test_city_applications_is_one_table_over_two_pages() -> None:
    t = table_with(doc(CITY_PDF), "申请人情况")
    assert t.page == 4
    text = t.text()
    assert "一、本年新收政府信息公开申请数量" in text and "四、结转下年度继续办理" in text  # page 4 and page 5
    assert sum("申请人情况" in c.text and not c.span_copy for r in t.rows for c in r) == 1


def test_city_label_split_by_page_break_is_rejoined() -> None:
    t = table_with(doc(CITY_PDF), "申请人情况")
    row = next(r for r in t.rows if any("不掌握" in c.text for c in r))
    assert row[-1].text == "769"
    assert row[1].text == "（四）无法提供" and not row[1].span_copy
    group = [r for r in t.rows if r[1].text == "（四）无法提供"]
    assert len(group) == 3
    assert [r[1].span_copy for r in group] == [False, True, True]
    assert [r[2].text for r in group] == ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
                                          "3.补正后申请内容仍不明确"]
    # The one-character-per-line label spans all 22 result rows, printed once, over both pages.
    col0 = [r[0] for r in t.rows if r[0].text == "三、本年度办理结果"]
    assert len(col0) == 22
    assert [c.span_copy for c in col0].count(False) == 1
    assert not any(c.text in ("法提供", "") for r in t.rows for c in r[:2] if r[2].text.startswith("2.没有"))


@pytest.mark.parametrize(("name", "rows"), [(CITY_PDF, HEAD + V21_OTHER + TAIL),
                                            (HONGZE_PDF, [*HEAD, "other_total", *TAIL])])
def test_applications_numbers_match_truth(name: str, rows: list[str]) -> None:
    t = table_with(doc(name), "申请人情况")
    got = numeric_rows(t, 7)
    want = truth(name, "applications")
    assert len(got) == len(rows)
    for key, cells in zip(rows, got, strict=True):
        assert cells[-1] == want[(key, "total")], key
        for col, text in zip(APP_COLS, cells, strict=True):
            if (key, col) in want:
                assert text == want[(key, col)], (key, col)


@pytest.mark.parametrize("name", [CITY_PDF, HONGZE_PDF])
def test_review_litigation_fifteen_numbers_in_order(name: str) -> None:
    t = table_with(doc(name), "行政复议")
    got = numeric_rows(t, 15)
    want = truth(name, "review_litigation")
    assert got == [[want[("cases", k)] for k in REVIEW]]
    leaf = t.rows[2]
    assert [c.text for c in leaf[5:10]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


@pytest.mark.parametrize("name", [CITY_PDF, HONGZE_PDF])
def test_active_disclosure_over_two_pages(name: str) -> None:
    t = table_with(doc(name), "第二十条")
    want = truth(name, "active_disclosure")
    rows = {r[0].text: [c.text for c in r] for r in t.rows if not r[0].span_copy}
    assert rows["规章"][1:] == [want[("regulations", k)] for k in ("issued_count", "repealed_count", "in_force_count")]
    assert rows["行政规范性文件"][1] == want[("normative_documents", "issued_count")]
    assert rows["行政许可"][1] == want[("admin_licensing", "decisions")]
    assert rows["行政处罚"][1] == want[("admin_penalty", "decisions")]
    assert rows["行政强制"][1] == want[("admin_coercion", "decisions")]
    assert rows["行政事业性收费"][1] == want[("admin_fees", "fee_amount")]
    # A one-value block's column is a colspan: the copies carry the same text, flagged.
    fees = next(r for r in t.rows if r[0].text == "行政事业性收费")
    assert [c.span_copy for c in fees] == [False, False, True, True]
    headings = [r[0].text for r in t.rows if r[0].text.startswith("第二十条")]
    assert headings == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]


@pytest.mark.parametrize("name", [CITY_PDF, HONGZE_PDF])
def test_text_title_and_furniture(name: str) -> None:
    d = doc(name)
    assert d.source_format == "pdf"
    assert d.title is not None and d.title.endswith("2024年政府信息公开工作年度报告")
    assert d.title.startswith("淮安市")
    lines = d.text.splitlines()
    assert not any(re.fullmatch(r"[-—\s]*\d+[-—\s]*", ln) for ln in lines), "page numbers removed"
    for heading in ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert heading in lines
    assert d.meta.get("Title") == "政府信息公开工作年度报告"  # UTF-16LE info string repaired
    # Column gaps stay spaces in the text (a text-only fallback can split the numbers) ...
    assert "行政规范性文件 3 0 8" in lines or "行政规范性文件 8 26 66" in lines
    # ... while justification gaps between Chinese characters in body lines are gone.
    body = [ln for ln in lines if len(ln) > 20 and not re.search(r"\d", ln) and ln.count(" ") < 2]
    assert len(body) > 20
    assert not any(re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", ln) for ln in body)
    assert d.images_in_body == 0


@pytest.mark.parametrize("name", [CITY_PDF, HONGZE_PDF])
def test_reading_is_fast(name: str) -> None:
    data = corpus_bytes(name)
    start = time.perf_counter()
    read_pdf(data)
    assert time.perf_counter() - start < 10
