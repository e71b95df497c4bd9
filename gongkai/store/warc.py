"""Append-only WARC files: write a capture, get back (file, offset); read a body back by offset.

Each record is its own gzip member, so a file cut short by a crash is still readable up to the
last complete record; the SQLite index (state.py) only ever points at records that were fully
written and flushed. Digests are SHA-256 (``sha256:<base32>``), not warcio's default SHA-1.
"""

from __future__ import annotations

import io
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from gongkai.store.iri import iri_to_uri

__all__ = ["WarcAppender", "WarcLocation", "read_payload"]


class _Sha256WARCWriter(WARCWriter):
    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


@dataclass(frozen=True)
class WarcLocation:
    file: str  # file name relative to the raw directory
    offset: int  # byte offset of the response/resource record
    length: int  # bytes of the gzip member(s) written for this capture


_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 403: "Forbidden",
            404: "Not Found", 412: "Precondition Failed", 418: "I'm a teapot", 429: "Too Many Requests",
            500: "Internal Server Error", 503: "Service Unavailable"}

# Headers that describe the transfer, not the payload: the body we store is already de-chunked and
# decompressed, so keeping them would make the record lie (warcio#74/#75).
_DROP = {"transfer-encoding", "content-encoding", "content-length"}


def _warc_date(iso: str | None) -> str:
    if iso:
        return iso.replace("+00:00", "Z")
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcAppender:
    """Writes captures to one new file per appender (never appends after a possibly torn record)."""

    def __init__(self, raw_dir: Path, prefix: str = "gongkai", fsync: bool = False) -> None:
        self.raw_dir = raw_dir
        self.fsync = fsync
        self.prefix = prefix
        self._fh: BinaryIO | None = None
        self._name: str | None = None
        self._writer: _Sha256WARCWriter | None = None

    def _open(self) -> tuple[BinaryIO, _Sha256WARCWriter, str]:
        if self._fh is None or self._writer is None or self._name is None:
            self.raw_dir.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            self._name = f"{self.prefix}-{stamp}-{os.getpid()}-{uuid.uuid4().hex[:8]}.warc.gz"
            self._fh = open(self.raw_dir / self._name, "ab")  # noqa: SIM115 - kept open across appends
            self._writer = _Sha256WARCWriter(self._fh, gzip=True, warc_version="1.1")
            info = self._writer.create_warcinfo_record(self._name, {
                "software": "gongkai (crawler/, gongkai/store/warc.py)",
                "format": "WARC File Format 1.1",
                "description": "政府信息公开工作年度报告 captures; bodies de-chunked and decompressed",
            })
            self._writer.write_record(info)
            self._fh.flush()
        return self._fh, self._writer, self._name

    def append(
        self,
        url: str,
        body: bytes,
        *,
        status: int,
        headers: dict[str, str],
        fetched_at: str | None,
        method: str = "GET",
        request_headers: dict[str, str] | None = None,
        request_body: bytes | None = None,
        truncated: str | None = None,
    ) -> WarcLocation:
        """A request + response pair for http(s) URLs, one `resource` record for anything else.
        `truncated` ("length", "time", "disconnect") marks a response whose payload is incomplete
        (WARC 1.1 `WARC-Truncated`)."""
        fh, writer, name = self._open()
        start = fh.tell()
        date = _warc_date(fetched_at)
        scheme = urlsplit(url).scheme
        if scheme in ("http", "https"):
            url = iri_to_uri(url)  # the request line and WARC-Target-URI are URIs (RFC 3987 §3.1)
        if scheme in ("http", "https"):
            resp_headers = [(k, v) for k, v in headers.items() if k.lower() not in _DROP]
            resp_headers.append(("Content-Length", str(len(body))))
            http = StatusAndHeaders(f"{status} {_REASONS.get(status, 'Status')}", resp_headers, protocol="HTTP/1.1")
            warc_headers = {"WARC-Date": date, **({"WARC-Truncated": truncated} if truncated else {})}
            resp = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
                warc_headers_dict=warc_headers,
            )
            parts = urlsplit(url)
            target = parts.path or "/"
            if parts.query:
                target += "?" + parts.query
            req_hdrs = [("Host", parts.netloc), *(request_headers or {}).items()]
            req_http = StatusAndHeaders(f"{method} {target} HTTP/1.1", req_hdrs, protocol="HTTP/1.1",
                                        is_http_request=True)
            payload = request_body or b""
            req = writer.create_warc_record(
                url, "request", payload=io.BytesIO(payload), length=len(payload), http_headers=req_http,
                warc_headers_dict={"WARC-Date": date,
                                   "WARC-Concurrent-To": resp.rec_headers.get_header("WARC-Record-ID")},
            )
            writer.write_record(resp)
            writer.write_record(req)
        else:
            ctype = headers.get("Content-Type") or headers.get("content-type") or "application/octet-stream"
            rec = writer.create_warc_record(
                url, "resource", payload=io.BytesIO(body), length=len(body), warc_content_type=ctype,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(rec)
        fh.flush()  # in the OS once flushed: survives kill -9 of this process
        if self.fsync:  # survives power loss too, at ~1-2 ms per capture
            os.fsync(fh.fileno())
        return WarcLocation(name, start, fh.tell() - start)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
        self._fh = None
        self._writer = None
        self._name = None


def read_payload(path: Path, offset: int) -> tuple[str, bytes, dict[str, Any]]:
    """(record type, payload bytes, WARC headers) of the record starting at `offset`."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            body = record.content_stream().read()
            return record.rec_type, body, dict(record.rec_headers.headers)
    raise ValueError(f"no WARC record at {path}:{offset}")
