"""`gongkai crawl` and `gongkai demo`: parse arguments, call the crawler, render progress and summary.

Wired into cli/main.py with `cli.crawl.add_parser(subparsers)` (and `add_demo_parser`); each
parser sets `func`, so the main CLI calls `args.func(args)` and exits with its return value.
"""

from __future__ import annotations

import argparse
import json
import shutil
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.datadir import DEMO, data_dir

if TYPE_CHECKING:  # imported when a command runs: `gongkai --help` must not load the crawler
    from rich.console import Console
    from rich.live import Live
    from rich.table import Table

    from crawler.run import CrawlConfig, CrawlSummary
    from crawler.sites import Source

__all__ = ["add_demo_parser", "add_parser", "run", "run_demo"]


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", type=Path, default=None,
                   help="raw store location (default: $GONGKAI_DATA_DIR, else data; demo: data/demo)")
    p.add_argument("--delay", type=float, default=None, help="seconds between requests to one host (crawl default 2, demo 0.2; robots Crawl-delay can raise it)")
    p.add_argument("--max-pages", type=int, default=None, help="stop after this many requests, robots.txt included; run again to resume")
    p.add_argument("--dry-run", action="store_true", help="list what would be fetched, fetch nothing")
    p.add_argument("--quiet", action="store_true", help="no live progress")
    p.add_argument("--max-list-pages", type=int, default=100,
                   help="pages of one listing: what it declares, but no more than this (default 100)")
    p.add_argument("--json", action="store_true", help="print the run summary as JSON on stdout instead of a table")


def add_parser(subparsers: Any, help: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "crawl", help=help,
        description="Crawl report columns politely and resumably; every response is kept in data/raw.")
    _common(p)
    p.add_argument("--source", action="extend", nargs="+", default=[], metavar="NAME", help="crawl only these registry sources")
    p.add_argument("--seed", action="extend", nargs="+", default=[], metavar="URL", help="ad-hoc entry URLs (list pages)")
    p.add_argument("--allow-host", action="extend", nargs="+", default=[], metavar="HOST",
                   help="allow a host beyond .gov.cn (bare-IP portals; 127.0.0.1 for local tests)")
    p.add_argument("--registry", type=Path, default=None, help="registry TOML (default: crawler/sources.toml)")
    p.add_argument("--max-depth", type=int, default=3, help="column nesting below an entry page")
    p.add_argument("--max-hosts", type=int, default=32, help="hosts crawled in parallel")
    p.add_argument("--probe", action="store_true",
                   help="fetch only the entry pages and report what they link to (checks registry entries)")
    p.set_defaults(func=run)
    return p


def add_demo_parser(subparsers: Any, help: str) -> argparse.ArgumentParser:
    """`gongkai demo`: the sample portal crawled, then extracted and built (cli.main.cmd_demo)."""
    from cli.main import add_extract_flags, cmd_demo

    p: argparse.ArgumentParser = subparsers.add_parser("demo", help=help)
    _common(p)
    add_extract_flags(p)
    p.set_defaults(func=cmd_demo)
    return p


def _select_sources(args: argparse.Namespace) -> list[Source] | str:
    from crawler.sites import load_sources, source_for_url

    sources: list[Source] = []
    if args.source or not args.seed:
        registry = load_sources(args.registry)
        if args.source:
            names = {s.name for s in registry}
            unknown = [n for n in args.source if n not in names]
            if unknown:
                return f"unknown source(s): {', '.join(unknown)}; see crawler/sources.toml"
            registry = [s for s in registry if s.name in args.source]
        sources += registry
    sources += [source_for_url(u, f"seed:{u}") for u in args.seed]
    return sources


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from crawler.run import CrawlConfig

    args.data_dir = data_dir(args.data_dir)
    console = Console(stderr=True)
    selected = _select_sources(args)
    if isinstance(selected, str):
        console.print(f"[red]{selected}[/red]")
        return 2
    cfg = CrawlConfig(data_dir=args.data_dir, delay=2.0 if args.delay is None else args.delay,
                      allow_hosts=frozenset(h.lower() for h in args.allow_host), max_pages=args.max_pages,
                      max_depth=args.max_depth, max_hosts=args.max_hosts, probe=args.probe,
                      max_list_pages=args.max_list_pages)
    return _execute(cfg, selected, args, console)


def run_demo(args: argparse.Namespace) -> int:
    from rich.console import Console

    from crawler.run import CrawlConfig
    from demo.portal import start_demo_portal

    args.data_dir = data_dir(args.data_dir, default=DEMO)
    console = Console(stderr=True)
    if not _fresh_demo_dir(args.data_dir):
        console.print(f"[red]{args.data_dir} holds data that the demo did not write; pick another --data-dir[/red]")
        return 2
    portal = start_demo_portal()
    try:
        console.print(f"demo portal: {len(portal.sites)} sites on 127.0.0.1 "
                      f"({', '.join(s.base for s in portal.sites)})")
        cfg = CrawlConfig(data_dir=args.data_dir, delay=0.2 if args.delay is None else args.delay,
                          allow_hosts=frozenset({"127.0.0.1"}), max_pages=args.max_pages,
                          block_backoff=1.0, backoff_base=0.2, total_timeout=10.0, max_list_pages=args.max_list_pages)
        return _execute(cfg, portal.sources, args, console)
    finally:
        portal.stop()


_DEMO_MARK = ".gongkai-demo"


def _fresh_demo_dir(data_dir: Path) -> bool:
    """Demo ports change per run, so an old demo store is stale: remove it, but only if the demo wrote it."""
    if data_dir.exists() and any(data_dir.iterdir()):
        if not (data_dir / _DEMO_MARK).exists():
            return False
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / _DEMO_MARK).write_text("written by `gongkai demo`; safe to delete\n", encoding="utf-8")
    return True


def _execute(cfg: CrawlConfig, sources: list[Source], args: argparse.Namespace, console: Console) -> int:
    import asyncio

    from rich.console import Console
    from rich.live import Live

    from crawler.lock import CrawlLocked
    from crawler.run import Crawler

    if args.dry_run:
        items = Crawler(cfg, sources).plan()
        for it in items:
            print(f"{it.kind}\t{it.source}\t{it.method}\t{it.url}")
        console.print(f"{len(items)} URL(s) would be fetched first; discovery adds more as pages arrive")
        return 0
    from cli.pipeline import remember_sources

    remember_sources(Path(cfg.data_dir), sources)  # the build's place evidence, kept beside the store
    progress = _Progress()
    crawler = Crawler(cfg, sources, on_event=progress.update)
    try:
        if args.quiet:
            summary = asyncio.run(crawler.run())
        else:
            with Live(progress.render(), console=console, refresh_per_second=4) as live:
                progress.live = live
                summary = asyncio.run(crawler.run())
    except CrawlLocked as e:
        console.print(f"[red]{e}[/red]")
        return 1
    if args.json:
        print(json.dumps(summary.to_json(), ensure_ascii=False, indent=1))
    else:
        out = Console()
        if not out.is_terminal:  # piped or logged: no terminal width to respect
            out = Console(width=140)
        out.print(probe_table(summary) if cfg.probe else summary_table(summary))
    for err in summary.errors:
        console.print(f"[red]{err}[/red]")
    for line in truth_lines(summary):
        console.print(line, markup=False, highlight=False)
    return 0


def truth_lines(summary: CrawlSummary) -> list[str]:
    """What the run could not do, said plainly: deferred URLs, incomplete listings, blocked hosts,
    robots-disallowed URLs; "finished" alone only when none of these applies."""
    lines = [f"listing: {x.source} {x.url}: {x.status}, {x.reason}" for x in summary.listings if x.status == "continues"]
    for x in summary.incomplete_listing:
        lines.append(f"incomplete listing: {x.source} {x.url}: {x.reason}" + (f" ({x.detail})" if x.detail else ""))
    if summary.blocked_hosts:
        lines.append(f"blocked hosts (left alone this run): {', '.join(summary.blocked_hosts)}")
    if summary.robots_disallowed:
        lines.append(f"robots.txt disallows {summary.robots_disallowed} URL(s): not fetched")
    if not summary.finished:
        state = f"open: {summary.pending} URL(s) pending, run again to resume"
    else:
        parts = []
        if summary.deferred:
            n = sum(summary.deferred.values())
            why = ", ".join(f"{k}: {v}" for k, v in sorted(summary.deferred.items()))
            parts.append(f"{n} URL(s) deferred to the next run ({why})")
        if summary.incomplete_listing:
            parts.append(f"{len(summary.incomplete_listing)} incomplete listing(s)")
        state = "finished" if not parts else "finished, but " + "; ".join(parts)
    lines.append(f"run {summary.run_id} ({'resumed' if summary.resumed else 'new'}): {summary.requests} requests, "
                 f"{state}")
    return lines


class _Progress:
    def __init__(self) -> None:
        self.hosts: set[str] = set()
        self.fetches = 0
        self.reports_found = 0
        self.errors = 0
        self.blocked = 0
        self.live: Live | None = None

    def update(self, e: dict[str, Any]) -> None:
        if e["event"] == "fetch":
            self.fetches += 1
            self.hosts.add(e.get("host") or "")
            out = str(e.get("outcome", ""))
            if out in ("blocked", "host_blocked"):
                self.blocked += 1
            elif out not in ("fetched", "unchanged", "not_modified", "robots_disallowed") \
                    and not out.startswith(("robots_", "retry:")):
                self.errors += 1
        elif e["event"] == "reports_found":
            self.reports_found += int(e.get("count", 0))
        if self.live is not None:
            self.live.update(self.render())

    def render(self) -> str:
        return (f"[bold]crawling[/bold] hosts {len(self.hosts)} · fetches {self.fetches} · "
                f"reports found {self.reports_found} · blocked {self.blocked} · errors {self.errors}")


def probe_table(summary: CrawlSummary) -> Table:
    """Per source: did the entry page answer, does it still link to reports or columns, and does what
    it declares (records, pages) add up with what a crawl would fetch?"""
    from rich import box
    from rich.table import Table

    today = date.today().isoformat()
    t = Table(title="probe of entry pages", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1),
              caption="verdict ok → set last_verified in crawler/sources.toml; anything else: check the entry URL")
    for head in ("source", "report links", "list links", "listing", "last verified", "verdict"):
        t.add_column(head, justify="right" if head in ("report links", "list links") else "left", no_wrap=True)
    listings: dict[str, list[str]] = {}
    incomplete = {x.source for x in summary.incomplete_listing}
    for x in summary.listings:
        listings.setdefault(x.source, []).append(x.status)
    for name, st in sorted(summary.sources.items()):
        if st.blocked:
            verdict = "blocked"
        elif st.failed or (not st.pages and not st.not_modified and not st.reports):
            verdict = "failed"
        elif name in incomplete:
            verdict = "incomplete_listing: declares more than discovery can reach"
        elif st.linked_reports:
            verdict = f"ok (last_verified = \"{today}\")"
        elif st.linked_lists:
            verdict = "columns only: reports may sit one level down"
        else:
            verdict = "no report links: path drift?"
        t.add_row(name, str(st.linked_reports), str(st.linked_lists), "; ".join(listings.get(name, [])) or "-",
                  st.last_verified, verdict)
    return t


def summary_table(summary: CrawlSummary) -> Table:
    from rich import box
    from rich.table import Table

    t = Table(title=f"crawl run {summary.run_id}", box=box.SIMPLE_HEAD, pad_edge=False, padding=0,
              caption="files = attachments; 304 = unchanged (conditional GET); skipped = robots.txt disallow;"
                      " deferred = left for the next run; incomplete = listings that declare more than was found")
    cols = (("pages", "pages"), ("reports", "reports"), ("attachments", "files"), ("new", "new"),
            ("changed", "changed"), ("not_modified", "304"), ("blocked", "blocked"), ("failed", "failed"),
            ("skipped", "skipped"), ("deferred", "deferred"), ("incomplete_listings", "incomplete"))
    t.add_column("source", no_wrap=True, overflow="ellipsis", max_width=24)
    for _attr, head in cols:
        t.add_column(head, justify="right", no_wrap=True, min_width=len(head))
    t.add_column("verified", no_wrap=True)
    for name, st in sorted(summary.sources.items()):
        t.add_row(name, *(str(getattr(st, attr)) for attr, _h in cols), st.last_verified)
    return t
