"""An unchanged rebuild is known from the inputs' fingerprint: nothing read, nothing written; any real
change (a document, a record rewritten even in place, another extractor version, --force, an option)
builds."""

from __future__ import annotations

import gzip
import json
import os
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from cli.pipeline import build_records, ingest, remember_sources
from crawler.sites import Source
from dataset import fingerprint
from extract.run import extract_store
from gongkai.model import ExtractResult
from gongkai.store import RawStore
from gongkai.store.records import RecordStore, record_key
from tests.conftest import DOCS

FEW = [DOCS / n for n in ("seed_yizhou_zhujianju_2024.txt", "html_2023_fujian_pingtan_gov.html")]


def _snapshot(data: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the releases and the build's stamp, with its bytes and mtime; and the link."""
    files = [p for p in (data / "releases").rglob("*") if p.is_file()] + [data / fingerprint.STAMP]
    out = {str(p.relative_to(data)): (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    out["release ->"] = (os.readlink(data / "release").encode(), 0)
    return out


@pytest.fixture
def built(tmp_path: Path) -> Path:
    ingest(tmp_path, FEW)
    extract_store(tmp_path, version="A")
    s, _ = build_records(tmp_path, "A")
    assert not s.inputs_unchanged and s.reports == 2
    return tmp_path


def test_unchanged_inputs_read_no_record_and_write_nothing(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _snapshot(built)
    reads: list[str] = []
    get = RecordStore.get

    def counted(self: RecordStore, key: str, version: str) -> ExtractResult | None:
        reads.append(key)
        return get(self, key, version)

    monkeypatch.setattr(RecordStore, "get", counted)
    s, _ = build_records(built, "A")
    assert s.inputs_unchanged and s.unchanged and s.files_written == 0
    assert (s.reports, s.agencies, s.documents_read) == (2, 2, 2) and s.release_id == (built / "release").resolve().name
    assert reads == []  # not one record read
    assert _snapshot(built) == before  # not one byte or mtime changed


def test_one_new_document_rebuilds(built: Path) -> None:
    first = (built / "release").resolve().name
    ingest(built, [DOCS / "html_2024_fujian_pingtan_gov.html"])
    extract_store(built, version="A")
    s, _ = build_records(built, "A")
    assert not s.inputs_unchanged and not s.unchanged and s.reports == 3 and s.release_id != first
    assert build_records(built, "A")[0].inputs_unchanged


def test_a_new_extractor_version_force_and_an_option_rebuild(built: Path) -> None:
    extract_store(built, version="B")
    s, _ = build_records(built, "B")
    assert not s.inputs_unchanged and not s.unchanged  # extractor_version is a column of documents
    assert build_records(built, "B")[0].inputs_unchanged
    forced, _ = build_records(built, "B", force=True)
    assert not forced.inputs_unchanged and forced.unchanged  # built again, and found the same release
    bom, _ = build_records(built, "B", csv_bom=True)
    assert not bom.inputs_unchanged and not bom.unchanged
    assert build_records(built, "B", csv_bom=True)[0].inputs_unchanged


def _same_size_edit(record: Path, original: bytes) -> tuple[bytes, Decimal]:
    """Another valid record of the same key, gzip-compressed to exactly the original's size: one
    printed 表三 value changed (found by trying values; gzip sizes of such edits are often equal)."""
    doc = json.loads(gzip.decompress(original))
    cells = doc["result"]["cells"]
    names = doc["result"]["fields"]["cells"]
    at = {n: i for i, n in enumerate(names)}
    cell = next(c for c in cells if c[at["table"]] == "applications" and not c[at["derived"]]
                and c[at["value"]] not in (None, "0"))
    old = Decimal(cell[at["value"]])
    for new in range(1, 10_000):
        if Decimal(new) == old:
            continue
        cell[at["value"]], cell[at["raw"]] = str(new), str(new)
        blob = gzip.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                             compresslevel=6, mtime=0)
        if len(blob) == len(original):
            return blob, Decimal(new)
    raise AssertionError(f"no same-size edit of {record}")


def test_a_record_changed_in_place_cannot_fool_the_fingerprint(built: Path) -> None:
    with RawStore(built) as store:
        doc = next(d for d in store.iter_documents() if d.url.endswith("html_2023_fujian_pingtan_gov.html"))
    key = record_key(doc.sha256, doc.content_type)
    path = RecordStore(built).path(key, "A")
    original = path.read_bytes()
    st = path.stat()
    blob, new = _same_size_edit(path, original)
    with open(path, "r+b") as f:  # the same file, rewritten in place: same inode, same size
        f.write(blob)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # and its mtime set back
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (st.st_ino, st.st_size, st.st_mtime_ns)
    assert path.read_bytes() != original
    s, _ = build_records(built, "A")
    assert not s.inputs_unchanged and not s.unchanged
    apps = pd.read_parquet(built / "release" / "applications")
    assert (apps["value"] == float(new)).any()


def test_the_registry_sources_and_a_deleted_record_rebuild(built: Path) -> None:
    remember_sources(built, [Source("某县", "http://x.gov.cn/", agency="某县人民政府")])  # place evidence
    assert not build_records(built, "A")[0].inputs_unchanged
    assert build_records(built, "A")[0].inputs_unchanged
    with RawStore(built) as store:
        doc = next(store.iter_documents())
    RecordStore(built).path(record_key(doc.sha256, doc.content_type), "A").unlink()
    s, results = build_records(built, "A")
    assert not s.inputs_unchanged and results.missing == 1  # published as unreadable, never skipped
