"""What mapping a document's rows produces, before the checks: cells, and what could not be read."""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai import schema
from gongkai.model import Cell, Issue

from .columns import ShortRow
from .placement import Choice, Placement
from .prose import Statement
from .rows import Row


def row_name(table: str, block: str, row: str) -> str:
    """How errors name a form row: table/block/row_key (no block for 表三 and 表四)."""
    return f"{table}/{block + '/' if block else ''}{row}"


@dataclass
class Mapped:
    cells: list[Cell] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    found: set[str] = field(default_factory=set)
    # Rows of run-together digits whose cut is still open: (table, row_key) → (cols, cuts).
    open_cuts: dict[tuple[str, str], tuple[list[schema.Column], list[list[str]]]] = field(default_factory=dict)
    split_work: int = 0  # search steps spent cutting digit runs, bounded per document
    # Rows printing fewer values than columns, placed once every row is read (resolve.py).
    short: list[ShortRow] = field(default_factory=list)
    # Unlabelled rows that only the identities can place: (table, version, choice).
    choices: list[tuple[str, str, Choice]] = field(default_factory=list)
    group_rows: list[tuple[str, str, Row]] = field(default_factory=list)  # (table, group key, row)
    lone: list[tuple[str, Row, str]] = field(default_factory=list)  # (table, row, labels before it)
    seen: dict[str, set[str]] = field(default_factory=dict)  # form rows whose labels a table prints
    placements: dict[str, Placement] = field(default_factory=dict)
    # Form rows whose values are printed but could not be placed: (table, row_key) → why.
    unplaced_rows: dict[tuple[str, str], str] = field(default_factory=dict)
    prose: list[Statement] = field(default_factory=list)  # numbers the text restates (P-1)

    def group_rows_of(self, table: str) -> list[tuple[str, Row]]:
        return [(k, r) for t, k, r in self.group_rows if t == table]
