"""Every CLI subcommand has help and is named in the README."""

from __future__ import annotations

import argparse

from cli.main import build_parser
from tests.conftest import ROOT


def test_every_command_is_documented() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    helps = {c.dest: c.help for c in sub._choices_actions}
    for name in sub.choices:
        assert helps.get(name), f"{name} has no help"
        assert f"gongkai {name}" in readme, f"`gongkai {name}` is not in the README"
