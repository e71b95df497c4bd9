"""Writing Parquet deterministically and atomically.

Same rows → same bytes: rows are sorted on the table's key, compression and writer options are
fixed, and nothing time-dependent is written. Every file goes to a temporary name in its own
folder and is renamed into place; a file whose bytes would not change is not touched at all.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .arrow import PARTITIONED, SCHEMAS, SORT_KEYS
from .ids import is_safe_partition_value

_PANDAS_DTYPES = {pa.int64(): "Int64", pa.int32(): "Int32", pa.float64(): "Float64", pa.bool_(): "boolean",
                  pa.string(): "string"}


def _sort_key(keys: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple((row.get(k) is None, row.get(k) if row.get(k) is not None else "") for k in keys)
    return key


# In the partition files agency_id and year live in the path (agency=…/year=…), as Hive
# partitioning expects; readers of the folder get them back as columns `agency` and `year`.
PATH_COLUMNS = ("agency_id", "year")


@cache
def _schema(name: str, partition: bool) -> pa.Schema:
    """The table's Arrow schema with pandas metadata, so pd.read_parquet restores Int64/Float64/string
    dtypes; the metadata does not depend on the rows, so it is made once from an empty frame."""
    schema = SCHEMAS[name]
    if partition:
        schema = pa.schema([f for f in schema if f.name not in PATH_COLUMNS])
    empty = pd.DataFrame({f.name: pd.Series([], dtype=_PANDAS_DTYPES.get(f.type, "object")) for f in schema})
    meta = pa.Table.from_pandas(empty, schema=schema, preserve_index=False).schema.metadata
    return schema.with_metadata(meta)


def to_arrow(name: str, rows: list[dict[str, Any]], *, partition: bool = False) -> pa.Table:
    schema = _schema(name, partition)
    rows = sorted(rows, key=_sort_key([k for k in SORT_KEYS[name] if k in schema.names]))
    return pa.Table.from_pydict({f.name: [r.get(f.name) for r in rows] for f in schema}, schema=schema)


def parquet_bytes(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", compression_level=9, use_dictionary=True,
                   write_statistics=True, data_page_version="2.0")
    return buf.getvalue()


def atomic_write(path: Path, data: bytes) -> bool:
    """Write data to path via a temporary file and rename; False when the file already holds it."""
    if path.exists() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _pause_for_tests()
    return True


def _pause_for_tests() -> None:
    # Lets the crash test kill a build between two file writes; unset everywhere else.
    delay = os.environ.get("GONGKAI_TEST_WRITE_DELAY")
    if delay:
        import time

        time.sleep(float(delay))


def write_partitions(root: Path, name: str, rows: Iterable[dict[str, Any]]) -> tuple[int, int]:
    """data/parquet/<name>/agency=<id>/year=<Y>/part-0.parquet; returns (written, unchanged)."""
    groups: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["agency_id"], r["year"])].append(r)
    base = root / name
    written = unchanged = 0
    keep: set[Path] = set()
    # kept beside the published trees, not in them: a build cache, not part of the dataset
    digests_path = root.parent / ".build" / f"{name}.digests.json"
    old = _load_digests(digests_path)
    new: dict[str, list[Any]] = {}
    for (agency, year), part in sorted(groups.items()):
        if not is_safe_partition_value(agency):
            raise ValueError(f"unsafe partition value {agency!r}")
        path = base / f"agency={agency}" / f"year={int(year)}" / "part-0.parquet"
        keep.add(path.parent)
        rel = str(path.relative_to(base))
        digest = _digest(name, part)
        if old.get(rel, [None])[0] == digest and old[rel][1:] == _stamp(path):
            unchanged += 1  # same rows as the untouched file was written from: no need to serialize again
        elif atomic_write(path, parquet_bytes(to_arrow(name, part, partition=True))):
            written += 1
        else:
            unchanged += 1
        new[rel] = [digest, *_stamp(path)]
    _remove_stale(base, keep)
    if new != old:
        atomic_write(digests_path, json.dumps(new, sort_keys=True).encode("utf-8"))
    return written, unchanged


def _digest(name: str, rows: list[dict[str, Any]]) -> str:
    """A digest of a partition's rows (and the writer's schema), to skip rewriting unchanged ones.
    A stale or missing digest only costs a full serialize-and-compare, never a wrong file."""
    h = hashlib.sha256(str(SCHEMAS[name]).encode("utf-8"))
    for r in sorted(rows, key=_sort_key(SORT_KEYS[name])):
        h.update(json.dumps(r, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def _stamp(path: Path) -> list[int]:
    """Size and modification time: a file changed behind the build's back is rewritten."""
    try:
        st = path.stat()
    except OSError:
        return [-1, -1]
    return [st.st_size, st.st_mtime_ns]


def _load_digests(path: Path) -> dict[str, list[Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _remove_stale(base: Path, keep: set[Path]) -> None:
    if not base.exists():
        return
    for year_dir in base.glob("agency=*/year=*"):
        if year_dir not in keep:
            shutil.rmtree(year_dir)
    for agency_dir in base.glob("agency=*"):
        if not any(agency_dir.iterdir()):
            agency_dir.rmdir()


def write_release(release: Path, name: str, rows: list[dict[str, Any]]) -> bool:
    return atomic_write(release / f"{name}.parquet", parquet_bytes(to_arrow(name, rows)))


__all__ = ["PARTITIONED", "atomic_write", "parquet_bytes", "to_arrow", "write_partitions", "write_release"]
