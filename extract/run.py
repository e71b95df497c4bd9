"""The extract stage: raw store → records, for exactly the documents that lack a record at a version.

A document is a task (where its bytes are, what they are keyed by); whoever runs the task reads the
bytes from the raw store's WARC files itself and writes the record itself, so only small task and
outcome tuples travel between processes or machines, and the records store is the only result.
An unchanged refresh finds every record present and extracts nothing; a new extractor version finds
none under its name and extracts everything once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.store import RawStore, StoredDocument
from gongkai.store.records import RECORD_KINDS, RecordStore, record_key
from gongkai.store.warc import read_payload

from .document import extract_document
from .version import extractor_version


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
    message: str = ""


@dataclass
class ExtractSummary:
    version: str
    documents: int = 0  # reports and attachments in the store (latest version of each URL)
    up_to_date: int = 0  # already had a record at this version (or shared one with another URL)
    extracted: int = 0  # records written by this run
    statuses: dict[str, int] = field(default_factory=dict)  # of the records written by this run
    unreadable: list[str] = field(default_factory=list)  # captures whose bytes could not be read

    def add(self, o: Outcome) -> None:
        if o.status == "capture_unreadable":
            self.unreadable.append(f"{o.url}: {o.message}")
            return
        self.extracted += 1
        self.statuses[o.status] = self.statuses.get(o.status, 0) + 1


def task_of(doc: StoredDocument) -> Task:
    return Task(record_key(doc.sha256, doc.content_type), doc.sha256, doc.url, doc.content_type or None,
                doc.warc_file, doc.warc_offset)


def pending(data_dir: Path, version: str, summary: ExtractSummary | None = None) -> Iterator[Task]:
    """Tasks for the stored reports and attachments with no record at `version`, in store order.
    Generated lazily: bytes stored under several URLs are extracted once when their first task has
    written its record before the next is asked for (a pool also skips keys it has in flight)."""
    records = RecordStore(data_dir)
    with RawStore(data_dir) as store:
        for doc in store.iter_documents():
            if doc.kind not in RECORD_KINDS:
                continue
            if summary is not None:
                summary.documents += 1
            task = task_of(doc)
            if records.has(task.key, version):
                if summary is not None:
                    summary.up_to_date += 1
                continue
            yield task


def run_task(data_dir: Path, version: str, task: Task) -> Outcome:
    """Read one document's bytes, extract, write its record. Never raises for a bad document: the
    extractor gives it a status; bytes that cannot be read give no record and say why."""
    try:
        _rtype, body, _h = read_payload(Path(data_dir) / "raw" / task.warc_file, task.warc_offset)
        if hashlib.sha256(body).hexdigest() != task.sha256:
            raise ValueError("the bytes read back do not have the SHA-256 they were stored under")
    except Exception as e:  # a torn or missing WARC record: this document, not the run
        return Outcome(task.key, task.url, "capture_unreadable", f"{type(e).__name__}: {e}")
    result = extract_document(body, task.url, content_type=task.content_type)
    RecordStore(data_dir).put(task.key, version, result)
    return Outcome(task.key, task.url, str(result.status))


def extract_store(data_dir: Path, *, version: str | None = None) -> ExtractSummary:
    """Bring the records of `data_dir` up to date for `version` (default: this code's version)."""
    version = version or extractor_version()
    summary = ExtractSummary(version)
    for task in pending(data_dir, version, summary):
        summary.add(run_task(data_dir, version, task))
    summary.statuses = dict(sorted(summary.statuses.items()))
    return summary

