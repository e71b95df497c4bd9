"""Discovery per platform family on inline pages: report links, pages 2+ from scripts and APIs."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.discover import Link, Page, discover

R = "政府信息公开工作年度报告"


def _kinds(links: list[Link], kind: str) -> list[str]:
    return [x.url for x in links if x.kind == kind]


def test_trs_create_page_html_gives_pages_2_to_n() -> None:
    html = (f'<ul><li><a href="./202501/t20250122_1.html">硚口区2024年{R}</a></li>'
            f'<li><a href="./202501/t20250123_2.html">2024年{R}解读</a></li></ul>'
            '<script>createPageHTML(4, 0, "index", "shtml");</script>')
    links = discover(Page("https://www.qiaokou.gov.cn/xxgk/zfxxgknb/", html, "text/html", "list"))
    assert _kinds(links, "report") == ["https://www.qiaokou.gov.cn/xxgk/zfxxgknb/202501/t20250122_1.html"]
    assert _kinds(links, "list") == [f"https://www.qiaokou.gov.cn/xxgk/zfxxgknb/index_{n}.shtml" for n in (1, 2, 3)]
    assert links[0].report_year == 2024


def test_trs_div_form_and_count_page_variable() -> None:
    html = '<script>createPageHTML("page_div", 3, 1, "index", "html", 45);</script>'
    links = discover(Page("http://a.gov.cn/col/index_1.html", html, "text/html", "list"))
    assert _kinds(links, "list") == ["http://a.gov.cn/col/index_1.html", "http://a.gov.cn/col/index_2.html"]
    links = discover(Page("http://a.gov.cn/col/index.html", "<script>var countPage = 3//共多少页</script>",
                          "text/html", "list"))
    assert _kinds(links, "list") == ["http://a.gov.cn/col/index_1.html", "http://a.gov.cn/col/index_2.html"]


def test_truncated_text_uses_title_attribute() -> None:
    html = f'<a href="/a.html" title="某某县某某局2023年{R}">某某县某某局2023年政府信息…</a>'
    links = discover(Page("http://a.gov.cn/list/", html, "text/html", "list"))
    assert [(x.url, x.title) for x in links] == [("http://a.gov.cn/a.html", f"某某县某某局2023年{R}")]


def test_generic_next_page_and_year_folders() -> None:
    html = ('<a href="2.html">下一页</a><a href="/gk/nb/2023n/">2023年</a><a href="/other/">新闻中心</a>'
            '<a href="http://b.gov.cn/x/">部门年报</a>')
    links = discover(Page("http://a.gov.cn/gk/nb/1.html", html, "text/html", "list"))
    assert set(_kinds(links, "list")) == {"http://a.gov.cn/gk/nb/2.html", "http://a.gov.cn/gk/nb/2023n/",
                                          "http://b.gov.cn/x/"}  # a hub's link to a department site
    deep = discover(Page("http://a.gov.cn/gk/nb/1.html", html, "text/html", "list", depth=3))
    assert _kinds(deep, "list") == ["http://a.gov.cn/gk/nb/2.html"]  # column links stop at max depth


def test_hanweb_datastore_and_dataproxy_ranges() -> None:
    records = "".join(f'<record><![CDATA[<li><a href="/art/2024/1/{i}/art_1229114055_{i}.html">'
                      f"县{i}局2023年{R}</a></li>]]></record>" for i in range(1, 16))
    html = ('<div id="4567"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/'
            'dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=1229114055&unitid=4567&webname=x&permissiontype=0">'
            f"</a>]]></nextgroup><recordset>{records}</recordset></datastore></script></div>"
            "<script>$('#4567').jpage({perPage:15, totalRecord:100});</script>")
    links = discover(Page("https://www.longyou.gov.cn/col/col1229114055/index.html", html, "text/html", "list"))
    assert len(_kinds(links, "report")) == 15
    posts = [x for x in links if x.method == "POST"]
    assert [x.url.split("?")[1] for x in posts] == [
        "startrecord=16&endrecord=60&perpage=15", "startrecord=61&endrecord=100&perpage=15"]
    assert posts[0].form is not None and posts[0].form["columnid"] == "1229114055"
    xml = ('<?xml version="1.0"?><datastore><totalrecord>100</totalrecord><recordset>'
           f'<record><![CDATA[<a href="/art/2024/1/9/art_1_9.html" title="县9局2022年{R}">x</a>]]></record>'
           "</recordset></datastore>")
    page = Page(posts[0].url, xml, "text/xml", "list", form=posts[0].form)
    out = discover(page)
    assert _kinds(out, "report") == ["https://www.longyou.gov.cn/art/2024/1/9/art_1_9.html"]
    assert [x.url.split("?")[1] for x in out if x.kind == "list"] == ["startrecord=61&endrecord=100&perpage=15"]


def test_hanweb_xxgk_annual_report_links_and_enumeration() -> None:
    html = '<a href="/module/xxgk/xxgkAnnualReport.jsp?area=11370883004326403Q&fbtime=2024">太平镇人民政府</a>'
    links = discover(Page("http://www.zoucheng.gov.cn/col/col1/index.html", html, "text/html", "list",
                          overrides={"areas": ["001"], "years": [2022, 2023]}))
    reports = {(x.url, x.report_year) for x in links if x.kind == "report"}
    assert reports == {
        ("http://www.zoucheng.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=11370883004326403Q&fbtime=2024", 2024),
        ("http://www.zoucheng.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=001&fbtime=2022", 2022),
        ("http://www.zoucheng.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=001&fbtime=2023", 2023),
    }


def test_gkmlpt_config_then_api_pages() -> None:
    cfg = {"SID": "gd_sid", "TREE": [{"id": 3, "name": "政策解读"}, {"id": 8, "name": "政府信息公开年报"}]}
    html = f"<script>window._CONFIG = {json.dumps(cfg, ensure_ascii=False)};</script>"
    links = discover(Page("http://heping.gov.cn/hyhphsz/gkmlpt/index", html, "text/html", "list"))
    assert _kinds(links, "list") == ["http://heping.gov.cn/hyhphsz/gkmlpt/api/all/8?page=1&sid=gd_sid"]
    api = {"classify": {"post_count": 250}, "articles": [
        {"title": f"合水镇2024年{R}", "url": "http://heping.gov.cn/hyhphsz/gkmlpt/content/0/638/post_638777.html",
         "attachment": [{"name": "a.pdf", "url": "http://heping.gov.cn/attachment/a.pdf"}]},
        {"title": "关于印发某方案的通知", "url": "http://heping.gov.cn/x.html", "attachment": []},
    ] * 50}
    out = discover(Page(_kinds(links, "list")[0], json.dumps(api, ensure_ascii=False), "application/json", "list"))
    assert set(_kinds(out, "report")) == {"http://heping.gov.cn/hyhphsz/gkmlpt/content/0/638/post_638777.html"}
    atts = [x for x in out if x.kind == "attachment"]
    assert atts and atts[0].parent_url == "http://heping.gov.cn/hyhphsz/gkmlpt/content/0/638/post_638777.html"
    assert [x.url.split("?")[1] for x in out if x.kind == "list"] == ["page=2&sid=gd_sid", "page=3&sid=gd_sid"]


def test_static_first_page_plus_search_api() -> None:
    html = (f'<a href="/x/1.html">某局2024年度{R}</a>'
            '<script>var searchUrl = "/api/search?channelId=9&pageNo=1&size=10"; var totalPage = 3;</script>')
    links = discover(Page("http://a.gov.cn/x/index.html", html, "text/html", "list"))
    assert _kinds(links, "list") == ["http://a.gov.cn/api/search?channelId=9&pageNo=2&size=10",
                                     "http://a.gov.cn/api/search?channelId=9&pageNo=3&size=10"]
    body = json.dumps({"result": {"rows": [{"docTitle": f"某局2023年{R}", "docUrl": "/x/2.html"},
                                           {"docTitle": f"2023年{R}解读", "docUrl": "/x/3.html"}]}})
    out = discover(Page(_kinds(links, "list")[0], body, "application/json", "list"))
    assert _kinds(out, "report") == ["http://a.gov.cn/x/2.html"]


def test_report_page_yields_attachments_only() -> None:
    html = (f'<a href="/att/P0202401.pdf">附件1</a><a href="/att/b.DOCX">b</a><a href="/down?fileurl=x">下载</a>'
            f'<a href="/a.wps">c</a><a href="/other.html">2022年{R}</a>')
    links = discover(Page("http://a.gov.cn/r/t1.html", html, "text/html", "report"))
    assert {x.kind for x in links} == {"attachment"}
    assert len(links) == 4


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["list", "report"]), st.sampled_from(["text/html", "application/json"]))
def test_parsers_never_raise_on_any_text(text: str, kind: str, ctype: str) -> None:
    links = discover(Page("http://a.gov.cn/col/index.html", text, ctype, kind))
    assert all(isinstance(x, Link) for x in links)


def test_registry_list_selector_and_page_count_rule() -> None:
    html = (f'<div class="side"><a href="/hot/1.html">热点：某市2023年{R}</a></div>'
            f'<ul class="list"><li><a href="/nb/2.html">某局2023年{R}</a></li></ul>')
    overrides: dict[str, object] = {"list_selector": "ul.list", "page_pattern": "list_{n}.shtml", "page_count": 3}
    links = discover(Page("http://a.gov.cn/nb/index.shtml", html, "text/html", "list", overrides=overrides))
    assert _kinds(links, "report") == ["http://a.gov.cn/nb/2.html"]
    assert _kinds(links, "list") == ["http://a.gov.cn/nb/list_1.shtml", "http://a.gov.cn/nb/list_2.shtml"]
    deeper = discover(Page("http://a.gov.cn/nb/list_1.shtml", html, "text/html", "list", depth=1, overrides=overrides))
    assert _kinds(deeper, "list") == []  # the page-count rule is for the entry column only


def test_list_selector_does_not_hide_hanweb_records() -> None:
    html = ('<script type="text/xml"><datastore><recordset><record><![CDATA[<a href="/art/2024/1/1/art_1_1.html">'
            f"某局2023年{R}</a>]]></record></recordset></datastore></script>")
    page = Page("http://a.gov.cn/col/col1/index.html", html, "text/html", "list", overrides={"list_selector": "ul.x"})
    assert _kinds(discover(page), "report") == ["http://a.gov.cn/art/2024/1/1/art_1_1.html"]
