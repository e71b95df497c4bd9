"""The demo portal's report pages: the project's generator, one consistent series per agency."""

from __future__ import annotations

from demo.report import BROKEN, _report, report_html, report_pdf
from extract.document import extract_document
from gongkai.model import CheckStatus, ExtractStatus


def _cells(data: bytes, name: str):  # type: ignore[no-untyped-def]
    r = extract_document(data, name)
    return r, {c.key: c.value for c in r.cells if not c.derived}


def test_page_extracts_to_the_generated_values() -> None:
    r, cells = _cells(report_html("县财政局", 2023, attachments=(("./a.pdf", "年度报告.pdf"),)).encode(), "p.html")
    assert r.status is ExtractStatus.EXTRACTED
    assert cells == _report("县财政局", 2023).values
    assert (r.agency, r.year, r.published) == ("县财政局", 2023, "2024-01-20")


def test_mirrors_agree_and_years_continue() -> None:
    assert report_html("县教育局", 2024) == report_html("县教育局", 2024)
    prev, cur = _report("县教育局", 2023).values, _report("县教育局", 2024).values
    assert cur[("applications", "", "carried_over", "total")] == prev[("applications", "", "carried_forward", "total")]


def test_pdf_attachment_is_the_same_report() -> None:
    r, cells = _cells(report_pdf("县财政局", 2023), "a.pdf")
    assert r.status is ExtractStatus.EXTRACTED and cells == _report("县财政局", 2023).values
    assert extract_document(report_pdf("县财政局", 2023, scanned=True), "s.pdf").status is ExtractStatus.NEEDS_OCR


def test_one_report_is_broken_on_purpose() -> None:
    r, _ = _cells(report_html(*BROKEN).encode(), "b.html")
    assert any(c.status is CheckStatus.FAIL for c in r.checks)
