"""CLI start-up: wall time of whole `gongkai` processes, side by side with the interpreter's floor.

Each command runs RUNS times as a fresh process (what a shell loop or a pipeline pays); the median
and the fastest run are printed. Target (issue 10 item 7): `gongkai extract --json` on one page in
≤ 200 ms. The machine is shared, so the fastest run is the better estimate of the cost itself.

Bytecode caching is on for these processes, as in any installed Python (pip compiles on install):
with PYTHONDONTWRITEBYTECODE set, as in some sandboxes, every run would compile our modules anew.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT.parent / "shared" / "corpus" / "docs" / "html_2024_fujian_pingtan_gov.html"
RUNS = 15
TARGET_MS = 200


def _time(cmd: list[str], env: dict[str, str]) -> tuple[list[float], list[float]]:
    """Wall time and CPU time (user + system of the process) per run, in ms. On a shared machine
    the CPU time is the steadier figure: it leaves out the time spent waiting for a core."""
    subprocess.run(cmd, capture_output=True, env=env, cwd=ROOT, check=True)  # warm the file cache and .pyc
    wall, cpu = [], []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=env, cwd=ROOT, check=True)
        wall.append((time.perf_counter() - t) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    return wall, cpu


def main() -> None:
    from tests.release import build_small_release

    gongkai = str(Path(sys.executable).parent / "gongkai")
    with tempfile.TemporaryDirectory() as tmp:
        build_small_release(Path(tmp))
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"GONGKAI_DATA_DIR": tmp}
        cases = [
            ("python -c pass (floor)", [sys.executable, "-c", "pass"]),
            ("python -c 'import extract.document'", [sys.executable, "-c", "import extract.document"]),
            ("python -c 'import duckdb, pyarrow'", [sys.executable, "-c", "import duckdb, pyarrow"]),
            ("gongkai --help", [gongkai, "--help"]),
            ("gongkai --version", [gongkai, "--version"]),
            (f"gongkai extract --json {PAGE.name}", [gongkai, "extract", "--json", str(PAGE)]),
            ("gongkai query 'SELECT count(*) FROM reports'", [gongkai, "query", "SELECT count(*) FROM reports"]),
            ("gongkai top --metric refusal_share", [gongkai, "top", "--metric", "refusal_share"]),
        ]
        load = os.getloadavg()[0]
        print(f"{'command':52} {'wall median':>11} {'wall min':>9} {'cpu median':>11}   "
              f"(ms; {RUNS} runs each; load average {load:.1f} on {os.cpu_count()} cores)")
        for name, cmd in cases:
            if "extract" in cmd and not PAGE.exists():
                print(f"{name:52} {'(corpus page missing)':>20}")
                continue
            wall, cpu = _time(cmd, env)
            mark = ""
            if "extract" in cmd:
                mark = f"  target {TARGET_MS} ms: " + ("met" if min(wall) <= TARGET_MS else "not met (wall)")
            print(f"{name:52} {statistics.median(wall):11.0f} {min(wall):9.0f} {statistics.median(cpu):11.0f}{mark}")


if __name__ == "__main__":
    main()
