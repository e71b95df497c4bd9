"""Rows printing fewer values than the form has columns (`| 规章 | 22 | 235 |` under three columns).

Filling such a row left to right would be a silent guess. Every order-keeping placement of the
printed values into the columns is a candidate; the table's identities (and numbers the report's
text restates, P-1) drop the candidates that contradict them. A cell is read where every remaining
candidate puts the same value there (or leaves it unprinted); elsewhere it stays blank, flagged
`ambiguous_columns` with the values it might hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from gongkai import schema
from gongkai.model import Cell

from .cells import parse_cell

_KEY = tuple[str, str, str]
MAX_OPTIONS = 10_000


@dataclass
class ShortRow:
    """A row whose printed values are fewer than its columns."""

    table: str
    block: str
    row_key: str
    cols: list[schema.Column]
    texts: list[str]
    refs: list[str]
    options: list[tuple[int, ...]]  # for each option, the column index of every printed value
    flags: list[str]
    full_line: bool = False  # a grid line as wide as its table: its cells' columns are the printed ones


_GRID_REF = re.compile(r"^t(\d+)r\d+c(\d+)$")


def by_header(short: ShortRow, cells: Iterable[Cell]) -> tuple[int, ...] | None:
    """The placement the grid itself gives: a short line as wide as its table (a cell merged from
    the row above, not a cell missing from the markup) whose cells sit in the grid columns that the
    table's full rows of the same block read as this row's columns."""
    refs = [_GRID_REF.match(r) for r in short.refs]
    if not short.full_line or not all(refs):
        return None
    table = refs[0].group(1) if refs[0] else ""
    at: dict[str, set[int]] = {}
    for c in cells:
        m = _GRID_REF.match(c.ref)
        if m and c.table == short.table and c.block == short.block and m.group(1) == table and not c.derived:
            at.setdefault(c.col_key, set()).add(int(m.group(2)))
    if any(len(at.get(col.key, ())) != 1 for col in short.cols):
        return None
    index = {next(iter(at[col.key])): j for j, col in enumerate(short.cols)}
    option = tuple(index.get(int(m.group(2)), -1) for m in refs if m)
    if -1 in option or list(option) != sorted(set(option)):
        return None
    return option


def options(n_values: int, n_cols: int) -> list[tuple[int, ...]]:
    """Every order-keeping placement of n_values printed values into n_cols columns."""
    out: list[tuple[int, ...]] = []
    for pos in combinations(range(n_cols), n_values):
        out.append(pos)
        if len(out) >= MAX_OPTIONS:
            break
    return out


def could_hold(ident: schema.Identity, values: Mapping[_KEY, Decimal | None], present: set[_KEY]) -> bool:
    """Can lhs == rhs hold? Cells not printed (absent) or blank are unknown but, being counts, ≥ 0."""
    known_l = known_r = Decimal(0)
    unknown_l = unknown_r = 0
    for side, cells in ((0, ident.lhs), (1, ident.rhs)):
        for c in cells:
            v = values.get(c) if c in present else None
            if v is None:
                if side == 0:
                    unknown_l += 1
                else:
                    unknown_r += 1
            elif side == 0:
                known_l += v
            else:
                known_r += v
    if not unknown_l and not unknown_r:
        return known_l == known_r
    if not unknown_l:
        return known_r <= known_l
    if not unknown_r:
        return known_l <= known_r
    return True


def value_map(short: ShortRow, option: tuple[int, ...]) -> dict[_KEY, Decimal | None]:
    return {(short.block, short.row_key, short.cols[j].key): parse_cell(t).value
            for j, t in zip(option, short.texts, strict=True)}


def prune(short: ShortRow, known: Mapping[_KEY, Decimal | None], present: set[_KEY],
          idents: Iterable[schema.Identity]) -> list[tuple[int, ...]]:
    """The options under which no identity touching this row is broken."""
    mine = {(short.block, short.row_key, c.key) for c in short.cols}
    relevant = [i for i in idents if mine & set(i.cells)]
    kept = []
    for opt in short.options:
        vals = {**known, **value_map(short, opt)}
        here = present | {k for k in value_map(short, opt)}
        if all(could_hold(i, vals, here) for i in relevant):
            kept.append(opt)
    return kept


def agreed(short: ShortRow, opts: list[tuple[int, ...]]) -> list[tuple[str | None, set[str]]]:
    """Per column: the printed text every option puts there ("" when none prints it), or None and
    the texts it might hold."""
    out: list[tuple[str | None, set[str]]] = []
    for j in range(len(short.cols)):
        texts = {short.texts[opt.index(j)] if j in opt else "" for opt in opts}
        out.append((next(iter(texts)), texts) if len(texts) == 1 else (None, texts))
    return out
