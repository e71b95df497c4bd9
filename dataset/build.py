"""The build step: ExtractResults (+ provenance) → Parquet partitions, release files, dictionary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.model import ExtractResult

from .arrow import PARTITIONED, SCHEMAS
from .crosscheck import cross_report_checks
from .dictionary import datapackage_json, dictionary_markdown
from .parquet import atomic_write, write_partitions, write_release
from .tables import Provenance, choose_reports, to_rows


@dataclass
class BuildSummary:
    reports: int = 0
    agencies: int = 0
    per_year: dict[int, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)  # of the reports published
    documents: dict[str, int] = field(default_factory=dict)  # of every document read (copies too)
    failed_checks: int = 0
    files_written: int = 0
    files_unchanged: int = 0


def build(data_dir: Path, items: Iterable[tuple[ExtractResult, Provenance]]) -> BuildSummary:
    data_dir = Path(data_dir)
    items = list(items)
    reports = choose_reports(items)
    rows = to_rows(reports)
    rows.tables["checks"].extend(cross_report_checks(rows.tables))
    s = BuildSummary(reports=len(reports), agencies=len(rows.tables["agencies"]))
    s.per_year = dict(sorted(Counter(r.year for r in reports).items()))
    s.statuses = dict(sorted(Counter(str(r.result.status) for r in reports).items()))
    s.documents = dict(sorted(Counter(str(r.status) for r, _p in items).items()))
    s.failed_checks = sum(1 for c in rows.tables["checks"] if c["status"] == "fail")
    for name in PARTITIONED:
        w, u = write_partitions(data_dir / "parquet", name, rows.tables[name])
        s.files_written += w
        s.files_unchanged += u
    release = data_dir / "release"
    for name in SCHEMAS:
        if write_release(release, name, rows.tables[name]):
            s.files_written += 1
        else:
            s.files_unchanged += 1
    for path, text in ((release / "datapackage.json", datapackage_json()),
                       (release / "DATA_DICTIONARY.md", dictionary_markdown())):
        if atomic_write(path, text.encode("utf-8")):
            s.files_written += 1
        else:
            s.files_unchanged += 1
    return s
