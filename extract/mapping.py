"""Rows of the three tables → cells keyed by (table, block, row_key, col_key).

Each row is keyed by its own label (labels.py); rows whose label was lost, cut short or printed
apart are placed by their place between labelled rows (placement.py), or reported. Values are
read in the form's column order; a row printing fewer values than columns is placed only as far
as the identities decide (columns.py, resolve.py); run-together digit runs are cut with the row's
identity (split.py), and cuts still open are settled by the table's column identities only when
exactly one combination holds.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache, lru_cache

from gongkai import schema
from gongkai.model import Cell, CellState, Issue
from gongkai.normalize import compact

from . import columns, labels, placement, prose, resolve
from .cells import is_blank, parse_cell
from .columns import ShortRow
from .grid import Document
from .mapped import Mapped, row_name
from .placement import Line
from .rows import Row, Token, rows_of, split_tables
from .split import MAX_WORK, CellRule, RowRules, candidates, count_cuts, solve

SPLIT_WORK_PER_DOCUMENT = 400_000  # search steps cutting digit runs, over all rows of a document

# ------------------------------------------------------------------ shared value handling

def _row_rules(table: str, version: str, block: str, row_key: str, cols: list[schema.Column]) -> RowRules:
    """What a cut of the row's digits must respect: signs and decimals only where the column
    allows them, values inside the schema's domain, and the identities inside this row (T3-C, T4-A)."""
    pos = {(block, row_key, c.key): i for i, c in enumerate(cols)}
    sums = tuple(
        (tuple(pos[k] for k in i.lhs), tuple(pos[k] for k in i.rhs))
        for i in schema.row_identities(table, version)
        if all(k in pos for k in i.cells)
    )
    cells = tuple(CellRule(c.dtype == "signed_count", c.dtype == "decimal", int(schema.DOMAIN_LIMIT[c.dtype]))
                  for c in cols)
    return RowRules(cells, sums)


def _chunks(tokens: list[Token]) -> list[str]:
    """Space-separated digit groups are cell boundaries the source kept; a unit joins its number."""
    out: list[str] = []
    for t in tokens:
        for piece in t.text.split():
            if piece in ("元", "万元") and out:
                out[-1] += piece
            else:
                out.append(piece)
    return out


_GRID_REF = re.compile(r"^t\d+r")


def _emit(
    out: Mapped, table: str, version: str, block: str, row_key: str, cols: list[schema.Column],
    row: Row, flags: list[str],
) -> None:
    """Turn a row's value tokens into cells (splitting glued runs first)."""
    n = len(cols)
    if any(t.glued for t in row.values):
        chunks = _chunks(row.values)
        ref = row.values[0].ref
        run = " ".join(chunks)
        sol = solve(chunks, _row_rules(table, version, block, row_key, cols),
                    limit=min(MAX_WORK, SPLIT_WORK_PER_DOCUMENT - out.split_work))
        out.split_work += sol.work
        if sol.gave_up:
            for col in cols:
                out.cells.append(Cell(table, block, row_key, col.key, None, run, CellState.BLANK, ref,
                                      flags=["ambiguous_split", f"too_many_cuts:{sol.count}"]))
            return
        if not sol.kept:
            out.issues.append(Issue("unsplittable_digits", f"{table}/{row_key}: cannot cut {run!r} into {n} cells"))
            return
        if not sol.satisfiable and n > 1:
            out.issues.append(Issue("split_breaks_identity",
                                    f"{table}/{row_key}: no cut of {run!r} satisfies the row identity"))
        rules = _row_rules(table, version, block, row_key, cols)
        hidden = _blank_could_hide(chunks, rules)
        if sol.satisfiable and (None in sol.agreed or hidden):
            out.open_cuts[(table, row_key)] = (cols, sol.kept)
        for i, col in enumerate(cols):
            text = sol.agreed[i]
            if text is None or hidden:
                out.cells.append(Cell(table, block, row_key, col.key, None, run, CellState.BLANK, ref,
                                      flags=["ambiguous_split", "candidates:" + "|".join(candidates(sol.kept, i))]))
                continue
            _append(out, table, block, row_key, col, text, f"{ref}#{i}", ["split_from_run", *flags])
        return
    values = row.values
    # Empty cells beside a label (a label merged over two columns that a PDF or Word export
    # drew as two cells) come before the numbers in a grid; span fillers in text come after.
    if len(values) > n and _GRID_REF.match(values[0].ref):
        while len(values) > n and is_blank(values[0].text):
            values = values[1:]
    if len(values) > n and all(is_blank(t.text) for t in values[n:]):
        # Fillers after the row's cells. A blank cell just before them cannot be told from one more filler once a
        # value is missing (昌图 2021: `政府集中采购 | 0 |` then five `|` lines): the row is then as short as its values.
        k = max((i + 1 for i, t in enumerate(values[:n]) if not is_blank(t.text)), default=0)
        values = values[:k] if 0 < k < n else values[:n]
    elif len(values) > n:
        out.issues.append(Issue("extra_values", f"{table}/{row_key}: {len(values)} values for {n} cells; extra ignored"))
        values = values[:n]
    if len(values) < n:
        # never filled left to right: placed later, as far as the identities decide (resolve.py)
        out.short.append(ShortRow(table, block, row_key, cols, [t.text for t in values], [t.ref for t in values],
                                  columns.options(len(values), n), flags, all(t.full_line for t in values)))
        return
    for tok, col in zip(values, cols, strict=False):
        _append(out, table, block, row_key, col, tok.text, tok.ref, flags)  # _append copies the flags


def _blank_could_hide(chunks: list[str], rules: RowRules) -> bool:
    """Whether the run could also be fewer values than the row has cells, with no identity of the row
    to tell: a blank cell leaves no trace in run-together digits (`35` under two columns is 3 and 5,
    or 35 and a blank). Runs of zeros cannot (no cell prints `00`)."""
    n = len(rules.cells)
    return n > 1 and not rules.sums and any(count_cuts(chunks, k) for k in range(1, n))


def _append(out: Mapped, table: str, block: str, row_key: str, col: schema.Column, text: str, ref: str,
            flags: list[str]) -> None:
    value, state, read_flags, why = _read(text, col.unit, col.dtype, col.unit_in_header)
    if why is not None:
        # thousands of digits, or a misprint: kept as printed text, never as a number
        shown = text if len(text) <= 40 else f"{text[:20]}…{text[-10:]} ({len(text)} characters)"
        out.issues.append(Issue("value_out_of_domain", f"{table}/{row_key}.{col.key}: printed {shown}: {why}", "error"))
        out.cells.append(Cell(table, block, row_key, col.key, None, text, CellState.TEXT, ref,
                              flags=[*flags, *read_flags, "out_of_domain"]))
        return
    if state is CellState.TEXT:
        out.issues.append(Issue("not_a_number", f"{table}/{row_key}.{col.key}: printed {text[:40]!r}, not a number "
                                f"({', '.join(read_flags)}); kept as text", "error"))
    out.cells.append(Cell(table, block, row_key, col.key, value, text, state, ref, flags=[*flags, *read_flags]))


@lru_cache(maxsize=16384)
def _read(text: str, unit: str, dtype: str,
          unit_in_header: bool) -> tuple[Decimal | None, CellState, tuple[str, ...], str | None]:
    """A cell's value, state, flags and (when out of the column's domain) why, in a column of this unit
    and type. Cached: most cells of a report print one of a few short texts ("0", "1", "")."""
    p = parse_cell(text)
    value = p.value
    flags = list(p.flags)
    why = None if value is None else schema.out_of_domain(dtype, value)
    if why is not None:
        return None, CellState.TEXT, tuple(flags), why
    if value is not None and unit == "万元" and p.unit == "元":
        value = (value / Decimal(10000)).normalize()
        flags.append("converted_from_yuan")
    elif value is not None and dtype == "decimal" and p.unit is None and not unit_in_header:
        flags.append("unit_not_printed")
    if value is not None:
        if value < 0 and dtype != "signed_count":
            flags.append("negative_count")
        if value != value.to_integral_value() and dtype != "decimal":
            flags.append("fractional_count")
    return value, p.state, tuple(flags), None


# ------------------------------------------------------------------ rows → form rows

def _lines(out: Mapped, table: str, rows: list[Row], form: tuple[schema.Row, ...],
           groups: tuple[schema.Row, ...], widths: dict[str, int]) -> tuple[list[Line], set[str]]:
    """The table's value rows as Lines (keyed where their own label names a form row), and the
    form rows whose labels are printed anywhere in the table. Printed group subtotals go to `out`."""
    lines: list[Line] = []
    seen: set[str] = set()
    width = max(widths.values())
    carried = ""  # labels of a lone value, which belong to the next row
    for row in rows:
        lead = carried + row.lead_text
        seen.update(r.key for r in labels.rows_named(lead + row.own_text, form))
        if not row.values:
            carried = ""
            continue
        own_leaf = row.labels[-1].text if len(row.labels) > row.own else ""
        placeholder = labels.is_placeholder(row.own_text) or labels.is_placeholder(own_leaf)
        if placeholder and all(is_blank(t.text) for t in row.values) and (table != "applications" or
                                                                          len(row.values) < width):
            carried = ""
            continue  # blank cells between header words
        if labels.is_block_heading(row.own_text) and all(is_blank(t.text) for t in row.values):
            carried = ""
            continue  # a block's heading printed as a row of empty cells (第二十条第(一)项 | |||), no data
        if table == "applications" and placement.is_filler(row, width):
            carried = ""
            continue
        group = labels.group_of(own_leaf, groups) if own_leaf else None
        if group is not None:
            out.group_rows.append((table, group.key, row))
            carried = ""
            continue
        own = None if placeholder else (labels.match_row(own_leaf, form) or labels.match_row(row.own_text, form))
        if own is not None:
            lines.append(Line(row, own.key, why="label"))
            carried = ""
            continue
        cut = labels.cut_short_of(own_leaf, form) if own_leaf else []
        if row.own_text.strip() and not placeholder and not cut:
            out.issues.append(Issue("unknown_row", f"{table}: row not on the form ({compact(row.own_text)[:30]}); "
                                    f"values {' '.join(t.text for t in row.values)[:40]} not read"))
            carried = ""
            continue
        named = [r.key for r in (cut or labels.rows_named(lead, form))]
        if placement.is_lone_value(row) and any(widths[k] > 1 for k in named or widths):
            out.lone.append((table, row, lead))
            carried = lead
            continue
        lines.append(Line(row, None, tuple(named), why="cut" if cut else "lead" if named else ""))
        carried = ""
    return lines, seen


@cache
def _form(table: str, version: str) -> tuple[tuple[tuple[str, schema.Row], ...], tuple[schema.Row, ...],
                                            tuple[schema.Row, ...]]:
    """The printed rows in order (with their block), the same as one tuple, the group subtotals."""
    ts = schema.spec(table, version)
    order = tuple((b.key, r) for b in ts.blocks for r in b.rows if not r.derived)
    return order, tuple(r for _, r in order), tuple(r for b in ts.blocks for r in b.rows if r.derived)


def _map_table(out: Mapped, table: str, version: str, rows: list[Row]) -> None:
    ts = schema.spec(table, version)
    order, form, groups = _form(table, version)
    block_of = {r.key: b for b, r in order}
    cols_of = {b.key: [c for c in b.cols if not c.derived] for b in ts.blocks}
    if table == "applications" and any("小计" in r.label for r in rows):
        # Some templates add a 法人或其他组织小计 column before 总计: read it as printed, check it (T3-D).
        c7 = cols_of[""]
        cols_of[""] = [*c7[:6], schema.LEGAL_ENTITY_SUBTOTAL, c7[6]]
    lines, seen = _lines(out, table, rows, form, groups, {r.key: len(cols_of[b]) for b, r in order})
    placed = placement.place(lines, [r.key for r in form], seen)
    out.seen[table] = seen
    out.placements[table] = placed
    for key, line in placed.lines.items():
        block = block_of[key]
        flags = []
        row = line.row
        if key in placed.by_order:
            flags.append("placed_by_order")
            named = f"labels printed apart name it ({line.why})" if line.why else "its label is missing"
            out.issues.append(Issue("label_by_position", f"{row_name(table, block, key)}: placed by its place "
                                    f"between labelled rows; {named}"))
            filled = [t for t in row.values if not is_blank(t.text)]
            if len(row.values) > len(cols_of[block]) == len(filled):
                row = Row(row.labels, filled, row.own)  # its blank "label" was read as an empty cell
        _emit(out, table, version, block, key, cols_of[block], row, flags)
    for key, clash in placed.conflicts.items():
        _emit_conflict(out, table, block_of[key], key, cols_of[block_of[key]], clash)
    for key in placed.duplicates:
        out.issues.append(Issue("duplicate_row", f"{row_name(table, block_of[key], key)}: printed twice with the same "
                                "values", "info"))
    for line, why in placed.unplaced:
        out.issues.append(Issue("values_unplaced", f"{table}: value row {' '.join(line.texts())[:60]!r} not placed: {why}"))
    out.choices.extend((table, version, c) for c in placed.choices)
    for t, row, lead in out.lone:
        if t == table:
            after = compact(lead)[-24:] or "the previous row"
            out.issues.append(Issue("lone_value", f"{table}: a single value {row.values[0].text.strip()!r} printed on a "
                                    f"line of its own after {after}: its row and column cannot be known; not read"))
    printed: dict[str, list[Line]] = {}
    for key, row in out.group_rows_of(table):
        printed.setdefault(key, []).append(Line(row, key, why="label"))
    for key, group_lines in printed.items():
        # a subtotal row some templates print for a group: kept as printed, checked (T3-D)
        if len({tuple(x for x in ln.texts() if x) for ln in group_lines}) > 1:
            _emit_conflict(out, table, "", key, cols_of[""], group_lines)
            continue
        if len(group_lines) > 1:
            out.issues.append(Issue("duplicate_row", f"{row_name(table, '', key)}: printed twice with the same values",
                                    "info"))
        _emit(out, table, version, "", key, cols_of[""], group_lines[0].row, [])


def _emit_conflict(out: Mapped, table: str, block: str, key: str, cols: list[schema.Column],
                   clash: list[Line]) -> None:
    """The same form row printed twice with different values: no value is read, both are kept."""
    shown = [" ".join(x for x in ln.texts()) for ln in clash]
    out.issues.append(Issue("conflicting_values", f"{row_name(table, block, key)}: printed {len(clash)} times with "
                            "different values: " + " / ".join(shown), "error"))
    for j, col in enumerate(cols):
        cands = sorted({ln.texts()[j] if j < len(ln.texts()) else "" for ln in clash})
        out.cells.append(Cell(table, block, key, col.key, None, " / ".join(shown), CellState.BLANK,
                              clash[0].row.values[0].ref,
                              flags=["conflicting_values", "candidates:" + "|".join(cands)]))


# ------------------------------------------------------------------ 表二

def detect_t2_version(rows: list[Row], year: int | None) -> tuple[str, str]:
    text = "".join(r.label for r in rows)
    v21 = sum(text.count(k) for k in schema.spec("active_disclosure", "v2021").signs)
    v19 = sum(text.count(k) for k in schema.spec("active_disclosure", "v2019").signs)
    if v21 != v19:
        return ("v2021", "headers") if v21 > v19 else ("v2019", "headers")
    licensing = schema.spec("active_disclosure", "v2019").blocks[1]
    for r in rows:  # v2019 第（五）项 rows carry three numbers, v2021 one
        row = labels.match_row(r.own_text or r.label, licensing.rows)
        if row is not None and r.values and not any(t.glued for t in r.values):
            return ("v2019", "value_count") if len(r.values) >= len(licensing.cols) else ("v2021", "value_count")
    if year is not None:
        return ("v2021" if year >= 2021 else "v2019"), "year"
    return "v2021", "default"


# ------------------------------------------------------------------ 表三

def detect_t3_version(rows: list[Row], fallback: str) -> tuple[str, str]:
    text = "".join(r.label for r in rows)
    if any(k in text for k in schema.spec("applications", "v2021").signs):
        return "v2021", "rows"
    for r in rows:
        if r.values and any(r.leaf.endswith(k) for k in _OTHER19.keywords):
            return "v2019", "rows"
    return fallback, "fallback"


def _assumed(table: str, version: str, how: str) -> Issue:
    """The table's rows do not show which form it is: the rows the two versions key differently are
    keyed by an assumption, and the error names them (a wrong version would key them wrong silently)."""
    a, b = (set(schema.spec(table, v).printed_cells()) for v in schema.VERSIONS)
    rows = ", ".join(sorted({row for _block, row, _col in a ^ b}))
    return Issue("version_assumed", f"{table}: its rows do not show the form version; {version} assumed {how}, "
                 f"so these rows may be keyed wrong: {rows}")


# v2019 prints （六）其他处理 as a row of numbers; v2021 as a heading over three rows.
_OTHER19 = next(r for r in schema.spec("applications", "v2019").blocks[0].rows
                if not r.derived and r.key in {g.key for g in schema.spec("applications", "v2021").blocks[0].rows
                                               if g.derived})


# ------------------------------------------------------------------ 表四

def map_review(rows: list[Row], version: str, out: Mapped) -> None:
    ts = schema.spec("review_litigation", version)
    block = ts.blocks[0]
    cols = list(block.cols)
    row_key = block.rows[0].key
    # Rows of empty cells after the last number (an empty row under the table) are not values: they
    # would stand in, blank, for a cell the number row lacks, and shift nothing into view.
    numbered = [i for i, r in enumerate(rows) if any(not is_blank(t.text) for t in r.values)]
    values = [t for r in rows[: numbered[-1] + 1 if numbered else len(rows)] for t in r.values]
    if any(t.glued for t in values):
        _emit(out, ts.name, version, block.key, row_key, cols, Row([], values), [])
        return
    # Filler cells of the header (a 行政复议 leaf spanning two rows) come before the numbers.
    while len(values) > len(cols) and is_blank(values[0].text):
        values = values[1:]
    if not values:
        return
    _emit(out, ts.name, version, block.key, row_key, cols, Row([], values), [])


# ------------------------------------------------------------------ entry point

def map_document(doc: Document, year: int | None) -> Mapped:
    out = Mapped()
    tables = split_tables(rows_of(doc))
    t2 = tables["active_disclosure"]
    v2 = None
    if any(r.values for r in t2):
        v2, how = detect_t2_version(t2, year)
        if how in ("year", "default"):
            out.issues.append(_assumed("active_disclosure", v2, f"from the report's year ({year})" if how == "year"
                                       else "by default"))
        out.versions["active_disclosure"] = v2
        _map_table(out, "active_disclosure", v2, t2)
    fallback = v2 or ("v2021" if (year or 2021) >= 2021 else "v2019")
    t3 = tables["applications"]
    if any(r.values for r in t3):
        v3, how = detect_t3_version(t3, fallback)
        if how == "fallback":
            out.issues.append(_assumed("applications", v3, "from 表二's version" if v2 else "from the report's year"))
        out.versions["applications"] = v3
        _map_table(out, "applications", v3, t3)
    t4 = tables["review_litigation"]
    if any(r.values for r in t4):
        v4 = out.versions.get("applications", fallback)
        out.versions["review_litigation"] = v4
        map_review(t4, v4, out)
    out.prose = prose.statements(doc.text, out.versions)
    resolve.resolve(out, _emit, _append, prose.by_table(out.prose))
    out.found = {c.table for c in out.cells} | {t for t, p in out.placements.items()
                                                 if p.unplaced or p.conflicts or p.choices}
    for t in list(out.versions):
        if t not in out.found:
            del out.versions[t]
    return out


__all__ = ["Mapped", "map_document"]
