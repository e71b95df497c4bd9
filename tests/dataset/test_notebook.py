"""notebooks/explore.ipynb runs top to bottom on a built dataset, so it never rots; its charts are
inline PNGs, and their Chinese is drawn with a CJK font (no glyph missing)."""

from __future__ import annotations

import base64
import random
import subprocess
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from dataset.build import build
from dataset.tables import Provenance
from demo import synth
from extract.document import extract_document
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    data = tmp_path_factory.mktemp("notebook-data")
    rng = random.Random(3)
    items = []
    for agency in ("甲县人民政府", "乙县教育局", "丙镇人民政府"):
        for year in (2022, 2023, 2024):
            rep = synth.make_report(rng, agency=agency, year=year, version="v2021")
            if agency == "乙县教育局" and year == 2023:
                rep.values[("applications", "", "granted", "total")] += 1  # a table that does not add up
            r = extract_document(synth.render_html(rep).encode(), f"{agency}{year}.html")
            items.append((r, Provenance(f"http://x.gov.cn/{year}.html", f"{year + 1}-01-20T00:00:00+00:00", r.sha256)))
    build(data, items)
    nb = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    with pytest.MonkeyPatch.context() as mp:  # the kernel inherits the environment
        mp.setenv("GONGKAI_DATA_DIR", str(data))
        mp.setenv("MPLCONFIGDIR", str(tmp_path_factory.mktemp("mpl")))  # a fresh font cache, as on a new machine
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    return nb


def _outputs(nb: Any) -> list[Any]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _text(nb: Any, stream: str) -> str:
    return "".join("".join(o.get("text", "")) for o in _outputs(nb) if o.get("name") == stream)


def test_notebook_executes_and_draws_three_charts_inline(executed: Any, tmp_path: Path) -> None:
    outputs = _outputs(executed)
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert "9 reports" in _text(executed, "stdout")
    pngs = [o["data"]["image/png"] for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) >= 3
    for i, png in enumerate(pngs):
        raw = base64.b64decode(png)
        assert raw.startswith(b"\x89PNG") and len(raw) > 10_000
        (tmp_path / f"chart-{i}.png").write_bytes(raw)  # kept with --basetemp, to look at


def test_chinese_is_drawn_with_a_cjk_font(executed: Any) -> None:
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout \
        if Path("/usr/bin/fc-list").exists() else ""
    if not fonts.strip():
        pytest.skip("no CJK font on this machine (fonts-noto-cjk: `make browser` installs it where it can)")
    assert "CJK font: " in _text(executed, "stdout")
    stderr = _text(executed, "stderr")
    assert "missing from font" not in stderr and "Glyph" not in stderr, stderr
