"""Retry policy with an injected sleep: which results are retried, and how long it waits."""

from __future__ import annotations

import asyncio

from crawler.fetch import FetchResult
from crawler.retry import RetryPolicy, with_retries
from gongkai.model import FetchStatus as S


def _run(results: list[FetchResult], policy: RetryPolicy) -> tuple[FetchResult, list[float], int, int]:
    slept: list[float] = []
    retried: list[FetchResult] = []
    calls = 0

    async def attempt() -> FetchResult:
        nonlocal calls
        calls += 1
        return results[min(calls, len(results)) - 1]

    async def sleep(s: float) -> None:
        slept.append(s)

    out = asyncio.run(with_retries(attempt, policy, sleep=sleep, on_retry=retried.append))
    return out, slept, calls, len(retried)


def r(status: S, http: int | None = None, retry_after: float | None = None) -> FetchResult:
    return FetchResult("http://a.gov.cn/", "http://a.gov.cn/", status, http, retry_after=retry_after)


def test_retries_5xx_then_succeeds_with_growing_backoff() -> None:
    out, slept, calls, retried = _run([r(S.SERVER_ERROR, 500), r(S.SERVER_ERROR, 500), r(S.FETCHED, 200)],
                                      RetryPolicy(attempts=4, backoff_base=1.0, backoff_max=60))
    assert out.status == S.FETCHED and calls == 3 and retried == 2
    assert 1.0 <= slept[0] <= 2.0 and 2.0 <= slept[1] <= 3.0  # 1·2^0 and 1·2^1, plus up to 1 s jitter


def test_other_4xx_and_blocks_are_not_retried() -> None:
    for res in (r(S.HTTP_ERROR, 404), r(S.BLOCKED, 412), r(S.TOO_LARGE, 200), r(S.REDIRECT_REJECTED, 302)):
        out, slept, calls, _ = _run([res], RetryPolicy())
        assert calls == 1 and slept == [] and out is res


def test_gives_up_after_attempts_and_returns_the_last_result() -> None:
    out, slept, calls, retried = _run([r(S.TIMEOUT)], RetryPolicy(attempts=3, backoff_base=0.1, backoff_max=0.2))
    assert out.status == S.TIMEOUT and calls == 3 and retried == 2 and all(s <= 0.2 for s in slept)


def test_waits_at_least_retry_after_but_not_beyond_the_cap() -> None:
    _, slept, calls, _ = _run([r(S.RATE_LIMITED, 429, 7.0), r(S.FETCHED, 200)], RetryPolicy(backoff_base=0.1))
    assert calls == 2 and slept == [7.0]
    out, slept, calls, _ = _run([r(S.RATE_LIMITED, 429, 3600.0)], RetryPolicy(max_retry_after=120))
    assert calls == 1 and slept == [] and out.status == S.RATE_LIMITED
