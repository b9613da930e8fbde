"""The steps behind the CLI: ingest files into the warehouse, build with dbt, report status.

Kept as plain functions so that tests (and later sessions adding audit/publish steps to
``build``) call them directly; the CLI only formats their results.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ingest.detect import AUTO
from ingest.errors import CchcError, ManifestError
from ingest.hand_entered import load_reference_data
from ingest.hand_entered_load import load_hand_entered
from ingest.load import LoadOutcome, ensure_schema, load_report, load_reporting_units
from ingest.manifest import Manifest, load_manifest
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
    """Run a dbt command on the repository's project with profiles/; True when it succeeded."""
    from dbt.cli.main import dbtRunner

    os.environ["CCHC_WAREHOUSE"] = str(warehouse.resolve())
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    result = dbtRunner().invoke(
        [*args, "--project-dir", str(REPO_ROOT), "--profiles-dir", str(REPO_ROOT / "profiles")]
    )
    return bool(result.success)


@dataclass(frozen=True)
class BuildResult:
    files: list[FileResult] = field(default_factory=list)
    dbt_success: bool = False

    @property
    def success(self) -> bool:
        return self.dbt_success and not any(f.status == "failed" for f in self.files)


def build(
    paths: Sequence[Path],
    warehouse: Path,
    manifest: Manifest | None,
    *,
    on_file: Callable[[FileResult], None] | None = None,
) -> BuildResult:
    """Ingest, then ``dbt build``. Later steps (audit, publish) are added here."""
    files = ingest_paths(paths, warehouse, manifest, on_file=on_file)
    dbt_ok = run_dbt(["build"], warehouse)
    return BuildResult(files=files, dbt_success=dbt_ok)


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
