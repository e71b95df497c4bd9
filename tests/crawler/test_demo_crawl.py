"""End to end on the demo portal: every report and nothing else, per platform family; attachments
kept with their report; robots and the allow-list respected; blocked host recorded; refresh with
conditional GETs; a changed report keeps its earlier version."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.run import CrawlSummary
from demo.portal import DemoPortal
from gongkai.store import RawStore
from tests.crawler.conftest import fast_config, run_crawl

FAMILIES = ["demo-trs", "demo-hanweb", "demo-gkmlpt", "demo-search", "demo-shaanxi", "demo-generic", "demo-dongjing"]


@pytest.fixture(scope="module")
def crawled(portal: DemoPortal, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CrawlSummary]:
    data = tmp_path_factory.mktemp("demo")
    summary = run_crawl(fast_config(data), portal.sources)
    return data, summary


@pytest.mark.parametrize("name", FAMILIES)
def test_every_report_and_nothing_else(portal: DemoPortal, crawled: tuple[Path, CrawlSummary], name: str) -> None:
    data, _ = crawled
    spec = portal.site(name)
    with RawStore(data) as store:
        got = {d.url for d in store.iter_documents(kind="report") if d.url.startswith(spec.base)}
    assert spec.reports, "fixture site has reports"
    assert got == spec.reports


def test_reports_stored_once_with_title_and_year(crawled: tuple[Path, CrawlSummary]) -> None:
    data, summary = crawled
    with RawStore(data) as store:
        docs = list(store.iter_documents(kind="report", all_versions=True))
        assert len(docs) == len({d.url for d in docs})
        for d in docs:
            assert d.report_year is not None
            if "xxgkAnnualReport" in d.url:  # the anchor names the unit; the year comes from fbtime=
                assert d.url.endswith(f"fbtime={d.report_year}")
            else:
                assert d.title and f"{d.report_year}年" in d.title and "年度报告" in d.title
        body = store.read_body(docs[0])
        assert "表" in body.decode("utf-8", "replace") or b"<table" in body
        pdf = [d for d in docs if d.url.endswith(".pdf")]
        assert len(pdf) == 1 and pdf[0].content_type == "application/pdf"  # a report that is a PDF
    assert summary.finished and summary.pending == 0


def test_attachments_downloaded_typed_and_linked(portal: DemoPortal, crawled: tuple[Path, CrawlSummary]) -> None:
    data, _ = crawled
    with RawStore(data) as store:
        atts = list(store.iter_documents(kind="attachment"))
        reports = {d.url for d in store.iter_documents(kind="report")}
        assert {a.url for a in atts} == portal.attachments
        for a in atts:
            assert store.read_body(a).startswith(b"%PDF-")
            assert a.content_type == "application/pdf"  # by magic bytes; one is served as octet-stream
            assert a.parent_url in reports


def test_gbk_report_kept_as_raw_bytes(portal: DemoPortal, crawled: tuple[Path, CrawlSummary]) -> None:
    data, _ = crawled
    spec = portal.site("demo-trs")
    gbk = [p for p, r in spec.site.routes.items()
           if not callable(r) and "charset=gbk" in r.headers.get("Content-Type", "") and "/t2023" in p]
    assert gbk
    with RawStore(data) as store:
        doc = next(d for d in store.iter_documents(kind="report") if d.url == spec.base + gbk[0])
        body = store.read_body(doc)
    assert body.decode("gbk").count("政府信息公开工作年度报告") >= 1


def test_robots_disallowed_and_offsite_never_fetched(portal: DemoPortal, crawled: tuple[Path, CrawlSummary]) -> None:
    data, _ = crawled
    spec = portal.site("demo-trs")
    assert spec.site.requests_to("/zfxxgk/private/") == []
    assert spec.site.requests_to("/robots.txt")
    with RawStore(data) as store:
        rows = store.state.query("SELECT url, outcome FROM frontier WHERE url LIKE '%private%'")
        assert [r["outcome"] for r in rows] == ["robots_disallowed"]
        assert not store.state.query("SELECT 1 FROM frontier WHERE url LIKE '%365betchina%'")


def test_blocked_host_recorded_not_solved(portal: DemoPortal, crawled: tuple[Path, CrawlSummary]) -> None:
    data, summary = crawled
    spec = portal.site("demo-blocked")
    pages = [r for r in spec.site.log if r.path != "/robots.txt"]
    assert len(pages) == 1  # asked once, got the challenge, never retried or "solved" in this run
    assert summary.sources["demo-blocked"].blocked == 1
    with RawStore(data) as store:
        rows = store.state.query("SELECT outcome, error FROM fetch_log WHERE url LIKE ?", (spec.base + "%",))
        assert ("blocked", "challenge_412_ts") in [(r["outcome"], r["error"]) for r in rows]


def test_refresh_uses_conditional_gets_and_keeps_old_versions(portal: DemoPortal, tmp_path: Path) -> None:
    spec = portal.site("demo-generic")
    sources = [spec.source()]
    first = run_crawl(fast_config(tmp_path), sources)
    assert first.sources[spec.name].new == len(spec.reports)
    second = run_crawl(fast_config(tmp_path), sources)
    st = second.sources[spec.name]
    assert not second.resumed and st.new == 0 and st.changed == 0
    # pages with an ETag answer 304; the PDF has no validators, so its identical hash says "unchanged"
    assert st.not_modified == len(spec.reports) - 1 + 2
    with RawStore(tmp_path) as store:
        pdf = store.state.query("SELECT outcome FROM frontier WHERE url LIKE '%.pdf'")
        assert [r["outcome"] for r in pdf] == ["unchanged"]
    statuses = []
    for f in (tmp_path / "raw").glob("*.warc.gz"):
        with open(f, "rb") as fh:
            statuses += [rec.http_headers.get_statuscode() for rec in ArchiveIterator(fh) if rec.rec_type == "response"]
    assert statuses.count("304") == st.not_modified  # the 304s are kept as responses too
    changed_url = sorted(spec.reports)[0]
    path = changed_url[len(spec.base):]
    old = spec.site.routes[path]
    spec.site.html(path, "<html><body>2023年政府信息公开工作年度报告（更正版）</body></html>")
    try:
        third = run_crawl(fast_config(tmp_path), sources)
    finally:
        spec.site.routes[path] = old
    assert third.sources[spec.name].changed == 1
    with RawStore(tmp_path) as store:
        versions = store.versions(changed_url)
        assert [v.version for v in versions] == [1, 2]
        assert "更正版" not in store.read_body(versions[0]).decode()
        assert "更正版" in store.read_body(versions[1]).decode()
        latest = [d for d in store.iter_documents(kind="report") if d.url == changed_url]
        assert [d.version for d in latest] == [2]


def test_crawling_one_source_leaves_the_others_alone(portal: DemoPortal, tmp_path: Path) -> None:
    a, b = portal.site("demo-generic"), portal.site("demo-search")
    run_crawl(fast_config(tmp_path), [a.source(), b.source()])
    before_a, before_b = len(a.site.log), len(b.site.log)
    again = run_crawl(fast_config(tmp_path), [b.source()])  # a refresh of b only
    assert len(a.site.log) == before_a
    assert len(b.site.log) > before_b
    assert set(again.sources) == {b.name}


def test_warc_files_pass_warcio_digest_check(crawled: tuple[Path, CrawlSummary]) -> None:
    data, _ = crawled
    files = sorted(str(p) for p in (data / "raw").glob("*.warc.gz"))
    assert files
    warcio = Path(sys.executable).parent / "warcio"
    done = subprocess.run([str(warcio), "check", "-v", *files], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout[-2000:]
    assert done.stdout.count("digest pass") > 200 and "digest fail" not in done.stdout


def test_one_base_url_hub_reaches_every_site(portal: DemoPortal, tmp_path: Path) -> None:
    from crawler.sites import source_for_url
    from demo.portal import start_hub

    base, stop = start_hub(portal)
    try:
        run_crawl(fast_config(tmp_path), [source_for_url(base + "/", "hub")])
    finally:
        stop()
    with RawStore(tmp_path) as store:
        assert {d.url for d in store.iter_documents(kind="report")} == portal.reports
