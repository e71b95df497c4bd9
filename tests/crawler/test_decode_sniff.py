"""Charset chain (header → BOM → meta → detector, GB* as GB18030) and magic-byte sniffing."""

from __future__ import annotations

import io
import zipfile

from gongkai.decode import decode
from gongkai.sniff import sniff

TEXT = "<p>张掖市甘州区东街街道2023年政府信息公开工作年度报告，镕䶮</p>"


def test_gbk_meta_without_hyphen_is_found() -> None:
    body = ('<html><head><meta httpequiv="Content-Type" content="text/html; charset=gb2312"></head>'
            f"<body>{TEXT}</body></html>").encode("gb18030")
    text, enc = decode(body, "text/html")
    assert enc == "gb18030" and "东街街道" in text


def test_wrong_declared_charset_is_distrusted() -> None:
    body = f"<html><body>{TEXT}</body></html>".encode("gbk", errors="ignore")
    text, _enc = decode(body, "text/html; charset=utf-8")
    assert "东街街道2023年政府信息公开" in text


def test_bom_wins_over_header() -> None:
    body = "\ufeff<p>报告</p>".encode("utf-8")
    text, enc = decode(body, "text/html; charset=gbk")
    assert enc == "utf-8" and text == "<p>报告</p>"


def test_undeclared_gbk_falls_to_detector() -> None:
    body = ("<html><body>" + "本机关不掌握相关政府信息，予以公开，部分公开。" * 20 + "</body></html>").encode("gbk")
    text, _enc = decode(body, None)
    assert "不掌握相关政府信息" in text


def _zip(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            z.writestr(n, "x")
    return buf.getvalue()


def test_sniff_by_magic_bytes() -> None:
    assert sniff(b"%PDF-1.7\n...") == "pdf"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == "ole"
    assert sniff(_zip(["[Content_Types].xml", "word/document.xml"])) == "docx"
    assert sniff(_zip(["xl/workbook.xml"])) == "xlsx"
    assert sniff(_zip(["OFD.xml", "Doc_0/Document.xml"])) == "ofd"
    assert sniff(b"<!DOCTYPE html><html>") == "html"
    assert sniff(b"") == "empty"
    assert sniff(b"{\\rtf1") == "rtf"
