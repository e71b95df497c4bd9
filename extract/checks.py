"""Accounting identities (spec §3.1), value domains and a split-digit detector → Checks.

A check never edits a value. Blank or NA inputs make a check `uncertain`; it then also says
whether it would pass with blanks read as 0 (`blank_as_zero`), because many reports leave
zeros blank. Derived subtotals are computed here and returned as separate, `derived` cells.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from gongkai import schema
from gongkai.model import Cell, CellState, Check, CheckStatus

_KEY = tuple[str, str, str, str]
_ZERO = Decimal(0)


def _fmt(v: Decimal) -> str:
    return str(int(v)) if v == v.to_integral_value() else str(v.normalize())


def _name(k: tuple[str, str, str]) -> str:
    block, row, col = k
    return f"{block + '/' if block else ''}{row}.{col}"


def check_identities(cells: dict[_KEY, Cell], versions: dict[str, str]) -> list[Check]:
    out: list[Check] = []
    for table in schema.TABLES:
        version = versions.get(table)
        if version is None:
            continue
        for ident in schema.identities(table, version):
            out.append(_evaluate(ident, cells))
    return out


@cache
def _names(ident: schema.Identity) -> tuple[str, ...]:
    return tuple(_name(k) for k in ident.cells)


def _evaluate(ident: schema.Identity, cells: dict[_KEY, Cell]) -> Check:
    names = list(_names(ident))
    t = ident.table
    got = [cells.get((t, *k)) for k in ident.cells]
    if None in got:
        missing = [n for n, c in zip(names, got, strict=True) if c is None]
        return Check(ident.rule, t, CheckStatus.NOT_ASSESSABLE, None, None, names,
                     f"{ident.description}; not printed: {', '.join(missing)}")
    n_lhs = len(ident.lhs)
    lhs_cells, rhs_cells = got[:n_lhs], got[n_lhs:]
    lhs = sum((c.value or _ZERO for c in lhs_cells if c is not None), _ZERO)
    rhs = sum((c.value or _ZERO for c in rhs_cells if c is not None), _ZERO)
    unknown = [n for n, c in zip(names, got, strict=True) if c is not None and c.value is None]
    if not unknown and lhs == rhs:  # the common case: keep it cheap
        return Check(ident.rule, t, CheckStatus.PASS, _fmt(rhs), _fmt(lhs), names, ident.description)
    eq_l = " + ".join(_show(c) for c in lhs_cells if c is not None)
    eq_r = " + ".join(_show(c) for c in rhs_cells if c is not None)
    if unknown:
        zero = "pass" if lhs == rhs else "fail"
        return Check(ident.rule, t, CheckStatus.UNCERTAIN, _fmt(rhs), _fmt(lhs), names,
                     f"{ident.description}: {eq_l} = {eq_r}; blank/NA: {', '.join(unknown)}; "
                     f"with blanks as 0 it would {zero}", blank_as_zero=zero)
    return Check(ident.rule, t, CheckStatus.FAIL, _fmt(rhs), _fmt(lhs), names, f"{ident.description}: {eq_l} ≠ {eq_r}")


def _show(c: Cell) -> str:
    return "blank" if c.value is None else _fmt(c.value)


def check_domains(cells: list[Cell]) -> list[Check]:
    """Counts are non-negative integers; only items_change is signed; money is decimal."""
    out: list[Check] = []
    for c in cells:
        if c.value is None or c.derived:
            continue
        bad = [f for f in c.flags if f in ("negative_count", "fractional_count")]
        if bad:
            out.append(Check("DOMAIN", c.table, CheckStatus.FAIL, "non-negative integer", c.raw,
                             [_name((c.block, c.row_key, c.col_key))], f"{c.row_key}.{c.col_key}: {', '.join(bad)}"))
    return out


def check_printed_subtotals(cells: dict[_KEY, Cell], versions: dict[str, str]) -> list[Check]:
    """T3-D: a subtotal a report prints itself (some templates add group rows or a 小计 column)
    is checked against the cells it adds up; the same definitions give the derived cells."""
    version = versions.get("applications")
    if version is None:
        return []
    rows = tuple(sorted({k[2] for k in cells if k[0] == "applications"}))
    out: list[Check] = []
    for ident in (*schema.group_subtotals(version), *schema.legal_entity_subtotals(version, rows)):
        printed = cells.get(("applications", *ident.lhs[0]))
        if printed is not None and not printed.derived:
            out.append(_evaluate(ident, cells))
    return out


def detect_split_digits(cells: dict[_KEY, Cell], checks: list[Check]) -> list[Check]:
    """Two adjacent single-digit cells whose concatenation fixes a failing row total."""
    out: list[Check] = []
    parts = [c.key for c in schema.APPLICANT_COLS[:-1]]
    rows = {c.cells[0].split(".")[0] for c in checks if c.rule == "T3-C" and c.status is CheckStatus.FAIL}
    for row in sorted(rows):
        vals = [cells.get(("applications", "", row, p)) for p in parts]
        total = cells.get(("applications", "", row, schema.APPLICANT_COLS[-1].key))
        if total is None or total.value is None or any(v is None or v.value is None for v in vals):
            continue
        nums = [v.value for v in vals if v is not None and v.value is not None]
        base = sum(nums, Decimal(0))
        for i in range(len(nums) - 1):
            a, b = nums[i], nums[i + 1]
            if 0 <= a <= 9 and 0 <= b <= 9 and a == a.to_integral_value() and b == b.to_integral_value():
                joined = Decimal(f"{int(a)}{int(b)}")
                if base - a - b + joined == total.value:
                    out.append(Check("SPLIT-DIGITS", "applications", CheckStatus.FAIL, _fmt(total.value), _fmt(base),
                                     [f"{row}.{parts[i]}", f"{row}.{parts[i + 1]}", f"{row}.total"],
                                     f"{row}: {int(a)} and {int(b)} read as {joined} would make the row add up to "
                                     f"{_fmt(total.value)}: probably one number split over two cells"))
    return out


def derive(cells: dict[_KEY, Cell], versions: dict[str, str]) -> list[Cell]:
    """Derived 表三 subtotals (group rows, then the legal-entity column of every row, derived group
    rows included); a subtotal the report prints itself is never replaced."""
    version = versions.get("applications")
    if version is None:
        return []
    out: list[Cell] = []
    src = dict(cells)

    def add(ident: schema.Identity) -> None:
        key = ("applications", *ident.lhs[0])
        got = [src.get(("applications", *k)) for k in ident.rhs]
        if any(g is None for g in got) or key in src:
            return  # inputs not printed, or the report prints this subtotal itself
        vals = [g.value for g in got if g is not None]
        v = None if any(x is None for x in vals) else sum((x for x in vals if x is not None), Decimal(0))
        st = CellState.BLANK if v is None else (CellState.ZERO if v == 0 else CellState.NUMBER)
        cell = Cell(*key, v, "", st, "", derived=True, flags=["derived"])
        out.append(cell)
        src[cell.key] = cell

    for ident in schema.group_subtotals(version):
        add(ident)
    rows = tuple(sorted({k[2] for k in src if k[0] == "applications"}))
    for ident in schema.legal_entity_subtotals(version, rows):
        add(ident)
    return out
