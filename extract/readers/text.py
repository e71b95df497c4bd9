"""Plain text → Document. Four shapes of flattened tables are recognised:

- cell stream: every cell ends with ` |`; lines of 2+ pipes are span fillers (seed format);
  a value may sit on its own line before its `|`; a lone `|` is an empty cell;
- pipe rows: one table row per line, cells separated by `|` (and markdown pipe tables);
- one cell per line or per paragraph (no pipes); a whitespace-only paragraph is an empty cell;
- run-together text: labels and digit runs glued (`规章000行政规范性文件693665`); digit runs
  become `glued` cells whose split into values is decided later, with the table's identities.
"""

from __future__ import annotations

import re

from gongkai import schema
from gongkai.normalize import loose

from ..grid import Document, SourceCell, Table

# Where the statistical part of a report starts and ends (narrative numbers stay out): the first
# word only the tables print (schema.TABLE_ONLY_WORDS), and section 五、存在….
_START = re.compile("|".join(loose(w) for w in schema.TABLE_ONLY_WORDS))
_END = re.compile(r"[五5]\s*[、.．]\s*(?:政府信息公开工作)?存在")
_PIPE_ONLY = re.compile(r"^\s*\|{2,}\s*$")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
# A digit run in run-together text, optionally signed, with a decimal part and a unit.
_GLUED_VALUE = re.compile(r"[-+]?\d+(?:\.\d+)?(?:\s*万元|\s*元)?(?:[ \t]+[-+]?\d+(?:\.\d+)?(?:\s*万元|\s*元)?)*")
# Row numbering glued to the previous values: "00000002.其他法律…" → values "0000000", label "2.其他…".
# Row numbers are one digit (1–8); they are swapped for private-use characters while tokenising.
_NUMBERING = re.compile(r"(\d)([.、．])(?=[\u4e00-\u9fff(（“\"])")
_PUA = 0xE000


def _hide(m: re.Match[str]) -> str:
    return chr(_PUA + int(m.group(1))) + m.group(2)


def _unhide(text: str) -> str:
    return "".join(str(ord(ch) - _PUA) if _PUA <= ord(ch) <= _PUA + 9 else ch for ch in text)


def _region(text: str) -> tuple[str, int]:
    m = _START.search(text)
    if not m:
        return "", 0
    start = m.start()
    e = _END.search(text, start)
    return text[start: e.start() if e else len(text)], start


def _line_no(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _stream_cells(region: str, first_line: int) -> list[SourceCell]:
    cells: list[SourceCell] = []
    pending: list[str] = []
    for i, line in enumerate(region.split("\n")):
        ln = first_line + i
        if _PIPE_ONLY.match(line):
            if pending:  # a value followed by a filler line: the value's own pipe came first
                cells.append(SourceCell(" ".join(pending).strip(), ln, len(cells)))
                pending = []
            continue
        parts = line.split("|")
        if len(parts) == 1:
            pending.append(line)
            continue
        for j, part in enumerate(parts[:-1]):
            text = part if j else " ".join([*pending, part])
            if j == 0:
                pending = []
            cells.append(SourceCell(text.strip(), ln, len(cells)))
        tail = parts[-1]
        if tail.strip():
            pending.append(tail)
    if pending and " ".join(pending).strip():
        cells.append(SourceCell(" ".join(pending).strip(), first_line, len(cells)))
    return cells


def _row_cells(region: str, first_line: int) -> list[list[SourceCell]]:
    rows: list[list[SourceCell]] = []
    for i, line in enumerate(region.split("\n")):
        if not line.strip() or _MD_RULE.match(line) or _PAGE_NUMBER.match(line):
            continue
        if "|" not in line:
            # a line between the pipe rows (text converted from PDF): `行政许可 97` is a row too
            rows.append(_split_line(line.strip(), first_line + i))
            continue
        parts = line.split("|")
        if line.strip().startswith("|"):
            parts = parts[1:]
        while parts and not parts[-1].strip():
            parts.pop()  # trailing pipes are span fillers, not empty cells
        rows.append([SourceCell(p.strip(), first_line + i, j) for j, p in enumerate(parts)])
    return rows


_NUMBER_TOKEN = r"(?:[-+]?\d[\d,]*(?:\.\d+)?(?:万元|元)?|/|—|-)"
_NUMBERS_ONLY = re.compile(rf"^{_NUMBER_TOKEN}(?:\s+{_NUMBER_TOKEN})+$")
_LABEL_THEN_NUMBERS = re.compile(rf"^(.*?[^\d\s,.+-])\s+({_NUMBER_TOKEN}(?:\s+{_NUMBER_TOKEN})*)$")


# A running page number (`— 4 —`, `- 3 -`) printed between the halves of a table.
_PAGE_NUMBER = re.compile(r"^\s*[-—–]+\s*\d{1,4}\s*[-—–]+\s*$")


def _split_line(line: str, line_no: int) -> list[SourceCell]:
    """`label 95 0 0` → the label and its numbers; a line of numbers → its numbers; else one cell."""
    if _NUMBERS_ONLY.match(line):
        return [SourceCell(v, line_no, j) for j, v in enumerate(line.split())]
    m = _LABEL_THEN_NUMBERS.match(line)
    if m:
        return [SourceCell(m.group(1).strip(), line_no, 0),
                *(SourceCell(v, line_no, 1 + j) for j, v in enumerate(m.group(2).split()))]
    return [SourceCell(line, line_no, 0)]


# `规章000`: a row label with its digits run together on one line (the cells' boundaries lost).
_LABEL_THEN_RUN = re.compile(r"^(.*[\u4e00-\u9fff）)])(\d+)$")


def _line_cells(region: str, first_line: int) -> list[SourceCell]:
    lines = region.split("\n")
    paragraphs = sum(1 for x in lines if x == "") > len(lines) / 3
    cells: list[SourceCell] = []
    for i, line in enumerate(lines):
        if line == "" or (not paragraphs and not line.strip()):
            continue
        glued = _LABEL_THEN_RUN.match(line.strip())
        if glued:
            cells.append(SourceCell(glued.group(1), first_line + i, len(cells)))
            cells.append(SourceCell(glued.group(2), first_line + i, len(cells), glued=True))
            continue
        if _NUMBERS_ONLY.match(line.strip()):
            cells.extend(SourceCell(v, first_line + i, len(cells) + j) for j, v in enumerate(line.split()))
            continue
        m = _LABEL_THEN_NUMBERS.match(line.strip())
        if m:  # a row printed as `label 95 0 0 0 0 0 95` (PDF text layers, plain-text exports)
            cells.append(SourceCell(m.group(1).strip(), first_line + i, len(cells)))
            cells.extend(SourceCell(v, first_line + i, len(cells) + j) for j, v in enumerate(m.group(2).split()))
            continue
        cells.append(SourceCell(line.strip(), first_line + i, len(cells)))
    return cells


def glued_cells(region: str, first_line: int = 1) -> list[SourceCell]:
    """Split run-together text into label cells and glued digit-run cells."""
    region = _NUMBERING.sub(_hide, region)
    cells: list[SourceCell] = []
    pos = 0
    for m in _GLUED_VALUE.finditer(region):
        label = region[pos: m.start()]
        value = m.group(0)
        # Digits inside labels: 第1项, 2019年, (单位:万元) keep their text; only runs that end a
        # label and are followed by another label or the end are values.
        nxt = region[m.end(): m.end() + 1]
        if nxt in "年月日号条" and nxt:
            continue
        if label.strip():
            cells.append(SourceCell(_unhide(label).strip(), first_line, len(cells)))
        cells.append(SourceCell(value.strip(), first_line, len(cells), glued=True))
        pos = m.end()
    tail = _unhide(region[pos:]).strip()
    if tail:
        cells.append(SourceCell(tail, first_line, len(cells)))
    return cells


def _shape(region: str) -> str:
    lines = [x for x in region.split("\n") if x.strip()]
    if not lines:
        return "empty"
    pipes = sum(1 for x in lines if "|" in x)
    if pipes > len(lines) / 3:
        inner = sum(1 for x in lines if x.strip().strip("|").count("|") >= 2)
        return "rows" if inner > len(lines) / 4 else "stream"
    longest = max(len(x) for x in lines)
    if longest > 200 and re.search(r"[\u4e00-\u9fff]\d{3,}[\u4e00-\u9fff]", region):
        return "glued"
    return "lines"


def read_text(text: str) -> Document:
    doc = Document(source_format="text", text=text)
    region, start = _region(text)
    if not region:
        return doc
    first_line = _line_no(text, start)
    shape = _shape(region)
    if shape == "stream":
        doc.tables.append(Table(rows=[_stream_cells(region, first_line)], kind="stream"))
    elif shape == "rows":
        doc.tables.append(Table(rows=_row_cells(region, first_line), kind="grid"))
    elif shape == "glued":
        doc.tables.append(Table(rows=[glued_cells(region, first_line)], kind="glued"))
    elif shape == "lines":
        doc.tables.append(Table(rows=[_line_cells(region, first_line)], kind="stream"))
    return doc
