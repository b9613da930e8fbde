"""Loading one hand-entered values CSV into the warehouse's ``raw`` schema.

One transaction per file: the file record (raw.hand_entered_files), its valid rows
(raw.hand_entered_values) and its rejected rows (raw.quarantine, one entry per row with the reason,
report_id null, quarantine_id ``file_id:line``). ``file_id`` is the first 16 hex digits of the
file's sha256: loading the same bytes again is a no-op; a changed file of the same name becomes the
next version (the old one is kept; only the latest version of a file name reaches the marts).

Policy for invalid rows: the valid rows of the file load and every invalid row is quarantined with
its reason; nothing is dropped and the outcome lists each rejected row's error (file, CSV line,
what was expected), so `cchc ingest` reports them and exits 1. A file that cannot be read at all
(not UTF-8, no usable header) loads nothing: it becomes one quarantine entry (``file:<file_id>``)
and LoadError is raised, as for an unparseable report.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ingest import __version__
from ingest.errors import CchcError, HandEnteredValueError, LoadError
from ingest.hand_entered import HandEnteredFile, ReferenceData, load_reference_data, parse_hand_entered
from ingest.load import (
    QUARANTINE_COLUMNS,
    LoadOutcome,
    ensure_schema,
    frame,
    insert_frame,
    quarantine_file,
    rollback_quietly,
)

FAMILY = "hand_entered"

_VALUE_COLUMNS = (
    "file_id",
    "source_file",
    "line_start",
    "line_end",
    "raw_unit_code",
    "raw_period",
    "raw_indicator_code",
    "raw_value",
    "raw_unit",
    "unit_code",
    "unit_name",
    "unit_level",
    "province",
    "parent_unit_code",
    "period_year",
    "period_type",
    "period_number",
    "indicator_code",
    "unit",
    "value_kind",
    "value_number",
    "qualifier",
    "numerator",
    "denominator",
    "value_text",
    "unit_in_value",
    "source_reference",
    "note",
)


@dataclass(frozen=True)
class HandEnteredOutcome:
    """What happened to one CSV: the load outcome and the rows that were quarantined."""

    outcome: LoadOutcome
    rejected: tuple[HandEnteredValueError, ...] = ()

    @property
    def error_summary(self) -> str | None:
        """One text listing every rejected row ("values.csv:4: unknown indicator ..."), None when none."""
        if not self.rejected:
            return None
        listed = "; ".join(str(e) for e in self.rejected)
        return f"{len(self.rejected)} row(s) quarantined: {listed}"


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def value_frame(parsed: HandEnteredFile, file_id: str) -> pd.DataFrame:
    """The rows of raw.hand_entered_values for one parsed file (nothing written)."""
    records: list[dict[str, Any]] = []
    for v in parsed.values:
        records.append(
            {
                "file_id": file_id,
                "source_file": parsed.source_file,
                "line_start": v.line_start,
                "line_end": v.line_end,
                "raw_unit_code": v.raw_unit_code,
                "raw_period": v.raw_period,
                "raw_indicator_code": v.raw_indicator_code,
                "raw_value": v.value.raw,
                "raw_unit": v.raw_unit,
                "unit_code": v.unit_code,
                "unit_name": v.unit_name,
                "unit_level": v.unit_level,
                "province": v.province,
                "parent_unit_code": v.parent_unit_code,
                "period_year": v.period_year,
                "period_type": v.period_type,
                "period_number": v.period_number,
                "indicator_code": v.indicator_code,
                "unit": v.unit,
                "value_kind": str(v.value.kind),
                "value_number": _dec(v.value.number),
                "qualifier": v.value.qualifier,
                "numerator": _dec(v.value.numerator),
                "denominator": _dec(v.value.denominator),
                "value_text": v.value.text,
                "unit_in_value": v.value.unit_in_value,
                "source_reference": v.source_reference,
                "note": v.note,
            }
        )
    return frame(records, _VALUE_COLUMNS)


def rejected_frame(parsed: HandEnteredFile, file_id: str, now: datetime) -> pd.DataFrame:
    """The raw.quarantine rows of the rejected rows of one parsed file."""
    records = [
        {
            "quarantine_id": f"{file_id}:{r.line_start}",
            "report_id": None,
            "source_file": parsed.source_file,
            "line_start": r.line_start,
            "line_end": r.line_end,
            "raw_text": r.raw_text,
            "reason": r.reason,
            "quarantined_at": now,
        }
        for r in parsed.rejected
    ]
    return frame(records, QUARANTINE_COLUMNS)


def _next_version(con: duckdb.DuckDBPyConnection, source_file: str) -> int:
    row = con.execute(
        "SELECT coalesce(max(version_number), 0) FROM raw.hand_entered_files WHERE source_file = ?",
        [source_file],
    ).fetchone()
    return int(row[0] if row else 0) + 1


def load_hand_entered(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    *,
    reference: ReferenceData | None = None,
    now: datetime | None = None,
) -> HandEnteredOutcome:
    """Load one hand-entered CSV in one transaction; see the module docstring for the policy.

    Returns status "already loaded" (writing nothing) when the same bytes were loaded before.

    Raises:
        LoadError: the file cannot be read or has no usable header (recorded in raw.quarantine), or
            writing failed (nothing committed).
    """
    path = Path(path)
    now = now or datetime.now(UTC).replace(tzinfo=None)
    source_file = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror}", source_file=str(path)) from exc
    file_sha = hashlib.sha256(data).hexdigest()
    file_id = file_sha[:16]
    ensure_schema(con)
    if con.execute("SELECT 1 FROM raw.hand_entered_files WHERE file_id = ?", [file_id]).fetchone():
        return HandEnteredOutcome(
            LoadOutcome(source_file, str(path), file_id, "already loaded", family=FAMILY)
        )
    line_count = max(data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1), 1)
    try:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise HandEnteredValueError(
                "not UTF-8 text: save the CSV as UTF-8", source_file=source_file, line=line
            ) from exc
        parsed = parse_hand_entered(text, source_file, reference or load_reference_data())
    except CchcError as exc:
        quarantine_file(con, file_id, source_file, line_count, f"cannot read: {exc.message}", now)
        raise LoadError(exc.message, source_file=source_file, line=exc.line) from exc

    con.begin()
    try:
        version = _next_version(con, source_file)
        con.execute(
            """
            INSERT INTO raw.hand_entered_files (
                file_id, source_file, source_path, file_sha256, line_count, row_count, value_count,
                rejected_count, version_number, loaded_at, parser_version
            ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                file_id,
                source_file,
                str(path),
                file_sha,
                parsed.line_count,
                parsed.row_count,
                len(parsed.values),
                len(parsed.rejected),
                version,
                now,
                __version__,
            ],
        )
        counts = {
            "hand_entered_values": insert_frame(con, "hand_entered_values", value_frame(parsed, file_id)),
            "quarantine": insert_frame(con, "quarantine", rejected_frame(parsed, file_id, now)),
        }
        con.commit()
    except Exception as exc:
        rollback_quietly(con)
        raise LoadError(f"writing to the warehouse failed: {exc}", source_file=source_file) from exc
    outcome = LoadOutcome(
        source_file=source_file,
        source_path=str(path),
        report_id=file_id,
        status="loaded",
        family=FAMILY,
        version_number=version,
        counts=counts,
    )
    return HandEnteredOutcome(outcome, tuple(r.error for r in parsed.rejected))


__all__ = ["FAMILY", "HandEnteredOutcome", "load_hand_entered", "rejected_frame", "value_frame"]
