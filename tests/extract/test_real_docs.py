"""Real reports from other provinces, levels and years, with hand-checked truth: no truth cell may come out wrong
or missing unless the cell carries a warning flag, the document's errors name its row, or the document claims no
values at all (issue 8: no silent errors).

Two sets of documents. Those committed in tests/fixtures/real (manifest.csv, truth.csv). And PDF/DOCX renderings
of shared-corpus pages (make_office.CORPUS_RENDERINGS: the Pingtan 2024/2025 pages as ruled and borderless PDFs
with a page break inside 表三, and as Word), built in memory at test time from ../shared/corpus/docs and scored
against ../shared/corpus/truth.csv; without the shared corpus those tests skip and say why. Metadata is also
scored on the corpus's Pingtan reports themselves, against its manifest.

The score per document (exact / flagged / silent) is printed by `python -m benchmarks.real_docs_report`
and by `pytest -s` on test_score_table. A document that fails today because of a known extractor
defect is marked xfail(strict=True) naming that defect: fixing it turns the test into an XPASS failure,
and the mark must go.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from benchmarks.real_docs_report import (
    CORPUS,
    FIXTURES,
    RealDoc,
    committed_docs,
    corpus_available,
    corpus_docs,
    corpus_missing_reason,
    corpus_rendering,
    load_manifest,
    load_truth,
    make_office,
    render,
    render_meta,
    rendering_sources,
    score,
    score_everything,
    score_meta,
)
from extract.document import extract_document
from gongkai.schema import spec

MANIFEST = load_manifest()
TRUTH = load_truth()
NAMES = [r["file"] for r in MANIFEST]
RENDERED = list(rendering_sources())
# The documents read from the shared corpus: its renderings and its Pingtan reports (metadata only). Without the
# corpus a test over them has one parameter, skipped with the reason.
CORPUS_NAMES = [d.name for d in corpus_docs()] if corpus_available() else []
_NEEDS_CORPUS = pytest.param("<shared corpus>", marks=pytest.mark.skip(reason=corpus_missing_reason()))

# Known silent defects of today's extractor, one entry per document (issue 8, "Layouts seen in real reports").
XFAIL: dict[str, str] = {}


# Known silent metadata defects (agency / publication date wrong with nothing flagging it), one entry per document.
META_XFAIL: dict[str, str] = {}


def _param(name: str, xfail: dict[str, str] = XFAIL) -> object:
    if name in xfail:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=xfail[name]))
    return name


def _corpus_params(names: list[str], xfail: dict[str, str]) -> list[object]:
    return [_param(n, xfail) for n in names] if corpus_available() else [_NEEDS_CORPUS]


def _corpus_doc(name: str) -> RealDoc:
    return next(d for d in corpus_docs() if d.name == name)


def _silent_cells(doc: RealDoc) -> None:
    assert doc.truth
    s = score(doc.name, extract_document(doc.read(), doc.name), doc.truth)
    silent = [(m.key, str(m.printed), m.extracted) for m in s.silent]
    assert not silent, f"{len(silent)} of {s.total} truth cells silently wrong: {silent[:8]}"


def _silent_meta(doc: RealDoc) -> None:
    silent = [(m.field, m.want, m.got) for m in score_meta(doc.meta, extract_document(doc.read(), doc.name))
              if m.verdict == "silent"]
    assert not silent, silent


@pytest.mark.parametrize("name", [_param(n) for n in NAMES])
def test_no_truth_cell_is_silently_wrong(name: str) -> None:
    _silent_cells(next(d for d in committed_docs() if d.name == name))


@pytest.mark.parametrize("name", _corpus_params(RENDERED, XFAIL))
def test_no_truth_cell_of_a_corpus_rendering_is_silently_wrong(name: str) -> None:
    """The renderings of shared-corpus pages, built now, against the corpus's truth of their source page."""
    _silent_cells(_corpus_doc(name))


@pytest.mark.parametrize("name", [_param(n, META_XFAIL) for n in NAMES])
def test_metadata_is_exact_absent_or_flagged(name: str) -> None:
    """Agency, report year and publication date: right, missing, or wrong with an error naming the field; never a
    wrong value nobody warns of (a sentence fragment, a page prefix, the publishing office for the reporting agency)."""
    _silent_meta(next(d for d in committed_docs() if d.name == name))


@pytest.mark.parametrize("name", _corpus_params(CORPUS_NAMES, META_XFAIL))
def test_metadata_of_corpus_documents_is_exact_absent_or_flagged(name: str) -> None:
    """The same for the renderings and the corpus's Pingtan reports, the truth taken from the corpus's manifest
    (its agency 平潭综合实验区管委会 or the title's 平潭综合实验区; the date in the page's address or its notes)."""
    _silent_meta(_corpus_doc(name))


def test_xfail_marks_name_scored_documents() -> None:
    assert set(XFAIL) <= set(NAMES) | set(RENDERED)
    assert set(META_XFAIL) <= set(NAMES) | set(RENDERED) | set(CORPUS_NAMES)


def _truth_identity_failures(name: str) -> set[str]:
    """Re-run the 表三 and 表四 identities on the truth (an identity with a cell not in the truth or printed blank is
    skipped)."""
    t = {(k[0], k[2], k[3]): v for k, (v, _notes) in TRUTH[name].items()}

    def values(keys: list[tuple[str, str, str]]) -> list[Decimal] | None:
        got = [t.get(k) for k in keys]
        return None if any(v is None for v in got) else [v for v in got if v is not None]

    out: set[str] = set()
    cols = ("natural_person", "commercial_enterprise", "research_institution", "public_interest_org", "legal_service_org",
            "other_org", "total")
    rows = {r for (tab, r, _c) in t if tab == "applications"}
    for r in rows:
        vals = values([("applications", r, c) for c in cols])
        if vals is not None and sum(vals[:6]) != vals[6]:
            out.add(f"{r}/row_sum")
    results = sorted(rows - {"new_received", "carried_over", "results_total", "carried_forward"})
    version = next(r["format_version"] for r in MANIFEST if r["file"] == name)
    if len(results) == (21 if version == "2021" else 19):  # every result row of the form is in the truth
        for c in cols:
            vals = values([("applications", r, c) for r in results] + [("applications", "results_total", c)])
            if vals is not None and sum(vals[:-1]) != vals[-1]:
                out.add(f"results_total/{c}")
    for prefix in ("review", "suit_direct", "suit_after_review"):
        vals = values([("review_litigation", "cases", f"{prefix}_{k}") for k in ("upheld", "corrected", "other", "pending", "total")])
        if vals is not None and sum(vals[:4]) != vals[4]:
            out.add(f"{prefix}_total")
    return out


@pytest.mark.parametrize("name", NAMES)
def test_truth_identities_hold(name: str) -> None:
    """The hand-checked truth is re-checked by the accounting identities: a failure is a transcription error in the
    truth (or an inconsistency the report itself prints, which its manifest row would have to say)."""
    assert _truth_identity_failures(name) == set()


def test_manifest_truth_and_files_agree() -> None:
    assert len(NAMES) == len(set(NAMES))
    for row in MANIFEST:
        assert (FIXTURES / row["file"]).is_file(), row["file"]
        assert TRUTH.get(row["file"]), f"no truth rows for {row['file']}"
        assert row["source_repo"] or row["original_url"], f"{row['file']}: no source"
        assert row["format_version"] in ("2019", "2021"), row["file"]
        assert row["reconstruction"].split(":")[0] in ("yes", "no"), row["file"]
    assert set(TRUTH) <= set(NAMES), set(TRUTH) - set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_truth_keys_are_cells_of_the_form(name: str) -> None:
    version = "v" + next(r["format_version"] for r in MANIFEST if r["file"] == name)
    printed = {t: set(spec(t, version).printed_cells()) for t in ("active_disclosure", "applications", "review_litigation")}
    for table, block, row_key, col_key in TRUTH[name]:
        assert (block, row_key, col_key) in printed[table], (name, table, block, row_key, col_key)


def test_committed_renderings_are_built_from_their_real_tables() -> None:
    """The committed PDF/DOCX renderings are exactly what make_office.py builds from the committed HTML tables (so
    they carry the source's truth), and every rendering is in the manifest with that source."""
    office = make_office()
    for name, source, brk in office.RENDERINGS:
        assert office.build(name, FIXTURES / source, brk) == (FIXTURES / name).read_bytes(), name
        row = next(r for r in MANIFEST if r["file"] == name)
        assert row["source_path"] == f"tests/fixtures/real/{source}"
        assert TRUTH[name] == TRUTH[source]


def test_no_rendering_of_the_shared_corpus_is_committed() -> None:
    """The corpus is read from ../shared/corpus, never copied: its renderings and pages are not in the repository."""
    corpus_names = set(RENDERED) | set(rendering_sources().values())
    assert not corpus_names & {p.name for p in FIXTURES.iterdir()}
    assert not corpus_names & set(NAMES)


def _pdf_pages(data: bytes) -> list[list[str]]:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(page.extract_text() or "").splitlines() for page in pdf.pages]


def test_corpus_renderings_break_where_intended() -> None:
    """The page breaks still fall where they expose what they were placed for (the corpus pages could change)."""
    if not corpus_available():
        pytest.skip(corpus_missing_reason())
    for ruled in ("", "unruled_"):
        pages = _pdf_pages(corpus_rendering(f"pdf_{ruled}2024_fujian_pingtan_gov.pdf"))
        # 表三 continues on the next page before （四）2: the merged labels are cut over the break
        assert "1.本机关不掌握相关政府信息" in pages[1][-2] and pages[1][-1] == "- 2 -", pages[1][-2:]
        assert pages[2][0].startswith("）无法提"), pages[2][0]
        pages = _pdf_pages(corpus_rendering(f"pdf_{ruled}2025_fujian_pingtan_gov.pdf"))
        # the row （六）1 breaks across the page: its label's last line alone opens the next one
        assert pages[1][-1] == "- 2 -" and "8 0 0 0 0 0 8" in "\n".join(pages[1][-4:]), pages[1][-4:]
        assert pages[2][0] == "不再处理其政府信息公开申请", pages[2][0]


def test_corpus_renderings_share_the_truth_of_their_source() -> None:
    if not corpus_available():
        pytest.skip(corpus_missing_reason())
    corpus_truth = load_truth(CORPUS)
    for doc in corpus_docs():
        if doc.name in RENDERED:
            assert doc.truth == corpus_truth[rendering_sources()[doc.name]] and len(doc.truth) == 200, doc.name


def test_score_table() -> None:
    """`pytest -s` prints the per-document table; the counts add up."""
    scores, meta = score_everything()
    print("\n" + render(scores) + "\n\n" + render_meta(meta))
    built = RENDERED if corpus_available() else []
    assert [s.name for s in scores] == NAMES + built
    assert len(meta) == 3 * (len(NAMES) + len(CORPUS_NAMES))
    truth = {d.name: d.truth for d in committed_docs() + corpus_docs()}
    for s in scores:
        assert s.total == len(truth[s.name] or {}) == s.exact + s.flagged + len(s.silent)
