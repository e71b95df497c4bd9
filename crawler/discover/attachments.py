"""Attachment links on a report page: office/PDF/OFD files and extension-less download endpoints."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

from crawler.discover.base import Anchor, Link, Page
from gongkai.sniff import ATTACHMENT_EXTENSIONS

__all__ = ["attachment_links"]

_DOWNLOAD_HINTS = ("file-download", "fileurl=", "downfile", "download.jsp", "downloadfile")


def attachment_links(page: Page, anchors: list[Anchor]) -> list[Link]:
    out: list[Link] = []
    seen: set[str] = set()
    for a in anchors:
        parts = urlsplit(a.url)
        if parts.scheme not in ("http", "https"):
            continue
        ext = posixpath.splitext(unquote(parts.path))[1].lower()
        name_ext = posixpath.splitext(a.text or a.title)[1].lower()
        low = a.url.lower()
        wanted = ext in ATTACHMENT_EXTENSIONS or name_ext in ATTACHMENT_EXTENSIONS or any(h in low for h in _DOWNLOAD_HINTS)
        if wanted and a.url not in seen:
            seen.add(a.url)
            out.append(Link(a.url, "attachment", a.text or a.title or None, None, "attachment"))
    return out
