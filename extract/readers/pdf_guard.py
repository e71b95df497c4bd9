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

Pages set in fonts the file does not embed are read by pdfminer's interpreter (see
`pdfminer_chars`), some twenty times slower: they are held to `MAX_PDFMINER_CONTENT` each and
`MAX_PDFMINER_DOCUMENT` in all (`check_pdfminer`).
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
# Text costs a reader far more per byte than drawing (pdfium's text page spends ~1.5 µs and
# ~150 bytes on each character): string bytes count this many times over. Counting them takes a
# regular expression over the content, so page streams shorter than `_TEXT_SCAN_FROM` (all real
# pages: 10–60 KB) skip it, their characters being bounded by their size anyway; forms, which a
# page may draw thousands of times, are always counted.
_TEXT_WEIGHT = 16
_TEXT_SCAN_FROM = 128 * 1024
# Strings, roughly (escapes and nested parentheses aside): one pattern each, so that the regular
# expression engine can jump from one opening character to the next.
_LITERAL = re.compile(rb"\([^()]*\)")
_HEX = re.compile(rb"<[0-9A-Fa-f\s]+>")
_TYPE3 = re.compile(rb"/(?:T|#54)(?:y|#79)(?:p|#70)(?:e|#65)(?:3|#33)")  # the name, escaped or not

logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass
class Survey:
    pages: list[Any]  # pdfminer's PDFPage objects, in page order
    sizes: list[int]  # content bytes each page asks a reader to parse
    by_pdfminer: int = 0  # bytes of the pages handed to pdfminer so far

    def check_pdfminer(self, index: int) -> None:
        """Before pdfminer interprets page `index`: its limits, per page and per file."""
        size = self.sizes[index]
        if size > MAX_PDFMINER_CONTENT:
            raise _limit_error(f"page {index + 1} (fonts not embedded)", MAX_PDFMINER_CONTENT)
        self.by_pdfminer += size
        if self.by_pdfminer > MAX_PDFMINER_DOCUMENT:
            raise _limit_error(f"the file (up to page {index + 1}, fonts not embedded)", MAX_PDFMINER_DOCUMENT)


def _name(obj: Any) -> str:
    from pdfminer.pdftypes import resolve1

    value = resolve1(obj)
    return str(getattr(value, "name", value or ""))


def _limit_error(what: str, limit: int) -> TooComplexError:
    return TooComplexError(
        f"PDF too complex: {what} asks a reader to parse more than {limit // 1024:,} KB of content "
        f"(drawing operators, forms counted each time they are drawn, text {_TEXT_WEIGHT} times); not read")


@dataclass
class _Walk:
    """Content bytes of streams and forms, each stream inflated at most once."""

    streams: dict[tuple[int, bool], tuple[int, dict[bytes, int]]] = field(default_factory=dict)
    forms: dict[int, int] = field(default_factory=dict)
    type3: bool = True  # whether the file may hold Type3 fonts (else their search is skipped)

    def scan(self, stream: Any, limit: int, form: bool) -> tuple[int, dict[bytes, int]]:
        """A content stream's cost (its size inflated, up to `limit` + 1 bytes, text weighed) and
        the XObjects it draws."""
        key = (id(stream), form)
        if key not in self.streams:
            data = self._data(stream, limit)
            calls: dict[bytes, int] = {}
            for m in _DO.finditer(data):
                calls[m.group(1)] = calls.get(m.group(1), 0) + 1
            size = len(data)
            if form or size > _TEXT_SCAN_FROM:
                text = sum(map(len, _LITERAL.findall(data))) + sum(map(len, _HEX.findall(data))) // 2
                size += (_TEXT_WEIGHT - 1) * text
            self.streams[key] = (size, calls)
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
            except zlib.error as e:
                # pdfium would read the operators before the damage and drop the rest (rows of a
                # table, silently): a damaged file is refused. A stream merely cut short reads.
                raise UnreadableError(f"PDF content is damaged: content stream {stream.objid} does not inflate "
                                      f"({e})") from e
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
            size, drawn = self.scan(s, limit - total, depth > 0)
            total += size
            if total > limit:
                return total
            for name, count in drawn.items():
                calls[name] = calls.get(name, 0) + count
        res = dict_value(resources) if resources else {}
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
                self.forms[objid] = self.cost([form], own if own is not None else resources, depth + 1,
                                              limit, (*stack, objid))
            total += count * (self.forms[objid] + _FORM_COST)
            if total > limit:
                return total
        return total + (self._type3_cost(res, depth, limit - total, stack) if self.type3 else 0)

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
    """Every page's content size checked; raises `TooComplexError` for a file that asks for too
    much drawing and `UnreadableError` for one whose objects cannot be read."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    # Names are never encrypted: without the name /Type3 in the bytes (or object streams that
    # could hold it compressed), no font dictionary need be parsed.
    escaped = any(code in data for code in (b"#54", b"#79", b"#70", b"#65", b"#33"))  # fast checks first
    walk = _Walk(type3=b"/Type3" in data or b"/ObjStm" in data or (escaped and _TYPE3.search(data) is not None))
    out = Survey(pages=[], sizes=[])
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)))
        for index, page in enumerate(PDFPage.create_pages(doc)):
            if index >= max_pages:
                raise TooComplexError(f"PDF has more than {max_pages} pages; not read as one report")
            size = walk.cost(page.contents, page.resources, 0, MAX_PAGE_CONTENT, ())
            if size > MAX_PAGE_CONTENT:
                raise _limit_error(f"page {index + 1}", MAX_PAGE_CONTENT)
            if sum(out.sizes) + size > MAX_DOCUMENT_CONTENT:
                raise _limit_error(f"the file (pages 1–{index + 1})", MAX_DOCUMENT_CONTENT)
            out.pages.append(page)
            out.sizes.append(size)
    except (TooComplexError, UnreadableError):
        raise
    except RecursionError as e:
        raise TooComplexError("PDF too complex: its object structure nests too deeply; not read") from e
    except Exception as e:  # pdfminer raises many types on damaged files
        raise UnreadableError(f"PDF objects cannot be read: {type(e).__name__}: {e}") from e
    return out
