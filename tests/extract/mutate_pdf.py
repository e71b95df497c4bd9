"""Mutations of real PDFs for the fuzz harness (test_fuzz_pdf.py).

Two kinds. Edits of what a page draws (pdf_edit.py): a cell's number blanked, a digit of it
duplicated, a label or line of text deleted; the cell an edit touches is found by a probe (its run
drawn as a sentinel number in the same font, then extracted). And damage to the file's bytes: in a
content stream, in an embedded font program, in the cross-reference table or stream and trailer,
or a cut. The judge is mutate.silent_errors: every truth cell right (or what the edit printed
instead) or flagged.
"""

from __future__ import annotations

import functools
import io
import random
import re
from decimal import Decimal

from tests.extract import fuzz_docs
from tests.extract.mutate import GONE, Key, Mutated
from tests.extract.pdf_edit import NUMBER, PdfText, Run


@functools.cache
def text_of(name: str) -> PdfText:
    return PdfText(fuzz_docs.data(name))


def number_runs(name: str) -> list[Run]:
    return text_of(name).number_runs()


def other_runs(name: str) -> list[Run]:
    """Runs that are not a number alone: labels, headings, lines of prose."""
    nums = {id(r) for r in number_runs(name)}
    return [r for r in text_of(name).runs if id(r) not in nums]


def _sentinels(length: int) -> list[str]:
    """Numbers as long as the run (at least two digits, which fit wherever one does), in a fixed order."""
    n = max(length, 2)
    rng = random.Random(n)
    return [str(rng.randrange(10 ** (n - 1), 10**n)) for _ in range(40)]


@functools.cache
def probe(name: str, index: int) -> Key | None:
    """The key of the cell number run `index` is read into, or None (outside the tables, or its font
    cannot draw a sentinel)."""
    run = number_runs(name)[index]
    taken = {c.raw.strip() for c in fuzz_docs.base(name).cells}
    for s in _sentinels(len(run.text)):
        if s in taken:
            continue
        pdf = text_of(name).rewrite_run(run, s)
        if pdf is None:
            continue
        r = fuzz_docs.extract(pdf, name)
        hits = [c.key for c in r.cells if not c.derived and c.raw.strip() == s]
        return hits[0] if len(hits) == 1 else None
    return None


def blank_run(name: str, index: int) -> Mutated:
    run = number_runs(name)[index]
    key = probe(name, index)
    pdf = text_of(name).rewrite_run(run, "")
    assert pdf is not None
    return Mutated(pdf, f"run {run.text!r} on page {run.page + 1} blanked", {key: None} if key else {})


def duplicate_digit(name: str, index: int, at: int) -> Mutated | None:
    run = number_runs(name)[index]
    key = probe(name, index)
    digits = [i for i, ch in enumerate(run.text) if ch.isdigit()]
    i = digits[at % len(digits)]
    new = run.text[: i + 1] + run.text[i:]
    pdf = text_of(name).rewrite_run(run, new)
    if pdf is None:
        return None
    m = NUMBER.fullmatch(new)
    expect: object = GONE
    if m and "," not in m.group(1):  # a thousands separator in the way makes it unreadable
        expect = Decimal(m.group(1)) / (10000 if m.group(2) == "元" else 1)  # 元 are read as 万元
    return Mutated(pdf, f"run {run.text!r} on page {run.page + 1} drawn as {new!r}", {key: expect} if key else {})


def delete_text(name: str, index: int) -> Mutated:
    """A label, heading or line of prose no longer drawn: whatever it held is gone from the print, so
    nothing is expected of the cells but the contract (right or flagged)."""
    run = other_runs(name)[index]
    pdf = text_of(name).rewrite_run(run, "")
    assert pdf is not None
    return Mutated(pdf, f"text {run.text[:30]!r} on page {run.page + 1} deleted", {})


# ------------------------------------------------------------------ byte damage

_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_STREAM = re.compile(rb"stream\r?\n")


def _stream_spans(data: bytes) -> dict[int, tuple[int, int]]:
    """Object number → the byte span of its stream data, for the objects stored plainly in the file."""
    out: dict[int, tuple[int, int]] = {}
    for m in _OBJ.finditer(data):
        end = data.find(b"endobj", m.end())
        s = _STREAM.search(data, m.end(), end if end != -1 else len(data))
        if s is None:
            continue
        stop = data.find(b"endstream", s.end())
        if stop != -1:
            out[int(m.group(1))] = (s.end(), stop)
    return out


@functools.cache
def regions(name: str) -> dict[str, list[tuple[int, int]]]:
    """Where a PDF keeps each kind of thing: content streams, embedded font programs, the
    cross-reference section with the trailer (from the last `startxref` offset to the end), and the
    whole file (info dictionary, page tree, images: whatever a random hit lands on)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import dict_value, resolve1

    pdf = fuzz_docs.data(name)
    spans = _stream_spans(pdf)
    contents: set[int] = set()
    fonts: set[int] = set()
    for page in PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(pdf)))):
        contents.update(getattr(s, "objid", None) or 0 for s in page.contents)
        res = dict_value(page.resources) if page.resources else {}
        for ref in dict_value(res.get("Font", {})).values():
            font = dict_value(ref)
            for desc in [font.get("FontDescriptor"), *[dict_value(d).get("FontDescriptor")
                                                        for d in resolve1(font.get("DescendantFonts")) or []]]:
                desc = dict_value(desc) if desc is not None else {}
                for k in ("FontFile", "FontFile2", "FontFile3"):
                    ref2 = desc.get(k)
                    if ref2 is not None and getattr(ref2, "objid", None):
                        fonts.add(ref2.objid)
    start = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    return {"content": [spans[i] for i in sorted(contents) if i in spans],
            "font": [spans[i] for i in sorted(fonts) if i in spans],
            "xref": [(start, len(pdf))],
            "anywhere": [(0, len(pdf))]}


def damage(name: str, kind: str, seed: int) -> Mutated | None:
    """A few bytes of one region of `kind` overwritten (1–8 random bytes, or a block of up to 64 zeros),
    as a bad disk or a broken transfer leaves them."""
    spans = regions(name)[kind]
    if not spans:
        return None
    rng = random.Random(seed)
    lo, hi = rng.choice(spans)
    pdf = bytearray(fuzz_docs.data(name))
    if rng.random() < 0.3:
        at = rng.randrange(lo, hi)
        size = rng.randint(1, 64)
        pdf[at: at + size] = bytes(len(pdf[at: at + size]))
        what = f"{size} zero bytes at {at}"
    else:
        hits = sorted(rng.randrange(lo, hi) for _ in range(rng.randint(1, 8)))
        for at in hits:
            pdf[at] = rng.randrange(256)
        what = f"bytes {hits} overwritten"
    return Mutated(bytes(pdf), f"{kind} damaged: {what}", {})
