"""Generate realistic report pages for the demo portal: the six sections and valid v2021 tables
(表二 主动公开, 表三 依申请 with 7 applicant columns, 表四 复议诉讼) with random numbers that satisfy
the form's own identities (format-spec.md §2–§3). Labels are written out here as printed text;
the crawler never imports the schema registry."""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["ReportNumbers", "report_html", "report_numbers"]

T3_COLS = ("natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
           "legal_service_org", "other_org", "total")
_T3_OUTCOMES = (
    ("granted", "（一）予以公开", None),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    ("withheld_state_secret", "1.属于国家秘密", "（三）不予公开"),
    ("withheld_prohibited_by_law", "2.其他法律行政法规禁止公开", "（三）不予公开"),
    ("withheld_security_stability", "3.危及“三安全一稳定”", "（三）不予公开"),
    ("withheld_third_party_rights", "4.保护第三方合法权益", "（三）不予公开"),
    ("withheld_internal_affairs", "5.属于三类内部事务信息", "（三）不予公开"),
    ("withheld_process_info", "6.属于四类过程性信息", "（三）不予公开"),
    ("withheld_enforcement_file", "7.属于行政执法案卷", "（三）不予公开"),
    ("withheld_admin_inquiry", "8.属于行政查询事项", "（三）不予公开"),
    ("unavailable_not_held", "1.本机关不掌握相关政府信息", "（四）无法提供"),
    ("unavailable_needs_creation", "2.没有现成信息需要另行制作", "（四）无法提供"),
    ("unavailable_still_unclear", "3.补正后申请内容仍不明确", "（四）无法提供"),
    ("not_processed_petition", "1.信访举报投诉类申请", "（五）不予处理"),
    ("not_processed_duplicate", "2.重复申请", "（五）不予处理"),
    ("not_processed_publication", "3.要求提供公开出版物", "（五）不予处理"),
    ("not_processed_excessive", "4.无正当理由大量反复申请", "（五）不予处理"),
    ("not_processed_confirm_reissue", "5.要求行政机关确认或重新出具已获取信息", "（五）不予处理"),
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    ("other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    ("other_misc", "3.其他", "（六）其他处理"),
)
_T4_GROUPS = ("review", "suit_direct", "suit_after_review")
_T4_LEAVES = ("upheld", "corrected", "other", "pending", "total")


@dataclass(frozen=True)
class ReportNumbers:
    t2: dict[str, int | float]
    t3: dict[str, dict[str, int]]  # row_key → col_key → value
    t4: dict[str, int]


def report_numbers(rng: random.Random) -> ReportNumbers:
    t2: dict[str, int | float] = {
        "regulations.issued_count": rng.randint(0, 2), "regulations.repealed_count": rng.randint(0, 1),
        "regulations.in_force_count": rng.randint(0, 9),
        "normative_documents.issued_count": rng.randint(0, 12), "normative_documents.repealed_count": rng.randint(0, 3),
        "normative_documents.in_force_count": rng.randint(5, 60),
        "admin_licensing.decisions": rng.randint(0, 3000), "admin_penalty.decisions": rng.randint(0, 400),
        "admin_coercion.decisions": rng.randint(0, 50), "admin_fees.fee_amount": round(rng.uniform(0, 300), 2),
    }
    t3: dict[str, dict[str, int]] = {}
    for c in T3_COLS[:-1]:
        weight = 8 if c == "natural_person" else 2
        for key, _label, _group in _T3_OUTCOMES:
            t3.setdefault(key, {})[c] = rng.choice([0, 0, 0, 1, rng.randint(0, weight)])
        results = sum(t3[k][c] for k, _l, _g in _T3_OUTCOMES)
        t3.setdefault("results_total", {})[c] = results
        fwd = rng.randint(0, 2) if results else 0
        t3.setdefault("carried_forward", {})[c] = fwd
        carried = rng.randint(0, results + fwd) if results + fwd else 0
        t3.setdefault("carried_over", {})[c] = carried
        t3.setdefault("new_received", {})[c] = results + fwd - carried
    for row in t3.values():
        row["total"] = sum(row[c] for c in T3_COLS[:-1])
    t4: dict[str, int] = {}
    for g in _T4_GROUPS:
        parts = [rng.choice([0, 0, 1, rng.randint(0, 4)]) for _ in range(4)]
        for leaf, v in zip(_T4_LEAVES, [*parts, sum(parts)], strict=True):
            t4[f"{g}_{leaf}"] = v
    return ReportNumbers(t2, t3, t4)


def _t2(n: ReportNumbers) -> str:
    v = n.t2
    return f"""<table border="1" class="t2"><tbody>
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>{v['regulations.issued_count']}</td><td>{v['regulations.repealed_count']}</td><td>{v['regulations.in_force_count']}</td></tr>
<tr><td>行政规范性文件</td><td>{v['normative_documents.issued_count']}</td><td>{v['normative_documents.repealed_count']}</td><td>{v['normative_documents.in_force_count']}</td></tr>
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政许可</td><td colspan="3">{v['admin_licensing.decisions']}</td></tr>
<tr><td colspan="4">第二十条第（六）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政处罚</td><td colspan="3">{v['admin_penalty.decisions']}</td></tr>
<tr><td>行政强制</td><td colspan="3">{v['admin_coercion.decisions']}</td></tr>
<tr><td colspan="4">第二十条第（八）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年收费金额（单位：万元）</td></tr>
<tr><td>行政事业性收费</td><td colspan="3">{v['admin_fees.fee_amount']}</td></tr>
</tbody></table>"""


def _cells(row: dict[str, int]) -> str:
    return "".join(f"<td>{row[c]}</td>" for c in T3_COLS)


def _t3(n: ReportNumbers) -> str:
    rows = [
        '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
        '<td colspan="7">申请人情况</td></tr>',
        '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
        "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>",
        f'<tr><td colspan="3">一、本年新收政府信息公开申请数量</td>{_cells(n.t3["new_received"])}</tr>',
        f'<tr><td colspan="3">二、上年结转政府信息公开申请数量</td>{_cells(n.t3["carried_over"])}</tr>',
    ]
    first = True
    group_done: set[str] = set()
    sizes = {g: sum(1 for _k, _l, gg in _T3_OUTCOMES if gg == g) for _k, _l, g in _T3_OUTCOMES if g}
    for key, label, group in _T3_OUTCOMES:
        head = '<td rowspan="22">三、本年度办理结果</td>' if first else ""
        first = False
        if group is None:
            rows.append(f'<tr>{head}<td colspan="2">{label}</td>{_cells(n.t3[key])}</tr>')
        else:
            g = "" if group in group_done else f'<td rowspan="{sizes[group]}">{group}</td>'
            group_done.add(group)
            rows.append(f"<tr>{head}{g}<td>{label}</td>{_cells(n.t3[key])}</tr>")
    rows.append(f'<tr><td colspan="2">（七）总计</td>{_cells(n.t3["results_total"])}</tr>')
    rows.append(f'<tr><td colspan="3">四、结转下年度继续办理</td>{_cells(n.t3["carried_forward"])}</tr>')
    return '<table border="1" class="t3"><tbody>\n' + "\n".join(rows) + "\n</tbody></table>"


def _t4(n: ReportNumbers) -> str:
    leaves = "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>"
    values = "".join(f"<td>{n.t4[f'{g}_{leaf}']}</td>" for g in _T4_GROUPS for leaf in _T4_LEAVES)
    return f"""<table border="1" class="t4"><tbody>
<tr><td colspan="5" rowspan="2">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr>{leaves}{leaves}{leaves}</tr>
<tr>{values}</tr>
</tbody></table>"""


def report_html(agency: str, year: int, numbers: ReportNumbers, *, charset: str = "utf-8",
                attachments: tuple[tuple[str, str], ...] = ()) -> str:
    title = f"{agency}{year}年政府信息公开工作年度报告"
    links = "".join(f'<p>附件：<a href="{href}">{name}</a></p>' for href, name in attachments)
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset}"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{year + 1}-01-20 10:00"><title>{title}</title></head>
<body><div class="header">无障碍 | 长者版</div>
<h1>{title}</h1>
<div class="xxgk-meta">索引号：000014349/{year + 1}-00001　发布机构：{agency}　发布日期：{year + 1}-01-20</div>
<div id="zoom" class="TRS_Editor">
<p>本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国办公开办函〔2021〕30号要求编制。</p>
<h2>一、总体情况</h2><p>{year}年，{agency}认真贯彻落实《条例》，扎实推进政务公开工作。</p>
<h2>二、主动公开政府信息情况</h2>{_t2(numbers)}
<h2>三、收到和处理政府信息公开申请情况</h2>{_t3(numbers)}
<h2>四、政府信息公开行政复议、行政诉讼情况</h2>{_t4(numbers)}
<h2>五、存在的主要问题及改进情况</h2><p>一是公开内容还不够全面；二是解读形式较为单一。</p>
<h2>六、其他需要报告的事项</h2><p>本年度未收取信息处理费。</p>
{links}
</div><div class="footer">网站地图 | ICP备案</div></body></html>"""
