"""DOCX → Document with python-docx: tables with merged cells as span-expanded grids.

python-docx repeats a merged cell once per grid position it covers; repeats of the same
underlying <w:tc> element become span copies. The zip is checked before parsing (size and
compression ratio caps: a zip bomb is refused), and DOCTYPE declarations are refused, so no
external entity is ever resolved.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Any

from ..errors import UnreadableError
from ..grid import Document, SourceCell, Table

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
# What zipfile raises on damaged archives: bad headers, CRC and deflate errors, an unknown
# zip version or compression (NotImplementedError), encrypted entries (RuntimeError).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError, NotImplementedError)


def _check_zip(data: bytes) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except ZIP_ERRORS as e:
        raise UnreadableError(f"DOCX is not a readable zip: {e}") from e
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
        raise UnreadableError(f"DOCX refused as a zip bomb: {total} bytes uncompressed from {packed}")
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            try:
                with zf.open(info) as f:
                    head = f.read(2048)
            except ZIP_ERRORS as e:
                raise UnreadableError(f"DOCX part {info.filename} cannot be read: {type(e).__name__}: {e}") from e
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise UnreadableError(f"DOCX part {info.filename} declares a DOCTYPE/ENTITY: refused")


def read_docx(data: bytes) -> Document:
    import docx

    _check_zip(data)
    try:
        d = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises KeyError, ValueError, lxml errors on damaged files
        raise UnreadableError(f"DOCX cannot be parsed: {type(e).__name__}: {e}") from e
    try:
        return _document(d)
    except Exception as e:  # damaged XML surfaces only when tables are walked (bad gridSpan, …)
        raise UnreadableError(f"DOCX tables cannot be read: {type(e).__name__}: {e}") from e


def _document(d: Any) -> Document:
    doc = Document(source_format="docx")
    for index, table in enumerate(d.tables):
        rows: list[list[SourceCell]] = []
        seen: set[object] = set()
        for r, row in enumerate(table.rows):
            out: list[SourceCell] = []
            for c, cell in enumerate(row.cells):
                text = cell.text.replace("\u3000", " ").strip()
                key = cell._tc  # lxml elements hash by identity
                out.append(SourceCell(text, r, c, span_copy=key in seen))
                seen.add(key)
            rows.append(out)
        doc.tables.append(Table(rows=rows, index=index, kind="grid"))
    doc.text = "\n".join(p.text for p in d.paragraphs)
    doc.images_in_body = _wide_pictures(d)
    first = next((p.text.strip() for p in d.paragraphs if "报告" in p.text), None)
    doc.title = first[:80] if first else None
    return doc


def _wide_pictures(d: Any) -> int:
    """Inline pictures half the text width or wider: pasted tables, not seals or logos."""
    section = d.sections[0] if len(d.sections) else None
    text_width = None
    if section is not None and section.page_width:
        text_width = section.page_width - (section.left_margin or 0) - (section.right_margin or 0)
    half = text_width / 2 if text_width and text_width > 0 else 3 * 914400  # EMU; 3 inches by default
    return sum(1 for shape in d.inline_shapes if shape.width and shape.width >= half)
