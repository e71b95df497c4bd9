"""Rows of the three tables → cells keyed by (table, block, row_key, col_key).

Each row is keyed by its label's distinctive words (schema `Row.keywords`); a label the source
lost or cut short is named by its position after the previous row. Values are read in the form's
column order; run-together digit runs are cut with the row's identity (split.py), and cuts still
open are settled by the table's column identities only when exactly one combination holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai import schema
from gongkai.model import Cell, CellState, Issue
from gongkai.normalize import compact

from .cells import is_blank, parse_cell
from .grid import Document
from .rows import Row, Token, rows_of, split_tables
from .split import MAX_WORK, CellRule, RowRules, Sum, candidates, combine, solve, value_of


@dataclass
class Mapped:
    cells: list[Cell] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    found: set[str] = field(default_factory=set)
    # Rows of run-together digits whose cut is still open: (table, row_key) → (cols, cuts).
    open_cuts: dict[tuple[str, str], tuple[list[schema.Column], list[list[str]]]] = field(default_factory=dict)
    split_work: int = 0  # search steps spent cutting digit runs, bounded per document


SPLIT_WORK_PER_DOCUMENT = 400_000


# ------------------------------------------------------------------ shared value handling

def _row_rules(table: str, version: str, block: str, row_key: str, cols: list[schema.Column]) -> RowRules:
    """What a cut of the row's digits must respect: signs and decimals only where the column
    allows them, and the identities inside this row (T3-C, T4-A)."""
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
    row: Row,
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
        if sol.satisfiable and None in sol.agreed:
            out.open_cuts[(table, row_key)] = (cols, sol.kept)
        for i, col in enumerate(cols):
            text = sol.agreed[i]
            if text is None:
                out.cells.append(Cell(table, block, row_key, col.key, None, run, CellState.BLANK, ref,
                                      flags=["ambiguous_split", "candidates:" + "|".join(candidates(sol.kept, i))]))
                continue
            _append(out, table, block, row_key, col, text, f"{ref}#{i}", ["split_from_run"])
        return
    values = row.values
    # Empty cells beside a label (a label merged over two columns that a PDF or Word export
    # drew as two cells) come before the numbers in a grid; span fillers in text come after.
    if len(values) > n and _GRID_REF.match(values[0].ref):
        while len(values) > n and is_blank(values[0].text):
            values = values[1:]
    if len(values) > n and all(is_blank(t.text) for t in values[n:]):
        values = values[:n]
    elif len(values) > n:
        out.issues.append(Issue("extra_values", f"{table}/{row_key}: {len(values)} values for {n} cells; extra ignored"))
        values = values[:n]
    for tok, col in zip(values, cols, strict=False):
        _append(out, table, block, row_key, col, tok.text, tok.ref, [])
    if len(values) < n:
        out.issues.append(Issue("missing_values", f"{table}/{row_key}: {len(values)} of {n} values printed"))


def _append(out: Mapped, table: str, block: str, row_key: str, col: schema.Column, text: str, ref: str,
            flags: list[str]) -> None:
    p = parse_cell(text)
    value = p.value
    flags = [*flags, *p.flags]
    why = None if value is None else schema.out_of_domain(col.dtype, value)
    if why is not None:
        # thousands of digits, or a misprint: kept as printed text, never as a number
        shown = text if len(text) <= 40 else f"{text[:20]}…{text[-10:]} ({len(text)} characters)"
        out.issues.append(Issue("value_out_of_domain", f"{table}/{row_key}.{col.key}: printed {shown}: {why}", "error"))
        out.cells.append(Cell(table, block, row_key, col.key, None, text, CellState.TEXT, ref,
                              flags=[*flags, "out_of_domain"]))
        return
    if p.state is CellState.TEXT:
        out.issues.append(Issue("not_a_number", f"{table}/{row_key}.{col.key}: printed {text[:40]!r}, not a number "
                                f"({', '.join(p.flags)}); kept as text", "error"))
    if value is not None and col.unit == "万元" and p.unit == "元":
        value = (value / Decimal(10000)).normalize()
        flags.append("converted_from_yuan")
    elif value is not None and col.dtype == "decimal" and p.unit is None and row_key == "gov_procurement":
        flags.append("unit_not_printed")
    if value is not None:
        if value < 0 and col.dtype != "signed_count":
            flags.append("negative_count")
        if value != value.to_integral_value() and col.dtype != "decimal":
            flags.append("fractional_count")
    out.cells.append(Cell(table, block, row_key, col.key, value, text, p.state, ref, flags=flags))


# ------------------------------------------------------------------ labels the source lost

_NUMBERING_PREFIX = re.compile(r"^[0-9一二三四五六七八九十]+")
_HEADER_WORDS = frozenset(
    compact(x) for x in (
        "信息内容", "申请人情况", "自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织",
        "法律服务机构", "其他", *(c.zh for ts in schema.SPECS.values() for b in ts.blocks for c in b.cols),
    )
)


def _may_stand_for(leaf: str, row: schema.Row) -> bool:
    """True when a row's label is missing or cut short, so its position may name it: the label is
    empty, a header word (the label cell itself was blank), or the start of the expected label."""
    if not leaf or leaf in _HEADER_WORDS or any(leaf.endswith(h) for h in _HEADER_WORDS if len(h) >= 4):
        return True
    core = _NUMBERING_PREFIX.sub("", leaf)
    expected = _NUMBERING_PREFIX.sub("", compact(row.zh))
    return len(core) >= 2 and expected.startswith(core)


# ------------------------------------------------------------------ 表二

_BLOCK_OF_ROW = {
    (v, r.key): b.key
    for v in schema.VERSIONS
    for b in schema.spec("active_disclosure", v).blocks
    for r in b.rows
}
_V2021_SIGNS = ("制发", "废止", "现行有效", "收费金额")
_V2019_SIGNS = ("新制作", "新公开", "对外公开总", "上一年项目", "增减", "采购", "其他对外管理服务", "本年新")


def _latest_row(label: str, rows: tuple[schema.Row, ...]) -> schema.Row | None:
    best: tuple[int, int, schema.Row] | None = None
    for r in rows:
        for k in r.keywords:
            pos = label.rfind(k)
            if pos >= 0:
                cand = (pos + len(k), len(k), r)
                if best is None or cand[:2] > best[:2]:
                    best = cand
    return best[2] if best else None


def detect_t2_version(rows: list[Row], year: int | None) -> tuple[str, str]:
    text = "".join(r.label for r in rows)
    v21 = sum(text.count(k) for k in _V2021_SIGNS)
    v19 = sum(text.count(k) for k in _V2019_SIGNS if k != "本年新") + (
        1 if "本年新" in text and "新收" not in text else 0
    )
    if v21 != v19:
        return ("v2021", "headers") if v21 > v19 else ("v2019", "headers")
    for r in rows:  # v2019 第（五）项 rows carry three numbers, v2021 one
        row = _latest_row(r.leaf or r.label, schema.spec("active_disclosure", "v2019").block("art20_5").rows)
        if row is not None and r.values and not any(t.glued for t in r.values):
            return ("v2019", "value_count") if len(r.values) >= 3 else ("v2021", "value_count")
    if year is not None:
        return ("v2021" if year >= 2021 else "v2019"), "year"
    return "v2021", "default"


def map_active(rows: list[Row], version: str, out: Mapped) -> None:
    ts = schema.spec("active_disclosure", version)
    all_rows = tuple(r for b in ts.blocks for r in b.rows)
    order = [(b.key, r) for b in ts.blocks for r in b.rows]
    done: set[str] = set()
    last = -1
    for row in rows:
        if not row.values:
            continue
        match = _latest_row(row.leaf, all_rows) or _latest_row(row.label, all_rows)
        values = row
        if match is None or match.key in done:
            # a row whose label was lost: the next row of the form, if the value count fits
            if last + 1 >= len(order) or not _may_stand_for(row.leaf, order[last + 1][1]):
                if match is None:
                    out.issues.append(Issue("unknown_row", f"active_disclosure: row not on the form ({row.leaf[:30]})"))
                continue
            block_key, match = order[last + 1]
            n = len(ts.block(block_key).cols)
            vals = [t for t in row.values if not is_blank(t.text)] if len(row.values) > n else row.values
            if not any(t.glued for t in vals) and len(vals) != n:
                continue
            values = Row(row.labels, vals)
            out.issues.append(Issue("label_by_position", f"active_disclosure/{match.key}: label missing or unreadable"))
        block_key = _BLOCK_OF_ROW[(version, match.key)]
        cols = [c for c in ts.block(block_key).cols if not c.derived]
        _emit(out, "active_disclosure", version, block_key, match.key, cols, values)
        done.add(match.key)
        last = [k for _, r in order for k in [r.key]].index(match.key)


# ------------------------------------------------------------------ 表三

_OTHER_MISC = re.compile(r"(?:^|[0-9）)])其他$")


def _t3_match(label: str, leaf: str, version_rows: tuple[schema.Row, ...]) -> schema.Row | None:
    if _OTHER_MISC.search(leaf) or leaf == "其他":
        return next((r for r in version_rows if r.key == "other_misc"), None)
    candidates = tuple(r for r in version_rows if r.key != "other_misc")
    return _latest_row(leaf, candidates) or _latest_row(label, candidates)


def detect_t3_version(rows: list[Row], fallback: str) -> tuple[str, str]:
    labels = "".join(r.label for r in rows)
    if any(k in labels for k in ("逾期不补正", "收费通知", "缴纳费用")):
        return "v2021", "rows"
    for r in rows:
        if r.values and r.leaf.endswith("其他处理"):
            return "v2019", "rows"
    return fallback, "fallback"


_GROUP_ROWS = {"不予公开": "withheld_total", "无法提供": "unavailable_total", "不予处理": "not_processed_total",
               "其他处理": "other_total"}


def map_applications(rows: list[Row], version: str, out: Mapped) -> None:
    ts = schema.spec("applications", version)
    printed = tuple(r for r in ts.blocks[0].rows if not r.derived)
    cols = [c for c in ts.blocks[0].cols if not c.derived]
    if any("小计" in r.label for r in rows):
        # Some templates add a 法人或其他组织小计 column before 总计: read it as printed, check it (T3-D).
        cols = [*cols[:6], schema.LEGAL_ENTITY_SUBTOTAL, cols[6]]
    done: set[str] = set()
    last = -1
    keys = [r.key for r in printed]
    for row in rows:
        if not row.values:
            continue
        if all(is_blank(t.text) for t in row.values) and len(row.values) < len(cols):
            continue  # filler cells between header words
        group = _GROUP_ROWS.get(_NUMBERING_PREFIX.sub("", row.leaf))
        if group is not None and (version == "v2021" or group != "other_total") and group not in done:
            # a subtotal row some templates print for a group: kept as printed, checked (T3-D)
            _emit(out, "applications", version, "", group, cols, row)
            done.add(group)
            continue
        match = _t3_match(row.label, row.leaf, printed)
        if match is None or match.key in done:
            if last + 1 >= len(printed) or match is not None or not _may_stand_for(row.leaf, printed[last + 1]):
                if match is not None:
                    out.issues.append(Issue("duplicate_row", f"applications/{match.key}: printed twice; first kept"))
                else:
                    out.issues.append(Issue("unknown_row", f"applications: row not on the form ({row.leaf[:30]})"))
                continue
            match = printed[last + 1]
            out.issues.append(Issue("label_by_position", f"applications/{match.key}: label not recognised ({row.leaf[:20]})"))
        _emit(out, "applications", version, "", match.key, cols, row)
        done.add(match.key)
        last = keys.index(match.key)


# ------------------------------------------------------------------ 表四

def map_review(rows: list[Row], version: str, out: Mapped) -> None:
    ts = schema.spec("review_litigation", version)
    cols = list(ts.blocks[0].cols)
    values = [t for r in rows for t in r.values]
    if any(t.glued for t in values):
        _emit(out, "review_litigation", version, "", "cases", cols, Row([], values))
        return
    # Filler cells of the header (a 行政复议 leaf spanning two rows) come before the numbers.
    while len(values) > len(cols) and is_blank(values[0].text):
        values = values[1:]
    if len(values) < len(cols):
        out.issues.append(Issue("missing_values", f"review_litigation: {len(values)} of 15 values printed"))
        if not values:
            return
    _emit(out, "review_litigation", version, "", "cases", cols, Row([], values))


# ------------------------------------------------------------------ table-level cuts

def resolve_by_table(out: Mapped, version: str) -> None:
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
        const = sum((sign * known[k] for k, sign in signed if k not in where), Decimal(0))
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
            del out.cells[pos]
            tmp = Mapped()
            _append(tmp, "applications", "", rk, col, text, f"{old.ref}#{j}", ["split_from_run", "split_by_table_identity"])
            out.cells.insert(pos, tmp.cells[0])


def _report_open_cuts(out: Mapped) -> None:
    """One error per row whose run-together digits are still not cut: a blank is never silent."""
    rows: dict[tuple[str, str], list[Cell]] = {}
    for c in out.cells:
        if "ambiguous_split" in c.flags:
            rows.setdefault((c.table, c.row_key), []).append(c)
    for (table, row_key), cells in rows.items():
        too_many = next((f.split(":", 1)[1] for f in cells[0].flags if f.startswith("too_many_cuts:")), None)
        why = (f"{too_many if too_many != '0' else 'too many'} possible cuts, too many to try" if too_many
               else "several cuts fit the form's rules")
        out.issues.append(Issue("ambiguous_split", f"{table}/{row_key}: digits {cells[0].raw!r} run together, {why}; "
                                f"left blank: {', '.join(c.col_key for c in cells)}", "error"))


# ------------------------------------------------------------------ entry point

def map_document(doc: Document, year: int | None) -> Mapped:
    out = Mapped()
    tables = split_tables(rows_of(doc))
    t2 = tables["active_disclosure"]
    v2 = None
    if any(r.values for r in t2):
        v2, _how = detect_t2_version(t2, year)
        out.versions["active_disclosure"] = v2
        map_active(t2, v2, out)
    fallback = v2 or ("v2021" if (year or 2021) >= 2021 else "v2019")
    t3 = tables["applications"]
    if any(r.values for r in t3):
        v3, _how = detect_t3_version(t3, fallback)
        out.versions["applications"] = v3
        map_applications(t3, v3, out)
    t4 = tables["review_litigation"]
    if any(r.values for r in t4):
        v4 = out.versions.get("applications", fallback)
        out.versions["review_litigation"] = v4
        map_review(t4, v4, out)
    if out.open_cuts and "applications" in out.versions:
        resolve_by_table(out, out.versions["applications"])
    _report_open_cuts(out)
    out.found = {c.table for c in out.cells}
    for t in list(out.versions):
        if t not in out.found:
            del out.versions[t]
    return out


__all__ = ["Mapped", "map_document"]
