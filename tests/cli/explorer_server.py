"""`gongkai serve` started for real on 127.0.0.1 (a free port), for the explorer and browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(data_dir: Path, *extra: str) -> Iterator[str]:
    port = free_port()
    log = data_dir.parent / f"serve-{port}.log"
    with log.open("w") as out:
        p = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--data-dir", str(data_dir), "--port", str(port),
                              *extra], stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if p.poll() is not None:
                raise RuntimeError(f"gongkai serve exited {p.returncode}: {log.read_text()}")
            try:
                if httpx.get(url + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gongkai serve did not answer: {log.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        p.terminate()
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
