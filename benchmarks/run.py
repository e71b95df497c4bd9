"""`make bench`: every benchmark of the project, one after the other.

A benchmark that cannot be imported or fails is reported with its error, the others still run, and
the run exits non-zero naming them: never a silent gap in the figures.
"""

from __future__ import annotations

import importlib
import sys
import traceback

BENCHES = ["benchmarks.extract_bench", "benchmarks.bad_input_bench", "benchmarks.pdf_bench", "benchmarks.pool_bench",
           "benchmarks.build_bench", "benchmarks.layout_bench", "benchmarks.crawl_bench", "benchmarks.cli_bench"]


def main() -> None:
    failed: list[str] = []
    for name in BENCHES:
        print(f"== {name}", flush=True)
        try:
            importlib.import_module(name).main()
        except Exception:
            traceback.print_exc()
            print(f"== {name} FAILED (above)", flush=True)
            failed.append(name)
    if failed:
        sys.exit(f"benchmarks failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
