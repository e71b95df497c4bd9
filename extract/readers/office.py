"""DOC/WPS (OLE compound files) → Document: converted to DOCX by LibreOffice headless, then read
by the DOCX reader.

No Python library reads Word 97-2003 tables with their merged cells; LibreOffice does. It runs
in a temporary directory with its own throw-away profile (so runs in parallel do not share a
lock, and nothing is written to the user's home), in its own process group, killed after
`TIMEOUT` seconds. Without LibreOffice the file gets `unsupported_format` with the package to
install. Spreadsheets and slides in OLE files (XLS, PPT, WPS's ET/DPS) are refused before any
conversion.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from shutil import which

from ..errors import UnreadableError, UnsupportedFormatError
from ..grid import Document
from .docx import read_docx

CONVERTERS = ("soffice", "libreoffice")
INSTALL = "apt-get install libreoffice-writer-nogui"
TIMEOUT = 60.0


def _stream(name: str) -> bytes:
    """An OLE directory entry name as stored: UTF-16LE."""
    return name.encode("utf-16-le")


_NOT_TEXT = {"Workbook": "a spreadsheet (XLS/ET)", "Book": "a spreadsheet (XLS)",
             "PowerPoint Document": "slides (PPT/DPS)"}


def find_converter() -> str | None:
    """The LibreOffice executable on PATH, or None."""
    for name in CONVERTERS:
        path = which(name)
        if path:
            return path
    return None


def _kind(data: bytes) -> str | None:
    """None for a word-processing file (or one we cannot tell), else what it is instead."""
    if _stream("WordDocument") in data:
        return None
    return next((what for name, what in _NOT_TEXT.items() if _stream(name) in data), None)


def convert_to_docx(data: bytes, converter: str, timeout: float = TIMEOUT) -> bytes:
    with tempfile.TemporaryDirectory(prefix="gongkai-ole-") as tmp:
        work = Path(tmp)
        src = work / "input.doc"
        src.write_bytes(data)
        out = work / "out"
        cmd = [converter, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", str(out), str(src)]
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                    start_new_session=True, cwd=work)
        except OSError as e:
            raise UnsupportedFormatError(f"DOC/WPS converter {converter} cannot be run ({e}); install LibreOffice "
                                         f"({INSTALL})") from e
        try:
            _stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as e:
            os.killpg(proc.pid, signal.SIGKILL)  # the group we started: soffice and soffice.bin
            proc.communicate()
            raise UnreadableError(f"LibreOffice did not convert the DOC/WPS file within {timeout:g} s") from e
        result = out / "input.docx"
        if not result.is_file():
            tail = stderr.decode("utf-8", "replace").strip()[-300:]
            raise UnreadableError(f"LibreOffice could not convert the DOC/WPS file (exit {proc.returncode})"
                                  + (f": {tail}" if tail else ""))
        return result.read_bytes()


def read_ole(data: bytes, *, find: Callable[[], str | None] = find_converter, timeout: float = TIMEOUT) -> Document:
    what = _kind(data)
    if what is not None:
        raise UnsupportedFormatError(f"OLE file is {what}, not a report document")
    converter = find()
    if converter is None:
        raise UnsupportedFormatError(
            f"DOC/WPS needs a converter: install LibreOffice ({INSTALL}); soffice is not on PATH")
    doc = read_docx(convert_to_docx(data, converter, timeout))
    doc.source_format = "doc"
    return doc
