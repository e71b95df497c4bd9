"""The inputs of issue 8 item 5 that took the extractor down, built from real corpus documents.

Shared by the tests (status, flags, bounded work) and `benchmarks/bad_input_bench.py` (time and
memory in a subprocess). Each builder returns (file name, bytes)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "docs"

FLAT_2021 = "textflat_2021_fujian_pingtan_gov.txt"
SEED = "seed_yizhou_zhujianju_2024.txt"
HTML_2024 = "html_2024_fujian_pingtan_gov.html"


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def long_digit_run(digits: int = 45) -> tuple[str, bytes]:
    """A run-together 表三 row whose digit run is `digits` long (the real row prints 9 digits)."""
    text = _read(FLAT_2021)
    row = "一、本年新收政府信息公开申请数量640020470"
    assert row in text
    run = ("1234567890" * (digits // 10 + 1))[:digits]
    return "long_run.txt", text.replace(row, row[: -len("640020470")] + run).encode("utf-8")


def huge_number(digits: int = 5000) -> tuple[str, bytes]:
    """A 表三 cell of the seed printed with thousands of digits."""
    text = _read(SEED)
    row = "一、本年新收政府信息公開申請數(shù)量 |\n4 |"
    assert row in text
    return "huge.txt", text.replace(row, row[:-3] + "9" * digits + " |", 1).encode("utf-8")


def utf16(bom: bool, little: bool = True) -> tuple[str, bytes]:
    text = _read(HTML_2024)
    enc = "utf-16-le" if little else "utf-16-be"
    data = text.encode(enc)
    if bom:
        data = (b"\xff\xfe" if little else b"\xfe\xff") + data
    return f"utf16{'_bom' if bom else ''}{'' if little else '_be'}.html", data


def gb18030_split_at_4096() -> tuple[str, bytes]:
    """The seed as GB18030 text, padded so that a two-byte character straddles byte 4096."""
    text = _read(SEED)
    data = text.encode("gb18030")
    # the first two-byte character at or after byte 4000 must start at byte 4095
    pad = 0
    while True:
        cand = ("\n" * pad + text).encode("gb18030")
        head = cand[:4095]
        try:
            head.decode("gb18030")
            cand[4095:4097].decode("gb18030")
        except UnicodeDecodeError:
            pad += 1
            continue
        if cand[4095] >= 0x81:
            data = cand
            break
        pad += 1
    return "gb18030_split.txt", data


def odd_cell(printed: str) -> tuple[str, bytes]:
    """A clean report (every check passes) with its 行政许可 count (4529) printed as `printed`."""
    text = _read(HTML_2024)
    assert text.count(">4529<") == 1
    return "odd_cell.html", text.replace(">4529<", f">{printed}<").encode("utf-8")


CASES: dict[str, Callable[[], tuple[str, bytes]]] = {
    "t3_45_digit_run": long_digit_run,
    "number_5000_digits": huge_number,
    "utf16_le_bom": lambda: utf16(True),
    "utf16_le_no_bom": lambda: utf16(False),
    "utf16_be_bom": lambda: utf16(True, little=False),
    "gb18030_split_at_4096": gb18030_split_at_4096,
    "cell_7e3": lambda: odd_cell("7e3"),
    "cell_1_space_1": lambda: odd_cell("1 1"),
}


def many_open_cuts() -> tuple[str, bytes]:
    """A run-together 表三 whose four rows each allow 15–19 cuts that satisfy the row total:
    about 80,000 combinations for the column identities to sort out."""
    text = _read(FLAT_2021)
    rows = {"（一）予以公开270020130": "（一）予以公开1011111210135",
            "1.本机关不掌握相关政府信息220000325": "1.本机关不掌握相关政府信息1111211100135",
            "7.属于行政执法案卷6000006": "7.属于行政执法案卷2110110110134",
            "（七）总计630020469": "（七）总计11012111121156"}
    for old, new in rows.items():
        assert old in text, old
        text = text.replace(old, new)
    return "open_cuts.txt", text.encode("utf-8")


CASES["t3_80k_cut_combinations"] = many_open_cuts


def every_row_long(digits: int = 45) -> tuple[str, bytes]:
    """Every run-together 表三 row of a report replaced by a long digit run."""
    import re

    text = _read(FLAT_2021)
    run = ("9876543210" * (digits // 10 + 1))[:digits]
    start, end = text.index("一、本年新收"), text.index("四、政府信息公开行政复议")
    table = re.sub(r"(?<=[\u4e00-\u9fff）”])\d{5,}", run, text[start:end])
    return "all_long.txt", (text[:start] + table + text[end:]).encode("utf-8")


CASES["t3_every_row_45_digits"] = every_row_long
