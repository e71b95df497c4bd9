"""DOCX: the blank 2021 template (real file) and generated reports with merged cells."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from extract.readers.docx import read_docx
from extract.synth_office import TableSpec, expected_grid, write_docx

from .conftest import TEMPLATE_DOCX, corpus_bytes
from .synth_specs import applications_spec, review_spec


def test_template_tables_have_blank_value_cells() -> None:
    d = read_docx(corpus_bytes(TEMPLATE_DOCX))
    assert d.source_format == "docx"
    assert len(d.tables) == 3
    active, apps, review = d.tables
    # 表二: every row whose first cell is a row label has only blank value cells.
    labels = {"规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费"}
    data_rows = [r for r in active.rows if r[0].text in labels]
    assert len(data_rows) == 6
    assert all(c.text == "" for r in data_rows for c in r[1:])  # \u3000 cells come out blank
    # 表三: 3 header rows, 25 data rows (v2021), 7 blank number columns.
    assert len(apps.rows) == 28 and len(apps.rows[0]) == 10
    assert all(c.text == "" for r in apps.rows[3:] for c in r[3:])
    assert all(r[2].text for r in apps.rows[3:])  # every data row has a label
    # 表四: 15 blank numbers under a three-level header.
    assert len(review.rows) == 4 and all(c.text == "" for c in review.rows[3])


def test_template_merges_expand_with_span_flags() -> None:
    apps = read_docx(corpus_bytes(TEMPLATE_DOCX)).tables[1]
    col0 = [r[0] for r in apps.rows if r[0].text == "三、本年度办理结果"]
    assert len(col0) == 22  # v2021: the merged label spans 22 result rows
    assert [c.span_copy for c in col0].count(False) == 1 and not col0[0].span_copy
    note = [c for r in apps.rows[:3] for c in r[:3]]
    assert note[0].text.startswith("（本列数据的勾稽关系为") and not note[0].span_copy
    assert all(c.span_copy and c.text == note[0].text for c in note[1:])
    assert [c.text for c in apps.rows[2][3:]] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert [c.span_copy for c in apps.rows[2][3:]] == [True, False, False, False, False, False, True]
    review = read_docx(corpus_bytes(TEMPLATE_DOCX)).tables[2]
    assert [c.text for c in review.rows[1][:5]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def test_template_text_in_order() -> None:
    d = read_docx(corpus_bytes(TEMPLATE_DOCX))
    assert d.title == "政府信息公开工作年度报告格式模板"
    assert "六、其他需要报告的事项" in d.text.splitlines()
    lines = d.text.splitlines()
    # Tables sit in the text where they are printed: after their section headings.
    assert lines.index("三、收到和处理政府信息公开申请情况") < lines.index("一、本年新收政府信息公开申请数量")
    assert lines.index("四、政府信息公开行政复议、行政诉讼情况") > lines.index("四、结转下年度继续办理")


@pytest.mark.parametrize("seed", range(6))
def test_generated_docx_round_trip(seed: int) -> None:
    rng = random.Random(seed)
    specs = [applications_spec(rng), review_spec(rng)]
    d = read_docx(write_docx(specs, ["一、总体情况", "正文。"], title="某某区2024年政府信息公开工作年度报告"))
    assert d.title == "某某区2024年政府信息公开工作年度报告"
    assert len(d.tables) == 2
    for spec, table in zip(specs, d.tables, strict=True):
        got = [[(c.text, c.span_copy) for c in r] for r in table.rows]
        assert got == expected_grid(spec)


def test_grid_before_keeps_columns_aligned() -> None:
    """A row that starts one grid column late (w:gridBefore) keeps its cells in their columns."""
    spec = TableSpec([["a", "b", "c"], ["1", "2", "3"]])
    data = write_docx([spec])
    zin = zipfile.ZipFile(io.BytesIO(data))
    xml = zin.read("word/document.xml").decode("utf-8")
    # Drop the first cell of row 2 and declare gridBefore=1 instead.
    rows = xml.split("<w:tr")
    head, row2 = rows[1], rows[2]
    first_tc_end = row2.index("</w:tc>") + len("</w:tc>")
    first_tc_start = row2.index("<w:tc>")
    row2 = row2[:first_tc_start] + "<w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>" + row2[first_tc_end:]
    xml = "<w:tr".join([rows[0], head, row2, *rows[3:]])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, xml if item.filename == "word/document.xml" else zin.read(item))
    table = read_docx(out.getvalue()).tables[0]
    assert [[c.text for c in r] for r in table.rows] == [["a", "b", "c"], ["", "2", "3"]]


def test_wide_pictures_are_counted() -> None:
    """A table pasted as a picture (half the text width or more) counts; a small seal does not."""
    import docx
    from docx.shared import Inches
    from PIL import Image

    img = io.BytesIO()
    Image.new("L", (40, 20), 200).save(img, "PNG")
    d = docx.Document()
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    d.add_picture(io.BytesIO(img.getvalue()), width=Inches(6))
    d.add_picture(io.BytesIO(img.getvalue()), width=Inches(1))
    buf = io.BytesIO()
    d.save(buf)
    doc = read_docx(buf.getvalue())
    assert doc.images_in_body == 1
    assert doc.tables == []


def test_tables_nested_in_a_layout_table_are_read() -> None:
    """A report laid out inside a one-cell frame table: the inner tables are grids too."""
    import docx

    d = docx.Document()
    frame = d.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)
    cell.paragraphs[0].text = "三、收到和处理政府信息公开申请情况"
    inner = cell.add_table(rows=2, cols=3)
    for r, row in enumerate([["信息内容", "本年处理决定数量", ""], ["行政许可", "9487", ""]]):
        for c, text in enumerate(row):
            inner.cell(r, c).text = text
    inner.cell(0, 1).merge(inner.cell(0, 2)).text = "本年处理决定数量"
    inner.cell(1, 1).merge(inner.cell(1, 2)).text = "9487"
    buf = io.BytesIO()
    d.save(buf)
    doc = read_docx(buf.getvalue())
    assert len(doc.tables) == 2
    outer, table = doc.tables
    assert [[c.text for c in r] for r in outer.rows] == [["三、收到和处理政府信息公开申请情况"]]
    assert [[(c.text, c.span_copy) for c in r] for r in table.rows] == [
        [("信息内容", False), ("本年处理决定数量", False), ("本年处理决定数量", True)],
        [("行政许可", False), ("9487", False), ("9487", True)],
    ]
