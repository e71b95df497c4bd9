"""The inputs that took the extractor down (issue 8, item 5): each ends with a status, within
generous limits, and what it destroyed is flagged, never silently dropped or changed.

The limits are enforced on a subprocess running the CLI (address space and a timeout), not by
timing a fast path: before the fixes the 45-digit run needed 2.1 GB and 43 s."""

from __future__ import annotations

import json
import resource
import subprocess
import sys

import pytest

from extract.document import extract_document
from gongkai import schema
from gongkai.model import CellState, ExtractStatus
from tests.conftest import ROOT
from tests.extract.bad_inputs import CASES

MEMORY_LIMIT = 1024**3  # address space of the whole interpreter, imports included
TIME_LIMIT = 60


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_finishes_within_limits(case: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    name, data = CASES[case]()
    bad = tmp_path / name
    bad.write_bytes(data)
    after = tmp_path / "zz_after.txt"  # a file after the bad one must still be reported
    after.write_bytes("2024年政府信息公开工作年度报告".encode())
    out = subprocess.run([sys.executable, "-m", "cli", "extract", "--json", str(bad), str(after)],
                         capture_output=True, text=True, cwd=ROOT, timeout=TIME_LIMIT, preexec_fn=_limit)
    assert out.returncode == 0, out.stderr[-2000:]
    docs = [json.loads(line) for line in out.stdout.splitlines()]
    assert [d["source"] for d in docs] == [str(bad), str(after)]
    assert docs[0]["status"] not in ("crashed", "unreadable"), docs[0]["errors"]


def _result(case: str):  # type: ignore[no-untyped-def]
    name, data = CASES[case]()
    return extract_document(data, name)


def _cells(result, row_key: str):  # type: ignore[no-untyped-def]
    return [c for c in result.cells if c.row_key == row_key and not c.derived]


def test_long_digit_run_is_flagged_with_an_error() -> None:
    r = _result("t3_45_digit_run")
    row = _cells(r, "new_received")
    assert len(row) == 7
    assert all(c.value is None and "ambiguous_split" in c.flags for c in row)
    assert any(f.startswith("too_many_cuts:") for f in row[0].flags)
    assert any(e.code == "ambiguous_split" and "new_received" in e.message for e in r.errors)
    assert r.status is ExtractStatus.EXTRACTED_WITH_ISSUES


def test_every_row_long_still_settles_nothing_silently() -> None:
    r = _result("t3_every_row_45_digits")
    blanks = [c for c in r.cells if c.table == "applications" and not c.derived and c.value is None]
    assert blanks and all("ambiguous_split" in c.flags for c in blanks)
    named = {e.message.split(":")[0] for e in r.errors if e.code == "ambiguous_split"}
    assert {f"applications/{c.row_key}" for c in blanks} <= named


def test_many_open_cuts_resolve_like_before() -> None:
    """The table-level search gives the same answer as trying every combination: none of the four
    altered rows can be settled (the table no longer adds up), so all stay flagged."""
    r = _result("t3_80k_cut_combinations")
    for row in ("granted", "unavailable_not_held", "withheld_enforcement_file", "results_total"):
        assert any("ambiguous_split" in c.flags for c in _cells(r, row)), row
    assert not [c for c in r.cells if "split_by_table_identity" in c.flags]


def test_thousands_of_digits_are_kept_as_text() -> None:
    r = _result("number_5000_digits")
    cell = next(c for c in _cells(r, "new_received") if c.col_key == "natural_person")
    assert cell.state is CellState.TEXT and cell.value is None
    assert cell.raw == "9" * 5000 and "out_of_domain" in cell.flags
    assert any(e.code == "value_out_of_domain" and "new_received.natural_person" in e.message for e in r.errors)
    assert json.loads(json.dumps(r.to_json()))["status"] == "extracted_with_issues"


@pytest.mark.parametrize(("value", "ok"), [("999999999999", True), ("1000000000000", False),
                                            ("-5", True), ("0.1234567890123456", False)])
def test_domain_bounds_come_from_the_schema(value: str, ok: bool) -> None:
    from decimal import Decimal

    dtype = "signed_count" if value.startswith("-") else ("decimal" if "." in value else "count")
    assert (schema.out_of_domain(dtype, Decimal(value)) is None) is ok


@pytest.mark.parametrize(("case", "raw", "flag"), [("cell_7e3", "7e3", "not_a_number"),
                                                   ("cell_1_space_1", "1 1", "several_numbers")])
def test_a_cell_that_is_not_a_number_never_vanishes(case: str, raw: str, flag: str) -> None:
    """The report is clean otherwise (`extracted`); with this cell it cannot be."""
    r = _result(case)
    (cell,) = _cells(r, "admin_licensing")
    assert (cell.raw, cell.state, cell.value) == (raw, CellState.TEXT, None)
    assert flag in cell.flags
    assert any(e.code == "not_a_number" and "admin_licensing" in e.message for e in r.errors)
    assert r.status is ExtractStatus.EXTRACTED_WITH_ISSUES


def test_the_clean_report_is_extracted() -> None:
    """The baseline of the two tests above."""
    from tests.extract.bad_inputs import DOCS, HTML_2024

    r = extract_document((DOCS / HTML_2024).read_bytes(), HTML_2024)
    assert r.status is ExtractStatus.EXTRACTED
