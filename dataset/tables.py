"""ExtractResults (+ provenance) → rows of the published tables.

One report per (agency, year): when several documents claim the same report (a page and its
PDF attachment, a re-post on a county hub), the best extraction is published and the others are
counted in `other_sources`. Derived cells are published beside printed ones, marked `derived`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from gongkai import schema
from gongkai.model import CheckStatus, ExtractResult, ExtractStatus

from . import divisions, ids

PARSER_VERSION = "0.1.0"
_STATUS_RANK = {s: i for i, s in enumerate([
    ExtractStatus.EXTRACTED, ExtractStatus.EXTRACTED_WITH_ISSUES, ExtractStatus.PARTIAL, ExtractStatus.PRE2019,
    ExtractStatus.NEEDS_OCR, ExtractStatus.NO_TABLES, ExtractStatus.NOT_A_REPORT, ExtractStatus.UNSUPPORTED_FORMAT,
    ExtractStatus.TOO_COMPLEX, ExtractStatus.UNREADABLE, ExtractStatus.CRASHED])}


@dataclass
class Provenance:
    url: str
    fetched_at: str | None = None  # UTC ISO-8601
    sha256: str | None = None


@dataclass
class Report:
    result: ExtractResult
    prov: Provenance
    agency_id: str
    report_id: str
    year: int
    others: int = 0


@dataclass
class Rows:
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in (
        "reports", "checks", "agencies", *schema.TABLES)})


def _rank(r: ExtractResult) -> tuple[int, int, int]:
    """Lower is better: status first, then printed cells with a value, then printed cells at all."""
    printed = [c for c in r.cells if not c.derived]
    return (_STATUS_RANK.get(r.status, 99), -sum(1 for c in printed if c.value is not None), -len(printed))


class IdCollisionError(ValueError):
    """Two different normalized agency names hashed to one agency_id (48 bits: unlikely, but refused)."""


def choose_reports(items: Iterable[tuple[ExtractResult, Provenance]]) -> list[Report]:
    best: dict[str, Report] = {}
    names: dict[str, str] = {}
    for result, prov in items:
        aid = ids.agency_id(result.agency)
        norm = ids.normalize_name(result.agency)
        if names.setdefault(aid, norm) != norm:
            raise IdCollisionError(f"{aid}: {names[aid]!r} and {norm!r}")
        rid = ids.report_id(aid, result.year, result.sha256 or prov.sha256)
        rep = Report(result, prov, aid, rid, result.year or 0)
        old = best.get(rid)
        if old is None:
            best[rid] = rep
            continue
        new_rank, old_rank = _rank(rep.result), _rank(old.result)
        # the better extraction wins; between equally good ones, the later capture
        new_wins = new_rank < old_rank or (
            new_rank == old_rank and (rep.prov.fetched_at or "") >= (old.prov.fetched_at or ""))
        keep, drop = (rep, old) if new_wins else (old, rep)
        keep.others = drop.others + 1 + keep.others
        best[rid] = keep
    return sorted(best.values(), key=lambda r: (r.year, r.agency_id, r.report_id))


def _date(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def _ts(iso: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def _unit(table: str, version: str, block: str, col: str) -> str | None:
    try:
        return schema.column(table, version, block, col).unit
    except KeyError:
        return None


def to_rows(reports: list[Report]) -> Rows:
    rows = Rows()
    agencies: dict[str, dict[str, Any]] = {}
    for rep in reports:
        r = rep.result
        base = {"report_id": rep.report_id, "agency_id": rep.agency_id, "year": rep.year}
        rows.tables["reports"].append({
            **base, "agency_name": r.agency, **_place(r.agency),
            **{f"version_{t}": r.format_version.get(t) for t in schema.TABLES},
            "report_version": r.report_version, "title": r.title, "published": _date(r.published),
            "source_url": rep.prov.url, "fetched_at": _ts(rep.prov.fetched_at),
            "content_sha256": r.sha256 or rep.prov.sha256, "source_format": r.source_format,
            "parser_version": PARSER_VERSION, "status": str(r.status),
            "cells": sum(1 for c in r.cells if not c.derived),
            "failed_checks": sum(1 for c in r.checks if c.status is CheckStatus.FAIL),
            "uncertain_checks": sum(1 for c in r.checks if c.status is CheckStatus.UNCERTAIN),
            "other_sources": rep.others,
        })
        for c in r.cells:
            version = r.format_version.get(c.table, "")
            row: dict[str, Any] = {
                **base, "format_version": version, "block": c.block, "row_key": c.row_key, "col_key": c.col_key,
                "value": _value(c.value, c.table), "unit": _unit(c.table, version, c.block, c.col_key),
                "raw": c.raw, "state": str(c.state), "ref": c.ref, "derived": c.derived,
                "flags": "|".join(c.flags) or None,
            }
            if c.table == "active_disclosure":
                row["value_int"] = int(c.value) if c.value is not None and c.value == c.value.to_integral_value() and (
                    row["unit"] != "万元") else None
            rows.tables[c.table].append(row)
        for ch in r.checks:
            rows.tables["checks"].append({
                **base, "table": ch.table, "rule": ch.rule, "scope": "report", "status": str(ch.status),
                "expected": ch.expected, "actual": ch.actual, "cells": "|".join(ch.cells), "message": ch.message,
                "blank_as_zero": ch.blank_as_zero,
            })
        a = agencies.setdefault(rep.agency_id, {"agency_id": rep.agency_id, "agency_name": r.agency,
                                                **_place(r.agency), "names": set(), "reports": 0, "years": set()})
        if r.agency:
            a["names"].add(r.agency)
        a["reports"] += 1
        if rep.year:
            a["years"].add(rep.year)
    for a in sorted(agencies.values(), key=lambda x: x["agency_id"]):
        years = sorted(a.pop("years"))
        names = sorted(a.pop("names"))
        rows.tables["agencies"].append({**a, "aliases": "|".join(names) or None,
                                        "first_year": years[0] if years else None,
                                        "last_year": years[-1] if years else None})
    return rows


def _place(agency: str | None) -> dict[str, str | None]:
    div = divisions.locate(agency)
    return {"region": div.region if div else None, "division_code": div.code if div else None,
            "admin_level": divisions.admin_level(agency)}


def _value(v: Decimal | None, table: str) -> int | float | None:
    if v is None:
        return None
    if table == "active_disclosure":
        return float(v)
    return int(v)
