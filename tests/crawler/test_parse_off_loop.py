"""Parsing a list page with tens of thousands of links runs in a worker thread: every other host's
requests go on meanwhile. Checked by making the big page's parse wait until another host has been
served several requests — which can only happen if the event loop is free while it parses."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import crawler.intake
from crawler.sites import Source
from demo.portal import big_site
from demo.server import Site, serve
from gongkai.store import RawStore
from tests.crawler.conftest import fast_config, run_crawl

T = "政府信息公开工作年度报告"


def test_big_list_page_is_parsed_off_the_event_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = Site("big")
    big_base, stop_big = serve(big)
    items = "".join(f'<li><a href="/news/{i}.html">新闻{i}</a></li>' for i in range(30_000))
    reports = "".join(f'<li><a href="/art/{i}.html">第{i}局2023年{T}</a></li>' for i in range(3))
    big.html("/list/", f"<html><body><ul>{reports}{items}</ul></body></html>")
    for i in range(3):
        big.html(f"/art/{i}.html", f"<h1>第{i}局2023年{T}</h1>")
    other = big_site("other", reports=6, per_page=3)
    threads: dict[str, str] = {}
    other_progressed = threading.Event()
    real = crawler.intake.discover_page

    def watched(page: Any, **kw: Any) -> Any:
        threads[page.url] = threading.current_thread().name
        if page.url == big_base + "/list/" and page.kind == "list":
            # hold this parse until the other host has been served its list and some reports
            other_progressed.wait(timeout=20)
        return real(page, **kw)

    monkeypatch.setattr(crawler.intake, "discover_page", watched)
    try:
        events: list[dict[str, Any]] = []
        summary = run_crawl(fast_config(tmp_path), [Source("big", big_base + "/list/"), other.source()],
                            on_event=lambda e: (events.append(e), len(other.site.log) >= 5 and other_progressed.set()))
    finally:
        stop_big()
        other.stop()
    assert other_progressed.is_set()  # the other host got 5 answers while the big page was being parsed
    assert threads[big_base + "/list/"].startswith("gongkai-parse")
    assert threads[other.entry] == "MainThread"  # small pages are parsed inline
    assert any(e["event"] == "parse_in_thread" for e in events)
    with RawStore(tmp_path) as store:
        got = {d.url for d in store.iter_documents(kind="report")}
    assert got == other.reports | {f"{big_base}/art/{i}.html" for i in range(3)}
    assert summary.finished
