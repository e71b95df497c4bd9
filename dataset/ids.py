"""Stable ASCII identifiers.

agency_id (see agencies.py) = "ag" + the first 12 hex digits of SHA-256 over the agency's canonical key.
report_id = "<agency_id>-<year>" (one report per agency and year); a report whose year is not known
gets "<agency_id>-doc<first 10 hex of its content SHA-256>", and one whose agency is not known
"doc-<first 16 hex of its content SHA-256>": its own identity, never shared with another report.
"""

from __future__ import annotations

import re

_SAFE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def report_id(agency_id: str | None, year: int | None, content_sha256: str) -> str:
    if agency_id is None:
        return f"doc-{content_sha256[:16]}"
    if year:
        return f"{agency_id}-{year}"
    return f"{agency_id}-doc{content_sha256[:10]}"


def is_safe_partition_value(value: str) -> bool:
    """Path parts are short lowercase ASCII: no separators, dots or percent-encoding."""
    return bool(_SAFE.match(value))
