"""PDF speed on the corpus PDFs, side by side in one run (pages per second, median of repeats,
interleaved so that machine noise hits every contender alike):

* `read_pdf`: the project's reader (pdfium characters and rules → grids, text, title);
* `extract_document`: the same end to end (reader, mapping, checks);
* pdfplumber's `extract_words` on every page (pdfminer's interpreter: the old reader's floor);
* pypdfium2's plain text extraction (`get_text_bounded` on every page: pdfium's floor).

Each figure is given in wall time and in CPU time of this process (pages per CPU-second: the
per-core figure, less inflated when other processes share the machine). The corpus HTML pages are
timed alongside, for scale: an HTML report is one page.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable

from benchmarks.extract_bench import DOCS, corpus_html, median_time
from extract.document import extract_document
from extract.readers.pdf import page_count, read_pdf


def _plumber_words(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_words()


def _pdfium_text(data: bytes) -> None:
    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    try:
        for page in doc:
            textpage = page.get_textpage()
            textpage.get_text_bounded()
            textpage.close()
            page.close()
    finally:
        doc.close()


def main(repeat: int = 5) -> dict[str, float]:
    pdfs = [(p.name, p.read_bytes()) for p in sorted(DOCS.glob("pdf_*.pdf"))]
    pages = sum(page_count(data) for _name, data in pdfs)
    for name, data in pdfs:
        status = extract_document(data, name).status
        # Timing a failure would mislead; a document read with issues (a failed check) is still read in full.
        if status not in ("extracted", "extracted_with_issues"):
            raise RuntimeError(f"{name}: {status}")
    html = corpus_html()

    def over_pdfs(fn: Callable[[bytes], object]) -> Callable[[], None]:
        def run() -> None:
            for _name, data in pdfs:
                fn(data)
        return run

    contenders: dict[str, Callable[[], None]] = {
        "read_pdf (pdfium reader)": over_pdfs(read_pdf),
        "extract_document, end to end": over_pdfs(lambda d: extract_document(d, "x.pdf")),
        "pdfplumber extract_words": over_pdfs(_plumber_words),
        "pypdfium2 plain text": over_pdfs(_pdfium_text),
    }
    wall = dict.fromkeys(contenders, 0.0)
    cpu = dict.fromkeys(contenders, 0.0)
    t_html = 0.0
    for fn in contenders.values():
        fn()  # warm
    for _ in range(3):  # interleave
        for label, fn in contenders.items():
            wall[label] += median_time(fn, repeat) / 3
            cpu[label] += median_time(fn, repeat, time.process_time) / 3
        t_html += median_time(lambda: [extract_document(d, n) for n, d in html], repeat) / 3
    rate = {label: pages / s for label, s in wall.items()}
    per_cpu = {label: pages / s for label, s in cpu.items()}
    ours, ours_cpu = rate["read_pdf (pdfium reader)"], per_cpu["read_pdf (pdfium reader)"]
    load = os.getloadavg()[0]
    print(f"corpus PDFs ({len(pdfs)} files, {pages} pages), median of {repeat}, 3 interleaved rounds "
          f"(load average {load:.1f} on {os.cpu_count()} cores):")
    print(f"  {'':32s} {'pages/s':>9s} {'per CPU-s':>10s}  reader is")
    for label in contenders:
        print(f"  {label:32s} {rate[label]:9.1f} {per_cpu[label]:10.1f}  {ours_cpu / per_cpu[label]:5.2f}x this (CPU)")
    html_ms = t_html / len(html) * 1000
    print(f"corpus HTML pages (2019+ format, {len(html)}): {html_ms:6.1f} ms/page end to end")
    out = {"read_pdf_pages_per_s": ours, "read_pdf_pages_per_cpu_s": ours_cpu,
           "extract_pdf_pages_per_cpu_s": per_cpu["extract_document, end to end"],
           "pdfplumber_words_pages_per_cpu_s": per_cpu["pdfplumber extract_words"],
           "pdfium_text_pages_per_cpu_s": per_cpu["pypdfium2 plain text"], "html_ms_per_page": html_ms}
    return out


if __name__ == "__main__":
    main()
