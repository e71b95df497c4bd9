"""The extract stage (raw store → records) and the build from records alone."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from cli.main import main
from cli.pipeline import build_from_store, build_records, ingest
from extract.run import extract_store
from extract.version import code_digest, extractor_version
from gongkai.store import RawStore
from gongkai.store.records import RecordStore, StoredResults
from tests.conftest import DOCS, ROOT

FEW = [DOCS / n for n in ("seed_yizhou_zhujianju_2024.txt", "html_2023_fujian_pingtan_gov.html",
                          "html_2024_fujian_pingtan_gov.html")]


def _records(data: Path, version: str) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in (data / "records" / version).rglob("*.json.gz")}


def test_unchanged_refresh_extracts_none_and_a_new_version_exactly_what_it_must(tmp_path: Path) -> None:
    ingest(tmp_path, FEW)
    first = extract_store(tmp_path, version="A")
    assert (first.documents, first.up_to_date, first.extracted, first.same_bytes) == (3, 0, 3, 0)
    before = _records(tmp_path, "A")
    again = extract_store(tmp_path, version="A")
    assert (again.documents, again.up_to_date, again.extracted) == (3, 3, 0)
    assert _records(tmp_path, "A") == before  # not one record rewritten
    ingest(tmp_path, [DOCS / "html_2025_fujian_pingtan_gov.html"])
    refresh = extract_store(tmp_path, version="A")
    assert (refresh.up_to_date, refresh.extracted) == (3, 1)
    after = _records(tmp_path, "A")
    assert {p: t for p, t in after.items() if p in before} == before and len(after) == 4
    new_version = extract_store(tmp_path, version="B")
    assert (new_version.up_to_date, new_version.extracted) == (0, 4)
    assert _records(tmp_path, "A") == after  # the old version's records are left as they were
    assert RecordStore(tmp_path).versions() == ["A", "B"]


def test_the_default_version_is_this_codes(tmp_path: Path) -> None:
    ingest(tmp_path, FEW[:1])
    s = extract_store(tmp_path)
    assert s.version == extractor_version() and s.extracted == 1
    assert extract_store(tmp_path).extracted == 0


def test_the_same_bytes_under_two_urls_are_extracted_once(tmp_path: Path) -> None:
    body = FEW[1].read_bytes()
    with RawStore(tmp_path) as store:
        store.add("http://a.gov.cn/r.html", body, headers={"Content-Type": "text/html"})
        store.add("http://b.gov.cn/repost.html", body, headers={"Content-Type": "text/html"})
        store.add("http://c.gov.cn/gbk.html", body, headers={"Content-Type": "text/html; charset=GBK"})
    s = extract_store(tmp_path, version="A")
    assert (s.documents, s.extracted, s.up_to_date) == (3, 2, 1)  # another declared charset is another record
    assert s.same_bytes == 1  # the repost: said apart from records made by an earlier run
    assert extract_store(tmp_path, version="A").same_bytes == 1
    got = [(doc.url, r.source, r.agency) for doc, r in StoredResults(tmp_path, "A")]
    assert [u for u, _s, _a in got] == [s for _u, s, _a in got]  # each result names its own URL
    assert got[0][2] == got[1][2] is not None


def _copy_code(dst: Path) -> Path:
    shutil.copytree(ROOT / "extract", dst / "extract", ignore=shutil.ignore_patterns("__pycache__"))
    (dst / "gongkai").mkdir()
    for p in (ROOT / "gongkai").glob("*.py"):
        shutil.copy(p, dst / "gongkai" / p.name)
    return dst


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_code_change_changes_the_version_and_a_comment_does_not(tmp_path: Path) -> None:
    root = _copy_code(tmp_path)
    base = code_digest(root)
    assert base == code_digest(ROOT) and extractor_version().endswith(base)
    _edit(root / "extract" / "document.py", "# a bug of ours: recorded, and the run goes on",
          "# reworded comment")
    _edit(root / "extract" / "document.py", '"""One document\'s bytes → its ExtractResult.', '"""Reworded.')
    (root / "extract" / "checks.py").write_text((root / "extract" / "checks.py").read_text() + "\n\n\n")
    assert code_digest(root) == base
    _edit(root / "extract" / "document.py", '"empty document"', '"an empty document"')
    changed = code_digest(root)
    assert changed != base
    _edit(root / "gongkai" / "schema.py", "主动公开", "主动公开 ")  # a label of the registry
    assert code_digest(root) not in (base, changed)


def test_the_build_reads_records_only(tmp_path: Path) -> None:
    ingest(tmp_path, FEW)
    build_from_store(tmp_path)
    release = {p: p.read_bytes() for p in (tmp_path / "release").glob("*.parquet")}
    shutil.rmtree(tmp_path / "raw")  # no body left to read; the index and the records remain
    s, results = build_records(tmp_path, extractor_version())
    assert results.missing == 0 and s.files_written == 0
    assert {p: p.read_bytes() for p in (tmp_path / "release").glob("*.parquet")} == release


def test_an_unreadable_capture_gets_no_record_and_is_published_as_a_gap(tmp_path: Path) -> None:
    ingest(tmp_path, FEW)
    bad = FEW[2].resolve().as_uri()
    with sqlite3.connect(tmp_path / "state.sqlite") as con:  # the index points at bytes that are not there
        con.execute("UPDATE documents SET warc_offset = 7 WHERE url = ?", (bad,))
    s = extract_store(tmp_path, version="A")
    assert s.extracted == 2 and len(s.unreadable) == 1 and s.unreadable[0].startswith(bad)
    results = StoredResults(tmp_path, "A")
    got = {doc.url: r for doc, r in results}
    assert results.missing == 1 and got[bad].status == "unreadable" and got[bad].errors[0].code == "no_record"
    assert {str(r.status) for u, r in got.items() if u != bad} <= {"extracted", "extracted_with_issues"}


def test_a_damaged_record_is_published_as_a_gap_and_named(tmp_path: Path) -> None:
    ingest(tmp_path, FEW[:2])
    extract_store(tmp_path, version="A")
    victim = sorted((tmp_path / "records" / "A").rglob("*.json.gz"))[0]
    victim.write_bytes(b"\x1f\x8b damaged")
    results = StoredResults(tmp_path, "A")
    statuses = sorted(str(r.status) for _d, r in results)
    assert "unreadable" in statuses and len(results.damaged) == 1 and str(victim) in results.damaged[0]


def test_the_crawl_context_fills_what_the_bytes_do_not_say(tmp_path: Path) -> None:
    page = FEW[0].read_bytes()
    with RawStore(tmp_path) as store:
        store.add("http://x.gov.cn/2024/report.html", page, headers={"Content-Type": "text/plain"})
        store.add("http://x.gov.cn/2024/scan.pdf", b"%PDF-1.4\n%%EOF\n", kind="attachment",
                  parent_url="http://x.gov.cn/2024/report.html", title="2023年政府信息公开工作年度报告",
                  report_year=2023, headers={"Content-Type": "application/pdf"})
    build_from_store(tmp_path)
    reports = pd.read_parquet(tmp_path / "release" / "reports.parquet").set_index("source_url")
    parent = reports.loc["http://x.gov.cn/2024/report.html"]
    scan = reports.loc["http://x.gov.cn/2024/scan.pdf"]
    assert scan["agency_name"] == parent["agency_name"] is not None
    assert scan["year"] == 2023 and scan["title"] == "2023年政府信息公开工作年度报告"


def test_cli_extract_without_files_extracts_the_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ingest(tmp_path, FEW[:2])
    assert main(["extract", "--data-dir", str(tmp_path)]) == 0
    assert "2 documents, 0 up to date, 2 extracted" in capsys.readouterr().out
    assert main(["build", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "2 documents, 2 up to date, 0 extracted" in out and "build: " in out
    assert main(["extract", "--json", "--data-dir", str(tmp_path)]) == 2
    assert main(["extract", "--data-dir", str(tmp_path / "none")]) == 2
    assert not (tmp_path / "none").exists()
