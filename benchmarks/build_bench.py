"""Build time and peak memory at 1,000, 10,000 and 50,000 synthetic reports, and an unchanged rebuild.

Reports are made as extraction results directly (the project's generator: values → cells → derived
cells and checks), so this measures the build step alone. 400 distinct reports are generated and
reused under different agencies, years and hashes, produced lazily as the build reads them: the
input never sits in memory as a list, as with the records store. Each size runs in its own process,
for a clean peak RSS (which therefore includes Python, pyarrow and pandas themselves).
"""

from __future__ import annotations

import dataclasses
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from dataset.build import build
from dataset.tables import Provenance
from demo import synth
from extract import checks as checks_mod
from gongkai import schema
from gongkai.model import Cell, CellState, ExtractResult, ExtractStatus

SIZES = (1000, 10000, 50000)
TEMPLATES = 400
YEARS = (2021, 2022, 2023, 2024)


def _templates(seed: int = 1) -> list[ExtractResult]:
    rng = random.Random(seed)
    out = []
    for i in range(TEMPLATES):
        rep = synth.make_report(rng, agency="示例单位", year=2023, version="v2021")
        cells = [Cell(t, b, r, c, v, synth.fmt(v), CellState.ZERO if v == 0 else CellState.NUMBER, "")
                 for (t, b, r, c), v in rep.values.items()]
        versions = {t: "v2021" for t in schema.TABLES}
        by_key = {c.key: c for c in cells}
        result = ExtractResult(source=f"synthetic/{i}", status=ExtractStatus.EXTRACTED, source_format="html",
                               format_version=versions, report_version="v2021")
        result.cells = cells + checks_mod.derive(by_key, versions)
        result.checks = checks_mod.check_identities(by_key, versions)
        out.append(result)
    return out


def synthetic_results(n: int, seed: int = 1) -> Iterator[tuple[ExtractResult, Provenance]]:
    templates = _templates(seed)
    for i in range(n):
        agency, year = f"示例单位{i // len(YEARS):06d}", YEARS[i % len(YEARS)]
        result = dataclasses.replace(templates[i % TEMPLATES], agency=agency, year=year, sha256=f"{i:064x}",
                                     published=f"{year + 1}-01-20", title=f"{agency}{year}年政府信息公开工作年度报告")
        yield result, Provenance(f"http://example.gov.cn/{i}.html", f"{year + 1}-01-21T00:00:00+00:00", result.sha256)


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _one(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        s = build(Path(d), synthetic_results(n))
        first = time.perf_counter() - t
        peak_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t = time.perf_counter()
        again = build(Path(d), synthetic_results(n))
        rebuild = time.perf_counter() - t
        assert again.unchanged and again.files_written == 0
        release = Path(d) / "release"
        files = sum(1 for p in release.resolve().rglob("*.parquet"))
        size = _size(release.resolve())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"reports": s.reports, "build_s": first, "rebuild_s": rebuild, "peak_mb": peak_mb,
            "peak_first_mb": peak_first, "files": files, "release_mb": size / 2**20}


def main(sizes: tuple[int, ...] = SIZES) -> None:
    results = []
    for n in sizes:
        out = subprocess.run([sys.executable, "-m", "benchmarks.build_bench", "--one", str(n)],
                             capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    for r in results:
        print(f"{int(r['reports']):6d} reports: build {r['build_s']:6.1f} s, unchanged rebuild {r['rebuild_s']:5.1f} s, "
              f"peak RSS {r['peak_mb']:5.0f} MB, {int(r['files'])} Parquet files ({r['release_mb']:.0f} MB with CSV)")
    if len(results) >= 2:
        a, b = results[-2], results[-1]
        per_report = (b["build_s"] - a["build_s"]) / (b["reports"] - a["reports"])
        print(f"{b['reports'] / a['reports']:.0f}x reports -> build time x{b['build_s'] / a['build_s']:.1f}, "
              f"peak RSS x{b['peak_mb'] / a['peak_mb']:.2f}")
        n = 150_000
        est = b["build_s"] + per_report * (n - b["reports"])
        growth = (b["peak_mb"] - a["peak_mb"]) / (b["reports"] - a["reports"])
        print(f"extrapolated to {n:,} reports (linear from the last two sizes): build {est / 60:.0f} min, "
              f"peak RSS {b['peak_mb'] + growth * (n - b['reports']):.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(_one(int(sys.argv[2]))))
    else:
        main()
