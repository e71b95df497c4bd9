"""Fault matrix against a real server on 127.0.0.1: every fault is either survived (the report is
stored once the fault passes) or recorded with its status, and the rest of the run goes on."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.sites import Source
from demo.server import Req, Resp, Site, serve
from gongkai.store import RawStore
from tests.crawler.conftest import fast_config, run_crawl

T = "政府信息公开工作年度报告"


def _page(i: int) -> bytes:
    return f"<html><head><meta charset='utf-8'></head><body><h1>第{i}局2023年{T}</h1>{'正文' * 200}</body></html>".encode()


def _ok(i: int) -> Resp:
    return Resp(200, _page(i), {"Content-Type": "text/html; charset=utf-8"})


def first(n: int, fault: Resp, i: int) -> Callable[[Req], Resp]:
    """The fault for the first `n` requests, then the real page (a transient failure)."""
    return lambda req: fault if req.count <= n else _ok(i)


TRANSIENT: dict[str, Callable[[int], Callable[[Req], Resp]]] = {
    "timeout": lambda i: first(1, Resp(action="hang", pause=3.0), i),
    "reset": lambda i: first(1, Resp(200, _page(i), {"Content-Type": "text/html"}, action="reset"), i),
    "http500": lambda i: first(2, Resp(500, b"<html>Internal Server Error</html>"), i),
    "http503": lambda i: first(1, Resp(503, b"busy", {"Retry-After": "1"}), i),
    "http429": lambda i: first(1, Resp(429, b"slow down", {"Retry-After": "1"}), i),
    "trickle": lambda i: first(1, Resp(200, _page(i)[:60], {"Content-Type": "text/html"}, action="trickle",
                                       pause=0.1), i),
    "truncated": lambda i: first(1, Resp(200, _page(i), {"Content-Type": "text/html"}, action="truncate"), i),
}
# wrong declared charset is not a failure: bytes are stored as sent, and the title must still be read
GBK_BODY = f"<html><body><h1>某局2023年{T}</h1></body></html>".encode("gbk")
PERMANENT: dict[str, tuple[Resp | None, str, str | None]] = {
    "ts412": (Resp(412, b"<html><script>$_ts=window['$_ts'];$_ts.cd='x';</script></html>"), "blocked",
              "challenge_412_ts"),
    "waf418": (Resp(418, "<html>访问被拦截！</html>".encode()), "blocked", "waf_418"),
    "http404": (Resp(404, b"<html>no</html>"), "http_error", "404"),
    "loop": (None, "redirect_loop", None),
    "chain": (None, "redirect_loop", "more than 5 redirects"),
    "private": (Resp(302, b"", {"Location": "http://10.20.30.40/report.html"}), "redirect_rejected",
                "refused address 10.20.30.40: special-use range 10.0.0.0/8"),
    "metadata": (Resp(302, b"", {"Location": "http://169.254.169.254/latest/"}), "redirect_rejected", None),
    "file": (Resp(302, b"", {"Location": "file:///etc/passwd"}), "redirect_rejected", "scheme file not allowed"),
    "offsite": (Resp(301, b"", {"Location": "http://365betchina.com/r.html"}), "redirect_rejected", None),
    "huge": (Resp(200, b"", {"Content-Type": "text/html"}, action="huge"), "too_large", "body over cap 1048576 bytes"),
    "declared": (Resp(200, b"", {"Content-Type": "text/html", "Content-Length": str(1 << 30)}, action="huge"),
                 "too_large", f"declared {1 << 30} bytes > cap 1048576"),
}


@pytest.fixture
def fault_site() -> Iterator[tuple[Site, str]]:
    site = Site("faults")
    base, stop = serve(site)
    items = []
    for i, name in enumerate(TRANSIENT):
        site.add(f"/r/{name}.html", TRANSIENT[name](i))
        items.append((f"/r/{name}.html", f"第{i}局2023年{T}"))
    site.add("/r/charset.html", Resp(200, GBK_BODY, {"Content-Type": "text/html; charset=utf-8"}))
    items.append(("/r/charset.html", f"第98局2023年{T}"))
    site.add("/r/moved.html", Resp(301, b"", {"Location": "/r/target.html"}))
    site.add("/r/target.html", _ok(99))
    items.append(("/r/moved.html", f"第99局2023年{T}"))
    for name, (resp, _o, _e) in PERMANENT.items():
        if name == "chain":  # 7 distinct hops: over the redirect limit though never a loop
            for k in range(7):
                site.add("/r/chain.html" if k == 0 else f"/r/chain{k}.html",
                         Resp(302, b"", {"Location": f"/r/chain{k + 1}.html"}))
        elif name == "loop":
            site.add("/r/loop.html", Resp(302, b"", {"Location": "/r/loop2.html"}))
            site.add("/r/loop2.html", Resp(302, b"", {"Location": "/r/loop.html"}))
        else:
            assert resp is not None
            site.add(f"/r/{name}.html", resp)
        items.append((f"/r/{name}.html", f"{name}局2023年{T}"))
    lis = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in items)
    # the list itself declares utf-8 in the header but is GBK: titles must still be recognised
    site.add("/list/", Resp(200, f"<html><body><ul>{lis}</ul></body></html>".encode("gbk"),
                            {"Content-Type": "text/html; charset=utf-8"}))
    yield site, base
    stop()


def test_fault_matrix(fault_site: tuple[Site, str], tmp_path: Path) -> None:
    site, base = fault_site
    cfg = fast_config(tmp_path, read_timeout=0.5, total_timeout=1.5, max_page_bytes=1024 * 1024, attempts=4,
                      block_limit=10)
    started = time.monotonic()
    summary = run_crawl(cfg, [Source("faults", base + "/list/")], timeout=90)
    assert time.monotonic() - started < 90
    with RawStore(tmp_path) as store:
        stored = {d.url: store.read_body(d) for d in store.iter_documents(kind="report")}
        outcome = {r["url"]: (r["outcome"], r["error"]) for r in store.state.query(
            "SELECT url, outcome, error FROM frontier WHERE kind='report'")}
    # transient faults: nothing lost — each report stored exactly as served once the fault passed
    for i, name in enumerate(TRANSIENT):
        url = f"{base}/r/{name}.html"
        assert stored.get(url) == _page(i), (name, outcome.get(url))
    assert stored[f"{base}/r/charset.html"] == GBK_BODY
    assert stored[f"{base}/r/target.html"] == _page(99)  # a same-host redirect is followed; the final URL
    assert f"{base}/r/moved.html" not in stored  # is the one that served the bytes
    # permanent faults: recorded with their status, never stored as reports
    for name, (_resp, want, err) in PERMANENT.items():
        url = f"{base}/r/{name}.html"
        assert url not in stored, name
        got, got_err = outcome[url]
        assert got == want, (name, got, got_err)
        if err:
            assert got_err == err
    # 4xx other than 429 are not retried; block pages are not retried within the run
    for name in ("http404", "ts412", "waf418"):
        assert len(site.requests_to(f"/r/{name}.html")) == 1
    assert len(site.requests_to("/r/http500.html")) == 3  # two 500s, then success
    assert summary.finished
    assert summary.requests < 60  # bounded
    # every response is in WARC, not only the stored documents: hops, retried 5xx, block pages
    seen: list[tuple[str, str]] = []
    for f in sorted((tmp_path / "raw").glob("*.warc.gz")):
        with open(f, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type == "response":
                    seen.append((rec.rec_headers.get_header("WARC-Target-URI")[len(base):],
                                 rec.http_headers.get_statuscode()))
    assert seen.count(("/r/http500.html", "500")) == 2 and ("/r/http500.html", "200") in seen
    assert ("/r/moved.html", "301") in seen and ("/r/target.html", "200") in seen
    assert ("/r/moved.html", "200") not in seen
    assert ("/r/ts412.html", "412") in seen and ("/r/private.html", "302") in seen
    assert seen.count(("/r/loop.html", "302")) == 1 and seen.count(("/r/loop2.html", "302")) == 1


def test_retry_after_is_honoured(fault_site: tuple[Site, str], tmp_path: Path) -> None:
    site, base = fault_site
    run_crawl(fast_config(tmp_path, read_timeout=0.5, total_timeout=1.5, max_page_bytes=1024 * 1024,
                          block_limit=10), [Source("faults", base + "/list/")], timeout=90)
    for name in ("http429", "http503"):
        reqs = site.requests_to(f"/r/{name}.html")
        assert len(reqs) == 2
        assert reqs[1].start - reqs[0].end >= 0.9 * 1.0  # Retry-After: 1


def test_host_left_alone_after_repeated_blocks(tmp_path: Path) -> None:
    site = Site("waf")
    base, stop = serve(site)
    try:
        lis = "".join(f'<a href="/r/{i}.html">第{i}局2023年{T}</a>' for i in range(6))
        site.html("/list/", f"<html><body>{lis}</body></html>")
        for i in range(6):
            site.add(f"/r/{i}.html", Resp(418, "访问被拦截！".encode()))
        summary = run_crawl(fast_config(tmp_path, block_limit=2), [Source("waf", base + "/list/")])
    finally:
        stop()
    assert len(site.requests_to("/r/")) == 2  # backed off after two blocks; never pushed further
    assert summary.sources["waf"].blocked == 6
    with RawStore(tmp_path) as store:
        states = [r["state"] for r in store.state.query("SELECT state FROM frontier WHERE kind='report'")]
    assert states == ["blocked"] * 6
    assert summary.finished  # blocked URLs are retried by the next run, not hammered now


def test_soft_404_and_stub_are_blocked_not_reports(tmp_path: Path) -> None:
    site = Site("soft")
    base, stop = serve(site)
    try:
        site.html("/list/", f'<a href="/r/a.html">甲局2023年{T}</a><a href="/r/b.html">乙局2023年{T}</a>')
        site.html("/r/a.html", "<html><body>对不起，您访问的页面不存在！</body></html>")
        site.html("/r/b.html", "<html><script>window.location.href='/r/b.html?x=1'</script></html>")
        run_crawl(fast_config(tmp_path), [Source("soft", base + "/list/")])
    finally:
        stop()
    with RawStore(tmp_path) as store:
        assert list(store.iter_documents(kind="report")) == []
        errs = sorted(r["error"] for r in store.state.query("SELECT error FROM frontier WHERE kind='report'"))
    assert errs == ["soft_404", "stub"]


def test_long_retry_after_defers_the_host_to_the_next_run(tmp_path: Path) -> None:
    site = Site("later")
    base, stop = serve(site)
    try:
        site.html("/list/", "".join(f'<a href="/r/{i}.html">第{i}局2023年{T}</a>' for i in range(4)))
        for i in range(4):
            site.add(f"/r/{i}.html", Resp(429, b"busy", {"Retry-After": "3600"}))
        summary = run_crawl(fast_config(tmp_path, max_retry_after=5.0), [Source("later", base + "/list/")])
    finally:
        stop()
    assert len(site.requests_to("/r/")) == 1  # not retried, not walked through the other URLs
    assert summary.finished
    with RawStore(tmp_path) as store:
        rows = store.state.query("SELECT state, outcome FROM frontier WHERE kind='report' ORDER BY seq")
    assert [r["state"] for r in rows] == ["failed", "deferred", "deferred", "deferred"]
    assert {r["outcome"] for r in rows} == {"rate_limited"}


def test_retry_after_http_date() -> None:
    from datetime import UTC, datetime

    from crawler.fetch import parse_retry_after

    now = datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Thu, 01 Jan 2026 00:00:30 GMT", now) == 30.0
    assert parse_retry_after("Wed, 31 Dec 2025 00:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon") is None


def test_a_crash_on_one_url_is_recorded_and_the_run_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug of ours on one URL (simulated by a store that fails on it) fails that URL, not the run."""
    site = Site("crashy")
    base, stop = serve(site)
    try:
        site.html("/list/", "".join(f'<a href="/r/{i}.html">第{i}局2023年{T}</a>' for i in range(3)))
        for i in range(3):
            site.add(f"/r/{i}.html", _ok(i))
        real_add = RawStore.add

        def add(self: RawStore, url: str, body: bytes, **kw: object) -> object:
            if url.endswith("/r/1.html"):
                raise ValueError("boom")
            return real_add(self, url, body, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(RawStore, "add", add)
        summary = run_crawl(fast_config(tmp_path), [Source("crashy", base + "/list/")])
    finally:
        stop()
    assert summary.finished and any("boom" in e for e in summary.errors)
    with RawStore(tmp_path) as store:
        assert {d.url for d in store.iter_documents(kind="report")} == {f"{base}/r/0.html", f"{base}/r/2.html"}
        row = store.state.query("SELECT outcome, error FROM frontier WHERE url LIKE '%/r/1.html'")[0]
    assert row["outcome"] == "crashed" and row["error"].startswith("ValueError: boom")
    assert len(site.requests_to("/r/1.html")) == 1


def test_attachments_capped_and_typed_by_magic_bytes(tmp_path: Path) -> None:
    site = Site("atts")
    base, stop = serve(site)
    big = b"%PDF-1.4\n" + b"0" * 300_000
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    try:
        site.html("/list/", f'<a href="/r/1.html">甲局2023年{T}</a>')
        site.html("/r/1.html", f"<html><body><h1>甲局2023年{T}</h1>{'正文' * 300}"
                               '<a href="/f/big.pdf">附件一</a><a href="/f/report.doc">附件二</a>'
                               '<a href="/f/fake.pdf">附件三</a><a href="/down?fileurl=abc">下载</a></body></html>')
        site.add("/f/big.pdf", Resp(200, big, {"Content-Type": "application/pdf"}))
        site.add("/f/report.doc", Resp(200, ole, {"Content-Type": "application/octet-stream"}))
        site.add("/f/fake.pdf", Resp(200, b"<html><body>please log in</body></html>", {"Content-Type": "text/html"}))
        site.add("/down", Resp(200, b"%PDF-1.7 tiny", {"Content-Type": "application/force-download"}))
        run_crawl(fast_config(tmp_path, max_attachment_bytes=100_000), [Source("atts", base + "/list/")])
    finally:
        stop()
    with RawStore(tmp_path) as store:
        atts = {d.url[len(base):]: d for d in store.iter_documents(kind="attachment")}
        outcomes = {r["url"][len(base):]: r["outcome"]
                    for r in store.state.query("SELECT url, outcome FROM frontier WHERE kind='attachment'")}
        assert set(atts) == {"/f/report.doc", "/down?fileurl=abc"}
        assert atts["/f/report.doc"].content_type == "application/x-ole-storage"
        assert atts["/down?fileurl=abc"].content_type == "application/pdf"
        assert all(a.parent_url == f"{base}/r/1.html" and a.report_year == 2023 for a in atts.values())
        assert store.read_body(atts["/f/report.doc"]) == ole
    assert outcomes["/f/big.pdf"] == "too_large" and outcomes["/f/fake.pdf"] == "not_an_attachment"
