"""The one-way import rule (style.md §6): schema imports nothing of ours; extract never imports
the crawler or the build step; the crawler never imports extract or the build step."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "gongkai/schema.py": {"gongkai", "extract", "crawler", "dataset"},
    "extract": {"crawler", "dataset", "gongkai.cli", "gongkai.store"},
    "crawler": {"extract", "dataset", "gongkai.schema"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def test_import_rule() -> None:
    bad = []
    for where, banned in FORBIDDEN.items():
        target = ROOT / where
        files = [target] if target.is_file() else sorted(target.rglob("*.py"))
        for f in files:
            for mod in _imports(f):
                if any(mod == b or mod.startswith(b + ".") for b in banned):
                    bad.append(f"{f.relative_to(ROOT)} imports {mod}")
    assert not bad, bad
