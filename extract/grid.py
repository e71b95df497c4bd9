"""The one table representation every reader produces.

A `Table` is a list of rows of `SourceCell`s. Readers that keep row structure (HTML, DOCX, PDF)
expand row/col spans into copies marked `span_copy`, so positions line up with the printed grid.
Readers whose source lost its row structure (flattened `cell |` text, run-together text) emit a
single-row-per-label stream with `kind="stream"`; cells keep their order. Readers never assign
keys: that is the mapper's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai import schema
from gongkai.normalize import loose

# Headings of the sections that hold the three tables (simplified or traditional): a document with
# these, pictures and no table had its tables pasted as images.
TABLE_SECTIONS = re.compile("|".join(loose(w) for w in (
    schema.TABLE_STARTS["active_disclosure"][0][:-1],  # 第二十条
    *(name.removeprefix("政府信息公开") for _, name in schema.TABLE_LABELS.values()))))


@dataclass(slots=True)
class SourceCell:
    text: str
    row: int
    col: int
    span_copy: bool = False  # a copy made by expanding a rowspan/colspan; never a value of its own
    # Run-together text: the cell is a digit run whose split into cells is not known yet.
    glued: bool = False


@dataclass
class Table:
    rows: list[list[SourceCell]]
    index: int = 0  # position among the document's tables
    kind: str = "grid"  # grid | stream | glued
    page: int | None = None  # first page, for PDF

    def text(self) -> str:
        return "".join(c.text for r in self.rows for c in r if not c.span_copy)


@dataclass
class Document:
    """What a reader returns: the tables plus the running text (for metadata and sections)."""

    tables: list[Table] = field(default_factory=list)
    text: str = ""
    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # e.g. <meta> tags, PDF info
    images_in_body: int = 0  # pictures where tables would be (not logos or seals): a hint for needs_ocr
    source_format: str = "unknown"
