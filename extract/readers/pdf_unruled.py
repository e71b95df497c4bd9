"""Tables drawn without rules (Word tables exported without borders, tables a printer driver converted)
read into the same grids as ruled ones.

On a page's baseline lines (`pdf_layout`), outside any ruled table:

* a **body** is a run of lines carrying numbers, with the label-only lines between them (blank
  rows, labels wrapped over several lines), in one type size; it ends at a line of another size or
  one with words over the numbers' columns;
* its **header band** is the run of lines just above it with words over the numbers' columns (label
  lines among them, like the 本列数据… note beside 自然人); label-only lines above the header are
  **titles** (第二十条第（五）项);
* a body at the top of a page, with no header of its own (or the same header repeated), continues
  the table that ended the previous page; a body without header that continues nothing is not read
  as a table (its numbers' columns cannot be known), and its lines stay in the page text.

Value columns come from the header's leaf words, and numbers are placed in them only with certainty
(`pdf_columns`); rows, labels and group labels as in `pdf_unruled_rows`. A table continued on the
next page is joined like a ruled one (`pdf_grid.join_pages`: a label or a row cut by the break is
rejoined); page numbers and running heads were removed from the lines before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..grid import Table
from .cjk import join_lines
from .pdf_columns import HeaderCell, columns, header_cells, leaves
from .pdf_grid import Grid, join_pages, to_table
from .pdf_layout import BLine, Seg, is_value
from .pdf_unruled_rows import blocks, body_grid, header_grid, label_starts, rows

_TOL = 0.5  # ems: edges this close are on the same side of the label/value boundary
_SIZE = 0.15  # a line whose type size differs more than this share is not part of the table
# "续表" / "（续上表）" / "接上表" captions a continued table; it does not end or start one.
CONTINUED = re.compile(r"^\s*[（(]?\s*(?:续|接)上?表\s*[0-9一二三四五六七八九十]*\s*[）)]?\s*[：:]?\s*$")


@dataclass
class Part:
    """One page's piece of a borderless table."""

    page: int
    titles: list[BLine]
    header: list[BLine]
    body: list[BLine]
    value_left: float  # where the leftmost number starts
    edge: float  # the boundary between label columns and value columns
    size: float  # the table's type size
    starts_page: bool = False
    ends_page: bool = False
    cells: list[HeaderCell] = field(default_factory=list)
    leaves: list[HeaderCell] | None = None


def _size_ok(ln: BLine, size: float) -> bool:
    return abs(ln.size - size) <= _SIZE * size


def _label_only(ln: BLine, edge: float) -> bool:
    return ln.first_value() is None and all(s.x1 <= edge + _TOL * s.size for s in ln.segs)


def _header_line(ln: BLine, edge: float) -> bool:
    """No numbers, words over the value columns, nothing straddling the label/value boundary."""
    if ln.first_value() is not None:
        return False
    tol = _TOL * ln.size
    return any(s.x0 >= edge - tol for s in ln.segs) and all(s.x1 <= edge + tol or s.x0 >= edge - tol for s in ln.segs)


def _edge(body: list[BLine], value_left: float, size: float) -> float:
    """Where label columns end: after the widest label of the body, not right of the first number."""
    labels = [s.x1 for ln in body for s in ln.segs if s.x1 <= value_left + _TOL * size and not s.value
              and s.x0 < value_left - _TOL * size]
    return min(value_left, max(labels) + _TOL * size) if labels else value_left


def find_parts(lines: list[BLine]) -> list[Part]:
    """The borderless table parts of one page (lines top to bottom)."""
    parts: list[Part] = []
    n = len(lines)
    i = floor = 0
    while i < n:
        first = lines[i].first_value()
        if first is None:
            i += 1
            continue
        size, value_left, last, j = lines[i].size, first.x0, i, i + 1
        while j < n and _size_ok(lines[j], size):
            fv = lines[j].first_value()
            if fv is not None:
                value_left, last = min(value_left, fv.x0), j
            elif not _label_only(lines[j], value_left):
                break
            j += 1
        end = last
        if j > last + 1 and not (j < n and _size_ok(lines[j], size) and _header_line(lines[j], value_left)):
            end = j - 1  # label-only lines after the last numbers are blank rows, not the next table's titles
        body = lines[i:end + 1]
        edge = _edge(body, value_left, size)
        above: list[BLine] = []
        k = i - 1
        while k >= floor and _size_ok(lines[k], size) and (_header_line(lines[k], edge)
                                                           or _label_only(lines[k], value_left)):
            above.insert(0, lines[k])
            k -= 1
        heads = [x for x, ln in enumerate(above) if _header_line(ln, edge)]
        if heads:
            titles, header, body = above[:heads[0]], above[heads[0]: heads[-1] + 1], above[heads[-1] + 1:] + body
        else:
            titles, header, body = [], [], above + body
        titles = [t for t in titles if not CONTINUED.match(t.text)]
        parts.append(Part(lines[i].page, titles, header, body, value_left, edge, size,
                          starts_page=all(CONTINUED.match(ln.text) for ln in lines[:k + 1]),
                          ends_page=end == n - 1))
        i = floor = end + 1
    return parts


def _leaf_texts(part: Part) -> tuple[str, ...]:
    return tuple(leaf.text for leaf in part.leaves or ())


def _chain(parts: list[Part]) -> list[list[Part]]:
    """Parts of one table: a part at the top of a page, with no header or the same header as the table
    that ended the previous page, continues it. Headerless parts that continue nothing are dropped."""
    out: list[list[Part]] = []
    for p in parts:
        if p.header:
            p.cells = header_cells(p.header, p.edge - _TOL * p.size)
            p.leaves = leaves(p.cells)
        prev = out[-1][-1] if out else None
        if (prev is not None and prev.ends_page and p.starts_page and p.page == prev.page + 1 and not p.titles
                and (not p.header or (p.leaves is not None and _leaf_texts(p) == _leaf_texts(out[-1][0])))):
            p.header, p.cells, p.leaves = [], [], None
            out[-1].append(p)
        elif p.header and p.leaves:
            out.append([p])
    return out


def _build(parts: list[Part]) -> Table | None:
    first = parts[0]
    lv = first.leaves
    if not lv:
        return None
    is_label: dict[int, bool] = {}
    value_segs: dict[int, list[Seg]] = {}
    for part in parts:
        tol = _TOL * part.size
        for ln in part.body:
            for s in ln.segs:
                is_label[id(s)] = s.x0 < first.edge - tol
            value_segs[id(ln)] = [s for s in ln.segs if not is_label[id(s)]]
    label_segs = [s for part in parts for ln in part.body for s in ln.segs if is_label[id(s)]]
    starts = label_starts(label_segs)
    cols = columns(lv, [s for segs in value_segs.values() for s in segs])
    nlabels = len(starts)
    grid = Grid(nlabels + len(lv))
    tol = _TOL * first.size
    label_text = join_lines([s.text for ln in first.header for s in ln.segs if s.x0 < first.edge - tol])
    header_grid(grid, first.cells, lv, label_text, [t.text for t in first.titles], nlabels)
    value_start = min(lv[0].x0, first.value_left)
    for k, part in enumerate(parts):
        start = len(grid.rows)
        cells = blocks(part.body, is_label, starts, value_start)
        body = rows(part.body, cells, value_segs, cols)
        body_grid(grid, body, [b for b in cells if b.group], nlabels)
        if k > 0:
            join_pages(grid, start)
    return to_table(grid, 0, first.page)


def read_unruled(pages: list[list[BLine]]) -> list[tuple[int, float, Table]]:
    """The borderless tables of the given pages' lines, each with its first page and top."""
    parts = [p for lines in pages for p in find_parts(lines)]
    out: list[tuple[int, float, Table]] = []
    for chain in _chain(parts):
        table = _build(chain)
        if table is not None:
            top = min(ln.top for ln in chain[0].titles + chain[0].header + chain[0].body)
            out.append((chain[0].page, top, table))
    return out


def has_unruled_numbers(texts: list[str]) -> bool:
    """A cheap look at a page's lines (column gaps printed as spaces): numbers set apart from their
    labels on at least two lines, or three on one line. Pages without are not searched."""
    found = 0
    for text in texts:
        tokens = text.split(" ")
        numbers = sum(1 for t in tokens[1:] if is_value(t))
        if numbers:
            found += 2 if numbers >= 3 else 1
        if found >= 2:
            return True
    return False
