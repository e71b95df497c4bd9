"""The data dictionary and datapackage.json are generated from the registry and match the files."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from dataset.dictionary import DESCRIPTIONS, dictionary_markdown
from gongkai import schema
from tests.conftest import ROOT


def test_committed_dictionary_is_current() -> None:
    """Like `cog --check`: regenerate and compare with the committed copy."""
    assert (ROOT / "DATA_DICTIONARY.md").read_text(encoding="utf-8") == dictionary_markdown(), (
        "DATA_DICTIONARY.md is stale: regenerate it with "
        "python -c 'from dataset.dictionary import dictionary_markdown; print(dictionary_markdown(), end=\"\")' > DATA_DICTIONARY.md")


def test_dictionary_lists_every_key() -> None:
    text = dictionary_markdown()
    for table, _block, row, col in schema.all_keys():
        assert f"`{row}`" in text and f"`{col}`" in text, (table, row, col)


def test_datapackage_matches_release(corpus_data: Path) -> None:
    rel = corpus_data / "release"
    pkg = json.loads((rel / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in pkg["resources"]} >= {"reports", "applications", "checks", "agencies"}
    for res in pkg["resources"]:
        cols = pq.read_schema(rel / res["path"]).names
        assert [f["name"] for f in res["schema"]["fields"]] == cols
        assert all(f["description"] for f in res["schema"]["fields"]), res["name"]
        assert set(res["schema"]["primaryKey"]) <= set(cols)
        for fk in res["schema"].get("foreignKeys", []):
            assert set(fk["fields"]) <= set(cols)


def test_every_column_has_a_description() -> None:
    from dataset.arrow import SCHEMAS

    missing = [f.name for s in SCHEMAS.values() for f in s if f.name not in DESCRIPTIONS]
    assert not missing
