"""The schema registry: every table, block, row, column and identity of the report format.

This module is the single source of keys (shared/reference/format-spec.md §2–§3). Mapping,
checks, the Parquet schema and the data dictionary are all derived from it; no other module
types a key. It imports nothing else from gongkai.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Literal

Dtype = Literal["count", "signed_count", "decimal"]

VERSIONS = ("v2019", "v2021")

# The sane domain of a value (spec §3.3). A printed number outside it is a misprint or digits run
# together, never data: it is kept as printed text and flagged. Every value inside it is exact as
# a JSON number (at most 15 significant digits: a float keeps them all).
DOMAIN_LIMIT: dict[str, Decimal] = {"count": Decimal(10) ** 12, "signed_count": Decimal(10) ** 12,
                                    "decimal": Decimal(10) ** 12}
DOMAIN_DIGITS = 15
TABLES = ("active_disclosure", "applications", "review_litigation")


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    unit: str = "件"
    dtype: Dtype = "count"
    aliases: tuple[str, ...] = ()
    derived: bool = False
    # False where the form's header prints no unit (采购总金额): the cell must say it.
    unit_in_header: bool = True


@dataclass(frozen=True)
class Row:
    key: str
    zh: str
    en: str
    # Distinctive fragments of the printed label (normalized: simplified, no spaces/punctuation).
    keywords: tuple[str, ...] = ()
    derived: bool = False
    group: str | None = None
    # The label is matched only when it is exactly a keyword (v2021 3.其他, also a header word).
    exact: bool = False
    # A group subtotal: the heading the form prints above its member rows (（三）不予公开).
    heading: str | None = None


@dataclass(frozen=True)
class Block:
    key: str  # "" for tables without blocks
    zh: str
    rows: tuple[Row, ...]
    cols: tuple[Column, ...]


@dataclass(frozen=True)
class TableSpec:
    name: str
    version: str
    zh: str
    en: str
    blocks: tuple[Block, ...]
    # Words printed only in this version of the table (its headers or rows): version detection.
    signs: tuple[str, ...] = ()

    def block(self, key: str) -> Block:
        for b in self.blocks:
            if b.key == key:
                return b
        raise KeyError(key)

    def printed_cells(self) -> list[tuple[str, str, str]]:
        """(block, row_key, col_key) of every cell printed on the form, in printed order."""
        return [
            (b.key, r.key, c.key)
            for b in self.blocks
            for r in b.rows
            if not r.derived
            for c in b.cols
            if not c.derived
        ]


@dataclass(frozen=True)
class Identity:
    """lhs == rhs, each side a sum of cells (block, row_key, col_key)."""

    rule: str
    table: str
    version: str
    lhs: tuple[tuple[str, str, str], ...]
    rhs: tuple[tuple[str, str, str], ...]
    description: str = ""
    cells: tuple[tuple[str, str, str], ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cells", self.lhs + self.rhs)

    def holds(self, values: Mapping[tuple[str, str, str], Decimal]) -> bool | None:
        """lhs == rhs over `values` (keyed by cell); None when one of its cells has no value."""
        if any(c not in values for c in self.cells):
            return None
        return sum(values[c] for c in self.lhs) == sum(values[c] for c in self.rhs)


def out_of_domain(dtype: str, value: Decimal) -> str | None:
    """Why `value` cannot be a value of a column of this dtype, or None when it can."""
    if abs(value) >= DOMAIN_LIMIT[dtype]:
        return f"magnitude ≥ {DOMAIN_LIMIT[dtype]:.0E}"
    if len(value.as_tuple().digits) > DOMAIN_DIGITS and value != value.to_integral_value():
        return f"more than {DOMAIN_DIGITS} significant digits"
    return None


# ---------------------------------------------------------------- 表二 active_disclosure

def _c(key: str, zh: str, en: str, unit: str = "件", dtype: Dtype = "count", *aliases: str) -> Column:
    return Column(key, zh, en, unit, dtype, aliases)


_ISSUED = _c("issued_count", "本年制发件数", "documents issued this year", "件", "count", "制发")
_REPEALED = _c("repealed_count", "本年废止件数", "documents repealed this year", "件", "count", "废止")
_IN_FORCE = _c("in_force_count", "现行有效件数", "documents currently in force", "件", "count", "现行有效")
_MADE = _c("made_count", "本年新制作数量", "documents made this year", "件", "count", "新制作")
_PUBLISHED = _c("published_count", "本年新公开数量", "documents published this year", "件", "count", "新公开")
_TOTAL_PUB = _c("total_published_count", "对外公开总数量", "total documents published", "件", "count", "对外公开总")
_PRIOR_ITEMS = _c("prior_year_items", "上一年项目数量", "items in the prior year", "项", "count", "上一年项目")
_CHANGE = _c("items_change", "本年增/减", "change in items this year (signed)", "项", "signed_count", "增/减", "增减", "本年增")
_DECISIONS = _c("decisions", "处理决定数量", "decisions made this year", "件", "count", "处理决定")
_FEE = _c("fee_amount", "本年收费金额（单位：万元）", "fees collected this year", "万元", "decimal", "收费金额", "金额")
_PROC_ITEMS = _c("procurement_items", "采购项目数量", "procurement projects", "项", "count", "采购项目")
_PROC_AMOUNT = Column("procurement_amount", "采购总金额", "total procurement amount", "万元", "decimal", ("采购总金额",),
                      unit_in_header=False)

_REGS = Row("regulations", "规章", "regulations (规章)", ("规章",))
_NORM = Row("normative_documents", "行政规范性文件", "normative documents", ("规范性文件", "规范性档案"))
_NORM19 = Row("normative_documents", "规范性文件", "normative documents", ("规范性文件", "规范性档案"))
_LICENSING = Row("admin_licensing", "行政许可", "administrative licensing", ("行政许可",))
_OTHER_SERV = Row("other_admin_services", "其他对外管理服务事项", "other external management services", ("其他对外管理服务",))
_PENALTY = Row("admin_penalty", "行政处罚", "administrative penalties", ("行政处罚",))
_COERCION = Row("admin_coercion", "行政强制", "administrative coercion", ("行政强制",))
_FEES = Row("admin_fees", "行政事业性收费", "administrative fees", ("行政事业性收费", "事业性收费"))
_PROC = Row("gov_procurement", "政府集中采购", "centralised government procurement", ("政府集中采购", "集中采购"))

_ACTIVE_V2019 = TableSpec(
    "active_disclosure", "v2019", "主动公开政府信息情况", "proactive disclosure",
    (
        Block("art20_1", "第二十条第（一）项", (_REGS, _NORM19), (_MADE, _PUBLISHED, _TOTAL_PUB)),
        Block("art20_5", "第二十条第（五）项", (_LICENSING, _OTHER_SERV), (_PRIOR_ITEMS, _CHANGE, _DECISIONS)),
        Block("art20_6", "第二十条第（六）项", (_PENALTY, _COERCION), (_PRIOR_ITEMS, _CHANGE, _DECISIONS)),
        Block("art20_8", "第二十条第（八）项", (_FEES,), (_PRIOR_ITEMS, _CHANGE)),
        Block("art20_9", "第二十条第（九）项", (_PROC,), (_PROC_ITEMS, _PROC_AMOUNT)),
    ),
    ("新制作", "新公开", "对外公开总", "上一年项目", "增减", "采购", "其他对外管理服务"),
)
_DECISIONS21 = Column("decisions", "本年处理决定数量", "decisions made this year", "件", "count", ("处理决定",))
_ACTIVE_V2021 = TableSpec(
    "active_disclosure", "v2021", "主动公开政府信息情况", "proactive disclosure",
    (
        Block("art20_1", "第二十条第（一）项", (_REGS, _NORM), (_ISSUED, _REPEALED, _IN_FORCE)),
        Block("art20_5", "第二十条第（五）项", (_LICENSING,), (_DECISIONS21,)),
        Block("art20_6", "第二十条第（六）项", (_PENALTY, _COERCION), (_DECISIONS21,)),
        Block("art20_8", "第二十条第（八）项", (_FEES,), (_FEE,)),
    ),
    ("制发", "废止", "现行有效", "收费金额"),
)

# ---------------------------------------------------------------- 表三 applications

APPLICANT_COLS: tuple[Column, ...] = (
    Column("natural_person", "自然人", "natural persons", aliases=("自然人",)),
    Column("commercial_enterprise", "商业企业", "commercial enterprises", aliases=("商业企业", "企业")),
    Column("research_institution", "科研机构", "research institutions", aliases=("科研机构", "科研")),
    Column("public_interest_org", "社会公益组织", "public-interest organisations", aliases=("社会公益组织", "公益组织", "社会公")),
    Column("legal_service_org", "法律服务机构", "legal service organisations", aliases=("法律服务机构", "法律服")),
    Column("other_org", "其他", "other organisations", aliases=("其他",)),
    Column("total", "总计", "total", aliases=("总计", "合计")),
)
LEGAL_ENTITY_COLS = tuple(c.key for c in APPLICANT_COLS[1:6])
LEGAL_ENTITY_SUBTOTAL = Column(
    "legal_entity_subtotal", "法人或其他组织（小计）", "legal persons and other organisations (derived)", derived=True
)

_G3, _G4, _G5, _G6 = "withheld_total", "unavailable_total", "not_processed_total", "other_total"
_HEAD_ROWS = (
    Row("new_received", "一、本年新收政府信息公开申请数量", "new applications received", ("本年新收", "新收")),
    Row("carried_over", "二、上年结转政府信息公开申请数量", "applications carried over from last year", ("上年结转",)),
    Row("granted", "（一）予以公开", "granted", ("予以公开",)),
    Row("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially granted", ("部分公开",)),
    Row("withheld_state_secret", "1.属于国家秘密", "withheld: state secret", ("国家秘密",), group=_G3),
    Row("withheld_prohibited_by_law", "2.其他法律行政法规禁止公开", "withheld: prohibited by other laws",
        ("禁止公开", "法律行政法规", "行政止公开", "法规禁止"), group=_G3),
    Row("withheld_security_stability", "3.危及“三安全一稳定”", "withheld: endangers security or stability",
        ("三安全", "一稳定"), group=_G3),
    Row("withheld_third_party_rights", "4.保护第三方合法权益", "withheld: third-party rights", ("第三方",), group=_G3),
    Row("withheld_internal_affairs", "5.属于三类内部事务信息", "withheld: internal affairs", ("内部事务",), group=_G3),
    Row("withheld_process_info", "6.属于四类过程性信息", "withheld: process information", ("过程性",), group=_G3),
    Row("withheld_enforcement_file", "7.属于行政执法案卷", "withheld: enforcement file", ("执法案卷",), group=_G3),
    Row("withheld_admin_inquiry", "8.属于行政查询事项", "withheld: administrative inquiry", ("行政查询",), group=_G3),
    Row("unavailable_not_held", "1.本机关不掌握相关政府信息", "unavailable: not held", ("不掌握",), group=_G4),
    Row("unavailable_needs_creation", "2.没有现成信息需要另行制作", "unavailable: would need creating",
        ("另行制作", "没有现成"), group=_G4),
    Row("unavailable_still_unclear", "3.补正后申请内容仍不明确", "unavailable: still unclear after correction",
        ("仍不明确", "补正后"), group=_G4),
    Row("not_processed_petition", "1.信访举报投诉类申请", "not processed: petition or complaint",
        ("信访", "举报投诉"), group=_G5),
    Row("not_processed_duplicate", "2.重复申请", "not processed: duplicate", ("重复申请",), group=_G5),
    Row("not_processed_publication", "3.要求提供公开出版物", "not processed: asks for publications",
        ("出版物",), group=_G5),
    Row("not_processed_excessive", "4.无正当理由大量反复申请", "not processed: excessive repeated applications",
        ("大量反复",), group=_G5),
    Row("not_processed_confirm_reissue", "5.要求行政机关确认或重新出具已获取信息",
        "not processed: asks to confirm or reissue", ("重新出具", "确认或"), group=_G5),
)
_TAIL_ROWS = (
    Row("results_total", "（七）总计", "total outcomes", ("总计",)),
    Row("carried_forward", "四、结转下年度继续办理", "carried forward to next year", ("结转下", "下年度", "下一年度")),
)
_OTHER19 = Row("other_total", "（六）其他处理", "other handling", ("其他处理",))
_OTHER21 = (
    Row("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "other: no correction in time", ("逾期不补正", "不补正"), group=_G6),
    Row("other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "other: fee unpaid", ("收费通知", "缴纳费用"), group=_G6),
    Row("other_misc", "3.其他", "other: miscellaneous", ("其他",), group=_G6, exact=True),
)


def _derived(key: str, zh: str, en: str, heading: str) -> Row:
    return Row(key, zh, en, (heading[3:],), derived=True, heading=heading)


_DERIVED_GROUPS = (
    _derived(_G3, "（三）不予公开（小计）", "withheld (derived subtotal)", "（三）不予公开"),
    _derived(_G4, "（四）无法提供（小计）", "unavailable (derived subtotal)", "（四）无法提供"),
    _derived(_G5, "（五）不予处理（小计）", "not processed (derived subtotal)", "（五）不予处理"),
)
# The heading printed beside every outcome row (granted … results_total's summands).
RESULTS_HEADING = "三、本年度办理结果"

_APPS_COLS = (*APPLICANT_COLS, LEGAL_ENTITY_SUBTOTAL)
_APPS_V2019 = TableSpec(
    "applications", "v2019", "收到和处理政府信息公开申请情况", "applications received and handled",
    (Block("", "", (*_HEAD_ROWS, _OTHER19, *_TAIL_ROWS, *_DERIVED_GROUPS), _APPS_COLS),),
)  # v2019 is told by a number row labelled （六）其他处理, not by a word of its own
_APPS_V2021 = TableSpec(
    "applications", "v2021", "收到和处理政府信息公开申请情况", "applications received and handled",
    (
        Block(
            "", "",
            (*_HEAD_ROWS, *_OTHER21, *_TAIL_ROWS, *_DERIVED_GROUPS,
             _derived(_G6, "（六）其他处理（小计）", "other handling (derived subtotal)", "（六）其他处理")),
            _APPS_COLS,
        ),
    ),
    tuple(k for r in _OTHER21 if not r.exact for k in r.keywords),
)

# ---------------------------------------------------------------- 表四 review_litigation

_GROUPS4 = (
    ("review", "行政复议", "", "administrative review"),
    ("suit_direct", "行政诉讼", "未经复议直接起诉", "lawsuit without prior review"),
    ("suit_after_review", "行政诉讼", "复议后起诉", "lawsuit after review"),
)
_LEAVES4 = (
    ("upheld", "结果维持", "upheld"),
    ("corrected", "结果纠正", "corrected"),
    ("other", "其他结果", "other result"),
    ("pending", "尚未审结", "pending"),
    ("total", "总计", "total"),
)
REVIEW_GROUPS = tuple(g for g, *_ in _GROUPS4)
REVIEW_LEAVES = tuple(leaf for leaf, *_ in _LEAVES4)
CASES = Row("cases", "（案件数）", "cases")
_REVIEW_COLS = tuple(
    Column(f"{g}_{leaf}", "·".join(x for x in (zh1, zh2, lzh) if x), f"{gen}: {len_}", "件")
    for g, zh1, zh2, gen in _GROUPS4
    for leaf, lzh, len_ in _LEAVES4
)
_REVIEW = tuple(
    TableSpec(
        "review_litigation", v, "政府信息公开行政复议、行政诉讼情况", "administrative reviews and lawsuits",
        (Block("", "", (CASES,), _REVIEW_COLS),),
    )
    for v in VERSIONS
)

# ---------------------------------------------------------------- registry

SPECS: dict[tuple[str, str], TableSpec] = {
    (s.name, s.version): s for s in (_ACTIVE_V2019, _ACTIVE_V2021, _APPS_V2019, _APPS_V2021, *_REVIEW)
}

TABLE_LABELS = {
    "active_disclosure": ("表二", "主动公开政府信息情况"),
    "applications": ("表三", "收到和处理政府信息公开申请情况"),
    "review_litigation": ("表四", "政府信息公开行政复议、行政诉讼情况"),
}

# Words that open each table (compact: simplified, no spaces or punctuation). Tables are found by
# these, not by section numbers.
TABLE_STARTS = {
    "active_disclosure": ("第二十条第", "信息内容本年"),
    "applications": ("本列数据", "申请人情况", "本年新收", "收到和处理政府信息公开"),
    "review_litigation": ("行政复议", "未经复议直接起诉"),
}
# Of those, the words printed only by the tables (never by the narrative): they locate the
# statistical part in a report's whole text.
TABLE_ONLY_WORDS = ("第二十条第", "信息内容本年", "本列数据", "申请人情况", "未经复议直接起诉")
# Header words that tell a report table from a layout table at a glance (表四 结果维持, 表二 处理决定).
TABLE_HEADER_WORDS = (_LEAVES4[0][1], *_DECISIONS21.aliases)
# Headings of the sections after the last table.
TABLES_END = ("存在的主要问题", "存在主要问题", "改进情况")
# Words of the tables' header rows: a row "label" that is one of them means the label cell was blank.
HEADER_WORDS = (
    "信息内容", "申请人情况", "法人或其他组织",
    *dict.fromkeys(c.zh for ts in SPECS.values() for b in ts.blocks for c in b.cols),
)


def spec(table: str, version: str) -> TableSpec:
    return SPECS[(table, version)]


def column(table: str, version: str, block: str, col_key: str) -> Column:
    for c in spec(table, version).block(block).cols:
        if c.key == col_key:
            return c
    raise KeyError(col_key)


def _sum_rows(table: TableSpec) -> dict[str, tuple[str, ...]]:
    """Derived row → the printed rows it adds up (T3-D)."""
    rows = table.blocks[0].rows
    return {
        d.key: tuple(r.key for r in rows if r.group == d.key and not r.derived)
        for d in rows
        if d.derived
    }


def derived_rows(version: str) -> dict[str, tuple[str, ...]]:
    return _sum_rows(spec("applications", version))


def outcome_rows(version: str) -> tuple[str, ...]:
    """The summands of results_total (T3-B), in printed order."""
    rows = spec("applications", version).blocks[0].rows
    head = [r.key for r in rows if not r.derived]
    return tuple(head[head.index("granted"): head.index("results_total")])


@cache
def identities(table: str, version: str) -> tuple[Identity, ...]:
    """Every hard identity of spec §3.1 for one table version, one Identity per column/row/group."""
    out: list[Identity] = []
    if table == "applications":
        ts = spec(table, version)
        cols = [c.key for c in APPLICANT_COLS]
        printed = [r.key for r in ts.blocks[0].rows if not r.derived]
        for c in cols:
            out.append(Identity(
                "T3-A", table, version,
                (("", "new_received", c), ("", "carried_over", c)),
                (("", "results_total", c), ("", "carried_forward", c)),
                f"{c}: 本年新收 + 上年结转 = 办理结果总计 + 结转下年度",
            ))
        for c in cols:
            out.append(Identity(
                "T3-B", table, version,
                (("", "results_total", c),),
                tuple(("", r, c) for r in outcome_rows(version)),
                f"{c}: （七）总计 = sum of the outcome rows",
            ))
        for r in printed:
            out.append(Identity(
                "T3-C", table, version,
                (("", r, "total"),),
                tuple(("", r, c) for c in cols[:-1]),
                f"{r}: 总计 = sum of the six applicant columns",
            ))
    elif table == "review_litigation":
        for g in REVIEW_GROUPS:
            out.append(Identity(
                "T4-A", table, version,
                (("", "cases", f"{g}_total"),),
                tuple(("", "cases", f"{g}_{leaf}") for leaf in ("upheld", "corrected", "other", "pending")),
                f"{g}: 总计 = 维持 + 纠正 + 其他 + 尚未审结",
            ))
    return tuple(out)


@cache
def group_subtotals(version: str) -> tuple[Identity, ...]:
    """T3-D (definitional): each 表三 group subtotal row (withheld_total …) = its rows, per column."""
    return tuple(
        Identity("T3-D", "applications", version, (("", group, col.key),), tuple(("", m, col.key) for m in members),
                 f"{col.key}: {group} = sum of its rows")
        for group, members in derived_rows(version).items()
        for col in APPLICANT_COLS
    )


def legal_entity_subtotals(version: str, rows: tuple[str, ...]) -> tuple[Identity, ...]:
    """T3-D (definitional): the legal-entity subtotal of each row = its five legal-person columns."""
    return tuple(legal_entity_subtotal(version, r) for r in rows)


@cache
def legal_entity_subtotal(version: str, row: str) -> Identity:
    """Made once per row: every 表三 read asks for them."""
    sub = LEGAL_ENTITY_SUBTOTAL.key
    return Identity("T3-D", "applications", version, (("", row, sub),),
                    tuple(("", row, c) for c in LEGAL_ENTITY_COLS), f"{row}: 法人或其他组织小计 = sum of the five columns")


@dataclass(frozen=True)
class CrossYearIdentity:
    """A soft rule over two reports of one agency (spec §3.2): lhs == rhs, each side signed terms
    (sign, year offset 0 or -1, cell). Checked at build time; a failure is a finding, not an error."""

    rule: str
    table: str
    versions: tuple[str, ...]
    lhs: tuple[tuple[int, int, tuple[str, str, str]], ...]
    rhs: tuple[tuple[int, int, tuple[str, str, str]], ...]
    description: str = ""


def _stock_identities() -> tuple[CrossYearIdentity, ...]:
    ts = spec("active_disclosure", "v2021")
    block = ts.blocks[0]
    issued, repealed, in_force = (c.key for c in block.cols)
    return tuple(
        CrossYearIdentity(
            "T2-X1", ts.name, ("v2021",),
            ((1, 0, (block.key, r.key, in_force)),),
            ((1, -1, (block.key, r.key, in_force)), (1, 0, (block.key, r.key, issued)),
             (-1, 0, (block.key, r.key, repealed))),
            f"{r.key}: 现行有效 Y = 现行有效 Y−1 + 制发 − 废止",
        )
        for r in block.rows
    )


def _carry_identities() -> tuple[CrossYearIdentity, ...]:
    flow = [i for i in identities("applications", "v2021") if i.rule == "T3-A"]
    return tuple(
        CrossYearIdentity("T3-X1", i.table, VERSIONS, ((1, -1, i.rhs[1]),), ((1, 0, i.lhs[1]),),
                          f"{i.rhs[1][2]}: 结转下年度 Y−1 = 上年结转 Y")
        for i in flow
    )


@cache
def cross_year_identities() -> tuple[CrossYearIdentity, ...]:
    """T3-X1 carry-over (per applicant column) and T2-X1 stock of documents in force (v2021)."""
    return (*_carry_identities(), *_stock_identities())


@dataclass(frozen=True)
class Headline:
    """A headline number of a report: one cell, published as its own column of report_summary."""

    name: str
    table: str
    block: str
    row_key: str
    col_key: str
    description: str


def _apps_headline(name: str, row: str, col: str, zh: str) -> Headline:
    return Headline(name, "applications", "", row, col, f"表三 {zh}")


HEADLINES: tuple[Headline, ...] = (
    *(_apps_headline(f"apps_{row}", row, "total", f"{zh}, 总计 column") for row, zh in (
        ("new_received", "本年新收 (new applications)"), ("carried_over", "上年结转 (carried over from last year)"),
        ("granted", "（一）予以公开 (granted)"), ("partially_granted", "（二）部分公开 (partially granted)"),
        (_G3, "（三）不予公开 (withheld; derived subtotal of its 8 rows)"),
        (_G4, "（四）无法提供 (unavailable; derived subtotal)"), (_G5, "（五）不予处理 (not processed; derived subtotal)"),
        (_G6, "（六）其他处理 (other; printed in v2019, derived subtotal in v2021)"),
        ("results_total", "（七）总计 (all outcomes, as printed)"), ("carried_forward", "结转下年度继续办理 (carried forward)"))),
    _apps_headline("apps_new_natural_person", "new_received", "natural_person", "本年新收, 自然人 column"),
    _apps_headline("apps_new_legal_entity", "new_received", "legal_entity_subtotal",
                   "本年新收, 法人或其他组织 (derived subtotal of the 5 organisation columns)"),
    *(Headline(f"t4_{col}", "review_litigation", "", "cases", col, f"表四 {zh}") for col, zh in (
        ("review_upheld", "行政复议 结果维持"), ("review_corrected", "行政复议 结果纠正"),
        ("review_other", "行政复议 其他结果"), ("review_pending", "行政复议 尚未审结"), ("review_total", "行政复议 总计"),
        ("suit_direct_corrected", "行政诉讼 未经复议直接起诉 结果纠正"), ("suit_direct_total", "行政诉讼 未经复议直接起诉 总计"),
        ("suit_after_review_corrected", "行政诉讼 复议后起诉 结果纠正"), ("suit_after_review_total", "行政诉讼 复议后起诉 总计"))),
    *(Headline(f"t2_{name}", "active_disclosure", block, row, col, f"表二 {zh}") for name, block, row, col, zh in (
        ("regulations_issued", "art20_1", "regulations", "issued_count", "规章 本年制发件数 (v2021)"),
        ("regulations_in_force", "art20_1", "regulations", "in_force_count", "规章 现行有效件数 (v2021)"),
        ("normative_documents_issued", "art20_1", "normative_documents", "issued_count",
         "行政规范性文件 本年制发件数 (v2021)"),
        ("normative_documents_in_force", "art20_1", "normative_documents", "in_force_count",
         "行政规范性文件 现行有效件数 (v2021)"),
        ("licensing_decisions", "art20_5", "admin_licensing", "decisions", "行政许可 处理决定数量"),
        ("penalty_decisions", "art20_6", "admin_penalty", "decisions", "行政处罚 处理决定数量"),
        ("coercion_decisions", "art20_6", "admin_coercion", "decisions", "行政强制 处理决定数量"),
        ("fees_amount", "art20_8", "admin_fees", "fee_amount", "行政事业性收费 本年收费金额, 万元 (v2021)"))),
)


def is_total_key(key: str) -> bool:
    """A column or row that prints the sum of others on the form (总计), as opposed to a part."""
    return key == "total" or key.endswith("_total")


def row_identities(table: str, version: str) -> tuple[Identity, ...]:
    """Identities that live inside one printed row (used to split run-together digits)."""
    return tuple(i for i in identities(table, version) if i.rule in ("T3-C", "T4-A"))


def all_keys() -> set[tuple[str, str, str, str]]:
    return {
        (s.name, b.key, r.key, c.key)
        for s in SPECS.values()
        for b in s.blocks
        for r in b.rows
        for c in b.cols
    }


# ---------------------------------------------------------------- P-1: numbers restated in the text

@dataclass(frozen=True)
class ProseFact:
    """P-1: a number a report restates in its narrative, and the table cells (summed) it must equal.

    `before` are patterns (over the text with spaces removed) that end right before the number,
    `after` patterns that start right after the number and its unit. `context`, when set, must be
    in the same sentence (行政复议 alone may be the agency's own caseload, not disclosure cases)."""

    name: str
    table: str
    cells: tuple[tuple[str, str, str], ...]
    before: tuple[str, ...]
    after: tuple[str, ...] = ()
    context: str | None = None
    versions: tuple[str, ...] = VERSIONS
    rule: str = "P-1"


def _t3(row: str) -> tuple[tuple[str, str, str], ...]:
    return (("", row, APPLICANT_COLS[-1].key),)


def _t3_group(version: str, group: str) -> tuple[tuple[str, str, str], ...]:
    members = derived_rows(version).get(group) or (group,)  # v2019 prints （六）其他处理 as a row
    return tuple(("", m, APPLICANT_COLS[-1].key) for m in members)


_NOT_COMBINED = r"(?<![及和与、])"  # 予以公开及部分公开208件 is two outcomes together: no fact
# `1件涉及政府信息公开工作的行政复议`: the number comes first, tied to the noun by these words only.
_ABOUT = r"(?:涉及|因|有关|关于)[^，。；、,;:]{0,18}?"


def _t3_facts(version: str) -> tuple[ProseFact, ...]:
    t = "applications"
    return (
        ProseFact("new_received", t, _t3("new_received"),
                  (r"(?:新收|收到|受理)[^，。；,;：:（(]{0,14}?申请(?:共计|合计|总计|共|数量为|数为|为)?",)),
        ProseFact("carried_over", t, _t3("carried_over"),
                  (r"上年度?结转(?:的)?(?:政府信息公开|信息公开)?(?:申请)?(?:共|为)?", r"结转上年度?(?:申请)?")),
        ProseFact("carried_forward", t, _t3("carried_forward"),
                  (r"结转(?:至|到|入)?下一?年度?(?:继续)?(?:办理|处理)?(?:的)?(?:申请)?(?:有|共|为)?",
                   r"(?<!结)转(?:入|至|到)?下一?年度?(?:继续)?办理(?:答复)?(?:的)?(?:有)?")),
        ProseFact("granted", t, _t3("granted"),
                  (_NOT_COMBINED + r"(?<!部分)(?:予以公开|同意公开)(?:答复)?(?:的)?(?:申请)?",)),
        ProseFact("partially_granted", t, _t3("partially_granted"),
                  (_NOT_COMBINED + r"部分公开(?:答复)?(?:的)?(?:申请)?",)),
        *(ProseFact(g, t, _t3_group(version, g), (rf"{_NOT_COMBINED}{w}(?:答复)?(?:的)?(?:申请)?",))
          for g, w in ((_G3, "不予公开"), (_G4, "无法提供"), (_G5, "不予处理"), (_G6, "其他处理"))),
    )


def _t4_facts() -> tuple[ProseFact, ...]:
    t, case = "review_litigation", CASES.key
    review = ((("", case, f"{REVIEW_GROUPS[0]}_{REVIEW_LEAVES[-1]}"),))
    suits = tuple(("", case, f"{g}_{REVIEW_LEAVES[-1]}") for g in REVIEW_GROUPS[1:])
    return (
        ProseFact("review_total", t, review, (r"行政复议(?:案件)?(?:数)?(?:共|为|数为)?",),
                  (rf"{_ABOUT}行政复议",), context="信息公开"),
        ProseFact("suit_total", t, suits, (r"行政诉讼(?:案件)?(?:数)?(?:共|为|数为)?",),
                  (rf"{_ABOUT}行政诉讼",), context="信息公开"),
    )


def _t2_facts() -> tuple[ProseFact, ...]:
    """制发/废止/现行有效 + 规章/规范性文件, from the v2021 第（一）项 labels themselves."""
    ts = spec("active_disclosure", "v2021")
    block = ts.blocks[0]
    out: list[ProseFact] = []
    for r in block.rows:
        noun = "(?:行政)?(?:" + "|".join(r.keywords) + ")"
        others = "|".join(k for o in block.rows if o is not r for k in o.keywords)
        for c in block.cols:
            verb = "(?:" + "|".join(c.aliases) + ")"
            out.append(ProseFact(
                f"{r.key}.{c.key}", ts.name, ((block.key, r.key, c.key),),
                (rf"{verb}(?:了|的)?{noun}(?:共)?", rf"{noun}(?:(?!{others})[^。；;]){{0,20}}?{verb}(?:了|的)?(?:共)?"),
                versions=("v2021",)))
    return tuple(out)


@cache
def prose_facts(version: str) -> tuple[ProseFact, ...]:
    """Every P-1 fact for a report whose tables are of `version`."""
    return tuple(f for f in (*_t2_facts(), *_t3_facts(version), *_t4_facts()) if version in f.versions)
