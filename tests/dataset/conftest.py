from __future__ import annotations

import random
from pathlib import Path

import pytest

from cli.pipeline import build_from_store, ingest
from dataset.tables import Provenance
from demo import synth
from extract.document import extract_document
from gongkai.model import ExtractResult
from tests.conftest import DOCS


@pytest.fixture(scope="session")
def corpus_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole corpus ingested and built once."""
    data = tmp_path_factory.mktemp("corpus-data")
    ingest(data, [DOCS])
    build_from_store(data)
    return data


def synth_result(agency: str | None, year: int, seed: int = 1, **changes: int) -> ExtractResult:
    """A v2021 report rendered as HTML and extracted, with values changed by key ("row.col": delta)."""
    rep = synth.make_report(random.Random(seed), agency=agency or "某县人民政府", year=year, version="v2021")
    for key, delta in changes.items():
        row, col = key.split(".")
        rep.values[("applications", "", row, col)] += delta
    r = extract_document(synth.render_html(rep).encode(), f"{agency}{year}.html")
    if agency is None:
        r.agency = None
    return r


def item(r: ExtractResult, url: str, fetched_at: str = "2025-01-20T00:00:00+00:00") -> tuple[ExtractResult, Provenance]:
    return r, Provenance(url, fetched_at, r.sha256)
