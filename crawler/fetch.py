"""One request → FetchResult. httpx errors are translated here and nowhere else.

Redirects are followed by hand so each hop is checked (scheme, allow-list, private addresses);
the body is streamed under a byte cap and an overall deadline (a trickling body cannot hold a slot
forever); block pages are recognised and reported, never solved.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from crawler.addrguard import address_refused
from crawler.charset import form_charset_of
from crawler.netguard import guarded_transport
from crawler.select import host_allowed
from gongkai.model import FetchStatus
from gongkai.store.iri import iri_to_uri, percent_encode

__all__ = ["FetchConfig", "FetchResult", "Fetcher", "Resolver", "classify_block", "form_body", "parse_retry_after"]

USER_AGENT = "gongkai/0.1 (research crawler for government disclosure reports; polite; +robots.txt)"


@dataclass(frozen=True)
class FetchConfig:
    max_bytes: int = 50 * 1024 * 1024
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # whole request incl. body: a trickling body ends here
    max_redirects: int = 5
    allow_hosts: frozenset[str] = frozenset()  # beyond .gov.cn; these may also be private addresses
    user_agent: str = USER_AGENT


@dataclass
class FetchResult:
    url: str  # requested URL
    final_url: str
    status: FetchStatus
    http_status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    retry_after: float | None = None
    elapsed: float = 0.0
    redirects: list[str] = field(default_factory=list)
    hops: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)  # redirect responses seen
    request_headers: dict[str, str] = field(default_factory=dict)

    cut_at_cap: bool = False  # `fetch(truncate=True)`: the body is the first max_bytes only (robots.txt)

    @property
    def retryable(self) -> bool:
        return self.status in (FetchStatus.TIMEOUT, FetchStatus.NETWORK_ERROR, FetchStatus.SERVER_ERROR,
                               FetchStatus.RATE_LIMITED, FetchStatus.TRUNCATED)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    if not value:
        return None
    v = value.strip()
    if v.isdigit():
        return float(v)
    try:
        when = parsedate_to_datetime(v)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def form_body(form: dict[str, str], charset: str | None = None) -> bytes:
    """application/x-www-form-urlencoded in `charset` (the page's, as a browser submits a form; None:
    UTF-8); a character the charset lacks is sent as `&#N;` (WHATWG urlencoded serializer)."""
    enc = form_charset_of(charset)
    return "&".join(percent_encode(k, enc, _FORM_SAFE, space_as_plus=True) + "="
                    + percent_encode(v, enc, _FORM_SAFE, space_as_plus=True) for k, v in form.items()).encode("ascii")


_FORM_SAFE = "*-._"  # the application/x-www-form-urlencoded percent-encode set leaves these


_SOFT_404 = re.compile("页面不存在|找不到|访问的页面不存在|页面已删除|404 Not Found|您访问的页面".encode(), re.I)
_STUB = re.compile(rb"location\.(?:href|replace)|window\.location|http-equiv=.?refresh", re.I)


def classify_block(http_status: int, body: bytes, content_type: str) -> str | None:
    """Reason a response is a block page (412 `$_ts`, 418, 403, tiny stub, soft 404), else None."""
    if http_status == 412:
        return "challenge_412_ts" if b"$_ts" in body else "precondition_412"
    if http_status == 418:
        return "waf_418"
    if http_status == 403:
        return "forbidden_403"
    if http_status == 200 and ("html" in content_type or not content_type):
        if len(body) < 400 and _STUB.search(body) and b"<a " not in body:
            return "stub"
        if len(body) < 3000 and _SOFT_404.search(body):
            return "soft_404"
    return None


class _TooLarge(Exception):
    pass


class _Truncated(Exception):
    """The body ended before the length the response declared."""


Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


class Fetcher:
    """Owns one httpx.AsyncClient; `fetch` never raises for network or HTTP trouble."""

    def __init__(self, config: FetchConfig, transport: httpx.AsyncBaseTransport | None = None,
                 resolve: Resolver | None = None) -> None:
        self.config = config
        self._resolve = resolve or system_resolve
        self._resolved: dict[str, list[str]] = {}
        timeout = httpx.Timeout(config.read_timeout, connect=config.connect_timeout)
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        if transport is None:  # dial only checked addresses (see netguard.py)
            transport = guarded_transport(self._resolve, config.allow_hosts, limits)
        self.client = httpx.AsyncClient(follow_redirects=False, timeout=timeout, transport=transport,
                                        headers={"User-Agent": config.user_agent}, trust_env=False, limits=limits)

    async def aclose(self) -> None:
        await self.client.aclose()

    def check_target(self, url: str) -> str | None:
        """Why `url` may not be fetched (scheme, allow-list, private IP literal), or None."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return f"scheme {parts.scheme or '?'} not allowed"
        host = (parts.hostname or "").lower()
        if host in self.config.allow_hosts:
            return None
        why = address_refused(host)
        if why or host == "localhost" or host.endswith(".localhost"):
            return f"refused address {why or host}"
        if not host_allowed(host, self.config.allow_hosts):
            return f"host {host} not on the allow-list"
        return None

    async def _check_resolved(self, url: str) -> str | None:
        """A host name that resolves to an address that is not globally routable is refused too.
        (Checked once per host per run; httpx resolves again when connecting, so this guards against
        misconfigured or hostile DNS records, not against a resolver that changes its answer.)"""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if host in self.config.allow_hosts or _is_ip(host):
            return None
        if host not in self._resolved:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            try:
                self._resolved[host] = await self._resolve(host, port)
            except OSError as e:
                raise httpx.ConnectError(f"cannot resolve {host}: {e}") from e
        bad = [why for ip in self._resolved[host] if (why := address_refused(ip))]
        return f"{host} resolves to refused address {bad[0]}" if bad else None

    async def fetch(self, url: str, *, method: str = "GET", form: dict[str, str] | None = None,
                    etag: str | None = None, last_modified: str | None = None,
                    max_bytes: int | None = None, truncate: bool = False, charset: str | None = None) -> FetchResult:
        """`truncate=True` keeps the first `max_bytes` of a longer body instead of failing (robots.txt:
        RFC 9309 asks to parse at least the first 500 KiB)."""
        start = time.monotonic()
        result = FetchResult(url=url, final_url=url, status=FetchStatus.NETWORK_ERROR)
        problem = self.check_target(url)
        try:
            async with asyncio.timeout(self.config.total_timeout):
                problem = problem or await self._check_resolved(url)
                if problem:
                    result.status, result.error = FetchStatus.HOST_NOT_ALLOWED, problem
                    result.elapsed = time.monotonic() - start
                    return result
                await self._follow(result, method, form, etag, last_modified, max_bytes or self.config.max_bytes,
                                   truncate, charset)
        except TimeoutError:
            result.status, result.error = FetchStatus.TIMEOUT, f"no complete response in {self.config.total_timeout}s"
        except httpx.TimeoutException as e:
            result.status, result.error = FetchStatus.TIMEOUT, f"{type(e).__name__}: {e}"
        except _TooLarge as e:
            result.status, result.error, result.body = FetchStatus.TOO_LARGE, str(e), b""
        except _Truncated as e:
            result.status, result.error = FetchStatus.TRUNCATED, str(e)
        except httpx.RemoteProtocolError as e:
            # h11 says so when the connection closes before the declared Content-Length
            short = "complete message body" in str(e) or "incomplete" in str(e).lower()
            result.status = FetchStatus.TRUNCATED if short else FetchStatus.NETWORK_ERROR
            result.error = f"{type(e).__name__}: {e}"
        except (httpx.TransportError, httpx.InvalidURL, httpx.DecodingError) as e:
            result.status, result.error = FetchStatus.NETWORK_ERROR, f"{type(e).__name__}: {e}"
        result.elapsed = time.monotonic() - start
        return result

    async def _follow(self, result: FetchResult, method: str, form: dict[str, str] | None, etag: str | None,
                      last_modified: str | None, max_bytes: int, truncate: bool = False,
                      charset: str | None = None) -> None:
        url = result.url
        seen = {url}
        for _hop in range(self.config.max_redirects + 1):
            headers: dict[str, str] = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            body = None
            if form is not None:
                body = form_body(form, charset)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            result.request_headers = {"User-Agent": self.config.user_agent, **headers}
            req = self.client.build_request(method, url, headers=headers, content=body)
            resp = await self.client.send(req, stream=True)
            try:
                result.final_url = url
                result.http_status = resp.status_code
                result.headers = dict(resp.headers)
                if resp.is_redirect and "location" in resp.headers:
                    result.hops.append((url, resp.status_code, dict(resp.headers)))
                    nxt = iri_to_uri(urljoin(url, _location(resp)))
                    result.redirects.append(nxt)
                    problem = self.check_target(nxt) or await self._check_resolved(nxt)
                    if problem:
                        result.status, result.error = FetchStatus.REDIRECT_REJECTED, problem
                        return
                    if nxt in seen:
                        result.status, result.error = FetchStatus.REDIRECT_LOOP, f"loop back to {nxt}"
                        return
                    seen.add(nxt)
                    url = nxt
                    etag = last_modified = None  # validators belong to the first URL only
                    if resp.status_code in (301, 302, 303) and method == "POST":
                        method, form = "GET", None  # as browsers do; 307/308 keep the method
                    continue
                result.body, result.cut_at_cap = await _read_capped(resp, max_bytes, truncate)
            finally:
                await resp.aclose()
            self._classify(result, resp)
            return
        result.status, result.error = FetchStatus.REDIRECT_LOOP, f"more than {self.config.max_redirects} redirects"

    def _classify(self, result: FetchResult, resp: httpx.Response) -> None:
        code = resp.status_code
        ctype = resp.headers.get("content-type", "").lower()
        if code == 304:
            result.status = FetchStatus.NOT_MODIFIED
            return
        block = classify_block(code, result.body, ctype)
        if block:
            result.status, result.error = FetchStatus.BLOCKED, block
            result.retry_after = parse_retry_after(resp.headers.get("retry-after"))
            return
        if code == 429:
            result.status, result.error = FetchStatus.RATE_LIMITED, "429"
            result.retry_after = parse_retry_after(resp.headers.get("retry-after"))
        elif code >= 500:
            result.status, result.error = FetchStatus.SERVER_ERROR, str(code)
            result.retry_after = parse_retry_after(resp.headers.get("retry-after"))
        elif code >= 400:
            result.status, result.error = FetchStatus.HTTP_ERROR, str(code)
        else:
            result.status = FetchStatus.FETCHED


def _location(resp: httpx.Response) -> str:
    """The Location header as the server meant it: servers send raw UTF-8 IRIs, which httpx decodes as
    Latin-1."""
    raw = next((v for k, v in resp.headers.raw if k.lower() == b"location"), b"")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return resp.headers["location"]


async def _read_capped(resp: httpx.Response, max_bytes: int, truncate: bool = False) -> tuple[bytes, bool]:
    """(body, cut at the cap). A body over the cap fails (`too_large`) unless `truncate`; a body
    shorter than its Content-Length, or a gzip/deflate stream that stops before its end, fails as
    `truncated` (never stored as if complete)."""
    declared = resp.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes and not truncate:
        raise _TooLarge(f"declared {declared} bytes > cap {max_bytes}")
    encoding = resp.headers.get("content-encoding", "").strip().lower()
    inflate = _Inflater(encoding) if encoding in ("gzip", "x-gzip", "deflate") else None
    chunks: list[bytes] = []
    size = 0
    stream = resp.aiter_raw() if inflate else resp.aiter_bytes()
    async for raw in stream:
        chunk = inflate.feed(raw) if inflate else raw
        if size + len(chunk) > max_bytes:
            if truncate:
                chunks.append(chunk[: max_bytes - size])
                return b"".join(chunks), True
            raise _TooLarge(f"body over cap {max_bytes} bytes")
        size += len(chunk)
        chunks.append(chunk)
    bodyless = resp.request.method == "HEAD" or resp.status_code in (204, 304) or resp.status_code < 200
    if declared and declared.isdigit() and resp.num_bytes_downloaded < int(declared) and not bodyless:
        raise _Truncated(f"body ended after {resp.num_bytes_downloaded} of {declared} bytes")
    if inflate and not bodyless and resp.num_bytes_downloaded and not inflate.done:
        raise _Truncated(f"{encoding} stream ended before its end ({resp.num_bytes_downloaded} bytes received)")
    return b"".join(chunks), False


class _Inflater:
    """gzip/deflate decoding that knows whether the stream reached its end (httpx's decoder does not
    say: a cut gzip stream decodes to a shorter body without an error)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._d = zlib.decompressobj(zlib.MAX_WBITS | 16 if encoding != "deflate" else zlib.MAX_WBITS)
        self._first = True

    def feed(self, data: bytes) -> bytes:
        try:
            out = self._d.decompress(data)
        except zlib.error:
            if not (self._first and self.encoding == "deflate"):
                raise httpx.DecodingError(f"bad {self.encoding} stream") from None
            self._d = zlib.decompressobj(-zlib.MAX_WBITS)  # "deflate" sent as a raw stream, as some servers do
            out = self._d.decompress(data)
        self._first = False
        return out

    @property
    def done(self) -> bool:
        return self._d.eof
