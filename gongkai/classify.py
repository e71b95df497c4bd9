"""Is this title (or document) an annual disclosure report, and for which year? One answer for the
crawler (which links to fetch as reports) and the extractor (the not-a-report decision).

A title is normalized through `gongkai.normalize` (NFKC, OpenCC traditional → simplified, no
whitespace) and then read by a few rules, each with a name that is recorded as the reason:

- `report`: the title names the disclosure report (portals.md §A5 and the variants of issue 11:
  政府信息公开工作年度报告, …公开年度报告, 信息公开工作2017年度报告, 政府信息工作年度报告 (公开
  missing), 政府信息年度报告, 2016年政务公开年度报告, 2023年…信息公开年报, 年度报告（2024年）);
- `maybe`: report-like but not specific (政务公开报告, 信息公开报告, 2023年度报告): fetch it and let the
  body decide (`looks_like_report_body`);
- `rejected`: a look-alike with a reason (解读, 函, 通知, 格式, 公积金 …);
- `unrelated`: nothing report-like (a column name, a menu item).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from gongkai.normalize import simplify, simplify_document

__all__ = ["Verdict", "classify_document", "classify_title", "is_report_title", "looks_like_report_body",
           "normalize_title", "report_year"]

_SPACE = re.compile(r"[\s\u3000\xa0]+")
_YEAR = r"(?:19|20)\d{2}"

# Each rule: (reason, pattern), first match wins. Titles are normalized first (no spaces).
_REJECT: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(p)) for name, p in (
    ("interpretation", r"解读|图解|读懂|问答|一图|答记者问"),
    ("letter", r"的函|复函|函$"),
    ("notice", r"通知|关于印发|关于做好|关于开展|通报"),
    ("template", r"格式|编制|模板|样本|范本"),
    ("other_annual_report", r"公积金|绩效|上市公司|股份有限公司|企业年度报告|决算|预算|统计公报|年鉴|社会责任报告"),
    ("other_document", r"条例|办法|规定|意见|目录$|指南|要点|工作方案|征求意见|评估|考核|培训"),
))
_REPORT: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(p)) for name, p in (
    # 政府信息公开工作年度报告, 信息公开年度报告, 信息公开工作2017年度报告, …工作报告, 年度报告（2024年）
    ("disclosure_report", rf"信息公开(?:工作)?(?:{_YEAR}年度?报告|年度报告|工作报告)"),
    ("disclosure_report_no_gongkai", r"政府信息(?:工作)?年度报告"),  # 政府信息工作年度报告, 政府信息年度报告
    ("disclosure_nianbao_with_year", rf"{_YEAR}年度?.*(?:信息公开|政务公开)年报"),
    ("zhengwu_report_with_year", rf"{_YEAR}年度?.*政务公开(?:工作)?年度报告|政务公开(?:工作)?{_YEAR}年度?报告"),
))
_MAYBE: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(p)) for name, p in (
    ("openness_report", r"(?:政务公开|信息公开|政府信息)(?:工作)?(?:情况)?(?:年度)?报告"),
    ("year_annual_report", rf"^{_YEAR}年度?(?:年度)?报告$"),
))
_YEAR_IN = re.compile(rf"({_YEAR})年")
_JOINERS = re.compile(r"[_|｜]+")


@dataclass(frozen=True)
class Verdict:
    kind: str  # report | maybe | rejected | unrelated
    reason: str  # the rule that decided, e.g. "report:disclosure_report", "rejected:interpretation"
    year: int | None = None

    @property
    def is_report(self) -> bool | None:
        """True for a report title, False for a named look-alike, None when the title cannot tell."""
        return {"report": True, "rejected": False}.get(self.kind)

    @property
    def fetch_as_report(self) -> bool:
        """The crawler fetches these as reports (and never as columns)."""
        return self.kind in ("report", "maybe")


def normalize_title(title: str) -> str:
    """NFKC, traditional → simplified (OpenCC), pinyin annotations and all whitespace removed."""
    t = _SPACE.sub("", title)
    if not t:
        return ""
    return simplify(t).replace("资讯", "信息")  # Taiwan mirrors write 資訊公開 for 信息公开


def report_year(title: str | None, url: str | None = None) -> int | None:
    """The reporting year printed in the title (not the publish date); else a `fbtime=` URL parameter."""
    if title:
        m = _YEAR_IN.search(normalize_title(title))
        if m:
            return int(m.group(1))
    if url:
        for k, v in parse_qsl(urlsplit(url).query):
            if k == "fbtime" and re.fullmatch(_YEAR, v):
                return int(v)
    return None


def classify_title(title: str | None, url: str | None = None) -> Verdict:
    t = normalize_title(title or "")
    if not t:
        return Verdict("unrelated", "empty_title", report_year(None, url))
    # A page <title> joins the document title with column and site names ("…年度报告_通知公告_某市"):
    # the segment that names a report decides, so a column name does not reject the report.
    parts = [p for p in _JOINERS.split(t) if p]
    if len(parts) > 1:
        naming = [p for p in parts if _names_report(p)]
        return _classify(naming[0] if naming else parts[0], url)
    return _classify(t, url)


def _names_report(t: str) -> bool:
    return any(pat.search(t) for _n, pat in (*_REPORT, *_MAYBE))


def _classify(t: str, url: str | None) -> Verdict:
    year = report_year(t, url)
    for name, pat in _REJECT:
        if pat.search(t):
            return Verdict("rejected", f"rejected:{name}", year)
    for name, pat in _REPORT:
        if pat.search(t):
            return Verdict("report", f"report:{name}", year)
    for name, pat in _MAYBE:
        if pat.search(t):
            return Verdict("maybe", f"maybe:{name}", year)
    return Verdict("unrelated", "no_report_phrase", year)


def is_report_title(title: str) -> bool:
    return classify_title(title).kind == "report"


# The six sections of the national format and the pre-2019 outlines (portals.md §A1; the 2011-2018
# Pingtan reports of the corpus), and labels only the statistical tables carry (both forms, and the
# items of 第二十条 in 表二). Three distinct ones make a disclosure report body.
_BODY_MARKS = tuple(re.compile(p) for p in (
    r"总体情况", r"主动公开政府信息(?:的)?情况", r"收到和处理政府信息公开申请(?:的)?情况",
    r"政府信息公开行政复议[、,，]?行政诉讼(?:的)?情况", r"存在的主要问题及改进情况", r"其他需要报告的事项",
    r"[一二]、概述", r"依申请公开(?:政府信息)?(?:工作)?(?:的)?情况|依申请公开、不予公开", r"政府信息公开情况统计表",
    r"申请行政复议[、,，]?提起行政诉讼", r"政府信息公开的收费及减免情况", r"主要问题和改进措施",
    r"本年新收政府信息公开申请数量", r"上年结转政府信息公开申请数量", r"本年度办理结果",
    r"本年新?制作数量|对外公开总数量", r"本年制发件数|现行有效件数", r"处理决定数量",
    r"未经复议直接起诉", r"复议后起诉",
))
_ARTICLE_20 = re.compile(r"第二十条第[（(]([一二三四五六七八九])[)）]项")


def _marks(sample: str) -> int:
    """Distinct marks: each heading or label once, each 第二十条 item of 表二 once."""
    return sum(1 for pat in _BODY_MARKS if pat.search(sample)) + len(set(_ARTICLE_20.findall(sample)))


def looks_like_report_body(text: str) -> bool:
    """The body carries the report's own structure (section headings, table labels), not just its title.
    A list page naming many reports has titles, not these. Read as printed first; only a text that
    OpenCC would change (traditional script) is converted, and only its first 100k characters."""
    if not text:
        return False
    sample = _SPACE.sub("", unicodedata.normalize("NFKC", text[:100_000]))
    if _marks(sample) >= 3:
        return True
    head = sample[:2000]
    if simplify_document(head) == head:
        return False  # simplified already: converting would not find more
    return _marks(simplify_document(sample)) >= 3


def classify_document(title: str | None, body: str) -> Verdict:
    """A title verdict, with the body deciding when the title is only report-like (`maybe`):
    a 政务公开报告 whose body is the disclosure report is one."""
    v = classify_title(title)
    if v.kind != "maybe":
        return v
    if looks_like_report_body(body):
        return Verdict("report", v.reason + "+body", v.year)
    return Verdict("rejected", v.reason + "+body_not_report", v.year)
