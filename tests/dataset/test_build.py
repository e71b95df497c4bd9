"""gongkai ingest + build on the real corpus: loadable, typed, equal to truth, deterministic."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from cli.pipeline import build_from_store, ingest
from dataset import ids
from dataset.agencies import IdCollisionError, Registry, identify
from dataset.build import build
from extract.document import extract_document
from tests.conftest import DOCS, ROOT, load_truth
from tests.dataset.conftest import item, synth_result

TRUTH = load_truth()
CELLS = ("active_disclosure", "applications", "review_litigation")


def test_values_equal_truth(corpus_data: Path) -> None:
    cells = pd.concat([pd.read_parquet(corpus_data / "release" / t).assign(table_name=t) for t in CELLS])
    cells = cells[~cells["derived"]]
    got = {(r.report_id, r.table_name, r.block, r.row_key, r.col_key): r.value for r in cells.itertuples()}
    checked = 0
    for name, truth in TRUTH.items():
        result = extract_document((DOCS / name).read_bytes(), name)
        agency = identify(result.agency)
        rid = ids.report_id(agency.agency_id if agency else None, result.year, result.sha256 or "")
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
    apps = pd.read_parquet(rel / "applications")
    assert str(apps["value"].dtype) == "Int64"
    assert str(apps["year"].dtype) == "Int32"
    t2 = pd.read_parquet(rel / "active_disclosure")
    assert str(t2["value"].dtype) == "Float64" and str(t2["value_int"].dtype) == "Int64"
    fee = t2[(t2["col_key"] == "fee_amount") & (t2["report_id"].str.endswith("-2021"))]["value"].dropna()
    assert (fee == 24252.311082).any()
    reports = pd.read_parquet(rel / "reports.parquet")
    assert str(reports["fetched_at"].dtype).startswith("datetime64") and "UTC" in str(reports["fetched_at"].dtype)
    assert str(reports["published"].dtype).startswith("datetime64")  # a date, not object
    assert (reports["published"].dropna().dt.year >= 2010).all()
    assert reports["year"].isna().sum() >= 1 and not (reports["year"] == 0).any()  # unknown year is null
    checks = pd.read_parquet(rel / "checks")
    assert str(checks["expected"].dtype) == "Float64" and str(checks["actual"].dtype) == "Float64"
    failed = checks[(checks["status"] == "fail") & (checks["scope"] == "report")]
    assert len(failed) and (failed["expected"] != failed["actual"]).all()
    assert failed["expected_text"].notna().all()
    assert pl.read_parquet(rel / "applications" / "*.parquet")["value"].dtype == pl.Int64
    n = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{rel}/applications/*.parquet') "
                                 "WHERE value IS NULL AND state = 'blank'").fetchone()
    assert n is not None and n[0] >= 1  # the seed's blank cell stays blank


def test_rebuild_with_no_change_rewrites_nothing(corpus_data: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in (corpus_data / "releases").rglob("*") if p.is_file()}
    link = os.readlink(corpus_data / "release")
    s = build_from_store(corpus_data)  # known from the inputs' fingerprint (test_fingerprint.py)
    assert s.unchanged and s.inputs_unchanged and s.files_written == 0
    forced = build_from_store(corpus_data, force=True)  # built again: every file found unchanged
    assert forced.unchanged and not forced.inputs_unchanged and forced.files_written == 0
    assert forced.files_unchanged > 0
    assert os.readlink(corpus_data / "release") == link
    assert before == {p: p.stat().st_mtime_ns for p in (corpus_data / "releases").rglob("*") if p.is_file()}


def _release_files(d: Path) -> list[Path]:
    return sorted(p.relative_to(d) for p in d.rglob("*") if p.is_file())


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    docs = [DOCS / n for n in ("seed_yizhou_zhujianju_2024.txt", "html_2023_fujian_pingtan_gov.html",
                               "html_2024_fujian_pingtan_gov.html", "pdf_2024_jiangsu_huaian_city_gov.pdf")]
    for d in ("a", "b"):
        ingest(tmp_path / d, docs)
        build_from_store(tmp_path / d)
    a, b = (tmp_path / d / "release" for d in ("a", "b"))
    files = _release_files(a)
    assert files == _release_files(b) and any(f.suffix == ".csv" for f in files)
    for rel in files:  # datapackage.json too: created is the newest capture's time, not the clock's
        assert filecmp.cmp(a / rel, b / rel, shallow=False), rel
    created = json.loads((a / "datapackage.json").read_text(encoding="utf-8"))["created"]
    assert created.endswith("Z") and created[:4].isdigit()


def test_builds_in_processes_with_other_hash_seeds_are_byte_identical(tmp_path: Path) -> None:
    """No set or dict order that depends on PYTHONHASHSEED may leak into the files."""
    store = tmp_path / "store"
    ingest(store, [DOCS / "seed_yizhou_zhujianju_2024.txt", DOCS / "html_2023_fujian_pingtan_gov.html",
                   DOCS / "html_2024_fujian_pingtan_gov.html", DOCS / "textpipe_partial_2020_neimenggu_wuhai_gongxinju_dept.txt"])
    for seed in ("1", "2"):
        d = tmp_path / f"h{seed}"
        shutil.copytree(store, d)
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1700000000"}
        subprocess.run([sys.executable, "-m", "cli", "build", "--data-dir", str(d)], cwd=ROOT, env=env,
                       check=True, capture_output=True, timeout=300)
    a, b = tmp_path / "h1" / "release", tmp_path / "h2" / "release"
    files = _release_files(a)
    assert files == _release_files(b)
    for rel in files:
        assert filecmp.cmp(a / rel, b / rel, shallow=False), rel


@pytest.mark.parametrize("name", ["../../etc", "/", "a/b\\c", "x" * 5000, "🏛️政府😀", "", "..", "agency=1/year=2"])
def test_hostile_agency_names_stay_inside(tmp_path: Path, name: str) -> None:
    r = synth_result("某县", 2023)
    r.agency = name
    build(tmp_path, [item(r, "http://x.gov.cn/a.html")])
    for p in tmp_path.rglob("*"):
        assert p.resolve().is_relative_to(tmp_path.resolve())
        assert all(part.isascii() for part in p.relative_to(tmp_path).parts)
    got = pd.read_parquet(tmp_path / "release" / "reports.parquet")["agency_name"].iloc[0]
    assert got == name or (name == "" and pd.isna(got))


def test_agency_id_collision_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataset import agencies

    monkeypatch.setattr(agencies, "agency_id_of", lambda key: "agdeadbeef0000")  # force the 1-in-2^48 case
    agencies.identify.cache_clear()
    reg = Registry()
    try:
        reg.add(agencies.identify("甲县教育局"), "甲县教育局")  # type: ignore[arg-type]
        with pytest.raises(IdCollisionError):
            reg.add(agencies.identify("乙县教育局"), "乙县教育局")  # type: ignore[arg-type]
    finally:
        agencies.identify.cache_clear()


def test_agency_ids_are_stable_ascii() -> None:
    a, b = identify("伊州区住房和城乡建设局"), identify("伊州區住房和城鄉建設局 ")
    assert a is not None and b is not None and a.agency_id == b.agency_id
    assert a.agency_id != identify("伊州区人民政府").agency_id  # type: ignore[union-attr]
    assert ids.is_safe_partition_value(a.agency_id) and a.agency_id.startswith("ag")


def test_cross_report_checks_pass_on_a_consistent_series_and_catch_a_break(tmp_path: Path) -> None:
    import random

    from demo import synth

    series = synth.make_series(random.Random(4), "某县人民政府", [2021, 2022, 2023])
    series[2].values[("applications", "", "carried_over", "natural_person")] += 1  # breaks T3-X1 2022→2023
    series[2].values[("applications", "", "carried_over", "total")] += 1
    series[2].values[("applications", "", "new_received", "natural_person")] -= 1  # keep T3-A/T3-C intact
    series[2].values[("applications", "", "new_received", "total")] -= 1
    items = []
    for rep in series:
        r = extract_document(synth.render_html(rep).encode(), f"{rep.year}.html")
        items.append(item(r, f"http://x.gov.cn/{rep.year}.html"))
    build(tmp_path, items)
    checks = pd.read_parquet(tmp_path / "release" / "checks")
    cross = checks[checks["scope"] == "cross_report"]
    failed = cross[cross["status"] == "fail"]
    assert set(cross["rule"]) == {"T3-X1", "T2-X1"}
    assert list(zip(failed["rule"], failed["year"], failed["cells"].str.split("|").str[1], strict=True)) == [
        ("T3-X1", 2023, "2023:carried_over.natural_person"), ("T3-X1", 2023, "2023:carried_over.total")]
    assert (failed["expected"] + 1 == failed["actual"]).all()
    assert (checks[checks["scope"] == "report"]["status"] == "pass").all()


def test_memory_is_not_one_list_per_table(tmp_path: Path) -> None:
    """The build consumes its input as a stream: a generator is read once, item by item."""
    seen: list[int] = []

    def gen():  # type: ignore[no-untyped-def]
        for i, year in enumerate((2021, 2022, 2023)):
            seen.append(i)
            yield item(synth_result("某县人民政府", year, seed=i), f"http://x.gov.cn/{year}.html")

    s = build(tmp_path, gen())
    assert seen == [0, 1, 2] and s.reports == 3
    assert pq.read_metadata(tmp_path / "release" / "reports.parquet").num_rows == 3
