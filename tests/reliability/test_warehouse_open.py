"""connect_warehouse: a lock held by another process and a damaged file are one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cli.app import app
from ingest.errors import WarehouseCorruptError, WarehouseLockedError
from ingest.hand_entered import unclosed_quote_line
from ingest.input_file import MAX_REPORT_BYTES, oversize_message
from ingest.warehouse import connect_warehouse, describe_command
from outputs.publish import stale_temp_files

HOLDER = "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('held', flush=True); sys.stdin.read()"


@pytest.fixture()
def locked(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "cchc.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    yield path
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait()


def test_lock_names_the_holder(locked: Path) -> None:
    with pytest.raises(WarehouseLockedError) as info:
        connect_warehouse(locked, read_only=True)
    assert "in use by python -c" in str(info.value)
    assert str(locked) in str(info.value)


def test_status_waits_then_exits_2_with_one_line(locked: Path) -> None:
    result = CliRunner().invoke(app, ["status", "--warehouse", str(locked), "--wait", "0.5"])
    assert result.exit_code == 2
    assert "in use by python" in result.output
    assert "Traceback" not in result.output


def test_wait_returns_once_the_lock_is_gone(tmp_path: Path) -> None:
    path = tmp_path / "cchc.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    assert proc.stdin is not None
    proc.stdin.close()  # the holder exits while we wait
    con = connect_warehouse(path, read_only=True, wait_seconds=600)
    con.close()
    proc.wait()


def test_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "cchc.duckdb"
    path.write_bytes(b"this is not a database" * 300)
    with pytest.raises(WarehouseCorruptError, match="not a DuckDB warehouse"):
        connect_warehouse(path)
    result = CliRunner().invoke(app, ["status", "--warehouse", str(path)])
    assert result.exit_code == 2
    assert "not a DuckDB warehouse" in result.output


def test_describe_command() -> None:
    assert (
        describe_command(["/x/.venv/bin/python", "/x/.venv/bin/dbt", "build", "--target-path", "t"])
        == "dbt build"
    )
    assert describe_command(["/x/.venv/bin/python3", "/x/.venv/bin/cchc", "build"]) == "cchc build"
    assert describe_command(["python3.11", "script.py", "a", "b"]) == "python script.py a"


def test_oversize_message() -> None:
    assert oversize_message(MAX_REPORT_BYTES, MAX_REPORT_BYTES) is None
    message = oversize_message(MAX_REPORT_BYTES + 1, MAX_REPORT_BYTES)
    assert message is not None and f"{MAX_REPORT_BYTES + 1:,} bytes" in message


def test_stale_temp_files_are_those_of_dead_writers(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)
    mine = tmp_path / f".cchc_marts.duckdb.{os.getpid()}-0123456789ab.duckdb.tmp"
    gone = tmp_path / f".cchc_marts.duckdb.{dead_pid}-0123456789ab.duckdb.tmp"
    gone_wal = tmp_path / f".cchc_marts.duckdb.{dead_pid}-0123456789ab.duckdb.tmp.wal"
    old_style = tmp_path / ".x.parquet.0123456789ab.parquet.tmp"
    other = tmp_path / "cchc_marts.duckdb"
    for p in (mine, gone, gone_wal, old_style, other):
        p.write_bytes(b"")
    assert stale_temp_files(tmp_path) == sorted([gone, gone_wal, old_style])
    duckdb.connect(":memory:").close()


def test_unclosed_quote_line() -> None:
    assert unclosed_quote_line(['a,"b, c",d'], 2) is None
    assert unclosed_quote_line(['a,"b ""x"" c",d'], 2) is None
    assert unclosed_quote_line(['a,"b, c,d', "e,f", 'g,"h"'], 4) == 4
    assert unclosed_quote_line(["a,b", 'c,"d', "e"], 1) == 2
