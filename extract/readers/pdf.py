"""PDF → Document with pdfplumber: ruled tables as span-expanded grids, page text as the text.

Government reports are exported from Word/WPS with ruled tables. Only drawn rules count as cell
edges: WPS also paints a white, unstroked rectangle behind every line of body text, and those
would turn paragraphs into one-column "tables", so filled rectangles thicker than a rule are
filtered out before pdfplumber's `find_tables` runs. Pages without any ruling are not searched.

A table broken over pages is joined into one `Table` (see `pdf_grid`); a `续表` caption above the
continuation does not stop the join. `Document.text` is every
page's lines in reading order (tables included, as lines), with page numbers removed.

Errors: damaged, truncated, empty or password-protected files raise `UnreadableError`; a file
whose pages carry no text layer (scans), or whose only table-bearing pages are images, raises
`NeedsOcrError`.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from statistics import median
from typing import Any

from ..errors import NeedsOcrError, UnreadableError
from ..grid import Document, Table
from .pdf_grid import Fragment, Piece, build_table, group_fragments
from .pdf_meta import decode_info
from .pdf_text import CharIndex, Line, drop_running_heads, page_lines

MAX_PAGES = 300
MIN_TEXT_CHARS = 20  # fewer characters than this in the whole file: no text layer
_UNMAPPED_SHARE = 0.3  # more CID-coded characters than this share: the text layer is unusable
_IMAGE_SHARE = 0.05  # an image covering more than this share of a page is body content
_EOF_WINDOW = 4096  # bytes at the end searched for %%EOF (some writers append a little junk)
_RULE = 2.0  # points: a filled rectangle thinner than this is a drawn rule
# "续表" / "（续上表）" / "接上表" captions a continued table; it does not end or start one.
_CONTINUED = re.compile(r"^\s*[（(]?\s*(?:续|接)上?表\s*[0-9一二三四五六七八九十]*\s*[）)]?\s*[：:]?\s*$")
_TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}

logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _is_rule(obj: dict[str, Any]) -> bool:
    if obj.get("object_type") != "rect":
        return True
    thin = min(obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]) < _RULE
    return bool(obj.get("stroke")) or thin


def _open_error(e: Exception) -> UnreadableError:
    """The reader's error for a file pdfplumber cannot open; encryption is named as such."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
    if isinstance(cause, PDFPasswordIncorrect):
        return UnreadableError("PDF is encrypted: a password is needed to open it")
    if isinstance(cause, PDFEncryptionError):
        return UnreadableError(f"PDF is encrypted with a method that cannot be decrypted: {cause}")
    return UnreadableError(f"PDF cannot be opened: {type(cause).__name__}: {cause}")


@contextmanager
def _open(data: bytes) -> Iterator[Any]:
    import pdfplumber

    if not data.strip():
        raise UnreadableError("PDF is empty (zero bytes)")
    if b"%PDF" not in data[:1024]:
        raise UnreadableError("not a PDF: no %PDF header")
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        # pdfminer would rebuild what it can from a cut file; a partial report is not read.
        raise UnreadableError("PDF is truncated: no %%EOF marker at the end")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfminer raises many types on damaged or encrypted files
        raise _open_error(e) from e
    try:
        yield pdf
    finally:
        # Closing walks the page tree again; on a damaged file that fails again and would
        # replace the UnreadableError (or the result) with pdfminer's own exception.
        with contextlib.suppress(Exception):
            pdf.close()


def _fragments(page: Any, pno: int) -> list[Fragment]:
    if not (page.lines or page.rects or page.curves):
        return []
    ruled = page.filter(_is_rule)
    if not (ruled.lines or ruled.rects or ruled.curves):
        return []
    out: list[Fragment] = []
    index = CharIndex(page.chars)
    for t in ruled.find_tables(_TABLE_SETTINGS):
        pieces = [Piece(c, index.text_in_box(c)) for c in t.cells]
        xs = {round(c[0]) for c in t.cells}
        if len(xs) < 2 or not any(p.text for p in pieces):
            continue  # a boxed paragraph or an empty frame, not a table
        out.append(Fragment(page=pno, box=t.bbox, pieces=pieces))
    return out


def _mark_page_ends(frag: Fragment, lines: list[Line]) -> None:
    """Whether only furniture lies below (above) the fragment on its page."""
    page = [ln for ln in lines if ln.page == frag.page and not _CONTINUED.match(ln.text)]
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


def read_pdf(data: bytes) -> Document:
    """Read a PDF report: tables as grids, text in reading order, title and info dictionary."""
    doc = Document(source_format="pdf")
    with _open(data) as pdf:
        try:
            pages = pdf.pages
            if not pages:
                raise UnreadableError("PDF has no pages")
            if len(pages) > MAX_PAGES:
                raise UnreadableError(f"PDF has {len(pages)} pages; more than {MAX_PAGES} is not a report")
            doc.meta = decode_info(pdf.metadata)
            lines: list[Line] = []
            frags: list[Fragment] = []
            chars = 0
            unmapped = 0  # characters pdfminer could only give as (cid:N): no unicode mapping
            image_only_pages = 0
            for pno, page in enumerate(pages, start=1):
                plines = page_lines(page.chars, pno, float(page.height))
                chars += len(page.chars)
                unmapped += sum(1 for ch in page.chars if ch["text"].startswith("(cid:"))
                area = float(page.width * page.height) or 1.0
                big = [im for im in page.images if (im["x1"] - im["x0"]) * (im["bottom"] - im["top"]) > area * _IMAGE_SHARE]
                doc.images_in_body += len(big)
                if big and len(page.chars) < MIN_TEXT_CHARS:
                    image_only_pages += 1
                frags.extend(_fragments(page, pno))
                lines.extend(plines)
                page.flush_cache()
        except UnreadableError:
            raise
        except Exception as e:  # damaged content streams, encrypted pages, pdfminer internals
            raise UnreadableError(f"PDF cannot be read: {type(e).__name__}: {e}") from e
    if chars < MIN_TEXT_CHARS:
        raise NeedsOcrError(f"PDF has no text layer ({chars} characters on {len(pages)} pages): needs OCR")
    if unmapped > chars * _UNMAPPED_SHARE:
        raise NeedsOcrError(
            f"PDF text layer has no unicode mapping: {unmapped} of {chars} characters come out as (cid:N) "
            "codes; needs OCR"
        )
    if not frags and image_only_pages:
        raise NeedsOcrError(f"PDF has no ruled table and {image_only_pages} image-only page(s): needs OCR")
    outside = drop_running_heads([ln for ln in lines if _outside(ln, frags)], len(pages))
    kept = {id(ln) for ln in outside}
    lines = [ln for ln in lines if id(ln) in kept or not _outside(ln, frags)]
    for frag in frags:
        _mark_page_ends(frag, outside)
    doc.tables = [build_table(group, i) for i, group in enumerate(group_fragments(frags))]
    doc.text = "\n".join(ln.text for ln in lines)
    doc.title = _title(lines)
    return doc


def page_count(data: bytes) -> int:
    """Number of pages (for benchmarks); raises UnreadableError like `read_pdf`."""
    with _open(data) as pdf:
        return len(pdf.pages)


__all__ = ["Table", "page_count", "read_pdf"]
