"""Recover values from digit runs whose cell boundaries were lost (`200 000121`).

Every way of cutting the runs into the row's cells is tried; a cut must not give a multi-digit
cell a leading zero, a sign only starts a cell, and a decimal part stays with its cell. Cuts that
break the row's own identity are dropped. A cell is known where all remaining cuts agree; where
they disagree it stays unknown (the caller leaves it blank and flags it) — never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from itertools import combinations, pairwise

MAX_SPLITS = 200_000

_CHUNK = re.compile(r"^([-+]?)(\d+)(\.\d+)?\s*(万元|元)?$")


def _chunk_splits(chunk: str, parts: int) -> Iterator[list[str]]:
    m = _CHUNK.match(chunk)
    if not m:
        return
    sign, digits, frac, unit = m.groups()
    frac = frac or ""
    unit = unit or ""
    n = len(digits)
    if parts > n:
        return
    for cuts in combinations(range(1, n), parts - 1):
        bounds = (0, *cuts, n)
        pieces = [digits[a:b] for a, b in pairwise(bounds)]
        if any(len(p) > 1 and p[0] == "0" for p in pieces):
            continue
        pieces[0] = sign + pieces[0]
        pieces[-1] = pieces[-1] + frac + unit
        yield pieces


def _compositions(total: int, k: int, caps: Sequence[int]) -> Iterator[tuple[int, ...]]:
    if k == 1:
        if 1 <= total <= caps[0]:
            yield (total,)
        return
    for first in range(1, min(caps[0], total - (k - 1)) + 1):
        for rest in _compositions(total - first, k - 1, caps[1:]):
            yield (first, *rest)


def candidate_splits(chunks: Sequence[str], cells: int) -> Iterator[list[str]]:
    """Every cut of the space-separated chunks into exactly `cells` texts."""
    caps = [len(re.sub(r"\D", "", c.split(".")[0])) or 1 for c in chunks]
    count = 0
    for sizes in _compositions(cells, len(chunks), caps):
        for combo in _product([list(_chunk_splits(c, s)) for c, s in zip(chunks, sizes, strict=True)]):
            count += 1
            if count > MAX_SPLITS:
                return
            yield combo


def _product(options: list[list[list[str]]]) -> Iterator[list[str]]:
    if not options:
        yield []
        return
    for head in options[0]:
        for tail in _product(options[1:]):
            yield head + tail


def value_of(text: str) -> Decimal:
    m = _CHUNK.match(text)
    assert m is not None
    sign, digits, frac, _unit = m.groups()
    return Decimal(f"{sign}{digits}{frac or ''}")


def solve(
    chunks: Sequence[str],
    cells: int,
    valid: Callable[[list[Decimal]], bool] | None = None,
) -> tuple[list[str | None], list[list[str]], bool]:
    """Return (agreed text per cell or None, surviving splits, identity_satisfiable)."""
    every = list(candidate_splits(chunks, cells))
    kept = [s for s in every if valid is None or valid([value_of(x) for x in s])]
    satisfiable = bool(kept)
    if not kept:
        kept = every  # the row breaks its identity whatever the cut: report what all cuts agree on
    if not kept:
        return [None] * cells, [], False
    agreed: list[str | None] = []
    for i in range(cells):
        texts = {s[i] for s in kept}
        agreed.append(kept[0][i] if len(texts) == 1 else None)
    return agreed, kept, satisfiable
