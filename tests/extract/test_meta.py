"""Metadata of real report pages (tests/fixtures/meta: minimal reconstructions of the top of each
page, source URL in sources.csv) and of the failures named in issue 8."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extract.document import extract_document
from extract.meta import is_organ_name, read_meta

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "meta"
SOURCES = list(csv.DictReader((FIXTURES / "sources.csv").open(encoding="utf-8")))


def test_fixtures_come_from_several_provinces_and_portal_families() -> None:
    provinces = {r["file"].split("_")[0] for r in SOURCES}
    assert len(SOURCES) >= 15 and len(provinces) >= 10
    assert all(r["url"].startswith("http") for r in SOURCES)


@pytest.mark.parametrize("row", SOURCES, ids=[r["file"] for r in SOURCES])
def test_real_page_metadata(row: dict[str, str]) -> None:
    r = extract_document((FIXTURES / row["file"]).read_bytes(), row["file"])
    assert r.agency == row["agency"]
    assert r.year == int(row["year"])
    assert r.published == (row["published"] or None)


@pytest.mark.parametrize("line", [
    # a line of a PDF text layer that starts mid-sentence (issue 8): a fragment, never an agency
    "定》）和《关于印发中华人民共和国政府信息公开工作年度报告格式》的通知要求，编制本报告。",
    "定》）和《关于印发中华人民共和国政府信息公开工作年度报告",
    "根据《中华人民共和国政府信息公开条例》和《关于做好2017年政府信息公开工作年度报告编制和公布工作的通知》要求",
])
def test_sentence_fragments_are_never_the_agency(line: str) -> None:
    text = f"{line}\n一、总体情况\n2023年，本机关主动公开政府信息20条。\n"
    meta = read_meta(text, None, {})
    assert meta.agency is None


@pytest.mark.parametrize("line", [
    # tests/fixtures/real, 杨凌 审计局 2022 (yangling.gov.cn): the report names itself 我局, no agency is printed
    "根据《中华人民共和国政府信息公开条例》规定,现公布我局2022年政府信息公开工作年度报告。",
    "现公布本街道办事处2022年政府信息公开工作年度报告",
    "现将我县人民政府2022年政府信息公开工作年度报告公布如下",
])
def test_the_report_speaking_of_itself_is_not_the_agency(line: str) -> None:
    assert read_meta(f"一、总体情况\n{line}\n", None, {}).agency is None


@pytest.mark.parametrize(("title", "agency"), [
    ("柘城县发改委2017政府信息公开工作年度报告", "柘城县发改委"),  # issue 8: the year is not part of the name
    ("柘城县发改委2017年度政府信息公开工作年度报告", "柘城县发改委"),
    ("2022度珠晖区粤汉街道信息公开工作年度报告", "珠晖区粤汉街道"),
    ("新九镇人民政府关于2021年度政府信息公开工作的年度报告", "新九镇人民政府"),
    ("关于2021年度政府信息公开工作的年度报告", None),
    ("2024年合水镇人民政府信息公开工作年度报告", "合水镇人民政府"),
])
def test_agency_from_title(title: str, agency: str | None) -> None:
    assert read_meta("正文", title, {}).agency == agency


def test_uploader_in_the_metadata_box_is_not_the_agency() -> None:
    """发布机构 names whoever uploaded the page (东街街道's report: 政务服务管理局); with no title the
    agency stays unknown rather than taken from it."""
    text = "发布机构:政务服务管理局\n一、总体情况\n本街道主动公开信息20条。"
    assert read_meta(text, None, {}).agency == "政务服务管理局"  # an organ name is still better than nothing
    text = "来源:关于印发的通知\n一、总体情况"
    assert read_meta(text, None, {}).agency is None


@pytest.mark.parametrize(("head", "published"), [
    ("发布日期：2023-01-30", "2023-01-30"),
    ("更新日期：2023-02-01", "2023-02-01"),
    ("发布时间:2023年1月30日", "2023-01-30"),
    ("成文日期: 2023-01-20 发布日期: 2023-01-30", "2023-01-30"),  # published beats written
    ("更新时间：2023-03-01 成文日期：2023-01-20", "2023-01-20"),  # written beats touched
    ("生成日期: | 2024-01-05 |", "2024-01-05"),
    ("来源:马港镇人民政府 日期:2025-01-06 11:29", "2025-01-06"),
    ("统计日期:2023-01-30", None),  # not a page date
    # The Pingtan portal's byline (shared corpus, html_2025_fujian_pingtan_gov.html) as its HTML prints it and as
    # its PDF and Word renderings read (the space between 办公室 and 时间 dropped between Chinese characters).
    ("来源：平潭综合实验区管委会办公室 时间：2026-03-10 12:56", "2026-03-10"),
    ("来源：平潭综合实验区管委会办公室时间：2025-03-1015:35", "2025-03-10"),
    ("来源:区人民政府办公室 时间:2017-01-12 10:01", "2017-01-12"),  # the corpus's 2016 平潭 page
    ("时间:2026-01-26 09:42来源:海城市西四镇", "2026-01-26"),  # tests/fixtures/real, 西四镇
    ("统计时间：2024-01-01至2024-12-31", None),  # the report's period, not the page's date
    ("时间段：2024-01-01至2024-12-31", None),
    ("来源：某县统计局 统计时间：2024-01-01至2024-12-31", None),
    ("本年度统计时间为2024年1月1日至2024年12月31日", None),
])
def test_publication_date_lines(head: str, published: str | None) -> None:
    meta = read_meta(f"某县审计局2022年政府信息公开工作年度报告\n{head}\n一、总体情况", None, {})
    assert meta.published == published


@pytest.mark.parametrize(("name", "ok"), [
    ("伊州区住房和城乡建设局", True), ("平潭综合实验区管委会", True), ("东街街道", True),
    ("上海市", False), ("定》）和《关于印发中华人民共和国", False), ("中华人民共和国", False),
    ("我局", False), ("本机关", False), ("我中心", False), ("本溪市人民政府", True),
])
def test_organ_names(name: str, ok: bool) -> None:
    assert is_organ_name(name) is ok
