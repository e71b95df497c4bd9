"""Writing Parquet (and its CSV copy) deterministically, and digesting tables column by column.

Same rows → same bytes: rows are sorted on the table's key, compression and writer options are
fixed, and nothing time-dependent is written. A table's digest is computed from its columns' values
(numpy buffers of each column, nulls as a separate bitmap), so an unchanged file is recognised
without serializing or compressing it again.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .arrow import SCHEMAS, SORT_KEYS

_PANDAS_DTYPES = {pa.int64(): "Int64", pa.int32(): "Int32", pa.float64(): "Float64", pa.bool_(): "boolean",
                  pa.string(): "string", pa.timestamp("s"): "datetime64[s]",
                  pa.timestamp("s", tz="UTC"): "datetime64[s, UTC]"}
ROW_GROUP = 65_536  # rows per row group: small enough for min/max statistics to skip most of a file
PENDING_BYTES = 16 << 20  # or fewer, when rows are wide (checks' messages): memory stays bounded
BOM = b"\xef\xbb\xbf"
WRITER = "zstd-6/rg-65536/v1"  # part of every digest: change it when the bytes written change


@cache
def schema_of(name: str) -> pa.Schema:
    """The table's Arrow schema with pandas metadata, so pd.read_parquet restores Int64/Float64/string
    dtypes; the metadata does not depend on the rows, so it is made once from an empty frame."""
    sch = SCHEMAS[name]
    empty = pd.DataFrame({f.name: pd.Series([], dtype=_PANDAS_DTYPES.get(f.type, "object")) for f in sch})
    meta = pa.Table.from_pandas(empty, schema=sch, preserve_index=False).schema.metadata
    return sch.with_metadata(meta)


def conform(name: str, table: pa.Table, rank: np.ndarray | None = None, then: tuple[str, ...] = ()) -> pa.Table:
    """Select and order the table's published columns and cast them to its schema.

    With `rank` (the sort position of each document, indexed by the staged `doc` column) the rows are
    sorted by their document's rank, then by `then`; a stable sort keeps each document's rows in the
    canonical order they were staged in. One integer key instead of the table's string keys: the
    same order (SORT_KEYS), several times faster."""
    sch = schema_of(name)
    if rank is not None and table.num_rows > 1:
        key = pa.array(rank[table.column("doc").to_numpy()], pa.int64())
        if then:
            order = pc.sort_indices(pa.table({"_rank": key, **{k: table.column(k) for k in then}}),
                                    sort_keys=[("_rank", "ascending", "at_end"),
                                               *((k, "ascending", "at_end") for k in then)])
        else:
            order = pc.sort_indices(key)  # stable
        table = table.take(order)
    return table.select(sch.names).cast(sch)


def from_rows(name: str, rows: list[dict[str, object]]) -> pa.Table:
    sch = schema_of(name)
    table = pa.Table.from_pydict({f.name: [r.get(f.name) for r in rows] for f in sch}, schema=sch)
    return table.sort_by([(k, "ascending", "at_end") for k in SORT_KEYS[name]]) if table.num_rows > 1 else table


def _column_digest(h: hashlib._Hash, col: pa.ChunkedArray) -> None:
    arr = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    h.update(f"{arr.type}:{len(arr)}:{arr.null_count};".encode())
    if arr.null_count:
        h.update(np.packbits(arr.is_null().to_numpy(zero_copy_only=False)).tobytes())
    if pa.types.is_string(arr.type):
        arr = arr.fill_null("")
        bufs = arr.buffers()
        offsets = np.frombuffer(bufs[1], dtype=np.int32, count=len(arr) + 1, offset=arr.offset * 4)
        h.update((offsets - offsets[0]).tobytes())
        if bufs[2] is not None:
            h.update(memoryview(bufs[2])[int(offsets[0]):int(offsets[-1])])
        return
    if pa.types.is_timestamp(arr.type):
        arr = arr.cast(pa.int64())
    if arr.null_count:
        arr = arr.fill_null(False if pa.types.is_boolean(arr.type) else 0)
    h.update(arr.to_numpy(zero_copy_only=False).tobytes())


def digest(table: pa.Table) -> str:
    """A digest of a table's schema and values, column by column."""
    h = hashlib.sha256(f"{WRITER}\n{table.schema}".encode())
    for col in table.columns:
        _column_digest(h, col)
    return h.hexdigest()


class TableFile:
    """One Parquet file and its CSV copy, written a table (a bucket) at a time."""

    def __init__(self, path: Path, name: str, *, csv: Path | None = None, csv_bom: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.rows = 0
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self._pending_bytes = 0
        self._pq = pq.ParquetWriter(str(path), schema_of(name), compression="zstd", compression_level=6,
                                    use_dictionary=True, write_statistics=True, data_page_version="2.0")
        self._csv_file = None
        self._csv = None
        if csv is not None:
            csv.parent.mkdir(parents=True, exist_ok=True)
            self._csv_file = csv.open("wb")
            if csv_bom:
                self._csv_file.write(BOM)
            self._csv = pacsv.CSVWriter(self._csv_file, schema_of(name))

    def write(self, table: pa.Table) -> None:
        """Buckets are gathered into row groups of ROW_GROUP rows: small buckets do not make tiny groups."""
        if table.num_rows == 0:
            return
        self._pending.append(table)
        self._pending_rows += table.num_rows
        self._pending_bytes += table.nbytes
        if self._pending_rows >= ROW_GROUP or self._pending_bytes >= PENDING_BYTES:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        table = pa.concat_tables(self._pending)
        self._pending, self._pending_rows, self._pending_bytes = [], 0, 0
        self._pq.write_table(table, row_group_size=ROW_GROUP)
        if self._csv is not None:
            self._csv.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        self._flush()
        self._pq.close()
        if self._csv is not None and self._csv_file is not None:
            self._csv.close()
            self._csv_file.close()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


__all__ = ["BOM", "TableFile", "conform", "digest", "file_sha256", "from_rows", "schema_of"]
