"""A release that is safe: written as a whole, never replaced by mistake, bad documents recorded not fatal."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from cli.main import main
from cli.pipeline import CorruptStateError, build_from_store, ingest
from dataset.build import EmptyReleaseError, build
from dataset.parquet import BOM, file_sha256
from tests.conftest import DOCS, ROOT
from tests.dataset.conftest import item, synth_result

TWO = [DOCS / "html_2023_fujian_pingtan_gov.html", DOCS / "seed_yizhou_zhujianju_2024.txt"]
MORE = [DOCS / "html_2024_fujian_pingtan_gov.html", DOCS / "html_2025_fujian_pingtan_gov.html",
        DOCS / "pdf_2024_jiangsu_huaian_city_gov.pdf"]


def assert_whole(data: Path) -> str:
    """The release data/release points to is one build's: every file is the one its manifest names."""
    rel = data / "release"
    manifest = json.loads((rel / "release.json").read_text(encoding="utf-8"))
    assert manifest["files"]
    for path, entry in manifest["files"].items():
        assert (rel / path).stat().st_size == entry["bytes"], path
        assert file_sha256(rel / path) == entry["sha256"], path
        assert pq.read_metadata(rel / path).num_rows == entry["rows"], path
    listed = set(manifest["files"]) | {c for e in manifest["files"].values() for c in e["copies"]}
    on_disk = {str(p.relative_to(rel)) for p in rel.rglob("*") if p.is_file()}
    assert on_disk == listed | {"release.json", "datapackage.json", "DATA_DICTIONARY.md"}
    return str(manifest["release_id"])


def test_build_without_a_raw_store_refuses_to_replace_the_release(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    ingest(data, TWO)
    build_from_store(data)
    before = assert_whole(data)
    (data / "state.sqlite").rename(tmp_path / "elsewhere.sqlite")  # a data dir with a release but no store
    assert main(["build", "--data-dir", str(data)]) == 2
    assert "no raw store" in capsys.readouterr().err
    assert assert_whole(data) == before
    assert main(["build", "--data-dir", str(tmp_path / "typo")]) == 2  # a mistyped --data-dir
    assert not (tmp_path / "typo" / "release").exists()


def test_build_refuses_an_empty_release_over_one_with_reports_unless_forced(tmp_path: Path) -> None:
    data = tmp_path / "data"
    build(data, [item(synth_result("某县人民政府", 2023), "http://x.gov.cn/a.html")])
    before = assert_whole(data)
    with pytest.raises(EmptyReleaseError):
        build(data, [])
    assert assert_whole(data) == before
    s = build(data, [], force=True)
    assert s.reports == 0 and assert_whole(data) != before


@pytest.mark.parametrize("seed", range(4))
def test_kill_9_at_any_point_of_the_release_write_leaves_one_whole_release(tmp_path: Path, seed: int) -> None:
    data = tmp_path / "data"
    ingest(data, TWO)
    build_from_store(data)
    first = assert_whole(data)
    ingest(data, MORE)
    env = {**os.environ, "GONGKAI_TEST_WRITE_DELAY": "0.05"}
    proc = subprocess.Popen([sys.executable, "-m", "cli", "build", "--data-dir", str(data)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not list((data / "releases").glob(".incomplete-*/*.parquet")):
            time.sleep(0.01)  # wait until the new release is being written
        time.sleep(random.Random(seed).uniform(0, 0.6))  # then kill it somewhere in the write
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    seen = assert_whole(data)  # old or new, never a mix
    s = build_from_store(data)  # the next build cleans up and finishes
    assert assert_whole(data) == s.release_id and seen in (first, s.release_id)
    assert not list((data / "releases").glob(".incomplete-*"))
    years = set(pd.read_parquet(data / "release" / "reports.parquet")["year"])
    assert {2023, 2024, 2025} <= years


def test_ctrl_c_gives_one_line_exit_130_and_the_previous_release(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ingest(data, TWO)
    build_from_store(data)
    first = assert_whole(data)
    ingest(data, MORE)
    env = {**os.environ, "GONGKAI_TEST_WRITE_DELAY": "0.3"}
    proc = subprocess.Popen([sys.executable, "-m", "cli", "build", "--data-dir", str(data)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list((data / "releases").glob(".incomplete-*/*.parquet")):
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.strip().splitlines() == ["build: interrupted; the previous release is unchanged"]
    assert assert_whole(data) == first
    assert not list((data / "releases").glob(".incomplete-*"))


def test_a_cell_printed_at_2_to_the_63_is_recorded_not_fatal(tmp_path: Path) -> None:
    huge = synth_result("某县人民政府", 2023)
    cell = next(c for c in huge.cells if (c.row_key, c.col_key) == ("new_received", "natural_person"))
    cell.value, cell.raw = Decimal(2**63), str(2**63)
    other = synth_result("某县教育局", 2023, seed=2)
    s = build(tmp_path, [item(huge, "http://x.gov.cn/a.html"), item(other, "http://x.gov.cn/b.html")])
    assert s.reports == 2
    apps = pd.read_parquet(tmp_path / "release" / "applications")
    row = apps[(apps["row_key"] == "new_received") & (apps["col_key"] == "natural_person") & apps["report_id"].isin(
        pd.read_parquet(tmp_path / "release" / "reports.parquet").query("agency_name == '某县人民政府'")["report_id"])]
    assert row["value"].isna().all() and row["raw"].iloc[0] == str(2**63)
    assert "value_out_of_range" in row["flags"].iloc[0]
    docs = pd.read_parquet(tmp_path / "release" / "documents.parquet").set_index("source_url")
    assert "value_out_of_range" in docs.loc["http://x.gov.cn/a.html", "issues"]
    assert docs.loc["http://x.gov.cn/a.html", "warnings"] >= 1


def test_a_truncated_warc_is_recorded_not_fatal(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ingest(data, [DOCS / "seed_yizhou_zhujianju_2024.txt"])
    ingest(data, [DOCS / "html_2024_fujian_pingtan_gov.html"])  # the last record of the WARC file
    con = sqlite3.connect(data / "state.sqlite")
    (name,) = con.execute("SELECT warc_file FROM documents WHERE url LIKE '%html_2024%'").fetchone()
    con.close()
    warc = data / "raw" / name
    warc.write_bytes(warc.read_bytes()[:-2000])
    s = build_from_store(data)
    assert s.reports == 1
    docs = pd.read_parquet(data / "release" / "documents.parquet")
    bad = docs[docs["source_url"].str.endswith("html_2024_fujian_pingtan_gov.html")]
    assert bad["status"].tolist() == ["unreadable"] and "no_record" in bad["issues"].iloc[0]  # its capture: unreadable
    assert bad["role"].tolist() == ["not_a_report"]  # nothing names its agency or year


def test_a_corrupt_state_sqlite_is_detected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    ingest(data, TWO)
    build_from_store(data)
    before = assert_whole(data)
    con = sqlite3.connect(data / "state.sqlite")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    raw = bytearray((data / "state.sqlite").read_bytes())
    raw[page * 2: page * 3] = bytes(random.Random(0).randrange(256) for _ in range(page))  # a damaged page
    (data / "state.sqlite").write_bytes(bytes(raw))
    with pytest.raises(CorruptStateError):
        build_from_store(data)
    assert main(["build", "--data-dir", str(data)]) == 2
    assert "state.sqlite" in capsys.readouterr().err
    assert assert_whole(data) == before


def test_damaged_release_files_are_written_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ingest(data, TWO)
    build_from_store(data)
    rel = data / "release"
    victim = next((rel / "applications").glob("*.parquet"))
    good = victim.read_bytes()
    os.unlink(victim)  # the release directory is the reader's; a damaged one is replaced, not patched
    victim.write_bytes(good[: len(good) // 2])
    s = build_from_store(data)
    assert not s.unchanged and s.files_written >= 1
    assert assert_whole(data) and (data / "release" / victim.relative_to(rel)).read_bytes() == good


def test_csv_copies_and_the_bom_option(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ingest(data, TWO)
    assert main(["build", "--data-dir", str(data)]) == 0
    csv = data / "release" / "csv" / "reports.csv"
    assert not csv.read_bytes().startswith(BOM)
    assert len(pd.read_csv(csv)) == len(pd.read_parquet(data / "release" / "reports.parquet"))
    assert main(["build", "--data-dir", str(data), "--csv-bom"]) == 0
    assert (data / "release" / "csv" / "reports.csv").read_bytes().startswith(BOM)
    apps = pd.read_csv(data / "release" / "csv" / "applications" / "2023.csv", encoding="utf-8-sig")
    assert len(apps) == pq.read_metadata(data / "release" / "applications" / "2023.parquet").num_rows


def test_build_prints_one_summary_and_progress_stays_on_stderr(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ingest(data, TWO)
    out = subprocess.run([sys.executable, "-m", "cli", "build", "--data-dir", str(data)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300, check=True)
    first = next(line for line in out.stdout.splitlines() if line.startswith("build:"))
    assert first.startswith("build: 2 reports from 2 agencies (2 documents)") and "release " in first
    again = subprocess.run([sys.executable, "-m", "cli", "build", "--data-dir", str(data)], cwd=ROOT,
                           capture_output=True, text=True, timeout=300, check=True)
    built = [line for line in again.stdout.splitlines() if not line.startswith("extract:")]
    assert len(built) == 1 and built[0].startswith("build: release unchanged: 2 reports") and "(unchanged)" in built[0]
