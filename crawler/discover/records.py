"""Records of a static list page: how many the page shows, and how many its listing declares
(`共 N 条`, EmpireCMS `<a title="Total record"><b>N</b>`, `recordCount = N`, the sixth argument of
TRS `createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89)`), so a pager whose pages were all fetched
but list fewer records than declared is said to be incomplete.

A record is a list item (li, tr, dl; else the link's parent) holding a link and a date, as list
templates print them (`<li><a …>title</a><span>2024-01-20</span></li>`). Items are grouped by where
they sit (their tag and class, their container's, its container's), so several `<ul>` blocks of one
list count together and a dated sidebar ("最新信息") is a group of its own; the largest group is the
list. A page without dated items is not countable (None): its listing is then judged by pages."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from crawler.discover.base import Page, live_markup

__all__ = ["count_records", "declared_records"]

_DATE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
_ITEM = frozenset({"li", "tr", "dl"})
_DECLARED = (
    re.compile(r"""title=["']Total record["'][^>]*>\s*(?:&nbsp;)?\s*<b>\s*(\d+)\s*</b>""", re.I),  # EmpireCMS
    re.compile(r"(?:共有?|总计|合计)\s*(?:<[^>]{0,80}>\s*)?(\d+)\s*(?:<[^>]{0,80}>\s*)?条"),  # 共 <b>55</b> 条
    re.compile(r"""\b(?:recordCount|totalRecord|totalCount|record_count)\s*[=:]\s*['"]?(\d+)""", re.I),
)


def declared_records(page: Page) -> int | None:
    """The record count the page's markup or scripts declare for its listing."""
    text = live_markup(page.text)
    for pattern in _DECLARED:
        m = pattern.search(text)
        if m:
            return int(m.group(1))
    return None


def _where(node: LexborNode | None) -> tuple[str, str]:
    if node is None:
        return "", ""
    return node.tag or "", (node.attributes.get("class") or "").strip()


def _runs(parent: LexborNode) -> list[tuple[int, str]]:
    """Links that share a parent (`<div><a/> 2024-01-20<br><a/>…`): each with the text up to the next."""
    runs: list[tuple[int, list[str]]] = []
    for child in parent.iter(include_text=True):
        if child.tag == "a":
            runs.append((child.mem_id, [child.text()]))
        elif runs:
            runs[-1][1].append(child.text())
    return [(mem, "".join(parts)) for mem, parts in runs]


def count_records(page: Page) -> int | None:
    """Dated list items of the page's largest group; None when the page shows none."""
    groups: dict[tuple[tuple[str, str], ...], set[int]] = {}
    shared: set[int] = set()
    for a in page.markup.tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#")):
            continue
        item = a.parent
        for _ in range(3):
            if item is None or item.tag in _ITEM:
                break
            item = item.parent
        if item is not None and item.tag in _ITEM:
            if _DATE.search(item.text(deep=True)):
                box = item.parent
                sig = (_where(item), _where(box), _where(box.parent if box is not None else None))
                groups.setdefault(sig, set()).add(item.mem_id)
            continue
        parent = a.parent
        if parent is None or parent.mem_id in shared:
            continue
        shared.add(parent.mem_id)
        sig = (("a", ""), _where(parent), _where(parent.parent))
        for mem, text in _runs(parent):
            if _DATE.search(text):
                groups.setdefault(sig, set()).add(mem)
    return max(map(len, groups.values())) if groups else None
