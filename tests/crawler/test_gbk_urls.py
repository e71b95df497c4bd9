"""GBK pages: the queries of their URLs and the forms built from them are encoded in GBK, as a browser
encodes them (WHATWG URL: a document's URLs are parsed with its encoding, which applies to the query;
forms are submitted in it). Paths stay UTF-8, as in browsers; the IRI as linked is kept.

The site imitates the older TRS/Hanweb portals still served as GB2312 (portals.md §A7: 北京朝阳 pages
need GB18030 decoding): a `<meta http-equiv … charset=gb2312>` column with a Chinese query in a report
link and in a next-page link, and a Hanweb `<datastore>` whose `<nextgroup>` carries the unit name as
GBK escapes (the form jpage posts to dataproxy.jsp)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest

from crawler.charset import url_charset
from crawler.fetch import form_body
from crawler.sites import Source
from demo.server import Req, Resp, Site, serve
from gongkai.store import RawStore
from gongkai.store.iri import iri_to_uri
from gongkai.store.urlkey import canonical_url
from tests.crawler.conftest import fast_config, run_crawl

T = "政府信息公开工作年度报告"


def gbk(text: str) -> str:
    return "".join(f"%{b:02X}" for b in text.encode("gbk"))


@pytest.mark.parametrize(("iri", "enc", "uri"), [
    ("http://x.gov.cn/附件/a.pdf?name=年报", "gbk", f"http://x.gov.cn/%E9%99%84%E4%BB%B6/a.pdf?name={gbk('年报')}"),
    ("http://x.gov.cn/a.jsp?name=年报", "utf-8", "http://x.gov.cn/a.jsp?name=%E5%B9%B4%E6%8A%A5"),
    # the euro sign is 0x80 in GBK, 0xA2E3 in GB18030; a character GBK lacks is sent as &#N;
    ("http://x.gov.cn/a.jsp?q=€😀", "gbk", "http://x.gov.cn/a.jsp?q=%80%26%23128512%3B"),
    ("http://x.gov.cn/a.jsp?q=€😀", "gb18030", "http://x.gov.cn/a.jsp?q=%A2%E3%949%FC6"),
    ("http://x.gov.cn/a.jsp?name=%C4%EA%B1%A8&isMobile=true", "gbk", f"http://x.gov.cn/a.jsp?name={gbk('年报')}"),
])
def test_query_encoded_in_the_page_charset(iri: str, enc: str, uri: str) -> None:
    assert canonical_url(iri, enc) == uri


def test_gb18030_four_byte_sequence_is_escaped_per_byte() -> None:
    assert "😀".encode("gb18030") == b"\x949\xfc6"  # bytes 0x94 0x39 0xFC 0x36: "9" and "6" are ASCII
    assert iri_to_uri("http://x.gov.cn/?q=😀", "gb18030") == "http://x.gov.cn/?q=%949%FC6"


@pytest.mark.parametrize(("decoded", "ctype", "meta", "charset"), [
    ("gb18030", "text/html", b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gbk"),
    ("gb18030", "text/html; charset=GBK", b"", "gbk"),
    ("gb18030", "text/html; charset=gb18030", b"", "gb18030"),
    ("gb18030", "text/html", b'<meta charset="GB18030">', "gb18030"),
    ("utf-8", "text/html; charset=utf-8", b"", "utf-8"),
    ("utf-16-le", "text/html", b"", "utf-8"),
    ("big5", "text/html; charset=big5", b"", "big5"),
])
def test_url_charset_follows_the_label_as_browsers_do(decoded: str, ctype: str, meta: bytes, charset: str) -> None:
    assert url_charset(decoded, b"<html><head>" + meta, ctype) == charset


def test_form_body_in_the_page_charset() -> None:
    assert form_body({"webname": "南京市", "x": "😀"}, "gbk") == f"webname={gbk('南京市')}&x=%26%23128512%3B".encode()
    assert form_body({"webname": "南京市"}) == b"webname=%E5%8D%97%E4%BA%AC%E5%B8%82"


def test_gbk_site_is_crawled_with_gbk_queries_and_forms(tmp_path: Path) -> None:
    site = Site("gbk")
    base, stop = serve(site)
    unit = "南京市民政局"
    col = (
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><title>信息公开年报</title>"
        "</head><body><ul>"
        f'<li><a href="/show.jsp?title=年度报告&id=3">某县民政局2023年{T}</a><span>2024-01-20</span></li>'
        "</ul><div class='page'><a href=\"list.jsp?lb=年报&pageNum=2\">下一页</a></div>"
        '<div id="4567"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/'
        f'dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=1229000&unitid=4567&webname={gbk(unit)}'
        '&permissiontype=0"></a>]]></nextgroup><recordset><record><![CDATA[<li><a href="/show.jsp?title=年报甲&id=5">'
        f"某县财政局2023年{T}</a></li>]]></record></recordset></datastore></script></div>"
        "<script>$('#4567').jpage({proxyUrl:'/module/web/jpage/dataproxy.jsp', perPage:1, totalRecord:2});</script>"
        "</body></html>")
    site.html("/col/", col, charset="gbk", declare="gb2312")
    page2 = (f'<html><head><meta charset="gbk"></head><body><ul><li><a href="/show.jsp?title=二页&id=4">'
             f"某县教育局2023年{T}</a></li></ul></body></html>")
    site.html(f"/col/list.jsp?lb={gbk('年报')}&pageNum=2", page2, charset="gbk")
    for title, n in (("年度报告", 3), ("二页", 4), ("年报甲", 5), ("年报乙", 6)):
        site.html(f"/show.jsp?title={gbk(title)}&id={n}", f"<html><body><h1>第{n}号{T}</h1></body></html>",
                  charset="gbk")
    bodies: list[bytes] = []

    def proxy(req: Req) -> Resp:
        bodies.append(req.body)
        if f"webname={gbk(unit)}".encode() not in req.body:
            return Resp(400, b"bad webname")
        xml = ('<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>2</totalrecord><recordset>'
               f'<record><![CDATA[<li><a href="/show.jsp?title=年报乙&id=6">某县审计局2023年{T}</a></li>]]></record>'
               "</recordset></datastore>")
        return Resp(200, xml.encode(), {"Content-Type": "text/xml; charset=UTF-8"})

    site.add("/module/web/jpage/dataproxy.jsp", proxy)
    try:
        summary = run_crawl(fast_config(tmp_path), [Source("gbk", f"{base}/col/")])
    finally:
        stop()
    paths = {r.path for r in site.log}
    # the report link, the next-page link and the records of the dataproxy answer: GBK queries
    assert {f"/show.jsp?title={gbk(t)}&id={n}" for t, n in (("年度报告", 3), ("二页", 4), ("年报甲", 5), ("年报乙", 6))} <= paths
    assert f"/col/list.jsp?lb={gbk('年报')}&pageNum=2" in paths
    assert bodies and all(f"webname={gbk(unit)}".encode() in b for b in bodies)
    utf8 = [quote(t) for t in ("年度报告", "二页", "年报甲", "年报乙", "年报", unit)]
    assert not [p for p in paths if any(u in p for u in utf8)]  # nothing was sent as UTF-8
    assert summary.finished and not summary.errors
    with RawStore(tmp_path) as store:
        got = {d.url for d in store.iter_documents(kind="report")}
    assert got == {f"{base}/show.jsp?title={gbk(t)}&id={n}" for t, n in
                   (("年度报告", 3), ("二页", 4), ("年报甲", 5), ("年报乙", 6))}
    conn = sqlite3.connect(tmp_path / "state.sqlite")
    iri, charset = conn.execute("SELECT iri, charset FROM frontier WHERE url LIKE '%id=3'").fetchone()
    conn.close()
    assert (iri, charset) == (f"{base}/show.jsp?title=年度报告&id=3", "gbk")  # the IRI as linked is kept
