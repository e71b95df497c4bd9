"""The `crawl` subcommand (argparse, wired through gongkai.cli) and the source registry loader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from crawler.sites import RegistryError, load_sources
from demo.portal import big_site
from gongkai.store import RawStore


def test_seeded_registry_loads_and_matches_reference_list_pages() -> None:
    sources = load_sources()
    assert len(sources) == 13
    assert all(s.last_verified == "never" for s in sources)  # nothing was fetched from here
    assert all(s.host.endswith(".gov.cn") for s in sources)
    assert {"mva", "km-rsj", "nbjb-dept-directory"} <= {s.name for s in sources}


@pytest.mark.parametrize(("toml", "message"), [
    ('[[source]]\nname = "a"\n', "missing 'entry'"),
    ('[[source]]\nname = "a"\nentry = "ftp://x.gov.cn/"\n', r"http\(s\) URL"),
    ('[[source]]\nname = "a"\nentry = "http://x.gov.cn/"\nfamily = "wordpress"\n', "unknown family"),
    ('[[source]]\nname = "a"\nentry = "http://x.gov.cn/"\nlast_verified = "yesterday"\n', "ISO date"),
    ('[[source]]\nname = "a"\nentry = "http://x.gov.cn/"\n[[source]]\nname = "a"\nentry = "http://y.gov.cn/"\n',
     "duplicate"),
    ('[[source]]\nname = "a"\nentry = "http://x.gov.cn/"\nselectors = 1\n', "unknown keys"),
    ('[[source]]\nname = "a"\nentry = "http://x.gov.cn/"\n[source.overrides]\nselector = "ul"\n', "unknown overrides"),
])
def test_bad_registry_fails_fast(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(RegistryError, match=message):
        load_sources(path)


def test_dry_run_lists_registry_entries_without_fetching(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["crawl", "--data-dir", str(tmp_path), "--dry-run", "--source", "mva", "csrc"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert sorted(line.split("\t")[1] for line in out) == ["csrc", "mva"]
    assert all(line.startswith("list\t") for line in out)
    with RawStore(tmp_path) as store:
        assert store.state.count_frontier() == 0  # nothing written


def test_unknown_source_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["crawl", "--data-dir", str(tmp_path), "--source", "nope"]) == 2


def test_seed_crawl_with_allow_host_max_pages_then_resume(tmp_path: Path) -> None:
    spec = big_site("cli", reports=12, per_page=4)
    try:
        args = ["crawl", "--data-dir", str(tmp_path), "--seed", spec.entry, "--allow-host", "127.0.0.1",
                "--delay", "0.01", "--quiet"]
        assert main([*args, "--max-pages", "5"]) == 0
        with RawStore(tmp_path) as store:
            partial = len(list(store.iter_documents()))
            assert 0 < partial < 15
        assert len(spec.site.log) == 5  # robots.txt + 4 pages: the budget counts every request
        assert main(args) == 0
        with RawStore(tmp_path) as store:
            assert {d.url for d in store.iter_documents(kind="report")} == spec.reports
    finally:
        spec.stop()
    logs = list((tmp_path / "logs").glob("crawl-*.jsonl"))
    events = [json.loads(line) for f in logs for line in f.read_text(encoding="utf-8").splitlines()]
    assert {"run_started", "fetch", "run_finished"} <= {e["event"] for e in events}


def test_without_allow_host_local_seed_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = big_site("refused", reports=1, per_page=1)
    try:
        assert main(["crawl", "--data-dir", str(tmp_path), "--seed", spec.entry, "--delay", "0", "--quiet"]) == 0
    finally:
        spec.stop()
    assert spec.site.log == []  # 127.0.0.1 is neither .gov.cn nor registered: not contacted
    assert "not .gov.cn or registered" in " ".join(capsys.readouterr().err.split())


def test_a_second_crawl_on_the_same_store_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from crawler.lock import StoreLock

    spec = big_site("locked", reports=1, per_page=1)
    try:
        with StoreLock(tmp_path):  # as if another crawl were running
            rc = main(["crawl", "--data-dir", str(tmp_path), "--seed", spec.entry, "--allow-host", "127.0.0.1",
                       "--quiet"])
        assert rc == 1 and "is being crawled by pid" in " ".join(capsys.readouterr().err.split())
        assert spec.site.log == []
        assert main(["crawl", "--data-dir", str(tmp_path), "--seed", spec.entry, "--allow-host", "127.0.0.1",
                     "--delay", "0", "--quiet"]) == 0  # released: runs
    finally:
        spec.stop()
    assert len(spec.site.log) == 3


def test_probe_fetches_entry_pages_only_then_a_crawl_still_finds_everything(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = big_site("probe", reports=6, per_page=3)
    try:
        args = ["crawl", "--data-dir", str(tmp_path), "--seed", spec.entry, "--allow-host", "127.0.0.1",
                "--delay", "0", "--quiet"]
        assert main([*args, "--probe"]) == 0
        out = " ".join(capsys.readouterr().out.split())
        assert {r.path for r in spec.site.log} == {"/robots.txt", "/list/index.html"}
        assert "3 1 - never ok (last_verified" in out  # 3 report links, 1 next-page link, no listing declared
        assert main(args) == 0  # the entry page now answers 304; its links come from the stored copy
        with RawStore(tmp_path) as store:
            assert {d.url for d in store.iter_documents(kind="report")} == spec.reports
    finally:
        spec.stop()
