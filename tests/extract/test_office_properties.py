"""Random valid reports rendered as Word and PDF files (real merged cells, ruled tables, 表三
over a page break) extract back to the same values with every identity check passing.

PDF writing and reading take ~0.1 s a file, so the examples are few; the profile (derandomized,
no deadline) is the one tests/conftest.py loads.
"""

from __future__ import annotations

import io
import random
import re
import zipfile

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demo import synth, synth_office
from extract.document import extract_document
from extract.readers.docx import read_docx
from gongkai.model import CheckStatus, ExtractResult, ExtractStatus

seeds = st.integers(min_value=0, max_value=2**32 - 1)
versions = st.sampled_from(["v2019", "v2021"])
TABLES = ("active_disclosure", "applications", "review_litigation")


def _assert_round_trip(r: ExtractResult, rep: synth.SynthReport) -> None:
    got = {c.key: c.value for c in r.cells if not c.derived}
    assert got == rep.values
    assert r.format_version == dict.fromkeys(TABLES, rep.version)
    assert r.checks and all(c.status is CheckStatus.PASS for c in r.checks), [
        c.message for c in r.checks if c.status is not CheckStatus.PASS]
    assert r.status is ExtractStatus.EXTRACTED, [e.message for e in r.errors]
    assert (r.agency, r.year) == (rep.agency, rep.year)


@settings(max_examples=8)
@given(seeds, versions)
def test_docx_round_trip(seed: int, version: str) -> None:
    rep = synth.make_report(random.Random(seed), version=version)
    r = extract_document(synth_office.render_docx(rep), "r.docx")
    assert r.source_format == "docx"
    _assert_round_trip(r, rep)


@settings(max_examples=8)
@given(seeds, versions)
def test_pdf_round_trip(seed: int, version: str) -> None:
    rep = synth.make_report(random.Random(seed), version=version)
    r = extract_document(synth_office.render_pdf(rep), "r.pdf")
    assert r.source_format == "pdf"
    _assert_round_trip(r, rep)


def _t3_table_indexes(r: ExtractResult) -> set[str]:
    return {m.group(1) for c in r.cells if c.table == "applications" and not c.derived
            for m in [re.match(r"t(\d+)r", c.ref)] if m}


fractions = st.floats(min_value=0, max_value=1, exclude_max=True)


@settings(max_examples=15)
@given(seeds, versions, fractions, st.none() | fractions, st.none() | fractions, st.booleans())
def test_pdf_split_over_pages_round_trip(seed: int, version: str, where3: float, where2: float | None,
                                         where4: float | None, repeat_header: bool) -> None:
    """表三 broken before any of its rows (header rows included), merged labels cut in two,
    header rows repeated or not; sometimes 表二 and 表四 broken too."""
    rep = synth.make_report(random.Random(seed), version=version)
    sizes = [len(rows) for _heading, rows in synth_office.report_tables(rep)]
    breaks = {name: 1 + int(w * (n - 1)) for name, n, w in zip(TABLES, sizes, (where2, where3, where4), strict=True)
              if w is not None}
    data = synth_office.render_pdf(rep, breaks=breaks, repeat_header=repeat_header)
    r = extract_document(data, "r.pdf")
    _assert_round_trip(r, rep)
    if breaks["applications"] > 3:  # below the header rows: the rows of both pages
        assert len(_t3_table_indexes(r)) == 1, breaks  # the reader joins a table continued on the next page


def test_split_cuts_a_merged_label_over_the_page_break() -> None:
    """The fixture does what the huaian PDF does (「（四）无」 / 「法提供」): checked on the page text."""
    rep = synth.make_report(random.Random(3), version="v2021")
    rows = synth_office.report_tables(rep)[1][1]
    start = next(i for i, row in enumerate(rows) if row[0][0] == "（四）无法提供")
    data = synth_office.render_pdf(rep, split_at_row=start + 2)  # 2 of its 3 rows on the first page
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
    first = next(i for i, t in enumerate(pages) if "本年新收" in t)
    assert "结转下年度" not in pages[first] and "结转下年度" in pages[first + 1]
    assert "（四）无法" in pages[first] and "（四）无法提供" not in pages[first]
    assert "提供" in pages[first + 1].split("3.补正后")[0]
    _assert_round_trip(extract_document(data, "r.pdf"), rep)


def test_docx_has_real_merged_cells() -> None:
    """Merges are gridSpan/vMerge in the XML (not repeated text), and the reader sees them as spans."""
    rep = synth.make_report(random.Random(5), version="v2019")
    data = synth_office.render_docx(rep)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert xml.count("<w:gridSpan") > 10 and xml.count("<w:vMerge") > 10
    assert xml.count("三、本年度办理结果") == 1
    doc = read_docx(data)
    assert len(doc.tables) == 3
    copies = sum(c.span_copy for t in doc.tables for row in t.rows for c in row)
    assert copies > 50


def test_place_follows_the_html_span_rules() -> None:
    cells, ncols = synth_office.place([[("a", 2, 1), ("b", 1, 2)], [("c", 1, 1), ("d", 1, 1)]])
    assert ncols == 3
    assert [(p.text, p.row, p.col) for p in cells] == [("a", 0, 0), ("b", 0, 1), ("c", 1, 1), ("d", 1, 2)]


def test_split_at_row_must_fall_inside_the_table() -> None:
    rep = synth.make_report(random.Random(1), version="v2019")
    with pytest.raises(ValueError, match="page break"):
        synth_office.render_pdf(rep, split_at_row=0)
