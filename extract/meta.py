"""Report metadata from title, body and signature: agency, year, publication date, kind.

The report year is the year reported on; the publication date is normally the following
year. Contradictions (a report signed before its year ended) become issues, not corrections.

An agency is only ever a name: it ends in an organ suffix (局, 人民政府, 街道办事处 …), or it is
the prefix of a title-form name (`XX2023年政府信息公开工作年度报告`, `XX关于…`). Anything else
(a sentence fragment of a line the title detector took for a title) is not an agency, and a year
printed after a name (`柘城县发改委2017`) is not part of it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from gongkai.classify import classify_document, classify_title
from gongkai.model import Issue

_TITLE_LINE = re.compile(r"^\s*(?:标题|標題)\s*[:：]\s*(.+)$", re.M)
_REPORT_TITLE = re.compile(r"(?:信息公开|信息公開).{0,8}(?:年度报告|年度報告|工作报告|工作報告|年报|年報)")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_PERIOD = re.compile(r"统计期限?(?:为|是)?自?\s*((?:19|20)\d{2})\s*年")
_CHROME = re.compile(r"[>|＞]|当前(?:位置|页面)|首页")
# A line of prose, not a title: it cites a document or starts a sentence.
_PROSE = re.compile(r"[《》〈〉<>。；;，,]|^(?:根据|依据|按照|为|现)")

# Where an agency name may end. Places (区, 县 …) only count in a title-form name.
_ORGAN_END = (
    "人民政府", "政府", "管委会", "委员会", "办公室", "办公厅", "办事处", "街道", "局", "委", "办", "厅", "署",
    "院", "中心", "镇", "乡", "所", "会", "处", "站", "队", "馆", "部", "室", "司", "社区",
)
_PLACE_END = ("区", "县", "市", "州", "盟", "旗", "自治区", "省")
# The report speaking of itself (现公布我局2022年…报告, 本街道办事处, 我县人民政府): a pronoun and nothing but organ or
# place words is no name (本溪市人民政府 is: 溪 is neither).
_SELF_REFERENCE = re.compile(
    "^[我本该該贵貴此](?:" + "|".join(sorted(_ORGAN_END + _PLACE_END + ("单位", "單位", "机关", "機關"), key=len, reverse=True))
    + ")+$")
_NAME = re.compile(r"^[\u4e00-\u9fff（）()]{2,40}$")
_YEAR = r"(?:19|20)\d{2}"
_TRAILING_YEAR = re.compile(rf"\s*{_YEAR}\s*(?:年度|年|度)?$")
# A title-form name: XX2023年…报告, XX关于…, 2023年度XX…信息公开…
_TITLE_PREFIX = re.compile(rf"^(?:关于)?(.+?)\s*(?:{_YEAR}\s*(?:年度|年|度)?|关于)")
_YEAR_FIRST = re.compile(rf"^{_YEAR}\s*(?:年度|年|度)?\s*(.*?)(?:信息公开|信息公開)")
_NO_YEAR = re.compile(r"^(.*?)(?:政府信息公开|信息公开)")
# A statement of the report in the first lines: 现公布泰州市人民政府2017年政府信息公开工作年度报告,
# 现特向社会公布2024年合水镇人民政府信息公开工作年度报告, 现发布《东宝区2024年…年度报告》
_STATEMENT = re.compile(
    rf"([\u4e00-\u9fff（）()]{{0,40}}?)\s*({_YEAR})\s*(?:年度|年|度)?\s*([\u4e00-\u9fff（）()]{{0,40}}?)"
    r"(?:信息公开|信息公開)(?:工作)?(?:年度)?(?:工作)?(?:报告|報告)")
_VERBS = re.compile(r"^.*(?:公布|发布|编制|印发|公开|制定|报告|现将)")

_SIGN_AGENCY = re.compile(r"([\u4e00-\u9fff（）()]{2,40}?)\s*$")
_SOURCE_LINE = re.compile(r"(?:信息来源|来源|發布機構|发布机构)\s*[:：]\s*([\u4e00-\u9fff（）()]{2,30})")

# Page lines that carry the publication date, best first. 成文/发文 is when it was written, 生成 and
# 更新 when the page was made or touched: used only when nothing better is printed. A bare 日期/时间
# is the page's date where it starts a field: at the start of a line or after a gap, or after the
# page's 来源 field on the same line (`来源：平潭综合实验区管委会办公室 时间：2025-03-10`, whose space a PDF
# or Word rendering drops between Chinese characters); 统计时间 and 时间段 are the report's period.
_DATE_VALUE = r"[\s:：|]*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
_DATE_LABELS = (
    r"发布时间|发布日期|發布時間|發布日期|发表日期|发表时间|公开日期|公開日期|PubDate",
    r"发文日期|成文日期|印发日期",
    r"(?<![\u4e00-\u9fff])(?:日期|时间)|(?:来源|來源)\s*[:：][^\n:：]{1,40}?(?<!统计)(?:日期|时间|時間)",
    r"生成日期|更新日期|更新时间|更新時間",
)
_DATE_LINES = [re.compile(rf"(?:{labels}){_DATE_VALUE}") for labels in _DATE_LABELS]
# A date printed alone under the title (`• 2025-02-10 15:59`).
_BARE_DATE = re.compile(r"^[•·\s]*((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$")


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


def _clean_name(name: str) -> str | None:
    """The name without a year after it and without spaces, if it is a plain name at all."""
    name = _TRAILING_YEAR.sub("", "".join(name.split()))
    if _SELF_REFERENCE.match(name):
        return None
    return name if _NAME.match(name) and not name.startswith("关于") else None


def is_organ_name(name: str) -> bool:
    """A name that ends like the name of a government body (not a place, not a fragment)."""
    clean = _clean_name(name)
    return clean is not None and len(clean) >= 3 and clean.endswith(_ORGAN_END)


def _title_agency(title: str) -> str | None:
    """The agency a title-form name starts with (or carries after a leading year)."""
    t = "".join(title.split())
    m = _YEAR_FIRST.match(t)
    if m:
        name = m.group(1)
        if name.endswith("政府") and not name.endswith("人民政府"):
            name = name[: -len("政府")]  # 2022年上海市政府信息公开…: the phrase, not the organ
        return _clean_name(name)
    m = _TITLE_PREFIX.match(t) or _NO_YEAR.match(t)
    if not m:
        return None
    name = m.group(1)
    return _clean_name(name) if not name[:1].isdigit() else None


def _statement_agency(lines: list[str]) -> str | None:
    """The agency named where the first lines state which report this is."""
    for line in lines[:8]:
        for m in _STATEMENT.finditer("".join(line.split())):
            before, _year, after = m.groups()
            before = _VERBS.sub("", before)
            if after.endswith("政府") and not after.endswith("人民政府"):
                after = after[: -len("政府")]
            for name in (before, after):
                clean = _clean_name(name) if name else None
                if clean and clean.endswith(_ORGAN_END + _PLACE_END) and not clean.startswith("关于"):
                    return clean
    return None


def _title_line(lines: list[str]) -> tuple[int | None, str | None]:
    """The heading that is the report's title, joined with its first half when it is broken
    over two lines (政和县东平镇人民政府2024年政府 / 信息公开工作年度报告, or …信息公开 / 工作年度报告). A heading that names the
    agency wins over one that does not (盐边县新九镇人民政府 / 关于2021年度…的年度报告)."""
    found: list[tuple[int, str]] = []
    for i, raw in enumerate(lines):
        ln = raw.rstrip(" |")
        if not _REPORT_TITLE.search(ln) and i + 1 < len(lines) and len(ln) <= 40:
            # broken before its last words: 2025 年上海市人民政府办公厅政府信息公开 / 工作年度报告
            joined = ln + lines[i + 1].rstrip(" |")
            if _REPORT_TITLE.search(joined) and not _REPORT_TITLE.search(lines[i + 1]):
                ln = joined
        if not _REPORT_TITLE.search(ln) or len(ln) >= 80 or _CHROME.search(ln) or _PROSE.search(ln):
            continue
        if i > 0 and not _title_agency(ln):
            prev = lines[i - 1].rstrip(" |")
            if len(prev) <= 40 and not _PROSE.search(prev) and (
                    is_organ_name(prev) or re.search(rf"{_YEAR}\s*年度?\s*(?:政府)?$", prev)):
                ln = prev + ln
        found.append((i, ln))
    best = next((f for f in found if _title_agency(f[1])), found[0] if found else None)
    return best if best else (None, None)


def _published(head: str, lines: list[str], title_at: int | None) -> str | None:
    for pattern in _DATE_LINES:
        m = pattern.search(head)
        if m:
            iso = _iso(*m.groups())
            if iso:
                return iso
    if title_at is not None:
        for ln in lines[title_at + 1: title_at + 5]:
            m = _BARE_DATE.match(ln)
            if m:
                return _iso(*m.groups())
    return None


def read_meta(text: str, title: str | None, html_meta: dict[str, str]) -> Meta:
    meta = Meta()
    if title is None:
        m = _TITLE_LINE.search(text[:2000])
        title = m.group(1).strip() if m else None
    lines = [ln.strip() for ln in text.splitlines()[:60] if ln.strip()]
    at, heading = _title_line(lines)
    if title is None or (heading and classify_title(title).is_report is not False
                         and not _title_agency(title) and _title_agency(heading)):
        title = heading or title
    meta.title = title
    if title:
        meta.is_report = classify_document(title, text).is_report  # the crawler's rules too (gongkai.classify)
        ym = _YEAR_IN_TITLE.search(title)
        if ym:
            meta.year = int(ym.group(1))
        meta.agency = _title_agency(title)
    if meta.agency is None:
        meta.agency = _statement_agency(lines)
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
                if sm and len(tail[i - 1]) <= 40 and is_organ_name(sm.group(1)):
                    meta.agency = _clean_name(sm.group(1))
    pub = html_meta.get("PubDate") or html_meta.get("pubdate")
    if pub:
        pm2 = re.match(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", pub.strip())
        meta.published = _iso(*pm2.groups()) if pm2 else None
    if meta.published is None:
        meta.published = _published(text[:6000], lines, at)
    if meta.published is None and sign_date:
        meta.published = sign_date
    if meta.agency is None:
        src = (html_meta.get("ContentSource") or "").strip()
        sm2 = _SOURCE_LINE.search(text[:3000])
        if src and is_organ_name(src):
            meta.agency = _clean_name(src)
        elif sm2 and is_organ_name(sm2.group(1)):
            meta.agency = _clean_name(sm2.group(1))
    if meta.year is not None:
        for label, d in (("signature date", sign_date), ("publication date", meta.published)):
            if d and d < f"{meta.year}-12-31":
                meta.issues.append(Issue("date_before_year_end",
                                         f"{label} {d} precedes the end of the reporting year {meta.year}"))
                break
    return meta
