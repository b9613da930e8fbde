"""What the warehouse holds of the inputs: loaded reports (with their current decision) and failures.

Also the one-line summary of a batch (:func:`batch_counts`, :func:`summary_line`): loaded, new
version, already loaded, held, rejected, quarantined and failed are counted apart, and
:func:`needs_person` says whether anything waits for someone (the CLI then exits 1).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import duckdb

from ingest.errors import CchcError
from ingest.warehouse import connect_warehouse

STATUS_ORDER = ("loaded", "new version", "already loaded", "held", "rejected", "quarantined", "failed")
NEEDS_PERSON = ("held", "quarantined", "failed")

_REPORTS_SQL = """
SELECT report_id, source_file, template_family, unit_code, unit_name, period_type, period_year,
       period_number, version_number, is_held_out, hold_reason, review_status, review_reason,
       unit_source, period_source, loaded_at
FROM raw.reports ORDER BY source_file, version_number, loaded_at
"""
_FAILED_SQL = """
SELECT source_file, reason, quarantined_at FROM raw.quarantine
WHERE quarantine_id LIKE 'file:%' ORDER BY quarantined_at, source_file
"""
_QUARANTINED_ROWS_SQL = """
SELECT f.source_file, count(*) AS rows
FROM raw.quarantine AS q JOIN raw.hand_entered_files AS f ON q.quarantine_id LIKE f.file_id || ':%'
WHERE q.report_id IS NULL
  AND f.version_number = (
      SELECT max(version_number) FROM raw.hand_entered_files AS g WHERE g.source_file = f.source_file
  )
GROUP BY f.source_file ORDER BY f.source_file
"""


class HasStatus(Protocol):
    @property
    def status(self) -> str: ...


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw' AND table_name = ?", [name]
    ).fetchone()
    return bool(row and row[0])


def status(warehouse: Path, *, wait_seconds: float = 0.0) -> dict[str, list[dict[str, Any]]]:
    """Loaded reports (with their decision and how they were resolved), failed files, CSV quarantines."""
    if not warehouse.exists():
        raise CchcError("warehouse not found (run `cchc ingest` first)", source_file=str(warehouse))
    with connect_warehouse(warehouse, read_only=True, wait_seconds=wait_seconds) as con:
        if not _has_table(con, "reports"):
            return {"reports": [], "failed": [], "quarantined_rows": []}
        quarantined = _rows(con, _QUARANTINED_ROWS_SQL) if _has_table(con, "hand_entered_files") else []
        return {
            "reports": _rows(con, _REPORTS_SQL),
            "failed": _rows(con, _FAILED_SQL),
            "quarantined_rows": quarantined,
        }


def status_needs_person(info: dict[str, list[dict[str, Any]]]) -> bool:
    """True when a report is held (for review or unresolved), a file failed or CSV rows are quarantined."""
    held = any(
        r["review_status"] in ("held for review", "held out")
        or (r["review_status"] is None and r["is_held_out"])
        for r in info["reports"]
    )
    return held or bool(info["failed"]) or bool(info["quarantined_rows"])


def batch_counts(results: Iterable[HasStatus]) -> dict[str, int]:
    """Files per status, in :data:`STATUS_ORDER` (statuses with no file left out)."""
    counts = Counter(r.status for r in results)
    return {s: counts[s] for s in STATUS_ORDER if counts[s]}


def summary_line(results: Iterable[HasStatus]) -> str:
    items = list(results)
    counts = batch_counts(items)
    parts = ", ".join(f"{n} {s}" for s, n in counts.items()) or "nothing to do"
    return f"{len(items)} file(s): {parts}"


def needs_person(results: Iterable[HasStatus]) -> bool:
    return any(r.status in NEEDS_PERSON for r in results)
