"""One PDF page through pdfium's C API (pypdfium2.raw): characters, drawn rules and pictures.

Everything is in the displayed page's coordinates: points from the top-left corner of the
crop box, with /Rotate applied (as pdfplumber gave them), so a landscape table printed on a
rotated page reads upright.

* Characters come from pdfium's text page, one call per character for its box, size and
  unicode-map state, and one call per page for all the text. Boxes are pdfminer's: from the
  font's descent at the baseline up by the font size, so that lines and cells are cut where
  they were before. Whitespace is dropped (layout gaps are measured, not read). A character
  whose font has no unicode mapping is counted and kept as U+FFFD, never as the guess pdfium
  makes from its glyph id: a wrong digit must not pass for a right one.
* Rules are the horizontal and vertical sides of painted paths, forms included: a stroked
  path's every straight side; a filled rectangle only when thinner than `RULE` (Word and WPS
  paint a white box behind each line of text, which would otherwise be a table).
* Pictures are image objects' boxes.

A page holding more than `MAX_OBJECTS` objects or `MAX_CHARS` characters raises
`TooComplexError` before any of them is read.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import pypdfium2.raw as c

from ..errors import TooComplexError

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
Matrix = tuple[float, float, float, float, float, float]

MAX_OBJECTS = 50_000  # page objects, forms' contents included (a dense text page has ~3,000)
MAX_CHARS = 60_000  # characters on one page (a dense page of small type has ~3,000)
RULE = 2.0  # points: a filled rectangle thinner than this is a drawn rule
_MIN_EDGE = 1.0  # points: shorter sides are dots, not rules
_FLAT = 0.05  # points: a side whose ends differ by less than this across is straight
_MAX_FORM_DEPTH = 12
_UNMAPPED = "\ufffd"
# The standard fonts pdfium builds in (and their usual aliases): measured alike on every machine.
_BUILT_IN = re.compile(r"^(?:Times|Helvetica|Courier|Symbol|ZapfDingbats|Arial|TimesNewRoman|CourierNew)", re.I)
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(slots=True)
class Rule:
    """A drawn horizontal (`pos` = y) or vertical (`pos` = x) segment from `lo` to `hi`."""

    horizontal: bool
    pos: float
    lo: float
    hi: float


@dataclass
class PageContent:
    width: float
    height: float
    display: Matrix  # user space → displayed page
    chars: list[dict[str, Any]] = field(default_factory=list)  # text, x0, x1, top, bottom, size
    rules: list[Rule] = field(default_factory=list)
    images: list[Box] = field(default_factory=list)
    unmapped: int = 0  # characters without a unicode mapping
    foreign_fonts: list[str] = field(default_factory=list)  # fonts neither embedded nor built in


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m then n (row vectors, PDF convention)."""
    a, b, c_, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c_ * A + d * C, c_ * B + d * D, e * A + f * C + E, e * B + f * D + F)


class _Display:
    """User space → displayed page (crop box origin at top-left, /Rotate applied)."""

    def __init__(self, page: Any) -> None:
        box = c.FS_RECTF()
        if not c.FPDF_GetPageBoundingBox(page, box):
            box.left, box.bottom, box.right, box.top = 0.0, 0.0, c.FPDF_GetPageWidthF(page), c.FPDF_GetPageHeightF(page)
        left, bottom, right, top = box.left, box.bottom, box.right, box.top
        rot = c.FPDFPage_GetRotation(page) % 4
        # Each rotation as a matrix taking user (x, y) to displayed (x, top).
        self.matrix: Matrix = {
            0: (1.0, 0.0, 0.0, -1.0, -left, top),
            1: (0.0, 1.0, 1.0, 0.0, -bottom, -left),
            2: (-1.0, 0.0, 0.0, 1.0, right, -bottom),
            3: (0.0, -1.0, -1.0, 0.0, top, right),
        }[rot]
        w, h = right - left, top - bottom
        self.width, self.height = (h, w) if rot % 2 else (w, h)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def box_in(m: Matrix, x0: float, y0: float, x1: float, y1: float) -> Box:
    ax, ay = _apply(m, x0, y0)
    bx, by = _apply(m, x1, y1)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _text(tp: Any, n: int) -> list[int]:
    """Code points of the page's n characters, read in one call (one UTF-16 unit each unless a
    character lies outside the BMP, then one call per character)."""
    buf = (ctypes.c_ushort * (n + 1))()
    got = c.FPDFText_GetText(tp, 0, n, buf) - 1
    units = list(buf[:n])
    if got == n and not any(0xD800 <= u <= 0xDFFF for u in units):
        return units
    return [c.FPDFText_GetUnicode(tp, i) for i in range(n)]


def _read_chars(tp: Any, out: PageContent, disp: _Display) -> None:
    n = c.FPDFText_CountChars(tp)
    if n > MAX_CHARS:
        raise TooComplexError(f"PDF too complex: a page holds {n:,} characters (limit {MAX_CHARS:,}); not read")
    if n <= 0:
        return
    codes = _text(tp, n)
    rect = c.FS_RECTF()
    rp = ctypes.byref(rect)
    mat = c.FS_MATRIX()
    mp = ctypes.byref(mat)
    loose, font_size, char_matrix, map_error = (c.FPDFText_GetLooseCharBox, c.FPDFText_GetFontSize,
                                                 c.FPDFText_GetMatrix, c.FPDFText_HasUnicodeMapError)
    tight = c.FPDFText_GetCharBox
    dl, dr, db, dt = (ctypes.c_double() for _ in range(4))
    m0, m1, m2, m3, m4, m5 = disp.matrix
    chars = out.chars
    for i, u in enumerate(codes):
        if u <= 32 or u in (0xA0, 0x3000, 0xFEFF, 0xFFFE):
            continue  # whitespace and pdfium's generated spaces and line ends
        text = chr(u)
        if text.isspace():
            continue
        if map_error(tp, i):
            out.unmapped += 1
            text = _UNMAPPED
        loose(tp, i, rp)
        char_matrix(tp, i, mp)
        size = font_size(tp, i) * math.sqrt(abs(mat.a * mat.d - mat.b * mat.c))
        left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
        vertical = max(right - left, top - bottom) > 2 * size + 1
        if vertical:
            # pdfium's loose box of a vertical-writing glyph ignores the text matrix (199 points
            # wide for a 10-point character): the glyph's own box is right.
            tight(tp, i, dl, dr, db, dt)
            left, bottom, right, top = dl.value, db.value, dr.value, dt.value
        ax, ay = m0 * left + m2 * bottom + m4, m1 * left + m3 * bottom + m5
        bx, by = m0 * right + m2 * top + m4, m1 * right + m3 * top + m5
        x0, x1 = (ax, bx) if ax < bx else (bx, ax)
        y0, y1 = (ay, by) if ay < by else (by, ay)
        if not vertical and size > 0:
            # Upright on the displayed page (whatever the /Rotate and the content's own turn): the
            # baseline runs right and the glyph's up points up. Then pdfminer's box: from the
            # descent up by the font size, not up to the font's ascent.
            a, b, c_, d = mat.a, mat.b, mat.c, mat.d
            tol = 1e-3 * (abs(a) + abs(b) + abs(c_) + abs(d))
            if (m0 * a + m2 * b > 0 and abs(m1 * a + m3 * b) <= tol
                    and m1 * c_ + m3 * d < 0 and abs(m0 * c_ + m2 * d) <= tol):
                y0 = y1 - size
        chars.append({"text": text, "x0": x0, "x1": x1, "top": y0, "bottom": y1, "size": size})


class _Objects:
    """Walks a page's objects (into forms), collecting rules and pictures."""

    def __init__(self, out: PageContent, disp: _Display) -> None:
        self.out = out
        self.disp = disp
        self.count = 0
        self._m = c.FS_MATRIX()
        self._fill = ctypes.c_int()
        self._stroke = ctypes.c_int()
        self._x = ctypes.c_float()
        self._y = ctypes.c_float()
        self._l, self._b, self._r, self._t = (ctypes.c_float() for _ in range(4))

    def _font(self, obj: Any) -> None:
        """Note a text object's font when pdfium must measure it with the machine's fonts (the
        first such font settles the page: its characters are read elsewhere)."""
        if self.out.foreign_fonts:
            return
        font = c.FPDFTextObj_GetFont(obj)
        if not font or c.FPDFFont_GetIsEmbedded(font):
            return
        buf = ctypes.create_string_buffer(256)
        size = c.FPDFFont_GetBaseFontName(font, buf, 256)
        name = buf.raw[: max(size - 1, 0)].decode("utf-8", "replace")
        if not _BUILT_IN.match(name.split("+")[-1]):
            self.out.foreign_fonts.append(name or "(unnamed)")

    def _matrix(self, obj: Any) -> Matrix:
        m = self._m
        if not c.FPDFPageObj_GetMatrix(obj, m):
            return _IDENTITY
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def _bounds(self, obj: Any, outer: Matrix) -> Box | None:
        if not c.FPDFPageObj_GetBounds(obj, self._l, self._b, self._r, self._t):
            return None
        return box_in(outer, self._l.value, self._b.value, self._r.value, self._t.value)

    def walk(self, page: Any, on_foreign_fonts: Callable[[], None] | None) -> None:
        """Every path and picture of the page, forms entered; objects are listed (and counted)
        before any is read, so a page of forms drawing forms is refused after ~1 µs an object,
        and `on_foreign_fonts` is called then if the page uses such fonts."""
        found: list[tuple[Any, int, Matrix]] = []
        self._collect(c.FPDFPage_CountObjects(page), c.FPDFPage_GetObject, page, self.disp.matrix, 0, found)
        if self.out.foreign_fonts and on_foreign_fonts is not None:
            on_foreign_fonts()
        for obj, kind, outer in found:
            if kind == c.FPDF_PAGEOBJ_PATH:
                self._path(obj, outer)
            else:
                box = self._bounds(obj, outer)
                if box is not None:
                    self.out.images.append(box)

    def _collect(self, count: int, get: Any, holder: Any, outer: Matrix, depth: int,
                 found: list[tuple[Any, int, Matrix]]) -> None:
        """`outer`: the containing form's space → displayed page."""
        self.count += count
        if self.count > MAX_OBJECTS:
            raise TooComplexError(f"PDF too complex: a page holds more than {MAX_OBJECTS:,} objects; not read")
        for i in range(count):
            obj = get(holder, i)
            kind = c.FPDFPageObj_GetType(obj)
            if kind == c.FPDF_PAGEOBJ_TEXT:
                self._font(obj)
            elif kind in (c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_IMAGE):
                found.append((obj, kind, outer))
            elif kind == c.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
                inner = _mul(self._matrix(obj), outer)
                self._collect(c.FPDFFormObj_CountObjects(obj), c.FPDFFormObj_GetObject, obj, inner, depth + 1, found)

    def _path(self, obj: Any, outer: Matrix) -> None:
        if not c.FPDFPath_GetDrawMode(obj, self._fill, self._stroke):
            return
        stroked = bool(self._stroke.value)
        if not stroked and not self._fill.value:
            return  # neither filled nor stroked: a clip or an invisible path
        nseg = c.FPDFPath_CountSegments(obj)
        if nseg < 2:
            return
        if not stroked and nseg <= 5:
            # One filled shape of at most four sides: a rule only when thin (skips WPS's white
            # boxes behind text lines without reading their segments).
            box = self._bounds(obj, outer)
            if box is None or min(box[2] - box[0], box[3] - box[1]) >= RULE:
                return
        m = _mul(self._matrix(obj), outer)
        x, y = self._x, self._y
        subpath: list[tuple[float, float, bool]] = []  # point, reached by a straight line
        for k in range(nseg):
            seg = c.FPDFPath_GetPathSegment(obj, k)
            if not c.FPDFPathSegment_GetPoint(seg, x, y):
                continue
            kind = c.FPDFPathSegment_GetType(seg)
            px, py = _apply(m, x.value, y.value)
            if kind == c.FPDF_SEGMENT_MOVETO:
                self._subpath(subpath, stroked)
                subpath = [(px, py, False)]
            else:
                subpath.append((px, py, kind == c.FPDF_SEGMENT_LINETO))
            if c.FPDFPathSegment_GetClose(seg) and subpath:
                subpath.append((subpath[0][0], subpath[0][1], True))
        self._subpath(subpath, stroked)

    def _subpath(self, pts: list[tuple[float, float, bool]], stroked: bool) -> None:
        pts = [p for i, p in enumerate(pts) if i == 0 or not _same(p, pts[i - 1])]
        if len(pts) < 2:
            return
        if not stroked and _is_rect(pts):
            xs = [p[0] for p in pts]
            ys = [p[1] for p in pts]
            if min(max(xs) - min(xs), max(ys) - min(ys)) >= RULE:
                return  # a filled box, not a rule
        rules = self.out.rules
        for (ax, ay, _), (bx, by, straight) in pairwise(pts):
            if not straight:
                continue
            if abs(ay - by) < _FLAT and abs(bx - ax) >= _MIN_EDGE:
                rules.append(Rule(True, (ay + by) / 2, min(ax, bx), max(ax, bx)))
            elif abs(ax - bx) < _FLAT and abs(by - ay) >= _MIN_EDGE:
                rules.append(Rule(False, (ax + bx) / 2, min(ay, by), max(ay, by)))


def _same(p: tuple[float, float, bool], q: tuple[float, float, bool]) -> bool:
    return abs(p[0] - q[0]) < 1e-3 and abs(p[1] - q[1]) < 1e-3


def _is_rect(pts: list[tuple[float, float, bool]]) -> bool:
    """Four straight axis-parallel sides closing on the start: what `re` draws."""
    if len(pts) != 5 or not _same(pts[0], pts[4]) or not all(p[2] for p in pts[1:]):
        return False
    return all(abs(a[0] - b[0]) < _FLAT or abs(a[1] - b[1]) < _FLAT for a, b in pairwise(pts))


def read_page(page: Any, *, with_chars: bool = True, on_foreign_fonts: Callable[[], None] | None = None,
              ) -> PageContent:
    """A loaded pdfium page (FPDF_PAGE) → its rules and pictures, and its characters unless
    `with_chars` is False or the page uses fonts that are neither embedded nor built in
    (`foreign_fonts`): pdfium measures those glyphs with the machine's fonts; without a CJK
    font it finds them zero-wide and drops every one-character text object (a lone `持` on a
    cell's second line), and its boxes change with the fonts installed. The caller reads such
    a page's characters elsewhere (`pdfminer_chars`), and may refuse it in `on_foreign_fonts`,
    called before any path is read."""
    disp = _Display(page)
    out = PageContent(width=disp.width, height=disp.height, display=disp.matrix)
    _Objects(out, disp).walk(page, on_foreign_fonts)
    if not with_chars or out.foreign_fonts:
        return out
    tp = c.FPDFText_LoadPage(page)
    if not tp:
        return out
    try:
        _read_chars(tp, out, disp)
    finally:
        c.FPDFText_ClosePage(tp)
    return out
