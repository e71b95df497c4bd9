"""gongkai ingest + build on the real corpus: loadable, typed, equal to truth, deterministic."""

from __future__ import annotations

import filecmp
import os
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from cli.pipeline import build_from_store, ingest
from dataset import ids
from dataset.tables import Provenance
from extract.document import extract_document
from tests.conftest import DOCS, ROOT, load_truth

TRUTH = load_truth()


def test_values_equal_truth(corpus_data: Path) -> None:
    cells = pd.concat([pd.read_parquet(corpus_data / "release" / f"{t}.parquet").assign(table=t)
                       for t in ("active_disclosure", "applications", "review_litigation")])
    cells = cells[~cells["derived"]]
    got = {(r.report_id, r.table, r.block, r.row_key, r.col_key): r.value for r in cells.itertuples()}
    checked = 0
    for name, truth in TRUTH.items():
        result = extract_document((DOCS / name).read_bytes(), name)
        rid = ids.report_id(ids.agency_id(result.agency), result.year, result.sha256)
        for key, (want, _n) in truth.items():
            cell = next((c for c in result.cells if c.key == key), None)
            if cell is not None and "ambiguous_split" in cell.flags:
                continue  # left blank by this document; its twin may carry the value
            value = got.get((rid, *key))
            value = None if value is None or pd.isna(value) else Decimal(str(value))
            assert value == want, (name, key, value, want)
            checked += 1
    assert checked > 2500


def test_types_for_researchers(corpus_data: Path) -> None:
    rel = corpus_data / "release"
    apps = pd.read_parquet(rel / "applications.parquet")
    assert str(apps["value"].dtype) == "Int64"
    assert str(apps["year"].dtype) == "Int32"
    t2 = pd.read_parquet(rel / "active_disclosure.parquet")
    assert str(t2["value"].dtype) == "Float64" and str(t2["value_int"].dtype) == "Int64"
    fee = t2[(t2["col_key"] == "fee_amount") & (t2["report_id"].str.endswith("-2021"))]["value"].dropna()
    assert (fee == 24252.311082).any()
    reports = pd.read_parquet(rel / "reports.parquet")
    assert str(reports["fetched_at"].dtype).startswith("datetime64") and "UTC" in str(reports["fetched_at"].dtype)
    assert reports["published"].dropna().map(type).eq(__import__("datetime").date).all()
    assert pl.read_parquet(rel / "applications.parquet")["value"].dtype == pl.Int64
    assert pq.read_table(rel / "checks.parquet").num_rows > 0
    n = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{rel}/applications.parquet') WHERE value IS NULL AND state = 'blank'").fetchone()
    assert n is not None and n[0] >= 1  # the seed's blank cell stays blank


def test_partitions_are_hive_readable(corpus_data: Path) -> None:
    base = corpus_data / "parquet" / "applications"
    parts = list(base.glob("agency=*/year=*/part-0.parquet"))
    assert parts
    for p in parts:
        assert p.parent.parent.name.split("=", 1)[1].isascii()
    con = duckdb.connect()
    n = con.execute(f"SELECT count(DISTINCT agency), min(year) FROM read_parquet('{base}/*/*/*.parquet', hive_partitioning = true)").fetchone()
    assert n is not None and n[0] >= 5
    df = pd.read_parquet(base)
    assert {"agency", "year", "row_key", "value"} <= set(df.columns)


def test_rebuild_with_no_change_rewrites_nothing(corpus_data: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in corpus_data.rglob("*.parquet")}
    s = build_from_store(corpus_data)
    assert s.files_written == 0 and s.files_unchanged > 0
    assert before == {p: p.stat().st_mtime_ns for p in corpus_data.rglob("*.parquet")}


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    docs = [DOCS / n for n in ("seed_yizhou_zhujianju_2024.txt", "html_2023_fujian_pingtan_gov.html",
                               "html_2024_fujian_pingtan_gov.html", "pdf_2024_jiangsu_huaian_city_gov.pdf")]
    for d in ("a", "b"):
        ingest(tmp_path / d, docs)
        build_from_store(tmp_path / d)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
                     and p.suffix in (".parquet", ".json", ".md"))
    assert files_a
    for rel in files_a:
        if rel.parts[0] in ("release", "parquet"):
            assert filecmp.cmp(tmp_path / "a" / rel, tmp_path / "b" / rel, shallow=False), rel


def test_killed_build_leaves_previous_release_readable(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ingest(data, [DOCS / "html_2023_fujian_pingtan_gov.html", DOCS / "seed_yizhou_zhujianju_2024.txt"])
    build_from_store(data)
    ingest(data, [DOCS / "html_2024_fujian_pingtan_gov.html", DOCS / "html_2025_fujian_pingtan_gov.html"])
    env = {**os.environ, "GONGKAI_TEST_WRITE_DELAY": "0.3"}
    proc = subprocess.Popen([sys.executable, "-m", "cli", "build", "--data-dir", str(data)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not list((data / "parquet").glob("*/agency=*/year=2025")):
            time.sleep(0.05)  # wait until the build is writing new partitions
        assert proc.poll() is None, "the build finished before it could be killed"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    for p in (data / "release").glob("*.parquet"):
        pq.read_table(p)  # every release file is whole: the old one or the new one
    s = build_from_store(data)
    assert s.reports >= 4
    years = set(pd.read_parquet(data / "release" / "reports.parquet")["year"])
    assert {2023, 2024, 2025} <= years


@pytest.mark.parametrize("name", ["../../etc", "/", "a/b\\c", "x" * 5000, "🏛️政府😀", "", "..", "agency=1/year=2"])
def test_hostile_agency_names_stay_inside(tmp_path: Path, name: str) -> None:
    from dataset.build import build
    from demo import synth

    rep = synth.make_report(__import__("random").Random(1), agency="某县", year=2023, version="v2021")
    result = extract_document(synth.render_html(rep).encode(), "h.html")
    result.agency = name
    build(tmp_path, [(result, Provenance("http://x.gov.cn/a.html", "2024-01-01T00:00:00+00:00", result.sha256))])
    for p in tmp_path.rglob("*"):
        assert p.resolve().is_relative_to(tmp_path.resolve())
        assert all(part.isascii() for part in p.relative_to(tmp_path).parts)
    assert pd.read_parquet(tmp_path / "release" / "reports.parquet")["agency_name"].iloc[0] == (name or None) or name == ""


def test_agency_id_collision_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataset import tables
    from gongkai.model import ExtractResult, ExtractStatus

    monkeypatch.setattr(tables.ids, "agency_id", lambda name: "agdeadbeef0000")  # force the 1-in-2^48 case
    items = [(ExtractResult(source=n, status=ExtractStatus.EXTRACTED, agency=n, year=2023, sha256=n * 8),
              Provenance(n)) for n in ("甲县", "乙县")]
    with pytest.raises(tables.IdCollisionError):
        tables.choose_reports(items)


def test_agency_ids_are_stable_ascii() -> None:
    assert ids.agency_id("伊州区住房和城乡建设局") == ids.agency_id("伊州區住房和城鄉建設局 ")
    assert ids.agency_id("伊州区住房和城乡建设局") != ids.agency_id("伊州区人民政府")
    assert ids.is_safe_partition_value(ids.agency_id("../../etc"))


def test_cross_report_checks_pass_on_a_consistent_series_and_catch_a_break(tmp_path: Path) -> None:
    import random

    from dataset.build import build
    from demo import synth

    series = synth.make_series(random.Random(4), "某县人民政府", [2021, 2022, 2023])
    series[2].values[("applications", "", "carried_over", "natural_person")] += 1  # breaks T3-X1 2022→2023
    series[2].values[("applications", "", "carried_over", "total")] += 1
    series[2].values[("applications", "", "new_received", "natural_person")] -= 1  # keep T3-A/T3-C intact
    series[2].values[("applications", "", "new_received", "total")] -= 1
    items = []
    for rep in series:
        r = extract_document(synth.render_html(rep).encode(), f"{rep.year}.html")
        items.append((r, Provenance(f"http://x.gov.cn/{rep.year}.html", None, r.sha256)))
    build(tmp_path, items)
    checks = pd.read_parquet(tmp_path / "release" / "checks.parquet")
    cross = checks[checks["scope"] == "cross_report"]
    failed = cross[cross["status"] == "fail"]
    assert set(cross["rule"]) == {"T3-X1", "T2-X1"}
    assert list(zip(failed["rule"], failed["year"], failed["cells"].str.split("|").str[1], strict=True)) == [
        ("T3-X1", 2023, "2023:carried_over.natural_person"), ("T3-X1", 2023, "2023:carried_over.total")]
    assert (checks[checks["scope"] == "report"]["status"] == "pass").all()


def test_builds_in_processes_with_other_hash_seeds_are_byte_identical(tmp_path: Path) -> None:
    """No set or dict order that depends on PYTHONHASHSEED may leak into the files."""
    store = tmp_path / "store"
    ingest(store, [DOCS / "seed_yizhou_zhujianju_2024.txt", DOCS / "html_2023_fujian_pingtan_gov.html",
                   DOCS / "html_2024_fujian_pingtan_gov.html", DOCS / "textpipe_partial_2020_neimenggu_wuhai_gongxinju_dept.txt"])
    for seed in ("1", "2"):
        d = tmp_path / f"h{seed}"
        shutil.copytree(store, d)
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "cli", "build", "--data-dir", str(d)], cwd=ROOT, env=env,
                       check=True, capture_output=True, timeout=300)
    files = sorted(p.relative_to(tmp_path / "h1") for p in (tmp_path / "h1").rglob("*.parquet"))
    assert files
    for rel in files:
        assert filecmp.cmp(tmp_path / "h1" / rel, tmp_path / "h2" / rel, shallow=False), rel


def test_missing_or_tampered_partitions_are_rewritten(tmp_path: Path) -> None:
    ingest(tmp_path, [DOCS / "html_2024_fujian_pingtan_gov.html", DOCS / "seed_yizhou_zhujianju_2024.txt"])
    build_from_store(tmp_path)
    parts = sorted((tmp_path / "parquet" / "applications").glob("agency=*/year=*/part-0.parquet"))
    good = parts[0].read_bytes()
    parts[0].unlink()
    parts[1].write_bytes(b"not parquet")
    (tmp_path / ".build" / "checks.digests.json").write_text("{broken", encoding="utf-8")
    s = build_from_store(tmp_path)
    assert s.files_written >= 2
    assert parts[0].read_bytes() == good
    pq.read_table(parts[1])
