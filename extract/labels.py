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


def _in_segment(seg: str, rows: tuple[schema.Row, ...]) -> schema.Row | None:
    """The row whose keyword comes first in one label part (ties: the longer keyword)."""
    core = _NUMBERING_PREFIX.sub("", seg)
    best: tuple[int, int, schema.Row] | None = None
    for r in rows:
        if r.exact:
            if core in r.keywords:
                return r
            continue
        for k in r.keywords:
            pos = seg.find(k)
            if pos >= 0 and (best is None or (pos, -len(k)) < best[:2]):
                best = (pos, -len(k), r)
    return best[2] if best else None


def match_row(label: str, rows: tuple[schema.Row, ...]) -> schema.Row | None:
    """The form row a printed label names: the last part of the label that names one."""
    for seg in reversed(segments(label)):
        row = _in_segment(seg, rows)
        if row is not None:
            return row
    return None


def rows_named(label: str, rows: tuple[schema.Row, ...]) -> list[schema.Row]:
    """Every form row named in a run of labels (labels a converter printed away from their values)."""
    out: list[schema.Row] = []
    for seg in segments(label):
        row = _in_segment(seg, rows)
        if row is not None and row not in out:
            out.append(row)
    return out


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


def group_of(leaf: str, groups: tuple[schema.Row, ...]) -> schema.Row | None:
    """A printed group subtotal row (（三）不予公开 with numbers): its label is the group heading."""
    core = _NUMBERING_PREFIX.sub("", compact(leaf))
    return next((g for g in groups if core in g.keywords), None)
