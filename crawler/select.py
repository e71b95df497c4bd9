"""Which links to follow: report titles (decided by the shared classifier, `gongkai.classify`),
column titles (navigate into them), the host allow-list, and canonical URLs (twins collapsed, IRIs
turned into URIs)."""

from __future__ import annotations

import re

from crawler.addrguard import address_refused
from gongkai.classify import Verdict, classify_title, normalize_title, report_year
from gongkai.store.iri import iri_to_uri
from gongkai.store.urlkey import canonical_url, twin_key

__all__ = [
    "canonical_url",
    "host_allowed",
    "is_column_title",
    "link_verdict",
    "twin_key",
    "uri_from_iri",
]

_COLUMN = re.compile(r"(?:公开|信息公开|部门|乡镇|街道|政府|单位|区县|县区|市级|镇街)?年报$|年度报告$|^(?:19|20)\d{2}年度?$")
_REPORTISH = re.compile("报告|報告|年报|年報|信息公开|信息公開|政务公开|政務公開")
# Cheap pre-tests on the raw text (both scripts), so a 100k-link page does not send every menu item
# through OpenCC: a title without these characters can be neither a report nor a column.
_MAY_MATTER = re.compile("报|報|公开|公開")
_MAY_BE_COLUMN = re.compile(r"年[报報]\s*$|年度[报報]告\s*$|^\s*(?:19|20)\d{2}\s*年度?\s*$")


def link_verdict(title: str | None, url: str | None = None) -> Verdict:
    """The shared classifier's verdict on a link title (the year may come from `fbtime=`)."""
    if not title or not _MAY_MATTER.search(title):
        year = report_year(None, url) if url and "fbtime=" in url else None
        return Verdict("unrelated", "no_report_phrase" if title else "empty_title", year)
    return classify_title(title, url)


def is_column_title(title: str) -> bool:
    """A link to a report column or year folder (navigate into it). A title that looks like a report,
    even only vaguely (`maybe`), is never a column: it is fetched as a report and its body decides."""
    if not title or not _MAY_BE_COLUMN.search(title) or not _COLUMN.search(normalize_title(title)):
        return False
    t = normalize_title(title)
    return len(t) <= 20 and classify_title(title).kind == "unrelated"


def worth_recording(title: str | None) -> bool:
    """Rejected titles are recorded with their reason when they mention a report or disclosure (a near
    miss, such as a 函 filed in the 年报 column); menu items and the like are not."""
    return bool(title and _REPORTISH.search(title))


def host_allowed(host: str, extra: frozenset[str] | set[str] = frozenset()) -> bool:
    """`.gov.cn` hosts, plus hosts registered explicitly (bare-IP portals, 127.0.0.1 in tests).
    An IP literal that is not globally routable is refused unless registered."""
    h = host.lower().rstrip(".").strip("[]")
    if h in extra:
        return True
    if h in ("localhost",) or h.endswith(".localhost") or address_refused(h):
        return False
    return h == "gov.cn" or h.endswith(".gov.cn")


def uri_from_iri(url: str) -> str:
    """RFC 3987 mapping: non-ASCII path and query characters UTF-8 percent-encoded, the host in IDNA."""
    return iri_to_uri(url)
