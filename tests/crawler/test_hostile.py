"""The hostile cases of issue 11, each on a real server on 127.0.0.1: Chinese URLs, an oversized
robots.txt, an infinite pager, addresses inside the shared/6to4 ranges, short bodies, and a run that
defers URLs saying so."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from warcio.archiveiterator import ArchiveIterator

from cli.main import main
from crawler.sites import Source
from demo.report import report_html, report_pdf
from demo.server import Resp, Site, serve
from gongkai.store import RawStore
from tests.crawler.conftest import fast_config, run_crawl

T = "政府信息公开工作年度报告"


@pytest.fixture
def site() -> Iterator[tuple[Site, str]]:
    s = Site("hostile")
    base, stop = serve(s)
    yield s, base
    stop()


def _responses(data: Path) -> list[tuple[str, str, dict[str, str]]]:
    out = []
    for f in sorted((data / "raw").glob("*.warc.gz")):
        with open(f, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type == "response":
                    out.append((rec.rec_headers.get_header("WARC-Target-URI"), rec.http_headers.get_statuscode(),
                                dict(rec.rec_headers.headers)))
    return out


def test_chinese_file_names_and_queries_are_stored(site: tuple[Site, str], tmp_path: Path) -> None:
    s, base = site
    pdf, page = report_pdf("县财政局", 2024), report_html("县教育局", 2023)
    s.add(quote("/附件/2024年报告.pdf"), Resp(200, pdf, {"Content-Type": "application/pdf"}))
    s.add("/show?name=" + quote("年报"), Resp(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"}))
    # a redirect whose Location is a raw UTF-8 IRI, as servers send it (latin-1 on the wire = the UTF-8 bytes)
    s.add("/go", Resp(302, b"", {"Location": "/附件/2022年报告.html".encode().decode("latin-1")}))
    s.add(quote("/附件/2022年报告.html"), Resp(200, report_html("县卫生健康局", 2022).encode(),
                                           {"Content-Type": "text/html; charset=utf-8"}))
    s.html("/list/", f'<a href="/附件/2024年报告.pdf">县财政局2024年{T}</a>'
                     f'<a href="/show?name=年报">县教育局2023年{T}</a><a href="/go">县卫生健康局2022年{T}</a>')
    summary = run_crawl(fast_config(tmp_path), [Source("iri", base + "/list/")])
    assert summary.finished and not summary.errors
    want = {base + quote("/附件/2024年报告.pdf"), base + "/show?name=" + quote("年报"),
            base + quote("/附件/2022年报告.html")}
    with RawStore(tmp_path) as store:
        docs = {d.url: d for d in store.iter_documents(kind="report")}
        assert set(docs) == want
        assert store.read_body(docs[base + quote("/附件/2024年报告.pdf")]) == pdf
        iris = {r["iri"] for r in store.state.query("SELECT iri FROM frontier WHERE kind='report'")}
    assert base + "/附件/2024年报告.pdf" in iris  # the IRI as linked is kept beside the URI
    uris = {u for u, _code, _h in _responses(tmp_path)}
    assert want <= uris and all(u.isascii() for u in uris)


def test_oversized_robots_txt_first_500_kib_are_honoured(site: tuple[Site, str], tmp_path: Path) -> None:
    s, base = site
    robots = b"User-agent: *\nDisallow: /\n" + b"# padding line\n" * 45_000
    assert len(robots) > 600 * 1024
    s.add("/robots.txt", Resp(200, robots, {"Content-Type": "text/plain"}))
    s.html("/list/", f'<a href="/r/1.html">甲局2023年{T}</a>')
    summary = run_crawl(fast_config(tmp_path), [Source("bigrobots", base + "/list/")])
    assert [r.path for r in s.log] == ["/robots.txt"]  # Disallow: / at its top is honoured
    assert summary.robots_disallowed == 1 and summary.sources["bigrobots"].skipped == 1
    with RawStore(tmp_path) as store:
        logged = store.state.query("SELECT outcome FROM fetch_log WHERE url LIKE '%robots.txt'")
    assert [r["outcome"] for r in logged] == ["robots_parsed_first_500KiB"]


def test_robots_429_means_disallow_for_now(site: tuple[Site, str], tmp_path: Path) -> None:
    s, base = site
    s.add("/robots.txt", Resp(429, b"slow down"))
    s.html("/list/", f'<a href="/r/1.html">甲局2023年{T}</a>')
    summary = run_crawl(fast_config(tmp_path, robots_retry=0.05, robots_attempts=2), [Source("r429", base + "/list/")])
    assert [r.path for r in s.log] == ["/robots.txt", "/robots.txt"]
    assert summary.finished and summary.deferred == {"robots_unavailable": 1}
    assert not summary.complete


def test_infinite_pager_stops_at_its_bound_and_says_so(site: tuple[Site, str], tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    s, base = site

    def listing(n: int) -> str:
        return (f'<ul><li><a href="/r/{n}.html">第{n}局2023年{T}</a></li></ul>'
                f'<script>createPageHTML(100000, {n}, "index", "html");</script>')

    s.html("/col/index.html", listing(0))
    for n in range(1, 60):
        s.html(f"/col/index_{n}.html", listing(n))
    for n in range(60):
        s.html(f"/r/{n}.html", f"<h1>第{n}局2023年{T}</h1>")
    args = ["crawl", "--data-dir", str(tmp_path), "--seed", base + "/col/index.html", "--allow-host", "127.0.0.1",
            "--delay", "0", "--quiet", "--max-list-pages", "10"]
    assert main(args) == 0
    list_requests = [r for r in s.log if r.path.startswith("/col/")]
    assert len(list_requests) == 10  # the entry page and index_1 … index_9, nothing beyond the bound
    out = " ".join(capsys.readouterr().err.split())
    assert "1 incomplete listing(s)" in out and "declares 100000 pages; the bound allows 10" in out


@pytest.mark.parametrize(("name", "address"), [("meta.gov.cn", "100.64.0.1"), ("cloud.gov.cn", "100.100.100.200"),
                                               ("six.gov.cn", "2002:7f00:1::"), ("nat.gov.cn", "64:ff9b::7f00:1")])
def test_names_resolving_into_special_ranges_are_refused(site: tuple[Site, str], tmp_path: Path, name: str,
                                                          address: str) -> None:
    s, base = site
    port = base.rsplit(":", 1)[1]
    s.html("/list/", f'<a href="http://{name}:{port}/r.html">甲局2023年{T}</a>')

    async def resolve(host: str, p: int) -> list[str]:
        return {"portal.gov.cn": ["127.0.0.1"], name: [address]}[host]

    cfg = fast_config(tmp_path, allow_hosts=frozenset({"portal.gov.cn"}))
    run_crawl(cfg, [Source("addr", f"http://portal.gov.cn:{port}/list/")], resolve=resolve)
    with RawStore(tmp_path) as store:
        row = store.state.query("SELECT state, outcome, error FROM frontier WHERE kind='report'")[0]
    assert (row["state"], row["outcome"]) == ("failed", "host_not_allowed")
    assert f"resolves to refused address {address}" in row["error"]
    assert [r.path for r in s.log if r.path != "/robots.txt"] == ["/list/"]


@pytest.mark.parametrize("target", ["http://100.64.0.1/latest/", "http://[2002:7f00:1::]/", "http://[::ffff:127.0.0.1]/"])
def test_redirects_into_special_ranges_are_refused(site: tuple[Site, str], tmp_path: Path, target: str) -> None:
    s, base = site
    s.add("/r/1.html", Resp(302, b"", {"Location": target}))
    s.html("/list/", f'<a href="/r/1.html">甲局2023年{T}</a>')
    run_crawl(fast_config(tmp_path), [Source("redir", base + "/list/")])
    with RawStore(tmp_path) as store:
        row = store.state.query("SELECT outcome, error FROM frontier WHERE kind='report'")[0]
    assert row["outcome"] == "redirect_rejected" and "refused address" in row["error"]


def test_short_bodies_are_retried_and_never_stored_as_complete(site: tuple[Site, str], tmp_path: Path) -> None:
    s, base = site
    page = report_html("县审计局", 2023).encode()
    s.add("/r/short.html", Resp(200, page, {"Content-Type": "text/html"}, action="truncate"))
    cut = gzip.compress(page)[:600]  # a gzip stream cut short, its Content-Length matching what is sent
    s.add("/r/gzip.html", Resp(200, cut, {"Content-Type": "text/html", "Content-Encoding": "gzip"}))
    s.html("/list/", f'<a href="/r/short.html">县审计局2023年{T}</a><a href="/r/gzip.html">县统计局2023年{T}</a>')
    summary = run_crawl(fast_config(tmp_path, attempts=3), [Source("short", base + "/list/")])
    assert len(s.requests_to("/r/short.html")) == 3 and len(s.requests_to("/r/gzip.html")) == 3  # retried
    with RawStore(tmp_path) as store:
        assert list(store.iter_documents(kind="report")) == []
        rows = store.state.query("SELECT state, outcome FROM frontier WHERE kind='report'")
    assert [(r["state"], r["outcome"]) for r in rows] == [("failed", "truncated")] * 2
    assert summary.sources["short"].failed == 2
    cut_records = [h for u, _c, h in _responses(tmp_path) if u.startswith(base + "/r/")]
    assert len(cut_records) == 6 and all(h.get("WARC-Truncated") == "disconnect" for h in cut_records)


def test_run_with_deferred_urls_is_not_reported_as_plainly_finished(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    s = Site("later")
    base, stop = serve(s)
    for i in (1, 2):  # "come back in an hour": the host is left for the next run
        s.add(f"/r/{i}.html", Resp(503, b"busy", {"Retry-After": "3600"}))
    s.html("/list/", f'<a href="/r/1.html">甲局2023年{T}</a><a href="/r/2.html">乙局2023年{T}</a>')
    try:
        rc = main(["crawl", "--data-dir", str(tmp_path), "--seed", base + "/list/", "--allow-host", "127.0.0.1",
                   "--delay", "0", "--quiet", "--json"])
    finally:
        stop()
    assert rc == 0
    captured = capsys.readouterr()
    err = " ".join(captured.err.split())
    assert "1 URL(s) deferred to the next run (server_error: 1)" in err
    report = json.loads(captured.out)
    assert report["finished"] is True and report["complete"] is False
    assert report["deferred"] == {"server_error": 1}
    assert report["sources"][f"seed:{base}/list/"]["deferred"] == 1


def test_endless_next_page_chain_stops_at_the_per_source_bound(site: tuple[Site, str], tmp_path: Path) -> None:
    """A chain of 下一页 links declares nothing, so no listing bound applies; the per-source bound on
    list pages stops it, and the summary counts what it left."""
    s, base = site
    s.add("/col/", lambda req: Resp(200, b'<a href="/col/p1.html">' + "下一页".encode() + b"</a>",
                                    {"Content-Type": "text/html; charset=utf-8"}))
    for n in range(1, 200):
        s.html(f"/col/p{n}.html", f'<a href="/r/{n}.html">第{n}局2023年{T}</a><a href="/col/p{n + 1}.html">下一页</a>')
        s.html(f"/r/{n}.html", f"<h1>第{n}局2023年{T}</h1>")
    summary = run_crawl(fast_config(tmp_path, max_source_list_pages=12), [Source("chain", base + "/col/")])
    assert len(s.requests_to("/col/")) == 12  # the entry page and 11 more, then the bound
    assert summary.deferred == {"bound_12_list_pages_per_source": 1}
    assert summary.sources["chain"].deferred == 1 and not summary.complete
    with RawStore(tmp_path) as store:
        row = store.state.query("SELECT decision, reason FROM link_decisions WHERE url LIKE '%/col/p12.html'")[0]
    assert (row["decision"], row["reason"]) == ("skip", "bound:12_list_pages_per_source")
