"""Generated PDFs (reportlab, CJK CID font) read back to the grid they were drawn from."""

from __future__ import annotations

import random

import pytest

from extract.errors import NeedsOcrError
from extract.grid import Table
from extract.readers.pdf import read_pdf
from extract.synth_office import PdfOptions, expected_grid, write_pdf

from .synth_specs import active_spec, applications_spec, review_spec


def grid(t: Table) -> list[list[tuple[str, bool]]]:
    return [[(c.text, c.span_copy) for c in r] for r in t.rows]


@pytest.mark.parametrize("seed", range(4))
def test_one_page_round_trip(seed: int) -> None:
    rng = random.Random(seed)
    for spec in (applications_spec(rng), review_spec(rng)):
        d = read_pdf(write_pdf(spec))
        assert len(d.tables) == 1
        assert grid(d.tables[0]) == expected_grid(spec)
        assert d.title == "测试市人民政府2024年政府信息公开工作年度报告"
        assert "— 1 —" not in d.text and "三、收到和处理政府信息公开申请情况" in d.text


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("split", [4, 5, 8, 9, 11, 12])
@pytest.mark.parametrize("repeat", [0, 3])
def test_split_over_two_pages_is_one_table(seed: int, split: int, repeat: int) -> None:
    """Broken after any row (inside a rowspan label or not), header repeated or not."""
    spec = applications_spec(random.Random(seed))
    d = read_pdf(write_pdf(spec, PdfOptions(split_after_row=split, repeat_header_rows=repeat)))
    assert len(d.tables) == 1, "the continuation is joined, not a second table"
    assert d.tables[0].page == 1
    assert grid(d.tables[0]) == expected_grid(spec)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("split", [3, 6, 7, 8, 10])
def test_active_disclosure_split_between_blocks(seed: int, split: int) -> None:
    """表二 over two pages: the one-value blocks on page 2 draw fewer column edges."""
    spec = active_spec(random.Random(seed))
    d = read_pdf(write_pdf(spec, PdfOptions(split_after_row=split)))
    assert len(d.tables) == 1
    assert grid(d.tables[0]) == expected_grid(spec)


@pytest.mark.parametrize("seed", range(3))
def test_narrow_columns_wrap_headers_and_numbers(seed: int) -> None:
    """Headers broken over lines and long numbers wrapped in narrow cells join back."""
    rng = random.Random(seed)
    spec = applications_spec(rng)
    spec.col_widths = [16, 30, 120, 22, 22, 22, 26]  # one character per line in column 0
    big = str(rng.randint(10**6, 10**7))
    spec.rows[4][6] = big  # 7 digits in a 26 pt column: wraps to two lines
    d = read_pdf(write_pdf(spec))
    assert grid(d.tables[0]) == expected_grid(spec)
    assert d.tables[0].rows[4][6].text == big


def test_running_head_does_not_stop_the_join() -> None:
    """A header printed at the top of every page is furniture, not text above the table."""
    spec = applications_spec(random.Random(5))
    opts = PdfOptions(split_after_row=8, running_head="测试市人民政府办公室 第 1 号")
    d = read_pdf(write_pdf(spec, opts))
    assert len(d.tables) == 1
    assert grid(d.tables[0]) == expected_grid(spec)
    assert "测试市人民政府办公室" not in d.text


@pytest.mark.parametrize("caption", ["续表", "（续上表）", "接上表："])
def test_continued_caption_does_not_stop_the_join(caption: str) -> None:
    spec = applications_spec(random.Random(6))
    d = read_pdf(write_pdf(spec, PdfOptions(split_after_row=9, continued_caption=caption)))
    assert len(d.tables) == 1
    assert grid(d.tables[0]) == expected_grid(spec)


def test_text_between_fragments_keeps_tables_apart() -> None:
    """A real heading above the table on page 2 means a new table, not a continuation."""
    spec = applications_spec(random.Random(6))
    d = read_pdf(write_pdf(spec, PdfOptions(split_after_row=9, continued_caption="四、政府信息公开行政复议情况")))
    assert len(d.tables) == 2


def test_split_label_really_breaks_across_pages() -> None:
    """Guard for the test above: the generator does print （四）无 / 法提供 on two pages."""
    import io

    import pdfplumber

    spec = applications_spec(random.Random(0))
    data = write_pdf(spec, PdfOptions(split_after_row=8))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page1 = pdf.pages[0].extract_text()
        page2 = pdf.pages[1].extract_text()
    assert "（四）无" in page1 and "法提供" not in page1.replace("\n", "")
    assert "法提供" in page2


def test_scanned_table_page_needs_ocr() -> None:
    spec = applications_spec(random.Random(1))
    with pytest.raises(NeedsOcrError):
        read_pdf(write_pdf(spec, PdfOptions(scanned=True)))


def test_no_text_layer_at_all_needs_ocr() -> None:
    spec = review_spec(random.Random(1))
    data = write_pdf(spec, PdfOptions(scanned=True, narrative_lines=0, heading="", page_numbers=False), title="")
    with pytest.raises(NeedsOcrError):
        read_pdf(data)
