"""Tables drawn without rules (Word tables exported without borders, tables a printer driver converted) are
read into the same grids as ruled ones: columns from the header's words and the numbers' alignment, rows from
baselines, labels wrapped over lines joined, rows broken over pages joined, page furniture left out. A number
whose column cannot be known is never placed by guess: its row keeps its printed numbers in order and the mapper
places them by the identities or flags them.

Real inputs: the 2019 上海市人民政府办公厅 report's tables rendered borderless (tests/fixtures/real, with its
ruled twin), and the 2025 平潭 page rendered borderless from the shared corpus (a row broken over the page break);
then random reports from the project's generator drawn without rules, numbers and header words aligned left,
centre or right, zeros printed blank, tables broken over pages.
"""

from __future__ import annotations

import io
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.real_docs_report import corpus_available, corpus_missing_reason, corpus_rendering
from demo import synth, synth_office
from demo.synth_office import Layout
from extract.document import extract_document
from extract.grid import Table
from extract.readers.pdf import read_pdf
from extract.readers.pdf_columns import Columns, HeaderCell, columns
from extract.readers.pdf_layout import Seg
from extract.readers.pdf_text import Line, running_heads
from gongkai.model import ExtractStatus
from tests.extract.truthcheck import score

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
TABLES = ("active_disclosure", "applications", "review_litigation")
LONG = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"


def _value_rows(tables: list[Table]) -> list[tuple[str, ...]]:
    """Every row holding a number, as its printed cells (span copies left out)."""
    out = []
    for t in tables:
        for row in t.rows:
            texts = tuple(c.text for c in row if not c.span_copy)
            if any(x[:1].isdigit() for x in texts[1:]):
                out.append(texts)
    return out


def test_borderless_rendering_reads_as_its_ruled_twin() -> None:
    """The 2019 上海市 report's three tables drawn without rules read into the rows the ruled rendering gives:
    every label, every number in its column (blank cells included), 表三's wrapped labels and the
    （四）无法提供 label cut by the page break rejoined, the page footer `- 2 -` left out."""
    ruled = read_pdf((REAL / "pdf_2019_shanghai_city_office.pdf").read_bytes())
    unruled = read_pdf((REAL / "pdf_unruled_2019_shanghai_city_office.pdf").read_bytes())
    assert _value_rows(unruled.tables) == _value_rows(ruled.tables)
    t3 = next(t for t in unruled.tables if "申请人情况" in t.text())
    rows = [[c.text for c in r] for r in t3.rows]
    assert ["三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确", "25", "", "", "", "", "", ""] in rows
    assert ["三、本年度办理结果", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", *[""] * 7] in rows
    assert not any("-" in c.text for t in unruled.tables for r in t.rows for c in r if c.text.startswith("-"))


def test_borderless_rendering_extracts_like_its_ruled_twin() -> None:
    ruled = extract_document((REAL / "pdf_2019_shanghai_city_office.pdf").read_bytes(), "r.pdf")
    unruled = extract_document((REAL / "pdf_unruled_2019_shanghai_city_office.pdf").read_bytes(), "u.pdf")
    assert {c.key: (c.value, c.raw) for c in unruled.cells} == {c.key: (c.value, c.raw) for c in ruled.cells}
    assert "tables_from_text" not in {e.code for e in unruled.errors}  # read as grids, not from the page text


@pytest.mark.skipif(not corpus_available(), reason=corpus_missing_reason())
def test_row_broken_over_the_page_break_is_joined() -> None:
    """The 2025 平潭 page drawn without rules: （六）1's label ends one page beside its numbers and runs on at the
    top of the next (`不再处理其政府信息公开申请`, after the footer); the row is one again, and the group labels
    cut by the break (（六 / ）其他处理, 三、本年度办 / 理结 / 果) are whole."""
    doc = read_pdf(corpus_rendering("pdf_unruled_2025_fujian_pingtan_gov.pdf"))
    t3 = next(t for t in doc.tables if "申请人情况" in t.text())
    rows = [[c.text for c in r] for r in t3.rows]
    assert ["三、本年度办理结果", "（六）其他处理", LONG, "8", "0", "0", "0", "0", "0", "8"] in rows
    assert not any(r[2] == "不再处理其政府信息公开申请" for r in rows)


# ------------------------------------------------------------------ columns


def _seg(x0: float, x1: float, text: str = "1") -> Seg:
    return Seg(x0, x1, 100.0, 109.0, 9.0, text, True)


def _headers(*spans: tuple[float, float]) -> list[HeaderCell]:
    return [HeaderCell([Seg(a, b, 80.0, 89.0, 9.0, "头", False)]) for a, b in spans]


HEADS = ((100.0, 130.0), (160.0, 190.0), (220.0, 250.0))  # three header words, 30 points wide, 30 apart


def test_a_number_under_its_header_word_is_placed() -> None:
    cols = columns(_headers(*HEADS), [_seg(165, 170)])
    assert cols.place(_seg(165, 170)) == 1


def test_right_aligned_numbers_between_header_words_belong_to_the_one_before() -> None:
    """Numbers of one column of different widths share their right edge: right-aligned, so a number in the
    gap after a header word ends that word's cell."""
    nums = [_seg(140, 145, "7"), _seg(136, 145, "12")]
    cols = columns(_headers(*HEADS), nums)
    assert cols.among_numbers == "right"
    assert [cols.place(s) for s in nums] == [0, 0]
    nums.append(_seg(150, 155, "5"))  # a second printed column in the same gap: which is whose is not known
    cols = columns(_headers(*HEADS), nums)
    assert [cols.place(s) for s in nums] == [None, None, None]


def test_left_aligned_numbers_between_header_words_belong_to_the_one_after() -> None:
    nums = [_seg(140, 145, "7"), _seg(140, 154, "1234")]
    cols = columns(_headers(*HEADS), nums)
    assert cols.among_numbers == "left"
    assert [cols.place(s) for s in nums] == [1, 1]


def test_a_number_between_header_words_with_no_alignment_known_is_unsure() -> None:
    nums = [_seg(140, 145, "7"), _seg(140, 145, "3")]  # same widths: no alignment shows
    cols = columns(_headers(*HEADS), nums)
    assert cols.among_numbers is None and cols.place(nums[0]) is None


def test_printed_columns_matched_in_order_when_only_one_way_fits() -> None:
    """Three printed columns, three header words, each printed column between two of them: the only
    left-to-right matching puts each under its own header word."""
    nums = [_seg(92, 97), _seg(140, 145), _seg(200, 205), _seg(258, 263)]
    cols = columns(_headers(*HEADS), nums[1:])
    assert [cols.place(s) for s in nums[1:]] == [0, 1, 2]  # 145 < 160: before header 1; 258 > 250: after the last
    cols = columns(_headers(*HEADS), nums[1:3])  # a column printed blank: two ways remain for the first
    assert [cols.place(s) for s in nums[1:3]] == [None, None]


def test_numbers_sharing_the_left_edge_of_their_headers_divide_the_row_at_the_header_words() -> None:
    """The 2019 上海市 表二 (五): numbers start where their header words start; one printed well right of its
    header word (本年增/减, in a value cell its header cell spans) belongs to the header word it follows."""
    heads = _headers((222.7, 285.7), (302.4, 341.4), (461.8, 515.8))
    nums = [_seg(222.7, 226.9, "0"), _seg(382.1, 386.3, "0"), _seg(461.8, 466.0, "0")]
    cols = columns(heads, nums)
    assert cols.with_headers == "left"
    assert [cols.place(s) for s in nums] == [0, 1, 2]


def test_a_number_over_two_header_words_is_unsure() -> None:
    cols = Columns(_headers(*HEADS))
    assert cols.place(_seg(125, 165)) is None


def test_a_line_of_numbers_is_never_a_running_head() -> None:
    """A table's row of numbers topping two pages must not be dropped as a running head."""
    lines = [Line(p, 40.0, 48.0, "3 1 2", 9.0, "top") for p in (1, 2)] + \
        [Line(p, 40.0, 48.0, f"某县人民政府文件 {p}", 9.0, "top") for p in (1, 2)]
    assert running_heads(lines, 2) == {("top", "某县人民政府文件 #")}


# ------------------------------------------------------------------ not a table


def test_numbers_in_columns_without_a_header_are_not_read_as_a_table() -> None:
    """Numbers set apart in columns under no header words: their columns cannot be known, no grid is made
    (the lines stay in the page text)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1)
    c.setFont("STSong-Light", 10)
    c.drawString(50, 780, "本年度工作情况如下，全年共办理各类事项若干件，具体数字见下列各行。")
    for i, (label, a, b) in enumerate([("甲类事项", "12", "3"), ("乙类事项", "4", "56"), ("丙类事项", "7", "8")]):
        c.drawString(50, 760 - 16 * i, label)
        c.drawString(250, 760 - 16 * i, a)
        c.drawString(350, 760 - 16 * i, b)
    c.showPage()
    c.save()
    doc = read_pdf(buf.getvalue())
    assert doc.tables == []
    assert "乙类事项 4 56" in doc.text


# ------------------------------------------------------------------ generated reports


def test_generated_borderless_report_round_trips() -> None:
    """Left-aligned like the Word form, every number printed: read exactly, every identity passing."""
    rep = synth.make_report(random.Random(7), version="v2021")
    data = synth_office.render_pdf(rep, layout=Layout(ruled=False), breaks={"applications": 12}, page_numbers=True)
    r = extract_document(data, "r.pdf")
    assert r.status is ExtractStatus.EXTRACTED, [e.message for e in r.errors]
    assert {c.key: c.value for c in r.cells if not c.derived} == rep.values


def test_a_number_whose_column_cannot_be_known_is_flagged() -> None:
    """Numbers right-aligned under centred header words, zeros blank, single digits (no alignment shows): 表四's
    numbers lie between header words and several columns are blank, so their columns are not known — the
    cells are flagged (ambiguous_columns), none is filled by guess."""
    rep = synth.make_report(random.Random(19), version="v2019")
    layout = Layout(ruled=False, numbers="right", headers="center", blank_zeros=True)
    r = extract_document(synth_office.render_pdf(rep, layout=layout), "r.pdf")
    review = [c for c in r.cells if c.table == "review_litigation"]
    assert review and all("ambiguous_columns" in c.flags for c in review)
    assert "ambiguous_columns" in {e.code for e in r.errors}
    s = score(r, {k: (None if v == 0 else v, "") for k, v in rep.values.items()})
    assert not s.wrong


seeds = st.integers(min_value=0, max_value=2**32 - 1)
aligns = st.sampled_from(["left", "center", "right"])
fractions = st.none() | st.floats(min_value=0, max_value=1, exclude_max=True)


@settings(max_examples=12)
@given(seeds, st.sampled_from(["v2019", "v2021"]), aligns, aligns, st.booleans(), fractions, fractions,
       st.booleans())
def test_generated_borderless_reports_are_exact_or_flagged(seed: int, version: str, numbers: str, headers: str,
                                                           blank_zeros: bool, where3: float | None,
                                                           where4: float | None, footer: bool) -> None:
    """Random reports drawn without rules: every cell is read right, or flagged (a flag on the cell, an error
    naming its row, or its whole table reported missing), never silently wrong."""
    rep = synth.make_report(random.Random(seed), version=version)
    sizes = [len(rows) for _heading, rows in synth_office.report_tables(rep)]
    breaks = {name: 1 + int(w * (n - 1)) for name, n, w in zip(TABLES[1:], sizes[1:], (where3, where4), strict=True)
              if w is not None}
    layout = Layout(ruled=False, numbers=numbers, headers=headers, blank_zeros=blank_zeros)
    r = extract_document(synth_office.render_pdf(rep, layout=layout, breaks=breaks, page_numbers=footer), "r.pdf")
    truth: dict[tuple[str, str, str, str], tuple[Decimal | None, str]] = {
        k: (None if blank_zeros and v == 0 else v, "") for k, v in rep.values.items()}
    missing = {e.message.split()[0] for e in r.errors if e.code == "table_missing"}
    wrong = [w for w in score(r, truth).wrong if w[0][0] not in missing]
    assert not wrong, wrong[:5]
