"""Characters of one page by pdfminer's content interpreter, for the pages whose fonts the file
does not embed (see `pdf_guard`): pdfium measures those glyphs with the machine's fonts.

pdfminer gives boxes in user space (the interpreter is started with the identity matrix, not
its own rotated one), which `pdfium_page` then turns into displayed coordinates like every
other box, so rules from pdfium and characters from pdfminer line up. A character without a
unicode mapping (pdfminer's `(cid:N)`) is U+FFFD here too.
"""

from __future__ import annotations

from typing import Any

from ..errors import UnreadableError
from .pdfium_page import Matrix, PageContent, box_in

_UNMAPPED = "\ufffd"


def _walk(item: Any, out: list[Any]) -> None:
    from pdfminer.layout import LTChar

    for child in item:
        if isinstance(child, LTChar):
            out.append(child)
        elif hasattr(child, "__iter__"):
            _walk(child, out)


def read_chars(page: Any, display: Matrix, out: PageContent) -> None:
    """Fill `out.chars` (and `out.unmapped`) from pdfminer's reading of `page` (a PDFPage)."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.utils import MATRIX_IDENTITY

    rsrc = PDFResourceManager(caching=True)
    device = PDFPageAggregator(rsrc, laparams=None)
    interpreter = PDFPageInterpreter(rsrc, device)
    found: list[Any] = []
    try:
        device.begin_page(page, MATRIX_IDENTITY)
        interpreter.render_contents(page.resources, page.contents, ctm=MATRIX_IDENTITY)
        device.end_page(page)
        _walk(device.get_result(), found)
    except Exception as e:  # pdfminer raises many types (assertions too) on damaged content
        raise UnreadableError(f"PDF page content cannot be read: {type(e).__name__}: {e}") from e
    for ch in found:
        text = ch.get_text()
        if not text or text.isspace():
            continue
        if text.startswith("(cid:"):
            out.unmapped += 1
            text = _UNMAPPED
        x0, top, x1, bottom = box_in(display, ch.x0, ch.y0, ch.x1, ch.y1)
        out.chars.append({"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "size": float(ch.size)})
