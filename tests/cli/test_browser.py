"""The explorer in a real browser: Debian's headless Chromium driven by Playwright (no browser
download: `executable_path` is the system's chromium, installed by `make browser`).

A person's path: the home page → reports → filter to one province and one year with the facets →
an agency's page, whose chart and numbers are checked against the database. Screenshots of each
step are saved under the test's tmp dir (printed, and kept with --basetemp).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli.explorer.database import ensure_database
from tests.cli.explorer_server import serving
from tests.release import BROKEN

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
CJK_FONT = "Noto Sans CJK SC"


def _cjk_font_installed() -> bool:
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False
    return bool(out.strip())


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("no chromium on this machine: `make browser` installs it from Debian's packages where it can "
                    "(root and apt reachable)")
    if not _cjk_font_installed():
        pytest.skip("no CJK font (fonts-noto-cjk): Chinese would render as empty boxes; `make browser` installs it")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 900}, locale="zh-CN")
        try:
            yield ctx
        finally:
            ctx.close()


@pytest.fixture(scope="module")
def site(small_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("browser") / "data"
    shutil.copytree(small_release / "release", data / "release")
    with serving(data) as url:
        yield url, data


def test_home_filter_agency_page(browser: Any, site: tuple[str, Path], tmp_path: Path) -> None:
    url, data = site
    page = browser.new_page()
    page.goto(url + "/")
    assert page.locator("h1").inner_text().startswith("gongkai")
    assert page.evaluate(f"document.fonts.check('16px \"{CJK_FONT}\"', '淮安市')")  # the page has a CJK font
    page.screenshot(path=str(tmp_path / "1-home.png"), full_page=True)

    page.get_by_role("link", name="Reports 报告").click()
    page.locator('.facet-info[data-column="province"] a', has_text="江苏省").click()
    page.locator('.facet-info[data-column="year"] a', has_text="2023").click()
    page.wait_for_load_state()
    assert "province=" in page.url and "year=2023" in page.url
    names = page.locator("table.rows-and-columns td.col-agency_name").all_inner_texts()
    assert sorted(names) == sorted(["江苏省淮安市人民政府", "淮安市洪泽区教育局", "南京市教育局"])
    assert set(page.locator("table.rows-and-columns td.col-province").all_inner_texts()) == {"江苏省"}
    page.screenshot(path=str(tmp_path / "2-jiangsu-2023.png"), full_page=True)

    page.locator("table.rows-and-columns td.col-agency_name a", has_text=BROKEN[0]).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == BROKEN[0]
    chart = page.locator("#chart svg")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 400 and box["height"] > 200
    assert chart.locator("polyline").count() >= 4
    assert "本年新收政府信息公开申请数量" in chart.text_content()

    con = sqlite3.connect(ensure_database(data).path)
    expected = con.execute("SELECT year, apps_new_received, apps_results_total, failed_rules FROM report_summary "
                           "WHERE agency_name = ? ORDER BY year", (BROKEN[0],)).fetchall()
    header = page.locator("#years thead th").all_inner_texts()
    assert header[2:] == [str(y) for y, *_ in expected]
    cells = {row.locator("td").first.inner_text(): row.locator("td").all_inner_texts()[2:]
             for row in page.locator("#years tbody tr").all()}
    assert cells["apps_new_received"] == [f"{n:,}" for _, n, _, _ in expected]
    assert cells["apps_results_total"] == [f"{n:,}" for _, _, n, _ in expected]
    assert "T3-B" in cells["failed_rules"][[y for y, *_ in expected].index(BROKEN[1])]
    page.screenshot(path=str(tmp_path / "3-agency.png"), full_page=True)
    page.locator("#chart").screenshot(path=str(tmp_path / "4-chart.png"))
    print(f"screenshots: {tmp_path}")
    for name in ("1-home.png", "2-jiangsu-2023.png", "3-agency.png", "4-chart.png"):
        assert (tmp_path / name).stat().st_size > 10_000
