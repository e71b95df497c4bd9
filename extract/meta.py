"""Report metadata from title, body and signature: agency, year, publication date, kind.

The report year is the year reported on; the publication date is normally the following
year. Contradictions (a report signed before its year ended) become issues, not corrections.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from gongkai.model import Issue

_TITLE_LINE = re.compile(r"^\s*(?:标题|標題)\s*[:：]\s*(.+)$", re.M)
_PUB_LINE = re.compile(r"(?:发布时间|發布時間|发布日期|發布日期|PubDate)\s*[:：]?\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_REPORT_TITLE = re.compile(r"(?:信息公开|信息公開).{0,8}(?:年度报告|年度報告|工作报告|工作報告|年报|年報)")
_NOT_REPORT = re.compile(r"解读|解讀|通知|格式|公积金|公積金|的函|函$|意见|办法|条例|绩效|要点")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_PERIOD = re.compile(r"统计期限?(?:为|是)?自?\s*((?:19|20)\d{2})\s*年")
_SIGN_AGENCY = re.compile(r"([\u4e00-\u9fff（）()]{3,40}?(?:人民政府|管委会|委员会|办公室|办公厅|政府|局|委|办|厅|署|院|中心|街道办事处|街道|镇|乡|所|会))\s*$")
_TITLE_AGENCY = re.compile(r"^(?:关于)?(.*?)(?:(?:19|20)\d{2}\s*年度?)")


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


def read_meta(text: str, title: str | None, html_meta: dict[str, str]) -> Meta:
    meta = Meta()
    if title is None:
        m = _TITLE_LINE.search(text[:2000])
        title = m.group(1).strip() if m else None
    if title is None:
        first = next((ln.strip() for ln in text.splitlines()[:15] if _REPORT_TITLE.search(ln) and len(ln) < 80), None)
        title = first
    meta.title = title
    if title:
        if _NOT_REPORT.search(title):
            meta.is_report = False
        elif _REPORT_TITLE.search(title):
            meta.is_report = True
        ym = _YEAR_IN_TITLE.search(title)
        if ym:
            meta.year = int(ym.group(1))
        am = _TITLE_AGENCY.match(title)
        if am and len(am.group(1).strip()) >= 2:
            meta.agency = am.group(1).strip()
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
        if src:
            meta.agency = src.strip()
    if meta.year is not None:
        for label, d in (("signature date", sign_date), ("publication date", meta.published)):
            if d and d < f"{meta.year}-12-31":
                meta.issues.append(Issue("date_before_year_end",
                                         f"{label} {d} precedes the end of the reporting year {meta.year}"))
                break
    return meta
