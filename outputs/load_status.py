"""What the warehouse holds of the inputs: loaded reports (with hold-out reasons) and failed files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.errors import CchcError
from ingest.warehouse import connect_warehouse


def status(warehouse: Path, *, wait_seconds: float = 0.0) -> dict[str, list[dict[str, Any]]]:
    """Loaded reports (with hold-out reasons) and files that failed, from the warehouse."""
    if not warehouse.exists():
        raise CchcError("warehouse not found (run `cchc ingest` first)", source_file=str(warehouse))
    with connect_warehouse(warehouse, read_only=True, wait_seconds=wait_seconds) as con:
        has_raw = con.execute(
            """
            SELECT count(*) FROM information_schema.tables
            WHERE table_schema = 'raw' AND table_name = 'reports'
            """
        ).fetchone()
        if not has_raw or not has_raw[0]:
            return {"reports": [], "failed": []}
        cursor = con.execute(
            """
            SELECT report_id, source_file, template_family, unit_code, unit_name, period_type, period_year,
                   period_number, version_number, is_held_out, hold_reason, loaded_at
            FROM raw.reports ORDER BY source_file, version_number, loaded_at
            """
        )
        columns = [d[0] for d in cursor.description]
        reports = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        cursor = con.execute(
            """
            SELECT source_file, reason, quarantined_at FROM raw.quarantine
            WHERE quarantine_id LIKE 'file:%' ORDER BY quarantined_at, source_file
            """
        )
        columns = [d[0] for d in cursor.description]
        failed = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return {"reports": reports, "failed": failed}
