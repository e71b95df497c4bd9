"""Discovery: a fetched page → links to follow, and what the page declares about its listing. Every
family's parser runs on every list page, so an unknown platform still gets the generic treatment
(report titles, next-page links) instead of a crash.

Families: listpage (static lists, `index_N`, `createPageHTML`, `countPage`, 尾页 footers; their records
counted by `records`), trsapi
(TRS "动静结合": static first pages + `list2.trsapi` API), hanweb (`<datastore>` records,
`dataproxy.jsp`, `xxgkAnnualReport.jsp`), gkmlpt (`_CONFIG` + JSON API), searchapi (static first page
+ JSON search API), attachments (report pages).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from crawler.discover import attachments, gkmlpt, hanweb, listpage, records, searchapi, trsapi
from crawler.discover.base import Link, ListingNote, Page

__all__ = ["Found", "Link", "ListingNote", "Page", "discover", "discover_page"]


@dataclass
class Found:
    links: list[Link] = field(default_factory=list)
    notes: list[ListingNote] = field(default_factory=list)
    records: int | None = None  # records a static list page shows (counted where a listing needs them)

    def add(self, got: tuple[list[Link], list[ListingNote]]) -> None:
        self.links += got[0]
        self.notes += got[1]


def _dedupe(links: list[Link]) -> list[Link]:
    """One link per (url, kind, form); a page link that belongs to a declared listing wins over the same
    URL found as a plain pager anchor, so its fetch counts for that listing."""
    seen: dict[tuple[str, str, str], int] = {}
    out: list[Link] = []
    for link in links:
        key = (link.url, link.kind, repr(sorted((link.form or {}).items())))
        at = seen.get(key)
        if at is None:
            seen[key] = len(out)
            out.append(link)
        elif link.listing and not out[at].listing:
            out[at] = link
    return out


def discover(page: Page, *, max_depth: int = 3) -> list[Link]:
    return discover_page(page, max_depth=max_depth).links


def discover_page(page: Page, *, max_depth: int = 3) -> Found:
    """Links found on `page` and its listing notes. Odd input yields fewer links; an exception here
    is a bug of ours, which the crawl loop records (the page is stored raw either way) before moving on."""
    found = _discover(page, max_depth)
    found.links = _dedupe(found.links)
    if page.charset != "utf-8":  # URLs written in the page are encoded in its charset, as browsers do
        found.links = [x if x.charset else replace(x, charset=page.charset) for x in found.links]
    return found


def _discover(page: Page, max_depth: int) -> Found:
    found = Found()
    if page.kind == "report":
        found.links = attachments.attachment_links(page, page.anchors)
        return found
    if gkmlpt.is_api(page.url):
        found.add(gkmlpt.api_links(page))
        return found
    if trsapi.is_api_response(page):
        found.add(trsapi.api_links(page))
        return found
    if hanweb.is_datastore(page.text) and page.text.lstrip().startswith(("<?xml", "<datastore")):
        found.links = hanweb.record_links(page)
        found.add(hanweb.dataproxy_links(page))
        return found
    if searchapi.looks_json(page.text, page.content_type):
        found.add(searchapi.json_links(page))
        return found
    a = page.anchors
    found.links += listpage.report_links(page, a)
    found.links += hanweb.record_links(page)
    if hanweb.is_datastore(page.text):
        found.add(hanweb.dataproxy_links(page))
    found.links += hanweb.annual_report_links(page)
    found.links += gkmlpt.config_links(page)
    found.add(trsapi.script_links(page))
    api_pages = searchapi.api_from_script(page)
    pager = Found()
    if api_pages[0] or api_pages[1]:
        found.add(api_pages)  # a search API replaces static index_N pages
    else:
        pager.add(listpage.page_count_links(page))
    pager.add(listpage.last_page_links(page, a))
    if pager.notes or page.in_listing:  # a static listing is checked by the records its pages show
        found.records = records.count_records(page)
        pager.notes = [replace(n, records=found.records) for n in pager.notes]
    found.add((pager.links, pager.notes))
    found.links += listpage.pagination_links(page, a)
    found.links += listpage.column_links(page, a, max_depth)
    return found
