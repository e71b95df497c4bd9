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
    by: dict[tuple[str, str, int], dict[tuple[str, str, str], Any]] = defaultdict(dict)
    report_of: dict[tuple[str, int], str] = {}
    for t in ("applications", "active_disclosure"):
        for row in tables[t]:
            if row["derived"]:
                continue
            by[(t, row["agency_id"], row["year"])][(row["block"], row["row_key"], row["col_key"])] = (
                row["value"], row["format_version"])
            report_of[(row["agency_id"], row["year"])] = row["report_id"]
    out: list[dict[str, Any]] = []
    for (agency, year), rid in sorted(report_of.items()):
        prev = by.get(("applications", agency, year - 1))
        cur = by.get(("applications", agency, year))
        if prev and cur:
            for col in (c.key for c in schema.APPLICANT_COLS):
                a = prev.get(("", "carried_forward", col))
                b = cur.get(("", "carried_over", col))
                out.append(_check(rid, agency, year, "applications", "T3-X1", a and a[0], b and b[0],
                                  [f"{year - 1}:carried_forward.{col}", f"{year}:carried_over.{col}"],
                                  f"{col}: 结转下年度 {year - 1} = 上年结转 {year}"))
        prev2 = by.get(("active_disclosure", agency, year - 1))
        cur2 = by.get(("active_disclosure", agency, year))
        if prev2 and cur2:
            for rk in ("regulations", "normative_documents"):
                stock0 = prev2.get(("art20_1", rk, "in_force_count"))
                issued = cur2.get(("art20_1", rk, "issued_count"))
                repealed = cur2.get(("art20_1", rk, "repealed_count"))
                stock1 = cur2.get(("art20_1", rk, "in_force_count"))
                if not (stock0 and stock1 and stock0[1] == "v2021" and stock1[1] == "v2021"):
                    continue
                parts = [stock0[0], issued and issued[0], repealed and repealed[0]]
                expected = None if any(p is None for p in parts) else parts[0] + parts[1] - parts[2]
                out.append(_check(rid, agency, year, "active_disclosure", "T2-X1", expected, stock1[0],
                                  [f"{year - 1}:{rk}.in_force_count", f"{year}:{rk}.issued_count",
                                   f"{year}:{rk}.repealed_count", f"{year}:{rk}.in_force_count"],
                                  f"{rk}: 现行有效 {year} = 现行有效 {year - 1} + 制发 − 废止"))
    return out


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
