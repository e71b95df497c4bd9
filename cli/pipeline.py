"""The stages joined: raw store → extract stage → records → build.

`extract.run` writes a record per document and extractor version under DATA/records/; the build
reads those records (never a body) and adds what the crawl knew of each document.
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
from dataset.fingerprint import store_digest
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


def extracted(data_dir: Path, version: str, results: StoredResults | None = None,
              sources: dict[str, str | None] | None = None) -> Iterator[tuple[ExtractResult, Provenance]]:
    """The records of every stored report and attachment at `version`, with what the crawl knew of
    each document filled in (the records hold what the bytes say; the crawl context is the build's):
    the link that led to it, the registry source that found it and the agency that source stands for."""
    agency_of: dict[str, str] = {}
    sources = _registry(data_dir) if sources is None else sources
    with RawStore(data_dir) as store:
        source_of = {r["url"]: r["source"] for r in store.state.query(
            "SELECT url, source FROM frontier WHERE kind IN ('report', 'attachment')")}
    for doc, r in results if results is not None else StoredResults(data_dir, version):
        _fill_from_crawl(r, doc.title, doc.report_year, agency_of.get(doc.parent_url or ""))
        if r.agency:
            agency_of[doc.url] = r.agency
        registry = source_of.get(doc.url)
        yield r, Provenance(doc.url, doc.fetched_at, doc.sha256, content_type=doc.content_type or None,
                            capture=doc.source, kind=doc.kind, parent_url=doc.parent_url, link_title=doc.title,
                            link_year=doc.report_year, registry_source=registry,
                            source_agency=sources.get(registry) if registry else None, extractor_version=version)


class NoRawStoreError(RuntimeError):
    """The data dir has no raw store to build from."""


class CorruptStateError(RuntimeError):
    """state.sqlite fails SQLite's integrity check."""


def check_store(data_dir: Path) -> None:
    """Raises when there is no raw store, or when its index fails SQLite's integrity check."""
    state = Path(data_dir) / "state.sqlite"
    if not state.exists():
        raise NoRawStoreError(f"no raw store in {data_dir} (no state.sqlite): nothing to build from. "
                              "Is --data-dir right? Crawl or ingest first, or use --force to write an empty release")
    try:
        con = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
        try:
            result = [r[0] for r in con.execute("PRAGMA quick_check")]
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise CorruptStateError(f"{state} is not a readable SQLite database ({e}); restore it from a backup "
                                "or crawl again into a fresh --data-dir") from e
    if result != ["ok"]:
        raise CorruptStateError(f"{state} fails SQLite's integrity check: {'; '.join(result[:5])}")


def _documents(data_dir: Path) -> int:
    with RawStore(data_dir) as store:
        return int(store.state.query("SELECT count(DISTINCT url) FROM documents WHERE kind IN ('report', 'attachment')"
                                     )[0][0])


def build_records(data_dir: Path, version: str, *, force: bool = False, csv_bom: bool = False,
                  progress: Progress | None = None) -> tuple[BuildSummary, StoredResults]:
    """The build from the records store alone (never a body); the StoredResults says what it lacked."""
    results = StoredResults(data_dir, version)
    # taken before the records are read: a record written meanwhile makes the next build look again
    inputs = store_digest(data_dir, version, files=(SOURCES_FILE,), code=(Path(__file__),))
    summary = build(data_dir, extracted(data_dir, version, results), force=force, csv_bom=csv_bom,
                    progress=progress, total=_documents(data_dir), inputs=inputs)
    return summary, results


def build_from_store(data_dir: Path, *, force: bool = False, csv_bom: bool = False,
                     progress: Progress | None = None) -> BuildSummary:
    """Check the store, extract (a no-op when the records are up to date), build."""
    from extract.run import extract_store

    try:
        check_store(data_dir)
    except NoRawStoreError:
        if not force:
            raise
        return build(data_dir, [], force=True, csv_bom=csv_bom, progress=progress, total=0)
    summary = extract_store(data_dir)
    return build_records(data_dir, summary.version, force=force, csv_bom=csv_bom, progress=progress)[0]
