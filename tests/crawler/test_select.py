"""Report filter (portals.md §A5), report year, host allow-list, URL twins."""

from __future__ import annotations

import pytest

from crawler.select import canonical_url, host_allowed, is_column_title, twin_key
from gongkai.classify import is_report_title, report_year


def test_report_titles_come_from_the_shared_classifier() -> None:
    """Titles are decided in gongkai.classify (tests/test_classify.py); the crawler asks it."""
    assert is_report_title("XX县扶贫办2017年政府信息年度报告") and report_year("XX县扶贫办2017年政府信息年度报告") == 2017
    assert not is_report_title("王庄集镇2023年政府信息公开工作年度报告解读")


@pytest.mark.parametrize("title", ["部门年报", "政府信息公开年报", "乡镇年报", "2023年", "2022年度", "年度报告"])
def test_column_titles(title: str) -> None:
    assert is_column_title(title)


@pytest.mark.parametrize("title", ["首页", "政策解读", "2023年政府信息公开工作年度报告", "通知公告",
                                   # report titles that used to be taken for columns (issue 11)
                                   "XX县扶贫办2017年政府信息年度报告", "XX局2016年政务公开年度报告",
                                   "2023年度报告", "政务公开工作年度报告"])
def test_not_column_titles(title: str) -> None:
    assert not is_column_title(title)


@pytest.mark.parametrize(("host", "ok"), [
    ("www.panyu.gov.cn", True), ("gov.cn", True), ("xxgk.jlbc.gov.cn", True),
    ("365betchina.com", False), ("gov.cn.evil.com", False), ("fakegov.cn", False),
    ("124.93.205.130", False), ("127.0.0.1", False), ("10.0.0.1", False), ("localhost", False),
    ("100.64.0.1", False), ("2002:7f00:1::", False), ("[::1]", False),
])
def test_host_allow_list(host: str, ok: bool) -> None:
    assert host_allowed(host) is ok


def test_registered_hosts_are_allowed() -> None:
    assert host_allowed("124.93.205.130", {"124.93.205.130"})
    assert host_allowed("127.0.0.1", {"127.0.0.1"})


@pytest.mark.parametrize(("url", "canon"), [
    ("http://cqqj.gov.cn/zwgk_159/zfxxgknb/qzfxxgknb/202403/t20240327_13086081_wap.html",
     "http://cqqj.gov.cn/zwgk_159/zfxxgknb/qzfxxgknb/202403/t20240327_13086081.html"),
    ("https://www.suiyang.gov.cn/zwgk/2022n/202301/t20230131_87229140.html?isMobile=true",
     "https://www.suiyang.gov.cn/zwgk/2022n/202301/t20230131_87229140.html"),
    ("HTTP://WWW.A.GOV.CN:80/x.html#top", "http://www.a.gov.cn/x.html"),
    ("http://127.0.0.1:8123/a?b=1", "http://127.0.0.1:8123/a?b=1"),
    # IRIs (RFC 3987): non-ASCII path and query UTF-8 percent-encoded; escapes upper-cased, not doubled
    ("http://a.gov.cn/附件/2024年报告.pdf?name=年报",
     "http://a.gov.cn/%E9%99%84%E4%BB%B6/2024%E5%B9%B4%E6%8A%A5%E5%91%8A.pdf?name=%E5%B9%B4%E6%8A%A5"),
    ("http://a.gov.cn/%e9%99%84%E4%BB%B6/x.pdf", "http://a.gov.cn/%E9%99%84%E4%BB%B6/x.pdf"),
    ("http://a.gov.cn/x?q", "http://a.gov.cn/x?q"),  # a bare parameter is not rewritten to q=
    ("http://[2001:db8::1]:8080/a", "http://[2001:db8::1]:8080/a"),
])
def test_canonical_url(url: str, canon: str) -> None:
    assert canonical_url(url) == canon


@pytest.mark.parametrize(("a", "b"), [
    ("http://a.gov.cn/col/", "http://a.gov.cn/col/index.html"),
    ("http://a.gov.cn/col/", "http://a.gov.cn/col/index.shtml"),
    ("http://a.gov.cn/col/", "http://A.gov.cn:80/col/default.htm#top"),
    ("http://a.gov.cn/~u/x.html", "http://a.gov.cn/%7Eu/x.html"),
    ("http://a.gov.cn/附件/a.pdf", "http://a.gov.cn/%E9%99%84%E4%BB%B6/a.pdf"),
])
def test_twins_share_one_seen_set_key(a: str, b: str) -> None:
    assert twin_key(a) == twin_key(b)


def test_different_pages_keep_different_keys() -> None:
    assert twin_key("http://a.gov.cn/col/index_1.html") != twin_key("http://a.gov.cn/col/")
    assert twin_key("http://a.gov.cn/col/index.html?page=2") != twin_key("http://a.gov.cn/col/")
