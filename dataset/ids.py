"""Stable ASCII identifiers.

agency_id = "ag" + the first 12 hex digits of SHA-256 over the agency's normalized name
(NFKC, traditional → simplified, whitespace and punctuation removed). The same name always gives
the same id, across runs and refreshes; names stay in columns, never in paths.
report_id = "<agency_id>-<year>" (one report per agency and year); a document whose year is not
known gets "<agency_id>-doc<first 10 hex of its content SHA-256>".
"""

from __future__ import annotations

import hashlib
import re

from gongkai.normalize import compact

_SAFE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
UNKNOWN_AGENCY = "(unknown agency)"


def normalize_name(name: str | None) -> str:
    return compact(name or "") or UNKNOWN_AGENCY


def agency_id(name: str | None) -> str:
    return "ag" + hashlib.sha256(normalize_name(name).encode("utf-8")).hexdigest()[:12]


def report_id(agency: str, year: int | None, content_sha256: str | None) -> str:
    if year:
        return f"{agency}-{year}"
    return f"{agency}-doc{(content_sha256 or '0' * 10)[:10]}"


def is_safe_partition_value(value: str) -> bool:
    """Partition values are short lowercase ASCII: no separators, dots or percent-encoding."""
    return bool(_SAFE.match(value))
