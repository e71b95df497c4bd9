"""Mutations of real Word documents for the fuzz harness (test_fuzz_office.py).

Edits of `word/document.xml` (a cell's text deleted or a digit of it duplicated, a cell or a whole
row taken out of the table, a blank template cell filled in, the XML cut or a tag broken) and damage
to the zip itself (bytes overwritten, the file cut). The cell an edit touches is known without a
probe: the DOCX reader names every cell by its table, row and grid column (`t0r3c2`), which the
unmutated document's extraction maps to a key.
"""

from __future__ import annotations

import functools
import io
import random
import re
import zipfile
from decimal import Decimal

from lxml import etree

from tests.extract import fuzz_docs
from tests.extract.mutate import GONE, Key, Mutated

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
DOCUMENT = "word/document.xml"


def _val(el: etree._Element | None, tag: str) -> int:
    child = el.find(f"{W}{tag}") if el is not None else None
    try:
        return int(child.get(f"{W}val")) if child is not None else 0
    except (TypeError, ValueError):
        return 0


def _own(el: etree._Element, tc: etree._Element) -> bool:
    return next(el.iterancestors(f"{W}tc"), None) is tc


def cell_text(tc: etree._Element) -> str:
    return "".join(t.text or "" for t in tc.iter(f"{W}t") if _own(t, tc))


def _refs(root: etree._Element) -> list[tuple[etree._Element, str]]:
    """Every w:tc with the ref the reader gives the top-left position it covers."""
    out = []
    for ti, tbl in enumerate(root.iter(f"{W}tbl")):
        for ri, tr in enumerate(tbl.findall(f"{W}tr")):
            col = _val(tr.find(f"{W}trPr"), "gridBefore")
            for tc in tr.findall(f"{W}tc"):
                out.append((tc, f"t{ti}r{ri}c{col}"))
                col += max(_val(tc.find(f"{W}tcPr"), "gridSpan"), 1)
    return out


class Docx:
    def __init__(self, data: bytes) -> None:
        self.data = data
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.members = [(i, z.read(i)) for i in z.infolist()]
        self.xml = dict((i.filename, b) for i, b in self.members)[DOCUMENT]

    def tree(self) -> etree._Element:
        return etree.fromstring(self.xml)

    def with_xml(self, xml: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info, body in self.members:
                z.writestr(info, xml if info.filename == DOCUMENT else body, compress_type=info.compress_type)
        return out.getvalue()


@functools.cache
def docx(name: str) -> Docx:
    return Docx(fuzz_docs.data(name))


@functools.cache
def keys_by_ref(name: str) -> dict[str, Key]:
    return {c.ref: c.key for c in fuzz_docs.base(name).cells if not c.derived}


def number_cells(name: str) -> list[int]:
    """Indexes (in `_refs` order) of the cells printing one number."""
    return [i for i, (tc, _ref) in enumerate(_refs(docx(name).tree())) if _NUMBER.fullmatch(cell_text(tc).strip())]


def value_cells(name: str) -> list[int]:
    """Indexes of the cells the unmutated document reads into a key (a template's blank ones too)."""
    refs = keys_by_ref(name)
    return [i for i, (_tc, ref) in enumerate(_refs(docx(name).tree())) if ref in refs]


def _set_text(tc: etree._Element, text: str) -> None:
    ts = [t for t in tc.iter(f"{W}t") if _own(t, tc)]
    if not ts:
        p = next(p for p in tc.iter(f"{W}p") if _own(p, tc))
        ts = [etree.SubElement(etree.SubElement(p, f"{W}r"), f"{W}t")]
    ts[0].text = text
    for t in ts[1:]:
        t.getparent().remove(t)


def _edit(name: str, index: int, text: str | None) -> tuple[bytes, str, Key | None]:
    """The document with cell `index` printing `text` (None: the w:tc taken out), its old text, key."""
    root = docx(name).tree()
    tc, ref = _refs(root)[index]
    old = cell_text(tc)
    if text is None:
        tc.getparent().remove(tc)
    else:
        _set_text(tc, text)
    return docx(name).with_xml(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)), old, \
        keys_by_ref(name).get(ref)


def blank_cell(name: str, index: int) -> Mutated:
    data, old, key = _edit(name, index, "")
    return Mutated(data, f"cell {old!r} emptied", {key: None} if key else {})


def delete_cell(name: str, index: int) -> Mutated:
    """The w:tc itself taken out: the row has one cell fewer than its grid (the cells after it move left)."""
    data, old, key = _edit(name, index, None)
    return Mutated(data, f"cell {old!r} deleted", {key: GONE} if key else {})


def duplicate_digit(name: str, index: int, at: int) -> Mutated:
    text = cell_text(_refs(docx(name).tree())[index][0]).strip()
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    i = digits[at % len(digits)]
    new = text[: i + 1] + text[i:]
    data, old, key = _edit(name, index, new)
    expect: object = Decimal(new) if re.fullmatch(r"\d+(?:\.\d+)?", new) else GONE
    return Mutated(data, f"cell {old!r} printed {new!r}", {key: expect} if key else {})


def fill_cell(name: str, index: int, value: int) -> Mutated:
    """A blank cell (of a template) filled in: it reads the number, and nothing else changes."""
    data, _old, key = _edit(name, index, str(value))
    return Mutated(data, f"cell filled with {value}", {key: Decimal(value)} if key else {})


def delete_row(name: str, index: int) -> Mutated:
    """The w:tr holding cell `index` taken out: every value of it is gone from the document."""
    root = docx(name).tree()
    tc, ref = _refs(root)[index]
    row = ref.split("c")[0] + "c"
    gone = {k: GONE for r, k in keys_by_ref(name).items() if r.startswith(row)}
    tr = tc.getparent()
    tr.getparent().remove(tr)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return Mutated(docx(name).with_xml(xml), f"row of cell {cell_text(tc)!r} deleted", gone)


def break_xml(name: str, seed: int) -> Mutated:
    """document.xml cut short, or one of its `<`/`>` overwritten: no longer well-formed XML."""
    xml = docx(name).xml
    rng = random.Random(seed)
    if rng.random() < 0.5:
        at = rng.randrange(len(xml) // 4, len(xml))
        return Mutated(docx(name).with_xml(xml[:at]), f"document.xml cut at byte {at}", {})
    marks = [m.start() for m in re.finditer(rb"[<>]", xml)]
    at = rng.choice(marks[len(marks) // 10:])
    broken = xml[:at] + bytes([rng.choice(b"x \x00=")]) + xml[at + 1:]
    return Mutated(docx(name).with_xml(broken), f"document.xml: {xml[at:at + 1]!r} at byte {at} overwritten", {})


def break_zip(name: str, seed: int) -> Mutated:
    """The file cut, or 1–8 of its bytes overwritten (in the central directory at the end as often as
    anywhere else)."""
    data = bytearray(fuzz_docs.data(name))
    rng = random.Random(seed)
    if rng.random() < 0.3:
        at = rng.randrange(len(data))
        return Mutated(bytes(data[:at]), f"zip cut at byte {at}", {})
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"PK\x05\x06"))
    lo = 0 if rng.random() < 0.5 else max(data.find(b"PK\x01\x02"), 0) if central > 0 else 0
    hits = sorted(rng.randrange(lo, len(data)) for _ in range(rng.randint(1, 8)))
    for at in hits:
        data[at] = rng.randrange(256)
    return Mutated(bytes(data), f"zip bytes {hits} overwritten", {})
