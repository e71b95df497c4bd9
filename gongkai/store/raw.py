"""RawStore: the one door to captured bytes. Crawl and ingest write here; extract and build read.

A body is written to WARC first (flushed; fsynced if asked), then indexed in SQLite in one transaction.
A crash between the two leaves an unindexed WARC record that nothing points at — never a row
without bytes, never two rows for the same (url, sha256).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from gongkai.store.state import StateDB
from gongkai.store.warc import WarcAppender, read_payload

__all__ = ["RawStore", "StoredDocument"]


@dataclass(frozen=True)
class StoredDocument:
    doc_id: str  # sha256 hex of the body
    url: str
    sha256: str
    content_type: str
    fetched_at: str  # UTC ISO-8601
    source: str  # "crawl" | "ingest"
    parent_url: str | None
    title: str | None
    report_year: int | None
    kind: str  # "report" | "attachment" | "page"
    warc_file: str
    warc_offset: int
    version: int
    status: int = 200


_PAGE = 1000  # rows per query of iter_documents
_COLS = ("sha256, url, content_type, fetched_at, source, parent_url, title, report_year, kind, warc_file,"
         " warc_offset, version, status")


def _doc(row: object) -> StoredDocument:
    r = row  # sqlite3.Row
    return StoredDocument(
        doc_id=r["sha256"], url=r["url"], sha256=r["sha256"], content_type=r["content_type"],  # type: ignore[index]
        fetched_at=r["fetched_at"], source=r["source"], parent_url=r["parent_url"],  # type: ignore[index]
        title=r["title"], report_year=r["report_year"], kind=r["kind"], warc_file=r["warc_file"],  # type: ignore[index]
        warc_offset=r["warc_offset"], version=r["version"], status=r["status"],  # type: ignore[index]
    )


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class RawStore:
    def __init__(self, data_dir: Path, *, fsync: bool = False) -> None:
        """`fsync=True` also makes each capture durable against power loss (slower); without it a
        capture is durable against the process being killed, which is what resume relies on."""
        self.data_dir = Path(data_dir)
        self.raw_dir = self.data_dir / "raw"
        self.state = StateDB(self.data_dir / "state.sqlite", fsync=fsync)
        self._warc = WarcAppender(self.raw_dir, fsync=fsync)

    def close(self) -> None:
        self._warc.close()
        self.state.close()

    def __enter__(self) -> RawStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def find(self, url: str, sha256: str) -> StoredDocument | None:
        row = self.state.conn.execute(f"SELECT {_COLS} FROM documents WHERE url=? AND sha256=?",
                                      (url, sha256)).fetchone()
        return _doc(row) if row else None

    def add(self, url: str, body: bytes, *, status: int = 200, headers: dict[str, str] | None = None,
            fetched_at: str | None = None, source: str = "crawl", parent_url: str | None = None,
            title: str | None = None, report_year: int | None = None, kind: str = "report",
            method: str = "GET", request_headers: dict[str, str] | None = None,
            request_body: bytes | None = None, content_type: str | None = None) -> StoredDocument:
        """Store a capture; idempotent on (url, sha256); a changed body becomes version n+1.
        `content_type` overrides the header's (e.g. the type sniffed from magic bytes)."""
        sha = hashlib.sha256(body).hexdigest()
        existing = self.find(url, sha)
        if existing is not None:
            return existing
        headers = dict(headers or {})
        fetched_at = fetched_at or utc_now()
        ctype = content_type or next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        loc = self._warc.append(url, body, status=status, headers=headers, fetched_at=fetched_at, method=method,
                                request_headers=request_headers, request_body=request_body)
        with self.state.tx() as conn:
            again = conn.execute("SELECT 1 FROM documents WHERE url=? AND sha256=?", (url, sha)).fetchone()
            if again is None:
                version = int(conn.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM documents WHERE url=?",
                                           (url,)).fetchone()[0])
                conn.execute(
                    "INSERT INTO documents (url, sha256, content_type, fetched_at, source, parent_url, title,"
                    " report_year, kind, status, warc_file, warc_offset, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (url, sha, ctype, fetched_at, source, parent_url, title, report_year, kind, status,
                     loc.file, loc.offset, version))
        doc = self.find(url, sha)
        assert doc is not None
        return doc

    def archive(self, url: str, body: bytes, *, status: int, headers: dict[str, str] | None = None,
                fetched_at: str | None = None, truncated: str | None = None) -> tuple[str, int]:
        """Keep a response that is not a document (block page, error page, a body cut short —
        `truncated`, marked WARC-Truncated) in WARC only: evidence."""
        loc = self._warc.append(url, body, status=status, headers=dict(headers or {}), fetched_at=fetched_at,
                                truncated=truncated)
        return loc.file, loc.offset

    def iter_documents(self, kind: str | None = None, *, all_versions: bool = False) -> Iterator[StoredDocument]:
        """Latest version per URL (or every version), in insertion order. Read a page of rows at a
        time by id, so memory stays flat however large the store, and no cursor is held open while
        the caller works (it may write to the store meanwhile)."""
        where = ["d.id > ?"]
        if kind:
            where.append("d.kind = ?")
        if not all_versions:
            where.append("d.version = (SELECT MAX(version) FROM documents e WHERE e.url = d.url)")
        sql = f"SELECT {_COLS}, d.id AS id FROM documents d WHERE {' AND '.join(where)} ORDER BY d.id LIMIT ?"
        last = 0
        while True:
            rows = self.state.query(sql, (last, *((kind,) if kind else ()), _PAGE))
            for row in rows:
                yield _doc(row)
            if len(rows) < _PAGE:
                return
            last = rows[-1]["id"]

    def versions(self, url: str) -> list[StoredDocument]:
        rows = self.state.query(f"SELECT {_COLS} FROM documents WHERE url=? ORDER BY version", (url,))
        return [_doc(r) for r in rows]

    def read_body(self, doc: StoredDocument) -> bytes:
        _rtype, body, _h = read_payload(self.raw_dir / doc.warc_file, doc.warc_offset)
        return body
