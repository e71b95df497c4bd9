"""Agency identity and place: which organ a report belongs to, and where it is.

An agency's identity is a canonical key, a pure function of the printed name and the document's
evidence, so an id never changes when other documents arrive:

- the place names the name starts with become a division code (淮安市洪泽区人民政府 → 320813), so the
  short and the full forms of one organ meet (江苏省淮安市人民政府 = 淮安市人民政府);
- the words that name a government rather than a different organ are dropped (人民政府, 政府, 管委会,
  管理委员会): 平潭综合实验区 and 平潭综合实验区管委会 are one agency, 平潭综合实验区管委会办公室 another;
- a name that does not say where it is (县财政局, 马水镇, 教育局) is qualified by the place the
  document's source gives (the registry's agency for the portal, else the portal host), when that
  place is precise enough for the name; a name with no place and no evidence stays as printed.

agency_id = "ag" + the first 12 hex digits of SHA-256 of the key. The place columns come from the
name when it has one (place_source "name"), else from the registry ("registry") or the host ("host").
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from gongkai.normalize import compact

from .divisions import Division, admin_level, from_host, locate, locate_special_area

_GOVERNMENT_WORDS = ("人民政府", "政府", "管理委员会", "管委会")
_PLACE_END = ("省", "市", "区", "县", "旗", "盟", "州", "镇", "乡", "街道", "苏木")
_TOWNSHIP_END = ("镇", "乡", "街道", "街道办事处", "苏木")
# Special areas are named uniquely in the country: their name is their identity, a host only places them.
_SPECIAL_AREA = re.compile(r"(实验区|试验区|开发区|高新区|新区|自贸区|示范区|园区|经济区)")
_GENERIC_PREFIX = {"县": "county", "区": "county", "旗": "county", "市": "county|prefecture", "州": "prefecture",
                   "盟": "prefecture", "省": "province"}


@dataclass(frozen=True)
class Place:
    division: Division | None
    source: str | None  # name | registry | host
    level: str | None  # admin level of the agency: province | prefecture | county | township | department


@dataclass(frozen=True)
class Agency:
    key: str
    agency_id: str
    place: Place


def agency_id_of(key: str) -> str:
    return "ag" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def _core(rest: str) -> str:
    """The name without the words for 'the government of': 平潭综合实验区管委会 → 平潭综合实验区."""
    for word in _GOVERNMENT_WORDS:
        if rest.endswith(word):
            head = rest[: -len(word)]
            if head == "" or head.endswith(_PLACE_END):
                return head
    return rest


def _evidence_fits(core: str, ev: Division) -> tuple[str | None, bool]:
    """(the name as qualified by the evidence's place, or None when that place is not precise enough
    to identify the organ; whether the place may be given to the agency at all)."""
    if _SPECIAL_AREA.search(core):
        return None, True
    head = core[:1]
    if head in _GENERIC_PREFIX and len(core) > 1:  # 县财政局: the county's, which the evidence must be
        levels = _GENERIC_PREFIX[head].split("|")
        ev_name = ev.county or ev.prefecture or ev.province or ""
        fits = ev.level in levels and ev_name.endswith(head)
        return (core[1:] if fits else None), fits
    if core.endswith(_TOWNSHIP_END):  # 马水镇: a town is only unique within its county
        return (core if ev.level == "county" else None), True
    return core, True


@lru_cache(maxsize=262144)
def identify(name: str | None, source_agency: str | None = None, host: str | None = None) -> Agency | None:
    """The agency a printed name stands for, or None when no name was read."""
    norm = compact(name or "")
    if not norm:
        return None
    div = locate(norm)
    if div is not None:
        core = _core(norm[div.prefix:])
        return Agency(f"{div.code}:{core}", agency_id_of(f"{div.code}:{core}"),
                      Place(div, "name", admin_level(norm, div)))
    core = _core(norm)
    area = locate_special_area(core) if _SPECIAL_AREA.search(core) else None
    if area is not None:  # 平潭综合实验区: its name is its identity; its short place name places it
        return Agency(core, agency_id_of(core), Place(area, "name", admin_level(norm)))
    registry = locate(compact(source_agency)) if source_agency else None
    ev, ev_source = (registry, "registry") if registry else (from_host(host), "host")
    level = admin_level(norm)
    if ev is None:
        return Agency(core, agency_id_of(core), Place(None, None, level))
    qualified, place_ok = _evidence_fits(core, ev)
    key = f"{ev.code}:{qualified}" if qualified is not None else core
    return Agency(key, agency_id_of(key), Place(ev, ev_source, level) if place_ok else Place(None, None, level))


class IdCollisionError(ValueError):
    """Two different agency keys hashed to one agency_id (48 bits: unlikely, but refused)."""


class Registry:
    """Every agency seen in a build: its key (refusing id collisions), the names it was printed under
    (the alias table), and its place."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}
        self.names: dict[str, dict[str, int]] = {}
        self.places: dict[str, dict[tuple[str | None, str | None], int]] = {}
        self.levels: dict[str, dict[str, int]] = {}

    def add(self, agency: Agency, printed: str) -> None:
        aid = agency.agency_id
        if self.keys.setdefault(aid, agency.key) != agency.key:
            raise IdCollisionError(f"{aid}: {self.keys[aid]!r} and {agency.key!r}")
        names = self.names.setdefault(aid, {})
        names[printed] = names.get(printed, 0) + 1
        p = agency.place
        code = p.division.code if p.division else None
        places = self.places.setdefault(aid, {})
        places[(code, p.source)] = places.get((code, p.source), 0) + 1
        if p.level:
            levels = self.levels.setdefault(aid, {})
            levels[p.level] = levels.get(p.level, 0) + 1

    def display_name(self, aid: str) -> str:
        """The name printed most often (then the longest, then the first in code-point order)."""
        return min(self.names[aid].items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0]

    def place(self, aid: str) -> tuple[str | None, str | None]:
        """(division code, source): the name's own place first; then the evidence most documents agree
        on; evidence that disagrees leaves the place unknown rather than picked."""
        seen = self.places.get(aid, {})
        named = [code for (code, src) in seen if src == "name" and code]
        if named:
            return min(named), "name"
        for src in ("registry", "host"):
            codes = {code for (code, s) in seen if s == src and code}
            if len(codes) == 1:
                return codes.pop(), src
            if len(codes) > 1:
                return None, None
        return None, None

    def level(self, aid: str) -> str | None:
        levels = self.levels.get(aid)
        return min(levels.items(), key=lambda kv: (-kv[1], kv[0]))[0] if levels else None
