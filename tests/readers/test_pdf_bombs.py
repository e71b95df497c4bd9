"""PDFs that ask for millions of drawing operations are refused with `too_complex` and a
message before a reader parses them (issue 8 item 5: an 11 KB file took 65 s and 2.1 GB).
Times are measured in benchmarks, not here; each of these finishes in well under a second.
A content stream that does not inflate is refused too (unreadable), before pdfium half-reads it."""

from __future__ import annotations

import pytest

from extract.document import extract_document
from extract.readers import pdf, pdf_guard, pdfium_page
from gongkai.model import ExtractStatus

from .hostile_pdf import SIMSUN, forms, pages


def _too_complex(data: bytes, *words: str) -> str:
    r = extract_document(data, "bomb.pdf")
    assert r.status is ExtractStatus.TOO_COMPLEX, [e.message for e in r.errors]
    message = r.errors[0].message
    assert all(w in message for w in words), message
    return message


def test_a_small_stream_of_millions_of_operators() -> None:
    data = pages(b"0 0 m 9 9 l S\n" * 1_000_000)  # 14 MB of line drawing, 28 KB compressed
    assert len(data) < 30_000
    _too_complex(data, "page 1", f"{pdf_guard.MAX_PAGE_CONTENT // 1024:,} KB", "drawing operators")


def test_forms_drawing_forms() -> None:
    """10 ** 6 squares drawn through seven levels of forms: 1.6 GB in pdfium's page loader."""
    data = forms(levels=7, fan=10)
    assert len(data) < 3_000
    _too_complex(data, "page 1", "forms counted each time they are drawn")


def test_forms_nested_too_deep() -> None:
    _too_complex(forms(levels=15, fan=1), "nested more than")


def test_one_stream_drawn_on_every_page() -> None:
    """Each page is under the page limit; together they are not."""
    per_page = pdf_guard.MAX_PAGE_CONTENT * 3 // 4 // 14
    _too_complex(pages(b"0 0 m 9 9 l S\n" * per_page, count=40), "the file (pages 1–", "drawing operators")


def test_a_small_stream_of_hundreds_of_thousands_of_characters() -> None:
    """Text costs pdfium's text page far more than drawing: its bytes count 16 times."""
    data = pages(b"BT /F1 1 Tf 10 10 Td [" + b"(a)-1" * 700_000 + b"] TJ ET")
    assert len(data) < 10_000
    _too_complex(data, "page 1", "text 16 times")


def test_too_many_objects_on_a_page() -> None:
    """Within the content limit, but more objects than any report page has."""
    n = pdfium_page.MAX_OBJECTS + 1000
    assert n * 13 < pdf_guard.MAX_PAGE_CONTENT
    _too_complex(pages(b"0 0 1 1 re f\n" * n), f"more than {pdfium_page.MAX_OBJECTS:,} objects")


def test_too_many_characters_on_a_page() -> None:
    # 10 columns of 400 lines of 20 characters in 2-point type, each line at its own place
    # (pdfium drops a text object repeated at the same place, as fake bold is printed).
    text = b"".join(b"BT /F1 2 Tf %d %d Td (%s) Tj ET\n" % (10 + 25 * col, 10 + 2 * row, b"x" * 20)
                    for col in range(10) for row in range(400))
    assert pdfium_page.MAX_CHARS < 10 * 400 * 20
    _too_complex(pages(text), f"{pdfium_page.MAX_CHARS:,}", "characters")


def test_pages_whose_fonts_pdfminer_reads_have_a_lower_limit() -> None:
    """pdfminer's interpreter is slower: a page set in a font the file does not embed is held
    to its own limit (the same content in an embedded or built-in font is read)."""
    content = b"0 0 m 9 9 l S\n" * (pdf_guard.MAX_PDFMINER_CONTENT // 14 + 100) + b"BT /F1 12 Tf 10 10 Td (x) Tj ET"
    assert len(content) < pdf_guard.MAX_PAGE_CONTENT
    _too_complex(pages(content, font=SIMSUN), "(fonts not embedded)")
    r = extract_document(pages(content), "builtin-font.pdf")
    assert r.status is ExtractStatus.NEEDS_OCR  # read: one character is no text layer


def test_page_count_limit() -> None:
    _too_complex(pages(b"BT /F1 12 Tf 10 10 Td (hello) Tj ET", count=pdf.MAX_PAGES + 1),
                 f"{pdf.MAX_PAGES + 1} pages", f"more than {pdf.MAX_PAGES}")


def test_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the budget the reader stops between pages (a budget of 0 s: stopped after page 1)."""
    monkeypatch.setattr(pdf, "TIME_BUDGET", 0.0)
    _too_complex(pages(b"BT /F1 12 Tf 10 10 Td (hello) Tj ET", count=3), "stopped after page 1 of 3")


def test_damaged_content_stream_is_unreadable() -> None:
    """pdfium reads a corrupt stream up to the damage and drops the rest without a word (rows of
    a table gone, status extracted): the guard inflates every content stream and refuses it."""
    import zlib

    from .hostile_pdf import HELVETICA, write

    good = zlib.compress(b"BT /F1 12 Tf 72 700 Td (2024 hello) Tj ET\n" * 300, 9)
    bad = good[:40] + bytes(b ^ 0x5A for b in good[40:70]) + good[70:]
    with pytest.raises(zlib.error):
        zlib.decompress(bad)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >> >>"
    data = write([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>", HELVETICA,
                  b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bad) + bad + b"\nendstream", page])
    r = extract_document(data, "damaged.pdf")
    assert r.status is ExtractStatus.UNREADABLE
    assert "damaged" in r.errors[0].message and "does not inflate" in r.errors[0].message
