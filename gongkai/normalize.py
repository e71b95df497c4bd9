"""Text normalization: NFKC, traditional → simplified, pinyin annotations, label compaction.

Applied to cell and label texts, not to whole pages: a page can be 300 KB of chrome.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")

# A CJK character followed by its pinyin in parentheses, as mirror sites print them: 區(qū), 務(wù).
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")
# Characters that never appear in simplified text but do in traditional: a cheap pre-test.
_LIKELY_TRAD = re.compile(r"[\u4e00-\u9fff]")
_PUNCT = re.compile(r"[\s\u3000\u00a0\"'“”‘’「」『』《》<>()（）\[\]【】{}:：;；,，。.、·\-—–_/|*＊!！?？…]+")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=65536)
def simplify(text: str) -> str:
    """NFKC + traditional → simplified + pinyin annotations removed. Cached: labels repeat."""
    t = unicodedata.normalize("NFKC", text)
    if "(" in t:
        t = _PINYIN.sub("", t)
    if _LIKELY_TRAD.search(t):
        t = _T2S.convert(t)
    return t


@lru_cache(maxsize=65536)
def compact(text: str) -> str:
    """Simplified text without whitespace or punctuation: the form labels are matched in."""
    return _PUNCT.sub("", simplify(text)).replace("档案", "文件")


# Full-width ASCII forms (１２，：) and the ideographic space → ASCII: the part of NFKC numbers need.
_HALF_WIDTH = {chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " "}
_FULL_WIDTH = re.compile("[" + "".join(_HALF_WIDTH) + "]")


def half_width(text: str) -> str:
    """`text.translate` with the table above, done as one replace per full-width character the text
    holds: a handful in Chinese prose (，：（）), where translate looks up every character."""
    for ch in set(_FULL_WIDTH.findall(text)):
        text = text.replace(ch, _HALF_WIDTH[ch])
    return text


def simplify_fast(text: str) -> str:
    """Traditional → simplified and full-width → half-width only: cheaper than NFKC on long text."""
    return _T2S.convert(half_width(text))


def simplify_document(text: str) -> str:
    """Whole-document normalization for metadata and narrative sections (not cached)."""
    t = unicodedata.normalize("NFKC", text)
    if "(" in t:
        t = _PINYIN.sub("", t)
    return _T2S.convert(t)


@cache
def _traditional_forms() -> dict[str, str]:
    """Simplified character → the traditional characters OpenCC turns into it (复 → 複復)."""
    chars = [chr(i) for i in range(0x4E00, 0xA000)]
    out: dict[str, str] = {}
    for t, s in zip(chars, _T2S.convert("\n".join(chars)).split("\n"), strict=True):
        if t != s and len(s) == 1:
            out[s] = out.get(s, "") + t
    return out


def loose(word: str) -> str:
    """A regular expression for a simplified word as reports print it: each character also in its
    traditional forms, spaces or a table pipe between characters, punctuation optional."""
    forms = _traditional_forms()
    parts = []
    for ch in word:
        if _PUNCT.fullmatch(ch):
            parts.append(f"(?:{re.escape(ch)})?")
        else:
            parts.append(f"[{ch}{forms.get(ch, '')}]")
    return r"[\s|]*".join(parts)
