"""SQLite state: document index, crawl frontier, fetch log, HTTP validators, per-host state.

Schema changes are named migrations applied in order and recorded in `migrations`. Every write
method commits its own transaction, so a process killed at any point loses at most the item in
flight (WAL mode: a committed transaction survives kill -9).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.store.urlkey import canonical_url, twin_key

__all__ = ["FrontierItem", "StateDB"]

_STATE_RANK = {"done": 0, "failed": 1, "blocked": 2, "skipped": 3, "deferred": 4, "pending": 5}


def _rekey_frontier(conn: sqlite3.Connection) -> None:
    """Frontiers written before URL twins were collapsed are keyed by the URL as first requested, so
    `dir/` and `dir/index.html` (or `%7E` and `~`) are two rows and each is fetched on every refresh.
    Re-key every row to today's key (`twin_key` of the canonical URL, plus the POST form); rows that
    now share a key become one: the most settled (done before failed … before pending, then the first
    queued) survives with the earliest place in the queue; listing pages follow their row."""
    rows = conn.execute("SELECT rowid, key, url, form, state, seq, iri FROM frontier").fetchall()
    groups: dict[str, list[sqlite3.Row]] = {}
    for r in rows:
        form = json.loads(r["form"]) if r["form"] else None
        groups.setdefault(frontier_key(twin_key(r["url"]), form), []).append(r)
    conn.execute("UPDATE frontier SET key = ' rekey ' || rowid")  # no row holds a final key while others move
    for new_key, members in groups.items():
        members.sort(key=lambda r: (_STATE_RANK.get(r["state"], 9), r["seq"]))
        keep, drop = members[0], members[1:]
        for r in drop:
            conn.execute("UPDATE frontier SET listing=COALESCE(listing, (SELECT listing FROM frontier WHERE rowid=?)),"
                         " title=COALESCE(title, (SELECT title FROM frontier WHERE rowid=?)),"
                         " report_year=COALESCE(report_year, (SELECT report_year FROM frontier WHERE rowid=?))"
                         " WHERE rowid=?", (r["rowid"], r["rowid"], r["rowid"], keep["rowid"]))
            conn.execute("DELETE FROM frontier WHERE rowid=?", (r["rowid"],))
        url = canonical_url(keep["url"])
        conn.execute("UPDATE frontier SET key=?, url=?, seq=?, iri=COALESCE(iri, ?) WHERE rowid=?",
                     (new_key, url, min(r["seq"] for r in members), keep["url"] if url != keep["url"] else None,
                      keep["rowid"]))
        for r in members:
            if r["key"] != new_key:
                conn.execute("UPDATE OR IGNORE listing_pages SET page=? WHERE page=?", (new_key, r["key"]))
                conn.execute("DELETE FROM listing_pages WHERE page=?", (r["key"],))


_MIGRATIONS: tuple[tuple[str, str | Callable[[sqlite3.Connection], None]], ...] = (
    ("0001_documents", """
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        content_type TEXT NOT NULL DEFAULT '',
        fetched_at TEXT NOT NULL,
        source TEXT NOT NULL,
        parent_url TEXT,
        title TEXT,
        report_year INTEGER,
        kind TEXT NOT NULL,
        status INTEGER NOT NULL,
        warc_file TEXT NOT NULL,
        warc_offset INTEGER NOT NULL,
        version INTEGER NOT NULL,
        UNIQUE (url, sha256)
    );
    CREATE INDEX documents_kind ON documents (kind, url, version);
    """),
    ("0002_crawl_state", """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        args TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE frontier (
        key TEXT PRIMARY KEY,           -- url, or url + form for POST list requests
        url TEXT NOT NULL,
        method TEXT NOT NULL DEFAULT 'GET',
        form TEXT,                       -- JSON object for POST bodies
        kind TEXT NOT NULL,              -- list | report | attachment
        family TEXT NOT NULL DEFAULT 'generic',
        source TEXT NOT NULL,
        host TEXT NOT NULL,
        parent_url TEXT,
        title TEXT,
        report_year INTEGER,
        depth INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL DEFAULT 'pending',
        outcome TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        run_id INTEGER,
        seq INTEGER NOT NULL
    );
    CREATE INDEX frontier_pending ON frontier (state, host, seq);
    CREATE TABLE fetch_log (
        id INTEGER PRIMARY KEY,
        run_id INTEGER,
        url TEXT NOT NULL,
        host TEXT NOT NULL,
        source TEXT,
        at TEXT NOT NULL,
        http_status INTEGER,
        outcome TEXT NOT NULL,
        error TEXT,
        bytes INTEGER,
        sha256 TEXT,
        elapsed_ms INTEGER
    );
    CREATE TABLE http_cache (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        sha256 TEXT
    );
    CREATE TABLE hosts (
        host TEXT PRIMARY KEY,
        robots_status TEXT,
        crawl_delay REAL,
        blocked INTEGER NOT NULL DEFAULT 0,
        last_outcome TEXT,
        updated_at TEXT
    );
    """),
    ("0003_frontier_seq_index", """
    CREATE INDEX frontier_seq ON frontier (seq);
    CREATE INDEX fetch_log_url ON fetch_log (url);
    """),
    ("0004_http_cache_final_url", """
    ALTER TABLE http_cache ADD COLUMN final_url TEXT;
    """),
    # Why each link was followed or not (the classifier's rule, the pager), the IRI as linked, and the
    # listings pages declare (records or pages) with the pages actually fetched, so a run can say
    # when it found less than a column declares.
    ("0005_decisions_listings", """
    ALTER TABLE frontier ADD COLUMN reason TEXT;
    ALTER TABLE frontier ADD COLUMN listing TEXT;
    ALTER TABLE frontier ADD COLUMN iri TEXT;
    CREATE TABLE link_decisions (
        parent_url TEXT NOT NULL,
        url TEXT NOT NULL,
        title TEXT,
        decision TEXT NOT NULL,          -- report | list | attachment | skip | refused
        reason TEXT,
        run_id INTEGER,
        PRIMARY KEY (parent_url, url, decision)
    );
    CREATE TABLE listings (
        key TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        url TEXT NOT NULL,               -- the page that declared it
        family TEXT,
        declared_records INTEGER,
        declared_pages INTEGER,
        planned_pages INTEGER,
        bounded INTEGER NOT NULL DEFAULT 0,
        detail TEXT,
        run_id INTEGER
    );
    CREATE TABLE listing_pages (
        listing TEXT NOT NULL,
        page TEXT NOT NULL,              -- frontier key of a fetched page of the listing
        records INTEGER,                 -- records it listed, where countable
        run_id INTEGER,
        PRIMARY KEY (listing, page)
    );
    """),
    ("0006_frontier_twin_keys", _rekey_frontier),
    # The charset a URL's query was encoded in and its POST form is sent in (the page's own, as
    # browsers do: GBK pages); NULL is UTF-8.
    ("0007_frontier_charset", """
    ALTER TABLE frontier ADD COLUMN charset TEXT;
    """),
    # Why the rest of a listing cannot be fetched (a 动静结合 page naming no list API …): such a
    # listing is incomplete whatever was counted.
    ("0008_listings_gap", """
    ALTER TABLE listings ADD COLUMN gap TEXT;
    """),
)


@dataclass
class FrontierItem:
    key: str
    url: str
    method: str
    form: dict[str, str] | None
    kind: str
    family: str
    source: str
    host: str
    parent_url: str | None
    title: str | None
    report_year: int | None
    depth: int
    attempts: int
    listing: str | None = None  # the declared listing this page belongs to (a generated page link)
    reason: str | None = None
    charset: str | None = None  # the form's (and query's) encoding; None: UTF-8


_FRONTIER_COLS = ("key, url, method, form, kind, family, source, host, parent_url, title, report_year, depth, attempts,"
                  " listing, reason, charset")


def _item(row: sqlite3.Row) -> FrontierItem:
    form = json.loads(row["form"]) if row["form"] else None
    return FrontierItem(row["key"], row["url"], row["method"], form, row["kind"], row["family"], row["source"],
                        row["host"], row["parent_url"], row["title"], row["report_year"], row["depth"],
                        row["attempts"], row["listing"], row["reason"], row["charset"])


def frontier_key(url: str, form: dict[str, str] | None) -> str:
    if not form:
        return url
    return url + "#POST:" + json.dumps(form, sort_keys=True, ensure_ascii=False)


class StateDB:
    def __init__(self, path: Path, *, fsync: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.scope: tuple[str, ...] | None = None  # crawl only these sources' URLs (None: all)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute(f"PRAGMA synchronous={'FULL' if fsync else 'NORMAL'}")
        self._migrate()

    def _migrate(self) -> None:
        self.conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
        done = {r[0] for r in self.conn.execute("SELECT name FROM migrations")}
        for name, sql in _MIGRATIONS:
            if name in done:
                continue
            with self.tx():  # a migration and its record commit together, or neither does
                if callable(sql):
                    sql(self.conn)
                else:
                    for stmt in sql.split(";"):
                        if stmt.strip():
                            self.conn.execute(stmt)
                self.conn.execute("INSERT INTO migrations VALUES (?, datetime('now'))", (name,))

    def tx(self) -> _Tx:
        return _Tx(self.conn)

    def close(self) -> None:
        self.conn.close()

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        return list(self.conn.execute(sql, params))

    # ---------------------------------------------------------------- runs
    def _scoped(self) -> tuple[str, tuple[str, ...]]:
        if self.scope is None:
            return "", ()
        return f" AND source IN ({','.join('?' * len(self.scope))})", self.scope

    def open_run(self, now: str, args: dict[str, Any], resume: bool = True) -> tuple[int, bool]:
        """(run id, resumed). An unfinished last run is resumed; otherwise a new run re-queues every
        known URL in scope (a refresh)."""
        where, params = self._scoped()
        last = self.conn.execute("SELECT id, finished_at FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        if resume and last is not None and last["finished_at"] is None:
            with self.tx():  # hosts that were blocked or had no robots.txt get another chance
                self.conn.execute("UPDATE frontier SET state='pending' WHERE state IN ('blocked', 'deferred')"
                                  + where, params)
                self.conn.execute("UPDATE hosts SET blocked=0")
            return int(last["id"]), True
        with self.tx():
            cur = self.conn.execute("INSERT INTO runs (started_at, args) VALUES (?, ?)", (now, json.dumps(args)))
            run_id = int(cur.lastrowid or 0)
            # a refresh: revisit every known URL (conditional GETs make unchanged ones cheap)
            self.conn.execute("UPDATE frontier SET state='pending', attempts=0, error=NULL WHERE 1" + where, params)
            self.conn.execute("UPDATE hosts SET blocked=0")
        return run_id, False

    def finish_run(self, run_id: int, now: str) -> None:
        with self.tx():
            self.conn.execute("UPDATE runs SET finished_at=? WHERE id=?", (now, run_id))

    # ---------------------------------------------------------------- frontier
    def enqueue(self, *, url: str, kind: str, source: str, host: str, family: str = "generic",
                method: str = "GET", form: dict[str, str] | None = None, parent_url: str | None = None,
                title: str | None = None, report_year: int | None = None, depth: int = 0,
                key: str | None = None, reason: str | None = None, listing: str | None = None,
                iri: str | None = None, charset: str | None = None) -> bool:
        """Add a URL once; True when it was new. Existing rows keep their state (the seen set).
        `key` is the seen-set key when it differs from the URL (twins such as `dir/index.html`)."""
        key = frontier_key(key or url, form)
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO frontier (key, url, method, form, kind, family, source, host, parent_url,"
            " title, report_year, depth, reason, listing, iri, charset, seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
            " (SELECT COALESCE(MAX(seq), 0) + 1 FROM frontier))",
            (key, url, method, json.dumps(form, ensure_ascii=False) if form else None, kind, family, source,
             host, parent_url, title, report_year, depth, reason, listing, iri if iri != url else None,
             charset if charset and charset != "utf-8" else None),
        )
        return cur.rowcount == 1

    # ---------------------------------------------------------------- decisions and listings
    def record_decision(self, *, parent_url: str, url: str, title: str | None, decision: str, reason: str | None,
                        run_id: int) -> None:
        self.conn.execute(
            "INSERT INTO link_decisions (parent_url, url, title, decision, reason, run_id) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT(parent_url, url, decision) DO UPDATE SET title=excluded.title, reason=excluded.reason,"
            " run_id=excluded.run_id", (parent_url, url, title, decision, reason, run_id))

    def note_listing(self, *, key: str, source: str, url: str, family: str, declared_records: int | None,
                     declared_pages: int | None, planned_pages: int, bounded: bool, detail: str, run_id: int,
                     gap: str | None = None) -> None:
        """A page declared a listing: keep the largest declaration seen (pages of one listing agree
        unless the column grew while it was crawled). The gap is the declaring page's to set or clear."""
        self.conn.execute(
            "INSERT INTO listings (key, source, url, family, declared_records, declared_pages, planned_pages, bounded,"
            " detail, run_id, gap) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET"
            " declared_records=MAX(COALESCE(declared_records, 0), COALESCE(excluded.declared_records, 0)),"
            " declared_pages=MAX(COALESCE(declared_pages, 0), COALESCE(excluded.declared_pages, 0)),"
            " planned_pages=MAX(planned_pages, excluded.planned_pages), bounded=MAX(bounded, excluded.bounded),"
            " gap=CASE WHEN excluded.url=listings.url THEN excluded.gap ELSE COALESCE(listings.gap, excluded.gap) END,"
            " run_id=excluded.run_id",
            (key, source, url, family, declared_records, declared_pages, planned_pages, int(bounded), detail, run_id,
             gap))

    def listing_page(self, *, listing: str, page: str, records: int | None, run_id: int) -> None:
        self.conn.execute(
            "INSERT INTO listing_pages (listing, page, records, run_id) VALUES (?,?,?,?) ON CONFLICT(listing, page)"
            " DO UPDATE SET records=COALESCE(excluded.records, records), run_id=excluded.run_id",
            (listing, page, records, run_id))

    def listings(self, run_id: int | None = None) -> list[sqlite3.Row]:
        """Listings of the sources in scope (touched by `run_id`, if given) with what was fetched of them."""
        where, params = self._scoped()
        sql = ("SELECT l.*, (SELECT COUNT(*) FROM listing_pages p WHERE p.listing=l.key) AS pages_fetched,"
               " (SELECT SUM(records) FROM listing_pages p WHERE p.listing=l.key) AS records_found,"
               " (SELECT COUNT(records) FROM listing_pages p WHERE p.listing=l.key) AS pages_counted"
               " FROM listings l WHERE 1" + where + (" AND run_id=?" if run_id is not None else "") + " ORDER BY key")
        return self.query(sql, (*params, *((run_id,) if run_id is not None else ())))

    def count_outcomes(self, state: str) -> dict[tuple[str, str], int]:
        """(source, outcome) → URLs in `state` (deferred, blocked, skipped …), in scope."""
        where, params = self._scoped()
        rows = self.conn.execute("SELECT source, COALESCE(outcome, '') AS outcome, COUNT(*) AS n FROM frontier"
                                 " WHERE state=?" + where + " GROUP BY source, outcome", (state, *params))
        return {(r["source"], r["outcome"]): int(r["n"]) for r in rows}

    def count_kind(self, source: str, kind: str) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM frontier WHERE source=? AND kind=?",
                                     (source, kind)).fetchone()[0])

    def pending_hosts(self, exclude: set[str], limit: int) -> list[str]:
        where, params = self._scoped()
        rows = self.conn.execute(
            "SELECT host FROM frontier f WHERE state='pending'" + where +
            " AND NOT EXISTS (SELECT 1 FROM hosts h WHERE h.host=f.host AND h.blocked=1)"
            " GROUP BY host ORDER BY MIN(seq) LIMIT ?", (*params, limit + len(exclude)))
        return [r["host"] for r in rows if r["host"] not in exclude][:limit]

    def next_for_host(self, host: str) -> FrontierItem | None:
        where, params = self._scoped()
        row = self.conn.execute(
            f"SELECT {_FRONTIER_COLS} FROM frontier WHERE state='pending' AND host=?" + where +
            " ORDER BY CASE kind WHEN 'list' THEN 0 ELSE 1 END, seq LIMIT 1", (host, *params)).fetchone()
        return _item(row) if row else None

    def pending(self, limit: int = 1_000_000) -> list[FrontierItem]:
        where, params = self._scoped()
        rows = self.conn.execute(f"SELECT {_FRONTIER_COLS} FROM frontier WHERE state='pending'{where} ORDER BY seq"
                                 " LIMIT ?", (*params, limit))
        return [_item(r) for r in rows]

    def mark(self, key: str, state: str, *, outcome: str, run_id: int, error: str | None = None,
             attempts: int | None = None) -> None:
        self.conn.execute(
            "UPDATE frontier SET state=?, outcome=?, error=?, run_id=?, attempts=COALESCE(?, attempts + 1)"
            " WHERE key=?", (state, outcome, error, run_id, attempts, key))

    def park_host(self, host: str, state: str, outcome: str, run_id: int, error: str | None = None) -> int:
        """Set aside every pending URL of a host (blocked, robots unavailable, refused) until the next run."""
        where, params = self._scoped()
        cur = self.conn.execute("UPDATE frontier SET state=?, outcome=?, run_id=?, error=COALESCE(?, error)"
                                " WHERE host=? AND state='pending'" + where, (state, outcome, run_id, error, host, *params))
        return cur.rowcount

    def count_frontier(self, state: str | None = None) -> int:
        """URLs in scope (in `state`, if given)."""
        where, params = self._scoped()
        if state is None:
            return int(self.conn.execute("SELECT COUNT(*) FROM frontier WHERE 1" + where, params).fetchone()[0])
        return int(self.conn.execute("SELECT COUNT(*) FROM frontier WHERE state=?" + where,
                                     (state, *params)).fetchone()[0])

    # ---------------------------------------------------------------- fetch log, validators, hosts
    def log_fetch(self, *, run_id: int, url: str, host: str, source: str | None, at: str,
                  http_status: int | None, outcome: str, error: str | None = None, nbytes: int | None = None,
                  sha256: str | None = None, elapsed_ms: int | None = None) -> None:
        self.conn.execute(
            "INSERT INTO fetch_log (run_id, url, host, source, at, http_status, outcome, error, bytes, sha256,"
            " elapsed_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (run_id, url, host, source, at, http_status, outcome, error, nbytes, sha256, elapsed_ms))

    def validators(self, url: str) -> tuple[str | None, str | None, str | None]:
        row = self.conn.execute("SELECT etag, last_modified, sha256 FROM http_cache WHERE url=?", (url,)).fetchone()
        if row is None:
            return None, None, None
        return row["etag"], row["last_modified"], row["sha256"]

    def set_validators(self, url: str, etag: str | None, last_modified: str | None, sha256: str,
                       final_url: str | None = None) -> None:
        self.conn.execute(
            "INSERT INTO http_cache (url, etag, last_modified, sha256, final_url) VALUES (?,?,?,?,?)"
            " ON CONFLICT(url) DO UPDATE SET etag=excluded.etag, last_modified=excluded.last_modified,"
            " sha256=excluded.sha256, final_url=excluded.final_url", (url, etag, last_modified, sha256, final_url))

    def final_url(self, url: str) -> str:
        """The URL that last served `url`'s bytes (after redirects); `url` itself if unknown."""
        row = self.conn.execute("SELECT final_url FROM http_cache WHERE url=?", (url,)).fetchone()
        return str(row["final_url"]) if row and row["final_url"] else url

    def set_host(self, host: str, now: str, **fields: Any) -> None:
        self.conn.execute("INSERT OR IGNORE INTO hosts (host, updated_at) VALUES (?, ?)", (host, now))
        for k, v in fields.items():
            if k not in ("robots_status", "crawl_delay", "blocked", "last_outcome"):
                raise ValueError(k)
            self.conn.execute(f"UPDATE hosts SET {k}=?, updated_at=? WHERE host=?", (v, now, host))

    def iter_rows(self, sql: str, params: tuple[Any, ...] = ()) -> Iterator[sqlite3.Row]:
        yield from self.conn.execute(sql, params)


class _Tx:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
