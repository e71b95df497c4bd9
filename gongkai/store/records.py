"""The records store: extraction results kept by (document, extractor version), beside the raw store.

    DATA/records/<extractor version>/<first 2 hex of sha256>/<record key>.json.gz

One gzip-compressed JSON file per record. Many extraction processes on many machines may write to one
shared directory at once with no lock and no coordinator: a record is written to a name unique to
its writer (host, pid, random), fsynced, then renamed into place. A rename is atomic on POSIX file
systems (NFS included), so a reader sees the whole record or none, never a torn one; two writers of
the same record write the same bytes and the last rename wins. Sharding by the key's first two hex
digits keeps directories small (about 600 files each at 150,000 documents a version) and spreads
writers; the version comes first so that a version's records are one folder to list, copy or delete.

Values are stored as the exact decimal text (`"0.10"` stays `0.10`, not the float of `to_json`), so
a record read back is the exact ExtractResult that was stored.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import socket
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from gongkai.model import (
    Cell,
    CellState,
    Check,
    CheckStatus,
    ExtractResult,
    ExtractStatus,
    Issue,
    Missing,
    MissingReason,
)
from gongkai.store.raw import RawStore, StoredDocument

__all__ = ["RECORD_KINDS", "RecordError", "RecordStore", "StoredResults", "record_key"]

RECORD_FORMAT = 1
RECORD_KINDS = ("report", "attachment")  # what the extract stage reads; pages are the crawl's own
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,79}")
_KEY = re.compile(r"[0-9a-f]{64}(?:\.[a-z0-9_-]{1,40})?")
_STATUS = re.compile(rb'"result":\{"source":(?:null|"(?:[^"\\]|\\.)*"),"status":"([a-z0-9_]+)"')
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([^\s;\"']+)", re.I)


class RecordError(ValueError):
    """A record file that exists but cannot be read (damaged storage): never taken for an empty one."""


def record_key(sha256: str, content_type: str | None = None) -> str:
    """What a record is keyed by: the body's SHA-256, and the charset its Content-Type declares if it
    declares one. The declared charset is the one input of extraction besides the bytes (decode reads
    it first), so the same bytes served under another charset are another record, never a stale one."""
    m = _CHARSET.search(content_type or "")
    if not m:
        return sha256
    charset = re.sub(r"[^a-z0-9_-]", "_", m.group(1).lower())[:40]
    return f"{sha256}.{charset}"


# Cells, checks and issues are stored as rows of their fields, in the order the record's header names
# (no per-object dict, no dataclasses.asdict deep copy: writing a record costs far less than extracting).
_ROWS: dict[str, type[Cell] | type[Check] | type[Issue] | type[Missing]] = {
    "cells": Cell, "checks": Check, "errors": Issue, "missing": Missing}
_NAMES = {name: [f.name for f in fields(cls)] for name, cls in _ROWS.items()}
_SCALARS = [f.name for f in fields(ExtractResult) if f.name not in _ROWS]
_FROM_TEXT: dict[str, Callable[[Any], Any]] = {
    "value": lambda v: None if v is None else Decimal(v),
    "state": {str(s): s for s in CellState}.__getitem__, "status": {str(s): s for s in CheckStatus}.__getitem__,
    "reason": {str(s): s for s in MissingReason}.__getitem__}


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return str(v)  # the exact digits and exponent: "0.10" stays 0.10
    if isinstance(v, list):
        return list(v)
    return v


def _encode(r: ExtractResult) -> dict[str, Any]:
    d: dict[str, Any] = {n: _plain(getattr(r, n)) for n in _SCALARS}
    d["format_version"], d["sections"] = dict(r.format_version), dict(r.sections)
    for name in _ROWS:
        d[name] = [[_plain(getattr(x, n)) for n in _NAMES[name]] for x in getattr(r, name)]
    d["fields"] = _NAMES
    return d


def _decode(d: dict[str, Any]) -> ExtractResult:
    r = ExtractResult(**{n: d[n] for n in _SCALARS})
    r.status = ExtractStatus(r.status)
    if d["fields"] != _NAMES:  # the model is part of the extractor version, so this is a foreign file
        raise ValueError(f"record fields {d['fields']} are not this model's {_NAMES}")
    for name, cls in _ROWS.items():
        convert = [(i, _FROM_TEXT[n]) for i, n in enumerate(_NAMES[name]) if name != "errors" and n in _FROM_TEXT]
        objs = []
        for row in d[name]:
            for i, f in convert:
                row[i] = f(row[i])
            objs.append(cls(*row))
        setattr(r, name, objs)
    return r


class RecordStore:
    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "records"

    def path(self, key: str, version: str) -> Path:
        if not _VERSION.fullmatch(version):
            raise ValueError(f"not a safe extractor version: {version!r}")
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a record key: {key!r}")
        return self.root / version / key[:2] / f"{key}.json.gz"

    def has(self, key: str, version: str) -> bool:
        return self.path(key, version).is_file()

    def get(self, key: str, version: str) -> ExtractResult | None:
        """The stored result, or None when there is none; RecordError when the file is damaged."""
        path = self.path(key, version)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            d = json.loads(gzip.decompress(blob))
            if d.get("format") != RECORD_FORMAT or d.get("key") != key or d.get("version") != version:
                raise ValueError(f"record header {d.get('format')!r}/{d.get('key')!r}/{d.get('version')!r}")
            return _decode(d["result"])
        except (OSError, EOFError, ValueError, KeyError, TypeError) as e:
            raise RecordError(f"{path}: unreadable record ({type(e).__name__}: {e})") from e

    def status(self, key: str, version: str) -> str | None:
        """The stored result's status, read from the start of the record alone (the status is the
        second field written): a scan of a whole version for retryable records reads kilobytes, not
        every cell. None when there is no record; RecordError when it is damaged."""
        path = self.path(key, version)
        try:
            with open(path, "rb") as f:
                text = b""
                z = zlib.decompressobj(16 + zlib.MAX_WBITS)  # the gzip container
                while not z.eof and len(text) < 1 << 20 and (chunk := f.read(4096)):
                    text += z.decompress(chunk)
                    if m := _STATUS.search(text):
                        return m.group(1).decode()
        except FileNotFoundError:
            return None
        except zlib.error as e:
            raise RecordError(f"{path}: unreadable record ({e})") from e
        result = self.get(key, version)  # not found near the start: read it whole
        return None if result is None else str(result.status)

    def put(self, key: str, version: str, result: ExtractResult) -> Path:
        """Write (or replace) one record atomically; safe with any number of concurrent writers."""
        path = self.path(key, version)
        doc = {"format": RECORD_FORMAT, "key": key, "version": version, "result": _encode(result)}
        blob = gzip.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                             compresslevel=6, mtime=0)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{socket.gethostname()}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            with open(tmp, "wb") as f:
                f.write(blob)
                f.flush()
                os.fsync(f.fileno())  # whole on disk before it has its name: a power cut leaves none or all
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return path

    def versions(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.is_dir()) if self.root.is_dir() else []


@dataclass
class StoredResults:
    """(stored document, its extraction result) for each report and attachment of the raw store (latest
    version per URL, in store order), read from the records of one extractor version: what the build
    reads, never a body. The result's `source` is the document's URL (a record is shared by every
    URL that served the same bytes).

    A document without a readable record is still yielded, as `unreadable` with the reason (`no_record`:
    its capture could not be read or the extract stage has not run; `record_unreadable`: the record
    file is damaged), so the release shows the gap; `missing` and `damaged` count them."""

    data_dir: Path
    version: str
    kinds: Iterable[str] = RECORD_KINDS
    missing: int = 0
    damaged: list[str] = field(default_factory=list)  # what is wrong with each damaged record

    def __iter__(self) -> Iterator[tuple[StoredDocument, ExtractResult]]:
        self.missing = 0
        self.damaged.clear()
        records = RecordStore(self.data_dir)
        kinds = set(self.kinds)
        with RawStore(self.data_dir) as store:
            for doc in store.iter_documents():
                if doc.kind not in kinds:
                    continue
                try:
                    result = records.get(record_key(doc.sha256, doc.content_type), self.version)
                except RecordError as e:
                    self.damaged.append(str(e))
                    yield doc, _gap(doc, "record_unreadable", f"{e}: delete it and run `gongkai extract`")
                    continue
                if result is None:
                    self.missing += 1
                    yield doc, _gap(doc, "no_record", f"no extraction record at extractor version {self.version}: "
                                    "its capture could not be read, or `gongkai extract` has not run since it was stored")
                    continue
                result.source = doc.url
                yield doc, result


def _gap(doc: StoredDocument, code: str, message: str) -> ExtractResult:
    return ExtractResult(source=doc.url, status=ExtractStatus.UNREADABLE, sha256=doc.sha256,
                         errors=[Issue(code, message, "error")])
