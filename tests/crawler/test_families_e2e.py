"""The fixture families crawled end to end on a real 127.0.0.1 server: recall and precision of the
stored reports per fixture, listings accounted for (complete, or said to be incomplete), the body
deciding for report-like titles, and --probe telling the truth about script-driven lists.

The Pingtan column serves the corpus' own copies of its reports (../shared/corpus, read at test time)."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cli.main import main
from crawler.sites import Source
from demo.report import report_html
from demo.server import Req, Resp, Site, serve
from gongkai.store import RawStore
from tests.crawler.conftest import fast_config, run_crawl
from tests.crawler.test_families import (
    FIXTURES,
    PINGTAN_TRUTH,
    YJ,
    YJ_COLUMNS,
    csrc_truth,
    fixture,
    scores,
    yj_truth,
)

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
PT_HOST = "https://www.pingtan.gov.cn"
COL = "/zwgk/zfxxgk/zfxxgknb/"
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _corpus_pages() -> dict[str, bytes]:
    """Path on www.pingtan.gov.cn → the stored page of the corpus (reports and the 函)."""
    out = {}
    with open(CORPUS / "manifest.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["file"].endswith(".html") and row["original_url"].startswith(PT_HOST + COL):
                out[urlsplit(row["original_url"]).path] = (CORPUS / "docs" / row["file"]).read_bytes()
    return out


def pingtan_site(api: Callable[[Req], Resp] | None = None, html: str | None = None) -> tuple[Site, str, Callable[[], None]]:
    site = Site("pingtan")
    base, stop = serve(site)
    page = (html or fixture("fj_pingtan_zfxxgknb.html")).replace(PT_HOST, base)
    site.add(COL, Resp(200, page.encode(), HTML))
    pages = _corpus_pages()
    for url in PINGTAN_TRUTH:
        path = urlsplit(url).path
        body = pages.get(path) or report_html("平潭综合实验区", 2022).encode()  # 2022: not in the corpus
        site.add(path, Resp(200, body, HTML))
    site.add(COL + "201412/t20141210_80787.htm", Resp(200, pages[COL + "201412/t20141210_80787.htm"], HTML))
    p2 = json.loads((FIXTURES / "fj_pingtan_zfxxgknb_api_p2.json").read_text(encoding="utf-8"))
    for d in p2["data"]:
        for k in ("chnldocurl", "docpuburl", "url"):
            d[k] = d[k].replace(PT_HOST, base)

    def search(req: Req) -> Resp:
        want = {"channelid": "200210", "classsql": "chnlid=1813", "prepage": "10"}
        if req.method != "POST" or any(req.form.get(k) != v for k, v in want.items()):
            return Resp(400, b'{"error": true}')
        if req.form.get("page") != "2":
            return Resp(200, json.dumps({**p2, "page": int(req.form.get("page", "0")), "data": []}).encode())
        return Resp(200, json.dumps(p2, ensure_ascii=False).encode(), {"Content-Type": "application/json;charset=UTF-8"})

    site.add("/fjdzapp/search", api or search)
    return site, base, stop


@pytest.fixture
def pingtan() -> Iterator[tuple[Site, str]]:
    site, base, stop = pingtan_site()
    yield site, base
    stop()


def _reports(data: Path, base: str) -> set[str]:
    with RawStore(data) as store:
        return {d.url.replace(base, PT_HOST) for d in store.iter_documents(kind="report")}


API = {"list_api": "/fjdzapp/search"}  # the registry's word for the API the page does not name


def test_dongjing_column_crawled_through_its_api(pingtan: tuple[Site, str], tmp_path: Path) -> None:
    site, base = pingtan
    summary = run_crawl(fast_config(tmp_path), [Source("pingtan", base + COL, family="trs", overrides=API)])
    got = _reports(tmp_path, base)
    assert scores(got, PINGTAN_TRUTH) == (1.0, 1.0)
    assert len(site.requests_to("/fjdzapp/search")) == 1  # page 2 only: page 1 is the static HTML
    assert site.requests_to(COL + "201412/t20141210_80787.htm") == []  # the 函 is never fetched
    (listing,) = [x for x in summary.listings if x.family == "trsapi"]
    assert (listing.status, listing.found_records, listing.declared_records) == ("complete", 20, 20)
    assert summary.incomplete_listing == []
    with RawStore(tmp_path) as store:
        row = store.state.query("SELECT decision, reason FROM link_decisions WHERE title LIKE '%的函'")[0]
        years = {d.report_year for d in store.iter_documents(kind="report")}
    assert (row["decision"], row["reason"]) == ("skip", "rejected:letter")
    assert years == set(range(2011, 2026))  # every year 2011-2025


def test_dongjing_column_without_a_declared_api_is_incomplete(pingtan: tuple[Site, str], tmp_path: Path) -> None:
    """Without the registry's list_api the page names no API: nothing is probed, the static half is
    stored and the listing says why the rest is missing."""
    site, base = pingtan
    summary = run_crawl(fast_config(tmp_path), [Source("pingtan", base + COL, family="trs")])
    assert site.requests_to("/fjdzapp/search") == []
    (bad,) = summary.incomplete_listing
    assert (bad.family, bad.reason) == ("trsapi", "list API not declared: declares 20 records, found 10")
    assert summary.finished and not summary.complete
    assert scores(_reports(tmp_path, base), PINGTAN_TRUTH) == (10 / 19, 1.0)


def test_dongjing_api_failing_is_an_incomplete_listing(tmp_path: Path) -> None:
    from cli.crawl import truth_lines

    site, base, stop = pingtan_site(api=lambda req: Resp(500, b"busy"))
    try:
        summary = run_crawl(fast_config(tmp_path, attempts=2), [Source("pingtan", base + COL, overrides=API)])
    finally:
        stop()
    assert len(site.requests_to("/fjdzapp/search")) == 2  # retried, then given up
    report = json.loads(json.dumps(summary.to_json()))  # the --json document
    (bad,) = report["incomplete_listing"]
    assert bad["reason"] == "declares 20 records, found 10" and bad["family"] == "trsapi"
    assert report["complete"] is False and report["finished"] is True
    lines = truth_lines(summary)
    assert lines[0].startswith("incomplete listing: pingtan ") and "declares 20 records, found 10" in lines[0]
    assert "finished, but 1 incomplete listing(s)" in lines[-1]
    assert len(_reports(tmp_path, base)) == 10


def test_probe_of_a_dongjing_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--probe fetches the entry page only: the listing continues through the API the registry names
    (ok, and it says so); without the API's channel id, or without a declared API, the rest is
    unreachable: incomplete_listing, not ok."""
    site, base, stop = pingtan_site()
    registry = tmp_path / "sources.toml"
    registry.write_text(f'[[source]]\nname = "pingtan"\nentry = "{base + COL}"\nfamily = "trs"\nhosts = ["127.0.0.1"]\n'
                        '[source.overrides]\nlist_api = "/fjdzapp/search"\n', encoding="utf-8")
    try:
        assert main(["crawl", "--data-dir", str(tmp_path / "a"), "--registry", str(registry), "--source", "pingtan",
                     "--delay", "0", "--quiet", "--probe"]) == 0
        captured = capsys.readouterr()
        out, err = " ".join(captured.out.split()), " ".join(captured.err.split())
        assert "continues, 10 of 20 records on the entry page; 1 more page(s) to fetch" in err
        assert " ok (last_verified" in out
        assert {r.path for r in site.log} == {"/robots.txt", COL}
    finally:
        stop()
    html = fixture("fj_pingtan_zfxxgknb.html").replace("searchId: 200210,", "")
    site, base, stop = pingtan_site(html=html)
    try:
        assert main(["crawl", "--data-dir", str(tmp_path / "b"), "--seed", base + COL, "--allow-host", "127.0.0.1",
                     "--delay", "0", "--quiet", "--probe"]) == 0
        out = " ".join(capsys.readouterr().out.split())
        assert "incomplete_listing" in out and " ok (" not in out
    finally:
        stop()
    site, base, stop = pingtan_site()
    try:
        assert main(["crawl", "--data-dir", str(tmp_path / "c"), "--seed", base + COL, "--allow-host", "127.0.0.1",
                     "--delay", "0", "--quiet", "--probe"]) == 0
        captured = capsys.readouterr()
        out, err = " ".join(captured.out.split()), " ".join(captured.err.split())
        assert "incomplete_listing" in out and " ok (" not in out and "list API not declared" in err
        assert site.requests_to("/fjdzapp/search") == []
    finally:
        stop()


# --------------------------------------------------------------------------- EmpireCMS-style county
XY = "/xxgk/zfxxgknb/"
COUNTY_REPORTS = {  # path → (agency, year) of a report page; the truth of the county fixture
    "2018-01-30/1802.html": ("湘阴县人民政府", 2017), "2018-01-29/1801.html": ("湘阴县财政局", 2017),
    "2018-01-26/1799.html": ("湘阴县统计局", 2017), "2018-01-25/1797.html": ("湘阴县扶贫办", 2017),
    "2018-01-22/1790.html": ("湘阴县审计局", 2016), "2018-01-20/1788.html": ("湘阴县民政局", 2017),
}


def report_body(agency: str, year: int) -> str:
    """A report page of any year: the title and the sections of the national format (the demo's full
    generator covers 2019-2025 only)."""
    sections = "".join(f"<p>{h}</p><p>……</p>" for h in (
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"))
    return (f"<html><head><meta charset='utf-8'><title>{agency}{year}年政府信息公开工作年度报告</title></head>"
            f"<body><h1>{agency}{year}年政府信息公开工作年度报告</h1>{sections}<p>{agency}</p></body></html>")


def county_site(shown: dict[int, int] | None = None) -> tuple[Site, str, Callable[[], None], set[str]]:
    """The county column, pages index_2 … index_6 after the same template (10 records a page, 5 on
    the last: the 55 its footer declares); `shown` makes a page list fewer (page → records)."""
    site = Site("county")
    base, stop = serve(site)
    truth: set[str] = set()
    site.html(XY, fixture("empire_county_zfxxgknb.html"))
    for path, (agency, year) in COUNTY_REPORTS.items():
        site.html(XY + path, report_body(agency, year))
        truth.add(base + XY + path)
    notice = "<html><body><h1>2017年度报告</h1><p>关于召开2017年度工作总结会议的通知：请各单位于1月25日前报送材料。</p></body></html>"
    site.html(XY + "2018-01-18/1785.html", notice)  # a report-like title whose body is not a report
    for n in range(2, 7):  # pages 2-6 of the column, same template
        items = []
        for k in range((shown or {}).get(n, 10 if n < 6 else 5)):
            i = (n - 2) * 10 + k
            path = f"2017-0{1 + k % 9}-1{k}/{1500 - i}.html"
            agency = f"湘阴县第{i}乡镇人民政府"
            items.append(f'<li><span>2017-0{1 + k % 9}-1{k}</span><a href="{XY}{path}" '
                         f'title="{agency}2016年政府信息公开工作年度报告">'
                         f"{agency}2016年政府信息公开工作年度报告</a></li>")
            site.html(XY + path, report_body("湘阴县城关镇人民政府", 2016))
            truth.add(base + XY + path)
        nums = "".join(f'<a href="{XY}index_{m}.html">{m}</a>&nbsp;' if m > 1 else f'<a href="{XY}">1</a>&nbsp;'
                       for m in range(max(1, n - 2), min(6, n + 2) + 1) if m != n)
        site.html(f"{XY}index_{n}.html", '<html><body><ul class="list">' + "".join(items) + '</ul><div class="pagelist">'
                  f'<a title="Total record">&nbsp;<b>55</b> </a>&nbsp;&nbsp;&nbsp;<b>{n}</b>&nbsp;{nums}'
                  f'<a href="{XY}index_6.html">尾页</a></div></body></html>')
    site.html(XY + "bmnb/", fixture("empire_county_bmnb.html"))
    for path, agency in (("2018-01-31/2101.html", "湘阴县教育局"), ("2018-01-30/2099.html", "湘阴县卫生和计划生育局")):
        site.html(XY + "bmnb/" + path, report_body(agency, 2017))
        truth.add(base + XY + "bmnb/" + path)
    site.html(XY + "bmnb/index_2.html", '<ul class="list"><li><a href="/xxgk/zfxxgknb/bmnb/2018-01-22/2050.html">'
              "湘阴县林业局2017年政府信息公开年度报告</a></li></ul>")
    site.html(XY + "bmnb/2018-01-22/2050.html", report_body("湘阴县林业局", 2017))
    truth.add(base + XY + "bmnb/2018-01-22/2050.html")
    site.html(XY + "xzjd/", '<ul class="list"><li><a href="/xxgk/zfxxgknb/xzjd/2018-01-28/3001.html">'
              "静河镇人民政府2017年政府信息公开工作年度报告</a></li></ul>")
    site.html(XY + "xzjd/2018-01-28/3001.html", report_body("静河镇人民政府", 2017))
    truth.add(base + XY + "xzjd/2018-01-28/3001.html")
    site.html(XY + "2015/", report_body("湘阴县人民政府", 2019))  # a year folder whose index is the report itself
    truth.add(base + XY + "2015/")
    return site, base, stop, truth


def test_county_site_every_report_and_nothing_else(tmp_path: Path) -> None:
    site, base, stop, truth = county_site()
    try:
        summary = run_crawl(fast_config(tmp_path), [Source("xiangyin", base + XY, family="generic")])
    finally:
        stop()
    with RawStore(tmp_path) as store:
        got = {d.url for d in store.iter_documents(kind="report")}
        pages = {d.url for d in store.iter_documents(kind="page")}
        decisions = {r["url"].replace(base, ""): r["reason"] for r in store.state.query(
            "SELECT url, reason FROM link_decisions WHERE reason LIKE 'body:%'")}
    assert scores(got, truth) == (1.0, 1.0)
    assert base + XY + "2018-01-18/1785.html" in pages  # fetched, kept, not a report
    assert decisions == {XY + "2018-01-18/1785.html": "body:not_a_report", XY + "2015/": "body:report_on_list_page"}
    for n in range(2, 7):
        assert len(site.requests_to(f"{XY}index_{n}.html")) == 1
    assert site.requests_to(XY + "index.html") == []  # dir/ and dir/index.html are one page
    assert summary.incomplete_listing == [] and {x.status for x in summary.listings} == {"complete"}
    (column,) = [x for x in summary.listings if x.url == base + XY]
    assert column.reason == "55 of 55 records on 6 of 6 pages"


def test_county_pages_listing_fewer_records_than_declared(tmp_path: Path) -> None:
    """Every page of the pager is fetched, but page 4 lists 6 records where the template lists 10:
    the footer's `Total record` 55 against 51 found is an incomplete listing (it was `complete`
    when only pages were counted)."""
    site, base, stop, _truth = county_site(shown={4: 6})
    try:
        summary = run_crawl(fast_config(tmp_path), [Source("xiangyin", base + XY, family="generic")])
    finally:
        stop()
    for n in range(2, 7):
        assert len(site.requests_to(f"{XY}index_{n}.html")) == 1
    (bad,) = summary.incomplete_listing
    assert (bad.url, bad.reason, bad.pages_fetched) == (base + XY, "declares 55 records, found 51", 6)


def test_trs_countpage_pages_fetched_with_the_extension_the_script_names(tmp_path: Path) -> None:
    site = Site("countpage")
    base, stop = serve(site)
    col = "/gongkai/zfxxgkpt/zfxxgknb/"
    site.html(col, fixture("trs_countpage_zfxxgknb.html"))
    for n in (1, 2):
        script = fixture("trs_countpage_zfxxgknb.html").split('<div class="page">')[1].replace(
            "var currentPage = 0", f"var currentPage = {n}")
        site.html(f"{col}index_{n}.shtml", f'<ul><li><a href="./2022{n}/t2022{n}_1.shtml">退役军人事务部{2020 - n}年'
                  f'政府信息公开工作年度报告</a></li></ul><div class="page">{script}')
        site.html(f"{col}2022{n}/t2022{n}_1.shtml", report_body("退役军人事务部", 2020 - n))
    for p in ("202503/t20250321_4509", "202403/t20240328_4311", "202303/t20230330_4102"):
        site.html(f"{col}{p}.shtml", report_html("退役军人事务部", 2024))
    try:
        summary = run_crawl(fast_config(tmp_path), [Source("mva", base + col)])
    finally:
        stop()
    assert not [r for r in site.log if r.path.endswith("index_1.html") or (r.status == 404 and r.path != "/robots.txt")]
    with RawStore(tmp_path) as store:
        assert len(list(store.iter_documents(kind="report"))) == 5
    (listing,) = summary.listings
    assert (listing.status, listing.pages_fetched, listing.declared_pages) == ("complete", 3, 3)


# --------------------------------------------------------------------------- CSRC createPageHTML column
CSRC_PAGE2 = [f"中国证券监督管理委员会{y}年政府信息公开工作年度报告" for y in (2009, 2008)] + [
    f"中国证监会{c}监管局2023年政府信息公开工作年度报告" for c in ("北京", "上海", "深圳", "广东", "浙江")]


def csrc_site(rows_on_page2: int) -> tuple[Site, str, Callable[[], None], set[str]]:
    site = Site("csrc")
    base, stop = serve(site)
    col = "/csrc/c100028/common_zfxxgknb.shtml"
    html = fixture("csrc_common_zfxxgknb.html")
    site.html(col, html)
    truth = csrc_truth(html, base + col)
    for url in truth:
        site.html(urlsplit(url).path, report_body("中国证券监督管理委员会", 2020))
    rows = []
    for i, title in enumerate(CSRC_PAGE2[:rows_on_page2]):
        path = f"/csrc/c100028/c74611{i:02d}/content.shtml"
        rows.append(f'<tr><td class="info"><a class="list" href="{path}" title="{title}">{title}</a></td>'
                    f'<td class="date"><span>2024-01-{10 + i}</span></td></tr>')
        site.html(path, report_body("中国证券监督管理委员会", 2020))
        truth.add(base + path)
    table = html.split("<tbody>")[0] + "<tbody>" + "".join(rows) + "</tbody>" + html.split("</tbody>")[1]
    site.html(col.replace(".shtml", "_1.shtml"), table.replace("createPageHTML('page_div', 2, 1,",
                                                               "createPageHTML('page_div', 2, 2,"))
    return site, base, stop, truth


@pytest.mark.parametrize(("rows", "status", "reason"), [
    (7, "complete", "25 of 25 records on 2 of 2 pages"),
    (3, "incomplete", "declares 25 records, found 21"),  # both pages fetched: complete by pages alone
])
def test_csrc_column_records_against_the_declared_count(tmp_path: Path, rows: int, status: str, reason: str) -> None:
    site, base, stop, truth = csrc_site(rows)
    try:
        summary = run_crawl(fast_config(tmp_path), [Source("csrc", base + "/csrc/c100028/common_zfxxgknb.shtml")])
    finally:
        stop()
    assert len(site.requests_to("/csrc/c100028/common_zfxxgknb_1.shtml")) == 1
    with RawStore(tmp_path) as store:
        got = {d.url for d in store.iter_documents(kind="report")}
    assert scores(got, truth) == (1.0, 1.0)
    (listing,) = summary.listings
    assert (listing.status, listing.reason, listing.pages_fetched) == (status, reason, 2)


# --------------------------------------------------------------------------- Hanweb "more column" list
def yj_site(html: str) -> tuple[Site, str, Callable[[], None], set[str]]:
    site = Site("yj")
    base, stop = serve(site)
    col = urlsplit(YJ).path
    xml = fixture("hanweb_morecolumn_yj_16-38.xml")
    site.html(col, html)
    truth = set()
    for url in yj_truth(html) | yj_truth(xml):
        site.html(urlsplit(url).path, report_body("永嘉县人民政府", 2020))
        truth.add(base + urlsplit(url).path)

    def proxy(req: Req) -> Resp:  # answers only what a browser's jpage sends
        want = {"col": "1", "columnid": YJ_COLUMNS, "unitid": "7350012", "keyWordCount": "30", "webid": "3357"}
        if req.method != "POST" or any(req.form.get(k) != v for k, v in want.items()) or "startrecord=16" not in req.path:
            return Resp(400, b"<datastore><totalrecord>0</totalrecord></datastore>")
        return Resp(200, xml.encode(), {"Content-Type": "text/xml;charset=UTF-8"})

    site.add("/module/jpage/morecolumndataproxy.jsp", proxy)
    return site, base, stop, truth


def test_hanweb_morecolumn_list_crawled_through_its_proxy(tmp_path: Path) -> None:
    site, base, stop, truth = yj_site(fixture("hanweb_morecolumn_yj.html"))
    try:
        summary = run_crawl(fast_config(tmp_path), [Source("yj", base + urlsplit(YJ).path, family="hanweb")])
    finally:
        stop()
    assert len(site.requests_to("/module/jpage/morecolumndataproxy.jsp")) == 1
    with RawStore(tmp_path) as store:
        got = {d.url for d in store.iter_documents(kind="report")}
    assert scores(got, truth) == (1.0, 1.0)
    (listing,) = summary.listings
    assert (listing.status, listing.reason) == ("complete", "38 of 38 records")


def test_hanweb_list_without_a_nextgroup_names_its_gap(tmp_path: Path) -> None:
    html = re.sub(r"<nextgroup>.*?</nextgroup>", "", fixture("hanweb_morecolumn_yj.html"), flags=re.S)
    site, base, stop, _truth = yj_site(html)
    try:
        summary = run_crawl(fast_config(tmp_path), [Source("yj", base + urlsplit(YJ).path, family="hanweb")])
    finally:
        stop()
    assert site.requests_to("/module/") == []  # no proxy is guessed
    (bad,) = summary.incomplete_listing
    assert bad.reason == "dataproxy form not declared (no <nextgroup>): declares 38 records, found 15"
