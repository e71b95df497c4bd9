"""Result tables for terminals and pipes.

A box table only when stdout is a terminal, CSV otherwise, or what `--format` asks for. Values are
data, never markup: Rich sees them as `Text`, so `[red]`, `[/]` and `:x:` print as typed. A table
too wide for the terminal is shown one record per block (psql's expanded display) rather than cut.
Rows are streamed, so `--format csv` of a million rows never holds them all in memory.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import decimal
import json
import math
import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TextIO

FORMATS = ("table", "csv", "tsv", "json", "jsonl")
TERMINAL_LIMIT = 100  # rows a terminal table shows unless --limit says otherwise


def add_arguments(p: argparse.ArgumentParser, default_limit: int | None = None) -> None:
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="table (default on a terminal), csv (default in a pipe or file), tsv, "
                        "json (one array) or jsonl (one object per line)")
    default = f"{default_limit}" if default_limit else f"all, or {TERMINAL_LIMIT} in a terminal table"
    p.add_argument("--limit", type=int, default=default_limit, metavar="N",
                   help=f"print at most N rows (0: all; default: {default})")
    p.add_argument("--csv-bom", action="store_true", help="start CSV/TSV with a byte-order mark (for Excel)")


def plain(v: Any) -> Any:
    """A JSON-ready value: dates as ISO text, decimals as numbers, NaN as null."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, decimal.Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, list | tuple):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if v is None or isinstance(v, bool | int | float | str):
        return v
    return str(v)


def text(v: Any) -> str:
    """A cell as text: null is empty, nested values are JSON."""
    v = plain(v)
    if v is None:
        return ""
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def write(cols: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str | None = None, limit: int | None = None,
          bom: bool = False, out: TextIO | None = None) -> int:
    """Print a result; returns the number of rows printed. Says on stderr when rows were left out."""
    out = out or sys.stdout
    if fmt is None:
        fmt = "table" if out.isatty() else "csv"
    if limit is None and fmt == "table" and out.isatty():
        limit = TERMINAL_LIMIT
    shown, more = _take(rows, limit)
    if fmt in ("csv", "tsv"):
        n = _delimited(cols, shown, out, "\t" if fmt == "tsv" else ",", bom)
    elif fmt == "json":
        n = _json_array(cols, shown, out)
    elif fmt == "jsonl":
        n = _json_lines(cols, shown, out)
    else:
        n = _table(cols, list(shown), out)
    if more():
        print(f"gongkai: showing the first {n} rows; --limit N for more (0: all)", file=sys.stderr)
    elif fmt == "table":
        print(f"({n} row{'s' if n != 1 else ''})", file=sys.stderr)
    return n


def _take(rows: Iterable[Sequence[Any]], limit: int | None) -> tuple[Iterator[Sequence[Any]], Any]:
    it = iter(rows)
    if not limit:
        return it, lambda: False
    head = islice(it, limit)
    return head, lambda: next(it, None) is not None


def _delimited(cols: Sequence[str], rows: Iterable[Sequence[Any]], out: TextIO, delimiter: str, bom: bool) -> int:
    if bom:
        out.write("\ufeff")
    w = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    w.writerow(cols)
    n = 0
    for r in rows:
        w.writerow([text(v) for v in r])
        n += 1
    return n


def _json_array(cols: Sequence[str], rows: Iterable[Sequence[Any]], out: TextIO) -> int:
    n = 0
    out.write("[")
    for r in rows:
        out.write(",\n" if n else "\n")
        out.write(json.dumps(dict(zip(cols, map(plain, r), strict=True)), ensure_ascii=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def _json_lines(cols: Sequence[str], rows: Iterable[Sequence[Any]], out: TextIO) -> int:
    n = 0
    for n, r in enumerate(rows, 1):  # noqa: B007 (n is the count)
        out.write(json.dumps(dict(zip(cols, map(plain, r), strict=True)), ensure_ascii=False) + "\n")
    return n


def _table(cols: Sequence[str], rows: list[Sequence[Any]], out: TextIO) -> int:
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, markup=False, emoji=False, highlight=False)
    cells = [[text(v) for v in r] for r in rows]
    widths = [max([cell_len(c), *(cell_len(r[i]) for r in cells)]) for i, c in enumerate(cols)]
    if sum(widths) + 3 * len(cols) + 1 > console.width and len(cols) > 1:
        _expanded(cols, cells, out)
        return len(rows)
    t = Table()
    for c in cols:
        t.add_column(Text(c), overflow="fold")
    for r in cells:
        t.add_row(*(Text(v) for v in r))
    console.print(t)
    return len(rows)


def _expanded(cols: Sequence[str], cells: list[list[str]], out: TextIO) -> None:
    """One block per record, written as plain lines: the terminal wraps long values, nothing is cut."""
    from rich.cells import cell_len

    pad = max(cell_len(c) for c in cols)
    for i, r in enumerate(cells, 1):
        out.write(f"-[ record {i} ]" + "-" * max(0, pad - 8) + "\n")
        for c, v in zip(cols, r, strict=True):
            out.write(c + " " * (pad - cell_len(c)) + " | " + v + "\n")
