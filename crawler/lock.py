"""One crawl per store at a time: two processes on one data dir would break per-host politeness
and fetch everything twice. An flock is released by the OS when its holder dies, even by kill -9."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

__all__ = ["CrawlLocked", "StoreLock"]


class CrawlLocked(RuntimeError):
    pass


class StoreLock:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "crawl.lock"
        self._fh: IO[str] | None = None

    def __enter__(self) -> StoreLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            fh.close()
            raise CrawlLocked(f"{self.path.parent} is being crawled by {holder}") from e
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}\n")
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
