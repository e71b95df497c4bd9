"""gongkai command line: subcommands are registered by each stage (crawl, demo for now)."""

from __future__ import annotations

import argparse
import sys

from crawler import cli as crawl_cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="政府信息公开工作年度报告 → datasets")
    sub = parser.add_subparsers(dest="command", required=True)
    crawl_cli.add_parser(sub)
    crawl_cli.add_demo_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
