"""The build step: extraction results (+ provenance), streamed → a versioned, validated release.

1. Read: each document is classified, identified (agency, report) and its rows are staged on disk
   in Arrow batches by (year, agency bucket); memory keeps a small DocMeta per document.
2. Choose: one published copy per report, copies that disagree, cross-year checks.
3. Write: table by table, bucket by bucket (columnar filter and sort), into a new release directory;
   files whose column digests did not change are linked from the current release; the release is
   switched in by one rename (release.py).

A document that cannot be staged (a bug of ours) is recorded as `crashed` and the build goes on.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from gongkai.model import ExtractResult, ExtractStatus, Issue

from . import fingerprint
from . import release as rel
from .agencies import Registry
from .arrow import CELL_TABLES, SPLIT
from .crosscheck import cross_report_checks
from .dictionary import datapackage_json, dictionary_markdown
from .identity import Choice, choose, compare_copies
from .parquet import TableFile, conform, digest, from_rows
from .staging import BUCKETS, Route, Staging
from .summary import codebook_rows
from .tables import STAGE_CODED, STAGE_SCHEMAS, DocMeta, Provenance, stage_document
from .views import agency_rows, alias_rows, docs_views

FILE_ROWS = 1_000_000  # staged rows per file of a split table: one file per year until a year outgrows it
Progress = Callable[[str, int, int | None], None]


class EmptyReleaseError(RuntimeError):
    """The build would replace a release that has reports with one that has none."""


@dataclass
class BuildSummary:
    reports: int = 0
    agencies: int = 0
    documents_read: int = 0
    per_year: dict[int | None, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)  # of the reports published
    documents: dict[str, int] = field(default_factory=dict)  # of every document read (copies too)
    roles: dict[str, int] = field(default_factory=dict)
    failed_checks: int = 0
    copies_disagree: int = 0
    files_written: int = 0
    files_unchanged: int = 0
    release: Path | None = None
    release_id: str | None = None
    unchanged: bool = False
    inputs_unchanged: bool = False  # known from the inputs' fingerprint alone: nothing was read or written


_KEPT = ("reports", "agencies", "documents_read", "statuses", "documents", "roles", "failed_checks",
         "copies_disagree", "release_id")


def build(data_dir: Path, items: Iterable[tuple[ExtractResult, Provenance]], *, force: bool = False,
          csv_bom: bool = False, progress: Progress | None = None, total: int | None = None,
          inputs: str | None = None) -> BuildSummary:
    """`inputs`: the digest of the store the items come from (fingerprint.store_digest), when there is
    one. With the build's code and options it makes the inputs' fingerprint: when the current release
    was built from the same, the build returns at once, reading no item and writing nothing (unless
    `force`)."""
    data_dir = Path(data_dir)
    stamp = None if inputs is None else fingerprint.build_inputs(inputs, {"csv_bom": csv_bom})
    if stamp is not None and not force and (kept := fingerprint.kept(data_dir, stamp)) is not None:
        return _from_kept(kept, rel.current_release(data_dir))
    work = data_dir / ".build"
    for stale in work.glob("staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Staging(work / f"staging-{os.getpid()}", STAGE_SCHEMAS, STAGE_CODED)
    writer: rel.ReleaseWriter | None = None
    try:
        agencies = Registry()
        metas = _read(items, staging, agencies, progress, total)
        choice = choose(metas)
        cross_failed = 0
        for m, row in cross_report_checks(metas, choice.chosen):
            staging.extend("checks", staging.route(m.year, _bucket(m)), [[v] for v in row])
            cross_failed += row[7] == "fail"
        staging.flush()
        s = _summary(metas, choice)
        s.failed_checks += cross_failed
        previous = rel.release_reports(data_dir)
        if s.reports == 0 and previous and not force:
            raise EmptyReleaseError(f"this build has no report; the current release has {previous}. "
                                    "Nothing was replaced (use --force to publish an empty release)")
        writer = rel.ReleaseWriter(data_dir, csv_bom=csv_bom)
        _write_all(writer, staging, metas, choice, agencies, progress)
        s.copies_disagree = len(choice.disagreeing)
        writer.texts = {"datapackage.json": datapackage_json(writer.files, "", ""),
                        "DATA_DICTIONARY.md": dictionary_markdown()}
        s.files_written, s.files_unchanged = writer.written, writer.unchanged
        s.release_id = writer.release_id()
        if writer.unchanged_release():
            writer.abandon()
            s.unchanged, s.release = True, writer.current
            writer = None
        else:
            # created: when the newest document in it was captured, so that the same inputs give the
            # same bytes (SOURCE_DATE_EPOCH overrides, as reproducible builds expect)
            newest = max((m.fetched_at for m in metas if m.fetched_at), default="")
            s.release = writer.commit({"datapackage.json": datapackage_json(writer.files, s.release_id,
                                                                            _created(newest)),
                                       "DATA_DICTIONARY.md": writer.texts["DATA_DICTIONARY.md"]})
            writer = None
        if stamp is not None and s.release is not None:
            fingerprint.remember(data_dir, stamp, s.release, _to_kept(s))
        return s
    except BaseException:
        if writer is not None:
            writer.abandon()
        raise
    finally:
        staging.close()


def _to_kept(s: BuildSummary) -> dict[str, object]:
    kept: dict[str, object] = {k: getattr(s, k) for k in _KEPT}
    kept["per_year"] = [[y, n] for y, n in s.per_year.items()]  # JSON keys would turn years into text
    return kept


def _from_kept(kept: dict[str, Any], release: Path | None) -> BuildSummary:
    s = BuildSummary(**{k: kept[k] for k in _KEPT if k in kept})
    s.per_year = {y: n for y, n in kept.get("per_year", [])}
    s.release, s.unchanged, s.inputs_unchanged = release, True, True
    return s



def _created(newest: str) -> str | None:
    if os.environ.get("SOURCE_DATE_EPOCH") or not newest:
        return None  # dictionary.datapackage: SOURCE_DATE_EPOCH, else now
    try:
        when = datetime.fromisoformat(newest.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _bucket(m: DocMeta) -> int:
    from .staging import bucket_of

    return bucket_of(m.agency_id)


def _read(items: Iterable[tuple[ExtractResult, Provenance]], staging: Staging, agencies: Registry,
          progress: Progress | None, total: int | None) -> list[DocMeta]:
    metas: list[DocMeta] = []
    for idx, (result, prov) in enumerate(items):
        try:
            metas.append(stage_document(idx, result, prov, staging, agencies))
        except Exception as e:  # a bug of ours on one document: recorded, never fatal
            crashed = ExtractResult(source=result.source, status=ExtractStatus.CRASHED, sha256=result.sha256,
                                    errors=[Issue("build_crashed", f"{type(e).__name__}: {e}", "error")])
            metas.append(stage_document(idx, crashed, prov, staging, agencies))
        if progress is not None and (idx % 200 == 0 or idx + 1 == total):
            progress("reading documents", idx + 1, total)
    return metas


def _summary(metas: list[DocMeta], choice: Choice) -> BuildSummary:
    chosen = [metas[i] for i in choice.chosen.values()]
    years = Counter(m.year for m in chosen)
    return BuildSummary(
        reports=len(chosen), agencies=len({m.agency_id for m in chosen if m.agency_id}), documents_read=len(metas),
        per_year=dict(sorted(years.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))),
        statuses=dict(sorted(Counter(m.status for m in chosen).items())),
        documents=dict(sorted(Counter(m.status for m in metas).items())),
        roles=dict(sorted(Counter(choice.role).items())), failed_checks=sum(m.failed for m in chosen),
    )


def _groups(staging: Staging, table: str, year: int | None) -> list[list[int]]:
    """Buckets of one year, cut into contiguous runs of at most FILE_ROWS staged rows (one file each)."""
    out: list[list[int]] = []
    rows = 0
    for b in BUCKETS:
        n = staging.rows(table, (year, b))
        if n == 0:
            continue
        if out and rows + n <= FILE_ROWS:
            out[-1].append(b)
            rows += n
        else:
            out.append([b])
            rows = n
    return out


def doc_ranks(metas: list[DocMeta], choice: Choice) -> np.ndarray:
    """Each document's position in the release's order within a year: agency_id, report_id (unknown
    last), then the published copy before its copies, then URL and SHA-256."""
    order = sorted(range(len(metas)), key=lambda i: (
        metas[i].agency_id is None, metas[i].agency_id or "", metas[i].report_id is None, metas[i].report_id or "",
        choice.role[i], metas[i].url, metas[i].sha))
    rank = np.empty(len(metas), dtype=np.int64)
    rank[order] = np.arange(len(metas), dtype=np.int64)
    return rank


def _write_all(w: rel.ReleaseWriter, staging: Staging, metas: list[DocMeta], choice: Choice, agencies: Registry,
               progress: Progress | None) -> None:
    urls = {i: (metas[i].url, metas[i].sha) for i in range(len(metas)) if choice.compare[i]}
    rank = doc_ranks(metas, choice)
    done = 0
    for name in SPLIT:
        prepare = _split_rows(staging, choice, urls, name, rank)
        for year in staging.years():
            groups = _groups(staging, name, year)
            for group in groups:
                _place(w, f"{name}/{_file_name(year, group, whole=len(groups) == 1)}.parquet", name,
                       [(year, b) for b in group], prepare)
                done += 1
                if progress is not None:
                    progress("writing tables", done, None)
        if not any(e.get("table") == name for e in w.files.values()):  # no row at all: still a table to read
            empty = conform(name, STAGE_SCHEMAS[name].empty_table())
            w.add_table(f"{name}/empty.parquet", name, digest(empty), functools.partial(_write_one, empty))
    routes = [(y, b) for y in staging.years() for b in BUCKETS if staging.rows("docs", (y, b))]
    views = docs_views(staging, choice, agencies, rank)
    for name in ("documents", "reports", "report_summary"):
        _place(w, f"{name}.parquet", name, routes, functools.partial(views, name))
    for name, rows in (("agencies", agency_rows(agencies, metas, choice)), ("agency_aliases", alias_rows(agencies)),
                       ("disagreements", choice.disagreements), ("codebook", codebook_rows())):
        table = from_rows(name, rows)
        w.add_table(f"{name}.parquet", name, digest(table), functools.partial(_write_one, table))


def _write_one(table: pa.Table, f: TableFile) -> None:
    f.write(table)


def _file_name(year: int | None, group: list[int], whole: bool) -> str:
    """2023 for a whole year; 2023-00-7f for the agencies whose id starts ag00…ag7f (n: no agency)."""
    label = "unknown" if year is None else str(year)
    if whole:
        return label
    return f"{label}-{_hex(group[0], False)}-{_hex(group[-1], True)}"


def _hex(bucket: int, last: bool) -> str:
    """The agency_id prefixes (two hex digits after 'ag') a bucket holds; n: no agency."""
    return "n" if bucket == BUCKETS[-1] else f"{bucket * 4 + (3 if last else 0):02x}"


def _split_rows(staging: Staging, choice: Choice, urls: dict[int, tuple[str, str]],
                name: str, rank: np.ndarray) -> Callable[[Route], pa.Table]:
    """One bucket of a split table, as published: the chosen copies' rows, sorted. Copies are compared
    the first time a bucket of a cell table is read."""
    compared: set[Route] = set()

    def prepare(route: Route) -> pa.Table:
        rows = staging.read(name, route)
        if name in CELL_TABLES and route not in compared:
            compared.add(route)
            compare_copies(choice, name, rows, urls)
        docs = rows.column("doc").to_numpy()
        keep = np.flatnonzero(choice.is_chosen[docs])
        if name == "checks":
            return conform(name, rows.take(keep), rank, ("table_name", "rule", "scope", "cells"))
        # cells were staged in (block, row_key, col_key) order per document: the rank alone sorts them,
        # and one take both drops the unpublished copies and sorts (one copy of the bucket, not three)
        order = keep[np.argsort(rank[docs[keep]], kind="stable")]
        return conform(name, rows.take(order))

    return prepare


KEEP_BYTES = 32 << 20  # prepared buckets kept between the digest pass and the write pass (bounds memory)


def _place(w: rel.ReleaseWriter, path: str, name: str, routes: list[Route],
           prepare: Callable[[Route], pa.Table]) -> None:
    """Digest a file's buckets (keeping them when small), then link or write it."""
    kept: list[pa.Table] | None = []
    digests: list[str] = []
    size = 0
    for route in routes:
        t = prepare(route)
        digests.append(digest(t))
        size += t.nbytes
        if kept is not None:
            kept.append(t)
            if size > KEEP_BYTES:
                kept = None
    combined = digest(pa.table({"parts": digests}))

    def write(f: TableFile) -> None:
        for table in (kept if kept is not None else (prepare(r) for r in routes)):
            f.write(table)

    w.add_table(path, name, combined, write)
