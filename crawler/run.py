"""The crawl loop: frontier → politeness → fetch → raw store → discovery → frontier. Never parses tables.

One asyncio task per host works through that host's pending URLs one at a time (so never two
requests in flight to a host); up to `max_hosts` hosts run in parallel. Every outcome is committed
to SQLite before the next URL is taken, so kill -9 loses at most the URL in flight, and `add` being
idempotent on (url, sha256) means re-fetching it after a restart stores nothing twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import traceback
from collections.abc import Callable
from typing import Any, TextIO
from urllib.parse import urlsplit

from crawler.config import CrawlConfig
from crawler.fetch import FetchConfig, Fetcher, FetchResult, Resolver
from crawler.intake import Intake
from crawler.lock import StoreLock
from crawler.polite import Politeness, rules_from_response
from crawler.retry import RetryPolicy, with_retries
from crawler.select import canonical_url, host_allowed, twin_key
from crawler.sites import Source
from crawler.summary import CrawlSummary, SourceStats, listing_status
from gongkai.model import FetchStatus
from gongkai.store import FrontierItem, RawStore
from gongkai.store.raw import utc_now

__all__ = ["CrawlConfig", "CrawlSummary", "Crawler", "SourceStats", "crawl"]


Event = dict[str, Any]


class Crawler:
    def __init__(self, config: CrawlConfig, sources: list[Source], *, on_event: Callable[[Event], None] | None = None,
                 politeness: Politeness | None = None, resolve: Resolver | None = None) -> None:
        self.cfg = config
        self.sources = {s.name: s for s in sources}
        extra = set(config.allow_hosts)
        for s in sources:
            extra.update(s.hosts)
        self.allow = frozenset(h.lower() for h in extra)
        self.on_event = on_event or (lambda e: None)
        self.polite = politeness or Politeness(config.delay, robots_retry=config.robots_retry)
        self.fetch_config = FetchConfig(max_bytes=config.max_page_bytes, connect_timeout=config.connect_timeout,
                                        read_timeout=config.read_timeout, total_timeout=config.total_timeout,
                                        allow_hosts=self.allow)
        self.store: RawStore | None = None
        self.fetcher: Fetcher | None = None
        self.intake: Intake | None = None
        self.summary: CrawlSummary | None = None
        self.run_id = 0
        self._requests = 0
        self._log: TextIO | None = None
        self._blocks: dict[str, int] = {}
        self.refused: list[str] = []
        self._resolve = resolve  # DNS lookups (the system resolver unless given: tests map names to addresses)

    # ------------------------------------------------------------------ setup
    def _seed(self, store: RawStore) -> int:
        n = 0
        for s in self.sources.values():
            url = canonical_url(s.entry)
            if not host_allowed(urlsplit(url).hostname or "", self.allow):
                self.refused.append(f"{s.name}: host of {url} is not .gov.cn or registered (--allow-host)")
                continue
            n += store.state.enqueue(url=url, kind="list", source=s.name, host=urlsplit(url).netloc,
                                     family=s.family, depth=0, key=twin_key(url), iri=s.entry,
                                     reason="seed" if s.name.startswith("seed:") else "registry_entry")
        return n

    def plan(self) -> list[FrontierItem]:
        """--dry-run: seed the frontier (a no-op for known URLs) and list what would be fetched."""
        with RawStore(self.cfg.data_dir) as store:
            store.state.scope = tuple(self.sources)
            store.state.conn.execute("BEGIN")
            try:
                self._seed(store)
                return store.state.pending()
            finally:
                store.state.conn.execute("ROLLBACK")  # a dry run leaves the frontier as it was

    async def run(self) -> CrawlSummary:
        """Crawl until nothing in scope is pending (or the budget is spent). Raises CrawlLocked when
        another process is crawling the same store."""
        with StoreLock(self.cfg.data_dir):
            return await self._run()

    async def _run(self) -> CrawlSummary:
        store = self.store = RawStore(self.cfg.data_dir)
        store.state.scope = tuple(self.sources)  # a run touches only the selected sources' URLs
        self.run_id, resumed = store.state.open_run(utc_now(), {"sources": sorted(self.sources)})
        self.summary = CrawlSummary(self.run_id, resumed)
        log_path = self.cfg.log_path or self.cfg.data_dir / "logs" / f"crawl-{self.run_id}.jsonl"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(log_path, "a", encoding="utf-8")  # noqa: SIM115 - closed in finally
        self.fetcher = Fetcher(self.fetch_config, resolve=self._resolve)
        self.intake = Intake(self.cfg, store, self.sources, self.allow, self.run_id, self._stats_for, self._emit,
                             self._note_error)
        try:
            self._seed(store)
            for msg in self.refused:
                self._note_error(msg)
            self._emit("run_started", run_id=self.run_id, resumed=resumed, pending=store.state.count_frontier("pending"))
            await self._loop()
            pending = store.state.count_frontier("pending")
            self.summary.pending = pending
            if pending == 0:
                store.state.finish_run(self.run_id, utc_now())
                self.summary.finished = True
            self.summary.requests = self._requests
            self._account(store)
            s = self.summary
            self._emit("run_finished", finished=s.finished, complete=s.complete, pending=pending,
                       requests=self._requests, deferred=s.deferred, blocked_hosts=s.blocked_hosts,
                       robots_disallowed=s.robots_disallowed,
                       incomplete_listing=[{"source": x.source, "url": x.url, "reason": x.reason}
                                           for x in s.incomplete_listing])
            return self.summary
        finally:
            self.intake.close()
            await self.fetcher.aclose()
            self._log.close()
            store.close()

    def _account(self, store: RawStore) -> None:
        """The truthful part of the summary: what was deferred, blocked, disallowed, left incomplete."""
        assert self.summary is not None
        s, state = self.summary, store.state
        for (source, outcome), n in state.count_outcomes("deferred").items():
            s.deferred[outcome] = s.deferred.get(outcome, 0) + n
            s.stats(source).deferred += n
        assert self.intake is not None
        for source, n in self.intake.list_bound_hits.items():
            key = f"bound_{self.cfg.max_source_list_pages}_list_pages_per_source"
            s.deferred[key] = s.deferred.get(key, 0) + n
            s.stats(source).deferred += n
        s.robots_disallowed = sum(n for (_src, out), n in state.count_outcomes("skipped").items()
                                  if out == FetchStatus.ROBOTS_DISALLOWED)
        s.blocked_hosts = sorted({r["host"] for r in state.query("SELECT host FROM hosts WHERE blocked=1")})
        for row in state.listings(self.run_id):
            st = listing_status(row, probe=self.cfg.probe)
            s.listings.append(st)
            if st.status == "incomplete":
                s.incomplete_listing.append(st)
                s.stats(st.source).incomplete_listings += 1
        for name, src in self.sources.items():
            s.stats(name).last_verified = src.last_verified

    def _budget_left(self) -> bool:
        return self.cfg.max_pages is None or self._requests < self.cfg.max_pages

    async def _loop(self) -> None:
        assert self.store is not None
        active: dict[str, asyncio.Task[None]] = {}
        while True:
            if self._budget_left() and len(active) < self.cfg.max_hosts:
                for host in self.store.state.pending_hosts(set(active), self.cfg.max_hosts - len(active)):
                    active[host] = asyncio.create_task(self._host_worker(host), name=f"host:{host}")
            if not active:
                return
            done, _ = await asyncio.wait(active.values(), timeout=0.2, return_when=asyncio.FIRST_COMPLETED)
            for host, task in list(active.items()):
                if task in done:
                    del active[host]
                    exc = task.exception()
                    if exc is not None and not isinstance(exc, Exception):
                        raise exc  # BaseException (SystemExit, KeyboardInterrupt …) is never swallowed
                    if exc is not None:  # a bug of ours: note it, keep the other hosts going
                        self._note_error(f"{host}: worker crashed: {type(exc).__name__}: {exc}")

    # ------------------------------------------------------------------ per host
    async def _host_worker(self, host: str) -> None:
        assert self.store is not None
        state = self.store.state
        slot = self.polite.slot(host)
        while self._budget_left():
            item = state.next_for_host(host)
            if item is None:
                return
            if self.polite.robots_due(host):
                refused = await self._fetch_robots(host, urlsplit(item.url).scheme)
                if refused:  # the host itself may not be dialled (its name resolves to a refused address)
                    n = state.park_host(host, "failed", FetchStatus.HOST_NOT_ALLOWED, self.run_id, error=refused)
                    self._stats(item).failed += n
                    self._emit("host_refused", host=host, error=refused, urls=n)
                    return
                continue
            rules = self.polite.robots[host]
            asked = rules.crawl_delay(self.fetch_config.user_agent)
            if asked is not None and asked > self.cfg.max_crawl_delay:
                n = state.park_host(host, "deferred", "crawl_delay_too_long", self.run_id)
                self._emit("host_deferred", host=host, crawl_delay=asked, deferred=n)
                return
            if rules.status == "unavailable":
                if rules.attempts >= self.cfg.robots_attempts:
                    n = state.park_host(host, "deferred", FetchStatus.ROBOTS_UNAVAILABLE, self.run_id)
                    self._emit("robots_unavailable", host=host, deferred=n)
                    return  # pending items stay pending: the next run asks again
                await self.polite.sleep(max(0.0, rules.checked_at + self.cfg.robots_retry - self.polite.clock()))
                continue
            if not rules.allowed(item.url, self.fetch_config.user_agent):
                state.mark(item.key, "skipped", outcome=FetchStatus.ROBOTS_DISALLOWED, run_id=self.run_id)
                self._stats(item).skipped += 1
                self._emit("fetch", url=item.url, host=host, source=item.source, outcome="robots_disallowed")
                continue
            try:
                result = await self._fetch_with_retries(item, slot)
                stop = await self._handle(item, result)
            except Exception as e:  # a bug of ours on this URL: record it on the URL and move on
                digest = hashlib.sha256(traceback.format_exc().encode()).hexdigest()[:12]
                state.mark(item.key, "failed", outcome="crashed", run_id=self.run_id,
                           error=f"{type(e).__name__}: {e} [tb {digest}]")
                self._stats(item).failed += 1
                self._note_error(f"{item.url}: crashed: {type(e).__name__}: {e}")
                continue
            if stop:
                return

    async def _fetch_robots(self, host: str, scheme: str) -> str | None:
        """Fetch and apply robots.txt; the reason when the host may not be contacted at all."""
        assert self.fetcher is not None and self.store is not None
        slot = self.polite.slot(host)
        url = f"{scheme}://{host}/robots.txt"
        async with slot:
            self._requests += 1
            r = await self.fetcher.fetch(url, max_bytes=self.cfg.robots_max_bytes, truncate=True)
        unreachable = (FetchStatus.TIMEOUT, FetchStatus.NETWORK_ERROR, FetchStatus.TRUNCATED)
        code = r.http_status if r.status not in unreachable else None
        if r.status in (FetchStatus.REDIRECT_REJECTED, FetchStatus.REDIRECT_LOOP):
            code = 404  # RFC 9309 §2.3.1.2: more than five redirects (or unusable ones) → "unavailable" → allow
        rules = rules_from_response(code, r.body, self.polite.clock(), cut=r.cut_at_cap)
        self.polite.set_robots(host, rules, self.fetch_config.user_agent)
        self.store.state.set_host(host, utc_now(), robots_status=rules.status,
                                  crawl_delay=rules.crawl_delay(self.fetch_config.user_agent))
        if r.http_status is not None and r.body:
            self.store.archive(r.final_url, r.body, status=r.http_status, headers=r.headers)
        self._log_fetch(url, host, None, r, outcome=f"robots_{rules.status}" + ("_first_500KiB" if r.cut_at_cap else ""))
        return r.error if r.status == FetchStatus.HOST_NOT_ALLOWED else None

    async def _fetch_with_retries(self, item: FrontierItem, slot: Any) -> FetchResult:
        assert self.store is not None
        etag, last_mod, _sha = self.store.state.validators(item.url)
        cap = self.cfg.max_attachment_bytes if item.kind == "attachment" else self.cfg.max_page_bytes

        async def attempt() -> FetchResult:
            assert self.fetcher is not None
            async with slot:
                self._requests += 1
                r = await self.fetcher.fetch(item.url, method=item.method, form=item.form, etag=etag,
                                             last_modified=last_mod, max_bytes=cap, charset=item.charset)
            if r.retry_after:
                slot.defer(min(r.retry_after, self.cfg.max_retry_after))
            self._archive_transients(r)
            return r

        policy = RetryPolicy(self.cfg.attempts, self.cfg.backoff_base, self.cfg.backoff_max, self.cfg.max_retry_after)
        return await with_retries(
            attempt, policy, sleep=self.polite.sleep, keep_going=self._budget_left,
            on_retry=lambda r: self._log_fetch(item.url, item.host, item.source, r, outcome=f"retry:{r.status}"))

    # ------------------------------------------------------------------ outcomes
    async def _handle(self, item: FrontierItem, r: FetchResult) -> bool:
        """Store, discover, mark. True when the host should be left alone for the rest of the run."""
        assert self.store is not None and self.intake is not None
        state, st = self.store.state, self._stats(item)
        outcome: str = str(r.status)
        if r.status == FetchStatus.FETCHED:
            outcome = await self.intake.store_and_discover(item, r)
            state.mark(item.key, "done", outcome=outcome, run_id=self.run_id)
        elif r.status == FetchStatus.NOT_MODIFIED:
            st.not_modified += 1
            await self.intake.rediscover(item)
            state.mark(item.key, "done", outcome=outcome, run_id=self.run_id)
        elif r.status == FetchStatus.BLOCKED:
            st.blocked += 1
            state.mark(item.key, "blocked", outcome=outcome, run_id=self.run_id, error=r.error)
            n = self._blocks[item.host] = self._blocks.get(item.host, 0) + 1
            self.polite.slot(item.host).defer(self.cfg.block_backoff * 2 ** (n - 1))
            if n >= self.cfg.block_limit:
                state.set_host(item.host, utc_now(), blocked=1, last_outcome="blocked")
                st.blocked += state.park_host(item.host, "blocked", "host_blocked", self.run_id)
                self._log_fetch(item.url, item.host, item.source, r, outcome=str(outcome))
                self._emit("host_blocked", host=item.host, blocks=n)
                return True
        else:
            st.failed += 1
            state.mark(item.key, "failed", outcome=outcome, run_id=self.run_id, error=r.error)
            if r.retry_after is not None and r.retry_after > self.cfg.max_retry_after:
                # "come back in an hour": leave the host alone until the next run
                st.failed += state.park_host(item.host, "deferred", outcome, self.run_id)
                self._log_fetch(item.url, item.host, item.source, r, outcome=outcome)
                self._emit("host_deferred", host=item.host, retry_after=r.retry_after)
                return True
        self._log_fetch(item.url, item.host, item.source, r, outcome=str(outcome))
        return False

    def _archive_transients(self, r: FetchResult) -> None:
        """Every response goes to WARC: redirect hops, 304s, block and error pages (retried ones too).
        Only complete 2xx bodies are indexed as documents (by `Intake.store_and_discover`)."""
        assert self.store is not None
        for url, code, headers in r.hops:
            self.store.archive(url, b"", status=code, headers=headers)
        skip = (FetchStatus.FETCHED, FetchStatus.TOO_LARGE,  # indexed by the caller / never read whole
                FetchStatus.REDIRECT_REJECTED, FetchStatus.REDIRECT_LOOP)  # already a hop above
        if r.http_status is not None and r.status not in skip:
            cut = "disconnect" if r.status == FetchStatus.TRUNCATED else None
            self.store.archive(r.final_url, r.body, status=r.http_status, headers=r.headers, truncated=cut)

    # ------------------------------------------------------------------ bookkeeping
    def _stats(self, item: FrontierItem) -> SourceStats:
        return self._stats_for(item.source)

    def _stats_for(self, source: str) -> SourceStats:
        assert self.summary is not None
        return self.summary.stats(source)

    def _note_error(self, msg: str) -> None:
        assert self.summary is not None
        self.summary.errors.append(msg)
        self._emit("error", message=msg)

    def _log_fetch(self, url: str, host: str, source: str | None, r: FetchResult, *, outcome: str) -> None:
        assert self.store is not None
        self.store.state.log_fetch(run_id=self.run_id, url=url, host=host, source=source, at=utc_now(),
                                   http_status=r.http_status, outcome=outcome, error=r.error, nbytes=len(r.body),
                                   sha256=_sha(r.body) if r.body else None, elapsed_ms=int(r.elapsed * 1000))
        self._emit("fetch", url=url, host=host, source=source, outcome=outcome, http_status=r.http_status,
                   error=r.error, bytes=len(r.body))

    def _emit(self, event: str, **fields: Any) -> None:
        rec = {"event": event, "at": utc_now(), "t": round(time.monotonic(), 3), **fields}
        if self._log is not None:
            self._log.write(json.dumps(rec, ensure_ascii=False) + "\n")
            self._log.flush()
        self.on_event(rec)


def _sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def crawl(config: CrawlConfig, sources: list[Source], on_event: Callable[[Event], None] | None = None) -> CrawlSummary:
    return asyncio.run(Crawler(config, sources, on_event=on_event).run())

