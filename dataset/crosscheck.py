"""Checks that need two reports of one agency: computed at build time from the published reports.

- carry-over continuity (T3-X1): 结转下年度 carried_forward of year Y−1 = 上年结转 carried_over of Y, per column;
- stock continuity (T2-X1, v2021): 现行有效件数 of Y = that of Y−1 + 本年制发 − 本年废止, per 表二 第（一）项 row.
Both are soft rules (spec §3.2): a failure is a finding to look at, not an error in extraction.
A report whose agency or year is unknown has no neighbour and is never checked.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from gongkai import schema

from .staging import bucket_of
from .tables import CROSS_KEYS, DocMeta

_I = {k: i for i, k in enumerate(CROSS_KEYS)}
_APP_COLS = tuple(c.key for c in schema.APPLICANT_COLS)


def _fmt(v: float | None) -> str | None:
    if v is None:
        return None
    return str(int(v)) if float(v).is_integer() else str(v)


def _v(values: Any, key: tuple[str, str, str, str]) -> float | None:
    x = values[_I[key]]
    return None if math.isnan(x) else x


def cross_report_checks(metas: list[DocMeta], chosen: dict[str, int]) -> Iterator[tuple[DocMeta, list[Any]]]:
    """(the report's meta, one checks row as staged: doc, report_id, agency_id, year, …) per check."""
    by: dict[tuple[str, int], DocMeta] = {}
    for idx in chosen.values():
        m = metas[idx]
        if m.agency_id and m.year and m.cross is not None:
            by[(m.agency_id, m.year)] = m
    for (agency, year), cur in sorted(by.items()):
        prev = by.get((agency, year - 1))
        if prev is None or prev.cross is None or cur.cross is None:
            continue
        if prev.cross_flags & 1 and cur.cross_flags & 1:
            for col in _APP_COLS:
                a = _v(prev.cross, ("applications", "", "carried_forward", col))
                b = _v(cur.cross, ("applications", "", "carried_over", col))
                yield cur, _row(cur, "applications", "T3-X1", a, b,
                                [f"{year - 1}:carried_forward.{col}", f"{year}:carried_over.{col}"],
                                f"{col}: 结转下年度 {year - 1} = 上年结转 {year}")
        if prev.cross_flags & 2 and cur.cross_flags & 2:
            for rk in ("regulations", "normative_documents"):
                stock0 = _v(prev.cross, ("active_disclosure", "art20_1", rk, "in_force_count"))
                issued = _v(cur.cross, ("active_disclosure", "art20_1", rk, "issued_count"))
                repealed = _v(cur.cross, ("active_disclosure", "art20_1", rk, "repealed_count"))
                stock1 = _v(cur.cross, ("active_disclosure", "art20_1", rk, "in_force_count"))
                if stock0 is None and stock1 is None:
                    continue
                parts = [stock0, issued, repealed]
                expected = None if any(p is None for p in parts) else stock0 + issued - repealed  # type: ignore[operator]
                yield cur, _row(cur, "active_disclosure", "T2-X1", expected, stock1,
                                [f"{year - 1}:{rk}.in_force_count", f"{year}:{rk}.issued_count",
                                 f"{year}:{rk}.repealed_count", f"{year}:{rk}.in_force_count"],
                                f"{rk}: 现行有效 {year} = 现行有效 {year - 1} + 制发 − 废止")


def _row(m: DocMeta, table: str, rule: str, expected: float | None, actual: float | None, cells: list[str],
         message: str) -> list[Any]:
    status = "uncertain" if expected is None or actual is None else ("pass" if expected == actual else "fail")
    return [m.idx, m.report_id, m.agency_id, m.year, table, rule, "cross_report", status, expected, actual,
            _fmt(expected), _fmt(actual), "|".join(cells), message, None]


__all__ = ["bucket_of", "cross_report_checks"]
