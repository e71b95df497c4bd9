"""`gongkai` command line: a thin shell over the library functions.

Startup is part of the interface: module level imports only the standard library and the CLI's own
light modules, and each command imports what it needs when it runs, so `gongkai --help` loads
neither DuckDB nor pyarrow and `gongkai extract` loads only the extractor.

Errors are one line on stderr with a non-zero exit (the traceback with `--debug`); Ctrl-C prints one
line and exits 130.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.datadir import HELP as DATA_HELP
from cli.datadir import data_dir

if TYPE_CHECKING:
    from gongkai.model import ExtractResult

# Statuses of a document that could not be read at all: `extract` exits 1 when any input has one.
NOT_READ = ("unreadable", "too_complex", "crashed")


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
    from gongkai.model import CheckStatus

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
        if str(result.status) in NOT_READ:
            unreadable += 1
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
    copies = f" ({s.same_bytes} of them the same bytes as another URL's)" if s.same_bytes else ""
    print(f"extract: {s.documents} documents, {s.up_to_date} up to date{copies}, {s.extracted} extracted{retried}"
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
    where = data_dir(args.data_dir)
    if not (where / "state.sqlite").exists():
        print(f"no raw store at {where} (crawl or ingest first, or name report files)", file=sys.stderr)
        return 2
    return 1 if _extract_stage(where, args) else 0


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


def cmd_ingest(args: argparse.Namespace) -> int:
    from cli.pipeline import ingest

    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        print(f"not found: {p}", file=sys.stderr)
    s = ingest(data_dir(args.data_dir), [p for p in paths if p.exists()], url=args.url)
    print(f"ingest: {s.added} added, {s.unchanged} already stored, {s.skipped} skipped (not a report format)")
    return 1 if missing else 0


def cmd_build(args: argparse.Namespace) -> int:
    """Check the store, run the extract stage, build from the records. Progress on stderr; a summary on
    stdout; Ctrl-C leaves the previous release."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from cli.pipeline import CorruptStateError, NoRawStoreError, build_from_store, build_records, check_store
    from dataset.build import EmptyReleaseError
    from extract.version import extractor_version

    where = data_dir(args.data_dir)
    force, csv_bom = getattr(args, "force", False), getattr(args, "csv_bom", False)
    err = Console(stderr=True)
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err, transient=True, disable=not err.is_terminal)
    tasks: dict[str, object] = {}

    def progress(phase: str, done: int, total: int | None) -> None:
        if phase not in tasks:
            tasks[phase] = bar.add_task(phase, total=total)
        bar.update(tasks[phase], completed=done, total=total)  # type: ignore[arg-type]

    try:
        try:
            check_store(where)
        except NoRawStoreError:
            if not force:
                raise
            s = build_from_store(where, force=True, csv_bom=csv_bom)
        else:
            _extract_stage(where, args)
            with bar:
                s, results = build_records(where, extractor_version(), force=force, csv_bom=csv_bom,
                                           progress=progress)
            if results.missing or results.damaged:
                print(f"  documents without a readable record: {results.missing + len(results.damaged)}"
                      " (published as unreadable)")
            for line in results.damaged:
                print(f"  {line}")
    except KeyboardInterrupt:
        print("build: interrupted; the previous release is unchanged", file=sys.stderr)
        return 130
    except (NoRawStoreError, EmptyReleaseError, CorruptStateError) as e:
        print(f"build: {e}", file=sys.stderr)
        return 2
    if s.inputs_unchanged:
        print(f"build: release unchanged: {s.reports} reports from {s.agencies} agencies ({s.documents_read} documents)"
              f" -> {where / 'release'} (unchanged): same records, raw store, extractor and build code as release "
              f"{s.release_id}, nothing read or written (--force rebuilds)")
        return 0
    state = "unchanged" if s.unchanged else f"release {s.release_id}"
    print(f"build: {s.reports} reports from {s.agencies} agencies ({s.documents_read} documents) -> "
          f"{where / 'release'} ({state})")
    print("  reports per year: " + ", ".join(f"{y or 'unknown'}: {n}" for y, n in s.per_year.items()))
    print("  report statuses: " + ", ".join(f"{k}: {v}" for k, v in s.statuses.items()))
    print(f"  documents read: {s.documents_read} (" + ", ".join(f"{k}: {v}" for k, v in s.documents.items())
          + ") — needs_ocr and unsupported_format are coverage gaps")
    print("  document roles: " + ", ".join(f"{k}: {v}" for k, v in s.roles.items()))
    print(f"  failed checks: {s.failed_checks}   copies that disagree: {s.copies_disagree}   "
          f"files written: {s.files_written}, unchanged: {s.files_unchanged}")
    return 0


class _Version(argparse.Action):
    """`--version`, read from the installed package only when asked."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kw: Any) -> None:
        from importlib.metadata import version

        print(f"gongkai {version('gongkai')}")
        parser.exit()


# Every command: name → (help, builder). A builder, "module:function" imported only when it runs,
# adds the command's full parser; a command that is not being run gets its name and help only
# (all that `gongkai --help` shows), so each command pays for its own arguments and imports.
COMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("extract the statistical tables of report files, or of the raw store", "cli.main:_extract_parser"),
    "ingest": ("add report files already on disk to the raw store", "cli.main:_ingest_parser"),
    "build": ("extract what is not yet extracted, then write the dataset from the records", "cli.main:_build_parser"),
    "query": ("SQL over the release (DuckDB views named like the tables), read-only", "cli.analysis:add_query"),
    "top": ("reports ranked by a metric, with a minimum-volume guard and their failed checks", "cli.analysis:add_top"),
    "inconsistent": ("reports whose tables do not add up, with the failing identity", "cli.analysis:add_inconsistent"),
    "serve": ("browse the release in a web browser (read-only, this machine only by default)", "cli.serve:add_parser"),
    "schema": ("list the canonical tables, rows, columns and identities", "cli.main:_schema_parser"),
    "crawl": ("collect reports from the registry, one source, or ad-hoc entry URLs", "cli.crawl:add_parser"),
    "demo": ("start the embedded sample portal on 127.0.0.1 and crawl it end to end, offline",
             "cli.crawl:add_demo_parser"),
}
ALL = "*"


def _extract_parser(sub: Any, help: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        "extract", help=help, description="Exit status: 0 when every input was read (even if its checks fail), "
                                          "1 when an input could not be read at all (missing, unreadable, too_complex "
                                          "or crashed).")
    p.add_argument("files", nargs="*", help="report files or folders (HTML, text, PDF, DOCX); none: every "
                   "stored document lacking a record at this extractor version, into DATA/records")
    p.add_argument("--json", action="store_true", help="one JSON object per line per document")
    p.add_argument("--data-dir", default=None, help="the raw store to extract when no files are named "
                   "(default: $GONGKAI_DATA_DIR, else data)")
    add_extract_flags(p)
    p.set_defaults(func=cmd_extract)
    return p


def _ingest_parser(sub: Any, help: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser("ingest", help=help)
    p.add_argument("paths", nargs="+", help="files or folders (HTML, text, PDF, Word)")
    p.add_argument("--data-dir", default=None, help=DATA_HELP)
    p.add_argument("--url", help="origin URL of a single file (default: its file:// path)")
    p.set_defaults(func=cmd_ingest)
    return p


def _build_parser(sub: Any, help: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser("build", help=help)
    p.add_argument("--data-dir", default=None, help=DATA_HELP)
    p.add_argument("--force", action="store_true",
                   help="build even with no raw store, or replace a release that has reports with an empty one")
    p.add_argument("--csv-bom", action="store_true", help="start the CSV copies with a UTF-8 BOM (for Excel)")
    add_extract_flags(p)
    p.set_defaults(func=cmd_build)
    return p


def add_extract_flags(p: argparse.ArgumentParser) -> None:
    """The extract stage's options, on every command that runs it (extract, build, demo)."""
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


def _schema_parser(sub: Any, help: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser("schema", help=help)
    p.add_argument("--table", choices=["active_disclosure", "applications", "review_litigation"])
    p.add_argument("--identities", action="store_true", help="also list every identity checked")
    p.set_defaults(func=cmd_schema)
    return p


def build_parser(command: str | None = ALL) -> argparse.ArgumentParser:
    """The parser with `command` in full (ALL: every command; None: names and help only)."""
    import importlib

    # --debug is accepted before or after the command; SUPPRESS keeps a subcommand's default from
    # overwriting a --debug given before it.
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show the traceback of an error")
    parser = argparse.ArgumentParser(prog="gongkai", description="政府信息公开工作年度报告 → validated datasets")
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    parser.add_argument("--debug", action="store_true", default=False, help="show the traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_with_parents(debug))
    for name, (help_text, builder) in COMMANDS.items():
        if command in (ALL, name):
            module, function = builder.split(":")
            getattr(importlib.import_module(module), function)(sub, help_text)
        else:
            sub.add_parser(name, help=help_text)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """The command a command line runs: its first word that names one."""
    return next((a for a in argv if a in COMMANDS), None)


def _with_parents(*parents: argparse.ArgumentParser) -> type[argparse.ArgumentParser]:
    class Sub(argparse.ArgumentParser):
        def __init__(self, *a: Any, **kw: Any) -> None:
            kw["parents"] = [*parents, *kw.get("parents", [])]
            super().__init__(*a, **kw)

    return Sub


def one_line(e: BaseException) -> str:
    """The message of an error in one line: DuckDB's carets and hints after a blank line dropped."""
    text = str(e).strip() or type(e).__name__
    first = text.split("\n\n")[0]
    return " ".join(line.strip() for line in first.splitlines() if line.strip())


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(_command_in(argv)).parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("gongkai: interrupted", file=sys.stderr)
        return 130
    except Exception as e:
        if args.debug:
            raise
        known = isinstance(e, OSError | ValueError | LookupError) or type(e).__module__.lstrip("_").startswith("duckdb")
        hint = "" if known else f" ({type(e).__name__}; --debug for the traceback)"
        print(f"gongkai: error: {one_line(e)}{hint}", file=sys.stderr)
        return 1


def run() -> None:
    """The console script: `gongkai … | head` ends quietly instead of with a BrokenPipeError, and
    Ctrl-C before a command starts is one line too."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        code = main()
    except KeyboardInterrupt:
        print("gongkai: interrupted", file=sys.stderr)
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    run()
