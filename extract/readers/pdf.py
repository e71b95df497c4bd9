"""PDF → Document with pdfplumber: ruled tables as grids, page text as the document text.

pdfplumber (on pdfminer.six) gives table cells from the ruling lines, which government PDFs
exported from Word always draw. A merged cell comes back once, with None in the cells it
covers: those become span copies. Tables that run over a page break stay separate grids; the
mapper reads all grids as one stream of rows, so a continued table needs no joining here.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from typing import Any

from ..errors import NeedsOcrError, UnreadableError
from ..grid import Document, SourceCell, Table

MAX_PAGES = 200
_FURNITURE = re.compile(r"^\s*[—–-]\s*\d+\s*[—–-]\s*$|^\s*第\s*\d+\s*页\s*(?:/\s*共\s*\d+\s*页)?\s*$")


@contextlib.contextmanager
def _closed_quietly(pdf: Any) -> Iterator[None]:
    """Close the PDF after reading; closing walks the page tree again, and on a damaged file
    that fails again and would hide the read error (or the result) with pdfminer's own."""
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            pdf.close()


def read_pdf(data: bytes) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    doc = Document(source_format="pdf")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfminer raises many types on damaged files; pdfplumber wraps them
        cause = e.args[0] if isinstance(e, PdfminerException) and e.args else e
        if isinstance(cause, PDFPasswordIncorrect):
            raise UnreadableError("PDF is encrypted: a password is needed to open it") from e
        if isinstance(cause, PDFEncryptionError):
            raise UnreadableError(f"PDF is encrypted with a method we cannot decrypt: {cause}") from e
        if isinstance(cause, PDFSyntaxError):
            raise UnreadableError(f"PDF cannot be opened: {type(cause).__name__}: {cause}") from e
        raise UnreadableError(f"PDF cannot be parsed: {type(cause).__name__}: {cause}") from e
    texts: list[str] = []
    chars = pictures = undecoded = 0
    with _closed_quietly(pdf):
        try:
            npages = len(pdf.pages)  # walks the page tree: damaged files fail here
        except Exception as e:
            raise UnreadableError(f"PDF page tree cannot be read: {type(e).__name__}: {e}") from e
        if npages > MAX_PAGES:
            raise UnreadableError(f"PDF has {npages} pages; more than {MAX_PAGES} is not a report")
        index = 0
        for pno, page in enumerate(pdf.pages, start=1):
            try:
                text = page.extract_text() or ""
                tables = page.extract_tables()
                widths = [float(im["x1"]) - float(im["x0"]) for im in page.images]
            except Exception as e:
                raise UnreadableError(f"PDF page {pno} cannot be read: {type(e).__name__}: {e}") from e
            chars += len(page.chars)
            undecoded += sum(1 for ch in page.chars if ch["text"].startswith("(cid:"))
            # a picture half the page wide or more (a pasted table, not a seal or a logo)
            pictures += sum(1 for w in widths if w >= 0.5 * float(page.width))
            texts.append("\n".join(ln for ln in text.splitlines() if not _FURNITURE.match(ln)))
            for raw in tables:
                rows: list[list[SourceCell]] = []
                for r, raw_row in enumerate(raw):
                    row: list[SourceCell] = []
                    last = ""
                    for c, cell in enumerate(raw_row):
                        if cell is None:
                            row.append(SourceCell(last, r, c, span_copy=True))
                            continue
                        last = re.sub(r"\s*\n\s*", "", cell).strip()
                        row.append(SourceCell(last, r, c))
                    rows.append(row)
                doc.tables.append(Table(rows=rows, index=index, kind="grid", page=pno))
                index += 1
    doc.text = "\n".join(texts)
    doc.images_in_body = pictures
    if chars == 0:
        raise NeedsOcrError("PDF has no text layer (scanned pages): needs OCR")
    if undecoded > chars / 2:
        raise NeedsOcrError(f"PDF text layer cannot be decoded: {undecoded} of {chars} glyphs come from fonts "
                            "without a Unicode map, (cid:…); needs OCR")
    first = next((ln.strip() for ln in doc.text.splitlines() if "报告" in ln), None)
    doc.title = first[:80] if first else None
    return doc
