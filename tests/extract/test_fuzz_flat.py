"""Fuzz harness for run-together text (textflat_*: every table row printed as its label and its values glued
into one digit run): a digit of a row's run deleted or inserted, two of its digits swapped, the run cut
short, or a space put inside it. Every result must carry a status other than crashed, stay within the CPU
budget, the memory cap and the wall limit (sandbox.py), and leave no truth cell silently wrong: a cell
whose digits changed reads its new digits (by the run's old cell boundaries, or by a cut under which the
table adds up and the old boundaries do not) or is flagged (mutate_flat.py).

Encodings and truncated downloads of these files are in test_fuzz.py. Hypothesis runs the fixed `ci`
profile (derandomized), so the cases are the same on every run."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.extract import fuzz_docs
from tests.extract import mutate_flat as mf

SOURCES = fuzz_docs.names("textflat_")
KINDS = ("delete", "insert", "swap", "cut", "break")


def _judge(name: str, m: mf.FlatMutated) -> None:
    r = fuzz_docs.extract(m.data, name)
    bad = mf.silent_errors(r, fuzz_docs.truth(name), m)
    assert not bad, f"{name}, {m.what} ({r.status}): {len(bad)} silent: {bad[:6]}"


def test_the_runs_are_found() -> None:
    """Nearly every row that prints values is found as a run (the rest print fewer values than the form:
    a cell merged over two columns)."""
    for name in SOURCES:
        rows = {k[:3] for k, v in fuzz_docs.truth(name).items() if v is not None}
        assert len(mf.runs(name)) >= 0.9 * len(rows), name


@settings(max_examples=60)
@given(st.sampled_from(SOURCES), st.integers(0, 10**6), st.sampled_from(KINDS), st.integers(0, 10**3), st.integers(0, 9))
def test_mutated_runs_are_never_silent(name: str, which: int, kind: str, at: int, digit: int) -> None:
    m = {"delete": lambda: mf.delete_digit(name, which, at), "insert": lambda: mf.insert_digit(name, which, at, digit),
         "swap": lambda: mf.swap_digits(name, which, at, digit), "cut": lambda: mf.cut_run(name, which, at),
         "break": lambda: mf.break_run(name, which, at)}[kind]()
    if m is None:  # a run too short, or of one repeated digit
        m = mf.delete_digit(name, which, at)
    _judge(name, m)


def _run(name: str, text: str) -> int:
    return next(i for i, r in enumerate(mf.runs(name)) if r.text == text)


def test_a_run_cut_short_under_columns_without_an_identity_is_flagged() -> None:
    """The defect the cuts found: 2019-form 行政事业性收费 `35-15` (上一年项目数量, 本年增/减) cut to `35` read
    3 and 5 with no flag — two digits for two cells looked certain, but a blank cell leaves no trace in
    run-together digits (35 and a blank is as likely) and no identity checks the row."""
    name = "textflat_2020_fujian_pingtan_gov.txt"
    m = mf.cut_run(name, _run(name, "35-15"), 1)
    assert m is not None and m.what == "cut after digit 2 in '35-15'"
    r = fuzz_docs.extract(m.data, name)
    row = [c for c in r.cells if c.row_key == "admin_fees" and c.block == "art20_8"]
    assert row and all(c.value is None and "ambiguous_split" in c.flags for c in row), row
    assert not mf.silent_errors(r, fuzz_docs.truth(name), m)


def test_a_swap_the_totals_settle_is_the_prints_reading() -> None:
    """表四 `…1324019` with two digits swapped (`…3124019`) reads 3|12|4|0|19, the only cut that adds up:
    the judge takes that as what the print says, and still reports a cut that does not add up."""
    name = "textflat_2024_fujian_pingtan_gov.txt"
    m = mf.swap_digits(name, _run(name, "21317000001324019"), 10, 0)
    assert m is not None and m.what == "digits 10 and 11 swapped in '21317000001324019'"
    r = fuzz_docs.extract(m.data, name)
    assert not mf.silent_errors(r, fuzz_docs.truth(name), m)
    cell = next(c for c in r.cells if c.col_key == "suit_after_review_upheld")
    assert cell.value == 3
    cell.value, cell.raw = Decimal(4), "4"
    assert mf.silent_errors(r, fuzz_docs.truth(name), m)


def test_a_value_cut_after_its_decimal_point_keeps_its_digits() -> None:
    """Found by the cuts: 2023 行政事业性收费 `5949.088667` cut to `5949.`, glued to the heading `三、收到…`,
    read 594 with no flag: `9.` was taken for a row's numbering (`00000002.其他…` is values and `2.其他…`),
    which is 1–8 and never stands before a section heading."""
    name = "textflat_2023_fujian_pingtan_gov.txt"
    m = mf.cut_run(name, _run(name, "5949.088667"), 4)
    assert m is not None and m.what == "cut after digit 5 in '5949.088667'"
    r = fuzz_docs.extract(m.data, name)
    assert next(c.value for c in r.cells if c.row_key == "admin_fees") == Decimal("5949")


def test_a_cut_the_column_sums_refute_is_in_doubt_as_a_whole() -> None:
    """Found by the swaps: 2025 本年新收 `15130000154` with two digits swapped (`13150000154`) was cut
    1|3|150|0|0|0|154, the one cut that fits the row total; T3-A then failed for 自然人 and 科研机构, but
    商业企业 3, cut from the same digits, passed its own column sum and stood unflagged. A failing
    identity on one cell of a cut the digits allowed other cuts of now puts the whole cut in doubt."""
    name = "textflat_2025_fujian_pingtan_gov.txt"
    m = mf.swap_digits(name, _run(name, "15130000154"), 1, 1)
    assert m is not None and m.what == "digits 1 and 3 swapped in '15130000154'"
    r = fuzz_docs.extract(m.data, name)
    cut = [c for c in r.checks if c.rule == "SPLIT-CUT"]
    assert any("new_received.commercial_enterprise" in c.cells for c in cut), cut
    assert not mf.silent_errors(r, fuzz_docs.truth(name), m)
