"""`gongkai serve`: the web explorer (Datasette) over the release.

Read-only: Datasette opens the SQLite copy of the release as immutable (no write is possible, and
its SQL page runs only SELECT), and the copy is rebuilt from the Parquet release when the release
changes, never edited. Loopback by default: other machines reach it only with `--host`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli.datadir import READ_HELP, data_dir

HERE = Path(__file__).parent / "explorer"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def add_parser(sub: Any, help: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        "serve", help=help,
        description="A web explorer over the release (Datasette): reports, agencies and checks with facets "
                    "by province, prefecture, county, level, year and status; a page per agency with its years "
                    "side by side and a chart; the tables that don't add up; every view as CSV or JSON.")
    p.add_argument("--data-dir", default=None, help=READ_HELP)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 opens it to the network)")
    p.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    p.set_defaults(func=cmd_serve)
    return p


def make_datasette(data: Path) -> Any:
    """The Datasette instance over the release in `data` (building or reusing the SQLite copy)."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from cli.explorer import plugin
    from cli.explorer.database import DB_NAME, ensure_database
    from cli.explorer.metadata import build_metadata
    from dataset.query import release_dir

    explorer = ensure_database(data)
    metadata = build_metadata(explorer.path, release_dir(data))
    if not pm.is_registered(plugin):
        pm.register(plugin, name="gongkai-explorer")
    inspect = {DB_NAME: {"hash": explorer.digest, "file": str(explorer.path), "size": explorer.path.stat().st_size,
                         "tables": {t: {"count": n} for t, n in explorer.counts.items()}}}
    return Datasette(
        immutables=[str(explorer.path)], metadata=metadata, inspect_data=inspect,
        template_dir=str(HERE / "templates"), static_mounts=[("gongkai-static", str(HERE / "static"))],
        settings={"sql_time_limit_ms": 5000, "facet_time_limit_ms": 1000, "default_page_size": 100,
                  "suggest_facets": False},
    )


def cmd_serve(args: argparse.Namespace) -> int:
    import asyncio

    import uvicorn

    data = data_dir(args.data_dir, reading=True)
    print(f"gongkai serve: preparing the explorer over {data / 'release'} …", file=sys.stderr)
    ds = make_datasette(data)
    asyncio.run(ds.invoke_startup())
    if args.host not in LOOPBACK:
        print(f"gongkai serve: listening on {args.host}: other machines can reach it", file=sys.stderr)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"gongkai serve: http://{host}:{args.port}/ (Ctrl-C to stop)", file=sys.stderr)
    server = uvicorn.Server(uvicorn.Config(ds.app(), host=args.host, port=args.port, log_level="warning",
                                           lifespan="on"))
    server.run()
    if server.should_exit:  # stopped by Ctrl-C or a termination signal, like every other command
        print("gongkai: interrupted", file=sys.stderr)
        return 130
    return 1  # it could not start (the port taken): uvicorn said why
