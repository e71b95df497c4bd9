"""A document that ends inside a table (a truncated download, a page cut off while saved): the
last value read may have lost digits (`18651.06` saved as `186`), and nothing else would say so.

When the document's text ends right after the last value cell read, that cell (all cells of its
digit run) is flagged `at_document_end` and an error names it. A complete report never ends on a
table value: its tables are followed by 五、存在的主要问题 … and a signature.
"""

from __future__ import annotations

import re

from gongkai.model import Cell, Issue

_INTS = re.compile(r"\d+")
_STREAM = re.compile(r"^t(\d+)l\d+i(\d+)")


def _order(ref: str) -> tuple[int, ...]:
    """Reading order of a cell reference: t<table>r<row>c<col>, or t<table>l<line>i<item> where the
    item counts the stream's cells (the line of a last, unterminated cell is not reliable)."""
    m = _STREAM.match(ref)
    if m:
        return (int(m.group(1)), int(m.group(2)), *(int(x) for x in _INTS.findall(ref[m.end():])))
    return tuple(int(x) for x in _INTS.findall(ref))


def flag_last_value(text: str, cells: list[Cell]) -> Issue | None:
    tail = text.rstrip()
    if not tail or not tail[-1].isdigit():
        return None
    printed = [c for c in cells if not c.derived and c.raw.strip() and c.ref]
    if not printed:
        return None
    last = max(printed, key=lambda c: _order(c.ref))
    if not tail.endswith(last.raw.split()[-1]):
        return None
    base = last.ref.split("#")[0]
    cut = [c for c in printed if c.ref.split("#")[0] == base]
    for c in cut:
        c.flags.append("at_document_end")
    names = ", ".join(f"{c.row_key}.{c.col_key}" for c in cut)
    return Issue("document_ends_in_table", f"{last.table}/{last.row_key}: the document ends right after {names} "
                 f"(printed {last.raw!r}): the value may be cut off", "error")
