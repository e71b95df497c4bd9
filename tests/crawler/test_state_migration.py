"""Migration 0006_frontier_twin_keys on a store as the code before twin keys wrote it (schema up to
0004, frontier keyed by the URL as requested, so `dir/` and `dir/index.html` are two rows): rows are
re-keyed, twins merged, listing pages follow, all in one transaction; and a refresh crawl of the
migrated store fetches a twin once, where the old keys made it fetch both."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import gongkai.store.state as state_mod
from crawler.sites import Source
from demo.server import Site, serve
from gongkai.store import RawStore
from gongkai.store.state import StateDB
from tests.crawler.conftest import fast_config, run_crawl

T = "政府信息公开工作年度报告"
OLD_MIGRATIONS = ("0001_documents", "0002_crawl_state", "0003_frontier_seq_index", "0004_http_cache_final_url")


def old_store(path: Path, rows: list[tuple[str, str, str, int, dict[str, str] | None]], *, listing_pages: bool = False
              ) -> None:
    """state.sqlite as the code before twin keys left it: schema 0001-0004, a finished run, and
    frontier rows (url, kind, state, seq, form) keyed by the URL as requested (+ the POST form)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    for name, sql in state_mod._MIGRATIONS:
        if name in OLD_MIGRATIONS:
            assert isinstance(sql, str)
            conn.executescript(sql)
            conn.execute("INSERT INTO migrations VALUES (?, '2026-11-01')", (name,))
    conn.execute("INSERT INTO runs (started_at, finished_at) VALUES ('2026-11-01', '2026-11-01')")
    for url, kind, st, seq, form in rows:
        key = url + ("#POST:" + json.dumps(form, sort_keys=True, ensure_ascii=False) if form else "")
        conn.execute("INSERT INTO frontier (key, url, method, form, kind, source, host, state, seq) VALUES"
                     " (?,?,?,?,?,?,?,?,?)", (key, url, "POST" if form else "GET",
                                             json.dumps(form, ensure_ascii=False) if form else None, kind, "s",
                                             url.split("/")[2], st, seq))
    conn.commit()
    conn.close()


def keys(path: Path) -> dict[str, tuple[str, str, int]]:
    conn = sqlite3.connect(path)
    out = {k: (u, s, q) for k, u, s, q in conn.execute("SELECT key, url, state, seq FROM frontier")}
    conn.close()
    return out


def test_old_frontier_is_rekeyed_and_twins_merged(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite"
    form = {"col": "1", "columnid": "1229114055"}
    old_store(db, [
        ("http://www.x.gov.cn/col/", "list", "done", 1, None),
        ("http://www.x.gov.cn/col/index.html", "list", "done", 3, None),
        ("http://www.x.gov.cn/col/~a/r.html", "report", "pending", 2, None),
        ("http://www.x.gov.cn/col/%7Ea/r.html", "report", "done", 5, None),
        ("http://www.x.gov.cn/col/index_1.html", "list", "done", 4, None),
        ("http://www.x.gov.cn/module/jpage/dataproxy.jsp?startrecord=16", "list", "done", 6, form),
    ])
    # then a run of the code with 0005 (and without 0006) fetched some of them for a listing: its
    # listing_pages rows name the old keys
    conn = sqlite3.connect(db)
    conn.executescript(dict(state_mod._MIGRATIONS)["0005_decisions_listings"])  # type: ignore[arg-type]
    conn.execute("INSERT INTO migrations VALUES ('0005_decisions_listings', '2026-12-04')")
    conn.executemany("INSERT INTO listing_pages VALUES ('pager', ?, 10, 2)", [
        ("http://www.x.gov.cn/col/",), ("http://www.x.gov.cn/col/index.html",), ("http://www.x.gov.cn/col/index_1.html",)])
    conn.commit()
    conn.close()

    StateDB(db).close()  # applies 0006
    conn = sqlite3.connect(db)
    names = {r[0] for r in conn.execute("SELECT name FROM migrations")}
    lp = sorted(tuple(r) for r in conn.execute("SELECT listing, page FROM listing_pages"))
    conn.close()

    got = keys(db)
    post_key = ("http://www.x.gov.cn/module/jpage/dataproxy.jsp?startrecord=16#POST:"
                + json.dumps(form, sort_keys=True, ensure_ascii=False))
    assert got == {
        "http://www.x.gov.cn/col/": ("http://www.x.gov.cn/col/", "done", 1),  # index.html merged into it
        "http://www.x.gov.cn/col/~a/r.html": ("http://www.x.gov.cn/col/%7Ea/r.html", "done", 2),  # done wins, first place
        "http://www.x.gov.cn/col/index_1.html": ("http://www.x.gov.cn/col/index_1.html", "done", 4),
        post_key: ("http://www.x.gov.cn/module/jpage/dataproxy.jsp?startrecord=16", "done", 6),
    }
    assert "0006_frontier_twin_keys" in names
    assert lp == [("pager", "http://www.x.gov.cn/col/"), ("pager", "http://www.x.gov.cn/col/index_1.html")]


def test_the_migration_is_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "state.sqlite"
    old_store(db, [("http://www.x.gov.cn/col/", "list", "done", 1, None),
                   ("http://www.x.gov.cn/col/index.html", "list", "done", 2, None),
                   ("http://www.x.gov.cn/col/a.html", "report", "done", 3, None)])
    before = keys(db)
    real = state_mod.twin_key
    calls = [0]

    def failing(url: str) -> str:
        calls[0] += 1
        if calls[0] == 3:
            raise RuntimeError("disk full")
        return real(url)

    monkeypatch.setattr(state_mod, "twin_key", failing)
    with pytest.raises(RuntimeError):
        StateDB(db)
    assert keys(db) == before  # nothing half-done
    conn = sqlite3.connect(db)
    assert "0006_frontier_twin_keys" not in {r[0] for r in conn.execute("SELECT name FROM migrations")}
    conn.close()
    monkeypatch.setattr(state_mod, "twin_key", real)
    StateDB(db).close()  # the next start applies it
    assert set(keys(db)) == {"http://www.x.gov.cn/col/", "http://www.x.gov.cn/col/a.html"}


def test_refresh_of_an_old_store_fetches_a_twin_once(tmp_path: Path) -> None:
    site = Site("twins")
    base, stop = serve(site)
    page = (f'<html><body><ul><li><a href="{base}/col/r1.html">某局2023年{T}</a></li></ul>'
            f'<a href="{base}/col/index.html">首页</a></body></html>')
    site.html("/col/", page)
    site.html("/col/index.html", page)
    site.html("/col/r1.html", f"<html><body><h1>某局2023年{T}</h1></body></html>")
    (tmp_path / "raw").mkdir()
    old_store(tmp_path / "state.sqlite", [(f"{base}/col/", "list", "done", 1, None),
                                          (f"{base}/col/r1.html", "report", "done", 2, None),
                                          (f"{base}/col/index.html", "list", "done", 3, None)])
    try:
        summary = run_crawl(fast_config(tmp_path), [Source("s", f"{base}/col/")])
    finally:
        stop()
    served = [r.path for r in site.log if r.path.startswith("/col/") and r.path != "/col/r1.html"]
    assert served == ["/col/"]  # the old keys made the refresh fetch /col/index.html as well
    assert summary.finished
    with RawStore(tmp_path) as store:
        assert {d.url for d in store.iter_documents(kind="report")} == {f"{base}/col/r1.html"}
