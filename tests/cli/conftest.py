from __future__ import annotations

from pathlib import Path

import pytest

from tests.release import build_small_release


@pytest.fixture(scope="session")
def small_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_release(tmp_path_factory.mktemp("small-release"))
