"""Text normalization: NFKC, traditional → simplified, pinyin annotations, label compaction.

Applied to cell and label texts, not to whole pages: a page can be 300 KB of chrome.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


def simplify_document(text: str) -> str:
    """Whole-document normalization for metadata and narrative sections (not cached)."""
    t = unicodedata.normalize("NFKC", text)
    if "(" in t:
        t = _PINYIN.sub("", t)
    return _T2S.convert(t)
