"""The one report classifier (gongkai.classify) that crawler and extractor share: title variants from
real reports (the corpus manifest, portals.md §A5, issue 11), look-alikes with their reasons, the year,
and the body deciding for report-like titles."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extract.meta import read_meta
from gongkai.classify import classify_document, classify_title, looks_like_report_body, report_year

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"

REPORTS = [
    ("番禺区人民政府办公室2024年政府信息公开工作年度报告", 2024),
    ("2024年度龙游县政府信息公开工作年度报告", 2024),
    ("2024年合水镇人民政府政府信息公开工作年度报告", 2024),
    ("岚皋县民主镇人民政府2024年政府信息公开年度报告", 2024),
    ("绥阳县小关乡2022年信息公开工作年度报告", 2022),
    ("2023年度沅江路街道信息公开工作报告", 2023),
    ("宿州市2019年政府信息公开工作年度报告（图片版）", 2019),
    ("黄浦区2023年政府信息公开工作年度报告（超链版）", 2023),
    ("某局政府信息公开工作年度报告（2024年）", 2024),
    ("2022年度政府信息公開工作年度報告", 2022),  # traditional script on a mirror
    ("2023年政府信息公开年报", 2023),
    ("我局政府信息公开工作年度报告", None),
    ("平潭综合实验区地方税务局2013年信息公开年度报告", 2013),
    # issue 11: variants that were missed or taken for columns
    ("XX局 政府信息公开工作2017年度报告", 2017),
    ("2017 年政府信息工作年度报告", 2017),
    ("XX县扶贫办2017年政府信息年度报告", 2017),
    ("XX局2016年政务公开年度报告", 2016),
    ("某局2023年政府信息公开工作年度报告_通知公告_陇南市人民政府", 2023),  # a page <title> with its column
]
REJECTED = [
    ("王庄集镇2023年政府信息公开工作年度报告解读", "interpretation"),
    ("图解：2023年政府信息公开工作年度报告", "interpretation"),
    ("关于2014年政府信息公开工作要点落实情况的函", "letter"),
    ("关于做好2023年政府信息公开工作年度报告编制和发布工作的通知", "notice"),
    ("政府信息公开工作年度报告格式", "template"),
    ("2023年住房公积金年度报告", "other_annual_report"),
    ("某股份有限公司2023年年度报告", "other_annual_report"),
    ("2023年度整体支出绩效评价报告", "other_annual_report"),
    ("中华人民共和国政府信息公开条例", "other_document"),
    ("2023年政务公开工作要点", "other_document"),
]
MAYBE = ["政务公开报告", "2023年度报告", "信息公开报告", "政务公开工作年度报告"]
UNRELATED = ["政府信息公开年报", "年度报告", "部门年报", "首页", "2023年", ""]


@pytest.mark.parametrize(("title", "year"), REPORTS)
def test_report_titles_with_their_year(title: str, year: int | None) -> None:
    v = classify_title(title)
    assert (v.kind, v.year) == ("report", year), v
    assert v.is_report is True and v.reason.startswith("report:")


@pytest.mark.parametrize(("title", "why"), REJECTED)
def test_look_alikes_rejected_with_a_reason(title: str, why: str) -> None:
    v = classify_title(title)
    assert (v.kind, v.reason) == ("rejected", f"rejected:{why}")
    assert v.is_report is False and not v.fetch_as_report


@pytest.mark.parametrize("title", MAYBE)
def test_report_like_titles_are_fetched_and_left_to_the_body(title: str) -> None:
    v = classify_title(title)
    assert v.kind == "maybe" and v.fetch_as_report and v.is_report is None


@pytest.mark.parametrize("title", UNRELATED)
def test_titles_that_name_no_report(title: str) -> None:
    v = classify_title(title)
    assert v.kind == "unrelated" and v.is_report is None and not v.fetch_as_report


def test_year_from_hanweb_fbtime_when_title_lacks_it() -> None:
    url = "http://www.ouhai.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=001008003012020&fbtime=2024"
    assert report_year("区审计局", url) == 2024
    assert classify_title("区审计局", url).year == 2024


def _manifest() -> list[dict[str, str]]:
    with open(CORPUS / "manifest.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_real_titles_of_the_corpus() -> None:
    """The Pingtan column's 20 titles (stored copies in changwu/pingtan-gov-zwgk-archive, named in the
    manifest's source paths): 19 reports with their years, and the one 函 filed among them."""
    titles: dict[str, tuple[bool, int | None]] = {}
    for row in _manifest():
        path = row["source_path"]
        if "zfxxgknb/" not in path or not path.endswith("page.txt"):
            continue
        title = path.split("/")[-2].split("_", 1)[1]
        titles[title] = (not row["file"].startswith("negative"), int(row["year"]) if row["year"].isdigit() else None)
    assert len(titles) >= 15
    for title, (is_report, year) in titles.items():
        v = classify_title(title)
        assert v.is_report is is_report, (title, v)
        assert v.year == year or not is_report, (title, v)


def test_body_decides_for_a_report_like_title() -> None:
    report = "一、总体情况\n……\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况"
    summary = "今年我局政务公开工作取得新进展，现将有关情况报告如下：一是加强领导；二是完善制度。"
    assert looks_like_report_body(report) and not looks_like_report_body(summary)
    assert classify_document("政务公开报告", report).is_report is True
    assert classify_document("政务公开报告", summary).is_report is False
    assert classify_document("2023年度政府信息公开工作年度报告解读", report).is_report is False  # the title names it


def test_real_reports_of_the_fixtures_have_report_bodies() -> None:
    """tests/fixtures/real: 20 reports from 11 provinces (partial excerpts, PDF text, pipes, traditional
    mirrors, the 2019 trial form): each is recognised by its body alone."""
    real = Path(__file__).resolve().parent / "fixtures" / "real"
    with open(real / "manifest.csv", encoding="utf-8") as fh:
        # the text and HTML reports; the PDF/DOCX renderings of one of them are binary, not a body to read as text
        names = [row["file"] for row in csv.DictReader(fh) if not row["file"].endswith((".pdf", ".docx"))]
    assert len(names) >= 20
    for name in names:
        assert looks_like_report_body((real / name).read_text(encoding="utf-8", errors="replace")), name


def test_traditional_report_body() -> None:
    """Mirrors print reports in traditional script: the body test converts through OpenCC."""
    assert looks_like_report_body("一、總體情況 二、主動公開政府信息情況 三、收到和處理政府信息公開申請情況")


def test_a_list_of_report_titles_is_not_a_report_body() -> None:
    listing = "\n".join(f"第{i}局2023年政府信息公开工作年度报告" for i in range(40))
    assert not looks_like_report_body(listing)


def test_corpus_bodies_pre2019_and_2021_format_and_the_letter() -> None:
    """Every HTML and flattened-text report of the corpus (2011-2025: pre-2019 outlines and the 2021
    format) has a report body; the 函 filed in the same column has not."""
    from gongkai.decode import decode

    checked = 0
    for row in _manifest():
        if not row["file"].startswith(("html_", "textflat_", "negative_")):
            continue
        raw = (CORPUS / "docs" / row["file"]).read_bytes()
        text = decode(raw, "text/html")[0] if row["file"].endswith(".html") else raw.decode("utf-8")
        assert looks_like_report_body(text) is (not row["file"].startswith("negative")), row["file"]
        checked += 1
    assert checked >= 30


def test_extractor_uses_the_same_decision() -> None:
    """extract/meta.py asks the shared classifier: a 函 is not a report; a 政务公开报告 whose body is
    the disclosure report is one; the issue's variants are reports."""
    body = "一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
    assert read_meta(body, "关于2014年政府信息公开工作要点落实情况的函", {}).is_report is False
    assert read_meta(body, "政务公开报告", {}).is_report is True
    assert read_meta("一是加强领导。", "政务公开报告", {}).is_report is False
    for title, _year in REPORTS[-5:]:
        assert read_meta(body, title, {}).is_report is True, title
