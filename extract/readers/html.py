"""HTML → Document: report tables as span-expanded grids, the body text, title and <meta> tags."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..grid import Document, SourceCell, Table

MAX_SPAN = 64  # a hostile rowspan="100000" must not allocate a huge grid
MAX_CELLS = 20000
# Only tables that mention one of these are report tables; layout tables are skipped early.
_TABLE_MARKERS = ("第二十条", "二十条", "本年新收", "新收政府", "行政复议", "信息内容", "申请人", "申請人",
                  "行政復議", "結果維持", "结果维持", "處理決定", "处理决定", "统计", "統計", "指标")
_WS = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


def _span(node: LexborNode, name: str) -> int:
    v = node.attributes.get(name)
    if not v:
        return 1
    m = re.match(r"\s*(\d+)", v)
    return max(1, min(int(m.group(1)), MAX_SPAN)) if m else 1


def _cell_text(node: LexborNode) -> str:
    # Line breaks inside a cell split words (本年新<br>制作数量); readers keep them as spaces.
    return _WS.sub(" ", node.text(deep=True, separator="", strip=False)).strip()


def table_grid(table: LexborNode, index: int) -> Table:
    """Expand rowspan/colspan into copies marked span_copy, so positions match the printed grid."""
    occupied: dict[tuple[int, int], SourceCell] = {}
    rows: list[list[SourceCell]] = []
    r = 0
    cells_seen = 0
    for tr in table.css("tr"):
        owner = _owner_table(tr)
        if owner is not None and owner.mem_id != table.mem_id:
            continue  # a row of a nested table
        c = 0
        for td in tr.iter():
            if td.tag not in ("td", "th"):
                continue
            while (r, c) in occupied:
                c += 1
            text = _cell_text(td)
            rs, cs = _span(td, "rowspan"), _span(td, "colspan")
            for dr in range(rs):
                for dc in range(cs):
                    occupied[(r + dr, c + dc)] = SourceCell(text, r + dr, c + dc, span_copy=bool(dr or dc))
            c += cs
            cells_seen += rs * cs
        r += 1
        if cells_seen > MAX_CELLS:
            break
    by_row: dict[int, list[SourceCell]] = {}
    for (ri, _), cell in occupied.items():
        by_row.setdefault(ri, []).append(cell)
    for i in range(max(by_row, default=-1) + 1):
        rows.append(sorted(by_row.get(i, []), key=lambda x: x.col))
    return Table(rows=rows, index=index, kind="grid")


def _owner_table(node: LexborNode) -> LexborNode | None:
    p = node.parent
    while p is not None and p.tag != "table":
        p = p.parent
    return p


def read_html(text: str) -> Document:
    tree = LexborHTMLParser(text)
    doc = Document(source_format="html")
    for m in tree.css("meta[name]"):
        name = (m.attributes.get("name") or "").strip()
        content = m.attributes.get("content")
        if name and content:
            doc.meta[name] = content.strip()
    title_node = tree.css_first("title")
    doc.title = doc.meta.get("ArticleTitle") or (title_node.text(strip=True) if title_node else None)
    body = tree.body or tree.root
    if body is None:
        return doc
    index = 0
    for table in body.css("table"):
        if len(table.css("table")) > 1:  # the node itself matches too
            continue  # layout wrapper; its inner tables are visited on their own
        t = table.text(deep=True)
        if not any(k in t for k in _TABLE_MARKERS):
            continue
        doc.tables.append(table_grid(table, index))
        index += 1
    doc.text = body.text(deep=True, separator="\n")
    doc.images_in_body = len(body.css("img"))
    return doc
