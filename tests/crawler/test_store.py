"""RawStore contract: idempotent on (url, sha256), versions kept, bodies read back from WARC."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from gongkai.store import RawStore


def test_add_is_idempotent_and_versions_changes(tmp_path: Path) -> None:
    with RawStore(tmp_path) as store:
        a = store.add("http://a.gov.cn/r.html", b"<p>v1</p>", headers={"Content-Type": "text/html"},
                      title="2023年政府信息公开工作年度报告", report_year=2023)
        again = store.add("http://a.gov.cn/r.html", b"<p>v1</p>")
        assert again == a
        b = store.add("http://a.gov.cn/r.html", b"<p>v2</p>")
        assert (a.version, b.version) == (1, 2)
        assert a.doc_id == hashlib.sha256(b"<p>v1</p>").hexdigest()
        latest = list(store.iter_documents())
        assert [d.sha256 for d in latest] == [b.sha256]
        assert len(list(store.iter_documents(all_versions=True))) == 2
        assert store.read_body(a) == b"<p>v1</p>"
        assert store.read_body(b) == b"<p>v2</p>"
        assert a.content_type == "text/html" and a.report_year == 2023


def test_kind_filter_and_ingest_resource(tmp_path: Path) -> None:
    with RawStore(tmp_path) as store:
        store.add("http://a.gov.cn/list.html", b"list", kind="page")
        pdf = store.add("file:///abs/r.pdf", b"%PDF-1.4 x", source="ingest",
                        headers={"Content-Type": "application/pdf"})
        assert [d.url for d in store.iter_documents(kind="page")] == ["http://a.gov.cn/list.html"]
        assert store.read_body(pdf) == b"%PDF-1.4 x"
        with open(tmp_path / "raw" / pdf.warc_file, "rb") as fh:
            fh.seek(pdf.warc_offset)
            rec = next(iter(ArchiveIterator(fh)))
            assert rec.rec_type == "resource"


def test_reopen_sees_documents_and_warc_has_sha256_request_response(tmp_path: Path) -> None:
    with RawStore(tmp_path) as store:
        store.add("http://a.gov.cn/r.html", b"body", headers={"Content-Type": "text/html",
                                                              "Transfer-Encoding": "chunked"})
    with RawStore(tmp_path) as store:
        docs = list(store.iter_documents())
        assert len(docs) == 1 and store.read_body(docs[0]) == b"body"
        store.add("http://a.gov.cn/r.html", b"body")  # same bytes: nothing new written
    files = list((tmp_path / "raw").glob("*.warc.gz"))
    types, digests = [], []
    for f in files:
        with gzip.open(f, "rb") as _, open(f, "rb") as fh:
            for rec in ArchiveIterator(fh):
                types.append(rec.rec_type)
                digests.append(rec.rec_headers.get_header("WARC-Payload-Digest"))
                if rec.rec_type == "response":
                    assert rec.http_headers.get_header("Transfer-Encoding") is None
    assert types == ["warcinfo", "response", "request"]
    assert all(d.startswith("sha256:") for d in digests[1:])  # warcinfo carries no payload digest


def test_truncated_warc_tail_does_not_hide_indexed_records(tmp_path: Path) -> None:
    with RawStore(tmp_path) as store:
        doc = store.add("http://a.gov.cn/r.html", b"kept")
    # a crash mid-write leaves garbage after the last complete record
    with open(tmp_path / "raw" / doc.warc_file, "ab") as fh:
        fh.write(b"\x1f\x8b\x08\x00partial")
    with RawStore(tmp_path) as store:
        assert store.read_body(doc) == b"kept"
        new = store.add("http://a.gov.cn/s.html", b"new")
        assert new.warc_file != doc.warc_file  # new writes never follow a torn record
        assert store.read_body(new) == b"new"
