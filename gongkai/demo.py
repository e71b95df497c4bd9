"""`gongkai demo`: the offline way to try gongkai.

Writes sample report documents made by the project's own generator (HTML with merged cells,
a GBK page, traditional characters, flattened `cell |` text, run-together text, plus one
broken table) into DIR/docs, extracts every one of them and writes DIR/extracted.jsonl.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import opencc

from gongkai import synth
from gongkai.model import CheckStatus

AGENCIES = ["示例县人民政府", "示例县教育局", "示例市生态环境局", "示例镇人民政府", "示例街道办事处"]


@dataclass
class DemoSummary:
    documents: int
    statuses: dict[str, int]
    cells: int
    failed_checks: int
    output: Path


def write_samples(docs: Path, seed: int = 2024) -> list[Path]:
    rng = random.Random(seed)
    s2t = opencc.OpenCC("s2t")
    docs.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for i, agency in enumerate(AGENCIES):
        for year in (2020, 2023, 2024):
            rep = synth.make_report(rng, agency=agency, year=year, version="v2019" if year < 2021 else "v2021")
            kind = (i + year) % 4
            if kind == 0:
                p, data = docs / f"{i}_{year}.html", synth.render_html(rep).encode()
            elif kind == 1:
                p, data = docs / f"{i}_{year}_gbk.html", synth.render_html(rep, charset="gbk").encode("gbk")
            elif kind == 2:
                p, data = docs / f"{i}_{year}_trad.txt", s2t.convert(synth.render_pipe_stream(rep)).encode()
            else:
                p, data = docs / f"{i}_{year}_flat.txt", synth.render_glued(rep).encode()
            p.write_bytes(data)
            paths.append(p)
    # A report whose 表三 does not add up: the checks must say so.
    rep = synth.make_report(rng, agency="示例县统计局", year=2024, version="v2021")
    rep.values[("applications", "", "granted", "natural_person")] += Decimal(3)
    bad = docs / "inconsistent_2024.html"
    bad.write_bytes(synth.render_html(rep).encode())
    paths.append(bad)
    empty = docs / "empty_download.html"
    empty.write_bytes(b"")
    paths.append(empty)
    return paths


def run_demo(out_dir: Path) -> DemoSummary:
    from extract.document import extract_document

    paths = write_samples(out_dir / "docs")
    statuses: Counter[str] = Counter()
    cells = failed = 0
    out = out_dir / "extracted.jsonl"
    tmp = out.with_suffix(".jsonl.tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for p in sorted(paths):
            r = extract_document(p.read_bytes(), str(p))
            statuses[str(r.status)] += 1
            cells += sum(1 for c in r.cells if not c.derived)
            failed += sum(1 for c in r.checks if c.status is CheckStatus.FAIL)
            f.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
    tmp.replace(out)
    return DemoSummary(len(paths), dict(statuses), cells, failed, out)
