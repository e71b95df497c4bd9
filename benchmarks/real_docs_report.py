"""Score the extractor on the real reports of tests/fixtures/real: per document, how many hand-checked
cells come out exact, wrong-but-flagged, or silently wrong (a wrong or missing value that nothing warns of).

    .venv/bin/python -m benchmarks.real_docs_report          # the table, then every silent failure

A truth cell counts as *flagged* when the extracted cell carries a warning flag (any flag but the purely
informational ones below), when one of the document's errors names its row (or its table is missing),
or when the document lists it as missing. Everything else that is not exact is *silent*: the defect
issue 8 forbids. tests/extract/test_real_docs.py asserts there is none.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from extract.document import extract_document
from gongkai.model import Cell, CellState, ExtractResult, ExtractStatus, Issue

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "real"

Key = tuple[str, str, str, str]  # table, block, row_key, col_key

# Flags that describe how a value was printed or read, not a doubt about it: a wrong value that carries
# only these is still a silent error.
INFORMATIONAL_FLAGS = frozenset({
    "unit_in_cell", "annotated", "thousands_separator", "explicit_sign", "converted_from_yuan", "derived",
    "split_from_run", "split_by_table_identity",
})
# Issue codes that declare a whole table absent: every cell of it is accounted for.
TABLE_ABSENT_CODES = frozenset({"table_missing"})
# Statuses that claim no table values at all (no_tables, unreadable, crashed, ...): nothing is silently
# wrong in them, every truth cell is accounted for by the status. Only these claim values:
CLAIMING_STATUSES = frozenset({ExtractStatus.EXTRACTED, ExtractStatus.EXTRACTED_WITH_ISSUES, ExtractStatus.PARTIAL})


@dataclass(frozen=True, slots=True)
class Miss:
    """One truth cell that did not come out exact."""

    key: Key
    printed: Decimal | None
    extracted: str  # the extracted value, "<no cell>" or "<blank>"
    flags: tuple[str, ...]
    silent: bool


@dataclass(slots=True)
class Score:
    name: str
    status: str
    exact: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def flagged(self) -> int:
        return sum(not m.silent for m in self.misses)

    @property
    def silent(self) -> list[Miss]:
        return [m for m in self.misses if m.silent]

    @property
    def total(self) -> int:
        return self.exact + len(self.misses)


def load_truth() -> dict[str, dict[Key, tuple[Decimal | None, str]]]:
    truth: dict[str, dict[Key, tuple[Decimal | None, str]]] = defaultdict(dict)
    with (FIXTURES / "truth.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = (r["table"], r["block"], r["row_key"], r["col_key"])
            truth[r["file"]][key] = (Decimal(r["value"]) if r["value"] != "" else None, r["notes"])
    return truth


def load_manifest() -> list[dict[str, str]]:
    with (FIXTURES / "manifest.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def warning_flags(cell: Cell) -> tuple[str, ...]:
    return tuple(f for f in cell.flags if f.split(":", 1)[0] not in INFORMATIONAL_FLAGS)


def _names(issue: Issue, key: Key) -> bool:
    """Does this document error account for the cell `key` (its table is missing, or it names the row)?"""
    table, _block, row_key, _col = key
    msg = issue.message
    if issue.code in TABLE_ABSENT_CODES and table in msg:
        return True
    if table == "review_litigation" and table in msg:  # 表四 is a single row: naming the table names the row
        return True
    return re.search(rf"(?<![A-Za-z_]){re.escape(row_key)}(?![A-Za-z_])", msg) is not None


def _exact(cell: Cell | None, want: Decimal | None) -> bool:
    if cell is None:
        return False
    if want is None:
        return cell.value is None and cell.state in (CellState.BLANK, CellState.NA)
    return cell.value is not None and cell.value == want


def score(name: str, result: ExtractResult, truth: dict[Key, tuple[Decimal | None, str]]) -> Score:
    cells = {c.key: c for c in result.cells if not c.derived}
    out = Score(name, str(result.status))
    for key, (want, _notes) in sorted(truth.items()):
        cell = cells.get(key)
        if _exact(cell, want):
            out.exact += 1
            continue
        flags = warning_flags(cell) if cell is not None else ()
        named = result.status not in CLAIMING_STATUSES or any(_names(e, key) for e in result.errors)
        got = "<no cell>" if cell is None else (str(cell.value) if cell.value is not None else f"<{cell.state}> {cell.raw!r}")
        out.misses.append(Miss(key, want, got, flags, silent=not flags and not named))
    return out


def extract(name: str) -> ExtractResult:
    return extract_document((FIXTURES / name).read_bytes(), name)


def score_all() -> list[Score]:
    truth = load_truth()
    return [score(row["file"], extract(row["file"]), truth.get(row["file"], {})) for row in load_manifest()]


def render(scores: list[Score]) -> str:
    lines = [f"{'document':<66} {'status':<22} {'cells':>5} {'exact':>5} {'flag':>5} {'SILENT':>6}"]
    for s in scores:
        lines.append(f"{s.name:<66} {s.status:<22} {s.total:>5} {s.exact:>5} {s.flagged:>5} {len(s.silent):>6}")
    tot = [sum(x) for x in zip(*((s.total, s.exact, s.flagged, len(s.silent)) for s in scores), strict=True)]
    lines.append(f"{'TOTAL (' + str(len(scores)) + ' documents)':<66} {'':<22} {tot[0]:>5} {tot[1]:>5} {tot[2]:>5} {tot[3]:>6}")
    lines.append("")
    for s in scores:
        for m in s.silent:
            lines.append(f"SILENT {s.name}: {'/'.join(p for p in m.key if p)} printed {m.printed} extracted {m.extracted}")
    return "\n".join(lines)


def main() -> None:
    scores = score_all()
    print(render(scores))
    sys.exit(0)


if __name__ == "__main__":
    main()
