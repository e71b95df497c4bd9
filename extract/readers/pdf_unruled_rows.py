"""The rows of a borderless table part (one page of it) as owner ids on a `Grid`.

Label columns start where the labels of the body start (x positions shared by several labels).
A label cell is a stack of lines in one label column: a line joins the one above when it is just
below it, carries no enumeration mark of its own (`1.` `（二）` `三、`), and the line above ran
on to the column's edge or sits closer than rows sit apart. A label cell with a label to its right
at the same height is a group label (`（三）不予公开`, a rowspan in the ruled form); the others are
leaf labels. Rows are where leaf labels and lines of numbers overlap vertically: a number centred
in a tall cell lies between its label's lines. A group label covers the rows it overlaps, and the
empty positions of its column are given to the nearest group label (ruled forms centre the label
on its rows); label positions nothing covers are fillers. Values sit in their columns
(`pdf_columns`); a row with a number of unknown column has all its values marked unsure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median

from .cjk import join_lines
from .pdf_columns import Columns, HeaderCell
from .pdf_grid import Grid
from .pdf_layout import BLine, Seg

_ENUMERATED = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+\s*[、.．]|第[一二三四五六七八九十\d]+)")
_RUNS_ON = 2.2  # ems: a line ending closer than this to its column's edge filled it
_START_TOL = 2.0  # points: labels starting this close start in one column


@dataclass
class Block:
    """A label cell: its lines in one label column."""

    col: int
    segs: list[Seg]
    runs_on: bool = False
    group: bool = False

    @property
    def top(self) -> float:
        return self.segs[0].top

    @property
    def bottom(self) -> float:
        return self.segs[-1].bottom

    @property
    def text(self) -> str:
        return join_lines([s.text for s in self.segs])


@dataclass
class Row:
    top: float
    bottom: float
    leaves: list[Block] = field(default_factory=list)
    values: list[tuple[Seg, int | None]] = field(default_factory=list)  # number, value column (None: unsure)
    label_only: bool = False  # a label whose numbers cannot be told: no value cells at all


def label_starts(segs: list[Seg]) -> list[float]:
    """Where label columns start: x positions shared by at least two labels, and the leftmost."""
    xs = sorted(s.x0 for s in segs)
    if not xs:
        return []
    groups: list[list[float]] = []
    for x in xs:
        if groups and x - groups[-1][0] <= _START_TOL:
            groups[-1].append(x)
        else:
            groups.append([x])
    starts = [g[0] for g in groups if len(g) >= 2]
    return sorted({groups[0][0], *starts})


def _col_of(seg: Seg, starts: list[float]) -> int:
    return max((i for i, x in enumerate(starts) if x <= seg.x0 + _START_TOL), default=0)


def _runs_on(seg: Seg, starts: list[float], value_start: float) -> bool:
    edge = min([x for x in starts if x > seg.x1 - 0.5 * seg.size] + [value_start])
    return edge - seg.x1 < _RUNS_ON * seg.size


def _row_gap(lines: list[BLine]) -> float:
    """How far apart (bottom to top) consecutive lines of numbers sit: rows' spacing."""
    tops = [ln for ln in lines if ln.first_value() is not None]
    gaps = [b.top - a.bottom for a, b in pairwise(tops) if b.top > a.bottom]
    return median(gaps) if gaps else 0.0


def blocks(lines: list[BLine], is_label: dict[int, bool], starts: list[float], value_start: float) -> list[Block]:
    """The label cells of a part: label segments stacked per label column."""
    row_gap = _row_gap(lines)
    # the label nearest to a line's numbers is theirs (the ones left of it are group labels)
    has_values: dict[int, bool] = {}
    for ln in lines:
        mine = [s for s in ln.segs if is_label[id(s)]]
        for s in mine:
            has_values[id(s)] = ln.first_value() is not None and s is mine[-1]
    out: list[Block] = []
    open_by_col: dict[int, Block] = {}
    for ln in lines:
        for seg in ln.segs:
            if not is_label[id(seg)]:
                continue
            col = _col_of(seg, starts)
            prev = open_by_col.get(col)
            if prev is not None and _joins(prev, seg, row_gap, has_values):
                prev.segs.append(seg)
                prev.runs_on = _runs_on(seg, starts, value_start)
                continue
            block = Block(col, [seg], _runs_on(seg, starts, value_start))
            out.append(block)
            open_by_col[col] = block
    for b in out:
        b.group = any(o.col > b.col and o.segs[0].x0 > b.segs[0].x0 and o.top < b.bottom and b.top < o.bottom
                      for o in out)
    return out


def _joins(block: Block, seg: Seg, row_gap: float, has_values: dict[int, bool]) -> bool:
    last = block.segs[-1]
    gap = seg.top - last.bottom
    if gap > 0.6 * seg.size or gap < -0.3 * seg.size or _ENUMERATED.match(seg.text):
        return False
    if abs(seg.x0 - last.x0) > _START_TOL and abs(seg.x0 + seg.x1 - last.x0 - last.x1) > 2 * _START_TOL:
        return False
    if has_values[id(seg)] and any(has_values[id(s)] for s in block.segs):
        return False  # two lines with numbers are two rows
    return block.runs_on or gap < 0.6 * row_gap


def _overlap(a_top: float, a_bottom: float, b_top: float, b_bottom: float, size: float) -> bool:
    return a_top < b_bottom - 0.15 * size and b_top < a_bottom - 0.15 * size


def rows(lines: list[BLine], label_blocks: list[Block], value_segs: dict[int, list[Seg]], cols: Columns) -> list[Row]:
    """Rows: leaf labels and lines of numbers that overlap vertically, top to bottom."""
    items: list[tuple[float, float, Block | BLine]] = [(b.top, b.bottom, b) for b in label_blocks if not b.group]
    for ln in lines:
        vs = value_segs.get(id(ln), [])
        if vs:
            items.append((min(s.top for s in vs), max(s.bottom for s in vs), ln))
    items.sort(key=lambda it: (it[0], it[1]))
    out: list[list[tuple[float, float, Block | BLine]]] = []
    for it in items:
        size = it[2].segs[0].size
        if out and any(_overlap(o[0], o[1], it[0], it[1], size) for o in out[-1]):
            out[-1].append(it)
        else:
            out.append([it])
    result: list[Row] = []
    for comp in out:
        leaves = [b for _t, _b, b in comp if isinstance(b, Block)]
        numbers = [ln for _t, _b, ln in comp if isinstance(ln, BLine)]
        top, bottom = min(t for t, _b, _x in comp), max(b for _t, b, _x in comp)
        if len(numbers) > 1 or (numbers and len(leaves) > 1):
            # Several rows' worth of labels or numbers at one height: which label the numbers belong to is
            # not known. The labels become label-only rows, the numbers a row without a label (placed by
            # the mapper between its neighbours, or reported).
            result.extend(Row(b.top, b.bottom, [b], label_only=True) for b in leaves)
            for ln in numbers:
                row = Row(ln.top, ln.bottom)
                _place(row, value_segs[id(ln)], cols)
                result.append(row)
            continue
        row = Row(top, bottom, leaves)
        for ln in numbers:
            _place(row, value_segs[id(ln)], cols)
        result.append(row)
    result.sort(key=lambda r: r.top)
    return result


def _place(row: Row, segs: list[Seg], cols: Columns) -> None:
    placed = [(s, cols.place(s)) for s in segs]
    taken = [c for _s, c in placed if c is not None]
    if len(taken) != len(set(taken)):
        placed = [(s, None) for s, _c in placed]  # two numbers in one column: neither is sure
    row.values.extend(placed)


def body_grid(grid: Grid, body: list[Row], groups: list[Block], nlabels: int) -> None:
    """Append the body rows to the grid: labels, group labels over their rows, values in their columns."""
    ncols = grid.ncols
    owners: list[list[int | None]] = [[None] * ncols for _ in body]
    for g in groups:
        hit = [i for i, r in enumerate(body) if _overlap(g.top, g.bottom, r.top, r.bottom, g.segs[0].size)]
        if not hit and body:
            mid = (g.top + g.bottom) / 2
            hit = [min(range(len(body)), key=lambda i: abs((body[i].top + body[i].bottom) / 2 - mid))]
        oid = grid.new_owner(g.text, g.runs_on)
        for i in range(hit[0], hit[-1] + 1) if hit else ():
            if owners[i][g.col] is None:
                owners[i][g.col] = oid
    group_ids = sorted({oid for row in owners for oid in row if oid is not None})
    for i, r in enumerate(body):
        label_only = r.label_only
        for leaf in r.leaves:
            oid = grid.new_owner(leaf.text, leaf.runs_on)
            c = leaf.col
            while c < nlabels and owners[i][c] is None:
                owners[i][c] = oid
                c += 1
        for c in range(nlabels, ncols):
            owners[i][c] = grid.filler() if label_only else None
        if label_only:
            continue
        for seg, col in r.values:
            if col is None:
                continue
            owners[i][nlabels + col] = grid.new_owner(seg.text)
        unsure = [seg for seg, col in r.values if col is None]
        if unsure:
            # the row's numbers in their printed order, none of them in a known column
            placed = sorted((seg for seg, _c in r.values), key=lambda s: s.x0)
            for c in range(nlabels, ncols):
                owners[i][c] = None
            owners[i].extend([None] * (nlabels + len(placed) - ncols))  # more numbers than columns: all kept
            for k, seg in enumerate(placed):
                oid = grid.new_owner(seg.text)
                grid.unsure.add(oid)
                owners[i][nlabels + k] = oid
    _extend_groups(owners, group_ids, nlabels)
    for row in owners:
        grid.rows.append([oid if oid is not None else (grid.filler() if c < nlabels else grid.new_owner(""))
                          for c, oid in enumerate(row)])


def _extend_groups(owners: list[list[int | None]], groups: list[int], nlabels: int) -> None:
    """Group labels over the empty positions of their column: a ruled form centres a group label on its
    rows, so one takes the free rows above its text and as many below; free rows still left below a
    group label (one cut by a page break, or printed at the top of its rows) are its too."""
    n = len(owners)
    for c in range(nlabels):
        col = [owners[i][c] for i in range(n)]
        for oid in groups:
            at = [i for i in range(n) if col[i] == oid]
            if not at:
                continue
            first, last = at[0], at[-1]
            above = 0
            while first - above - 1 >= 0 and col[first - above - 1] is None:
                above += 1
            for i in range(first - above, first):
                col[i] = oid
            below = 0
            while below < above and last + below + 1 < n and col[last + below + 1] is None:
                below += 1
                col[last + below] = oid
        for i in range(1, n):
            if col[i] is None and col[i - 1] in groups:
                col[i] = col[i - 1]
        for i in range(n):
            owners[i][c] = col[i]


def header_grid(grid: Grid, cells: list[HeaderCell], leaves: list[HeaderCell], label_text: str,
                titles: list[str], nlabels: int) -> None:
    """Append the title rows and the header band: parents above the leaves they overlap, each leaf
    in its column reaching up to the nearest parent, the label-area text over all header rows."""
    ncols = grid.ncols
    for t in titles:
        oid = grid.new_owner(t)
        grid.rows.append([oid] * ncols)
    if not cells:
        return
    levels = max(c.level for c in cells) + 1
    rows: list[list[int | None]] = [[None] * ncols for _ in range(levels)]
    label = grid.new_owner(label_text) if label_text else None
    for r in range(levels):
        for c in range(nlabels):
            rows[r][c] = label if label is not None else grid.filler()
    leaf_ids = {id(leaf) for leaf in leaves}
    for cell in sorted(cells, key=lambda c: (c.level, c.x0)):
        if id(cell) in leaf_ids:
            continue
        under = [i for i, leaf in enumerate(leaves) if leaf.x1 > cell.x0 and leaf.x0 < cell.x1] or \
            [min(range(len(leaves)), key=lambda i: abs(leaves[i].mid - cell.mid))]
        oid = grid.new_owner(cell.text)
        for i in range(under[0], under[-1] + 1):
            if rows[cell.level][nlabels + i] is None:
                rows[cell.level][nlabels + i] = oid
    for i, leaf in enumerate(leaves):
        oid = grid.new_owner(leaf.text)
        r = levels - 1
        while r >= 0 and rows[r][nlabels + i] is None:
            rows[r][nlabels + i] = oid
            r -= 1
    for row in rows:
        for c in range(nlabels, ncols):
            if row[c] is None:
                row[c] = row[c - 1]
        grid.rows.append([oid if oid is not None else grid.filler() for oid in row])
