"""A release written as a whole and switched in by one atomic rename.

data/releases/<id>/ holds one complete release; data/release is a symbolic link to the current one.
A build writes a new directory (data/releases/.incomplete-<pid>), links in every file whose content
did not change from the current release (no re-serializing, no copy), syncs the file system once,
renames the directory to its id and then replaces the link with one rename. A reader of
data/release sees the old release or the new one, never a mix, whenever the build is killed; what
a killed build leaves behind is removed by the next one. The previous release is kept (a reader may
still be in it); older ones are deleted.

The id is the first 16 hex digits of a digest of every file's content digest, so an unchanged
rebuild finds its release already in place and writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .parquet import TableFile, file_sha256

MANIFEST = "release.json"
FORMAT_VERSION = "2.0.0"  # of the release's layout and columns (CHANGELOG.md)


class ReleaseError(RuntimeError):
    """The release directory is not what the build expects (e.g. data/release is a plain file)."""


def _pause_for_tests() -> None:
    # Lets the crash test kill a build between two file writes; unset everywhere else.
    delay = os.environ.get("GONGKAI_TEST_WRITE_DELAY")
    if delay:
        import time

        time.sleep(float(delay))


class ReleaseWriter:
    def __init__(self, data_dir: Path, *, csv_bom: bool = False) -> None:
        self.data_dir = data_dir
        self.link = data_dir / "release"
        self.root = data_dir / "releases"
        self.csv_bom = csv_bom
        self.root.mkdir(parents=True, exist_ok=True)
        adopt_legacy(data_dir)
        for stale in self.root.glob(".incomplete-*"):
            shutil.rmtree(stale, ignore_errors=True)
        self.current = current_release(data_dir)
        self.old = _read_manifest(self.current) if self.current else {}
        self.dir = self.root / f".incomplete-{os.getpid()}"
        self.dir.mkdir()
        self.files: dict[str, dict[str, Any]] = {}
        self.texts: dict[str, str] = {}  # text files as they enter the id (see release_id)
        self.written = 0
        self.unchanged = 0

    def _old_entry(self, rel: str, digest: str) -> dict[str, Any] | None:
        e = self.old.get("files", {}).get(rel)
        if self.current is None or not e or e.get("digest") != digest or e.get("csv_bom") != self.csv_bom:
            return None
        try:  # a file deleted or cut short behind the build's back is written again
            if (self.current / rel).stat().st_size != e.get("bytes"):
                return None
            if not all((self.current / p).exists() for p in e.get("copies", [])):
                return None
        except OSError:
            return None
        return dict(e)

    def add_table(self, rel: str, name: str, digest: str, write: Callable[[TableFile], None]) -> None:
        """Place one table file (and its CSV copy): linked from the current release when its digest is
        unchanged, else written by `write`."""
        csv = csv_path(rel)
        old = self._old_entry(rel, digest)
        if old is not None:
            for p in (rel, csv):
                _link(self.current / p, self.dir / p)  # type: ignore[operator]
            self.files[rel] = old
            self.unchanged += 1
            return
        f = TableFile(self.dir / rel, name, csv=self.dir / csv, csv_bom=self.csv_bom)
        try:
            write(f)
        finally:
            f.close()
        self.files[rel] = {"table": name, "digest": digest, "rows": f.rows, "csv_bom": self.csv_bom,
                           "bytes": (self.dir / rel).stat().st_size, "sha256": file_sha256(self.dir / rel),
                           "copies": [csv]}
        self.written += 1
        _pause_for_tests()

    def add_text(self, rel: str, text: str) -> None:
        path = self.dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def release_id(self, texts: dict[str, str] | None = None) -> str:
        """Digest of every table's content digest and of the text files (as they read before the
        release's own id and creation time are filled in)."""
        h = hashlib.sha256()
        for rel, text in sorted((texts or self.texts).items()):
            h.update(f"{rel}\0{hashlib.sha256(text.encode()).hexdigest()}\n".encode())
        for rel in sorted(self.files):
            h.update(f"{rel}\0{self.files[rel]['digest']}\0{self.files[rel]['csv_bom']}\n".encode())
        return h.hexdigest()[:16]

    def unchanged_release(self) -> bool:
        """Nothing to switch: every file was linked from the current release, whose id this is."""
        return self.current is not None and self.written == 0 and self.current.name == self.release_id()

    def abandon(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def commit(self, extra: dict[str, str]) -> Path:
        """Write the manifest and the text files, sync once, and switch data/release to the new release."""
        rid = self.release_id()
        for rel, text in extra.items():
            self.add_text(rel, text)
        manifest = {"release_id": rid, "format_version": FORMAT_VERSION, "files": self.files}
        self.add_text(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        os.sync()  # once per release: every file of it is on disk before it becomes visible
        final, n = self.root / rid, 1
        while final.exists():  # the same content again (a damaged file was rewritten): a new directory
            n += 1
            final = self.root / f"{rid}-{n}"
        os.replace(self.dir, final)
        tmp_link = self.data_dir / f".release-link-{os.getpid()}"
        tmp_link.unlink(missing_ok=True)
        os.symlink(Path("releases") / final.name, tmp_link)
        os.replace(tmp_link, self.link)
        _fsync_dir(self.data_dir)
        self._prune(keep={final.name, self.current.name if self.current else ""})
        return final

    def _prune(self, keep: set[str]) -> None:
        for d in self.root.iterdir():
            if d.is_dir() and d.name not in keep and not d.name.startswith("."):
                shutil.rmtree(d, ignore_errors=True)


def csv_path(rel: str) -> str:
    """The CSV copy of a table file: in a csv/ tree of its own, so a folder of Parquet files stays
    readable as one table (reports.parquet → csv/reports.csv, applications/2023.parquet →
    csv/applications/2023.csv)."""
    return "csv/" + rel.removesuffix(".parquet") + ".csv"


def current_release(data_dir: Path) -> Path | None:
    link = data_dir / "release"
    if not link.is_symlink():
        return None
    target = link.resolve()
    return target if (target / MANIFEST).exists() else None


def adopt_legacy(data_dir: Path) -> None:
    """A release written before versioned releases (a plain data/release directory) becomes one."""
    link = data_dir / "release"
    if link.is_symlink() or not link.exists():
        return
    if not link.is_dir():
        raise ReleaseError(f"{link} is a file, not a release directory or link")
    legacy = data_dir / "releases" / "legacy"
    shutil.rmtree(legacy, ignore_errors=True)
    os.replace(link, legacy)
    os.symlink(Path("releases") / "legacy", link)


def release_reports(data_dir: Path) -> int | None:
    """Reports in the current release (None when there is none)."""
    cur = current_release(data_dir)
    if cur is None:
        legacy = data_dir / "release" / "reports.parquet"
        if not legacy.exists():
            return None
        import pyarrow.parquet as pq

        return int(pq.read_metadata(legacy).num_rows)
    entry = _read_manifest(cur).get("files", {}).get("reports.parquet")
    return int(entry["rows"]) if entry else 0


def _read_manifest(release: Path) -> dict[str, Any]:
    try:
        data = json.loads((release / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
