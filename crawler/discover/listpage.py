"""Static list pages (TRS and most others): report links by title, next-page links, `index_N.html`,
`createPageHTML(count, current, "index", "html")` and `countPage` page counts written in scripts."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urljoin, urlsplit

from crawler.discover.base import Anchor, Link, Page, scoped_anchors
from crawler.select import is_column_title, is_report_title, report_year

__all__ = ["column_links", "page_count_links", "pagination_links", "report_links"]

_NEXT = {"下一页", "下页", "后页", "下一頁", "›", "»", ">", ">>", "next", "Next", "下一页>", "下一页»"}
_PAGE_FILE = re.compile(r"^(?:index|list|default)?[_-]?\d+\.s?html?$", re.I)
_CREATE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_COUNT = re.compile(r"\bcountPage\s*[=:]\s*['\"]?(\d+)")  # TRS templates: var countPage = N


def _title(a: Anchor) -> str:
    """The full title: lists truncate the text ("…") but often keep it whole in `title`."""
    if a.title and (is_report_title(a.title) or not a.text or a.text.endswith(("…", "..."))):
        return a.title
    return a.text or a.title


def report_links(page: Page, anchors: list[Anchor], *, scoped: bool = True) -> list[Link]:
    """Links whose title is a report title. With a registry `list_selector`, only links inside it
    (unless `scoped=False`: the anchors were already taken from the list, e.g. Hanweb records)."""
    out: list[Link] = []
    selector = page.overrides.get("list_selector")
    if scoped and isinstance(selector, str) and selector:
        anchors = scoped_anchors(page, selector)
    for a in anchors:
        title = _title(a)
        if "xxgkAnnualReport.jsp" in a.url and "fbtime=" in a.url:
            out.append(Link(a.url, "report", title or None, report_year(title, a.url), "hanweb_xxgk"))
        elif is_report_title(title):
            out.append(Link(a.url, "report", title, report_year(title, a.url)))
    return out


def _dir(url: str) -> str:
    path = urlsplit(url).path
    return path if path.endswith("/") else posixpath.dirname(path) + "/"


def pagination_links(page: Page, anchors: list[Anchor]) -> list[Link]:
    out: list[Link] = []
    here = _dir(page.url)
    for a in anchors:
        if urlsplit(a.url).netloc != urlsplit(page.url).netloc:
            continue
        name = posixpath.basename(urlsplit(a.url).path)
        text = a.text.strip()
        is_next = text in _NEXT or a.title in ("下一页", "下页")
        is_numbered = _PAGE_FILE.match(name) is not None and _dir(a.url) == here
        if is_next or (is_numbered and (text.isdigit() or text in ("尾页", "末页", "首页", "上一页"))) or (("pageNum=" in a.url or "currpage=" in a.url.lower()) and (text.isdigit() or is_next)):
            out.append(Link(a.url, "list", None, None, "listpage"))
    return out


def _page_urls(page: Page, count: int, prefix: str, ext: str) -> list[Link]:
    count = min(count, 500)
    base = _dir(page.url)
    return [Link(urljoin(page.url, f"{base}{prefix}_{n}.{ext}"), "list", None, None, "createpage")
            for n in range(1, count)]


def page_count_links(page: Page) -> list[Link]:
    """Pages 2..N named in scripts: TRS `createPageHTML(...)` and `countPage` variables; or the
    registry's page-count rule (`page_pattern` + `page_count`) for the entry page."""
    pattern, count = page.overrides.get("page_pattern"), page.overrides.get("page_count")
    if page.depth == 0 and isinstance(pattern, str) and "{n}" in pattern and isinstance(count, int):
        return [Link(urljoin(page.url, _dir(page.url) + pattern.format(n=n)), "list", None, None, "registry")
                for n in range(1, min(count, 500))]
    out: list[Link] = []
    cur_ext = posixpath.splitext(urlsplit(page.url).path)[1].lstrip(".") or "html"
    for m in _CREATE.finditer(page.text):
        args = [x.strip().strip("'\"") for x in m.group(1).split(",")]
        nums = [int(x) for x in args if x.isdigit()]
        strs = [x for x in args if x and not x.isdigit()]
        if not nums:
            continue
        # createPageHTML(count, current, "index", "html") or createPageHTML("div", count, current, "index", "html")
        prefix = next((s for s in strs if s in ("index", "list", "default")), "index")
        ext = next((s for s in strs if s in ("html", "shtml", "htm")), cur_ext)
        out.extend(_page_urls(page, nums[0], prefix, ext))
    if not out:
        m2 = _COUNT.search(page.text)
        if m2:
            out.extend(_page_urls(page, int(m2.group(1)), "index", cur_ext))
    return out


def column_links(page: Page, anchors: list[Anchor], max_depth: int) -> list[Link]:
    """Sub-columns and year folders (部门年报, 乡镇年报, 2023年 …). Other hosts count too: hubs link to
    departments' own sites (the crawl loop still applies the host allow-list)."""
    if page.depth >= max_depth:
        return []
    return [Link(a.url, "list", _title(a), None, "column", same_depth=False)
            for a in anchors if is_column_title(_title(a)) and a.url.rstrip("/") != page.url.rstrip("/")]
