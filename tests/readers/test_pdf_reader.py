"""The pdfium reader's own promises: its two sources of characters agree, pages are read as
displayed whatever their /Rotate, and characters of fonts the file does not embed are not lost."""

from __future__ import annotations

import io
import random
from typing import Any

import pytest

from demo import synth, synth_office
from extract.grid import Document
from extract.readers.pdf import read_pdf
from extract.readers.pdfium_page import read_page

from .conftest import CITY_PDF, HONGZE_PDF, corpus_bytes


def foreign_fonts(data: bytes) -> list[list[str]]:
    """Per page, the fonts pdfium would have to measure with the machine's fonts."""
    import pypdfium2
    import pypdfium2.raw as c

    doc = pypdfium2.PdfDocument(data)
    out = []
    for i in range(len(doc)):
        page = c.FPDF_LoadPage(doc.raw, i)
        out.append(read_page(page).foreign_fonts)
        c.FPDF_ClosePage(page)
    doc.close()
    return out


def shape(d: Document) -> dict[str, Any]:
    """Everything a reader hands on, cell by cell and line by line."""
    return {"tables": [[[("~" if c.span_copy else "") + c.text for c in r] for r in t.rows] for t in d.tables],
            "pages": [t.page for t in d.tables], "text": d.text.splitlines(), "title": d.title,
            "images": d.images_in_body, "meta": d.meta}


@pytest.mark.parametrize("name", [CITY_PDF, HONGZE_PDF])
def test_pdfium_and_pdfminer_characters_give_the_same_document(name: str) -> None:
    """The corpus is read with pdfium's characters (its fonts are embedded); pdfminer's, used for
    pages whose fonts are not, give the same grids, text and title."""
    data = corpus_bytes(name)
    assert not any(foreign_fonts(data))
    fast, slow = shape(read_pdf(data)), shape(read_pdf(data, all_by_pdfminer=True))
    assert fast["tables"] == slow["tables"]
    assert fast == slow


def test_pages_in_fonts_not_embedded_are_read_by_pdfminer() -> None:
    """The generator's CID font STSong-Light is not embedded: without a CJK font on the machine
    pdfium finds its glyphs zero-wide and drops every one-character text object."""
    rep = synth.make_report(random.Random(2), version="v2021")
    data = synth_office.render_pdf(rep)
    assert foreign_fonts(data) == [["STSong-Light"], ["STSong-Light"]]  # Helvetica is built in


def test_a_lone_character_in_a_font_not_embedded_is_read() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(595, 842), invariant=1)
    canvas.setFont("STSong-Light", 10)
    for i, text in enumerate(["维持", "持", "正", "2023年政府信息公开工作年度报告", "总", "计"]):
        canvas.drawString(72, 780 - 20 * i, text)
    canvas.save()
    lines = read_pdf(buf.getvalue()).text.splitlines()
    assert lines == ["维持", "持", "正", "2023年政府信息公开工作年度报告", "总", "计"]


def _rotated(data: bytes, angle: int) -> bytes:
    """Each page's content turned by `angle` and the page given /Rotate `angle`: it displays as
    before (a landscape table on a portrait sheet is printed this way)."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        shift = {90: (h, 0.0), 180: (w, h), 270: (0.0, w)}[angle]
        page.add_transformation(Transformation().rotate(angle).translate(*shift))
        box = RectangleObject((0, 0, h, w) if angle % 180 else (0, 0, w, h))
        page.mediabox = box
        page.cropbox = box
        page.rotation = angle
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_pages_are_read_as_displayed(angle: int) -> None:
    """A page whose content is drawn turned and whose /Rotate turns it back reads like the
    upright original: pdfium's characters (the corpus) and pdfminer's (the generator's)."""
    rep = synth.make_report(random.Random(angle), version="v2019")
    for data in (corpus_bytes(HONGZE_PDF), synth_office.render_pdf(rep, split_at_row=12)):
        turned = _rotated(data, angle)
        assert b"/Rotate " + str(angle).encode() in turned
        got, want = shape(read_pdf(turned)), shape(read_pdf(data))
        assert got["tables"] == want["tables"]
        assert got["text"] == want["text"]
