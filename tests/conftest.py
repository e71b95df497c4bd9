from __future__ import annotations

import csv
import os
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
DOCS = CORPUS / "docs"

# Deterministic in CI: fixed examples, no deadline (machines are noisy).
settings.register_profile("ci", derandomize=True, max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")


def load_manifest() -> list[dict[str, str]]:
    with (CORPUS / "manifest.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_truth() -> dict[str, dict[tuple[str, str, str, str], tuple[Decimal | None, str]]]:
    truth: dict[str, dict[tuple[str, str, str, str], tuple[Decimal | None, str]]] = defaultdict(dict)
    with (CORPUS / "truth.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = (r["table"], r["block"], r["row_key"], r["col_key"])
            truth[r["file"]][key] = (Decimal(r["value"]) if r["value"] != "" else None, r["notes"])
    return truth


@pytest.fixture(scope="session")
def truth() -> dict[str, dict[tuple[str, str, str, str], tuple[Decimal | None, str]]]:
    return load_truth()
