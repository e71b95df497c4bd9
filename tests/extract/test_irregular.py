"""Irregular layouts seen in real reports: rows not on the form, printed subtotals, cut labels."""

from __future__ import annotations

import random

from demo import synth
from extract.document import extract_document
from gongkai.model import CheckStatus


def _report(version: str = "v2021") -> synth.SynthReport:
    return synth.make_report(random.Random(11), agency="某县人民政府", year=2023 if version == "v2021" else 2020,
                             version=version)


def _extract(rep: synth.SynthReport, rows: synth.Rows):  # type: ignore[no-untyped-def]
    r = extract_document(synth.render_html(rep, rows=rows).encode(), "x.html")
    return r, {c.key: c for c in r.cells if not c.derived}


def test_extra_row_not_on_the_form_is_not_taken_for_the_next_one() -> None:
    rep = _report("v2019")
    rows = synth.table_rows(rep)
    at = next(i for i, r in enumerate(rows) if r[0][0] == "规范性文件") + 1
    rows.insert(at, [("其他主动公开文件", 1, 1), ("97", 1, 1), ("98", 1, 1), ("99", 1, 1)])  # Hubei 2020
    r, cells = _extract(rep, rows)
    assert {k: c.value for k, c in cells.items()} == rep.values
    assert any(e.code == "unknown_row" for e in r.errors)


def test_printed_group_subtotals_are_kept_and_checked() -> None:
    rep = _report()
    rows = synth.table_rows(rep)
    groups = {"withheld": ("（三）不予公开", 8), "unavailable": ("（四）无法提供", 3), "not_processed": ("（五）不予处理", 5)}
    for prefix, (label, _n) in groups.items():
        first = next(i for i, r in enumerate(rows) if any(t == label for t, _, _ in r))
        sums = []
        for col in ("natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
                    "legal_service_org", "other_org", "total"):
            sums.append(str(sum(int(v) for (t, _b, rk, c), v in rep.values.items()
                                if t == "applications" and rk.startswith(prefix + "_") and c == col)))
        rows.insert(first, [(label, 1, 2)] + [(s, 1, 1) for s in sums])
    # the inserted rows repeat the group label; drop it from the member rows so rowspans stay valid
    for row in rows:
        row[:] = [c if not (c[0] in {g[0] for g in groups.values()} and c[1] > 1) else (c[0], 1, 1) for c in row]
    r, cells = _extract(rep, rows)
    printed = {k: c.value for k, c in cells.items() if k[2] in ("withheld_total", "unavailable_total", "not_processed_total")}
    assert len(printed) == 21
    t3d = [c for c in r.checks if c.rule == "T3-D"]
    assert len(t3d) == 21 and all(c.status is CheckStatus.PASS for c in t3d)
    assert {k: c.value for k, c in cells.items() if k[2] not in ("withheld_total", "unavailable_total",
                                                                  "not_processed_total")} == rep.values


def test_label_cut_short_is_resolved_by_position() -> None:
    rep = _report()
    rows = synth.table_rows(rep)
    for row in rows:
        row[:] = [("（二）部分公", rs, cs) if t.startswith("（二）部分公开") else (t, rs, cs) for t, rs, cs in row]
    r, cells = _extract(rep, rows)
    assert {k: c.value for k, c in cells.items()} == rep.values
    assert any(e.code == "label_by_position" for e in r.errors)


def test_printed_legal_entity_subtotal_column() -> None:
    rep = _report()
    rows = synth.table_rows(rep)
    start = next(i for i, r in enumerate(rows) if any(t == "法人或其他组织" for t, _, _ in r))
    end = next(i for i, r in enumerate(rows) if r[0][0] == "行政复议")
    out: synth.Rows = []
    for i, row in enumerate(rows):
        if i == start:  # header: 自然人 | 法人或其他组织 | 小计 | 总计
            out.append([*row[:-1], ("小计", 2, 1), row[-1]])
        elif start < i < end and row[-1][0].isdigit():
            sub = sum(int(t) for t, _, _ in row[-6:-1])
            out.append([*row[:-1], (str(sub), 1, 1), row[-1]])
        else:
            out.append(row)
    r, cells = _extract(rep, out)
    printed_sub = {k: c for k, c in cells.items() if k[3] == "legal_entity_subtotal"}
    assert len(printed_sub) == 25
    t3d = [c for c in r.checks if c.rule == "T3-D"]
    assert len(t3d) == 25 and all(c.status is CheckStatus.PASS for c in t3d)
    assert {k: c.value for k, c in cells.items() if k[3] != "legal_entity_subtotal"} == rep.values


def test_block_heading_printed_as_a_row_of_empty_cells_is_a_heading() -> None:
    """tests/fixtures/real, the 高新区社会发展局 2022 excerpt: one cell per line, each block heading printed as
    `第二十条第(一)项 | |||`. The heading is no row of the form (no unknown_row), and the cells the report prints empty
    (`|` lines) stay blank beside the one value it prints."""
    text = ("二、主动公开政府信息情况\n第二十条第(一)项 | |||\n信息内容 |\n本年制发件数 |\n本年废止件数 |\n现行有效件数 |\n"
            "规章 |\n|\n|\n|\n规范性文件 |\n|\n|\n|\n第二十条第(五)项 | |||\n信息内容 |\n本年处理决定数量 | ||\n行政许可 |\n| ||\n"
            "第二十条第(六)项 | |||\n信息内容 |\n本年处理决定数量 | ||\n行政处罚 |\n3 | ||\n行政强制 |\n| ||\n")
    r = extract_document(text.encode(), "x.txt")
    cells = {c.key[2:]: c for c in r.cells if not c.derived and c.key[0] == "active_disclosure"}
    assert not [e.message for e in r.errors if e.code == "unknown_row"]
    assert cells[("admin_penalty", "decisions")].value == 3
    assert all(cells[k].value is None and not cells[k].flags for k in
               [("regulations", "issued_count"), ("normative_documents", "in_force_count"),
                ("admin_licensing", "decisions"), ("admin_coercion", "decisions")])


def test_a_blank_before_trailing_fillers_is_not_taken_for_a_cell_once_a_value_is_missing() -> None:
    """tests/fixtures/real, 昌图 2021 (one cell per line): `政府集中采购 |` `0 |` `0 |` then five `|` lines after the row.
    Read as printed, both cells are 0. With one value line gone the row's second cell cannot be told from the fillers:
    the amount must not come out blank without a flag."""
    head = ("二、主动公开政府信息情况\n第二十条第(一)项 |\n信息内容 |\n本年新制作数量 |\n本年新公开数量 |\n对外公开总数量 |\n"
            "规章 |\n0 |\n0 |\n0 |\n规范性文件 |\n0 |\n0 |\n0 |\n第二十条第(九)项 |\n信息内容 |\n采购项目数量 |\n采购总金额 |\n"
            "政府集中采购 |\n")
    tail = "|\n|\n|\n|\n|\n三、收到和处理政府信息公开申请情况\n"
    key = ("active_disclosure", "art20_9", "gov_procurement")
    whole = {c.key[3]: c for c in extract_document((head + "0 |\n0 |\n" + tail).encode(), "x.txt").cells if c.key[:3] == key}
    assert [whole[k].value for k in ("procurement_items", "procurement_amount")] == [0, 0]
    cut = {c.key[3]: c for c in extract_document((head + "0 |\n" + tail).encode(), "x.txt").cells if c.key[:3] == key}
    amount = cut.get("procurement_amount")
    assert amount is None or amount.value is not None or amount.flags
