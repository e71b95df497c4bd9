"""Bytes → kind of document: magic bytes first, then a look at the text.

Returns one of: html, text, pdf, docx, doc, wps, xlsx, xls, ofd, zip, image, empty, binary.
The file name only breaks ties the bytes cannot (an OLE file whose streams were not found, a
zip with no recognised layout); it never overrides clear magic bytes.
"""

from __future__ import annotations

import io
import re
import zipfile

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")
_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|table|meta|div|p|title|span|br)\b", re.I)
_TEXT_ENCODINGS = ("utf-8", "gb18030", "utf-16")


def _zip_kind(data: bytes) -> str | None:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if "OFD.xml" in names or any(n.lower().endswith("ofd.xml") for n in names):
        return "ofd"
    return "zip"


def _ole_kind(data: bytes, ext: str) -> str:
    """Tell Word, WPS and Excel apart by the stream names in the OLE directory."""
    # Directory entry names are UTF-16LE; searching the raw bytes avoids a full OLE parser.
    if "WordDocument".encode("utf-16-le") in data:
        return "wps" if ext == "wps" else "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    if ext in ("doc", "wps", "xls"):
        return ext
    return "doc"


def _looks_textual(data: bytes) -> str | None:
    sample = data[:65536]
    for enc in _TEXT_ENCODINGS:
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            # A multi-byte character cut at the sample end is not a reason to give up.
            try:
                text = sample[:-4].decode(enc)
            except UnicodeDecodeError:
                continue
        if not text:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
        if controls / len(text) < 0.01:
            return text
    return None


def sniff(data: bytes, filename: str | None = None) -> str:
    """The kind of document in `data`."""
    ext = filename.rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    if not data or not data.strip():
        return "empty"
    head = data[:16]
    if b"%PDF" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data) or ("docx" if ext == "docx" else "zip")
    if head.startswith(_OLE):
        return _ole_kind(data, ext)
    if any(head.startswith(m) for m in _IMAGES) or (head[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if head.startswith(b"{\\rtf"):
        return "doc"  # RTF: converted like a Word file
    text = _looks_textual(data)
    if text is None:
        return "binary"
    if _HTML.search(text.encode("utf-8", "ignore")[:65536]):
        return "html"
    return "text"
