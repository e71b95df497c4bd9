"""Report identity: which documents are one report, which copy is published, and where copies disagree.

One report per (agency, year). When several documents carry it (a page and its PDF attachment, a
re-post on a county hub, a mirror), the published copy is chosen by one documented rule, applied in
this order (the choice never depends on the order documents arrive in):

1. the better extraction status (extracted, extracted_with_issues, partial, pre2019, no_tables,
   needs_ocr, unsupported_format, too_complex, crashed, unreadable, then statuses this build does not know);
2. more printed cells with a value; 3. more printed cells;
4. the later capture (fetched_at); 5. the smaller content SHA-256, then the smaller URL.

Every copy stays in `documents` (role `copy`, with the report_id it carries). Copies whose printed
values differ are compared cell by cell: the report gets `copies_disagree` and each differing cell
of each copy is listed in `disagreements`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .tables import DocMeta

RULE = ("status, then printed cells with a value, then printed cells, then the later capture, "
        "then the smaller content SHA-256 and URL")


@dataclass
class Choice:
    n_docs: int
    chosen: dict[str, int] = field(default_factory=dict)  # report_id → doc
    members: dict[str, list[int]] = field(default_factory=dict)  # report_id → docs (chosen first)
    role: list[str] = field(default_factory=list)
    reason: list[str | None] = field(default_factory=list)
    is_chosen: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    compare: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # docs whose cells to compare
    disagreeing: dict[str, int] = field(default_factory=dict)  # report_id → differing cells
    disagreements: list[dict[str, Any]] = field(default_factory=list)


def choose(metas: list[DocMeta]) -> Choice:
    n = len(metas)
    c = Choice(n, role=["not_a_report"] * n, reason=[m.reason for m in metas],
               is_chosen=np.zeros(n, dtype=bool), compare=np.zeros(n, dtype=bool))
    groups: dict[str, list[DocMeta]] = defaultdict(list)
    for m in metas:
        if m.report_id is not None:
            groups[m.report_id].append(m)
    for rid, docs in groups.items():
        docs = sorted(docs, key=lambda m: (m.sha, m.url))
        docs.sort(key=lambda m: m.fetched_at, reverse=True)
        docs.sort(key=lambda m: m.rank)
        best = docs[0]
        c.chosen[rid] = best.idx
        c.members[rid] = [m.idx for m in docs]
        c.is_chosen[best.idx] = True
        c.role[best.idx] = "chosen"
        for m in docs[1:]:
            c.role[m.idx] = "copy"
            c.reason[m.idx] = f"another copy of {rid} was published ({best.url})"
        digests = {m.digest for m in docs if m.digest is not None}
        if len(digests) > 1:
            for m in docs:
                if m.digest is not None:
                    c.compare[m.idx] = True
    return c


def compare_copies(c: Choice, table_name: str, rows: pa.Table, urls: dict[int, tuple[str, str]]) -> None:
    """Find the printed cells whose values differ between copies of one report, in one staged bucket.
    `urls` maps a doc to (url, sha256)."""
    docs = rows.column("doc").to_numpy()
    mask = c.compare[docs] if len(docs) else np.zeros(0, dtype=bool)
    if not mask.any():
        return
    sub = rows.filter(pa.array(mask)).filter(pc.invert(rows.filter(pa.array(mask)).column("derived")))
    cells: dict[tuple[str, str, str, str], list[tuple[int, Any, str]]] = defaultdict(list)
    for d, rid, block, row, col, value, raw in zip(*(sub.column(k).to_pylist() for k in (
            "doc", "report_id", "block", "row_key", "col_key", "value", "raw")), strict=True):
        if value is not None:
            cells[(rid, block, row, col)].append((d, value, raw))
    for (rid, block, row, col), seen in sorted(cells.items()):
        if len({v for _d, v, _r in seen}) < 2:
            continue
        c.disagreeing[rid] = c.disagreeing.get(rid, 0) + 1
        for d, value, raw in seen:
            url, sha = urls[d]
            c.disagreements.append({"report_id": rid, "table_name": table_name, "block": block, "row_key": row,
                                    "col_key": col, "content_sha256": sha, "source_url": url,
                                    "chosen": bool(c.is_chosen[d]), "value": float(value), "raw": raw})
