"""`make bench`: every benchmark of the project, one after the other.

A benchmark that cannot run (a missing optional dependency) or fails is reported on its own line
and makes the whole run exit non-zero once the others have run: a figure is never silently absent.
"""

from __future__ import annotations

import importlib
import sys
import traceback

BENCHES = ["benchmarks.extract_bench", "benchmarks.bad_input_bench", "benchmarks.pdf_bench", "benchmarks.pool_bench",
           "benchmarks.build_bench", "benchmarks.layout_bench", "benchmarks.crawl_bench", "benchmarks.cli_bench"]


def main() -> int:
    failed: list[str] = []
    for name in BENCHES:
        print(f"== {name}", flush=True)
        try:
            importlib.import_module(name).main()
        except SystemExit as stop:  # a benchmark that refuses to run says so with a non-zero exit
            if stop.code not in (0, None):
                failed.append(name)
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
