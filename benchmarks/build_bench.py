"""Build time and peak memory at 1,000, 10,000 and 50,000 synthetic reports; at 10,000, the rebuilds
through `gongkai build`'s own path (raw store + records store): unchanged, forced, one new document.

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

from cli.pipeline import build_records
from dataset.build import build
from dataset.tables import Provenance
from demo import synth
from extract import checks as checks_mod
from extract.run import extract_store
from gongkai import schema
from gongkai.model import Cell, CellState, ExtractResult, ExtractStatus
from gongkai.store import RawStore
from gongkai.store.records import RecordStore, record_key

SIZES = (1000, 10000, 50000)
REBUILD_AT = 10000
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


def synthetic_results(n: int, seed: int = 1, skip: int = 0) -> Iterator[tuple[ExtractResult, Provenance]]:
    templates = _templates(seed)
    for i in range(skip, n):
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
        took = time.perf_counter() - t
        release = Path(d) / "release"
        files = sum(1 for p in release.resolve().rglob("*.parquet"))
        size = _size(release.resolve())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"reports": s.reports, "build_s": took, "peak_mb": peak_mb, "files": files, "release_mb": size / 2**20}


VERSION = "bench"


def _store(data: Path, results: Iterator[tuple[ExtractResult, Provenance]]) -> None:
    """The synthetic reports as a crawl leaves them: captures in the raw store, records beside it."""
    records = RecordStore(data)
    with RawStore(data) as store:
        for result, prov in results:
            doc = store.add(prov.url, f"<p>{prov.url}</p>".encode(), headers={"Content-Type": "text/html"},
                            fetched_at=prov.fetched_at, kind="report")
            records.put(record_key(doc.sha256, doc.content_type), VERSION,
                        dataclasses.replace(result, sha256=doc.sha256))


def _records_one(n: int) -> dict[str, float]:
    """`gongkai build`'s path at n reports (raw store + records store): the first build, an unchanged
    rebuild (known from the fingerprint), a forced full rebuild that finds nothing changed, and the
    build after one new document."""
    with tempfile.TemporaryDirectory() as d:
        data = Path(d)
        _store(data, synthetic_results(n))
        out: dict[str, float] = {"reports": n}
        for label, force in (("first_s", False), ("unchanged_s", False), ("forced_s", True)):
            t = time.perf_counter()
            s, _ = build_records(data, VERSION, force=force)
            out[label] = time.perf_counter() - t
            assert s.inputs_unchanged == (label == "unchanged_s"), label
        t = time.perf_counter()
        up = extract_store(data, version=VERSION)  # what `gongkai build` runs first: nothing to extract
        out["extract_scan_s"] = time.perf_counter() - t
        assert up.extracted == 0 and up.up_to_date == n
        extra = next(iter(synthetic_results(n + 1, skip=n)))
        _store(data, iter([extra]))
        t = time.perf_counter()
        s, _ = build_records(data, VERSION)
        out["one_new_s"] = time.perf_counter() - t
        assert not s.inputs_unchanged and s.reports == n + 1
    return out


def _run(*args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-m", "benchmarks.build_bench", *args], capture_output=True, text=True)
    if out.returncode != 0:  # never a silent gap in `make bench`
        raise RuntimeError(f"build_bench {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(sizes: tuple[int, ...] = SIZES, rebuild_at: int = REBUILD_AT) -> None:
    results = [_run("--one", str(n)) for n in sizes]
    for r in results:
        print(f"{int(r['reports']):6d} reports: build {r['build_s']:6.1f} s ({1000 * r['build_s'] / r['reports']:.2f} ms"
              f"/report), peak RSS {r['peak_mb']:5.0f} MB, {int(r['files'])} Parquet files "
              f"({r['release_mb']:.0f} MB with CSV)")
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
    r = _run("--records", str(rebuild_at))
    print(f"{rebuild_at} reports from the raw store and records (gongkai build's path): first build "
          f"{r['first_s']:.1f} s, unchanged rebuild {r['unchanged_s']:.2f} s (fingerprint: no record read, nothing "
          f"written), forced full rebuild {r['forced_s']:.1f} s (finds nothing changed), after one new document "
          f"{r['one_new_s']:.1f} s; the extract stage `gongkai build` runs first finds nothing to extract in "
          f"{r['extract_scan_s']:.1f} s")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(_one(int(sys.argv[2]))))
    elif len(sys.argv) == 3 and sys.argv[1] == "--records":
        print(json.dumps(_records_one(int(sys.argv[2]))))
    else:
        main()
