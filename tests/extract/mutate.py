"""Mutations of real documents for the fuzz harness (test_fuzz.py), and the judge of a result.

A mutation works on the decoded text of a document whose cells are hand-checked (truth.csv). The
cell a mutation touches is found by a probe: the number is replaced by a sentinel and extracted,
and the key that reads the sentinel is the cell. The judge then holds the result to one rule: a
truth cell is read with its value (the truth, or what the mutation printed instead), or it is
flagged — a flag on the cell, a check that did not pass naming it, a missing[] entry, an error
naming its row, or the whole table not found. A wrong value with none of these is a silent error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from extract.document import extract_document
from gongkai.model import CheckStatus, ExtractResult, ExtractStatus

Key = tuple[str, str, str, str]
SENTINEL = "987654"
# A number that is the whole text of an HTML element, a `N |` stream cell or a `| N |` row cell.
_TOKEN = re.compile(r"(?:(?<=>)|(?<=^)|(?<=\| )|(?<=\|))\s*(\d[\d,]*(?:\.\d+)?)\s*(?=<|\s*\||$)", re.M)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Flags that say "this value is not what the print plainly says" or "not sure where it goes".
UNSURE = frozenset({
    "ambiguous_split", "ambiguous_columns", "conflicting_values", "out_of_domain", "not_a_number",
    "several_numbers", "placed_by_order", "placed_by_identity", "placed_by_prose", "split_by_prose",
    "split_by_table_identity", "label_by_position", "at_document_end",
})
GONE = object()  # the mutation destroyed the cell: any value is acceptable if it is flagged


@dataclass
class Mutated:
    data: bytes
    what: str
    # key → the value the mutated print says (None: blank), or GONE
    expect: dict[Key, object] = field(default_factory=dict)
    same_result: bool = False  # an encoding change: the result must not change at all


def tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


def probe(text: str, tok: re.Match[str], name: str) -> Key | None:
    """The cell key the token is read into, or None (a number outside the tables)."""
    s, e = tok.span(1)
    r = extract_document((text[:s] + SENTINEL + text[e:]).encode("utf-8"), name)
    hits = [c.key for c in r.cells if not c.derived and c.raw.strip() == SENTINEL]
    return hits[0] if len(hits) == 1 else None


def _next_token(text: str, toks: list[re.Match[str]], i: int) -> re.Match[str] | None:
    """The next number of the same table row, when only markup or separators lie between."""
    if i + 1 >= len(toks):
        return None
    between = text[toks[i].end(1): toks[i + 1].start(1)]
    if len(between) > 600 or _CJK.search(between) or "</tr>" in between.lower():
        return None
    return toks[i + 1]


def _cell_span(text: str, tok: re.Match[str]) -> tuple[int, int]:
    """The whole cell around a token: `<td …>…</td>`, a `N |` line (or `N` and a `|` line), or a
    `N |` segment."""
    s, e = tok.span(1)
    open_td = text.rfind("<td", 0, s)
    close_td = text.find("</td>", e)
    if open_td != -1 and close_td != -1 and "</td>" not in text[open_td:s] and close_td - e < 300:
        return open_td, close_td + len("</td>")
    line_start = text.rfind("\n", 0, s) + 1
    line_end = text.find("\n", e)
    line_end = len(text) if line_end == -1 else line_end + 1
    if text[line_start:line_end].strip().rstrip("|").strip() == tok.group(1):
        if text[line_start:line_end].strip() == tok.group(1) and text[line_end:line_end + 2] in ("|\n", "|"):
            line_end += 2  # a value on its own line, closed by the `|` on the next line
        return line_start, line_end
    bar = text.find("|", e)
    return s, (bar + 1 if bar != -1 and bar - e < 3 else e)


def blank_cell(text: str, tok: re.Match[str], key: Key | None) -> Mutated:
    s, e = tok.span(1)
    return Mutated((text[:s] + text[e:]).encode(), f"blank {tok.group(1)!r}", {key: None} if key else {})


_FILLER_NEXT = re.compile(r"\|+[ \t]*\n")


def delete_cell(text: str, tok: re.Match[str], key: Key | None) -> Mutated:
    a, b = _cell_span(text, tok)
    # In a cell stream, empty `|` cells after the deleted one take its place: the print now says
    # blank there, exactly as if the cell had been emptied (nothing can tell the two apart).
    expect: object = None if _FILLER_NEXT.match(text, b) and "<td" not in text[a:b] else GONE
    return Mutated((text[:a] + text[b:]).encode(), f"delete cell {tok.group(1)!r}", {key: expect} if key else {})


def duplicate_digit(text: str, tok: re.Match[str], key: Key | None, at: int) -> Mutated:
    s, e = tok.span(1)
    v = tok.group(1)
    i = at % len(v)
    new = v[: i + 1] + v[i:]
    # what is printed now is the value (`00` is 0); a thousands separator in the way makes it unreadable
    expect: object = Decimal(new) if re.fullmatch(r"\d+(?:\.\d+)?", new) else GONE
    return Mutated((text[:s] + new + text[e:]).encode(), f"duplicate digit {v!r} -> {new!r}",
                   {key: expect} if key else {})


def run_together(text: str, toks: list[re.Match[str]], i: int, key: Key | None,
                 next_key: Key | None) -> Mutated | None:
    """Two neighbouring cells printed as one digit run: the boundary between them is lost."""
    nxt = _next_token(text, toks, i)
    if nxt is None:
        return None
    s, e = toks[i].span(1)
    ns, ne = nxt.span(1)
    a, b = _cell_span(text, nxt)
    joined = text[s:e] + text[ns:ne]
    new = text[:s] + joined + text[e:a] + text[b:] if a >= e else text[:s] + joined + text[ne:]
    expect = {k: GONE for k in (key, next_key) if k}
    return Mutated(new.encode(), f"run together {toks[i].group(1)!r}+{nxt.group(1)!r}", expect)


def long_run(text: str, tok: re.Match[str], key: Key | None, digits: int) -> Mutated:
    s, e = tok.span(1)
    run = ("31415926535897932384626433832795" * 4)[:digits]
    return Mutated((text[:s] + run + text[e:]).encode(), f"{digits}-digit run", {key: GONE} if key else {})


def re_encode(text: str, encoding: str) -> Mutated:
    if encoding == "utf-16-be-bom":
        return Mutated(b"\xfe\xff" + text.encode("utf-16-be"), "utf-16-be with BOM", same_result=True)
    if encoding == "gb18030":
        # the page's own declaration would be a lie now: say what it is, as a re-saving editor does
        text = re.sub(r"charset\s*=\s*[\"']?utf-8", "charset=gb18030", text, flags=re.I)
    return Mutated(text.encode(encoding, errors="strict"), f"encoded {encoding}", same_result=True)


def truncate(data: bytes, at: int) -> Mutated:
    return Mutated(data[:at], f"truncated at byte {at}", {})


# ------------------------------------------------------------------ the judge

def _row_named(result: ExtractResult, key: Key) -> bool:
    table, _block, row, _col = key
    return any(table in e.message and row in e.message for e in result.errors)


def _check_names(result: ExtractResult, key: Key) -> bool:
    _table, block, row, col = key
    name = f"{block + '/' if block else ''}{row}.{col}"
    return any(c.status is not CheckStatus.PASS and c.table == key[0] and name in c.cells for c in result.checks)


def flagged(result: ExtractResult, key: Key) -> bool:
    cell = next((c for c in result.cells if c.key == key and not c.derived), None)
    if cell is not None and (UNSURE.intersection(cell.flags) or cell.state.value == "text"):
        return True
    if key[0] not in result.format_version:
        return True  # the whole table was not found: table_missing / the status says so
    if any((m.table, m.block, m.row_key, m.col_key) == key for m in result.missing):
        return True
    return _row_named(result, key) or _check_names(result, key)


def silent_errors(result: ExtractResult, truth: dict[Key, Decimal | None],
                  expect: dict[Key, object]) -> list[str]:
    """Truth cells whose value is wrong with nothing saying so."""
    if result.status in (ExtractStatus.UNREADABLE, ExtractStatus.NO_TABLES, ExtractStatus.NOT_A_REPORT,
                         ExtractStatus.UNSUPPORTED_FORMAT, ExtractStatus.TOO_COMPLEX, ExtractStatus.PRE2019):
        return [] if not [c for c in result.cells if not c.derived] else ["cells beside a failure status"]
    cells = {c.key: c for c in result.cells if not c.derived}
    bad = []
    for key, want in truth.items():
        target = expect.get(key, want)
        cell = cells.get(key)
        got = None if cell is None else cell.value
        if cell is not None and target is not GONE and got == target:
            continue
        if cell is None and target is None and key[0] in result.format_version and flagged(result, key):
            continue
        if not flagged(result, key):
            bad.append(f"{'/'.join(k for k in key if k)}: got {got}, printed {'(destroyed)' if target is GONE else target}")
    return bad


MutationFn = Callable[..., Mutated | None]
