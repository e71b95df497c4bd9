"""The cut search of run-together digits: same answers as trying every cut, in bounded work."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from extract.split import (
    MAX_KEPT,
    MAX_WORK,
    CellRule,
    RowRules,
    Sum,
    candidates,
    combine,
    count_cuts,
    solve,
    value_of,
)

T3 = RowRules(tuple(CellRule() for _ in range(7)), (((6,), (0, 1, 2, 3, 4, 5)),))
T4 = RowRules(tuple(CellRule() for _ in range(15)),
              tuple(((g * 5 + 4,), tuple(range(g * 5, g * 5 + 4))) for g in range(3)))


def _every_cut(chunks: list[str], cells: int) -> list[list[str]]:
    """All cuts, by brute force: the reference the search must agree with."""
    out = []
    for sizes in itertools.product(range(1, cells + 1), repeat=len(chunks)):
        if sum(sizes) != cells:
            continue
        per_chunk = []
        for chunk, k in zip(chunks, sizes, strict=True):
            sign = chunk[0] if chunk[0] in "+-" else ""
            body = chunk[len(sign):]
            digits = body.split(".")[0]
            tail = body[len(digits):]
            options = []
            for cuts in itertools.combinations(range(1, len(digits)), k - 1):
                bounds = (0, *cuts, len(digits))
                pieces = [digits[a:b] for a, b in itertools.pairwise(bounds)]
                if any(len(p) > 1 and p[0] == "0" for p in pieces):
                    continue
                pieces[0] = sign + pieces[0]
                pieces[-1] += tail
                options.append(pieces)
            per_chunk.append(options)
        for combo in itertools.product(*per_chunk):
            out.append([p for part in combo for p in part])
    return out


def _holds(rules: RowRules, cut: list[str]) -> bool:
    vals = [value_of(t) for t in cut]
    for v, rule in zip(vals, rules.cells, strict=True):
        if (v < 0 and not rule.signed) or (v != v.to_integral_value() and not rule.decimal):
            return False
    return all(sum(vals[i] for i in lhs) == sum(vals[i] for i in rhs) for lhs, rhs in rules.sums)


digit_runs = st.lists(st.text("0123456789", min_size=1, max_size=6), min_size=1, max_size=3)


@given(digit_runs, st.integers(1, 7))
def test_count_matches_every_cut(chunks: list[str], cells: int) -> None:
    assert count_cuts(chunks, cells) == len(_every_cut(chunks, cells))


@given(st.lists(st.integers(0, 130), min_size=6, max_size=6), st.booleans(), st.integers(0, 2))
def test_pruned_search_keeps_exactly_the_valid_cuts(parts: list[int], consistent: bool, spaces: int) -> None:
    total = sum(parts) + (0 if consistent else 1)
    run = "".join(map(str, parts)) + str(total)
    # keep some of the printed spaces: they are cell boundaries the source kept
    chunks = [run] if spaces == 0 else ["".join(map(str, parts[:3])), "".join(map(str, parts[3:])) + str(total)]
    sol = solve(chunks, T3)
    every = _every_cut(chunks, 7)
    valid = [c for c in every if _holds(T3, c)]
    expected = valid if valid else [c for c in every if _holds(RowRules(T3.cells), c)]
    if sol.gave_up:  # only when more cuts survive than are kept
        assert len(expected) > MAX_KEPT and not sol.kept
        return
    assert sol.satisfiable == bool(valid)
    assert sorted(sol.kept) == sorted(expected)
    for i, text in enumerate(sol.agreed):
        assert (text is not None) == (len({c[i] for c in expected}) == 1)


def test_signs_and_decimals_follow_the_columns() -> None:
    rules = RowRules((CellRule(), CellRule(signed=True), CellRule(decimal=True)))
    sol = solve(["12", "-34", "5.6元"], rules)
    assert sol.agreed == ["12", "-34", "5.6元"]
    sol = solve(["1-2"], rules)  # not a digit run: nothing to cut
    assert sol.kept == [] and sol.agreed == [None, None, None]


def test_45_digits_give_up_within_the_step_budget() -> None:
    """The run that took 43 s and 2 GB: counted first, searched with pruning, given up past the cap."""
    run = ("1234567890" * 5)[:45]
    assert count_cuts([run], 7) > 1_000_000
    sol = solve([run], T3)
    assert sol.gave_up and sol.agreed == [None] * 7
    assert sol.work <= MAX_WORK


def test_a_long_consistent_row_is_still_cut_when_the_total_decides_it() -> None:
    parts = [640, 0, 0, 2, 0, 0]
    sol = solve(["".join(map(str, parts)) + "642"], T3)
    assert sol.agreed == ["640", "0", "0", "2", "0", "0", "642"]


def test_review_row_groups_prune_each_other() -> None:
    run = "10203120001200000"  # the 表四 row of a real run-together report
    sol = solve([run], T4)
    assert not sol.gave_up
    assert all(_holds(T4, c) for c in sol.kept)
    assert sorted(sol.kept) == sorted(c for c in _every_cut([run], 15) if _holds(T4, c))


def test_candidates_come_in_a_fixed_order() -> None:
    kept = [["9"], ["8"], ["98"], ["89"], ["1"]]
    assert candidates(kept, 0) == ["1", "8", "9", "89", "98"]


@given(st.lists(st.lists(st.integers(0, 5), min_size=1, max_size=4), min_size=1, max_size=4),
       st.integers(-6, 6))
def test_combine_matches_the_product(rows: list[list[int]], const: int) -> None:
    options = [[[Decimal(v)] for v in row] for row in rows]
    sums = [Sum(Decimal(const), tuple((r, 0, 1 if r % 2 else -1) for r in range(len(rows))))]
    got = combine(options, sums)
    want = [
        idx for idx in itertools.product(*(range(len(r)) for r in rows))
        if const + sum((1 if r % 2 else -1) * rows[r][k] for r, k in enumerate(idx)) == 0
    ]
    assert got == want


def test_combine_gives_up_past_its_budget() -> None:
    options = [[[Decimal(v)] for v in range(30)] for _ in range(5)]  # 24 million combinations
    assert combine(options, [Sum(Decimal(-1), tuple((r, 0, 1) for r in range(5)))], limit=10_000) is None
