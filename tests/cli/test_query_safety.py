"""`gongkai query` is read-only over the release unless --allow-write says otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataset.query import QueryRefused, run_sql
from tests.cli.test_cli_output import data_env, gongkai


@pytest.mark.parametrize("sql", [
    "COPY (SELECT 1 AS x) TO '{out}'",
    "COPY reports TO '{release}/reports.parquet' (FORMAT parquet, USE_TMP_FILE false)",
    "ATTACH '{out}.db' AS w",
    "INSTALL httpfs",
    "LOAD httpfs",
    "EXPORT DATABASE '{out}.dir'",
    "CREATE TABLE t AS SELECT 1",
    "SET enable_external_access = true",
    "SELECT 1; COPY (SELECT 1) TO '{out}'",
])
def test_statements_that_are_not_queries_are_refused(small_release: Path, tmp_path: Path, sql: str) -> None:
    release = small_release / "release"
    before = {p: p.read_bytes() for p in release.rglob("*") if p.is_file()}
    out = tmp_path / "written.csv"
    p = gongkai("query", sql.format(out=out, release=release), env=data_env(small_release))
    assert p.returncode == 1
    assert "refused" in p.stderr and "--allow-write" in p.stderr and len(p.stderr.splitlines()) == 1
    assert not list(tmp_path.iterdir())
    assert {p: p.read_bytes() for p in release.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM read_parquet('{other}')",
])
def test_queries_read_the_release_and_nothing_else(small_release: Path, tmp_path: Path, sql: str) -> None:
    """A SELECT may not reach other files either: the engine refuses (external access off)."""
    other = tmp_path / "other.parquet"
    assert gongkai("query", "--allow-write", f"COPY (SELECT 1 AS x) TO '{other}'",
                   env=data_env(small_release)).returncode == 0
    p = gongkai("query", sql.format(other=other), env=data_env(small_release))
    assert p.returncode == 1 and "Permission Error" in p.stderr


def test_allow_write_is_an_ordinary_session(small_release: Path, tmp_path: Path) -> None:
    out = tmp_path / "agencies.csv"
    p = gongkai("query", "--allow-write", f"COPY (SELECT agency_name FROM agencies) TO '{out}'",
                env=data_env(small_release))
    assert p.returncode == 0, p.stderr
    assert "南京市教育局" in out.read_text(encoding="utf-8")


def test_describe_show_summarize_and_explain_are_queries(small_release: Path) -> None:
    for sql in ("DESCRIBE reports", "SHOW TABLES", "SUMMARIZE agencies", "EXPLAIN SELECT * FROM reports",
                "WITH x AS (SELECT 1 AS a) SELECT * FROM x"):
        assert run_sql(small_release, sql)[1], sql


def test_library_refuses_too(small_release: Path) -> None:
    with pytest.raises(QueryRefused, match="COPY refused"):
        run_sql(small_release, "COPY (SELECT 1) TO '/tmp/never-written.csv'")
