"""Ruled-table fragments (one per page) → one span-expanded grid per printed table.

A fragment is one page's ruled table (`pdf_rules`): cell boxes with their text. A table that runs
over a page break is several fragments; they are joined into one grid when the first ends the
page and the next starts the following page with the same outer edges.

Columns come from the union of all the fragments' cell edges (edges within `X_TOL` points are
the same edge: Word's export moves them by a point or two from page to page), so a continuation
with fewer drawn columns still lines up. Every grid position belongs to one cell; the top-left
position carries the text, the others are `span_copy` copies.

At a page break:
* header rows repeated at the top of the continuation are dropped;
* a label cell broken by the page break is rejoined: an empty cell under a label continues it
  (a rowspan label printed only on the first page), and a fragment like `法提供` under `（四）无`
  (no enumeration marker of its own, with a more specific label to its right) is glued on;
* a whole row broken by the page break (label lines carried over, number cells empty) is merged
  back into one row.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from ..grid import SourceCell, Table
from .cjk import join_lines

Box = tuple[float, float, float, float]

X_TOL = 4.0  # points: column edges closer than this are one edge
Y_TOL = 2.0  # points: row edges closer than this are one edge
EDGE_TOL = 12.0  # points: outer edges of two fragments of one table

_NUMERIC = re.compile(r"^[\s\d.,，．%％+\-－—–/／()（）万元件个条项]*\d[\s\d.,，．%％+\-－—–/／()（）万元件个条项]*$")
_ENUMERATED = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+\s*[、.．]|第[一二三四五六七八九十\d]+)"
)


@dataclass(slots=True)
class Piece:
    box: Box
    text: str
    runs_on: bool = False  # its last line fills the cell: the text may go on past the cell's foot


@dataclass
class Fragment:
    page: int  # 1-based
    box: Box
    pieces: list[Piece]
    ends_page: bool = False  # nothing but page furniture below it on its page
    starts_page: bool = False  # nothing but page furniture above it on its page


def is_numeric(text: str) -> bool:
    return bool(_NUMERIC.match(text))


def continues(a: Fragment, b: Fragment) -> bool:
    """True when fragment b is the same printed table as a, carried over to the next page."""
    return (
        b.page == a.page + 1
        and a.ends_page
        and b.starts_page
        and abs(a.box[0] - b.box[0]) <= EDGE_TOL
        and abs(a.box[2] - b.box[2]) <= EDGE_TOL
    )


def group_fragments(frags: list[Fragment]) -> list[list[Fragment]]:
    """Consecutive fragments of one table, in reading order."""
    groups: list[list[Fragment]] = []
    for f in frags:
        if groups and continues(groups[-1][-1], f):
            groups[-1].append(f)
        else:
            groups.append([f])
    return groups


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _nearest(v: float, centers: list[float]) -> int:
    """Index of the centre nearest to v (the lower one on a tie); `centers` ascend."""
    i = bisect_left(centers, v)
    if i == 0:
        return 0
    if i == len(centers) or abs(centers[i - 1] - v) <= abs(centers[i] - v):
        return i - 1
    return i


class Grid:
    """Owner ids per position; one owner per printed cell.

    Tables read without rules (`pdf_unruled`) add two kinds of owner: fillers, label positions no
    printed cell covers (emitted as empty span copies, so that the mapper never reads them as
    blank values), and unsure values, numbers whose column is not known (their row is emitted
    with its printed cells only, so that the mapper places them by the identities or flags them).
    """

    def __init__(self, ncols: int) -> None:
        self.ncols = ncols
        self.rows: list[list[int]] = []
        self.texts: list[str] = []
        self.runs_on: list[bool] = []
        self.fillers: set[int] = set()
        self.unsure: set[int] = set()

    def new_owner(self, text: str, runs_on: bool = False) -> int:
        self.texts.append(text)
        self.runs_on.append(runs_on)
        return len(self.texts) - 1

    def filler(self) -> int:
        oid = self.new_owner("")
        self.fillers.add(oid)
        return oid

    def row_signature(self, row: list[int]) -> tuple[str, ...]:
        out: list[str] = []
        prev = -1
        for oid in row:
            if oid != prev:
                out.append(self.texts[oid])
            prev = oid
        return tuple(out)

    def replace(self, old: int, new: int) -> None:
        if old in self.unsure:
            self.unsure.add(new)
        for row in self.rows:
            for c, oid in enumerate(row):
                if oid == old:
                    row[c] = new


def _local_rows(grid: Grid, frag: Fragment, xs: list[float]) -> list[list[int]]:
    ys = _cluster([p.box[1] for p in frag.pieces] + [p.box[3] for p in frag.pieces], Y_TOL)
    nrows = max(len(ys) - 1, 0)
    local = [[-1] * grid.ncols for _ in range(nrows)]
    for p in frag.pieces:
        c0, c1 = _nearest(p.box[0], xs), _nearest(p.box[2], xs)
        r0, r1 = _nearest(p.box[1], ys), _nearest(p.box[3], ys)
        if c1 <= c0 or r1 <= r0:
            continue  # a sliver narrower than the tolerance: not a cell
        oid = grid.new_owner(p.text, p.runs_on)
        for r in range(r0, r1):
            for c in range(c0, c1):
                if local[r][c] == -1:
                    local[r][c] = oid
    for row in local:
        for c, oid in enumerate(row):
            if oid == -1:
                row[c] = grid.new_owner("")
    return local


def _drop_repeated_header(grid: Grid, local: list[list[int]]) -> list[list[int]]:
    k = 0
    while k < len(local) - 1 and k < len(grid.rows):
        sig = grid.row_signature(local[k])
        if sig != grid.row_signature(grid.rows[k]) or not any(sig) or any(is_numeric(t) for t in sig):
            break
        k += 1
    return local[k:]


def _extent(row: list[int], c: int) -> tuple[int, int]:
    """First and last column of the cell at column c within this row."""
    oid = row[c]
    lo = c
    while lo > 0 and row[lo - 1] == oid:
        lo -= 1
    hi = c
    while hi < len(row) - 1 and row[hi + 1] == oid:
        hi += 1
    return lo, hi


def _rejoin_split_labels(grid: Grid, b: int) -> None:
    """Glue label cells broken by the page break between grid rows b-1 and b.

    Only a cell with the same column extent as the label above it, left of a more specific
    label in its row, is a candidate: a page break keeps a cell's columns, while a new block
    heading or a header row (`信息内容 | 本年处理决定数量` under `第二十条第（六）项`) does not.
    """
    if b == 0 or b >= len(grid.rows):
        return
    above, row = grid.rows[b - 1], grid.rows[b]
    label_cols = [c for c, oid in enumerate(row) if grid.texts[oid] and not is_numeric(grid.texts[oid])]
    if not label_cols:
        return
    last_label = _extent(row, label_cols[-1])[0]
    c = 0
    while c < last_label:
        oid, up = row[c], above[c]
        lo, hi = _extent(row, c)
        text, up_text = grid.texts[oid], grid.texts[up]
        if (
            oid != up
            and hi < last_label
            and _extent(above, c) == (lo, hi)
            and up_text
            and not is_numeric(up_text)
            and (text == "" or not _ENUMERATED.match(text))
        ):
            grid.texts[up] = join_lines([up_text, text])
            grid.replace(oid, up)
        c = hi + 1


def _rejoin_split_row(grid: Grid, b: int) -> None:
    """Merge grid row b into row b-1 when one printed row was broken by the page break.

    Word lets a row break across pages: the label's last lines go on to the next page, in a
    row whose number cells are empty. Such a row b has text only under labels of row b-1 (no
    numbers, no enumeration marker of its own) while row b-1 has numbers; its cells are glued
    onto the ones above and the row is removed. The numbers may also go with the label's last
    lines (a converted 2025 上海市 report: `缴纳费用、行政机关不再处理其政` beside its numbers
    after the page footer): then row b-1 has a label whose last line fills its cell and empty
    cells where row b has numbers, and the numbers move up into them.
    """
    if b == 0 or b >= len(grid.rows):
        return
    above, row = grid.rows[b - 1], grid.rows[b]
    own = [c for c, oid in enumerate(row) if oid != above[c]]
    if not any(grid.texts[row[c]] for c in own):
        return
    numbers_above = any(is_numeric(grid.texts[oid]) for oid in above)
    runs_on = False
    for c in own:
        text, up_text = grid.texts[row[c]], grid.texts[above[c]]
        if not text:
            continue
        if _extent(row, c) != _extent(above, c):
            return
        if is_numeric(text):
            if numbers_above or up_text:
                return  # a row of numbers of its own, or numbers under numbers
        elif _ENUMERATED.match(text) or not up_text or is_numeric(up_text):
            return
        else:
            runs_on = runs_on or grid.runs_on[above[c]]
    if not numbers_above and not runs_on:
        return  # a label above that ends on its own line is a row of its own (blank values)
    below = grid.rows[b + 1] if b + 1 < len(grid.rows) else []
    for c in own:
        oid = row[c]
        if below and below[c] == oid:
            continue  # a cell reaching further down (a group label): `_rejoin_split_labels` decides
        if oid != above[c]:
            text = grid.texts[oid]
            if text:
                up = grid.texts[above[c]]
                grid.texts[above[c]] = text if is_numeric(text) else join_lines([up, text])
            grid.replace(oid, above[c])
    # Every position of row b now belongs to row b-1's cells or to cells that go on below.
    del grid.rows[b]


def build_table(frags: list[Fragment], index: int) -> Table:
    """One printed table from its page fragments, spans expanded."""
    xs = _cluster([e for f in frags for p in f.pieces for e in (p.box[0], p.box[2])], X_TOL)
    grid = Grid(max(len(xs) - 1, 0))
    for i, frag in enumerate(frags):
        local = _local_rows(grid, frag, xs)
        if i > 0:
            local = _drop_repeated_header(grid, local)
        start = len(grid.rows)
        grid.rows.extend(local)
        if i > 0:
            join_pages(grid, start)
    return to_table(grid, index, frags[0].page)


def join_pages(grid: Grid, start: int) -> None:
    """Rejoin what a page break cut between grid rows start-1 and start (a continuation's rows were
    appended from `start`)."""
    _rejoin_split_row(grid, start)
    _rejoin_split_labels(grid, start)


def to_table(grid: Grid, index: int, page: int) -> Table:
    """The grid as a Table: an owner's first position holds its text, the others are span copies
    (fillers are empty span copies). A row holding an unsure value keeps only its printed cells."""
    seen: set[int] = set()
    rows: list[list[SourceCell]] = []
    for r, row in enumerate(grid.rows):
        out: list[SourceCell] = []
        unsure = any(oid in grid.unsure for oid in row)
        for oid in row:
            if unsure and not grid.texts[oid]:
                continue
            copy = oid in seen or oid in grid.fillers
            out.append(SourceCell(grid.texts[oid], r, len(out), span_copy=copy))
            seen.add(oid)
        rows.append(out)
    return Table(rows=rows, index=index, kind="grid", page=page)
