"""Bytes → text for link discovery: HTTP header → BOM → meta (tolerant) → detector; GB* read as GB18030.

Raw bytes are always what gets stored; this decoding only serves discovery and can be redone.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

__all__ = ["decode_html", "normalize_charset"]

_META = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def normalize_charset(name: str | None) -> str | None:
    if not name:
        return None
    n = name.strip().strip("\"'").lower()
    if n in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936", "euc-cn", "hz-gb-2312"):
        return "gb18030"
    try:
        return codecs.lookup(n).name
    except LookupError:
        return None


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*([^\s;]+)", content_type, re.I)
    return normalize_charset(m.group(1)) if m else None


def _clean(body: bytes, enc: str) -> str | None:
    try:
        return body.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding used). A declared charset that fails to decode is distrusted, not obeyed."""
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(enc, errors="replace"), enc
    candidates: list[str] = []
    declared = [_header_charset(content_type),
                *(normalize_charset(m.decode("ascii", "ignore")) for m in _META.findall(body[:4096]))]
    for name in declared:
        if name and name not in candidates:
            candidates.append(name)
    for enc in candidates:
        text = _clean(body, enc)
        if text is not None:
            return text, enc
    if _clean(body, "utf-8") is not None:
        return body.decode("utf-8"), "utf-8"
    best = from_bytes(body[:65536]).best()
    guessed = (normalize_charset(best.encoding) if best is not None else None) or "gb18030"
    return body.decode(guessed, errors="replace"), guessed
