"""The stages joined: raw store → extract stage → records → build.

`extract.run` writes a record per document and extractor version under DATA/records/; the build
reads those records (never a body) and adds what the crawl knew of each document.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dataset.build import BuildSummary, build
from dataset.tables import Provenance
from gongkai.model import ExtractResult, Issue
from gongkai.store import RawStore
from gongkai.store.records import StoredResults

INGEST_SUFFIXES = {".html", ".htm", ".shtml", ".txt", ".md", ".pdf", ".docx", ".doc", ".wps"}


@dataclass
class IngestSummary:
    added: int = 0
    unchanged: int = 0
    skipped: int = 0


def ingest(data_dir: Path, paths: list[Path], url: str | None = None) -> IngestSummary:
    """Add documents on disk to the raw store, with their path (or --url) as source."""
    s = IngestSummary()
    files: list[Path] = []
    for p in paths:
        files.extend(sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p])
    with RawStore(data_dir) as store:
        for f in files:
            if f.suffix.lower() not in INGEST_SUFFIXES:
                s.skipped += 1
                continue
            body = f.read_bytes()
            origin = url if url and len(files) == 1 else f.resolve().as_uri()
            ctype = mimetypes.guess_type(f.name)[0] or "application/octet-stream"
            existing = store.find(origin, hashlib.sha256(body).hexdigest())
            if existing is not None:
                s.unchanged += 1
                continue
            # A file on disk was captured when it was last written: same files, same provenance.
            mtime = datetime.fromtimestamp(f.stat().st_mtime, UTC).isoformat(timespec="seconds")
            store.add(origin, body, headers={"Content-Type": ctype}, source="ingest", kind="report", fetched_at=mtime)
            s.added += 1
    return s


def _fill_from_crawl(r: ExtractResult, title: str | None, year: int | None, parent_agency: str | None) -> None:
    """What the document itself does not say (a scanned PDF) comes from the link that led to it
    and, for an attachment, from the report page it hangs on."""
    if r.agency is None and parent_agency:
        r.agency = parent_agency
        r.errors.append(Issue("agency_from_parent", "agency taken from the page this attachment hangs on", "info"))
    if r.year is None and year:
        r.year = year
        r.errors.append(Issue("year_from_link", f"year {year} taken from the crawl (link title or URL)", "info"))
    if r.title is None and title:
        r.title = title


def extracted(data_dir: Path, version: str, results: StoredResults | None = None
              ) -> Iterator[tuple[ExtractResult, Provenance]]:
    """The records of every stored report and attachment at `version`, with what the crawl knew of
    each document filled in (the records hold what the bytes say; the crawl context is the build's)."""
    agency_of: dict[str, str] = {}
    for doc, r in results if results is not None else StoredResults(data_dir, version):
        _fill_from_crawl(r, doc.title, doc.report_year, agency_of.get(doc.parent_url or ""))
        if r.agency:
            agency_of[doc.url] = r.agency
        yield r, Provenance(doc.url, doc.fetched_at, doc.sha256)


def build_records(data_dir: Path, version: str) -> tuple[BuildSummary, StoredResults]:
    """The build from the records store alone (never a body); the StoredResults says what it lacked."""
    results = StoredResults(data_dir, version)
    return build(data_dir, extracted(data_dir, version, results)), results


def build_from_store(data_dir: Path) -> BuildSummary:
    """extract (a no-op when the records are up to date) → build."""
    from extract.run import extract_store

    summary = extract_store(data_dir)
    return build_records(data_dir, summary.version)[0]
