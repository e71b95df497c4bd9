"""Real reports from other provinces, levels and years (tests/fixtures/real), with hand-checked truth:
no truth cell may come out wrong or missing unless the cell carries a warning flag, the document's
errors name its row, or the document claims no values at all (issue 8: no silent errors).

The score per document (exact / flagged / silent) is printed by `python -m benchmarks.real_docs_report`
and by `pytest -s` on test_score_table. A document that fails today because of a known extractor
defect is marked xfail(strict=True) naming that defect: fixing it turns the test into an XPASS failure,
and the mark must go.
"""

from __future__ import annotations

import pytest

from benchmarks.real_docs_report import FIXTURES, load_manifest, load_truth, render, score, score_all
from extract.document import extract_document
from gongkai.schema import spec

MANIFEST = load_manifest()
TRUTH = load_truth()
NAMES = [r["file"] for r in MANIFEST]

# Known silent defects of today's extractor, one entry per document (issue 8, "Layouts seen in real reports").
XFAIL: dict[str, str] = {}


def _param(name: str) -> object:
    if name in XFAIL:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=XFAIL[name]))
    return name


@pytest.mark.parametrize("name", [_param(n) for n in NAMES])
def test_no_truth_cell_is_silently_wrong(name: str) -> None:
    result = extract_document((FIXTURES / name).read_bytes(), name)
    s = score(name, result, TRUTH[name])
    silent = [(m.key, str(m.printed), m.extracted) for m in s.silent]
    assert not silent, f"{len(silent)} of {s.total} truth cells silently wrong: {silent[:8]}"


def test_xfail_marks_name_documents_of_the_manifest() -> None:
    assert set(XFAIL) <= set(NAMES)


def test_manifest_truth_and_files_agree() -> None:
    assert len(NAMES) == len(set(NAMES))
    for row in MANIFEST:
        assert (FIXTURES / row["file"]).is_file(), row["file"]
        assert TRUTH.get(row["file"]), f"no truth rows for {row['file']}"
        assert row["source_repo"] or row["original_url"], f"{row['file']}: no source"
        assert row["format_version"] in ("2019", "2021"), row["file"]
        assert row["reconstruction"].split(":")[0] in ("yes", "no"), row["file"]
    assert set(TRUTH) <= set(NAMES), set(TRUTH) - set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_truth_keys_are_cells_of_the_form(name: str) -> None:
    version = "v" + next(r["format_version"] for r in MANIFEST if r["file"] == name)
    printed = {t: set(spec(t, version).printed_cells()) for t in ("active_disclosure", "applications", "review_litigation")}
    for table, block, row_key, col_key in TRUTH[name]:
        assert (block, row_key, col_key) in printed[table], (name, table, block, row_key, col_key)


def test_score_table() -> None:
    """`pytest -s` prints the per-document table; the counts add up."""
    scores = score_all()
    print("\n" + render(scores))
    assert [s.name for s in scores] == NAMES
    for s in scores:
        assert s.total == len(TRUTH[s.name]) == s.exact + s.flagged + len(s.silent)
