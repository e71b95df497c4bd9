"""Datasette metadata for the explorer: titles, licence and sources, column descriptions (from the
release's datapackage.json, and for what the explorer adds, from here), facets and canned queries.

Only columns and tables that exist in the database are named, so a release with more or fewer
columns gets a consistent explorer without a code change.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from cli.explorer.database import DB_NAME, PLACES, SUMMARY_ROWS, SUMMARY_T4, columns

TITLE = "gongkai 政府信息公开工作年度报告"
TABLES: dict[str, tuple[str, str]] = {  # table → (title, description)
    "report_summary": ("Reports 报告 (one row per report)",
                       "Each agency's report for a year with its 表三/表四 headline numbers. failed_rules lists the "
                       "report's own identities that fail: its numbers do not add up."),
    "inconsistent": ("Tables that don't add up 不平衡的表格",
                     "Every identity that fails, with the report's agency, place and year (expected vs printed)."),
    "agencies": ("Agencies 机关", "One row per agency, with its place and the years it reported on."),
    "reports": ("Reports, in full", "One row per report: versions, dates, source URL, SHA-256, status."),
    "checks": ("Checks 校验", "Every accounting identity checked, per report and across years."),
    "applications": ("表三 依申请公开 (cells)", "One row per printed or derived cell of 表三."),
    "active_disclosure": ("表二 主动公开 (cells)", "One row per printed cell of 表二."),
    "review_litigation": ("表四 行政复议、行政诉讼 (cells)", "One row per printed cell of 表四."),
    "labels": ("Labels 标签", "The Chinese and English label of every table, block, row and column key."),
    "codebook": ("Codebook 代码表", "Every key of the form with its labels, unit and role."),
}
FACETS: dict[str, tuple[str, ...]] = {
    "report_summary": ("province", "prefecture", "county", "year", "admin_level", "status"),
    "inconsistent": ("province", "year", "rule", "table_name", "scope"),
    "agencies": ("province", "prefecture", "admin_level"),
    "reports": ("year", "status", "report_version", "source_format"),
    "checks": ("year", "rule", "status", "scope"),
    "applications": ("year", "state", "derived"),
    "active_disclosure": ("year", "block", "state"),
    "review_litigation": ("year", "state"),
}
ADDED = {
    "province": "province (省级) the agency belongs to",
    "prefecture": "prefecture (地级) the agency belongs to; null for a province-level agency",
    "county": "county (县级) the agency belongs to; null above county level",
    "failed_rules": "the report's own identities that fail (T3-A, T3-B, …); empty when its tables add up",
    "refusal_share": "apps_withheld_total / apps_results_total: share of handled applications withheld",
    "table_name": "the table a check is about",
    "label_zh": "Chinese label as printed on the form", "label_en": "English label", "kind": "table, block, row or col",
    "key": "the canonical key",
}
_TOP = """SELECT agency_name, {place} year, {cols}, failed_rules, agency_id
FROM report_summary
WHERE {volume} >= coalesce(nullif(:min_volume, ''), 10)
  AND (:year = '' OR year = :year) AND (:province = '' OR province = :province)
ORDER BY {sort} DESC, agency_name, year
LIMIT 200"""


def _labels(con: sqlite3.Connection) -> dict[tuple[str, str, str], str]:
    return {(t, k, key): zh for t, k, key, zh in con.execute("SELECT table_name, kind, key, label_zh FROM labels")}


def _release_descriptions(release: Path) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Column descriptions per table from datapackage.json, and by column name over all tables."""
    per_table: dict[str, dict[str, str]] = {}
    anywhere: dict[str, str] = {}
    try:
        package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return per_table, anywhere
    for res in package.get("resources", []):
        path = res.get("path")
        first = Path(path[0] if isinstance(path, list) else str(path or ""))
        table = first.stem if first.parent == Path(".") else first.parts[0]
        for field in res.get("schema", {}).get("fields", []):
            if field.get("description"):
                per_table.setdefault(table, {})[field["name"]] = field["description"]
                anywhere.setdefault(field["name"], field["description"])
    return per_table, anywhere


def summary_descriptions(labels: dict[tuple[str, str, str], str]) -> dict[str, str]:
    out = {f"apps_{rk}": f"表三 {labels.get(('applications', 'row', rk), rk)}, 总计 column" for rk in SUMMARY_ROWS}
    out |= {f"t4_{ck}": f"表四 {labels.get(('review_litigation', 'col', ck), ck)}" for ck in SUMMARY_T4}
    return out


def build_metadata(db: Path, release: Path) -> dict[str, Any]:
    con = sqlite3.connect(f"file:{db}?immutable=1", uri=True)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
        labels = _labels(con)
        per_table, anywhere = _release_descriptions(release)
        summary = summary_descriptions(labels)
        tables: dict[str, Any] = {}
        for name in names:
            cols = columns(con, name)
            title, description = TABLES.get(name, (name, ""))
            described = {c: per_table.get(name, {}).get(c) or summary.get(c) or ADDED.get(c) or anywhere.get(c, "")
                         for c in cols}
            tables[name] = {
                "title": title, "description": description,
                "columns": {c: d for c, d in described.items() if d},
                "facets": [f for f in FACETS.get(name, ()) if f in cols],
            }
            if "agency_name" in cols:
                tables[name]["label_column"] = "agency_name"
            if name == "report_summary" and "year" in cols:
                tables[name]["sort_desc"] = "year"
        tables["labels"]["hidden"] = "codebook" in names
        queries = _queries(con, names)
    finally:
        con.close()
    return {
        "title": TITLE,
        "description_html": "Statistics of Chinese government information-disclosure annual reports "
                            "(政府信息公开工作年度报告): 表二 主动公开, 表三 依申请公开, 表四 行政复议/行政诉讼.",
        "license": "Government publications; check local terms (the compilation: see the release's datapackage.json)",
        "source": "each report's source_url (government portals), extracted by gongkai",
        "databases": {DB_NAME: {"title": TITLE, "tables": tables, "queries": queries}},
    }


def _queries(con: sqlite3.Connection, names: list[str]) -> dict[str, Any]:
    if "report_summary" not in names:
        return {}
    cols = set(columns(con, "report_summary"))
    place = "province, " if "province" in cols else ""
    out: dict[str, Any] = {}
    if {"apps_withheld_total", "apps_results_total", "refusal_share"} <= cols:
        out["top_refusal_share"] = {
            "title": "Who withholds most? 不予公开 share of handled applications",
            "description": "refusal_share = 表三 （三）不予公开 / 办理结果总计 (总计 column); reports with fewer than "
                           "min_volume handled applications (default 10) are left out. failed_rules marks reports "
                           "whose own tables do not add up: do not take their rank at its word.",
            "sql": _TOP.format(place=place, cols="apps_withheld_total AS withheld, apps_results_total AS handled, "
                                                 "refusal_share", volume="apps_results_total", sort="refusal_share"),
        }
    if "apps_new_received" in cols:
        out["top_new_requests"] = {
            "title": "Who receives most applications? 本年新收",
            "description": "表三 一、本年新收政府信息公开申请数量, 总计 column; min_volume (default 10) leaves out "
                           "small numbers.",
            "sql": _TOP.format(place=place, cols="apps_new_received AS new_requests", volume="apps_new_received",
                               sort="apps_new_received"),
        }
    if "applications" in names:
        out["agency_applications"] = {
            "title": "One agency's 表三, year by year (总计 column)",
            "description": "Every 表三 row of one agency's reports, in the 总计 column, with its Chinese label.",
            "sql": """SELECT s.year, a.row_key, l.label_zh, a.value, a.raw, a.state, a.derived, a.report_id
FROM applications a JOIN report_summary s USING (report_id)
LEFT JOIN labels l ON l.table_name = 'applications' AND l.kind = 'row' AND l.key = a.row_key
WHERE s.agency_id = :agency_id AND a.col_key = 'total'
ORDER BY s.year, a.rowid""",
        }
    return out


def description_of(metadata: dict[str, Any], table: str, column: str) -> str:
    return str(metadata["databases"][DB_NAME]["tables"].get(table, {}).get("columns", {}).get(column, ""))


__all__ = ["PLACES", "build_metadata", "description_of"]
