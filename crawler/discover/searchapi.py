"""TRS-style "static first page + search API" lists: the first page is HTML, pages 2..N come from a
JSON endpoint named in a script (`searchUrl`/`apiUrl`/`dataUrl` with a page parameter). JSON list
responses are read generically: any list of objects with a title and a URL."""

from __future__ import annotations

import json
import math
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from crawler.discover.base import Link, ListingNote, Page, live_markup
from crawler.select import link_verdict, worth_recording
from gongkai.store.urlkey import query_keys, query_without, with_param

__all__ = ["api_from_script", "json_links", "looks_json"]

_API = re.compile(r"""(?:searchUrl|apiUrl|dataUrl|listUrl|ajaxUrl)\s*[:=]\s*['"]([^'"]+)['"]""")
_PAGES = re.compile(r"""\b(?:totalPage|pageCount|countPage|totalPages)\s*[:=]\s*['"]?(\d+)""")
_PAGE_KEYS = ("page", "pageNo", "pageNum", "pageNumber", "currPage", "pageIndex", "curPage")
_TITLE_KEYS = ("title", "docTitle", "DOCTITLE", "name", "Title")
_URL_KEYS = ("url", "docUrl", "DOCPUBURL", "link", "href", "Url", "pubUrl")


def looks_json(text: str, content_type: str) -> bool:
    return "json" in content_type or text.lstrip()[:1] in ("{", "[")


def _with_page(url: str, n: int) -> str | None:
    """The API URL asking for page `n`: its first page parameter set, the rest of the query as written."""
    if "{page}" in url:
        return url.replace("{page}", str(n))
    parts = urlsplit(url)
    name = next((k for k in query_keys(parts.query) if k in _PAGE_KEYS), None)
    query = with_param(parts.query, name, str(n)) if name else None
    return parts._replace(query=query).geturl() if query is not None else None


def _key(url: str) -> str:
    """One key for every page of a search-API listing: the API URL without its page parameter."""
    parts = urlsplit(url.replace("{page}", ""))
    return "api:" + parts._replace(query=query_without(parts.query, {k.lower() for k in _PAGE_KEYS})).geturl()


def api_from_script(page: Page) -> tuple[list[Link], list[ListingNote]]:
    if _API.search(page.text) is None:
        return [], []
    text = live_markup(page.text)
    m = _API.search(text)
    if m is None:
        return [], []
    api = urljoin(page.url, m.group(1))
    pm = _PAGES.search(text)
    last = int(pm.group(1)) if pm else 2
    key = _key(api)
    out = []
    for n in range(2, min(last, page.max_list_pages) + 1):
        u = _with_page(api, n)
        if u:
            out.append(Link(u, "list", None, None, "trs_search", reason="search_api:page", listing=key))
    note = ListingNote(key, "trs_search", declared_pages=last if pm else None, planned_pages=len(out),
                       bounded=last > page.max_list_pages,
                       detail=f"static first page + search API {urlsplit(api).path}" + ("" if pm else "; page count not declared"))
    return out, [note]


def _records(node: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        title = next((node[k] for k in _TITLE_KEYS if isinstance(node.get(k), str)), None)
        url = next((node[k] for k in _URL_KEYS if isinstance(node.get(k), str)), None)
        if title and url:
            found.append((title, url))
        for v in node.values():
            found.extend(_records(v))
    elif isinstance(node, list):
        for v in node:
            found.extend(_records(v))
    return found


def _total_pages(node: Any) -> int | None:
    if not isinstance(node, dict):
        return None
    for k in ("totalPage", "pageCount", "totalPages", "pages"):
        if isinstance(node.get(k), int):
            return int(node[k])
    if isinstance(node.get("total"), int) and isinstance(node.get("pageSize"), int) and node["pageSize"] > 0:
        return math.ceil(node["total"] / node["pageSize"])
    for v in node.values():
        if isinstance(v, dict):
            t = _total_pages(v)
            if t is not None:
                return t
    return None


def json_links(page: Page) -> tuple[list[Link], list[ListingNote]]:
    try:
        data = json.loads(page.text)
    except ValueError:
        return [], []
    out: list[Link] = []
    records = _records(data)
    for t, u in records:
        url = urljoin(page.url, u)
        v = link_verdict(t, url)
        if v.fetch_as_report:
            out.append(Link(url, "report", t, v.year, "trs_search", reason=v.reason))
        elif v.kind == "rejected" and worth_recording(t):
            out.append(Link(url, "skip", t, v.year, "trs_search", reason=v.reason))
    pages = _total_pages(data)
    key = _key(page.url)
    if pages:
        for n in range(2, min(pages, page.max_list_pages) + 1):
            nxt = _with_page(page.url, n)
            if nxt:
                out.append(Link(nxt, "list", None, None, "trs_search", reason="search_api:page", listing=key))
    note = ListingNote(key, "trs_search", declared_pages=pages, records=len(records), detail="search API page")
    return out, [note]
