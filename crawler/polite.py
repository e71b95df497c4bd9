"""Per-host politeness: one request in flight per host, a delay between requests, robots.txt.

Each host has a slot with its own delay (the configured delay, raised by robots `Crawl-delay` and by
`Retry-After`; never lowered by either). The slot is an asyncio lock plus the earliest time of the next request, so one
waiting host never stalls others. robots.txt follows RFC 9309: 2xx → parsed (protego; the first 500
KiB of a bigger file), 4xx → allow all, 5xx / 429 / network failure → disallow everything *for now*
and ask again after `robots_retry`.
The clock and sleep are injected; nothing here patches or reads global time except through them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from protego import Protego

__all__ = ["HostSlot", "Politeness", "RobotsRules"]

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass
class HostSlot:
    host: str
    delay: float
    clock: Clock
    sleep: Sleep
    next_at: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    requests: int = 0

    async def __aenter__(self) -> HostSlot:
        await self.lock.acquire()
        wait = self.next_at - self.clock()
        if wait > 0:
            await self.sleep(wait)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.requests += 1
        self.next_at = max(self.next_at, self.clock() + self.delay)
        self.lock.release()

    def defer(self, seconds: float) -> None:
        """Push the next request back (Retry-After, block back-off); never brings it forward."""
        self.next_at = max(self.next_at, self.clock() + seconds)


@dataclass
class RobotsRules:
    status: str  # parsed | missing (4xx → allow all) | unavailable (5xx/timeout → disallow for now)
    parser: Protego | None = None
    checked_at: float = 0.0
    attempts: int = 0

    def allowed(self, url: str, user_agent: str) -> bool:
        if self.status == "missing":
            return True
        if self.status == "unavailable" or self.parser is None:
            return False
        return bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        d = self.parser.crawl_delay(user_agent)
        return float(d) if d is not None else None


ROBOTS_PARSE_BYTES = 500 * 1024  # RFC 9309 §2.5: parse at least the first 500 KiB


def rules_from_response(http_status: int | None, body: bytes, now: float, *, cut: bool = False) -> RobotsRules:
    """RFC 9309 §2.3.1: 2xx → parse (only the first 500 KiB of a longer file: `cut`, the last partial
    line dropped); 4xx → no restrictions, except 429, which is a request to slow down and is treated
    like 5xx; 5xx or no answer → disallow everything for now."""
    if http_status is not None and 200 <= http_status < 300:
        if cut:
            body = body[: body.rfind(b"\n") + 1]
        text = body.decode("utf-8", errors="replace")
        return RobotsRules("parsed", Protego.parse(text), now)
    if http_status is not None and 400 <= http_status < 500 and http_status != 429:
        return RobotsRules("missing", None, now)
    return RobotsRules("unavailable", None, now)


class Politeness:
    def __init__(self, delay: float, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep,
                 robots_retry: float = 30.0) -> None:
        self.delay = delay
        self.clock = clock
        self.sleep = sleep
        self.robots_retry = robots_retry
        self.slots: dict[str, HostSlot] = {}
        self.robots: dict[str, RobotsRules] = {}

    def slot(self, host: str) -> HostSlot:
        s = self.slots.get(host)
        if s is None:
            s = self.slots[host] = HostSlot(host, self.delay, self.clock, self.sleep)
        return s

    def set_robots(self, host: str, rules: RobotsRules, user_agent: str) -> None:
        prev = self.robots.get(host)
        rules.attempts = (prev.attempts if prev else 0) + 1
        self.robots[host] = rules
        cd = rules.crawl_delay(user_agent)
        if cd is not None:  # honoured as written, never capped (the run may defer a very slow host)
            slot = self.slot(host)
            slot.delay = max(self.delay, cd)

    def robots_due(self, host: str) -> bool:
        """True when robots.txt must be (re)fetched: never seen, or unavailable and the retry time passed."""
        r = self.robots.get(host)
        if r is None:
            return True
        return r.status == "unavailable" and self.clock() - r.checked_at >= self.robots_retry
