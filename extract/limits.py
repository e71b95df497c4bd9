"""What one document may cost, enforced on the process extracting it (extract/pool.py). A module of
its own so that the command line can show the defaults without importing the extractor."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    timeout: float = 120.0  # wall-clock seconds; the slowest corpus PDF takes under 1 s
    memory_mb: int = 2048  # address space a document may add to its worker, over the imported code
