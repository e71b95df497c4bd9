"""The records store: exact round trip, atomic writes under real concurrent writers, damage detected."""

from __future__ import annotations

import multiprocessing
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.document import extract_document
from gongkai.model import Cell, CellState, ExtractResult, ExtractStatus
from gongkai.store.records import RecordError, RecordStore, record_key
from tests.conftest import DOCS

SHA = "ab" * 32


def _exact(r: ExtractResult) -> list[tuple[object, ...]]:
    """Every cell with its value's exact decimal digits and exponent (0.10 is not 0.1 here)."""
    return [(c.key, None if c.value is None else c.value.as_tuple(), c.raw, c.state, c.ref, c.derived, c.flags)
            for c in r.cells]


@pytest.mark.parametrize("name", sorted(p.name for p in DOCS.iterdir())[::6])
def test_corpus_results_come_back_exactly(tmp_path: Path, name: str) -> None:
    r = extract_document((DOCS / name).read_bytes(), name)
    store = RecordStore(tmp_path)
    store.put(SHA, "v1", r)
    back = store.get(SHA, "v1")
    assert back == r
    assert back is not None and _exact(back) == _exact(r) and back.to_json() == r.to_json()


@given(st.lists(st.decimals(allow_nan=False, allow_infinity=False, places=None), max_size=12))
def test_decimals_are_exact(tmp_path_factory: pytest.TempPathFactory, values: list[Decimal]) -> None:
    r = ExtractResult(source="x", status=ExtractStatus.EXTRACTED, cells=[
        Cell("active_disclosure", "art20_8", "fees", "fee_amount", v, str(v), CellState.NUMBER, f"t1r{i}c1")
        for i, v in enumerate([*values, Decimal("0.10"), Decimal("24252.311082"), Decimal("1E+3"),
                               Decimal("12345678901234567890.123456789")])])
    store = RecordStore(tmp_path_factory.mktemp("rec"))
    store.put(SHA, "v1", r)
    back = store.get(SHA, "v1")
    assert back is not None and _exact(back) == _exact(r)


def test_versions_and_charsets_are_separate_records(tmp_path: Path) -> None:
    store = RecordStore(tmp_path)
    a = ExtractResult(source="a", status=ExtractStatus.EXTRACTED, agency="甲")
    b = ExtractResult(source="b", status=ExtractStatus.NO_TABLES)
    store.put(SHA, "v1", a)
    assert store.has(SHA, "v1") and not store.has(SHA, "v2") and store.get(SHA, "v2") is None
    store.put(SHA, "v2", b)
    assert store.get(SHA, "v1") == a and store.get(SHA, "v2") == b
    assert store.versions() == ["v1", "v2"]
    assert record_key(SHA, "text/html") == SHA == record_key(SHA, None)
    assert record_key(SHA, 'text/html; Charset="GBK"') == f"{SHA}.gbk" != record_key(SHA, "text/html;charset=utf-8")


@pytest.mark.parametrize(("key", "version"), [("../" + SHA, "v1"), (SHA, "../v1"), (SHA.upper(), "v1"),
                                              (SHA + "./..", "v1"), (SHA, ""), (SHA, "a/b")])
def test_unsafe_keys_and_versions_are_refused(tmp_path: Path, key: str, version: str) -> None:
    with pytest.raises(ValueError):
        RecordStore(tmp_path).path(key, version)


@pytest.mark.parametrize("damage", [b"", b"not gzip", "truncate", "other key"])
def test_a_damaged_record_is_an_error_never_an_empty_result(tmp_path: Path, damage: bytes | str) -> None:
    store = RecordStore(tmp_path)
    path = store.put(SHA, "v1", extract_document((DOCS / "seed_yizhou_zhujianju_2024.txt").read_bytes(), "s"))
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:-20])
    elif damage == "other key":
        other = "cd" * 32
        store.put(other, "v1", ExtractResult(source="o", status=ExtractStatus.EXTRACTED))
        path.write_bytes(store.path(other, "v1").read_bytes())
    else:
        assert isinstance(damage, bytes)
        path.write_bytes(damage)
    with pytest.raises(RecordError):
        store.get(SHA, "v1")


def _writer(args: tuple[str, int]) -> int:
    """One of many processes writing records at once: its own keys and a key every process writes."""
    root, n = args
    store = RecordStore(Path(root))
    big = extract_document((DOCS / "seed_yizhou_zhujianju_2024.txt").read_bytes(), "seed")
    for i in range(20):
        store.put(f"{n:02x}{i:062x}", "v1", ExtractResult(source=f"{n}/{i}", status=ExtractStatus.EXTRACTED))
        store.put("ef" * 32, "v1", big)  # the same bytes from every writer, renamed over each other
    return n


def test_concurrent_writers_leave_whole_records_and_no_temp_files(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert sorted(pool.map(_writer, [(str(tmp_path), n) for n in range(8)])) == list(range(8))
    store = RecordStore(tmp_path)
    files = list((tmp_path / "records").rglob("*"))
    assert not [f for f in files if f.name.endswith(".tmp")]
    assert len([f for f in files if f.is_file()]) == 8 * 20 + 1
    for n in range(8):
        for i in range(20):
            r = store.get(f"{n:02x}{i:062x}", "v1")
            assert r is not None and r.source == f"{n}/{i}"
    want = extract_document((DOCS / "seed_yizhou_zhujianju_2024.txt").read_bytes(), "seed")
    assert store.get("ef" * 32, "v1") == want
