"""Real layouts that lost or misplaced cells, from reports the shared corpus does not have.

The excerpts (tests/fixtures/excerpts, sources in its manifest) are faithful reconstructions of
real reports; others are corpus documents changed the way real sources are (a cell deleted from
an HTML row, one number left on a line). Every hand-checked cell must come out exact or flagged.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from extract.document import extract_document
from gongkai import schema
from gongkai.model import CheckStatus, ExtractResult, ExtractStatus, MissingReason
from tests.conftest import DOCS, ROOT, load_truth
from tests.extract.truthcheck import score

EXCERPTS = ROOT / "tests" / "fixtures" / "excerpts"


def _truth() -> dict[str, dict[tuple[str, str, str, str], tuple[Decimal | None, str]]]:
    out: dict[str, dict[tuple[str, str, str, str], tuple[Decimal | None, str]]] = defaultdict(dict)
    with (EXCERPTS / "truth.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = (r["table"], r["block"], r["row_key"], r["col_key"])
            out[r["file"]][key] = (Decimal(r["value"]) if r["value"] != "" else None, r["notes"])
    return out


TRUTH = _truth()


def _extract(name: str, data: bytes | None = None) -> ExtractResult:
    return extract_document(data if data is not None else (EXCERPTS / name).read_bytes(), name)


def _cells(r: ExtractResult) -> dict[tuple[str, str, str, str], object]:
    return {c.key: c.value for c in r.cells if not c.derived}


def _errors(r: ExtractResult, code: str) -> list[str]:
    return [e.message for e in r.errors if e.code == code]


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_every_hand_checked_cell_is_exact(name: str) -> None:
    s = score(_extract(name), TRUTH[name])
    assert not s.wrong, s.wrong[:10]
    assert not s.flagged, s.flagged[:10]  # these excerpts are read whole: nothing left to flag
    assert len(s.exact) == len(TRUTH[name])


_EVERY = sorted([*EXCERPTS.glob("*.txt"), *(ROOT / "tests" / "fixtures" / "real").glob("*_*.*"), *DOCS.glob("*_20*")])


@pytest.mark.parametrize("path", _EVERY, ids=lambda p: p.name)
def test_every_cell_of_a_found_table_is_read_or_accounted_for(path: Path) -> None:
    r = extract_document(path.read_bytes(), path.name)
    read = {c.key for c in r.cells}
    missing = {(m.table, m.block, m.row_key, m.col_key): m.reason for m in r.missing}
    for table, version in r.format_version.items():
        for block, row, col in schema.spec(table, version).printed_cells():
            key = (table, block, row, col)
            assert (key in read) != (key in missing), key
            if key in missing:  # one error names the row and says why
                named = f"{table}/{block + '/' if block else ''}{row}:"
                assert [e for e in r.errors if e.code == missing[key].value and e.message.startswith(named)], key


# ------------------------------------------------------------------ 表二 single-value blocks as lines

def test_single_value_blocks_printed_as_lines_are_found() -> None:
    """`信息内容本年处理决定数量` / `行政许可 97` (PDF converted to text): found, never silently lost."""
    cells = _cells(_extract("md_2024_shanghai_kewei.txt"))
    t = "active_disclosure"
    assert cells[(t, "art20_5", "admin_licensing", "decisions")] == 97
    assert cells[(t, "art20_6", "admin_penalty", "decisions")] == 0
    assert cells[(t, "art20_8", "admin_fees", "fee_amount")] == 0


def test_a_block_the_text_lacks_is_reported_row_by_row() -> None:
    text = (EXCERPTS / "md_2024_shanghai_kewei.txt").read_text(encoding="utf-8")
    cut = re.sub(r"第二十条第（五）项\n信息内容本年处理决定数量\n行政许可 97\n", "", text)
    r = _extract("cut.txt", cut.encode())
    assert ("active_disclosure", "art20_5", "admin_licensing", "decisions", MissingReason.ROW_MISSING) in {
        (m.table, m.block, m.row_key, m.col_key, m.reason) for m in r.missing}
    assert [m for m in _errors(r, "row_missing") if m.startswith("active_disclosure/art20_5/admin_licensing:")]
    assert r.status is ExtractStatus.EXTRACTED_WITH_ISSUES


# ------------------------------------------------------------------ value rows apart from their labels

def test_value_rows_apart_from_their_labels_are_placed_between_labelled_rows() -> None:
    r = _extract("md_2024_shanghai_kewei.txt")
    keys = [c.key for c in r.cells]
    assert len(keys) == len(set(keys)), "a key emitted twice"
    cells = _cells(r)
    a = "applications"
    assert cells[(a, "", "withheld_internal_affairs", "total")] == 1  # its label wrapped two rows above
    assert cells[(a, "", "unavailable_not_held", "total")] == 4
    assert cells[(a, "", "other_no_correction", "total")] == 10
    assert cells[(a, "", "results_total", "total")] == 35
    assert any("placed_by_order" in c.flags for c in r.cells if c.row_key == "partially_granted")


def test_a_key_printed_twice_with_other_values_is_a_conflict_not_first_kept() -> None:
    text = (EXCERPTS / "md_2025_shanghai_office.txt").read_text(encoding="utf-8")
    row = "| 7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |  |\n"
    assert row in text
    doubled = text.replace(row, row + "| 7.属于行政执法案卷 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |  |\n")
    r = _extract("doubled.txt", doubled.encode())
    got = [c for c in r.cells if c.row_key == "withheld_enforcement_file" and not c.derived]
    assert len(got) == 7
    natural = next(c for c in got if c.col_key == "natural_person")
    assert natural.value is None and "conflicting_values" in natural.flags and "candidates:0|3" in natural.flags
    assert [m for m in _errors(r, "conflicting_values") if "withheld_enforcement_file" in m]
    assert r.status is ExtractStatus.EXTRACTED_WITH_ISSUES


def test_a_label_fragment_names_its_row_and_a_lone_value_is_not_placed() -> None:
    r = _extract("md_2025_shanghai_office.txt")
    cells = _cells(r)
    assert cells[("applications", "", "other_no_correction", "total")] == 43  # 行政机关不再处理其政府信息公
    kewei = _extract("md_2024_shanghai_kewei.txt")
    assert [m for m in _errors(kewei, "lone_value") if "'1'" in m]
    assert ("applications", "", "carried_forward", "total", MissingReason.CELL_MISSING) in {
        (m.table, m.block, m.row_key, m.col_key, m.reason) for m in kewei.missing}
    # the check that cannot run for it says so among the document's errors
    assert [m for m in _errors(kewei, "check_not_assessable") if m.startswith("T3-A") and "carried_forward.total" in m]
    assert kewei.status is ExtractStatus.EXTRACTED_WITH_ISSUES


# ------------------------------------------------------------------ short rows

def test_short_rows_under_three_columns_are_flagged_not_filled_left_to_right() -> None:
    r = _extract("md_2025_shanghai_office.txt")
    t2 = {c.key: c for c in r.cells if c.block == "art20_1"}
    assert len(t2) == 6
    for c in t2.values():
        assert c.value is None and "ambiguous_columns" in c.flags, c
    regs = t2[("active_disclosure", "art20_1", "regulations", "in_force_count")]
    assert "candidates:(none)|235" in regs.flags
    assert len(_errors(r, "ambiguous_columns")) == 2
    assert r.status is ExtractStatus.EXTRACTED_WITH_ISSUES


def _html_without_a_cell(name: str, label: str) -> bytes:
    """The corpus page with the first value cell after `label` deleted from its row."""
    html = (DOCS / name).read_text(encoding="utf-8")
    at = html.index(label)
    m = re.compile(r"<td[^>]*>.*?</td>", re.S).search(html, html.index("</td>", at) + 5)
    assert m is not None
    return (html[: m.start()] + html[m.end():]).encode()


def test_a_deleted_html_cell_in_a_table_two_row_is_flagged() -> None:
    name = "html_2024_fujian_pingtan_gov.html"
    r = extract_document(_html_without_a_cell(name, ">规章<"), name)
    regs = [c for c in r.cells if c.row_key == "regulations"]
    assert regs and all(c.value is None and "ambiguous_columns" in c.flags for c in regs)
    assert r.status is ExtractStatus.EXTRACTED_WITH_ISSUES


def test_a_deleted_html_cell_in_a_table_three_row_is_placed_where_the_identities_decide() -> None:
    name = "html_2024_fujian_pingtan_gov.html"
    truth = load_truth()[name]
    r = extract_document(_html_without_a_cell(name, "一、本年新收政府信息公开申请数量"), name)
    s = score(r, truth)
    assert not s.wrong
    row = [c for c in r.cells if c.row_key == "new_received" and not c.derived]
    # the deleted cell is reported missing; the others are placed by T3-A/T3-C, never shifted
    assert len(row) == 6 and all("placed_by_identity" in c.flags for c in row)
    assert [m for m in r.missing if m.row_key == "new_received" and m.reason is MissingReason.CELL_MISSING]


def test_a_lone_value_in_one_cell_per_line_text_is_flagged() -> None:
    """A row printing one number after its empty cells were lost: its column cannot be known."""
    name = "textpipe_partial_2025_shaanxi_hanzhong_hantai_xuwangzhen.txt"
    text = (DOCS / name).read_text(encoding="utf-8")
    head = "一、本年新收政府信息公开申请数量\n\n"
    start = text.index(head) + len(head)
    end = text.index("二、上年结转")
    lone = text[:start] + "5\n\n" + text[end:]
    r = extract_document(lone.encode(), name)
    row = [c for c in r.cells if c.row_key == "new_received" and not c.derived]
    assert len(row) == 7 and all(c.value is None and "ambiguous_columns" in c.flags for c in row)


# ------------------------------------------------------------------ a keyword inside a long label

def test_a_keyword_inside_an_explanation_does_not_make_another_row() -> None:
    r = _extract("pipe_2020_wuhan_sthjj_mirror.txt")
    cells = _cells(r)
    t = "active_disclosure"
    assert cells[(t, "art20_5", "other_admin_services", "decisions")] == 165
    assert cells[(t, "art20_6", "admin_coercion", "prior_year_items")] == 4
    assert [m for m in _errors(r, "unknown_row") if "其他主动公开文件" in m]  # not on the form: flagged


# ------------------------------------------------------------------ prose as a second witness

@pytest.mark.parametrize(("name", "passing"), [("md_2024_shanghai_kewei.txt", 9), ("md_2025_shanghai_office.txt", 6)])
def test_numbers_restated_in_the_text_agree_with_the_tables(name: str, passing: int) -> None:
    p1 = [c for c in _extract(name).checks if c.rule == "P-1"]
    assert sum(c.status is CheckStatus.PASS for c in p1) == passing
    assert not [c for c in p1 if c.status is CheckStatus.FAIL]


def test_a_disagreement_between_text_and_table_fails_p1() -> None:
    text = (EXCERPTS / "md_2025_shanghai_office.txt").read_text(encoding="utf-8")
    r = _extract("x.txt", text.replace("不予公开 20 件", "不予公开 21 件").encode())
    failed = [c for c in r.checks if c.rule == "P-1" and c.status is CheckStatus.FAIL]
    assert [(c.expected, c.actual) for c in failed] == [("21", "20")]
    assert r.status is ExtractStatus.EXTRACTED_WITH_ISSUES


def test_the_text_settles_a_cut_the_table_cannot() -> None:
    """制发的规范性文件77件 settles `77132470`; the HTML twin of the same report prints 77."""
    r = extract_document((DOCS / "textflat_2023_fujian_pingtan_gov.txt").read_bytes(), "t.txt")
    cell = next(c for c in r.cells if c.row_key == "normative_documents" and c.col_key == "issued_count")
    assert cell.value == 77 and "split_by_prose" in cell.flags
    twin = load_truth()["html_2023_fujian_pingtan_gov.html"]
    assert twin[cell.key][0] == 77


def test_p1_is_in_the_registry_with_the_identities() -> None:
    rules = {f.rule for v in schema.VERSIONS for f in schema.prose_facts(v)}
    assert rules == {"P-1"}
    tables = {f.table for f in schema.prose_facts("v2021")}
    assert tables == set(schema.TABLES)


def test_json_lists_missing_cells() -> None:
    d = _extract("md_2024_shanghai_kewei.txt").to_json()
    assert {"table": "applications", "block": "", "row_key": "carried_forward", "col_key": "total",
            "reason": "cell_missing"} in d["missing"]
    assert ExtractResult.from_json(d).missing == _extract("md_2024_shanghai_kewei.txt").missing


def test_excerpt_sources_are_named() -> None:
    with (EXCERPTS / "manifest.csv").open(encoding="utf-8") as f:
        rows = {r["file"]: r for r in csv.DictReader(f)}
    assert set(rows) == {p.name for p in EXCERPTS.glob("*.txt")}
    assert all(r["source_repo"] or r["original_url"] for r in rows.values())


def test_a_cell_merged_from_the_row_above_is_placed_by_the_grid() -> None:
    """A value cell spanning two rows (rowspan): the lower row prints one cell fewer, but its line is
    as wide as the table, so the grid's columns place its cells; the merged cell is reported missing."""
    name = "html_2024_fujian_pingtan_gov.html"
    html = (DOCS / name).read_text(encoding="utf-8")
    td = re.compile(r"<td[^>]*>.*?</td>", re.S)
    above = html.index("二、上年结转政府信息公开申请数量")
    merged = list(td.finditer(html, above))[1]  # after the label: 自然人, 商业企业
    html = html[: merged.start()] + merged.group(0).replace("<td ", '<td rowspan="2" ', 1) + html[merged.end():]
    below = html.index("（一）予以公开")
    gone = list(td.finditer(html, below))[1]
    html = html[: gone.start()] + html[gone.end():]
    r = extract_document(html.encode(), name)
    truth = load_truth()[name]
    assert not score(r, truth).wrong
    row = {c.col_key: c for c in r.cells if c.row_key == "granted" and not c.derived}
    assert "commercial_enterprise" not in row and len(row) == 6
    assert all("placed_by_header" in c.flags and c.value == truth[c.key][0] for c in row.values())
    assert ("applications", "", "granted", "commercial_enterprise", MissingReason.CELL_MISSING) in {
        (m.table, m.block, m.row_key, m.col_key, m.reason) for m in r.missing}


REAL = ROOT / "tests" / "fixtures" / "real"


def test_a_label_and_its_digits_run_together_on_one_line() -> None:
    """`规章000` in one-cell-per-line text: the digits are the row's cells, cut by the row's rules."""
    r = extract_document((REAL / "textflat_partial_2025_liaoning_haicheng_xisizhen.txt").read_bytes(), "x.txt")
    art20_1 = {c.key: c.value for c in r.cells if c.block == "art20_1"}
    assert len(art20_1) == 6 and set(art20_1.values()) == {0}


def test_a_page_that_starts_with_table_four_is_read() -> None:
    """PDF text of a page holding only 表四 (its header one character per line): found by the words
    only 表四 prints (未经复议直接起诉), not lost as no_tables."""
    r = extract_document((REAL / "pdftext_partial_2022_shandong_weihai_wendeng_xinfangju_dept.txt").read_bytes(), "x")
    cases = [c for c in r.cells if c.table == "review_litigation"]
    assert len(cases) == 15 and all(c.value == 0 for c in cases)


@pytest.mark.parametrize(("label", "version", "row"), [
    ("其他對外管理服務事項(指行政許可證以外的政務服務事項,含行政確認、行政獎勵、行政裁決、行政給付、行政處罰、行政強制)",
     "v2019", "other_admin_services"),  # 武汉 2020 (mirror), the explanation names two other rows
    ("其他对外管理服务事项（含行政确认、行政处罚）", "v2021", None),  # not a row of the 2021 form: never 行政处罚
    ("依法应当主动公开的行政处罚结果信息", "v2021", None),  # a row's word inside other words
    ("规章(设区的市、自治州人民政府应提供相关数据)", "v2019", "regulations"),
    ("第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章", "v2021", "regulations"),
])
def test_a_label_names_a_row_only_by_that_rows_words(label: str, version: str, row: str | None) -> None:
    from extract.labels import match_row

    rows = tuple(r for b in schema.spec("active_disclosure", version).blocks for r in b.rows)
    found = match_row(label, rows)
    assert (found.key if found else None) == row


def test_a_single_value_on_the_line_below_its_label_is_its_row() -> None:
    """`行政许可` on one line, `| 97 |` on the next: the value is the one cell of the row its label
    names, not a lone number (one column: nothing to choose)."""
    text = (EXCERPTS / "md_2024_shanghai_kewei.txt").read_text(encoding="utf-8")
    moved = text.replace("行政许可 97\n", "行政许可\n| 97 |\n")
    cells = _cells(_extract("moved.txt", moved.encode()))
    assert cells[("active_disclosure", "art20_5", "admin_licensing", "decisions")] == 97


def test_the_text_places_a_short_row_where_it_decides() -> None:
    """With 制发/现行有效 restated in the text, `| 规章 | 22 | 235 |` has one placement left: 22 is
    本年制发, 235 现行有效, 本年废止 not printed (the sentence is added to the real excerpt)."""
    text = (EXCERPTS / "md_2025_shanghai_office.txt").read_text(encoding="utf-8")
    said = "（一）主动公开方面\n本年制发规章22件，现行有效规章235件。\n"
    r = _extract("said.txt", text.replace("（一）主动公开方面\n", said).encode())
    regs = {c.col_key: c for c in r.cells if c.row_key == "regulations"}
    assert regs["issued_count"].value == 22 and "placed_by_prose" in regs["issued_count"].flags
    assert regs["in_force_count"].value == 235
    assert "repealed_count" not in regs
    assert ("active_disclosure", "art20_1", "regulations", "repealed_count", MissingReason.CELL_MISSING) in {
        (m.table, m.block, m.row_key, m.col_key, m.reason) for m in r.missing}
    normative = [c for c in r.cells if c.row_key == "normative_documents"]
    assert all("ambiguous_columns" in c.flags for c in normative)  # nothing said about them: still flagged
