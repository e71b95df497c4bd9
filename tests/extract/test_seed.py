"""The seed report: its values, metadata and its real problems, reported and not 'fixed'."""

from __future__ import annotations

from decimal import Decimal

from extract.document import extract_document
from gongkai.model import CellState, CheckStatus
from tests.conftest import DOCS

SEED = "seed_yizhou_zhujianju_2024.txt"


def _result():  # type: ignore[no-untyped-def]
    return extract_document((DOCS / SEED).read_bytes(), SEED)


def test_seed_metadata() -> None:
    r = _result()
    assert r.agency == "伊州区住房和城乡建设局"
    assert r.year == 2024
    assert r.report_version == "v2021"
    assert r.format_version == {t: "v2021" for t in ("active_disclosure", "applications", "review_litigation")}
    assert len([c for c in r.cells if not c.derived]) == 200


def test_seed_flow_identity_fails_in_total_column() -> None:
    r = _result()
    flow = [c for c in r.checks if c.rule == "T3-A" and c.cells[0].endswith(".total")]
    assert len(flow) == 1
    assert flow[0].status is CheckStatus.FAIL
    assert (flow[0].actual, flow[0].expected) == ("8", "4")  # 4 + 4 ≠ 4 + 0
    assert "4 + 4 ≠ 4 + 0" in flow[0].message


def test_seed_blank_carried_over_is_uncertain_and_fails_as_zero() -> None:
    r = _result()
    blank = next(c for c in r.cells if c.row_key == "carried_over" and c.col_key == "natural_person")
    assert blank.value is None and blank.state is CellState.BLANK
    row_sum = next(c for c in r.checks if c.rule == "T3-C" and "carried_over.total" in c.cells)
    assert row_sum.status is CheckStatus.UNCERTAIN
    assert row_sum.blank_as_zero == "fail"
    total = next(c for c in r.cells if c.row_key == "carried_over" and c.col_key == "total")
    assert total.value == Decimal(4)  # the printed value stands


def test_seed_signature_date_before_year_end_is_flagged() -> None:
    r = _result()
    assert r.published == "2024-02-17"
    assert any(e.code == "date_before_year_end" for e in r.errors)


def test_derived_subtotals_beside_printed_values() -> None:
    r = _result()
    derived = {c.key: c for c in r.cells if c.derived}
    assert derived[("applications", "", "unavailable_total", "natural_person")].value == 1
    assert derived[("applications", "", "carried_over", "legal_entity_subtotal")].value == 0
    printed_keys = {c.key for c in r.cells if not c.derived}
    assert not printed_keys & set(derived)
