"""Hanweb 大汉 JCMS: records embedded as `<datastore>` XML in the column page, further records from
`/module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=` (POST), and the xxgk module's
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
_PROXY = "/module/web/jpage/dataproxy.jsp"
_FORM_KEYS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname",
              "permissiontype")


def is_datastore(text: str) -> bool:
    return "<datastore" in text[:20000].lower()


def record_links(page: Page) -> list[Link]:
    """Report links inside `<record><![CDATA[...]]></record>` (column page or dataproxy response)."""
    html = "\n".join(_RECORD.findall(page.text))
    if not html:
        return []
    found = report_links(page, anchors(html, page.url), scoped=False)
    return [Link(x.url, x.kind, x.title, x.report_year, "hanweb", reason=x.reason) for x in found]


def dataproxy_links(page: Page) -> tuple[list[Link], list[ListingNote]]:
    """POST requests for the record ranges not in this response: start = n+1 … total, in groups; a
    note with the declared total and the records this response holds."""
    total_m = _TOTAL.search(page.text)
    if total_m is None:
        return [], []
    total = int(total_m.group(1))
    form: dict[str, str] = {}
    proxy = urljoin(page.url, _PROXY)
    ng = _NEXTGROUP.search(page.text)
    if ng:
        href = re.search(r"href=['\"]([^'\"]+)['\"]", ng.group(1))
        if href:
            target = urljoin(page.url, href.group(1).replace("&amp;", "&"))
            proxy = target.split("?", 1)[0]
            form = {k: v for k, v in parse_qsl(urlsplit(target).query) if k in _FORM_KEYS or k == "col"}
    parts = urlsplit(page.url)
    if parts.path.endswith("dataproxy.jsp"):
        q = dict(parse_qsl(parts.query))
        start, end = int(q.get("startrecord", "1")), int(q.get("endrecord", "0"))
        group = max(1, end - start + 1)
        per = q.get("perpage", "15")
        form = dict(page.form or {})
    else:
        present = len(_RECORD.findall(page.text))
        pm = _PERPAGE.search(page.text)
        per = pm.group(1) if pm else "15"
        group = max(present, int(per) * 3)
        start = 1
        end = present
        if not form:
            colid = re.search(r"/col/col(\d+)/", page.url)
            if colid is None:
                return [], []
            form = {"col": "1", "appid": "1", "webid": "1", "path": "/", "columnid": colid.group(1),
                    "unitid": "", "webname": "", "permissiontype": "0"}
    key = f"hanweb:{proxy}?columnid={form.get('columnid', '?')}"
    out: list[Link] = []
    nxt = end + 1
    while nxt <= total and len(out) < page.max_list_pages:
        last = min(total, nxt + group - 1)
        url = f"{proxy}?{urlencode({'startrecord': nxt, 'endrecord': last, 'perpage': per})}"
        out.append(Link(url, "list", None, None, "hanweb", method="POST", form=form, reason="hanweb:dataproxy",
                        listing=key))
        nxt = last + 1
    note = ListingNote(key, "hanweb", declared_records=total, records=len(_RECORD.findall(page.text)),
                       planned_pages=len(out), bounded=nxt <= total, detail=f"datastore: {total} records")
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
