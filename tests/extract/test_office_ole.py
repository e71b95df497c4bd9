"""DOC/WPS files (OLE): LibreOffice absent → unsupported_format naming the package; the conversion
plumbing (temp dir, arguments, failure, timeout) against stand-in converters; and a real
LibreOffice round trip when soffice is installed (skipped otherwise: it is not installed in CI)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from demo import synth, synth_office
from extract.document import extract_document
from extract.readers import office
from gongkai.model import ExtractStatus

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
REP = synth.make_report(random.Random(33), version="v2019")


def _ole(*streams: str) -> bytes:
    """Enough of a compound file for sniffing and for telling Word from Excel by stream names."""
    return OLE_MAGIC + b"\x00" * 504 + b"".join(s.encode("utf-16-le") + b"\x00" * 8 for s in streams)


DOC = _ole("Root Entry", "WordDocument", "1Table")


def _converter(tmp_path: Path, body: str) -> str:
    """A stand-in for soffice: a script receiving LibreOffice's arguments."""
    script = tmp_path / "soffice"
    script.write_text(f"#!{sys.executable}\nimport os, sys, time\nfrom pathlib import Path\nargs = sys.argv[1:]\n"
                      + body, encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def test_doc_without_libreoffice_is_unsupported_and_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "which", lambda name: None)
    r = extract_document(DOC, "report.doc")
    assert r.status is ExtractStatus.UNSUPPORTED_FORMAT
    assert "apt-get install libreoffice-writer-nogui" in r.errors[0].message


def test_spreadsheet_in_an_ole_file_is_refused_before_conversion() -> None:
    def never() -> str:
        raise AssertionError("no converter may run for a spreadsheet")

    with pytest.raises(office.UnsupportedFormatError, match="spreadsheet"):
        office.read_ole(_ole("Root Entry", "Workbook"), find=never)


def test_doc_goes_through_the_converter_and_the_docx_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """OLE → converter → DOCX reader → mapping → checks, with a stand-in that copies a DOCX."""
    made = tmp_path / "made.docx"
    made.write_bytes(synth_office.render_docx(REP))
    conv = _converter(tmp_path, f"""
assert args[0].startswith("-env:UserInstallation=file://"), args
assert "--headless" in args and args[args.index("--convert-to") + 1] == "docx", args
out = Path(args[args.index("--outdir") + 1]); src = Path(args[-1])
assert src.read_bytes().startswith({OLE_MAGIC!r})
out.mkdir(parents=True, exist_ok=True)
(out / (src.stem + ".docx")).write_bytes(Path({str(made)!r}).read_bytes())
""")
    monkeypatch.setattr(office, "which", lambda name: conv if name == "soffice" else None)
    r = extract_document(DOC, "report.doc")
    assert r.status is ExtractStatus.EXTRACTED, [e.message for e in r.errors]
    assert r.source_format == "doc"
    assert {c.key: c.value for c in r.cells if not c.derived} == REP.values


def test_failed_conversion_is_unreadable_with_the_converter_message(tmp_path: Path) -> None:
    conv = _converter(tmp_path, 'sys.stderr.write("Error: source file could not be loaded\\n"); sys.exit(1)\n')
    with pytest.raises(office.UnreadableError, match="could not be loaded") as e:
        office.read_ole(DOC, find=lambda: conv)
    assert "exit 1" in str(e.value)


def test_hanging_conversion_is_stopped_with_its_children(tmp_path: Path) -> None:
    pidfile = tmp_path / "child.pid"
    conv = _converter(tmp_path, f"""
import subprocess
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
Path({str(pidfile)!r}).write_text(str(child.pid))
time.sleep(60)
""")
    t = time.monotonic()
    with pytest.raises(office.UnreadableError, match="within 1 s"):
        office.read_ole(DOC, find=lambda: conv, timeout=1)
    assert time.monotonic() - t < 10
    child = int(pidfile.read_text())
    for _ in range(50):  # SIGKILL is delivered asynchronously
        if not _alive(child):
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"converter child {child} survived the timeout")


def _alive(pid: int) -> bool:
    """Running, not a zombie (an orphan may wait a while for a reaper in a container)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_converter_that_cannot_run_is_unsupported(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-soffice")
    with pytest.raises(office.UnsupportedFormatError, match="libreoffice-writer-nogui"):
        office.read_ole(DOC, find=lambda: missing)


SOFFICE = office.find_converter()


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: the real DOC conversion "
                    "is tested only where it is (apt-get install libreoffice-writer-nogui)")
def test_real_doc_converted_by_libreoffice(tmp_path: Path) -> None:
    assert SOFFICE is not None
    (tmp_path / "r.docx").write_bytes(synth_office.render_docx(REP))
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path / "doc"), str(tmp_path / "r.docx")],
                   check=True, capture_output=True, timeout=120)
    data = (tmp_path / "doc" / "r.doc").read_bytes()
    assert data.startswith(OLE_MAGIC)
    r = extract_document(data, "r.doc")
    assert r.status is ExtractStatus.EXTRACTED, [e.message for e in r.errors]
    assert {c.key: c.value for c in r.cells if not c.derived} == REP.values


def test_find_converter_looks_for_both_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "which", lambda name: "/opt/lo/libreoffice" if name == "libreoffice" else None)
    assert office.find_converter() == "/opt/lo/libreoffice"
