"""Static list pages (TRS, EmpireCMS-style county sites and most others): report links by title,
next-page links, and the pagers scripts and page footers declare — TRS `createPageHTML(count, cur,
"index", "html")`, TRS `var countPage = N` with the file name written in the script
(`"index"+"_" + nextPage + "."+"shtml"`), and last-page links (`尾页` → `index_14.html`) with the
record count EmpireCMS prints (`<a title="Total record"><b>160</b></a>`)."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urljoin, urlsplit

from crawler.discover.base import Anchor, Link, ListingNote, Page, live_markup, scoped_anchors
from crawler.discover.records import declared_records
from crawler.select import is_column_title, link_verdict, worth_recording

__all__ = ["column_links", "page_count_links", "pagination_links", "report_links"]

_NEXT = {"下一页", "下页", "后页", "下一頁", "›", "»", ">", ">>", "next", "Next", "下一页>", "下一页»"}
_LAST = {"尾页", "末页", "最后一页", "最末页", "尾頁"}
_PAGE_FILE = re.compile(r"^(?:index|list|default)?[_-]?\d+\.s?html?$", re.I)
_NUMBERED = re.compile(r"^(?P<prefix>[A-Za-z]*)[_-](?P<n>\d+)\.(?P<ext>s?html?|jsp)$", re.I)
_NUMBERED_TAIL = re.compile(r"[_-]\d+\.(?:s?html?|jsp)$", re.I)
_CREATE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_COUNT = re.compile(r"\bcountPage\s*[=:]\s*['\"]?(\d+)")  # TRS templates: var countPage = N
_CURRENT = re.compile(r"\bcurrentPage\s*[=:]\s*['\"]?(\d+)")
_JOIN = re.compile(r"""(["'])\s*\+\s*\1""")  # "index"+"_" → "index_", "."+"shtml" → ".shtml"
_SCRIPT_FILE = re.compile(r"""(?P<prefix>index|list|default)_["']\s*\+[^;"']{1,40}\+\s*["']\.(?P<ext>s?html?|jsp)""")
_SCRIPT_FIRST = re.compile(r"""(?P<prefix>index|list|default)\.(?P<ext>s?html?|jsp)\b""")
_EXTS = ("html", "shtml", "htm", "jsp")


def _title(a: Anchor) -> str:
    """The full title: lists truncate the text ("…") but often keep it whole in `title`."""
    if a.title and (link_verdict(a.title).fetch_as_report or not a.text or a.text.endswith(("…", "..."))):
        return a.title
    return a.text or a.title


def report_links(page: Page, anchors: list[Anchor], *, scoped: bool = True) -> list[Link]:
    """Links whose title is a report title (or report-like: the body decides), with the classifier's
    reason; near misses (a report title rejected as 解读, 通知 …) come back as `skip` links so the
    decision is recorded. With a registry `list_selector`, only links inside it (unless
    `scoped=False`: the anchors were already taken from the list, e.g. Hanweb records)."""
    out: list[Link] = []
    selector = page.overrides.get("list_selector")
    if scoped and isinstance(selector, str) and selector:
        anchors = scoped_anchors(page, selector)
    for a in anchors:
        title = _title(a)
        if "xxgkAnnualReport.jsp" in a.url and "fbtime=" in a.url:
            v = link_verdict(title, a.url)
            kind = "skip" if v.kind == "rejected" else "report"
            out.append(Link(a.url, kind, title or None, v.year, "hanweb_xxgk", reason="xxgk_annual_report_module"))
            continue
        v = link_verdict(title, a.url)
        if v.fetch_as_report:
            out.append(Link(a.url, "report", title, v.year, reason=v.reason))
        elif v.kind == "rejected" and worth_recording(title):
            out.append(Link(a.url, "skip", title, v.year, reason=v.reason))
    return out


def _dir(url: str) -> str:
    path = urlsplit(url).path
    return path if path.endswith("/") else posixpath.dirname(path) + "/"


_PAGER_TEXT = {"尾页", "末页", "首页", "上一页"}


def pagination_links(page: Page, anchors: list[Anchor]) -> list[Link]:
    out: list[Link] = []
    here = _dir(page.url)
    netloc = urlsplit(page.url).netloc
    for a in anchors:
        text = a.text.strip()
        is_next = text in _NEXT or a.title in ("下一页", "下页")
        if not (is_next or text.isdigit() or text in _PAGER_TEXT):
            continue  # only pager-like anchors are looked at more closely
        parts = urlsplit(a.url)
        if parts.netloc != netloc:
            continue
        name = posixpath.basename(parts.path)
        is_numbered = _PAGE_FILE.match(name) is not None and _dir(a.url) == here
        paged_query = "pageNum=" in a.url or "currpage=" in a.url.lower()
        if is_next or (is_numbered and (text.isdigit() or text in _PAGER_TEXT)) or (paged_query and (text.isdigit() or is_next)):
            out.append(Link(a.url, "list", None, None, "listpage", reason="pager_link"))
    return out


def _pager(page: Page, *, prefix: str, ext: str, first: int, last: int, declared_pages: int, family: str,
           detail: str, declared: int | None = None) -> tuple[list[Link], list[ListingNote]]:
    """Pages `prefix_first.ext` … `prefix_last.ext` of this directory, bounded; a note says how many
    pages (and records, where the page says) the listing declares and whether the bound cut it. The
    records this page shows are counted by the caller (`discover`), once per page."""
    base = _dir(page.url)
    key = f"pager:{urljoin(page.url, base)}{prefix}_*.{ext}"
    bound = max(0, page.max_list_pages - 1)  # the page itself is one of them
    wanted = list(range(first, last + 1))
    links = [Link(urljoin(page.url, f"{base}{prefix}_{n}.{ext}"), "list", None, None, family,
                  reason=f"pager:{family}", listing=key) for n in wanted[:bound]]
    if declared is None:
        declared = declared_records(page)
    note = ListingNote(key, family, declared_records=declared, declared_pages=declared_pages, planned_pages=len(links),
                       bounded=len(wanted) > bound, detail=detail + (f"; {declared} records declared" if declared else ""))
    return links, [note]


def _script_file(text: str, fallback_ext: str) -> tuple[str, str, str]:
    """(prefix, ext, where) as the pager script writes its links, e.g. "index"+"_"+n+"."+"shtml"."""
    joined = _JOIN.sub("", text)
    m = _SCRIPT_FILE.search(joined)
    if m:
        return m.group("prefix"), m.group("ext").lower(), "script"
    m = _SCRIPT_FIRST.search(joined)
    if m:
        return m.group("prefix"), m.group("ext").lower(), "script"
    return "index", fallback_ext, "url"


def page_count_links(page: Page) -> tuple[list[Link], list[ListingNote]]:
    """Pages 2..N named in scripts: TRS `createPageHTML(...)` and `countPage` variables; or the
    registry's page-count rule (`page_pattern` + `page_count`) for the entry page."""
    pattern, count = page.overrides.get("page_pattern"), page.overrides.get("page_count")
    if page.depth == 0 and isinstance(pattern, str) and "{n}" in pattern and isinstance(count, int):
        n_max = min(count, page.max_list_pages)
        key = f"pager:{urljoin(page.url, _dir(page.url))}{pattern}"
        rule = [Link(urljoin(page.url, _dir(page.url) + pattern.format(n=n)), "list", None, None, "registry",
                     reason="pager:registry", listing=key) for n in range(1, n_max)]
        return rule, [ListingNote(key, "registry", declared_pages=count, planned_pages=len(rule),
                                   bounded=count > page.max_list_pages, detail="registry page_count")]
    cur_ext = posixpath.splitext(urlsplit(page.url).path)[1].lstrip(".").lower() or "html"
    text = live_markup(page.text)
    links: list[Link] = []
    notes: list[ListingNote] = []
    for m in _CREATE.finditer(text):
        # createPageHTML(count, current, "index", "html") or, with a container first and the record count
        # last, createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89) (www.csrc.gov.cn: fg.shtml, fg_1.shtml …)
        args = [x.strip().strip("'\"") for x in m.group(1).split(",")]
        at = next((i for i, x in enumerate(args) if x.isdigit()), None)
        if at is None:
            continue
        rest = args[at + 2:]
        prefix = rest[0] if rest and re.fullmatch(r"[A-Za-z][\w-]*", rest[0]) else "index"
        ext = rest[1].lower() if len(rest) > 1 and rest[1].lower() in _EXTS else cur_ext
        declared = int(rest[2]) if len(rest) > 2 and rest[2].isdigit() else None
        got = _pager(page, prefix=prefix, ext=ext, first=1, last=int(args[at]) - 1, declared_pages=int(args[at]),
                     family="createpage", detail=f"createPageHTML({m.group(1).strip()[:60]})", declared=declared)
        links += got[0]
        notes += got[1]
    if not links and not notes:
        m2 = _COUNT.search(text)
        if m2:
            count_pages = int(m2.group(1))
            start = text.rfind("<script", 0, m2.start())
            end = text.find("</script>", m2.end())
            script = text[start if start >= 0 else m2.start(): end if end >= 0 else m2.end() + 4000]
            prefix, ext, where = _script_file(script, cur_ext)
            cm = _CURRENT.search(script)
            # TRS counts pages from 0 (index_1 is the second page); a first page that says it is page 1
            # counts from 1 (index_2 is the second page)
            one_based = bool(cm and cm.group(1) == "1" and not _NUMBERED.match(posixpath.basename(urlsplit(page.url).path)))
            first, last = (2, count_pages) if one_based else (1, count_pages - 1)
            got = _pager(page, prefix=prefix, ext=ext, first=first, last=last, declared_pages=count_pages,
                         family="countpage", detail=f"countPage = {count_pages}; file name from the {where}")
            links += got[0]
            notes += got[1]
    return links, notes


def last_page_links(page: Page, anchors: list[Anchor]) -> tuple[list[Link], list[ListingNote]]:
    """A pager footer with a last-page link (尾页 → index_14.html): every page in between, even when
    the footer shows only a window of numbers (EmpireCMS, TRS prerendered footers)."""
    here = _dir(page.url)
    numbered: dict[tuple[str, str], list[int]] = {}
    last: dict[tuple[str, str], int] = {}
    netloc = urlsplit(page.url).netloc
    for a in anchors:
        if not _NUMBERED_TAIL.search(a.url):
            continue
        parts = urlsplit(a.url)
        if parts.netloc != netloc or _dir(a.url) != here:
            continue
        m = _NUMBERED.match(posixpath.basename(parts.path))
        if not m:
            continue
        key = (m.group("prefix"), m.group("ext").lower())
        numbered.setdefault(key, []).append(int(m.group("n")))
        if a.text.strip() in _LAST or a.title.strip() in _LAST:
            last[key] = max(last.get(key, 0), int(m.group("n")))
    links: list[Link] = []
    notes: list[ListingNote] = []
    for (prefix, ext), n_last in last.items():
        first = min(numbered[(prefix, ext)])  # index_1 (TRS) or index_2 (EmpireCMS) is the second page
        got = _pager(page, prefix=prefix, ext=ext, first=first, last=n_last, declared_pages=n_last - first + 2,
                     family="lastpage", detail=f"last page {prefix}_{n_last}.{ext}")
        links += got[0]
        notes += got[1]
    return links, notes


def column_links(page: Page, anchors: list[Anchor], max_depth: int) -> list[Link]:
    """Sub-columns and year folders (部门年报, 乡镇年报, 2023年 …). Other hosts count too: hubs link to
    departments' own sites (the crawl loop still applies the host allow-list)."""
    if page.depth >= max_depth:
        return []
    return [Link(a.url, "list", _title(a), None, "column", same_depth=False, reason="column_title")
            for a in anchors if is_column_title(_title(a)) and a.url.rstrip("/") != page.url.rstrip("/")]
