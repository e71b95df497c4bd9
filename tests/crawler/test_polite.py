"""Politeness measured from the server's own request log: one request in flight per host, the
per-host delay and robots Crawl-delay kept between requests, hosts crawled in parallel; robots.txt
per RFC 9309 (4xx → allow, 5xx → disallow for now and ask again later)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.portal import SiteSpec, big_site
from demo.server import LoggedRequest, Resp
from gongkai.store import RawStore
from tests.crawler.conftest import fast_config, run_crawl


def _gaps(log: list[LoggedRequest]) -> list[float]:
    starts = sorted(r.start for r in log)
    return [b - a for a, b in itertools.pairwise(starts)]


@pytest.fixture
def sites() -> Iterator[list[SiteSpec]]:
    specs = [big_site(f"polite{i}", reports=6, per_page=3) for i in range(3)]
    yield specs
    for s in specs:
        s.stop()


def test_one_in_flight_per_host_and_delay_kept(sites: list[SiteSpec], tmp_path: Path) -> None:
    delay = 0.25
    run_crawl(fast_config(tmp_path, delay=delay), [s.source() for s in sites])
    for s in sites:
        assert s.site.max_inflight == 1
        gaps = _gaps(s.site.log)
        assert len(gaps) >= 8  # robots + 2 list pages + 6 reports
        assert min(gaps) >= 0.9 * delay, gaps
    # hosts run in parallel: each host's first request comes before any other host has finished
    firsts = [min(r.start for r in s.site.log) for s in sites]
    lasts = [max(r.start for r in s.site.log) for s in sites]
    assert max(firsts) < min(lasts)


def test_crawl_delay_raises_the_delay(tmp_path: Path) -> None:
    spec = big_site("crawldelay", reports=4, per_page=4)
    spec.site.add("/robots.txt", Resp(200, b"User-agent: *\nCrawl-delay: 0.6\n", {"Content-Type": "text/plain"}))
    try:
        run_crawl(fast_config(tmp_path, delay=0.05), [spec.source()])
    finally:
        spec.stop()
    gaps = _gaps([r for r in spec.site.log if r.path != "/robots.txt"])
    assert len(gaps) == 4 and min(gaps) >= 0.9 * 0.6, gaps


def test_robots_5xx_means_disallow_for_now_then_asks_again(tmp_path: Path) -> None:
    spec = big_site("robots5xx", reports=3, per_page=3)
    spec.site.add("/robots.txt", lambda req: Resp(503, b"down") if req.count == 1 else
                  Resp(200, b"User-agent: *\nDisallow: /art/2.html\n"))
    try:
        run_crawl(fast_config(tmp_path, robots_retry=0.3), [spec.source()])
    finally:
        spec.stop()
    log = sorted(spec.site.log, key=lambda r: r.start)
    assert [r.path for r in log[:2]] == ["/robots.txt", "/robots.txt"]  # nothing fetched while unavailable
    assert log[1].start - log[0].end >= 0.9 * 0.3
    assert {r.path for r in log[2:]} == {"/list/index.html", "/art/0.html", "/art/1.html"}


def test_robots_unavailable_defers_the_host_without_fetching(tmp_path: Path) -> None:
    spec = big_site("robotsdown", reports=2, per_page=2)
    spec.site.add("/robots.txt", Resp(500, b"err"))
    try:
        summary = run_crawl(fast_config(tmp_path, robots_retry=0.1, robots_attempts=3), [spec.source()])
    finally:
        spec.stop()
    assert [r.path for r in spec.site.log] == ["/robots.txt"] * 3
    with RawStore(tmp_path) as store:
        rows = store.state.query("SELECT state, outcome FROM frontier")
    assert [(r["state"], r["outcome"]) for r in rows] == [("deferred", "robots_unavailable")]
    assert summary.pending == 0


def test_robots_4xx_means_allowed(tmp_path: Path) -> None:
    spec = big_site("robots404", reports=2, per_page=2)
    spec.site.add("/robots.txt", lambda req: Resp(403 if req.method == "GET" else 404, b"no"))
    try:
        run_crawl(fast_config(tmp_path), [spec.source()])
    finally:
        spec.stop()
    with RawStore(tmp_path) as store:
        assert {d.url for d in store.iter_documents(kind="report")} == spec.reports



def test_a_crawl_delay_too_long_for_this_run_defers_the_host(tmp_path: Path) -> None:
    spec = big_site("slowpoke", reports=2, per_page=2)
    spec.site.add("/robots.txt", Resp(200, b"User-agent: *\nCrawl-delay: 3600\n", {"Content-Type": "text/plain"}))
    try:
        summary = run_crawl(fast_config(tmp_path, max_crawl_delay=60.0), [spec.source()])
    finally:
        spec.stop()
    assert [r.path for r in spec.site.log] == ["/robots.txt"]  # asked for one request an hour: none made
    with RawStore(tmp_path) as store:
        rows = store.state.query("SELECT state, outcome FROM frontier")
    assert [(r["state"], r["outcome"]) for r in rows] == [("deferred", "crawl_delay_too_long")]
    assert summary.finished
