"""Loading one report file into the warehouse's ``raw`` schema.

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

import contextlib
import csv
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ingest import __version__
from ingest.detect import AUTO, Detection, decode_report, detect_and_parse
from ingest.errors import CchcError, LoadError
from ingest.manifest import Manifest, ManifestEntry, sha256_of, unit_key
from ingest.recognize import REPO_ROOT, RowMatch, load_template_rows, recognize_rows
from ingest.records import HeaderInfo, LineClass, ParseResult
from ingest.validate import ExpectationOutcome, SuiteFailed, validate_frames

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
REPORTING_UNITS_CSV = REPO_ROOT / "seeds" / "reporting_units.csv"
DISTRICT_KINDS = ("huyện", "thị xã", "thành phố", "quận")
COMMUNE_KINDS = ("xã", "phường", "thị trấn")

_DECIMAL = "DECIMAL(20, 6)"
_TABLE_CASTS: dict[str, dict[str, str]] = {
    "statistic_rows": {"value_number": _DECIMAL, "numerator": _DECIMAL, "denominator": _DECIMAL},
    "note_values": {"value_number": _DECIMAL, "numerator": _DECIMAL, "denominator": _DECIMAL},
}


# ---------------------------------------------------------------------------------------------------
# Reference data and metadata resolution (pure)
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportingUnit:
    unit_code: str
    unit_name: str
    unit_level: str | None = None
    province: str | None = None
    parent_district: str | None = None


def load_reporting_units(path: Path | None = None) -> dict[str, ReportingUnit]:
    """Reporting units by unit-name key ("thị xã vĩnh châu") from seeds/reporting_units.csv.

    {} when the file is absent. Required columns: unit_code, unit_name_vi. Optional:
    unit_type_vi ("huyện", "thị xã"... prefixed to the name for matching), unit_level,
    parent_unit_code (a district's province, a commune's district).
    """
    path = path or REPORTING_UNITS_CSV
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if not {"unit_code", "unit_name_vi"} <= set(reader.fieldnames or []):
            raise CchcError(
                "reporting units need columns unit_code, unit_name_vi", source_file=str(path), line=1
            )
        records = [{k: (v or "").strip() for k, v in r.items() if k is not None} for r in reader]
    by_code = {r["unit_code"]: r for r in records if r.get("unit_code")}

    def province_of(record: dict[str, str]) -> str | None:
        seen: set[str] = set()
        current: dict[str, str] | None = record
        while current is not None and current.get("unit_code") not in seen:
            seen.add(current.get("unit_code", ""))
            if current.get("unit_level") == "province":
                return current.get("unit_name_vi") or None
            current = by_code.get(current.get("parent_unit_code", ""))
        return None

    units: dict[str, ReportingUnit] = {}
    for r in records:
        code, name = r.get("unit_code", ""), r.get("unit_name_vi", "")
        if not code or not name:
            continue
        kind = r.get("unit_type_vi", "")
        full = f"{kind} {name}" if kind and not unit_key(name).startswith(unit_key(kind)) else name
        level = r.get("unit_level") or None
        units[unit_key(full)] = ReportingUnit(
            unit_code=code,
            unit_name=full,
            unit_level=level,
            province=province_of(r),
            parent_district=(r.get("parent_unit_code") or None) if level == "commune" else None,
        )
    return units


@dataclass(frozen=True)
class Resolved:
    """What the warehouse records about a report's unit and period, and whether it is held out."""

    manifest_entry_found: bool
    manifest_sha256_matches: bool | None
    unit_code: str | None
    unit_name: str | None
    unit_level: str | None
    province: str | None
    parent_district: str | None
    period_year: int | None
    period_type: str | None
    period_number: int | None
    hold_reasons: tuple[str, ...] = ()

    @property
    def is_held_out(self) -> bool:
        return bool(self.hold_reasons)

    @property
    def hold_reason(self) -> str | None:
        return "; ".join(self.hold_reasons) or None


def _level_of(unit_name: str) -> str | None:
    lowered = unit_name.lower()
    if any(lowered.startswith(k + " ") for k in DISTRICT_KINDS):
        return "district"
    if any(lowered.startswith(k + " ") for k in COMMUNE_KINDS):
        return "commune"
    return None


def _describe_period(ptype: str | None, year: int | None, number: int | None) -> str:
    if ptype is None or year is None:
        return "unknown"
    return f"{ptype} {number} {year}" if number is not None else f"{ptype} {year}"


def resolve_report(
    file_name: str,
    file_sha256: str,
    family: str,
    header: HeaderInfo,
    manifest: Manifest | None,
    reporting_units: Mapping[str, ReportingUnit] | None = None,
) -> Resolved:
    """Combine the manifest entry and the document's own statements; decide the hold-out rule.

    Held out when: unit or period known neither from the manifest nor from the document; the
    document contradicts the manifest (period, unit name); the file's sha256 differs from the
    manifest's; the manifest's family differs from the detected one.
    """
    units = reporting_units or {}
    entry: ManifestEntry | None = manifest.get(file_name) if manifest else None
    reasons: list[str] = []
    doc_period = (header.period_type, header.period_year, header.period_number)
    if entry is not None:
        sha_matches: bool | None = None
        if entry.sha256 is not None:
            sha_matches = entry.sha256 == file_sha256
            if not sha_matches:
                reasons.append(
                    f"file changed since the manifest was written (sha256 {file_sha256[:12]}… "
                    f"!= manifest {entry.sha256[:12]}…)"
                )
        if entry.template_family != family:
            reasons.append(f"manifest family {entry.template_family} differs from detected family {family}")
        if header.unit_name and unit_key(header.unit_name) != unit_key(entry.unit_name):
            reasons.append(
                f"document names unit {header.unit_name!r} (line {header.unit_line}) "
                f"but the manifest says {entry.unit_name!r}"
            )
        man_period = (entry.period.type, entry.period.year, entry.period.number)
        if header.period_type is not None and doc_period != man_period:
            reasons.append(
                f"document states period {_describe_period(*doc_period)} (line {header.period_line}) "
                f"but the manifest says {_describe_period(*man_period)}"
            )
        return Resolved(
            manifest_entry_found=True,
            manifest_sha256_matches=sha_matches,
            unit_code=entry.unit_code,
            unit_name=entry.unit_name,
            unit_level=entry.unit_level,
            province=entry.province,
            parent_district=entry.parent_district,
            period_year=entry.period.year,
            period_type=entry.period.type,
            period_number=entry.period.number,
            hold_reasons=tuple(reasons),
        )

    unit_code = unit_level = province = parent = None
    unit_name = header.unit_name
    if unit_name is None:
        reasons.append("unit unknown: no manifest entry and the document does not name its reporting unit")
    else:
        unit_level = _level_of(unit_name)
        known = manifest.find_unit(unit_name) if manifest else None
        if known is not None:
            unit_code, unit_level, province, parent = (
                known.unit_code,
                known.unit_level,
                known.province,
                known.parent_district,
            )
            unit_name = known.unit_name
        elif unit_key(unit_name) in units:
            ref = units[unit_key(unit_name)]
            unit_code, unit_name = ref.unit_code, ref.unit_name
            unit_level = ref.unit_level or unit_level
            province, parent = ref.province, ref.parent_district
        else:
            reasons.append(
                f"unit not resolved: the document names {unit_name!r} (line {header.unit_line}), "
                "which matches no manifest entry and no reporting unit"
            )
    if header.period_type is None or header.period_year is None:
        reasons.append("period unknown: no manifest entry and the document does not state its period")
    return Resolved(
        manifest_entry_found=False,
        manifest_sha256_matches=None,
        unit_code=unit_code,
        unit_name=unit_name,
        unit_level=unit_level,
        province=province,
        parent_district=parent,
        period_year=header.period_year,
        period_type=header.period_type,
        period_number=header.period_number,
        hold_reasons=tuple(reasons),
    )


# ---------------------------------------------------------------------------------------------------
# Frames (pure): the rows about to be written
# ---------------------------------------------------------------------------------------------------


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class ReportFrames:
    statistic_rows: pd.DataFrame
    note_values: pd.DataFrame
    narrative_blocks: pd.DataFrame
    line_classes: pd.DataFrame
    quarantine: pd.DataFrame


def _frame(records: list[dict[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=list(columns)).astype(object)


_ROW_COLUMNS = (
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
)
_NOTE_COLUMNS = (
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
_BLOCK_COLUMNS = (
    "report_id",
    "source_file",
    "block_seq",
    "line_start",
    "line_end",
    "heading",
    "text",
)
_LINE_COLUMNS = (
    "report_id",
    "source_file",
    "line_no",
    "line_class",
    "reason",
    "line_text",
)
_QUARANTINE_COLUMNS = (
    "quarantine_id",
    "report_id",
    "source_file",
    "line_start",
    "line_end",
    "raw_text",
    "reason",
    "quarantined_at",
)


def report_frames(
    result: ParseResult,
    report_id: str,
    source_file: str,
    text_lines: Sequence[str],
    matches: Sequence[RowMatch],
    now: datetime,
) -> ReportFrames:
    """The rows of every raw table for one parsed file (nothing written yet)."""
    match_of = {m.row_seq: m for m in matches}
    rows: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for r in result.rows:
        m = match_of.get(r.seq)
        v = r.value
        rows.append(
            {
                "report_id": report_id,
                "source_file": source_file,
                "row_seq": r.seq,
                "line_start": r.line_start,
                "line_end": r.line_end,
                "section_code": r.section_code,
                "section_label": r.section_label,
                "row_code": r.row_code,
                "row_path": r.row_path,
                "parent_row_path": r.parent_row_path,
                "depth": r.depth,
                "is_group": r.is_group,
                "raw_label": r.raw_label,
                "label": r.label,
                "raw_unit": r.raw_unit,
                "unit": r.unit,
                "raw_value": v.raw,
                "value_kind": str(v.kind),
                "value_number": _dec(v.number),
                "qualifier": v.qualifier,
                "numerator": _dec(v.numerator),
                "denominator": _dec(v.denominator),
                "value_text": v.text,
                "unit_in_value": v.unit_in_value,
                "raw_note": r.raw_note,
                "note": r.note,
                "footnote_marks": "".join(r.footnote_marks),
                "template_row_id": m.template_row_id if m else None,
                "template_match_score": m.score if m else None,
                "template_match_note": (m.note or None) if m else "no template rows for this family",
            }
        )
        for k, fact in enumerate(r.note_facts, start=1):
            notes.append(
                {
                    "report_id": report_id,
                    "source_file": source_file,
                    "row_seq": r.seq,
                    "fact_seq": k,
                    "line_start": fact.line_start or r.line_start,
                    "line_end": fact.line_end or r.line_end,
                    "raw_text": fact.raw,
                    "keyword": fact.keyword,
                    "value_kind": str(fact.value.kind),
                    "value_number": _dec(fact.value.number),
                    "qualifier": fact.value.qualifier,
                    "numerator": _dec(fact.value.numerator),
                    "denominator": _dec(fact.value.denominator),
                }
            )
    blocks = [
        {
            "report_id": report_id,
            "source_file": source_file,
            "block_seq": b.seq,
            "line_start": b.line_start,
            "line_end": b.line_end,
            "heading": b.heading,
            "text": b.text,
        }
        for b in result.narrative
    ]

    def line_text(n: int) -> str:
        return text_lines[n - 1] if 1 <= n <= len(text_lines) else ""

    lines = [
        {
            "report_id": report_id,
            "source_file": source_file,
            "line_no": rec.line_no,
            "line_class": str(rec.line_class),
            "reason": rec.reason,
            "line_text": line_text(rec.line_no),
        }
        for rec in result.lines
    ]
    quarantine = [
        {
            "quarantine_id": f"{report_id}:{rec.line_no}",
            "report_id": report_id,
            "source_file": source_file,
            "line_start": rec.line_no,
            "line_end": rec.line_no,
            "raw_text": line_text(rec.line_no),
            "reason": rec.reason or "quarantined by the parser",
            "quarantined_at": now,
        }
        for rec in result.lines
        if rec.line_class is LineClass.QUARANTINE
    ]
    return ReportFrames(
        statistic_rows=_frame(rows, _ROW_COLUMNS),
        note_values=_frame(notes, _NOTE_COLUMNS),
        narrative_blocks=_frame(blocks, _BLOCK_COLUMNS),
        line_classes=_frame(lines, _LINE_COLUMNS),
        quarantine=_frame(quarantine, _QUARANTINE_COLUMNS),
    )


def validation_frame(
    outcomes: Sequence[ExpectationOutcome], report_id: str, source_file: str, now: datetime
) -> pd.DataFrame:
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
    columns = "report_id source_file expectation column_name success unexpected_count details validated_at"
    return _frame(records, columns.split())


# ---------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadOutcome:
    """What happened to one file."""

    source_file: str
    source_path: str
    report_id: str
    status: str  # "loaded" | "already loaded"
    family: str | None = None
    version_number: int | None = None
    is_held_out: bool = False
    hold_reason: str | None = None
    counts: dict[str, int] = field(default_factory=dict)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema and its tables when missing (ingest/schema.sql)."""
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, *, ignore: bool = False) -> int:
    if frame.empty:
        return 0
    casts = _TABLE_CASTS.get(table, {})
    select = ", ".join(f"CAST({c} AS {casts[c]}) AS {c}" if c in casts else f'"{c}"' for c in frame.columns)
    view = f"_cchc_{table}"
    con.register(view, frame)
    try:
        verb = "INSERT OR IGNORE INTO" if ignore else "INSERT INTO"
        con.execute(f"{verb} raw.{table} BY NAME SELECT {select} FROM {view}")
    finally:
        con.unregister(view)
    return len(frame)


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):
        con.rollback()


def _quarantine_file(
    con: duckdb.DuckDBPyConnection,
    report_id: str,
    source_file: str,
    line_count: int,
    reason: str,
    now: datetime,
    outcomes: Sequence[ExpectationOutcome] = (),
) -> None:
    """Record a file that could not be loaded as one quarantine entry, in its own transaction."""
    entry = _frame(
        [
            {
                "quarantine_id": f"file:{report_id}",
                "report_id": None,
                "source_file": source_file,
                "line_start": 1,
                "line_end": max(line_count, 1),
                "raw_text": "",
                "reason": reason,
                "quarantined_at": now,
            }
        ],
        _QUARANTINE_COLUMNS,
    )
    con.begin()
    try:
        _insert(con, "quarantine", entry, ignore=True)
        if outcomes:
            con.execute("DELETE FROM raw.validation_results WHERE report_id = ?", [report_id])
            _insert(con, "validation_results", validation_frame(outcomes, report_id, source_file, now))
        con.commit()
    except Exception:
        _rollback(con)
        raise


def _next_version(con: duckdb.DuckDBPyConnection, resolved: Resolved, source_file: str) -> int:
    if resolved.unit_code is not None and resolved.period_type is not None:
        row = con.execute(
            """
            SELECT coalesce(max(version_number), 0) FROM raw.reports
            WHERE unit_code = ? AND period_year = ? AND period_type = ?
              AND period_number IS NOT DISTINCT FROM ?
            """,
            [resolved.unit_code, resolved.period_year, resolved.period_type, resolved.period_number],
        ).fetchone()
    else:
        row = con.execute(
            """
            SELECT coalesce(max(version_number), 0) FROM raw.reports
            WHERE source_file = ? AND unit_code IS NULL
            """,
            [source_file],
        ).fetchone()
    return int(row[0] if row else 0) + 1


@dataclass(frozen=True)
class PreparedReport:
    """A parsed file with the rows about to be written (nothing validated or written yet)."""

    path: Path
    source_file: str
    file_sha256: str
    report_id: str
    line_count: int
    detection: Detection
    frames: ReportFrames

    @property
    def header(self) -> HeaderInfo:
        return self.detection.result.header


class UnparseableFile(CchcError):
    """A file that cannot be parsed at all (not UTF-8, no family fits, the parser failed)."""

    def __init__(self, message: str, *, source_file: str, line: int | None, report_id: str, line_count: int):
        super().__init__(message, source_file=source_file, line=line)
        self.report_id = report_id
        self.line_count = line_count


def prepare_report(
    path: Path,
    data: bytes,
    *,
    template: str = AUTO,
    template_dir: Path | None = None,
    now: datetime,
) -> PreparedReport:
    """Decode, detect, parse and recognize one file and build its frames (pure apart from reading seeds)."""
    source_file = path.name
    file_sha = hashlib.sha256(data).hexdigest()
    report_id = file_sha[:16]
    line_count = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    try:
        text = decode_report(data, source_file)
        line_count = len(text.splitlines())
        detection = detect_and_parse(text, source_file, template)
    except CchcError as exc:
        raise UnparseableFile(
            f"cannot parse: {exc.message}",
            source_file=source_file,
            line=exc.line,
            report_id=report_id,
            line_count=line_count,
        ) from exc
    except Exception as exc:  # a parser bug must not stop the other files
        raise UnparseableFile(
            f"parser failed: {type(exc).__name__}: {exc}",
            source_file=source_file,
            line=None,
            report_id=report_id,
            line_count=line_count,
        ) from exc
    result = detection.result
    template_rows = load_template_rows(detection.family, template_dir)
    matches = recognize_rows(result.rows, template_rows) if template_rows is not None else ()
    frames = report_frames(result, report_id, source_file, text.splitlines(), matches, now)
    return PreparedReport(path, source_file, file_sha, report_id, line_count, detection, frames)


def commit_report(
    con: duckdb.DuckDBPyConnection,
    prepared: PreparedReport,
    manifest: Manifest | None,
    reporting_units: Mapping[str, ReportingUnit],
    now: datetime,
) -> LoadOutcome:
    """Validate the frames of one file and write them in one transaction.

    A failed expectation commits nothing of the file's data: the file becomes one
    quarantine entry (with the validation results) and LoadError is raised.
    """
    source_file, report_id, frames = prepared.source_file, prepared.report_id, prepared.frames
    try:
        outcomes = validate_frames(
            frames.statistic_rows, frames.line_classes, prepared.line_count, source_file
        )
    except SuiteFailed as exc:
        _quarantine_file(con, report_id, source_file, prepared.line_count, exc.message, now, exc.outcomes)
        raise LoadError(exc.message, source_file=source_file, line=exc.line) from exc

    detection = prepared.detection
    header = prepared.header
    resolved = resolve_report(
        source_file, prepared.file_sha256, detection.family, header, manifest, reporting_units
    )
    con.begin()
    try:
        version = _next_version(con, resolved, source_file)
        con.execute(
            """
            INSERT INTO raw.reports (
                report_id, source_file, source_path, file_sha256, line_count, template_family,
                family_detection_score, manifest_entry_found, manifest_sha256_matches, unit_code, unit_name,
                unit_level, province, parent_district, period_year, period_type, period_number,
                doc_unit_name, doc_unit_line, doc_period_text, doc_period_type, doc_period_year,
                doc_period_number, doc_period_line, is_held_out, hold_reason, version_number, loaded_at,
                parser_version
            ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                report_id,
                source_file,
                str(prepared.path),
                prepared.file_sha256,
                prepared.line_count,
                detection.family,
                detection.score,
                resolved.manifest_entry_found,
                resolved.manifest_sha256_matches,
                resolved.unit_code,
                resolved.unit_name,
                resolved.unit_level,
                resolved.province,
                resolved.parent_district,
                resolved.period_year,
                resolved.period_type,
                resolved.period_number,
                header.unit_name,
                header.unit_line,
                header.period_text,
                header.period_type,
                header.period_year,
                header.period_number,
                header.period_line,
                resolved.is_held_out,
                resolved.hold_reason,
                version,
                now,
                __version__,
            ],
        )
        counts = {
            "statistic_rows": _insert(con, "statistic_rows", frames.statistic_rows),
            "note_values": _insert(con, "note_values", frames.note_values),
            "narrative_blocks": _insert(con, "narrative_blocks", frames.narrative_blocks),
            "line_classes": _insert(con, "line_classes", frames.line_classes),
            "quarantine": _insert(con, "quarantine", frames.quarantine),
            "validation_results": _insert(
                con, "validation_results", validation_frame(outcomes, report_id, source_file, now)
            ),
        }
        con.commit()
    except Exception as exc:
        _rollback(con)
        raise LoadError(f"writing to the warehouse failed: {exc}", source_file=source_file) from exc
    return LoadOutcome(
        source_file=source_file,
        source_path=str(prepared.path),
        report_id=report_id,
        status="loaded",
        family=detection.family,
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
    reporting_units: Mapping[str, ReportingUnit] | None = None,
    template_dir: Path | None = None,
    now: datetime | None = None,
) -> LoadOutcome:
    """Load one report file in one transaction; raises LoadError (file, line) on any failure.

    Loading the same bytes again returns status "already loaded" and writes nothing.
    """
    path = Path(path)
    now = now or datetime.now(UTC).replace(tzinfo=None)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror}", source_file=str(path)) from exc
    report_id = hashlib.sha256(data).hexdigest()[:16]
    ensure_schema(con)
    if con.execute("SELECT 1 FROM raw.reports WHERE report_id = ?", [report_id]).fetchone():
        return LoadOutcome(path.name, str(path), report_id, "already loaded")
    try:
        prepared = prepare_report(path, data, template=template, template_dir=template_dir, now=now)
    except UnparseableFile as exc:
        _quarantine_file(con, exc.report_id, path.name, exc.line_count, exc.message, now)
        raise LoadError(exc.message, source_file=path.name, line=exc.line) from exc
    units = load_reporting_units() if reporting_units is None else reporting_units
    return commit_report(con, prepared, manifest, units, now)


# Public names of the writing helpers, for the other input paths (ingest/hand_entered_load.py).
frame = _frame
insert_frame = _insert
rollback_quietly = _rollback
quarantine_file = _quarantine_file
QUARANTINE_COLUMNS = _QUARANTINE_COLUMNS

__all__ = [
    "QUARANTINE_COLUMNS",
    "LoadOutcome",
    "PreparedReport",
    "ReportingUnit",
    "Resolved",
    "commit_report",
    "ensure_schema",
    "frame",
    "insert_frame",
    "load_report",
    "load_reporting_units",
    "prepare_report",
    "quarantine_file",
    "resolve_report",
    "rollback_quietly",
    "sha256_of",
]
