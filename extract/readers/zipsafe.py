"""Checks on an OOXML (DOCX/XLSX) zip before any parser sees it.

* Zip bombs: the declared total uncompressed size and the compression ratio are capped, and
  every member is then inflated in chunks while counting, so a member that lies about its size
  is caught after at most `MAX_UNCOMPRESSED` bytes, with memory bounded by one chunk.
* XML entities: no legitimate OOXML part has a DOCTYPE. Any part that declares one (or an
  ENTITY) is refused, so neither external entities (XXE) nor entity expansion ("billion
  laughs") can reach the XML parser. python-docx's own parser also has `resolve_entities=False`;
  this check does not rely on that.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from ..errors import UnreadableError

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes, all members together
MAX_RATIO = 200  # uncompressed / compressed, all members together
MAX_MEMBERS = 10_000
_CHUNK = 1 << 20
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# DOCTYPE/ENTITY in UTF-8/ASCII and in UTF-16 (either byte order).
_DECL = re.compile(
    rb"<!\s*(?:DOCTYPE|ENTITY)|<\x00!\x00(?:D\x00O\x00C\x00|E\x00N\x00T\x00)|\x00<\x00!(?:\x00D\x00O\x00C|\x00E\x00N\x00T)",
    re.I,
)


def open_checked_zip(data: bytes, what: str = "DOCX") -> zipfile.ZipFile:
    """The zip, after the bomb and DOCTYPE checks; raises UnreadableError on any problem."""
    if not data:
        raise UnreadableError(f"{what} is empty (zero bytes)")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        raise UnreadableError(f"{what} is not a readable zip: {type(e).__name__}: {e}") from e
    if len(infos) > MAX_MEMBERS:
        raise UnreadableError(f"{what} has {len(infos)} zip members: refused")
    declared = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if declared > MAX_UNCOMPRESSED or declared / packed > MAX_RATIO:
        raise UnreadableError(
            f"{what} refused as a zip bomb: {declared} bytes declared from {packed} compressed "
            f"(caps {MAX_UNCOMPRESSED} bytes, ratio {MAX_RATIO})"
        )
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        total += _scan_member(zf, info, what, MAX_UNCOMPRESSED - total)
    return zf


def _scan_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, what: str, budget: int) -> int:
    is_xml = info.filename.lower().endswith(_XML_SUFFIXES)
    size = 0
    tail = b""
    try:
        with zf.open(info) as f:
            while chunk := f.read(_CHUNK):
                size += len(chunk)
                if size > budget or size > info.file_size:
                    raise UnreadableError(
                        f"{what} refused as a zip bomb: member {info.filename} inflates beyond "
                        f"its declared {info.file_size} bytes or the {MAX_UNCOMPRESSED}-byte cap"
                    )
                if is_xml:
                    window = tail + chunk
                    if _DECL.search(window):
                        raise UnreadableError(
                            f"{what} part {info.filename} declares a DOCTYPE/ENTITY: refused (XML entities)"
                        )
                    tail = window[-32:]
    except UnreadableError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError, ValueError) as e:
        raise UnreadableError(f"{what} member {info.filename} cannot be inflated: {type(e).__name__}: {e}") from e
    return size
