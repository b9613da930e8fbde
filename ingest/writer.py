"""The one module that writes the warehouse's ``raw`` schema.

Both input paths (report files: ingest/load.py; hand-entered CSVs: ingest/hand_entered_load.py)
write through it: the schema (ingest/schema.sql), one transaction per file, inserts by column
name from frames, the next version number of a re-submitted file, and the quarantine entry of a
file that cannot be loaded at all (its own committed transaction).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from ingest.errors import LoadError
from ingest.paths import schema_sql

_DECIMAL = "DECIMAL(20, 6)"
_TABLE_CASTS: dict[str, dict[str, str]] = {
    "statistic_rows": {"value_number": _DECIMAL, "numerator": _DECIMAL, "denominator": _DECIMAL},
    "note_values": {"value_number": _DECIMAL, "numerator": _DECIMAL, "denominator": _DECIMAL},
}


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
    con.execute(schema_sql())


def is_loaded(con: duckdb.DuckDBPyConnection, table: str, key_column: str, key: str) -> bool:
    """True when ``raw.<table>`` already has the row of this file (same bytes loaded before)."""
    return con.execute(f"SELECT 1 FROM raw.{table} WHERE {key_column} = ?", [key]).fetchone() is not None


def insert_frame(
    con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, *, ignore: bool = False
) -> int:
    """Insert the rows of ``frame`` into ``raw.<table>`` by column name; the number of rows."""
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


def insert_record(con: duckdb.DuckDBPyConnection, table: str, record: Mapping[str, Any]) -> None:
    """Insert one row given as column -> value into ``raw.<table>`` (an explicit column list)."""
    columns = ", ".join(f'"{c}"' for c in record)
    marks = ", ".join("?" for _ in record)
    con.execute(f"INSERT INTO raw.{table} ({columns}) VALUES ({marks})", list(record.values()))


def rollback_quietly(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):
        con.rollback()


def write_file_quarantine(
    con: duckdb.DuckDBPyConnection,
    entry: pd.DataFrame,
    validation: pd.DataFrame | None = None,
) -> None:
    """Record a file that could not be loaded as its one quarantine entry, in its own transaction.

    ``validation`` (the outcomes of the expectations that failed it) replaces the file's earlier
    validation results.
    """
    con.begin()
    try:
        insert_frame(con, "quarantine", entry, ignore=True)
        if validation is not None and not validation.empty:
            report_id = validation["report_id"].iloc[0]
            con.execute("DELETE FROM raw.validation_results WHERE report_id = ?", [report_id])
            insert_frame(con, "validation_results", validation)
        con.commit()
    except Exception:
        rollback_quietly(con)
        raise


def next_report_version(con: duckdb.DuckDBPyConnection, report: Mapping[str, Any]) -> int:
    """1 + the latest version of the same unit and period (or, unit unknown, of the same file name)."""
    if report["unit_code"] is not None and report["period_type"] is not None:
        row = con.execute(
            """
            SELECT coalesce(max(version_number), 0) FROM raw.reports
            WHERE unit_code = ? AND period_year = ? AND period_type = ?
              AND period_number IS NOT DISTINCT FROM ?
            """,
            [report["unit_code"], report["period_year"], report["period_type"], report["period_number"]],
        ).fetchone()
    else:
        row = con.execute(
            """
            SELECT coalesce(max(version_number), 0) FROM raw.reports
            WHERE source_file = ? AND unit_code IS NULL
            """,
            [report["source_file"]],
        ).fetchone()
    return int(row[0] if row else 0) + 1


def next_hand_entered_version(con: duckdb.DuckDBPyConnection, source_file: str) -> int:
    """1 + the latest version of a hand-entered CSV of the same file name."""
    row = con.execute(
        "SELECT coalesce(max(version_number), 0) FROM raw.hand_entered_files WHERE source_file = ?",
        [source_file],
    ).fetchone()
    return int(row[0] if row else 0) + 1


def _insert_frames(con: duckdb.DuckDBPyConnection, frames: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    return {table: insert_frame(con, table, rows) for table, rows in frames.items()}


def write_report(
    con: duckdb.DuckDBPyConnection, report: Mapping[str, Any], frames: Mapping[str, pd.DataFrame]
) -> tuple[int, dict[str, int]]:
    """Write one report's raw.reports row and its rows (table -> frame) in one transaction.

    ``report`` is the raw.reports row without its version number, which is decided here, inside
    the transaction. Returns the version and the rows written per table.

    Raises:
        LoadError: writing failed; nothing of the file was committed.
    """
    con.begin()
    try:
        version = next_report_version(con, report)
        insert_record(con, "reports", {**report, "version_number": version})
        counts = _insert_frames(con, frames)
        con.commit()
    except Exception as exc:
        rollback_quietly(con)
        raise LoadError(f"writing to the warehouse failed: {exc}", source_file=report["source_file"]) from exc
    return version, counts


def write_hand_entered(
    con: duckdb.DuckDBPyConnection, file: Mapping[str, Any], frames: Mapping[str, pd.DataFrame]
) -> tuple[int, dict[str, int]]:
    """Write one hand-entered CSV's raw.hand_entered_files row and its rows in one transaction.

    Raises:
        LoadError: writing failed; nothing of the file was committed.
    """
    con.begin()
    try:
        version = next_hand_entered_version(con, file["source_file"])
        insert_record(con, "hand_entered_files", {**file, "version_number": version})
        counts = _insert_frames(con, frames)
        con.commit()
    except Exception as exc:
        rollback_quietly(con)
        raise LoadError(f"writing to the warehouse failed: {exc}", source_file=file["source_file"]) from exc
    return version, counts


# --- the register, review decisions (ingest/register_load.py, ingest/intake.py) -------------------


def replace_register(
    con: duckdb.DuckDBPyConnection, units: pd.DataFrame, source_version: str, loaded_at: Any
) -> int:
    """Replace raw.admin_units with ``units`` and record the version loaded, in one transaction."""
    con.begin()
    try:
        con.execute("DELETE FROM raw.admin_units")
        count = insert_frame(con, "admin_units", units)
        con.execute("DELETE FROM raw.register_loads")
        insert_record(
            con,
            "register_loads",
            {"source_version": source_version, "unit_count": count, "loaded_at": loaded_at},
        )
        con.commit()
    except Exception as exc:
        rollback_quietly(con)
        raise LoadError(f"writing the unit register failed: {exc}", source_file="raw.admin_units") from exc
    return count


def update_reports(con: duckdb.DuckDBPyConnection, updates: pd.DataFrame) -> int:
    """Set the columns of ``updates`` (keyed by report_id) on raw.reports rows, in one transaction."""
    if updates.empty:
        return 0
    columns = [c for c in updates.columns if c != "report_id"]
    assignments = ", ".join(f'"{c}" = u."{c}"' for c in columns)
    con.register("_cchc_report_updates", updates)
    con.begin()
    try:
        con.execute(
            f"UPDATE raw.reports SET {assignments} FROM _cchc_report_updates AS u "
            "WHERE raw.reports.report_id = u.report_id"
        )
        con.commit()
    except Exception as exc:
        rollback_quietly(con)
        raise LoadError(f"updating report decisions failed: {exc}", source_file="raw.reports") from exc
    finally:
        con.unregister("_cchc_report_updates")
    return len(updates)


# --- The batch path (ingest/batch_load.py): many files, one transaction ----------------------------


def loaded_ids(con: duckdb.DuckDBPyConnection, table: str, key_column: str, keys: Sequence[str]) -> set[str]:
    """The keys among ``keys`` that ``raw.<table>`` already has (files whose bytes were loaded before)."""
    if not keys:
        return set()
    wanted = pd.DataFrame({"key": list(keys)})
    con.register("_cchc_keys", wanted)
    try:
        rows = con.execute(
            f"SELECT DISTINCT t.{key_column} FROM raw.{table} t JOIN _cchc_keys k ON t.{key_column} = k.key"
        ).fetchall()
    finally:
        con.unregister("_cchc_keys")
    return {str(r[0]) for r in rows}


def _version_key(report: Mapping[str, Any]) -> tuple[Any, ...]:
    """What versions count per: the unit and period, or (unit unknown) the file name."""
    if report["unit_code"] is not None and report["period_type"] is not None:
        return (
            "unit",
            report["unit_code"],
            report["period_year"],
            report["period_type"],
            report["period_number"],
        )
    return ("file", None, None, None, None, report["source_file"])


_LATEST_VERSIONS = """
    SELECT k.kind, k.unit_code, k.period_year, k.period_type, k.period_number, k.source_file,
           coalesce(max(r.version_number), 0)
    FROM _cchc_version_keys k
    LEFT JOIN raw.reports r
      ON (k.kind = 'unit' AND r.unit_code = k.unit_code AND r.period_year = k.period_year
          AND r.period_type = k.period_type AND r.period_number IS NOT DISTINCT FROM k.period_number)
      OR (k.kind = 'file' AND r.source_file = k.source_file AND r.unit_code IS NULL)
    GROUP BY ALL
"""


def _latest_versions(
    con: duckdb.DuckDBPyConnection, keys: Sequence[tuple[Any, ...]]
) -> dict[tuple[Any, ...], int]:
    """The latest version already written for each key (0 when none): one query for all of them."""
    columns = ["kind", "unit_code", "period_year", "period_type", "period_number", "source_file"]
    wanted = pd.DataFrame.from_records(
        [(*k[:5], k[5] if len(k) > 5 else None) for k in keys], columns=columns
    )
    wanted = wanted.astype({"period_year": "Int64", "period_number": "Int64"})
    con.register("_cchc_version_keys", wanted)
    try:
        rows = con.execute(_LATEST_VERSIONS).fetchall()
    finally:
        con.unregister("_cchc_version_keys")
    latest: dict[tuple[Any, ...], int] = {}
    for kind, unit, year, ptype, number, source_file, version in rows:
        key = (
            ("unit", unit, year, ptype, number)
            if kind == "unit"
            else ("file", None, None, None, None, source_file)
        )
        latest[key] = int(version)
    return latest


def next_report_versions(con: duckdb.DuckDBPyConnection, reports: Sequence[Mapping[str, Any]]) -> list[int]:
    """The version number of each report, in order: as :func:`next_report_version` one by one would give.

    One query for the latest versions already in the warehouse; reports of the same unit and period
    within the batch follow one another (1 + the one before).
    """
    keys = [_version_key(r) for r in reports]
    latest = _latest_versions(con, list(dict.fromkeys(keys)))
    versions: list[int] = []
    for key in keys:
        latest[key] = latest.get(key, 0) + 1
        versions.append(latest[key])
    return versions


def write_batch(
    con: duckdb.DuckDBPyConnection, reports: Sequence[Mapping[str, Any]], frames: Mapping[str, pd.DataFrame]
) -> list[int]:
    """Write the raw.reports rows of many files and their rows (table -> one frame) in ONE transaction.

    ``reports`` are raw.reports rows without their version numbers, decided here inside the
    transaction; the frames hold the rows of exactly these reports. Returns the versions in order.

    Raises:
        LoadError: writing failed; nothing of the batch was committed.
    """
    con.begin()
    try:
        versions = next_report_versions(con, reports)
        rows = pd.DataFrame.from_records(
            [{**r, "version_number": v} for r, v in zip(reports, versions, strict=True)]
        ).astype(object)
        insert_frame(con, "reports", rows)
        _insert_frames(con, frames)
        con.commit()
    except Exception as exc:
        rollback_quietly(con)
        raise LoadError(f"writing the batch to the warehouse failed: {exc}") from exc
    return versions


def write_file_quarantines(
    con: duckdb.DuckDBPyConnection, entries: pd.DataFrame, validation: pd.DataFrame | None = None
) -> None:
    """Record many unloadable files (one quarantine entry each) in one transaction.

    ``validation`` holds the outcomes of the files that failed validation; they replace those
    files' earlier validation results.
    """
    if entries.empty:
        return
    con.begin()
    try:
        insert_frame(con, "quarantine", entries, ignore=True)
        if validation is not None and not validation.empty:
            con.register("_cchc_failed", validation[["report_id"]].drop_duplicates())
            try:
                con.execute(
                    "DELETE FROM raw.validation_results"
                    " WHERE report_id IN (SELECT report_id FROM _cchc_failed)"
                )
            finally:
                con.unregister("_cchc_failed")
            insert_frame(con, "validation_results", validation)
        con.commit()
    except Exception:
        rollback_quietly(con)
        raise
