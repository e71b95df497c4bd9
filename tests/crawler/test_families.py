"""Discovery per platform family on reconstructions of real markup (tests/crawler/fixtures/, each
naming its source): recall and precision of report links per fixture, the pages each listing
declares, and the API requests a script-driven list needs. End-to-end crawls of the same fixtures
are in test_families_e2e.py."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from crawler.discover import Found, Link, Page, discover_page

FIXTURES = Path(__file__).with_name("fixtures")
PT = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def scores(found: set[str], truth: set[str]) -> tuple[float, float]:
    """(recall, precision) of discovered report URLs against the truth of a fixture."""
    hit = len(found & truth)
    return hit / len(truth) if truth else 1.0, hit / len(found) if found else 1.0


def reports(found: Found) -> set[str]:
    return {x.url for x in found.links if x.kind == "report"}


def lists(found: Found) -> list[Link]:
    return [x for x in found.links if x.kind == "list"]


PINGTAN_TRUTH = {PT + p for p in (
    "202603/t20260313_105587.htm", "202503/t20250310_97791.htm", "202403/t20240308_87885.htm",
    "202302/t20230220_80629.htm", "202202/t20220208_80613.htm", "202103/t20210305_80595.htm",
    "202001/t20200120_80576.htm", "201901/t20190110_80529.htm", "201801/t20180123_80506.htm",
    "201701/t20170118_80485.htm", "201601/t20160112_80445.htm", "201501/t20150102_80791.htm",
    "201403/t20140324_80759.htm", "201402/t20140225_80774.htm", "201401/t20140122_80754.htm",
    "201302/t20130228_80734.htm", "201301/t20130117_80725.htm", "201204/t20120420_80678.htm",
    "201204/t20120418_80716.htm")}


def test_fujian_dongjing_static_page_plus_api() -> None:
    """TRS 动静结合 (www.pingtan.gov.cn 政府信息公开年报): 10 of 20 records static, the rest from
    list2.trsapi. The page names no list API (list2.trsapi's default lives in a module it does not
    carry): nothing is guessed, the listing says "list API not declared". With the API registered
    (`list_api`, as verified for the source) the API page brings all 19 and the 函 is refused."""
    alone = discover_page(Page(PT, fixture("fj_pingtan_zfxxgknb.html"), "text/html", "list"))
    assert scores(reports(alone), PINGTAN_TRUTH) == (10 / 19, 1.0)
    assert not [x for x in lists(alone) if x.method == "POST"]
    (gap,) = [n for n in alone.notes if n.family == "trsapi"]
    assert (gap.gap, gap.declared_records, gap.records, gap.planned_pages) == ("list API not declared", 20, 10, 0)

    entry = discover_page(Page(PT, fixture("fj_pingtan_zfxxgknb.html"), "text/html", "list",
                               overrides={"list_api": "/fjdzapp/search"}))
    static = reports(entry)
    assert scores(static, PINGTAN_TRUTH) == (10 / 19, 1.0)
    api = [x for x in lists(entry) if x.method == "POST"]
    assert [(x.url, x.form) for x in api] == [("https://www.pingtan.gov.cn/fjdzapp/search", {
        "channelid": "200210", "classsql": "chnlid=1813", "sortfield": "-docorderpri,-docreltime",
        "cache": "true", "prepage": "10", "page": "2"})]
    (note,) = [n for n in entry.notes if n.family == "trsapi"]
    assert (note.declared_records, note.declared_pages, note.records, note.planned_pages, note.gap) == (20, 2, 10, 1, None)
    assert "registry list_api" in note.detail
    assert api[0].listing == note.key
    page2 = discover_page(Page(api[0].url, fixture("fj_pingtan_zfxxgknb_api_p2.json"), "application/json", "list",
                               form=api[0].form))
    found = static | reports(page2)
    assert scores(found, PINGTAN_TRUTH) == (1.0, 1.0)
    skipped = [(x.title, x.reason) for x in page2.links if x.kind == "skip"]
    assert skipped == [("关于2014年政府信息公开工作要点落实情况的函", "rejected:letter")]
    (note2,) = page2.notes
    assert (note2.key, note2.records, note2.declared_records) == (note.key, 10, 20)
    assert not lists(page2)  # page 2 of 2: nothing further


def test_fujian_dongjing_pagechnlinfo_variant_with_listapi() -> None:
    """The pageChnlInfo variant (工作进展情况, 107 records, 15 a page, 5 pages static): no report is
    invented from a column of 通报, 总结 and a 国资监管 报告; pages 6-8 come from the named listApi."""
    url = "https://www.pingtan.gov.cn/zwgk/ghxx/gzjzqk/"
    found = discover_page(Page(url, fixture("fj_pingtan_gzjzqk.html"), "text/html", "list"))
    assert reports(found) == set()
    api = [x for x in lists(found) if x.method == "POST"]
    assert [x.form["page"] for x in api if x.form] == ["6", "7", "8"]
    assert {x.url for x in api} == {"https://www.pingtan.gov.cn/fjdzapp/search"}
    assert api[0].form == {"channelid": "200210", "classsql": "chnlid=1780", "sortfield": "-docorderpri,-docreltime",
                           "cache": "true", "prepage": "15", "classcol": "publishyear", "classsort": "0", "page": "6"}
    (note,) = [n for n in found.notes if n.family == "trsapi"]
    assert (note.declared_records, note.declared_pages, note.records) == (107, 8, 10)  # 10 static in the excerpt
    assert note.gap is None and "registry" not in note.detail  # the page names its API


def test_dongjing_without_a_channel_id_says_the_rest_is_unreachable() -> None:
    html = fixture("fj_pingtan_zfxxgknb.html").replace("searchId: 200210,", "")
    found = discover_page(Page(PT, html, "text/html", "list"))
    assert not [x for x in lists(found) if x.method == "POST"]
    (note,) = [n for n in found.notes if n.family == "trsapi"]
    assert (note.planned_pages, note.declared_records, note.gap) == (0, 20, "API channel id not declared")


def test_trs_countpage_extension_read_from_the_script() -> None:
    """The page is a directory URL; the pager script writes "index"+"_" + n + "."+"shtml": pages
    index_1.shtml and index_2.shtml (TRS counts from 0), not .html guessed from the URL."""
    url = "https://www.mva.gov.cn/gongkai/zfxxgkpt/zfxxgknb/"
    found = discover_page(Page(url, fixture("trs_countpage_zfxxgknb.html"), "text/html", "list"))
    truth = {url + p for p in ("202503/t20250321_4509.shtml", "202403/t20240328_4311.shtml",
                               "202303/t20230330_4102.shtml")}
    assert scores(reports(found), truth) == (1.0, 1.0)
    assert [x.url for x in lists(found) if x.listing] == [url + "index_1.shtml", url + "index_2.shtml"]
    (note,) = found.notes
    assert (note.declared_pages, note.planned_pages, note.bounded) == (3, 2, False)
    assert "file name from the script" in note.detail
    assert {x.reason for x in found.links if x.kind == "skip"} == {"rejected:interpretation", "rejected:notice"}


def test_empire_county_variants_subcolumns_and_last_page() -> None:
    """EmpireCMS-style county column: the title variants are reports (and never columns), look-alikes
    are skipped with their reason, sub-columns and the year folder are followed, and the footer's
    尾页 gives every page index_2 … index_6 though it shows only 2-4."""
    url = "http://www.xiangyin.gov.cn/xxgk/zfxxgknb/"
    found = discover_page(Page(url, fixture("empire_county_zfxxgknb.html"), "text/html", "list"))
    truth = {urljoin(url, p) for p in ("2018-01-30/1802.html", "2018-01-29/1801.html", "2018-01-26/1799.html",
                                       "2018-01-25/1797.html", "2018-01-22/1790.html", "2018-01-20/1788.html")}
    candidates = reports(found)
    maybe = {x.url for x in found.links if x.kind == "report" and x.reason.startswith("maybe")}
    assert maybe == {urljoin(url, "2018-01-20/1788.html"), urljoin(url, "2018-01-18/1785.html")}  # the body decides
    # before the bodies are read: every report found; the one false candidate is a 'maybe' its body will reject
    assert scores(candidates, truth) == (1.0, 6 / 7)
    assert {x.title: x.reason for x in found.links if x.kind == "skip"} == {
        "湘阴县2017年政府信息公开工作年度报告解读": "rejected:interpretation",
        "关于做好2017年政府信息公开工作年度报告编制工作的通知": "rejected:notice",
        "湘阴县2016年度部门整体支出绩效评价报告": "rejected:other_annual_report"}
    columns = {x.url for x in found.links if x.reason == "column_title"}
    assert columns == {url + "bmnb/", url + "xzjd/", url + "2015/"}
    pager = [x.url for x in lists(found) if x.listing]
    assert pager == [f"{url}index_{n}.html" for n in range(2, 7)]
    (note,) = found.notes
    assert note.declared_pages == 6 and "55 records declared" in note.detail
    years = {x.title: x.report_year for x in found.links if x.kind == "report"}
    assert years["湘阴县财政局 政府信息公开工作2017年度报告"] == 2017
    assert years["湘阴县审计局2016年政务公开年度报告"] == 2016


CSRC = "http://www.csrc.gov.cn/csrc/c100028/common_zfxxgknb.shtml"


def csrc_truth(html: str, base: str = CSRC) -> set[str]:
    """The fixture's report rows: the commission's own 年度报告 titles (not 解读, not 通知)."""
    rows = re.findall(r'<a class="list" href="([^"]+)"[^>]*title="([^"]+)"', html)
    return {urljoin(base, h) for h, t in rows if re.fullmatch(r"中国证.+\d{4}年政府信息公开工作年度报告", t)}


def test_csrc_createpage_with_a_container_and_a_record_count() -> None:
    """createPageHTML('page_div', 2, 1, 'common_zfxxgknb', 'shtml', 25): the page name and the record
    count come from the call (the name is not `index`), the rows of the table are counted."""
    html = fixture("csrc_common_zfxxgknb.html")
    found = discover_page(Page(CSRC, html, "text/html", "list"))
    assert len(csrc_truth(html)) == 15
    assert scores(reports(found), csrc_truth(html)) == (1.0, 1.0)
    assert [x.url for x in lists(found) if x.listing] == [CSRC.replace(".shtml", "_1.shtml")]
    (note,) = found.notes
    assert (note.family, note.declared_pages, note.declared_records, note.records) == ("createpage", 2, 25, 18)


def test_empire_subcolumn_with_a_two_page_footer() -> None:
    url = "http://www.xiangyin.gov.cn/xxgk/zfxxgknb/bmnb/"
    found = discover_page(Page(url, fixture("empire_county_bmnb.html"), "text/html", "list", depth=1))
    truth = {urljoin(url, p) for p in ("2018-01-31/2101.html", "2018-01-30/2099.html")}
    assert scores(reports(found), truth) == (1.0, 1.0)  # the 住房公积金 report is not one
    assert [x.url for x in lists(found) if x.listing] == [url + "index_2.html"]


def test_hanweb_datastore_column() -> None:
    """Hanweb JCMS column (龙游县, real-urls u005/u010: art_1229114055_* in col1229114055): 15 records in
    the page's <datastore>, the rest by POST to dataproxy.jsp; the declared total is a listing note."""
    T = "政府信息公开工作年度报告"
    recs = "".join(f'<record><![CDATA[<li><a href="/art/2024/1/{i}/art_1229114055_{88340 + i}.html" '
                   f'title="{n}{2023}年度{T}" target="_blank">{n}2023年度{T}</a><span>2024-01-{i:02d}</span></li>]]>'
                   "</record>" for i, n in enumerate(["龙游县横山镇人民政府", "龙游县人民政府办公室",
                                                      "龙游县湖镇镇人民政府"] * 5, start=1))
    decoy = (f'<record><![CDATA[<li><a href="/art/2024/1/31/art_1229114055_88399.html">龙游县2023年{T}解读</a>'
             "</li>]]></record>")
    html = ('<div id="4567"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/'
            'dataproxy.jsp?page=1&appid=1&webid=3079&path=/&columnid=1229114055&unitid=4567&webname=%E9%BE%99'
            '&permissiontype=0"></a>]]></nextgroup><recordset>' + recs + decoy + "</recordset></datastore></script>"
            "</div><script>$('#4567').jpage({proxyUrl:'/module/web/jpage/dataproxy.jsp', perPage:15, "
            "totalRecord:31, dataStore: ''});</script>")
    url = "https://www.longyou.gov.cn/col/col1229114055/index.html"
    found = discover_page(Page(url, html, "text/html", "list"))
    truth = {f"https://www.longyou.gov.cn/art/2024/1/{i}/art_1229114055_{88340 + i}.html" for i in range(1, 16)}
    assert scores(reports(found), truth) == (1.0, 1.0)
    posts = [x for x in lists(found) if x.method == "POST"]
    assert [x.url.split("?")[1] for x in posts] == ["startrecord=17&endrecord=31&perpage=15"]
    (note,) = found.notes
    assert (note.declared_records, note.records) == (31, 16)


YJ = "http://www.yj.gov.cn/col/col1229001235/index.html"
YJ_COLUMNS = "1229779591,1229710852,1229780001,1229780002,1229780003"


def yj_truth(text: str) -> set[str]:
    """The township reports of the fixture: 永嘉县…人民政府YYYY年政府信息公开工作年度报告 (not 解读, 绩效, 通知)."""
    rows = re.findall(r'<a href="([^"]+)" target="_blank" title="([^"]+)"', text)
    return {urljoin(YJ, h) for h, t in rows if re.fullmatch(r"永嘉县.+人民政府\d{4}年政府信息公开工作年度报告", t)}


def test_hanweb_morecolumn_list_and_its_proxy() -> None:
    """Hanweb "more column" list (永嘉县 乡镇年报, five township columns): 15 records in the page's
    <datastore>, the rest by POST to the morecolumndataproxy.jsp its <nextgroup> names, with every
    parameter the href carries (keyWordCount, sourceContentType, the comma list of columns)."""
    html, xml = fixture("hanweb_morecolumn_yj.html"), fixture("hanweb_morecolumn_yj_16-38.xml")
    entry = discover_page(Page(YJ, html, "text/html", "list"))
    assert (len(yj_truth(html)), len(yj_truth(xml))) == (12, 21)
    assert scores(reports(entry), yj_truth(html)) == (1.0, 1.0)
    posts = [x for x in lists(entry) if x.method == "POST"]
    assert [(x.url, x.form) for x in posts] == [(
        "http://www.yj.gov.cn/module/jpage/morecolumndataproxy.jsp?startrecord=16&endrecord=38&perpage=15",
        {"col": "1", "appid": "1", "webid": "3357", "path": "/", "columnid": YJ_COLUMNS, "unitid": "7350012", "keyWordCount": "30",
         "sourceContentType": "1", "webname": "永嘉县人民政府", "permissiontype": "0"})]
    (note,) = entry.notes
    assert (note.family, note.declared_records, note.records, note.planned_pages) == ("hanweb", 38, 15, 1)
    page2 = discover_page(Page(posts[0].url, xml, "text/xml", "list", form=posts[0].form))
    assert scores(reports(entry) | reports(page2), yj_truth(html) | yj_truth(xml)) == (1.0, 1.0)
    assert not lists(page2)  # 16-38 of 38: nothing further
    (note2,) = page2.notes
    assert (note2.key, note2.declared_records, note2.records) == (note.key, 38, 23)


def test_gkmlpt_category_and_api() -> None:
    """Guangdong gkmlpt (和平县合水镇, real-urls u018): _CONFIG → category API → articles + attachments."""
    T = "政府信息公开工作年度报告"
    cfg = {"SID": "hyhphsz", "TREE": [{"id": 2, "name": "政策文件"}, {"id": 7, "name": "政府信息公开年报"}]}
    url = "http://heping.gov.cn/hyhphsz/gkmlpt/index"
    found = discover_page(Page(url, f"<script>window._CONFIG = {json.dumps(cfg, ensure_ascii=False)};</script>",
                               "text/html", "list"))
    (api_url,) = [x.url for x in lists(found)]
    arts = [{"title": f"和平县合水镇人民政府{y}年{T}", "url": f"http://heping.gov.cn/hyhphsz/gkmlpt/content/0/638/post_{638700 + y}.html",
             "attachment": []} for y in range(2019, 2025)]
    arts.append({"title": f"合水镇2024年{T}解读", "url": "http://heping.gov.cn/hyhphsz/gkmlpt/content/0/638/post_638999.html"})
    body = json.dumps({"classify": {"post_count": 7}, "articles": arts}, ensure_ascii=False)
    page = discover_page(Page(api_url, body, "application/json", "list"))
    truth = {a["url"] for a in arts[:-1]}
    assert scores(reports(page), truth) == (1.0, 1.0)
    (note,) = page.notes
    assert (note.declared_records, note.records) == (7, 7)


@pytest.mark.parametrize("name", ["fj_pingtan_zfxxgknb.html", "fj_pingtan_gzjzqk.html", "trs_countpage_zfxxgknb.html",
                                  "empire_county_zfxxgknb.html", "empire_county_bmnb.html", "csrc_common_zfxxgknb.html",
                                  "hanweb_morecolumn_yj.html", "hanweb_morecolumn_yj_16-38.xml"])
def test_every_fixture_names_its_source(name: str) -> None:
    head = fixture(name)[:1500]
    assert "<!--" in head and ("Reconstruction" in head or "sub-column of" in head)
