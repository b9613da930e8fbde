"""`cchc` as a person uses it: --version, readable help, short errors, output piped into `head`."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import VERBOSE_HINT, app

runner = CliRunner()
CCHC = Path(sys.executable).with_name("cchc")
COMMANDS = ("parse", "ingest", "build", "audit", "publish", "status")
# The largest sample: its `parse --json` output (about 80 kB) is more than a pipe holds.
LARGEST = "travinh-duyenhai-2023-q1.txt"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"cchc {version('cchc-warehouse')}"


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_has_no_typer_type_labels(command: str | None) -> None:
    args = [command, "--help"] if command else ["--help"]
    result = runner.invoke(app, args, env={"COLUMNS": "120", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    assert not re.search(r"<(bool|path|str|list\[Path\]|text|int)>", result.stdout, re.IGNORECASE), (
        result.stdout
    )
    assert "--help" in result.stdout


def test_help_shows_metavars() -> None:
    text = runner.invoke(app, ["ingest", "--help"], env={"COLUMNS": "120"}).stdout
    assert "PATHS..." in text and "--warehouse" in text and "FILE" in text and "NAME" in text
    audit = runner.invoke(app, ["audit", "--help"], env={"COLUMNS": "120"}).stdout
    assert "error|warning" in audit and "DIR" in audit


def _unknown_family(tmp_path: Path) -> Path:
    text = tmp_path / "notes.txt"
    text.write_text("Biên bản họp\nKhông có bảng số liệu nào ở đây.\n", encoding="utf-8")
    return text


def test_family_detection_error_is_two_short_lines(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(_unknown_family(tmp_path))])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("notes.txt: cannot tell the template family")
    assert "Expected markers" not in result.stderr
    assert lines[1] == VERBOSE_HINT
    assert all(len(line) < 250 for line in lines)


def test_verbose_prints_the_details(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--verbose", "parse", str(_unknown_family(tmp_path))])
    assert result.exit_code == 2
    assert "Expected markers: soctrang_2021" in result.stderr
    assert VERBOSE_HINT not in result.stderr
    assert "Traceback" not in result.output


def test_parse_json_into_head_ends_quietly(reports_dir: Path) -> None:
    """`cchc parse FILE --json | head -1`: one line read, then the pipe closed; exit 0, no traceback."""
    with subprocess.Popen(
        [str(CCHC), "parse", str(reports_dir / LARGEST), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()
        stderr = proc.stderr.read().decode("utf-8", "replace")
        code = proc.wait(timeout=120)
    assert first.startswith(b'{"line_start"')
    assert stderr == ""
    assert code == 0
