"""Every tunable of a crawl, with its default and a one-line reason. Read once by the Crawler."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["CrawlConfig"]


@dataclass(frozen=True)
class CrawlConfig:
    data_dir: Path
    delay: float = 2.0  # seconds between requests to one host (raised by Crawl-delay, Retry-After)
    allow_hosts: frozenset[str] = frozenset()  # beyond .gov.cn (bare-IP portals; 127.0.0.1 in tests)
    max_pages: int | None = None  # requests this invocation; the run stays open to resume
    max_depth: int = 3  # column nesting below an entry page
    max_hosts: int = 32  # hosts crawled in parallel
    attempts: int = 4  # tries per URL on timeouts, connection errors, 5xx and 429
    backoff_base: float = 1.0  # first retry waits ~1 s (+ up to 1 s jitter), then doubles
    backoff_max: float = 60.0  # no single backoff longer than this
    max_retry_after: float = 120.0  # a longer Retry-After ends the tries for this run
    block_backoff: float = 30.0  # pause after a block page, doubled per block
    block_limit: int = 3  # blocks before a host is left alone for the rest of the run
    robots_retry: float = 30.0  # seconds before asking again for an unavailable robots.txt
    robots_attempts: int = 3  # robots.txt asks per run before the host's URLs are deferred
    max_crawl_delay: float = 60.0  # a longer robots Crawl-delay defers the host to the next run (never shortened)
    max_page_bytes: int = 20 * 1024 * 1024  # list and report pages
    max_attachment_bytes: int = 100 * 1024 * 1024  # PDFs of scanned reports can be large
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    log_path: Path | None = None  # JSON lines; default data_dir/logs/crawl-<run>.jsonl
    probe: bool = False  # fetch entry pages only and count the links they yield (checks registry entries)
    max_list_pages: int = 100  # pages of one listing: what it declares, but no more than this (createPageHTML(100000, …))
    max_source_list_pages: int = 1000  # list pages per source, a backstop against pagers that spawn pagers
    parse_in_thread_bytes: int = 256 * 1024  # list pages this big are parsed in a worker thread, off the event loop
    robots_max_bytes: int = 500 * 1024  # RFC 9309: at least the first 500 KiB of robots.txt are parsed
