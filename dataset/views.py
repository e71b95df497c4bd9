"""The per-document and per-agency tables: documents, reports, report_summary, agencies, agency_aliases.

documents, reports and report_summary are three views of one staged row per document: every
document with its role; the published copies with their agency's place and their copies; the same
with the headline numbers. The joins are columnar (take by document index, index_in by agency_id).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .agencies import Registry
from .arrow import REPORTS
from .divisions import by_code
from .identity import Choice
from .parquet import conform
from .staging import Route, Staging
from .tables import DocMeta

PLACE_COLUMNS = ("province", "prefecture", "county", "division_code", "region", "admin_level", "place_source")


def _place_of(agencies: Registry, aid: str) -> dict[str, Any]:
    code, source = agencies.place(aid)
    div = by_code(code) if code else None
    return {"province": div.province if div else None, "prefecture": div.prefecture if div else None,
            "county": div.county if div else None, "division_code": code, "region": div.region if div else None,
            "admin_level": agencies.level(aid), "place_source": source if div else None}


def place_table(agencies: Registry) -> pa.Table:
    ids = sorted(agencies.keys)
    rows = [_place_of(agencies, a) for a in ids]
    return pa.table({"agency_id": pa.array(ids, pa.string()),
                     **{c: pa.array([r[c] for r in rows], pa.string()) for c in PLACE_COLUMNS}})


def docs_views(staging: Staging, choice: Choice, agencies: Registry,
               rank: np.ndarray) -> Callable[[str, Route], pa.Table]:
    role = pa.array(choice.role, pa.string())
    reason = pa.array(choice.reason, pa.string())
    copies = np.zeros(choice.n_docs, dtype=np.int32)
    disagreeing = np.zeros(choice.n_docs, dtype=np.int32)
    for rid, docs in choice.members.items():
        copies[docs[0]] = len(docs)
        disagreeing[docs[0]] = choice.disagreeing.get(rid, 0)
    places = place_table(agencies)

    def view(name: str, route: Route) -> pa.Table:
        rows = staging.read("docs", route)
        doc = rows.column("doc").to_numpy()
        if name == "documents":
            return conform(name, rows.append_column("role", role.take(doc)).append_column("reason", reason.take(doc)),
                           rank)
        rows = rows.filter(pa.array(choice.is_chosen[doc], pa.bool_()))
        doc = rows.column("doc").to_numpy()
        at = pc.index_in(rows.column("agency_id"), value_set=places.column("agency_id"))
        for c in PLACE_COLUMNS:
            rows = rows.append_column(c, places.column(c).take(at))
        n = pa.array(copies[doc], pa.int32())
        d = pa.array(disagreeing[doc], pa.int32())
        rows = rows.append_column("copies", n).append_column("other_sources", pc.subtract(n, 1))
        rows = rows.append_column("copies_disagree", pc.greater(d, 0)).append_column("disagreeing_cells", d)
        if name == "reports":
            rows = rows.append_column("parser_version", rows.column("extractor_version"))
        return conform(name, rows, rank)

    return view


def agency_rows(agencies: Registry, metas: list[DocMeta], choice: Choice) -> list[dict[str, Any]]:
    years: dict[str, list[int]] = defaultdict(list)
    reports: Counter[str] = Counter()
    for idx in choice.chosen.values():
        m = metas[idx]
        if m.agency_id:
            reports[m.agency_id] += 1
            if m.year:
                years[m.agency_id].append(m.year)
    out = []
    for aid in sorted(agencies.keys):
        ys = years.get(aid, [])
        out.append({"agency_id": aid, "agency_name": agencies.display_name(aid), **_place_of(agencies, aid),
                    "names": len(agencies.names[aid]), "reports": reports.get(aid, 0),
                    "first_year": min(ys) if ys else None, "last_year": max(ys) if ys else None})
    return out


def alias_rows(agencies: Registry) -> list[dict[str, Any]]:
    return [{"agency_id": aid, "alias": name, "documents": n}
            for aid in sorted(agencies.names) for name, n in sorted(agencies.names[aid].items())]


__all__ = ["REPORTS", "agency_rows", "alias_rows", "docs_views", "place_table"]
