"""The release layout reads the same in pandas, pyarrow, polars and DuckDB, and is addressable by
agency and year."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from dataset.arrow import SPLIT


def test_folder_names_never_disagree_with_columns(corpus_data: Path) -> None:
    """No key=value folder (Hive) whose key is not the column, or whose files lack it (issue #9)."""
    rel = corpus_data / "release"
    for p in rel.rglob("*"):
        assert "=" not in p.name, p
    for name in SPLIT:
        for f in (rel / name).glob("*.parquet"):
            names = pq.read_schema(f).names
            assert {"agency_id", "year", "report_id"} <= set(names)
            year = f.stem.split("-")[0]
            years = set(pq.read_table(f, columns=["year"]).column("year").to_pylist())
            assert years == ({None} if year == "unknown" else {int(year)}), f


def test_integer_types_agree_across_libraries(corpus_data: Path) -> None:
    folder = corpus_data / "release" / "applications"
    glob = str(folder / "*.parquet")
    types = {
        "pandas": str(pd.read_parquet(folder)["year"].dtype),
        "pyarrow": str(pq.read_table(folder).schema.field("year").type),
        "pyarrow.dataset": str(ds.dataset(folder).schema.field("year").type),
        "polars": str(pl.read_parquet(glob)["year"].dtype),
        "duckdb": duckdb.sql(f"SELECT year FROM read_parquet('{glob}')").types[0].id,
    }
    assert types == {"pandas": "Int32", "pyarrow": "int32", "pyarrow.dataset": "int32", "polars": "Int32",
                     "duckdb": "integer"}
    apps = pd.read_parquet(folder)
    assert (apps["year"] > 2020).any()  # an ordered number, not a category
    value = {"pandas": str(apps["value"].dtype), "polars": str(pl.read_parquet(glob)["value"].dtype),
             "duckdb": duckdb.sql(f"SELECT value FROM read_parquet('{glob}')").types[0].id}
    assert value == {"pandas": "Int64", "polars": "Int64", "duckdb": "bigint"}
    explicit = pa.schema([pa.field("agency_id", pa.string()), pa.field("year", pa.int32())])
    got = ds.dataset(folder, schema=explicit).to_table()
    assert got.column("agency_id").null_count == apps["agency_id"].isna().sum()  # no nulls from the path


def test_files_are_sorted_and_small_row_groups_let_readers_skip(corpus_data: Path) -> None:
    f = corpus_data / "release" / "applications" / "2024.parquet"
    t = pq.read_table(f)
    keys = list(zip(t.column("agency_id").to_pylist(), t.column("report_id").to_pylist(),
                    t.column("row_key").to_pylist(), t.column("col_key").to_pylist(), strict=True))
    assert keys == sorted(keys, key=lambda k: tuple((x is None, x or "") for x in k))
    md = pq.read_metadata(f)
    stats = md.row_group(0).column(t.schema.get_field_index("agency_id")).statistics
    assert stats is not None and stats.has_min_max


def test_every_file_is_in_its_declared_order(corpus_data: Path) -> None:
    """The writer sorts on one integer per document; the result is the order SORT_KEYS declare."""
    from dataset.arrow import SORT_KEYS

    rel = corpus_data / "release"
    for f in [*rel.glob("*.parquet"), *rel.glob("*/*.parquet")]:
        name = f.parent.name if f.parent != rel else f.stem
        t = pq.read_table(f)
        keys = [k for k in SORT_KEYS[name] if k in t.schema.names]
        assert t.equals(t.sort_by([(k, "ascending", "at_end") for k in keys])), f
