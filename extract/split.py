"""Recover values from digit runs whose cell boundaries were lost (`200 000121`).

Every way of cutting the runs into the row's cells is tried; a cut must not give a multi-digit
cell a leading zero, a sign only starts a cell, and a decimal part stays with its cell. Cuts that
break the row's own identities are dropped. A cell is known where all remaining cuts agree; where
they disagree it stays unknown (the caller leaves it blank and flags it) — never a guess.

The number of cuts grows exponentially with the run's length (45 digits into 7 cells: 7 million),
so the cuts are counted before any is built, the search is depth-first and drops a partial cut as
soon as an identity it already decides fails (or can no longer hold), and it gives up after
`MAX_WORK` steps: the caller then flags every cell of the row, never picks one cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .budget import check

MAX_DIGITS = 120  # a row's digit run longer than this is not a table row we can cut
MAX_WORK = 100_000  # search steps per row (one step = one piece tried)
MAX_KEPT = 5_000  # surviving cuts kept per row

_CHUNK = re.compile(r"^([-+]?)(\d+)(\.\d+)?\s*(万元|元)?$")


@dataclass(frozen=True)
class CellRule:
    """What one cell of the row may hold."""

    signed: bool = False
    decimal: bool = False
    limit: int = 10**12  # a piece this large is not a value (schema.DOMAIN_LIMIT)


@dataclass(frozen=True)
class RowRules:
    cells: tuple[CellRule, ...]
    # Identities inside the row, as cell positions: sum(lhs) == sum(rhs).
    sums: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...] = ()


@dataclass
class Solution:
    agreed: list[str | None]  # the text of each cell all kept cuts agree on, else None
    kept: list[list[str]] = field(default_factory=list)  # the cuts that survived, each a text per cell
    satisfiable: bool = False  # some cut satisfies the row's identities
    count: int = 0  # cuts the digits allow, before any identity
    gave_up: bool = False  # too many cuts to try: nothing is known
    work: int = 0  # search steps spent


@dataclass(frozen=True)
class _Chunk:
    sign: str
    digits: str
    tail: str  # decimal part and unit, kept with the chunk's last piece


def _parse_chunks(chunks: Sequence[str]) -> list[_Chunk] | None:
    out = []
    for c in chunks:
        m = _CHUNK.match(c)
        if not m:
            return None
        sign, digits, frac, unit = m.groups()
        out.append(_Chunk(sign, digits, (frac or "") + (unit or "")))
    return out


def _ways(digits: str, max_pieces: int) -> list[int]:
    """ways[k]: cuts of `digits` into k pieces, none with a leading zero (O(len × k))."""
    n = len(digits)
    # at[p][k]: cuts of digits[p:] into k pieces; suffix[p][k] = Σ_{q ≥ p} at[q][k]
    at = [[0] * (max_pieces + 1) for _ in range(n + 1)]
    suffix = [[0] * (max_pieces + 1) for _ in range(n + 2)]
    at[n][0] = suffix[n][0] = 1
    for p in range(n - 1, -1, -1):
        for k in range(1, max_pieces + 1):
            at[p][k] = at[p + 1][k - 1] if digits[p] == "0" else suffix[p + 1][k - 1]
        for k in range(max_pieces + 1):
            suffix[p][k] = at[p][k] + suffix[p + 1][k]
    return at[0]


def count_cuts(chunks: Sequence[str], cells: int) -> int:
    """How many cuts of the chunks into exactly `cells` texts exist, without building one."""
    parsed = _parse_chunks(chunks)
    if parsed is None or not parsed:
        return 0
    total = [1] + [0] * cells  # cuts of the chunks so far into k cells
    for ch in parsed:
        ways = _ways(ch.digits, cells)
        nxt = [0] * (cells + 1)
        for k, a in enumerate(total):
            if a:
                for j in range(1, cells - k + 1):
                    nxt[k + j] += a * ways[j]
        total = nxt
    return total[cells]


def value_of(text: str) -> Decimal:
    m = _CHUNK.match(text)
    assert m is not None
    sign, digits, frac, _unit = m.groups()
    return Decimal(f"{sign}{digits}{frac or ''}")


Num = int | Decimal


def _number(sign: str, piece: str, tail: str) -> Num:
    """The value of a piece: an int (fast to add up) unless it carries a decimal part."""
    if "." in tail:
        return value_of(sign + piece + tail)
    return -int(piece) if sign == "-" else int(piece)


class _GiveUp(Exception):
    pass


class _Search:
    """Depth-first cuts of the chunks into the row's cells, pruned by the row's rules.

    When the row's last cell is the total of earlier cells (T3-C), it is cut first: its value is
    then known, a partial cut whose parts already exceed it is dropped at once, and so is one
    whose remaining digits can no longer make up the rest of it."""

    def __init__(self, chunks: list[_Chunk], rules: RowRules, use_sums: bool, limit: int) -> None:
        self.rules = rules
        self.n = len(rules.cells)
        self.limit = limit
        sums = rules.sums if use_sums else ()
        last = self.n - 1
        self.total_rhs: frozenset[int] = frozenset()
        for lhs, rhs in sums:
            if lhs == (last,) and rhs and max(rhs) < last and not any(rules.cells[i].signed for i in rhs):
                self.total_rhs = frozenset(rhs)
                break
        # identities decided when cell i is placed (its highest position)
        self.closing: dict[int, list[tuple[tuple[int, ...], tuple[int, ...]]]] = {}
        for lhs, rhs in sums:
            if self.total_rhs and lhs == (last,) and frozenset(rhs) == self.total_rhs:
                continue  # checked against the known total instead
            self.closing.setdefault(max((*lhs, *rhs)), []).append((lhs, rhs))
        self.last_part = max(self.total_rhs) if self.total_rhs else -1
        # cells after i that are all parts of the total: how many (else -1)
        self.parts_after = [
            (last - 1 - i) if all(k in self.total_rhs for k in range(i + 1, last)) else -1 for i in range(last)
        ]
        self.chunks = chunks
        self.work = 0
        self.found: list[list[str]] = []
        self.texts: list[str] = []
        self.values: list[Num] = []
        self.target: Num = 0
        self.width = 0
        self.partial: Num = 0

    def run(self) -> None:
        if not self.total_rhs:
            self.target_known = False
            self._start(self.chunks, self.n)
            return
        self.target_known = True
        last = self.chunks[-1]
        n_digits = len(last.digits)
        rule = self.rules.cells[-1]
        for size in range(1, n_digits + 1):
            self._step()
            piece = last.digits[n_digits - size:]
            if size > 1 and piece[0] == "0":
                continue
            whole = size == n_digits
            sign = last.sign if whole else ""
            value = _number(sign, piece, last.tail)
            if (value if value >= 0 else -value) >= rule.limit:
                break
            if (value < 0 and not rule.signed) or (isinstance(value, Decimal) and not rule.decimal
                                                   and value != value.to_integral_value()):
                continue
            rest = self.chunks[:-1] if whole else [*self.chunks[:-1], _Chunk(last.sign, last.digits[:-size], "")]
            if not rest:
                continue
            self.target, self.width = value, len(piece)
            before = len(self.found)
            self._start(rest, self.n - 1)
            text = sign + piece + last.tail
            for cut in self.found[before:]:
                cut.append(text)

    def _start(self, chunks: list[_Chunk], cells: int) -> None:
        self.cur_chunks = chunks
        self.cells = cells
        self.digits_after = [sum(len(c.digits) for c in chunks[j + 1:]) for j in range(len(chunks))]
        self.partial = 0
        self._chunk(0, 0, 0)

    def _step(self) -> None:
        if self.work >= self.limit:
            raise _GiveUp
        self.work += 1
        if not self.work & 0xFFF:
            check()

    def _chunk(self, j: int, p: int, i: int) -> None:
        """Place cell i starting at digit p of chunk j."""
        chunks = self.cur_chunks
        ch = chunks[j]
        n_digits = len(ch.digits)
        cells_left = self.cells - i - 1
        chunks_after = len(chunks) - j - 1
        for end in range(p + 1, n_digits + 1):
            self._step()
            piece = ch.digits[p:end]
            if end - p > 1 and piece[0] == "0":
                break  # every longer piece keeps the leading zero
            closes = end == n_digits
            digits_left = (n_digits - end) + self.digits_after[j]
            if cells_left < chunks_after + (0 if closes else 1) or cells_left > digits_left:
                continue
            fit = self._place(i, ch.sign if p == 0 else "", piece, ch.tail if closes else "", digits_left)
            if fit is None:
                break  # the parts already exceed the total: a longer piece only adds to them
            if not fit:
                continue
            if cells_left == 0:
                self.found.append([*self.texts])
                if len(self.found) > MAX_KEPT:
                    raise _GiveUp
            elif closes:
                self._chunk(j + 1, 0, i + 1)
            else:
                self._chunk(j, end, i + 1)
            self._pop(i)

    def _place(self, i: int, sign: str, piece: str, tail: str, digits_left: int) -> bool | None:
        """Place a piece as cell i if the rules allow it so far (the caller pops it). None: no
        longer piece from the same start can fit either."""
        rule = self.rules.cells[i]
        v = _number(sign, piece, tail)
        if (v if v >= 0 else -v) >= rule.limit:
            return None  # a longer piece is larger still
        if v < 0 and not rule.signed:
            return False
        if isinstance(v, Decimal) and not rule.decimal and v != v.to_integral_value():
            return False
        part = self.target_known and i in self.total_rhs
        if part:
            if self.partial + v > self.target:
                return None
            rest = self.target - self.partial - v
            if i == self.last_part and rest != 0:
                return False
            r = self.parts_after[i] if i < len(self.parts_after) else -1
            if r > 0:
                # each later part is at most the total, so it has at most as many digits
                if digits_left > r * self.width:
                    return False
                if r * min(self.target, 10 ** (digits_left - r + 1) - 1) < rest:
                    return False
        self.texts.append(sign + piece + tail)
        self.values.append(v)
        if part:
            self.partial += v
        vals = self.values
        for lhs, rhs in self.closing.get(i, ()):
            if sum(vals[k] for k in lhs) != sum(vals[k] for k in rhs):
                self._pop(i)
                return False
        return True

    def _pop(self, i: int) -> None:
        self.texts.pop()
        v = self.values.pop()
        if self.target_known and i in self.total_rhs:
            self.partial -= v


def _search(chunks: list[_Chunk], rules: RowRules, use_sums: bool, limit: int) -> tuple[list[list[str]] | None, int]:
    s = _Search(chunks, rules, use_sums, limit)
    try:
        s.run()
    except _GiveUp:
        return None, s.work
    return s.found, s.work


def solve(chunks: Sequence[str], rules: RowRules, limit: int = MAX_WORK) -> Solution:
    """Cut the chunks into the row's cells in at most `limit` search steps; see the module docstring."""
    cells = len(rules.cells)
    unknown: list[str | None] = [None] * cells
    parsed = _parse_chunks(chunks)
    if parsed is None or not parsed:
        return Solution(unknown)
    if sum(len(c.digits) for c in parsed) > MAX_DIGITS:
        return Solution(unknown, gave_up=True)
    count = count_cuts(chunks, cells)
    if count == 0:
        return Solution(unknown)
    if count > limit and not rules.sums:
        return Solution(unknown, count=count, gave_up=True)  # nothing would prune them
    kept, work = _search(parsed, rules, True, limit)
    if kept is None:
        return Solution(unknown, count=count, gave_up=True, work=work)
    satisfiable = bool(kept)
    if not kept:
        # the row breaks its identity whatever the cut: report what all cuts agree on
        if count > limit - work:
            return Solution(unknown, count=count, gave_up=True, work=work)
        kept, more = _search(parsed, rules, False, limit - work)
        work += more
        if not kept:
            return Solution(unknown, count=count, gave_up=kept is None, work=work)
    agreed: list[str | None] = []
    for i in range(cells):
        texts = {s[i] for s in kept}
        agreed.append(kept[0][i] if len(texts) == 1 else None)
    return Solution(agreed, kept, satisfiable, count, work=work)


@dataclass(frozen=True)
class Sum:
    """An identity over several rows' open cuts: const + Σ sign × cell == 0, cells as (row, cell, sign)."""

    const: Decimal
    terms: tuple[tuple[int, int, int], ...]


MAX_COMBINE_WORK = 200_000


def combine(options: list[list[list[Decimal]]], sums: Sequence[Sum],
            limit: int = MAX_COMBINE_WORK) -> list[tuple[int, ...]] | None:
    """The combinations of one cut per row (as indices into `options`) under which every sum holds.

    Depth-first over the rows; a sum is tested as soon as its last row is chosen. None when the
    search would take more than `limit` steps: then nothing is settled."""
    last_row = [max(r for r, _, _ in s.terms) for s in sums]
    due: list[list[Sum]] = [[s for s, lr in zip(sums, last_row, strict=True) if lr == r] for r in range(len(options))]
    chosen: list[int] = []
    found: list[tuple[int, ...]] = []
    work = 0

    def holds(s: Sum) -> bool:
        return s.const + sum(sign * options[r][chosen[r]][j] for r, j, sign in s.terms) == 0

    def walk(r: int) -> bool:
        nonlocal work
        if r == len(options):
            found.append(tuple(chosen))
            return len(found) <= MAX_KEPT
        for k in range(len(options[r])):
            if work >= limit:
                return False
            work += 1
            chosen.append(k)
            if all(holds(s) for s in due[r]) and not walk(r + 1):
                return False
            chosen.pop()
        return True

    return found if walk(0) else None


def candidates(kept: list[list[str]], i: int, limit: int = 20) -> list[str]:
    """The texts cell i takes over the kept cuts, shortest first, in a fixed order."""
    return sorted({s[i] for s in kept}, key=lambda t: (len(t), t))[:limit]
