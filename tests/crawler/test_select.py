"""Report filter (portals.md §A5), report year, host allow-list, URL twins."""

from __future__ import annotations

import pytest

from crawler.select import canonical_url, host_allowed, is_column_title, is_report_title, report_year

POSITIVE = [
    ("番禺区人民政府办公室2024年政府信息公开工作年度报告", 2024),
    ("2024年度龙游县政府信息公开工作年度报告", 2024),
    ("龙游县横山镇人民政府2023年度政府信息公开工作年度报告", 2023),
    ("2024年合水镇人民政府政府信息公开工作年度报告", 2024),
    ("岚皋县民主镇人民政府2024年政府信息公开年度报告", 2024),
    ("绥阳县小关乡2022年信息公开工作年度报告", 2022),
    ("2023年度沅江路街道信息公开工作报告", 2023),
    ("宿州市2019年政府信息公开工作年度报告（图片版）", 2019),
    ("黄浦区2023年政府信息公开工作年度报告（超链版）", 2023),
    ("某局政府信息公开工作年度报告（2024年）", 2024),
    ("2022年度政府信息公開工作年度報告", 2022),
    ("2023年政府信息公开年报", 2023),
    ("我局政府信息公开工作年度报告", None),
]
NEGATIVE = [
    "王庄集镇2023年政府信息公开工作年度报告解读",
    "图解：2023年政府信息公开工作年度报告",
    "关于做好2023年政府信息公开工作年度报告编制和发布工作的通知",
    "政府信息公开工作年度报告格式",
    "2023年住房公积金年度报告",
    "某股份有限公司2023年年度报告",
    "2023年度整体支出绩效评价报告",
    "中华人民共和国政府信息公开条例",
    "政府信息公开年报",
    "2023年政务公开工作要点",
    "",
]


@pytest.mark.parametrize(("title", "year"), POSITIVE)
def test_report_titles_accepted_with_year(title: str, year: int | None) -> None:
    assert is_report_title(title)
    assert report_year(title) == year


@pytest.mark.parametrize("title", NEGATIVE)
def test_look_alikes_rejected(title: str) -> None:
    assert not is_report_title(title)


def test_year_from_hanweb_fbtime_when_title_lacks_it() -> None:
    url = "http://www.ouhai.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=001008003012020&fbtime=2024"
    assert report_year("区审计局", url) == 2024


@pytest.mark.parametrize("title", ["部门年报", "政府信息公开年报", "乡镇年报", "2023年", "2022年度", "年度报告"])
def test_column_titles(title: str) -> None:
    assert is_column_title(title)


@pytest.mark.parametrize("title", ["首页", "政策解读", "2023年政府信息公开工作年度报告", "通知公告"])
def test_not_column_titles(title: str) -> None:
    assert not is_column_title(title)


@pytest.mark.parametrize(("host", "ok"), [
    ("www.panyu.gov.cn", True), ("gov.cn", True), ("xxgk.jlbc.gov.cn", True),
    ("365betchina.com", False), ("gov.cn.evil.com", False), ("fakegov.cn", False),
    ("124.93.205.130", False), ("127.0.0.1", False), ("10.0.0.1", False), ("localhost", False),
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
])
def test_canonical_url(url: str, canon: str) -> None:
    assert canonical_url(url) == canon
