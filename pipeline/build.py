"""`cchc build`: ingest the inputs, ``dbt build``, then write the outputs (the data flow, in order).

Kept as plain functions so that tests call them directly; the CLI only formats their results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.batch import FileResult, ingest_paths
from ingest.errors import CchcError
from ingest.manifest import Manifest
from ingest.paths import TARGET_DIR
from outputs.audit.report import AuditSummary, write_audit_report
from outputs.kpi_page import write_kpi_page
from outputs.publish import PublishSummary, publish
from outputs.run_history import DbtRun, record_run
from pipeline.dbt_runner import run_dbt


@dataclass(frozen=True)
class OutputPaths:
    """Where `cchc build` writes what people read: auditor report, KPI page, published marts."""

    target: Path = TARGET_DIR

    @property
    def audit_dir(self) -> Path:
        return self.target / "audit"

    @property
    def kpi_page(self) -> Path:
        return self.audit_dir / "kpi.html"

    @property
    def run_results(self) -> Path:
        return self.target / "run_results.json"

    @property
    def published(self) -> Path:
        return self.target / "published" / "cchc_marts.duckdb"

    @property
    def export_dir(self) -> Path:
        return self.target / "export"


DEFAULT_OUTPUTS = OutputPaths()


@dataclass(frozen=True)
class BuildResult:
    files: list[FileResult] = field(default_factory=list)
    dbt_success: bool = False
    audit: AuditSummary | None = None
    kpi_page: Path | None = None
    published: PublishSummary | None = None
    dbt_run: DbtRun | None = None  # the build's dbt results, as recorded in the warehouse's history

    @property
    def success(self) -> bool:
        return self.dbt_success and not any(f.status == "failed" for f in self.files)


def write_audit(warehouse: Path, outputs: OutputPaths = DEFAULT_OUTPUTS) -> AuditSummary:
    """The auditor's report (index.html, findings.json, findings.csv) from the last build."""
    return write_audit_report(warehouse, outputs.audit_dir, outputs.run_results)


def publish_marts(warehouse: Path, outputs: OutputPaths = DEFAULT_OUTPUTS) -> PublishSummary:
    """The read-only BI copy of the marts, Parquet and SDMX-CSV exports."""
    return publish(warehouse, outputs.published, outputs.export_dir)


def build_and_record(warehouse: Path, outputs: OutputPaths = DEFAULT_OUTPUTS) -> tuple[bool, DbtRun | None]:
    """``dbt build``, then its run_results.json appended to the warehouse's ``history`` schema.

    The previous run_results.json is removed first, so a dbt that stops before writing one (a
    parse error) records nothing rather than an older command's results. Returns dbt's success
    and the recorded run (None when dbt wrote no results).
    """
    outputs.run_results.unlink(missing_ok=True)
    dbt_ok = run_dbt(["build", "--target-path", str(outputs.target)], warehouse)
    if not outputs.run_results.is_file():
        return dbt_ok, None
    run, _ = record_run(warehouse, outputs.run_results)
    return dbt_ok, run


def build(
    paths: Sequence[Path],
    warehouse: Path,
    manifest: Manifest | None,
    *,
    on_file: Callable[[FileResult], None] | None = None,
    outputs: OutputPaths = DEFAULT_OUTPUTS,
    province: str | None = None,
    district: str | None = None,
) -> BuildResult:
    """Ingest, ``dbt build``, then the outputs.

    The auditor's report is written whenever dbt got as far as the audit tables (it also
    shows the dbt test results, most useful when the build failed); the KPI page and the
    published marts only after a successful build, so BI tools never see a half-built
    warehouse.
    """
    files = ingest_paths(paths, warehouse, manifest, on_file=on_file, province=province, district=district)
    dbt_ok, dbt_run = build_and_record(warehouse, outputs)
    if not dbt_ok:
        try:
            audit: AuditSummary | None = write_audit(warehouse, outputs)
        except CchcError:
            audit = None  # the audit tables were not built; dbt's own output says why
        return BuildResult(files=files, dbt_success=False, audit=audit, dbt_run=dbt_run)
    audit = write_audit(warehouse, outputs)
    kpi = write_kpi_page(warehouse, outputs.kpi_page)
    published = publish_marts(warehouse, outputs)
    return BuildResult(
        files=files,
        dbt_success=True,
        audit=audit,
        kpi_page=kpi,
        published=published,
        dbt_run=dbt_run,
    )
