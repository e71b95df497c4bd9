"""The one-way import rule (style.md §6), checked on the source with `ast`.

- the schema registry imports nothing of ours;
- extract never imports the crawler, the build step or the CLI;
- the crawler imports only gongkai.store, gongkai.model and the shared byte readers (decode, sniff); the demo portal (crawler/demo_*.py)
  may also use the report generators (gongkai.synth, synth_office) whose pages it serves;
- gongkai.store imports only gongkai.model and itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = ("gongkai", "crawler", "extract", "dataset")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out |= {f"{node.module}.{a.name}" for a in node.names}  # `from gongkai import schema`
    return {m for m in out if m.split(".")[0] in OURS}


def _files(where: str) -> list[Path]:
    target = ROOT / where
    return [target] if target.is_file() else sorted(target.rglob("*.py"))


def _under(mod: str, prefixes: tuple[str, ...]) -> bool:
    return any(mod == p or mod.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize(("where", "allowed"), [
    ("gongkai/schema.py", ()),
    ("gongkai/store", ("gongkai.store", "gongkai.model")),
    ("crawler", ("crawler", "gongkai.store", "gongkai.model", "gongkai.decode", "gongkai.sniff")),
    ("extract", ("extract", "gongkai.schema", "gongkai.model", "gongkai.normalize", "gongkai.decode", "gongkai.sniff")),
    ("dataset", ("dataset", "gongkai.schema", "gongkai.model", "gongkai.normalize")),
])
def test_import_rule(where: str, allowed: tuple[str, ...]) -> None:
    bad = []
    for f in _files(where):
        extra = ("gongkai.synth", "gongkai.synth_office") if f.name.startswith("demo_") else ()
        bad += [f"{f.relative_to(ROOT)} imports {m}" for m in _imports(f) if not _under(m, allowed + extra)]
    assert not bad, bad
