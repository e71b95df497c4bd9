"""Connect only to the addresses that were checked: the crawler's own resolver runs at connect time,
and a name that resolves to an address that is not globally routable (crawler/addrguard.py) is
refused there — so a DNS
answer that changes between the check and the connection (rebinding) cannot reach the inside.

Hosts on the explicit allow-list (127.0.0.1 in tests, registered bare-IP portals) skip the address
check but still go through the same resolver, so tests can map names to 127.0.0.1 (virtual hosts).
TLS still verifies the certificate against the original host name (httpcore passes it as SNI).
"""

from __future__ import annotations

import ssl
import typing
from collections.abc import Awaitable, Callable

import httpcore
import httpx

from crawler.addrguard import address_refused

__all__ = ["GuardedBackend", "guarded_transport"]

Resolver = Callable[[str, int], Awaitable[list[str]]]


class GuardedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, resolve: Resolver, allow_hosts: frozenset[str]) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._resolve = resolve
        self._allow = allow_hosts

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await self._resolve(host, port)
        except OSError as e:
            raise httpcore.ConnectError(f"cannot resolve {host}: {e}") from e
        if not addresses:
            raise httpcore.ConnectError(f"no address for {host}")
        if host.lower() not in self._allow:
            bad = [why for a in addresses if (why := address_refused(a))]
            if bad:
                raise httpcore.ConnectError(f"refused: {host} resolves to refused address {bad[0]}")
        return await self._inner.connect_tcp(addresses[0], port, timeout=timeout, local_address=local_address,
                                             socket_options=socket_options)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not crawled")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def guarded_transport(resolve: Resolver, allow_hosts: frozenset[str], limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connection pool dials through GuardedBackend.

    httpx does not expose the pool's network backend, so the pool it builds is replaced (`_pool`,
    stable in httpx 0.2x, which pyproject pins); tests/crawler/test_fetch.py fails if that stops working."""
    transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=ssl.create_default_context(),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        http1=True,
        http2=False,
        network_backend=GuardedBackend(resolve, allow_hosts),
    )
    return transport
