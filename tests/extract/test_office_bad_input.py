"""Corrupt, truncated, encrypted-looking and hostile PDF/DOCX files: a status, never a crash."""

from __future__ import annotations

import io
import zipfile

import pytest

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
