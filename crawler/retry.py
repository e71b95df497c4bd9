"""Retry policy for one URL (tenacity): exponential backoff with jitter on timeouts, connection
errors, truncated bodies, 5xx and 429, waiting at least `Retry-After`; never on other 4xx.
A `Retry-After` longer than `max_retry_after` ends the tries (the run defers the host instead)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_result,
    stop_after_attempt,
    wait_exponential_jitter,
)

from crawler.fetch import FetchResult

__all__ = ["RetryPolicy", "with_retries"]


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    max_retry_after: float = 120.0


async def with_retries(attempt: Callable[[], Awaitable[FetchResult]], policy: RetryPolicy, *,
                       sleep: Callable[[float], Awaitable[None]], keep_going: Callable[[], bool] = lambda: True,
                       on_retry: Callable[[FetchResult], None] = lambda r: None) -> FetchResult:
    """Run `attempt` until it gives a final result; the last result is returned, never raised."""
    expo = wait_exponential_jitter(multiplier=policy.backoff_base, max=policy.backoff_max,
                                   jitter=policy.backoff_base)

    def last(rs: RetryCallState) -> FetchResult:
        assert rs.outcome is not None
        result: FetchResult = rs.outcome.result()
        return result

    def wait(rs: RetryCallState) -> float:
        r = last(rs)
        base = float(expo(rs))
        return max(base, min(r.retry_after, policy.max_retry_after)) if r.retry_after else base

    def should_retry(r: FetchResult) -> bool:
        too_long = r.retry_after is not None and r.retry_after > policy.max_retry_after
        return r.retryable and not too_long and keep_going()

    retryer = AsyncRetrying(stop=stop_after_attempt(policy.attempts), wait=wait, retry=retry_if_result(should_retry),
                            sleep=sleep, before_sleep=lambda rs: on_retry(last(rs)), retry_error_callback=last)
    result: FetchResult = await retryer(attempt)
    return result
