"""One document (ExtractResult + provenance) → its staged rows and the little the build keeps in memory.

Everything a table needs is written to staging at once; in memory stays a DocMeta of a few hundred
bytes: enough to decide which document is a report, which copy of a report is published, whether
copies disagree, and the cross-year checks.

A document becomes a report when the extractor read a report (extracted, extracted_with_issues,
partial, pre2019), or when it could not read the tables (no_tables, needs_ocr, unsupported_format,
unreadable, crashed, or a status this build does not know) but the document, or the crawl that found
it (an attachment's page, the link's title), still names its agency and year, so the gap has a
place. Letters, blank forms (no value printed, no agency) and files nothing can be said of are
recorded in `documents` only.
"""

from __future__ import annotations

import hashlib
import math
from array import array
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from operator import attrgetter
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa

from gongkai import schema
from gongkai.model import CheckStatus, ExtractResult, ExtractStatus

from . import ids, summary
from .agencies import Agency, Registry, identify
from .arrow import CELL_TABLES, CHECKS, DOCUMENTS, REPORTS, SCHEMAS, has_decimal
from .staging import Staging, bucket_of

PARSER_VERSION = "0.1.0"  # used when the provenance does not name the extractor's version
READ = ("extracted", "extracted_with_issues", "partial", "pre2019")
NOT_REPORTS = ("not_a_report",)
# Lower is better: the order in which copies of one report are preferred (unknown statuses last).
STATUS_RANK = {s: i for i, s in enumerate([*READ, "no_tables", "needs_ocr", "unsupported_format", "too_complex",
                                           "crashed", "unreadable"])}
_INT64 = (-(2**63), 2**63 - 1)


@dataclass
class Provenance:
    url: str
    fetched_at: str | None = None  # UTC ISO-8601
    sha256: str | None = None
    content_type: str | None = None
    capture: str | None = None  # crawl | ingest
    kind: str | None = None  # report | attachment
    parent_url: str | None = None
    link_title: str | None = None
    link_year: int | None = None
    registry_source: str | None = None  # the crawler registry's source name
    source_agency: str | None = None  # the agency that source stands for (place evidence)
    extractor_version: str | None = None


@dataclass(slots=True)
class DocMeta:
    idx: int
    url: str
    sha: str
    fetched_at: str
    status: str
    report_id: str | None
    agency_id: str | None
    year: int | None
    reason: str | None  # why not a report
    rank: tuple[int, int, int]
    digest: bytes | None  # of the printed values, to find copies that disagree
    cross: array | None  # values the cross-year checks read (CROSS_KEYS): +inf not printed, NaN blank
    cross_versions: tuple[str | None, ...]  # per CROSS_TABLES: its format version, None when not printed
    failed: int = 0  # checks failed


# The cells cross-year checks read (the registry's cross-year identities), kept per report in memory.
CROSS_TABLES: tuple[str, ...] = tuple(sorted({i.table for i in schema.cross_year_identities()}))
CROSS_KEYS: tuple[tuple[str, str, str, str], ...] = tuple(sorted({
    (i.table, *cell) for i in schema.cross_year_identities() for _sign, _off, cell in (*i.lhs, *i.rhs)}))
CROSS_INDEX = {k: i for i, k in enumerate(CROSS_KEYS)}

STAGE_SCHEMAS: dict[str, pa.Schema] = {
    **{t: pa.schema([pa.field("doc", pa.int32(), False), *SCHEMAS[t]]) for t in (*CELL_TABLES, "checks")},
    "docs": pa.schema([
        pa.field("doc", pa.int32(), False),
        *[f for f in DOCUMENTS if f.name not in ("role", "reason")],
        *[f for f in REPORTS if f.name.startswith("version_") or f.name == "report_version"],
        *[f for f in SCHEMAS["report_summary"] if f.name in summary.BY_NAME],
    ]),
}
# Text whose values the form bounds (keys, units, states, rules), staged as codes (staging.Staging);
# never text that carries the data (printed values, messages, ids), whose dictionary would grow with it.
_BOUNDED = ("format_version", "block", "row_key", "col_key", "unit", "state", "ref", "flags", "table_name", "rule",
            "scope", "status", "cells", "blank_as_zero")
STAGE_CODED: dict[str, tuple[str, ...]] = {
    t: tuple(f.name for f in STAGE_SCHEMAS[t] if f.name in _BOUNDED) for t in (*CELL_TABLES, "checks")}
_DOC_FIELDS = STAGE_SCHEMAS["docs"].names
_DECIMAL = {t: has_decimal(t) for t in CELL_TABLES}
_CELL_ORDER = attrgetter("table", "block", "row_key", "col_key")


@lru_cache(maxsize=4096)
def _unit(table: str, version: str, block: str, col: str) -> str | None:
    try:
        return schema.column(table, version, block, col).unit
    except KeyError:
        return None


def _ts(iso: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def _number(text: str | None) -> float | None:
    try:
        v = float(Decimal(text)) if text not in (None, "") else None
    except (InvalidOperation, ValueError):
        return None
    return v if v is not None and math.isfinite(v) else None


def _as_int(v: Decimal) -> int | None:
    """The value as int64, or None when it is not a whole number or does not fit (flagged by the caller)."""
    if v != v.to_integral_value():
        return None
    i = int(v)
    return i if _INT64[0] <= i <= _INT64[1] else None


def classify(r: ExtractResult, agency: Agency | None, printed_values: int) -> str | None:
    """None when the document is a report, else why it is not."""
    status = str(r.status)
    if status in NOT_REPORTS:
        return f"status {status}"
    if status in READ:
        if printed_values == 0 and agency is None and r.cells:
            return "blank form: no value printed and no agency named"
        return None
    if agency is None or not r.year:
        return f"status {status}, and no agency and year to place the document by"
    if status == "no_tables" and "报告" not in (r.title or ""):
        return "no table, and the title does not call it a report"
    return None


def stage_document(idx: int, r: ExtractResult, prov: Provenance, staging: Staging, agencies: Registry) -> DocMeta:
    host = urlsplit(prov.url).hostname if prov.url.startswith("http") else None
    agency = identify(r.agency, prov.source_agency, host)
    sha = r.sha256 or prov.sha256 or hashlib.sha256(prov.url.encode("utf-8")).hexdigest()
    year = r.year or None
    issues = [f"{e.severity} {e.code}: {e.message.splitlines()[0] if e.message else ''}" for e in r.errors]
    rows: dict[str, list[list[Any]]] = {t: [[] for _ in STAGE_SCHEMAS[t]] for t in CELL_TABLES}
    sums: dict[str, Any] = {}
    cross = array("d", [math.inf] * len(CROSS_KEYS))
    cross_printed: set[str] = set()
    printed: list[str] = []
    printed_cells = 0
    # staged in the release's order within a report, so the writer sorts on one integer (the report)
    for c in sorted(r.cells, key=_CELL_ORDER):  # the hot loop of the build: no lookup it can avoid
        table = c.table
        cols = rows.get(table)
        if cols is None:
            issues.append(f"warning unknown_table: cell of table {table!r} not published")
            continue
        version = r.format_version.get(table, "")
        unit = _unit(table, version, c.block, c.col_key)
        decimal = _DECIMAL[table]
        value: int | float | None = None
        value_int: int | None = None
        out_of_range = False
        v = c.value
        if v is not None:
            whole = v == v.to_integral_value()
            if decimal:
                value = float(v)
                if not math.isfinite(value):
                    value, out_of_range = None, True
                if whole and unit != "万元":
                    value_int = _as_int(v)
                    out_of_range = out_of_range or value_int is None
            else:
                value = _as_int(v) if whole else None
                out_of_range = value is None and whole
            if out_of_range:
                issues.append(f"warning value_out_of_range: {table}/{c.row_key}.{c.col_key} printed {c.raw!r}"
                              " does not fit a 64-bit column; value left null")
        cell_flags = "|".join([*c.flags, "value_out_of_range"] if out_of_range else c.flags) or None
        if not c.derived:
            printed_cells += 1
            if value is not None:
                printed.append(f"{table}/{c.block}/{c.row_key}/{c.col_key}={value}")
        cols[0].append(idx)
        cols[4].append(version)
        cols[5].append(c.block)
        cols[6].append(c.row_key)
        cols[7].append(c.col_key)
        cols[8].append(value)
        i = 9
        if decimal:
            cols[9].append(value_int)
            i = 10
        cols[i].append(unit)
        cols[i + 1].append(c.raw)
        cols[i + 2].append(str(c.state))
        cols[i + 3].append(c.ref)
        cols[i + 4].append(c.derived)
        cols[i + 5].append(cell_flags)
        key = (table, c.block, c.row_key, c.col_key)
        sc = summary.BY_KEY.get(key)
        if sc is not None and value is not None and not (c.derived and sc.name in sums):
            sums[sc.name] = value
        if not c.derived and table in CROSS_TABLES:
            cross_printed.add(table)
            ci = CROSS_INDEX.get(key)
            if ci is not None:
                cross[ci] = math.nan if value is None else float(value)
    cross_versions = tuple(r.format_version.get(t, "") if t in cross_printed else None for t in CROSS_TABLES)
    reason = classify(r, agency, len(printed))
    agency_id = agency.agency_id if agency else None
    report_id = None if reason else ids.report_id(agency_id, year, sha)
    route = staging.route(year, bucket_of(agency_id))
    if agency is not None and reason is None:  # non-reports never become agencies
        agencies.add(agency, r.agency or "")
    if report_id is not None:  # a non-report's cells and checks are never published
        for t, cols in rows.items():
            if cols[0]:
                n = len(cols[0])
                cols[1], cols[2], cols[3] = [report_id] * n, [agency_id] * n, [year] * n  # filled once
                staging.extend(t, route, cols)
        if r.checks:
            staging.extend("checks", route, _check_columns(idx, report_id, agency_id, year, r))
    failed = sum(1 for ch in r.checks if ch.status is CheckStatus.FAIL)
    uncertain = sum(1 for ch in r.checks if ch.status is CheckStatus.UNCERTAIN)
    doc = {
        "doc": idx, "source_url": prov.url, "content_sha256": sha, "report_id": report_id, "agency_id": agency_id,
        "agency_name": r.agency, "year": year, "status": str(r.status), "source_format": r.source_format,
        "content_type": prov.content_type, "fetched_at": _ts(prov.fetched_at), "capture": prov.capture,
        "registry_source": prov.registry_source, "kind": prov.kind, "parent_url": prov.parent_url,
        "link_title": prov.link_title, "link_year": prov.link_year, "title": r.title, "published": _ts(r.published),
        "extractor_version": prov.extractor_version or PARSER_VERSION, "cells": printed_cells,
        "failed_checks": failed, "uncertain_checks": uncertain,
        "errors": sum(1 for e in r.errors if e.severity == "error"),
        "warnings": sum(1 for i in issues if i.startswith("warning")), "issues": " | ".join(issues) or None,
        **{f"version_{t}": r.format_version.get(t) for t in schema.TABLES}, "report_version": r.report_version,
        **sums,
    }
    staging.extend("docs", route, [[doc.get(f)] for f in _DOC_FIELDS])
    digest = hashlib.sha256("\n".join(sorted(printed)).encode("utf-8")).digest() if printed else None
    return DocMeta(idx, prov.url, sha, prov.fetched_at or "", str(r.status), report_id, agency_id, year, reason,
                   (STATUS_RANK.get(str(r.status), len(STATUS_RANK)), -len(printed), -printed_cells), digest,
                   cross if cross_printed else None, cross_versions, failed)


def _check_columns(idx: int, report_id: str | None, agency_id: str | None, year: int | None,
                   r: ExtractResult) -> list[list[Any]]:
    cols: list[list[Any]] = [[] for _ in STAGE_SCHEMAS["checks"]]
    for ch in r.checks:
        row = [idx, report_id, agency_id, year, ch.table, ch.rule, "report", str(ch.status),
               _number(ch.expected), _number(ch.actual), ch.expected, ch.actual, "|".join(ch.cells), ch.message,
               ch.blank_as_zero]
        for col, v in zip(cols, row, strict=True):
            col.append(v)
    return cols


__all__ = ["CHECKS", "CROSS_KEYS", "STAGE_SCHEMAS", "DocMeta", "ExtractStatus", "Provenance", "classify",
           "stage_document"]
