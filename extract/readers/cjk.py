"""Joining text fragments the way a CJK reader expects: no spaces between Chinese characters.

PDF text layers and Word cells break a printed cell over lines (a narrow column, a label set one
character per line) and justify CJK lines by widening gaps, which text extraction turns into
spaces. Neither break nor gap is part of the printed text, so both are dropped between CJK
characters. Between two Latin words a line break becomes one space; between two digits it is
dropped (a number wrapped in a narrow column).
"""

from __future__ import annotations

import re

# CJK ideographs, CJK symbols/punctuation, full-width forms, kana (rare but harmless).
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
# Punctuation that hugs its neighbour in Chinese typesetting (quotes, brackets, dashes).
_HUG = "“”‘’《》〈〉【】（）、，。；：？！…—·"
_TIGHT = f"[{_CJK}{_HUG}]"
_SPACE_BETWEEN_TIGHT = re.compile(rf"(?<={_TIGHT})[ \t\u00a0\u3000]+(?={_TIGHT})")
_SPACE_BEFORE_TIGHT = re.compile(rf"(?<=[0-9A-Za-z.])[ \t\u00a0]+(?=[{_HUG}])")
_SPACE_AFTER_TIGHT = re.compile(rf"(?<=[{_HUG}])[ \t\u00a0]+(?=[0-9A-Za-z])")
_TIGHT_CHAR = re.compile(_TIGHT)


def is_tight(ch: str) -> bool:
    """True for a character that takes no space next to a CJK neighbour."""
    return bool(ch) and _TIGHT_CHAR.fullmatch(ch) is not None


def squeeze(text: str) -> str:
    """Drop the spaces a layout put between CJK characters; keep spaces between Latin words.

    `第二十条 第（一）项` → `第二十条第（一）项`; `2024 年` stays (digit next to CJK is a real
    typographic gap in these documents and harmless to keep).
    """
    text = _SPACE_BETWEEN_TIGHT.sub("", text)
    text = _SPACE_BEFORE_TIGHT.sub("", text)
    return _SPACE_AFTER_TIGHT.sub("", text)


def join_lines(lines: list[str]) -> str:
    """Join the lines of one cell: nothing between CJK or digits, one space between Latin words."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        a, b = out[-1], line[0]
        if is_tight(a) or is_tight(b) or (a.isdigit() and b.isdigit()) or a in "-./" or b in "-./%":
            out += line
        else:
            out += " " + line
    return squeeze(out)


def cell_text(text: str) -> str:
    """Normalise a cell's raw text (with newlines) to the printed cell text."""
    return join_lines(text.replace("\r", "\n").split("\n"))
