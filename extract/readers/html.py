"""HTML → Document: report tables as span-expanded grids, the body text, title and <meta> tags."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from gongkai import schema
from gongkai.normalize import loose

from ..grid import TABLE_SECTIONS, Document, SourceCell, Table

MAX_SPAN = 64  # a hostile rowspan="100000" must not allocate a huge grid
MAX_CELLS = 20000
# Only tables that mention one of these are report tables; layout tables are skipped early: the
# words that open the form's tables and a few header words (schema.TABLE_STARTS, TABLE_HEADER_WORDS),
# in any script and spacing, and the 统计/指标 of the pre-2019 statistics tables.
_TABLE_MARKERS = re.compile("|".join(loose(w) for w in (
    *dict.fromkeys(w for words in schema.TABLE_STARTS.values() for w in words),
    *schema.TABLE_HEADER_WORDS, "统计", "指标")))
_INT = re.compile(r"\s*(\d+)")
_IMG_MARK = "\ue000"  # a private-use character standing for an <img> while counting
_AFTER_TABLES = re.compile(r"存在的主要问题|存在主要问题|其他需要报告|存在的主要問題|其他需要報告")


def _span(value: str | None) -> int:
    if not value:
        return 1
    m = _INT.match(value)
    return max(1, min(int(m.group(1)), MAX_SPAN)) if m else 1


def table_grid(table: LexborNode, index: int) -> Table:
    """Expand rowspan/colspan into copies marked span_copy, so positions match the printed grid.

    Only innermost tables come here, so every <tr> below belongs to this table."""
    occupied: dict[tuple[int, int], SourceCell] = {}
    by_row: dict[int, list[SourceCell]] = {}
    cells_seen = 0
    for r, tr in enumerate(table.css("tr")):
        c = 0
        for td in tr.iter():
            if td.tag not in ("td", "th"):
                continue
            while (r, c) in occupied:
                c += 1
            # Line breaks inside a cell split words (本年新<br>制作数量): whitespace runs become one space.
            text = " ".join(td.text(deep=True, separator="", strip=False).split())
            attrs = td.attributes
            rs = _span(attrs.get("rowspan")) if "rowspan" in attrs else 1
            cs = _span(attrs.get("colspan")) if "colspan" in attrs else 1
            for dr in range(rs):
                row = by_row.setdefault(r + dr, [])
                for dc in range(cs):
                    cell = SourceCell(text, r + dr, c + dc, span_copy=bool(dr or dc))
                    occupied[(r + dr, c + dc)] = cell
                    row.append(cell)
            c += cs
            cells_seen += rs * cs
        if cells_seen > MAX_CELLS:
            break
    rows = [sorted(by_row.get(i, []), key=lambda x: x.col) for i in range(max(by_row, default=-1) + 1)]
    return Table(rows=rows, index=index, kind="grid")


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
        if not _TABLE_MARKERS.search(t):
            continue
        doc.tables.append(table_grid(table, index))
        index += 1
    doc.text = body.text(deep=True, separator="\n")
    doc.images_in_body = _images_in_table_sections(body)
    return doc


def _images_in_table_sections(body: LexborNode) -> int:
    """<img> from the first table-section heading to the section after the tables: where a report
    whose tables were pasted as pictures has them. Logos before the article and badges and QR
    codes in the portal footer fall outside. Changes the tree: call it last."""
    images = body.css("img")
    if not images:
        return 0
    for img in images:
        img.replace_with(_IMG_MARK)
    text = "".join(body.text(deep=True, separator="").split())
    start = TABLE_SECTIONS.search(text)
    if start is None:
        return 0
    end = _AFTER_TABLES.search(text, start.end())
    return text.count(_IMG_MARK, start.start(), end.start() if end else len(text))
