"""Checks that need two reports of one agency: computed at build time, per agency.

- carry-over continuity (T3-X1): 结转下年度 carried_forward of year Y−1 = 上年结转 carried_over of Y, per column;
- stock continuity (T2-X1, v2021): 现行有效件数 of Y = that of Y−1 + 本年制发 − 本年废止, per 表二 第（一）项 row.
Both are soft rules (spec §3.2): a failure is a finding to look at, not an error in extraction.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from gongkai import schema


def _fmt(v: float | int) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def cross_report_checks(tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    idents = schema.cross_year_identities()
    by: dict[tuple[str, str, int], dict[tuple[str, str, str], Any]] = defaultdict(dict)
    report_of: dict[tuple[str, int], str] = {}
    for t in sorted({i.table for i in idents}):
        for row in tables[t]:
            if row["derived"]:
                continue
            by[(t, row["agency_id"], row["year"])][(row["block"], row["row_key"], row["col_key"])] = (
                row["value"], row["format_version"])
            report_of[(row["agency_id"], row["year"])] = row["report_id"]
    out: list[dict[str, Any]] = []
    for (agency, year), rid in sorted(report_of.items()):
        for ident in idents:
            years = {0: by.get((ident.table, agency, year)), -1: by.get((ident.table, agency, year - 1))}
            if not years[0] or not years[-1]:
                continue
            terms = (*ident.lhs, *ident.rhs)
            got = [years[off].get(cell) for _, off, cell in terms]  # type: ignore[union-attr]
            if any(g is not None and g[1] not in ident.versions for g in got):
                continue
            if len(ident.versions) < len(schema.VERSIONS) and not all(
                    any(g is not None for (_, off, _), g in zip(terms, got, strict=True) if off == y) for y in years):
                continue  # a rule of one form version: both years must print it
            values = dict(zip(terms, (g and g[0] for g in got), strict=True))
            prior = ident.lhs if any(off == -1 for _, off, _ in ident.lhs) else ident.rhs
            current = ident.rhs if prior is ident.lhs else ident.lhs
            out.append(_check(rid, agency, year, ident.table, ident.rule, _sum(prior, values), _sum(current, values),
                              [f"{year + off}:{row}.{col}" for side in (prior, current) for _, off, (_, row, col) in side],
                              ident.description.replace("Y−1", str(year - 1)).replace("Y", str(year))))
    return out


def _sum(terms: tuple[tuple[int, int, tuple[str, str, str]], ...], values: dict[Any, Any]) -> Any:
    parts = [values[t] for t in terms]
    if any(p is None for p in parts):
        return None
    return sum(sign * p for (sign, _, _), p in zip(terms, parts, strict=True))


def _check(rid: str, agency: str, year: int, table: str, rule: str, expected: Any, actual: Any,
           cells: list[str], message: str) -> dict[str, Any]:
    if expected is None or actual is None:
        status = "uncertain"
    else:
        status = "pass" if float(expected) == float(actual) else "fail"
    return {"report_id": rid, "agency_id": agency, "year": year, "table": table, "rule": rule,
            "scope": "cross_report", "status": status,
            "expected": None if expected is None else _fmt(expected),
            "actual": None if actual is None else _fmt(actual), "cells": "|".join(cells),
            "message": message, "blank_as_zero": None}
