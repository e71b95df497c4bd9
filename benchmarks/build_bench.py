"""Build time and peak memory for 1,000 and 10,000 synthetic reports (the project's generator).

Reports are made as extraction results directly (values → cells → derived cells and checks), so
this measures the build step alone. Each size runs in its own process, for a clean peak RSS.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dataset.build import build
from dataset.tables import Provenance
from demo import synth
from extract import checks as checks_mod
from gongkai import schema
from gongkai.model import Cell, CellState, ExtractResult, ExtractStatus


def synthetic_results(n: int, seed: int = 1) -> list[tuple[ExtractResult, Provenance]]:
    rng = random.Random(seed)
    years = (2021, 2022, 2023, 2024)
    out = []
    for i in range(n):
        agency, year = f"示例单位{i // len(years):05d}", years[i % len(years)]
        rep = synth.make_report(rng, agency=agency, year=year, version="v2021")
        cells = [Cell(t, b, r, c, v, synth.fmt(v), CellState.ZERO if v == 0 else CellState.NUMBER, "")
                 for (t, b, r, c), v in rep.values.items()]
        versions = {t: "v2021" for t in schema.TABLES}
        by_key = {c.key: c for c in cells}
        result = ExtractResult(source=f"synthetic/{i}", status=ExtractStatus.EXTRACTED, source_format="html",
                               agency=agency, year=year, published=f"{year + 1}-01-20", format_version=versions,
                               report_version="v2021", sha256=f"{i:064x}")
        result.cells = cells + checks_mod.derive(by_key, versions)
        result.checks = checks_mod.check_identities(by_key, versions)
        out.append((result, Provenance(f"http://example.gov.cn/{i}.html", f"{year + 1}-01-21T00:00:00+00:00",
                                       result.sha256)))
    return out


def _one(n: int) -> dict[str, float]:
    items = synthetic_results(n)
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        s = build(Path(d), items)
        first = time.perf_counter() - t
        t = time.perf_counter()
        build(Path(d), items)
        again = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"reports": s.reports, "build_s": first, "rebuild_s": again, "peak_mb": peak_mb,
            "files": s.files_written}


def main(sizes: tuple[int, ...] = (1000, 10000)) -> None:
    results = []
    for n in sizes:
        out = subprocess.run([sys.executable, "-m", "benchmarks.build_bench", "--one", str(n)],
                             capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    for r in results:
        print(f"{int(r['reports']):6d} reports: build {r['build_s']:7.1f} s, unchanged rebuild {r['rebuild_s']:6.1f} s, "
              f"peak RSS {r['peak_mb']:7.0f} MB (incl. generating the inputs), files {int(r['files'])}")
    if len(results) == 2:
        a, b = results
        print(f"growth {b['reports'] / a['reports']:.0f}x reports -> build time x{b['build_s'] / a['build_s']:.1f}, "
              f"peak memory x{b['peak_mb'] / a['peak_mb']:.1f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(_one(int(sys.argv[2]))))
    else:
        main()
