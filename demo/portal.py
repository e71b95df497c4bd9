"""The embedded sample portal: several generated government sites, each a real HTTP server on
127.0.0.1 (own port = own host for politeness), in the platform styles the crawler must handle.

`start_demo_portal()` returns a DemoPortal with base URLs, registry Sources, the set of report and
attachment URLs a correct crawl must find (and nothing else), and `stop()`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from crawler.sites import Source
from demo.dongjing import dongjing_site
from demo.report import report_html, report_pdf
from demo.server import Req, Resp, Site, serve

__all__ = ["DemoPortal", "SiteSpec", "big_site", "serve_demo", "start_demo_portal", "start_hub"]

_AGENCIES = ("县财政局", "县教育局", "县卫生健康局", "县审计局", "县民政局", "县司法局", "城关镇人民政府",
             "河东乡人民政府", "东街街道办事处", "县自然资源局", "县统计局", "县人力资源和社会保障局")
_DECOYS = ("{y}年政府信息公开工作年度报告解读", "关于做好{y}年政府信息公开工作年度报告编制工作的通知",
           "政府信息公开工作年度报告格式", "{y}年住房公积金年度报告", "{y}年度整体支出绩效评价报告",
           "关于开展政务公开培训的通知")


DEMO_AGENCY = "福建省宁德市古田县 (demo portal)"


@dataclass
class SiteSpec:
    name: str
    family: str
    site: Site
    base: str
    entry: str
    reports: set[str] = field(default_factory=set)  # absolute URLs a correct crawl finds
    attachments: set[str] = field(default_factory=set)
    stop: Callable[[], None] = lambda: None
    agency: str = DEMO_AGENCY  # whose portal it stands for, as a registry entry says

    def source(self) -> Source:
        # As a registry entry names the agency whose portal it is: the build's place evidence for
        # report names that do not say where they are (县财政局).
        return Source(name=self.name, entry=self.entry, family=self.family, level="county", agency=self.agency)


@dataclass
class DemoPortal:
    sites: list[SiteSpec]

    @property
    def sources(self) -> list[Source]:
        return [s.source() for s in self.sites]

    @property
    def reports(self) -> set[str]:
        return set().union(*(s.reports for s in self.sites))

    @property
    def attachments(self) -> set[str]:
        return set().union(*(s.attachments for s in self.sites))

    def site(self, name: str) -> SiteSpec:
        return next(s for s in self.sites if s.name == name)

    def stop(self) -> None:
        for s in self.sites:
            s.stop()


def _page(title: str, items: list[tuple[str, str]], extra: str = "", charset: str = "utf-8") -> str:
    lis = "\n".join(f'<li><a href="{h}" title="{t}">{t}</a><span>2024-01-20</span></li>' for h, t in items)
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head><body>'
            f'<div class="nav"><a href="/">首页</a> &gt; <a href="#">政府信息公开</a></div>'
            f'<h2>{title}</h2><ul class="list">{lis}</ul>{extra}</body></html>')


def _report(site: Site, path: str, agency: str, year: int, rng: random.Random, *, charset: str = "utf-8",
            attachments: tuple[tuple[str, str], ...] = ()) -> None:
    html = report_html(agency, year, charset=charset, attachments=attachments)
    site.html(path, html, charset=charset)


def _new(name: str) -> tuple[Site, str, Callable[[], None]]:
    site = Site(name)
    base, stop = serve(site)
    return site, base, stop


# --------------------------------------------------------------------------- TRS (createPageHTML)
def trs_site(rng: random.Random) -> SiteSpec:
    site, base, stop = _new("demo-trs")
    spec = SiteSpec("demo-trs", "trs", site, base, f"{base}/zfxxgk/zfxxgknb/", stop=stop)
    site.add("/robots.txt", Resp(200, b"User-agent: *\nDisallow: /zfxxgk/private/\n", {"Content-Type": "text/plain"}))
    col = "/zfxxgk/zfxxgknb/"
    n = 0

    def report(i: int, year: int, agency: str, *, charset: str = "utf-8", pdf: bool = False) -> tuple[str, str]:
        path = f"{col}{year + 1}01/t{year + 1}0120_{100000 + i}.html"
        att: tuple[tuple[str, str], ...] = ()
        if pdf:
            pdf_path = f"{col}{year + 1}01/P0{year + 1}0120{100000 + i}.pdf"
            # an extension-less download type, as real portals send: the crawler types it by magic bytes
            site.add(pdf_path, Resp(200, report_pdf(agency, year), {"Content-Type": "application/octet-stream"}))
            att = ((f"./P0{year + 1}0120{100000 + i}.pdf", "年度报告.pdf"),)
            spec.attachments.add(base + pdf_path)
        _report(site, path, agency, year, rng, charset=charset, attachments=att)
        spec.reports.add(base + path)
        return path, f"{agency}{year}年政府信息公开工作年度报告"

    def decoy(i: int, year: int) -> tuple[str, str]:
        path = f"{col}{year + 1}02/t{year + 1}0201_{200000 + i}.html"
        title = _DECOYS[i % len(_DECOYS)].format(y=year)
        site.html(path, _page(title, []))
        return path, title

    p1 = [report(n + k, 2024, _AGENCIES[k]) for k in range(3)] + [decoy(0, 2024), decoy(1, 2024)]
    n += 3
    script = '<script type="text/javascript">createPageHTML(3, 0, "index", "html");</script>'
    site.html(col, _page("政府信息公开年报", p1, script))
    site.html(col + "index.html", _page("政府信息公开年报", p1, script))
    p2 = [report(n + k, 2023, _AGENCIES[k], pdf=(k == 0)) for k in range(3)] + [decoy(2, 2023)]
    n += 3
    site.html(col + "index_1.html", _page("政府信息公开年报", p2, '<p><a href="bmnb/">部门年报</a></p>' + script))
    # page 3 is GBK (declared only in <meta>), links a robots-disallowed report and a spam mirror
    p3 = [report(n + k, 2022, _AGENCIES[k + 3], charset="gbk" if k == 0 else "utf-8") for k in range(2)]
    n += 2
    site.add("/zfxxgk/private/t1.html", Resp(200, b"<html>private</html>", {"Content-Type": "text/html"}))
    p3 += [("/zfxxgk/private/t1.html", "县保密局2022年政府信息公开工作年度报告"),
           ("http://365betchina.com/zfxxgknb/1.html", "某县2022年政府信息公开工作年度报告")]
    site.add(col + "index_2.html", Resp(200, _page("政府信息公开年报", p3, script, charset="gbk").encode("gbk"),
                                         {"Content-Type": "text/html"}))
    sub = col + "bmnb/"
    b1 = [report(n + k, 2023, _AGENCIES[k + 6]) for k in range(2)]
    n += 2
    site.html(sub, _page("部门年报", b1, '<div class="page"><a href="index_1.html">下一页</a></div>'))
    b2 = [report(n, 2023, _AGENCIES[8])]
    site.html(sub + "index_1.html", _page("部门年报", b2, '<div class="page"><a href="index.html">上一页</a></div>'))
    site.html(sub + "index.html", _page("部门年报", b1, '<div class="page"><a href="index_1.html">下一页</a></div>'))
    return spec


# --------------------------------------------------------------------------- Hanweb (datastore + dataproxy)
def hanweb_site(rng: random.Random, total: int = 40) -> SiteSpec:
    site, base, stop = _new("demo-hanweb")
    colid = "1229114055"
    spec = SiteSpec("demo-hanweb", "hanweb", site, base, f"{base}/col/col{colid}/index.html", stop=stop)
    items: list[tuple[str, str]] = []
    for i in range(total):
        path = f"/art/2024/1/{1 + i % 28}/art_{colid}_{89000 + i}.html"
        if i % 4 == 3:
            title = _DECOYS[i % len(_DECOYS)].format(y=2023)
            site.html(path, _page(title, []))
        else:
            agency = _AGENCIES[i % len(_AGENCIES)]
            title = f"{agency}{2023 - (i % 3)}年政府信息公开工作年度报告"
            _report(site, path, agency, 2023 - (i % 3), rng)
            spec.reports.add(base + path)
        items.append((path, title))

    def records(start: int, end: int) -> str:
        return "".join(f'<record><![CDATA[<li><a href="{h}" title="{t}" target="_blank">{t}</a>'
                       f"<span>2024-01-30</span></li>]]></record>" for h, t in items[start - 1:end])

    nextgroup = (f'<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/'
                 f'&columnid={colid}&unitid=4567&webname=demo&permissiontype=0"></a>]]></nextgroup>')
    datastore = f'<script type="text/xml"><datastore>{nextgroup}<recordset>{records(1, 15)}</recordset></datastore></script>'
    js = ("<script>$('#4567').jpage({proxyUrl:'/module/web/jpage/dataproxy.jsp', perPage:15, groupSize:1,"
          f" totalRecord:{total}, dataStore: ''}});</script>")
    xxgk_nav = '<p><a href="/col/col1229000001/index.html">部门年报</a></p>'
    site.html(f"/col/col{colid}/index.html", f"<html><head><meta charset='utf-8'></head><body>{xxgk_nav}"
              f'<div id="4567">{datastore}</div>{js}</body></html>')

    def proxy(req: Req) -> Resp:
        q = dict(parse_qsl(urlsplit(req.path).query))
        if req.method != "POST" or req.form.get("columnid") != colid:
            return Resp(400, b"bad request")
        s, e = int(q.get("startrecord", "1")), int(q.get("endrecord", "15"))
        body = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{total}</totalrecord>'
                f"<recordset>{records(s, e)}</recordset></datastore>")
        return Resp(200, body.encode(), {"Content-Type": "text/xml; charset=UTF-8"})

    site.add("/module/web/jpage/dataproxy.jsp", proxy)
    # Hanweb xxgk module: a directory of units, each report server-rendered at xxgkAnnualReport.jsp
    units = [("001008003012020", "区审计局"), ("11370883004326403Q", "太平镇人民政府"), ("002562728", "区统计局")]
    links = []
    for area, name in units:
        path = f"/module/xxgk/xxgkAnnualReport.jsp?area={area}&fbtime=2024"
        _report(site, path, name, 2024, rng)
        spec.reports.add(base + path)
        links.append((path, name))
    site.html("/col/col1229000001/index.html", _page("部门年报", links))
    return spec


# --------------------------------------------------------------------------- Guangdong gkmlpt (JSON API)
def gkmlpt_site(rng: random.Random, total: int = 25, per_page: int = 10) -> SiteSpec:
    site, base, stop = _new("demo-gkmlpt")
    spec = SiteSpec("demo-gkmlpt", "gkmlpt", site, base, f"{base}/gkmlpt/index", stop=stop)
    config = {"SID": "gkmlpt_demo", "TREE": [{"id": 2, "name": "政策文件", "children": []},
                                            {"id": 7, "name": "政府信息公开年报", "children": []}]}
    site.html("/gkmlpt/index", f"<html><head><meta charset='utf-8'><script>window._CONFIG = {json.dumps(config, ensure_ascii=False)};"
              "</script></head><body><div id='app'></div></body></html>")
    articles = []
    for i in range(total):
        pid = 4688000 + i
        path = f"/gkmlpt/content/4/{pid // 1000}/post_{pid}.html"
        atts = []
        if i % 3 == 2:
            title = _DECOYS[i % len(_DECOYS)].format(y=2024)
            site.html(path, _page(title, []))
        else:
            agency = _AGENCIES[i % len(_AGENCIES)]
            title = f"{agency}2024年政府信息公开工作年度报告"
            _report(site, path, agency, 2024, rng)
            spec.reports.add(base + path)
            if i == 0:
                att = f"/attachment/0/{pid}.pdf"
                # a scanned attachment: no text layer, so it is counted as needs_ocr, not read
                site.add(att, Resp(200, report_pdf(agency, 2024, scanned=True), {"Content-Type": "application/pdf"}))
                atts.append({"name": "报告.pdf", "url": base + att, "type": "pdf"})
                spec.attachments.add(base + att)
        articles.append({"id": pid, "title": title, "url": base + path, "identifier": f"006939748/2025-{i:05d}",
                         "attachment": atts})

    def api(req: Req) -> Resp:
        q = dict(parse_qsl(urlsplit(req.path).query))
        if q.get("sid") != "gkmlpt_demo":
            return Resp(403, b"{}")
        page = max(1, int(q.get("page", "1")))  # pages 0 and 1 return the same batch
        batch = articles[(page - 1) * per_page: page * per_page]
        if not batch:
            return Resp(404, b"{}")
        body = {"classify": {"id": 7, "name": "政府信息公开年报", "post_count": total}, "articles": batch}
        return Resp(200, json.dumps(body, ensure_ascii=False).encode(), {"Content-Type": "application/json"})

    site.add("/gkmlpt/api/all/7", api)
    return spec


# --------------------------------------------------------------------------- TRS static first page + search API
def search_site(rng: random.Random, pages: int = 3, per_page: int = 3) -> SiteSpec:
    site, base, stop = _new("demo-search")
    spec = SiteSpec("demo-search", "trs_search", site, base, f"{base}/xxgk/ndbg/index.html", stop=stop)
    by_page: dict[int, list[tuple[str, str]]] = {}
    for p in range(1, pages + 1):
        for k in range(per_page):
            i = (p - 1) * per_page + k
            path = f"/xxgk/ndbg/202501/{i:032x}.shtml"
            agency = _AGENCIES[i % len(_AGENCIES)]
            _report(site, path, agency, 2024, rng)
            spec.reports.add(base + path)
            by_page.setdefault(p, []).append((path, f"{agency}2024年度政府信息公开工作年度报告"))
    script = (f'<script>var searchUrl = "/search/list?channelid=5&page=1"; var totalPage = {pages};'
              " /* pages 2..N are fetched by XHR */</script>")
    site.html("/xxgk/ndbg/index.html", _page("年度报告", by_page[1], script))

    def search(req: Req) -> Resp:
        p = int(dict(parse_qsl(urlsplit(req.path).query)).get("page", "1"))
        data = {"data": {"list": [{"title": t, "url": h, "pubDate": "2025-01-20"} for h, t in by_page.get(p, [])],
                         "totalPage": pages, "pageNo": p}}
        return Resp(200, json.dumps(data, ensure_ascii=False).encode(), {"Content-Type": "application/json"})

    site.add("/search/list", search)
    return spec


# --------------------------------------------------------------------------- an unknown platform (generic)
def generic_site(rng: random.Random) -> SiteSpec:
    site, base, stop = _new("demo-generic")
    spec = SiteSpec("demo-generic", "generic", site, base, f"{base}/gk/nb/1.html", stop=stop)
    for p in (1, 2):
        items = []
        for k in range(3):
            i = (p - 1) * 3 + k
            path = f"/gongkai/show/{(i + 7) * 999331:032x}.html"
            agency = _AGENCIES[(i + 5) % len(_AGENCIES)]
            _report(site, path, agency, 2023, rng)
            spec.reports.add(base + path)
            items.append((path, f"2023年{agency}政府信息公开工作年度报告"))
        items.append((f"/gongkai/show/jd{p}.html", "2023年政府信息公开工作年度报告解读"))
        if p == 2:  # a report published only as a PDF, linked straight from the list
            site.add("/uploads/2023nb_slj.pdf", Resp(200, report_pdf("县水利局", 2023), {"Content-Type": "application/pdf"}))
            spec.reports.add(base + "/uploads/2023nb_slj.pdf")
            items.append(("/uploads/2023nb_slj.pdf", "县水利局2023年政府信息公开工作年度报告（PDF版）"))
        site.html(f"/gongkai/show/jd{p}.html", _page("解读", []))
        nav = '<a href="2.html">下一页</a>' if p == 1 else '<a href="1.html">上一页</a>'
        site.html(f"/gk/nb/{p}.html", _page("信息公开年报", items, f'<div class="pages">{nav}</div>'))
    return spec


# --------------------------------------------------------------------------- Shaanxi platform (year folders)
def shaanxi_site(rng: random.Random) -> SiteSpec:
    """Column → year folders (2023年, 2022年) → numbered pages (1.html, 2.html); 19-digit ids."""
    site, base, stop = _new("demo-shaanxi")
    col = "/zfxxgk/zfxxgknb/"
    spec = SiteSpec("demo-shaanxi", "shaanxi", site, base, f"{base}{col}", stop=stop)
    years = {2023: 7, 2022: 4}
    site.html(col, _page("政府信息公开年报", [], "".join(f'<p><a href="{y}/1.html">{y}年</a></p>' for y in years)
                         + '<p><a href="/zwgk/tzgg/">通知公告</a></p>'))
    site.html("/zwgk/tzgg/", _page("通知公告", [("/zwgk/tzgg/1.html", "关于开展政务公开培训的通知")]))
    ident = 1753311688616128514
    for year, n in years.items():
        items = [(f"{col}{year}/{ident + year * 100 + k}.html", f"{_AGENCIES[k]}{year}年政府信息公开工作年度报告")
                 for k in range(n)]
        for path, title in items:
            _report(site, path, title[: title.index(str(year))], year, rng)
            spec.reports.add(base + path)
        pages = [items[i:i + 3] for i in range(0, len(items), 3)]
        for p, chunk in enumerate(pages, start=1):
            nums = " ".join(f'<a href="{q}.html">{q}</a>' for q in range(1, len(pages) + 1))
            site.html(f"{col}{year}/{p}.html", _page(f"{year}年", chunk, f'<div class="page">{nums}</div>'))
    return spec


# --------------------------------------------------------------------------- a host that blocks everything
def blocked_site() -> SiteSpec:
    site, base, stop = _new("demo-blocked")
    challenge = (b"<html><head><meta http-equiv='Content-Type' content='text/html'></head><body>"
                 b"<script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=12345;</script>"
                 b"<script src='/abc.js' r='m'></script></body></html>")
    site.add("/robots.txt", Resp(404, b"not found"))
    for path in ("/zwgk/zfxxgknb/", "/zwgk/zfxxgknb/index.html"):
        site.add(path, Resp(412, challenge, {"Content-Type": "text/html"}))
    return SiteSpec("demo-blocked", "trs", site, base, f"{base}/zwgk/zfxxgknb/", stop=stop)


def big_site(name: str, reports: int, per_page: int = 10, seed: int = 0) -> SiteSpec:
    """A plain paged list (next-page links) with `reports` small report pages, for load and crash tests."""
    site, base, stop = _new(name)
    spec = SiteSpec(name, "generic", site, base, f"{base}/list/index.html", stop=stop)
    pages = (reports + per_page - 1) // per_page
    for p in range(pages):
        items = []
        for k in range(per_page):
            i = p * per_page + k
            if i >= reports:
                break
            path = f"/art/{i}.html"
            title = f"{name}第{i}局2023年政府信息公开工作年度报告"
            site.html(path, f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
                            f"<h1>{title}</h1><p>seed {seed} report {i}</p></body></html>")
            spec.reports.add(base + path)
            items.append((path, title))
        nxt = f'<a href="index_{p + 1}.html">下一页</a>' if p + 1 < pages else ""
        site.html("/list/index.html" if p == 0 else f"/list/index_{p}.html", _page("年报", items, nxt))
    return spec


def _dongjing() -> SiteSpec:
    site, base, entry, reports, stop = dongjing_site()
    # its units are the towns and 区 departments of Fujian's 平潭 platform
    return SiteSpec("demo-dongjing", "trs", site, base, entry, reports=reports, stop=stop,
                    agency="福建省福州市平潭县 (demo portal)")


def start_demo_portal(seed: int = 2024) -> DemoPortal:
    """Start every demo site on 127.0.0.1 (one port each) → DemoPortal. Call `.stop()` when done."""
    rng = random.Random(seed)
    return DemoPortal([trs_site(rng), hanweb_site(rng), gkmlpt_site(rng), search_site(rng), shaanxi_site(rng),
                       generic_site(rng), _dongjing(), blocked_site()])


def start_hub(portal: DemoPortal) -> tuple[str, Callable[[], None]]:
    """A hub page on its own port linking to every site's report column (as a prefecture portal
    links to its counties' columns). Returns (base URL, stop)."""
    hub = Site("demo-hub")
    base, stop = serve(hub)
    links = "".join(f'<li><a href="{s.entry}">政府信息公开年报</a>（{s.name}）</li>' for s in portal.sites)
    hub.html("/", f"<html><head><meta charset='utf-8'><title>示范门户</title></head><body>"
                  f"<h1>政务公开 · 各单位政府信息公开年报</h1><ul>{links}</ul></body></html>")
    return base, stop


def serve_demo(seed: int = 2024) -> tuple[str, Callable[[], None]]:
    """The whole sample portal behind one base URL (the hub). Crawl it with
    `gongkai crawl --seed <base>/ --allow-host 127.0.0.1`. Returns (base URL, stop all)."""
    portal = start_demo_portal(seed)
    base, stop_hub = start_hub(portal)

    def stop() -> None:
        stop_hub()
        portal.stop()

    return base, stop
