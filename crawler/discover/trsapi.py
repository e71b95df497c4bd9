"""TRS "动静结合" columns (Fujian's consolidated platform): the first `maxStaticIndex` pages are static
HTML, the rest come from the list API the page configures for `list2.trsapi`:

    var pageChnlInfo = {quickMode:"动静结合", maxStaticIndex: 1, classsql: "" || "chnlid=1813",
                        recordCount:'20', prepage:10, ...}
    require(['list2.trsapi'], function(listModel) { listModel({ listArgs: {channelid: SiteInfo.searchId,
        classsql: ..., sortfield: ...}, listApi: {url: "/fjdzapp/search"}, pagebar: {recordCount: ...,
        prepage: ...} }) })

Pages maxStaticIndex+1 … ceil(recordCount/prepage) are POSTed to the API the page names in `listApi`
(form: channelid, classsql, sortfield, classcol, classsort, cache, page, prepage), which answers JSON
`{"pageCount", "recordCount", "data": [{"doctitle", "chnldocurl", "docpuburl", "files": [...]}]}`.
Markup and API reconstructed from stored copies of www.pingtan.gov.cn columns
(changwu/pingtan-gov-zwgk-archive) and the same API as public crawlers of *.fujian.gov.cn call it.

Where the page names no `listApi` (the 政府信息公开年报 column: list2.trsapi's built-in default, in a
script module the page does not carry), no URL is guessed: the registry may name it (`list_api`, once
verified), else the listing is incomplete with the gap "list API not declared".
"""

from __future__ import annotations

import json
import math
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from crawler.discover.base import Link, ListingNote, Page, live_markup
from crawler.select import link_verdict, worth_recording

__all__ = ["api_links", "is_api_response", "script_links"]

_MARK = re.compile(r"list2\.trsapi|quickMode\s*:\s*['\"]动静结合")
_LIST_API = re.compile(r"""\blistApi\s*:\s*\{\s*url\s*:\s*['"]([^'"]+)['"]""")
_LIT = r"""['"]?(\d+)['"]?(?=\s*[,}\s])"""
_STR = r"""((?:['"][^'"]*['"]\s*(?:\|\|\s*)?)+)"""


def _num(text: str, key: str) -> int | None:
    m = re.search(rf"\b{key}\s*:\s*{_LIT}", text)
    return int(m.group(1)) if m else None


def _str(text: str, key: str) -> str | None:
    """A string option; `"" || "chnlid=1813"` is JavaScript for the first non-empty literal."""
    m = re.search(rf"\b{key}\s*:\s*{_STR}", text)
    if not m:
        return None
    literals = re.findall(r"""['"]([^'"]*)['"]""", m.group(1))
    return next((x for x in literals if x), "")


def _channel(text: str) -> str | None:
    m = re.search(r"""\bchannelid\s*:\s*(?:['"]?(\d+)['"]?|([A-Za-z_$][\w$.]*))""", text)
    if not m:
        return None
    if m.group(1):
        return m.group(1)
    name = m.group(2).rsplit(".", 1)[-1]  # SiteInfo.searchId → the searchId set earlier in the page
    ref = re.search(rf"\b{re.escape(name)}\s*:\s*['\"]?(\d+)", text)
    return ref.group(1) if ref else None


def _listing_key(api_url: str, channel: str, classsql: str) -> str:
    return f"trsapi:{api_url}?channelid={channel}&classsql={classsql}"


def _static_records(page: Page) -> int | None:
    """Records rendered statically: the links inside the `showStatic` block the template toggles."""
    blocks = page.markup.tree.css('[ms-visible="showStatic"]')
    if not blocks:
        return None
    hrefs = {a.attributes.get("href") for b in blocks for a in b.css("a[href]")}
    return len({h for h in hrefs if h and not h.startswith("javascript")})


def script_links(page: Page) -> tuple[list[Link], list[ListingNote]]:
    if not _MARK.search(page.text):
        return [], []
    text = live_markup(page.text)
    if not _MARK.search(text):
        return [], []
    records = _num(text, "recordCount")
    prepage = _num(text, "prepage") or 15
    static = _num(text, "maxStaticIndex") or 1
    classsql = _str(text, "classsql") or ""
    channel = _channel(text)
    named = _LIST_API.search(text)
    registered = page.overrides.get("list_api")
    api_path = named.group(1) if named else registered if isinstance(registered, str) and registered else None
    api = urljoin(page.url, api_path or "")
    key = _listing_key(api, channel or "?", classsql)
    pages = math.ceil(records / prepage) if records else None
    seen = _static_records(page)
    gap = ("record count not declared" if records is None else "API channel id not declared" if channel is None
           else "list API not declared" if api_path is None else None)
    if gap or channel is None:  # never a guessed URL: say what is missing
        return [], [ListingNote(key, "trsapi", declared_records=records, records=seen, gap=gap,
                                detail=f"动静结合 list, {gap}: pages after {static} not fetched")]
    form = {"channelid": channel, "classsql": classsql, "sortfield": _str(text, "sortfield") or "-docorderpri,-docreltime",
            "cache": "true", "prepage": str(prepage)}
    classcol, classsort = _str(text, "classcol"), _num(text, "classsort")
    if classcol:
        form["classcol"] = classcol
    if classsort is not None:
        form["classsort"] = str(classsort)
    wanted = list(range(static + 1, (pages or 0) + 1))
    bound = max(0, page.max_list_pages - static)
    # list2.trsapi posts listArgs through the AJAX layer, which encodes an object as UTF-8 (encodeURIComponent)
    links = [Link(api, "list", None, None, "trsapi", method="POST", form={**form, "page": str(n)},
                  reason="trsapi:api_page", listing=key, charset="utf-8") for n in wanted[:bound]]
    note = ListingNote(key, "trsapi", declared_records=records, declared_pages=pages, records=seen,
                       planned_pages=len(links), bounded=len(wanted) > bound,
                       detail=f"动静结合: {records} records, {prepage} a page, pages 1-{static} static, the rest via "
                              f"{urlsplit(api).path}" + ("" if named else " (registry list_api)"))
    return links, [note]


def is_api_response(page: Page) -> bool:
    return page.form is not None and "classsql" in page.form and page.text.lstrip().startswith("{")


def api_links(page: Page) -> tuple[list[Link], list[ListingNote]]:
    """Documents of one API page (titles classified; attachments of report-like ones kept with their
    page), and the remaining pages if the API counts more than the column page declared."""
    try:
        data: Any = json.loads(page.text)
    except ValueError:
        return [], []
    if not isinstance(data, dict) or not isinstance(data.get("data"), list) or page.form is None:
        return [], []
    out: list[Link] = []
    docs = [d for d in data["data"] if isinstance(d, dict)]
    for doc in docs:
        title = str(doc.get("doctitle") or "")
        href = next((str(doc[k]) for k in ("chnldocurl", "docpuburl", "url") if isinstance(doc.get(k), str) and doc[k]), "")
        if not href:
            continue
        url = urljoin(page.url, href)
        v = link_verdict(title, url)
        if v.fetch_as_report:
            out.append(Link(url, "report", title, v.year, "trsapi", reason=v.reason))
            for f in doc.get("files") or []:
                if isinstance(f, dict) and isinstance(f.get("_href"), str):
                    out.append(Link(urljoin(url, f["_href"]), "attachment", str(f.get("appdesc") or "") or None,
                                    v.year, "trsapi", parent_url=url, reason="trsapi:files"))
        elif v.kind == "rejected" and worth_recording(title):
            out.append(Link(url, "skip", title, v.year, "trsapi", reason=v.reason))
    api = page.url.split("?", 1)[0]
    key = _listing_key(api, page.form.get("channelid", "?"), page.form.get("classsql", ""))
    total = data.get("recordCount") if isinstance(data.get("recordCount"), int) else None
    count = data.get("pageCount") if isinstance(data.get("pageCount"), int) else None
    here = int(page.form.get("page", "1")) if page.form.get("page", "1").isdigit() else 1
    if count and count > here:
        last = min(count, page.max_list_pages)
        out += [Link(api, "list", None, None, "trsapi", method="POST", form={**page.form, "page": str(n)},
                     reason="trsapi:api_page", listing=key, charset="utf-8") for n in range(here + 1, last + 1)]
    note = ListingNote(key, "trsapi", declared_records=total, declared_pages=count, records=len(docs),
                       bounded=bool(count and count > page.max_list_pages), detail=f"API page {here} of {count}")
    return out, [note]
