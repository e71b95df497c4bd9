"""Every manifest document with truth rows extracts exactly to them (blank stays blank).

Adding a corpus file needs no code change: the parametrisation reads the manifest.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract.document import extract_document
from gongkai.model import CellState, ExtractStatus
from tests.conftest import DOCS, load_manifest, load_truth

MANIFEST = load_manifest()
TRUTH = load_truth()
WITH_TRUTH = [r["file"] for r in MANIFEST if r["file"] in TRUTH]
ALL = [r["file"] for r in MANIFEST]


def _extract(name: str):  # type: ignore[no-untyped-def]
    return extract_document((DOCS / name).read_bytes(), name)


@pytest.mark.parametrize("name", WITH_TRUTH)
def test_document_matches_truth(name: str) -> None:
    result = _extract(name)
    cells = {c.key: c for c in result.cells if not c.derived}
    wrong = []
    for key, (want, _notes) in TRUTH[name].items():
        cell = cells.get(key)
        if cell is None:
            wrong.append((key, "missing", want))
        elif want is None:
            if cell.value is not None or cell.state is not CellState.BLANK:
                wrong.append((key, cell.raw, "blank"))
        elif "ambiguous_split" in cell.flags:
            # Run-together digits that no identity can split: left blank and flagged, never guessed.
            # The truth's value must be one of the cuts we report.
            candidates = next(f for f in cell.flags if f.startswith("candidates:")).split(":", 1)[1].split("|")
            assert cell.value is None
            if not any(_as_value(c) == want for c in candidates):
                wrong.append((key, candidates, want))
        elif cell.value != want:
            wrong.append((key, cell.value, want))
    assert not wrong, f"{len(wrong)} of {len(TRUTH[name])} cells differ: {wrong[:10]}"


def _as_value(text: str) -> Decimal:
    num = text.replace("万元", "").replace("元", "")
    v = Decimal(num)
    return (v / 10000).normalize() if text.endswith("元") and not text.endswith("万元") else v


def test_ambiguous_cells_are_few() -> None:
    """The only truth cells we leave blank as ambiguous are the ones no row identity can split."""
    flagged = []
    for name in WITH_TRUTH:
        result = _extract(name)
        for c in result.cells:
            if "ambiguous_split" in c.flags and c.key in TRUTH[name]:
                flagged.append((name, c.row_key, c.col_key))
    # textflat 2019/2020: 采购项目数量+采购总金额 glued ("13575394432.52元") and 2020's
    # 行政处罚 "2648-18538" (增/减 and 处理决定数量 glued): every cut is valid for 表二. Its
    # 上一年项目数量 2648 too: with no identity in the row, "2648 | -18538" could be two values and a
    # blank cell, which run-together text does not show (mapping._blank_could_hide).
    assert len(flagged) <= 7, flagged
    assert {n for n, _, _ in flagged} <= {"textflat_2019_fujian_pingtan_gov.txt", "textflat_2020_fujian_pingtan_gov.txt"}


@pytest.mark.parametrize("name", ALL)
def test_every_corpus_document_gets_a_status(name: str) -> None:
    result = _extract(name)
    assert result.status is not ExtractStatus.CRASHED, result.errors
    row = next(r for r in MANIFEST if r["file"] == name)
    if row["format_version"] == "pre2019":
        assert result.status is ExtractStatus.PRE2019
        assert not [c for c in result.cells if not c.derived], "pre-2019 reports are never forced into v2019/v2021 keys"
    if name.startswith("negative_"):
        assert result.status is ExtractStatus.NOT_A_REPORT
    if row["year"] and row["format_version"] != "unknown" and result.year is not None:
        assert result.year == int(row["year"])


@pytest.mark.parametrize("name", [n for n in WITH_TRUTH if not n.startswith(("textpipe", "docx"))])
def test_format_version_per_table(name: str) -> None:
    row = next(r for r in MANIFEST if r["file"] == name)
    result = _extract(name)
    want = "v" + row["format_version"]
    assert result.format_version.get("active_disclosure") == want
    if "hongzequ" in name:  # its 表三 keeps the single （六）其他处理 row of the 2019 form
        assert result.format_version.get("applications") == "v2019"


def test_blank_docx_template_is_v2021_with_every_cell_blank() -> None:
    result = _extract("docx_template_2021_blank_gongkai_nianbao_moban.docx")
    printed = [c for c in result.cells if not c.derived]
    assert result.format_version == {t: "v2021" for t in ("active_disclosure", "applications", "review_litigation")}
    assert len(printed) == 200
    assert all(c.value is None and c.state is CellState.BLANK for c in printed)
    assert any(e.code == "all_blank" for e in result.errors)
    assert all(c.status.value == "uncertain" for c in result.checks)


@pytest.mark.parametrize("year", [2021, 2023, 2025])
def test_cuts_closed_by_column_identities_match_the_html_twin(year: int) -> None:
    """Cells the row identity cannot split, but the table's column identities can, are filled,
    flagged `split_by_table_identity`, and equal the values of the same report's HTML page."""
    flat = _extract(f"textflat_{year}_fujian_pingtan_gov.txt")
    twin = TRUTH[f"html_{year}_fujian_pingtan_gov.html"]
    closed = [c for c in flat.cells if "split_by_table_identity" in c.flags]
    assert closed
    for c in closed:
        assert c.value == twin[c.key][0], c.key


def test_inconsistent_table_closes_no_cut() -> None:
    """Break the printed （七）总计 of a run-together 表三: the open cuts must stay open (no guessing)."""
    text = (DOCS / "textflat_2021_fujian_pingtan_gov.txt").read_text(encoding="utf-8")
    assert "（七）总计630020469" in text
    broken = text.replace("（七）总计630020469", "（七）总计640020470")
    result = extract_document(broken.encode(), "broken.txt")
    granted = {c.col_key: c for c in result.cells if c.row_key == "granted" and not c.derived}
    assert "ambiguous_split" in granted["natural_person"].flags
    assert granted["natural_person"].value is None
    assert not [c for c in result.cells if "split_by_table_identity" in c.flags and c.row_key == "granted"]


@pytest.mark.parametrize("name", ["html_2015_fujian_pingtan_gov.html", "textflat_2016_fujian_pingtan_gov.txt"])
def test_pre2019_keeps_metadata_and_sections(name: str) -> None:
    result = _extract(name)
    assert result.status is ExtractStatus.PRE2019
    assert result.report_version == "pre2019"
    assert result.year == int(name.split("_")[1])
    headings = list(result.sections)
    assert headings[0].startswith("一、概述")
    assert any(h.startswith("二、主动公开政府信息情况") for h in headings)
    assert len(headings) >= 6


@pytest.mark.parametrize(("name", "agency"), [
    ("seed_yizhou_zhujianju_2024.txt", "伊州区住房和城乡建设局"),  # the signature
    ("pdf_2024_jiangsu_huaian_city_gov.pdf", "淮安市人民政府"),  # a title broken over two lines
    ("pdf_2024_jiangsu_huaian_hongzequ_gov.pdf", "淮安市洪泽区人民政府"),
    ("textpipe_partial_2020_neimenggu_wuhai_gongxinju_dept.txt", "乌海市工业和信息化局"),
    ("textpipe_partial_2020_jilin_fusong_songjianghezhen.txt", "抚松县松江河镇人民政府"),
])
def test_agency_from_title_or_signature(name: str, agency: str) -> None:
    assert _extract(name).agency == agency
