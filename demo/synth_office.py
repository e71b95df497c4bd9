"""Generator-built Word and PDF reports, from the same tables as `synth` (test and bench fixtures).

`render_docx` writes real merged cells (`cell.merge`, so `w:gridSpan` and `w:vMerge`), the way
Word saves the official form. `render_pdf` draws ruled tables as a Word PDF export does: every
cell a box, a merged cell one box, CJK text in reportlab's built-in CID font STSong-Light (no
font file needed, not embedded: the reader takes those pages' characters from pdfminer). Options reproduce what real files do to readers:
a table broken over a page with a merged label cut in two (`split_at_row` for 表三, `breaks`
for any table) and its header rows repeated or not (`repeat_header`), pages that are only
pictures (`scanned`), tables pasted as pictures (`tables_as_images`, also for Word), and
password protection (`user_password` / `owner_password`, encrypted by pypdf), and tables drawn
without rules, numbers and header words aligned left, centre or right, zeros printed blank (`Layout`).

python-docx, reportlab and pypdfium2 are runtime dependencies, pypdf is in the dev extra: they
are imported only where a PDF or a picture is drawn.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from demo.synth import SynthReport, table_rows

Span = tuple[str, int, int]  # (text, rowspan, colspan), as `synth.table_rows` gives them

TABLE_NAMES = ("active_disclosure", "applications", "review_litigation")
HEADINGS = ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况")
FONT = "STSong-Light"


@dataclass(frozen=True)
class Placed:
    """A cell at its grid position: what a renderer draws as one box."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


def place(rows: Sequence[Sequence[Span]]) -> tuple[list[Placed], int]:
    """Rows of (text, rowspan, colspan) → cells at grid positions (the HTML table algorithm:
    a cell takes the next column not covered by a rowspan from above), and the column count."""
    taken: set[tuple[int, int]] = set()
    cells: list[Placed] = []
    ncols = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rs, cs in row:
            while (r, c) in taken:
                c += 1
            cells.append(Placed(text, r, c, rs, cs))
            taken.update((r + dr, c + dc) for dr in range(rs) for dc in range(cs))
            c += cs
            ncols = max(ncols, c)
    return cells, ncols


def report_tables(rep: SynthReport) -> list[tuple[str, list[list[Span]]]]:
    """表二, 表三, 表四, each with the section heading printed above it."""
    rows = table_rows(rep)
    t3 = next(i for i, r in enumerate(rows) if r[0][0].startswith("（本列数据"))
    t4 = next(i for i, r in enumerate(rows) if r[0][0] == "行政复议")
    return [(HEADINGS[0], rows[:t3]), (HEADINGS[1], rows[t3:t4]), (HEADINGS[2], rows[t4:])]


def _title(rep: SynthReport) -> str:
    return f"{rep.agency}{rep.year}年政府信息公开工作年度报告"


def _intro(rep: SynthReport) -> list[str]:
    return [_title(rep), "一、总体情况", f"{rep.year}年，我单位认真贯彻落实政府信息公开条例。"]


def _closing(rep: SynthReport) -> list[str]:
    return ["五、存在的主要问题及改进情况", "无。", rep.agency, f"{rep.year + 1}年1月20日"]


# ------------------------------------------------------------------ DOCX

def render_docx(rep: SynthReport, *, tables_as_images: bool = False) -> bytes:
    """The report as a Word file; `tables_as_images`: each table a pasted picture (needs reportlab)."""
    import docx
    from docx.shared import Pt

    d = docx.Document()
    for line in _intro(rep):
        d.add_paragraph(line)
    for heading, rows in report_tables(rep):
        d.add_paragraph(heading)
        if tables_as_images:
            image, w, _h = table_picture(rows)
            png = io.BytesIO()
            image.save(png, format="PNG")
            d.add_picture(io.BytesIO(png.getvalue()), width=Pt(w))
            continue
        cells, ncols = place(rows)
        table = d.add_table(rows=len(rows), cols=ncols)
        table.style = "Table Grid"
        # `table.cell()` rebuilds the whole grid on every call (quadratic); the merges are
        # disjoint, so one snapshot of the unmerged grid names every corner correctly.
        grid = table._cells
        for p in cells:
            cell = grid[p.row * ncols + p.col]
            if p.rowspan > 1 or p.colspan > 1:
                cell = cell.merge(grid[(p.row + p.rowspan - 1) * ncols + p.col + p.colspan - 1])
            cell.text = p.text  # after merging: merge() joins the covered cells' paragraphs
    for line in _closing(rep):
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ PDF

PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points
MARGIN = 50.0
SIZE, LEADING, PAD = 7.5, 9.0, 2.5
_WIDTHS = {4: [155.0, 120.0, 120.0, 120.0], 10: [45.0, 60.0, 130.0] + [40.0] * 7}


def _widths(ncols: int) -> list[float]:
    return _WIDTHS.get(ncols, [(PAGE_W - 2 * MARGIN) / ncols] * ncols)


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _wrap(text: str, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    _register_font()
    lines, cur = [], ""
    for ch in text:
        if cur and stringWidth(cur + ch, FONT, SIZE) > width - 2 * PAD:
            lines.append(cur)
            cur = ""
        cur += ch
    return [*lines, cur] if cur else lines


def _split_cells(cells: list[Placed], at: int) -> list[Placed]:
    """A page break before row `at`: a merged cell across it becomes two boxes, its text cut in
    proportion (as Word flows a merged label over the break: 「（四）无」 / 「法提供」)."""
    out: list[Placed] = []
    for p in cells:
        if p.row < at < p.row + p.rowspan:
            above = at - p.row
            k = round(len(p.text) * above / p.rowspan)
            out.append(replace(p, text=p.text[:k], rowspan=above))
            out.append(replace(p, text=p.text[k:], row=at, rowspan=p.rowspan - above))
        else:
            out.append(p)
    return out


def _row_heights(cells: list[Placed], nrows: int, widths: list[float]) -> list[float]:
    heights = [LEADING + 2 * PAD] * nrows
    need = {p: len(_wrap(p.text, sum(widths[p.col:p.col + p.colspan]))) * LEADING + 2 * PAD for p in cells}
    for p in sorted(cells, key=lambda p: p.rowspan):
        rows = range(p.row, p.row + p.rowspan)
        short = need[p] - sum(heights[r] for r in rows)
        if short > 0:
            heights[rows[-1]] += short
    return heights


def _units(cells: list[Placed], nrows: int) -> list[range]:
    """Runs of rows a page break may not cut (closed under rowspans)."""
    units, start, end = [], 0, 0
    for r in range(nrows):
        end = max([end, r + 1] + [p.row + p.rowspan for p in cells if p.row == r])
        if end == r + 1:
            units.append(range(start, end))
            start = end
    return units


def table_picture(rows: Sequence[Sequence[Span]]) -> tuple[Any, float, float]:
    """A table as a picture (a PIL image) and its size in points: drawn alone on a page its
    size, then rasterised, as a screenshot pasted into a report."""
    from reportlab.pdfgen.canvas import Canvas

    cells, ncols = place(rows)
    widths = _widths(ncols)
    heights = _row_heights(cells, len(rows), widths)
    w, h = sum(widths) + 2, sum(heights) + 2
    buf = io.BytesIO()
    sub = _Pages(Canvas(buf, pagesize=(w, h), invariant=1))
    xs = [1 + sum(widths[:i]) for i in range(ncols + 1)]
    sub._cells(cells, {r: h - 1 - sum(heights[:r]) for r in range(len(rows))}, heights, xs)
    sub.c.save()
    return _rasterise(buf.getvalue())[0], w, h


def _break_row(cells: list[Placed], r: int, keep: int, numbers_below: bool = False) -> list[Placed]:
    """Row `r` broken across a page: its label keeps `keep` characters on the first page and the
    rest goes on to a new row r + 1 (Word's "allow row to break across pages": `…不再处理其政府
    信息公` / `开申请`); the row's other cells stay on the first page, or go with the rest of the
    label when `numbers_below` (as a converted 2025 上海市 report shows them: 缴纳费用、行政机关不再
    处理其政 beside its numbers after the page footer). Merged cells over row r grow by one row."""
    own = [p for p in cells if p.row == r and p.rowspan == 1]
    label = max((p for p in own if not p.text.replace(".", "").isdigit()), key=lambda p: p.col)
    out: list[Placed] = []
    for p in cells:
        if p.row > r:
            out.append(replace(p, row=p.row + 1))
        elif p.rowspan > 1 and r < p.row + p.rowspan:  # a merged cell over row r
            out.append(replace(p, rowspan=p.rowspan + 1))
        elif p.row == r:
            first, second = (p.text[:keep], p.text[keep:]) if p is label else (
                ("", p.text) if numbers_below else (p.text, ""))
            out.append(replace(p, text=first))
            out.append(replace(p, row=r + 1, text=second))
        else:
            out.append(p)
    return out


_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class Layout:
    """How the tables are drawn. `ruled=False`: no rules at all, the text placed in its columns only (a
    Word table exported without borders, a table a printer driver converted). `numbers`: the alignment
    of numbers in their cells, `headers`: of the header words over them (left, center, right); labels
    are left-aligned. `blank_zeros`: a zero printed as an empty cell, as many reports do."""

    ruled: bool = True
    numbers: str = "left"
    headers: str = "left"
    blank_zeros: bool = False


class _Pages:
    def __init__(self, canvas: Any, page_numbers: bool = False, layout: Layout = Layout()) -> None:
        self.c = canvas
        self.y = PAGE_H - MARGIN
        self.page = 1
        self.page_numbers = page_numbers
        self.layout = layout
        self.value_col = 0  # the table's first value column: header words from there on

    def end_page(self) -> None:
        """The page's running footer (`- 3 -`), drawn below the bottom margin."""
        if self.page_numbers:
            self.c.setFont(FONT, 9.0)
            self.c.drawCentredString(PAGE_W / 2, MARGIN / 2, f"- {self.page} -")

    def new_page(self) -> None:
        self.end_page()
        self.c.showPage()
        self.page += 1
        self.y = PAGE_H - MARGIN

    def ensure(self, height: float) -> None:
        if self.y - height < MARGIN:
            self.new_page()

    def line(self, text: str, size: float = 10.0) -> None:
        self.ensure(size * 1.8)
        self.c.setFont(FONT, size)
        self.c.drawString(MARGIN, self.y - size, text)
        self.y -= size * 1.8

    def _cells(self, cells: list[Placed], tops: dict[int, float], heights: list[float], xs: list[float],
               open_top: int | None = None, open_bottom: int | None = None) -> None:
        """Each cell a box; a cell starting at row `open_top` has no top side and one ending at
        row `open_bottom` no bottom side (a table left open at a page break)."""
        self.c.setFont(FONT, SIZE)
        self.c.setLineWidth(0.6)
        for p in cells:
            top = tops[p.row]
            h = sum(heights[p.row:p.row + p.rowspan])
            x0, x1 = xs[p.col], xs[p.col + p.colspan]
            if self.layout.ruled and open_top is None and open_bottom is None:
                self.c.rect(x0, top - h, x1 - x0, h, stroke=1, fill=0)
            elif self.layout.ruled:
                self.c.line(x0, top, x0, top - h)
                self.c.line(x1, top, x1, top - h)
                if p.row != open_top:
                    self.c.line(x0, top, x1, top)
                if p.row + p.rowspan - 1 != open_bottom:
                    self.c.line(x0, top - h, x1, top - h)
            lines = _wrap(p.text, x1 - x0)
            y = top - (h - len(lines) * LEADING) / 2 - SIZE
            align = self.layout.numbers if _NUMBER.match(p.text) else \
                self.layout.headers if p.col >= self.value_col else "left"
            for ln in lines:
                if align == "center":
                    self.c.drawCentredString((x0 + x1) / 2, y, ln)
                elif align == "right":
                    self.c.drawRightString(x1 - PAD, y, ln)
                else:
                    self.c.drawString(x0 + PAD, y, ln)
                y -= LEADING

    def picture(self, rows: Sequence[Sequence[Span]]) -> None:
        """The table as a pasted picture."""
        from reportlab.lib.utils import ImageReader

        image, w, h = table_picture(rows)
        self.ensure(h)
        self.c.drawImage(ImageReader(image), MARGIN - 1, self.y - h, w, h)
        self.y -= h + 12

    def table(self, rows: Sequence[Sequence[Span]], break_before: int | None = None,
              repeat_header: bool = False, open_break: bool = False, keep_label: int | None = None,
              numbers_below: bool = False) -> None:
        cells, ncols = place(rows)
        self.value_col = min((p.col for p in cells if _NUMBER.match(p.text) or not p.text), default=0)
        if self.layout.blank_zeros:
            cells = [replace(p, text="") if p.text == "0" else p for p in cells]
        nrows = len(rows)
        if break_before is not None:
            if not 0 < break_before < nrows:
                raise ValueError(f"a page break must come before a row within 1..{nrows - 1}, not {break_before}")
            if keep_label is not None:
                cells = _break_row(cells, break_before - 1, keep_label, numbers_below)
                nrows += 1
            cells = _split_cells(cells, break_before)
        widths = _widths(ncols)
        xs = [MARGIN + sum(widths[:i]) for i in range(ncols + 1)]
        heights = _row_heights(cells, nrows, widths)
        units = _units(cells, nrows)
        for i, unit in enumerate(units):
            at_break = unit.start == break_before
            open_bottom = unit.stop - 1 if open_break and i + 1 < len(units) and units[i + 1].start == break_before \
                else None
            if at_break and break_before is not None:
                self.new_page()
                if repeat_header and break_before >= units[0].stop:  # Word's "repeat as header row"
                    self._rows(units[0], cells, heights, xs, open_top=0 if open_break else None)
                    self._rows(unit, cells, heights, xs)
                    continue
            else:
                self.ensure(sum(heights[r] for r in unit))
            self._rows(unit, cells, heights, xs, open_top=unit.start if at_break and open_break else None,
                       open_bottom=open_bottom)
        self.y -= 12

    def _rows(self, unit: range, cells: list[Placed], heights: list[float], xs: list[float],
              open_top: int | None = None, open_bottom: int | None = None) -> None:
        tops = {}
        for r in unit:
            tops[r] = self.y
            self.y -= heights[r]
        # units are closed under rowspans, so each cell lies on this page
        self._cells([p for p in cells if p.row in tops], tops, heights, xs, open_top, open_bottom)


def render_pdf(rep: SynthReport, *, split_at_row: int | None = None, breaks: Mapping[str, int] | None = None,
               repeat_header: bool = False, open_breaks: bool = False, broken_rows: Mapping[str, int] | None = None,
               numbers_below: bool = False, page_numbers: bool = False, scanned: bool = False, tables_as_images: bool = False,
               user_password: str | None = None, owner_password: str | None = None,
               algorithm: str = "AES-128", layout: Layout = Layout()) -> bytes:
    """The report as a ruled-table PDF. 表二 on page 1; 表三 from page 2, with `split_at_row`
    (a row index within 表三, header rows included) starting its next page, where its header
    rows are drawn again with `repeat_header` (Word's "repeat as header row"); 表四 after it.
    `breaks`: the same for any table, by table name (`split_at_row=n` is
    `breaks={"applications": n}`). `open_breaks`: no rule closes a table at the foot of a page
    nor opens it at the head of the next (pdfplumber issues #160, #1024, #1370: the last row of
    the page is lost by rule-based readers). `broken_rows`: by table name, the row before that
    table's break is itself broken across the pages, its label keeping that many characters on
    the first page (`…不再处理其政府信息公` / `开申请`) and its numbers. `page_numbers`: a
    running footer `- N -` under every page.
    `scanned`: every page replaced by a picture of it (no text layer); `tables_as_images`: the
    text typed, each table a pasted picture (`split_at_row` is then ignored). A `user_password` is
    needed to open the file; an `owner_password` alone only restricts printing and copying
    (anyone can open and read it). `algorithm`: pypdf's name (RC4-40, RC4-128, AES-128, AES-256).
    `layout`: rules or none, the alignment of numbers and header words, zeros printed blank (`Layout`)."""
    from reportlab.pdfgen.canvas import Canvas

    _register_font()
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
    canvas.setTitle(_title(rep))
    pages = _Pages(canvas, page_numbers, layout)
    intro = _intro(rep)
    pages.line(intro[0], 14.0)
    for line in intro[1:]:
        pages.line(line)
    at = dict(breaks or {})
    if split_at_row is not None:
        at["applications"] = split_at_row
    for i, (heading, rows) in enumerate(report_tables(rep)):
        if i == 1:
            pages.new_page()
        pages.line(heading)
        if tables_as_images:
            pages.picture(rows)
        else:
            name = TABLE_NAMES[i]
            pages.table(rows, at.get(name), repeat_header, open_breaks, (broken_rows or {}).get(name), numbers_below)
    for line in _closing(rep):
        pages.line(line)
    pages.end_page()
    canvas.save()
    data = _as_images(buf.getvalue()) if scanned else buf.getvalue()
    if user_password is not None or owner_password is not None:
        data = _encrypt(data, user_password or "", owner_password or user_password or "", algorithm)
    return data


def _encrypt(pdf: bytes, user_password: str, owner_password: str, algorithm: str) -> bytes:
    """Password protection by pypdf, which encrypts every string (reportlab's own encryption
    leaves the CID font's /Ordering in clear, and pdfminer then garbles the text)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm=algorithm)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _rasterise(pdf: bytes, scale: float = 1.5) -> list[Any]:
    """Each page as a greyscale PIL image (pdfium). Without a CJK font on the machine the
    pictures show the rules and digits only; nothing reads them, so that does not matter."""
    import pypdfium2

    src = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=scale, grayscale=True).to_pil() for page in src]
    finally:
        src.close()


def _as_images(pdf: bytes) -> bytes:
    """Each page replaced by a full-page picture of it: a scan, no text layer."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
    for image in _rasterise(pdf):
        canvas.drawImage(ImageReader(image), 0, 0, PAGE_W, PAGE_H)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()
