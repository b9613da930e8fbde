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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingest.batch_load import DEFAULT_BATCH_BYTES, DEFAULT_BATCH_FILES, BatchSettings, batches, load_batch
from ingest.detect import AUTO
from ingest.errors import CchcError, ManifestError
from ingest.hand_entered_load import load_hand_entered
from ingest.load import load_report
from ingest.manifest import Manifest, load_manifest
from ingest.paths import DEFAULT_HAND_ENTERED, DEFAULT_MANIFEST, DEFAULT_REPORTS, DEFAULT_WAREHOUSE
from ingest.pool import PrepareSettings, max_report_bytes, prepare_files
from ingest.reference import ReferenceData, ReportingUnit, load_reference_data, load_reporting_units
from ingest.writer import LoadOutcome, ensure_schema

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


@dataclass(frozen=True)
class BatchContext:
    """What every file of a batch is loaded with: the manifest and the reference data, read once."""

    manifest: Manifest | None
    template: str
    reporting_units: Mapping[str, ReportingUnit]
    reference: ReferenceData | None  # None when the batch has no hand-entered CSV


def is_hand_entered(path: Path) -> bool:
    return path.suffix.lower() in HAND_ENTERED_SUFFIXES


def load_file(con: duckdb.DuckDBPyConnection, path: Path, context: BatchContext) -> FileResult:
    """Load one file down its path (report or hand-entered CSV); a failure becomes the result's error."""
    try:
        if is_hand_entered(path):
            hand = load_hand_entered(con, path, reference=context.reference)
            return FileResult(path, outcome=hand.outcome, error=hand.error_summary)
        outcome = load_report(
            con, path, context.manifest, template=context.template, reporting_units=context.reporting_units
        )
        return FileResult(path, outcome=outcome)
    except CchcError as exc:
        return FileResult(path, error=str(exc))


def _context(files: Sequence[Path], manifest: Manifest | None, template: str) -> BatchContext:
    return BatchContext(
        manifest=manifest,
        template=template,
        reporting_units=load_reporting_units(),
        reference=load_reference_data() if any(is_hand_entered(p) for p in files) else None,
    )


def ingest_paths_per_file(
    paths: Sequence[Path],
    warehouse: Path,
    manifest: Manifest | None,
    *,
    template: str = AUTO,
    on_file: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Load every file, one transaction (and one GX run) per file: the earlier path, the baseline."""
    files = collect_files(paths)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    context = _context(files, manifest, template)
    results: list[FileResult] = []
    with duckdb.connect(str(warehouse)) as con:
        ensure_schema(con)
        for path in files:
            item = load_file(con, path, context)
            results.append(item)
            if on_file is not None:
                on_file(item)
    return results


@dataclass(frozen=True)
class Throughput:
    """How the report files are spread: worker processes, files per chunk and per batch, bytes per batch."""

    workers: int | None = None  # None: one per core
    chunk_files: int = 32
    batch_files: int = DEFAULT_BATCH_FILES
    batch_bytes: int = DEFAULT_BATCH_BYTES
    max_file_bytes: int | None = None  # None: CCHC_MAX_REPORT_BYTES or ~1 MB
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
    settings = BatchSettings(context.manifest, context.reporting_units, now, throughput.gx_once_per_batch)
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
    throughput: Throughput | None = None,
) -> list[FileResult]:
    """Load every file into the warehouse: reports a batch per transaction, CSVs one per transaction.

    A file that fails is quarantined and does not stop the rest. Results come in the order of the
    files (reports first as their batches commit, then hand-entered CSVs).
    """
    files = collect_files(paths)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    context = _context(files, manifest, template)
    reports = [p for p in files if not is_hand_entered(p)]
    results: list[FileResult] = []
    with duckdb.connect(str(warehouse)) as con:
        ensure_schema(con)  # the DDL once per run
        results += _ingest_reports(con, reports, context, throughput or Throughput(), on_file)
        for path in (p for p in files if is_hand_entered(p)):
            item = load_file(con, path, context)
            results.append(item)
            if on_file is not None:
                on_file(item)
    order = {p: i for i, p in enumerate(files)}
    return sorted(results, key=lambda r: order[r.path])
