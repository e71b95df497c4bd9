"""Import rule: crawler may import gongkai.store and gongkai.model (never extract/ or dataset/);
gongkai.store imports only gongkai.model and itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def _ours(mod: str) -> bool:
    return mod.split(".")[0] in ("gongkai", "crawler", "extract", "dataset")


@pytest.mark.parametrize(("package", "allowed"), [
    ("crawler", ("crawler", "gongkai.store", "gongkai.model")),
    ("gongkai/store", ("gongkai.store", "gongkai.model")),
])
def test_import_rule(package: str, allowed: tuple[str, ...]) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files
    bad = {(str(f.relative_to(ROOT)), m) for f in files for m in _imports(f)
           if _ours(m) and not any(m == a or m.startswith(a + ".") for a in allowed)}
    assert bad == set()
