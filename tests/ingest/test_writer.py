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
