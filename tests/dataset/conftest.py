from __future__ import annotations

from pathlib import Path

import pytest

from cli.pipeline import build_from_store, ingest
from tests.conftest import DOCS


@pytest.fixture(scope="session")
def corpus_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole corpus ingested and built once."""
    data = tmp_path_factory.mktemp("corpus-data")
    ingest(data, [DOCS])
    build_from_store(data)
    return data
