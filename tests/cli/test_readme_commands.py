"""Every `gongkai` command in the README runs as written right after `make demo`.

A real demo run writes data/demo in a fresh folder laid out like a checkout (`.venv` linked to the
one running the tests); each command of the README's ```sh blocks then runs there through bash,
in README order, and must exit 0 without a traceback. The few commands that need the network or
the reader's own files are listed below with the reason, and that list must match the README.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.cli.explorer_server import free_port
from tests.conftest import ROOT

BLOCKS = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
COMMANDS = [line.strip() for block in BLOCKS for line in block.splitlines()
            if line.strip().startswith(".venv/bin/gongkai ")]
NOT_RUN = {  # command (up to its comment) → why it cannot run here as written
    ".venv/bin/gongkai crawl --data-dir data": "crawls the real registry: needs the network",
    ".venv/bin/gongkai crawl --source mva --max-pages 200": "crawls a real portal: needs the network",
    ".venv/bin/gongkai crawl --seed http://127.0.0.1:8000/list/ --allow-host 127.0.0.1 --delay 0.1":
        "needs a portal of the reader's own on port 8000",
    ".venv/bin/gongkai extract report.html report2.pdf folder/": "the reader's own files",
    ".venv/bin/gongkai extract --json reports/*.html > cells.jsonl": "the reader's own files",
    ".venv/bin/gongkai ingest --data-dir data ~/Downloads/reports/": "the reader's own files",
    ".venv/bin/gongkai build --data-dir data": "builds the reader's own store, filled by the ingest before it",
    ".venv/bin/gongkai extract --data-dir data": "extracts the reader's own store",
}


def _bare(command: str) -> str:
    return re.split(r"\s{2,}#", command)[0].strip()


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("checkout")
    (where / ".venv").symlink_to(Path(sys.executable).parent.parent)
    demo = subprocess.run([sys.executable, "-m", "cli", "demo", "--data-dir", "data/demo", "--quiet",
                           "--delay", "0.05"], cwd=where, capture_output=True, text=True, timeout=600)
    assert demo.returncode == 0, demo.stderr
    assert (where / "data" / "demo" / "release").is_dir() and not (where / "data" / "release").exists()
    return where


def test_the_list_of_commands_not_run_is_current() -> None:
    assert set(NOT_RUN) <= {_bare(c) for c in COMMANDS}, "a command listed as not run is no longer in the README"
    assert len([c for c in COMMANDS if _bare(c) not in NOT_RUN]) >= 8


@pytest.mark.parametrize("command", [c for c in COMMANDS if _bare(c) not in NOT_RUN], ids=lambda c: _bare(c)[18:70])
def test_readme_command_runs_as_written_after_make_demo(checkout: Path, command: str) -> None:
    if _bare(command).split()[1] == "serve":
        _serve(checkout, command)
        return
    p = subprocess.run(["bash", "-c", command], cwd=checkout, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, f"{command}\n{p.stderr}"
    assert "Traceback" not in p.stderr
    if " > " not in command:
        assert p.stdout.strip(), command


def _serve(checkout: Path, command: str) -> None:
    """The server runs until stopped: started as written (on a free port, so tests can run side by
    side), asked for its home page, then stopped."""
    port = free_port()
    p = subprocess.Popen(["bash", "-c", f"exec {_bare(command)} --port {port}"], cwd=checkout,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                assert r.status_code == 200 and "gongkai" in r.text
                break
            except httpx.HTTPError:
                assert p.poll() is None, p.communicate()[1]
                time.sleep(0.2)
        else:
            pytest.fail("gongkai serve did not answer")
    finally:
        p.terminate()
        p.wait(20)
