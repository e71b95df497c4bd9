from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared"))
DOCS = SHARED / "corpus" / "docs"
TRUTH = SHARED / "corpus" / "truth.csv"

CITY_PDF = "pdf_2024_jiangsu_huaian_city_gov.pdf"
HONGZE_PDF = "pdf_2024_jiangsu_huaian_hongzequ_gov.pdf"
TEMPLATE_DOCX = "docx_template_2021_blank_gongkai_nianbao_moban.docx"


def corpus_bytes(name: str) -> bytes:
    path = DOCS / name
    if not path.exists():
        pytest.skip(f"corpus file {path} not found (set GONGKAI_SHARED)")
    return path.read_bytes()


def truth_rows(name: str) -> list[dict[str, str]]:
    with TRUTH.open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["file"] == name]
