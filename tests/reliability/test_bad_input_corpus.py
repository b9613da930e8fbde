"""The bad-input corpus through the real CLI (`cchc ingest`): exit code, message, row accounting.

Every case starts from a warehouse that already holds a good report; after the case that report
is still there, untouched. A report that loads has every line of the file classified
(raw.line_classes rows = the file's line count); a report refused as a whole is quarantined as a
file covering all its lines.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from corpus import OTHER, SMALL_LIMIT, Case, all_cases, sample
from typer.testing import CliRunner

from cli.app import app
from ingest.input_file import count_lines, file_id_of

CASES = all_cases()
runner = CliRunner()


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


def _invoke(case: Case, folder: Path, warehouse: Path) -> tuple[int, str]:
    for name, data in case.files.items():
        (folder / name).write_bytes(data)
    args = ["ingest", *(str(folder / n) for n in case.files), "--warehouse", str(warehouse)]
    if case.manifest is not None:
        (folder / "manifest.yml").write_text(case.manifest, encoding="utf-8")
        args += ["--manifest", str(folder / "manifest.yml")]
    args += [str(folder / a) if a.endswith(".yml") else a for a in case.args]
    result = runner.invoke(app, args)
    if case.twice:
        result = runner.invoke(app, args)
    return result.exit_code, result.output


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> int:
    row = con.execute(sql, params).fetchone()
    assert row is not None
    return int(row[0])


def _check_accounting(case: Case, warehouse: Path) -> None:
    name, data = next(iter(case.files.items()))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        baseline = file_id_of(sample(OTHER))
        assert _one(con, "select count(*) from raw.reports where report_id = ?", [baseline]) == 1
        assert _one(
            con, "select count(*) from raw.line_classes where report_id = ?", [baseline]
        ) == count_lines(sample(OTHER))
        if case.loaded:
            report_id = file_id_of(data)
            assert _one(con, "select count(*) from raw.reports where report_id = ?", [report_id]) == 1
            classified = _one(con, "select count(*) from raw.line_classes where report_id = ?", [report_id])
            assert classified == count_lines(data)
        elif name.endswith(".txt") and case.exit_code == 1:
            line_end = _one(
                con,
                "select max(line_end) from raw.quarantine where source_file = ? and line_start = 1",
                [name],
            )
            assert line_end == max(count_lines(data), 1)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, tmp_path: Path, warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_MAX_REPORT_BYTES", str(SMALL_LIMIT))
    monkeypatch.setenv("COLUMNS", "2000")
    code, output = _invoke(case, tmp_path, warehouse)
    assert code == case.exit_code, output
    assert case.message in output, output
    assert "Traceback" not in output
    named = "manifest" if case.manifest is not None or case.args else next(iter(case.files))
    assert named in output, output
    if case.line is not None:
        assert f"{next(iter(case.files))}:{case.line}:" in output, output
    _check_accounting(case, warehouse)
