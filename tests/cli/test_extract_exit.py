"""`gongkai extract` exits 1 when an input could not be read at all, and 0 otherwise (README)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from demo import synth, synth_office
from tests.cli.test_cli_output import gongkai
from tests.conftest import DOCS

REP = synth.make_report(random.Random(4), agency="某县人民政府", year=2023, version="v2021")


def test_every_input_read_exits_0_even_with_failing_checks(tmp_path: Path) -> None:
    p = gongkai("extract", "--json", str(DOCS / "seed_yizhou_zhujianju_2024.txt"))
    assert p.returncode == 0
    assert json.loads(p.stdout)["checks"]


def test_password_protected_pdf_is_unreadable_and_exits_1(tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(synth_office.render_pdf(REP, user_password="secret", owner_password="o", algorithm="AES-128"))
    good = tmp_path / "good.html"
    good.write_text(synth.render_html(REP), encoding="utf-8")
    p = gongkai("extract", "--json", str(locked), str(good))
    assert p.returncode == 1
    statuses = {Path(d["source"]).name: d["status"] for d in map(json.loads, p.stdout.splitlines())}
    assert statuses == {"locked.pdf": "unreadable", "good.html": "extracted"}  # the other file still read


def test_missing_and_dangling_paths_exit_1(tmp_path: Path) -> None:
    (tmp_path / "dangling.html").symlink_to(tmp_path / "gone.html")
    for path in (tmp_path / "dangling.html", tmp_path / "never-there.html"):
        p = gongkai("extract", str(path))
        assert p.returncode == 1
        assert "status: unreadable" in p.stdout
