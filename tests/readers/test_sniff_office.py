"""sniff(): kinds by magic bytes and text; office.py: LibreOffice conversion or a clear refusal."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from extract.errors import UnreadableError, UnsupportedFormatError
from extract.readers import office
from extract.readers.docx import read_docx
from extract.readers.sniff import sniff

from .conftest import CITY_PDF, DOCS, TEMPLATE_DOCX, corpus_bytes

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole(stream: str) -> bytes:
    # A compound-file header plus a directory entry name, as the real formats carry them.
    return OLE + bytes(504) + stream.encode("utf-16-le") + bytes(1000)


def _zip(names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for n in names:
            zf.writestr(n, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (b"", None, "empty"),
        (b"  \n\t ", None, "empty"),
        (b"%PDF-1.7\n...", None, "pdf"),
        (b"\xef\xbb\xbf%PDF-1.4\n", None, "pdf"),
        (_zip(["[Content_Types].xml", "word/document.xml"]), None, "docx"),
        (_zip(["[Content_Types].xml", "xl/workbook.xml"]), None, "xlsx"),
        (_zip(["OFD.xml", "Doc_0/Document.xml"]), None, "ofd"),
        (_zip(["a.txt"]), None, "zip"),
        (_ole("WordDocument"), "report.doc", "doc"),
        (_ole("WordDocument"), "report.wps", "wps"),
        (_ole("Workbook"), None, "xls"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), None, "image"),
        (b"\xff\xd8\xff\xe0" + bytes(100), None, "image"),
        (b"GIF89a" + bytes(100), None, "image"),
        (b"<!DOCTYPE html><html><body><table></table></body></html>", None, "html"),
        ("<HTML><HEAD><meta charset=gbk></HEAD>".encode("gbk"), None, "html"),
        ("一、总体情况\n本年新收政府信息公开申请数量 95\n".encode("gb18030"), None, "text"),
        ("一、总体情况\n".encode(), None, "text"),
        (bytes(range(256)) * 20, None, "binary"),
    ],
)
def test_sniff_kinds(data: bytes, filename: str | None, kind: str) -> None:
    assert sniff(data, filename) == kind


def test_sniff_corpus_files() -> None:
    assert sniff(corpus_bytes(CITY_PDF)) == "pdf"
    assert sniff(corpus_bytes(TEMPLATE_DOCX)) == "docx"
    expected = {"html": "html", "textflat": "text", "textpipe": "text", "seed": "text", "texttrad": "text"}
    seen = 0
    for path in sorted(DOCS.iterdir()):
        prefix = path.name.split("_")[0]
        if prefix == "negative":
            prefix = path.name.split("_")[1]
        if prefix in expected:
            assert sniff(path.read_bytes(), path.name) == expected[prefix], path.name
            seen += 1
    assert seen >= 30


def test_sniff_broken_zip_is_not_a_crash() -> None:
    assert sniff(b"PK\x03\x04" + bytes(200)) == "zip"
    assert sniff(b"PK\x03\x04" + bytes(200), "x.docx") == "docx"


def test_office_without_libreoffice_is_unsupported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "which", lambda name: None)
    with pytest.raises(UnsupportedFormatError, match="libreoffice-writer-nogui"):
        office.read_office(_ole("WordDocument"), "doc")
    with pytest.raises(UnsupportedFormatError, match="spreadsheet"):
        office.read_ole(_ole("Workbook"))
    with pytest.raises(UnsupportedFormatError, match="slides"):
        office.read_ole(_ole("PowerPoint Document"))
    with pytest.raises(UnsupportedFormatError, match="libreoffice-writer-nogui"):
        office.read_ole(_ole("WordDocument"))


def test_office_timeout_kills_the_whole_converter_group(tmp_path: Path) -> None:
    """A converter that hangs (and forks, like soffice → soffice.bin) is killed with its child."""
    pidfile = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {pidfile}\nwait\n")
    fake.chmod(0o755)
    start = time.perf_counter()
    with pytest.raises(UnreadableError, match="within 1 s"):
        office.read_office(_ole("WordDocument"), "doc", timeout=1, converter=str(fake))
    assert time.perf_counter() - start < 10
    child = int(pidfile.read_text())
    time.sleep(0.2)
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]


def test_office_converter_that_writes_nothing_is_unreadable(tmp_path: Path) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(UnreadableError, match="could not be loaded"):
        office.read_office(_ole("WordDocument"), "doc", converter=str(fake))


def test_office_refuses_empty_and_unknown() -> None:
    with pytest.raises(UnreadableError):
        office.read_office(b"", "doc")
    with pytest.raises(UnsupportedFormatError):
        office.read_office(b"\x89PNG\r\n\x1a\n", "image")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed here")
def test_office_reads_the_template_saved_as_doc(tmp_path: Path) -> None:
    """The real template, saved as Word 97 DOC by LibreOffice, reads back to the same grids."""
    src = tmp_path / "template.docx"
    src.write_bytes(corpus_bytes(TEMPLATE_DOCX))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    data = (tmp_path / "template.doc").read_bytes()
    assert sniff(data, "template.doc") == "doc"
    doc = office.read_ole(data)
    assert doc.source_format == "doc"
    ref = read_docx(corpus_bytes(TEMPLATE_DOCX))
    assert len(doc.tables) == len(ref.tables) == 3
    for got, want in zip(doc.tables, ref.tables, strict=True):
        assert [[(c.text, c.span_copy) for c in r] for r in got.rows] == [
            [(c.text, c.span_copy) for c in r] for r in want.rows
        ]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed here")
def test_office_garbage_is_unreadable() -> None:
    with pytest.raises(UnreadableError):
        office.read_office(OLE + bytes(3000), "doc")
