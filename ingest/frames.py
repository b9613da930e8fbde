"""The rows about to be written to ``raw``, as pandas frames (pure: nothing is read or written).

One function per raw table builds its records from the parse result; :func:`report_frames`
puts them together for one file. Every frame carries the lineage columns (report_id,
source_file, line_start/line_end or line_no) of the table it is written to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from ingest.recognize import RowMatch
from ingest.records import ExpectationOutcome, LineClass, LineRecord, NarrativeBlock, ParseResult, StatRow

Record = dict[str, Any]

ROW_COLUMNS = (
    "report_id",
    "source_file",
    "row_seq",
    "line_start",
    "line_end",
    "section_code",
    "section_label",
    "row_code",
    "row_path",
    "parent_row_path",
    "depth",
    "is_group",
    "raw_label",
    "label",
    "raw_unit",
    "unit",
    "raw_value",
    "value_kind",
    "value_number",
    "qualifier",
    "numerator",
    "denominator",
    "value_text",
    "unit_in_value",
    "raw_note",
    "note",
    "footnote_marks",
    "template_row_id",
    "template_match_score",
    "template_match_note",
    "value_place",
)
NOTE_COLUMNS = (
    "report_id",
    "source_file",
    "row_seq",
    "fact_seq",
    "line_start",
    "line_end",
    "raw_text",
    "keyword",
    "value_kind",
    "value_number",
    "qualifier",
    "numerator",
    "denominator",
)
BLOCK_COLUMNS = ("report_id", "source_file", "block_seq", "line_start", "line_end", "heading", "text")
LINE_COLUMNS = ("report_id", "source_file", "line_no", "line_class", "reason", "line_text", "source_place")
QUARANTINE_COLUMNS = (
    "quarantine_id",
    "report_id",
    "source_file",
    "line_start",
    "line_end",
    "raw_text",
    "reason",
    "quarantined_at",
)
VALIDATION_COLUMNS = (
    "report_id",
    "source_file",
    "expectation",
    "column_name",
    "success",
    "unexpected_count",
    "details",
    "validated_at",
)
NO_TEMPLATE_ROWS = "no template rows for this family"


def dec(value: Decimal | None) -> str | None:
    """A decimal as exact text (DuckDB casts it to DECIMAL on insert), None kept."""
    return None if value is None else str(value)


def _as_pandas_column(values: list[Any]) -> list[Any]:
    """A column's values as ``DataFrame.from_records(...).astype(object)`` leaves them.

    pandas stores a text column with a missing value as text with NaN, and a number column with a
    missing value (or any float) as floats with NaN; a column of other values (bools, Decimals,
    None only) is kept as it is. Anything else goes through pandas itself.
    """
    present = [v for v in values if v is not None]
    if not present:
        return values
    kinds = {type(v) for v in present}
    if kinds == {str}:
        return values if len(present) == len(values) else [_NAN if v is None else v for v in values]
    if kinds <= {int, float}:
        if float not in kinds and len(present) == len(values):
            return values
        return [_NAN if v is None else float(v) for v in values]
    if kinds <= {bool} or kinds <= {Decimal}:
        return values
    return list(pd.Series(values).astype(object))  # dates, mixed types: pandas' own conversion


_NAN = float("nan")


def frame(records: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    """A frame of ``records`` with exactly ``columns`` in order, every column of dtype object.

    Built column by column (the values as ``DataFrame.from_records(...).astype(object)`` gives them,
    several times faster).
    """
    if not columns:
        return pd.DataFrame(columns=[], dtype=object)  # as from_records: no columns, no rows
    cells = np.empty((len(records), len(columns)), dtype=object)
    for position, values in enumerate(_columns(records, columns)):
        cells[:, position] = _as_pandas_column(values)
    return pd.DataFrame(cells, columns=list(columns), dtype=object, copy=False)


def _columns(records: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> list[list[Any]]:
    """The values of every column (None where a record lacks the column)."""
    if not records:
        return [[] for _ in columns]
    try:
        get = itemgetter(*columns)
        rows = [get(r) for r in records]
    except KeyError:
        return [[r.get(c) for r in records] for c in columns]
    if len(columns) == 1:
        return [list(rows)]
    return [list(values) for values in zip(*rows, strict=True)]


@dataclass(frozen=True)
class ReportFrames:
    statistic_rows: pd.DataFrame
    note_values: pd.DataFrame
    narrative_blocks: pd.DataFrame
    line_classes: pd.DataFrame
    quarantine: pd.DataFrame


@dataclass(frozen=True)
class FileRef:
    """The lineage every row of one file carries."""

    report_id: str
    source_file: str

    def record(self) -> Record:
        return {"report_id": self.report_id, "source_file": self.source_file}


def _match_columns(match: RowMatch | None) -> Record:
    if match is None:
        return {
            "template_row_id": None,
            "template_match_score": None,
            "template_match_note": NO_TEMPLATE_ROWS,
        }
    return {
        "template_row_id": match.template_row_id,
        "template_match_score": match.score,
        "template_match_note": match.note or None,
    }


def statistic_row_record(
    ref: FileRef, row: StatRow, match: RowMatch | None, value_place: str | None = None
) -> Record:
    """One raw.statistic_rows row: the parsed row, its value and the template row it was recognized as;
    ``value_place`` is where an original document (DOCX, XLSX, PDF) holds the value (its cell)."""
    v = row.value
    return {
        **ref.record(),
        "row_seq": row.seq,
        "line_start": row.line_start,
        "line_end": row.line_end,
        "section_code": row.section_code,
        "section_label": row.section_label,
        "row_code": row.row_code,
        "row_path": row.row_path,
        "parent_row_path": row.parent_row_path,
        "depth": row.depth,
        "is_group": row.is_group,
        "raw_label": row.raw_label,
        "label": row.label,
        "raw_unit": row.raw_unit,
        "unit": row.unit,
        "raw_value": v.raw,
        "value_kind": str(v.kind),
        "value_number": dec(v.number),
        "qualifier": v.qualifier,
        "numerator": dec(v.numerator),
        "denominator": dec(v.denominator),
        "value_text": v.text,
        "unit_in_value": v.unit_in_value,
        "raw_note": row.raw_note,
        "note": row.note,
        "footnote_marks": "".join(row.footnote_marks),
        **_match_columns(match),
        "value_place": value_place,
    }


def note_value_records(ref: FileRef, row: StatRow) -> list[Record]:
    """The raw.note_values rows of the figures read from one row's note."""
    return [
        {
            **ref.record(),
            "row_seq": row.seq,
            "fact_seq": k,
            "line_start": fact.line_start or row.line_start,
            "line_end": fact.line_end or row.line_end,
            "raw_text": fact.raw,
            "keyword": fact.keyword,
            "value_kind": str(fact.value.kind),
            "value_number": dec(fact.value.number),
            "qualifier": fact.value.qualifier,
            "numerator": dec(fact.value.numerator),
            "denominator": dec(fact.value.denominator),
        }
        for k, fact in enumerate(row.note_facts, start=1)
    ]


def narrative_block_record(ref: FileRef, block: NarrativeBlock) -> Record:
    return {
        **ref.record(),
        "block_seq": block.seq,
        "line_start": block.line_start,
        "line_end": block.line_end,
        "heading": block.heading,
        "text": block.text,
    }


def _line_text(text_lines: Sequence[str], line_no: int) -> str:
    return text_lines[line_no - 1] if 1 <= line_no <= len(text_lines) else ""


def line_class_record(
    ref: FileRef, rec: LineRecord, text_lines: Sequence[str], place: str | None = None
) -> Record:
    return {
        **ref.record(),
        "line_no": rec.line_no,
        "line_class": str(rec.line_class),
        "reason": rec.reason,
        "line_text": _line_text(text_lines, rec.line_no),
        "source_place": place,
    }


@dataclass(frozen=True)
class DocumentPlaces:
    """Where the lines and the values of an original document stand in it (None for text files, whose
    line numbers are the place): ``lines[n - 1]`` for line n, ``values[row_seq]`` for a row's value."""

    lines: Sequence[str]
    values: Mapping[int, str]

    def line(self, line_no: int) -> str | None:
        return self.lines[line_no - 1] if 0 < line_no <= len(self.lines) else None


def quarantined_line_record(
    ref: FileRef, rec: LineRecord, text_lines: Sequence[str], now: datetime
) -> Record:
    """The raw.quarantine row of one line the parser could not place."""
    return {
        "quarantine_id": f"{ref.report_id}:{rec.line_no}",
        **ref.record(),
        "line_start": rec.line_no,
        "line_end": rec.line_no,
        "raw_text": _line_text(text_lines, rec.line_no),
        "reason": rec.reason or "quarantined by the parser",
        "quarantined_at": now,
    }


def report_frames(
    result: ParseResult,
    report_id: str,
    source_file: str,
    text_lines: Sequence[str],
    matches: Sequence[RowMatch],
    now: datetime,
    places: DocumentPlaces | None = None,
) -> ReportFrames:
    """The rows of every raw table for one parsed file (nothing written yet)."""
    ref = FileRef(report_id, source_file)
    match_of = {m.row_seq: m for m in matches}
    values = places.values if places is not None else {}
    rows = [statistic_row_record(ref, r, match_of.get(r.seq), values.get(r.seq)) for r in result.rows]
    notes = [n for r in result.rows for n in note_value_records(ref, r)]
    blocks = [narrative_block_record(ref, b) for b in result.narrative]
    lines = [
        line_class_record(ref, rec, text_lines, places.line(rec.line_no) if places is not None else None)
        for rec in result.lines
    ]
    quarantine = [
        quarantined_line_record(ref, rec, text_lines, now)
        for rec in result.lines
        if rec.line_class is LineClass.QUARANTINE
    ]
    return ReportFrames(
        statistic_rows=frame(rows, ROW_COLUMNS),
        note_values=frame(notes, NOTE_COLUMNS),
        narrative_blocks=frame(blocks, BLOCK_COLUMNS),
        line_classes=frame(lines, LINE_COLUMNS),
        quarantine=frame(quarantine, QUARANTINE_COLUMNS),
    )


def validation_frame(
    outcomes: Sequence[ExpectationOutcome], report_id: str, source_file: str, now: datetime
) -> pd.DataFrame:
    """The raw.validation_results rows of one file's expectation outcomes."""
    records = [
        {
            "report_id": report_id,
            "source_file": source_file,
            "expectation": o.expectation,
            "column_name": o.column_name,
            "success": o.success,
            "unexpected_count": o.unexpected_count,
            "details": o.details,
            "validated_at": now,
        }
        for o in outcomes
    ]
    return frame(records, VALIDATION_COLUMNS)


def file_quarantine_frame(
    report_id: str, source_file: str, line_count: int, reason: str, now: datetime
) -> pd.DataFrame:
    """The one raw.quarantine entry of a file that could not be loaded at all (lines 1..N)."""
    record = {
        "quarantine_id": f"file:{report_id}",
        "report_id": None,
        "source_file": source_file,
        "line_start": 1,
        "line_end": max(line_count, 1),
        "raw_text": "",
        "reason": reason,
        "quarantined_at": now,
    }
    return frame([record], QUARANTINE_COLUMNS)
