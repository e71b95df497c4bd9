"""Drawn rules → ruled tables: cell boxes grouped into tables, as pdfplumber's `find_tables`
finds them with its "lines" strategy (the settings this project always used: snap and join
within 3 points, intersections within 3, rules shorter than 3 dropped).

The steps are pdfplumber's: rules at nearly the same position are snapped to their mean
position; collinear rules that touch or nearly touch are joined; every crossing of a vertical
and a horizontal rule is a corner; a cell is the smallest box whose four corners are crossings
joined by rules; cells that share a corner make one table, and a lone cell is no table.
They are written again here, over plain tuples and with the crossings indexed by row and column,
so a page costs a fraction of a millisecond rather than pdfplumber's dictionaries of dictionaries.

One step is added: a table left open at a page break (no rule under the last row of the page,
or none over the first row of the next: the vertical rules run on past the last horizontal
one) is closed where its rules end, when text lies in the open part. pdfplumber drops that row
(its issues #160, #1024, #1370); in a report it is a row of numbers.

A page with more than `MAX_CROSSINGS` crossings is no report table; it raises `TooComplexError`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..errors import TooComplexError
from .pdfium_page import Box, Rule

SNAP = 3.0
JOIN = 3.0
CROSS = 3.0
MIN_LENGTH = 3.0
MAX_CROSSINGS = 40_000  # a 表三 has ~300
OPEN = 4.0  # points: rules running on further than this past the last rule they cross are open

Segment = tuple[float, float, float]  # position, low end, high end


@dataclass(slots=True)
class RuledTable:
    box: Box
    cells: list[Box]


def _snap(segments: list[Segment]) -> list[Segment]:
    """Positions within SNAP of their neighbour (chained) move to the cluster's mean."""
    if not segments:
        return []
    positions = sorted({s[0] for s in segments})
    cluster_of: dict[float, int] = {}
    k = 0
    for i, p in enumerate(positions):
        if i and p - positions[i - 1] > SNAP:
            k += 1
        cluster_of[p] = k
    sums = [0.0] * (k + 1)
    counts = [0] * (k + 1)
    for s in segments:
        j = cluster_of[s[0]]
        sums[j] += s[0]
        counts[j] += 1
    return [(sums[cluster_of[s[0]]] / counts[cluster_of[s[0]]], s[1], s[2]) for s in segments]


def _join(segments: list[Segment]) -> list[Segment]:
    """Collinear segments overlapping or within JOIN of each other become one."""
    out: list[Segment] = []
    for pos, lo, hi in sorted(segments):
        if out and out[-1][0] == pos and lo <= out[-1][2] + JOIN:
            if hi > out[-1][2]:
                out[-1] = (pos, out[-1][1], hi)
        else:
            out.append((pos, lo, hi))
    return [s for s in out if s[2] - s[1] >= MIN_LENGTH]


def _crossings(hs: list[Segment], vs: list[Segment]) -> dict[tuple[float, float], tuple[set[int], set[int]]]:
    """(x, y) of every crossing → the vertical and the horizontal rules through it."""
    hs_by_y = sorted(range(len(hs)), key=lambda i: (hs[i][0], hs[i][1]))
    ys = [hs[i][0] for i in hs_by_y]
    points: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    for vi in sorted(range(len(vs)), key=lambda i: (vs[i][0], vs[i][1])):
        x, top, bottom = vs[vi]
        for k in range(bisect_left(ys, top - CROSS), bisect_right(ys, bottom + CROSS)):
            hi = hs_by_y[k]
            y, x0, x1 = hs[hi]
            if x0 - CROSS <= x <= x1 + CROSS:
                at = points.setdefault((x, y), (set(), set()))
                at[0].add(vi)
                at[1].add(hi)
                if len(points) > MAX_CROSSINGS:
                    raise TooComplexError(
                        f"PDF too complex: more than {MAX_CROSSINGS:,} rule crossings on a page; not read")
    return points


def _cells(points: dict[tuple[float, float], tuple[set[int], set[int]]]) -> list[Box]:
    """For each crossing, the first cell it is the top-left corner of (pdfplumber's order)."""
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in sorted(points):
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)

    def v_joined(x: float, y0: float, y1: float) -> bool:
        return not points[(x, y0)][0].isdisjoint(points[(x, y1)][0])

    def h_joined(y: float, x0: float, x1: float) -> bool:
        return not points[(x0, y)][1].isdisjoint(points[(x1, y)][1])

    out: list[Box] = []
    for x, y in sorted(points):
        col, row = by_x[x], by_y[y]
        below = [b for b in col[bisect_right(col, y):] if v_joined(x, y, b)]
        if not below:
            continue
        right = [r for r in row[bisect_right(row, x):] if h_joined(y, x, r)]
        cell = next(((x, y, r, b) for b in below for r in right
                     if (r, b) in points and v_joined(r, y, b) and h_joined(b, x, r)), None)
        if cell is not None:
            out.append(cell)
    return out


def _tables(cells: list[Box]) -> list[list[Box]]:
    """Cells sharing a corner, transitively; tables of one cell dropped; top to bottom."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, y0, x1, y1) in enumerate(cells):
        for corner in ((x0, y0), (x0, y1), (x1, y0), (x1, y1)):
            j = owner.setdefault(corner, i)
            parent[find(i)] = find(j)
    groups: dict[int, list[Box]] = {}
    for i, cell in enumerate(cells):  # in crossing order, as pdfplumber lists them
        groups.setdefault(find(i), []).append(cell)
    tables = [g for g in groups.values() if len(g) > 1]
    return sorted(tables, key=lambda t: min((c[1], c[0]) for c in t))


def _open_ends(rules: list[Segment], across: list[Segment]) -> list[tuple[float, float, float]]:
    """Where rules run on past the last (or before the first) rule they cross: (end, position,
    the crossing nearest to that end) for each open end."""
    out = []
    for pos, lo, hi in rules:
        crossed = [a[0] for a in across if lo - CROSS <= a[0] <= hi + CROSS and a[1] - CROSS <= pos <= a[2] + CROSS]
        if not crossed:
            continue
        if hi > max(crossed) + OPEN:
            out.append((hi, pos, max(crossed)))
        if lo < min(crossed) - OPEN:
            out.append((lo, pos, min(crossed)))
    return out


def _closing(rules: list[Segment], across: list[Segment], has_text: Callable[[float, float, float, float], bool],
             vertical: bool) -> list[Segment]:
    """Rules across the open ends shared by two or more rules, where text lies in the open part."""
    out: list[Segment] = []
    ends = sorted(_open_ends(rules, across))
    groups: list[list[tuple[float, float, float]]] = []
    for end in ends:
        if groups and end[0] - groups[-1][-1][0] <= SNAP:
            groups[-1].append(end)
        else:
            groups.append([end])
    for group in groups:
        if len(group) < 2:
            continue
        at = sum(g[0] for g in group) / len(group)
        lo, hi = min(g[1] for g in group), max(g[1] for g in group)
        inner = max(g[2] for g in group) if at > group[0][2] else min(g[2] for g in group)
        a, b = sorted((at, inner))
        if has_text(*((a, lo, b, hi) if vertical else (lo, a, hi, b))):
            out.append((at, lo, hi))
    return out


def find_tables(rules: Sequence[Rule], has_text: Callable[[float, float, float, float], bool] | None = None,
                ) -> list[RuledTable]:
    """The ruled tables drawn by these rules, top to bottom. `has_text(x0, top, x1, bottom)`:
    whether characters lie in a box; tables left open at a page break are closed where it does."""
    hs = _join(_snap([(r.pos, r.lo, r.hi) for r in rules if r.horizontal]))
    vs = _join(_snap([(r.pos, r.lo, r.hi) for r in rules if not r.horizontal]))
    if not hs or not vs:
        return []
    if has_text is not None:
        hs, vs = hs + _closing(vs, hs, has_text, False), vs + _closing(hs, vs, has_text, True)
    out = []
    for cells in _tables(_cells(_crossings(hs, vs))):
        box = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
        out.append(RuledTable(box, cells))
    return out
