"""Bad input gives a per-document status and a clear message: never a crash, never silent zeros."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from extract.document import extract_document
from gongkai.model import ExtractStatus
from tests.conftest import DOCS, ROOT


def test_empty_file() -> None:
    r = extract_document(b"", "empty.html")
    assert r.status is ExtractStatus.UNREADABLE
    assert "empty" in r.errors[0].message


def test_binary_garbage() -> None:
    r = extract_document(os.urandom(4096) + b"\x00" * 64, "garbage.bin")
    assert r.status in (ExtractStatus.UNREADABLE, ExtractStatus.UNSUPPORTED_FORMAT)
    assert not r.cells


def test_html_without_table() -> None:
    r = extract_document("<html><body><p>2024年政府信息公开工作年度报告</p><p>正文</p></body></html>".encode(), "x.html")
    assert r.status is ExtractStatus.NO_TABLES
    assert not r.cells


def test_report_missing_table_four() -> None:
    html = (DOCS / "html_2024_fujian_pingtan_gov.html").read_text(encoding="utf-8")
    cut = html[: html.index("行政复议行政诉讼") if "行政复议行政诉讼" in html else html.index("四、政府信息公开行政复议")]
    r = extract_document(cut.encode(), "no-table4.html")
    assert r.status is ExtractStatus.PARTIAL
    assert "review_litigation" not in r.format_version
    assert any(e.code == "table_missing" and "review_litigation" in e.message for e in r.errors)
    assert all(c.status.value == "not_assessable" for c in r.checks if c.table == "review_litigation")


def test_interpretation_page_is_not_a_report() -> None:
    page = ("<html><head><title>2023年政府信息公开工作年度报告解读</title></head><body><div>"
            "<p>一图读懂我镇2023年政府信息公开工作年度报告。主动公开信息120条。</p></div></body></html>")
    r = extract_document(page.encode(), "jiedu.html")
    assert r.status is ExtractStatus.NOT_A_REPORT


@pytest.mark.parametrize("name", ["negative_html_2014_fujian_pingtan_letter_not_annual_report.html",
                                  "negative_textflat_2014_fujian_pingtan_letter_not_annual_report.txt"])
def test_the_letter_in_the_corpus(name: str) -> None:
    r = extract_document((DOCS / name).read_bytes(), name)
    assert r.status is ExtractStatus.NOT_A_REPORT
    assert not r.cells


def test_ten_megabyte_deeply_nested_page() -> None:
    depth = 5000
    page = "<html><body>" + "<div>" * depth + "<table><tr><td>第二十条第（一）项</td></tr></table>" + "</div>" * depth
    page += "<p>" + "填充文字" * 900_000 + "</p></body></html>"
    assert len(page.encode()) > 10_000_000
    r = extract_document(page.encode(), "huge.html")
    assert r.status is not ExtractStatus.CRASHED
    assert r.status in (ExtractStatus.NO_TABLES, ExtractStatus.PARTIAL)


def test_hostile_spans_are_capped() -> None:
    page = ('<table><tr><td rowspan="100000000" colspan="99999999">第二十条第（一）项</td></tr>'
            "<tr><td>规章</td><td>1</td></tr></table>")
    r = extract_document(page.encode(), "spans.html")
    assert r.status is not ExtractStatus.CRASHED


def test_gbk_page_without_declaration() -> None:
    html = (DOCS / "html_2024_fujian_pingtan_gov.html").read_text(encoding="utf-8")
    html = html.replace('charset="utf-8"', "").replace("charset=utf-8", "")
    data = html.encode("gb18030", errors="replace")
    r = extract_document(data, "gbk.html")
    assert r.status is ExtractStatus.EXTRACTED
    assert len([c for c in r.cells if not c.derived]) == 200


def test_cli_keeps_going_after_a_bad_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    seed = DOCS / "seed_yizhou_zhujianju_2024.txt"
    out = subprocess.run([sys.executable, "-m", "cli", "extract", "--json", str(bad), str(empty), str(seed)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 1, out.stderr  # the empty file could not be read at all (README: exit 1) …
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 3  # … and the files after it were read all the same
    import json

    docs = [json.loads(x) for x in lines]
    assert docs[1]["status"] == "unreadable"
    assert docs[2]["status"] == "extracted_with_issues"
    for d in docs:
        assert {"source", "agency", "year", "published", "format_version", "cells", "checks", "status", "errors"} <= set(d)
    cell = docs[2]["cells"][0]
    assert {"table", "block", "row_key", "col_key", "value", "raw", "state", "ref"} <= set(cell)
    check = docs[2]["checks"][0]
    assert {"rule", "status", "expected", "actual", "cells"} <= set(check)


def test_cli_nonzero_only_when_unreadable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = subprocess.run([sys.executable, "-m", "cli", "extract", str(tmp_path / "missing.html")],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 1
    assert "unreadable" in out.stdout
