"""Reports nobody can read as text (scans, tables pasted as pictures) and password-protected PDFs:
each gets the status that says what to do, with a message naming the cause."""

from __future__ import annotations

import io
import random
import re

import pytest

from demo import synth, synth_office
from extract.document import extract_document
from gongkai.model import ExtractStatus

REP = synth.make_report(random.Random(21), version="v2021")
LOGO = '<img src="/images/logo.png" alt="logo">'
FOOTER = '<div class="footer"><img src="/images/jiucuo.png"><img src="/images/dzjg.png"></div>'


def _html_with_tables_as(replacement: str) -> str:
    html = synth.render_html(REP)
    html = re.sub(r"<table.*?</table>", replacement, html, flags=re.S)
    return html.replace("<body>", "<body>" + LOGO).replace("</body>", FOOTER + "</body>")


def test_scanned_pdf_needs_ocr() -> None:
    r = extract_document(synth_office.render_pdf(REP, scanned=True), "scan.pdf")
    assert r.status is ExtractStatus.NEEDS_OCR
    assert "no text layer" in r.errors[0].message


def test_pdf_with_tables_as_pictures_needs_ocr() -> None:
    r = extract_document(synth_office.render_pdf(REP, tables_as_images=True), "pictures.pdf")
    assert r.status is ExtractStatus.NEEDS_OCR
    assert "3 picture(s)" in r.errors[0].message
    assert r.year == REP.year  # the typed text was still read


def test_html_with_tables_as_img_needs_ocr() -> None:
    html = _html_with_tables_as('<p><img src="/u/table.png" width="600"></p>')
    r = extract_document(html.encode("utf-8"), "img.html")
    assert r.status is ExtractStatus.NEEDS_OCR
    assert "3 picture(s)" in r.errors[0].message  # the logo and the footer badges are not counted


def test_html_without_tables_or_pictures_is_no_tables() -> None:
    """Headings, no table, and only the portal's logo and footer badges: no_tables, not needs_ocr."""
    r = extract_document(_html_with_tables_as("<p>（见附件）</p>").encode("utf-8"), "none.html")
    assert r.status is ExtractStatus.NO_TABLES


def test_html_pictures_without_table_headings_is_no_tables() -> None:
    html = (f"<html><body>{LOGO}<h1>{REP.agency}{REP.year}年政府信息公开工作年度报告</h1>"
            "<p>一、总体情况</p><p>我单位认真贯彻落实。</p><p><img src=photo.jpg></p>"
            f"<p>{REP.agency}</p><p>{REP.year + 1}年1月20日</p>{FOOTER}</body></html>")
    r = extract_document(html.encode("utf-8"), "photo.html")
    assert r.status is ExtractStatus.NO_TABLES


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_with_a_user_password_is_unreadable(algorithm: str) -> None:
    data = synth_office.render_pdf(REP, user_password="secret", owner_password="owner", algorithm=algorithm)
    assert b"/Encrypt" in data
    r = extract_document(data, "locked.pdf")
    assert r.status is ExtractStatus.UNREADABLE
    assert "encrypted" in r.errors[0].message and "password" in r.errors[0].message


def test_pdf_with_an_owner_password_only_is_read() -> None:
    """Restrictions on printing and copying do not stop reading: anyone can open the file."""
    data = synth_office.render_pdf(REP, owner_password="owner")
    assert b"/Encrypt" in data
    r = extract_document(data, "restricted.pdf")
    assert r.status is ExtractStatus.EXTRACTED
    assert {c.key: c.value for c in r.cells if not c.derived} == REP.values


def test_pdf_whose_fonts_have_no_unicode_map_needs_ocr() -> None:
    """A CID font with Identity-H encoding, an unknown character collection and no ToUnicode map
    (as some PDF writers leave subset fonts): pdfminer gives (cid:N) for every glyph. The text
    is there to see but not to read, so OCR is the way, not no_tables."""
    data = synth_office.render_pdf(REP)
    assert data.count(b"/UniGB-UCS2-H") == 1 and data.count(b"(GB1)") == 1
    data = data.replace(b"/UniGB-UCS2-H", b"/Identity-H  ").replace(b"(GB1)", b"(XX1)")  # same lengths
    r = extract_document(data, "cid.pdf")
    assert r.status is ExtractStatus.NEEDS_OCR
    assert "(cid:" in r.errors[0].message


def test_docx_with_tables_as_pictures_needs_ocr() -> None:
    r = extract_document(synth_office.render_docx(REP, tables_as_images=True), "pictures.docx")
    assert r.status is ExtractStatus.NEEDS_OCR
    assert "3 picture(s)" in r.errors[0].message
    assert r.year == REP.year


def test_docx_with_a_seal_picture_and_no_table_is_no_tables() -> None:
    import docx
    from docx.shared import Inches
    from PIL import Image

    png = io.BytesIO()
    Image.new("L", (120, 120), 200).save(png, format="PNG")
    d = docx.Document()
    for line in [f"{REP.agency}{REP.year}年政府信息公开工作年度报告", *synth_office.HEADINGS, REP.agency]:
        d.add_paragraph(line)
    d.add_picture(io.BytesIO(png.getvalue()), width=Inches(1.5))  # the seal beside the signature
    out = io.BytesIO()
    d.save(out)
    r = extract_document(out.getvalue(), "seal.docx")
    assert r.status is ExtractStatus.NO_TABLES
