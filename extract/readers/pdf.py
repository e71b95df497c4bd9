"""PDF → Document with pdfium: ruled tables as span-expanded grids, page text as the text.

Government reports are exported from Word/WPS with ruled tables. Only drawn rules count as cell
edges (`pdfium_page`: WPS also paints a white, unstroked rectangle behind every line of body
text, and those are not rules); pages without any rule are not searched. `pdf_rules` finds the
cells as pdfplumber's `find_tables` did, on rules and characters read through pdfium's C API
(pypdfium2), about twenty times faster than pdfminer's content interpreter.

A table broken over pages is joined into one `Table` (see `pdf_grid`); a `续表` caption above the
continuation does not stop the join. Tables drawn without rules are read from the characters'
positions on pages whose lines hold numbers set apart in columns (`pdf_unruled`); all tables come
in reading order (page, then top). `Document.text` is every page's lines in reading order
(tables included, as lines), with page numbers and running heads removed.

Errors: damaged, truncated, empty or password-protected files raise `UnreadableError`; a file
whose pages carry no text layer (scans), or whose only table-bearing pages are images, raises
`NeedsOcrError`. A file asking for more work than a report can need (`pdf_guard`: drawing
operators, forms within forms; `pdfium_page`: objects or characters on a page; more than
`MAX_PAGES` pages; more than `TIME_BUDGET` seconds) raises `TooComplexError`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from statistics import median
from typing import Any

from ..errors import NeedsOcrError, TooComplexError, UnreadableError
from ..grid import Document, Table
from . import pdfminer_chars
from .pdf_grid import Fragment, Piece, build_table, group_fragments
from .pdf_guard import survey
from .pdf_layout import BLine, baseline_lines
from .pdf_rules import find_tables
from .pdf_text import CharIndex, Line, page_lines, running_heads, running_key
from .pdf_unruled import CONTINUED, has_unruled_numbers, read_unruled
from .pdfium_page import PageContent, read_page

MAX_PAGES = 300
TIME_BUDGET = 60.0  # seconds for one file; a real report of 300 pages takes a few
MIN_TEXT_CHARS = 20  # fewer characters than this in the whole file: no text layer
_UNMAPPED_SHARE = 0.3  # more characters without a unicode mapping than this share: the text layer is unusable
_IMAGE_SHARE = 0.05  # an image covering more than this share of a page is body content
_EOF_WINDOW = 4096  # bytes at the end searched for %%EOF (some writers append a little junk)
_META_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate")


def _open_error(e: Exception) -> UnreadableError:
    """The reader's error for a file pdfium cannot open; encryption is named as such."""
    import pypdfium2.raw as c

    code = getattr(e, "err_code", None)
    if code == c.FPDF_ERR_SUCCESS:  # pdfium opened it and found no page
        return UnreadableError("PDF has no pages")
    if code == c.FPDF_ERR_PASSWORD:
        return UnreadableError("PDF is encrypted: a password is needed to open it")
    if code == c.FPDF_ERR_SECURITY:
        return UnreadableError("PDF is encrypted with a method that cannot be decrypted (unsupported security handler)")
    return UnreadableError(f"PDF cannot be opened: {e}")


@contextmanager
def _open(data: bytes) -> Iterator[Any]:
    import pypdfium2

    if not data.strip():
        raise UnreadableError("PDF is empty (zero bytes)")
    if b"%PDF" not in data[:1024]:
        raise UnreadableError("not a PDF: no %PDF header")
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        # pdfium would rebuild what it can from a cut file; a partial report is not read.
        raise UnreadableError("PDF is truncated: no %%EOF marker at the end")
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as e:
        raise _open_error(e) from e
    try:
        yield pdf
    finally:
        pdf.close()


@contextmanager
def _page(pdf: Any, index: int) -> Iterator[Any]:
    import pypdfium2.raw as c

    page = c.FPDF_LoadPage(pdf.raw, index)
    if not page:
        raise UnreadableError(f"PDF page {index + 1} cannot be loaded (damaged page tree or content)")
    try:
        yield page
    finally:
        c.FPDF_ClosePage(page)


def _meta(pdf: Any) -> dict[str, str]:
    """The info dictionary's standard entries (pdfium decodes UTF-16 either way round, as WPS writes it).
    An entry that is not valid UTF-16 (a damaged byte makes a lone surrogate) is left out."""
    out: dict[str, str] = {}
    for key in _META_KEYS:
        try:
            value = pdf.get_metadata_value(key)
        except UnicodeDecodeError:
            continue
        if value.strip():
            out[key] = value.strip()
    return out


def _fragments(content: PageContent, pno: int) -> list[Fragment]:
    if not content.rules:
        return []
    out: list[Fragment] = []
    index = CharIndex(content.chars)
    for t in find_tables(content.rules, index.any_in):
        pieces = [Piece(c, *index.cell(c)) for c in t.cells]
        xs = {round(c[0]) for c in t.cells}
        if len(xs) < 2 or not any(p.text for p in pieces):
            continue  # a boxed paragraph or an empty frame, not a table
        out.append(Fragment(page=pno, box=t.box, pieces=pieces))
    return out


def _mark_page_ends(frag: Fragment, lines: list[Line]) -> None:
    """Whether only furniture lies below (above) the fragment on its page."""
    page = [ln for ln in lines if ln.page == frag.page and not CONTINUED.match(ln.text)]
    frag.ends_page = not any(ln.top >= frag.box[3] - 1 for ln in page)
    frag.starts_page = not any(ln.bottom <= frag.box[1] + 1 for ln in page)


def _title(lines: list[Line]) -> str | None:
    first = [ln for ln in lines if ln.page == 1]
    if not first:
        return None
    body = median(ln.size for ln in first)
    head: list[str] = []
    for ln in first[:6]:
        if ln.size >= body * 1.15:
            head.append(ln.text)
        elif head:
            break
    if head and "报告" in "".join(head):
        from .cjk import join_lines

        return join_lines(head)
    return next((ln.text for ln in first[:10] if "报告" in ln.text), None)


def _outside(ln: Line, frags: list[Fragment]) -> bool:
    return not any(f.page == ln.page and f.box[1] - 1 <= ln.top and ln.bottom <= f.box[3] + 1 for f in frags)


@dataclass(slots=True)
class _Loose:
    """A page's characters and ruled tables, kept for the borderless table search."""

    pno: int
    height: float
    chars: list[dict[str, Any]]
    boxes: list[tuple[float, float, float, float]]
    numbers: bool  # its lines outside ruled tables hold numbers set apart in columns

    def outside(self) -> list[dict[str, Any]]:
        def inside(ch: dict[str, Any]) -> bool:
            cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
            return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in self.boxes)

        return [ch for ch in self.chars if not inside(ch)] if self.boxes else self.chars


def _unruled_lines(pages: list[_Loose], running: set[tuple[str, str]]) -> list[list[BLine]]:
    """Baseline lines of the pages that may hold a borderless table (numbers set apart in columns),
    and of the page before each (where its header may end), running heads and feet left out."""
    out = []
    for i, page in enumerate(pages):
        if not (page.numbers or (i + 1 < len(pages) and pages[i + 1].numbers)):
            continue
        lines = baseline_lines(page.outside(), page.pno, page.height)
        out.append([ln for ln in lines if not (ln.band and running_key(ln.band, ln.text) in running)])
    return out


def read_pdf(data: bytes, *, all_by_pdfminer: bool = False) -> Document:
    """Read a PDF report: tables as grids, text in reading order, title and info dictionary.
    `all_by_pdfminer`: every page's characters from pdfminer, not only those of pages whose
    fonts are not embedded (to check that both sources read a file the same way)."""
    doc = Document(source_format="pdf")
    started = time.monotonic()
    with _open(data) as pdf:
        npages = len(pdf)
        if npages == 0:
            raise UnreadableError("PDF has no pages")
        if npages > MAX_PAGES:
            raise TooComplexError(f"PDF has {npages} pages; more than {MAX_PAGES} is not read as one report")
        plan = survey(data, MAX_PAGES)
        if len(plan.pages) != npages:
            raise UnreadableError(f"PDF page tree is damaged: {npages} pages found one way, {len(plan.pages)} another")
        doc.meta = _meta(pdf)
        lines: list[Line] = []
        frags: list[Fragment] = []
        loose: list[_Loose] = []
        chars = 0
        unmapped = 0  # characters without a unicode mapping (pdfminer printed them as (cid:N))
        image_only_pages = 0
        for index in range(npages):
            pno = index + 1
            check = functools.partial(plan.check_pdfminer, index)
            by_pdfminer = all_by_pdfminer or bool(plan.damaged_fonts[index])
            with _page(pdf, index) as page:
                content = read_page(page, with_chars=not by_pdfminer, on_foreign_fonts=check)
            if content.foreign_fonts or by_pdfminer:
                if not content.foreign_fonts:
                    check()
                pdfminer_chars.read_chars(plan.pages[index], content.display, content)
            chars += len(content.chars)
            unmapped += content.unmapped
            area = content.width * content.height or 1.0
            big = [b for b in content.images if (b[2] - b[0]) * (b[3] - b[1]) > area * _IMAGE_SHARE]
            doc.images_in_body += len(big)
            if big and len(content.chars) < MIN_TEXT_CHARS:
                image_only_pages += 1
            page_frags = _fragments(content, pno)
            frags.extend(page_frags)
            here = page_lines(content.chars, pno, content.height)
            lines.extend(here)
            numbers = has_unruled_numbers([ln.text for ln in here if _outside(ln, page_frags)])
            loose.append(_Loose(pno, content.height, content.chars, [f.box for f in page_frags], numbers))
            if time.monotonic() - started > TIME_BUDGET:
                raise TooComplexError(f"PDF took more than {TIME_BUDGET:.0f} s to read (stopped after page {pno} of {npages})")
    if chars < MIN_TEXT_CHARS:
        raise NeedsOcrError(f"PDF has no text layer ({chars} characters on {npages} pages): needs OCR")
    if unmapped > chars * _UNMAPPED_SHARE:
        raise NeedsOcrError(
            f"PDF text layer has no unicode mapping: {unmapped} of {chars} characters are bare glyph ids "
            "((cid:N) codes to pdfminer); needs OCR"
        )
    outside_all = [ln for ln in lines if _outside(ln, frags)]
    running = running_heads(outside_all, npages)
    outside = [ln for ln in outside_all if not (ln.band and running_key(ln.band, ln.text) in running)]
    kept = {id(ln) for ln in outside}
    lines = [ln for ln in lines if id(ln) in kept or not _outside(ln, frags)]
    for frag in frags:
        _mark_page_ends(frag, outside)
    placed = [(group[0].page, group[0].box[1], build_table(group, 0)) for group in group_fragments(frags)]
    if any(page.numbers for page in loose):
        placed += read_unruled(_unruled_lines(loose, running))
    if not placed and image_only_pages:
        raise NeedsOcrError(f"PDF has no ruled table and {image_only_pages} image-only page(s): needs OCR")
    placed.sort(key=lambda p: (p[0], p[1]))
    doc.tables = [table for _page, _top, table in placed]
    for i, table in enumerate(doc.tables):
        table.index = i
    doc.text = "\n".join(ln.text for ln in lines)
    doc.title = _title(lines)
    return doc


def page_count(data: bytes) -> int:
    """Number of pages (for benchmarks); raises UnreadableError like `read_pdf`."""
    with _open(data) as pdf:
        return len(pdf)


__all__ = ["Table", "page_count", "read_pdf"]
