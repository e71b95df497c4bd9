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
