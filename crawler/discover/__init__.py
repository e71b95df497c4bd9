"""Discovery: a fetched page → links to follow. Every family's parser runs on every list page, so an
unknown platform still gets the generic treatment (report titles, next-page links) instead of a crash.

Families: listpage (static lists, `index_N`, `createPageHTML`, `countPage`), hanweb (`<datastore>`
records, `dataproxy.jsp`, `xxgkAnnualReport.jsp`), gkmlpt (`_CONFIG` + JSON API), searchapi (static
first page + JSON search API), attachments (report pages).
"""

from __future__ import annotations

from crawler.discover import attachments, gkmlpt, hanweb, listpage, searchapi
from crawler.discover.base import Link, Page, anchors

__all__ = ["Link", "Page", "discover"]


def _dedupe(links: list[Link]) -> list[Link]:
    seen: set[tuple[str, str, str]] = set()
    out: list[Link] = []
    for link in links:
        key = (link.url, link.kind, repr(sorted((link.form or {}).items())))
        if key not in seen:
            seen.add(key)
            out.append(link)
    return out


def discover(page: Page, *, max_depth: int = 3) -> list[Link]:
    """Links found on `page`. Odd input yields fewer links; an exception here is a bug of ours,
    which the crawl loop records (the page is stored raw either way) before moving on."""
    return _dedupe(_discover(page, max_depth))


def _discover(page: Page, max_depth: int) -> list[Link]:
    if page.kind == "report":
        return attachments.attachment_links(page, anchors(page.text, page.url))
    if gkmlpt.is_api(page.url):
        return gkmlpt.api_links(page)
    if hanweb.is_datastore(page.text) and page.text.lstrip().startswith(("<?xml", "<datastore")):
        return hanweb.record_links(page) + hanweb.dataproxy_links(page)
    if searchapi.looks_json(page.text, page.content_type):
        return searchapi.json_links(page)
    found = anchors(page.text, page.url)
    links: list[Link] = []
    links += listpage.report_links(page, found)
    links += hanweb.record_links(page)
    if hanweb.is_datastore(page.text):
        links += hanweb.dataproxy_links(page)
    links += hanweb.annual_report_links(page)
    links += gkmlpt.config_links(page)
    api_pages = searchapi.api_from_script(page)
    links += api_pages or listpage.page_count_links(page)  # a search API replaces static index_N pages
    links += listpage.pagination_links(page, found)
    links += listpage.column_links(page, found, max_depth)
    return links
