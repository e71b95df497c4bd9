"""Editing the text a PDF draws, for the fuzz harness: find the runs of text a page shows, and
rewrite one run (blank it, change its digits) in the page's content stream.

pdfminer reads the object layer (pages, content streams, fonts: codes to unicode and glyph widths);
a small content-stream lexer and interpreter here finds each text-showing operator (Tj, TJ, ', ")
with its byte span, decoded text and position on the page; pypdf writes the edited stream back as
the page's only content stream (the file is re-saved, every other object kept).

A run is what a cell prints: consecutive text-showing operators on one line, each starting where
the one before ended (Word draws a number as one `Tj`, WPS each glyph in a `BT … ET` of its own).
Rewriting a run puts its new text, encoded in the run's own font, in its first operator and empties
the others, so the new text starts where the old one did.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

_WS = b" \t\r\n\x0c\x00"
_DELIM = b"()<>[]{}/%"
_NUMBER = re.compile(rb"^[+-]?(?:\d+\.?\d*|\.\d+)$")
_SHOW = {b"Tj", b"TJ", b"'", b'"'}
NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)(万元|元)?")
Matrix = tuple[float, float, float, float, float, float]
_ID: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


@dataclass
class Tok:
    kind: str  # num | name | str | hex | array | dict | op
    start: int
    end: int
    value: Any = None


def _literal(data: bytes, i: int) -> tuple[bytes, int]:
    """A literal string from its `(`: its bytes (escapes resolved) and the index after its `)`."""
    out = bytearray()
    depth = 0
    i += 1
    n = len(data)
    while i < n:
        ch = data[i]
        if ch == 0x5C:  # backslash
            i += 1
            if i >= n:
                break
            e = data[i]
            if e in b"nrtbf":
                out += {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}[e]
            elif 0x30 <= e <= 0x37:
                j = i
                while j < min(i + 3, n) and 0x30 <= data[j] <= 0x37:
                    j += 1
                out.append(int(data[i:j], 8) & 0xFF)
                i = j - 1
            elif e == 0x0D:  # line continuation
                if i + 1 < n and data[i + 1] == 0x0A:
                    i += 1
            elif e != 0x0A:
                out.append(e)
        elif ch == 0x28:
            depth += 1
            out.append(ch)
        elif ch == 0x29:
            if depth == 0:
                return bytes(out), i + 1
            depth -= 1
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return bytes(out), n


def tokens(data: bytes) -> Iterator[Tok]:
    """The content stream's tokens at the top level (an array or a dict is one token)."""
    i, n = 0, len(data)
    stack: list[tuple[str, int, list[Any]]] = []  # open arrays/dicts: kind, start, items
    while i < n:
        ch = data[i]
        if ch in _WS:
            i += 1
            continue
        if ch == 0x25:  # % comment
            while i < n and data[i] not in b"\r\n":
                i += 1
            continue
        start = i
        tok: Tok | None = None
        if ch == 0x28:
            value, i = _literal(data, i)
            tok = Tok("str", start, i, value)
        elif data.startswith(b"<<", i):
            stack.append(("dict", start, []))
            i += 2
            continue
        elif data.startswith(b">>", i):
            i += 2
            if stack:
                kind, s0, items = stack.pop()
                tok = Tok(kind, s0, i, items)
        elif ch == 0x3C:
            j = data.find(b">", i)
            j = n if j < 0 else j
            hexdigits = re.sub(rb"[^0-9A-Fa-f]", b"", data[i + 1: j])
            tok = Tok("hex", start, j + 1, bytes.fromhex((hexdigits + b"0" * (len(hexdigits) % 2)).decode()))
            i = j + 1
        elif ch == 0x5B:
            stack.append(("array", start, []))
            i += 1
            continue
        elif ch == 0x5D:
            i += 1
            if stack:
                kind, s0, items = stack.pop()
                tok = Tok(kind, s0, i, items)
        else:
            j = i + 1 if ch in _DELIM else i
            while j < n and data[j] not in _WS and data[j] not in _DELIM:
                j += 1
            word = data[i:j]
            i = j
            if word.startswith(b"/"):
                tok = Tok("name", start, i, word[1:])
            elif _NUMBER.match(word):
                tok = Tok("num", start, i, float(word))
            else:
                tok = Tok("op", start, i, word)
                if word == b"ID" and not stack:  # inline image data: up to whitespace EI whitespace
                    m = re.compile(rb"[\s]EI(?=[\s]|$)").search(data, i + 1)
                    i = m.end() if m else n
                    tok = Tok("op", start, i, b"EI")
        if tok is None:
            continue
        if stack:
            stack[-1][2].append(tok)
        else:
            yield tok


@dataclass
class Show:
    """One text-showing operator: where its string operand is, what it says, where it starts."""

    page: int
    operand: Tok  # the string (Tj, ', ") or the array (TJ)
    font: str
    text: str
    x: float
    y: float
    end_x: float
    size: float


@dataclass
class Run:
    page: int
    shows: list[Show]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.shows)


@dataclass
class _State:
    ctm: Matrix = _ID
    tm: Matrix = _ID
    lm: Matrix = _ID
    leading: float = 0.0
    font: str = ""
    size: float = 0.0
    stack: list[Matrix] = field(default_factory=list)


class PdfText:
    """The text-showing operators of every page of one PDF, and their runs."""

    def __init__(self, data: bytes) -> None:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfinterp import PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
        from pdfminer.pdftypes import dict_value, resolve1

        self.data = data
        rsrc = PDFResourceManager(caching=True)
        self.contents: list[bytes] = []
        self.fonts: list[dict[str, Any]] = []
        for page in PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data)))):
            self.contents.append(b"\n".join(resolve1(s).get_data() for s in page.contents))
            fonts: dict[str, Any] = {}
            res = dict_value(page.resources) if page.resources else {}
            for name, ref in dict_value(res.get("Font", {})).items():
                spec = dict_value(ref)
                fonts[name] = rsrc.get_font(getattr(ref, "objid", None), spec)
            self.fonts.append(fonts)
        self.shows = [self._shows(p) for p in range(len(self.contents))]
        self.runs = [r for p in range(len(self.contents)) for r in self._runs(p)]

    # ---------------------------------------------------------------- reading

    def _decode(self, page: int, font: str, raw: bytes) -> tuple[str, float]:
        """The unicode text of a string in a font, and its width in text space (per unit size)."""
        f = self.fonts[page].get(font)
        if f is None:
            return "\ufffd" * len(raw), 0.5 * len(raw)
        text, width = [], 0.0
        for cid in f.decode(raw):
            try:
                text.append(f.to_unichr(cid))
            except Exception:
                text.append("\ufffd")
            width += f.char_width(cid)
        return "".join(text), width

    def _shows(self, page: int) -> list[Show]:
        out: list[Show] = []
        st = _State()
        args: list[Tok] = []
        for tok in tokens(self.contents[page]):
            if tok.kind != "op":
                args.append(tok)
                continue
            op, nums = tok.value, [a.value for a in args if a.kind == "num"]
            if op == b"q":
                st.stack.append(st.ctm)
            elif op == b"Q" and st.stack:
                st.ctm = st.stack.pop()
            elif op == b"cm" and len(nums) == 6:
                st.ctm = _mul(tuple(nums), st.ctm)
            elif op == b"BT":
                st.tm = st.lm = _ID
            elif op == b"Tm" and len(nums) == 6:
                st.tm = st.lm = tuple(nums)
            elif op in (b"Td", b"TD") and len(nums) == 2:
                st.tm = st.lm = _mul((1, 0, 0, 1, nums[0], nums[1]), st.lm)
                if op == b"TD":
                    st.leading = -nums[1]
            elif op == b"TL" and nums:
                st.leading = nums[-1]
            elif op == b"T*":
                st.tm = st.lm = _mul((1, 0, 0, 1, 0, -st.leading), st.lm)
            elif op == b"Tf" and args and args[0].kind == "name" and nums:
                st.font, st.size = args[0].value.decode("latin-1"), nums[-1]
            if op in (b"'", b'"'):
                st.tm = st.lm = _mul((1, 0, 0, 1, 0, -st.leading), st.lm)
            if op in _SHOW and args:
                out.append(self._show(page, st, args[-1]))
            args = []
        return out

    def _show(self, page: int, st: _State, operand: Tok) -> Show:
        m = _mul(st.tm, st.ctm)
        scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0
        parts = operand.value if operand.kind == "array" else [operand]
        text, advance = "", 0.0
        for p in parts:
            if p.kind in ("str", "hex"):
                t, w = self._decode(page, st.font, p.value)
                text += t
                advance += w * st.size
            elif p.kind == "num":
                advance -= p.value / 1000 * st.size
        x, y = m[4], m[5]
        st.tm = _mul((1, 0, 0, 1, advance, 0), st.tm)
        return Show(page, operand, st.font, text, x, y, x + advance * scale, st.size * scale)

    def _runs(self, page: int) -> Iterator[Run]:
        shows = [s for s in self.shows[page] if s.text]
        cur: list[Show] = []
        for s in shows:
            if cur:
                last = cur[-1]
                near = abs(s.y - last.y) <= 0.25 * last.size and -0.3 * last.size <= s.x - last.end_x <= 0.6 * last.size
                if not near:
                    yield Run(page, cur)
                    cur = []
            cur.append(s)
        if cur:
            yield Run(page, cur)

    def number_runs(self) -> list[Run]:
        """Runs that print one number alone, its unit perhaps (a table cell's value, not a number inside a
        sentence)."""
        return [r for r in self.runs if NUMBER.fullmatch(r.text)]

    # ---------------------------------------------------------------- writing

    def encode(self, page: int, font: str, text: str) -> bytes | None:
        """`text` as codes of `font` (None when the font cannot show one of its characters)."""
        f = self.fonts[page].get(font)
        if f is None:
            return None
        out = b""
        for ch in text:
            code = next((c for c in _candidates(f, ch) if _decodes(f, c, ch)), None)
            if code is None:
                return None
            out += code
        return out

    def rewrite_run(self, run: Run, text: str) -> bytes | None:
        """The file with `run` showing `text` instead (None when its font cannot show it)."""
        first = run.shows[0]
        code = self.encode(run.page, first.font, text)
        if code is None:
            return None
        edits = []
        for i, s in enumerate(run.shows):
            hexed = b"<" + (code.hex().encode() if i == 0 else b"") + b">"
            edits.append((s.operand.start, s.operand.end, b"[" + hexed + b"]" if s.operand.kind == "array" else hexed))
        return self.with_content(run.page, _splice(self.contents[run.page], edits))

    def with_content(self, page: int, content: bytes) -> bytes:
        """The file re-saved with `content` as the only content stream of `page`."""
        return resave(self.data, {page: content})


def _splice(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out, at = [], 0
    for s, e, new in sorted(edits):
        out += [data[at:s], new]
        at = e
    return b"".join([*out, data[at:]])


def _candidates(font: Any, ch: str) -> Iterator[bytes]:
    umap = getattr(font, "unicode_map", None)
    for cid, u in (getattr(umap, "cid2unichr", None) or {}).items():
        if u == ch:
            yield cid.to_bytes(2, "big")
            if cid < 256:
                yield bytes([cid])
    yield ch.encode("utf-16-be")
    yield ch.encode("latin-1", "ignore")


def _decodes(font: Any, code: bytes, ch: str) -> bool:
    if not code:
        return False
    try:
        return "".join(font.to_unichr(c) for c in font.decode(code)) == ch
    except Exception:
        return False


def resave(data: bytes, contents: dict[int, bytes]) -> bytes:
    """The PDF re-saved by pypdf, the pages in `contents` drawing that content (compressed)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import StreamObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page, content in contents.items():
        stream = StreamObject()
        stream.set_data(content)
        writer.pages[page].replace_contents(stream.flate_encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
