"""The document boundary: bytes in, an ExtractResult out, whatever the bytes are.

Readers may raise `ExtractError`s; they become the document's status. Any other exception is
a bug of ours: the document gets `crashed` with the error text and the run goes on.
"""

from __future__ import annotations

import hashlib
import re
import traceback
from collections.abc import Callable

from gongkai.decode import decode
from gongkai.model import Cell, CellState, CheckStatus, ExtractResult, ExtractStatus, Issue
from gongkai.normalize import simplify_document
from gongkai.sniff import sniff

from . import checks as checks_mod
from . import completeness, cutoff, prose
from .budget import DOCUMENT_CPU_SECONDS, Budget, BudgetExceeded, check
from .errors import ExtractError, UnsupportedFormatError
from .grid import TABLE_SECTIONS, Document
from .mapping import map_document
from .meta import read_meta
from .readers.html import read_html
from .readers.text import read_text

_TRAD_HINT = re.compile(r"[區國報開務與於會為來時說這個們過對發經條處幣據規範]")


# Readers of binary formats are imported on first use: pypdfium2, pdfminer and python-docx cost start-up time.
def _read_pdf(data: bytes) -> Document:
    from .readers.pdf import read_pdf

    return read_pdf(data)


def _read_docx(data: bytes) -> Document:
    from .readers.docx import read_docx

    return read_docx(data)


def _read_ole(data: bytes) -> Document:
    from .readers.office import read_ole

    return read_ole(data)


READERS: dict[str, Callable[[bytes], Document]] = {"pdf": _read_pdf, "docx": _read_docx, "ole": _read_ole}


def read_document(data: bytes, content_type: str | None = None, filename: str | None = None) -> Document:
    kind = sniff(data, filename)
    if kind == "empty":
        raise ExtractError("empty document")
    if kind in READERS:
        return READERS[kind](data)
    if kind in ("binary", "image", "zip", "xlsx", "ofd", "rtf"):
        raise (UnsupportedFormatError if kind in ("xlsx", "ofd", "zip", "rtf") else ExtractError)(
            f"not a report document we can read (looks like {kind})")
    text, _enc = decode(data, content_type)
    if "\ufffd" in text[:4096] and text[:4096].count("\ufffd") > 20:
        raise ExtractError("undecodable text (binary data or an unknown encoding)")
    return read_html(text) if kind == "html" else read_text(text)


_NUMERALS = "一二三四五六七八九十"
_HEADING_END = re.compile(r"[。；;：:，,\n]|\d|$")


_HEADING_MARKS = {n: re.compile(rf"{n}\s*[、.．]") for n in _NUMERALS}
_BEFORE_HEADING = set(" \t\r\n\u3000\xa0。；;！!？?>")


def _heading(text: str, numeral: str, pos: int) -> re.Match[str] | None:
    """The next `一、` that starts a line or follows a sentence end (not 第一、 inside a sentence)."""
    for m in _HEADING_MARKS[numeral].finditer(text, pos):
        if m.start() == 0 or text[m.start() - 1] in _BEFORE_HEADING:
            return m
    return None


def _sections(text: str) -> dict[str, str]:
    """Narrative sections by their numbered headings (一、 二、 …), taken in order, so inline
    headings of run-together text are found as well as headings on their own line."""
    marks: list[tuple[int, int, str]] = []
    pos = 0
    for numeral in _NUMERALS:
        m = _heading(text, numeral, pos)
        if not m:
            break
        end = _HEADING_END.search(text, m.end())
        stop = min(end.start() if end else len(text), m.end() + 40)
        heading = "".join(text[m.start(): stop].split())
        first_space = text[m.end(): stop].strip().find(" ")
        if first_space >= 3:  # "一、概述 推进…": run-together text, the heading ends at the space
            stop = text.index(" ", m.end() + (len(text[m.end(): stop]) - len(text[m.end(): stop].lstrip())))
            heading = "".join(text[m.start(): stop].split())
        marks.append((m.start(), stop, heading))
        pos = stop
    out: dict[str, str] = {}
    for i, (_start, stop, heading) in enumerate(marks):
        nxt = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        out[heading] = text[stop:nxt].strip()[:20000]
    return out


def extract_document(data: bytes, source: str, *, content_type: str | None = None,
                     budget_s: float = DOCUMENT_CPU_SECONDS) -> ExtractResult:
    """One document's bytes → its ExtractResult. Never raises: a bad document gets a status, and
    one that needs more than `budget_s` seconds of CPU gets `too_complex`."""
    result = ExtractResult(source=source, status=ExtractStatus.CRASHED, sha256=hashlib.sha256(data).hexdigest())
    budget = Budget(budget_s)
    try:
        with budget:
            _extract(data, content_type, result)
    except BudgetExceeded:
        budget.close()
        result.cells, result.checks, result.format_version, result.report_version = [], [], {}, None
        result.status = ExtractStatus.TOO_COMPLEX
        result.errors.append(Issue("too_complex", f"stopped after {budget_s:g} s of CPU: the document is too "
                                   "complex to extract within the budget", "error"))
    except ExtractError as e:
        result.status = e.status
        result.errors.append(Issue(str(e.status), str(e), "error"))
    except Exception as e:  # a bug of ours: recorded, and the run goes on
        result.status = ExtractStatus.CRASHED
        tb = traceback.format_exc(limit=3)
        result.errors.append(Issue("crashed", f"{type(e).__name__}: {e}\n{tb}", "error"))
    return result


def _extract(data: bytes, content_type: str | None, result: ExtractResult) -> None:
    doc = read_document(data, content_type, result.source)
    check()
    result.source_format = doc.source_format
    text = doc.text
    head_tail = text[:6000] + "\n" + text[-1500:] if len(text) > 7500 else text
    if _TRAD_HINT.search(head_tail):
        head_tail = simplify_document(head_tail)
    title = simplify_document(doc.title) if doc.title else None
    meta = read_meta(head_tail, title, doc.meta)
    result.title, result.agency, result.year, result.published = meta.title, meta.agency, meta.year, meta.published
    result.errors.extend(meta.issues)
    check()
    mapped = map_document(doc, meta.year)
    check()
    if not mapped.cells and doc.source_format in ("html", "pdf", "docx") and "第二十条" in doc.text:
        # Tables drawn without table markup (div layouts, unruled PDF tables): read the text instead.
        from_text = read_text(doc.text)
        if from_text.tables:
            mapped = map_document(from_text, meta.year)
            if mapped.cells:
                mapped.issues.append(Issue("tables_from_text", "no table markup: cells read from the page text"))
    if meta.year is not None and meta.year < 2019 and "第二十条" not in doc.text:
        # Before 2019 there was no uniform table (spec §6): never force those into the 2019/2021 keys.
        mapped.cells, mapped.versions, mapped.issues, mapped.prose = [], {}, [], []
    cut = cutoff.flag_last_value(doc.text, mapped.cells)
    if cut is not None:
        mapped.issues.append(cut)
    result.errors.extend(mapped.issues)
    result.format_version = dict(mapped.versions)
    cells = {c.key: c for c in mapped.cells}
    derived = checks_mod.derive(cells, mapped.versions)
    checks = checks_mod.check_identities(cells, mapped.versions)
    checks += checks_mod.check_printed_subtotals(cells, mapped.versions)
    checks += checks_mod.detect_split_digits(cells, checks)
    checks += checks_mod.check_domains(mapped.cells)
    checks += prose.check(mapped.prose, cells)
    result.cells = [*mapped.cells, *derived]
    result.checks = checks
    result.missing, accounted = completeness.account(mapped, cells)
    result.errors.extend(accounted)
    result.errors.extend(completeness.unassessable(checks, result.missing))
    versions = set(mapped.versions.values())
    result.report_version = versions.pop() if len(versions) == 1 else ("mixed" if versions else None)
    _set_status(result, meta.is_report, doc, cells)
    if not result.sections:
        result.sections = _sections(doc.text)


def _set_status(result: ExtractResult, is_report: bool | None, doc: Document, cells: dict[tuple[str, str, str, str], Cell]) -> None:
    if is_report is False and not cells:
        result.status = ExtractStatus.NOT_A_REPORT
        result.errors.append(Issue("not_a_report", f"title does not name an annual report: {result.title}", "error"))
        result.sections = _sections(doc.text)
        return
    if not cells:
        if result.year is not None and result.year < 2019:
            result.status = ExtractStatus.PRE2019
            result.report_version = "pre2019"
            result.sections = _sections(simplify_document(doc.text) if _TRAD_HINT.search(doc.text[:3000]) else doc.text)
            return
        if doc.images_in_body and TABLE_SECTIONS.search("".join(doc.text.split())):
            result.status = ExtractStatus.NEEDS_OCR
            result.errors.append(Issue(
                "needs_ocr", f"table section headings present but no table: {doc.images_in_body} picture(s) "
                "where the tables would be", "error"))
            return
        result.status = ExtractStatus.NO_TABLES
        result.errors.append(Issue("no_tables", "no statistical table (表二/表三/表四) found", "error"))
        return
    if all(c.value is None for c in cells.values()):
        result.errors.append(Issue("all_blank", "every table cell is blank: an unfilled template?"))
    missing = [t for t in ("active_disclosure", "applications", "review_litigation") if t not in result.format_version]
    for t in missing:
        result.errors.append(Issue("table_missing", f"{t} not found in the document"))
    if missing:
        result.status = ExtractStatus.PARTIAL
    elif (any(c.status is not CheckStatus.PASS for c in result.checks)
          or any(_UNSURE.intersection(c.flags) or c.state is CellState.TEXT for c in result.cells)
          or result.missing or any(e.code in _UNREAD for e in result.errors)):
        result.status = ExtractStatus.EXTRACTED_WITH_ISSUES
    else:
        result.status = ExtractStatus.EXTRACTED


# A cell whose value is not known although something is printed there.
_UNSURE = frozenset({"ambiguous_split", "ambiguous_columns", "conflicting_values", "at_document_end"})
# Printed numbers that were not read into any cell.
_UNREAD = frozenset({"values_unplaced", "lone_value", "extra_values", "unsplittable_digits"})
