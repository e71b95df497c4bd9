"""Scoring an extraction against hand-checked truth: every truth cell is exact, or flagged — never
silently wrong. Flagged means the cell carries a flag that says its value is not known, or it is
listed in `missing` with an error naming its row, or an error or a check that is not passing names it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.model import CheckStatus, ExtractResult

_KEY = tuple[str, str, str, str]
UNSURE = frozenset({"ambiguous_split", "ambiguous_columns", "conflicting_values"})


@dataclass
class Score:
    exact: list[_KEY] = field(default_factory=list)
    flagged: list[_KEY] = field(default_factory=list)
    wrong: list[tuple[_KEY, object, object]] = field(default_factory=list)  # silently wrong: (key, got, want)


def _named(result: ExtractResult, key: _KEY) -> bool:
    table, block, row, col = key
    cell = f"{block + '/' if block else ''}{row}.{col}"
    if any(f"{table}/{block + '/' if block else ''}{row}:" in e.message for e in result.errors):
        return True
    return any(c.table == table and cell in c.cells and c.status is not CheckStatus.PASS for c in result.checks)


def score(result: ExtractResult, truth: dict[_KEY, tuple[Decimal | None, str]]) -> Score:
    cells = {c.key: c for c in result.cells if not c.derived}
    missing = {(m.table, m.block, m.row_key, m.col_key) for m in result.missing}
    out = Score()
    for key, (want, _notes) in sorted(truth.items()):
        cell = cells.get(key)
        if cell is None:
            if key in missing and _named(result, key):
                out.flagged.append(key)
            else:
                out.wrong.append((key, "missing without a flag", want))
        elif cell.value == want and (want is not None or not UNSURE.intersection(cell.flags)):
            out.exact.append(key)
        elif (cell.value is None and UNSURE.intersection(cell.flags)) or _named(result, key):
            out.flagged.append(key)
        else:
            out.wrong.append((key, cell.value, want))
    return out
