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
    assert r.error == "evil.gov.cn resolves to refused address 10.0.0.5: special-use range 10.0.0.0/8"  # type: ignore[attr-defined]
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


def test_connections_dial_only_checked_addresses_against_dns_rebinding() -> None:
    """The pre-check sees a public address, the connection-time lookup a loopback one: refused at
    connect time, and the local server never sees a request."""
    from demo.server import Resp, Site, serve

    site = Site("inside")
    base, stop = serve(site)
    port = base.rsplit(":", 1)[1]
    site.add("/secret", Resp(200, b"internal"))
    answers = {"rebind.gov.cn": [["61.150.65.235"], ["127.0.0.1"]]}

    async def rebinding(host: str, p: int) -> list[str]:
        seq = answers[host]
        return seq.pop(0) if len(seq) > 1 else seq[0]

    async def go() -> object:
        f = Fetcher(FetchConfig(total_timeout=5), resolve=rebinding)
        try:
            return await f.fetch(f"http://rebind.gov.cn:{port}/secret")
        finally:
            await f.aclose()

    try:
        r = asyncio.run(go())
    finally:
        stop()
    assert r.status == FetchStatus.NETWORK_ERROR  # type: ignore[attr-defined]
    assert "resolves to refused address 127.0.0.1" in (r.error or "")  # type: ignore[attr-defined]
    assert site.log == []


def test_allowed_names_go_through_the_same_resolver_as_virtual_hosts() -> None:
    from demo.server import Resp, Site, serve

    site = Site("vhost")
    base, stop = serve(site)
    port = base.rsplit(":", 1)[1]
    site.add("/ok", Resp(200, b"hello"))

    async def local(host: str, p: int) -> list[str]:
        return ["127.0.0.1"]

    async def go() -> object:
        f = Fetcher(FetchConfig(total_timeout=5, allow_hosts=frozenset({"portal.gov.cn"})), resolve=local)
        try:
            return await f.fetch(f"http://portal.gov.cn:{port}/ok")
        finally:
            await f.aclose()

    try:
        r = asyncio.run(go())
    finally:
        stop()
    assert r.status == FetchStatus.FETCHED and r.body == b"hello"  # type: ignore[attr-defined]
    assert [x.path for x in site.log] == ["/ok"]
