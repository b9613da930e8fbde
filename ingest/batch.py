"""Ingesting input files: report files a batch at a time, hand-entered CSVs one transaction each.

Named files and the inputs of named folders go down one path each: report files are prepared in
a process pool (:mod:`ingest.pool`) and validated and written a batch at a time
(:mod:`ingest.batch_load`: one transaction per batch, a failing file quarantined without affecting
the others); hand-entered CSVs through :func:`ingest.hand_entered_load.load_hand_entered`. A
failure is recorded for its file and does not stop the others. :func:`ingest_paths_per_file` is the
earlier path (one file, one GX run, one transaction at a time), kept as the benchmark's baseline.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingest.batch_load import DEFAULT_BATCH_BYTES, DEFAULT_BATCH_FILES, BatchSettings, batches, load_batch
from ingest.detect import AUTO
from ingest.errors import CchcError, ManifestError
from ingest.hand_entered_load import load_hand_entered
from ingest.input_file import max_report_bytes
from ingest.intake import BatchTouch, ReportState, redecide
from ingest.load import load_report
from ingest.manifest import Manifest, load_manifest
from ingest.paths import DEFAULT_HAND_ENTERED, DEFAULT_MANIFEST, DEFAULT_REPORTS, DEFAULT_WAREHOUSE
from ingest.pool import PrepareSettings, prepare_files
from ingest.reference import ReferenceData, load_reference_data, load_unit_aliases
from ingest.register import load_register
from ingest.register_load import sync_register
from ingest.resolve import IntakeContext
from ingest.warehouse import connect_warehouse
from ingest.writer import LoadOutcome, ensure_schema

REPORT_SUFFIXES = (".txt", ".docx", ".xlsx", ".pdf", ".doc", ".xls")  # originals: ingest/readers
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
    state: ReportState | None = None  # the decision on a report after the batch (ingest.intake)
    quarantined_rows: int = 0  # rows of a hand-entered CSV in raw.quarantine (also loaded earlier)

    @property
    def status(self) -> str:
        """failed | quarantined | held | rejected | loaded | new version | already loaded."""
        if self.outcome is None:
            return "failed"
        if self.error is not None or self.quarantined_rows:
            return "quarantined"
        if self.state is not None and self.state.needs_person:
            return "held"
        if self.state is not None and self.state.status == "rejected":
            return "rejected"
        if self.outcome.status == "loaded" and (self.outcome.version_number or 1) > 1:
            return "new version"
        return self.outcome.status

    @property
    def needs_person(self) -> bool:
        return self.status in ("failed", "quarantined", "held")


@dataclass(frozen=True)
class BatchContext:
    """What every file of a batch is loaded with: the manifest and the reference data, read once."""

    manifest: Manifest | None
    template: str
    intake: IntakeContext
    reference: ReferenceData | None  # None when the batch has no hand-entered CSV


def is_hand_entered(path: Path) -> bool:
    return path.suffix.lower() in HAND_ENTERED_SUFFIXES


def load_file(con: duckdb.DuckDBPyConnection, path: Path, context: BatchContext) -> FileResult:
    """Load one file down its path (report or hand-entered CSV); a failure becomes the result's error."""
    try:
        if is_hand_entered(path):
            hand = load_hand_entered(con, path, reference=context.reference)
            return FileResult(path, outcome=hand.outcome, error=hand.error_summary)
        outcome = load_report(con, path, context.manifest, template=context.template, context=context.intake)
        return FileResult(path, outcome=outcome)
    except CchcError as exc:
        return FileResult(path, error=str(exc))


def _context(
    files: Sequence[Path],
    manifest: Manifest | None,
    template: str,
    province: str | None,
    district: str | None,
) -> BatchContext:
    return BatchContext(
        manifest=manifest,
        template=template,
        intake=IntakeContext(load_register(), load_unit_aliases(), province, district),
        reference=load_reference_data() if any(is_hand_entered(p) for p in files) else None,
    )


def ingest_paths_per_file(
    paths: Sequence[Path],
    warehouse: Path,
    manifest: Manifest | None,
    *,
    template: str = AUTO,
    on_file: Callable[[FileResult], None] | None = None,
    province: str | None = None,
    district: str | None = None,
) -> list[FileResult]:
    """Load every file one at a time (one GX run, one transaction per file): the earlier path, kept
    as the benchmark's baseline; failures do not stop the rest.

    Then every loaded report is re-decided (:func:`ingest.intake.redecide`): its unit and period
    with this manifest, register and context, and which version is current; each result carries
    the decision on its report.
    """
    files = collect_files(paths)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    context = _context(files, manifest, template, province, district)
    intake = context.intake
    results: list[FileResult] = []
    with connect_warehouse(warehouse) as con:
        ensure_schema(con)
        sync_register(con, intake.register)
        for path in files:
            item = load_file(con, path, context)
            results.append(item)
            if on_file is not None:
                on_file(item)
        return _with_decisions(con, results, manifest, intake)


@dataclass(frozen=True)
class Throughput:
    """How the report files are spread: worker processes, files per chunk and per batch, bytes per batch."""

    workers: int | None = None  # None: one per core
    chunk_files: int = 32
    batch_files: int = DEFAULT_BATCH_FILES
    batch_bytes: int = DEFAULT_BATCH_BYTES
    max_file_bytes: int | None = None  # None: CCHC_MAX_REPORT_BYTES (ingest.input_file)
    gx_once_per_batch: bool = True


def _ingest_reports(
    con: duckdb.DuckDBPyConnection,
    reports: Sequence[Path],
    context: BatchContext,
    throughput: Throughput,
    on_file: Callable[[FileResult], None] | None,
) -> list[FileResult]:
    now = datetime.now(UTC).replace(tzinfo=None)
    limit = throughput.max_file_bytes or max_report_bytes()
    known = {str(r[0]) for r in con.execute("SELECT report_id FROM raw.reports").fetchall()}
    prepared = prepare_files(
        reports,
        PrepareSettings(template=context.template, max_bytes=limit, now=now),
        known,
        workers=throughput.workers,
        chunk_files=throughput.chunk_files,
    )
    settings = BatchSettings(context.manifest, context.intake, now, throughput.gx_once_per_batch)
    results: list[FileResult] = []
    seen: set[str] = set()
    for batch in batches(prepared, throughput.batch_files, throughput.batch_bytes):
        for loaded in load_batch(con, batch, settings, seen):
            item = FileResult(loaded.path, outcome=loaded.outcome, error=loaded.error)
            results.append(item)
            if on_file is not None:
                on_file(item)
    return results


def ingest_paths(
    paths: Sequence[Path],
    warehouse: Path,
    manifest: Manifest | None,
    *,
    template: str = AUTO,
    on_file: Callable[[FileResult], None] | None = None,
    province: str | None = None,
    district: str | None = None,
    throughput: Throughput | None = None,
) -> list[FileResult]:
    """Load every file into the warehouse: reports a batch per transaction (prepared in a process
    pool), CSVs one per transaction. A file that fails is quarantined and does not stop the rest.

    Then every loaded report is re-decided (:func:`ingest.intake.redecide`): its unit and period
    with this manifest, register and context, and which version is current; each result carries
    the decision on its report. Results come in the order of the files.
    """
    files = collect_files(paths)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    context = _context(files, manifest, template, province, district)
    reports = [p for p in files if not is_hand_entered(p)]
    results: list[FileResult] = []
    with connect_warehouse(warehouse) as con:
        ensure_schema(con)  # the DDL once per run
        sync_register(con, context.intake.register)
        results += _ingest_reports(con, reports, context, throughput or Throughput(), on_file)
        for path in (p for p in files if is_hand_entered(p)):
            item = load_file(con, path, context)
            results.append(item)
            if on_file is not None:
                on_file(item)
        order = {p: i for i, p in enumerate(files)}
        ordered = sorted(results, key=lambda r: order[r.path])
        return _with_decisions(con, ordered, context.manifest, context.intake)


def _with_decisions(
    con: duckdb.DuckDBPyConnection,
    results: list[FileResult],
    manifest: Manifest | None,
    intake: IntakeContext,
) -> list[FileResult]:
    """Re-decide every loaded report and attach the decisions (and CSV quarantines) to the results."""
    reports = [r for r in results if r.outcome is not None and not is_hand_entered(r.path)]
    touch = BatchTouch(
        batch_id=uuid.uuid4().hex[:12],
        loaded=[r.outcome.report_id for r in reports if r.outcome and r.outcome.status == "loaded"],
        seen=[r.outcome.report_id for r in reports if r.outcome],
        province=intake.province,
        district=intake.district,
    )
    states = {s.report_id: s for s in redecide(con, manifest, intake, touch)}
    return [_decided(con, r, states) for r in results]


def _decided(
    con: duckdb.DuckDBPyConnection, result: FileResult, states: dict[str, ReportState]
) -> FileResult:
    if result.outcome is None:
        return result
    if is_hand_entered(result.path):
        row = con.execute(
            "SELECT count(*) FROM raw.quarantine WHERE report_id IS NULL AND quarantine_id LIKE ?",
            [result.outcome.report_id + ":%"],
        ).fetchone()
        return replace(result, quarantined_rows=int(row[0]) if row else 0)
    state = states.get(result.outcome.report_id)
    if state is None:
        return result
    outcome = replace(
        result.outcome,
        version_number=state.version_number,
        is_held_out=state.status != "current" and state.status != "superseded",
        hold_reason=state.reason,
    )
    return replace(result, outcome=outcome, state=state)
