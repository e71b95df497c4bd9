"""A report generator: random, internally consistent v2019/v2021 tables, rendered as the
portals print them (HTML with spans, flattened `cell |` text, run-together text).

Used by property tests, the demo portal and benchmarks. Values obey every identity in
`schema.identities`, so a correct extractor reads them back with all checks passing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai import schema

Key = tuple[str, str, str, str]


@dataclass
class SynthReport:
    agency: str
    year: int
    version: str
    values: dict[Key, Decimal] = field(default_factory=dict)


def _counts(rng: random.Random, n: int, scale: int) -> list[int]:
    return [rng.choice([0, 0, 0, rng.randint(0, scale)]) for _ in range(n)]


def make_report(rng: random.Random, agency: str = "某县人民政府", year: int | None = None,
                version: str | None = None, prev: SynthReport | None = None) -> SynthReport:
    """One report; with `prev` (the same agency's report of the year before) it continues it:
    上年结转 = last year's 结转下年度 per column, and 现行有效件数 = last year's + 制发 − 废止."""
    version = version or rng.choice(schema.VERSIONS)
    year = year or (rng.randint(2021, 2025) if version == "v2021" else rng.randint(2019, 2020))
    rep = SynthReport(agency, year, version)
    t2 = schema.spec("active_disclosure", version)
    for b in t2.blocks:
        for r in b.rows:
            for c in b.cols:
                if c.dtype == "decimal":
                    v = Decimal(rng.randint(0, 10_000_000)) / Decimal(100)
                elif c.dtype == "signed_count":
                    v = Decimal(rng.randint(-20, 20))
                else:
                    v = Decimal(rng.choice([0, rng.randint(0, 50), rng.randint(0, 5000)]))
                rep.values[("active_disclosure", b.key, r.key, c.key)] = v
    for ident in schema.cross_year_identities():  # T2-X1: in force = last year's + issued − repealed
        if prev is None or ident.table != "active_disclosure" or {version, prev.version} - set(ident.versions):
            continue
        (_, _, now), ((_, _, before), (_, _, issued_at), (_, _, repealed_at)) = ident.lhs[0], ident.rhs
        stock, issued = prev.values[("active_disclosure", *before)], rep.values[("active_disclosure", *issued_at)]
        repealed = min(rep.values[("active_disclosure", *repealed_at)], stock + issued)
        rep.values[("active_disclosure", *repealed_at)] = repealed
        rep.values[("active_disclosure", *now)] = stock + issued - repealed
    cols = [col.key for col in schema.APPLICANT_COLS[:-1]]
    flow = next(i for i in schema.identities("applications", version) if i.rule == "T3-A")
    (_, new_rk, _), (_, over_rk, _) = flow.lhs
    (_, results_rk, _), (_, forward_rk, _) = flow.rhs
    outcome = schema.outcome_rows(version)
    per_col: dict[str, dict[str, int]] = {}
    for ck in cols:
        rows = dict(zip(outcome, _counts(rng, len(outcome), 30), strict=True))
        results = sum(rows.values())
        carried_over = rng.randint(0, 5)
        if prev is not None:
            carried_over = int(prev.values[("applications", "", forward_rk, ck)])
        carried_forward = rng.randint(0, results + carried_over)
        new = results + carried_forward - carried_over
        if new < 0:
            carried_forward -= new
            new = 0
        per_col[ck] = {**rows, results_rk: results, over_rk: carried_over, forward_rk: carried_forward, new_rk: new}
    printed = [row.key for row in schema.spec("applications", version).blocks[0].rows if not row.derived]
    for rk in printed:
        total = 0
        for ck in cols:
            n = per_col[ck][rk]
            total += n
            rep.values[("applications", "", rk, ck)] = Decimal(n)
        rep.values[("applications", "", rk, schema.APPLICANT_COLS[-1].key)] = Decimal(total)
    case = schema.CASES.key
    for g in schema.REVIEW_GROUPS:
        parts = [rng.choice([0, rng.randint(0, 12)]) for _ in schema.REVIEW_LEAVES[:-1]]
        for leaf, n in zip(schema.REVIEW_LEAVES[:-1], parts, strict=True):
            rep.values[("review_litigation", "", case, f"{g}_{leaf}")] = Decimal(n)
        rep.values[("review_litigation", "", case, f"{g}_{schema.REVIEW_LEAVES[-1]}")] = Decimal(sum(parts))
    return rep


def make_series(rng: random.Random, agency: str, years: list[int]) -> list[SynthReport]:
    """Consecutive reports of one agency that agree with each other across years."""
    out: list[SynthReport] = []
    for y in sorted(years):
        prev = out[-1] if out and out[-1].year == y - 1 else None
        out.append(make_report(rng, agency=agency, year=y, version="v2021" if y >= 2021 else "v2019", prev=prev))
    return out


def fmt(v: Decimal) -> str:
    return str(int(v)) if v == v.to_integral_value() else f"{v:f}".rstrip("0").rstrip(".")


# ------------------------------------------------------------------ rendering

def table_rows(rep: SynthReport) -> list[list[tuple[str, int, int]]]:
    """The three tables as rows of (text, rowspan, colspan), as the official form lays them out."""
    rows: list[list[tuple[str, int, int]]] = []
    t2 = schema.spec("active_disclosure", rep.version)
    for b in t2.blocks:
        n = len(b.cols)
        rows.append([(b.zh, 1, 4)])
        header = [("信息内容", 1, 1)] + [(c.zh, 1, 3 if n == 1 else (2 if n == 2 and i == 1 else 1))
                                        for i, c in enumerate(b.cols)]
        rows.append(header)
        for r in b.rows:
            cells = [(r.zh, 1, 1)]
            for i, c in enumerate(b.cols):
                span = 3 if n == 1 else (2 if n == 2 and i == 1 else 1)
                cells.append((fmt(rep.values[("active_disclosure", b.key, r.key, c.key)]), 1, span))
            rows.append(cells)
    t3 = schema.spec("applications", rep.version)
    printed = [r for r in t3.blocks[0].rows if not r.derived]
    rows.append([("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 7)])
    rows.append([("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)])
    rows.append([(c.zh, 1, 1) for c in schema.APPLICANT_COLS[1:6]])
    outcomes = schema.outcome_rows(rep.version)
    group_span = {outcomes[0]: (schema.RESULTS_HEADING, len(outcomes) + 1)}
    sub_groups = {members[0]: (next(r.heading or r.zh for r in t3.blocks[0].rows if r.key == g), len(members))
                  for g, members in schema.derived_rows(rep.version).items()}
    flow = next(i for i in schema.identities("applications", rep.version) if i.rule == "T3-A")
    spans_three = {flow.lhs[0][1], flow.lhs[1][1], flow.rhs[1][1]}  # 一、二、四、: labels over three columns
    for r in printed:
        row3: list[tuple[str, int, int]] = []
        if r.key in group_span:
            row3.append((group_span[r.key][0], group_span[r.key][1], 1))
        if r.key in sub_groups:
            row3.append((sub_groups[r.key][0], sub_groups[r.key][1], 1))
        if r.key in spans_three:
            row3.append((r.zh, 1, 3))
        elif r.group is None:
            row3.append((r.zh, 1, 2))
        else:
            row3.append((r.zh, 1, 1))
        for c in schema.APPLICANT_COLS:
            row3.append((fmt(rep.values[("applications", "", r.key, c.key)]), 1, 1))
        rows.append(row3)
    rows.append([("行政复议", 1, 5), ("行政诉讼", 1, 10)])
    leaves = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows.append([(x, 2, 1) for x in leaves] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)])
    rows.append([(x, 1, 1) for x in leaves * 2])
    rows.append([(fmt(rep.values[("review_litigation", "", schema.CASES.key, c.key)]), 1, 1)
                 for c in schema.spec("review_litigation", rep.version).blocks[0].cols])
    return rows


def _title(rep: SynthReport) -> str:
    return f"{rep.agency}{rep.year}年政府信息公开工作年度报告"


Rows = list[list[tuple[str, int, int]]]


def render_html(rep: SynthReport, charset: str = "utf-8", rows: Rows | None = None) -> str:
    """The report as a portal page; `rows` replaces the form's rows (to test irregular layouts)."""
    rows = rows if rows is not None else table_rows(rep)
    body: list[str] = []
    sections = {0: "二、主动公开政府信息情况"}
    t3_start = next(i for i, r in enumerate(rows) if r[0][0].startswith("（本列数据"))
    t4_start = next(i for i, r in enumerate(rows) if r[0][0] == "行政复议")
    marks = {0: sections[0], t3_start: "三、收到和处理政府信息公开申请情况", t4_start: "四、政府信息公开行政复议、行政诉讼情况"}
    for i, row in enumerate(rows):
        if i in marks:
            if i:
                body.append("</table>")
            body.append(f"<p>{marks[i]}</p><table border=1>")
        tds = "".join(
            f"<td{f' rowspan={rs}' if rs > 1 else ''}{f' colspan={cs}' if cs > 1 else ''}>{t}</td>" for t, rs, cs in row)
        body.append(f"<tr>{tds}</tr>")
    body.append("</table>")
    return (f'<html><head><meta charset="{charset}"><title>{_title(rep)}</title></head><body>'
            f'<h1>{_title(rep)}</h1><div class="TRS_Editor"><p>一、总体情况</p><p>{rep.year}年，我单位认真贯彻落实。</p>'
            + "".join(body) + f"<p>五、存在的主要问题及改进情况</p><p>无。</p><p>{rep.agency}</p>"
            f"<p>{rep.year + 1}年1月20日</p></div></body></html>")


def render_pipe_stream(rep: SynthReport) -> str:
    """The seed's flattened form: one cell per line ending ` |`, span fillers as pipe-only lines."""
    lines = [_title(rep), "一、总体情况", f"{rep.year}年，我单位认真贯彻落实。", "二、主动公开政府信息情况"]
    rows = table_rows(rep)
    for i, row in enumerate(rows):
        if row[0][0].startswith("（本列数据"):
            lines.append("三、收到和处理政府信息公开申请情况")
        if row[0][0] == "行政复议":
            lines.append("四、政府信息公开行政复议、行政诉讼情况")
        fill = 0
        for t, _rs, cs in row:
            lines.append(f"{t} |")
            fill += cs - 1
        if fill > 1:
            lines.append("|" * fill)
        del i
    lines += ["五、存在的主要问题及改进情况", "无。", rep.agency, f"{rep.year + 1}年1月20日"]
    return "\n".join(lines)


def render_glued(rep: SynthReport) -> str:
    """Run-together text: cells concatenated with no separator, on one line."""
    parts = [f"标题: {_title(rep)}", "==== 正文 ====", f"一、总体情况{rep.year}年，我单位认真贯彻落实。二、主动公开政府信息情况"]
    line = []
    for row in table_rows(rep):
        if row[0][0].startswith("（本列数据"):
            line.append("三、收到和处理政府信息公开申请情况")
        if row[0][0] == "行政复议":
            line.append("四、政府信息公开行政复议、行政诉讼情况")
        line.extend(t for t, _rs, _cs in row)
    parts.append(parts.pop() + "".join(line) + f"五、存在的主要问题及改进情况无。{rep.agency}{rep.year + 1}年1月20日")
    return "\n".join(parts)


def render_text_rows(rep: SynthReport) -> str:
    """One table row per line, cells separated by spaces (PDF text layers, plain-text exports)."""
    lines = [_title(rep), "一、总体情况", f"{rep.year}年，我单位认真贯彻落实。", "二、主动公开政府信息情况"]
    for row in table_rows(rep):
        lines.append(" ".join(t for t, _rs, _cs in row))
    lines += ["五、存在的主要问题及改进情况", "无。", rep.agency, f"{rep.year + 1}年1月20日"]
    return "\n".join(lines)


def render_div_html(rep: SynthReport) -> str:
    """Tables laid out with <div>s instead of <table> markup."""
    rows = "".join("<div class='row'>" + "".join(f"<div class='cell'>{t}</div>" for t, _rs, _cs in row) + "</div>"
                   for row in table_rows(rep))
    return (f"<html><head><title>{_title(rep)}</title></head><body><p>二、主动公开政府信息情况</p>{rows}"
            f"<p>五、存在的主要问题及改进情况</p><p>{rep.agency}</p><p>{rep.year + 1}年1月20日</p></body></html>")
