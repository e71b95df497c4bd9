"""Report metadata from title, body and signature: agency, year, publication date, kind.

The report year is the year reported on; the publication date is normally the following
year. Contradictions (a report signed before its year ended) become issues, not corrections.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from gongkai.classify import classify_document
from gongkai.model import Issue

_TITLE_LINE = re.compile(r"^\s*(?:标题|標題)\s*[:：]\s*(.+)$", re.M)
_PUB_LINE = re.compile(r"(?:发布时间|發布時間|发布日期|發布日期|PubDate)\s*[:：]?\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_REPORT_TITLE = re.compile(r"(?:信息公开|信息公開).{0,8}(?:年度报告|年度報告|工作报告|工作報告|年报|年報)")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_PERIOD = re.compile(r"统计期限?(?:为|是)?自?\s*((?:19|20)\d{2})\s*年")
_SIGN_AGENCY = re.compile(r"([\u4e00-\u9fff（）()]{3,40}?(?:人民政府|管委会|委员会|办公室|办公厅|政府|局|委|办|厅|署|院|中心|街道办事处|街道|镇|乡|所|会))\s*$")
_TITLE_AGENCY = re.compile(r"^(?:关于)?(.*?)(?:(?:19|20)\d{2}\s*年度?)")
_YEAR_FIRST = re.compile(r"^(?:19|20)\d{2}\s*年度?\s*(.*?)(?:政府信息公开|(?<!政府)信息公开)")
_CHROME = re.compile(r"[>|＞]|当前(?:位置|页面)|首页")
_TITLE_AGENCY_NO_YEAR = re.compile(r"^(.*?)(?:政府信息公开|信息公开)")
_SOURCE_LINE = re.compile(r"(?:来源|發布機構|发布机构)\s*[:：]\s*([\u4e00-\u9fff]{3,30})")


@dataclass
class Meta:
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    is_report: bool | None = None  # None: cannot tell from the title
    issues: list[Issue] = field(default_factory=list)


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _title_agency(title: str) -> str | None:
    m = _YEAR_FIRST.match(title) or _TITLE_AGENCY.match(title) or _TITLE_AGENCY_NO_YEAR.match(title)
    name = m.group(1).strip() if m else ""
    return name if len(name) >= 2 and not name[0].isdigit() else None


def read_meta(text: str, title: str | None, html_meta: dict[str, str]) -> Meta:
    meta = Meta()
    if title is None:
        m = _TITLE_LINE.search(text[:2000])
        title = m.group(1).strip() if m else None
    lines = [ln.strip() for ln in text.splitlines()[:40] if ln.strip()]
    at = next((i for i, ln in enumerate(lines)
               if _REPORT_TITLE.search(ln) and len(ln) < 80 and not _CHROME.search(ln)), None)
    if title is None and at is not None:
        title = lines[at]
    if title and at is not None and at > 0 and not _title_agency(title):
        # A title broken over two lines: 乌海市工业和信息化局 / 政府信息公开工作年度报告
        prev = lines[at - 1]
        if len(prev) <= 30 and _SIGN_AGENCY.search(prev):
            title = prev + title
    meta.title = title
    if title:
        meta.is_report = classify_document(title, text).is_report  # the crawler's rules too (gongkai.classify)
        ym = _YEAR_IN_TITLE.search(title)
        if ym:
            meta.year = int(ym.group(1))
        meta.agency = _title_agency(title)
    if meta.year is None:
        pm = _PERIOD.search(text)
        if pm:
            meta.year = int(pm.group(1))
    if meta.year is None:
        years = Counter(int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)", text[:20000]))
        if years:
            meta.year = years.most_common(1)[0][0]
    # The signature: the agency name and a date on the last lines.
    tail = [ln.strip() for ln in text.strip().splitlines()[-6:] if ln.strip()]
    sign_date = None
    for i, ln in enumerate(tail):
        dm = _DATE_CN.fullmatch(ln)
        if dm:
            sign_date = _iso(*dm.groups())
            if i > 0:
                sm = _SIGN_AGENCY.search(tail[i - 1])
                if sm and len(tail[i - 1]) <= 40:
                    meta.agency = sm.group(1)
    pub = html_meta.get("PubDate") or html_meta.get("pubdate")
    if pub:
        pm2 = re.match(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", pub.strip())
        meta.published = _iso(*pm2.groups()) if pm2 else None
    if meta.published is None:
        lm = _PUB_LINE.search(text[:3000])
        if lm:
            meta.published = _iso(*lm.groups())
    if meta.published is None and sign_date:
        meta.published = sign_date
    if meta.agency is None:
        src = html_meta.get("ContentSource")
        sm2 = _SOURCE_LINE.search(text[:3000])
        if src:
            meta.agency = src.strip()
        elif sm2 and _SIGN_AGENCY.search(sm2.group(1)):
            meta.agency = sm2.group(1)
    if meta.year is not None:
        for label, d in (("signature date", sign_date), ("publication date", meta.published)):
            if d and d < f"{meta.year}-12-31":
                meta.issues.append(Issue("date_before_year_end",
                                         f"{label} {d} precedes the end of the reporting year {meta.year}"))
                break
    return meta
