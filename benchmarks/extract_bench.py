"""HTML extraction speed against its floor and against pandas.read_html, side by side in one run.

On the corpus pages of the 2019+ format and the HTML fixtures, per page:
- gongkai: `extract_document` from the bytes (decode, parse, grids, map, derive, checks, prose);
- floor: lexbor's own parse of the page text plus a walk over every table cell reading its text,
  the least any reader of these tables has to do;
- pandas.read_html on the page text (tables to DataFrames only).
All three are timed interleaved (CPU time, median; benchmarks/timing.py).
"""

from __future__ import annotations

import io
import time
import warnings
from pathlib import Path

import pandas as pd
from selectolax.lexbor import LexborHTMLParser

from benchmarks.timing import interleaved, median_time
from extract.document import extract_document

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT.parent / "shared" / "corpus" / "docs"
FIXTURES = ROOT / "tests" / "fixtures"

__all__ = ["DOCS", "corpus_html", "main", "median_time"]


def corpus_html() -> list[tuple[str, bytes]]:
    """The corpus pages in the 2019+ format (the ones with tables to extract) and the HTML fixtures."""
    pages = sorted(p for p in DOCS.glob("html_20*.html") if int(p.name.split("_")[1]) >= 2019)
    pages += sorted(FIXTURES.rglob("*.html"))
    return [(p.name, p.read_bytes()) for p in pages]


def lexbor_floor(text: str) -> None:
    for cell in LexborHTMLParser(text).css("td, th"):
        cell.text(deep=True)


def main(repeat: int = 40) -> dict[str, float]:
    blobs = corpus_html()
    texts = [b.decode("utf-8") for _, b in blobs]
    for name, data in blobs:
        status = extract_document(data, name).status
        if status not in ("extracted", "extracted_with_issues"):  # timing a failure would mislead
            raise RuntimeError(f"{name}: {status}")

    def ours() -> None:
        for name, data in blobs:
            extract_document(data, name)

    def floor() -> None:
        for t in texts:
            lexbor_floor(t)

    def read_html() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for t in texts:
                pd.read_html(io.StringIO(t))

    secs = interleaved({"ours": ours, "floor": floor, "read_html": read_html}, repeat, clock=time.process_time)
    ms = {k: v / len(blobs) * 1000 for k, v in secs.items()}
    print(f"HTML pages: {len(blobs)} (corpus 2019+ and fixtures); CPU ms/page, median of {repeat}, interleaved")
    print(f"  gongkai extract_document (decode … checks):  {ms['ours']:6.2f} ms/page")
    print(f"  floor: lexbor parse + text of every cell:    {ms['floor']:6.2f} ms/page")
    print(f"  pandas.read_html (tables to DataFrames):     {ms['read_html']:6.2f} ms/page")
    print(f"  ours / floor: {ms['ours'] / ms['floor']:.2f}x    read_html / ours: {ms['read_html'] / ms['ours']:.2f}x")
    return {"ours_ms": ms["ours"], "floor_ms": ms["floor"], "read_html_ms": ms["read_html"],
            "ours_over_floor": ms["ours"] / ms["floor"], "read_html_over_ours": ms["read_html"] / ms["ours"]}


if __name__ == "__main__":
    main()
