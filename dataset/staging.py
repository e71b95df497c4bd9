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
_IPC = pa.ipc.IpcWriteOptions(compression="lz4")

Route = tuple[int | None, int]  # (year, bucket)


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
    def __init__(self, root: Path, schemas: dict[str, pa.Schema]) -> None:
        self.root = root
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        self.schemas = schemas
        self.buffers = {name: _Buffer(s) for name, s in schemas.items()}
        self.route_ids: dict[Route, int] = {}
        self.routes: list[Route] = []
        self.index: dict[tuple[str, Route], list[tuple[Path, int, int]]] = defaultdict(list)
        self._files = 0
        self._buffered = 0
        self._readers: dict[Path, pa.ipc.RecordBatchFileReader] = {}

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
        table = pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(buf.cols, buf.schema, strict=True)],
                                     schema=buf.schema)
        routes = pa.array(buf.routes, pa.int32())
        order = pc.sort_indices(routes)  # stable: rows keep document order within a route
        table, routes = table.take(order), routes.take(order)
        path = self.root / f"{name}-{self._files:05d}.arrow"
        self._files += 1
        bounds = _runs(routes)
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema, options=_IPC) as w:
            for i, (route, start, stop) in enumerate(bounds):
                w.write_batch(table.slice(start, stop - start).combine_chunks().to_batches()[0])
                self.index[(name, self.routes[route])].append((path, i, stop - start))

    def rows(self, table: str, route: Route) -> int:
        return sum(n for _p, _i, n in self.index.get((table, route), []))

    def read(self, table: str, route: Route) -> pa.Table:
        parts = self.index.get((table, route), [])
        batches = [self._reader(p).get_batch(i) for p, i, _n in parts]
        if not batches:
            return self.schemas[table].empty_table()
        return pa.Table.from_batches(batches, schema=self.schemas[table])

    def _reader(self, path: Path) -> pa.ipc.RecordBatchFileReader:
        r = self._readers.get(path)
        if r is None:  # read, not memory-mapped: mapped pages would stay resident and grow with the data
            r = self._readers[path] = pa.ipc.open_file(pa.OSFile(str(path)))
        return r

    def years(self) -> list[int | None]:
        """Years present, in order, unknown last."""
        ys = {y for y, _b in self.routes}
        return sorted(y for y in ys if y is not None) + ([None] if None in ys else [])

    def close(self) -> None:
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
