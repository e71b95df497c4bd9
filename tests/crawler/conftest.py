"""Fixtures: demo portal sites on 127.0.0.1 (free ports) and a helper that runs one crawl."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawler.run import CrawlConfig, Crawler, CrawlSummary
from crawler.sites import Source
from demo.portal import DemoPortal, start_demo_portal

LOCAL = frozenset({"127.0.0.1"})


def fast_config(data_dir: Path, **kw: Any) -> CrawlConfig:
    """Short delays and timeouts so each test stays within seconds; bounded in requests and time."""
    base: dict[str, Any] = dict(delay=0.02, allow_hosts=LOCAL, backoff_base=0.05, backoff_max=0.5,
                                block_backoff=0.05, robots_retry=0.2, connect_timeout=2.0, read_timeout=2.0,
                                total_timeout=5.0, max_retry_after=3.0)
    base.update(kw)
    return CrawlConfig(data_dir=data_dir, **base)


def run_crawl(config: CrawlConfig, sources: list[Source], timeout: float = 60.0, **kw: Any) -> CrawlSummary:
    async def go() -> CrawlSummary:
        return await asyncio.wait_for(Crawler(config, sources, **kw).run(), timeout)

    return asyncio.run(go())


@pytest.fixture(scope="module")
def portal() -> Iterator[DemoPortal]:
    p = start_demo_portal(seed=7)
    yield p
    p.stop()
