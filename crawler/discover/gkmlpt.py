"""Guangdong 公开目录平台 (gkmlpt): `window._CONFIG` holds SID and the category TREE; the JSON API
`/gkmlpt/api/all/{category}?page=N&sid=SID` lists articles (~100 a page, `classify.post_count`)."""

from __future__ import annotations

import json
import math
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from crawler.discover.base import Link, ListingNote, Page
from crawler.select import is_column_title, link_verdict, worth_recording

__all__ = ["api_links", "config_links", "is_api"]

_SID = re.compile(r"['\"]?SID['\"]?\s*[:=]\s*['\"]([^'\"]+)['\"]")
_CAT = re.compile(r"['\"]?\bid['\"]?\s*:\s*['\"]?(\d+)['\"]?\s*,[^{}\[\]]{0,300}?['\"]?\bname['\"]?\s*:\s*['\"]([^'\"]+)['\"]")
_REPORT_CATEGORY = re.compile(r"年报|年度报告")


def is_api(url: str) -> bool:
    return "/gkmlpt/api/" in url


def _base(url: str) -> str:
    return url[: url.index("/gkmlpt/") + len("/gkmlpt/")] if "/gkmlpt/" in url else url.rstrip("/") + "/gkmlpt/"


def config_links(page: Page) -> list[Link]:
    if "_CONFIG" not in page.text:
        return []
    sid = _SID.search(page.text)
    if sid is None:
        return []
    cats = [(cid, name) for cid, name in _CAT.findall(page.text)
            if _REPORT_CATEGORY.search(name) or is_column_title(name)]
    want = page.overrides.get("categories")
    if isinstance(want, list):
        cats = [(str(c), "") for c in want]
    base = _base(page.url)
    return [Link(f"{base}api/all/{cid}?{urlencode({'page': 1, 'sid': sid.group(1)})}", "list", name or None,
                 None, "gkmlpt", same_depth=False, reason="gkmlpt:category") for cid, name in dict(cats).items()]


def api_links(page: Page) -> tuple[list[Link], list[ListingNote]]:
    try:
        data: Any = json.loads(page.text)
    except ValueError:
        return [], []
    if not isinstance(data, dict):
        return [], []
    out: list[Link] = []
    articles = data.get("articles") or []
    articles = [a for a in articles if isinstance(a, dict)] if isinstance(articles, list) else []
    for art in articles:
        title, url = str(art.get("title") or ""), str(art.get("url") or "")
        if not url:
            continue
        v = link_verdict(title, url)
        if v.fetch_as_report:
            out.append(Link(url, "report", title, v.year, "gkmlpt", reason=v.reason))
            for att in art.get("attachment") or []:
                if isinstance(att, dict) and att.get("url"):
                    out.append(Link(str(att["url"]), "attachment", str(att.get("name") or "") or None,
                                    v.year, "gkmlpt", parent_url=url, reason="gkmlpt:attachment"))
        elif v.kind == "rejected" and worth_recording(title):
            out.append(Link(url, "skip", title, v.year, "gkmlpt", reason=v.reason))
    classify = data.get("classify") or {}
    count = classify.get("post_count") if isinstance(classify, dict) else None
    parts = urlsplit(page.url)
    q = dict(parse_qsl(parts.query))
    key = f"gkmlpt:{parts._replace(query=urlencode({k: v for k, v in q.items() if k != 'page'})).geturl()}"
    notes: list[ListingNote] = []
    if isinstance(count, int):
        planned = 0
        bounded = False
        if articles and q.get("page", "1") in ("0", "1"):
            pages = math.ceil(count / max(1, len(articles)))
            bounded = pages > page.max_list_pages
            for n in range(2, min(pages, page.max_list_pages) + 1):
                q2 = {**q, "page": str(n)}
                out.append(Link(parts._replace(query=urlencode(q2)).geturl(), "list", None, None, "gkmlpt",
                                reason="gkmlpt:api_page", listing=key))
                planned += 1
        notes.append(ListingNote(key, "gkmlpt", declared_records=count, records=len(articles), planned_pages=planned,
                                 bounded=bounded, detail=f"post_count {count}"))
    return out, notes
