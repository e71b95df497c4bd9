"""notebooks/explore.ipynb runs top to bottom on a built dataset, so it never rots."""

from __future__ import annotations

import os
import random
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from dataset.build import build
from dataset.tables import Provenance
from demo import synth
from extract.document import extract_document
from tests.conftest import ROOT


def test_notebook_executes(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    items = []
    for agency in ("甲县人民政府", "乙县教育局", "丙镇人民政府"):
        for year in (2022, 2023, 2024):
            rep = synth.make_report(rng, agency=agency, year=year, version="v2021")
            if agency == "乙县教育局" and year == 2023:
                rep.values[("applications", "", "granted", "total")] += 1  # a table that does not add up
            r = extract_document(synth.render_html(rep).encode(), f"{agency}{year}.html")
            items.append((r, Provenance(f"http://x.gov.cn/{year}.html", f"{year + 1}-01-20T00:00:00+00:00", r.sha256)))
    build(tmp_path, items)
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))
    nb = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}},
                   env={**os.environ}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("9 reports" in "".join(o.get("text", "")) for o in outputs)
