"""Score the extractor on real reports nobody tuned it to: per document, how many hand-checked cells come out
exact, wrong-but-flagged, or silently wrong (a wrong or missing value that nothing warns of).

    .venv/bin/python -m benchmarks.real_docs_report          # the table, then every silent failure

The documents: those committed in tests/fixtures/real (their manifest.csv and truth.csv), and the PDF/DOCX
renderings of shared-corpus pages that tests/fixtures/real/make_office.py lists in CORPUS_RENDERINGS. Those are
built here in memory from ../shared/corpus/docs (never committed: the corpus is not copied into the repository)
and scored against ../shared/corpus/truth.csv, the rows of their source page. Without the shared corpus they are
left out, and the report says so.

Metadata (agency, report year, publication date) is scored against the manifest's truth_agency (the names
as printed, alternatives separated by "|"; empty when the document prints none), year and truth_published: a
value is *exact*, *absent* (printed but not extracted: a gap, not an error), *flagged* (wrong, and an error of the
document names the field) or *silent* (wrong and unflagged, e.g. a sentence fragment taken for the agency). For the
renderings and for the Pingtan reports of the shared corpus the truth comes from the corpus's manifest.csv (see
corpus_meta_truth).

A truth cell counts as *flagged* when the extracted cell carries a warning flag (any flag but the purely
informational ones below), when one of the document's errors names its row (or its table is missing),
or when the document lists it as missing. Everything else that is not exact is *silent*: the defect
issue 8 forbids. tests/extract/test_real_docs.py asserts there is none.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import ModuleType

from extract.document import extract_document
from gongkai.model import Cell, CellState, ExtractResult, ExtractStatus, Issue

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "real"
# The shared corpus where tests/conftest.py finds it (GONGKAI_SHARED, else ../shared beside the repository).
CORPUS = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared")) / "corpus"

Key = tuple[str, str, str, str]  # table, block, row_key, col_key

# Flags that describe how a value was printed or read, not a doubt about it: a wrong value that carries
# only these is still a silent error.
INFORMATIONAL_FLAGS = frozenset({
    "unit_in_cell", "annotated", "thousands_separator", "explicit_sign", "converted_from_yuan", "derived",
    "split_from_run", "split_by_table_identity",
})
# Issue codes that declare a whole table absent: every cell of it is accounted for.
TABLE_ABSENT_CODES = frozenset({"table_missing"})
# Statuses that claim no table values at all (no_tables, unreadable, crashed, ...): nothing is silently
# wrong in them, every truth cell is accounted for by the status. Only these claim values:
CLAIMING_STATUSES = frozenset({ExtractStatus.EXTRACTED, ExtractStatus.EXTRACTED_WITH_ISSUES, ExtractStatus.PARTIAL})


@dataclass(frozen=True, slots=True)
class Miss:
    """One truth cell that did not come out exact."""

    key: Key
    printed: Decimal | None
    extracted: str  # the extracted value, "<no cell>" or "<blank>"
    flags: tuple[str, ...]
    silent: bool


@dataclass(slots=True)
class Score:
    name: str
    status: str
    exact: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def flagged(self) -> int:
        return sum(not m.silent for m in self.misses)

    @property
    def silent(self) -> list[Miss]:
        return [m for m in self.misses if m.silent]

    @property
    def total(self) -> int:
        return self.exact + len(self.misses)


Truth = dict[str, dict[Key, tuple[Decimal | None, str]]]


def load_truth(directory: Path = FIXTURES) -> Truth:
    truth: Truth = defaultdict(dict)
    with (directory / "truth.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = (r["table"], r["block"], r["row_key"], r["col_key"])
            truth[r["file"]][key] = (Decimal(r["value"]) if r["value"] != "" else None, r["notes"])
    return truth


def load_manifest(directory: Path = FIXTURES) -> list[dict[str, str]]:
    with (directory / "manifest.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


# ------------------------------------------------------------------ documents of the shared corpus

def corpus_available() -> bool:
    return (CORPUS / "manifest.csv").is_file() and (CORPUS / "truth.csv").is_file() and (CORPUS / "docs").is_dir()


def corpus_missing_reason() -> str:
    return (f"shared corpus not found at {CORPUS} (set GONGKAI_SHARED): its documents, and the renderings built from "
            "its pages, are read from there at test time, never copied")


@functools.cache
def make_office() -> ModuleType:
    """tests/fixtures/real/make_office.py (a script beside its fixtures, not a package)."""
    spec = importlib.util.spec_from_file_location("make_office", FIXTURES / "make_office.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_office"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def rendering_sources() -> dict[str, str]:
    """Rendering name -> the shared-corpus page it is built from."""
    return {name: source for name, source, _brk in make_office().CORPUS_RENDERINGS}


@functools.cache
def corpus_rendering(name: str) -> bytes:
    """A rendering of CORPUS_RENDERINGS, built in memory from ../shared/corpus/docs (once per process)."""
    _name, source, brk = next(r for r in make_office().CORPUS_RENDERINGS if r[0] == name)
    data: bytes = make_office().build(name, CORPUS / "docs" / source, brk)
    return data


# The date a TRS portal puts in the page's address (…/t20250310_97791.htm), and a publication date the manifest's
# notes record where the page prints another one ("page.txt 发布时间 2026-03-10 but URL date t20260313").
_URL_DATE = re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_")
_NOTED_DATE = re.compile(r"发布时间\s*((?:19|20)\d{2}-\d{2}-\d{2})")
# The name the title gives the reporting body, as the manifest's source path keeps the title
# (…/97791_平潭综合实验区2024年度政府信息公开工作年度报告/page.html).
_TITLE_NAME = re.compile(r"/\d+_(.+?)(?:19|20)\d{2}\s*年")


def corpus_meta_truth(row: dict[str, str], manifest: list[dict[str, str]]) -> dict[str, str]:
    """Metadata truth of a shared-corpus document (or a rendering of it) from its manifest row: the agency as the
    manifest names it and as the title names it (平潭综合实验区管委会 / 平潭综合实验区: the same organ), the year, and
    the publication date in the page's address or in the notes of any row of the same page (its html_ and
    textflat_ rows share the address; the notes are on one of them)."""
    names = [row["agency"]]
    title = _TITLE_NAME.search(row["source_path"])
    if title:
        names.append(title.group(1))
    same_page = [r for r in manifest if row["original_url"] and r["original_url"] == row["original_url"]] or [row]
    dates = ["-".join(d) for d in _URL_DATE.findall(row["original_url"])]
    dates += [d for r in same_page for d in _NOTED_DATE.findall(r["notes"])]
    return {"file": row["file"], "truth_agency": "|".join(dict.fromkeys(names)), "year": row["year"],
            "truth_published": "|".join(dict.fromkeys(dates))}


# The Pingtan zone's reports on the 2019/2021 forms: the corpus documents whose metadata is scored here.
_PINGTAN_REPORT = re.compile(r"^(?:html|textflat)_\d{4}_fujian_pingtan_gov\.(?:html|txt)$")


def pingtan_reports(manifest: list[dict[str, str]]) -> list[str]:
    return [r["file"] for r in manifest if _PINGTAN_REPORT.match(r["file"]) and r["format_version"] in ("2019", "2021")]


@dataclass(frozen=True, slots=True)
class RealDoc:
    """One scored document: where its bytes come from, its cell truth (None: metadata only) and metadata truth."""

    name: str
    path: Path | None  # None: a rendering built in memory
    truth: dict[Key, tuple[Decimal | None, str]] | None
    meta: dict[str, str]

    def read(self) -> bytes:
        return self.path.read_bytes() if self.path is not None else corpus_rendering(self.name)


def committed_docs() -> list[RealDoc]:
    truth = load_truth()
    return [RealDoc(r["file"], FIXTURES / r["file"], truth.get(r["file"], {}), r) for r in load_manifest()]


def corpus_docs() -> list[RealDoc]:
    """The renderings of shared-corpus pages, then the corpus's Pingtan reports (metadata only); [] without it."""
    if not corpus_available():
        return []
    rows = load_manifest(CORPUS)
    manifest = {r["file"]: r for r in rows}
    truth = load_truth(CORPUS)
    out = [RealDoc(name, None, truth[source], corpus_meta_truth(manifest[source], rows) | {"file": name})
           for name, source in rendering_sources().items()]
    out += [RealDoc(name, CORPUS / "docs" / name, None, corpus_meta_truth(manifest[name], rows))
            for name in pingtan_reports(rows)]
    return out


def warning_flags(cell: Cell) -> tuple[str, ...]:
    return tuple(f for f in cell.flags if f.split(":", 1)[0] not in INFORMATIONAL_FLAGS)


def _names(issue: Issue, key: Key) -> bool:
    """Does this document error account for the cell `key` (its table is missing, or it names the row)?"""
    table, _block, row_key, _col = key
    msg = issue.message
    if issue.code in TABLE_ABSENT_CODES and table in msg:
        return True
    if table == "review_litigation" and table in msg:  # 表四 is a single row: naming the table names the row
        return True
    return re.search(rf"(?<![A-Za-z_]){re.escape(row_key)}(?![A-Za-z_])", msg) is not None


def _exact(cell: Cell | None, want: Decimal | None) -> bool:
    if cell is None:
        return False
    if want is None:
        return cell.value is None and cell.state in (CellState.BLANK, CellState.NA)
    return cell.value is not None and cell.value == want


def score(name: str, result: ExtractResult, truth: dict[Key, tuple[Decimal | None, str]]) -> Score:
    cells = {c.key: c for c in result.cells if not c.derived}
    out = Score(name, str(result.status))
    for key, (want, _notes) in sorted(truth.items()):
        cell = cells.get(key)
        if _exact(cell, want):
            out.exact += 1
            continue
        flags = warning_flags(cell) if cell is not None else ()
        named = result.status not in CLAIMING_STATUSES or any(_names(e, key) for e in result.errors)
        got = "<no cell>" if cell is None else (str(cell.value) if cell.value is not None else f"<{cell.state}> {cell.raw!r}")
        out.misses.append(Miss(key, want, got, flags, silent=not flags and not named))
    return out


META_FIELDS = ("agency", "year", "published")
# Words that, in an error's code or message, name a metadata field (an error naming it flags a wrong value).
_META_WORDS = {"agency": ("agency",), "year": ("year",), "published": ("publication", "published", "date")}


@dataclass(frozen=True, slots=True)
class MetaScore:
    """One metadata field of one document: exact | absent | flagged | silent | n/a (not printed, not claimed)."""

    name: str
    field: str
    want: str
    got: str | None
    verdict: str


def _meta_truth(row: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {"agency": tuple(a for a in row["truth_agency"].split("|") if a),
            "year": (row["year"],) if row["year"] else (),
            "published": tuple(d for d in row["truth_published"].split("|") if d)}


def score_meta(row: dict[str, str], result: ExtractResult) -> list[MetaScore]:
    truth = _meta_truth(row)
    got = {"agency": result.agency, "year": None if result.year is None else str(result.year), "published": result.published}
    out = []
    for f in META_FIELDS:
        want, value = truth[f], got[f]
        named = any(w in f"{e.code} {e.message}".lower() for e in result.errors for w in _META_WORDS[f])
        if value is not None and value.strip() in want:
            verdict = "exact"
        elif value is None:
            verdict = "absent" if want else "n/a"
        else:
            verdict = "flagged" if named else "silent"
        out.append(MetaScore(row["file"], f, "|".join(want), value, verdict))
    return out


def score_everything() -> tuple[list[Score], list[MetaScore]]:
    """Cells and metadata of every document (committed, then built from the shared corpus), each extracted once."""
    cells, meta = [], []
    for doc in committed_docs() + corpus_docs():
        result = extract_document(doc.read(), doc.name)
        if doc.truth is not None:
            cells.append(score(doc.name, result, doc.truth))
        meta.extend(score_meta(doc.meta, result))
    return cells, meta


def render_meta(meta: list[MetaScore]) -> str:
    verdicts = ("exact", "absent", "flagged", "silent", "n/a")
    lines = [f"{'metadata':<10} " + " ".join(f"{v:>7}" for v in verdicts)]
    for f in META_FIELDS:
        lines.append(f"{f:<10} " + " ".join(f"{sum(m.field == f and m.verdict == v for m in meta):>7}" for v in verdicts))
    if not corpus_available():
        lines.append(f"(the shared corpus's documents left out: {corpus_missing_reason()})")
    lines.append("")
    for m in meta:
        if m.verdict in ("silent", "flagged", "absent"):
            lines.append(f"{m.verdict.upper()} {m.name}: {m.field} truth {m.want!r} extracted {m.got!r}")
    return "\n".join(lines)


def render(scores: list[Score]) -> str:
    built = set(rendering_sources())
    lines = [f"{'document':<66} {'status':<22} {'cells':>5} {'exact':>5} {'flag':>5} {'SILENT':>6}"]
    for s in scores:
        name = f"{s.name} *" if s.name in built else s.name
        lines.append(f"{name:<66} {s.status:<22} {s.total:>5} {s.exact:>5} {s.flagged:>5} {len(s.silent):>6}")
    tot = [sum(x) for x in zip(*((s.total, s.exact, s.flagged, len(s.silent)) for s in scores), strict=True)]
    lines.append(f"{'TOTAL (' + str(len(scores)) + ' documents)':<66} {'':<22} {tot[0]:>5} {tot[1]:>5} {tot[2]:>5} {tot[3]:>6}")
    if built & {s.name for s in scores}:
        lines.append(f"* built at test time from {CORPUS / 'docs'}, scored against its truth.csv (not committed)")
    if not corpus_available():
        lines.append(f"(renderings of the shared corpus left out: {corpus_missing_reason()})")
    lines.append("")
    for s in scores:
        for m in s.silent:
            lines.append(f"SILENT {s.name}: {'/'.join(p for p in m.key if p)} printed {m.printed} extracted {m.extracted}")
    return "\n".join(lines)


def main() -> None:
    scores, meta = score_everything()
    print(render(scores))
    print()
    print(render_meta(meta))
    sys.exit(0)


if __name__ == "__main__":
    main()
