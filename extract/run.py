"""The extract stage: raw store → records, for exactly the documents that lack a record at a version.

A document is a task (where its bytes are, what they are keyed by); whoever runs the task reads the
bytes from the raw store's WARC files itself and writes the record itself, so only small task and
outcome tuples travel between processes or machines, and the records store is the only result.
An unchanged refresh finds every record present and extracts nothing; a new extractor version finds
none under its name and extracts everything once.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.model import ExtractResult, ExtractStatus, Issue
from gongkai.store import RawStore, StoredDocument
from gongkai.store.records import RECORD_KINDS, RecordStore, record_key
from gongkai.store.warc import read_payload

from .document import extract_document
from .limits import Limits
from .version import extractor_version

# Statuses `--retry-failed` re-extracts: what a limit or a dead worker gave, which more time, more
# memory or a fixed reader may change. Without the flag such a record stands, so a document that runs
# away is not run again (and killed again) at every refresh of the same extractor version.
RETRYABLE = frozenset({ExtractStatus.TOO_COMPLEX.value, ExtractStatus.CRASHED.value})


def default_workers() -> int:
    """Every core this process may run on (the affinity mask, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class Task:
    """One document to extract: picklable, and enough for a process on another machine with the same
    data directory mounted."""

    key: str  # record key (sha256 [+ declared charset])
    sha256: str
    url: str
    content_type: str | None
    warc_file: str  # relative to DATA/raw
    warc_offset: int


@dataclass(frozen=True)
class Outcome:
    key: str
    url: str
    status: str  # an ExtractStatus value, or "capture_unreadable" (no record written)
    message: str = ""  # why, when a limit stopped it or its capture was unreadable


@dataclass
class ExtractSummary:
    version: str
    documents: int = 0  # reports and attachments in the store (latest version of each URL)
    up_to_date: int = 0  # already had a record at this version (or shared one with another URL)
    same_bytes: int = 0  # of those, documents whose bytes another URL of the store also holds
    extracted: int = 0  # records written by this run
    retried: int = 0  # of those, documents whose too_complex/crashed record was redone (--retry-failed)
    statuses: dict[str, int] = field(default_factory=dict)  # of the records written by this run
    unreadable: list[str] = field(default_factory=list)  # captures whose bytes could not be read
    stopped: list[str] = field(default_factory=list)  # stopped by a limit or a dead worker, and why

    def add(self, o: Outcome) -> None:
        if o.status == "capture_unreadable":
            self.unreadable.append(f"{o.url}: {o.message}")
            return
        self.extracted += 1
        self.statuses[o.status] = self.statuses.get(o.status, 0) + 1
        if o.message:
            self.stopped.append(f"{o.url}: {o.message}")


def task_of(doc: StoredDocument) -> Task:
    return Task(record_key(doc.sha256, doc.content_type), doc.sha256, doc.url, doc.content_type or None,
                doc.warc_file, doc.warc_offset)


def pending(data_dir: Path, version: str, summary: ExtractSummary | None = None, *,
            retry_failed: bool = False) -> Iterator[Task]:
    """Tasks for the stored reports and attachments with no record at `version` (and, with
    `retry_failed`, those whose record says too_complex or crashed), in store order.
    Generated lazily: bytes stored under several URLs are extracted once when their first task has
    written its record before the next is asked for (`extract_store` also skips keys in flight)."""
    records = RecordStore(data_dir)
    retried: set[str] = set()  # a retried key shared by several URLs is retried once
    seen: set[str] = set()
    with RawStore(data_dir) as store:
        for doc in store.iter_documents():
            if doc.kind not in RECORD_KINDS:
                continue
            task = task_of(doc)
            if summary is not None:
                summary.documents += 1
                summary.same_bytes += task.key in seen
            seen.add(task.key)
            if records.has(task.key, version):
                if retry_failed and task.key not in retried and records.status(task.key, version) in RETRYABLE:
                    retried.add(task.key)
                    if summary is not None:
                        summary.retried += 1
                    yield task
                elif summary is not None:
                    summary.up_to_date += 1
                continue
            yield task


def stopped(task: Task, status: ExtractStatus, message: str) -> ExtractResult:
    """The record of a document a limit stopped: its status and why, nothing read from it."""
    return ExtractResult(source=task.url, status=status, sha256=task.sha256,
                         errors=[Issue(str(status), message, "error")])


def store_stopped(data_dir: Path, version: str, task: Task, status: ExtractStatus, message: str) -> Outcome:
    RecordStore(data_dir).put(task.key, version, stopped(task, status, message))
    return Outcome(task.key, task.url, str(status), message)


def memory_message(memory_mb: int) -> str:
    return (f"memory over {memory_mb} MB: stopped when it asked for more than --doc-memory; "
            "`gongkai extract --retry-failed` tries it again (with a higher limit)")


def _ran_out_of_memory(result: ExtractResult) -> bool:
    """extract_document turns any exception into `crashed`; a MemoryError under the pool's memory
    limit is the limit at work, not a bug, and is recorded as such."""
    return result.status is ExtractStatus.CRASHED and any(
        e.code == "crashed" and e.message.startswith("MemoryError") for e in result.errors)


def run_task(data_dir: Path, version: str, task: Task, memory_mb: int | None = None) -> Outcome:
    """Read one document's bytes, extract, write its record. Never raises for a bad document: the
    extractor gives it a status; bytes that cannot be read give no record and say why. `memory_mb`
    is the memory limit the caller set on this process, if any (a MemoryError is then its doing)."""
    try:
        _rtype, body, _h = read_payload(Path(data_dir) / "raw" / task.warc_file, task.warc_offset)
        if hashlib.sha256(body).hexdigest() != task.sha256:
            raise ValueError("the bytes read back do not have the SHA-256 they were stored under")
    except MemoryError:
        raise
    except Exception as e:  # a torn or missing WARC record: this document, not the run
        return Outcome(task.key, task.url, "capture_unreadable", f"{type(e).__name__}: {e}")
    try:
        result = extract_document(body, task.url, content_type=task.content_type)
        if memory_mb is not None and _ran_out_of_memory(result):
            result = stopped(task, ExtractStatus.TOO_COMPLEX, memory_message(memory_mb))
        RecordStore(data_dir).put(task.key, version, result)
    except MemoryError:
        if memory_mb is None:
            raise
        return store_stopped(data_dir, version, task, ExtractStatus.TOO_COMPLEX, memory_message(memory_mb))
    message = next((e.message for e in result.errors if e.code == ExtractStatus.TOO_COMPLEX), "")
    return Outcome(task.key, task.url, str(result.status), message)


def extract_store(data_dir: Path, *, version: str | None = None, workers: int | None = None,
                  limits: Limits | None = None, retry_failed: bool = False, engine: str = "local",
                  scheduler: str | None = None, batch_size: int = 32,
                  worker_setup: str | None = None) -> ExtractSummary:
    """Bring the records of `data_dir` up to date for `version` (default: this code's version).

    engine "local": a pool of `workers` processes on this machine (default: every core);
    "dask": batches of `batch_size` documents on the Dask cluster at `scheduler` (default: a local
    cluster of `workers` processes), each worker reading the shared raw store and writing records.
    Either way each document runs under `limits`. `worker_setup` ("module:function") runs in every
    extracting process before its first document: a hook for tests."""
    version = version or extractor_version()
    limits = limits or Limits()
    summary = ExtractSummary(version)
    in_flight: set[str] = set()

    def unique(tasks: Iterator[Task]) -> Iterator[Task]:
        for task in tasks:
            if task.key in in_flight:  # the same bytes under another URL, being extracted now
                summary.up_to_date += 1
                continue
            in_flight.add(task.key)
            yield task

    tasks = unique(pending(data_dir, version, summary, retry_failed=retry_failed))
    first = next(tasks, None)
    if first is not None:  # no pool or cluster is started for nothing
        tasks = itertools.chain([first], tasks)
        n = workers or default_workers()
        if engine == "local":
            from .pool import run_local

            outcomes = run_local(data_dir, version, tasks, limits, n, worker_setup)
        elif engine == "dask":
            try:
                from .cluster import run_dask
            except ModuleNotFoundError as e:
                raise RuntimeError(f"--engine dask needs Dask ({e}): pip install 'gongkai[dask]'") from e

            outcomes = run_dask(data_dir, version, tasks, limits, scheduler=scheduler, workers=n,
                                batch_size=batch_size, worker_setup=worker_setup)
        else:
            raise ValueError(f"unknown engine {engine!r} (local or dask)")
        for o in outcomes:
            in_flight.discard(o.key)
            summary.add(o)
    summary.statuses = dict(sorted(summary.statuses.items()))
    return summary
