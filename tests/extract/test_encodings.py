"""UTF-16 with or without BOM, and GB18030 cut by the sniffer's 4096-byte sample, read as text."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.document import extract_document
from gongkai.decode import decode, utf16_encoding
from gongkai.model import ExtractStatus
from gongkai.sniff import sniff
from tests.extract.bad_inputs import CASES

REPORT_TEXT = "2024年政府信息公开工作年度报告\n一、总体情况\n本年度共收到政府信息公开申请21件。\n"

report_like = st.text(
    alphabet=st.sampled_from(list("政府信息公开工作年度报告申请件一二三、，。（）：0123456789\n abc<>/")),
    min_size=40, max_size=400,
)


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("bom", [True, False])
def test_utf16_text_reads(enc: str, bom: bool) -> None:
    data = REPORT_TEXT.encode(enc)
    if bom:
        data = ("\ufeff" + REPORT_TEXT).encode(enc)
    assert sniff(data) == "text"
    text, used = decode(data)
    assert (text, used) == (REPORT_TEXT, enc)


@given(report_like, st.sampled_from(["utf-8", "gb18030"]))
def test_single_byte_based_encodings_are_never_taken_for_utf16(text: str, enc: str) -> None:
    assert utf16_encoding(text.encode(enc)) is None


@given(report_like.filter(lambda t: sum(ch.isascii() for ch in t) >= 4), st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_utf16_without_bom_is_recognised(text: str, enc: str) -> None:
    assert utf16_encoding(text.encode(enc)) == enc


def test_binary_with_nul_bytes_is_not_utf16() -> None:
    data = os.urandom(4096) + b"\x00" * 64
    assert utf16_encoding(data) is None


@pytest.mark.parametrize("case", ["utf16_le_bom", "utf16_le_no_bom", "utf16_be_bom"])
def test_utf16_report_page_extracts_whole(case: str) -> None:
    name, data = CASES[case]()
    r = extract_document(data, name)
    assert r.status is ExtractStatus.EXTRACTED
    assert len([c for c in r.cells if not c.derived]) == 200


def test_gb18030_cut_at_byte_4096_reads() -> None:
    name, data = CASES["gb18030_split_at_4096"]()
    assert data[4095] >= 0x81 and data[:4096].decode("gb18030", errors="replace").endswith("\ufffd")
    assert sniff(data) == "text"
    r = extract_document(data, name)
    assert r.status is ExtractStatus.EXTRACTED_WITH_ISSUES  # the seed's own failures, as in UTF-8
    assert r.agency == "伊州区住房和城乡建设局"
    assert len([c for c in r.cells if not c.derived]) == 200
