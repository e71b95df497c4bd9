"""`gongkai serve`: the web explorer (Datasette) over the release."""

from __future__ import annotations

import argparse
from typing import Any

from cli.datadir import READ_HELP, data_dir


def add_parser(sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        "serve", help="browse the release in a web browser (read-only, loopback by default)")
    p.add_argument("--data-dir", default=None, help=READ_HELP)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    p.set_defaults(func=cmd_serve)
    return p


def cmd_serve(args: argparse.Namespace) -> int:
    raise NotImplementedError(str(data_dir(args.data_dir, reading=True)))
