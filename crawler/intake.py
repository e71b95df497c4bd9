"""A fetched 2xx body → raw store → discovery → frontier, with every decision recorded.

What a page *is* is decided by its content as well as by the link that led to it: a page fetched as a
list whose body is a disclosure report (section headings, table labels) is stored as a report; a page
fetched as a report that is a list of reports is read as a list; a link with a report-like title
(`maybe`) whose body is not a report is kept as a page, not a report.

Parsing a big list page (decode, DOM, 100k links, titles through OpenCC) runs in a worker thread, so
the event loop — every other host's requests — keeps going meanwhile.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from crawler.charset import url_charset
from crawler.config import CrawlConfig
from crawler.discover import Found, Link, Page, discover_page
from crawler.discover.base import page_title
from crawler.fetch import FetchResult, form_body
from crawler.select import canonical_url, host_allowed, link_verdict, twin_key
from crawler.sites import Source
from crawler.summary import SourceStats
from gongkai.classify import looks_like_report_body
from gongkai.decode import decode
from gongkai.sniff import MIME, sniff
from gongkai.store import FrontierItem, RawStore

__all__ = ["Intake", "Parsed", "parse"]

TEXTUAL = ("html", "xml", "json", "text")


@dataclass
class Parsed:
    kind: str  # list | report: what the page turned out to be
    found: Found
    reason: str = ""  # why the kind differs from the link's, if it does
    title: str | None = None


def parse(item: FrontierItem, url: str, body: bytes, ctype: str, overrides: dict[str, object], max_depth: int,
          max_list_pages: int) -> Parsed:
    """Pure: decode, decide what the page is, discover. Safe to run in a worker thread. The page is
    parsed once: its list and report readings share one DOM (`Page.markup`)."""
    text, enc = decode(body, ctype)
    # an API response's records are rendered into the page that asked: its charset, sent with the form
    charset = (item.charset or "utf-8") if item.form else url_charset(enc, body, ctype)
    page = Page(url, text, ctype, item.kind, item.depth, item.form, overrides, max_list_pages, charset,
                item.listing is not None)

    def run(kind: str) -> Found:
        return discover_page(replace(page, kind=kind), max_depth=max_depth)

    if item.kind == "list" and item.method == "GET":
        found = run("list")
        reports = sum(1 for x in found.links if x.kind == "report")
        if reports < 2 and not found.notes and looks_like_report_body(text):
            return Parsed("report", run("report"), "body:report_on_list_page", page_title(page) or item.title)
        return Parsed("list", found)
    if item.kind == "report":
        if looks_like_report_body(text):
            return Parsed("report", run("report"))
        as_list = run("list")
        if sum(1 for x in as_list.links if x.kind == "report") >= 2:
            return Parsed("list", as_list, "body:list_of_reports_behind_report_link")
        if (item.reason or "").startswith("maybe"):
            return Parsed("list", Found(), "body:not_a_report")  # kept as a page, nothing followed
        return Parsed("report", run("report"))
    return Parsed(item.kind, run(item.kind))


class Intake:
    def __init__(self, cfg: CrawlConfig, store: RawStore, sources: dict[str, Source], allow: frozenset[str],
                 run_id: int, stats: Callable[[str], SourceStats], emit: Callable[..., None],
                 note_error: Callable[[str], None]) -> None:
        self.cfg, self.store, self.sources, self.allow, self.run_id = cfg, store, sources, allow, run_id
        self.stats, self.emit, self.note_error = stats, emit, note_error
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gongkai-parse")
        self._list_pages: dict[str, int] = {}  # per source: list URLs in the frontier (the per-source bound)
        self.list_bound_hits: dict[str, int] = {}

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    # ------------------------------------------------------------------ a fetched body
    async def store_and_discover(self, item: FrontierItem, r: FetchResult) -> str:
        store, st = self.store, self.stats(item.source)
        sniffed = sniff(r.body)
        if item.kind == "attachment" and sniffed in ("html", "empty"):
            st.failed += 1
            store.archive(r.final_url, r.body, status=r.http_status or 0, headers=r.headers)
            return "not_an_attachment"
        parsed = None
        if sniffed in TEXTUAL and item.kind in ("list", "report"):
            parsed = await self._parse(item, r.final_url, r.body, r.headers.get("content-type", ""))
        kind = parsed.kind if parsed else item.kind
        doc_kind = {"list": "page", "report": "report", "attachment": "attachment"}[kind]
        title, year = item.title, item.report_year
        if parsed and parsed.reason:
            self._decide(item, parsed)
            if parsed.kind == "report" and item.kind == "list":
                title = parsed.title or title
                year = year or link_verdict(title).year
        # indexed under the URL that served the bytes (after redirects), as the WARC record says
        before = store.find(r.final_url, _sha(r.body))
        doc = store.add(r.final_url, r.body, status=r.http_status or 200, headers=r.headers, kind=doc_kind,
                        parent_url=item.parent_url, title=title, report_year=year, method=item.method,
                        request_headers=r.request_headers,
                        request_body=form_body(item.form, item.charset) if item.form is not None else None,
                        content_type=MIME.get(sniffed))
        store.state.set_validators(item.url, r.headers.get("etag"), r.headers.get("last-modified"), doc.sha256,
                                   final_url=r.final_url)
        is_new = before is None
        if doc_kind == "page":
            st.pages += 1
        elif doc_kind == "report":
            st.reports += 1
        else:
            st.attachments += 1
        if is_new and doc_kind != "page":
            if doc.version == 1:
                st.new += 1
            else:
                st.changed += 1
        if parsed is not None:
            self._take(item, parsed)
        return "fetched" if is_new else "unchanged"

    async def rediscover(self, item: FrontierItem) -> None:
        """A 304 still yields links: read them from the stored copy. (Links of a page stored just
        before a crash, or by a probe, would otherwise never be queued.)"""
        versions = self.store.versions(self.store.state.final_url(item.url))
        if versions and item.kind in ("list", "report"):
            doc = versions[-1]
            body = self.store.read_body(doc)
            if sniff(body) in TEXTUAL:
                self._take(item, await self._parse(item, doc.url, body, doc.content_type))

    async def _parse(self, item: FrontierItem, url: str, body: bytes, ctype: str) -> Parsed:
        src = self.sources.get(item.source)
        overrides = dict(src.overrides) if src else {}
        depth = int(str(overrides.get("max_depth", self.cfg.max_depth)))
        args = (item, url, body, ctype, overrides, depth, self.cfg.max_list_pages)
        try:
            if len(body) >= self.cfg.parse_in_thread_bytes:
                self.emit("parse_in_thread", url=item.url, bytes=len(body))
                return await asyncio.get_running_loop().run_in_executor(self._pool, parse, *args)
            return parse(*args)
        except Exception as e:  # our bug, not the site's: record it, keep the page, go on
            self.note_error(f"discovery crashed on {item.url}: {type(e).__name__}: {e}")
            return Parsed(item.kind, Found())

    # ------------------------------------------------------------------ links and listings
    def _take(self, item: FrontierItem, parsed: Parsed) -> None:
        self._listings(item, parsed.found)
        self._enqueue(item, parsed.found.links)

    def _decide(self, item: FrontierItem, parsed: Parsed) -> None:
        self.store.state.record_decision(parent_url=item.parent_url or "", url=item.url, title=item.title,
                                         decision="report" if parsed.kind == "report" else "page",
                                         reason=parsed.reason, run_id=self.run_id)
        self.emit("reclassified", url=item.url, was=item.kind, now=parsed.kind, reason=parsed.reason)

    def _listings(self, item: FrontierItem, found: Found) -> None:
        """The listing notes a page carries, and this page counted as fetched for its listing (with the
        records it shows, where counted)."""
        state, notes = self.store.state, found.notes
        with state.tx():
            for n in notes:
                state.note_listing(key=n.key, source=item.source, url=item.url, family=n.family,
                                   declared_records=n.declared_records, declared_pages=n.declared_pages,
                                   planned_pages=n.planned_pages, bounded=n.bounded, detail=n.detail, run_id=self.run_id,
                                   gap=n.gap)
                state.listing_page(listing=n.key, page=item.key, records=n.records, run_id=self.run_id)
            if item.listing and item.listing not in {n.key for n in notes}:
                state.listing_page(listing=item.listing, page=item.key, records=found.records, run_id=self.run_id)

    def _enqueue(self, parent: FrontierItem, links: list[Link]) -> None:
        """Add a page's links in one transaction (after a crash, all of them or none are queued), each
        with its decision and reason."""
        if self.cfg.probe:  # count, follow nothing
            st = self.stats(parent.source)
            st.linked_reports += sum(1 for x in links if x.kind == "report")
            st.linked_lists += sum(1 for x in links if x.kind == "list")
            return
        state, found = self.store.state, 0
        with state.tx():
            for link in links:
                url = canonical_url(link.url, link.charset or "utf-8")  # the query as the page's browser sends it
                host = urlsplit(url).hostname or ""
                kind, reason = link.kind, link.reason
                if urlsplit(url).scheme not in ("http", "https") or not host_allowed(host, self.allow):
                    kind, reason = "refused", f"host_not_allowed:{host}"
                elif kind == "attachment" and parent.kind == "list" and link.parent_url is None:
                    continue
                elif kind == "list" and not self._list_room(parent.source):
                    kind, reason = "skip", f"bound:{self.cfg.max_source_list_pages}_list_pages_per_source"
                    self.list_bound_hits[parent.source] = self.list_bound_hits.get(parent.source, 0) + 1
                if kind in ("report", "skip", "refused") or link.reason.startswith("maybe"):
                    state.record_decision(parent_url=parent.url, url=url, title=link.title, decision=kind,
                                          reason=reason, run_id=self.run_id)
                if kind in ("skip", "refused"):
                    continue
                new = state.enqueue(
                    url=url, kind=kind, source=parent.source, host=urlsplit(url).netloc, family=link.family,
                    method=link.method, form=link.form, parent_url=link.parent_url or parent.url,
                    title=link.title or (parent.title if kind == "attachment" else None),
                    report_year=link.report_year or (parent.report_year if kind == "attachment" else None),
                    depth=parent.depth + (0 if link.same_depth else 1), key=twin_key(url), reason=reason,
                    listing=link.listing, iri=link.url, charset=link.charset)
                if new and kind == "list":
                    self._list_pages[parent.source] += 1
                found += new and kind == "report"
        if found:
            self.emit("reports_found", source=parent.source, count=found)

    def _list_room(self, source: str) -> bool:
        if source not in self._list_pages:
            self._list_pages[source] = self.store.state.count_kind(source, "list")
        return self._list_pages[source] < self.cfg.max_source_list_pages


def _sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()

