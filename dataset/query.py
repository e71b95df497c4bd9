"""DuckDB over the release files: one view per table, plus canned questions for journalists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from .arrow import SCHEMAS, SPLIT

_SQL = Path(__file__).parent / "sql"
METRICS = {
    "new_requests": "top_new_requests.sql",
    "refusal_share": "top_refusal_share.sql",
    "review_correction_rate": "top_review_correction_rate.sql",
}


def connect(data_dir: Path) -> duckdb.DuckDBPyConnection:
    release = Path(data_dir) / "release"
    if not release.exists():
        raise FileNotFoundError(f"no release in {release}: run `gongkai build --data-dir {data_dir}` first")
    con = duckdb.connect()
    for name in SCHEMAS:
        path = release / f"{name}.parquet"
        if name in SPLIT and (release / name).is_dir():  # one file per year: read the folder
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{_quote(release / name)}/*.parquet')")
        elif path.exists():
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{_quote(path)}')")
    return con


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def run_sql(data_dir: Path, sql: str, params: dict[str, Any] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    con = connect(data_dir)
    try:
        cur = con.execute(sql, params or {})
        cols = [d[0] for d in cur.description] if cur.description else []
        return cols, cur.fetchall()
    finally:
        con.close()


def canned(name: str) -> str:
    return (_SQL / name).read_text(encoding="utf-8")


def top(data_dir: Path, metric: str, year: int, min_volume: int = 10,
        limit: int = 20) -> tuple[list[str], list[tuple[Any, ...]]]:
    return run_sql(data_dir, canned(METRICS[metric]), {"year": year, "min_volume": min_volume, "limit": limit})


def inconsistent(data_dir: Path, year: int, scope: str = "all") -> tuple[list[str], list[tuple[Any, ...]]]:
    return run_sql(data_dir, canned("inconsistent.sql"), {"year": year, "scope": scope})
