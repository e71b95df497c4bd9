"""`gongkai query`, `top` and `inconsistent`: questions to the release, answered as tables or files.

Only the standard library is imported at module level; DuckDB comes in when a command runs.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from cli import output
from cli.datadir import READ_HELP, data_dir

if TYPE_CHECKING:
    import duckdb

@contextlib.contextmanager
def interruptible(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Ctrl-C stops a running DuckDB query. DuckDB does not look at Python's signal flag while it
    works, so a thread woken by the signal's wakeup fd interrupts the connection; the main thread
    then sees the query fail and raises KeyboardInterrupt."""
    import signal
    import socket
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    r, w = socket.socketpair()
    w.setblocking(False)
    hit = threading.Event()

    def watch() -> None:
        while data := r.recv(64):
            if signal.SIGINT in data:
                hit.set()
                con.interrupt()

    old = signal.set_wakeup_fd(w.fileno(), warn_on_full_buffer=False)
    watcher = threading.Thread(target=watch, name="sigint-watch", daemon=True)
    watcher.start()
    try:
        yield
    except Exception:
        if hit.is_set():
            raise KeyboardInterrupt from None
        raise
    finally:
        signal.set_wakeup_fd(old)
        w.close()
        watcher.join(1)
        r.close()


def _scope(args: argparse.Namespace) -> Any:
    from dataset.query import Scope

    return Scope(year=args.year, province=args.province, level=args.level, agency=args.agency)


def _print(args: argparse.Namespace, cols: list[str], rows: Any) -> None:
    output.write(cols, rows, args.format, args.limit, args.csv_bom)


def cmd_query(args: argparse.Namespace) -> int:
    from dataset import query

    con = query.connect(data_dir(args.data_dir, reading=True), allow_write=args.allow_write)
    with interruptible(con):
        cols, rows = query.execute(con, args.sql, allow_write=args.allow_write)
        _print(args, cols, rows)
    return 0


def cmd_top(args: argparse.Namespace) -> int:
    from dataset import query

    con = query.connect(data_dir(args.data_dir, reading=True))
    with interruptible(con):
        sql, params = query.top_query(con, args.metric, _scope(args), args.min_volume, args.exclude_failing)
        cols, rows = query.execute(con, sql, params)
        _print(args, cols, rows)
    return 0


def cmd_inconsistent(args: argparse.Namespace) -> int:
    from dataset import query

    con = query.connect(data_dir(args.data_dir, reading=True))
    with interruptible(con):
        sql, params = query.inconsistent_query(con, _scope(args), args.scope)
        cols, rows = query.execute(con, sql, params)
        _print(args, cols, rows)
    return 0


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, help="only this year (default: every year)")
    p.add_argument("--province", help="only agencies of this province (a prefix: 江苏 or 江苏省)")
    p.add_argument("--level", help="only this administrative level: province, prefecture, county, township, department")
    p.add_argument("--agency", help="only this agency: its agency_id, or part of its name")


def _common(p: argparse.ArgumentParser, func: Any, default_limit: int | None = None) -> None:
    p.add_argument("--data-dir", default=None, help=READ_HELP)
    output.add_arguments(p, default_limit)
    p.set_defaults(func=func)


TOP_EPILOG = """metrics (one row per report: an agency in a year):
{metrics}

failed_rules lists the report's own identities that fail (T3-A, T3-B, …): its numbers do not add up,
so its rank is not to be taken at its word; --exclude-failing leaves such reports out."""


def add_query(sub: Any, help: str) -> argparse.ArgumentParser:
    q: argparse.ArgumentParser = sub.add_parser(
        "query", help=help,
        description="Run SQL over the release. Read-only: the session reads the release's Parquet files "
                    "and nothing else, installs no extension, and refuses statements that are not queries "
                    "(COPY … TO, ATTACH, INSTALL, CREATE …).")
    q.add_argument("sql")
    q.add_argument("--allow-write", action="store_true",
                   help="an unrestricted DuckDB session: COPY … TO, ATTACH, INSTALL and any file on disk")
    _common(q, cmd_query)
    return q


def add_top(sub: Any, help: str) -> argparse.ArgumentParser:
    import textwrap

    from dataset.query import METRICS  # reads dataset/sql headers only: no DuckDB

    metrics = "\n".join(textwrap.fill(f"{m.name}: {m.definition}", 100, initial_indent="  ",
                                       subsequent_indent="      ") for m in METRICS.values())
    tp: argparse.ArgumentParser = sub.add_parser(
        "top", help=help, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=TOP_EPILOG.format(metrics=metrics))
    tp.add_argument("--metric", required=True, choices=sorted(METRICS))
    _filters(tp)
    tp.add_argument("--min-volume", type=int, default=10,
                    help="leave out reports below this volume (the metric's denominator; default 10)")
    tp.add_argument("--exclude-failing", action="store_true", help="leave out reports whose own checks fail")
    _common(tp, cmd_top, default_limit=20)
    return tp


def add_inconsistent(sub: Any, help: str) -> argparse.ArgumentParser:
    inc: argparse.ArgumentParser = sub.add_parser("inconsistent", help=help)
    _filters(inc)
    inc.add_argument("--scope", choices=["all", "report", "cross_report"], default="all",
                     help="tables that do not add up (report), breaks between years (cross_report), or both")
    _common(inc, cmd_inconsistent)
    return inc
