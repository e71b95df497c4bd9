"""Every cell of every table found is read or accounted for.

For each table found, each cell the detected form version prints is either among the cells (with
its state) or listed as missing with a reason: the row is not in the table (`row_missing`), the
row is read but not this cell (`cell_missing`), or the source prints the row's label or numbers
but they could not be placed (`row_unplaced`). Each such row gets one error naming it and why, and
a check that cannot be assessed because a cell is missing says so among the document's errors.
"""

from __future__ import annotations

from collections import defaultdict

from gongkai import schema
from gongkai.model import Cell, Check, CheckStatus, Issue, Missing, MissingReason

from .mapped import Mapped, row_name

_KEY = tuple[str, str, str, str]


def account(mapped: Mapped, cells: dict[_KEY, Cell]) -> tuple[list[Missing], list[Issue]]:
    """The cells of each found table not read, and one error per row they belong to."""
    missing: list[Missing] = []
    issues: list[Issue] = []
    for table in schema.TABLES:
        version = mapped.versions.get(table)
        if version is None:
            continue
        by_row: dict[tuple[str, str], list[str]] = defaultdict(list)
        for block, row, col in schema.spec(table, version).printed_cells():
            if (table, block, row, col) not in cells:
                by_row[(block, row)].append(col)
        read_rows = {(k[1], k[2]) for k in cells if k[0] == table}
        for (block, row), cols in by_row.items():
            reason, why = _reason(mapped, table, block, row, read_rows)
            missing.extend(Missing(table, block, row, col, reason) for col in cols)
            name = row_name(table, block, row)
            if reason is MissingReason.CELL_MISSING:
                issues.append(Issue(reason.value, f"{name}: {len(cols)} cell(s) not printed in the row: {', '.join(cols)}"))
            else:
                issues.append(Issue(reason.value, f"{name}: {why}"))
    return missing, issues


def _reason(mapped: Mapped, table: str, block: str, row: str,
            read_rows: set[tuple[str, str]]) -> tuple[MissingReason, str]:
    if (block, row) in read_rows:
        return MissingReason.CELL_MISSING, ""
    why = mapped.unplaced_rows.get((table, row))
    if why is not None:
        return MissingReason.ROW_UNPLACED, f"its values could not be placed: {why}"
    placed = mapped.placements.get(table)
    if placed is not None and row in placed.unplaced_rows:
        return MissingReason.ROW_UNPLACED, f"its values could not be placed: {placed.unplaced_rows[row]}"
    if row in mapped.seen.get(table, set()):
        return MissingReason.ROW_UNPLACED, "its label is printed, but no values could be placed beside it"
    return MissingReason.ROW_MISSING, "row not found in the table"


def unassessable(checks: list[Check], missing: list[Missing]) -> list[Issue]:
    """One error per rule and table whose checks are not assessable because cells are missing."""
    reason = {f"{m.block + '/' if m.block else ''}{m.row_key}.{m.col_key}": m.reason.value for m in missing}
    by_rule: dict[tuple[str, str], tuple[list[str], dict[str, str]]] = {}
    for c in checks:
        if c.status is not CheckStatus.NOT_ASSESSABLE:
            continue
        gone = {n: reason[n] for n in c.cells if n in reason}
        if not gone:
            continue
        what, cells = by_rule.setdefault((c.rule, c.table), ([], {}))
        what.append(c.message.split(":", 1)[0])
        cells.update(gone)
    return [
        Issue("check_not_assessable",
              f"{rule} ({table}) not assessable for {len(what)} identit{'y' if len(what) == 1 else 'ies'} "
              f"({', '.join(what[:8])}{' …' if len(what) > 8 else ''}): cells not read: "
              + ", ".join(f"{n} ({r})" for n, r in list(cells.items())[:12]) + (" …" if len(cells) > 12 else ""))
        for (rule, table), (what, cells) in by_rule.items()
    ]
