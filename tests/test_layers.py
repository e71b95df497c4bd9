"""The one-way import rule (style.md §6), checked on every module of ours with `ast`.

The house: a core every stage may use (`gongkai`: schema, model, normalize, decode, sniff, stores)
that imports no stage → the stages (`crawler`, `extract`, `dataset`) → the demo portal and its
report generators (`demo`) → the top layer (`cli`: the command line and the orchestration).
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ("gongkai",)
STAGES = ("crawler", "extract", "dataset")
OURS = (*CORE, *STAGES, "demo", "cli")

# (where, what it may import of ours). The first rule that matches a file applies, so the narrow
# rules come before the wide ones.
RULES: list[tuple[str, tuple[str, ...]]] = [
    ("gongkai/schema.py", ()),
    ("gongkai/store", ("gongkai.store", "gongkai.model")),
    ("gongkai", ("gongkai",)),
    ("crawler", ("crawler", "gongkai.store", "gongkai.model", "gongkai.decode", "gongkai.sniff",
                 "gongkai.classify", "gongkai.normalize")),
    ("extract", ("extract", "gongkai")),
    ("dataset", ("dataset", "gongkai")),
    ("demo", ("demo", "gongkai", "crawler.sites")),
    ("cli", OURS),
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out |= {f"{node.module}.{a.name}" for a in node.names}  # `from gongkai import schema`
    return {m for m in out if m.split(".")[0] in OURS}


def _under(mod: str, prefixes: tuple[str, ...]) -> bool:
    return any(mod == p or mod.startswith(p + ".") for p in prefixes)


def _rule(path: Path) -> tuple[str, ...] | None:
    rel = path.relative_to(ROOT).as_posix()
    for where, allowed in RULES:
        if rel == where or rel.startswith(where + "/"):
            return allowed
    return None


def _modules() -> list[Path]:
    return sorted(p for pkg in OURS for p in (ROOT / pkg).rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_import_rule(path: Path) -> None:
    allowed = _rule(path)
    assert allowed is not None, f"{path} is under no layer rule"
    bad = sorted(m for m in _imports(path) if not _under(m, allowed))
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_every_installed_package_has_a_layer() -> None:
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {p.rstrip("*") for p in conf["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert packages == set(OURS)


def test_core_imports_no_stage_even_lazily() -> None:
    """`gongkai` is importable without any stage: a function-level import counts too (ast.walk)."""
    for path in (ROOT / "gongkai").rglob("*.py"):
        assert not {m for m in _imports(path) if m.split(".")[0] != "gongkai"}, path
