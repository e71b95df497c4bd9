"""Which data folder a command works on: `--data-dir`, else $GONGKAI_DATA_DIR, else `data`.

A command that only reads the release (query, top, inconsistent, serve) falls back to `data/demo`
when `data/` has no release yet but the demo wrote one there, so the README's commands work right
after `make demo`; it says so on stderr, since demo data must never pass for the real thing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV = "GONGKAI_DATA_DIR"
DEFAULT = Path("data")
DEMO = DEFAULT / "demo"


def data_dir(given: str | Path | None, *, reading: bool = False, default: Path = DEFAULT) -> Path:
    if given is not None and str(given) != "":
        return Path(given)
    env = os.environ.get(ENV)
    if env:
        return Path(env)
    if reading and default == DEFAULT and not (DEFAULT / "release").exists() and (DEMO / "release").exists():
        print(f"gongkai: reading {DEMO} (the demo's release; {DEFAULT} has none yet) — "
              f"--data-dir or ${ENV} to choose", file=sys.stderr)
        return DEMO
    return default


HELP = f"data folder (default: ${ENV}, else {DEFAULT})"
READ_HELP = f"data folder (default: ${ENV}, else {DEFAULT}, else {DEMO} when only the demo has a release)"
