"""Report pages for the demo portal, made by the project's own report generator (gongkai.synth).

Each agency gets one consistent series of reports (2019–2025, carry-overs and stocks continuing
from year to year), so a report mirrored on two demo sites is the same report, and the build's
cross-year checks pass on the demo — except where a page is broken on purpose.
"""

from __future__ import annotations

import hashlib
import random
from functools import lru_cache

from demo import synth
from gongkai import schema

__all__ = ["report_html", "report_pdf"]

YEARS = list(range(2019, 2026))
# One report whose 表三 does not add up, as real ones sometimes don't: `gongkai inconsistent` finds it.
BROKEN = ("县统计局", 2024)


@lru_cache(maxsize=256)
def _series(agency: str) -> dict[int, synth.SynthReport]:
    seed = int(hashlib.sha256(agency.encode("utf-8")).hexdigest()[:8], 16)
    return {r.year: r for r in synth.make_series(random.Random(seed), agency, YEARS)}


def _report(agency: str, year: int) -> synth.SynthReport:
    rep = _series(agency)[year]
    if (agency, year) == BROKEN:
        values = dict(rep.values)
        values[("applications", "", schema.outcome_rows(rep.version)[0], schema.APPLICANT_COLS[0].key)] += 2
        rep = synth.SynthReport(rep.agency, rep.year, rep.version, values)
    return rep


def report_pdf(agency: str, year: int, *, scanned: bool = False) -> bytes:
    """The same report as the PDF a portal attaches; `scanned` gives pages with no text layer."""
    from demo.synth_office import render_pdf

    return render_pdf(_report(agency, year), scanned=scanned)


def report_html(agency: str, year: int, *, charset: str = "utf-8",
                attachments: tuple[tuple[str, str], ...] = ()) -> str:
    """The report page as a TRS-style portal prints it: chrome, meta tags, sections, tables, links."""
    page = synth.render_html(_report(agency, year), charset=charset)
    title = f"{agency}{year}年政府信息公开工作年度报告"
    head = (f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{year + 1}-01-20 10:00">'
            f'<meta name="ContentSource" content="{agency}">')
    links = "".join(f'<p>附件：<a href="{href}">{name}</a></p>' for href, name in attachments)
    page = page.replace("<head>", "<head>" + head, 1)
    page = page.replace("<body>", '<body><div class="header">无障碍 | 长者版</div>', 1)
    return page.replace("</body>", f'{links}<div class="footer">网站地图 | ICP备案</div></body>', 1)
