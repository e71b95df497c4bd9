"""The extractor's version: what records are filed under, and what a release says produced each report.

It is derived, not typed: a short name for people (bumped by hand for a change worth naming) plus a
digest of everything that decides what the extractor outputs for given bytes:
- the code of extract/ (less its scheduling: pool, cluster, limits) and of the core modules it runs
  on (gongkai/*.py: schema, normalize, decode, sniff, model), as syntax trees without docstrings, so a comment or a reformat changes nothing but
  any change of code or of a label in the schema does;
- the installed versions of the third-party packages that code imports (pdfplumber, selectolax,
  opencc, charset-normalizer, …), found from the imports themselves, so adding a reader library
  needs no list kept by hand.
So a code change can never be served records of the old code: its records sit under another version
and the extract stage re-extracts every document for it. The cost is that any real code change
re-extracts everything; a hand-kept number would instead go stale the first time someone forgets it.

Not covered: external programs (LibreOffice, for DOC/WPS) and the Python version.
"""

from __future__ import annotations

import ast
import hashlib
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

NAME = "0.2"  # for people; the digest decides
_ROOT = Path(__file__).resolve().parents[1]
_OURS = ("extract", "gongkai", "dataset", "crawler", "demo", "cli")


# How documents are scheduled (pools, clusters, limits), not what is extracted from them: tuning the
# pool must not re-extract a national store.
SCHEDULING = ("extract/pool.py", "extract/cluster.py", "extract/limits.py")


def _sources(root: Path) -> list[Path]:
    core = sorted((root / "gongkai").glob("*.py"))  # gongkai/store/ is not read by the extractor
    ours = sorted(p for p in (root / "extract").rglob("*.py") if p.relative_to(root).as_posix() not in SCHEDULING)
    return ours + core


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(
                    body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return tree


def _third_party(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in _OURS}


@cache
def extractor_version() -> str:
    """This code's extractor version, e.g. `0.2-4138460ca24b` (computed once per process, ~0.4 s)."""
    return f"{NAME}-{code_digest(_ROOT)}"


def code_digest(root: Path) -> str:
    """12 hex digits of SHA-256 over the extractor's code under `root` and its libraries' versions."""
    digest = hashlib.sha256()
    modules: set[str] = set()
    for path in _sources(root):
        tree = ast.parse(path.read_bytes(), filename=str(path))
        modules |= _third_party(tree)
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(ast.dump(_strip_docstrings(tree)).encode() + b"\0")
    dists = metadata.packages_distributions()
    for module in sorted(modules):
        for dist in sorted(dists.get(module, [module])):
            try:
                digest.update(f"{dist}=={metadata.version(dist)}\0".encode())
            except metadata.PackageNotFoundError:
                digest.update(f"{dist} absent\0".encode())
    return digest.hexdigest()[:12]
