"""Re-deciding every loaded report after a batch: resolution, versions, holds (from stored rows).

After each ``cchc ingest`` / ``cchc build`` (and each ``cchc accept`` / ``cchc reject``),
:func:`redecide` reads what raw.reports keeps of every loaded file (what its document states,
the command context it was loaded with, its row counts in raw.statistic_rows) and decides again,
without re-reading any file: the unit and period (:mod:`ingest.resolve`, with today's manifest,
register and context) and which version of each unit x period is current
(:mod:`ingest.resubmission`, with people's decisions from raw.report_decisions). Changed
decisions are written back to raw.reports (:func:`ingest.writer.update_reports`), so a hold whose
cause was fixed is lifted, and `cchc status` always shows the current decision.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ingest.errors import CchcError
from ingest.input_file import file_id_of
from ingest.manifest import Manifest
from ingest.recognize import load_template_rows
from ingest.records import HeaderInfo
from ingest.reference import load_unit_aliases
from ingest.register import load_register
from ingest.resolve import IntakeContext, ReportFacts, Resolved, resolve_report
from ingest.resubmission import (
    ACCEPT,
    HELD_OUT,
    REJECT,
    Decision,
    Review,
    VersionFacts,
    review_all,
)
from ingest.writer import ensure_schema, insert_record, update_reports

_FACTS_SQL = """
SELECT r.report_id, r.source_file, r.source_path, r.file_sha256, r.template_family, r.line_count,
       r.doc_unit_name, r.doc_unit_line, r.doc_period_text, r.doc_period_type, r.doc_period_year,
       r.doc_period_number, r.doc_period_line, r.context_province, r.context_district,
       r.loaded_at, r.batch_id,
       coalesce(s.statistic_rows, 0) AS statistic_rows,
       coalesce(s.recognised_rows, 0) AS recognised_rows,
       coalesce(d.duplicate_template_rows, 0) AS duplicate_template_rows
FROM raw.reports AS r
LEFT JOIN (
    SELECT report_id, count(*) AS statistic_rows, count(template_row_id) AS recognised_rows
    FROM raw.statistic_rows GROUP BY report_id
) AS s USING (report_id)
LEFT JOIN (
    -- rows that repeat a recognised row of the same report (same section, row code and label)
    SELECT u.report_id, count(*) AS duplicate_template_rows
    FROM raw.statistic_rows AS u
    JOIN (
        SELECT DISTINCT report_id, section_code, row_code, label FROM raw.statistic_rows
        WHERE template_row_id IS NOT NULL
    ) AS k USING (report_id, section_code, row_code, label)
    WHERE u.template_row_id IS NULL
    GROUP BY u.report_id
) AS d USING (report_id)
ORDER BY r.loaded_at, r.source_path, r.report_id
"""

_DECISIONS_SQL = """
SELECT report_id, decision, decided_by, decided_at FROM raw.report_decisions
QUALIFY row_number() OVER (PARTITION BY report_id ORDER BY decided_at DESC) = 1
"""

_STRING_COLUMNS = (
    "unit_code", "unit_name", "unit_level", "province", "parent_district", "period_type", "hold_reason",
    "unit_source", "period_source", "review_status", "review_reason", "batch_id",
    "context_province", "context_district",
)  # fmt: skip


@dataclass(frozen=True)
class BatchTouch:
    """The reports a batch loaded or found already loaded, and the context it was run with."""

    batch_id: str
    loaded: Collection[str] = ()  # report ids written by this batch
    seen: Collection[str] = ()  # report ids of files given to this batch (loaded or already loaded)
    province: str | None = None
    district: str | None = None


@dataclass(frozen=True)
class ReportState:
    """The current decision on one loaded report version."""

    report_id: str
    source_file: str
    unit_code: str | None
    period: str
    version_number: int
    status: str  # current | superseded | held for review | rejected | held out
    reason: str | None

    @property
    def needs_person(self) -> bool:
        return self.status in ("held for review", "held out")


def _row_facts(row: Mapping[str, Any], touch: BatchTouch | None) -> ReportFacts:
    province, district = row["context_province"], row["context_district"]
    if touch is not None and row["report_id"] in touch.seen:
        province, district = touch.province or province, touch.district or district
    header = HeaderInfo(
        unit_name=row["doc_unit_name"],
        unit_line=row["doc_unit_line"],
        period_text=row["doc_period_text"],
        period_type=row["doc_period_type"],
        period_year=row["doc_period_year"],
        period_number=row["doc_period_number"],
        period_line=row["doc_period_line"],
    )
    folder = Path(row["source_path"]).parent.name
    return ReportFacts(
        row["source_file"], folder, row["file_sha256"], row["template_family"], header, province, district
    )


def _version_facts(
    row: Mapping[str, Any], resolved: Resolved, decision: Decision | None, batch_id: str | None
) -> VersionFacts:
    known = resolved.unit_code is not None and resolved.period_type is not None
    group = (resolved.unit_code, resolved.period_type, resolved.period_year, resolved.period_number)
    return VersionFacts(
        report_id=row["report_id"],
        source_file=row["source_file"],
        group=group if known else None,
        family=row["template_family"],
        line_count=int(row["line_count"]),
        statistic_rows=int(row["statistic_rows"]),
        recognised_rows=int(row["recognised_rows"]),
        duplicate_template_rows=int(row["duplicate_template_rows"]),
        load_order=(row["loaded_at"], row["source_path"] or "", row["report_id"]),
        batch_id=batch_id,
        resolution_held=resolved.is_held_out,
        decision=decision,
    )


def _template_sizes(families: Collection[str]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for family in families:
        rows = load_template_rows(family)
        if rows:
            sizes[family] = len(rows)
    return sizes


def _update_record(
    facts: ReportFacts, resolved: Resolved, review: Review, batch_id: str | None, report_id: str
) -> dict[str, Any]:
    held = review.status not in ("current", "superseded")
    return {
        "report_id": report_id,
        **resolved.columns(),
        "is_held_out": held,
        "hold_reason": resolved.hold_reason if review.status == HELD_OUT else review.reason,
        "review_status": review.status,
        "review_reason": review.reason,
        "version_number": review.version_number,
        "batch_id": batch_id,
        "context_province": facts.province,
        "context_district": facts.district,
    }


def _updates_frame(records: Sequence[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return frame
    return frame.astype(
        {
            **{c: "string" for c in _STRING_COLUMNS},
            "report_id": "string",
            "manifest_entry_found": "boolean",
            "manifest_sha256_matches": "boolean",
            "is_held_out": "boolean",
            "period_year": "Int64",
            "period_number": "Int64",
            "version_number": "Int64",
        }
    )


def _read(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _decisions(con: duckdb.DuckDBPyConnection) -> dict[str, Decision]:
    return {
        r["report_id"]: Decision(r["report_id"], r["decision"], r["decided_by"], r["decided_at"])
        for r in _read(con, _DECISIONS_SQL)
    }


def _period_text(resolved: Resolved) -> str:
    if resolved.period_type is None or resolved.period_year is None:
        return "unknown"
    if resolved.period_number is None:
        return f"{resolved.period_type} {resolved.period_year}"
    return f"{resolved.period_type} {resolved.period_number} {resolved.period_year}"


def redecide(
    con: duckdb.DuckDBPyConnection,
    manifest: Manifest | None,
    context: IntakeContext,
    touch: BatchTouch | None = None,
) -> list[ReportState]:
    """Resolve and review every loaded report again; write what changed; the decisions, in load order."""
    ensure_schema(con)
    rows = _read(con, _FACTS_SQL)
    decisions = _decisions(con)
    resolved_rows: list[tuple[dict[str, Any], ReportFacts, Resolved, str | None]] = []
    for row in rows:
        facts = _row_facts(row, touch)
        batch_id = row["batch_id"]
        if batch_id is None and touch is not None and row["report_id"] in touch.loaded:
            batch_id = touch.batch_id
        resolved_rows.append((row, facts, resolve_report(facts, manifest, context), batch_id))
    versions = [_version_facts(r, res, decisions.get(r["report_id"]), b) for r, _, res, b in resolved_rows]
    reviews = review_all(versions, _template_sizes({r["template_family"] for r in rows}))
    records = [
        _update_record(facts, res, reviews[row["report_id"]], b, row["report_id"])
        for row, facts, res, b in resolved_rows
    ]
    update_reports(con, _updates_frame(records))
    return [
        ReportState(
            row["report_id"],
            row["source_file"],
            res.unit_code,
            _period_text(res),
            reviews[row["report_id"]].version_number,
            reviews[row["report_id"]].status,
            rec["hold_reason"],
        )
        for (row, _, res, _b), rec in zip(resolved_rows, records, strict=True)
    ]


def find_report(con: duckdb.DuckDBPyConnection, ref: str) -> tuple[str, str]:
    """(report_id, source_file) of a report named by its id, its file (path or name)."""
    path = Path(ref)
    if path.is_file():
        report_id = file_id_of(path.read_bytes())
        row = con.execute(
            "SELECT report_id, source_file FROM raw.reports WHERE report_id = ?", [report_id]
        ).fetchone()
    else:
        row = con.execute(
            """
            SELECT report_id, source_file FROM raw.reports WHERE report_id = ? OR source_file = ?
            ORDER BY loaded_at DESC LIMIT 1
            """,
            [ref, path.name],
        ).fetchone()
    if row is None:
        raise CchcError("no loaded report with this id or file (see `cchc status`)", source_file=ref)
    return str(row[0]), str(row[1])


def record_decision(
    con: duckdb.DuckDBPyConnection,
    report_id: str,
    decision: str,
    decided_by: str,
    now: datetime,
    note: str | None = None,
) -> None:
    """Record a person's accept/reject of a report version in raw.report_decisions."""
    if decision not in (ACCEPT, REJECT):
        raise CchcError(f"decision must be {ACCEPT} or {REJECT}, got {decision!r}")
    ensure_schema(con)
    insert_record(
        con,
        "report_decisions",
        {
            "report_id": report_id,
            "decision": decision,
            "decided_by": decided_by,
            "decided_at": now,
            "note": note,
        },
    )


def decide_report(
    warehouse: Path, ref: str, decision: str, decided_by: str, manifest: Manifest | None
) -> ReportState:
    """Record accept/reject of a report (file or id) and re-decide; the report's new state."""
    now = datetime.now(UTC).replace(tzinfo=None)
    context = IntakeContext(load_register(), load_unit_aliases())
    with duckdb.connect(str(warehouse)) as con:
        ensure_schema(con)
        report_id, _ = find_report(con, ref)
        record_decision(con, report_id, decision, decided_by, now)
        states = redecide(con, manifest, context)
    return next(s for s in states if s.report_id == report_id)
