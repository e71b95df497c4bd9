"""The extract stage's throughput on 1 worker vs every core (and on Dask), and the driver's memory.

A raw store is filled once with the corpus documents and generated reports (the demo's generator:
HTML, pipe and glued text, div layouts, DOCX and ruled-table PDFs, distinct bytes each); then the
stage extracts the whole store again and again under fresh versions, alternating the configurations
(in-process as before the pool, 1 worker, N workers, and the Dask engine on a local cluster of N when
Dask is installed), so that the machine's noise hits every configuration alike: the figures that
matter are the ratios. Each run is a process of its own, so its peak RSS is the driver's alone
(workers are processes of their own); CPU seconds are summed over the driver and all its descendants.
A store four times larger shows whether the driver's memory grows with the store.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from gongkai.store import RawStore

DOCS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "docs"
# (renderer, how many per 100 generated documents); every format but PDF is one page
MIX = (("html", 45), ("pipe", 10), ("glued", 5), ("rows", 10), ("div", 10), ("docx", 10), ("pdf", 10))


def _pdf_pages(body: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(body)) as pdf:
        return len(pdf.pages)


def _generated(n: int, seed: int) -> list[tuple[str, bytes, str, int]]:
    """(url, body, content type, pages) for n generated reports of distinct agencies and years."""
    from demo import synth
    from demo.synth_office import render_docx, render_pdf

    rng = random.Random(seed)
    kinds = [k for k, share in MIX for _ in range(share)]
    texts = {"html": synth.render_html, "div": synth.render_div_html, "pipe": synth.render_pipe_stream,
             "glued": synth.render_glued, "rows": synth.render_text_rows}
    out = []
    for i in range(n):
        kind, year = kinds[i % len(kinds)], 2019 + i % 7
        rep = synth.make_report(rng, agency=f"第{seed}区{i:05d}号县人民政府", year=year,
                                version="v2021" if year >= 2021 else "v2019")
        url = f"http://bench.gov.cn/{seed}/{i}"
        if kind == "pdf":
            body = render_pdf(rep)
            out.append((url + ".pdf", body, "application/pdf", _pdf_pages(body)))
        elif kind == "docx":
            out.append((url + ".docx", render_docx(rep),
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 1))
        else:
            html = kind in ("html", "div")
            out.append((url + (".html" if html else ".txt"), texts[kind](rep).encode("utf-8"),
                        ("text/html" if html else "text/plain") + "; charset=utf-8", 1))
    return out


def make_store(data: Path, generated: int, seed: int = 1) -> dict[str, int]:
    """The corpus documents plus `generated` reports; returns documents and pages stored."""
    docs = pages = 0
    with RawStore(data) as store:
        for path in sorted(DOCS.iterdir()):
            body = path.read_bytes()
            store.add(path.resolve().as_uri(), body, source="ingest")
            docs, pages = docs + 1, pages + (_pdf_pages(body) if path.suffix == ".pdf" else 1)
        for url, body, ctype, n in _generated(generated, seed):
            store.add(url, body, headers={"Content-Type": ctype})
            docs, pages = docs + 1, pages + n
    return {"documents": docs, "pages": pages}


def _hwm_mb() -> float:
    """This process's peak RSS (VmHWM, reset by exec; ru_maxrss would keep the parent's)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024


class _CpuMeter:
    """CPU seconds of this process and every descendant (the fork server and the workers it forks,
    which this process never reaps), sampled every 0.2 s."""

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while not self.stop.wait(0.2):
            self._sample()

    def _sample(self) -> None:
        for p in self.me.children(recursive=True):
            try:
                t = p.cpu_times()
            except Exception:  # gone between listing and reading: its last sample stands
                continue
            self.seen[p.pid] = t.user + t.system

    def total(self) -> float:
        self.stop.set()
        self.thread.join()
        self._sample()
        t = self.me.cpu_times()
        return t.user + t.system + sum(self.seen.values())


def _one(data: str, version: str, workers: int, engine: str) -> dict[str, object]:
    """One run of the stage in this process: wall time, CPU time of every process, driver peak RSS."""
    from extract.run import ExtractSummary, extract_store, pending, run_task

    before = _hwm_mb()
    meter = _CpuMeter()
    t = time.perf_counter()
    if engine == "in-process":  # what the stage did before the pool: one document after another, no limits
        s = ExtractSummary(version)
        for task in pending(Path(data), version, s):
            s.add(run_task(Path(data), version, task))
        s.statuses = dict(sorted(s.statuses.items()))
    else:
        s = extract_store(Path(data), version=version, workers=workers, engine=engine)
    seconds = time.perf_counter() - t
    cpu = meter.total()
    shutil.rmtree(Path(data) / "records" / version)
    return {"seconds": seconds, "cpu_s": cpu, "extracted": s.extracted, "statuses": s.statuses,
            "rss_before_mb": before, "peak_rss_mb": _hwm_mb()}


def _run(data: Path, version: str, workers: int, engine: str) -> dict[str, float | dict[str, int]]:
    out = subprocess.run([sys.executable, "-m", "benchmarks.pool_bench", "--one", str(data), version,
                          str(workers), engine], capture_output=True, text=True, check=True)
    result: dict[str, float | dict[str, int]] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _f(run: dict[str, float | dict[str, int]], key: str) -> float:
    value = run[key]
    assert isinstance(value, float | int)
    return float(value)


def main(generated: int = 240, rounds: int = 3) -> dict[str, float]:
    from extract.run import default_workers

    n = default_workers()
    configs = [("in-process", 1, "in-process"), ("1 worker", 1, "local"), (f"{n} workers", n, "local")]
    try:
        import distributed  # noqa: F401

        configs.append((f"dask, {n} workers", n, "dask"))
    except ImportError:
        print("(Dask not installed: pip install 'gongkai[dask]' to measure it too)")
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "store"
        size = make_store(data, generated)
        print(f"store: {size['documents']} documents, {size['pages']} pages ({len(list(DOCS.iterdir()))} corpus "
              f"documents + {generated} generated, per 100: {dict(MIX)})")
        runs: dict[str, list[dict[str, float | dict[str, int]]]] = {label: [] for label, _w, _e in configs}
        load = os.getloadavg()[0]
        for r in range(rounds):  # interleaved: each round runs every configuration once
            for label, workers, engine in configs:
                runs[label].append(_run(data, f"bench-{engine}-{workers}-{r}", workers, engine))
        print(f"extract stage over the whole store, median of {rounds} interleaved runs ({n} cores here; load "
              f"average {load:.1f} before, {os.getloadavg()[0]:.1f} after: a shared machine):")
        base = statistics.median(_f(x, "seconds") for x in runs["1 worker"])
        for label, rs in runs.items():
            secs = statistics.median(_f(x, "seconds") for x in rs)
            cpu = statistics.median(_f(x, "cpu_s") for x in rs)
            peak = max(_f(x, "peak_rss_mb") for x in rs)
            print(f"  {label:16s} {secs:6.1f} s {size['documents'] / secs:5.1f} docs/s {size['pages'] / secs:5.1f} pages/s"
                  f"  x{base / secs:4.2f} vs 1 worker  CPU {cpu:5.1f} s ({cpu / secs:3.1f} cores busy,"
                  f" {cpu / size['documents'] * 1000:3.0f} ms/doc)  driver peak RSS {peak:4.0f} MB")
            out[f"{label} docs/s"] = size["documents"] / secs
        first = runs["1 worker"][0]["statuses"]
        print(f"  statuses (the same in every run): {first}")
        if any(x["statuses"] != first for rs in runs.values() for x in rs):
            raise RuntimeError("the configurations disagree on the documents' statuses")
        shutil.rmtree(data)
        bigger = Path(tmp) / "bigger"
        big = make_store(bigger, generated * 4, seed=2)
        print(f"a store {big['documents'] / size['documents']:.1f}x larger ({big['documents']} documents, "
              f"{big['pages']} pages), once each:")
        for label, workers, engine in configs[2:]:
            rb = _run(bigger, f"bench-big-{engine}", workers, engine)
            secs = _f(rb, "seconds")
            small = max(_f(x, "peak_rss_mb") for x in runs[label])
            print(f"  {label:16s} {secs:6.1f} s {big['documents'] / secs:5.1f} docs/s {big['pages'] / secs:5.1f} pages/s"
                  f"  CPU {_f(rb, 'cpu_s'):5.1f} s  driver peak RSS {_f(rb, 'peak_rss_mb'):4.0f} MB (vs {small:.0f} MB at"
                  f" {size['documents']} documents; {_f(rb, 'rss_before_mb'):.0f} MB once started)")
    return out


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--one":
        print(json.dumps(_one(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])))
    else:
        main()
