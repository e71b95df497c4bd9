"""Extraction in a child process under hard limits: how the fuzz harness bounds memory and time.

One long-lived worker (a fresh interpreter, spawned on first use) runs `extract_document` with its
address space capped at `MEMORY_LIMIT`; the caller waits at most `WALL_LIMIT` seconds for each
answer. The extractor's own CPU budget (`budget_s`) is what normally stops a long document; the wall
limit only catches a hang that budget cannot interrupt (inside a C library). A worker that dies
(out of memory, a crash of a C library) or does not answer raises `LimitExceeded`, and the next
call starts a new worker. Nothing here times a fast path: the limits are generous bounds.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import resource
import subprocess
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from gongkai.model import ExtractResult

MEMORY_LIMIT = 1024**3  # address space of the worker interpreter, imports included
WALL_LIMIT = 120.0  # seconds for one document; the CPU budget given to the extractor is far less


class LimitExceeded(AssertionError):
    """The worker died or hung on a document."""


ROOT = Path(__file__).resolve().parents[2]


def serve(fd_in: int, fd_out: int, memory: int) -> None:
    """The worker's loop (run by `python -c`): documents in, results and peak RSS out."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from extract.document import extract_document

    conn_in, conn_out = Connection(fd_in, writable=False), Connection(fd_out, readable=False)

    while True:
        try:
            data, name, budget_s = conn_in.recv()
        except EOFError:
            return
        result = extract_document(data, name, budget_s=budget_s)
        conn_out.send((result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


class Sandbox:
    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._send: Connection | None = None
        self._conn: Connection | None = None
        self.peak_rss_kb = 0  # the worker's peak resident set so far (for reports, not asserted)
        self.calls = 0

    def _start(self) -> None:
        child_reads, parent_writes = os.pipe()
        parent_reads, child_writes = os.pipe()
        code = f"from tests.extract.sandbox import serve; serve({child_reads}, {child_writes}, {MEMORY_LIMIT})"
        self._proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, pass_fds=(child_reads, child_writes),
                                      stdin=subprocess.DEVNULL)
        os.close(child_reads)
        os.close(child_writes)
        self._send = Connection(parent_writes, readable=False)
        self._conn = Connection(parent_reads, writable=False)

    def close(self) -> None:
        for conn in (self._send, self._conn):
            if conn is not None:
                conn.close()
        if self._proc is not None:
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = self._send = self._conn = None

    def extract(self, data: bytes, name: str, budget_s: float) -> ExtractResult:
        if self._proc is None or self._proc.poll() is not None:
            self.close()
            self._start()
        assert self._proc is not None and self._send is not None and self._conn is not None
        self.calls += 1
        with contextlib.suppress(BrokenPipeError):  # it died while starting: said below
            self._send.send((data, name, budget_s))
        if not self._conn.poll(WALL_LIMIT):
            self._proc.kill()
            self.close()
            raise LimitExceeded(f"{name}: no result after {WALL_LIMIT:g} s (a hang the CPU budget did not stop)")
        try:
            result, rss = self._conn.recv()
        except EOFError:
            code = self._proc.wait(5)
            self.close()
            raise LimitExceeded(f"{name}: the extracting process died (exit code {code}; "
                                f"address space capped at {MEMORY_LIMIT // 1024**2} MB)") from None
        self.peak_rss_kb = max(self.peak_rss_kb, rss)
        assert isinstance(result, ExtractResult)
        return result


SANDBOX = Sandbox()
atexit.register(SANDBOX.close)
