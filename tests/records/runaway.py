"""A test-only reader that really runs away, installed in the extracting processes by the pool's
`worker_setup` hook (`tests.records.runaway:install`): a PDF whose bytes carry a marker loops
forever, allocates without end, or kills its own process. Every other document is read as always.

So the pool's limits are tested on real processes doing the real thing (a busy loop, allocations the
kernel's address-space limit refuses, a segfault), not on mocks.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

from extract import document
from extract.grid import Document

LOOP, ALLOCATE, SEGFAULT = b"RUNAWAY-LOOP", b"RUNAWAY-ALLOCATE", b"RUNAWAY-SEGFAULT"
CAP = 8 << 30  # if no limit stops it, it stops itself here: address space only (calloc'd pages are never touched)


def runaway_pdf(marker: bytes) -> bytes:
    return b"%PDF-1.4\n% " + marker + b"\n%%EOF\n"


def _runaway(read: Callable[[bytes], Document]) -> Callable[[bytes], Document]:
    def reader(data: bytes) -> Document:
        if LOOP in data:
            n = 0
            while True:
                n += 1
        if ALLOCATE in data:
            held = [bytes(64 << 20) for _ in range(CAP // (64 << 20))]
            del held
        if SEGFAULT in data:
            os.kill(os.getpid(), signal.SIGSEGV)
        return read(data)

    return reader


def install() -> None:
    document.READERS["pdf"] = _runaway(document.READERS["pdf"])
