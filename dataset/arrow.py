"""Arrow schemas of the published tables, generated from the schema registry.

Counts are nullable 64-bit integers (pandas: Int64); money (万元) is float64; keys are strings;
dates are date32; `fetched_at` is a UTC timestamp. Nothing here types a key by hand.
"""

from __future__ import annotations

import pyarrow as pa

from gongkai import schema

CELL_TABLES = schema.TABLES


def has_decimal(table: str) -> bool:
    return any(c.dtype == "decimal" for ts in schema.SPECS.values() if ts.name == table
               for b in ts.blocks for c in b.cols)


def cell_schema(table: str) -> pa.Schema:
    value = pa.float64() if has_decimal(table) else pa.int64()
    fields = [
        pa.field("report_id", pa.string(), False),
        pa.field("agency_id", pa.string(), False),
        pa.field("year", pa.int32(), False),
        pa.field("format_version", pa.string(), False),
        pa.field("block", pa.string(), False),
        pa.field("row_key", pa.string(), False),
        pa.field("col_key", pa.string(), False),
        pa.field("value", value),
    ]
    if has_decimal(table):
        fields.append(pa.field("value_int", pa.int64()))
    fields += [
        pa.field("unit", pa.string()),
        pa.field("raw", pa.string()),
        pa.field("state", pa.string(), False),
        pa.field("ref", pa.string()),
        pa.field("derived", pa.bool_(), False),
        pa.field("flags", pa.string()),
    ]
    return pa.schema(fields)


REPORTS = pa.schema([
    pa.field("report_id", pa.string(), False),
    pa.field("agency_id", pa.string(), False),
    pa.field("agency_name", pa.string()),
    pa.field("region", pa.string()),
    pa.field("division_code", pa.string()),
    pa.field("admin_level", pa.string()),
    pa.field("year", pa.int32(), False),
    *[pa.field(f"version_{t}", pa.string()) for t in schema.TABLES],
    pa.field("report_version", pa.string()),
    pa.field("title", pa.string()),
    pa.field("published", pa.date32()),
    pa.field("source_url", pa.string()),
    pa.field("fetched_at", pa.timestamp("s", tz="UTC")),
    pa.field("content_sha256", pa.string()),
    pa.field("source_format", pa.string()),
    pa.field("parser_version", pa.string()),
    pa.field("status", pa.string(), False),
    pa.field("cells", pa.int32(), False),
    pa.field("failed_checks", pa.int32(), False),
    pa.field("uncertain_checks", pa.int32(), False),
    pa.field("other_sources", pa.int32(), False),
])

CHECKS = pa.schema([
    pa.field("report_id", pa.string(), False),
    pa.field("agency_id", pa.string(), False),
    pa.field("year", pa.int32(), False),
    pa.field("table", pa.string(), False),
    pa.field("rule", pa.string(), False),
    pa.field("scope", pa.string(), False),
    pa.field("status", pa.string(), False),
    pa.field("expected", pa.string()),
    pa.field("actual", pa.string()),
    pa.field("cells", pa.string()),
    pa.field("message", pa.string()),
    pa.field("blank_as_zero", pa.string()),
])

AGENCIES = pa.schema([
    pa.field("agency_id", pa.string(), False),
    pa.field("agency_name", pa.string()),
    pa.field("region", pa.string()),
    pa.field("division_code", pa.string()),
    pa.field("admin_level", pa.string()),
    pa.field("aliases", pa.string()),
    pa.field("reports", pa.int32(), False),
    pa.field("first_year", pa.int32()),
    pa.field("last_year", pa.int32()),
])

SCHEMAS: dict[str, pa.Schema] = {"reports": REPORTS, "checks": CHECKS, "agencies": AGENCIES,
                                  **{t: cell_schema(t) for t in CELL_TABLES}}
SORT_KEYS: dict[str, list[str]] = {
    "reports": ["year", "agency_id", "report_id"],
    "checks": ["year", "agency_id", "report_id", "table", "rule", "cells"],
    "agencies": ["agency_id"],
    **{t: ["year", "agency_id", "report_id", "block", "row_key", "col_key"] for t in CELL_TABLES},
}
PARTITIONED = ("reports", "checks", *CELL_TABLES)
