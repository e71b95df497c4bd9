"""`gongkai demo`: sample portal on 127.0.0.1 → crawl → extract → build → queries, offline."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from frictionless import validate

from cli.main import main
from dataset.query import inconsistent


def test_demo_end_to_end(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    assert main(["demo", "--data-dir", str(data), "--quiet", "--delay", "0.05"]) == 0
    reports = pd.read_parquet(data / "release" / "reports.parquet")
    assert len(reports) >= 25
    assert (reports["status"] == "extracted").sum() >= 25
    assert reports["source_url"].str.startswith("http://127.0.0.1:").all()
    # the demo's report names say no place (县财政局): the registry's agency for the portal places them;
    # a 区 department on a county's portal is left unplaced, not guessed
    placed = reports["county"].notna()
    assert placed.mean() > 0.7 and set(reports["place_source"].dropna()) == {"registry"}
    assert reports.loc[~placed, "agency_name"].str.startswith("区").all()
    apps = pd.read_parquet(data / "release" / "applications")
    assert apps["value"].notna().sum() > 1000
    cols, rows = inconsistent(data, 2024)
    found = {(r[cols.index("agency_name")], r[cols.index("rule")]) for r in rows}
    assert ("县统计局", "T3-C") in found  # the one report broken on purpose
    checks = pd.read_parquet(data / "release" / "checks")
    cross = checks[checks["scope"] == "cross_report"]
    assert len(cross) > 0 and (cross["status"] == "pass").all()
    report = validate(data / "release" / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "type", "note"])[:10]
    # run again: the store is the demo's own, so it is replaced, and the dataset comes out the same
    assert main(["demo", "--data-dir", str(data), "--quiet", "--delay", "0.05"]) == 0
    again = pd.read_parquet(data / "release" / "reports.parquet")
    assert len(again) == len(reports)
