"""The document's cells as one stream of rows, cut into the three tables by their own headers.

A row is labels followed by values. In a grid a new row starts at every grid row that had
values; in a stream (flattened text) it starts at a label that follows a value. The tables are
found by content, not by section numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai import schema
from gongkai.model import CellState
from gongkai.normalize import compact, nfkc

from .budget import check
from .cells import parse_cell
from .grid import Document, SourceCell


@dataclass
class Token:
    text: str
    ref: str
    glued: bool = False
    value: bool = False


@dataclass
class Row:
    labels: list[Token] = field(default_factory=list)
    values: list[Token] = field(default_factory=list)

    @property
    def label(self) -> str:
        return compact("".join(t.text for t in self.labels))

    @property
    def leaf(self) -> str:
        return compact(self.labels[-1].text) if self.labels else ""


# ------------------------------------------------------------------ tokens and rows

def _ref(table_index: int, kind: str, cell: SourceCell) -> str:
    if kind == "grid":
        return f"t{table_index}r{cell.row}c{cell.col}"
    return f"t{table_index}l{cell.row}i{cell.col}"


# Printed where a number belongs but not a number (7e3, 1 1, 1.2.3): a value cell, read as text
# and flagged, never a label (which would make the cell vanish). Row numbering (1. 2、) is a label.
_VALUE_LIKE = re.compile(r"^[+\-]?\d[\d\s.,eE]*$")
_ROW_NUMBER = re.compile(r"^\d{1,2}[.．、]$")


def _is_value(cell: SourceCell) -> bool:
    if cell.glued or parse_cell(cell.text).state is not CellState.TEXT:
        return True
    t = nfkc(cell.text).strip()
    return bool(_VALUE_LIKE.match(t)) and not _ROW_NUMBER.match(t)


def rows_of(doc: Document) -> list[Row]:
    """All tables as one list of rows. A new row starts at a label that follows a value, and at
    every grid row that already had values."""
    rows: list[Row] = []
    cur = Row()
    for table in doc.tables:
        for grid_row in table.rows:
            check()
            for cell in grid_row:
                if cell.span_copy:
                    continue
                tok = Token(cell.text, _ref(table.index, table.kind, cell), cell.glued, _is_value(cell))
                if tok.value:
                    cur.values.append(tok)
                else:
                    if cur.values:
                        rows.append(cur)
                        cur = Row()
                    cur.labels.append(tok)
            if table.kind == "grid" and cur.values:
                rows.append(cur)
                cur = Row()
        if cur.labels or cur.values:
            rows.append(cur)
            cur = Row()
    return rows


# ------------------------------------------------------------------ cutting rows into tables

_T2_START = ("第二十条", "信息内容本年")
_T3_START = ("本列数据", "申请人情况", "本年新收", "收到和处理政府信息公开")
_T4_START = ("行政复议",)
_STOP = ("存在的主要问题", "存在主要问题", "改进情况")


def split_tables(rows: list[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {t: [] for t in schema.TABLES}
    current: str | None = None
    for row in rows:
        text = row.label
        if any(k in text for k in _STOP) and current is not None:
            # the stop heading can be glued to the last values' label in run-together text
            if row.values and current == "review_litigation":
                out[current].append(row)
            current = None
            continue
        starts = []
        for table, keys in (("active_disclosure", _T2_START), ("applications", _T3_START),
                            ("review_litigation", _T4_START)):
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
