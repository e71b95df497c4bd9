"""A small release built from generated reports: real place names in two provinces, three years,
one report whose 表三 does not add up. Quick to build (a few seconds), used by the CLI, explorer
and notebook tests."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from dataset.build import build
from dataset.tables import Provenance
from demo import synth
from extract.document import extract_document

AGENCIES = ("江苏省淮安市人民政府", "淮安市洪泽区教育局", "南京市教育局", "浙江省杭州市人民政府", "杭州市西湖区财政局")
YEARS = [2022, 2023, 2024]
BROKEN = ("淮安市洪泽区教育局", 2023)  # 予以公开 raised by 1: T3-B and T3-C fail


def build_small_release(data_dir: Path) -> Path:
    rng = random.Random(12)
    items = []
    for agency in AGENCIES:
        for rep in synth.make_series(rng, agency, YEARS):
            if (agency, rep.year) == BROKEN:
                rep.values[("applications", "", "granted", "total")] += 1
            body = synth.render_html(rep).encode()
            r = extract_document(body, f"{agency}{rep.year}.html")
            url = f"http://www.example.gov.cn/{hashlib.sha256(body).hexdigest()[:8]}.html"
            items.append((r, Provenance(url, f"{rep.year + 1}-01-20T00:00:00+00:00", r.sha256)))
    build(data_dir, items)
    return data_dir
