"""Datasette plugin of the explorer: a page per agency, Chinese labels beside keys, links to agencies,
and the home page's lists. Registered by cli/serve.py (`pm.register`), so it needs no entry point.
"""

from __future__ import annotations

import re
import weakref
from typing import Any
from urllib.parse import quote, urlencode

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from cli.explorer.chart import line_chart
from cli.explorer.database import CELL_TABLES, DB_NAME, PLACES, SUMMARY_ROWS, SUMMARY_T4

# Labels and their form order per Datasette instance, loaded once at startup (the database is immutable).
_LABELS: weakref.WeakKeyDictionary[Any, dict[tuple[str, str, str], str]] = weakref.WeakKeyDictionary()
_ORDER: weakref.WeakKeyDictionary[Any, dict[tuple[str, str, str], int]] = weakref.WeakKeyDictionary()
KEY_COLUMNS = {"row_key": "row", "col_key": "col", "block": "block"}
TABLE_COLUMNS = ("table_name", "table")
# The headline numbers the agency chart follows over the years (report_summary columns).
CHART = ("apps_new_received", "apps_results_total", "apps_granted", "apps_withheld_total", "apps_carried_forward")


@hookimpl
def startup(datasette: Any) -> Any:
    async def load() -> None:
        db = datasette.get_database(DB_NAME)
        rows = list(await db.execute("SELECT table_name, kind, key, label_zh FROM labels ORDER BY rowid"))
        _LABELS[datasette] = {(r[0], r[1], r[2]): r[3] for r in rows}
        _ORDER[datasette] = {(r[0], r[1], r[2]): i for i, r in enumerate(rows)}

    return load


def label(datasette: Any, table: str, kind: str, key: str) -> str | None:
    return _LABELS.get(datasette, {}).get((table, kind, key))


def _agency_url(datasette: Any, agency_id: str) -> str:
    return datasette.urls.path(f"/agency/{quote(agency_id, safe='')}")


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    if database != DB_NAME or value is None or value == "":
        return None
    keys = row.keys() if hasattr(row, "keys") else []
    if column in ("agency_name", "agency_id") and "agency_id" in keys and row["agency_id"]:
        return Markup(f'<a href="{escape(_agency_url(datasette, row["agency_id"]))}">{escape(value)}</a>')
    source = table if table in CELL_TABLES else (row["table_name"] if "table_name" in keys else None)
    if column in KEY_COLUMNS and source:
        zh = label(datasette, str(source), KEY_COLUMNS[column], str(value))
        if zh:
            return Markup(f'{escape(value)} <span class="gk-zh">{escape(zh)}</span>')
    if column in TABLE_COLUMNS and table in ("checks", "inconsistent", "codebook", "labels", "disagreements"):
        zh = label(datasette, "", "table", str(value))
        if zh:
            return Markup(f'{escape(value)} <span class="gk-zh">{escape(zh)}</span>')
    return None


@hookimpl
def asgi_wrapper() -> Any:
    """Read-only at the door: a method other than GET, HEAD or OPTIONS is answered 405, before any
    view sees it (Datasette's own answer to a POST on a table is an internal error)."""

    def wrap(app: Any) -> Any:
        async def read_only(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
                await Response.text("read-only: this explorer changes nothing\n", status=405,
                                    headers={"Allow": "GET, HEAD, OPTIONS"}).asgi_send(send)
                return
            await app(scope, receive, send)

        return read_only

    return wrap


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.path("/gongkai-static/gongkai.css")]


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/agency/(?P<agency_id>[^/]+)$", agency_page)]


@hookimpl
def extra_template_vars(view_name: str, datasette: Any) -> Any:
    if view_name != "index":
        return {}

    async def home() -> dict[str, Any]:
        db = datasette.get_database(DB_NAME)
        cols = {r[1] for r in await db.execute("PRAGMA table_info(report_summary)")}
        provinces = []
        if "province" in cols:
            provinces = list(await db.execute(
                "SELECT province, count(*) AS n FROM report_summary WHERE province IS NOT NULL "
                "GROUP BY province ORDER BY n DESC, province"))
        years = list(await db.execute("SELECT year, count(*) AS n FROM report_summary GROUP BY year ORDER BY year"))
        failing = (await db.execute("SELECT count(DISTINCT report_id) FROM inconsistent")).first()[0]
        total = (await db.execute("SELECT count(*) FROM report_summary")).first()[0]
        return {"gk_provinces": provinces, "gk_years": years, "gk_failing": failing, "gk_reports": total,
                "gk_table_url": lambda table, **q: _table_url(datasette, table, q)}

    return home


def short_label(zh: str) -> str:
    """A form label without its numbering and 小计 note, for a legend: （三）不予公开（小计） → 不予公开;
    a bare 总计 says which total it is."""
    text = re.sub(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)", "", zh)
    text = re.sub(r"（小计）$", "", text)
    return "办理结果总计" if text == "总计" else text


def _table_url(datasette: Any, table: str, params: dict[str, Any]) -> str:
    url: str = datasette.urls.table(DB_NAME, table)
    return url + ("?" + urlencode(params) if params else "")


async def agency_page(datasette: Any, request: Any) -> Response:
    agency_id = request.url_vars["agency_id"]
    db = datasette.get_database(DB_NAME)
    years = [dict(r) for r in await db.execute(
        "SELECT * FROM report_summary WHERE agency_id = ? ORDER BY year", [agency_id])]
    if not years:
        raise NotFound(f"no agency {agency_id}")
    cols = set(years[0])
    place = [years[-1].get(p) for p in PLACES if years[-1].get(p)] or [years[-1].get("region")]
    labels = _LABELS.get(datasette, {})
    headline = [(f"apps_{rk}", labels.get(("applications", "row", rk), rk)) for rk in SUMMARY_ROWS]
    headline += [(f"t4_{ck}", labels.get(("review_litigation", "col", ck), ck)) for ck in SUMMARY_T4]
    headline = [(c, zh) for c, zh in headline if c in cols]
    chart = line_chart(
        [int(y["year"]) for y in years],
        [(short_label(dict(headline).get(c, c)), c.removeprefix("apps_"), [y.get(c) for y in years])
         for c in CHART if c in cols],
        title="表三 headline numbers 主要数字 (总计 column)")
    t3 = await _applications_by_year(db, agency_id, [int(y["year"]) for y in years], labels)
    order = _ORDER.get(datasette, {})
    t3.sort(key=lambda r: order.get(("applications", "row", r["key"]), len(order)))
    failing = [dict(r) for r in await db.execute(
        "SELECT * FROM inconsistent WHERE agency_id = ? ORDER BY year, table_name, rule", [agency_id])]
    q = {"agency_id": agency_id}
    context = {
        "agency_id": agency_id, "agency_name": years[-1].get("agency_name") or agency_id,
        "place": " ".join(str(p) for p in place if p), "level": years[-1].get("admin_level"),
        "years": years, "headline": headline, "chart": Markup(chart), "t3": t3, "failing": failing,
        "links": {
            "reports": _table_url(datasette, "report_summary", {**q, "_sort": "year"}),
            "reports_csv": datasette.urls.table(DB_NAME, "report_summary", format="csv") + "?"
                           + urlencode({**q, "_sort": "year", "_size": "max"}),
            "reports_json": datasette.urls.table(DB_NAME, "report_summary", format="json") + "?"
                            + urlencode({**q, "_sort": "year", "_shape": "array"}),
            "t3_csv": datasette.urls.query(DB_NAME, "agency_applications", format="csv") + "?" + urlencode(q),
            "t3_json": datasette.urls.query(DB_NAME, "agency_applications", format="json") + "?"
                       + urlencode({**q, "_shape": "array"}),
            "inconsistent": _table_url(datasette, "inconsistent", q),
            "inconsistent_csv": datasette.urls.table(DB_NAME, "inconsistent", format="csv") + "?" + urlencode(q),
        },
    }
    html = await datasette.render_template("gongkai_agency.html", context, request=request)
    return Response.html(html)


async def _applications_by_year(db: Any, agency_id: str, years: list[int],
                                labels: dict[tuple[str, str, str], str]) -> list[dict[str, Any]]:
    """表三, 总计 column: one row per key in form order, one value per year (None: not printed)."""
    rows = await db.execute(
        "SELECT s.year, a.row_key, a.value, a.derived FROM applications a JOIN report_summary s USING (report_id) "
        "WHERE s.agency_id = ? AND a.col_key = 'total' ORDER BY a.rowid", [agency_id])
    table: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = table.setdefault(r["row_key"], {"key": r["row_key"], "derived": bool(r["derived"]), "values": {},
                                                "zh": labels.get(("applications", "row", r["row_key"]), "")})
        if r["value"] is not None or int(r["year"]) not in entry["values"]:
            entry["values"][int(r["year"])] = r["value"]
    return [{**e, "values": [e["values"].get(y) for y in years]} for e in table.values()]
