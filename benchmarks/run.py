"""`make bench`: every benchmark of the project, one after the other.

Each runs in a process of its own, so one benchmark's memory (peak RSS is a process-wide high-water
mark) or imports never count in the next one's figures. A benchmark that fails is reported on its own
line and makes the whole run exit non-zero once the others have run: a figure is never silently absent.
"""

from __future__ import annotations

import subprocess
import sys

BENCHES = ["benchmarks.extract_bench", "benchmarks.bad_input_bench", "benchmarks.pdf_bench", "benchmarks.pool_bench",
           "benchmarks.build_bench", "benchmarks.layout_bench", "benchmarks.crawl_bench", "benchmarks.cli_bench"]


def main() -> int:
    failed: list[str] = []
    for name in BENCHES:
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, "-m", name], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
