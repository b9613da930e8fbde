"""The steps behind the CLI: ingest files into the warehouse, build with dbt, report status.

Kept as plain functions so that tests (and later sessions adding audit/publish steps to
``build``) call them directly; the CLI only formats their results.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ingest.audit_report import AuditSummary, write_audit_report
from ingest.detect import AUTO
from ingest.errors import CchcError, ManifestError
from ingest.hand_entered import load_reference_data
from ingest.hand_entered_load import load_hand_entered
from ingest.kpi_page import write_kpi_page
from ingest.load import LoadOutcome, ensure_schema, load_report, load_reporting_units
from ingest.manifest import Manifest, load_manifest
from ingest.publish import PublishSummary, publish
from ingest.recognize import REPO_ROOT

DEFAULT_REPORTS = Path("data/reports")
DEFAULT_HAND_ENTERED = Path("data/hand_entered")
DEFAULT_MANIFEST = Path("data/manifest.yml")
DEFAULT_WAREHOUSE = Path("warehouse/cchc.duckdb")
REPORT_SUFFIXES = (".txt",)
HAND_ENTERED_SUFFIXES = (".csv",)  # hand-entered values (ingest/hand_entered.py)


def default_warehouse() -> Path:
    return Path(os.environ.get("CCHC_WAREHOUSE") or DEFAULT_WAREHOUSE)


def default_inputs() -> list[Path]:
    """data/reports/, plus data/hand_entered/ when it exists."""
    return [DEFAULT_REPORTS, *([DEFAULT_HAND_ENTERED] if DEFAULT_HAND_ENTERED.is_dir() else [])]


def collect_files(paths: Sequence[Path]) -> list[Path]:
    """Files named directly, plus the report (*.txt) and hand-entered (*.csv) files of named folders."""
    suffixes = REPORT_SUFFIXES + HAND_ENTERED_SUFFIXES
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in suffixes))
        elif path.exists():
            files.append(path)
        else:
            raise CchcError("no such file or folder", source_file=str(path))
    seen: set[Path] = set()
    unique: list[Path] = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def read_manifest(path: Path | None) -> Manifest | None:
    """The manifest at ``path``; the default manifest may be absent (None), a named one may not."""
    if path is None:
        return load_manifest(DEFAULT_MANIFEST) if DEFAULT_MANIFEST.exists() else None
    if not path.exists():
        raise ManifestError("manifest file not found", source_file=str(path))
    return load_manifest(path)


@dataclass(frozen=True)
class FileResult:
    path: Path
    outcome: LoadOutcome | None = None
    error: str | None = None  # "file:line: message" when the file (or some CSV rows) failed

    @property
    def status(self) -> str:
        if self.outcome is None or self.error is not None:  # error + outcome: CSV rows quarantined
            return "failed"
        if self.outcome.status == "loaded" and self.outcome.is_held_out:
            return "held out"
        return self.outcome.status


def ingest_paths(
    paths: Sequence[Path],
    warehouse: Path,
    manifest: Manifest | None,
    *,
    template: str = AUTO,
    on_file: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Load every file into the warehouse, one transaction per file; failures do not stop the rest."""
    files = collect_files(paths)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    units = load_reporting_units()
    reference = (
        load_reference_data() if any(p.suffix.lower() in HAND_ENTERED_SUFFIXES for p in files) else None
    )
    results: list[FileResult] = []
    with duckdb.connect(str(warehouse)) as con:
        ensure_schema(con)
        for path in files:
            try:
                if path.suffix.lower() in HAND_ENTERED_SUFFIXES:
                    hand = load_hand_entered(con, path, reference=reference)
                    item = FileResult(path, outcome=hand.outcome, error=hand.error_summary)
                else:
                    item = FileResult(
                        path,
                        outcome=load_report(con, path, manifest, template=template, reporting_units=units),
                    )
            except CchcError as exc:
                item = FileResult(path, error=str(exc))
            results.append(item)
            if on_file is not None:
                on_file(item)
    return results


def run_dbt(args: Sequence[str], warehouse: Path) -> bool:
    """Run a dbt command on the repository's project with profiles/; True when it succeeded.

    dbt runs in its own process: dbt-duckdb keeps its connection open for the life of the
    process, and the steps after the build open the same file (read-only for the reports).
    """
    dbt = Path(sys.executable).with_name("dbt")
    env = {
        **os.environ,
        "CCHC_WAREHOUSE": str(warehouse.resolve()),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": os.environ.get("DBT_SEND_ANONYMOUS_USAGE_STATS", "false"),
        "DO_NOT_TRACK": os.environ.get("DO_NOT_TRACK", "1"),
    }
    command = [
        str(dbt) if dbt.exists() else "dbt",
        *args,
        "--project-dir",
        str(REPO_ROOT),
        "--profiles-dir",
        str(REPO_ROOT / "profiles"),
    ]
    return subprocess.run(command, env=env, check=False).returncode == 0


TARGET_DIR = REPO_ROOT / "target"  # dbt's target-path (dbt_project.yml) and our outputs


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

    @property
    def success(self) -> bool:
        return self.dbt_success and not any(f.status == "failed" for f in self.files)


def write_audit(warehouse: Path, outputs: OutputPaths = DEFAULT_OUTPUTS) -> AuditSummary:
    """The auditor's report (index.html, findings.json, findings.csv) from the last build."""
    return write_audit_report(warehouse, outputs.audit_dir, outputs.run_results)


def publish_marts(warehouse: Path, outputs: OutputPaths = DEFAULT_OUTPUTS) -> PublishSummary:
    """The read-only BI copy of the marts, Parquet and SDMX-CSV exports."""
    return publish(warehouse, outputs.published, outputs.export_dir)


def build(
    paths: Sequence[Path],
    warehouse: Path,
    manifest: Manifest | None,
    *,
    on_file: Callable[[FileResult], None] | None = None,
    outputs: OutputPaths = DEFAULT_OUTPUTS,
) -> BuildResult:
    """Ingest, ``dbt build``, then the outputs.

    The auditor's report is written whenever dbt got as far as the audit tables (it also
    shows the dbt test results, most useful when the build failed); the KPI page and the
    published marts only after a successful build, so BI tools never see a half-built
    warehouse.
    """
    files = ingest_paths(paths, warehouse, manifest, on_file=on_file)
    dbt_ok = run_dbt(["build", "--target-path", str(outputs.target)], warehouse)
    if not dbt_ok:
        try:
            audit: AuditSummary | None = write_audit(warehouse, outputs)
        except CchcError:
            audit = None  # the audit tables were not built; dbt's own output says why
        return BuildResult(files=files, dbt_success=False, audit=audit)
    audit = write_audit(warehouse, outputs)
    kpi = write_kpi_page(warehouse, outputs.kpi_page)
    published = publish_marts(warehouse, outputs)
    return BuildResult(files=files, dbt_success=True, audit=audit, kpi_page=kpi, published=published)


def status(warehouse: Path) -> dict[str, list[dict[str, Any]]]:
    """Loaded reports (with hold-out reasons) and files that failed, from the warehouse."""
    if not warehouse.exists():
        raise CchcError("warehouse not found (run `cchc ingest` first)", source_file=str(warehouse))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        has_raw = con.execute(
            """
            SELECT count(*) FROM information_schema.tables
            WHERE table_schema = 'raw' AND table_name = 'reports'
            """
        ).fetchone()
        if not has_raw or not has_raw[0]:
            return {"reports": [], "failed": []}
        cursor = con.execute(
            """
            SELECT report_id, source_file, template_family, unit_code, unit_name, period_type, period_year,
                   period_number, version_number, is_held_out, hold_reason, loaded_at
            FROM raw.reports ORDER BY source_file, version_number, loaded_at
            """
        )
        columns = [d[0] for d in cursor.description]
        reports = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        cursor = con.execute(
            """
            SELECT source_file, reason, quarantined_at FROM raw.quarantine
            WHERE quarantine_id LIKE 'file:%' ORDER BY quarantined_at, source_file
            """
        )
        columns = [d[0] for d in cursor.description]
        failed = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return {"reports": reports, "failed": failed}
