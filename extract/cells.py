"""One printed cell text → (value, state, flags). The printed text is always kept beside it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from gongkai.model import CellState
from gongkai.normalize import nfkc

NA_MARKERS = frozenset({"/", "-", "—", "–", "——", "--", "无", "不适用", "N/A", "n/a", "NA", "\\", "／", "－", "×"})
_NUM = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")
# A number followed by a unit and/or an annotation: 251000元, 22（其中修订16件）, 55(含自然失效29件)
_LEADING_NUM = re.compile(r"^([+-]?\d[\d,]*(?:\.\d+)?)\s*(万元|元|件|条|个|项|次)?\s*(.*)$")
_SEVERAL = re.compile(r"\d\s+[-+]?\d")
_BLANK = re.compile(r"^[\s\u3000\u00a0\u200b\ufeff]*$")


@dataclass(frozen=True, slots=True)
class Parsed:
    value: Decimal | None
    state: CellState
    unit: str | None = None
    flags: tuple[str, ...] = ()


def is_blank(text: str) -> bool:
    return bool(_BLANK.match(text))


@lru_cache(maxsize=65536)
def parse_cell(raw: str) -> Parsed:
    """Read a value cell. Blank stays blank; NA markers are `na`; never guesses a zero.

    Cached: most printed cells are a handful of short strings ("0", "1", "")."""
    if is_blank(raw):
        return Parsed(None, CellState.BLANK)
    t = nfkc(raw).strip()
    if _SEVERAL.search(t):
        return Parsed(None, CellState.TEXT, flags=("several_numbers",))  # "6 0 11": never glue them into one
    t = t.replace("\u00a0", "").replace(" ", "")
    if t in NA_MARKERS or set(t) <= {"-", "—", "/", "–"}:
        return Parsed(None, CellState.NA, flags=("na_marker",))
    m = _NUM.match(t)
    flags: list[str] = []
    unit = None
    if not m:
        lm = _LEADING_NUM.match(t)
        if not lm:
            return Parsed(None, CellState.TEXT, flags=("not_a_number",))
        num, unit, rest = lm.groups()
        if unit:
            flags.append("unit_in_cell")
        if rest:
            if rest[0] not in "(（[【":
                return Parsed(None, CellState.TEXT, flags=("not_a_number",))
            flags.append("annotated")
        m = _NUM.match(num)
        if not m:
            return Parsed(None, CellState.TEXT, flags=("not_a_number",))
    sign, whole, frac = m.groups()
    if "," in whole:
        flags.append("thousands_separator")
    try:
        value = Decimal(f"{sign}{whole.replace(',', '')}" + (f".{frac}" if frac else ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        return Parsed(None, CellState.TEXT, flags=("not_a_number",))
    if sign == "+":
        flags.append("explicit_sign")
    return Parsed(value, CellState.ZERO if value == 0 else CellState.NUMBER, unit, tuple(flags))
