"""The source registry (crawler/sources.toml): report columns and hubs to crawl.

A bad registry is our bug, so loading fails fast with a message naming the entry.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["FAMILIES", "LEVELS", "OVERRIDES", "Source", "load_sources", "source_for_url"]

FAMILIES = ("trs", "hanweb", "hanweb_xxgk", "gkmlpt", "shaanxi", "trs_search", "generic")
LEVELS = ("central", "province", "prefecture", "county", "district", "township")
DEFAULT_PATH = Path(__file__).with_name("sources.toml")
OVERRIDES = {
    "list_selector": "CSS selector: report links are taken only from inside it (all list pages)",
    "page_pattern": "page-count rule, e.g. 'index_{n}.html': with page_count, pages 2..N of the entry column",
    "page_count": "number of pages of the entry column, for page_pattern",
    "areas": "hanweb_xxgk: unit codes to enumerate xxgkAnnualReport.jsp?area=&fbtime=",
    "years": "hanweb_xxgk: report years to enumerate",
    "categories": "gkmlpt: category ids (default: categories named 年报/年度报告)",
    "max_depth": "column nesting below the entry page",
    "list_api": "trs 动静结合: the list API path (e.g. '/fjdzapp/search') when the page's script names none;"
                " set it only once verified: an API is never guessed",
}


@dataclass(frozen=True)
class Source:
    name: str
    entry: str
    level: str = "generic"
    family: str = "generic"
    agency: str | None = None
    last_verified: str = "never"  # ISO date of the last successful probe, or "never"
    overrides: dict[str, Any] = field(default_factory=dict)
    hosts: tuple[str, ...] = ()  # extra hosts (bare IPs) this source may fetch from

    @property
    def host(self) -> str:
        return urlsplit(self.entry).netloc.lower()


class RegistryError(ValueError):
    pass


def _source(raw: dict[str, Any], where: str) -> Source:
    for key in ("name", "entry"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise RegistryError(f"{where}: missing '{key}'")
    name = raw["name"]
    if urlsplit(raw["entry"]).scheme not in ("http", "https"):
        raise RegistryError(f"{name}: entry must be an http(s) URL")
    family = raw.get("family", "generic")
    if family not in FAMILIES:
        raise RegistryError(f"{name}: unknown family {family!r} (one of {', '.join(FAMILIES)})")
    level = raw.get("level", "generic")
    if level not in (*LEVELS, "generic"):
        raise RegistryError(f"{name}: unknown level {level!r}")
    lv = str(raw.get("last_verified", "never"))
    if lv != "never":
        try:
            date.fromisoformat(lv)
        except ValueError as e:
            raise RegistryError(f"{name}: last_verified must be an ISO date or 'never'") from e
    overrides = raw.get("overrides", {})
    if not isinstance(overrides, dict):
        raise RegistryError(f"{name}: overrides must be a table")
    bad = set(overrides) - set(OVERRIDES)
    if bad:
        raise RegistryError(f"{name}: unknown overrides {sorted(bad)} (known: {', '.join(OVERRIDES)})")
    unknown = set(raw) - {"name", "entry", "level", "family", "agency", "last_verified", "overrides", "hosts",
                          "note"}
    if unknown:
        raise RegistryError(f"{name}: unknown keys {sorted(unknown)}")
    return Source(name, raw["entry"], level, family, raw.get("agency"), lv, overrides,
                  tuple(str(h).lower() for h in raw.get("hosts", [])))


def load_sources(path: Path | None = None) -> list[Source]:
    with open(path or DEFAULT_PATH, "rb") as fh:
        data = tomllib.load(fh)
    raws = data.get("source", [])
    if not isinstance(raws, list):
        raise RegistryError("[[source]] entries expected")
    sources = [_source(r, f"source #{i + 1}") for i, r in enumerate(raws)]
    names = [s.name for s in sources]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise RegistryError(f"duplicate source names: {sorted(dupes)}")
    return sources


def source_for_url(url: str, name: str = "adhoc") -> Source:
    return Source(name=name, entry=url)
