"""The document's cells as one stream of rows, cut into the three tables by their own headers.

A row is labels followed by values. In a grid a new row starts at every grid row that had
values; in a stream (flattened text) it starts at a label that follows a value. The tables are
found by content, not by section numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from gongkai import schema
from gongkai.model import CellState
from gongkai.normalize import compact, nfkc

from .budget import check
from .cells import is_blank, parse_cell
from .grid import Document, Table


@dataclass(slots=True)  # one per printed cell: slots make them cheaper to build
class Token:
    text: str
    ref: str
    glued: bool = False
    value: bool = False
    # In a grid: the token's line spans every column of its table (span copies counted), so the
    # columns its cells sit in are the printed ones, not shifted by a cell missing from the markup.
    full_line: bool = False


@dataclass(slots=True)
class Row:
    labels: list[Token] = field(default_factory=list)
    values: list[Token] = field(default_factory=list)
    # labels[own:] are printed on the values' own line; the ones before came on earlier lines (in
    # text converted from PDF, labels wrapped over several lines are printed away from their values).
    own: int = 0

    @property
    def label(self) -> str:
        return compact("".join(t.text for t in self.labels))

    @property
    def leaf(self) -> str:
        return compact(self.labels[-1].text) if self.labels else ""

    @property
    def own_text(self) -> str:
        return "".join(t.text for t in self.labels[self.own:])

    @property
    def lead_text(self) -> str:
        return "".join(t.text for t in self.labels[: self.own])


# ------------------------------------------------------------------ tokens and rows

def _ref_prefix(table: Table) -> tuple[str, str]:
    """A cell's ref is prefix + row + sep + col: `t<table>r<row>c<col>` in a grid, else `t<table>l<line>i<item>`."""
    return (f"t{table.index}r", "c") if table.kind == "grid" else (f"t{table.index}l", "i")


# Printed where a number belongs but not a number (7e3, 1 1, 1.2.3): a value cell, read as text
# and flagged, never a label (which would make the cell vanish). Row numbering (1. 2、) is a label.
_VALUE_LIKE = re.compile(r"^[+\-]?\d[\d\s.,eE]*$")
_ROW_NUMBER = re.compile(r"^\d{1,2}[.．、]$")


@lru_cache(maxsize=16384)
def _value_text(text: str) -> bool:
    """Whether a cell printing `text` is a value cell (a glued run is one whatever it prints). Cached: a report prints
    a few short texts ("0", "1", "") in most of its cells."""
    if parse_cell(text).state is not CellState.TEXT:
        return True
    t = nfkc(text).strip()
    return bool(_VALUE_LIKE.match(t)) and not _ROW_NUMBER.match(t)


def _close(row: Row, grid: bool) -> Row:
    """Mark which labels share the values' line (in a grid); in a stream every label is the row's."""
    if grid and row.values:
        line = _line_of(row.values[0].ref)
        own = len(row.labels)
        while own > 0 and _line_of(row.labels[own - 1].ref) == line:
            own -= 1
        row.own = own
    return row


def _line_of(ref: str) -> str:
    return ref.split("c", 1)[0]


_COL = attrgetter("col")


def rows_of(doc: Document) -> list[Row]:
    """All tables as one list of rows. A new row starts at a label that follows a value, and at
    every grid row that already had values."""
    rows: list[Row] = []
    cur = Row()
    for table in doc.tables:
        grid = table.kind == "grid"
        prefix, sep = _ref_prefix(table)
        width = max((max(map(_COL, r)) for r in table.rows if r), default=0)
        for grid_row in table.rows:
            check()
            full = grid and max(map(_COL, grid_row), default=-1) == width
            for cell in grid_row:
                if cell.span_copy:
                    continue
                value = cell.glued or _value_text(cell.text)
                tok = Token(cell.text, f"{prefix}{cell.row}{sep}{cell.col}", cell.glued, value, full)
                if value:
                    cur.values.append(tok)
                else:
                    if cur.values:
                        rows.append(_close(cur, grid))
                        cur = Row()
                    cur.labels.append(tok)
            if grid and cur.values:
                rows.append(_close(cur, True))
                cur = Row()
        if cur.labels or cur.values:
            rows.append(_close(cur, grid))
            cur = Row()
    return rows


_STREAM_REF = re.compile(r"^t\d+l\d+i\d+$")


def _drop_row_ends(rows: list[Row]) -> None:
    """In a stream table where most rows of values end with one empty cell (a lone `|`
    that closes the row), that cell closes the row and is not a value. Otherwise a row that lost
    a cell would read as complete, its last column blank and the others shifted, with no flag;
    without it the row is seen to be short, and placed only as far as the identities decide."""
    stream = [r for r in rows if r.values and all(_STREAM_REF.match(t.ref) for t in r.values)]
    several = [r for r in stream if len(r.values) >= 2]
    ends = [r for r in several if is_blank(r.values[-1].text) and not is_blank(r.values[-2].text)]
    if len(several) >= 3 and 3 * len(ends) >= 2 * len(several):
        for r in stream:
            if is_blank(r.values[-1].text):
                r.values.pop()


# ------------------------------------------------------------------ cutting rows into tables



# Any word that starts or ends a table: most labels hold none, and one search says so.
_ANY_BOUNDARY = re.compile("|".join(re.escape(k) for keys in (*schema.TABLE_STARTS.values(), schema.TABLES_END)
                                    for k in keys))


def split_tables(rows: list[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {t: [] for t in schema.TABLES}
    current: str | None = None
    for row in rows:
        text = row.label
        if _ANY_BOUNDARY.search(text) is None:
            if current is not None:
                out[current].append(row)
            continue
        if any(k in text for k in schema.TABLES_END) and current is not None:
            # the stop heading can be glued to the last values' label in run-together text
            if row.values and current == "review_litigation":
                out[current].append(row)
            current = None
            continue
        starts = []
        for table, keys in schema.TABLE_STARTS.items():
            pos = [text.rfind(k) for k in keys if k in text]
            if pos:
                starts.append((max(pos), table))
        if starts:
            table = max(starts)[1]
            order = schema.TABLES.index
            # never step back to an earlier table because a later label repeats a word
            if current is None or order(table) >= order(current):
                current = table
        if current is not None:
            out[current].append(row)
    for table_rows in out.values():
        _drop_row_ends(table_rows)
    return out
