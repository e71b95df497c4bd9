"""P-1 statements read from sentences of real reports (quoted from the stored copies of the pages
named), and sentences whose numbers must not be read as a table's cells."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract import prose

V21 = {"active_disclosure": "v2021", "applications": "v2021", "review_litigation": "v2021"}


def _facts(text: str) -> dict[str, set[Decimal]]:
    out: dict[str, set[Decimal]] = {}
    for s in prose.statements(text, V21):
        out.setdefault(s.fact.name, set()).add(s.value)
    return out


@pytest.mark.parametrize(("source", "sentence", "want"), [
    ("http://www.panyu.gov.cn/gkmlpt/content/10/10099/post_10099135.html",
     "2024年共办理政府信息公开申请80件,同比增长5.26%;上年结转2件,结转下年办理8件。因政府信息公开申请被行政复议5宗、"
     "行政诉讼0宗,其中2宗维持原答复,1宗结果纠正,1宗其他结果,1宗尚未审结。",
     {"carried_over": {2}, "carried_forward": {8}, "review_total": {5}, "suit_total": {0}}),  # 办理 is not 新收
    ("https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/content/post_10121234.html (mirror, traditional)",
     "2024年,全區共收到政府信息公開申請1326宗(未包含上年結轉42宗),其中已辦結1308宗,結轉下年辦理60宗。"
     "辦理信息公開類行政復議96宗、行政訴訟30宗。",
     {"new_received": {1326}, "carried_over": {42}, "carried_forward": {60}, "review_total": {96}, "suit_total": {30}}),
    ("http://www.plomaipel.com/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/content/post_10693861.html (番禺 2025, mirror)",
     "2025年,共新收政府信息公开申请1408件,结转上年度172件,办结1519件,结转下年度61件;规范处置行政复议105件、行政诉讼14件。",
     {"new_received": {1408}, "carried_over": {172}, "carried_forward": {61}, "review_total": {105},
      "suit_total": {14}}),  # 办结 is not read: some reports count 结转下年度 in it
    ("KIROGOVCOMPARE shanghai-office-sample-source.md (2025 上海市政府办公厅)",
     "市政府共受理政府信息公开申请 1295 件，办结 1191 件（含\n上年结转 189 件），均在法定期限内答复。其中，予以公开及部\n"
     "分公开 208 件（17.46%），不予公开 20 件（1.68%）。",
     {"new_received": {1295}, "carried_over": {189}, "withheld_total": {20}}),  # 予以公开及部分公开: neither
    ("KIROGOVCOMPARE kewei-2024-source.md (2024 上海市科委)",
     "2024 年市科委有 1 件涉及政府信息公开工作的行政复\n议，该行政复议件未被复议审查机关纠错。",
     {"review_total": {1}}),
    ("html_2023_fujian_pingtan_gov.html (shared corpus)",
     "清理并集中发布现行有效行政规范性文件393件,动态更新本年度制发的规范性文件77件。",
     {"normative_documents.in_force_count": {393}, "normative_documents.issued_count": {77}}),
])
def test_statements_of_real_sentences(source: str, sentence: str, want: dict[str, set[int]]) -> None:
    assert _facts(sentence) == {k: {Decimal(v) for v in vs} for k, vs in want.items()}, source


@pytest.mark.parametrize("sentence", [
    "全年办理行政复议案件120件。",  # an agency's own caseload: no 信息公开 in the sentence
    "依申请公开信息数量较上年增加21件。",
    "制发文件88件。",  # 文件 is not 规范性文件
    "本年度共主动公开政府信息13561条。",
])
def test_sentences_that_state_no_cell(sentence: str) -> None:
    assert _facts(sentence) == {}


def test_the_narrative_ends_where_the_tables_begin() -> None:
    text = "一、总体情况\n收到政府信息公开申请21件。\n二、主动公开政府信息情况\n第二十条 第（一）项\n收到政府信息公开申请99件"
    assert _facts(text) == {"new_received": {Decimal(21)}}
