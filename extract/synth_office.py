"""Tiny DOCX/PDF report generator for reader tests: a table spec in, a real file out.

A `TableSpec` is a rectangular list of rows of cell texts plus merges (inclusive grid boxes
`(r0, c0, r1, c1)`); the text of a merged cell is the text at its top-left position.
`expected_grid(spec)` is what a reader must give back: every position with its owner's text,
`span_copy` everywhere but the top-left.

* `write_docx`: python-docx, real merged cells (gridSpan / vMerge).
* `write_pdf`: reportlab (a dev dependency), ruled table drawn cell by cell, CJK text in the
  built-in `STSong-Light` CID font, wrapped to the column width (narrow columns give one
  character per line), page numbers `— n —` as furniture, optional split across two pages
  (with repeated header rows; a merged label crossing the break keeps the lines that fit on
  page 1 and prints the rest on page 2, like `（四）无` / `法提供`), a
  password-protected mode and a "scanned" mode where the table page is an image with no text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

Box = tuple[int, int, int, int]  # r0, c0, r1, c1, inclusive


@dataclass
class TableSpec:
    rows: list[list[str]]
    merges: list[Box] = field(default_factory=list)
    col_widths: list[float] | None = None  # points, PDF only

    @property
    def ncols(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def owner(self, r: int, c: int) -> tuple[int, int]:
        for r0, c0, r1, c1 in self.merges:
            if r0 <= r <= r1 and c0 <= c <= c1:
                return r0, c0
        return r, c

    def region(self, r: int, c: int) -> Box:
        for box in self.merges:
            if box[0] == r and box[1] == c:
                return box
        return r, c, r, c


def expected_grid(spec: TableSpec) -> list[list[tuple[str, bool]]]:
    """(text, span_copy) per position, as a reader must produce it."""
    out: list[list[tuple[str, bool]]] = []
    for r, row in enumerate(spec.rows):
        line: list[tuple[str, bool]] = []
        for c in range(len(row)):
            orow, ocol = spec.owner(r, c)
            line.append((spec.rows[orow][ocol], (orow, ocol) != (r, c)))
        out.append(line)
    return out


def write_docx(specs: list[TableSpec], paragraphs_before: list[str] | None = None, title: str = "") -> bytes:
    """A DOCX with a title, paragraphs and one table per spec (a heading paragraph before each)."""
    import docx

    d = docx.Document()
    if title:
        d.add_paragraph(title)
    for i, spec in enumerate(specs):
        for text in paragraphs_before or []:
            d.add_paragraph(text)
        d.add_paragraph(f"表{i + 1}")
        table = d.add_table(rows=len(spec.rows), cols=spec.ncols)
        table.style = "Table Grid"
        for r, row in enumerate(spec.rows):
            for c, text in enumerate(row):
                if spec.owner(r, c) == (r, c):
                    table.cell(r, c).text = text
        for r0, c0, r1, c1 in spec.merges:
            merged = table.cell(r0, c0).merge(table.cell(r1, c1))
            merged.text = spec.rows[r0][c0]
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- PDF

_FONT = "STSong-Light"
_SIZE = 9.0
_LEAD = 11.0
_PAD = 3.0
_PAGE_W, _PAGE_H = 595.0, 842.0
_MARGIN = 72.0


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))


def _wrap(text: str, width: float, font: str = _FONT) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    cur = ""
    for ch in text:
        if cur and stringWidth(cur + ch, font, _SIZE) > width - 2 * _PAD:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        lines.append(cur)
    return lines


def _widths(spec: TableSpec) -> list[float]:
    if spec.col_widths:
        return spec.col_widths
    return [(_PAGE_W - 2 * _MARGIN) / spec.ncols] * spec.ncols


def _row_heights(spec: TableSpec, widths: list[float], font: str = _FONT) -> list[float]:
    heights = [_LEAD + 2 * _PAD] * len(spec.rows)
    for r, row in enumerate(spec.rows):
        for c, text in enumerate(row):
            if spec.owner(r, c) != (r, c):
                continue
            r0, c0, r1, c1 = spec.region(r, c)
            need = len(_wrap(text, sum(widths[c0 : c1 + 1]), font)) * _LEAD + 2 * _PAD
            have = sum(heights[r0 : r1 + 1])
            if need > have:
                heights[r1] += need - have
    return heights


@dataclass
class PdfOptions:
    split_after_row: int | None = None  # rows before this index on page 1, the rest on page 2
    repeat_header_rows: int = 0  # header rows printed again at the top of page 2
    narrative_lines: int = 6  # body lines before the table
    scanned: bool = False  # the table page is an image, no text layer
    password: str | None = None  # encrypt with this user password ("" = owner password only)
    heading: str = "三、收到和处理政府信息公开申请情况"  # printed just above the table
    page_numbers: bool = True  # `— n —` at the foot of each page
    font: str = _FONT  # "Helvetica" for Latin-only specs
    running_head: str = ""  # printed at the top of every page (a running header)
    continued_caption: str = ""  # printed above the continuation on page 2, e.g. "续表"


def _draw_text_lines(canvas: object, lines: list[str], x: float, top: float) -> None:
    c = canvas
    for i, line in enumerate(lines):
        c.drawString(x, _PAGE_H - (top + _PAD + (i + 1) * _LEAD - 2), line)  # type: ignore[attr-defined]


def _draw_rows(
    canvas: object,
    spec: TableSpec,
    rows: list[int],
    top: float,
    widths: list[float],
    heights: list[float],
    texts: dict[tuple[int, int], str],
    font: str = _FONT,
) -> float:
    """Draw grid rows `rows` (consecutive indices) from `top`; return the bottom."""
    c = canvas
    xs = [_MARGIN]
    for w in widths:
        xs.append(xs[-1] + w)
    ys: dict[int, float] = {}
    y = top
    for r in rows:
        ys[r] = y
        y += heights[r]
    bottom = y
    first, last = rows[0], rows[-1]
    done: set[tuple[int, int]] = set()
    for r in rows:
        for col in range(spec.ncols):
            orow, ocol = spec.owner(r, col)
            if (orow, ocol) in done:
                continue
            done.add((orow, ocol))
            r0, c0, r1, c1 = spec.region(orow, ocol)
            r0v, r1v = max(r0, first), min(r1, last)
            y0 = ys[r0v]
            y1 = ys[r1v] + heights[r1v]
            c.rect(xs[c0], _PAGE_H - y1, xs[c1 + 1] - xs[c0], y1 - y0, stroke=1, fill=0)  # type: ignore[attr-defined]
            text = texts.get((orow, ocol) if r0 >= first else (-orow - 1, ocol), "")
            _draw_text_lines(c, _wrap(text, xs[c1 + 1] - xs[c0], font), xs[c0] + _PAD, y0)
    return bottom


def _furniture(canvas: object, page: int, on: bool = True, head: str = "") -> None:
    if head:
        canvas.drawString(_MARGIN, _PAGE_H - 40, head)  # type: ignore[attr-defined]
    if on:
        canvas.drawCentredString(_PAGE_W / 2, 40, f"— {page} —")  # type: ignore[attr-defined]


def _narrative(canvas: object, n: int, top: float) -> float:
    for i in range(n):
        canvas.drawString(_MARGIN, _PAGE_H - top - (i + 1) * 16, f"这是第{i + 1}行正文，说明政府信息公开工作情况。")  # type: ignore[attr-defined]
    return top + n * 16 + 20


def write_pdf(spec: TableSpec, options: PdfOptions | None = None, title: str = "测试市人民政府2024年政府信息公开工作年度报告") -> bytes:
    """A one- or two-page PDF report with the table ruled and its text in a CJK CID font."""
    from reportlab.pdfgen import canvas as rl_canvas

    opt = options or PdfOptions()
    _register_font()
    buf = io.BytesIO()
    encrypt = None
    if opt.password is not None:
        from reportlab.lib import pdfencrypt

        encrypt = pdfencrypt.StandardEncryption(opt.password, ownerPassword=opt.password + "-owner", canPrint=1)
    c = rl_canvas.Canvas(buf, pagesize=(_PAGE_W, _PAGE_H), encrypt=encrypt)
    widths = _widths(spec)
    heights = _row_heights(spec, widths, opt.font)
    texts = {(r, col): spec.rows[r][col] for r in range(len(spec.rows)) for col in range(spec.ncols)}
    c.setFont(_FONT, 16)
    if title:
        c.drawCentredString(_PAGE_W / 2, _PAGE_H - _MARGIN, title)
    c.setFont(opt.font, _SIZE)
    top = _narrative(c, opt.narrative_lines, _MARGIN + 20)
    if opt.heading:
        c.drawString(_MARGIN, _PAGE_H - top, opt.heading)
    top += 10
    if opt.scanned:
        _furniture(c, 1, opt.page_numbers, opt.running_head)
        c.showPage()
        _draw_scanned(c, spec, widths, heights)
        _furniture(c, 2, opt.page_numbers, opt.running_head)
        c.showPage()
        c.save()
        return buf.getvalue()
    all_rows = list(range(len(spec.rows)))
    k = opt.split_after_row
    if k is None or not 0 < k < len(all_rows):
        bottom = _draw_rows(c, spec, all_rows, top, widths, heights, texts, opt.font)
        c.drawString(_MARGIN, _PAGE_H - bottom - 24, "四、政府信息公开行政复议、行政诉讼情况")
        _furniture(c, 1, opt.page_numbers, opt.running_head)
        c.showPage()
        c.save()
        return buf.getvalue()
    # Page 1 ends with the table: push it down so that it ends near the bottom margin.
    page1 = all_rows[:k]
    top = max(top, _PAGE_H - _MARGIN - sum(heights[r] for r in page1))
    split_texts = dict(texts)
    for r0, c0, r1, c1 in spec.merges:
        if r0 < k <= r1:
            # As Word does: the lines that fit stay on page 1, the rest go on to page 2.
            lines = _wrap(spec.rows[r0][c0], sum(widths[c0 : c1 + 1]), opt.font)
            fit = max(int((sum(heights[r0:k]) - 2 * _PAD) // _LEAD), 0)
            split_texts[(r0, c0)] = "".join(lines[:fit])
            split_texts[(-r0 - 1, c0)] = "".join(lines[fit:])  # the continuation part on page 2
            need = len(lines[fit:]) * _LEAD + 2 * _PAD
            have = sum(heights[k : r1 + 1])
            if need > have:
                heights[r1] += need - have  # Word grows the rows on page 2 to fit the rest
    _draw_rows(c, spec, page1, top, widths, heights, split_texts, opt.font)
    _furniture(c, 1, opt.page_numbers, opt.running_head)
    c.showPage()
    c.setFont(opt.font, _SIZE)
    top = _MARGIN
    if opt.continued_caption:
        c.drawString(_MARGIN, _PAGE_H - top - _SIZE, opt.continued_caption)
        top += 16
    if opt.repeat_header_rows:
        top = _draw_rows(c, spec, all_rows[: opt.repeat_header_rows], top, widths, heights, texts, opt.font)
    _draw_rows(c, spec, all_rows[k:], top, widths, heights, split_texts, opt.font)
    _furniture(c, 2, opt.page_numbers, opt.running_head)
    c.showPage()
    c.save()
    return buf.getvalue()


def _draw_scanned(canvas: object, spec: TableSpec, widths: list[float], heights: list[float]) -> None:
    """The table as a raster image (rules and grey blobs for text): a scan, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    scale = 2
    w = int(sum(widths) * scale) + 2
    h = int(sum(heights) * scale) + 2
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    y = 0.0
    for r, height in enumerate(heights):
        x = 0.0
        for col, width in enumerate(widths):
            draw.rectangle([x * scale, y * scale, (x + width) * scale, (y + height) * scale], outline=0)
            if spec.rows[r][col]:
                draw.rectangle([(x + 3) * scale, (y + 4) * scale, (x + width / 2) * scale, (y + 9) * scale], fill=120)
            x += width
        y += height
    canvas.drawImage(ImageReader(img), _MARGIN, _PAGE_H - _MARGIN - sum(heights), sum(widths), sum(heights))  # type: ignore[attr-defined]
