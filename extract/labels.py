"""Printed row labels → form rows of the registry.

A label maps to a form row only when the row's own words name it: explanations in brackets
(`其他对外管理服务事项（…含…行政处罚、行政强制…）`) are dropped first, and a label that merged a group
heading or the header before it (`（三）不予公开1.属于国家秘密`) is cut at its numbering, the last
part naming the row. Words of another row inside a label never make it that row.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from gongkai import schema
from gongkai.normalize import compact, simplify

# Numbering that starts a row label: 一、 (一) 1. 1、 — a cut point between merged labels.
_NUMBERING = re.compile(r"[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|(?<![\d.])\d{1,2}[.、](?!\d)")
_NUMBERING_PREFIX = re.compile(r"^[0-9一二三四五六七八九十]+")
# A bracketed explanation: anything in brackets that is not a numbering mark.
_NOTE = re.compile(r"\((?![一二三四五六七八九十]{1,3}\))[^()]*\)?")
_HEADER_WORDS = frozenset(compact(w) for w in schema.HEADER_WORDS)


@lru_cache(maxsize=16384)
def segments(label: str) -> tuple[str, ...]:
    """The label cut at its numbering marks, explanations dropped, each part compacted."""
    text = simplify(label)
    cuts = [m.start() for m in _NUMBERING.finditer(text)]
    bounds = [0, *cuts, len(text)]
    parts = (text[a:b] for a, b in pairwise(bounds))
    out = tuple(c for c in (compact(_NOTE.sub("", p)) for p in parts) if c)
    return out


class _Index:
    """One set of form rows, ready for matching: every keyword in one pattern, longest first, so a
    search finds the keyword that comes first in a label part (ties: the longer one)."""

    def __init__(self, rows: tuple[schema.Row, ...]) -> None:
        self.rows = rows  # kept alive: the index is found by the tuple's identity
        self.exact = {k: r for r in rows if r.exact for k in r.keywords}
        self.row_of: dict[str, schema.Row] = {}
        for r in rows:
            for k in () if r.exact else r.keywords:
                self.row_of.setdefault(k, r)
        words = sorted(self.row_of, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, words))) if words else None
        self.label = {r.key: _NUMBERING_PREFIX.sub("", compact(_NOTE.sub("", simplify(r.zh)))) for r in rows}
        self.memo: dict[str, schema.Row | None] = {}

    def in_segment(self, seg: str) -> schema.Row | None:
        if seg in self.memo:
            return self.memo[seg]
        core = _NUMBERING_PREFIX.sub("", seg)
        row = self.exact.get(core)
        if row is None and self.pattern is not None:
            m = self.pattern.search(seg)
            row = self.row_of[m.group(0)] if m and self._names(core, m.group(0), self.row_of[m.group(0)]) else None
        if len(self.memo) < 65536:
            self.memo[seg] = row
        return row

    def _names(self, core: str, word: str, row: schema.Row) -> bool:
        """A label part names a row when it is about as long as the row's label, or starts with the
        row's word (an explanation follows), or ends with it (header words came before): a word of the
        row inside a longer text about something else (依法主动公开的行政处罚结果) does not."""
        label = self.label[row.key]
        return (len(core) <= len(label) + _SLACK or core.startswith(word) or core.startswith(label)
                or core.endswith(word) or core.endswith(label))


_INDEXES: dict[int, _Index] = {}


def _index(rows: tuple[schema.Row, ...]) -> _Index:
    idx = _INDEXES.get(id(rows))
    if idx is None or idx.rows is not rows:
        if len(_INDEXES) > 256:
            _INDEXES.clear()
        idx = _INDEXES[id(rows)] = _Index(rows)
    return idx


def match_row(label: str, rows: tuple[schema.Row, ...]) -> schema.Row | None:
    """The form row a printed label names: the last part of the label that names one."""
    idx = _index(rows)
    for seg in reversed(segments(label)):
        row = idx.in_segment(seg)
        if row is not None:
            return row
    return None


def rows_named(label: str, rows: tuple[schema.Row, ...]) -> list[schema.Row]:
    """Every form row named in a run of labels (labels a converter printed away from their values)."""
    idx = _index(rows)
    out: list[schema.Row] = []
    for seg in segments(label):
        row = idx.in_segment(seg)
        if row is not None and row not in out:
            out.append(row)
    return out


# The headings of 表二's blocks (第二十条第（一）项 …), as compact text, from the registry.
_BLOCK_HEADINGS = frozenset(compact(b.zh) for v in schema.VERSIONS for b in schema.spec("active_disclosure", v).blocks)


def is_block_heading(text: str) -> bool:
    """A block's heading (第二十条第(一)项), which a converter may print as a row of empty cells."""
    return compact(text) in _BLOCK_HEADINGS


@lru_cache(maxsize=16384)
def is_placeholder(leaf: str) -> bool:
    """A label that names no row because the label cell was blank: nothing or a header word."""
    c = compact(leaf)
    return not c or c in _HEADER_WORDS or any(c.endswith(h) for h in _HEADER_WORDS if len(h) >= 4)


def cut_short_of(leaf: str, rows: tuple[schema.Row, ...]) -> list[schema.Row]:
    """Rows whose label this one is a piece of: a label the source cut short (（二）部分公), or a
    line of a label wrapped over several (行政机关不再处理其政府信息公, in two rows' labels)."""
    core = _NUMBERING_PREFIX.sub("", compact(leaf))
    if len(core) < 2:
        return []
    full = [(r, _NUMBERING_PREFIX.sub("", compact(r.zh))) for r in rows]
    return [r for r, label in full if label.startswith(core) or (len(core) >= _MIN_PIECE and core in label)]


_MIN_PIECE = 5  # shorter pieces from inside a label (其他, 申请) name nothing
_SLACK = 6  # characters a printed label may add to the form's (行政, 的, 数量, a stray wrapped character)


def group_of(leaf: str, groups: tuple[schema.Row, ...]) -> schema.Row | None:
    """A printed group subtotal row (（三）不予公开 with numbers): its label is the group heading."""
    core = _NUMBERING_PREFIX.sub("", compact(leaf))
    return next((g for g in groups if core in g.keywords), None)
