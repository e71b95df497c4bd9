"""`gongkai serve`: the explorer over a real server on 127.0.0.1, read over HTTP (no browser)."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cli.explorer.chart import line_chart, nice_ticks
from cli.explorer.database import ensure_database
from cli.main import build_parser
from tests.cli.explorer_server import serving
from tests.release import BROKEN

JIANGSU = "江苏省"


@pytest.fixture(scope="module")
def data(small_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy, so the SQLite cache written under it is this module's own."""
    where = tmp_path_factory.mktemp("explorer") / "data"
    shutil.copytree(small_release / "release", where / "release")
    return where


@pytest.fixture(scope="module")
def site(data: Path) -> Iterator[str]:
    with serving(data) as url:
        yield url


def agency_id(data: Path, name: str) -> str:
    con = sqlite3.connect(ensure_database(data).path)
    return str(con.execute("SELECT agency_id FROM agencies WHERE agency_name = ?", (name,)).fetchone()[0])


def test_database_is_cached_and_rebuilt_only_when_the_release_changes(data: Path, tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(data / "release", copy / "release")
    first = ensure_database(copy)
    mtime = first.path.stat().st_mtime_ns
    again = ensure_database(copy)
    assert again.digest == first.digest and again.path.stat().st_mtime_ns == mtime  # reused, not rebuilt
    reports = copy / "release" / "reports.parquet"
    reports.write_bytes(reports.read_bytes())  # a new build rewrites it
    rebuilt = ensure_database(copy)
    assert rebuilt.digest != first.digest
    assert rebuilt.counts["report_summary"] == 15


def test_places_summary_labels_and_inconsistent_are_added(data: Path) -> None:
    con = sqlite3.connect(ensure_database(data).path)
    rows = dict(con.execute("SELECT agency_name, province || '/' || coalesce(prefecture, '') || '/' || "
                            "coalesce(county, '') FROM agencies"))
    assert rows["淮安市洪泽区教育局"] == "江苏省/淮安市/洪泽区"
    assert rows["浙江省杭州市人民政府"] == "浙江省/杭州市/"
    bad = con.execute("SELECT failed_rules FROM report_summary WHERE agency_name = ? AND year = ?", BROKEN).fetchone()
    assert "T3-B" in bad[0].split()
    assert con.execute("SELECT label_zh FROM labels WHERE table_name = 'applications' AND kind = 'row' "
                       "AND key = 'new_received'").fetchone()[0].startswith("一、本年新收")
    assert {r[0] for r in con.execute("SELECT DISTINCT agency_name FROM inconsistent")} == {BROKEN[0]}


def test_serve_is_loopback_by_default() -> None:
    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1"


def test_home_lists_the_ways_in(site: str) -> None:
    html = httpx.get(site + "/").text
    for link in ("/gongkai/report_summary", "/gongkai/agencies", "/gongkai/inconsistent", "/gongkai/checks"):
        assert f'href="{link}"' in html
    assert JIANGSU in html and "浙江省" in html and "Tables that don't add up" in html


def test_filter_by_province_and_year_as_json_and_csv(site: str) -> None:
    q = {"province": JIANGSU, "year": "2023", "_shape": "array"}
    rows = httpx.get(site + "/gongkai/report_summary.json", params=q).json()
    assert {r["agency_name"] for r in rows} == {"江苏省淮安市人民政府", "淮安市洪泽区教育局", "南京市教育局"}
    assert all(r["year"] == 2023 and r["province"] == JIANGSU for r in rows)
    text = httpx.get(site + "/gongkai/report_summary.csv", params={"province": JIANGSU, "year": "2023"}).text
    assert len(list(csv.DictReader(io.StringIO(text)))) == 3
    for facet in ("prefecture", "county", "admin_level", "status"):
        assert httpx.get(site + "/gongkai/report_summary.json", params={facet: "x", "_shape": "array"}).status_code == 200
    html = httpx.get(site + "/gongkai/report_summary", params={"province": JIANGSU, "year": "2023"}).text
    assert "3 rows where" in html and 'href="/agency/' in html  # names link to their agency page


def test_agency_page_has_the_chart_and_its_years_side_by_side(site: str, data: Path) -> None:
    ag = agency_id(data, BROKEN[0])
    html = httpx.get(f"{site}/agency/{ag}").text
    assert "<svg" in html and "<polyline" in html and "本年新收政府信息公开申请数量" in html
    con = sqlite3.connect(ensure_database(data).path)
    for year, new, failed in con.execute("SELECT year, apps_new_received, failed_rules FROM report_summary "
                                         "WHERE agency_id = ? ORDER BY year", (ag,)):
        assert f">{year}<" in html and f"{new:,}" in html
        if failed:
            assert failed in html
    assert "cdn" not in html.lower() and "<script src=\"http" not in html  # nothing fetched from elsewhere
    assert httpx.get(f"{site}/agency/no-such-agency").status_code == 404


def test_agency_downloads(site: str, data: Path) -> None:
    ag = agency_id(data, "南京市教育局")
    rows = httpx.get(f"{site}/gongkai/agency_applications.json", params={"agency_id": ag, "_shape": "array"}).json()
    assert {r["year"] for r in rows} == {2022, 2023, 2024}
    assert any(r["row_key"] == "new_received" and r["label_zh"].startswith("一、本年新收") for r in rows)
    text = httpx.get(f"{site}/gongkai/agency_applications.csv", params={"agency_id": ag}).text
    assert text.startswith("year,row_key,label_zh,value")


def test_tables_that_dont_add_up(site: str) -> None:
    rows = httpx.get(site + "/gongkai/inconsistent.json", params={"_shape": "array"}).json()
    assert {(r["agency_name"], r["year"]) for r in rows} == {BROKEN}
    assert {r["rule"] for r in rows} >= {"T3-B", "T3-C"}


def test_chinese_labels_beside_keys(site: str) -> None:
    html = httpx.get(site + "/gongkai/applications", params={"row_key": "new_received", "col_key": "total"}).text
    assert "new_received" in html and "一、本年新收政府信息公开申请数量" in html and "总计" in html


def test_canned_ranking_marks_failing_reports(site: str) -> None:
    rows = httpx.get(site + "/gongkai/top_refusal_share.json",
                     params={"year": "", "province": "", "min_volume": "", "_shape": "array"}).json()
    shares = [r["refusal_share"] for r in rows]
    assert shares == sorted(shares, reverse=True)
    marked = {(r["agency_name"], r["year"]): r["failed_rules"] for r in rows}
    assert "T3-B" in marked[BROKEN]


@pytest.mark.parametrize("sql", ["UPDATE reports SET year = 1", "DELETE FROM reports",
                                 "ATTACH DATABASE '/tmp/x.db' AS x", "CREATE TABLE t (x)"])
def test_read_only(site: str, sql: str) -> None:
    r = httpx.get(site + "/gongkai.json", params={"sql": sql})
    assert r.status_code == 400
    assert httpx.post(site + "/gongkai/reports/-/insert", json={"row": {"year": 1}}).status_code == 405


def test_chart_ticks_and_gaps() -> None:
    assert nice_ticks(1035) == [0, 250, 500, 750, 1000, 1250]
    svg = line_chart([2021, 2022, 2023], [("本年新收", "new_received", [5, None, 7])], title="t")
    assert "<polyline" not in svg  # a blank year breaks the line: no segment bridges it
    assert svg.count("<circle") == 2


def test_ctrl_c_stops_the_server_with_one_line_and_130(data: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    from tests.cli.explorer_server import free_port
    from tests.conftest import ROOT

    port = free_port()
    p = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--data-dir", str(data), "--port", str(port)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for _ in range(600):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
            break
        except httpx.HTTPError:
            assert p.poll() is None
            time.sleep(0.2)
    p.send_signal(signal.SIGINT)
    _out, err = p.communicate(timeout=60)
    assert p.returncode == 130
    assert err.strip().splitlines()[-1] == "gongkai: interrupted" and "Traceback" not in err
