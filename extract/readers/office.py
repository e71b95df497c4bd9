"""DOC / WPS / RTF → DOCX with LibreOffice headless, then `read_docx`.

Legacy Word (.doc), WPS (.wps) and RTF have no pure-Python reader worth trusting. When `soffice`
is on PATH the file is converted in a private temporary directory, with its own user profile (so
a running LibreOffice or a stale lock does not block it), in its own process group that is
killed as a whole after the timeout (`soffice` forks `soffice.bin`; killing only the first would
leave the second running). Without LibreOffice the document is reported as an unsupported
format, with the install hint. Spreadsheets in OLE files (XLS/ET) are refused before any
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
from .sniff import sniff

TIMEOUT = 120.0
INSTALL_HINT = "install LibreOffice (apt-get install libreoffice-writer-nogui) to read DOC/WPS/RTF files"
_SUFFIX = {"doc": ".doc", "wps": ".wps", "rtf": ".rtf"}
# OLE streams of files that are not word-processing documents (checked only without WordDocument).
_NOT_TEXT = {"Workbook": "a spreadsheet (XLS/ET)", "Book": "a spreadsheet (XLS)", "PowerPoint Document": "slides (PPT/DPS)"}


def find_converter() -> str | None:
    """The LibreOffice executable on PATH (`soffice` or `libreoffice`), or None."""
    return which("soffice") or which("libreoffice")


def _not_text(data: bytes) -> str | None:
    """What an OLE file is instead of a word-processing document, or None."""
    if "WordDocument".encode("utf-16-le") in data:
        return None
    return next((what for name, what in _NOT_TEXT.items() if name.encode("utf-16-le") in data), None)


def convert_to_docx(data: bytes, suffix: str = ".doc", timeout: float = TIMEOUT, converter: str | None = None) -> bytes:
    """The DOCX bytes LibreOffice makes of `data`; raises Unsupported/Unreadable errors."""
    exe = converter or find_converter()
    if exe is None:
        raise UnsupportedFormatError(f"no converter for {suffix} files: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="gongkai-office-") as tmp:
        work = Path(tmp)
        src = work / f"in{suffix}"
        src.write_bytes(data)
        out = work / "out"
        cmd = [
            exe,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
            str(out),
            str(src),
        ]
        try:
            proc = subprocess.Popen(
                cmd,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                cwd=work,
                env={**os.environ, "HOME": str(work)},
            )
        except OSError as e:
            raise UnsupportedFormatError(f"LibreOffice could not be started ({e}): {INSTALL_HINT}") from e
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as e:
            os.killpg(proc.pid, signal.SIGKILL)  # the group we started: soffice and soffice.bin
            proc.communicate()
            raise UnreadableError(f"LibreOffice did not convert the {suffix} file within {timeout:g} s") from e
        result = out / "in.docx"
        if not result.is_file() or result.stat().st_size == 0:
            tail = err.decode("utf-8", "replace").strip()[-300:]
            raise UnreadableError(
                f"LibreOffice could not convert the {suffix} file (exit {proc.returncode})" + (f": {tail}" if tail else "")
            )
        return result.read_bytes()


def read_office(data: bytes, kind: str | None = None, *, timeout: float = TIMEOUT, converter: str | None = None) -> Document:
    """Read a DOC/WPS/RTF file via LibreOffice; `kind` as returned by `sniff`."""
    if not data:
        raise UnreadableError("document is empty (zero bytes)")
    kind = kind or sniff(data)
    what = _not_text(data) if kind in ("doc", "wps", "xls") else None
    if what is not None or kind == "xls":
        raise UnsupportedFormatError(f"OLE file is {what or 'a spreadsheet (XLS)'}, not a report document")
    suffix = ".rtf" if data[:5] == b"{\\rtf" else _SUFFIX.get(kind)
    if suffix is None:
        raise UnsupportedFormatError(f"no reader for {kind} files")
    doc = read_docx(convert_to_docx(data, suffix, timeout, converter))
    doc.source_format = suffix.lstrip(".")
    return doc


def read_ole(data: bytes, *, find: Callable[[], str | None] = find_converter, timeout: float = TIMEOUT) -> Document:
    """An OLE compound file (main's sniff kind `ole`): Word/WPS converted; spreadsheets and slides
    refused before any converter is looked for."""
    kind = sniff(data)
    what = _not_text(data)
    if what is not None:
        raise UnsupportedFormatError(f"OLE file is {what}, not a report document")
    converter = find()
    if converter is None:
        raise UnsupportedFormatError(f"DOC/WPS needs a converter, soffice is not on PATH: {INSTALL_HINT}")
    return read_office(data, kind, timeout=timeout, converter=converter)
