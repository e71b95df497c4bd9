"""The CLI in pipes and terminals: formats, limits, markup-looking values, errors, exit codes.

Each command runs as a real process (`python -m cli`), so stdout is a real pipe or a real pseudo-
terminal, and exit codes and stderr are what a shell sees.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT


def gongkai(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
            check: bool = False) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "GONGKAI_DATA_DIR"} | (env or {})
    p = subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=full_env,
                       cwd=cwd or ROOT, timeout=120)
    if check:
        assert p.returncode == 0, p.stderr
    return p


def on_terminal(*args: str, env: dict[str, str]) -> str:
    """Run with stdout on a pseudo-terminal 100 columns wide; returns what the terminal received."""
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    full_env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")} | env
    p = subprocess.Popen([sys.executable, "-m", "cli", *args], stdout=slave, stderr=subprocess.PIPE,
                         env=full_env, cwd=ROOT)
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif p.poll() is not None:
            break
    p.wait(60)
    os.close(master)
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;]*m", "", text)  # colours off: the test reads the text


def data_env(release: Path) -> dict[str, str]:
    return {"GONGKAI_DATA_DIR": str(release)}


def test_pipe_gets_csv_with_every_value_whole(small_release: Path) -> None:
    p = gongkai("query", "SELECT agency_name, source_url, year FROM reports ORDER BY agency_name, year",
                env=data_env(small_release), check=True)
    rows = list(csv.reader(io.StringIO(p.stdout)))
    assert rows[0] == ["agency_name", "source_url", "year"]
    assert len(rows) == 16
    assert {r[0] for r in rows[1:]} >= {"江苏省淮安市人民政府", "杭州市西湖区财政局"}  # never cut
    assert all(r[1].startswith("http://www.example.gov.cn/") for r in rows[1:])
    assert "…" not in p.stdout


def test_terminal_gets_a_table_and_wide_results_record_by_record(small_release: Path) -> None:
    out = on_terminal("query", "SELECT agency_name, year FROM reports ORDER BY 1, 2 LIMIT 2", env=data_env(small_release))
    assert "┃ agency_name" in out and "│ 南京市教育局 │ 2022 │" in out
    wide = on_terminal("query", "SELECT * FROM reports ORDER BY report_id LIMIT 2", env=data_env(small_release))
    assert "-[ record 2 ]" in wide
    assert "source_url" in wide and "http://www.example.gov.cn/" in wide and "…" not in wide


def test_terminal_table_has_a_default_limit_and_says_so(small_release: Path) -> None:
    p = subprocess.run([sys.executable, "-c", "import sys; from cli.output import write; "
                        "sys.stdout.isatty = lambda: True; "
                        "write(['n'], [(i,) for i in range(250)])"], capture_output=True, text=True, cwd=ROOT)
    assert p.stdout.count("│") == 200  # 100 rows, two borders each
    assert "first 100 rows" in p.stderr


def test_markup_and_emoji_codes_are_printed_as_typed(small_release: Path) -> None:
    sql = "SELECT '[red]x[/red]' AS a, '[/]' AS b, 'root:x:0' AS c, '[bold]' AS d"
    for fmt in ("table", "csv", "json"):
        p = gongkai("query", "--format", fmt, sql, env=data_env(small_release), check=True)
        for value in ("[red]x[/red]", "[/]", "root:x:0", "[bold]"):
            assert value in p.stdout, (fmt, p.stdout)
        assert "❌" not in p.stdout


def test_json_is_one_array_and_jsonl_one_object_per_line(small_release: Path) -> None:
    env = data_env(small_release)
    sql = "SELECT agency_name, year, published, failed_checks FROM reports ORDER BY report_id"
    array = json.loads(gongkai("query", "--format", "json", sql, env=env, check=True).stdout)
    assert isinstance(array, list) and len(array) == 15
    assert set(array[0]) == {"agency_name", "year", "published", "failed_checks"}
    assert array[0]["published"].count("-") == 2  # dates as ISO text
    lines = gongkai("query", "--format", "jsonl", sql, env=env, check=True).stdout.splitlines()
    assert [json.loads(line) for line in lines] == array
    assert json.loads(gongkai("query", "--format", "json", "SELECT 1 AS x WHERE false", env=env).stdout) == []


def test_empty_result_still_prints_its_header(small_release: Path) -> None:
    p = gongkai("query", "SELECT agency_name, year FROM reports WHERE false", env=data_env(small_release), check=True)
    assert p.stdout == "agency_name,year\n"


def test_tsv_limit_and_bom(small_release: Path) -> None:
    env = data_env(small_release)
    p = gongkai("query", "--format", "tsv", "--limit", "3", "SELECT agency_name, year FROM reports", env=env, check=True)
    assert p.stdout.splitlines()[0] == "agency_name\tyear" and len(p.stdout.splitlines()) == 4
    assert "first 3 rows" in p.stderr
    bom = gongkai("query", "--csv-bom", "SELECT 1 AS x", env=env, check=True)
    assert bom.stdout.startswith("\ufeffx\n")
    assert not gongkai("query", "SELECT 1 AS x", env=env, check=True).stdout.startswith("\ufeff")


@pytest.mark.parametrize(("sql", "message"), [
    ("SELEC 1", "syntax error"),
    ("SELECT * FROM no_such_table", "no_such_table does not exist"),
    ("", "empty query"),
    ("   ;  ", "empty query"),
])
def test_errors_are_one_line_and_exit_1(small_release: Path, sql: str, message: str) -> None:
    p = gongkai("query", sql, env=data_env(small_release))
    assert p.returncode == 1
    assert p.stdout == ""
    assert len(p.stderr.strip().splitlines()) == 1, p.stderr
    assert p.stderr.startswith("gongkai: error:") and message in p.stderr
    assert "Traceback" not in p.stderr


def test_debug_shows_the_traceback(small_release: Path) -> None:
    for args in (["--debug", "query", "SELEC 1"], ["query", "--debug", "SELEC 1"]):
        p = gongkai(*args, env=data_env(small_release))
        assert p.returncode == 1 and "Traceback" in p.stderr


def test_missing_release_is_one_line(tmp_path: Path) -> None:
    p = gongkai("top", "--metric", "new_requests", "--data-dir", str(tmp_path))
    assert p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1
    assert "no release" in p.stderr and "gongkai build" in p.stderr


def test_version() -> None:
    p = gongkai("--version", check=True)
    assert p.stdout.startswith("gongkai ") and p.stdout.split()[1][0].isdigit()


def test_ctrl_c_is_one_line_and_exit_130(small_release: Path) -> None:
    p = subprocess.Popen([sys.executable, "-m", "cli", "query",
                          "SELECT count(*) FROM range(100000000000) t(x) WHERE x % 7 = 3"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                         env=os.environ | data_env(small_release),
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    # The signal must come once the command runs (Ctrl-C during the interpreter's own start-up is
    # Python's business): DuckDB's worker threads show that it does.
    deadline = time.monotonic() + 60
    while len(os.listdir(f"/proc/{p.pid}/task")) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    _out, err = p.communicate(timeout=60)
    assert p.returncode == 130
    assert err.strip() == "gongkai: interrupted"


def test_data_dir_from_the_environment_for_every_reading_command(small_release: Path) -> None:
    env = data_env(small_release)
    assert gongkai("query", "SELECT count(*) AS n FROM reports", env=env, check=True).stdout == "n\n15\n"
    assert "南京市教育局" in gongkai("top", "--metric", "new_requests", env=env, check=True).stdout
    assert "淮安市洪泽区教育局" in gongkai("inconsistent", env=env, check=True).stdout


def test_after_make_demo_the_demo_release_is_found_and_named(small_release: Path, tmp_path: Path) -> None:
    """`make demo` writes data/demo: with no data/release, reading commands use it and say so."""
    import shutil

    shutil.copytree(small_release / "release", tmp_path / "data" / "demo" / "release")
    p = gongkai("query", "SELECT count(*) AS n FROM reports", cwd=tmp_path, check=True)
    assert p.stdout == "n\n15\n"
    assert "data/demo" in p.stderr
    shutil.copytree(small_release / "release", tmp_path / "data" / "release")
    p = gongkai("query", "SELECT count(*) AS n FROM reports", cwd=tmp_path, check=True)
    assert p.stderr == ""  # a real release wins, silently
