"""The demo portal's generated reports: v2021 tables whose numbers satisfy the form's identities
(format-spec.md §3.1), so later pipeline stages get a meaningful end-to-end fixture."""

from __future__ import annotations

import random

import pytest
from selectolax.lexbor import LexborHTMLParser

from crawler.demo_report import _T3_OUTCOMES, T3_COLS, report_html, report_numbers


@pytest.mark.parametrize("seed", range(30))
def test_identities_hold(seed: int) -> None:
    n = report_numbers(random.Random(seed))
    for c in T3_COLS:
        t3 = {row: vals[c] for row, vals in n.t3.items()}
        assert t3["new_received"] + t3["carried_over"] == t3["results_total"] + t3["carried_forward"]  # T3-A
        assert t3["results_total"] == sum(t3[k] for k, _l, _g in _T3_OUTCOMES)  # T3-B
    for row, vals in n.t3.items():
        assert vals["total"] == sum(vals[c] for c in T3_COLS[:-1]), row  # T3-C
    for g in ("review", "suit_direct", "suit_after_review"):
        assert n.t4[f"{g}_total"] == sum(n.t4[f"{g}_{x}"] for x in ("upheld", "corrected", "other", "pending"))
    assert all(v >= 0 for vals in n.t3.values() for v in vals.values())


def test_html_has_the_three_tables_in_printed_shape() -> None:
    n = report_numbers(random.Random(1))
    html = report_html("某县财政局", 2023, n)
    tree = LexborHTMLParser(html)
    t2, t3, t4 = (tree.css_first(f"table.{c}") for c in ("t2", "t3", "t4"))
    assert t2 is not None and t3 is not None and t4 is not None
    assert len(t3.css("tr")) == 3 + 2 + 21 + 2  # header rows + 一二 + outcome rows (v2021) + 七 and 四
    last_row = [int(td.text()) for td in t3.css("tr")[-1].css("td")[1:]]
    assert last_row == [n.t3["carried_forward"][c] for c in T3_COLS]
    assert len(t4.css("tr")[-1].css("td")) == 15
    for label in ("一、总体情况", "六、其他需要报告的事项", "自然人", "商业企业", "科研机构", "社会公益组织",
                  "法律服务机构", "（七）总计", "三、本年度办理结果", "复议后起诉", "本年收费金额（单位：万元）"):
        assert label in html
    title = tree.css_first("title")
    assert title is not None and title.text() == "某县财政局2023年政府信息公开工作年度报告"
