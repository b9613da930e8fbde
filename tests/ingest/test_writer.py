"""ingest.writer: inserts by column name, versions, one transaction per file, the file quarantine entry."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ingest.errors import LoadError
from ingest.frames import QUARANTINE_COLUMNS, file_quarantine_frame, frame
from ingest.writer import ensure_schema, insert_frame, is_loaded, write_file_quarantine, write_hand_entered

NOW = datetime(2024, 1, 1, 12, 0)


@pytest.fixture()
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(connection)
    return connection


def _file(file_id: str, source_file: str = "values.csv") -> dict[str, Any]:
    return {
        "file_id": file_id,
        "source_file": source_file,
        "source_path": f"data/{source_file}",
        "file_sha256": file_id * 4,
        "line_count": 3,
        "row_count": 2,
        "value_count": 0,
        "rejected_count": 1,
        "loaded_at": NOW,
        "parser_version": "test",
    }


def _rejected(file_id: str, line: int) -> dict[str, Any]:
    return {
        "quarantine_id": f"{file_id}:{line}",
        "report_id": None,
        "source_file": "values.csv",
        "line_start": line,
        "line_end": line,
        "raw_text": "x,y",
        "reason": "unknown unit",
        "quarantined_at": NOW,
    }


def test_frames_are_inserted_by_column_name_whatever_their_order(con: duckdb.DuckDBPyConnection) -> None:
    reversed_columns = tuple(reversed(QUARANTINE_COLUMNS))
    assert insert_frame(con, "quarantine", frame([_rejected("f1", 2)], reversed_columns)) == 1
    row = con.execute("SELECT quarantine_id, line_start, reason FROM raw.quarantine").fetchone()
    assert row == ("f1:2", 2, "unknown unit")


def test_versions_count_up_per_file_name(con: duckdb.DuckDBPyConnection) -> None:
    quarantine = frame([_rejected("a", 2)], QUARANTINE_COLUMNS)
    first, counts = write_hand_entered(con, _file("a"), {"quarantine": quarantine})
    second, _ = write_hand_entered(con, _file("b"), {})
    other, _ = write_hand_entered(con, _file("c", "other.csv"), {})
    assert (first, second, other) == (1, 2, 1)
    assert counts == {"quarantine": 1}
    assert is_loaded(con, "hand_entered_files", "file_id", "b")
    assert not is_loaded(con, "hand_entered_files", "file_id", "z")


def test_a_failed_write_commits_nothing_of_the_file(con: duckdb.DuckDBPyConnection) -> None:
    duplicate = frame([_rejected("a", 2), _rejected("a", 2)], QUARANTINE_COLUMNS)  # same primary key
    with pytest.raises(LoadError, match="writing to the warehouse failed") as info:
        write_hand_entered(con, _file("a"), {"quarantine": duplicate})
    assert info.value.source_file == "values.csv"
    assert con.execute("SELECT count(*) FROM raw.hand_entered_files").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM raw.quarantine").fetchone() == (0,)


def test_file_quarantine_entry_is_written_once(con: duckdb.DuckDBPyConnection) -> None:
    entry = file_quarantine_frame("abc", "bad.txt", 0, "cannot parse", NOW)
    write_file_quarantine(con, entry)
    write_file_quarantine(con, entry)  # the same file again: ignored, not a key violation
    rows = con.execute("SELECT quarantine_id, line_start, line_end, reason FROM raw.quarantine").fetchall()
    assert rows == [("file:abc", 1, 1, "cannot parse")]


# --- The batch path: versions of a batch, one transaction for all, many quarantine entries --------


def _report(
    report_id: str, unit: str | None, number: int | None = 1, source_file: str = "r.txt"
) -> dict[str, Any]:
    return {
        "report_id": report_id,
        "source_file": source_file,
        "source_path": f"data/{source_file}",
        "file_sha256": report_id * 4,
        "line_count": 3,
        "template_family": "soctrang_2022",
        "family_detection_score": 1.0,
        "manifest_entry_found": False,
        "manifest_sha256_matches": None,
        "unit_code": unit,
        "period_year": 2024 if unit else None,
        "period_type": "quarter" if unit else None,
        "period_number": number if unit else None,
        "is_held_out": unit is None,
        "loaded_at": NOW,
        "parser_version": "test",
    }


def test_batch_versions_are_those_of_one_file_at_a_time(con: duckdb.DuckDBPyConnection) -> None:
    from ingest.writer import write_batch, write_report

    assert write_report(con, _report("a1", "u1"), {})[0] == 1
    assert write_report(con, _report("n1", None, source_file="x.txt"), {})[0] == 1
    batch = [
        _report("a2", "u1"),  # u1 Q1 again: 2
        _report("b1", "u1", number=2),  # u1 Q2: 1
        _report("a3", "u1"),  # 3
        _report("c1", "u2", number=None),  # a period without number: 1
        _report("n2", None, source_file="x.txt"),  # no unit: per file name, 2
        _report("m1", None, source_file="y.txt"),  # 1
    ]
    assert write_batch(con, batch, {}) == [2, 1, 3, 1, 2, 1]
    rows = con.execute("SELECT report_id, version_number FROM raw.reports ORDER BY report_id").fetchall()
    assert dict(rows) == {"a1": 1, "n1": 1, "a2": 2, "b1": 1, "a3": 3, "c1": 1, "n2": 2, "m1": 1}


def test_a_failed_batch_commits_nothing_of_it(con: duckdb.DuckDBPyConnection) -> None:
    from ingest.writer import write_batch

    duplicate = frame([_rejected("a", 2), _rejected("a", 2)], QUARANTINE_COLUMNS)
    with pytest.raises(LoadError, match="writing the batch to the warehouse failed"):
        write_batch(con, [_report("a1", "u1"), _report("b1", "u2")], {"quarantine": duplicate})
    assert con.execute("SELECT count(*) FROM raw.reports").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM raw.quarantine").fetchone() == (0,)


def test_many_file_quarantine_entries_in_one_transaction(con: duckdb.DuckDBPyConnection) -> None:
    from ingest.writer import write_file_quarantines

    entries = frame(
        [file_quarantine_frame(r, f"{r}.txt", 4, "bad", NOW).iloc[0].to_dict() for r in ("r1", "r2")],
        QUARANTINE_COLUMNS,
    )
    write_file_quarantines(con, entries)
    write_file_quarantines(con, entries)  # again: still one entry per file
    assert con.execute("SELECT quarantine_id FROM raw.quarantine ORDER BY 1").fetchall() == [
        ("file:r1",),
        ("file:r2",),
    ]
