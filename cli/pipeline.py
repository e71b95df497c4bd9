"""The stages joined: raw store → extract (cached per content hash) → build.

Extraction results are cached under DATA/extracted/<sha256>.json with the parser version, so a
rebuild after a refresh re-extracts only new or changed documents.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dataset.build import BuildSummary, build
from dataset.tables import PARSER_VERSION, Provenance
from extract.document import extract_document
from gongkai.model import ExtractResult, Issue
from gongkai.store import RawStore

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


def _cached_extract(cache: Path, body: bytes, source: str, content_type: str | None) -> ExtractResult:
    sha = hashlib.sha256(body).hexdigest()
    path = cache / f"{sha}.json"
    if path.exists():
        d = json.loads(path.read_text(encoding="utf-8"))
        if d.get("parser_version") == PARSER_VERSION:
            r = ExtractResult.from_json(d["result"])
            r.source = source
            return r
    r = extract_document(body, source, content_type=content_type)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"parser_version": PARSER_VERSION, "result": r.to_json()}, ensure_ascii=False),
                   encoding="utf-8")
    tmp.replace(path)
    return r


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


def extracted(data_dir: Path) -> Iterator[tuple[ExtractResult, Provenance]]:
    cache = Path(data_dir) / "extracted"
    agency_of: dict[str, str] = {}
    with RawStore(data_dir) as store:
        for doc in store.iter_documents():
            if doc.kind not in ("report", "attachment"):
                continue
            body = store.read_body(doc)
            r = _cached_extract(cache, body, doc.url, doc.content_type or None)
            _fill_from_crawl(r, doc.title, doc.report_year, agency_of.get(doc.parent_url or ""))
            if r.agency:
                agency_of[doc.url] = r.agency
            yield r, Provenance(doc.url, doc.fetched_at, doc.sha256)


def build_from_store(data_dir: Path) -> BuildSummary:
    return build(data_dir, list(extracted(data_dir)))
