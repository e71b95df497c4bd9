"""Text of a PDF page: cell texts from characters in a box, page lines, page furniture.

Characters come with positions (dicts: text, x0, x1, top, bottom, size). A cell's text is rebuilt from the characters whose
centre lies inside the cell box, line by line, and the lines are joined the CJK way (no spaces
between Chinese characters; see `cjk.join_lines`). Page numbers such as `— 5 —`, `- 5 -`,
`第 5 页 共 6 页` or `5/6` at the top or bottom of a page are page furniture, not text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .cjk import is_tight, join_lines, squeeze

Box = tuple[float, float, float, float]  # x0, top, x1, bottom

_FURNITURE = re.compile(
    r"^[\s\-—–－―~·•]*(?:\d{1,4}|[ivxlcIVXLC]{1,6})[\s\-—–－―~·•]*$"
    r"|^\s*第\s*\d+\s*页\s*(?:[,，/、]?\s*共\s*\d+\s*页)?\s*$"
    r"|^\s*\d+\s*/\s*\d+\s*$"
)
_DIGITS = re.compile(r"\d+")
_WORDS = re.compile(r"[^\W\d_]")  # a letter or a Chinese character
_COLUMN_GAP = 1.0  # ems: a wider gap separates columns
_WIDE = "\u2003"  # marks a column gap: a plain space in page text, nothing inside a cell
# Share of the page height, at the top and at the bottom, where furniture may sit.
_FURNITURE_BAND = 0.12


@dataclass(slots=True)
class Line:
    page: int  # 1-based
    top: float
    bottom: float
    text: str
    size: float  # largest font size on the line
    band: str = ""  # "top" / "bottom" when the line sits where running heads and feet go


def band_of(top: float, bottom: float, page_height: float) -> str:
    band = page_height * _FURNITURE_BAND
    if bottom <= band:
        return "top"
    if top >= page_height - band:
        return "bottom"
    return ""


def is_furniture(text: str, top: float, bottom: float, page_height: float) -> bool:
    """A page number line in the top or bottom band of the page."""
    return bool(_FURNITURE.match(text)) and band_of(top, bottom, page_height) != ""


def running_key(band: str, text: str) -> tuple[str, str]:
    """What a running head or foot keeps from page to page: its band and its text, digits aside."""
    return band, _DIGITS.sub("#", " ".join(text.split()))


def running_heads(lines: list[Line], pages: int) -> set[tuple[str, str]]:
    """Running heads/feet: the same text (digits aside) in the same band on at least two pages
    and on at least half of them, e.g. `淮安市人民政府文件` or `第 3 页`. A line of numbers alone
    is not one (page numbers are furniture already; a table's row of numbers may top two pages)."""
    seen: dict[tuple[str, str], set[int]] = {}
    for ln in lines:
        if ln.band and _WORDS.search(ln.text):
            seen.setdefault(running_key(ln.band, ln.text), set()).add(ln.page)
    return {key for key, on in seen.items() if len(on) >= 2 and len(on) * 2 >= pages}


def drop_running_heads(lines: list[Line], pages: int) -> list[Line]:
    """Lines without running heads/feet (`running_heads`)."""
    running = running_heads(lines, pages)
    return [ln for ln in lines if not (ln.band and running_key(ln.band, ln.text) in running)]


def _inside(ch: dict[str, Any], box: Box) -> bool:
    cx = (ch["x0"] + ch["x1"]) / 2
    cy = (ch["top"] + ch["bottom"]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def line_text(chars: Sequence[dict[str, Any]]) -> str:
    """Characters of one line, left to right, with a space for each gap.

    A gap of a quarter em between Latin characters is a word space; between CJK characters it
    is justification and dropped (later, by `squeeze`). A gap wider than an em is a column gap
    (an unruled table, a tab) and stays a space even between CJK characters, so that run-together
    numbers like `规章 1 0 11` keep their separators in the page text.
    """
    out: list[str] = []
    prev: dict[str, Any] | None = None
    for ch in sorted(chars, key=lambda c: c["x0"]):
        text = ch["text"]
        if prev is not None:
            gap = ch["x0"] - prev["x1"]
            size = max(float(prev.get("size") or 0), 1.0)
            if gap > _COLUMN_GAP * size:
                out.append(_WIDE)
            elif gap > 0.25 * size and not (is_tight(prev["text"][-1:]) or is_tight(text[:1])):
                out.append(" ")
        out.append(text)
        prev = ch
    return "".join(out)


def group_lines(chars: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Characters grouped into visual lines, top to bottom (a line = overlapping vertical extent):
    each character joins the first line (in order of creation) whose extent holds its centre."""
    lines: list[list[dict[str, Any]]] = []
    bounds: list[tuple[float, float]] = []
    alive: list[int] = []  # lines that may still take characters, in order of creation
    for ch in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        if ch["text"].isspace():
            continue
        # Characters come by top (rounded to 0.1): a line ending above this one's top can take
        # no later character's centre, nor grow; it leaves the search.
        floor = ch["top"] - 0.1
        if alive and bounds[alive[0]][1] < floor:
            alive = [i for i in alive if bounds[i][1] >= floor]
        mid = (ch["top"] + ch["bottom"]) / 2
        for i in alive:
            top, bottom = bounds[i]
            if top <= mid <= bottom:
                lines[i].append(ch)
                bounds[i] = (min(top, ch["top"]), max(bottom, ch["bottom"]))
                break
        else:
            alive.append(len(lines))
            lines.append([ch])
            bounds.append((ch["top"], ch["bottom"]))
    order = sorted(range(len(lines)), key=lambda i: bounds[i][0])
    return [lines[i] for i in order]


_FULL_LINE = 2.2  # ems: a last line leaving less than this of the cell's width empty is full


def text_in_box(chars: Sequence[dict[str, Any]], box: Box) -> str:
    """The printed text of a cell: its characters line by line, joined without CJK spaces."""
    return cell_in_box(chars, box)[0]


def cell_in_box(chars: Sequence[dict[str, Any]], box: Box) -> tuple[str, bool]:
    """A cell's text, and whether its last line fills the cell's width (the text may run on
    past the cell's foot: a row broken across a page)."""
    inside = [c for c in chars if _inside(c, box)]
    lines = group_lines(inside)
    text = join_lines([line_text(line).replace(_WIDE, "") for line in lines])
    if not lines:
        return text, False
    last = lines[-1]
    used = max(c["x1"] for c in last) - min(c["x0"] for c in last)
    size = max(float(c.get("size") or 0) for c in last)
    return text, size > 0 and (box[2] - box[0]) - used < _FULL_LINE * size


class CharIndex:
    """A page's characters sorted by vertical centre, for fast cell lookups (bisect on rows)."""

    def __init__(self, chars: Sequence[dict[str, Any]]) -> None:
        self.chars = sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2)
        self.mids = [(c["top"] + c["bottom"]) / 2 for c in self.chars]

    def text_in_box(self, box: Box) -> str:
        return self.cell(box)[0]

    def cell(self, box: Box) -> tuple[str, bool]:
        """`cell_in_box` over the characters near the box."""
        lo = bisect_left(self.mids, box[1])
        hi = bisect_right(self.mids, box[3])
        return cell_in_box(self.chars[lo:hi], box)

    def any_in(self, x0: float, top: float, x1: float, bottom: float) -> bool:
        """Whether a visible character's centre lies in the box."""
        lo = bisect_left(self.mids, top)
        hi = bisect_right(self.mids, bottom)
        box = (x0, top, x1, bottom)
        return any(_inside(ch, box) and not ch["text"].isspace() for ch in self.chars[lo:hi])


def page_lines(chars: Sequence[dict[str, Any]], page: int, page_height: float) -> list[Line]:
    """The page's visual lines, furniture removed, spaces between CJK characters squeezed out."""
    out: list[Line] = []
    for line in group_lines(chars):
        text = squeeze(line_text(line).strip()).replace(_WIDE, " ")
        top = min(c["top"] for c in line)
        bottom = max(c["bottom"] for c in line)
        if not text or is_furniture(text, top, bottom, page_height):
            continue
        size = max(float(c.get("size") or 0) for c in line)
        out.append(Line(page, top, bottom, text, size, band_of(top, bottom, page_height)))
    return out
