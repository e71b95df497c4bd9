"""The data dictionary and datapackage.json are generated from the registry, valid, and match the files."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
from frictionless import validate

from dataset.arrow import ENUM_COLUMNS, ENUMS, SCHEMAS
from dataset.dictionary import DESCRIPTIONS, dictionary_markdown
from dataset.divisions import PINYIN_TABLE, pinyin_table
from gongkai import schema
from tests.conftest import ROOT

_TYPES = {"string": {pa.string()}, "integer": {pa.int32(), pa.int64()}, "number": {pa.float64()},
          "boolean": {pa.bool_()}, "datetime": {pa.timestamp("s"), pa.timestamp("s", tz="UTC"),
                                                pa.timestamp("ms"), pa.timestamp("ms", tz="UTC")}}


def test_committed_dictionary_is_current() -> None:
    """Like `cog --check`: regenerate and compare with the committed copy."""
    assert (ROOT / "DATA_DICTIONARY.md").read_text(encoding="utf-8") == dictionary_markdown(), (
        "DATA_DICTIONARY.md is stale: regenerate it with "
        "python -c 'from dataset.dictionary import dictionary_markdown; print(dictionary_markdown(), end=\"\")' > DATA_DICTIONARY.md")


def test_committed_pinyin_table_is_current() -> None:
    assert PINYIN_TABLE.read_text(encoding="utf-8") == pinyin_table(), (
        "dataset/division_pinyin.tsv is stale: regenerate it with python -c 'from dataset.divisions import "
        "pinyin_table, PINYIN_TABLE; PINYIN_TABLE.write_text(pinyin_table())'")


def test_dictionary_lists_every_key() -> None:
    text = dictionary_markdown()
    for table, _block, row, col in schema.all_keys():
        assert f"`{row}`" in text and f"`{col}`" in text, (table, row, col)


def test_frictionless_validates_the_corpus_release(corpus_data: Path) -> None:
    report = validate(corpus_data / "release" / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]
    rows = sum(t.stats["rows"] for t in report.tasks if t.name.startswith("applications"))
    apps = ds.dataset(corpus_data / "release" / "applications").count_rows()
    assert rows == apps > 1000  # every file of a table folder was read


def test_datapackage_is_citable(corpus_data: Path) -> None:
    pkg = json.loads((corpus_data / "release" / "datapackage.json").read_text(encoding="utf-8"))
    assert pkg["version"].startswith("2.") and pkg["created"].endswith("Z")
    assert pkg["licenses"][0]["name"] == "CC-BY-4.0" and pkg["sources"]
    for name in ("LICENSE", "CHANGELOG.md", "CITATION.cff"):
        assert (ROOT / name).read_text(encoding="utf-8").strip()


def test_dictionary_matches_the_files(corpus_data: Path) -> None:
    """Every column the datapackage declares is in the files with that type, and every value of an
    enumerated column is one the dictionary lists."""
    rel = corpus_data / "release"
    pkg = json.loads((rel / "datapackage.json").read_text(encoding="utf-8"))
    text = dictionary_markdown()
    tables = {r["table"] for r in pkg["resources"]}
    assert tables == set(SCHEMAS)
    for res in pkg["resources"]:
        table = ds.dataset(str(rel / res["path"])).to_table()
        assert [f["name"] for f in res["schema"]["fields"]] == table.schema.names, res["name"]
        assert table.schema.names == SCHEMAS[res["table"]].names
        for f in res["schema"]["fields"]:
            assert table.schema.field(f["name"]).type in _TYPES[f["type"]], (res["name"], f["name"])
            assert f["description"] and f"`{f['name']}`" in text
            enum = f.get("constraints", {}).get("enum")
            if enum:
                values = set(pc.unique(table.column(f["name"])).drop_null().to_pylist())
                assert values <= set(enum), (res["name"], f["name"], values - set(enum))
            if f.get("constraints", {}).get("required"):
                assert table.column(f["name"]).null_count == 0, (res["name"], f["name"])
        assert set(res["schema"]["primaryKey"]) <= set(table.schema.names)
    assert set(ENUM_COLUMNS.values()) <= set(ENUMS)


def test_every_column_has_a_description() -> None:
    from dataset.dictionary import describe

    missing = [(t, f.name) for t, s in SCHEMAS.items() for f in s if not describe(t, f.name)]
    assert not missing
    assert DESCRIPTIONS


def test_no_column_is_an_sql_reserved_word() -> None:
    reserved = {k for (k,) in duckdb.sql("SELECT keyword_name FROM duckdb_keywords() "
                                         "WHERE keyword_category = 'reserved'").fetchall()}
    assert "table" in reserved
    bad = [(t, f.name) for t, s in SCHEMAS.items() for f in s if f.name.lower() in reserved]
    assert not bad


def test_every_headline_names_a_cell_of_the_form() -> None:
    from dataset import summary

    keys = schema.all_keys()
    for h in summary.COLUMNS:
        assert (h.table, h.block, h.row_key, h.col_key) in keys, h.name
    assert len({h.name for h in summary.COLUMNS}) == len(summary.COLUMNS)
