"""The document's cells as one stream of rows, cut into the three tables by their own headers.

A row is labels followed by values. In a grid a new row starts at every grid row that had
values; in a stream (flattened text) it starts at a label that follows a value. The tables are
found by content, not by section numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai import schema
from gongkai.model import CellState
from gongkai.normalize import compact

from .cells import parse_cell
from .grid import Document, SourceCell


@dataclass
class Token:
    text: str
    ref: str
    glued: bool = False
    value: bool = False
    # In a grid: the token's line spans every column of its table (span copies counted), so the
    # columns its cells sit in are the printed ones, not shifted by a cell missing from the markup.
    full_line: bool = False


@dataclass
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

def _ref(table_index: int, kind: str, cell: SourceCell) -> str:
    if kind == "grid":
        return f"t{table_index}r{cell.row}c{cell.col}"
    return f"t{table_index}l{cell.row}i{cell.col}"


def _is_value(cell: SourceCell) -> bool:
    return cell.glued or parse_cell(cell.text).state is not CellState.TEXT


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


def rows_of(doc: Document) -> list[Row]:
    """All tables as one list of rows. A new row starts at a label that follows a value, and at
    every grid row that already had values."""
    rows: list[Row] = []
    cur = Row()
    for table in doc.tables:
        width = max((c.col for r in table.rows for c in r), default=0)
        for grid_row in table.rows:
            full = table.kind == "grid" and max((c.col for c in grid_row), default=-1) == width
            for cell in grid_row:
                if cell.span_copy:
                    continue
                tok = Token(cell.text, _ref(table.index, table.kind, cell), cell.glued, _is_value(cell), full)
                if tok.value:
                    cur.values.append(tok)
                else:
                    if cur.values:
                        rows.append(_close(cur, table.kind == "grid"))
                        cur = Row()
                    cur.labels.append(tok)
            if table.kind == "grid" and cur.values:
                rows.append(_close(cur, True))
                cur = Row()
        if cur.labels or cur.values:
            rows.append(_close(cur, table.kind == "grid"))
            cur = Row()
    return rows


# ------------------------------------------------------------------ cutting rows into tables



def split_tables(rows: list[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {t: [] for t in schema.TABLES}
    current: str | None = None
    for row in rows:
        text = row.label
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
    return out
