"""DuckDB over the release files: one view per table, plus canned questions for journalists.

Read-only by default: the connection may read the release's Parquet files and nothing else on disk
(`enable_external_access=false` with those files as `allowed_paths`), installs and loads no
extension, and locks its configuration so a query cannot undo that; a statement that is not a
query (COPY … TO, ATTACH, INSTALL, CREATE …) is refused before it runs, because DuckDB would let
`COPY … TO` overwrite an allowed file. `allow_write=True` is an ordinary DuckDB session.

duckdb is imported inside the functions: `gongkai --help` must not pay for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

_SQL = Path(__file__).parent / "sql"
_BATCH = 10_000
READ_ONLY_STATEMENTS = ("SELECT", "EXPLAIN")  # DESCRIBE, SHOW and SUMMARIZE parse as SELECT


class QueryRefused(ValueError):
    """A statement the read-only session does not run."""


@dataclass(frozen=True)
class Metric:
    name: str
    file: str
    definition: str  # the SQL file's header comment, shown by `gongkai top --help`
    sort: str  # the column ranked on
    volume: str  # the column --min-volume applies to


def _metric(path: Path) -> Metric:
    header = [line[2:].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("--")]
    tags: dict[str, str] = {}
    for line in header:
        if m := re.fullmatch(r"(sort|volume): (\w+)", line):
            tags[m[1]] = m[2]
    name = path.stem.removeprefix("top_")
    text = " ".join(line for line in header if not re.fullmatch(r"(sort|volume): \w+", line))
    return Metric(name, path.name, text.removeprefix(f"{name}: "), tags["sort"], tags["volume"])


METRICS: dict[str, Metric] = {m.name: m for m in map(_metric, sorted(_SQL.glob("top_*.sql")))}


def release_dir(data_dir: Path) -> Path:
    release = Path(data_dir) / "release"
    if not release.is_dir():
        raise FileNotFoundError(f"no release in {release}: run `gongkai build --data-dir {data_dir}` "
                                "(or `make demo`) first")
    return release


def release_files(release: Path) -> dict[str, list[Path]]:
    """Table name → its Parquet files: `name.parquet`, or a folder `name/` of Parquet files (a table
    split by year). New tables appear without a code change; other folders (csv/) are not tables."""
    out: dict[str, list[Path]] = {}
    for p in sorted(release.iterdir()):
        if p.is_file() and p.suffix == ".parquet":
            out[p.stem] = [p.resolve()]
        elif p.is_dir() and (files := sorted(p.glob("*.parquet"))):
            out[p.name] = [f.resolve() for f in files]
    return out


def release_tables(data_dir: Path) -> dict[str, list[Path]]:
    return release_files(release_dir(data_dir))


def connect(data_dir: Path, allow_write: bool = False) -> duckdb.DuckDBPyConnection:
    import duckdb

    tables = release_tables(data_dir)
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    for name, files in tables.items():
        paths = ", ".join(_literal(str(f)) for f in files)
        con.execute(f"CREATE VIEW {_ident(name)} AS SELECT * FROM read_parquet([{paths}], union_by_name = true)")
    if not allow_write:
        allowed = ", ".join(_literal(str(f)) for files in tables.values() for f in files)
        con.execute(f"SET allowed_paths = [{allowed}]")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    return con


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    statements = con.extract_statements(sql)
    if not statements:
        raise QueryRefused("empty query: nothing to run")
    for s in statements:
        if s.type.name not in READ_ONLY_STATEMENTS:
            text = " ".join(s.query.split())
            verb = text.split(" ", 1)[0].upper() if text else s.type.name
            raise QueryRefused(f"{verb} refused: queries are read-only over the release ({text[:60]!r}); "
                               "--allow-write to run it anyway")


def execute(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None,
            allow_write: bool = False) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """Column names and a stream of rows (fetched in batches)."""
    if not allow_write:
        check_read_only(con, sql)
    elif not sql.strip():
        raise QueryRefused("empty query: nothing to run")
    cur = con.execute(sql, params or {})
    cols = [d[0] for d in cur.description] if cur.description else []

    def rows() -> Iterator[tuple[Any, ...]]:
        if not cols:
            return
        while batch := cur.fetchmany(_BATCH):
            yield from batch

    return cols, rows()


def run_sql(data_dir: Path, sql: str, params: dict[str, Any] | None = None,
            allow_write: bool = False) -> tuple[list[str], list[tuple[Any, ...]]]:
    con = connect(data_dir, allow_write=allow_write)
    try:
        cols, rows = execute(con, sql, params, allow_write=allow_write)
        return cols, list(rows)
    finally:
        con.close()


def canned(name: str) -> str:
    return (_SQL / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Scope:
    """Which reports a canned question looks at; None means all."""
    year: int | None = None
    province: str | None = None  # a prefix of the province (or of the region, in releases without one)
    level: str | None = None
    agency: str | None = None  # an agency_id, or part of the agency's name


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"SELECT column_name FROM (DESCRIBE {_ident(table)})").fetchall()]


def place_column(con: duckdb.DuckDBPyConnection) -> str | None:
    cols = _columns(con, "reports")
    return next((c for c in ("province", "region") if c in cols), None)


def _level_column(con: duckdb.DuckDBPyConnection) -> str | None:
    cols = _columns(con, "reports")
    return next((c for c in ("admin_level", "level") if c in cols), None)


def select_scope(con: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """The temp table `scope`: the reports the canned questions read instead of `reports`."""
    where: list[str] = ["TRUE"]
    params: dict[str, Any] = {}
    if scope.year is not None:
        where.append("year = $year")
        params["year"] = scope.year
    if scope.province:
        place = place_column(con)
        if place is None:
            raise ValueError("this release has no province or region column to filter on")
        where.append(f"starts_with({_ident(place)}, $province)")
        params["province"] = scope.province
    if scope.level:
        level = _level_column(con)
        if level is None:
            raise ValueError("this release has no administrative level column to filter on")
        where.append(f"{_ident(level)} = $level")
        params["level"] = scope.level
    if scope.agency:
        where.append("(agency_id = $agency OR contains(agency_name, $agency))")
        params["agency"] = scope.agency
    con.execute("DROP TABLE IF EXISTS scope")
    con.execute(f"CREATE TEMP TABLE scope AS SELECT * FROM reports WHERE {' AND '.join(where)}", params)


def top_query(con: duckdb.DuckDBPyConnection, metric: str, scope: Scope = Scope(), min_volume: int = 10,
              exclude_failing: bool = False) -> tuple[str, dict[str, Any]]:
    """Reports ranked by a metric (every year unless the scope says one), each marked with the rules
    of its own tables that fail (`failed_rules`), so a report that does not add up is not taken at
    its word; `exclude_failing` drops those reports."""
    m = METRICS[metric]
    select_scope(con, scope)
    place = place_column(con)
    level = _level_column(con)
    extra = "".join(f", r.{_ident(c)}" for c in (place, level) if c)
    sql = f"""
WITH m AS ({canned(m.file)}),
failing AS (
  SELECT report_id, string_agg(DISTINCT rule, ' ' ORDER BY rule) AS failed_rules
  FROM checks WHERE status = 'fail' AND scope = 'report' GROUP BY report_id)
SELECT r.agency_name, r.year{extra}, m.* EXCLUDE (report_id), coalesce(f.failed_rules, '') AS failed_rules,
       r.report_id
FROM m JOIN scope r USING (report_id) LEFT JOIN failing f USING (report_id)
WHERE m.{_ident(m.volume)} >= $min_volume {"AND f.failed_rules IS NULL" if exclude_failing else ""}
ORDER BY m.{_ident(m.sort)} DESC, r.agency_name, r.year"""
    return sql, {"min_volume": min_volume}


def inconsistent_query(con: duckdb.DuckDBPyConnection, scope: Scope = Scope(),
                       check_scope: str = "all") -> tuple[str, dict[str, Any]]:
    select_scope(con, scope)
    return canned("inconsistent.sql"), {"scope": check_scope}


def top(data_dir: Path, metric: str, year: int | None = None, min_volume: int = 10, limit: int | None = 20,
        scope: Scope | None = None, exclude_failing: bool = False) -> tuple[list[str], list[tuple[Any, ...]]]:
    con = connect(data_dir)
    try:
        scope = scope or Scope(year=year)
        sql, params = top_query(con, metric, scope, min_volume, exclude_failing)
        if limit:
            sql += f"\nLIMIT {int(limit)}"
        cols, rows = execute(con, sql, params)
        return cols, list(rows)
    finally:
        con.close()


def inconsistent(data_dir: Path, year: int | None = None, scope: str = "all",
                 where: Scope | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    con = connect(data_dir)
    try:
        sql, params = inconsistent_query(con, where or Scope(year=year), scope)
        cols, rows = execute(con, sql, params)
        return cols, list(rows)
    finally:
        con.close()
