"""PDF info dictionary → plain strings.

WPS writes text strings as UTF-16LE with a byte-order mark (FF FE); pdfminer only knows the
big-endian form and decodes the rest as PDFDocEncoding, giving `ÿþ?eœ^...`. Such strings are
turned back into bytes and decoded properly.
"""

from __future__ import annotations

from typing import Any

from pdfminer.utils import PDFDocEncoding

_REVERSE = {ch: i for i, ch in enumerate(PDFDocEncoding) if ch != "\x00" or i == 0}


def _to_bytes(s: str) -> bytes | None:
    out = bytearray()
    for ch in s:
        code = _REVERSE.get(ch)
        if code is None:
            if ord(ch) > 255:
                return None
            code = ord(ch)
        out.append(code)
    return bytes(out)


def fix_text(value: Any) -> str:
    """One info value as text, repairing UTF-16LE strings that pdfminer misread."""
    if isinstance(value, bytes):
        raw: bytes | None = value
    elif isinstance(value, str):
        if not value.startswith("ÿþ"):
            return value
        raw = _to_bytes(value)
        if raw is None:
            return value
    else:
        return str(value)
    assert raw is not None
    if raw.startswith(b"\xff\xfe"):
        return raw[2:].decode("utf-16-le", errors="replace").rstrip("\x00")
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", errors="replace").rstrip("\x00")
    return raw.decode("latin-1")


def decode_info(info: dict[str, Any] | None) -> dict[str, str]:
    """The info dictionary with readable values; empty values dropped."""
    out: dict[str, str] = {}
    for key, value in (info or {}).items():
        text = fix_text(value).strip()
        if text:
            out[str(key)] = text
    return out
