"""Hanweb 大汉 JCMS: records embedded as `<datastore>` XML in the column page, further records from
the proxy its `<nextgroup>` names — `/module/web/jpage/dataproxy.jsp` (one column) or
`/module/jpage/morecolumndataproxy.jsp` (a "more column" list: columnid is a comma list) — POSTed as
`?startrecord=&endrecord=&perpage=` with the href's parameters as the form; and the xxgk module's
`xxgkAnnualReport.jsp?area=&fbtime=` per-unit report pages (registry can enumerate area × year)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from crawler.discover.base import Link, ListingNote, Page, anchors
from crawler.discover.listpage import report_links

__all__ = ["annual_report_links", "dataproxy_links", "is_datastore", "record_links"]

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S | re.I)
_TOTAL = re.compile(r"(?:totalRecord|totalrecord)\s*(?:[:=]\s*['\"]?|>)(\d+)", re.I)
_PERPAGE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I)
_PAGING = frozenset({"page", "startrecord", "endrecord", "perpage"})


def is_datastore(text: str) -> bool:
    return "<datastore" in text[:20000].lower()


def record_links(page: Page) -> list[Link]:
    """Report links inside `<record><![CDATA[...]]></record>` (column page or dataproxy response)."""
    html = "\n".join(_RECORD.findall(page.text))
    if not html:
        return []
    found = report_links(page, anchors(html, page.url), scoped=False)
    return [Link(x.url, x.kind, x.title, x.report_year, "hanweb", reason=x.reason) for x in found]


def _nextgroup_form(page: Page) -> tuple[str, dict[str, str]] | None:
    """(proxy URL, form) from the `<nextgroup>` href: the form jpage posts is the href's parameters
    without its paging ones, plus col=1 (as browsers send it: every captured dataproxy and
    morecolumndataproxy form carries col=1 and the href's other parameters, keyWordCount included)."""
    ng = _NEXTGROUP.search(page.text)
    href = re.search(r"href=['\"]([^'\"]+)['\"]", ng.group(1)) if ng else None
    if href is None:
        return None
    target = urljoin(page.url, href.group(1).replace("&amp;", "&"))
    # read with the page's charset: GBK escapes keep their bytes when the form is sent in it again
    pairs = parse_qsl(urlsplit(target).query, keep_blank_values=True, encoding=page.charset, errors="replace")
    form = {"col": "1", **{k: v for k, v in pairs if k not in _PAGING}}
    return target.split("?", 1)[0], form


def dataproxy_links(page: Page) -> tuple[list[Link], list[ListingNote]]:
    """POST requests for the record ranges not in this response: start = n+1 … total, in groups; a
    note with the declared total and the records this response holds. The proxy (dataproxy.jsp or
    morecolumndataproxy.jsp) and its form come from the page's `<nextgroup>`; a column page without
    one declares neither, and nothing is guessed: the listing's gap says so."""
    total_m = _TOTAL.search(page.text)
    if total_m is None:
        return [], []
    total = int(total_m.group(1))
    present = len(_RECORD.findall(page.text))
    parts = urlsplit(page.url)
    if parts.path.endswith("dataproxy.jsp"):  # a proxy answer: the same form, the next ranges
        q = dict(parse_qsl(parts.query))
        start, end = int(q.get("startrecord", "1")), int(q.get("endrecord", "0"))
        group = max(1, end - start + 1)
        per = q.get("perpage", "15")
        proxy, form = parts._replace(query="").geturl(), dict(page.form or {})
    else:
        declared = _nextgroup_form(page)
        if declared is None:
            key = f"hanweb:{page.url}"
            return [], [ListingNote(key, "hanweb", declared_records=total, records=present,
                                    gap="dataproxy form not declared (no <nextgroup>)",
                                    detail=f"datastore: {total} records, {present} in the page")]
        proxy, form = declared
        pm = _PERPAGE.search(page.text)
        per = pm.group(1) if pm else "15"
        group = max(present, int(per) * 3)
        start, end = 1, present
    key = f"hanweb:{proxy}?columnid={form.get('columnid', '?')}"
    out: list[Link] = []
    nxt = end + 1
    while nxt <= total and len(out) < page.max_list_pages:
        last = min(total, nxt + group - 1)
        url = f"{proxy}?{urlencode({'startrecord': nxt, 'endrecord': last, 'perpage': per})}"
        out.append(Link(url, "list", None, None, "hanweb", method="POST", form=form, reason="hanweb:dataproxy",
                        listing=key))
        nxt = last + 1
    note = ListingNote(key, "hanweb", declared_records=total, records=present, planned_pages=len(out),
                       bounded=nxt <= total, detail=f"datastore: {total} records ({urlsplit(proxy).path})")
    return out, [note]


def annual_report_links(page: Page) -> list[Link]:
    """Registry enumeration: overrides `areas = [...]`, `years = [...]` → xxgkAnnualReport.jsp pages."""
    areas = page.overrides.get("areas")
    years = page.overrides.get("years")
    if page.depth != 0 or not isinstance(areas, list) or not isinstance(years, list):
        return []
    base = urljoin(page.url, "/module/xxgk/xxgkAnnualReport.jsp")
    return [Link(f"{base}?{urlencode({'area': a, 'fbtime': y})}", "report", None, int(y), "hanweb_xxgk",
                 reason="registry:areas_x_years") for a in areas for y in years]
