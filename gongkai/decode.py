"""Bytes → text: HTTP charset, then BOM, then <meta>, then a detector. GB* is read as GB18030."""

from __future__ import annotations

import codecs
import re

_META = re.compile(
    rb"""<meta[^>]+?(?:charset\s*=\s*["']?\s*([\w.:-]+)|http-?equiv[^>]+content\s*=\s*["'][^"']*charset\s*=\s*([\w.:-]+))""",
    re.I,
)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_SINGLE_BYTE = {"latin-1", "iso8859-1", "cp1252", "ascii"}
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "ms936", "euc-cn", "gb18030", "csgb2312", "hz-gb-2312"}


def _canonical(name: str | None) -> str | None:
    if not name:
        return None
    n = name.strip().strip("\"'").lower()
    if n in _GB or n.startswith("gb"):
        return "gb18030"  # a superset: GB2312/GBK pages routinely contain GBK-only characters
    try:
        return codecs.lookup(n).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*([\w.:-]+)", content_type, re.I)
    return _canonical(m.group(1)) if m else None


def _clean(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Never raises: the last resort is UTF-8 with replacement."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), enc
    declared = charset_from_content_type(content_type)
    if declared in _SINGLE_BYTE:
        declared = None  # error pages and misconfigured servers say latin-1 for GBK bodies
    if declared:
        text = _clean(data, declared)
        if text is not None:
            return text, declared
    m = _META.search(data[:4096])
    if m:
        meta_enc = _canonical((m.group(1) or m.group(2) or b"").decode("ascii", "ignore"))
        if meta_enc:
            text = _clean(data, meta_enc)
            if text is not None:
                return text, meta_enc
    text = _clean(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    text = _clean(data, "gb18030")
    if text is not None:
        return text, "gb18030"
    from charset_normalizer import from_bytes  # the last resort, rarely reached: not paid at start-up

    best = from_bytes(data[:65536]).best()
    if best is not None and best.encoding:
        enc = _canonical(best.encoding) or best.encoding
        return data.decode(enc, errors="replace"), enc
    return data.decode("utf-8", errors="replace"), "utf-8"
