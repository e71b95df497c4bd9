"""A page's characters as baseline lines cut into segments: what a table drawn without rules is made of.

Rows of a borderless table are read from baselines: characters whose box bottoms agree within a
fraction of their size are one line, so a number centred beside a two-line label is a line of its
own, between the label's two lines, and a line never swallows one from the row below (visual
lines in `pdf_text` join whatever overlaps vertically). A baseline line is cut into segments
where two characters are more than half an em apart: cells are separated by their padding, while
the characters of one cell are set close (justification widens CJK gaps by a fraction of an em).
A segment is a value when it prints a number (`13`, `251000元`, `2.5%`) or a dash for none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from .cjk import squeeze
from .pdf_text import band_of, is_furniture, line_text

SEG_GAP = 0.5  # ems: a wider gap between two characters separates two cells
_BASE_TOL = 0.3  # ems: box bottoms closer than this are one baseline (a Latin font's descent differs)

_VALUE = re.compile(
    r"^[+\-－]?\d[\d,，]*(?:[.．]\d+)?\s*(?:%|％|元|万元|件|个|条|项)?$"
    r"|^[—–\-－/／]+$"
)


def is_value(text: str) -> bool:
    """A number (or a dash printed for none) as a table cell prints it; row numbers (`1.`) are not."""
    return bool(_VALUE.match(text))


@dataclass(slots=True)
class Seg:
    """A run of characters on one baseline with no cell gap inside."""

    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str
    value: bool

    @property
    def mid(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(slots=True)
class BLine:
    """One baseline of a page: its segments left to right."""

    page: int  # 1-based
    top: float
    bottom: float
    size: float  # the largest character size on it
    segs: list[Seg] = field(default_factory=list)
    band: str = ""  # "top"/"bottom" in the bands where running heads and feet go

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segs)

    def first_value(self) -> Seg | None:
        return next((s for s in self.segs if s.value), None)


def _segment(chars: list[dict[str, Any]]) -> Seg:
    text = squeeze(line_text(chars).strip())
    size = max(float(c.get("size") or 0) for c in chars) or 1.0
    return Seg(min(c["x0"] for c in chars), max(c["x1"] for c in chars), min(c["top"] for c in chars),
               max(c["bottom"] for c in chars), size, text, is_value(text))


def baseline_lines(chars: Sequence[dict[str, Any]], page: int, page_height: float) -> list[BLine]:
    """The page's baseline lines, top to bottom, page numbers left out."""
    out: list[BLine] = []
    group: list[dict[str, Any]] = []
    for ch in sorted((c for c in chars if not c["text"].isspace()), key=lambda c: c["bottom"]):
        if group and ch["bottom"] - group[0]["bottom"] > _BASE_TOL * max(float(ch.get("size") or 0), 1.0):
            out.extend(_line(group, page, page_height))
            group = []
        group.append(ch)
    if group:
        out.extend(_line(group, page, page_height))
    out.sort(key=lambda ln: ln.top)
    return out


def _line(chars: list[dict[str, Any]], page: int, page_height: float) -> list[BLine]:
    chars.sort(key=lambda c: c["x0"])
    runs: list[list[dict[str, Any]]] = [[chars[0]]]
    for prev, ch in pairwise(chars):
        size = max(float(prev.get("size") or 0), float(ch.get("size") or 0), 1.0)
        if ch["x0"] - prev["x1"] > SEG_GAP * size:
            runs.append([])
        runs[-1].append(ch)
    segs = [_segment(run) for run in runs]
    top, bottom = min(s.top for s in segs), max(s.bottom for s in segs)
    line = BLine(page, top, bottom, max(s.size for s in segs), segs, band_of(top, bottom, page_height))
    if is_furniture(line.text, top, bottom, page_height):
        return []
    return [line]
