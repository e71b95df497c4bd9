"""Bytes → kind of document, by magic bytes first, then by a look at the text.

Shared by the crawler (what did a download turn out to be?) and extract (which reader?):
neither trusts an extension or a Content-Type.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from .decode import utf16_encoding

ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".ofd", ".rtf", ".et")
MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd",
    "ole": "application/x-ole-storage",  # .doc, .xls, .wps: an OLE compound file
    "rtf": "application/rtf",
    "zip": "application/zip",
    "image": "image/*",
}
_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|table|meta|div|p)\b", re.I)


def sniff(data: bytes, filename: str | None = None) -> str:
    """One of: empty, pdf, docx, xlsx, ofd, zip, ole (doc/xls/wps), rtf, image, html, xml, json, text, binary."""
    if not data.strip():
        return "empty"
    head = data[:8]
    if data[:1024].lstrip().startswith(b"%PDF") or head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(BytesIO(data)).namelist()
        except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError):
            return "binary"  # a damaged central directory (or an unknown zip version)
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.lower().startswith("doc_") or n.lower() == "ofd.xml" for n in names):
            return "ofd"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # DOC, WPS, XLS
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")):
        return "image"
    sample = data[:4096]
    wide = utf16_encoding(sample)
    if wide is not None:  # judge the text, not its two-byte encoding
        sample = sample[2 if sample.startswith((b"\xff\xfe", b"\xfe\xff")) else 0:]
        sample = sample[: len(sample) & ~1].decode(wide, errors="replace").encode("utf-8")
    if _HTML.search(sample):
        return "html"
    low = sample.lstrip().lower()
    if low.startswith(b"<?xml"):
        return "xml"
    if low.startswith((b"{", b"[")):
        return "json"
    if b"\x00" in sample:
        return "binary"
    try:
        sample.decode("utf-8")
        return "text"
    except UnicodeDecodeError as e:
        if e.start > len(sample) - 4:
            return "text"  # a multi-byte character cut by the sample boundary
    try:
        sample.decode("gb18030")
        return "text"
    except UnicodeDecodeError as e:
        # a two- or four-byte character cut by the sample boundary (byte 4096) is still text
        return "text" if e.start > len(sample) - 4 else "binary"
