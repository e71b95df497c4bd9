"""The same input gives byte-identical `extract --json` output under any PYTHONHASHSEED (set
iteration order must never reach the output: ambiguous_split candidates once did)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import DOCS, ROOT
from tests.extract.bad_inputs import CASES


def _run(seed: str, paths: list[str]) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run([sys.executable, "-m", "cli", "extract", "--json", *paths], capture_output=True,
                         cwd=ROOT, env=env, timeout=600)
    assert out.returncode == 0, out.stderr.decode()[-2000:]
    return out.stdout


def test_corpus_json_is_identical_under_two_hash_seeds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    paths = sorted(str(p) for p in DOCS.iterdir() if p.is_file())
    # the bad inputs too: their flags and errors carry candidates and counts
    for name, build in sorted(CASES.items()):
        fname, data = build()
        p = tmp_path / f"{name}_{fname}"
        p.write_bytes(data)
        paths.append(str(p))
    first, second = _run("1", paths), _run("4242", paths)
    assert first.count(b"\n") == len(paths)
    assert b"ambiguous_split" in first
    assert first == second
