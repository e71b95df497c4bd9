"""Prose as a second witness (P-1): numbers the report restates in its text, against the tables.

Reports restate their totals in the narrative before the tables (`本年度共收到政府信息公开申请21件`,
`制发规范性文件88件`, `现行有效698件`, `行政复议10件`). The registry lists what each statement
means (`schema.prose_facts`); here they are found in the text before the first table and checked
against the cells. A disagreement is a failed check. The statements also settle a row or column
placement the identities leave open, where exactly one placement agrees with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from gongkai import schema
from gongkai.model import Cell, Check, CheckStatus
from gongkai.normalize import loose, simplify_fast

_KEY = tuple[str, str, str]
_UNIT = r"(?:件|条|宗|份|个|起)"
_SENTENCE_END = re.compile(r"[。！？!?]")
_COUNT = re.compile(rf"\d{_UNIT}")
MAX_PROSE = 30_000  # characters of narrative read (the restatements are in 总体情况, just before)


@dataclass(frozen=True)
class Statement:
    fact: schema.ProseFact
    value: Decimal
    quote: str

    @property
    def cells(self) -> tuple[_KEY, ...]:
        return self.fact.cells


# Where the tables begin: the first word only they print, in any script and spacing.
_TABLES_BEGIN = re.compile("|".join(loose(w) for w in schema.TABLE_ONLY_WORDS))


def narrative(text: str) -> str:
    """The report's text before its tables, simplified, without spaces (PDF lines break words)."""
    m = _TABLES_BEGIN.search(text)
    head = text[: m.start()] if m else text[:MAX_PROSE]
    return "".join(simplify_fast(head[-MAX_PROSE:]).split())


def statements(text: str, versions: dict[str, str]) -> list[Statement]:
    """Every restated number of a fact whose table was found, with the words that state it."""
    # only sentences that count something are read: most of a narrative counts nothing
    sentences = [s for s in _SENTENCE_END.split(narrative(text)) if _COUNT.search(s)]
    found: dict[tuple[str, Decimal], Statement] = {}
    for version in sorted(set(versions.values())):
        for fact, pattern in _compiled(version):
            if versions.get(fact.table) != version:
                continue
            for sentence in sentences:
                if fact.context and fact.context not in sentence:
                    continue
                for m in pattern.finditer(sentence):
                    number = next(g for g in m.groups() if g is not None)
                    st = Statement(fact, Decimal(number), m.group(0))
                    found.setdefault((fact.name, st.value), st)
    return list(found.values())


@cache
def _compiled(version: str) -> tuple[tuple[schema.ProseFact, re.Pattern[str]], ...]:
    out = []
    for f in schema.prose_facts(version):
        alts = [f"(?:{b})(\\d+){_UNIT}" for b in f.before] + [f"(\\d+){_UNIT}(?:{a})" for a in f.after]
        out.append((f, re.compile("|".join(alts))))
    return tuple(out)


def by_table(found: list[Statement]) -> dict[str, list[tuple[tuple[_KEY, ...], Decimal]]]:
    out: dict[str, list[tuple[tuple[_KEY, ...], Decimal]]] = {}
    for s in found:
        out.setdefault(s.fact.table, []).append((s.cells, s.value))
    return out


def _fmt(v: Decimal) -> str:
    return str(int(v)) if v == v.to_integral_value() else str(v.normalize())


def check(found: list[Statement], cells: dict[tuple[str, str, str, str], Cell]) -> list[Check]:
    """P-1: each restated number equals the sum of its cells."""
    out = []
    for s in found:
        t = s.fact.table
        names = [f"{b + '/' if b else ''}{r}.{c}" for b, r, c in s.cells]
        got = [cells.get((t, *k)) for k in s.cells]
        said = f"the text says {s.quote!r}"
        if any(g is None for g in got):
            gone = [n for n, g in zip(names, got, strict=True) if g is None]
            out.append(Check(s.fact.rule, t, CheckStatus.NOT_ASSESSABLE, _fmt(s.value), None, names,
                             f"{s.fact.name}: {said}; not read: {', '.join(gone)}"))
            continue
        vals = [g.value for g in got if g is not None]
        total = sum((v for v in vals if v is not None), Decimal(0))
        shown = " + ".join("blank" if v is None else _fmt(v) for v in vals)
        if any(v is None for v in vals):
            zero = "pass" if total == s.value else "fail"
            out.append(Check(s.fact.rule, t, CheckStatus.UNCERTAIN, _fmt(s.value), _fmt(total), names,
                             f"{s.fact.name}: {said}; table: {shown}; with blanks as 0 it would {zero}", zero))
        elif total == s.value:
            out.append(Check(s.fact.rule, t, CheckStatus.PASS, _fmt(s.value), _fmt(total), names,
                             f"{s.fact.name}: {said}; table: {shown}"))
        else:
            out.append(Check(s.fact.rule, t, CheckStatus.FAIL, _fmt(s.value), _fmt(total), names,
                             f"{s.fact.name}: {said}, the table gives {shown} = {_fmt(total)}"))
    return out


__all__ = ["Statement", "by_table", "check", "narrative", "statements"]
