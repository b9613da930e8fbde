"""Loading one report file into the warehouse's ``raw`` schema: the report path, top to bottom.

read bytes -> :mod:`ingest.prepare` (decode, detect, parse, recognize, frames; pure) ->
:mod:`ingest.validate` -> :mod:`ingest.resolve` (unit, period, hold-out; pure) ->
:mod:`ingest.writer` (one transaction).

One transaction per file: the report row, its statistic rows (recognized against the
family's template rows), note figures, narrative blocks, one class per line (with the
line's text), quarantined lines and the validation results. ``report_id`` is the first
16 hex digits of the file's sha256: loading the same bytes again is a no-op; a changed
file for the same unit and period becomes the next version, the old one is kept.

A file that cannot be parsed at all (not UTF-8, no template family fits, the parser
fails) or whose rows fail validation is recorded in raw.quarantine as one entry
(lines 1..N with the reason) in its own committed transaction, and LoadError is raised.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from ingest import __version__
from ingest.detect import AUTO
from ingest.errors import LoadError, SuiteFailedError, UnparseableFileError
from ingest.frames import file_quarantine_frame, validation_frame
from ingest.input_file import file_id_of, quarantine_if_oversized, read_input
from ingest.manifest import Manifest
from ingest.prepare import PreparedReport, prepare_report
from ingest.records import ExpectationOutcome
from ingest.reference import load_unit_aliases
from ingest.register import load_register
from ingest.resolve import IntakeContext, ReportFacts, Resolved, resolve_report
from ingest.validate import validate_frames
from ingest.writer import LoadOutcome, ensure_schema, is_loaded, write_file_quarantine, write_report


def default_context() -> IntakeContext:
    """The register and the aliases of seeds/unit_aliases.csv, without a province context."""
    return IntakeContext(load_register(), load_unit_aliases())


def report_record(prepared: PreparedReport, resolved: Resolved, now: datetime) -> dict[str, Any]:
    """The raw.reports row of a prepared file (without its version number, decided when written)."""
    detection, header = prepared.detection, prepared.header
    return {
        "report_id": prepared.report_id,
        "source_file": prepared.source_file,
        "source_path": str(prepared.path),
        "source_format": prepared.source_format,
        "file_sha256": prepared.file_sha256,
        "line_count": prepared.line_count,
        "template_family": detection.family,
        "family_detection_score": detection.score,
        **resolved.columns(),
        "doc_unit_name": header.unit_name,
        "doc_unit_line": header.unit_line,
        "doc_period_text": header.period_text,
        "doc_period_type": header.period_type,
        "doc_period_year": header.period_year,
        "doc_period_number": header.period_number,
        "doc_period_line": header.period_line,
        "is_held_out": resolved.is_held_out,
        "hold_reason": resolved.hold_reason,
        "loaded_at": now,
        "parser_version": __version__,
    }


def _validate(
    con: duckdb.DuckDBPyConnection, prepared: PreparedReport, now: datetime
) -> tuple[ExpectationOutcome, ...]:
    """The expectation outcomes; a failure quarantines the file (with the outcomes) and raises LoadError."""
    frames, source_file = prepared.frames, prepared.source_file
    try:
        return validate_frames(frames.statistic_rows, frames.line_classes, prepared.line_count, source_file)
    except SuiteFailedError as exc:
        entry = file_quarantine_frame(prepared.report_id, source_file, prepared.line_count, exc.message, now)
        write_file_quarantine(
            con, entry, validation_frame(exc.outcomes, prepared.report_id, source_file, now)
        )
        raise LoadError(exc.message, source_file=source_file, line=exc.line) from exc


def commit_report(
    con: duckdb.DuckDBPyConnection,
    prepared: PreparedReport,
    manifest: Manifest | None,
    context: IntakeContext,
    now: datetime,
) -> LoadOutcome:
    """Validate the frames of one file and write them in one transaction.

    A failed expectation commits nothing of the file's data: the file becomes one
    quarantine entry (with the validation results) and LoadError is raised.
    """
    outcomes = _validate(con, prepared, now)
    source_file, report_id, frames = prepared.source_file, prepared.report_id, prepared.frames
    facts = ReportFacts(
        source_file,
        prepared.path.parent.name,
        prepared.file_sha256,
        prepared.detection.family,
        prepared.header,
        context.province,
        context.district,
    )
    resolved = resolve_report(facts, manifest, context)
    version, counts = write_report(
        con,
        report_record(prepared, resolved, now),
        {
            "statistic_rows": frames.statistic_rows,
            "note_values": frames.note_values,
            "narrative_blocks": frames.narrative_blocks,
            "line_classes": frames.line_classes,
            "quarantine": frames.quarantine,
            "validation_results": validation_frame(outcomes, report_id, source_file, now),
        },
    )
    return LoadOutcome(
        source_file=source_file,
        source_path=str(prepared.path),
        report_id=report_id,
        status="loaded",
        family=prepared.detection.family,
        version_number=version,
        is_held_out=resolved.is_held_out,
        hold_reason=resolved.hold_reason,
        counts=counts,
    )


def load_report(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    manifest: Manifest | None = None,
    *,
    template: str = AUTO,
    context: IntakeContext | None = None,
    template_dir: Path | None = None,
    now: datetime | None = None,
) -> LoadOutcome:
    """Load one report file in one transaction; raises LoadError (file, line) on any failure.

    Loading the same bytes again returns status "already loaded" and writes nothing.
    """
    path = Path(path)
    now = now or datetime.now(UTC).replace(tzinfo=None)
    quarantine_if_oversized(con, path, now)
    data = read_input(path)
    report_id = file_id_of(data)
    ensure_schema(con)
    if is_loaded(con, "reports", "report_id", report_id):
        return LoadOutcome(path.name, str(path), report_id, "already loaded")
    try:
        prepared = prepare_report(path, data, template=template, template_dir=template_dir, now=now)
    except UnparseableFileError as exc:
        entry = file_quarantine_frame(exc.report_id, path.name, exc.line_count, exc.message, now)
        write_file_quarantine(con, entry)
        raise LoadError(exc.message, source_file=path.name, line=exc.line) from exc
    return commit_report(con, prepared, manifest, context or default_context(), now)
