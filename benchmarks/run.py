"""`make bench`: every benchmark of the project, one after the other."""

from __future__ import annotations

import importlib

BENCHES = ["benchmarks.extract_bench", "benchmarks.bad_input_bench", "benchmarks.pdf_bench", "benchmarks.pool_bench",
           "benchmarks.build_bench", "benchmarks.layout_bench", "benchmarks.crawl_bench", "benchmarks.cli_bench"]


def main() -> None:
    for name in BENCHES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        print(f"== {name}")
        mod.main()


if __name__ == "__main__":
    main()
