"""`python -m cli …` is the `gongkai` command (tests run it in subprocesses)."""

from cli.main import run

run()
