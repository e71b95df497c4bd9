"""Extraction speed on the corpus HTML pages against pandas.read_html on the same pages.

Both run in one process, interleaved, so machine noise hits both; the figure that matters is
the ratio. read_html only parses tables into DataFrames; gongkai does decode, parse, normalize,
map, derive and check.
"""

from __future__ import annotations

import io
import statistics
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from extract.document import extract_document

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT.parent / "shared" / "corpus" / "docs"


def corpus_html() -> list[tuple[str, bytes]]:
    """The corpus pages in the 2019+ format (the ones with tables to extract)."""
    pages = sorted(p for p in DOCS.glob("html_20*.html") if int(p.name.split("_")[1]) >= 2019)
    return [(p.name, p.read_bytes()) for p in pages]


def median_time(fn: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter) -> float:
    """Median time of `repeat` calls, in seconds: wall time, or CPU time with `time.process_time`
    (less inflated when other processes share the cores)."""
    times = []
    for _ in range(repeat):
        t = clock()
        fn()
        times.append(clock() - t)
    return statistics.median(times)


def main(repeat: int = 15) -> dict[str, float]:
    blobs = corpus_html()
    texts = [b.decode("utf-8") for _, b in blobs]

    def ours() -> None:
        for name, data in blobs:
            extract_document(data, name)

    def pandas_read_html() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for t in texts:
                pd.read_html(io.StringIO(t))

    ours()
    pandas_read_html()  # warm both
    t_ours = t_pd = 0.0
    for _ in range(3):  # interleave so drift affects both
        t_ours += median_time(ours, repeat)
        t_pd += median_time(pandas_read_html, repeat)
    n = len(blobs) * 3
    per_ours, per_pd = t_ours / n * 1000, t_pd / n * 1000
    print(f"corpus HTML pages (2019+ format): {len(blobs)}")
    print(f"gongkai extract (decode+parse+normalize+map+check): {per_ours:7.2f} ms/page")
    print(f"pandas.read_html (parse tables only):               {per_pd:7.2f} ms/page")
    print(f"ratio read_html / gongkai: {per_pd / per_ours:.1f}x")
    return {"ours_ms": per_ours, "read_html_ms": per_pd, "ratio": per_pd / per_ours}


if __name__ == "__main__":
    main()
