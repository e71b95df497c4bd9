"""The Dask engine on a real LocalCluster (worker processes): the same records and a byte-identical
release as the local engine, runaway documents stopped on the workers too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dask
import pytest
from distributed import LocalCluster

from cli.main import main
from cli.pipeline import build_records, ingest
from extract.cluster import DAEMON_HELP
from extract.run import extract_store
from tests.conftest import DOCS
from tests.records.test_pool import HOOK, LIMITS, add_runaways

DOCUMENTS = [DOCS / n for n in ("seed_yizhou_zhujianju_2024.txt", "html_2019_fujian_pingtan_gov.html",
                                "html_2021_fujian_pingtan_gov.html", "html_2023_fujian_pingtan_gov.html",
                                "html_2024_fujian_pingtan_gov.html", "html_2015_fujian_pingtan_gov.html",
                                "negative_html_2014_fujian_pingtan_letter_not_annual_report.html",
                                "pdf_2024_jiangsu_huaian_hongzequ_gov.pdf",
                                "docx_template_2021_blank_gongkai_nianbao_moban.docx")]

LOOPBACK = {"host": "127.0.0.1", "dashboard_address": "127.0.0.1:0"}


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with dask.config.set({"distributed.worker.daemon": False}):  # read as the workers start
        c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, **LOOPBACK)
    with c:
        yield c


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_dask_and_local_engines_give_the_same_records_and_a_byte_identical_release(
        tmp_path: Path, cluster: LocalCluster) -> None:
    local, distributed = tmp_path / "local", tmp_path / "dask"
    for data in (local, distributed):
        ingest(data, DOCUMENTS)
        add_runaways(data)
    a = extract_store(local, version="T", workers=2, limits=LIMITS, worker_setup=HOOK)
    b = extract_store(distributed, version="T", engine="dask", scheduler=cluster.scheduler_address,
                      batch_size=3, limits=LIMITS, worker_setup=HOOK)
    assert (b.documents, b.extracted, b.up_to_date) == (a.documents, a.extracted, 0) == (12, 12, 0)
    assert b.statuses == a.statuses and b.statuses["too_complex"] == 2 and b.statuses["crashed"] == 1
    assert sorted(b.stopped) == sorted(a.stopped)
    assert _files(local / "records") == _files(distributed / "records")
    build_records(local, "T")
    build_records(distributed, "T")
    release = _files(local / "release")
    assert {n for n in release if n.endswith(".parquet")} >= {"reports.parquet", "applications/2024.parquet"}
    assert _files(distributed / "release") == release
    assert _files(distributed / "parquet") == _files(local / "parquet")


def test_the_command_line_runs_the_dask_engine(tmp_path: Path, cluster: LocalCluster,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    ingest(tmp_path, DOCUMENTS[:3])
    assert main(["build", "--data-dir", str(tmp_path), "--engine", "dask", "--scheduler",
                 cluster.scheduler_address, "--batch-size", "2"]) == 0
    out = capsys.readouterr().out
    assert "3 documents, 0 up to date, 3 extracted" in out and "build: " in out
    assert main(["extract", "--data-dir", str(tmp_path), "--engine", "dask", "--scheduler",
                 cluster.scheduler_address]) == 0  # up to date: nothing sent to the cluster
    assert "3 documents, 3 up to date, 0 extracted" in capsys.readouterr().out


def test_daemon_workers_are_refused_with_the_fix(tmp_path: Path) -> None:
    ingest(tmp_path, DOCUMENTS[:1])
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, **LOOPBACK) as c, \
            pytest.raises(RuntimeError, match="DASK_DISTRIBUTED__WORKER__DAEMON=False") as e:
        extract_store(tmp_path, version="T", engine="dask", scheduler=c.scheduler_address)
    assert DAEMON_HELP in str(e.value)


def test_without_a_scheduler_a_local_cluster_is_started(tmp_path: Path) -> None:
    ingest(tmp_path, DOCUMENTS[:2])
    s = extract_store(tmp_path, version="T", engine="dask", workers=1)
    assert (s.documents, s.extracted) == (2, 2) and set(s.statuses) <= {"extracted", "extracted_with_issues"}
