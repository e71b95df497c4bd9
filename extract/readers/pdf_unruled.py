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
from dataclasses import dataclass, field, replace

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
    widest: float = float("inf")  # a header word wider than this is prose
    starts_page: bool = False
    ends_page: bool = False
    origin: tuple[int, float] | None = None  # page and top of its first line, when on the page before
    cells: list[HeaderCell] = field(default_factory=list)
    leaves: list[HeaderCell] | None = None


def _size_ok(ln: BLine, size: float) -> bool:
    return abs(ln.size - size) <= _SIZE * size


def _label_only(ln: BLine, edge: float) -> bool:
    return ln.first_value() is None and all(s.x1 <= edge + _TOL * s.size for s in ln.segs)


def _header_line(ln: BLine, edge: float, widest: float = float("inf")) -> bool:
    """No numbers, words over the value columns, nothing straddling the label/value boundary, no
    word wider than `widest` (a line of prose)."""
    if ln.first_value() is not None:
        return False
    tol = _TOL * ln.size
    return (any(s.x0 >= edge - tol for s in ln.segs) and all(s.x1 <= edge + tol or s.x0 >= edge - tol for s in ln.segs)
            and all(s.width <= widest for s in ln.segs))


def _edge(body: list[BLine], value_left: float, size: float) -> tuple[float, float]:
    """Where label columns end (after the widest label of the body, not right of the first number),
    and how wide a header word may be. A table of numbers only (表四) has no label columns: any word
    above it is over its columns (its first column may be blank, and a header word over it starts
    left of every number), unless it is as wide as half the table (a line of prose)."""
    labels = [s.x1 for ln in body for s in ln.segs if s.x1 <= value_left + _TOL * size and not s.value
              and s.x0 < value_left - _TOL * size]
    if labels:
        return min(value_left, max(labels) + _TOL * size), float("inf")
    segs = [s for ln in body for s in ln.segs]
    extent = max(s.x1 for s in segs) - min(s.x0 for s in segs)
    return float("-inf"), max(extent / 2, 4 * size)


def find_parts(lines: list[BLine]) -> tuple[list[Part], list[BLine]]:
    """The borderless table parts of one page (lines top to bottom), and the lines after the last."""
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
        edge, widest = _edge(lines[i:last + 1], value_left, size)
        if j > last + 1 and not (j < n and _size_ok(lines[j], size) and _header_line(lines[j], edge, widest)):
            end = j - 1  # label-only lines after the last numbers are blank rows, not the next table's titles
        part = Part(lines[i].page, [], [], lines[i:end + 1], value_left, 0.0, size, ends_page=end == n - 1)
        part.edge, part.widest = _edge(part.body, value_left, size)
        k = _head(part, lines[floor:i]) + floor
        part.starts_page = all(CONTINUED.match(ln.text) for ln in lines[:k])
        parts.append(part)
        i = floor = end + 1
    return parts, lines[floor:]


def _head(part: Part, above: list[BLine], need_header: bool = False) -> int:
    """Give the part the header band and titles that end `above` (the lines just above its body);
    label-only lines between the header and the body are the body's first rows. Returns the index in
    `above` of the part's first line. With `need_header`, nothing is taken unless a header is found."""
    k = len(above) - 1
    while k >= 0 and _size_ok(above[k], part.size) and (_header_line(above[k], part.edge, part.widest)
                                                        or _label_only(above[k], part.value_left)):
        k -= 1
    band = above[k + 1:]
    heads = [x for x, ln in enumerate(band) if _header_line(ln, part.edge, part.widest)]
    if need_header and (not heads or (part.header and heads[-1] != len(band) - 1)):
        return len(above)
    if heads:
        part.titles = [t for t in band[:heads[0]] if not CONTINUED.match(t.text)]
        part.header = band[heads[0]: heads[-1] + 1] + part.header  # a header begun on the page before
        part.body = band[heads[-1] + 1:] + part.body
    else:
        part.body = band + part.body
    return k + 1


def _above(lines: list[BLine], first: BLine) -> list[BLine]:
    """Copies of a page's last lines moved to just above `first` (the next page's first line), so
    that a header cut by the page break is one band."""
    shift = first.top - 2 * first.size - lines[-1].bottom
    return [replace(ln, top=ln.top + shift, bottom=ln.bottom + shift,
                    segs=[replace(s, top=s.top + shift, bottom=s.bottom + shift) for s in ln.segs]) for ln in lines]


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
    return to_table(grid, 0, (first.titles + first.header + first.body)[0].page)


def read_unruled(pages: list[list[BLine]]) -> list[tuple[int, float, Table]]:
    """The borderless tables of the given pages' lines, each with its first page and top."""
    parts: list[Part] = []
    tail: list[BLine] = []  # the previous page's lines after its last part
    for lines in pages:
        found, rest = find_parts(lines)
        for p in found:
            if p is found[0] and p.starts_page and tail and tail[-1].page == p.page - 1:
                # a table whose header begins at the foot of one page, its body (or the header's end) on the next
                k = _head(p, _above(tail, (p.header + p.body)[0]), need_header=True)
                if k < len(tail):
                    p.origin = (tail[k].page, tail[k].top)
        parts.extend(found)
        tail = rest
    out: list[tuple[int, float, Table]] = []
    for chain in _chain(parts):
        table = _build(chain)
        if table is not None:
            first = (chain[0].titles + chain[0].header + chain[0].body)[0]
            out.append((*(chain[0].origin or (first.page, first.top)), table))
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
