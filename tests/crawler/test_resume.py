"""Crash safety: kill -9 a crawl of 550 pages twice at arbitrary points, run again, and the store
holds every report exactly once (none lost, none duplicated), with its body readable."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.portal import SiteSpec, big_site
from gongkai.store import RawStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sites() -> Iterator[list[SiteSpec]]:
    specs = [big_site(f"crash{i}", reports=100, per_page=10, seed=i) for i in range(5)]
    yield specs
    for s in specs:
        s.stop()


def _crawl_cmd(data: Path, sites: list[SiteSpec]) -> list[str]:
    cmd = [sys.executable, "-m", "cli", "crawl", "--data-dir", str(data), "--allow-host", "127.0.0.1",
           "--delay", "0.01", "--quiet"]
    for s in sites:
        cmd += ["--seed", s.entry]
    return cmd


def _stored(data: Path) -> int:
    db = data / "state.sqlite"
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _kill_when(data: Path, sites: list[SiteSpec], at: int) -> int:
    proc = subprocess.Popen(_crawl_cmd(data, sites), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and _stored(data) < at:
        time.sleep(0.01)
    assert proc.poll() is None, "crawl ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    return _stored(data)


def test_kill_9_twice_then_resume_stores_each_report_once(sites: list[SiteSpec], tmp_path: Path) -> None:
    expected = set().union(*(s.reports for s in sites))
    assert len(expected) == 500
    first = _kill_when(tmp_path, sites, 120)
    second = _kill_when(tmp_path, sites, 330)
    assert 120 <= first < second < 550
    done = subprocess.run(_crawl_cmd(tmp_path, sites), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "resumed" in done.stderr
    with RawStore(tmp_path) as store:
        reports = list(store.iter_documents(kind="report", all_versions=True))
        urls = [d.url for d in reports]
        assert len(urls) == len(set(urls)) == 500
        assert set(urls) == expected
        for d in reports[::25]:
            assert d.title is not None and store.read_body(d).decode().count(d.title) == 2
        runs = store.state.query("SELECT id, finished_at FROM runs")
        assert len(runs) == 1 and runs[0]["finished_at"] is not None  # one run, resumed to the end
        assert store.state.count_frontier("pending") == 0
    # every page requested at most a few times in total across the three processes
    total = sum(len(s.site.log) for s in sites)
    assert total < 550 + 5 * 3 + 20


def test_links_of_a_page_stored_just_before_a_crash_are_not_lost(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The crash window between storing a list page (validators saved) and queueing its links: on
    resume the page answers 304, and its links must come from the stored copy."""
    from crawler.intake import Intake
    from tests.crawler.conftest import fast_config, run_crawl

    spec = big_site("window", reports=5, per_page=5)
    real = Intake._enqueue

    def lost_once(self: Intake, parent: object, links: list[object]) -> None:
        monkeypatch.setattr(Intake, "_enqueue", real)  # the links of the first page never get queued

    monkeypatch.setattr(Intake, "_enqueue", lost_once)
    try:
        run_crawl(fast_config(tmp_path), [spec.source()])
        with RawStore(tmp_path) as store:  # leave the state exactly as a kill at that point would
            store.state.conn.execute("UPDATE frontier SET state='pending', outcome=NULL WHERE kind='list'")
            store.state.conn.execute("UPDATE runs SET finished_at=NULL")
            assert list(store.iter_documents(kind="report")) == []
        summary = run_crawl(fast_config(tmp_path), [spec.source()])
    finally:
        spec.stop()
    assert summary.resumed and summary.sources[spec.name].not_modified == 1  # the list page: 304
    with RawStore(tmp_path) as store:
        assert {d.url for d in store.iter_documents(kind="report")} == spec.reports
