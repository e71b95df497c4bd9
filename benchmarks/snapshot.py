"""`extract --json` of every corpus and fixture document plus synthetic and edge-case HTML, written
to a directory: run it before and after a change meant to be behaviour-neutral (a speed-up) and
compare the two directories.

    python -m benchmarks.snapshot /tmp/before      # on the old code
    python -m benchmarks.snapshot /tmp/after --compare /tmp/before

PYTHONHASHSEED is fixed by re-executing, as the JSON of a few cells depends on set order.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared")) / "corpus" / "docs"
LOGO = '<img src="/images/logo.png" alt="logo">'
FOOTER = '<div class="footer"><img src="/images/jiucuo.png"><img src="/images/dzjg.png"></div>'


def documents(seeds: int = 40) -> Iterator[tuple[str, bytes]]:
    from demo import report, synth

    paths = sorted(DOCS.iterdir()) + sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.is_file())
    for p in paths:
        yield f"{p.parent.name}__{p.name}", p.read_bytes()
    for seed in range(seeds):
        rep = synth.make_report(random.Random(seed))
        page = synth.render_html(rep)
        pictures = re.sub(r"<table.*?</table>", '<p><img src="/u/t.png"></p>', page, flags=re.S)
        yield f"synth{seed}.html", page.encode()
        yield f"synth{seed}_div.html", synth.render_div_html(rep).encode()
        yield f"synth{seed}_img.html", pictures.replace("<body>", "<body>" + LOGO).replace(
            "</body>", FOOTER + "</body>").encode()
        yield f"synth{seed}_nested.html", page.replace("<body>", "<body><table><tr><td>").replace(
            "</body>", "</td></tr></table></body>").encode()
        yield f"synth{seed}_th.html", page.replace("<td", "<th").replace("</td>", "</th>").encode()
        yield f"synth{seed}_gbk.html", page.replace('charset="utf-8"', 'charset="gbk"').encode("gbk", "replace")
    for agency in ("县统计局", "某镇人民政府"):
        for year in report.YEARS:
            yield f"report_{agency}_{year}.html", report.report_html(agency, year).encode()
    yield "spans.html", ("<table><tr><td rowspan=100000 colspan=99999>第二十条第</td><td rowspan='3x' colspan=''>1</td>"
                         "</tr><tr><td>2</td></tr></table>").encode()
    yield "meta.html", ("<html><head><meta name=' ArticleTitle ' content=' 某局2023年政府信息公开工作年度报告 '>"
                        "<meta name=empty content=''><title> t </title></head><body>一、总体情况<img src=a.png>"
                        "二、主动公开政府信息情况<img>五、存在的主要问题<img></body></html>").encode()
    yield "nobody.html", b"<html><head><title>x</title></head></html>"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--compare", type=Path, help="a directory written before: list the documents that differ")
    args = ap.parse_args()
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, "-m", "benchmarks.snapshot", *sys.argv[1:]],
                  {**os.environ, "PYTHONHASHSEED": "0"})
    from extract.document import extract_document

    args.out.mkdir(parents=True, exist_ok=True)
    names = []
    for name, data in documents():
        result = extract_document(data, name)
        (args.out / f"{name}.json").write_text(json.dumps(result.to_json(), ensure_ascii=False) + "\n", "utf-8")
        names.append(f"{name}.json")
    print(f"{len(names)} documents written to {args.out}")
    if args.compare is None:
        return 0
    _, differ, missing = filecmp.cmpfiles(args.compare, args.out, names, shallow=False)
    for name in differ + missing:
        print(f"differs: {name}")
    print(f"{len(names) - len(differ) - len(missing)} identical, {len(differ) + len(missing)} differ")
    return 1 if differ or missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
