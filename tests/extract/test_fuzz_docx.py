"""Fuzz harness for Word documents: the real renderings (上海 2019 committed, Pingtan 2024 built from the
corpus page at test time) with a cell's text deleted or a digit of it duplicated, a cell or a whole row
taken out of its table, document.xml cut or its tags broken, the zip cut or its bytes overwritten; and
the blank 2021 template of the corpus filled in cell by cell. Every result must carry a status other
than crashed, stay within the CPU budget, the memory cap and the wall limit (sandbox.py), and leave no
truth cell silently wrong (mutate.py).

Hypothesis runs the fixed `ci` profile (derandomized), so the cases are the same on every run."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from extract.readers.docx import table_grid
from tests.extract import fuzz_docs, mutate
from tests.extract import mutate_docx as md

SOURCES = fuzz_docs.names("docx_", ".docx")
TEMPLATE = fuzz_docs.TEMPLATE
EDITS = ("blank", "delete", "duplicate", "delete_row")


def _judge(name: str, m: mutate.Mutated, truth: dict[mutate.Key, object] | None = None) -> None:
    r = fuzz_docs.extract(m.data, name)
    bad = mutate.silent_errors(r, truth or fuzz_docs.truth(name), m.expect)  # type: ignore[arg-type]
    assert not bad, f"{name}, {m.what} ({r.status}): {len(bad)} silent: {bad[:6]}"


def test_sources_are_there() -> None:
    assert set(SOURCES) == {"docx_2019_shanghai_city_office.docx", "docx_2024_fujian_pingtan_gov.docx"}
    assert len(md.value_cells(TEMPLATE)) == len(fuzz_docs.template_truth()) == 200


@settings(max_examples=40)
@given(st.sampled_from(SOURCES), st.integers(0, 10**6), st.sampled_from(EDITS), st.integers(0, 20))
def test_edited_cells_are_never_silent(name: str, which: int, kind: str, at: int) -> None:
    cells = md.number_cells(name)
    index = cells[which % len(cells)]
    m = {"blank": lambda: md.blank_cell(name, index), "delete": lambda: md.delete_cell(name, index),
         "duplicate": lambda: md.duplicate_digit(name, index, at), "delete_row": lambda: md.delete_row(name, index)}[kind]()
    _judge(name, m)


@settings(max_examples=20)
@given(st.integers(0, 10**6), st.sampled_from(("fill", "delete")), st.integers(1, 9999))
def test_the_blank_template_filled_in(which: int, kind: str, value: int) -> None:
    """A template cell filled in reads its number and nothing else changes; a template cell taken out
    leaves every cell blank or flagged."""
    cells = md.value_cells(TEMPLATE)
    index = cells[which % len(cells)]
    m = md.fill_cell(TEMPLATE, index, value) if kind == "fill" else md.delete_cell(TEMPLATE, index)
    _judge(TEMPLATE, m, fuzz_docs.template_truth())  # type: ignore[arg-type]


@settings(max_examples=30)
@given(st.sampled_from([*SOURCES, TEMPLATE]), st.sampled_from(("xml", "zip")), st.integers(0, 10**6))
def test_broken_files_are_never_silent(name: str, kind: str, seed: int) -> None:
    m = md.break_xml(name, seed) if kind == "xml" else md.break_zip(name, seed)
    truth = fuzz_docs.template_truth() if name == TEMPLATE else fuzz_docs.truth(name)
    _judge(name, m, truth)  # type: ignore[arg-type]


def test_a_deleted_cell_makes_a_short_row() -> None:
    """The defect the harness found (31 of 321 cells taken out of the two renderings were silent): the
    reader padded a row missing a w:tc with a blank cell at the end, so 行政规范性文件 62 | 440 read
    repealed 440 and in force blank, with no flag. The row now stays short, as an HTML row missing a
    <td>, and the mapper flags it."""
    name = "docx_2024_fujian_pingtan_gov.docx"
    index = next(i for i in md.number_cells(name)
                 if md.keys_by_ref(name).get(md._refs(md.docx(name).tree())[i][1])
                 == ("active_disclosure", "art20_1", "normative_documents", "repealed_count"))
    m = md.delete_cell(name, index)
    r = fuzz_docs.extract(m.data, name)
    row = {c.col_key: c for c in r.cells if c.row_key == "normative_documents"}
    assert row["repealed_count"].value != 440 or "ambiguous_columns" in row["repealed_count"].flags
    assert all("ambiguous_columns" in c.flags for c in row.values() if c.value not in (62, None)), row
    assert not mutate.silent_errors(r, fuzz_docs.truth(name), m.expect)


def _grid(rows: str) -> list[list[str]]:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    tbl = etree.fromstring(f"<w:tbl {w}>{rows}</w:tbl>")
    return [[c.text for c in row] for row in table_grid(tbl).rows]


def test_a_row_ending_early_by_design_keeps_its_grid() -> None:
    """w:gridAfter says a row ends early on purpose: its last positions are blank cells of the grid."""
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    full = "<w:tr>" + "".join(cell.format(t) for t in ("规章", "1", "2")) + "</w:tr>"
    declared = "<w:tr><w:trPr><w:gridAfter w:val='1'/></w:trPr>" + cell.format("规章") + cell.format("1") + "</w:tr>"
    lost = "<w:tr>" + cell.format("规章") + cell.format("1") + "</w:tr>"
    assert _grid(full + declared) == [["规章", "1", "2"], ["规章", "1", ""]]
    assert _grid(full + lost) == [["规章", "1", "2"], ["规章", "1"]]
