"""Rows on their way to the release, kept on disk in Arrow IPC files, not in memory.

Rows arrive one document at a time. Each table buffers column lists; past a row budget the buffers
become Arrow record batches, one per (year, bucket), appended to a staging file. An index of
(table, year, bucket) → batches lets the writer read back exactly one bucket at a time, so memory
holds one bucket, never a table. A bucket is a range of four values of the agency_id's first two
hex digits (64 buckets; reports of no known agency go to bucket 64), so every copy of a report, and
every year of an agency, lands in the same bucket, and the buckets in order are the agencies in
sort order. 64 keeps a bucket of a national year (150,000 reports) near 0.5 M cell rows.
"""

from __future__ import annotations

import itertools
import shutil
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

UNKNOWN_AGENCY_BUCKET = 64
BUCKETS = tuple(range(65))
FLUSH_ROWS = 250_000  # cell rows' worth buffered across tables before they go to disk (a few tens of MB)
# How many cell rows one row of a table weighs in that budget: a check carries its message and cells,
# a document row some 80 columns.
ROW_WEIGHT = {"checks": 4, "docs": 16}
# Uncompressed: batches are small (a flush spread over every (year, bucket)), and LZ4's cost per
# buffer was a quarter of the build's time; repeated text is stored as codes instead (Staging.coded).
_IPC = pa.ipc.IpcWriteOptions(compression=None)

Route = tuple[int | None, int]  # (year, bucket)
_EMPTY = pa.array([], pa.string())


def bucket_of(agency_id: str | None) -> int:
    return int(agency_id[2:4], 16) >> 2 if agency_id else UNKNOWN_AGENCY_BUCKET


class _Buffer:
    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self.cols: list[list[Any]] = [[] for _ in schema]
        self.routes: list[int] = []  # index into Staging.route_ids, per row

    def __len__(self) -> int:
        return len(self.routes)


class Staging:
    """`coded`: per table, the text columns whose values repeat (keys, units, states, messages): staged
    as int32 codes into one dictionary per column that only grows, turned back into text on read.
    Never a column whose values grow with the data (report_id): its dictionary would too."""

    def __init__(self, root: Path, schemas: dict[str, pa.Schema], coded: dict[str, tuple[str, ...]] | None = None
                 ) -> None:
        self.root = root
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        self.schemas = schemas
        self.coded = {t: frozenset(cols) for t, cols in (coded or {}).items()}
        self._dicts: dict[tuple[str, str], pa.Array] = {}
        self._disk = {t: pa.schema([pa.field(f.name, pa.int32()) if f.name in self.coded.get(t, ()) else f
                                    for f in s]) for t, s in schemas.items()}
        self.buffers = {name: _Buffer(s) for name, s in schemas.items()}
        self.route_ids: dict[Route, int] = {}
        self.routes: list[Route] = []
        self.index: dict[tuple[str, Route], list[tuple[int, int]]] = defaultdict(list)  # (batch, rows)
        self._buffered = 0
        self._writers: dict[str, tuple[pa.NativeFile, pa.ipc.RecordBatchFileWriter]] = {}
        self._batches: dict[str, int] = defaultdict(int)
        self._readers: dict[str, pa.ipc.RecordBatchFileReader] = {}
        self._sealed = False

    def route(self, year: int | None, bucket: int) -> int:
        key = (year, bucket)
        rid = self.route_ids.get(key)
        if rid is None:
            rid = self.route_ids[key] = len(self.routes)
            self.routes.append(key)
        return rid

    def extend(self, table: str, route: int, columns: list[list[Any]]) -> None:
        """Append rows given as one list per column of the table's staging schema."""
        buf = self.buffers[table]
        n = len(columns[0]) if columns else 0
        if n == 0:
            return
        for dst, src in zip(buf.cols, columns, strict=True):
            dst.extend(src)
        buf.routes.extend([route] * n)
        self._buffered += n * ROW_WEIGHT.get(table, 1)
        if self._buffered >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        for name, buf in self.buffers.items():
            if len(buf):
                self._write(name, buf)
                self.buffers[name] = _Buffer(buf.schema)
        self._buffered = 0

    def _write(self, name: str, buf: _Buffer) -> None:
        coded = self.coded.get(name, frozenset())
        table = pa.Table.from_arrays([self._encode(name, f.name, pa.array(c, type=f.type)) if f.name in coded
                                      else pa.array(c, type=f.type) for c, f in zip(buf.cols, buf.schema, strict=True)],
                                     schema=self._disk[name])
        routes = pa.array(buf.routes, pa.int32())
        order = pc.sort_indices(routes)  # stable: rows keep document order within a route
        table, routes = table.take(order), routes.take(order)
        if self._sealed:
            raise RuntimeError("staging is sealed: rows are read back, no more can be added")
        if name not in self._writers:  # one file per table, however many flushes: a handful of open files
            sink = pa.OSFile(str(self.root / f"{name}.arrow"), "wb")
            self._writers[name] = (sink, pa.ipc.new_file(sink, table.schema, options=_IPC))
        writer = self._writers[name][1]
        table = table.combine_chunks()
        for route, start, stop in _runs(routes):
            writer.write_batch(table.slice(start, stop - start).to_batches()[0])
            self.index[(name, self.routes[route])].append((self._batches[name], stop - start))
            self._batches[name] += 1

    def rows(self, table: str, route: Route) -> int:
        return sum(n for _i, n in self.index.get((table, route), []))

    def read(self, table: str, route: Route) -> pa.Table:
        parts = self.index.get((table, route), [])
        if not parts:
            return self.schemas[table].empty_table()
        reader = self._reader(table)
        rows = pa.Table.from_batches([reader.get_batch(i) for i, _n in parts], schema=self._disk[table])
        coded = self.coded.get(table, frozenset())
        if not coded:
            return rows
        return pa.Table.from_arrays([self._dicts.get((table, f.name), _EMPTY).take(rows.column(f.name))
                                     if f.name in coded else rows.column(f.name) for f in self.schemas[table]],
                                    schema=self.schemas[table])

    def _encode(self, table: str, column: str, values: pa.Array) -> pa.Array:
        """The values as codes into the column's dictionary (new values appended to it; nulls stay null)."""
        local = pc.dictionary_encode(values)
        known = self._dicts.get((table, column), _EMPTY)
        new = local.dictionary.filter(pc.invert(pc.is_in(local.dictionary, value_set=known)))
        if len(new):
            known = self._dicts[(table, column)] = pa.concat_arrays([known, new])
        return pc.index_in(local.dictionary, value_set=known).take(local.indices)

    def _reader(self, table: str) -> pa.ipc.RecordBatchFileReader:
        r = self._readers.get(table)
        if r is None:
            self._seal()
            # read, not memory-mapped: mapped pages would stay resident and grow with the data
            r = self._readers[table] = pa.ipc.open_file(pa.OSFile(str(self.root / f"{table}.arrow")))
        return r

    def _seal(self) -> None:
        """Close the writers (an IPC file is readable once its footer is written)."""
        self.flush()
        for sink, writer in self._writers.values():
            writer.close()
            sink.close()
        self._writers.clear()

    def years(self) -> list[int | None]:
        """Years present, in order, unknown last."""
        ys = {y for y, _b in self.routes}
        return sorted(y for y in ys if y is not None) + ([None] if None in ys else [])

    def close(self) -> None:
        for sink, writer in self._writers.values():
            try:
                writer.close()
            finally:
                sink.close()
        self._writers.clear()
        self._readers.clear()
        shutil.rmtree(self.root, ignore_errors=True)


def _runs(routes: pa.Array) -> Iterator[tuple[int, int, int]]:
    """(value, start, stop) of each run of equal values in a sorted int array."""
    values = routes.to_numpy()
    if len(values) == 0:
        return
    cuts = [0, *(np.flatnonzero(np.diff(values)) + 1).tolist(), len(values)]
    for start, stop in itertools.pairwise(cuts):
        yield int(values[start]), start, stop
