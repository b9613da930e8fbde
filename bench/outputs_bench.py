"""Outputs at scale: the auditor's report and the KPI page on a generated warehouse, beside the
earlier writer (the baseline: ``outputs/`` of commit :data:`BASELINE_COMMIT`, run from an extract).

The warehouse is generated in DuckDB SQL (:func:`make_outputs_warehouse`), in the shapes the pages
read (``ingest/schema.sql`` for ``raw``, the ``audit`` contract tables, ``marts.kpi_scorecard``):
``units`` units over 63 provinces x ``periods`` quarters, one report each; every report has
``LINES_PER_REPORT`` lines and ``findings_per_report`` findings, each involving one or two lines;
the findings history holds two builds (this one and a previous one in which 80 % of the findings
already existed and some others that are now resolved). 11,300 units x 20 quarters = 226,000
reports, the national five-year volume.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from bench.measure import Measured
from bench.measure import measure as measure_command

REPO_ROOT = Path(__file__).resolve().parents[1]
BASELINE_COMMIT = "40f3cbd"  # the paged writer with Python/Jinja rows (before outputs/audit/export.py)
PROVINCES = 63
LINES_PER_REPORT = 100
FINDING_RULES = ("chain_dossiers", "rate_on_time", "parts_tthc", "domain_count", "outlier_received")

AUDIT_DDL = """
create schema if not exists audit;
create table audit.dq_rules (
    rule_id varchar primary key, rule_kind varchar, indicator_codes varchar, severity varchar,
    missing_strategy varchar, tolerance double, description_en varchar, description_vi varchar);
create table audit.dq_evaluations (
    evaluation_id varchar, report_id varchar, unit_code varchar, period_key varchar,
    rule_id varchar, rule_kind varchar, severity varchar, status varchar, skip_reason varchar,
    indicator_codes varchar, observed varchar, message varchar);
create table audit.dq_findings (
    finding_id varchar, rule_id varchar, rule_kind varchar, severity varchar,
    report_id varchar, unit_code varchar, period_key varchar, indicator_codes varchar,
    observed varchar, expected varchar, message varchar, source_file varchar,
    line_start integer, line_end integer, source_lines varchar);
create table audit.dq_findings_history (
    finding_key varchar, build_id varchar, build_started_at timestamp, finding_id varchar,
    rule_id varchar, rule_kind varchar, severity varchar, report_id varchar, unit_code varchar,
    period_key varchar, indicator_codes varchar, source_file varchar, line_start integer,
    line_end integer, source_lines varchar, observed varchar, expected varchar, message varchar);
create schema if not exists marts;
create table marts.dim_indicator (indicator_code varchar, name_vi varchar, name_en varchar);
"""

_REPORTS = """
insert into raw.reports (report_id, source_file, source_path, file_sha256, line_count, template_family,
    family_detection_score, manifest_entry_found, unit_code, unit_name, unit_level, province,
    period_year, period_type, period_number, is_held_out, version_number, loaded_at, parser_version)
select 'r' || u || '-' || p, 'unit' || u || '-' || (2021 + p // 4) || '-q' || (p % 4 + 1) || '.txt', '', '',
       {lines}, 'national_2023', 0.9, true, 'U' || u,
       case when u % 16 = 0 then 'huyện Thạnh Trị ' || u else 'xã Cát Thành ' || u end,
       case when u % 16 = 0 then 'district' else 'commune' end, 'Tỉnh số ' || (u % {provinces}),
       2021 + p // 4, 'quarter', p % 4 + 1, false, 1, timestamp '2026-01-10 09:00:00', '0.1.0'
from range({units}) a(u), range({periods}) b(p)"""

_LINES = """
insert into raw.line_classes
select report_id, source_file, n, 'statistic', '',
       '\tSố hồ sơ TTHC do UBND cấp xã tiếp nhận dòng ' || n || '\t' || (n * 37 % 1000) || '.'
           || lpad((n * 11 % 1000)::varchar, 3, '0'), null
from raw.reports, range(1, {lines} + 1) l(n)"""

_FINDINGS = """
insert into audit.dq_findings
select r.report_id || ':' || rule.name || ':1', rule.name, rule.kind, rule.severity, r.report_id, r.unit_code,
       r.period_year || '-Q' || r.period_number, 'dossiers_received,dossiers_resolved',
       '{{"dossiers_received": ' || (k * 7 + 10) || ', "dossiers_resolved": ' || (k * 7 + 11) || '}}',
       'dossiers_received >= ' || (k * 7 + 11), 'received ' || (k * 7 + 10) || ' < resolved <' || k || '>',
       r.source_file, 10 * k + 5, 10 * k + 6, '[' || (10 * k + 5) || ', ' || (10 * k + 6) || ']'
from raw.reports r, range({per_report}) f(k),
     (select unnest(?) as name, unnest(?) as kind, unnest(?) as severity, unnest(range(5)) as no) rule
where rule.no = k % 5"""

_HISTORY = """
insert into audit.dq_findings_history
select md5(finding_id), 'b2', timestamp '2026-01-10 09:00:00', finding_id, rule_id, rule_kind, severity,
       report_id, unit_code, period_key, indicator_codes, source_file, line_start, line_end, source_lines,
       observed, expected, message
from audit.dq_findings;
insert into audit.dq_findings_history
select md5(finding_id), 'b1', timestamp '2026-01-09 09:00:00', finding_id, rule_id, rule_kind, severity,
       report_id, unit_code, period_key, indicator_codes, source_file, line_start, line_end, source_lines,
       observed, expected, message
from audit.dq_findings where hash(finding_id) % 5 <> 0;
insert into audit.dq_findings_history
select md5(finding_id || ':gone'), 'b1', timestamp '2026-01-09 09:00:00', finding_id || ':gone', rule_id,
       rule_kind, severity, report_id, unit_code, period_key, indicator_codes, source_file, line_start,
       line_end, source_lines, observed, expected, message
from audit.dq_findings where hash(finding_id) % 10 = 1"""

_SCORECARD = """
create table marts.kpi_scorecard as
select 'U' || u || ':' || (2021 + p // 4) || '-Q' || (p % 4 + 1) as scorecard_id,
       'r' || u || '-' || p as report_id,
       'U' || u as unit_code, case when u % 16 = 0 then 'huyện ' || u else 'xã ' || u end as unit_name,
       case when u % 16 = 0 then 'district' else 'commune' end as unit_level,
       'Tỉnh số ' || (u % {provinces}) as province_name_at_report,
       (2021 + p // 4) || '-Q' || (p % 4 + 1) as period_key, 'quarter' as period_type,
       2021 + p // 4 as period_year, make_date(2021 + p // 4, 3 * (p % 4 + 1), 28) as period_end_date,
       'national_2023' as template_family,
       round(90 + (hash(u * 31 + p) % 1100) / 100.0, 2) as on_time_rate,
       'computed_from_counts' as on_time_rate_basis, null::double as on_time_rate_change,
       round(95 + (hash(u * 17 + p) % 600) / 100.0, 2) as resolution_rate,
       'computed_from_counts' as resolution_rate_basis,
       round((hash(u * 7 + p) % 10000) / 100.0, 2) as online_share, 'reported_rate' as online_share_basis
from range({units}) a(u), range({periods}) b(p)"""


def make_outputs_warehouse(path: Path, units: int, periods: int = 20, findings_per_report: int = 5) -> int:
    """A warehouse of ``units`` x ``periods`` reports for the pages; returns the number of findings."""
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute((REPO_ROOT / "ingest" / "schema.sql").read_text(encoding="utf-8"))
        con.execute(AUDIT_DDL)
        fmt = {"units": units, "periods": periods, "provinces": PROVINCES, "lines": LINES_PER_REPORT}
        con.execute(_REPORTS.format(**fmt))
        con.execute(_LINES.format(**fmt))
        kinds = ["ordered_chain", "rate_reconciliation", "parts_total", "domain", "outlier"]
        severities = ["warning", "warning", "warning", "error", "info"]
        con.execute(
            _FINDINGS.format(per_report=findings_per_report), [list(FINDING_RULES), kinds, severities]
        )
        con.execute(_HISTORY)
        con.executemany(
            "insert into audit.dq_rules values (?, ?, 'dossiers_received,dossiers_resolved', ?, "
            "'skip_if_any_missing', 0.5, ?, ?)",
            [
                [r, k, s, f"Rule {r}", f"Quy tắc {r}"]
                for r, k, s in zip(FINDING_RULES, kinds, severities, strict=True)
            ],
        )
        con.execute(
            "insert into marts.dim_indicator values "
            "('dossiers_received', 'Số hồ sơ tiếp nhận', 'Dossiers received'), "
            "('dossiers_resolved', 'Số hồ sơ đã giải quyết', 'Dossiers resolved')"
        )
        con.execute(_SCORECARD.format(**fmt))
        found = con.execute("select count(*) from audit.dq_findings").fetchone()
    finally:
        con.close()
    return int(found[0]) if found else 0


def baseline_root(work: Path) -> Path:
    """``outputs/`` of :data:`BASELINE_COMMIT`, extracted once under ``work``."""
    root = work / f"baseline-{BASELINE_COMMIT}"
    if not (root / "outputs").is_dir():
        root.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "archive", BASELINE_COMMIT, "outputs"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    return root


_AUDIT = (
    "from outputs.audit.report import write_audit_report as w; import sys, pathlib as p; "
    "w(p.Path(sys.argv[1]), p.Path(sys.argv[2]), None)"
)
_KPI = (
    "from outputs.kpi_page import write_kpi_page as w; import sys, pathlib as p; "
    "w(p.Path(sys.argv[1]), p.Path(sys.argv[2]) / 'kpi.html')"
)


def run_output(script: str, warehouse: Path, out_dir: Path, root: Path | None = None) -> Measured:
    """One writer in its own measured process; ``root`` puts an earlier ``outputs/`` first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in (root, REPO_ROOT) if p is not None)
    return measure_command(
        [sys.executable, "-c", script, str(warehouse), str(out_dir)], env=env, cwd=REPO_ROOT
    )


@dataclass(frozen=True)
class OutputsRun:
    reports: int
    findings: int
    new: Measured
    baseline: Measured | None
    kpi: Measured
    kpi_baseline: Measured | None
    out_mb: float


def _size_mb(directory: Path) -> float:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file()) / 2**20


def _reused(warehouse: Path, reports: int) -> int:
    """The findings of a warehouse generated earlier in this work folder for as many reports (0: none)."""
    if not warehouse.is_file():
        return 0
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return 0
    try:
        found = con.execute("select count(*) from raw.reports").fetchone()
        findings = con.execute("select count(*) from audit.dq_findings").fetchone()
    except duckdb.Error:
        return 0
    finally:
        con.close()
    return int(findings[0]) if found and findings and int(found[0]) == reports else 0


def measure_outputs(work: Path, units: int, baseline_max_reports: int) -> OutputsRun:
    """Generate the warehouse of ``units`` x 20 quarters and write the pages with both writers."""
    warehouse = work / f"outputs-{units}.duckdb"
    findings = _reused(warehouse, units * 20) or make_outputs_warehouse(warehouse, units)
    reports = units * 20
    root = baseline_root(work) if reports <= baseline_max_reports else None
    new = run_output(_AUDIT, warehouse, work / f"audit-new-{units}")
    kpi = run_output(_KPI, warehouse, work / f"audit-new-{units}")
    baseline = run_output(_AUDIT, warehouse, work / f"audit-old-{units}", root) if root else None
    kpi_baseline = run_output(_KPI, warehouse, work / f"audit-old-{units}", root) if root else None
    return OutputsRun(
        reports, findings, new, baseline, kpi, kpi_baseline, _size_mb(work / f"audit-new-{units}")
    )
