"""Pages per second of the PDF reader alone (read_pdf: text, rules, grids) on the corpus PDFs.

Run: `.venv/bin/python -m benchmarks.pdf_reader_bench [--repeat N]` from the repository root.
Reads ../shared/corpus/docs (or $GONGKAI_SHARED/corpus/docs).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extract.readers.docx import read_docx  # noqa: E402
from extract.readers.pdf import page_count, read_pdf  # noqa: E402

DOCS = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared")) / "corpus" / "docs"
PDFS = ["pdf_2024_jiangsu_huaian_city_gov.pdf", "pdf_2024_jiangsu_huaian_hongzequ_gov.pdf"]
DOCX = "docx_template_2021_blank_gongkai_nianbao_moban.docx"


def bench_pdf(path: Path, repeat: int) -> tuple[int, float]:
    data = path.read_bytes()
    pages = page_count(data)
    read_pdf(data)  # warm-up: imports, font tables
    start = time.perf_counter()
    for _ in range(repeat):
        read_pdf(data)
    return pages, (time.perf_counter() - start) / repeat


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    total_pages = 0
    total_s = 0.0
    for name in PDFS:
        path = DOCS / name
        if not path.exists():
            print(f"{name}: not found under {DOCS}")
            continue
        pages, secs = bench_pdf(path, args.repeat)
        total_pages += pages
        total_s += secs
        print(f"{name}: {pages} pages in {secs * 1000:.0f} ms = {pages / secs:.1f} pages/s")
    if total_s:
        print(f"PDF overall: {total_pages / total_s:.1f} pages/s (mean of {args.repeat} runs each)")
    path = DOCS / DOCX
    if path.exists():
        data = path.read_bytes()
        read_docx(data)
        start = time.perf_counter()
        for _ in range(args.repeat):
            read_docx(data)
        print(f"{DOCX}: {(time.perf_counter() - start) / args.repeat * 1000:.0f} ms per read")


if __name__ == "__main__":
    main()
