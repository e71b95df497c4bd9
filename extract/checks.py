"""Accounting identities (spec §3.1), value domains and a split-digit detector → Checks.

A check never edits a value. Blank or NA inputs make a check `uncertain`; it then also says
whether it would pass with blanks read as 0 (`blank_as_zero`), because many reports leave
zeros blank. Derived subtotals are computed here and returned as separate, `derived` cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from gongkai import schema
from gongkai.model import Cell, CellState, Check, CheckStatus

from .split import count_cuts

_KEY = tuple[str, str, str, str]
_ZERO = Decimal(0)


@lru_cache(maxsize=4096)  # a function of the number alone (1.0 and 1 print alike), and few numbers repeat often
def _fmt(v: Decimal) -> str:
    return str(int(v)) if v == v.to_integral_value() else str(v.normalize())


def _name(k: tuple[str, str, str]) -> str:
    block, row, col = k
    return f"{block + '/' if block else ''}{row}.{col}"


@dataclass(frozen=True, slots=True)
class _Rule:
    """An identity ready to evaluate against a document's cells: its cells' full keys (lhs first)
    and printed names, worked out once per identity rather than once per document."""

    ident: schema.Identity
    keys: tuple[_KEY, ...]
    names: tuple[str, ...]
    n_lhs: int


def _rule(ident: schema.Identity) -> _Rule:
    return _Rule(ident, tuple((ident.table, *k) for k in ident.cells), tuple(_name(k) for k in ident.cells),
                 len(ident.lhs))


@cache
def _rules(table: str, version: str) -> tuple[_Rule, ...]:
    return tuple(_rule(i) for i in schema.identities(table, version))


@cache
def _group_rules(version: str) -> tuple[_Rule, ...]:
    return tuple(_rule(i) for i in schema.group_subtotals(version))


@cache
def _legal_entity_rule(version: str, row: str) -> _Rule:
    return _rule(schema.legal_entity_subtotal(version, row))


def check_identities(cells: dict[_KEY, Cell], versions: dict[str, str]) -> list[Check]:
    out: list[Check] = []
    for table in schema.TABLES:
        version = versions.get(table)
        if version is None:
            continue
        out.extend(_evaluate(rule, cells) for rule in _rules(table, version))
    return out


def _evaluate(rule: _Rule, cells: dict[_KEY, Cell]) -> Check:
    ident = rule.ident
    t = ident.table
    try:  # the common case: every cell printed
        present = [cells[k] for k in rule.keys]
    except KeyError:
        missing = [n for n, k in zip(rule.names, rule.keys, strict=True) if k not in cells]
        return Check(ident.rule, t, CheckStatus.NOT_ASSESSABLE, None, None, list(rule.names),
                     f"{ident.description}; not printed: {', '.join(missing)}")
    # (`is None` tests throughout: comparing a Decimal with None goes through the numbers ABCs)
    values = [c.value for c in present]
    known = [v for v in values if v is not None]
    n_lhs = rule.n_lhs
    if len(known) == len(values):
        lhs = sum(known[:n_lhs], _ZERO)
        rhs = sum(known[n_lhs:], _ZERO)
        if lhs == rhs:  # the common case: keep it cheap
            shown = _fmt(rhs)  # equal numbers print alike
            return Check(ident.rule, t, CheckStatus.PASS, shown, shown, list(rule.names), ident.description)
    else:  # a blank or NA cell counts as 0 in the sums
        zeroed = [_ZERO if v is None else v for v in values]
        lhs = sum(zeroed[:n_lhs], _ZERO)
        rhs = sum(zeroed[n_lhs:], _ZERO)
    lhs_cells, rhs_cells = present[:n_lhs], present[n_lhs:]
    names = list(rule.names)
    unknown = [n for n, v in zip(names, values, strict=True) if v is None]
    eq_l = " + ".join(_show(c) for c in lhs_cells)
    eq_r = " + ".join(_show(c) for c in rhs_cells)
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
    rows = sorted({k[2] for k in cells if k[0] == "applications"})
    out: list[Check] = []
    for rule in (*_group_rules(version), *(_legal_entity_rule(version, r) for r in rows)):
        printed = cells.get(rule.keys[0])
        if printed is not None and not printed.derived:
            out.append(_evaluate(rule, cells))
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


def refuted_cuts(cells: dict[_KEY, Cell], checks: list[Check]) -> list[Check]:
    """A run of glued digits is cut into cells as one piece of evidence: when a failing check names
    one cell of a cut the digits allowed other cuts of, every cell of that cut is in doubt
    (`13150000154` cut 1|3|150|…|154 fits the row total, but the column sums refute its 1 and 150,
    and so its 3), and one check names them all."""
    runs: dict[tuple[str, str], list[Cell]] = {}
    named: dict[tuple[str, str], Cell] = {}
    for c in cells.values():
        if "split_from_run" in c.flags and "#" in c.ref:
            runs.setdefault((c.table, c.ref.rsplit("#", 1)[0]), []).append(c)
            named[(c.table, _name((c.block, c.row_key, c.col_key)))] = c
    if not runs:
        return []
    failed: dict[tuple[str, str], set[str]] = {}
    for ch in checks:
        if ch.status is CheckStatus.FAIL and ch.rule.startswith(("T3-", "T4-")):  # the form's identities, not prose
            for n in ch.cells:
                hit = named.get((ch.table, n))
                if hit is not None:
                    failed.setdefault((hit.table, hit.ref.rsplit("#", 1)[0]), set()).add(ch.rule)
    out: list[Check] = []
    for (table, _ref), rules in sorted(failed.items()):
        members = sorted(runs[(table, _ref)], key=lambda c: int(c.ref.rsplit("#", 1)[1]))
        if count_cuts(["".join(c.raw for c in members)], len(members)) < 2:
            continue  # digits that cut one way only (0000000, 6000017): no other cut to doubt it for
        names = [_name((c.block, c.row_key, c.col_key)) for c in members]
        cut = "|".join(c.raw for c in members)
        out.append(Check("SPLIT-CUT", table, CheckStatus.FAIL, None, None, names,
                         f"{members[0].row_key}: glued digits cut {cut}, which {', '.join(sorted(rules))} "
                         "refutes: every value cut from them is in doubt"))
    return out


def derive(cells: dict[_KEY, Cell], versions: dict[str, str]) -> list[Cell]:
    """Derived 表三 subtotals (group rows, then the legal-entity column of every row, derived group
    rows included); a subtotal the report prints itself is never replaced."""
    version = versions.get("applications")
    if version is None:
        return []
    out: list[Cell] = []
    src = dict(cells)

    def add(rule: _Rule) -> None:
        key, *parts = rule.keys  # the subtotal, then the cells it adds up
        if key in src:
            return  # the report prints this subtotal itself
        got = [g for g in map(src.get, parts) if g is not None]
        if len(got) < len(parts):
            return  # inputs not printed
        vals = [g.value for g in got]
        known = [x for x in vals if x is not None]
        v = sum(known, _ZERO) if len(known) == len(vals) else None
        st = CellState.BLANK if v is None else (CellState.ZERO if v == 0 else CellState.NUMBER)
        cell = Cell(*key, v, "", st, "", derived=True, flags=["derived"])
        out.append(cell)
        src[key] = cell

    for rule in _group_rules(version):
        add(rule)
    for row in sorted({k[2] for k in src if k[0] == "applications"}):
        add(_legal_entity_rule(version, row))
    return out
