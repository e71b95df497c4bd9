"""HostSlot and Politeness with an injected clock: no real sleeping, exact arithmetic."""

from __future__ import annotations

import asyncio

from crawler.polite import Politeness, rules_from_response


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_slot_spaces_requests_and_defer_never_brings_forward() -> None:
    clock = FakeClock()
    polite = Politeness(2.0, clock=clock, sleep=clock.sleep)
    slot = polite.slot("a.gov.cn")

    async def go() -> None:
        async with slot:
            clock.now += 0.5  # the request took 0.5 s
        async with slot:
            pass
        slot.defer(10.0)  # Retry-After: 10
        slot.defer(1.0)  # a shorter back-off does not shorten it
        async with slot:
            pass

    asyncio.run(go())
    assert clock.slept == [2.0, 10.0]
    assert slot.requests == 3


def test_crawl_delay_raises_but_never_lowers_and_is_not_capped() -> None:
    clock = FakeClock()
    polite = Politeness(2.0, clock=clock, sleep=clock.sleep)
    polite.set_robots("a", rules_from_response(200, b"User-agent: *\nCrawl-delay: 5\n", clock()), "gongkai")
    polite.set_robots("b", rules_from_response(200, b"User-agent: *\nCrawl-delay: 0.5\n", clock()), "gongkai")
    polite.set_robots("c", rules_from_response(200, b"User-agent: *\nCrawl-delay: 86400\n", clock()), "gongkai")
    assert (polite.slot("a").delay, polite.slot("b").delay, polite.slot("c").delay) == (5.0, 2.0, 86400.0)


def test_robots_status_semantics_and_retry_timing() -> None:
    clock = FakeClock()
    polite = Politeness(1.0, clock=clock, sleep=clock.sleep, robots_retry=30.0)
    assert rules_from_response(404, b"", 0).allowed("http://a/x", "gongkai")
    assert rules_from_response(401, b"", 0).allowed("http://a/x", "gongkai")
    assert not rules_from_response(503, b"", 0).allowed("http://a/x", "gongkai")
    assert not rules_from_response(None, b"", 0).allowed("http://a/x", "gongkai")  # timeout
    parsed = rules_from_response(200, b"User-agent: *\nDisallow: /zwgk/\n", 0)
    assert not parsed.allowed("http://a/zwgk/1.html", "gongkai") and parsed.allowed("http://a/x", "gongkai")
    assert polite.robots_due("h")
    polite.set_robots("h", rules_from_response(500, b"", clock()), "gongkai")
    assert not polite.robots_due("h")
    clock.now += 30.0
    assert polite.robots_due("h")
    polite.set_robots("h", rules_from_response(200, b"", clock()), "gongkai")
    clock.now += 1000.0
    assert not polite.robots_due("h")  # a parsed robots.txt is kept for the run
