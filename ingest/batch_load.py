"""Loading prepared report files a batch at a time: validate together, write in one transaction.

Semantics (the same guarantees as one file at a time, :mod:`ingest.load`):

- A batch is a run of consecutive files, bounded by a count and by the bytes of its files.
- Every file is validated with the suite's expectations, vectorised over the batch
  (:mod:`ingest.checks`); Great Expectations runs once per batch on the files that passed
  (:func:`ingest.validate.gx_batch_check`). Should GX disagree, the batch is validated file by
  file with the GX suite, the reference.
- A file that cannot be parsed, is refused (too large, unreadable) or fails validation is one
  quarantine entry; the batch's entries are committed in their own transaction. It never affects
  the other files.
- The files that passed are written in ONE transaction: all of them or none. Should that
  transaction fail, each file is written in its own transaction, so one bad file cannot take the
  batch down with it and no file is ever half-loaded.
- Bytes already in the warehouse (or earlier in the run) are "already loaded" and write nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from ingest.checks import check_batch
from ingest.errors import CchcError, LoadError, SuiteFailedError
from ingest.frames import VALIDATION_COLUMNS, file_quarantine_frame, frame, validation_frame
from ingest.load import report_record
from ingest.manifest import Manifest
from ingest.pool import Prepared, Refused, Skipped
from ingest.prepare import PreparedReport
from ingest.records import ExpectationOutcome
from ingest.resolve import IntakeContext, ReportFacts, Resolved, resolve_report
from ingest.validate import gx_batch_check, suite_failure, validate_frames
from ingest.writer import (
    LoadOutcome,
    loaded_ids,
    write_batch,
    write_file_quarantines,
    write_report,
)

TABLES = ("statistic_rows", "note_values", "narrative_blocks", "line_classes", "quarantine")
DEFAULT_BATCH_FILES = 250
DEFAULT_BATCH_BYTES = 8 * 1024 * 1024  # bytes of input text per batch (~1 GB RSS at 32 MiB)


@dataclass(frozen=True)
class Loaded:
    """What happened to one file of a batch: its outcome, or the error that kept it out."""

    path: Path
    outcome: LoadOutcome | None = None
    error: str | None = None


@dataclass(frozen=True)
class BatchSettings:
    manifest: Manifest | None
    intake: IntakeContext
    now: datetime
    gx_once_per_batch: bool = True


def _size(item: Prepared) -> int:
    if isinstance(item, Refused):
        return item.size
    try:
        return item.path.stat().st_size
    except OSError:
        return 0


def batches(items: Iterable[Prepared], max_files: int, max_bytes: int) -> Iterator[list[Prepared]]:
    """Consecutive runs of at most ``max_files`` files and (unless one file alone) ``max_bytes`` bytes."""
    batch: list[Prepared] = []
    size = 0
    for item in items:
        item_size = _size(item)
        if batch and (len(batch) >= max_files or size + item_size > max_bytes):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += item_size
    if batch:
        yield batch


@dataclass
class _Plan:
    """A batch sorted into what happens to each file."""

    results: dict[int, Loaded] = field(default_factory=dict)  # position in the batch -> result
    quarantine: list[pd.DataFrame] = field(default_factory=list)
    failed_validation: list[pd.DataFrame] = field(default_factory=list)
    candidates: list[tuple[int, PreparedReport]] = field(default_factory=list)


def _refuse(plan: _Plan, position: int, item: Refused, now: datetime) -> None:
    name = item.path.name
    report_id = item.report_id or f"unread:{name}:{item.size}"
    plan.quarantine.append(file_quarantine_frame(report_id, name, item.line_count, item.reason, now))
    plan.results[position] = Loaded(item.path, error=item.error)


def _already(path: Path, report_id: str) -> Loaded:
    return Loaded(path, LoadOutcome(path.name, str(path), report_id, "already loaded"))


def _sort(con: duckdb.DuckDBPyConnection, batch: Sequence[Prepared], seen: set[str], now: datetime) -> _Plan:
    plan = _Plan()
    ids = [item.report_id for item in batch if isinstance(item, PreparedReport)]
    in_warehouse = loaded_ids(con, "reports", "report_id", ids)
    for position, item in enumerate(batch):
        if isinstance(item, Skipped):
            plan.results[position] = _already(item.path, item.report_id)
        elif isinstance(item, Refused):
            _refuse(plan, position, item, now)
        elif item.report_id in seen or item.report_id in in_warehouse:
            plan.results[position] = _already(item.path, item.report_id)
        else:
            seen.add(item.report_id)
            plan.candidates.append((position, item))
    return plan


def _concat(frames: Sequence[pd.DataFrame], columns: Sequence[str]) -> pd.DataFrame:
    kept = [f for f in frames if not f.empty]
    if not kept:
        return frame([], columns)
    return pd.concat(kept, ignore_index=True) if len(kept) > 1 else kept[0]


def _table(candidates: Sequence[tuple[int, PreparedReport]], table: str) -> pd.DataFrame:
    frames = [getattr(p.frames, table) for _, p in candidates]
    return _concat(frames, list(frames[0].columns)) if frames else pd.DataFrame()


def _of_files(table: pd.DataFrame, files: Sequence[tuple[int, PreparedReport]], every: int) -> pd.DataFrame:
    """The rows of ``files`` in a batch table of ``every`` files (the table itself when all of them)."""
    if len(files) == every or table.empty:
        return table
    return table[table["report_id"].isin([p.report_id for _, p in files])].reset_index(drop=True)


def _gx_agrees(rows: pd.DataFrame, lines: pd.DataFrame) -> bool:
    return not gx_batch_check(rows, lines)


def _outcomes_one_by_one(p: PreparedReport) -> tuple[ExpectationOutcome, ...]:
    try:
        return validate_frames(p.frames.statistic_rows, p.frames.line_classes, p.line_count, p.source_file)
    except SuiteFailedError as exc:
        return exc.outcomes


def _validate(plan: _Plan, settings: BatchSettings) -> dict[str, tuple[ExpectationOutcome, ...]]:
    """Every candidate's outcomes; the files that fail leave the candidates for the quarantine."""
    candidates = plan.candidates
    if not candidates:
        return {}
    line_counts = {p.report_id: p.line_count for _, p in candidates}
    rows, lines = _table(candidates, "statistic_rows"), _table(candidates, "line_classes")
    outcomes = check_batch(rows, lines, line_counts)
    passed = [(i, p) for i, p in candidates if suite_failure(outcomes[p.report_id], p.source_file) is None]
    if settings.gx_once_per_batch and passed:
        every = len(candidates)
        if not _gx_agrees(_of_files(rows, passed, every), _of_files(lines, passed, every)):
            outcomes = {p.report_id: _outcomes_one_by_one(p) for _, p in candidates}
    kept: list[tuple[int, PreparedReport]] = []
    for position, p in candidates:
        error = suite_failure(outcomes[p.report_id], p.source_file)
        if error is None:
            kept.append((position, p))
            continue
        now = settings.now
        plan.quarantine.append(
            file_quarantine_frame(p.report_id, p.source_file, p.line_count, error.message, now)
        )
        plan.failed_validation.append(validation_frame(error.outcomes, p.report_id, p.source_file, now))
        plan.results[position] = Loaded(
            p.path, error=str(LoadError(error.message, source_file=p.source_file, line=error.line))
        )
    plan.candidates = kept
    return outcomes


def _resolve(p: PreparedReport, settings: BatchSettings) -> Resolved:
    context = settings.intake
    facts = ReportFacts(
        p.source_file,
        p.path.parent.name,
        p.file_sha256,
        p.detection.family,
        p.header,
        context.province,
        context.district,
    )
    return resolve_report(facts, settings.manifest, context)


@dataclass(frozen=True)
class _Ready:
    """A file about to be written: its raw.reports row, its frames and its outcome (version to come)."""

    position: int
    prepared: PreparedReport
    resolved: Resolved
    record: dict[str, object]
    frames: dict[str, pd.DataFrame]  # the tables of TABLES (validation results built when written)
    outcomes: tuple[ExpectationOutcome, ...]
    now: datetime

    def validation(self) -> pd.DataFrame:
        return validation_frame(self.outcomes, self.prepared.report_id, self.prepared.source_file, self.now)

    def counts(self) -> dict[str, int]:
        return {**{t: len(f) for t, f in self.frames.items()}, "validation_results": len(self.outcomes)}


def _ready(
    position: int, p: PreparedReport, outcomes: tuple[ExpectationOutcome, ...], settings: BatchSettings
) -> _Ready:
    resolved = _resolve(p, settings)
    frames = {t: getattr(p.frames, t) for t in TABLES}
    record = report_record(p, resolved, settings.now)
    return _Ready(position, p, resolved, record, frames, outcomes, settings.now)


def _batch_validation(ready: Sequence[_Ready]) -> pd.DataFrame:
    """The raw.validation_results rows of every ready file, built as one frame."""
    records = [
        {
            "report_id": r.prepared.report_id,
            "source_file": r.prepared.source_file,
            "expectation": o.expectation,
            "column_name": o.column_name,
            "success": o.success,
            "unexpected_count": o.unexpected_count,
            "details": o.details,
            "validated_at": r.now,
        }
        for r in ready
        for o in r.outcomes
    ]
    return frame(records, VALIDATION_COLUMNS)


def _loaded(item: _Ready, version: int) -> Loaded:
    p = item.prepared
    outcome = LoadOutcome(
        source_file=p.source_file,
        source_path=str(p.path),
        report_id=p.report_id,
        status="loaded",
        family=p.detection.family,
        version_number=version,
        is_held_out=item.resolved.is_held_out,
        hold_reason=item.resolved.hold_reason,
        counts=item.counts(),
    )
    return Loaded(p.path, outcome)


def _write_one_by_one(con: duckdb.DuckDBPyConnection, ready: Sequence[_Ready]) -> dict[int, Loaded]:
    results: dict[int, Loaded] = {}
    for item in ready:
        try:
            version, _ = write_report(
                con, item.record, {**item.frames, "validation_results": item.validation()}
            )
            results[item.position] = _loaded(item, version)
        except CchcError as exc:
            results[item.position] = Loaded(item.prepared.path, error=str(exc))
    return results


def _write(con: duckdb.DuckDBPyConnection, ready: Sequence[_Ready]) -> dict[int, Loaded]:
    """Write every ready file in one transaction; file by file should the batch transaction fail."""
    if not ready:
        return {}
    tables = {t: _concat([r.frames[t] for r in ready], list(ready[0].frames[t].columns)) for t in TABLES}
    tables["validation_results"] = _batch_validation(ready)
    try:
        versions = write_batch(con, [r.record for r in ready], tables)
    except LoadError:
        return _write_one_by_one(con, ready)
    return {r.position: _loaded(r, v) for r, v in zip(ready, versions, strict=True)}


def load_batch(
    con: duckdb.DuckDBPyConnection, batch: Sequence[Prepared], settings: BatchSettings, seen: set[str]
) -> list[Loaded]:
    """Validate and write one batch of prepared files; one result per file, in batch order.

    ``seen`` holds the report ids written earlier in the run (updated here).
    """
    plan = _sort(con, batch, seen, settings.now)
    outcomes = _validate(plan, settings)
    validation = pd.concat(plan.failed_validation, ignore_index=True) if plan.failed_validation else None
    quarantine = pd.concat(plan.quarantine, ignore_index=True) if plan.quarantine else frame([], [])
    write_file_quarantines(con, quarantine, validation)
    ready = [_ready(i, p, outcomes[p.report_id], settings) for i, p in plan.candidates]
    plan.results.update(_write(con, ready))
    return [plan.results[i] for i in range(len(batch))]
