"""The stages joined: raw store → extract (cached per content hash) → build.

Extraction results are cached under DATA/extracted/<sha256>.json with the parser version, so a
rebuild after a refresh re-extracts only new or changed documents.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from crawler.sites import Source
from dataset.build import BuildSummary, Progress, build
from dataset.tables import PARSER_VERSION, Provenance
from extract.document import PARSER_VERSION as EXTRACTOR_VERSION
from extract.document import extract_document
from gongkai.model import ExtractResult, ExtractStatus, Issue
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


SOURCES_FILE = "sources.json"


def remember_sources(data_dir: Path, sources: Iterable[Source]) -> None:
    """Keep, beside the raw store, the agency each crawled registry source stands for: the build's
    place evidence for report names that do not say where they are (县财政局)."""
    path = Path(data_dir) / SOURCES_FILE
    known = _registry(data_dir)
    known.update({s.name: s.agency for s in sources})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(known, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def _registry(data_dir: Path) -> dict[str, str | None]:
    """Registry source name → the agency it stands for, as recorded by the crawls into this data dir."""
    try:
        data = json.loads((Path(data_dir) / SOURCES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): (str(v) if v else None) for k, v in data.items()} if isinstance(data, dict) else {}


def extracted(data_dir: Path, sources: dict[str, str | None] | None = None) -> Iterator[tuple[ExtractResult, Provenance]]:
    """Every stored report and attachment, extracted (cached); a capture that cannot be read (a
    truncated WARC record) becomes an `unreadable` result, never an exception."""
    cache = Path(data_dir) / "extracted"
    agency_of: dict[str, str] = {}
    sources = _registry(data_dir) if sources is None else sources
    with RawStore(data_dir) as store:
        source_of = {r["url"]: r["source"] for r in store.state.query(
            "SELECT url, source FROM frontier WHERE kind IN ('report', 'attachment')")}
        for doc in store.iter_documents():
            if doc.kind not in ("report", "attachment"):
                continue
            registry = source_of.get(doc.url)
            prov = Provenance(doc.url, doc.fetched_at, doc.sha256, content_type=doc.content_type or None,
                              capture=doc.source, kind=doc.kind, parent_url=doc.parent_url, link_title=doc.title,
                              link_year=doc.report_year, registry_source=registry,
                              source_agency=sources.get(registry) if registry else None,
                              extractor_version=EXTRACTOR_VERSION)
            try:
                body = store.read_body(doc)
                if hashlib.sha256(body).hexdigest() != doc.sha256:  # a WARC cut short can still decompress
                    raise ValueError(f"{len(body)} bytes read do not match the SHA-256 stored at capture")
            except Exception as e:
                yield ExtractResult(source=doc.url, status=ExtractStatus.UNREADABLE, sha256=doc.sha256, errors=[
                    Issue("capture_unreadable", f"the stored capture cannot be read: {type(e).__name__}: {e}",
                          "error")]), prov
                continue
            r = _cached_extract(cache, body, doc.url, doc.content_type or None)
            _fill_from_crawl(r, doc.title, doc.report_year, agency_of.get(doc.parent_url or ""))
            if r.agency:
                agency_of[doc.url] = r.agency
            yield r, prov


class NoRawStoreError(RuntimeError):
    """The data dir has no raw store to build from."""


class CorruptStateError(RuntimeError):
    """state.sqlite fails SQLite's integrity check."""


def check_store(data_dir: Path) -> int:
    """Documents in the raw store; raises when there is no store or its index is corrupt."""
    state = Path(data_dir) / "state.sqlite"
    if not state.exists():
        raise NoRawStoreError(f"no raw store in {data_dir} (no state.sqlite): nothing to build from. "
                              "Is --data-dir right? Crawl or ingest first, or use --force to write an empty release")
    try:
        con = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
        try:
            result = [r[0] for r in con.execute("PRAGMA quick_check")]
            n = int(con.execute("SELECT count(*) FROM documents WHERE kind IN ('report', 'attachment')").fetchone()[0])
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise CorruptStateError(f"{state} is not a readable SQLite database ({e}); restore it from a backup "
                                "or crawl again into a fresh --data-dir") from e
    if result != ["ok"]:
        raise CorruptStateError(f"{state} fails SQLite's integrity check: {'; '.join(result[:5])}")
    return n


def build_from_store(data_dir: Path, *, force: bool = False, csv_bom: bool = False,
                     progress: Progress | None = None, sources: dict[str, str | None] | None = None) -> BuildSummary:
    try:
        total = check_store(data_dir)
    except NoRawStoreError:
        if not force:
            raise
        return build(data_dir, [], force=True, csv_bom=csv_bom, progress=progress, total=0)
    return build(data_dir, extracted(data_dir, sources), force=force, csv_bom=csv_bom, progress=progress, total=total)
