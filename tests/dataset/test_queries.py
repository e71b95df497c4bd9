"""The journalists' commands against a built dataset."""

from __future__ import annotations

from pathlib import Path

from dataset.query import inconsistent, top


def test_inconsistent_scopes(corpus_data: Path) -> None:
    cols, rows = inconsistent(corpus_data, 2024, "report")
    found = {(r[cols.index("agency_name")], r[cols.index("rule")]) for r in rows}
    assert ("伊州区住房和城乡建设局", "T3-A") in found  # the seed: 4 + 4 ≠ 4 + 0
    assert all(r[cols.index("scope")] == "report" for r in rows)
    _cols, cross = inconsistent(corpus_data, 2024, "cross_report")
    assert all(r[_cols.index("scope")] == "cross_report" for r in cross)


def test_top_respects_the_volume_guard(corpus_data: Path) -> None:
    cols, rows = top(corpus_data, "new_requests", 2024, min_volume=100)
    values = [r[cols.index("new_requests")] for r in rows]
    assert values == sorted(values, reverse=True) and all(v >= 100 for v in values)
    assert ("淮安市人民政府", 3119) in {(r[0], r[cols.index("new_requests")]) for r in rows}
    cols, rows = top(corpus_data, "refusal_share", 2024, min_volume=1)
    assert all(0 <= r[cols.index("refusal_share")] <= 1 for r in rows)
