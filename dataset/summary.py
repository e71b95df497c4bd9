"""The headline numbers of one report (report_summary) and the codebook of every key.

report_summary has one row per report and one column per headline number, each the value of one
cell of the long tables (so a researcher can always go back to it). Columns are only ever filled
from the cell they name: a v2019 report has no 现行有效件数, so its column stays null.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongkai import schema


@dataclass(frozen=True)
class SummaryColumn:
    name: str
    table: str
    block: str
    row_key: str
    col_key: str
    description: str


def _apps(name: str, row: str, col: str = "total", what: str = "") -> SummaryColumn:
    return SummaryColumn(name, "applications", "", row, col, what or f"表三 {row}, {col} column")


_T3_ROWS = [
    ("new_received", "本年新收 (new applications)"), ("carried_over", "上年结转 (carried over from last year)"),
    ("granted", "（一）予以公开 (granted)"), ("partially_granted", "（二）部分公开 (partially granted)"),
    ("withheld_total", "（三）不予公开 (withheld; derived subtotal of its 8 rows)"),
    ("unavailable_total", "（四）无法提供 (unavailable; derived subtotal)"),
    ("not_processed_total", "（五）不予处理 (not processed; derived subtotal)"),
    ("other_total", "（六）其他处理 (other; printed in v2019, derived subtotal in v2021)"),
    ("results_total", "（七）总计 (all outcomes, as printed)"),
    ("carried_forward", "结转下年度继续办理 (carried forward)"),
]
_T4_COLS = [
    ("review_upheld", "行政复议 结果维持"), ("review_corrected", "行政复议 结果纠正"),
    ("review_other", "行政复议 其他结果"), ("review_pending", "行政复议 尚未审结"), ("review_total", "行政复议 总计"),
    ("suit_direct_corrected", "行政诉讼 未经复议直接起诉 结果纠正"), ("suit_direct_total", "行政诉讼 未经复议直接起诉 总计"),
    ("suit_after_review_corrected", "行政诉讼 复议后起诉 结果纠正"), ("suit_after_review_total", "行政诉讼 复议后起诉 总计"),
]
_T2 = [
    ("regulations_issued", "art20_1", "regulations", "issued_count", "规章 本年制发件数 (v2021)"),
    ("regulations_in_force", "art20_1", "regulations", "in_force_count", "规章 现行有效件数 (v2021)"),
    ("normative_documents_issued", "art20_1", "normative_documents", "issued_count", "行政规范性文件 本年制发件数 (v2021)"),
    ("normative_documents_in_force", "art20_1", "normative_documents", "in_force_count",
     "行政规范性文件 现行有效件数 (v2021)"),
    ("licensing_decisions", "art20_5", "admin_licensing", "decisions", "行政许可 处理决定数量"),
    ("penalty_decisions", "art20_6", "admin_penalty", "decisions", "行政处罚 处理决定数量"),
    ("coercion_decisions", "art20_6", "admin_coercion", "decisions", "行政强制 处理决定数量"),
    ("fees_amount", "art20_8", "admin_fees", "fee_amount", "行政事业性收费 本年收费金额, 万元 (v2021)"),
]

COLUMNS: tuple[SummaryColumn, ...] = (
    *(_apps(f"apps_{row}", row, "total", f"表三 {zh}, 总计 column") for row, zh in _T3_ROWS),
    _apps("apps_new_natural_person", "new_received", "natural_person", "表三 本年新收, 自然人 column"),
    _apps("apps_new_legal_entity", "new_received", "legal_entity_subtotal",
          "表三 本年新收, 法人或其他组织 (derived subtotal of the 5 organisation columns)"),
    *(SummaryColumn(f"t4_{col}", "review_litigation", "", "cases", col, f"表四 {zh}") for col, zh in _T4_COLS),
    *(SummaryColumn(f"t2_{name}", "active_disclosure", block, row, col, f"表二 {zh}")
      for name, block, row, col, zh in _T2),
)
BY_NAME: dict[str, SummaryColumn] = {c.name: c for c in COLUMNS}
BY_KEY: dict[tuple[str, str, str, str], SummaryColumn] = {(c.table, c.block, c.row_key, c.col_key): c for c in COLUMNS}


def is_decimal(col: SummaryColumn) -> bool:
    return col.col_key in ("fee_amount", "procurement_amount")


def _is_total(key: str) -> bool:
    return key == "total" or key.endswith("_total")


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
                        "printed_total" if _is_total(r.key) or _is_total(c.key) else "printed")
                    summary = BY_KEY.get((table, b.key, r.key, c.key))
                    out.append({
                        "table_name": table, "format_version": version, "block": b.key, "row_key": r.key,
                        "col_key": c.key, "row_label_zh": r.zh, "row_label_en": r.en, "col_label_zh": c.zh,
                        "col_label_en": c.en, "unit": c.unit, "value_type": c.dtype, "form_order": order,
                        "role": role, "summary_column": summary.name if summary else None,
                    })
    return out
