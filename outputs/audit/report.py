"""The auditor's report: ``target/audit/`` (index.html, findings.json, findings.csv).

Reads the audit data (:mod:`outputs.audit.data`), renders the page (:mod:`outputs.audit.html`)
and writes the three files, each atomically. The CLI (``cchc audit [--fail-on error|warning]``)
is a thin face over :func:`write_audit_report` and :func:`exit_code_for`.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from outputs.audit.data import FINDING_FIELDS, SEVERITIES, STATUSES, AuditData, Finding, read_audit_data
from outputs.audit.html import render_audit_html
from outputs.errors import AuditReportError
from outputs.files import write_csv_atomically, write_text_atomically

FAIL_ON_CHOICES: tuple[str, ...] = ("error", "warning")
EXIT_OK = 0
EXIT_FINDINGS = 1  # --fail-on matched findings of that severity (or worse)

INDEX_HTML = "index.html"
FINDINGS_JSON = "findings.json"
FINDINGS_CSV = "findings.csv"


@dataclass(frozen=True)
class AuditSummary:
    """What :func:`write_audit_report` wrote; enough for the CLI's message and exit code."""

    out_dir: Path
    index_html: Path
    findings_json: Path
    findings_csv: Path
    report_count: int
    findings_by_severity: dict[str, int] = field(default_factory=dict)
    evaluations_by_status: dict[str, int] = field(default_factory=dict)
    validation_failures: int = 0
    dbt_tests_by_status: dict[str, int] = field(default_factory=dict)

    @property
    def finding_count(self) -> int:
        return sum(self.findings_by_severity.values())


# --------------------------------------------------------------------------- writing


def findings_as_json(findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    return [f.to_json() for f in findings]


def write_findings_json(findings: tuple[Finding, ...], path: Path) -> None:
    text = json.dumps(findings_as_json(findings), ensure_ascii=False, indent=2)
    write_text_atomically(path, text + "\n")


def _csv_cell(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key == "source_lines":
        return ";".join(str(n) for n in value)
    if key == "indicators":
        return ",".join(value)
    if key == "observed":
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_findings_csv(findings: tuple[Finding, ...], path: Path) -> None:
    """One row per finding; UTF-8 with BOM so that Excel shows Vietnamese text correctly.

    Cells that a spreadsheet would run as a formula are escaped (:func:`outputs.files.csv_safe`).
    """
    rows = ([_csv_cell(k, obj[k]) for k in FINDING_FIELDS] for obj in findings_as_json(findings))
    write_csv_atomically(path, FINDING_FIELDS, rows, encoding="utf-8-sig")


def summarize(data: AuditData, out_dir: Path) -> AuditSummary:
    severities = Counter(f.severity for f in data.findings)
    statuses = Counter(e.status for e in data.evaluations)
    dbt_statuses = Counter(t.status for t in data.dbt.tests)
    return AuditSummary(
        out_dir=out_dir,
        index_html=out_dir / INDEX_HTML,
        findings_json=out_dir / FINDINGS_JSON,
        findings_csv=out_dir / FINDINGS_CSV,
        report_count=len(data.reports),
        findings_by_severity={s: severities.get(s, 0) for s in SEVERITIES},
        evaluations_by_status={s: statuses.get(s, 0) for s in STATUSES},
        validation_failures=sum(1 for v in data.validations if not v.success),
        dbt_tests_by_status=dict(sorted(dbt_statuses.items())),
    )


def write_audit_report(warehouse: Path, out_dir: Path, run_results: Path | None) -> AuditSummary:
    """Write index.html, findings.json and findings.csv into ``out_dir``.

    ``run_results`` is dbt's ``target/run_results.json``; a path that does not exist
    is reported on the page as "no dbt results", not as an error.
    """
    data = read_audit_data(warehouse, run_results)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AuditReportError(
            f"cannot create the output directory: {exc}", source_file=str(out_dir)
        ) from exc
    summary = summarize(data, out_dir)
    write_findings_json(data.findings, summary.findings_json)
    write_findings_csv(data.findings, summary.findings_csv)
    write_text_atomically(summary.index_html, render_audit_html(data))
    return summary


def exit_code_for(summary: AuditSummary, fail_on: str | None) -> int:
    """0 when the report was written; 1 when ``fail_on`` names a severity that has findings.

    ``fail_on="error"`` fails on errors; ``fail_on="warning"`` fails on warnings or errors.
    Info findings never fail.
    """
    if fail_on is None:
        return EXIT_OK
    if fail_on not in FAIL_ON_CHOICES:
        raise AuditReportError(f"--fail-on must be one of {', '.join(FAIL_ON_CHOICES)}, got {fail_on!r}")
    failing = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
    if any(summary.findings_by_severity.get(s, 0) > 0 for s in failing):
        return EXIT_FINDINGS
    return EXIT_OK
