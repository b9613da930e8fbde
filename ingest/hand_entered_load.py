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
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ingest import __version__
from ingest.errors import CchcError, HandEnteredValueError, LoadError
from ingest.frames import QUARANTINE_COLUMNS, dec, file_quarantine_frame, frame
from ingest.hand_entered import HandEnteredFile, parse_hand_entered
from ingest.input_file import count_lines, file_id_of, read_input
from ingest.reference import ReferenceData, load_reference_data
from ingest.writer import LoadOutcome, ensure_schema, is_loaded, write_file_quarantine, write_hand_entered

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
                "value_number": dec(v.value.number),
                "qualifier": v.value.qualifier,
                "numerator": dec(v.value.numerator),
                "denominator": dec(v.value.denominator),
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


def _decode(data: bytes, source_file: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise HandEnteredValueError(
            "not UTF-8 text: save the CSV as UTF-8", source_file=source_file, line=line
        ) from exc


def file_record(path: Path, data: bytes, parsed: HandEnteredFile, now: datetime) -> dict[str, Any]:
    """The raw.hand_entered_files row of a parsed CSV (without its version number)."""
    file_sha = hashlib.sha256(data).hexdigest()
    return {
        "file_id": file_sha[:16],
        "source_file": path.name,
        "source_path": str(path),
        "file_sha256": file_sha,
        "line_count": parsed.line_count,
        "row_count": parsed.row_count,
        "value_count": len(parsed.values),
        "rejected_count": len(parsed.rejected),
        "loaded_at": now,
        "parser_version": __version__,
    }


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
    data = read_input(path)
    file_id = file_id_of(data)
    ensure_schema(con)
    if is_loaded(con, "hand_entered_files", "file_id", file_id):
        return HandEnteredOutcome(
            LoadOutcome(source_file, str(path), file_id, "already loaded", family=FAMILY)
        )
    try:
        parsed = parse_hand_entered(
            _decode(data, source_file), source_file, reference or load_reference_data()
        )
    except CchcError as exc:
        line_count = max(count_lines(data), 1)
        entry = file_quarantine_frame(file_id, source_file, line_count, f"cannot read: {exc.message}", now)
        write_file_quarantine(con, entry)
        raise LoadError(exc.message, source_file=source_file, line=exc.line) from exc
    version, counts = write_hand_entered(
        con,
        file_record(path, data, parsed, now),
        {
            "hand_entered_values": value_frame(parsed, file_id),
            "quarantine": rejected_frame(parsed, file_id, now),
        },
    )
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
