"""A real HTTP server on 127.0.0.1 (free port) serving a generated site and a fault catalogue.

Used by `make demo`, the crawler tests and the benchmark. It only ever binds 127.0.0.1. Each site
logs every request (arrival and end time, method, path) and the peak number in flight, so tests
measure politeness from the server's side rather than trusting the client.

Fault actions: reset (RST mid-response), truncate (Content-Length larger than the body), trickle
(one byte at a time), hang (no answer for a while), huge (a lazily generated endless body).
"""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

__all__ = ["LoggedRequest", "Req", "Resp", "Site", "serve"]

HOST = "127.0.0.1"


@dataclass
class Resp:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    action: str | None = None  # reset | truncate | trickle | hang | huge
    pause: float = 0.0  # seconds for hang / per byte for trickle


@dataclass(frozen=True)
class Req:
    method: str
    path: str  # path + query
    form: dict[str, str]  # the body read as a UTF-8 form
    count: int  # how many times this method+path has been requested, 1-based
    body: bytes = b""  # the raw request body (a form in another charset)


Route = Resp | Callable[[Req], Resp]


@dataclass(frozen=True)
class LoggedRequest:
    start: float  # time.monotonic() at arrival
    end: float
    method: str
    path: str
    status: int


class Site:
    """Routes keyed by path (with query when given). Unknown paths get 404, `/robots.txt` 404 by default."""

    def __init__(self, name: str = "site") -> None:
        self.name = name
        self.routes: dict[str, Route] = {}
        self.log: list[LoggedRequest] = []
        self.inflight = 0
        self.max_inflight = 0
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def add(self, path: str, route: Route) -> None:
        self.routes[path] = route

    def html(self, path: str, body: str, *, charset: str = "utf-8", declare: str | None = None) -> None:
        """A page encoded in `charset`; the header declares `declare` (default: the same charset).
        Pages carry an ETag (hash of the bytes) so refresh crawls can make conditional GETs."""
        data = body.encode(charset)
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        self.routes[path] = Resp(200, data, {"Content-Type": f"text/html; charset={declare or charset}", "ETag": etag})

    def requests_to(self, prefix: str = "") -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.log if r.path.startswith(prefix)]

    def _enter(self, key: str) -> int:
        with self._lock:
            self.inflight += 1
            self.max_inflight = max(self.max_inflight, self.inflight)
            self._counts[key] = self._counts.get(key, 0) + 1
            return self._counts[key]

    def _exit(self, rec: LoggedRequest) -> None:
        with self._lock:
            self.inflight -= 1
            self.log.append(rec)

    def resolve(self, method: str, path: str, form: dict[str, str], count: int, body: bytes = b"") -> Resp:
        route = self.routes.get(path) or self.routes.get(urlsplit(path).path)
        if route is None:
            return Resp(404, b"<html><body>not found</body></html>", {"Content-Type": "text/html"})
        if isinstance(route, Resp):
            return route
        return route(Req(method, path, form, count, body))


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"
        server_version = "portal"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        def _serve(self, method: str) -> None:
            start = time.monotonic()
            form: dict[str, str] = {}
            raw = b""
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                raw = self.rfile.read(length)
                form = dict(parse_qsl(raw.decode("utf-8", "replace")))
            count = site._enter(f"{method} {self.path}")
            status = 0
            try:
                resp = site.resolve(method, self.path, form, count, raw)
                etag = resp.headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag and resp.status == 200:
                    resp = Resp(304, b"", {"ETag": etag})
                status = resp.status
                self._write(resp)
            except (BrokenPipeError, ConnectionResetError, TimeoutError, OSError):
                pass
            finally:
                site._exit(LoggedRequest(start, time.monotonic(), method, self.path, status))

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _write(self, resp: Resp) -> None:
            if resp.action == "hang":
                time.sleep(resp.pause)
                return
            self.send_response(resp.status)
            headers = dict(resp.headers)
            if resp.action == "truncate":
                headers["Content-Length"] = str(len(resp.body) * 2 + 100)
            elif resp.action != "huge":
                headers.setdefault("Content-Length", str(len(resp.body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if resp.action == "reset":
                self.wfile.write(resp.body[: len(resp.body) // 3])
                self.wfile.flush()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                return
            if resp.action == "trickle":
                for i in range(len(resp.body)):
                    self.wfile.write(resp.body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(resp.pause)
                return
            if resp.action == "huge":
                chunk = b"x" * 65536
                sent = 0
                while sent < (1 << 30):  # 1 GiB, generated lazily; stops when the client hangs up
                    self.wfile.write(chunk)
                    sent += len(chunk)
                return
            if self.command != "HEAD":
                self.wfile.write(resp.body)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def serve(site: Site) -> tuple[str, Callable[[], None]]:
    """Start `site` on 127.0.0.1 at a free port in a daemon thread → (base URL, stop function)."""
    server = _Server((HOST, 0), _handler(site))
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name=f"portal:{site.name}:{port}", daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://{HOST}:{port}", stop
