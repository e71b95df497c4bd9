"""Damaged, hostile and empty files raise the reader errors, fast and with bounded memory."""

from __future__ import annotations

import io
import random
import time
import tracemalloc
import zipfile
from collections.abc import Callable

import pytest

from extract.errors import ExtractError, NeedsOcrError, UnreadableError
from extract.grid import Document
from extract.readers import zipsafe
from extract.readers.docx import read_docx
from extract.readers.pdf import read_pdf
from extract.synth_office import PdfOptions, TableSpec, write_docx, write_pdf

from .conftest import CITY_PDF, TEMPLATE_DOCX, corpus_bytes
from .synth_specs import review_spec

Reader = Callable[[bytes], Document]


def raises_fast(reader: Reader, data: bytes, error: type[ExtractError] = UnreadableError,
                match: str | None = None, seconds: float = 5.0, peak_mb: float = 64.0) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(error, match=match):
            reader(data)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < seconds
    assert peak < peak_mb * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


# ---------------------------------------------------------------- PDF

def test_zero_byte_pdf() -> None:
    raises_fast(read_pdf, b"", match="empty")


def test_truncated_pdf() -> None:
    data = corpus_bytes(CITY_PDF)
    for cut in (len(data) // 3, len(data) // 2, len(data) - 100):
        raises_fast(read_pdf, data[:cut], match="truncated")


def test_truncated_pdf_with_eof_marker_appended() -> None:
    data = corpus_bytes(CITY_PDF)
    raises_fast(read_pdf, data[: len(data) // 2] + b"\n%%EOF\n")


@pytest.mark.parametrize("seed", range(5))
def test_corrupt_pdf(seed: int) -> None:
    rng = random.Random(seed)
    junk = bytes(rng.randrange(256) for _ in range(20000))
    raises_fast(read_pdf, b"%PDF-1.7\n" + junk + b"\n%%EOF\n")


def test_not_a_pdf() -> None:
    raises_fast(read_pdf, corpus_bytes(TEMPLATE_DOCX), match="no %PDF")


def test_pdf_with_user_password() -> None:
    data = write_pdf(review_spec(random.Random(0)), PdfOptions(password="secret"))
    assert b"/Encrypt" in data
    raises_fast(read_pdf, data, match="encrypted: a password")


def test_pdf_with_owner_password_only_is_readable() -> None:
    """Empty user password (print/copy restrictions only): readers open these normally.

    Latin font: under encryption pdfminer loses the CID font's unicode mapping of reportlab's
    non-embedded STSong-Light (next test), which is not what this test is about.
    """
    spec = TableSpec([["Item", "Made", "Repealed"], ["Rules", "12", "0"], ["Docs", "7", "3"]])
    opts = PdfOptions(password="", font="Helvetica", narrative_lines=0, heading="")
    data = write_pdf(spec, opts, title="")
    assert b"/Encrypt" in data
    doc = read_pdf(data)
    assert [[c.text for c in r] for r in doc.tables[0].rows] == spec.rows


def test_pdf_text_layer_of_cid_codes_needs_ocr() -> None:
    """Text that only comes out as (cid:N) is no text layer: the document needs OCR."""
    data = write_pdf(review_spec(random.Random(0)), PdfOptions(password=""))
    raises_fast(read_pdf, data, NeedsOcrError, match=r"unicode mapping.*\(cid:N\)")


def test_corrupted_page_content_does_not_crash() -> None:
    """Bytes flipped in the middle of a real PDF: an error or a document, never a crash."""
    data = bytearray(corpus_bytes(CITY_PDF))
    rng = random.Random(7)
    for _ in range(200):
        i = rng.randrange(2000, len(data) - 2000)
        data[i] = rng.randrange(256)
    outcomes = []
    for n in range(3):  # three different damages of the same file
        for _ in range(50):
            i = rng.randrange(2000, len(data) - 2000)
            data[i] = rng.randrange(256)
        try:
            outcomes.append(type(read_pdf(bytes(data))).__name__)
        except ExtractError as e:  # anything else escaping is a crash and fails the test
            outcomes.append(type(e).__name__)
        assert outcomes[n] in ("Document", "UnreadableError", "NeedsOcrError")


# ---------------------------------------------------------------- DOCX

def _docx() -> bytes:
    return write_docx([TableSpec([["信息内容", "本年制发件数"], ["规章", "3"]])])


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, content if item.filename == name else zin.read(item))
    return out.getvalue()


def test_zero_byte_docx() -> None:
    raises_fast(read_docx, b"", match="empty")


def test_truncated_docx() -> None:
    data = corpus_bytes(TEMPLATE_DOCX)
    for cut in (100, len(data) // 2, len(data) - 10):
        raises_fast(read_docx, data[:cut])


def test_corrupt_docx() -> None:
    raises_fast(read_docx, b"PK\x03\x04" + bytes(5000))
    raises_fast(read_docx, corpus_bytes(CITY_PDF))


def test_docx_without_document_part() -> None:
    zin = zipfile.ZipFile(io.BytesIO(_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            if item.filename != "word/document.xml":
                zout.writestr(item.filename, zin.read(item))
    raises_fast(read_docx, out.getvalue())


def test_docx_with_broken_xml() -> None:
    raises_fast(read_docx, _replace_part(_docx(), "word/document.xml", b"<w:document><w:body><w:p>"))


def test_docx_zip_bomb_by_ratio() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as f:
            chunk = b" " * (1 << 20)
            for _ in range(64):  # 64 MB of blanks, about 64 KB compressed
                f.write(chunk)
    data = out.getvalue()
    assert len(data) < 1 << 20
    raises_fast(read_docx, data, match="zip bomb")


def test_docx_member_larger_than_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    """The streaming count catches a member that inflates past the cap, whatever the headers say."""
    monkeypatch.setattr(zipsafe, "MAX_RATIO", 10**9)
    monkeypatch.setattr(zipsafe, "MAX_UNCOMPRESSED", 4 << 20)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<a/>" + b" " * (3 << 20))
        zf.writestr("word/other.xml", b"<a/>" + b" " * (3 << 20))
    raises_fast(read_docx, out.getvalue(), match="zip bomb")


def test_docx_external_entity_is_refused() -> None:
    xxe = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
    )
    raises_fast(read_docx, _replace_part(_docx(), "word/document.xml", xxe), match="DOCTYPE")


def test_docx_entity_in_utf16_part_is_refused() -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
    ).encode("utf-16")
    raises_fast(read_docx, _replace_part(_docx(), "_rels/.rels", xml), match="DOCTYPE")


def test_python_docx_parser_does_not_resolve_entities_either() -> None:
    """Second line of defence, checked rather than assumed: python-docx's own lxml parser."""
    from docx.oxml.parser import oxml_parser
    from lxml import etree

    xml = b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/hostname">]><r>&e;</r>'
    root = etree.fromstring(xml, oxml_parser)
    assert "".join(root.itertext()) in ("", "&e;")  # left as a reference, never loaded


def test_dense_ruled_grid_reads_in_bounded_time() -> None:
    """A page ruled into 8,100 cells (a chart grid, a form) takes seconds, not minutes."""
    import io as _io

    from reportlab.pdfgen import canvas

    buf = _io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    c.setFont("Helvetica", 6)
    c.drawString(72, 800, "A page of text before the drawing, long enough to count as a text layer.")
    n = 90
    for i in range(n + 1):
        c.line(20 + i * 6, 20, 20 + i * 6, 20 + n * 6)
        c.line(20, 20 + i * 6, 20 + n * 6, 20 + i * 6)
    for i in range(n):
        for j in range(0, n, 3):
            c.drawString(21 + i * 6, 22 + j * 6, str((i + j) % 10))
    c.save()
    start = time.perf_counter()
    doc = read_pdf(buf.getvalue())
    assert time.perf_counter() - start < 20
    assert len(doc.tables) == 1 and len(doc.tables[0].rows) == n


def test_damaged_page_tree_error_is_not_hidden_by_close() -> None:
    """A flipped byte in a page's MediaBox fails again when the file is closed; the reader's
    UnreadableError must come out, not pdfminer's exception from close()."""
    data = write_pdf(review_spec(random.Random(0)), PdfOptions(split_after_row=2))
    at = data.index(b"/MediaBox")
    damaged = bytearray(data)
    end = data.index(b"]", at)
    damaged[end - 2] = ord("!")  # [0 0 595.2756 841.8898] → a non-number coordinate
    raises_fast(read_pdf, bytes(damaged))


def _pypdf_encrypt(data: bytes, user: str, owner: str, algorithm: str) -> bytes:
    pypdf = pytest.importorskip("pypdf", reason="pypdf (main's dev extra) encrypts every string, CID fonts included")
    reader = pypdf.PdfReader(io.BytesIO(data))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_user_password_any_algorithm(algorithm: str) -> None:
    data = _pypdf_encrypt(write_pdf(review_spec(random.Random(0))), "secret", "owner", algorithm)
    raises_fast(read_pdf, data, match="encrypted: a password")


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_pdf_owner_password_only_reads_cjk(algorithm: str) -> None:
    spec = review_spec(random.Random(0))
    data = _pypdf_encrypt(write_pdf(spec), "", "owner", algorithm)
    doc = read_pdf(data)
    assert [c.text for c in doc.tables[0].rows[-1]] == spec.rows[-1]
    assert doc.tables[0].rows[0][0].text == "行政复议"
