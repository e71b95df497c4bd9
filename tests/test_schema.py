"""Registry self-tests: the numbers of format-spec.md §2 and identities over existing keys."""

from __future__ import annotations

import pytest

from gongkai import schema


@pytest.mark.parametrize(("table", "version", "cells"), [
    ("active_disclosure", "v2019", 22), ("active_disclosure", "v2021", 10),
    ("applications", "v2019", 161), ("applications", "v2021", 175),
    ("review_litigation", "v2019", 15), ("review_litigation", "v2021", 15),
])
def test_printed_cell_counts(table: str, version: str, cells: int) -> None:
    assert len(schema.spec(table, version).printed_cells()) == cells


def test_every_key_is_labelled() -> None:
    for ts in schema.SPECS.values():
        for b in ts.blocks:
            for r in b.rows:
                assert r.zh and r.en and (r.derived or r.keywords or ts.name == "review_litigation"), r
            for c in b.cols:
                assert c.zh and c.en and c.unit and c.dtype in ("count", "signed_count", "decimal"), c


def test_identities_name_existing_cells() -> None:
    keys = schema.all_keys()
    for ts in schema.SPECS.values():
        for ident in schema.identities(ts.name, ts.version):
            for block, row, col in ident.cells:
                assert (ts.name, block, row, col) in keys, (ident.rule, row, col)


def test_identity_counts() -> None:
    # T3-A and T3-B per applicant column (7 each), T3-C per printed row; T4-A per group.
    assert len(schema.identities("applications", "v2021")) == 7 + 7 + 25
    assert len(schema.identities("applications", "v2019")) == 7 + 7 + 23
    assert len(schema.identities("review_litigation", "v2021")) == 3
    assert len(schema.outcome_rows("v2021")) == 21 and len(schema.outcome_rows("v2019")) == 19


def _form_keys() -> set[str]:
    keys = {k for ts in schema.SPECS.values() for b in ts.blocks
            for k in (b.key, *(r.key for r in b.rows), *(c.key for c in b.cols))}
    return keys - {""}


def test_keys_are_typed_only_in_the_registry() -> None:
    """Row, column and block keys are spelled once, in gongkai/schema.py: every other module takes
    them from the registry, so adding a row or an alias is one edit. (The crawler never touches the
    form: a portal's JSON field `total` is not a key.)"""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    keys = _form_keys()
    found = []
    for package in ("gongkai", "extract", "dataset", "demo", "cli", "benchmarks"):
        for path in sorted((root / package).rglob("*.py")):
            if path == root / "gongkai" / "schema.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in keys:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {node.value!r}")
    assert not found, found
