"""The charset a page's URLs and forms are encoded in: the page's own, as browsers do. A browser
parses every URL of a document with the document's encoding, which applies to the query (WHATWG
URL, "encoding-parsing a URL": `<a href="?name=年报">` on a GBK page requests `?name=%C4%EA%B1%A8`),
and submits forms in it. Old TRS and Hanweb portals still serve GBK and read their queries as GBK.

The label decides between GBK and GB18030 as browsers do (gb2312, gbk, x-gbk … → GBK; gb18030 →
GB18030); `gongkai.decode` reads both as GB18030, which is right for decoding only."""

from __future__ import annotations

import codecs
import re

__all__ = ["form_charset_of", "url_charset"]

_HEADER = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def _label(body: bytes, content_type: str) -> str:
    m = _HEADER.search(content_type or "")
    if m:
        return m.group(1).lower()
    mm = _META.search(body[:4096])
    return mm.group(1).decode("ascii", "ignore").lower() if mm else ""


def url_charset(decoded_as: str, body: bytes, content_type: str) -> str:
    """The encoding for the queries of URLs found on a page `decode` read as `decoded_as`."""
    try:
        name = codecs.lookup(decoded_as).name
    except LookupError:
        return "utf-8"
    if name.startswith("utf-16") or name.startswith("utf-32") or name in ("utf-8", "ascii"):
        return "utf-8"  # a UTF-16 page's URLs are encoded in UTF-8 (WHATWG "get an output encoding")
    if name == "gb18030":
        return "gb18030" if _label(body, content_type) == "gb18030" else "gbk"
    return name


def form_charset_of(charset: str | None) -> str:
    """A frontier row's charset (None: UTF-8) as a codec name that is sure to exist."""
    if not charset:
        return "utf-8"
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return "utf-8"
