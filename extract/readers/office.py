"""DOC / WPS / RTF → DOCX with LibreOffice headless, then `read_docx`.

Legacy Word (.doc), WPS (.wps) and RTF have no pure-Python reader worth trusting. When `soffice`
is on PATH the file is converted in a private temporary directory, with a timeout and its own
user profile (so a running LibreOffice or a stale lock does not block it). Without LibreOffice
the document is reported as an unsupported format, with the install hint.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import UnreadableError, UnsupportedFormatError
from ..grid import Document
from .docx import read_docx
from .sniff import sniff

TIMEOUT_S = 120
_INSTALL_HINT = "install LibreOffice (apt-get install libreoffice-writer-nogui) to read DOC/WPS/RTF files"
_SUFFIX = {"doc": ".doc", "wps": ".wps", "rtf": ".rtf"}


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, suffix: str = ".doc", timeout: float = TIMEOUT_S) -> bytes:
    """The DOCX bytes LibreOffice makes of `data`; raises Unsupported/Unreadable errors."""
    exe = soffice_path()
    if exe is None:
        raise UnsupportedFormatError(f"no converter for {suffix} files: {_INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="gongkai-office-") as tmp:
        src = Path(tmp) / f"in{suffix}"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        cmd = [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            tmp,
            str(src),
        ]
        try:
            subprocess.run(
                cmd, capture_output=True, timeout=timeout, check=False, env={**os.environ, "HOME": tmp}
            )
        except subprocess.TimeoutExpired as e:
            raise UnreadableError(f"LibreOffice did not convert the {suffix} file within {timeout} s") from e
        except OSError as e:
            raise UnsupportedFormatError(f"LibreOffice could not be started ({e}): {_INSTALL_HINT}") from e
        out = Path(tmp) / "in.docx"
        if not out.exists() or out.stat().st_size == 0:
            raise UnreadableError(f"LibreOffice could not convert the {suffix} file (damaged or not a document)")
        return out.read_bytes()


def read_office(data: bytes, kind: str | None = None) -> Document:
    """Read a DOC/WPS/RTF file via LibreOffice; `kind` as returned by `sniff`."""
    if not data:
        raise UnreadableError("document is empty (zero bytes)")
    kind = kind or sniff(data)
    suffix = ".rtf" if data[:5] == b"{\\rtf" else _SUFFIX.get(kind)
    if suffix is None:
        raise UnsupportedFormatError(f"no reader for {kind} files")
    doc = read_docx(convert_to_docx(data, suffix))
    doc.source_format = suffix.lstrip(".")
    return doc


def read_ole(data: bytes) -> Document:
    """An OLE compound file (the lead's sniff kind `ole`): Word/WPS converted, Excel refused."""
    kind = sniff(data)
    if kind == "xls":
        raise UnsupportedFormatError("no reader for XLS (legacy Excel) files")
    return read_office(data, kind)
