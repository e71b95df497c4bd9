"""Physical layouts of a cell table, measured: write time, files, size, and DuckDB/pyarrow reads.

The applications table of a synthetic release (2,500 agencies × 4 years = 10,000 reports by
default) is written three ways:

- hive: `agency_id=<id>/year=<y>/part-0.parquet`, one file per agency and year (pyarrow's own
  partitioned writer, its best case);
- per year: `<year>.parquet`, sorted by agency, 64k-row row groups (the release's layout);
- per year × 16 agency buckets: `<year>-<hex>.parquet` (what the release does when a year outgrows
  one file).

and read back: one agency's rows over all years, one year's totals, the whole table.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from benchmarks.build_bench import synthetic_results
from dataset.build import build
from dataset.parquet import ROW_GROUP

_OPTS = {"compression": "zstd", "compression_level": 6}


def _timed(f: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def _write_hive(t: pa.Table, root: Path) -> None:
    ds.write_dataset(t, root, format="parquet", partitioning=["agency_id", "year"], partitioning_flavor="hive",
                     existing_data_behavior="overwrite_or_ignore", max_partitions=1_000_000,
                     file_options=ds.ParquetFileFormat().make_write_options(**_OPTS))


def _write_years(t: pa.Table, root: Path, buckets: int) -> None:
    root.mkdir(parents=True)
    for year in pc.unique(t.column("year")).to_pylist():
        part = t.filter(pc.equal(t.column("year"), year))
        if buckets == 1:
            pq.write_table(part, root / f"{year}.parquet", row_group_size=ROW_GROUP, **_OPTS)
            continue
        first = pc.utf8_slice_codeunits(part.column("agency_id"), 2, 3)
        for b in range(buckets):
            sub = part.filter(pc.equal(first, f"{b:x}"))
            if sub.num_rows:
                pq.write_table(sub, root / f"{year}-{b:x}.parquet", row_group_size=ROW_GROUP, **_OPTS)


def main(n: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as d:
        base = Path(d)
        build(base / "data", synthetic_results(n))
        table = ds.dataset(base / "data" / "release" / "applications").to_table()
        agency = table.column("agency_id")[table.num_rows // 2].as_py()
        print(f"applications: {table.num_rows:,} rows, {len(pc.unique(table.column('agency_id'))):,} agencies, "
              f"{n:,} reports")
        print(f"{'layout':22} {'write s':>8} {'files':>7} {'MB':>6} {'one agency':>11} {'one year':>9} {'all':>7}"
              f" {'open':>7}")
        for name, write, glob, hive in (
            ("hive agency_id/year", _write_hive, "*/*/*.parquet", True),
            ("per year", lambda t, r: _write_years(t, r, 1), "*.parquet", False),
            ("per year x 16 buckets", lambda t, r: _write_years(t, r, 16), "*.parquet", False),
        ):
            root = base / name.replace(" ", "_").replace("/", "_")
            t0 = time.perf_counter()
            write(table, root)
            write_s = time.perf_counter() - t0
            files = list(root.rglob("*.parquet"))
            mb = sum(f.stat().st_size for f in files) / 2**20
            src = f"read_parquet('{root}/{glob}', hive_partitioning = {str(hive).lower()})"
            con = duckdb.connect()
            one = _timed(lambda: con.execute(f"SELECT year, sum(value) FROM {src} WHERE agency_id = ? "  # noqa: B023
                                             "AND col_key = 'total' GROUP BY year", [agency]).fetchall())
            year = _timed(lambda: con.execute(f"SELECT row_key, sum(value) FROM {src} WHERE year = 2023 "  # noqa: B023
                                              "AND col_key = 'total' GROUP BY row_key").fetchall())
            full = _timed(lambda: con.execute(f"SELECT count(*), sum(value) FROM {src}").fetchall())  # noqa: B023
            opened = _timed(lambda: ds.dataset(root, partitioning="hive" if hive else None).count_rows(),  # noqa: B023
                            repeat=1)
            print(f"{name:22} {write_s:8.1f} {len(files):7d} {mb:6.0f} {one:10.3f}s {year:8.3f}s {full:6.3f}s "
                  f"{opened:6.2f}s")
            shutil.rmtree(root)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
