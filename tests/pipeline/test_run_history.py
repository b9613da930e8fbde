"""Build history: each build's dbt results appended to the warehouse (``history`` schema).

The synthetic run_results.json files check the recording rules (append-only, idempotent per
invocation, latest build chosen); the real test runs a second `dbt build` and then a narrow
`dbt test` on a copy of the session's sample build, as a data team would.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dbt_project_runner import SamplesBuild, run_dbt

from outputs.audit.data import read_dbt_results
from outputs.run_history import NODES_TABLE, RUNS_TABLE, RunHistoryError, latest_run, record_run
from pipeline.build import OutputPaths, build_and_record


def _run_results(
    invocation: str, generated: str, which: str, results: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "metadata": {
            "dbt_version": "1.11.16",
            "generated_at": generated,
            "invocation_id": invocation,
            "invocation_started_at": generated,
        },
        "results": results,
        "elapsed_time": 1.5,
        "args": {"which": which, "select": []},
    }


def _node(unique_id: str, status: str, failures: int | None = None) -> dict[str, Any]:
    return {
        "unique_id": unique_id,
        "status": status,
        "failures": failures,
        "message": f"{status} message",
        "execution_time": 0.25,
        "timing": [
            {"name": "compile", "started_at": "2026-01-01T00:00:00Z", "completed_at": "2026-01-01T00:00:01Z"},
            {"name": "execute", "started_at": "2026-01-01T00:00:01Z", "completed_at": "2026-01-01T00:00:02Z"},
        ],
    }


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _count(warehouse: Path, table: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(f"select count(*) from {table}").fetchone()
    return int(row[0]) if row else -1


def test_runs_are_appended_once_per_invocation(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    first = _write(
        tmp_path / "a.json",
        _run_results(
            "inv-a",
            "2026-01-01T00:00:05Z",
            "build",
            [_node("model.cchc.m", "success"), _node("test.cchc.t", "warn", 2)],
        ),
    )
    second = _write(
        tmp_path / "b.json",
        _run_results("inv-b", "2026-01-02T00:00:05Z", "build", [_node("test.cchc.t", "pass", 0)]),
    )
    assert record_run(warehouse, first)[1] is True
    assert record_run(warehouse, first)[1] is False  # the same invocation again: nothing added
    assert record_run(warehouse, second)[1] is True
    assert _count(warehouse, RUNS_TABLE) == 2
    assert _count(warehouse, NODES_TABLE) == 3
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(
            f"select resource_type, status, failures, execution_seconds, started_at::varchar "
            f"from {NODES_TABLE} where invocation_id = 'inv-a' and unique_id = 'test.cchc.t'"
        ).fetchone()
        run = con.execute(
            f"select command, dbt_version, status_counts, args->>'which' from {RUNS_TABLE} "
            "where invocation_id = 'inv-a'"
        ).fetchone()
    assert row == ("test", "warn", 2, 0.25, "2026-01-01 00:00:01")
    assert run == ("build", "1.11.16", '{"success": 1, "warn": 1}', "build")


def test_latest_run_is_the_latest_build_not_a_later_test_command(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    build_doc = _run_results("inv-build", "2026-01-01T00:00:00Z", "build", [_node("test.cchc.t", "warn", 1)])
    test_doc = _run_results("inv-test", "2026-01-03T00:00:00Z", "test", [_node("test.cchc.u", "pass", 0)])
    record_run(warehouse, _write(tmp_path / "build.json", build_doc))
    record_run(warehouse, _write(tmp_path / "test.json", test_doc))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        run = latest_run(con, "build")
    assert run is not None
    assert run.invocation_id == "inv-build"
    assert [n.unique_id for n in run.nodes] == ["test.cchc.t"]


def test_a_file_that_is_not_run_results_is_refused(tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.json", {"results": []})
    with pytest.raises(RunHistoryError, match=r"not a dbt run_results\.json"):
        record_run(tmp_path / "w.duckdb", bad)
    assert not (tmp_path / "w.duckdb").exists()


def test_two_builds_are_kept_and_a_later_dbt_test_does_not_change_the_audit(
    samples_build: SamplesBuild, tmp_path: Path
) -> None:
    warehouse = tmp_path / "cchc.duckdb"
    shutil.copyfile(samples_build.warehouse, warehouse)
    outputs = OutputPaths(target=tmp_path / "target")
    first = samples_build.result.dbt_run
    assert first is not None and first.command == "build"

    ok, second = build_and_record(warehouse, outputs)
    assert ok and second is not None
    assert second.invocation_id != first.invocation_id
    with duckdb.connect(str(warehouse), read_only=True) as con:
        kept = con.execute(f"select invocation_id from {RUNS_TABLE} order by generated_at").fetchall()
    assert kept == [(first.invocation_id,), (second.invocation_id,)]
    build_tests = [n for n in second.nodes if n.resource_type in ("test", "unit_test")]
    assert len(build_tests) > 100

    narrow = run_dbt(["test", "--select", "dim_period"], warehouse, outputs.target)
    assert narrow.returncode == 0
    assert 0 < len(json.loads(outputs.run_results.read_text(encoding="utf-8"))["results"]) < 20

    shown = read_dbt_results(warehouse, outputs.run_results)
    assert len(shown.tests) == len(build_tests)
    assert shown.generated_at == second.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert {t.status for t in shown.tests} == {n.status for n in build_tests}
