"""Timing helpers shared by the benchmarks.

The machine is shared: other processes take the cores in bursts. Contenders are therefore timed
interleaved (one call of each in turn, many times), so a burst hits all of them alike, and the
figure kept is the median. `clock` is CPU time by default: time the process did not get the
core is not counted, which is what the per-page cost of single-threaded work is.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

Clock = Callable[[], float]


def median_time(fn: Callable[[], object], repeat: int, clock: Clock = time.perf_counter) -> float:
    """Median time of `repeat` calls, in seconds: wall time, or CPU time with `time.process_time`
    (less inflated when other processes share the cores)."""
    times = []
    for _ in range(repeat):
        t = clock()
        fn()
        times.append(clock() - t)
    return statistics.median(times)


def interleaved(fns: dict[str, Callable[[], object]], repeat: int,
                clock: Clock = time.process_time) -> dict[str, float]:
    """Median seconds per call of each function, timed in turn (a, b, c, a, b, c, …) `repeat` times,
    after one warm-up call each."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t = clock()
            fn()
            times[name].append(clock() - t)
    return {name: statistics.median(ts) for name, ts in times.items()}
