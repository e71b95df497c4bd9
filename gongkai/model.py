"""Record types shared by the stages: what extract produces and build consumes.

The JSON form of `ExtractResult` (see `to_json`) is the contract of `gongkai extract --json`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class CellState(StrEnum):
    NUMBER = "number"  # a printed non-zero number
    ZERO = "zero"  # a printed 0
    BLANK = "blank"  # nothing printed (never read as 0)
    NA = "na"  # "/", "-", "—", "无", "不适用"
    TEXT = "text"  # something printed that is not a number


class CheckStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNCERTAIN = "uncertain"  # an input cell is blank/na/ambiguous
    NOT_ASSESSABLE = "not_assessable"  # the table or a cell is missing


class ExtractStatus(StrEnum):
    EXTRACTED = "extracted"  # tables found, every check passed
    EXTRACTED_WITH_ISSUES = "extracted_with_issues"  # tables found, some check failed or uncertain
    PARTIAL = "partial"  # some of the three tables are missing
    PRE2019 = "pre2019"  # a report from before the uniform format: metadata and text only
    NO_TABLES = "no_tables"  # readable, but no statistical table found
    NOT_A_REPORT = "not_a_report"  # a letter, an interpretation (解读), a notice ...
    NEEDS_OCR = "needs_ocr"  # tables are images / no text layer
    UNSUPPORTED_FORMAT = "unsupported_format"
    UNREADABLE = "unreadable"  # empty, binary garbage, undecodable
    TOO_COMPLEX = "too_complex"  # refused before or while reading: over a size, operator or time budget
    CRASHED = "crashed"  # a bug of ours; the run goes on


@dataclass(slots=True)
class Cell:
    table: str
    block: str
    row_key: str
    col_key: str
    value: Decimal | None
    raw: str
    state: CellState
    ref: str  # where it was read: "t<table#>r<row>c<col>" or "page<p>/..."; "" for derived cells
    derived: bool = False
    flags: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.table, self.block, self.row_key, self.col_key)


@dataclass(slots=True)
class Check:
    rule: str
    table: str
    status: CheckStatus
    expected: str | None
    actual: str | None
    cells: list[str]
    message: str = ""
    # For an uncertain check: would it pass or fail with blank inputs read as 0?
    blank_as_zero: str | None = None


@dataclass(slots=True)
class Issue:
    code: str
    message: str
    severity: str = "warning"  # info | warning | error


class MissingReason(StrEnum):
    ROW_MISSING = "row_missing"  # the table does not print the row (or its label is not recognised)
    CELL_MISSING = "cell_missing"  # the row is read, this cell is not printed in it
    ROW_UNPLACED = "row_unplaced"  # the source prints the row's label or values, but they could not be placed


@dataclass(slots=True)
class Missing:
    """A cell of the detected form version that was not read, and why."""

    table: str
    block: str
    row_key: str
    col_key: str
    reason: MissingReason


@dataclass(slots=True)
class ExtractResult:
    source: str
    status: ExtractStatus
    source_format: str = "unknown"  # html | text | pdf | docx | doc | unknown
    agency: str | None = None
    year: int | None = None
    published: str | None = None  # ISO date
    title: str | None = None
    format_version: dict[str, str] = field(default_factory=dict)  # table → v2019 | v2021
    report_version: str | None = None  # pre2019 | v2019 | v2021 | mixed
    cells: list[Cell] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)  # heading → text (pre2019 and narrative)
    sha256: str | None = None
    # Every cell of a found table's form that is not among `cells`, with the reason.
    missing: list[Missing] = field(default_factory=list)

    @property
    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if c.status is CheckStatus.FAIL]

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["status"] = str(self.status)
        for c in d["cells"]:
            c["value"] = _num(c["value"])
            c["state"] = str(c["state"])
        for c in d["checks"]:
            c["status"] = str(c["status"])
        for m in d["missing"]:
            m["reason"] = str(m["reason"])
        return d


    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ExtractResult:
        """Inverse of to_json (values come back as exact Decimals via their text)."""
        cells = [
            Cell(c["table"], c["block"], c["row_key"], c["col_key"],
                 None if c["value"] is None else Decimal(str(c["value"])), c["raw"], CellState(c["state"]), c["ref"],
                 c.get("derived", False), list(c.get("flags", [])))
            for c in d.get("cells", [])
        ]
        checks = [
            Check(c["rule"], c["table"], CheckStatus(c["status"]), c.get("expected"), c.get("actual"), list(c["cells"]),
                  c.get("message", ""), c.get("blank_as_zero"))
            for c in d.get("checks", [])
        ]
        errors = [Issue(e["code"], e["message"], e.get("severity", "warning")) for e in d.get("errors", [])]
        missing = [Missing(m["table"], m["block"], m["row_key"], m["col_key"], MissingReason(m["reason"]))
                   for m in d.get("missing", [])]
        return cls(
            source=d["source"], status=ExtractStatus(d["status"]), source_format=d.get("source_format", "unknown"),
            agency=d.get("agency"), year=d.get("year"), published=d.get("published"), title=d.get("title"),
            format_version=dict(d.get("format_version", {})), report_version=d.get("report_version"),
            cells=cells, checks=checks, errors=errors, sections=dict(d.get("sections", {})), sha256=d.get("sha256"),
            missing=missing,
        )


def _num(v: Decimal | None) -> int | float | None:
    if v is None:
        return None
    if v == v.to_integral_value():
        return int(v)
    return float(v)


class FetchStatus(StrEnum):
    """Outcome of fetching one URL (crawler.fetch); stable values, recorded in the fetch log."""

    FETCHED = "fetched"
    NOT_MODIFIED = "not_modified"  # 304 to a conditional GET
    ROBOTS_DISALLOWED = "robots_disallowed"
    ROBOTS_UNAVAILABLE = "robots_unavailable"  # robots.txt 5xx/timeout: disallowed for now, retried later
    BLOCKED = "blocked"  # 412 `$_ts` challenge, 418, 403, tiny stub, soft 404: recorded, backed off, never solved
    HTTP_ERROR = "http_error"  # other 4xx (not retried)
    SERVER_ERROR = "server_error"  # 5xx after retries
    RATE_LIMITED = "rate_limited"  # 429 after retries
    TIMEOUT = "timeout"
    NETWORK_ERROR = "network_error"  # reset, refused, truncated body
    TOO_LARGE = "too_large"  # body over the size cap
    REDIRECT_REJECTED = "redirect_rejected"  # to another host, a private address or a non-HTTP scheme
    REDIRECT_LOOP = "redirect_loop"  # loop or too many redirects
    HOST_NOT_ALLOWED = "host_not_allowed"
    TRUNCATED = "truncated"  # the body ended before its Content-Length: retried, never stored as complete
