"""The README's pandas, DuckDB and polars examples run exactly as written, on a built dataset."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT

BLOCKS = re.findall(r"```(python|sql)\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_readme_has_examples() -> None:
    assert {lang for lang, _ in BLOCKS} == {"python", "sql"}
    code = "\n".join(c for _lang, c in BLOCKS)
    for library in ("import pandas", "import polars", "FROM read_parquet"):
        assert library in code
    assert "report_summary" in code and "codebook" in code


@pytest.mark.parametrize(("lang", "code"), BLOCKS, ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(BLOCKS)])
def test_readme_example_runs(lang: str, code: str, corpus_data: Path, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(corpus_data / "release", tmp_path / "data" / "release")
    monkeypatch.chdir(tmp_path)
    if lang == "python":
        exec(compile(code, "README.md", "exec"), {})
        assert capsys.readouterr().out.strip()
    else:
        rows = duckdb.connect().execute(code).fetchall()
        assert rows  # the corpus has reports that do not add up (the seed, 平潭 2020)
