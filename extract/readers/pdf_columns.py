"""Columns of a table drawn without rules: value columns from the header, label columns from the labels.

Value columns are the header's leaf cells: the header band's words over the numbers, stacked into
cells (`商业企` over `业`) and split into parents (`法人或其他组织`) and leaves (the cells nothing
below them overlaps). A number is placed in a column only with certainty:

* it overlaps the text of exactly one leaf (a number printed under its header); or
* the table's numbers share an edge with their headers (left: every number placed so far starts
  where its header starts; right: ends where it ends): a header cell then runs from its edge to the
  next header's, and a number inside that run belongs to it (the 2019 上海市 表二 prints a 本年增/减
  value well right of its header word, in a cell of the value row that the header row spans); or
* the numbers are right-aligned (or left-aligned) among themselves (a column's numbers of different
  widths share their right edge) and the number lies in the gap between two header words: right of
  the previous header's text for a right-aligned number, left of the next one's for a left-aligned.

Anything else (no header over the numbers, a number over two headers, two numbers in one column of
a row) is unsure: the row's numbers keep their order but not their columns, and the mapper places
them by the identities or flags them (`ambiguous_columns`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from .cjk import join_lines
from .pdf_layout import BLine, Seg

_ALIGN_TOL = 1.5  # points: two edges this close are aligned
_OVERLAP = 0.5  # points: less horizontal overlap than this is none


def overlaps(a0: float, a1: float, b0: float, b1: float) -> bool:
    return a0 < b1 - _OVERLAP and b0 < a1 - _OVERLAP


@dataclass
class HeaderCell:
    segs: list[Seg]
    level: int = 0

    @property
    def x0(self) -> float:
        return min(s.x0 for s in self.segs)

    @property
    def x1(self) -> float:
        return max(s.x1 for s in self.segs)

    @property
    def top(self) -> float:
        return self.segs[0].top

    @property
    def bottom(self) -> float:
        return self.segs[-1].bottom

    @property
    def mid(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def text(self) -> str:
        return join_lines([s.text for s in self.segs])


def _aligned(a: Seg, b: Seg) -> bool:
    return abs(a.x0 - b.x0) <= _ALIGN_TOL or abs(a.mid - b.mid) <= _ALIGN_TOL or abs(a.x1 - b.x1) <= _ALIGN_TOL


def _continues(cell: HeaderCell, seg: Seg, line: list[Seg]) -> bool:
    """Whether `seg` is the next line of the header cell's text (not a cell of its own below it):
    just below, aligned with it, no wider (a wrapped line is never wider than the one before), and
    alone under it (several words under a cell are its children: 法人或其他组织 over 商业企业 科研机构)."""
    last = cell.segs[-1]
    gap = seg.top - last.bottom
    under = [s for s in line if overlaps(s.x0, s.x1, last.x0, last.x1)]
    return (-0.3 * seg.size <= gap <= 0.6 * seg.size and _aligned(last, seg)
            and seg.width <= last.width + 0.5 * seg.size and under == [seg])


def header_cells(lines: list[BLine], value_left: float) -> list[HeaderCell]:
    """The header band's words over the value columns, stacked into cells, with their level
    (0 for a cell nothing above overlaps)."""
    cells: list[HeaderCell] = []
    for ln in lines:
        segs = [s for s in ln.segs if s.x0 >= value_left]
        for seg in segs:
            owner = next((c for c in cells if _continues(c, seg, segs)), None)
            if owner is not None:
                owner.segs.append(seg)
            else:
                cells.append(HeaderCell([seg]))
    cells.sort(key=lambda c: c.top)
    for i, c in enumerate(cells):
        above = [a for a in cells[:i] if a.bottom <= c.top + 0.3 * c.segs[0].size and overlaps(a.x0, a.x1, c.x0, c.x1)]
        c.level = 1 + max((a.level for a in above), default=-1)
    return cells


def leaves(cells: list[HeaderCell]) -> list[HeaderCell] | None:
    """The cells nothing below overlaps, left to right; None when two of them overlap each other
    (the header was not understood)."""
    out = sorted((c for c in cells if not any(
        b is not c and b.top >= c.bottom - 0.3 * c.segs[0].size and overlaps(b.x0, b.x1, c.x0, c.x1) for b in cells)),
        key=lambda c: c.x0)
    if any(a.x1 - _OVERLAP > b.x0 for a, b in pairwise(out)):
        return None
    return out or None


def _votes_by_edge(values: list[Seg]) -> set[str]:
    """Alignments the numbers show among themselves: numbers of different widths sharing an edge."""
    out: set[str] = set()
    for mode, edge in (("left", lambda s: s.x0), ("right", lambda s: s.x1), ("center", lambda s: s.mid)):
        ordered = sorted(values, key=edge)
        run: list[Seg] = []
        for s in ordered:
            if run and edge(s) - edge(run[0]) > _ALIGN_TOL:
                run = []
            run.append(s)
            if max(r.width for r in run) - min(r.width for r in run) > _ALIGN_TOL:
                out.add(mode)
                break
    return out


def _clusters(segs: list[Seg]) -> list[list[Seg]]:
    """Printed value columns: numbers whose horizontal extents overlap, left to right (numbers of one
    column share an edge or a centre, so they overlap; numbers of two columns do not)."""
    out: list[list[Seg]] = []
    right = 0.0
    for seg in sorted(segs, key=lambda s: s.x0):
        if out and seg.x0 < right - _OVERLAP:
            out[-1].append(seg)
            right = max(right, seg.x1)
        else:
            out.append([seg])
            right = seg.x1
    return out


@dataclass
class Columns:
    """Where a table's value columns are, how its numbers are aligned, and the column of each
    printed value column (None: unknown)."""

    leaves: list[HeaderCell]
    with_headers: str | None = None  # numbers share this edge with their header words
    among_numbers: str | None = None  # numbers of one column share this edge
    matched: dict[int, int | None] = field(default_factory=dict)  # id(seg) -> leaf index

    def by_overlap(self, seg: Seg) -> int | None:
        hit = [i for i, leaf in enumerate(self.leaves) if overlaps(seg.x0, seg.x1, leaf.x0, leaf.x1)]
        return hit[0] if len(hit) == 1 else None

    def place(self, seg: Seg) -> int | None:
        """The value column of a number, or None when it cannot be known."""
        hit = [i for i, leaf in enumerate(self.leaves) if overlaps(seg.x0, seg.x1, leaf.x0, leaf.x1)]
        if len(hit) > 1:
            return None
        lv = self.leaves
        if self.with_headers == "left":
            i = max((i for i, leaf in enumerate(lv) if leaf.x0 - _ALIGN_TOL <= seg.x0), default=None)
            if i is not None and (i + 1 == len(lv) or seg.x1 <= lv[i + 1].x0 - _OVERLAP):
                return i
            return None
        if self.with_headers == "right":
            i = min((i for i, leaf in enumerate(lv) if seg.x1 <= leaf.x1 + _ALIGN_TOL), default=None)
            if i is not None and (i == 0 or seg.x0 >= lv[i - 1].x1 + _OVERLAP):
                return i
            return None
        return self.matched.get(id(seg))

    def feasible(self, x0: float, x1: float) -> set[int]:
        """The columns a printed value column at x0..x1 may be: the header word it lies under; or,
        between two header words, either one (the next for left-aligned numbers, which start their
        cell; the previous for right-aligned ones, which end it); before the first or after the last
        header word, that one (the cell holding a header word reaches to the table's side)."""
        lv = self.leaves
        hit = {i for i, leaf in enumerate(lv) if overlaps(x0, x1, leaf.x0, leaf.x1)}
        if hit:
            return hit if len(hit) == 1 else set()
        after = sum(1 for leaf in lv if leaf.x1 <= x0 + _OVERLAP)  # header words wholly left of it
        if after == 0:
            return set() if self.among_numbers == "right" else {0}
        if after == len(lv):
            return set() if self.among_numbers == "left" else {len(lv) - 1}
        if self.among_numbers == "left":
            return {after}
        if self.among_numbers == "right":
            return {after - 1}
        return {after - 1, after}


def _match(cols: Columns, clusters: list[list[Seg]]) -> None:
    """Each printed value column to a header column, where every left-to-right one-to-one matching of
    the printed columns to the header's agrees on it (a forward and a backward pass over the
    candidates); printed columns with no candidate, or when no matching exists, stay unknown."""
    options = [cols.feasible(min(s.x0 for s in c), max(s.x1 for s in c)) for c in clusters]
    idx = [k for k, o in enumerate(options) if o]
    fwd: list[set[int]] = []
    for k in idx:
        if fwd and not fwd[-1]:
            fwd.append(set())
            continue
        low = min(fwd[-1]) if fwd else -1
        fwd.append({j for j in options[k] if j > low})
    bwd: list[set[int]] = [set() for _ in idx]
    high = len(cols.leaves)
    for n in range(len(idx) - 1, -1, -1):
        bwd[n] = {j for j in options[idx[n]] if j < high}
        high = max(bwd[n]) if bwd[n] else -1
    for n, k in enumerate(idx):
        both = fwd[n] & bwd[n]
        leaf = next(iter(both)) if len(both) == 1 and all(fwd) else None
        for seg in clusters[k]:
            cols.matched[id(seg)] = leaf


def columns(leaf_cells: list[HeaderCell], values: Iterable[Seg]) -> Columns:
    """The column model: the leaves, the alignments the numbers show (with their headers, and
    among themselves), and each printed value column matched to a header column."""
    cols = Columns(leaf_cells)
    segs = list(values)
    numbers = [s for s in segs if s.value and any(ch.isdigit() for ch in s.text)]
    placed = [(s, leaf_cells[i]) for s in numbers if (i := cols.by_overlap(s)) is not None]
    if len({id(leaf) for _s, leaf in placed}) >= 2:
        modes = [m for m, same in (("left", lambda s, h: abs(s.x0 - h.x0)), ("right", lambda s, h: abs(s.x1 - h.x1)),
                                   ("center", lambda s, h: abs(s.mid - h.mid)))
                 if all(same(s, h) <= _ALIGN_TOL for s, h in placed)]
        if len(modes) == 1 and modes[0] != "center":
            cols.with_headers = modes[0]
    votes = _votes_by_edge(numbers)
    if len(votes) == 1:
        cols.among_numbers = votes.pop()
    if cols.with_headers is not None and cols.among_numbers not in (None, cols.with_headers):
        cols.with_headers = cols.among_numbers = None  # the evidence disagrees: overlap only
    _match(cols, _clusters(segs))
    return cols
