"""Is this link a report? Title patterns (portals.md §A5), report year, host allow-list, canonical URLs."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = [
    "canonical_url",
    "host_allowed",
    "is_column_title",
    "is_private_host",
    "is_report_title",
    "report_year",
]

# traditional → simplified for the handful of characters that occur in report titles on mirrors
_T2S = str.maketrans({"開": "开", "報": "报", "資": "资", "訊": "讯", "與": "与", "關": "关",
                      "於": "于", "讀": "读", "議": "议", "規": "规", "範": "范", "積": "积", "務": "务",
                      "縣": "县", "區": "区", "鎮": "镇", "鄉": "乡", "辦": "办", "處": "处", "廳": "厅",
                      "門": "门", "財": "财", "統": "统", "計": "计", "圖": "图", "說": "说"})

_SPACE = re.compile(r"[\s\u3000\xa0]+")

# A report title names the disclosure report. Forms seen: 政府信息公开工作年度报告, 政府信息公开年度报告,
# 信息公开工作年度报告, 年度…信息公开工作报告, 政务公开…年度报告 is NOT the same thing (rejected below).
_REPORT = re.compile(
    r"(?:政府)?信息公开(?:工作)?(?:年度)?报告"
    r"|(?:19|20)\d{2}\s*年度?.*信息公开年报"  # 年报 counts only with a year; bare it is a column label
)
_REJECT = re.compile(
    r"解读|图解|读懂|问答|通知|关于印发|关于做好|关于开展|格式|编制|模板|样本|公积金|绩效|上市公司|企业年度报告"
    r"|条例|办法|规定|目录|指南|评估|考核|征求意见|工作要点|工作方案|统计公报|年鉴|决算|预算"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_COLUMN = re.compile(r"(?:公开|信息公开|部门|乡镇|街道|政府|单位|区县|县区|市级|镇街)?年报$|年度报告$|^(?:19|20)\d{2}\s*年度?$")


def normalize_title(title: str) -> str:
    return _SPACE.sub("", title.replace("資訊", "信息").translate(_T2S))


def is_report_title(title: str) -> bool:
    t = normalize_title(title)
    if not _REPORT.search(t):
        return False
    return not _REJECT.search(t)


def report_year(title: str | None, url: str | None = None) -> int | None:
    """The reporting year printed in the title (not the publish date); else a `fbtime=` URL parameter."""
    if title:
        m = _YEAR.search(normalize_title(title))
        if m:
            return int(m.group(1))
    if url:
        for k, v in parse_qsl(urlsplit(url).query):
            if k == "fbtime" and re.fullmatch(r"(?:19|20)\d{2}", v):
                return int(v)
    return None


def is_column_title(title: str) -> bool:
    """A link to a report column or year folder (navigate into it), not a report itself."""
    t = normalize_title(title)
    if not t or len(t) > 20 or is_report_title(t):
        return False
    return bool(_COLUMN.search(t)) and not _REJECT.search(t)


def is_private_host(host: str) -> bool:
    h = host.strip("[]").lower()
    if h in ("localhost",) or h.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(h)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast \
        or ip.is_unspecified


def host_allowed(host: str, extra: frozenset[str] | set[str] = frozenset()) -> bool:
    """`.gov.cn` hosts, plus hosts registered explicitly (bare-IP portals, 127.0.0.1 in tests)."""
    h = host.lower().rstrip(".")
    if h in extra:
        return True
    if is_private_host(h):
        return False
    return h == "gov.cn" or h.endswith(".gov.cn")


_DROP_PARAMS = {"ismobile", "from", "spm"}


def canonical_url(url: str) -> str:
    """Collapse URL twins: fragment, `_wap` pages, `?isMobile=true`, default ports, host case."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    path = re.sub(r"_wap(\.s?html?)$", r"\1", parts.path or "/")
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if k.lower() not in _DROP_PARAMS])
    return urlunsplit((scheme, netloc, path, query, ""))
