"""Corrupt, truncated, encrypted-looking and hostile PDF/DOCX files: a status, never a crash."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demo import synth, synth_office
from extract.document import extract_document
from gongkai.model import ExtractStatus
from tests.conftest import DOCS

PDF = (DOCS / "pdf_2024_jiangsu_huaian_hongzequ_gov.pdf").read_bytes()
DOCX = (DOCS / "docx_template_2021_blank_gongkai_nianbao_moban.docx").read_bytes()


@pytest.mark.parametrize("data", [b"%PDF-1.7\n", PDF[: len(PDF) // 3], b"%PDF-1.4\n" + b"\x00garbage" * 100],
                         ids=["header-only", "truncated", "garbage"])
def test_broken_pdf(data: bytes) -> None:
    r = extract_document(data, "x.pdf")
    assert r.status in (ExtractStatus.UNREADABLE, ExtractStatus.NEEDS_OCR, ExtractStatus.NO_TABLES, ExtractStatus.PARTIAL)
    assert r.errors


def test_truncated_docx() -> None:
    r = extract_document(DOCX[: len(DOCX) // 2], "x.docx")
    assert r.status in (ExtractStatus.UNREADABLE, ExtractStatus.UNSUPPORTED_FORMAT)


def test_docx_zip_bomb() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\x00" * (300 * 1024 * 1024))
    r = extract_document(buf.getvalue(), "bomb.docx")
    assert r.status is ExtractStatus.UNREADABLE
    assert "zip bomb" in r.errors[0].message


def test_docx_with_external_entity() -> None:
    src = zipfile.ZipFile(io.BytesIO(DOCX))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                body = body.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
            z.writestr(info, body)
    r = extract_document(buf.getvalue(), "xxe.docx")
    assert r.status is ExtractStatus.UNREADABLE
    assert "DOCTYPE" in r.errors[0].message


# ------------------------------------------------------------------ damaged generator-built files

_REP = synth.make_report(random.Random(8), version="v2021")
_BUILT = {"r.pdf": synth_office.render_pdf(_REP, split_at_row=10), "r.docx": synth_office.render_docx(_REP)}


@settings(max_examples=25)
@given(st.sampled_from(sorted(_BUILT)), st.sampled_from(["truncate", "flip", "zero", "copy"]),
       st.integers(min_value=0, max_value=2**31), st.integers(min_value=1, max_value=400))
def test_damaged_pdf_and_docx_never_crash(name: str, how: str, where: int, size: int) -> None:
    """Cut, bit-flipped, zeroed or spliced files (the damage a download or a bad disk does): a
    status and a message, never `crashed`. Found: zip CRC/deflate/version errors escaping the
    DOCX checks, and pdfplumber failing again while closing a PDF with a damaged page tree."""
    data = bytearray(_BUILT[name])
    at = where % len(data)
    if how == "truncate":
        data = data[:at]
    elif how == "flip":
        for i in range(size % 16 + 1):
            data[(at + i * 7919) % len(data)] ^= 1 << (i % 8)
    elif how == "zero":
        data[at:at + size] = bytes(len(data[at:at + size]))
    else:
        src = (where // 3) % len(data)
        data[at:at] = data[src:src + size]
    r = extract_document(bytes(data), name)
    assert r.status is not ExtractStatus.CRASHED, r.errors[0].message
    if r.status in (ExtractStatus.UNREADABLE, ExtractStatus.UNSUPPORTED_FORMAT, ExtractStatus.NEEDS_OCR):
        assert r.errors and r.errors[0].message
