"""Checks that need two reports of one agency: computed at build time from the published reports.

The rules are the registry's (schema.cross_year_identities): carry-over continuity (T3-X1,
结转下年度 of Y−1 = 上年结转 of Y per column) and stock continuity (T2-X1, v2021: 现行有效件数 of Y = that
of Y−1 + 本年制发 − 本年废止). Both are soft rules (spec §3.2): a failure is a finding to look at, not
an error in extraction. A report whose agency or year is unknown has no neighbour and is never checked.
Each report keeps, in memory, only the few cells these rules read (tables.CROSS_KEYS).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from gongkai import schema

from .tables import CROSS_INDEX, CROSS_TABLES, DocMeta


def _fmt(v: float | None) -> str | None:
    if v is None:
        return None
    return str(int(v)) if float(v).is_integer() else str(v)


def _cell(m: DocMeta, table: str, cell: tuple[str, str, str]) -> tuple[bool, float | None]:
    """(printed at all, its value): absent cells are stored as +inf, blank ones as NaN."""
    assert m.cross is not None
    x = m.cross[CROSS_INDEX[(table, *cell)]]
    if math.isinf(x):
        return False, None
    return True, None if math.isnan(x) else x


def _sum(terms: list[tuple[int, float | None]]) -> float | None:
    total = 0.0
    for sign, v in terms:
        if v is None:
            return None
        total += sign * v
    return total


def cross_report_checks(metas: list[DocMeta], chosen: dict[str, int]) -> Iterator[tuple[DocMeta, list[Any]]]:
    """(the report's meta, one checks row as staged: doc, report_id, agency_id, year, …) per check."""
    by: dict[tuple[str, int], DocMeta] = {}
    for idx in chosen.values():
        m = metas[idx]
        if m.agency_id and m.year and m.cross is not None:
            by[(m.agency_id, m.year)] = m
    for (agency, year), cur in sorted(by.items()):
        prev = by.get((agency, year - 1))
        if prev is None:
            continue
        years = {0: cur, -1: prev}
        for ident in schema.cross_year_identities():
            ti = CROSS_TABLES.index(ident.table)
            if not prev.cross_versions[ti] or not cur.cross_versions[ti]:
                continue  # one of the two years does not print the table
            terms = (*ident.lhs, *ident.rhs)
            got = [(sign, off, cell, *_cell(years[off], ident.table, cell)) for sign, off, cell in terms]
            if any(printed and years[off].cross_versions[ti] not in ident.versions
                   for _s, off, _c, printed, _v in got):
                continue
            if len(ident.versions) < len(schema.VERSIONS) and not all(
                    any(printed for _s, off, _c, printed, _v in got if off == y) for y in years):
                continue  # a rule of one form version: both years must print it
            on_prior = any(off == -1 for _s, off, _c in ident.lhs)
            prior, current = (ident.lhs, ident.rhs) if on_prior else (ident.rhs, ident.lhs)
            value = {(off, cell): v for _s, off, cell, _p, v in got}
            expected = _sum([(sign, value[(off, cell)]) for sign, off, cell in prior])
            actual = _sum([(sign, value[(off, cell)]) for sign, off, cell in current])
            cells = [f"{year + off}:{row}.{col}" for side in (prior, current) for _s, off, (_b, row, col) in side]
            message = ident.description.replace("Y−1", str(year - 1)).replace("Y", str(year))
            yield cur, _row(cur, ident.table, ident.rule, expected, actual, cells, message)


def _row(m: DocMeta, table: str, rule: str, expected: float | None, actual: float | None, cells: list[str],
         message: str) -> list[Any]:
    status = "uncertain" if expected is None or actual is None else ("pass" if expected == actual else "fail")
    return [m.idx, m.report_id, m.agency_id, m.year, table, rule, "cross_report", status, expected, actual,
            _fmt(expected), _fmt(actual), "|".join(cells), message, None]
