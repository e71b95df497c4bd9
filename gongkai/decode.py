"""Bytes → text: BOM or UTF-16 shape, then HTTP charset, then <meta>, then a detector. GB* is read as GB18030."""

from __future__ import annotations

import codecs
import re

_META = re.compile(
    rb"""<meta[^>]+?(?:charset\s*=\s*["']?\s*([\w.:-]+)|http-?equiv[^>]+content\s*=\s*["'][^"']*charset\s*=\s*([\w.:-]+))""",
    re.I,
)
_SINGLE_BYTE = {"latin-1", "iso8859-1", "cp1252", "ascii"}
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "ms936", "euc-cn", "gb18030", "csgb2312", "hz-gb-2312"}


def _plausible(ch: str) -> bool:
    """A character of a Chinese report page: ASCII text, Latin letters (pinyin with tone marks),
    CJK, CJK and full-width punctuation."""
    o = ord(ch)
    return (0x20 <= o < 0x7F or ch in "\t\n\r" or 0xA0 <= o <= 0x24F or 0x4E00 <= o <= 0x9FFF
            or 0x3400 <= o <= 0x4DBF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F)


def utf16_encoding(sample: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes are UTF-16 text, with or without a BOM; else None.

    Without a BOM: the ASCII characters every report has (digits, line ends, markup) put a NUL
    byte on one side of each pair, and the text decoded that way is made of plausible characters.
    UTF-8 and GB18030 text never contains NUL bytes."""
    if sample.startswith(codecs.BOM_UTF16_LE) and not sample.startswith(b"\xff\xfe\x00\x00"):
        return "utf-16-le"
    if sample.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    n = len(sample) & ~1
    odd, even = sample[1:n:2].count(0), sample[0:n:2].count(0)
    if n < 16 or max(odd, even) < 4:
        return None
    enc = "utf-16-le" if odd > even else "utf-16-be"
    text = sample[:n].decode(enc, errors="replace")
    return enc if sum(map(_plausible, text)) >= 0.95 * len(text) else None


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
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8"
    wide = utf16_encoding(data[:4096])
    if wide is not None:
        bom = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        return data[2 if bom else 0:].decode(wide, errors="replace"), wide
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
