"""Crawl benchmark: N simulated hosts (one port each, all on 127.0.0.1) served from a child process,
crawled by this process; reports requests/s achieved vs the politeness budget, and peak memory.

    python benchmarks/crawl_bench.py [--hosts 200] [--reports 5] [--delay 0.5] [--max-hosts 200]

The politeness budget is the steady-state rate the rules allow: each host at most one request per
`delay` seconds, so hosts_in_parallel / delay requests per second. It can be exceeded slightly
(budget_used > 1) because a newly started host's first request needs no wait. The wall-time floor
is the least time the per-host delays permit (requests per host - 1) x delay x batches of hosts;
floor_over_elapsed near 1 means the crawler loses nothing beyond politeness.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

from crawler.run import CrawlConfig, Crawler
from crawler.sites import Source
from gongkai.store import RawStore


def _serve(conn: Connection, hosts: int, reports: int) -> None:
    from demo.portal import big_site

    specs = [big_site(f"bench{i}", reports=reports, per_page=reports, seed=i) for i in range(hosts)]
    conn.send([(s.entry, sorted(s.reports), s.name) for s in specs])
    conn.recv()  # wait for "stop"
    for s in specs:
        s.stop()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, default=200)
    ap.add_argument("--reports", type=int, default=5, help="reports per host (one list page each)")
    ap.add_argument("--delay", type=float, default=0.5, help="per-host delay in seconds")
    ap.add_argument("--max-hosts", type=int, default=200, help="hosts crawled in parallel")
    ap.add_argument("--repeat", type=int, default=3, help="crawls (fresh store each); the median is reported")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args(argv)

    parent, child = mp.Pipe()
    server = mp.get_context("spawn").Process(target=_serve, args=(child, args.hosts, args.reports), daemon=True)
    server.start()
    sites = parent.recv()
    expected = {u for _e, reports, _n in sites for u in reports}
    sources = [Source(name, entry) for entry, _r, name in sites]
    rss_before = _rss_mb()
    runs = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            cfg = CrawlConfig(Path(tmp), delay=args.delay, allow_hosts=frozenset({"127.0.0.1"}),
                              max_hosts=args.max_hosts, total_timeout=30)
            start = time.monotonic()
            summary = asyncio.run(Crawler(cfg, sources).run())
            elapsed = time.monotonic() - start
            with RawStore(Path(tmp)) as store:
                got = {d.url for d in store.iter_documents(kind="report")}
        runs.append((summary.requests / elapsed, elapsed, summary, got))
    parent.send("stop")
    server.join(timeout=10)
    runs.sort(key=lambda x: x[0])
    rps, elapsed, summary, got = runs[len(runs) // 2]
    parallel = min(args.hosts, args.max_hosts)
    budget = parallel / args.delay
    # each host needs robots + list + reports requests, at least `delay` apart: the floor on wall time
    per_host = 2 + args.reports
    floor = (per_host - 1) * args.delay * -(-args.hosts // parallel)
    result = {
        "hosts": args.hosts, "requests": summary.requests, "seconds": round(elapsed, 2),
        "requests_per_second": round(rps, 1),
        "rps_min_max": [round(runs[0][0], 1), round(runs[-1][0], 1)], "repeats": len(runs),
        "politeness_budget_rps": round(budget, 1),
        "budget_used": round(summary.requests / elapsed / budget, 3),
        "wall_time_floor_s": round(floor, 2),
        "floor_over_elapsed": round(floor / elapsed, 3),
        "reports_expected": len(expected), "reports_stored": len(got),
        "all_found": all(g == expected for _r, _e, _s, g in runs),
        "rss_mb_before": round(rss_before, 1), "peak_rss_mb": round(_rss_mb(), 1),
        "finished": summary.finished,
    }
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:>22}: {v}")
    return 0 if result["all_found"] else 1


if __name__ == "__main__":
    sys.exit(main())
