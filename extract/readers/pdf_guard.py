"""What a PDF asks of its reader, found before pdfium is allowed to parse it.

pdfium parses a page's whole content when the page is loaded, forms included, at about a
microsecond and 250 bytes per operator, and it cannot be interrupted. A small file can ask for
millions of operators: an 11 KB compressed content stream of line drawings, or a 2 KB file of
forms that draw forms ten times over, seven levels deep (10^7 objects: 5.6 s and 1.6 GB in
`FPDF_LoadPage`). pdfium has no API to read a content stream before parsing it, so this module
reads the object layer with pdfminer (xref, page tree, dictionaries; no content interpretation)
and counts the content bytes each page would make a reader parse: its content streams, every
form XObject once per `Do` that draws it, recursively, and the glyph procedures of Type3 fonts.
Streams are inflated with a cap, so one that inflates without end costs no more than the cap.
A page over `MAX_PAGE_CONTENT` bytes, or a file over `MAX_DOCUMENT_CONTENT`, is refused with
`TooComplexError` before anything parses it. Real reports have 5–60 KB of content per page.

The same walk finds the pages set in fonts the file does not embed (other than the standard 14
that pdfium builds in). pdfium measures such glyphs with whatever font the machine has: without
a CJK font it finds them zero-wide and drops every one-character text object (a lone `持` on a
cell's second line), and its boxes change with the fonts installed. Those pages' characters are
read by pdfminer (`pdfminer_chars`), whose metrics come from the file alone; they are held to
`MAX_PDFMINER_CONTENT`, pdfminer's interpreter being some twenty times slower.
"""

from __future__ import annotations

import io
import logging
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from ..errors import TooComplexError, UnreadableError

MAX_PAGE_CONTENT = 4 * 1024 * 1024  # bytes of content operators one page may ask pdfium to parse
MAX_DOCUMENT_CONTENT = 24 * 1024 * 1024  # the same for the whole file
MAX_PDFMINER_CONTENT = 256 * 1024  # the same for a page pdfminer must interpret (~1 s of its time)
MAX_PDFMINER_DOCUMENT = 2 * 1024 * 1024  # the same for all such pages of a file
_MAX_FORM_DEPTH = 12  # deeper nesting of forms is refused (pdfium itself stops at 40)
# Drawing a form costs a reader far more than its bytes (pdfium builds an object holder and
# parses the stream again for every Do): each drawing is counted as this many bytes more.
_FORM_COST = 256
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")
_BUILT_IN = re.compile(r"^(?:Times|Helvetica|Courier|Symbol|ZapfDingbats|Arial|TimesNewRoman|CourierNew)", re.I)

logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass
class Survey:
    pages: list[Any]  # pdfminer's PDFPage objects, in page order
    by_pdfminer: set[int]  # 0-based indexes of the pages whose characters pdfminer must read


def _name(obj: Any) -> str:
    from pdfminer.pdftypes import resolve1

    value = resolve1(obj)
    return str(getattr(value, "name", value or ""))


def _embedded(font: dict[str, Any]) -> bool:
    """True when pdfium can measure the font's glyphs from the file (or from its own base 14)."""
    from pdfminer.pdftypes import dict_value, list_value

    kind = _name(font.get("Subtype"))
    if kind == "Type3":
        return True  # glyphs are content streams in the file
    if kind == "Type0":
        kids = list_value(font.get("DescendantFonts", []))
        font = dict_value(kids[0]) if kids else {}
    desc = dict_value(font.get("FontDescriptor", {}))
    if any(k in desc for k in ("FontFile", "FontFile2", "FontFile3")):
        return True
    return kind != "Type0" and bool(_BUILT_IN.match(_name(font.get("BaseFont")).split("+")[-1]))


def _limit_error(what: str, limit: int) -> TooComplexError:
    return TooComplexError(
        f"PDF too complex: {what} asks a reader to parse more than {limit // 1024:,} KB of drawing operators "
        "(forms counted each time they are drawn); not read")


@dataclass
class _Walk:
    """Content bytes of streams and forms (each stream inflated at most once), and fonts seen."""

    streams: dict[int, tuple[int, dict[bytes, int]]] = field(default_factory=dict)
    forms: dict[int, tuple[int, bool]] = field(default_factory=dict)  # cost, fonts all embedded
    fonts: dict[int, bool] = field(default_factory=dict)
    all_embedded: bool = True  # for the page being walked

    def scan(self, stream: Any, limit: int) -> tuple[int, dict[bytes, int]]:
        """A content stream's size (inflated, up to `limit` + 1 bytes) and the XObjects it draws."""
        key = id(stream)
        if key not in self.streams:
            data = self._data(stream, limit)
            calls: dict[bytes, int] = {}
            for m in _DO.finditer(data):
                calls[m.group(1)] = calls.get(m.group(1), 0) + 1
            self.streams[key] = (len(data), calls)
        return self.streams[key]

    @staticmethod
    def _data(stream: Any, limit: int) -> bytes:
        raw = stream.rawdata if stream.rawdata is not None else stream.data or b""
        if stream.rawdata is not None and stream.decipher:
            raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
        filters = [_name(f) for f, _params in stream.get_filters()]
        if not filters:
            return bytes(raw[: limit + 1])
        if filters in (["FlateDecode"], ["Fl"]):
            try:
                return zlib.decompressobj().decompress(raw, limit + 1)
            except zlib.error:
                return b""  # pdfium finds no operators in it either
        return stream.get_data()[: limit + 1]  # rare filters on content (LZW, ASCII85...)

    def cost(self, streams: list[Any], resources: Any, depth: int, limit: int, stack: tuple[int, ...]) -> int:
        """Bytes a reader parses for these content streams drawn with these resources."""
        from pdfminer.pdftypes import PDFStream, dict_value, resolve1

        total = 0
        calls: dict[bytes, int] = {}
        for s in streams:
            s = resolve1(s)
            if not isinstance(s, PDFStream):
                continue
            size, drawn = self.scan(s, limit - total)
            total += size
            if total > limit:
                return total
            for name, count in drawn.items():
                calls[name] = calls.get(name, 0) + count
        res = dict_value(resources) if resources else {}
        self._check_fonts(res)
        xobjects = dict_value(res.get("XObject", {})) if res else {}
        for name, count in calls.items():
            form = resolve1(xobjects.get(name.decode("latin-1")))
            if not isinstance(form, PDFStream) or _name(form.get("Subtype")) != "Form":
                continue
            objid = form.objid or id(form)
            if objid in stack:
                continue  # a form drawing itself: pdfium and pdfminer stop the recursion too
            if depth >= _MAX_FORM_DEPTH:
                raise TooComplexError(f"PDF too complex: forms nested more than {_MAX_FORM_DEPTH} deep; not read")
            if objid not in self.forms:
                own = form.get("Resources")
                outer, self.all_embedded = self.all_embedded, True
                size = self.cost([form], own if own is not None else resources, depth + 1, limit, (*stack, objid))
                self.forms[objid] = (size, self.all_embedded)
                self.all_embedded = outer
            size, embedded = self.forms[objid]
            self.all_embedded = self.all_embedded and embedded
            total += count * (size + _FORM_COST)
            if total > limit:
                return total
        return total + self._type3_cost(res, depth, limit - total, stack)

    def _check_fonts(self, res: dict[str, Any]) -> None:
        from pdfminer.pdftypes import dict_value

        for ref in dict_value(res.get("Font", {})).values() if res else ():
            key = getattr(ref, "objid", None) or id(ref)
            if key not in self.fonts:
                self.fonts[key] = _embedded(dict_value(ref))
            self.all_embedded = self.all_embedded and self.fonts[key]

    def _type3_cost(self, res: dict[str, Any], depth: int, limit: int, stack: tuple[int, ...]) -> int:
        """Glyph procedures of Type3 fonts: a reader parses each glyph's stream once per font."""
        from pdfminer.pdftypes import dict_value

        total = 0
        for ref in dict_value(res.get("Font", {})).values() if res else ():
            font = dict_value(ref)
            if _name(font.get("Subtype")) != "Type3":
                continue
            procs = dict_value(font.get("CharProcs", {}))
            own = font.get("Resources")
            total += self.cost(list(procs.values()), own if own is not None else res, depth + 1, limit - total, stack)
            if total > limit:
                break
        return total


def survey(data: bytes, max_pages: int) -> Survey:
    """Every page's content size checked, and the pages pdfminer must read; raises
    `TooComplexError` for a file that asks for too much drawing and `UnreadableError` for one
    whose objects cannot be read."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    walk = _Walk()
    out = Survey(pages=[], by_pdfminer=set())
    total = by_pdfminer = 0
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)))
        for index, page in enumerate(PDFPage.create_pages(doc)):
            if index >= max_pages:
                raise TooComplexError(f"PDF has more than {max_pages} pages; not read as one report")
            walk.all_embedded = True
            size = walk.cost(page.contents, page.resources, 0, MAX_PAGE_CONTENT, ())
            if size > MAX_PAGE_CONTENT:
                raise _limit_error(f"page {index + 1}", MAX_PAGE_CONTENT)
            if not walk.all_embedded:
                if size > MAX_PDFMINER_CONTENT:
                    raise _limit_error(f"page {index + 1} (fonts not embedded)", MAX_PDFMINER_CONTENT)
                out.by_pdfminer.add(index)
                by_pdfminer += size
                if by_pdfminer > MAX_PDFMINER_DOCUMENT:
                    raise _limit_error(f"the file (pages 1–{index + 1}, fonts not embedded)", MAX_PDFMINER_DOCUMENT)
            total += size
            if total > MAX_DOCUMENT_CONTENT:
                raise _limit_error(f"the file (pages 1–{index + 1})", MAX_DOCUMENT_CONTENT)
            out.pages.append(page)
    except (TooComplexError, UnreadableError):
        raise
    except RecursionError as e:
        raise TooComplexError("PDF too complex: its object structure nests too deeply; not read") from e
    except Exception as e:  # pdfminer raises many types on damaged files
        raise UnreadableError(f"PDF objects cannot be read: {type(e).__name__}: {e}") from e
    return out
