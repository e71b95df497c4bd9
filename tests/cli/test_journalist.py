"""`top` and `inconsistent`: every year by default, place/level/agency filters, failing reports marked."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dataset.query import METRICS, Scope, inconsistent, top
from tests.cli.test_cli_output import data_env, gongkai
from tests.release import BROKEN


def rows_of(p_stdout: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(p_stdout)))


def test_top_covers_every_year_and_marks_reports_failing_their_checks(small_release: Path) -> None:
    cols, rows = top(small_release, "refusal_share", min_volume=1, limit=None)
    assert {r[cols.index("year")] for r in rows} == {2022, 2023, 2024}
    marked = {(r[cols.index("agency_name")], r[cols.index("year")]): r[cols.index("failed_rules")] for r in rows}
    assert "T3-B" in marked[BROKEN].split()
    assert all(v == "" for k, v in marked.items() if k != BROKEN)
    shares = [r[cols.index("refusal_share")] for r in rows]
    assert shares == sorted(shares, reverse=True)
    _c, kept = top(small_release, "refusal_share", min_volume=1, limit=None, exclude_failing=True)
    assert len(kept) == len(rows) - 1 and BROKEN not in {(r[0], r[1]) for r in kept}


def test_top_filters(small_release: Path) -> None:
    env = data_env(small_release)
    js = rows_of(gongkai("top", "--metric", "new_requests", "--min-volume", "0", "--province", "江苏",
                         env=env, check=True).stdout)
    assert js and all((r.get("province") or r["region"]).startswith("江苏省") for r in js)
    assert {r["agency_name"] for r in js} == {"江苏省淮安市人民政府", "淮安市洪泽区教育局", "南京市教育局"}
    one = rows_of(gongkai("top", "--metric", "new_requests", "--min-volume", "0", "--year", "2023",
                          "--level", "department", "--agency", "教育局", env=env, check=True).stdout)
    assert {(r["agency_name"], r["year"], r["admin_level"]) for r in one} == {
        ("淮安市洪泽区教育局", "2023", "department"), ("南京市教育局", "2023", "department")}


def test_min_volume_guards_the_denominator(small_release: Path) -> None:
    cols, rows = top(small_release, "refusal_share", min_volume=500, limit=None)
    assert rows and all(r[cols.index("handled")] >= 500 for r in rows)


def test_inconsistent_over_all_years_with_filters(small_release: Path) -> None:
    cols, rows = inconsistent(small_release)
    assert {(r[cols.index("agency_name")], r[cols.index("year")]) for r in rows} == {BROKEN}
    assert {r[cols.index("rule")] for r in rows} >= {"T3-B", "T3-C"}
    assert inconsistent(small_release, where=Scope(province="浙江"))[1] == []
    assert inconsistent(small_release, where=Scope(year=2024))[1] == []
    assert len(inconsistent(small_release, where=Scope(agency="洪泽"))[1]) == len(rows)


def test_metrics_are_defined_in_help() -> None:
    p = gongkai("top", "--help", check=True)
    for m in METRICS.values():
        assert f"{m.name}:" in p.stdout
    assert "本年新收" in p.stdout and "不予公开" in p.stdout and "结果纠正" in p.stdout
    assert "failed_rules" in p.stdout
