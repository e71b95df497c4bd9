"""HTML → Document: report tables as span-expanded grids, the body text, title and <meta> tags.

Lexbor does the walking: one selector pass over the head (title, <meta> tags) and one over the body
(innermost tables, pictures, and stray <meta> tags), and one text extraction of the body
(pictures stand in it as a mark, which gives the picture count and is then taken out). Python
touches only the report tables' cells.
"""

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
# What an <img> becomes in the body text while its pictures are counted: a noncharacter, which
# no page prints, so taking it out again gives the text exactly as it was.
_IMG_MARK = "\ufdd0"
_TEXT_SEPARATOR = "\n"
_AFTER_TABLES = re.compile(r"存在的主要问题|存在主要问题|其他需要报告|存在的主要問題|其他需要報告")
# One selector pass each over head and body. Tables with no table inside: a table holding others
# is a layout wrapper, and its inner tables are visited on their own.
_HEAD_THINGS = "meta[name], title"
_BODY_THINGS = "table:not(:has(table)), img, meta[name], title"


def _span(value: str | None) -> int:
    if not value:
        return 1
    m = _INT.match(value)
    return max(1, min(int(m.group(1)), MAX_SPAN)) if m else 1


def table_grid(table: LexborNode, index: int) -> Table:
    """Expand rowspan/colspan into copies marked span_copy, so positions match the printed grid.

    Only innermost tables come here, so every <tr> below belongs to this table. A row's own cells
    come in column order; a row that received copies from a rowspan above is sorted at the end."""
    grid: list[list[SourceCell]] = []
    covered: dict[int, set[int]] = {}  # row → columns a rowspan from an earlier row covers
    spanned = {node.mem_id for node in table.css("[rowspan], [colspan]")}
    cells_seen = 0
    for r, tr in enumerate(table.css("tr")):
        if len(grid) <= r:
            grid.append([])
        row = grid[r]
        taken = covered.get(r, ())
        c = 0
        for td in tr.iter():
            tag = td.tag
            if tag != "td" and tag != "th":
                continue
            while c in taken:
                c += 1
            # Line breaks inside a cell split words (本年新<br>制作数量): whitespace runs become one space.
            text = " ".join(td.text(deep=True, separator="", strip=False).split())
            if td.mem_id not in spanned:
                row.append(SourceCell(text, r, c))
                c += 1
                cells_seen += 1
                continue
            attrs = td.attributes
            rs = _span(attrs.get("rowspan")) if "rowspan" in attrs else 1
            cs = _span(attrs.get("colspan")) if "colspan" in attrs else 1
            for dc in range(cs):
                row.append(SourceCell(text, r, c + dc, span_copy=bool(dc)))
            for rr in range(r + 1, r + rs):
                while len(grid) <= rr:
                    grid.append([])
                cols = covered.setdefault(rr, set())
                for dc in range(cs):
                    grid[rr].append(SourceCell(text, rr, c + dc, span_copy=True))
                    cols.add(c + dc)
            c += cs
            cells_seen += rs * cs
        if cells_seen > MAX_CELLS:
            break
    for r in covered:  # copies from above came before the row's own cells
        grid[r].sort(key=_col)
    while grid and not grid[-1]:  # <tr>s without cells at the end are no rows of the grid
        grid.pop()
    return Table(rows=grid, index=index, kind="grid")


def _col(cell: SourceCell) -> int:
    return cell.col


def read_html(text: str) -> Document:
    tree = LexborHTMLParser(text)
    doc = Document(source_format="html")
    body = tree.body
    # The head holds the title and most <meta> tags; the body pass picks up those a CMS put there.
    head = tree.head if body is not None else None
    body = body or tree.root  # a <frameset> page has no body
    if body is None:
        return doc
    found = [*(head.css(_HEAD_THINGS) if head is not None else ()), *body.css(_BODY_THINGS)]
    title_node = None
    pictures = []
    for node in found:
        tag = node.tag
        if tag == "table":
            if _TABLE_MARKERS.search(node.text(deep=True)):
                doc.tables.append(table_grid(node, len(doc.tables)))
        elif tag == "img":
            pictures.append(node)
        elif tag == "title":
            title_node = title_node or node
        else:
            attrs = node.attributes
            name = (attrs.get("name") or "").strip()
            content = attrs.get("content")
            if name and content:
                doc.meta[name] = content.strip()
    doc.title = doc.meta.get("ArticleTitle") or (title_node.text(strip=True) if title_node else None)
    if not pictures:
        doc.text = body.text(deep=True, separator=_TEXT_SEPARATOR)
        return doc
    for img in pictures:  # after the tables are read: the marks must not reach the cells
        img.replace_with(_IMG_MARK)
    marked = body.text(deep=True, separator=_TEXT_SEPARATOR)
    doc.text = _unmarked(marked)
    doc.images_in_body = _images_in_table_sections(marked)
    return doc


def _unmarked(marked: str) -> str:
    """The body text without the picture marks. The text is its text nodes joined by the separator
    and every mark is a text node of its own: drop each with the separator joining it."""
    text = marked.replace(_TEXT_SEPARATOR + _IMG_MARK, "")
    if text.startswith(_IMG_MARK):  # marks before the first text, or no text at all
        text = text[len(_IMG_MARK):].removeprefix(_TEXT_SEPARATOR)
    return text


def _images_in_table_sections(marked: str) -> int:
    """<img> from the first table-section heading to the section after the tables: where a report
    whose tables were pasted as pictures has them. Logos before the article and badges and QR
    codes in the portal footer fall outside."""
    text = "".join(marked.split())
    start = TABLE_SECTIONS.search(text)
    if start is None:
        return 0
    end = _AFTER_TABLES.search(text, start.end())
    return text.count(_IMG_MARK, start.start(), end.start() if end else len(text))
