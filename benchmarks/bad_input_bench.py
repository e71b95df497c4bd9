"""Time and peak memory of each bad input of issue 8 (item 5), one subprocess per input.

Each input runs `extract_document` and the `--json` serialization in a fresh interpreter under an
address-space limit, so a runaway case is stopped and reported instead of taking the machine."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.extract.bad_inputs import CASES

ROOT = Path(__file__).resolve().parents[1]
LIMIT_BYTES = 3 * 1024**3
TIMEOUT = 120.0

_CHILD = """
import json, resource, sys, time
from extract.document import extract_document
data = open(sys.argv[1], 'rb').read()
t = time.perf_counter()
r = extract_document(data, sys.argv[1])
line = json.dumps(r.to_json(), ensure_ascii=False)
dt = time.perf_counter() - t
print(json.dumps({"status": str(r.status), "seconds": dt, "json_bytes": len(line),
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def run_case(name: str, root: Path = ROOT) -> dict[str, object]:
    fname, data = CASES[name]()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / fname
        path.write_bytes(data)
        t = time.perf_counter()
        try:
            out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True,
                                 cwd=root, timeout=TIMEOUT, preexec_fn=_limit)
        except subprocess.TimeoutExpired:
            return {"case": name, "status": f"killed after {TIMEOUT:.0f} s"}
        wall = time.perf_counter() - t
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["?"])[-1]
        return {"case": name, "status": f"died ({last[:80]})", "wall_s": round(wall, 2)}
    got = json.loads(out.stdout.strip().splitlines()[-1])
    return {"case": name, **got}


def main(root: Path = ROOT) -> None:
    """`python -m benchmarks.bad_input_bench [checkout]`: another checkout's extractor (run from its
    directory) on the same inputs, for a before/after comparison."""
    for name in CASES:
        r = run_case(name, root)
        secs = r.get("seconds")
        mem = r.get("maxrss_mb")
        print(f"{name:24} {r['status']:24} "
              + (f"{secs:7.3f} s {mem:7.0f} MB" if isinstance(secs, float) and isinstance(mem, float) else ""))


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT)
