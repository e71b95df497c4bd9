"""Which form row each printed value row is: by its label, else by its place between labelled rows.

Value rows are printed in the form's order even where their labels are not: text converted from
PDF prints a label wrapped over several lines apart from its numbers, and a cell whose label was
lost or cut short keeps only its numbers. A labelled row is an anchor; the unlabelled rows between
two anchors fill the form rows between them that no label claims — only when they are as many as
those rows (or the labels printed nearby leave one way). Otherwise they stay unplaced and are
reported, never pushed onto the next row. A form row is placed at most once: the same row printed
twice with other values is a conflict, reported, never "first kept".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from math import comb

from .cells import is_blank
from .rows import Row

MAX_WAYS = 64  # placements of unlabelled rows tried against the identities
MAX_TRIES = 20_000  # order-keeping assignments looked at


@dataclass
class Line:
    """One printed row of values, and what the labels printed with it or before it say."""

    row: Row
    key: str | None = None  # the form row its labels name
    # For an unlabelled row: the form rows it may be (named by labels printed nearby; empty: any).
    candidates: tuple[str, ...] = ()
    why: str = ""  # how the key was found: "label", "lead" (labels on earlier lines), "cut" …

    def texts(self) -> tuple[str, ...]:
        return tuple(t.text.strip() for t in self.row.values)


@dataclass
class Choice:
    """Unlabelled rows that may fill several sets of form rows: the identities decide, or nothing."""

    lines: list[Line]
    ways: list[tuple[str, ...]]  # each: the form row of every line, in order
    why: str


@dataclass
class Placement:
    lines: dict[str, Line] = field(default_factory=dict)  # form row → the line read there
    by_order: set[str] = field(default_factory=set)  # rows placed by their place between anchors
    conflicts: dict[str, list[Line]] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    unplaced: list[tuple[Line, str]] = field(default_factory=list)  # and why
    choices: list[Choice] = field(default_factory=list)
    # Form rows a reader can see the source meant to print but whose values were not placed, and why.
    unplaced_rows: dict[str, str] = field(default_factory=dict)


def _same_values(a: Line, b: Line) -> bool:
    return [x for x in a.texts() if x] == [x for x in b.texts() if x]


def place(lines: list[Line], order: list[str], seen: set[str]) -> Placement:
    """Anchors by label, then the runs of unlabelled lines between them (see module doc).

    `order` is the form's row order; `seen` the form rows whose labels appear anywhere in the table."""
    out = Placement()
    anchored = {ln.key for ln in lines if ln.key is not None}
    for ln in lines:
        if ln.key is None:
            continue
        if ln.key in out.conflicts:
            out.conflicts[ln.key].append(ln)
        elif ln.key in out.lines:
            first = out.lines[ln.key]
            if _same_values(first, ln):
                out.duplicates.append(ln.key)
            else:
                out.conflicts[ln.key] = [first, ln]
                del out.lines[ln.key]
        else:
            out.lines[ln.key] = ln
    index = {k: i for i, k in enumerate(order)}
    prev = -1
    run: list[Line] = []
    ends: list[Line | None] = [*lines, None]
    for item in ends:
        if item is not None and item.key is None:
            run.append(item)
            continue
        key = item.key if item is not None else None
        nxt = index[key] if key is not None else len(order)
        if run:
            slots = [k for k in order[prev + 1: nxt] if k not in anchored] if nxt > prev else []
            _fill(out, run, slots, seen, order[prev] if prev >= 0 else None, order[nxt] if nxt < len(order) else None)
            run = []
        if key is not None:
            prev = index[key]
    return out


def _ways(run: list[Line], slots: list[str]) -> list[tuple[str, ...]]:
    """Order-keeping assignments of the run's lines to slots that agree with their candidates."""
    out: list[tuple[str, ...]] = []
    for picked in combinations(slots, len(run)):
        if all(not ln.candidates or k in ln.candidates for ln, k in zip(run, picked, strict=True)):
            out.append(picked)
            if len(out) > MAX_WAYS:
                break
    return out


def _fill(out: Placement, run: list[Line], slots: list[str], seen: set[str], after: str | None,
          before: str | None) -> None:
    where = f"between {after or 'the start'} and {before or 'the end'}"
    if len(run) <= len(slots) and comb(len(slots), len(run)) > MAX_TRIES:
        for ln in run:  # bounded work on any input: so many ways would decide nothing anyway
            out.unplaced.append((ln, f"too many ways to place {len(run)} unlabelled value rows {where}"))
        for k in slots:
            out.unplaced_rows.setdefault(k, f"too many ways to place the unlabelled value rows {where}")
        return
    ways = _ways(run, slots) if len(run) <= len(slots) else []
    if len(ways) > 1:
        # labels printed in the table (away from their values) say which rows the source has
        printed = [w for w in ways if all(k in seen for k in w)]
        ways = printed if len(printed) == 1 else ways
    if len(ways) == 1:
        for ln, key in zip(run, ways[0], strict=True):
            out.lines[key] = ln
            out.by_order.add(key)
        return
    if 1 < len(ways) <= MAX_WAYS:
        out.choices.append(Choice(run, ways, f"{len(run)} unlabelled value row(s) for {len(slots)} form rows {where}"))
        return
    why = (f"{len(run)} unlabelled value row(s) for {len(slots)} form rows {where}" if ways == [] else
           f"too many ways to place {len(run)} unlabelled value rows {where}")
    for ln in run:
        out.unplaced.append((ln, why))
    for k in slots:
        out.unplaced_rows.setdefault(k, why)


def is_filler(row: Row, width: int) -> bool:
    """Blank cells between header words, not a row of the form."""
    return all(is_blank(t.text) for t in row.values) and len(row.values) < width


def is_lone_value(row: Row) -> bool:
    """A single number on a line of its own, no label beside it and no blank cells to locate it."""
    return (len(row.values) == 1 and not row.values[0].glued and not is_blank(row.values[0].text)
            and not row.own_text.strip())
