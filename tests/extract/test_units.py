"""Small units: decoding, normalization, cell parsing, text shapes, digit-run splitting."""

from __future__ import annotations

import codecs
from decimal import Decimal

import pytest

from extract.cells import parse_cell
from extract.document import extract_document
from extract.split import CellRule, RowRules, solve
from gongkai.decode import decode
from gongkai.model import CellState
from gongkai.normalize import compact, simplify

ZH = "<html><head>{meta}</head><body>政府信息公开工作年度报告 規範性文件</body></html>"


@pytest.mark.parametrize(("data", "ctype", "want"), [
    (ZH.format(meta="").encode("gbk"), "text/html; charset=GB2312", "gb18030"),
    (ZH.format(meta='<meta http-equiv="Content-Type" content="text/html; charset=gbk">').encode("gbk"), None, "gb18030"),
    # w3lib#155: `httpequiv` without the hyphen still names the charset
    (ZH.format(meta='<meta httpequiv="Content-Type" content="text/html; charset=gb2312">').encode("gbk"), None, "gb18030"),
    (codecs.BOM_UTF8 + ZH.format(meta="").encode(), "text/html; charset=gbk", "utf-8"),
    (ZH.format(meta="").encode("gbk"), "text/html; charset=iso-8859-1", "gb18030"),  # a wrong declaration
    (ZH.format(meta='<meta charset="utf-8">').encode("gbk"), None, "gb18030"),  # meta says utf-8, bytes are GBK
])
def test_decode_chain(data: bytes, ctype: str | None, want: str) -> None:
    text, enc = decode(data, ctype)
    assert enc == want
    assert "政府信息公开工作年度报告" in text


def test_gbk_only_characters_survive() -> None:
    text, _ = decode("镕".encode("gbk") + "規範".encode("gbk"), "text/plain; charset=gb2312")
    assert text == "镕規範"


@pytest.mark.parametrize(("raw", "want"), [
    ("伊州區(qū)住建局", "伊州区住建局"),
    ("政務(wù)公開", "政务公开"),
    ("本年收費金額（單位：萬元）", "本年收费金额(单位:万元)"),
    ("１２３", "123"),
])
def test_simplify(raw: str, want: str) -> None:
    assert simplify(raw) == want


def test_compact_labels() -> None:
    assert compact("社会公\n益组织") == "社会公益组织"
    assert compact("規範性檔案") == "规范性文件"
    assert compact("（三） 不予公开") == "三不予公开"


@pytest.mark.parametrize(("raw", "value", "state"), [
    ("", None, CellState.BLANK), ("\u3000", None, CellState.BLANK), ("\xa0", None, CellState.BLANK),
    ("0", Decimal(0), CellState.ZERO), ("０", Decimal(0), CellState.ZERO),
    ("1,234", Decimal(1234), CellState.NUMBER), ("251000元", Decimal(251000), CellState.NUMBER),
    ("22（其中修订16件）", Decimal(22), CellState.NUMBER), ("55(含自然失效29件)", Decimal(55), CellState.NUMBER),
    ("-8", Decimal(-8), CellState.NUMBER), ("+2", Decimal(2), CellState.NUMBER),
    ("/", None, CellState.NA), ("—", None, CellState.NA), ("-", None, CellState.NA), ("无", None, CellState.NA),
    ("不适用", None, CellState.NA), ("见附件", None, CellState.TEXT),
])
def test_parse_cell(raw: str, value: Decimal | None, state: CellState) -> None:
    p = parse_cell(raw)
    assert (p.value, p.state) == (value, state)


def test_split_uses_the_row_identity() -> None:
    t3 = RowRules(tuple(CellRule() for _ in range(7)), (((6,), (0, 1, 2, 3, 4, 5)),))
    assert solve(["640020470"], t3).agreed == ["64", "0", "0", "2", "0", "4", "70"]
    sol = solve(["270020130"], t3)
    assert sol.satisfiable and len(sol.kept) == 2
    assert sol.agreed == [None, None, "0", None, None, "1", "30"]
    plain = RowRules((CellRule(), CellRule(), CellRule()))
    assert solve(["000"], plain).agreed == ["0", "0", "0"]
    assert solve(["693665"], plain).agreed == [None, None, None]


def test_markdown_pipe_table() -> None:
    md = "\n".join([
        "# 某镇2023年政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        "| 第二十条第（一）项 | | | |",
        "|---|---|---|---|",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "| 规章 | 0 | 0 | 0 |",
        "| 行政规范性文件 | 3 | 1 | 12 |",
        "| 第二十条第（五）项 | | | |",
        "| 信息内容 | 本年处理决定数量 | | |",
        "| 行政许可 | 1,024 | | |",
    ])
    r = extract_document(md.encode(), "t.md")
    got = {(c.row_key, c.col_key): c.value for c in r.cells}
    assert got[("normative_documents", "in_force_count")] == 12
    assert got[("admin_licensing", "decisions")] == 1024
    assert r.year == 2023
