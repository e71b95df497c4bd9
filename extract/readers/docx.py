"""DOCX → Document with python-docx: tables as span-expanded grids, paragraphs as text.

The grid is built from the XML rather than from python-docx's `row.cells`, so rows that start
late (`w:gridBefore`) or end early stay aligned: each `w:tc` covers `w:gridSpan` columns, a
`w:vMerge` continuation belongs to the cell above it in the same column, and positions covered
by a cell other than its top-left one are `span_copy`. Cell text joins the cell's paragraphs
the CJK way; a cell holding only full-width spaces (`\\u3000`, common in templates) is blank.

Tables nested in a cell (reports laid out inside a one-cell frame table) are grids of their own,
in document order after the table that holds them.

The zip is checked first (`zipsafe`): zip bombs and parts with a DOCTYPE are refused.
"""

from __future__ import annotations

import io
from typing import Any

from ..errors import UnreadableError
from ..grid import Document, SourceCell, Table
from .cjk import cell_text, squeeze
from .zipsafe import open_checked_zip

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_EMU_PER_INCH = 914400
MAX_GRID_COLS = 200  # a gridSpan beyond this is damage, not a report table


def _val(el: Any, tag: str, default: str | None = None) -> str | None:
    child = el.find(f"{_W}{tag}") if el is not None else None
    if child is None:
        return default
    value = child.get(f"{_W}val")
    return value if value is not None else ""


def _int(text: str | None, default: int) -> int:
    try:
        return max(int(text or default), 0)
    except ValueError:
        return default


def _tc_text(tc: Any) -> str:
    paras: list[str] = []
    for p in tc.iter(f"{_W}p"):
        if next(p.iterancestors(f"{_W}tc"), None) is not tc:
            continue  # a nested table's paragraph: not this cell's own text
        parts: list[str] = []
        for node in p.iter(f"{_W}t", f"{_W}br", f"{_W}tab", f"{_W}cr"):
            if node.tag == f"{_W}t":
                parts.append(node.text or "")
            else:
                parts.append("\n" if node.tag != f"{_W}tab" else " ")
        paras.append("".join(parts))
    return cell_text("\n".join(paras))


def table_grid(tbl: Any, index: int = 0) -> Table:
    """One `w:tbl` element → a span-expanded `Table`."""
    owners: list[list[Any]] = []  # per row: the owning w:tc per grid column (None = no cell)
    declared: list[int] = []  # per row: the grid columns it covers, with those w:gridAfter leaves empty
    texts: dict[int, str] = {}
    for tr in tbl.findall(f"{_W}tr"):
        trpr = tr.find(f"{_W}trPr")
        col = _int(_val(trpr, "gridBefore", "0"), 0)
        row: list[Any] = [None] * min(col, MAX_GRID_COLS)
        for tc in tr.findall(f"{_W}tc"):
            tcpr = tc.find(f"{_W}tcPr")
            span = min(_int(_val(tcpr, "gridSpan", "1"), 1) or 1, MAX_GRID_COLS)
            vmerge = _val(tcpr, "vMerge")
            owner = tc
            if vmerge is not None and vmerge != "restart" and owners:
                above = owners[-1]
                if col < len(above) and above[col] is not None:
                    owner = above[col]
            if id(owner) not in texts:
                texts[id(owner)] = _tc_text(owner)
            row.extend([owner] * span)
            col += span
            if col >= MAX_GRID_COLS:
                break
        owners.append(row[:MAX_GRID_COLS])
        declared.append(len(row) + _int(_val(trpr, "gridAfter", "0"), 0))
    width = max((len(r) for r in owners), default=0)
    seen: set[int] = set()
    rows: list[list[SourceCell]] = []
    for r, row in enumerate(owners):
        out: list[SourceCell] = []
        # A row whose cells stop short of the grid, with no w:gridAfter saying so, lost a cell: it
        # stays short (as an HTML row missing a <td>), so the mapper sees a short row instead of a
        # blank last column with the values before it shifted left.
        for c in range(width if declared[r] >= width else len(row)):
            owner = row[c] if c < len(row) else None
            if owner is None:
                out.append(SourceCell("", r, c))
                continue
            out.append(SourceCell(texts[id(owner)], r, c, span_copy=id(owner) in seen))
            seen.add(id(owner))
        rows.append(out)
    return Table(rows=rows, index=index, kind="grid")


def _row_line(table: Table) -> list[str]:
    return [" ".join(c.text for c in row if c.text and not c.span_copy) for row in table.rows]


def read_docx(data: bytes) -> Document:
    """Read a DOCX report: top-level tables as grids, body text in order, title."""
    import docx

    open_checked_zip(data, "DOCX")
    try:
        d = docx.Document(io.BytesIO(data))
        body = d.element.body
    except Exception as e:  # python-docx raises KeyError, ValueError, lxml errors on damaged files
        raise UnreadableError(f"DOCX cannot be parsed: {type(e).__name__}: {e}") from e
    doc = Document(source_format="docx")
    lines: list[str] = []
    paragraphs: list[str] = []
    try:
        for el in body.iter(f"{_W}p", f"{_W}tbl"):
            if el.tag == f"{_W}p" and any(True for _ in el.iterancestors(f"{_W}tbl")):
                continue  # a cell's paragraph: read with its table
            if el.tag == f"{_W}tbl":
                # Nested tables are grids of their own (a report laid out inside a one-cell
                # table keeps its statistical tables); the outer cell's text leaves them out.
                table = table_grid(el, len(doc.tables))
                doc.tables.append(table)
                lines.extend(ln for ln in _row_line(table) if ln)
            else:
                text = squeeze("".join(t.text or "" for t in el.iter(f"{_W}t")).strip())
                if text:
                    lines.append(text)
                    paragraphs.append(text)
        doc.meta = _core_meta(d)
        doc.images_in_body = _wide_pictures(d, body)
    except UnreadableError:
        raise
    except Exception as e:  # malformed XML structure
        raise UnreadableError(f"DOCX body cannot be read: {type(e).__name__}: {e}") from e
    doc.text = "\n".join(lines)
    doc.title = next((p for p in paragraphs[:8] if "报告" in p), None) or doc.meta.get("title")
    return doc


def _wide_pictures(d: Any, body: Any) -> int:
    """Pictures (inline or floating) half the text width or wider: pasted tables, not seals."""
    text_width = 0
    if len(d.sections):
        section = d.sections[0]
        if section.page_width:
            text_width = section.page_width - (section.left_margin or 0) - (section.right_margin or 0)
    half = text_width / 2 if text_width > 0 else 3 * _EMU_PER_INCH
    frames = (f"{_WP}inline", f"{_WP}anchor")
    return sum(
        1
        for extent in body.iter(f"{_WP}extent")
        if getattr(extent.getparent(), "tag", None) in frames and _int(extent.get("cx"), 0) >= half
    )


def _core_meta(d: Any) -> dict[str, str]:
    cp = d.core_properties
    out: dict[str, str] = {}
    for key in ("title", "author", "subject", "keywords"):
        value = getattr(cp, key, None)
        if value:
            out[key] = str(value)
    for key in ("created", "modified"):
        value = getattr(cp, key, None)
        if value is not None:
            out[key] = value.isoformat()
    return out
