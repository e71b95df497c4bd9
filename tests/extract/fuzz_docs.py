"""The real documents the fuzz harness mutates, with their hand-checked truth, and one extraction
path for all of it: a child process under hard limits (sandbox.py).

Sources: the shared corpus (../shared/corpus/docs, truth.csv), the committed real documents
(tests/fixtures/real, truth.csv) and the PDF/DOCX renderings of corpus pages that
tests/fixtures/real/make_office.py builds in memory at test time (their source page's truth).
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal

from benchmarks.real_docs_report import committed_docs, corpus_docs, corpus_rendering
from gongkai.model import ExtractResult, ExtractStatus
from tests.conftest import DOCS, load_truth
from tests.extract.sandbox import SANDBOX

Key = tuple[str, str, str, str]
BUDGET_S = 30.0  # CPU seconds: the corpus documents need well under one
_CORPUS_TRUTH = {name: {k: v for k, (v, _notes) in cells.items()} for name, cells in load_truth().items()}


@functools.cache
def _others() -> dict[str, tuple[bytes | None, dict[Key, Decimal | None]]]:
    """Committed documents and renderings: name → (bytes, or None for a rendering built on demand; truth)."""
    out: dict[str, tuple[bytes | None, dict[Key, Decimal | None]]] = {}
    for doc in [*committed_docs(), *corpus_docs()]:
        if doc.truth:
            out[doc.name] = (doc.path.read_bytes() if doc.path else None, {k: v for k, (v, _n) in doc.truth.items()})
    return out


def names(prefix: str, suffix: str = "") -> list[str]:
    """Documents with truth whose name starts with `prefix` (a tuple of prefixes) and ends with `suffix`."""
    found = {n for n in [*_CORPUS_TRUTH, *_others()] if n.startswith(prefix) and n.endswith(suffix)}
    return sorted(found)


@functools.cache
def data(name: str) -> bytes:
    if name in _CORPUS_TRUTH or (DOCS / name).is_file():
        return (DOCS / name).read_bytes()
    raw, _truth = _others()[name]
    return raw if raw is not None else corpus_rendering(name)


def truth(name: str) -> dict[Key, Decimal | None]:
    return _CORPUS_TRUTH[name] if name in _CORPUS_TRUTH else _others()[name][1]


def extract(data: bytes, name: str) -> ExtractResult:
    """The contract every mutated document is held to first: a status other than crashed, within the
    CPU budget, the memory cap and the wall limit, and a result that serializes."""
    r = SANDBOX.extract(data, name, BUDGET_S)
    assert r.status is not ExtractStatus.CRASHED, r.errors
    assert r.status is not ExtractStatus.TOO_COMPLEX, f"{name}: past {BUDGET_S} s of CPU"
    json.dumps(r.to_json(), ensure_ascii=False)  # serialization never breaks
    return r


@functools.cache
def base(name: str) -> ExtractResult:
    return extract(data(name), name)


TEMPLATE = "docx_template_2021_blank_gongkai_nianbao_moban.docx"


@functools.cache
def template_truth() -> dict[Key, Decimal | None]:
    """The blank template's truth: every cell of the form it prints is blank (checked here, not assumed)."""
    r = base(TEMPLATE)
    cells = [c for c in r.cells if not c.derived]
    assert cells and all(c.value is None for c in cells) and any(e.code == "all_blank" for e in r.errors), r.errors
    return {c.key: None for c in cells}
