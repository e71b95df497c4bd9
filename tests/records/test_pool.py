"""The local engine: a real process pool, documents that really run away, and the rest completing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from cli.main import main
from cli.pipeline import build_records, ingest
from extract.document import extract_document
from extract.limits import Limits
from extract.pool import IN_FLIGHT_PER_WORKER, run_local
from extract.run import Task, extract_store, pending
from extract.version import code_digest
from gongkai.store import RawStore
from gongkai.store.records import RecordStore, StoredResults, record_key
from tests.conftest import DOCS
from tests.records.runaway import ALLOCATE, LOOP, SEGFAULT, runaway_pdf
from tests.records.test_extract_stage import _copy_code, _edit

HOOK = "tests.records.runaway:install"
FEW = [DOCS / n for n in ("seed_yizhou_zhujianju_2024.txt", "html_2023_fujian_pingtan_gov.html",
                          "html_2024_fujian_pingtan_gov.html", "pdf_2024_jiangsu_huaian_hongzequ_gov.pdf")]
LIMITS = Limits(timeout=5, memory_mb=256)


def add_runaways(data_dir: Path, markers: tuple[bytes, ...] = (LOOP, ALLOCATE, SEGFAULT)) -> dict[str, bytes]:
    urls = {f"http://runaway.gov.cn/{m.decode().lower()}.pdf": m for m in markers}
    with RawStore(data_dir) as store:
        for url, marker in urls.items():
            # a fixed capture time: two stores made a second apart must hold the same provenance
            store.add(url, runaway_pdf(marker), headers={"Content-Type": "application/pdf"}, kind="attachment",
                      fetched_at="2024-06-01T00:00:00+00:00")
    return urls


def test_runaway_documents_are_stopped_and_recorded_while_the_others_complete(tmp_path: Path) -> None:
    ingest(tmp_path, FEW)
    runaways = add_runaways(tmp_path)
    s = extract_store(tmp_path, version="A", workers=2, limits=LIMITS, worker_setup=HOOK)
    assert (s.documents, s.extracted, s.unreadable) == (7, 7, [])
    got = {doc.url: r for doc, r in StoredResults(tmp_path, "A")}
    loop, alloc, segv = (got[u] for u in runaways)
    assert loop.status == "too_complex" and loop.errors[0].message.startswith("killed after 5 s")
    assert alloc.status == "too_complex" and alloc.errors[0].message.startswith("memory over 256 MB")
    assert segv.status == "crashed" and "died (SIGSEGV)" in segv.errors[0].message
    assert sorted(s.stopped) == sorted(f"{u}: {got[u].errors[0].message}" for u in runaways)
    for doc, r in StoredResults(tmp_path, "A"):  # the others as this process extracts them, record for record
        if doc.url not in runaways:
            want = extract_document(Path(doc.url.removeprefix("file://")).read_bytes(), doc.url,
                                    content_type=doc.content_type)
            assert r == want and r.status in ("extracted", "extracted_with_issues"), doc.url

    again = extract_store(tmp_path, version="A", workers=2, limits=LIMITS, worker_setup=HOOK)
    assert (again.up_to_date, again.extracted) == (7, 0)  # a stopped document is not re-run by a refresh
    retry = extract_store(tmp_path, version="A", workers=2, limits=LIMITS, retry_failed=True)
    assert (retry.up_to_date, retry.retried, retry.extracted) == (4, 3, 3)  # without the hook: read as they are
    after = {doc.url: r for doc, r in StoredResults(tmp_path, "A")}
    for u in runaways:  # read by the real PDF reader this time: a status of its own, not the pool's reason
        assert after[u].errors and after[u].errors[0].message != got[u].errors[0].message
    assert {u: r for u, r in after.items() if u not in runaways} == {u: r for u, r in got.items() if u not in runaways}


def test_the_release_publishes_stopped_documents_with_their_status(tmp_path: Path) -> None:
    runaways = add_runaways(tmp_path, (ALLOCATE, SEGFAULT))  # the loop's record is the same kind as ALLOCATE's
    extract_store(tmp_path, version="A", workers=1, limits=LIMITS, worker_setup=HOOK)
    build_records(tmp_path, "A")
    docs = pd.read_parquet(tmp_path / "release" / "documents.parquet").set_index("source_url")
    assert sorted(docs.loc[list(runaways), "status"]) == ["crashed", "too_complex"]
    # nothing names their agency or year: documents, not reports (issue 9)
    assert (docs.loc[list(runaways), "role"] == "not_a_report").all()


def test_tasks_are_pulled_as_workers_free_up_not_all_at_once(tmp_path: Path) -> None:
    ingest(tmp_path, FEW)
    tasks = list(pending(tmp_path, "A")) * 3  # the same documents again: 12 tasks
    pulled = 0

    def feed() -> Iterator[Task]:
        nonlocal pulled
        for t in tasks:
            pulled += 1
            yield t

    outcomes = run_local(tmp_path, "A", feed(), Limits(), workers=1)
    next(outcomes)
    assert pulled <= 1 * IN_FLIGHT_PER_WORKER + 1  # the bound, and one waiting for a free slot
    assert len([next(outcomes), *outcomes]) == len(tasks) - 1


def test_status_is_read_from_the_start_of_a_record(tmp_path: Path) -> None:
    ingest(tmp_path, FEW)
    add_runaways(tmp_path, (ALLOCATE, SEGFAULT))
    extract_store(tmp_path, version="A", workers=2, limits=LIMITS, worker_setup=HOOK)
    store = RecordStore(tmp_path)
    with RawStore(tmp_path) as raw:
        docs = [d for d in raw.iter_documents() if d.kind in ("report", "attachment")]
    for d in docs:
        key = record_key(d.sha256, d.content_type)
        record = store.get(key, "A")
        assert record is not None and store.status(key, "A") == record.status
    assert store.status("00" * 32, "A") is None


def test_the_flags_reach_the_stage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ingest(tmp_path, FEW[:2])
    assert main(["extract", "--data-dir", str(tmp_path), "--workers", "1", "--doc-timeout", "60",
                 "--doc-memory", "512"]) == 0
    assert "2 documents, 0 up to date, 2 extracted" in capsys.readouterr().out
    assert main(["extract", "--data-dir", str(tmp_path), "--retry-failed", "--workers", "1"]) == 0
    assert "2 documents, 2 up to date, 0 extracted" in capsys.readouterr().out


def test_the_scheduling_code_is_not_part_of_the_extractor_version(tmp_path: Path) -> None:
    root = _copy_code(tmp_path)
    base = code_digest(root)
    _edit(root / "extract" / "pool.py", "IN_FLIGHT_PER_WORKER = 2", "IN_FLIGHT_PER_WORKER = 3")
    _edit(root / "extract" / "limits.py", "timeout: float = 120.0", "timeout: float = 60.0")
    assert code_digest(root) == base
    _edit(root / "extract" / "run.py", "RETRYABLE = frozenset({", "RETRYABLE = frozenset({'x', ")
    assert code_digest(root) != base


def test_a_pool_whose_workers_cannot_start_ends_the_run_saying_so(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ingest(tmp_path, FEW[:1])
    monkeypatch.setattr("extract.pool.STARTUP_TIMEOUT", 5)
    with pytest.raises(RuntimeError, match="worker processes fail as they start"):
        extract_store(tmp_path, version="A", workers=1, worker_setup="tests.records.runaway:no_such_hook")
    assert not (tmp_path / "records").exists()
