"""Tables broken over pages the way real exports break them (issue 8 item 2): the table left open
at the foot of the page and at the head of the next (no closing rule: pdfplumber issues #160,
#1024, #1370 lose that row), a row broken across the pages with its label cut mid-word
(`…不再处理其政府信息公` / `开申请`), and a running footer `- 3 -` between the halves.

No real PDF with these layouts could be stored here (the reports found are not retrievable as
files), so they are reconstructed with the project's generator, which draws ruled tables as Word
exports do; the cells below are checked by hand against what is printed."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from demo import synth, synth_office
from extract.document import extract_document
from extract.grid import Table
from extract.readers.pdf import read_pdf
from extract.readers.pdf_rules import find_tables
from extract.readers.pdfium_page import Rule
from gongkai.model import CheckStatus, ExtractStatus

TABLES = ("active_disclosure", "applications", "review_litigation")
LONG = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
APPLICANTS = ["natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
              "legal_service_org", "other_org", "total"]


def _applications(rep: synth.SynthReport, **kw: object) -> tuple[bytes, Table]:
    rows = synth_office.report_tables(rep)[1][1]
    row = next(i for i, r in enumerate(rows) if any(text == LONG for text, _rs, _cs in r))
    data = synth_office.render_pdf(rep, breaks={"applications": row + 1}, **kw)  # type: ignore[arg-type]
    doc = read_pdf(data)
    assert "- 3 -" not in doc.text and "- 2 -" not in doc.text
    found = [t for t in doc.tables if "申请人情况" in t.text()]
    assert len(found) == 1, "one table over both pages"
    return data, found[0]


def _row(t: Table, label: str) -> list[str]:
    return next([c.text for c in r] for r in t.rows if any(c.text == label for c in r))


def test_table_left_open_at_the_page_break_keeps_its_last_row() -> None:
    """The last row of page 2 (1.申请人无正当理由…) has no rule under it, the first row of page 3
    (2.申请人逾期未按收费通知…) none over it; both rows are read, numbers in place."""
    rep = synth.make_report(random.Random(11), version="v2021")
    data, t = _applications(rep, open_breaks=True, page_numbers=True)
    v = rep.values
    assert _row(t, LONG)[-7:] == [synth.fmt(v[("applications", "", "other_no_correction", k)]) for k in APPLICANTS]
    second = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    assert _row(t, second)[-7:] == [synth.fmt(v[("applications", "", "other_fee_unpaid", k)]) for k in APPLICANTS]
    r = extract_document(data, "open.pdf")
    assert r.status is ExtractStatus.EXTRACTED
    assert {c.key: c.value for c in r.cells if not c.derived} == v


def test_row_label_cut_by_the_page_break_is_rejoined() -> None:
    """Page 2 ends with `…行政机关不再处理其政府信息公` and the row's numbers, page 3 starts with
    `开申请` and empty cells, the table open at the break and `- 2 -` under page 2."""
    rep = synth.make_report(random.Random(12), version="v2021")
    data, t = _applications(rep, open_breaks=True, page_numbers=True,
                            broken_rows={"applications": LONG.index("开申请")})
    v = rep.values
    row = _row(t, LONG)
    assert row[-7:] == [synth.fmt(v[("applications", "", "other_no_correction", k)]) for k in APPLICANTS]
    assert row[1] == "（六）其他处理"
    assert not any(c.text.startswith("开申请") for r in t.rows for c in r)
    texts = [c.text for r in t.rows for c in r if not c.span_copy]
    assert texts.count("（六）其他处理") == 1  # the group label, cut in two by the break, is one cell
    r = extract_document(data, "cut.pdf")
    assert r.status is ExtractStatus.EXTRACTED
    assert {c.key: c.value for c in r.cells if not c.derived} == v


def test_numbers_going_on_with_the_label_are_moved_up() -> None:
    """As a converted 2025 上海市 report prints it: page 2 ends with the label's first lines and
    empty cells, page 3 starts with `费用、行政机关不再处理其政府信息` / `公开申请` beside the
    row's numbers, `- 2 -` between them."""
    rep = synth.make_report(random.Random(13), version="v2021")
    label = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    rows = synth_office.report_tables(rep)[1][1]
    r = next(i for i, row in enumerate(rows) if any(text == label for text, _rs, _cs in row))
    first_line = synth_office._wrap(label, 130.0)[0]
    assert first_line == "2.申请人逾期未按收费通知要求缴纳"
    data = synth_office.render_pdf(rep, breaks={"applications": r + 1}, broken_rows={"applications": len(first_line)},
                                   numbers_below=True, open_breaks=True, page_numbers=True)
    t = next(t for t in read_pdf(data).tables if "申请人情况" in t.text())
    v = rep.values
    assert _row(t, label)[-7:] == [synth.fmt(v[("applications", "", "other_fee_unpaid", k)]) for k in APPLICANTS]
    r2 = extract_document(data, "below.pdf")
    assert r2.status is ExtractStatus.EXTRACTED
    assert {c.key: c.value for c in r2.cells if not c.derived} == v


def test_open_rules_are_closed_only_around_text() -> None:
    """Vertical rules running 30 points past the table: a row when text lies there, else nothing."""
    rules = [Rule(True, y, 100, 300) for y in (100, 120, 140)]
    rules += [Rule(False, x, 100, 170) for x in (100, 200, 300)]
    closed = find_tables(rules, lambda *box: True)
    assert len(closed) == 1 and closed[0].box == (100, 100, 300, 170)
    assert sorted(c[1] for c in closed[0].cells) == [100, 100, 120, 120, 140, 140]
    assert find_tables(rules, lambda *box: False)[0].box == (100, 100, 300, 140)
    assert find_tables(rules)[0].box == (100, 100, 300, 140)


def _wrapped_rows(rows: list[list[tuple[str, int, int]]]) -> dict[int, list[int]]:
    """Rows with numbers whose label wraps: row index → characters on each possible first part."""
    cells, ncols = synth_office.place(rows)
    widths = synth_office._widths(ncols)
    out: dict[int, list[int]] = {}
    for r in range(1, len(rows)):
        own = [p for p in cells if p.row == r and p.rowspan == 1]
        labels = [p for p in own if not p.text.replace(".", "").isdigit()]
        if not labels or not any(p.text.replace(".", "").isdigit() for p in own):
            continue
        label = max(labels, key=lambda p: p.col)
        lines = synth_office._wrap(label.text, sum(widths[label.col:label.col + label.colspan]))
        if len(lines) > 1:
            out[r] = [sum(len(x) for x in lines[:j]) for j in range(1, len(lines))]
    return out


@settings(max_examples=15)
@given(st.integers(min_value=0, max_value=2**32 - 1), st.sampled_from(["v2019", "v2021"]),
       st.lists(st.floats(min_value=0, max_value=1, exclude_max=True), min_size=3, max_size=3),
       st.booleans(), st.booleans(), st.booleans(), st.floats(min_value=0, max_value=1, exclude_max=True),
       st.booleans())
def test_page_break_layouts_round_trip(seed: int, version: str, where: list[float], open_breaks: bool,
                                       footers: bool, cut_a_row: bool, pick: float, numbers_below: bool) -> None:
    """Every table broken somewhere, left open or closed, footers or not, and in 表三 a row whose
    label wraps broken across the pages, its numbers on either side: every value read, every
    check passing."""
    rep = synth.make_report(random.Random(seed), version=version)
    tables = synth_office.report_tables(rep)
    breaks = {name: 1 + int(w * (len(rows) - 1)) for name, (_h, rows), w in zip(TABLES, tables, where, strict=True)}
    broken: dict[str, int] = {}
    wrapped = _wrapped_rows(tables[1][1])
    if cut_a_row and wrapped:
        r = sorted(wrapped)[int(pick * len(wrapped))]
        breaks["applications"] = r + 1
        broken["applications"] = wrapped[r][int(pick * len(wrapped[r]))]
    data = synth_office.render_pdf(rep, breaks=breaks, open_breaks=open_breaks, page_numbers=footers,
                                   broken_rows=broken, numbers_below=numbers_below)
    r = extract_document(data, "r.pdf")
    assert {c.key: c.value for c in r.cells if not c.derived} == rep.values
    assert r.checks and all(c.status is CheckStatus.PASS for c in r.checks)
    assert r.status is ExtractStatus.EXTRACTED, [e.message for e in r.errors]
