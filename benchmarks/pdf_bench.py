"""PDF extraction speed: the two corpus PDFs end to end (extract_document: pdfplumber text and
ruled tables, then mapping and checks), in pages per second, beside the corpus HTML pages.

An HTML report is one page; a PDF report is 5-6. Both figures are medians over repeats, run
interleaved so machine noise hits both.
"""

from __future__ import annotations

import functools
import io

import pdfplumber

from benchmarks.extract_bench import DOCS, corpus_html, median_time
from extract.document import extract_document


def main(repeat: int = 5) -> dict[str, float]:
    pdfs = [(p.name, p.read_bytes()) for p in sorted(DOCS.glob("pdf_*.pdf"))]
    html = corpus_html()
    pages = {}
    for name, data in pdfs:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages[name] = len(pdf.pages)
        status = extract_document(data, name).status
        if status != "extracted":  # timing a failure would mislead
            raise RuntimeError(f"{name}: {status}")

    def run_html() -> None:
        for name, data in html:
            extract_document(data, name)

    per_pdf = {name: 0.0 for name, _ in pdfs}
    t_html = 0.0
    for _ in range(3):  # interleave
        for name, data in pdfs:
            per_pdf[name] += median_time(functools.partial(extract_document, data, name), repeat) / 3
        t_html += median_time(run_html, repeat) / 3
    out: dict[str, float] = {}
    print(f"corpus PDFs, extract_document end to end (median of {repeat}, 3 rounds):")
    for name, secs in per_pdf.items():
        n = pages[name]
        print(f"  {name:42s} {n} pages  {secs * 1000:7.1f} ms  {n / secs:6.1f} pages/s  {secs / n * 1000:6.1f} ms/page")
        out[f"{name}_pages_per_s"] = n / secs
    total_pages, total_s = sum(pages.values()), sum(per_pdf.values())
    html_ms = t_html / len(html) * 1000
    print(f"  all PDFs: {total_pages / total_s:6.1f} pages/s ({total_s / total_pages * 1000:.1f} ms/page)")
    print(f"corpus HTML pages (2019+ format, {len(html)}): {html_ms:6.1f} ms/page ({1000 / html_ms:.1f} pages/s)")
    print(f"a PDF page costs {total_s / total_pages * 1000 / html_ms:.1f}x an HTML report page")
    out.update(pdf_pages_per_s=total_pages / total_s, pdf_ms_per_page=total_s / total_pages * 1000, html_ms_per_page=html_ms)
    return out


if __name__ == "__main__":
    main()
