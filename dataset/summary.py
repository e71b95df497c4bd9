"""The headline numbers of one report (report_summary) and the codebook of every key.

report_summary has one row per report and one column per headline number, each the value of one
cell of the long tables (so a researcher can always go back to it). Columns are only ever filled
from the cell they name: a v2019 report has no 现行有效件数, so its column stays null.
"""

from __future__ import annotations

from typing import Any

from gongkai import schema

SummaryColumn = schema.Headline
COLUMNS: tuple[SummaryColumn, ...] = schema.HEADLINES
BY_NAME: dict[str, SummaryColumn] = {c.name: c for c in COLUMNS}
BY_KEY: dict[tuple[str, str, str, str], SummaryColumn] = {(c.table, c.block, c.row_key, c.col_key): c for c in COLUMNS}


def is_decimal(col: SummaryColumn) -> bool:
    return any(schema.column(col.table, v, col.block, col.col_key).dtype == "decimal"
               for v in schema.VERSIONS if (col.table, v) in schema.SPECS and _has(col, v))


def _has(col: SummaryColumn, version: str) -> bool:
    try:
        schema.column(col.table, version, col.block, col.col_key)
    except KeyError:
        return False
    return True


def codebook_rows() -> list[dict[str, Any]]:
    """One row per (table, version, block, row, column) of the form, in form order."""
    out: list[dict[str, Any]] = []
    order = 0
    for (table, version), ts in schema.SPECS.items():
        for b in ts.blocks:
            for r in b.rows:
                for c in b.cols:
                    order += 1
                    derived = r.derived or c.derived
                    role = "derived_subtotal" if derived else (
                        "printed_total" if schema.is_total_key(r.key) or schema.is_total_key(c.key) else "printed")
                    summary = BY_KEY.get((table, b.key, r.key, c.key))
                    out.append({
                        "table_name": table, "format_version": version, "block": b.key, "row_key": r.key,
                        "col_key": c.key, "row_label_zh": r.zh, "row_label_en": r.en, "col_label_zh": c.zh,
                        "col_label_en": c.en, "unit": c.unit, "value_type": c.dtype, "form_order": order,
                        "role": role, "summary_column": summary.name if summary else None,
                    })
    return out
