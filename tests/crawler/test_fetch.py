"""fetch() on httpx.MockTransport: redirect checks incl. names resolving to private addresses,
block classification, conditional GET, error translation. No network, no server."""

from __future__ import annotations

import asyncio

import httpx

from crawler.fetch import FetchConfig, Fetcher, classify_block
from gongkai.model import FetchStatus

DNS = {"good.gov.cn": ["61.150.65.235"], "evil.gov.cn": ["10.0.0.5"], "also.gov.cn": ["124.93.205.130", "127.0.0.1"]}


async def fake_resolve(host: str, port: int) -> list[str]:
    if host not in DNS:
        raise OSError("NXDOMAIN")
    return DNS[host]


def _fetch(handler: httpx.MockTransport, url: str, **kw: object) -> object:
    async def go() -> object:
        f = Fetcher(FetchConfig(), transport=handler, resolve=fake_resolve)
        try:
            return await f.fetch(url, **kw)  # type: ignore[arg-type]
        finally:
            await f.aclose()

    return asyncio.run(go())


def test_redirect_to_a_name_resolving_to_a_private_address_is_refused() -> None:
    seen: list[str] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(str(req.url))
        return httpx.Response(302, headers={"Location": "http://evil.gov.cn/internal"})

    r = _fetch(httpx.MockTransport(handler), "http://good.gov.cn/a")
    assert r.status == FetchStatus.REDIRECT_REJECTED  # type: ignore[attr-defined]
    assert r.error == "evil.gov.cn resolves to private address 10.0.0.5"  # type: ignore[attr-defined]
    assert seen == ["http://good.gov.cn/a"]  # never connected to the private address


def test_direct_fetch_of_such_names_refused_and_any_private_answer_counts() -> None:
    transport = httpx.MockTransport(lambda req: httpx.Response(200, text="x"))
    for host in ("evil.gov.cn", "also.gov.cn"):
        r = _fetch(transport, f"http://{host}/")
        assert r.status == FetchStatus.HOST_NOT_ALLOWED  # type: ignore[attr-defined]


def test_unresolvable_host_is_a_network_error() -> None:
    r = _fetch(httpx.MockTransport(lambda req: httpx.Response(200)), "http://nowhere.gov.cn/")
    assert r.status == FetchStatus.NETWORK_ERROR and r.retryable  # type: ignore[attr-defined]


def test_conditional_get_headers_and_304() -> None:
    got: dict[str, str] = {}

    def handler(req: httpx.Request) -> httpx.Response:
        got.update(req.headers)
        return httpx.Response(304)

    r = _fetch(httpx.MockTransport(handler), "http://good.gov.cn/r.html", etag='"abc"',
               last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    assert r.status == FetchStatus.NOT_MODIFIED  # type: ignore[attr-defined]
    assert got["if-none-match"] == '"abc"' and got["if-modified-since"].startswith("Mon")
    assert got["user-agent"].startswith("gongkai/")


def test_transport_errors_translated() -> None:
    def handler(req: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=req)

    r = _fetch(httpx.MockTransport(handler), "http://good.gov.cn/")
    assert r.status == FetchStatus.TIMEOUT and r.retryable  # type: ignore[attr-defined]


def test_block_classification() -> None:
    assert classify_block(412, b"<script>$_ts={}</script>", "text/html") == "challenge_412_ts"
    assert classify_block(418, b"", "text/html") == "waf_418"
    assert classify_block(403, b"", "text/html") == "forbidden_403"
    assert classify_block(200, "<p>抱歉，您访问的页面不存在</p>".encode(), "text/html") == "soft_404"
    assert classify_block(200, b"<meta http-equiv='refresh' content='0;url=/x'>", "text/html") == "stub"
    assert classify_block(200, b"<script>var cfg = 1;</script>", "text/html") is None  # a JS shell is content
    assert classify_block(200, "页面不存在".encode() + b"x" * 5000, "text/html") is None  # long page mentioning it
    assert classify_block(200, b"%PDF-1.4 tiny", "application/pdf") is None
