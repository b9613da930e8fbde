"""The auditor's report, its data: what the audit and raw tables and dbt's results say.

Reads the ``audit`` schema built by dbt (``audit.dq_rules``, ``audit.dq_evaluations``,
``audit.dq_findings``), the source lines and Great Expectations results of the raw
load (``raw.line_classes``, ``raw.validation_results``, ``raw.reports``) and, when
present, dbt's ``target/run_results.json``, into the records below. Rendering is
:mod:`outputs.audit.html`; writing the files is :mod:`outputs.audit.report`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from ingest.records import to_jsonable
from ingest.text import nfc
from outputs.errors import AuditReportError
from outputs.run_history import latest_run
from outputs.warehouse_query import as_text, existing_tables, query_rows

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
)

REQUIRED_TABLES: tuple[str, ...] = (
    "raw.reports",
    "raw.line_classes",
    "raw.validation_results",
    "audit.dq_rules",
    "audit.dq_evaluations",
    "audit.dq_findings",
)


@dataclass(frozen=True)
class Finding:
    """One row of ``audit.dq_findings``, with its JSON columns decoded."""

    finding_id: str
    rule_id: str
    rule_kind: str
    severity: str
    report_id: str
    unit_code: str | None
    period_key: str | None
    indicators: tuple[str, ...]
    observed: dict[str, Any]  # indicator_code -> Decimal | str | None
    expected: str
    message: str
    source_file: str
    line_start: int | None
    line_end: int | None
    source_lines: tuple[int, ...]  # every involved line, for highlighting

    @property
    def involved_lines(self) -> tuple[int, ...]:
        """The lines to quote as involved: ``source_lines``, else the whole range."""
        if self.source_lines:
            return tuple(sorted(set(self.source_lines)))
        if self.line_start is not None:
            end = self.line_end if self.line_end is not None else self.line_start
            return tuple(range(self.line_start, end + 1))
        return ()

    def to_json(self) -> dict[str, Any]:
        return {
            "finding_id": self.finding_id,
            "rule_id": self.rule_id,
            "rule_kind": self.rule_kind,
            "severity": self.severity,
            "report_id": self.report_id,
            "unit_code": self.unit_code,
            "period_key": self.period_key,
            "source_file": self.source_file,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "source_lines": list(self.source_lines),
            "indicators": list(self.indicators),
            "observed": to_jsonable(self.observed),
            "expected": self.expected,
            "message": self.message,
        }


@dataclass(frozen=True)
class Evaluation:
    """One row of ``audit.dq_evaluations`` (report x rule)."""

    evaluation_id: str
    report_id: str
    unit_code: str | None
    period_key: str | None
    rule_id: str
    rule_kind: str
    severity: str
    status: str
    skip_reason: str | None
    indicators: tuple[str, ...]
    observed: dict[str, Any]
    message: str | None


@dataclass(frozen=True)
class RuleInfo:
    """A rule of the catalogue ``audit.dq_rules`` (only the columns the report shows)."""

    rule_id: str
    rule_kind: str
    severity: str
    description_en: str
    description_vi: str


@dataclass(frozen=True)
class ReportInfo:
    """A loaded report (``raw.reports``) as the summary shows it."""

    report_id: str
    source_file: str
    unit_code: str | None
    unit_name: str | None
    period_key: str | None
    template_family: str | None
    is_held_out: bool
    hold_reason: str | None


@dataclass(frozen=True)
class ValidationResult:
    """A Great Expectations result of one raw load (``raw.validation_results``)."""

    report_id: str
    source_file: str
    expectation: str
    column_name: str
    success: bool
    unexpected_count: int | None
    details: str
    validated_at: str


@dataclass(frozen=True)
class SourceLine:
    """One line of a source document (``raw.line_classes``)."""

    line_no: int
    line_class: str
    reason: str
    text: str


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


@dataclass(frozen=True)
class AuditData:
    """Everything the report shows, read from the warehouse and run results."""

    warehouse: Path
    generated_at: str
    reports: tuple[ReportInfo, ...]
    rules: tuple[RuleInfo, ...]
    evaluations: tuple[Evaluation, ...]
    findings: tuple[Finding, ...]
    validations: tuple[ValidationResult, ...]
    source_lines: dict[str, dict[int, SourceLine]]  # report_id -> line_no -> line
    dbt: DbtResults


# --------------------------------------------------------------------------- reading


def _opt_text(value: Any) -> str | None:
    return None if value is None else nfc(str(value))


def _split_codes(value: Any) -> tuple[str, ...]:
    return tuple(c.strip() for c in as_text(value).split(",") if c.strip())


def _decode_observed(value: Any, where: str) -> dict[str, Any]:
    """The ``observed`` JSON text object (indicator_code -> value); numbers kept exact."""
    if value is None or value == "":
        return {}
    try:
        decoded = json.loads(str(value), parse_float=Decimal, parse_int=Decimal)
    except json.JSONDecodeError as exc:
        raise AuditReportError(f"{where}: observed is not valid JSON ({exc.msg}): {value!r}") from exc
    if not isinstance(decoded, dict):
        raise AuditReportError(f"{where}: observed must be a JSON object, got {value!r}")
    return {nfc(str(k)): (nfc(v) if isinstance(v, str) else v) for k, v in decoded.items()}


def _decode_lines(value: Any, where: str) -> tuple[int, ...]:
    """The ``source_lines`` JSON text array of line numbers."""
    if value is None or value == "":
        return ()
    try:
        decoded = json.loads(str(value))
    except json.JSONDecodeError as exc:
        raise AuditReportError(f"{where}: source_lines is not valid JSON ({exc.msg}): {value!r}") from exc
    if not isinstance(decoded, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) for n in decoded
    ):
        raise AuditReportError(f"{where}: source_lines must be a JSON array of line numbers, got {value!r}")
    return tuple(decoded)


def _check_severity(severity: str, where: str) -> str:
    if severity not in SEVERITIES:
        raise AuditReportError(f"{where}: severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    return severity


def _period_key(row: dict[str, Any]) -> str | None:
    """A period key from ``raw.reports`` columns: 2021, 2022-Q3, 2023-H1, 2024-9M."""
    year = row.get("period_year")
    if year is None:
        return None
    kind = row.get("period_type")
    number = row.get("period_number")
    if kind == "quarter" and number is not None:
        return f"{year}-Q{number}"
    if kind == "half" and number is not None:
        return f"{year}-H{number}"
    if kind == "nine_months":
        return f"{year}-9M"
    return str(year)


def _read_rules(con: duckdb.DuckDBPyConnection) -> tuple[RuleInfo, ...]:
    """The catalogue; tolerant of its column names (``rule_id`` or ``id``, ``kind`` or ``rule_kind``)."""
    rows = query_rows(con, "select * from audit.dq_rules")
    rules = []
    for row in rows:
        rule_id = row.get("rule_id", row.get("id"))
        if rule_id is None:
            raise AuditReportError("audit.dq_rules: a rule has no rule_id (or id) column value")
        rules.append(
            RuleInfo(
                rule_id=as_text(rule_id),
                rule_kind=as_text(row.get("rule_kind", row.get("kind"))),
                severity=as_text(row.get("severity")),
                description_en=as_text(row.get("description_en", row.get("description"))),
                description_vi=as_text(row.get("description_vi")),
            )
        )
    return tuple(sorted(rules, key=lambda r: r.rule_id))


def _read_findings(con: duckdb.DuckDBPyConnection) -> tuple[Finding, ...]:
    findings = []
    for row in query_rows(con, "select * from audit.dq_findings"):
        where = f"audit.dq_findings {row.get('finding_id')!r}"
        findings.append(
            Finding(
                finding_id=as_text(row["finding_id"]),
                rule_id=as_text(row["rule_id"]),
                rule_kind=as_text(row["rule_kind"]),
                severity=_check_severity(as_text(row["severity"]), where),
                report_id=as_text(row["report_id"]),
                unit_code=_opt_text(row["unit_code"]),
                period_key=_opt_text(row["period_key"]),
                indicators=_split_codes(row["indicator_codes"]),
                observed=_decode_observed(row["observed"], where),
                expected=as_text(row["expected"]),
                message=as_text(row["message"]),
                source_file=as_text(row["source_file"]),
                line_start=row["line_start"],
                line_end=row["line_end"],
                source_lines=_decode_lines(row["source_lines"], where),
            )
        )
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return tuple(
        sorted(
            findings,
            key=lambda f: (rank[f.severity], f.source_file, f.line_start or 0, f.rule_id, f.finding_id),
        )
    )


def _read_evaluations(con: duckdb.DuckDBPyConnection) -> tuple[Evaluation, ...]:
    evaluations = []
    for row in query_rows(con, "select * from audit.dq_evaluations order by report_id, rule_id"):
        where = f"audit.dq_evaluations {row.get('evaluation_id')!r}"
        status = as_text(row["status"])
        if status not in STATUSES:
            raise AuditReportError(f"{where}: status {status!r} is not one of {', '.join(STATUSES)}")
        evaluations.append(
            Evaluation(
                evaluation_id=as_text(row["evaluation_id"]),
                report_id=as_text(row["report_id"]),
                unit_code=_opt_text(row["unit_code"]),
                period_key=_opt_text(row["period_key"]),
                rule_id=as_text(row["rule_id"]),
                rule_kind=as_text(row["rule_kind"]),
                severity=as_text(row["severity"]),
                status=status,
                skip_reason=_opt_text(row["skip_reason"]),
                indicators=_split_codes(row["indicator_codes"]),
                observed=_decode_observed(row["observed"], where),
                message=_opt_text(row["message"]),
            )
        )
    return tuple(evaluations)


def _read_reports(
    con: duckdb.DuckDBPyConnection, evaluations: tuple[Evaluation, ...], findings: tuple[Finding, ...]
) -> tuple[ReportInfo, ...]:
    """Every loaded report (raw.reports, then marts.dim_report), plus any other the audit tables name."""
    items: tuple[Evaluation | Finding, ...] = (*findings, *evaluations)
    audit_periods: dict[str, str] = {}
    for item in items:
        if item.period_key:
            audit_periods.setdefault(item.report_id, item.period_key)
    reports: dict[str, ReportInfo] = {}
    for row in query_rows(con, "select * from raw.reports order by source_file, version_number"):
        report_id = as_text(row["report_id"])
        reports[report_id] = ReportInfo(
            report_id=report_id,
            source_file=as_text(row["source_file"]),
            unit_code=_opt_text(row["unit_code"]),
            unit_name=_opt_text(row["unit_name"] or row["doc_unit_name"]),
            period_key=audit_periods.get(report_id) or _period_key(row),
            template_family=_opt_text(row["template_family"]),
            is_held_out=bool(row["is_held_out"]),
            hold_reason=_opt_text(row["hold_reason"]),
        )
    if "marts.dim_report" in existing_tables(con):
        # Reports that do not come from a document (hand-entered values) live in dim_report only.
        for row in query_rows(con, "select * from marts.dim_report order by source_file, report_id"):
            report_id = as_text(row["report_id"])
            if report_id in reports:
                continue
            reports[report_id] = ReportInfo(
                report_id=report_id,
                source_file=as_text(row["source_file"]),
                unit_code=_opt_text(row["unit_code"]),
                unit_name=_opt_text(row["unit_name"]),
                period_key=audit_periods.get(report_id) or _opt_text(row["period_key"]),
                template_family=_opt_text(row["template_family"]),
                is_held_out=bool(row["is_held_out"]),
                hold_reason=_opt_text(row["hold_reason"]),
            )
    for item in items:
        if item.report_id not in reports:
            source_file = item.source_file if isinstance(item, Finding) else ""
            reports[item.report_id] = ReportInfo(
                report_id=item.report_id,
                source_file=source_file or "(not in raw.reports)",
                unit_code=item.unit_code,
                unit_name=None,
                period_key=item.period_key,
                template_family=None,
                is_held_out=False,
                hold_reason=None,
            )
    return tuple(reports.values())


def _read_validations(con: duckdb.DuckDBPyConnection) -> tuple[ValidationResult, ...]:
    rows = query_rows(
        con,
        "select * from raw.validation_results order by source_file, success, expectation, column_name",
    )
    return tuple(
        ValidationResult(
            report_id=as_text(r["report_id"]),
            source_file=as_text(r["source_file"]),
            expectation=as_text(r["expectation"]),
            column_name=as_text(r["column_name"]),
            success=bool(r["success"]),
            unexpected_count=r["unexpected_count"],
            details=as_text(r["details"]),
            validated_at=as_text(r["validated_at"]),
        )
        for r in rows
    )


def _read_source_lines(
    con: duckdb.DuckDBPyConnection, findings: tuple[Finding, ...]
) -> dict[str, dict[int, SourceLine]]:
    """The lines of every report that has a finding (small: a report is a few hundred lines)."""
    report_ids = sorted({f.report_id for f in findings})
    lines: dict[str, dict[int, SourceLine]] = {rid: {} for rid in report_ids}
    if not report_ids:
        return lines
    rows = query_rows(
        con,
        "select report_id, line_no, line_class, reason, line_text from raw.line_classes "
        "where list_contains(?, report_id) order by report_id, line_no",
        [report_ids],
    )
    for r in rows:
        lines[r["report_id"]][int(r["line_no"])] = SourceLine(
            line_no=int(r["line_no"]),
            line_class=as_text(r["line_class"]),
            reason=as_text(r["reason"]),
            text=as_text(r["line_text"]),
        )
    return lines


def _test_order(test: DbtTestResult) -> tuple[int, str]:
    return ({"error": 0, "fail": 1, "warn": 2}.get(test.status, 3), test.unique_id)


def read_recorded_build(con: duckdb.DuckDBPyConnection, warehouse: Path) -> DbtResults | None:
    """The test nodes of the latest build recorded in the warehouse (``history``, see
    :mod:`outputs.run_history`); None when no build was recorded."""
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


def read_audit_data(warehouse: Path, run_results: Path | None = None) -> AuditData:
    """Read everything the report shows. Raises :class:`AuditReportError` on a missing table."""
    if not warehouse.is_file():
        raise AuditReportError(
            "warehouse file not found (run `cchc build` first)", source_file=str(warehouse)
        )
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise AuditReportError(f"cannot open the warehouse: {exc}", source_file=str(warehouse)) from exc
    try:
        missing = [t for t in REQUIRED_TABLES if t not in existing_tables(con)]
        if missing:
            raise AuditReportError(
                f"missing tables {', '.join(missing)} (build the audit models with `dbt build` first)",
                source_file=str(warehouse),
            )
        findings = _read_findings(con)
        evaluations = _read_evaluations(con)
        return AuditData(
            warehouse=warehouse,
            generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            reports=_read_reports(con, evaluations, findings),
            rules=_read_rules(con),
            evaluations=evaluations,
            findings=findings,
            validations=_read_validations(con),
            source_lines=_read_source_lines(con, findings),
            dbt=read_recorded_build(con, warehouse) or read_run_results(run_results),
        )
    finally:
        con.close()
