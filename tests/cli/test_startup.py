"""Each command imports what it needs: `--help` loads neither DuckDB nor pyarrow, `extract` only the
extractor. Checked on sys.modules in a fresh interpreter (a fact, not a timing)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import DOCS, ROOT

PROBE = """
import json, sys
from cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stdout.flush()
print("\\n" + json.dumps(sorted(sys.modules)), file=sys.stderr)
"""
HEAVY = ("duckdb", "pyarrow", "pandas", "numpy", "httpx", "rich", "datasette", "crawler", "dataset.build")


def loaded(*args: str) -> set[str]:
    p = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)
    return set(json.loads(p.stderr.strip().splitlines()[-1]))


def top_level(mods: set[str]) -> set[str]:
    return {m for m in mods for h in HEAVY if m == h or m.startswith(h + ".")}


@pytest.mark.parametrize("args", [["--help"], ["query", "--help"], ["top", "--help"], ["serve", "--help"],
                                  ["crawl", "--help"], ["--version"]])
def test_help_loads_no_heavy_module(args: list[str]) -> None:
    assert top_level(loaded(*args)) == set()


def test_extract_loads_only_the_extractor() -> None:
    mods = loaded("extract", "--json", str(DOCS / "html_2024_fujian_pingtan_gov.html"))
    assert "extract.document" in mods
    assert top_level(mods) == set()
