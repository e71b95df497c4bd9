"""Property tests: whatever the bytes, readers return a Document or raise an ExtractError."""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.errors import ExtractError
from extract.grid import Document
from extract.readers.cjk import cell_text, join_lines, squeeze
from extract.readers.docx import read_docx
from extract.readers.pdf import read_pdf
from extract.readers.sniff import sniff
from extract.synth_office import TableSpec, write_docx

KINDS = {"html", "text", "pdf", "docx", "doc", "wps", "xlsx", "xls", "ofd", "zip", "image", "empty", "binary"}
FAST = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_DOCX = write_docx([TableSpec([["信息内容", "本年制发件数", ""], ["规章", "3", ""]], merges=[(0, 1, 0, 2)])])
_XML = zipfile.ZipFile(io.BytesIO(_DOCX)).read("word/document.xml")


def outcome(reader: object, data: bytes) -> str:
    try:
        result = reader(data)  # type: ignore[operator]
    except ExtractError as e:
        return type(e).__name__
    assert isinstance(result, Document)
    return "Document"


@FAST
@given(st.binary(max_size=4096), st.sampled_from([None, "a.pdf", "b.docx", "c.doc", "d.wps", "e.html"]))
def test_sniff_always_answers(data: bytes, name: str | None) -> None:
    assert sniff(data, name) in KINDS


@FAST
@given(st.binary(max_size=4096))
def test_read_pdf_never_crashes(junk: bytes) -> None:
    outcome(read_pdf, b"%PDF-1.7\n" + junk + b"\n%%EOF\n")


@FAST
@given(st.lists(st.tuples(st.integers(0, len(_XML) - 1), st.integers(0, 255)), min_size=1, max_size=20))
def test_read_docx_with_damaged_xml_never_crashes(flips: list[tuple[int, int]]) -> None:
    xml = bytearray(_XML)
    for i, b in flips:
        xml[i] = b
    zin = zipfile.ZipFile(io.BytesIO(_DOCX))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, bytes(xml) if item.filename == "word/document.xml" else zin.read(item))
    outcome(read_docx, out.getvalue())


@FAST
@given(st.lists(st.tuples(st.integers(0, len(_DOCX) - 1), st.integers(0, 255)), min_size=1, max_size=10))
def test_read_docx_with_damaged_zip_never_crashes(flips: list[tuple[int, int]]) -> None:
    data = bytearray(_DOCX)
    for i, b in flips:
        data[i] = b
    outcome(read_docx, bytes(data))


CJK_TEXT = st.text(alphabet=st.sampled_from(list("政府信息公开（一）、，。 0123456789abc\n")), max_size=40)


@FAST
@given(CJK_TEXT)
def test_squeeze_is_idempotent_and_leaves_no_space_between_chinese(text: str) -> None:
    once = squeeze(text)
    assert squeeze(once) == once
    import re

    assert not re.search(r"[\u4e00-\u9fff（）、，。] +[\u4e00-\u9fff（）、，。]", once)


@FAST
@given(st.lists(CJK_TEXT, max_size=5))
def test_cell_text_keeps_every_visible_character(lines: list[str]) -> None:
    for joined in (cell_text("\n".join(lines)), join_lines([ln.replace("\n", "") for ln in lines])):
        assert "\n" not in joined
        assert [ch for ch in joined if not ch.isspace()] == [ch for ln in lines for ch in ln if not ch.isspace()]
