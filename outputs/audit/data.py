"""The auditor's report, its constants and dbt's results (``target/run_results.json``).

The findings, checks and raw-load tables are read with set-based SQL by
:mod:`outputs.audit.query`; the data files are written by :mod:`outputs.audit.export`; writing
the files is :mod:`outputs.audit.report`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ingest.text import nfc
from ingest.warehouse import connect_warehouse
from outputs.errors import AuditReportError
from outputs.run_history import latest_run

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
STATUSES: tuple[str, ...] = ("passed", "failed", "skipped")
# Columns of findings.json objects and of findings.csv, in order.
FINDING_FIELDS: tuple[str, ...] = (
    "finding_id",
    "rule_id",
    "rule_kind",
    "severity",
    "report_id",
    "unit_code",
    "period_key",
    "source_file",
    "line_start",
    "line_end",
    "source_lines",
    "indicators",
    "observed",
    "expected",
    "message",
    "message_vi",
    "value_places",
)


@dataclass(frozen=True)
class DbtTestResult:
    """One test node of dbt's ``run_results.json``."""

    unique_id: str
    status: str
    failures: int | None
    message: str


@dataclass(frozen=True)
class DbtResults:
    """What was found of dbt's ``run_results.json``."""

    path: Path | None
    found: bool
    generated_at: str | None = None
    tests: tuple[DbtTestResult, ...] = ()
    other_node_count: int = 0  # models, seeds ... listed in the file but not shown


def _test_order(test: DbtTestResult) -> tuple[int, str]:
    return ({"error": 0, "fail": 1, "warn": 2}.get(test.status, 3), test.unique_id)


def read_recorded_build(warehouse: Path) -> DbtResults | None:
    """The test nodes of the latest build recorded in the warehouse (``history``, see
    :mod:`outputs.run_history`); None when no build was recorded (or no warehouse file)."""
    if not warehouse.is_file():
        return None
    with connect_warehouse(warehouse, read_only=True) as con:
        run = latest_run(con, "build")
    if run is None:
        return None
    tests = [
        DbtTestResult(nfc(n.unique_id), n.status, n.failures, nfc(n.message))
        for n in run.nodes
        if n.resource_type in ("test", "unit_test")
    ]
    return DbtResults(
        path=warehouse,
        found=True,
        generated_at=run.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        tests=tuple(sorted(tests, key=_test_order)),
        other_node_count=len(run.nodes) - len(tests),
    )


def read_dbt_results(warehouse: Path, run_results: Path | None) -> DbtResults:
    """The results of the build the report describes: the latest build recorded in the warehouse,
    else (no build recorded) dbt's ``run_results.json``."""
    return read_recorded_build(warehouse) or read_run_results(run_results)


def read_run_results(path: Path | None) -> DbtResults:
    """The test nodes of dbt's ``run_results.json``; ``found=False`` when there is no file."""
    if path is None or not path.is_file():
        return DbtResults(path=path, found=False)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AuditReportError(f"cannot read dbt run results: {exc}", source_file=str(path)) from exc
    results = doc.get("results") if isinstance(doc, dict) else None
    if not isinstance(results, list):
        raise AuditReportError(
            "not a dbt run_results.json: expected an object with a 'results' list", source_file=str(path)
        )
    tests = []
    others = 0
    for item in results:
        unique_id = str(item.get("unique_id", "")) if isinstance(item, dict) else ""
        if not unique_id:
            raise AuditReportError("a result has no unique_id", source_file=str(path))
        if not unique_id.startswith(("test.", "unit_test.")):
            others += 1
            continue
        failures = item.get("failures")
        tests.append(
            DbtTestResult(
                unique_id=nfc(unique_id),
                status=nfc(str(item.get("status", ""))),
                failures=failures if isinstance(failures, int) else None,
                message=nfc(str(item.get("message") or "")),
            )
        )
    tests.sort(key=_test_order)
    metadata = doc.get("metadata")
    generated_at = metadata.get("generated_at") if isinstance(metadata, dict) else None
    return DbtResults(
        path=path,
        found=True,
        generated_at=str(generated_at) if generated_at is not None else None,
        tests=tuple(tests),
        other_node_count=others,
    )
