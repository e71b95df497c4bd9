"""What a crawl run reports back, truthfully: counts per source, whether the run finished, and what it
could not do — URLs deferred to the next run (and why), listings that declare more than was found
(`incomplete_listing`), hosts blocked, URLs robots.txt disallows, errors of ours."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["CrawlSummary", "ListingStatus", "SourceStats", "listing_status"]


@dataclass
class SourceStats:
    pages: int = 0
    reports: int = 0
    attachments: int = 0
    new: int = 0
    changed: int = 0
    not_modified: int = 0
    blocked: int = 0
    failed: int = 0
    skipped: int = 0
    deferred: int = 0  # URLs left for the next run (robots unavailable, Crawl-delay / Retry-After too long, bound)
    incomplete_listings: int = 0
    linked_reports: int = 0  # --probe: report links on the entry page
    linked_lists: int = 0  # --probe: further list pages / columns linked from it
    last_verified: str = "never"  # from the registry: the last probe that found reports


@dataclass
class ListingStatus:
    """One listing (a column paged by script, API or pager): what it declares against what was found."""

    source: str
    url: str  # the page that declared it
    family: str
    status: str  # complete | incomplete | continues (--probe: the rest is reachable, not fetched)
    reason: str
    declared_records: int | None
    declared_pages: int | None
    found_records: int | None
    pages_fetched: int
    planned_pages: int
    bounded: bool
    detail: str = ""


@dataclass
class CrawlSummary:
    run_id: int
    resumed: bool
    requests: int = 0
    finished: bool = False  # nothing in scope is pending; `deferred` and `incomplete_listing` may still be non-empty
    pending: int = 0
    sources: dict[str, SourceStats] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    deferred: dict[str, int] = field(default_factory=dict)  # outcome → URLs deferred to the next run
    incomplete_listing: list[ListingStatus] = field(default_factory=list)
    listings: list[ListingStatus] = field(default_factory=list)
    blocked_hosts: list[str] = field(default_factory=list)
    robots_disallowed: int = 0

    def stats(self, source: str) -> SourceStats:
        return self.sources.setdefault(source, SourceStats())

    @property
    def complete(self) -> bool:
        """Finished with nothing deferred and every declared listing found in full."""
        return self.finished and not self.deferred and not self.incomplete_listing

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["complete"] = self.complete
        return d


def listing_status(row: sqlite3.Row, *, probe: bool) -> ListingStatus:
    """Complete when the records found reach what the listing declares and the pages fetched reach
    the pages it declares; records are compared only when every fetched page of it could be counted
    (else by pages, and the reason says the records could not be counted). In a probe only the entry
    page is fetched: a listing whose rest is reachable (pages planned) `continues`; one whose rest
    cannot be reached (a gap, the bound) is incomplete there too."""
    dr, dp = row["declared_records"] or None, row["declared_pages"] or None
    fetched, planned, bounded = int(row["pages_fetched"]), int(row["planned_pages"] or 0), bool(row["bounded"])
    counted = int(row["pages_counted"])
    found = int(row["records_found"]) if counted and counted == fetched and row["records_found"] is not None else None

    def make(status: str, reason: str) -> ListingStatus:
        return ListingStatus(row["source"], row["url"], row["family"] or "", status, reason, dr, dp, found, fetched,
                             planned, bounded, row["detail"] or "")

    gap = row["gap"]
    if gap and (dr is None or found is None or found < dr):
        counts = f"declares {dr} records, found {found}" if dr is not None and found is not None else (
            f"declares {dr} records" if dr is not None else "")
        return make("incomplete", gap + (f": {counts}" if counts else ""))
    if bounded:
        return make("incomplete", f"declares {dp or '?'} pages; the bound allows {planned + 1}")
    if dr is not None and found is not None and found < dr:
        if probe and planned:
            return make("continues", f"{found} of {dr} records on the entry page; {planned} more page(s) to fetch")
        return make("incomplete", f"declares {dr} records, found {found}")
    if dp is not None and fetched < dp:
        if probe and fetched + planned >= dp:
            return make("continues", f"{fetched} of {dp} pages fetched; {planned} more to fetch")
        return make("incomplete", f"declares {dp} pages, fetched {fetched}")
    if dr is not None and found is not None:
        return make("complete", f"{found} of {dr} records" + (f" on {fetched} of {dp} pages" if dp else ""))
    if dp is not None:
        uncounted = f"; {dr} records declared, not countable on every page" if dr is not None else ""
        return make("complete", f"{fetched} of {dp} pages{uncounted}")
    if dr is not None:
        return make("incomplete", f"declares {dr} records; none could be counted")
    return make("complete", "nothing declared")
