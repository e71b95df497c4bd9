"""What only the whole table decides, once every row is read: unlabelled rows that could fill
several form rows, rows printing fewer values than columns, and run-together digits whose cut the
row alone leaves open. The identities (and numbers restated in the text, P-1) settle each only
where exactly one way survives; the rest stays blank, flagged, or reported unplaced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Protocol

from gongkai import schema
from gongkai.model import Cell, CellState, Issue

from .cells import parse_cell
from .columns import ShortRow, agreed, by_header, could_hold, prune
from .mapped import Mapped, row_name
from .placement import Choice
from .rows import Row
from .split import Sum, combine, value_of

_KEY = tuple[str, str, str]
# A number the report's text restates: the cells whose sum it is, and the number.
Stated = tuple[tuple[_KEY, ...], Decimal]


class Emit(Protocol):
    def __call__(self, out: Mapped, table: str, version: str, block: str, row_key: str,
                 cols: list[schema.Column], row: Row, flags: list[str]) -> None: ...


Append = Callable[[Mapped, str, str, str, schema.Column, str, str, list[str]], None]


def _known(out: Mapped, table: str) -> tuple[dict[_KEY, Decimal | None], set[_KEY]]:
    vals = {(c.block, c.row_key, c.col_key): c.value for c in out.cells if c.table == table}
    return vals, set(vals)


def _idents(table: str, version: str) -> tuple[schema.Identity, ...]:
    return schema.identities(table, version)


def _holds_all(idents: Iterable[schema.Identity], vals: dict[_KEY, Decimal | None], present: set[_KEY],
               cells: set[_KEY]) -> bool:
    return all(could_hold(i, vals, present) for i in idents if cells & set(i.cells))


def _stated(statements: Iterable[Stated], vals: dict[_KEY, Decimal | None], present: set[_KEY],
            cells: set[_KEY], row: set[_KEY] | None = None) -> bool:
    """No number restated in the text is contradicted (only statements whose cells are all known).
    For a statement about cells of `row` alone (a short row being placed), a placement that leaves
    one of them unprinted contradicts it too: the text says the row prints that number."""
    for keys, number in statements:
        if row is not None and keys and all(k in row for k in keys) and any(k not in present for k in keys):
            return False
        if not cells & set(keys) or any(k not in present or vals.get(k) is None for k in keys):
            continue
        if sum((vals[k] or Decimal(0) for k in keys), Decimal(0)) != number:
            return False
    return True


def _choose(out: Mapped, table: str, version: str, choice: Choice, emit: Emit,
            statements: dict[str, list[Stated]]) -> None:
    ts = schema.spec(table, version)
    block_of = {r.key: b for b in ts.blocks for r in b.rows}
    vals, present = _known(out, table)
    survivors = []
    for way in choice.ways:
        trial, here = dict(vals), set(present)
        cells: set[_KEY] = set()
        for line, key in zip(choice.lines, way, strict=True):
            block = block_of[key]
            cols = [c for c in block.cols if not c.derived]
            texts = line.texts()
            if len(texts) != len(cols) or any(t.glued for t in line.row.values):
                continue  # this line's cells cannot be told before its columns are: no evidence
            for col, text in zip(cols, texts, strict=True):
                k = (block.key, key, col.key)
                trial[k] = parse_cell(text).value
                here.add(k)
                cells.add(k)
        if cells and _holds_all(_idents(table, version), trial, here, cells) and \
                _stated(statements.get(table, []), trial, here, cells):
            survivors.append(way)
    if len(survivors) == 1:
        for line, key in zip(choice.lines, survivors[0], strict=True):
            block = block_of[key]
            out.issues.append(Issue("label_by_position", f"{row_name(table, block.key, key)}: placed among {len(choice.ways)} possible "
                                    "rows by the identities; its label is missing or printed apart"))
            emit(out, table, version, block.key, key, [c for c in block.cols if not c.derived], line.row,
                 ["placed_by_order", "placed_by_identity"])
        return
    why = f"{choice.why}; the identities leave {len(survivors)} of {len(choice.ways)} ways"
    for line in choice.lines:
        out.issues.append(Issue("values_unplaced", f"{table}: value row {' '.join(line.texts())[:60]!r} not placed: {why}"))
    for way in choice.ways:
        for key in way:
            out.unplaced_rows.setdefault((table, key), why)


def _short(out: Mapped, version: str, short: ShortRow, append: Append,
           statements: dict[str, list[Stated]]) -> None:
    vals, present = _known(out, short.table)
    mine = {(short.block, short.row_key, c.key) for c in short.cols}
    header = by_header(short, out.cells)
    if header is not None:
        short.options = [header]  # the markup places each cell; the checks judge the values
    kept = prune(short, vals, present, _idents(short.table, version))
    by_ident = len(kept) < len(short.options)
    if not kept:
        kept = list(short.options)  # the row breaks its identities whatever the placement: decide nothing
        by_ident = False
    stated = [o for o in kept if _stated(statements.get(short.table, []), {**vals, **_trial(short, o)},
                                         present | set(_trial(short, o)), mine, mine)]
    by_prose = bool(stated) and len(stated) < len(kept)
    kept = stated or kept
    how = ["placed_by_header"] if header is not None else ["placed_by_identity"] if by_ident else []
    how += ["placed_by_prose"] if by_prose else []
    texts = " ".join(short.texts)
    unsure = []
    for j, (col, (text, options)) in enumerate(zip(short.cols, agreed(short, kept), strict=True)):
        if text is not None:
            if text:
                i = kept[0].index(j)
                append(out, short.table, short.block, short.row_key, col, text, short.refs[i], [*short.flags, *how])
            continue
        unsure.append(col.key)
        shown = "|".join(sorted(t or "(none)" for t in options))
        out.cells.append(Cell(short.table, short.block, short.row_key, col.key, None, texts, CellState.BLANK,
                              short.refs[0], flags=[*short.flags, "ambiguous_columns", "candidates:" + shown]))
    name = row_name(short.table, short.block, short.row_key)
    if unsure:
        out.issues.append(Issue("ambiguous_columns", f"{name}: {len(short.texts)} values ({texts}) for {len(short.cols)} "
                                f"columns; {len(kept)} placements remain, cells left blank: {', '.join(unsure)}"))
    elif len(short.options) > 1:
        out.issues.append(Issue("short_row", f"{name}: {len(short.texts)} values for {len(short.cols)} columns, placed "
                                f"by {' and '.join(h.removeprefix('placed_by_') for h in how) or 'position'}", "info"))


def _trial(short: ShortRow, option: tuple[int, ...]) -> dict[_KEY, Decimal | None]:
    return {(short.block, short.row_key, short.cols[j].key): parse_cell(t).value
            for j, t in zip(option, short.texts, strict=True)}


def resolve(out: Mapped, emit: Emit, append: Append, statements: dict[str, list[Stated]] | None = None) -> None:
    statements = statements or {}
    for table, version, choice in out.choices:
        _choose(out, table, version, choice, emit, statements)
    for short in out.short:
        _short(out, out.versions[short.table], short, append, statements)
    _settle_cuts(out, append, statements)
    if out.open_cuts and "applications" in out.versions:
        resolve_by_table(out, out.versions["applications"], append)
    report_open_cuts(out)


def _settle_cuts(out: Mapped, append: Append, statements: dict[str, list[Stated]]) -> None:
    """Open cuts of a run of digits that a number restated in the text narrows (制发的规范性文件77件
    against `77132470`). A statement that no cut agrees with is ignored here (P-1 reports it); a
    cell is filled only where every remaining cut agrees."""
    for (table, row_key), (cols, cuts) in list(out.open_cuts.items()):
        at = {(c.row_key, c.col_key): i for i, c in enumerate(out.cells) if c.table == table and c.row_key == row_key}
        if not at:
            continue
        block = out.cells[next(iter(at.values()))].block
        index = {(block, row_key, col.key): j for j, col in enumerate(cols)}
        kept = cuts
        for keys, number in statements.get(table, []):
            if not all(k in index for k in keys):
                continue
            narrowed = [c for c in kept if sum((value_of(c[index[k]]) for k in keys), Decimal(0)) == number]
            kept = narrowed or kept
        if len(kept) == len(cuts):
            continue
        out.open_cuts[(table, row_key)] = (cols, kept)
        for j, col in enumerate(cols):
            texts = {c[j] for c in kept}
            pos = at.get((row_key, col.key))
            if len(texts) != 1 or pos is None or "ambiguous_split" not in out.cells[pos].flags:
                continue
            old = out.cells[pos]
            tmp = Mapped()
            append(tmp, table, block, row_key, col, texts.pop(), f"{old.ref}#{j}", ["split_from_run", "split_by_prose"])
            out.cells[pos] = tmp.cells[0]


def resolve_by_table(out: Mapped, version: str, append: Append) -> None:
    """Close open cuts of 表三 rows with the column identities (T3-A, T3-B).

    Only a combination of row cuts under which every identity touching those rows holds is
    accepted, and a cell is filled only where all such combinations agree. A table that breaks
    its identities anyway, or has too many combinations to try, resolves nothing: the cells
    stay blank and flagged."""
    rows = [(rk, cols, cuts) for (t, rk), (cols, cuts) in out.open_cuts.items() if t == "applications"]
    if not rows:
        return
    known = {(c.block, c.row_key, c.col_key): c.value for c in out.cells
             if c.table == "applications" and c.value is not None}
    where = {("", rk, col.key): (r, j) for r, (rk, cols, _) in enumerate(rows) for j, col in enumerate(cols)}
    sums: list[Sum] = []
    for ident in schema.identities("applications", version):
        if ident.rule not in ("T3-A", "T3-B") or not any(k in where for k in ident.cells):
            continue
        if any(k not in where and k not in known for k in ident.cells):
            continue  # a blank input: the identity decides nothing
        signed = [(k, 1) for k in ident.lhs] + [(k, -1) for k in ident.rhs]
        const = sum((sign * (known[k] or Decimal(0)) for k, sign in signed if k not in where), Decimal(0))
        sums.append(Sum(const, tuple((*where[k], sign) for k, sign in signed if k in where)))
    survivors = combine([[[value_of(t) for t in cut] for cut in cuts] for _, _, cuts in rows], sums)
    if not survivors:
        return
    by_key = {(c.row_key, c.col_key): i for i, c in enumerate(out.cells) if c.table == "applications"}
    for idx, (rk, cols, cuts) in enumerate(rows):
        for j, col in enumerate(cols):
            texts = {cuts[s[idx]][j] for s in survivors}
            pos = by_key.get((rk, col.key))
            if len(texts) != 1 or pos is None or "ambiguous_split" not in out.cells[pos].flags:
                continue
            text = texts.pop()
            old = out.cells[pos]
            tmp = Mapped()
            append(tmp, "applications", "", rk, col, text, f"{old.ref}#{j}", ["split_from_run", "split_by_table_identity"])
            out.cells[pos] = tmp.cells[0]


def report_open_cuts(out: Mapped) -> None:
    """One error per row whose run-together digits are still not cut: a blank is never silent."""
    rows: dict[tuple[str, str, str], list[Cell]] = {}
    for c in out.cells:
        if "ambiguous_split" in c.flags:
            rows.setdefault((c.table, c.block, c.row_key), []).append(c)
    for (table, block, row_key), cells in rows.items():
        too_many = next((f.split(":", 1)[1] for f in cells[0].flags if f.startswith("too_many_cuts:")), None)
        why = (f"{too_many if too_many != '0' else 'too many'} possible cuts, too many to try" if too_many
               else "several cuts fit the form's rules and what the text restates")
        out.issues.append(Issue("ambiguous_split", f"{row_name(table, block, row_key)}: digits {cells[0].raw!r} run "
                                f"together, {why}; left blank: {', '.join(c.col_key for c in cells)}", "error"))
