"""Arrow schemas of the published tables, generated from the schema registry.

Counts are nullable 64-bit integers (pandas: Int64); money (万元) is float64; keys are strings;
`year` is a nullable int32 everywhere (null when the report does not say); `published` and
`fetched_at` are timestamps (pandas: datetime64), `fetched_at` in UTC. No column is named with an
SQL reserved word. Nothing here types a form key by hand.
"""

from __future__ import annotations

from functools import cache

import pyarrow as pa

from gongkai import schema

from . import summary

CELL_TABLES = schema.TABLES
_S, _I32, _I64, _F64, _B = pa.string(), pa.int32(), pa.int64(), pa.float64(), pa.bool_()
_TS = pa.timestamp("s", tz="UTC")
_DATE = pa.timestamp("s")  # a calendar date at midnight: pandas reads it as datetime64, not object


def _f(name: str, typ: pa.DataType, nullable: bool = True) -> pa.Field:
    return pa.field(name, typ, nullable)


@cache
def has_decimal(table: str) -> bool:
    return any(c.dtype == "decimal" for ts in schema.SPECS.values() if ts.name == table
               for b in ts.blocks for c in b.cols)


_KEYS = [_f("report_id", _S, False), _f("agency_id", _S), _f("year", _I32)]


def cell_schema(table: str) -> pa.Schema:
    decimal = has_decimal(table)
    return pa.schema([
        *_KEYS, _f("format_version", _S, False), _f("block", _S, False), _f("row_key", _S, False),
        _f("col_key", _S, False), _f("value", _F64 if decimal else _I64),
        *([_f("value_int", _I64)] if decimal else []),
        _f("unit", _S), _f("raw", _S), _f("state", _S, False), _f("ref", _S), _f("derived", _B, False),
        _f("flags", _S),
    ])


CHECKS = pa.schema([
    *_KEYS, _f("table_name", _S, False), _f("rule", _S, False), _f("scope", _S, False), _f("status", _S, False),
    _f("expected", _F64), _f("actual", _F64), _f("expected_text", _S), _f("actual_text", _S),
    _f("cells", _S), _f("message", _S), _f("blank_as_zero", _S),
])

_PLACE = [_f("province", _S), _f("prefecture", _S), _f("county", _S), _f("division_code", _S), _f("region", _S),
          _f("admin_level", _S), _f("place_source", _S)]
_VERSIONS = [_f(f"version_{t}", _S) for t in schema.TABLES]

# Per document: what was read and what became of it (one row per document, copies and junk too).
DOCUMENTS = pa.schema([
    _f("source_url", _S, False), _f("content_sha256", _S, False), _f("report_id", _S), _f("role", _S, False),
    _f("reason", _S), _f("agency_id", _S), _f("agency_name", _S), _f("year", _I32), _f("status", _S, False),
    _f("source_format", _S), _f("content_type", _S), _f("fetched_at", _TS), _f("capture", _S),
    _f("registry_source", _S), _f("kind", _S), _f("parent_url", _S), _f("link_title", _S), _f("link_year", _I32),
    _f("title", _S), _f("published", _DATE), _f("extractor_version", _S), _f("cells", _I32, False),
    _f("failed_checks", _I32, False), _f("uncertain_checks", _I32, False), _f("errors", _I32, False),
    _f("warnings", _I32, False), _f("issues", _S),
])

REPORTS = pa.schema([
    _f("report_id", _S, False), _f("agency_id", _S), _f("agency_name", _S), *_PLACE, _f("year", _I32),
    *_VERSIONS, _f("report_version", _S), _f("title", _S), _f("published", _DATE), _f("source_url", _S, False),
    _f("fetched_at", _TS), _f("content_sha256", _S, False), _f("source_format", _S), _f("parser_version", _S),
    _f("status", _S, False), _f("cells", _I32, False), _f("failed_checks", _I32, False),
    _f("uncertain_checks", _I32, False), _f("copies", _I32, False), _f("other_sources", _I32, False),
    _f("copies_disagree", _B, False), _f("disagreeing_cells", _I32, False), _f("warnings", _I32, False),
])

REPORT_SUMMARY = pa.schema([
    _f("report_id", _S, False), _f("agency_id", _S), _f("agency_name", _S), *_PLACE, _f("year", _I32),
    _f("report_version", _S), _f("status", _S, False), _f("failed_checks", _I32, False),
    _f("uncertain_checks", _I32, False), _f("copies_disagree", _B, False),
    *[_f(c.name, _F64 if summary.is_decimal(c) else _I64) for c in summary.COLUMNS],
])

AGENCIES = pa.schema([
    _f("agency_id", _S, False), _f("agency_name", _S, False), *_PLACE, _f("names", _I32, False),
    _f("reports", _I32, False), _f("first_year", _I32), _f("last_year", _I32),
])

AGENCY_ALIASES = pa.schema([_f("agency_id", _S, False), _f("alias", _S, False), _f("documents", _I32, False)])

DISAGREEMENTS = pa.schema([
    _f("report_id", _S, False), _f("table_name", _S, False), _f("block", _S, False), _f("row_key", _S, False),
    _f("col_key", _S, False), _f("content_sha256", _S, False), _f("source_url", _S, False),
    _f("chosen", _B, False), _f("value", _F64), _f("raw", _S),
])

CODEBOOK = pa.schema([
    _f("table_name", _S, False), _f("format_version", _S, False), _f("block", _S, False), _f("row_key", _S, False),
    _f("col_key", _S, False), _f("row_label_zh", _S, False), _f("row_label_en", _S, False),
    _f("col_label_zh", _S, False), _f("col_label_en", _S, False), _f("unit", _S, False),
    _f("value_type", _S, False), _f("form_order", _I32, False), _f("role", _S, False), _f("summary_column", _S),
])

SCHEMAS: dict[str, pa.Schema] = {
    "reports": REPORTS, "report_summary": REPORT_SUMMARY, "documents": DOCUMENTS, "agencies": AGENCIES,
    "agency_aliases": AGENCY_ALIASES, "checks": CHECKS, **{t: cell_schema(t) for t in CELL_TABLES},
    "disagreements": DISAGREEMENTS, "codebook": CODEBOOK,
}
# Tables that grow with the cells: one folder, one file per year (and agency range at scale).
SPLIT = ("checks", *CELL_TABLES)
SORT_KEYS: dict[str, list[str]] = {
    "reports": ["year", "agency_id", "report_id"],
    "report_summary": ["year", "agency_id", "report_id"],
    "documents": ["year", "agency_id", "report_id", "role", "source_url", "content_sha256"],
    "agencies": ["agency_id"],
    "agency_aliases": ["agency_id", "alias"],
    "checks": ["year", "agency_id", "report_id", "table_name", "rule", "scope", "cells"],
    **{t: ["year", "agency_id", "report_id", "block", "row_key", "col_key"] for t in CELL_TABLES},
    "disagreements": ["report_id", "table_name", "block", "row_key", "col_key", "chosen", "content_sha256",
                      "source_url"],
    "codebook": ["form_order"],
}
# Value sets the data dictionary and datapackage.json declare (enum constraints), checked against the files.
ENUMS: dict[str, list[str]] = {
    "state": ["number", "zero", "blank", "na", "text"],
    "scope": ["report", "cross_report"],
    "role": ["chosen", "copy", "not_a_report"],
    "place_source": ["name", "registry", "host"],
    "admin_level": ["province", "prefecture", "county", "township", "department"],
    "format_version": ["v2019", "v2021"],
    "report_version": ["v2019", "v2021", "mixed", "pre2019"],
    "unit": ["件", "项", "万元"],
    "check_status": ["pass", "fail", "uncertain", "not_assessable"],
    "blank_as_zero": ["pass", "fail"],
    "value_type": ["count", "signed_count", "decimal"],
    "codebook_role": ["printed", "printed_total", "derived_subtotal"],
}
# (table, column) → the ENUMS entry that constrains it.
ENUM_COLUMNS: dict[tuple[str, str], str] = {
    **{(t, "state"): "state" for t in CELL_TABLES}, **{(t, "format_version"): "format_version" for t in CELL_TABLES},
    **{(t, "unit"): "unit" for t in CELL_TABLES},
    ("checks", "scope"): "scope", ("checks", "status"): "check_status", ("checks", "blank_as_zero"): "blank_as_zero",
    ("documents", "role"): "role",
    **{(t, "place_source"): "place_source" for t in ("reports", "report_summary", "agencies")},
    **{(t, "admin_level"): "admin_level" for t in ("reports", "report_summary", "agencies")},
    **{(t, "report_version"): "report_version" for t in ("reports", "report_summary")},
    **{("reports", f"version_{t}"): "format_version" for t in schema.TABLES},
    ("codebook", "format_version"): "format_version", ("codebook", "unit"): "unit",
    ("codebook", "value_type"): "value_type", ("codebook", "role"): "codebook_role",
}
