"""Mutations of run-together text (textflat_*: a page's text with every table row printed as its label
and its values glued into one digit run, `一、本年新收政府信息公开申请数量21710000218`) for the fuzz
harness (test_fuzz_flat.py).

Each row's run is found from the truth: the row's values, in the form's column order, written out and
looked for in the text after the previous row's run. A mutation changes digits of one run: one
deleted, one inserted, two swapped, the run cut short, or a space put inside it. What the print says
afterwards is judged by the run's original cell boundaries: a cell whose digits changed must read its
new digits or be flagged; a cell whose digits were all removed must be flagged; the others must read
their truth or be flagged.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from gongkai import schema
from gongkai.model import ExtractResult
from tests.extract import fuzz_docs, mutate
from tests.extract.mutate import GONE, Key, Mutated


@dataclass(frozen=True)
class FlatRun:
    at: tuple[int, ...]  # where each character of the run is in the text (spaces may lie between)
    parts: tuple[tuple[Key, str], ...]  # each printed cell: its key and digits, in order

    @property
    def text(self) -> str:
        return "".join(p for _k, p in self.parts)

    def cell_at(self, i: int) -> int:
        """The index of the part holding character i of the run."""
        at = 0
        for j, (_k, p) in enumerate(self.parts):
            at += len(p)
            if i < at:
                return j
        return len(self.parts) - 1


@functools.cache
def text_of(name: str) -> str:
    return fuzz_docs.data(name).decode("utf-8")


@functools.cache
def runs(name: str) -> list[FlatRun]:
    """The runs of the rows whose truth prints at least one value, in the order of the text."""
    text, truth = text_of(name), fuzz_docs.truth(name)
    versions = fuzz_docs.base(name).format_version
    out: list[FlatRun] = []
    at = 0
    for table in schema.TABLES:
        if table not in versions:
            continue
        rows: dict[tuple[str, str], list[tuple[Key, str]]] = {}
        for block, row, col in schema.spec(table, versions[table]).printed_cells():
            key = (table, block, row, col)
            if truth.get(key) is not None:
                rows.setdefault((block, row), []).append((key, str(truth[key])))
        for parts in rows.values():
            digits = "".join(p for _k, p in parts)
            # a run stands after a label (not after a digit), may hold spaces, and ends where the digits do,
            # or where the next row's item number (`3.`) is glued on
            spaced = "[ \t]*".join(f"({re.escape(ch)})" for ch in digits)
            found = re.compile(rf"(?<![\d.]){spaced}(?=\D|$|\d{{1,2}}[.．、]\D)").search(text, at)
            if found is None:
                continue
            out.append(FlatRun(tuple(found.start(g + 1) for g in range(len(digits))), tuple(parts)))
            at = found.end()
    return out


def _value(digits: str) -> object:
    """What a cell printing `digits` reads: a number (`9116.` is 9116), or GONE when nothing (or no
    number) is left."""
    return Decimal(digits.rstrip(".")) if re.fullmatch(r"[-+]?\d+(?:\.\d*)?", digits) else GONE


@dataclass
class FlatMutated(Mutated):
    row: tuple[Key, ...] = ()  # the keys of the mutated run's cells
    printed: str = ""  # the run as the mutated text prints it (spaces kept)

    @property
    def new_run(self) -> str:
        return "".join(self.printed.split())


def _mutated(name: str, run: FlatRun, edits: list[tuple[int, int, str]], what: str,
             expect: dict[Key, object]) -> FlatMutated:
    """The text with `edits` (start, end, new text) applied to the run's span."""
    text = text_of(name)
    start, end = run.at[0], run.at[-1] + 1
    span = text[start:end]
    for lo, hi, new in sorted(edits, reverse=True):
        span = span[: lo - start] + new + span[hi - start:]
    return FlatMutated((text[:start] + span + text[end:]).encode("utf-8"), f"{what} in {run.text!r}", expect,
                       row=tuple(k for k, _p in run.parts), printed=span)


def silent_errors(result: ExtractResult, truth: dict[Key, Decimal | None], m: FlatMutated) -> list[str]:
    """mutate.silent_errors, where a run's own cut counts as what the print says when it is the one
    that fits (see `_own_reading`)."""
    return mutate.silent_errors(result, truth, {**m.expect, **_own_reading(result, truth, m)})


def _holds(idents: list[schema.Identity], values: dict[tuple[str, str, str], Decimal]) -> bool:
    return all(i.holds(values) is not False for i in idents) and any(i.holds(values) for i in idents)


def _own_reading(result: ExtractResult, truth: dict[Key, Decimal | None], m: FlatMutated) -> dict[Key, object]:
    """The extractor's cut of the mutated run, when the print's spaces and signs give it (as many pieces as
    cells), or when every identity touching the row holds under it and none of the readings by the old
    cell boundaries does: digits run together have no boundaries of
    their own, so the cut that adds up is the print's (`13|2` with two digits swapped reads `3|12`
    when the total says so). When an old reading fits too, two readings fit and nothing is accepted
    without a flag."""
    cells = {c.key: c for c in result.cells if not c.derived}
    row = [cells.get(k) for k in m.row]
    if not row or any(c is None or c.value is None for c in row):
        return {}
    raws = ["".join(c.raw.split()) for c in row if c is not None]
    if "".join(raws) != m.new_run:
        return {}
    if re.findall(r"[-+]?[^\s+-]+", m.printed) == raws:
        return {c.key: c.value for c in row if c is not None}  # the print's own boundaries give every cell
    table = m.row[0][0]
    version = result.format_version.get(table)
    short = {k[1:] for k in m.row}
    idents = [i for i in schema.identities(table, version) if short & set(i.cells)] if version else []
    if not idents:
        return {}
    values = {(c.block, c.row_key, c.col_key): c.value for c in result.cells if c.table == table and c.value is not None}
    if not _holds(idents, values):
        return {}
    options: list[list[Decimal | None]] = []
    for k in m.row:
        want = m.expect.get(k, truth.get(k))
        options.append([w for w in (want if isinstance(want, tuple) else (want,)) if isinstance(w, Decimal)] or [None])
    for old in itertools.product(*options):
        trial = {**values, **{k[1:]: v for k, v in zip(m.row, old, strict=True) if v is not None}}
        for k, v in zip(m.row, old, strict=True):
            if v is None:
                trial.pop(k[1:], None)
        if None not in old and _holds(idents, trial):
            return {}
    return {c.key: c.value for c in row if c is not None}


def _split(run: FlatRun) -> list[list[str]]:
    return [list(p) for _k, p in run.parts]


def delete_digit(name: str, index: int, at: int) -> FlatMutated:
    run = runs(name)[index % len(runs(name))]
    i = at % len(run.text)
    parts = _split(run)
    j = run.cell_at(i)
    parts[j].pop(i - sum(len(p) for p in parts[:j]))
    key = run.parts[j][0]
    return _mutated(name, run, [(run.at[i], run.at[i] + 1, "")], f"digit {i} deleted", {key: _value("".join(parts[j]))})


def insert_digit(name: str, index: int, at: int, digit: int) -> FlatMutated:
    """A digit put at position i; at a boundary between two cells either may have taken it."""
    run = runs(name)[index % len(runs(name))]
    i = at % (len(run.text) + 1)
    d = str(digit % 10)
    expect: dict[Key, object] = {}
    edge = 0
    for key, p in run.parts:
        lo, hi = edge, edge + len(p)
        if lo < i < hi:
            expect[key] = _value(p[: i - lo] + d + p[i - lo:])
        elif i == lo:
            expect[key] = (Decimal(p), _value(d + p))
        elif i == hi:
            expect[key] = (Decimal(p), _value(p + d))
        edge = hi
    where = run.at[i] if i < len(run.at) else run.at[-1] + 1
    return _mutated(name, run, [(where, where, d)], f"digit {d} inserted at {i}", expect)


def swap_digits(name: str, index: int, at: int, step: int) -> FlatMutated | None:
    """Two different digits of the run swapped (`at` and a later one)."""
    run = runs(name)[index % len(runs(name))]
    s = run.text
    i = at % len(s)
    js = [j for j in range(i + 1, len(s)) if s[j] != s[i] and s[j].isdigit() and s[i].isdigit()]
    if not js:
        return None
    j = js[step % len(js)]
    new = s[:i] + s[j] + s[i + 1: j] + s[i] + s[j + 1:]
    expect: dict[Key, object] = {}
    edge = 0
    for key, p in run.parts:
        if any(edge <= k < edge + len(p) for k in (i, j)):
            expect[key] = _value(new[edge: edge + len(p)])
        edge += len(p)
    return _mutated(name, run, [(run.at[i], run.at[i] + 1, s[j]), (run.at[j], run.at[j] + 1, s[i])],
                    f"digits {i} and {j} swapped", expect)


def cut_run(name: str, index: int, at: int) -> FlatMutated | None:
    """The run cut short after its first k digits (the rest of its values lost)."""
    run = runs(name)[index % len(runs(name))]
    if len(run.text) < 2:
        return None
    k = 1 + at % (len(run.text) - 1)
    expect: dict[Key, object] = {}
    edge = 0
    for key, p in run.parts:
        if edge + len(p) > k:
            expect[key] = _value(p[: max(k - edge, 0)])
        edge += len(p)
    return _mutated(name, run, [(run.at[k], run.at[-1] + 1, "")], f"cut after digit {k}", expect)


def break_run(name: str, index: int, at: int) -> FlatMutated | None:
    """A space put inside the run: between two cells it says where one ends; inside a cell it splits it."""
    run = runs(name)[index % len(runs(name))]
    if len(run.text) < 2:
        return None
    k = 1 + at % (len(run.text) - 1)
    expect: dict[Key, object] = {}
    edge = 0
    for key, p in run.parts:
        if edge < k < edge + len(p):
            expect[key] = GONE
        edge += len(p)
    return _mutated(name, run, [(run.at[k], run.at[k], " ")], f"space after digit {k}", expect)
