"""`gongkai` command line: a thin shell over the library functions."""

from __future__ import annotations

import argparse
import csv
import json
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from gongkai.model import CheckStatus, ExtractResult


def _extract_paths(paths: Sequence[str]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(sorted(x for x in path.rglob("*") if x.is_file()))
        else:
            out.append(path)
    return out


def _summary(r: ExtractResult) -> str:
    tables = ", ".join(f"{t}={v}" for t, v in r.format_version.items()) or "none"
    printed = [c for c in r.cells if not c.derived]
    failed = [c for c in r.checks if c.status is CheckStatus.FAIL]
    uncertain = [c for c in r.checks if c.status is CheckStatus.UNCERTAIN]
    lines = [
        f"{r.source}",
        f"  status: {r.status}   agency: {r.agency or '?'}   year: {r.year or '?'}   published: {r.published or '?'}",
        f"  tables: {tables}   cells: {len(printed)} printed + {len(r.cells) - len(printed)} derived",
        f"  checks: {len(r.checks)} ({len(failed)} failed, {len(uncertain)} uncertain)",
    ]
    lines += [f"    FAIL {c.rule} {c.table}: {c.message}" for c in failed]
    lines += [f"    UNCERTAIN {c.rule} {c.table}: {c.message}" for c in uncertain]
    lines += [f"  {e.severity}: {e.code}: {e.message.splitlines()[0]}" for e in r.errors]
    return "\n".join(lines)


def cmd_extract(args: argparse.Namespace) -> int:
    if not args.files:
        return cmd_extract_store(args)
    from extract.document import extract_document

    unreadable = 0
    for path in _extract_paths(args.files):
        try:
            data = path.read_bytes()
        except OSError as e:
            unreadable += 1
            msg = {"source": str(path), "status": "unreadable", "errors": [{"code": "io_error", "message": str(e)}]}
            print(json.dumps(msg, ensure_ascii=False) if args.json else f"{path}\n  status: unreadable ({e})")
            continue
        result = extract_document(data, str(path))
        if args.json:
            print(json.dumps(result.to_json(), ensure_ascii=False))
        else:
            print(_summary(result))
        sys.stdout.flush()
    return 1 if unreadable else 0


def _extract_stage(data_dir: Path, args: argparse.Namespace) -> int:
    """The extract stage over the raw store at `data_dir`; prints what it did, returns the captures
    that could not be read."""
    from extract.limits import Limits
    from extract.run import extract_store

    s = extract_store(data_dir, workers=args.workers, limits=Limits(args.doc_timeout, args.doc_memory),
                      retry_failed=args.retry_failed, engine=args.engine, scheduler=args.scheduler,
                      batch_size=args.batch_size)
    retried = f" ({s.retried} retried)" if s.retried else ""
    print(f"extract: {s.documents} documents, {s.up_to_date} up to date, {s.extracted} extracted{retried}"
          f" -> {data_dir / 'records' / s.version}")
    if s.statuses:
        print("  statuses of those extracted: " + ", ".join(f"{k}: {v}" for k, v in s.statuses.items()))
    for line in s.stopped:
        print(f"  stopped: {line}")
    for line in s.unreadable:
        print(f"  capture unreadable (no record): {line}")
    return len(s.unreadable)


def cmd_extract_store(args: argparse.Namespace) -> int:
    if args.json:
        print("--json needs report files; without files, extract reads the raw store at --data-dir", file=sys.stderr)
        return 2
    data_dir = Path(args.data_dir)
    if not (data_dir / "state.sqlite").exists():
        print(f"no raw store at {data_dir} (crawl or ingest first, or name report files)", file=sys.stderr)
        return 2
    return 1 if _extract_stage(data_dir, args) else 0


def cmd_demo(args: argparse.Namespace) -> int:
    """The sample portal on 127.0.0.1, crawled, extracted and built: the whole pipeline offline."""
    from cli import crawl as crawl_cli

    rc = crawl_cli.run_demo(args)
    if rc != 0:
        return rc
    return cmd_build(args)


def cmd_schema(args: argparse.Namespace) -> int:
    from gongkai import schema

    for (table, version), ts in schema.SPECS.items():
        if args.table and table != args.table:
            continue
        zh_no, zh_name = schema.TABLE_LABELS[table]
        print(f"{table} ({zh_no} {zh_name}) {version}")
        for b in ts.blocks:
            if b.key:
                print(f"  block {b.key}  {b.zh}")
            for r in b.rows:
                mark = " (derived)" if r.derived else ""
                print(f"    row {r.key:32} {r.zh}{mark}")
            for c in b.cols:
                mark = " (derived)" if c.derived else ""
                print(f"    col {c.key:32} {c.zh} [{c.unit}, {c.dtype}]{mark}")
        for ident in schema.identities(table, version):
            if args.identities:
                print(f"  {ident.rule}: {ident.description}")
        for fact in schema.prose_facts(version):
            if args.identities and fact.table == table:
                print(f"  {fact.rule}: {fact.name} restated in the text = {' + '.join(r + '.' + c for _, r, c in fact.cells)}")
    return 0


def _print_table(cols: list[str], rows: list[tuple[object, ...]], fmt: str) -> None:
    if fmt == "json":
        for r in rows:
            print(json.dumps(dict(zip(cols, r, strict=True)), ensure_ascii=False, default=str))
        return
    if fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(cols)
        w.writerows(rows)
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(*cols, show_lines=False)
    for r in rows:
        t.add_row(*("" if v is None else str(v) for v in r))
    Console().print(t)


def cmd_ingest(args: argparse.Namespace) -> int:
    from cli.pipeline import ingest

    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        print(f"not found: {p}", file=sys.stderr)
    s = ingest(Path(args.data_dir), [p for p in paths if p.exists()], url=args.url)
    print(f"ingest: {s.added} added, {s.unchanged} already stored, {s.skipped} skipped (not a report format)")
    return 1 if missing else 0


def cmd_build(args: argparse.Namespace) -> int:
    from cli.pipeline import build_records
    from extract.version import extractor_version

    _extract_stage(Path(args.data_dir), args)
    s, results = build_records(Path(args.data_dir), extractor_version())
    if results.missing or results.damaged:
        print(f"  documents without a readable record: {results.missing + len(results.damaged)}"
              " (published as unreadable)")
    for line in results.damaged:
        print(f"  {line}")
    print(f"build: {s.reports} reports from {s.agencies} agencies -> {Path(args.data_dir) / 'release'}")
    print("  reports per year: " + ", ".join(f"{y or 'unknown'}: {n}" for y, n in s.per_year.items()))
    print("  report statuses: " + ", ".join(f"{k}: {v}" for k, v in s.statuses.items()))
    print(f"  documents read: {sum(s.documents.values())} (" + ", ".join(f"{k}: {v}" for k, v in s.documents.items())
          + ") — needs_ocr and unsupported_format are coverage gaps")
    print(f"  failed checks: {s.failed_checks}   files written: {s.files_written}, unchanged: {s.files_unchanged}")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from dataset.query import run_sql

    cols, rows = run_sql(Path(args.data_dir), args.sql)
    _print_table(cols, rows, args.format)
    return 0


def cmd_top(args: argparse.Namespace) -> int:
    from dataset.query import top

    cols, rows = top(Path(args.data_dir), args.metric, args.year, args.min_volume, args.limit)
    _print_table(cols, rows, args.format)
    return 0


def cmd_inconsistent(args: argparse.Namespace) -> int:
    from dataset.query import inconsistent

    cols, rows = inconsistent(Path(args.data_dir), args.year, args.scope)
    _print_table(cols, rows, args.format)
    return 0


def _add_extract_flags(p: argparse.ArgumentParser) -> None:
    from extract.limits import Limits

    g = p.add_argument_group("the extract stage (raw store -> records)")
    g.add_argument("--workers", type=int, default=None, help="extracting processes (default: every core)")
    g.add_argument("--doc-timeout", type=float, default=Limits.timeout, metavar="SECONDS",
                   help=f"a document still extracting after this is killed and recorded too_complex (default {Limits.timeout:g})")
    g.add_argument("--doc-memory", type=int, default=Limits.memory_mb, metavar="MB",
                   help=f"memory a document may take; past it, it is stopped and recorded too_complex (default {Limits.memory_mb})")
    g.add_argument("--retry-failed", action="store_true",
                   help="extract again the documents whose record says too_complex or crashed (e.g. with higher limits)")
    g.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local: a process pool on this machine; dask: a Dask cluster (pip install 'gongkai[dask]')")
    g.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                   "(default: a local cluster of --workers processes)")
    g.add_argument("--batch-size", type=int, default=32, help="documents per Dask task (default 32)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="政府信息公开工作年度报告 → validated datasets")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="extract the statistical tables of report files, or of the raw store")
    p.add_argument("files", nargs="*", help="report files or folders (HTML, text, PDF, DOCX); none: every "
                   "stored document lacking a record at this extractor version, into DATA/records")
    p.add_argument("--json", action="store_true", help="one JSON object per line per document")
    p.add_argument("--data-dir", default="data", help="the raw store to extract when no files are named")
    _add_extract_flags(p)
    p.set_defaults(func=cmd_extract)
    ing = sub.add_parser("ingest", help="add report files already on disk to the raw store")
    ing.add_argument("paths", nargs="+", help="files or folders (HTML, text, PDF, Word)")
    ing.add_argument("--data-dir", default="data")
    ing.add_argument("--url", help="origin URL of a single file (default: its file:// path)")
    ing.set_defaults(func=cmd_ingest)
    bd = sub.add_parser("build", help="extract what is not yet extracted, then write the dataset from the records")
    bd.add_argument("--data-dir", default="data")
    _add_extract_flags(bd)
    bd.set_defaults(func=cmd_build)
    from dataset.query import METRICS

    q = sub.add_parser("query", help="SQL over the release (DuckDB views named like the tables)")
    q.add_argument("sql")
    tp = sub.add_parser("top", help="agencies ranked by a metric, with a minimum-volume guard")
    tp.add_argument("--metric", required=True, choices=sorted(METRICS))
    tp.add_argument("--year", type=int, required=True)
    tp.add_argument("--min-volume", type=int, default=10, help="ignore agencies below this volume (default 10)")
    tp.add_argument("--limit", type=int, default=20)
    inc = sub.add_parser("inconsistent", help="reports whose tables do not add up, with the failing identity")
    inc.add_argument("--year", type=int, required=True)
    inc.add_argument("--scope", choices=["all", "report", "cross_report"], default="all",
                     help="tables that do not add up (report), breaks between years (cross_report), or both")
    for p2, fn in ((q, cmd_query), (tp, cmd_top), (inc, cmd_inconsistent)):
        p2.add_argument("--data-dir", default="data")
        p2.add_argument("--format", choices=["table", "csv", "json"], default="table")
        p2.set_defaults(func=fn)
    sc = sub.add_parser("schema", help="list the canonical tables, rows, columns and identities")
    sc.add_argument("--table", choices=["active_disclosure", "applications", "review_litigation"])
    sc.add_argument("--identities", action="store_true", help="also list every identity checked")
    sc.set_defaults(func=cmd_schema)
    from cli import crawl as crawl_cli

    crawl_cli.add_parser(sub)
    demo = crawl_cli.add_demo_parser(sub)
    _add_extract_flags(demo)
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


def run() -> None:
    """The console script: `gongkai … | head` ends quietly instead of with a BrokenPipeError."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())


if __name__ == "__main__":
    run()
