"""A reader of the published file during publishes that change the data: never an error, never a mix.

Two warehouses with different contents (the sample build, and a copy with rows removed from two
marts) are published in turn to the same file while another process reads it in a loop (a
held read-only connection, and a fresh one each round). Every pair of row counts it sees is the
pair of one of the two warehouses.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
from dbt_project_runner import SamplesBuild

from outputs.publish import publish
from pipeline.build import OutputPaths

READER = Path(__file__).with_name("reader.py")
ROUNDS = 5


def _pair(path: Path, tables: list[str]) -> tuple[int, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        a, b = (int(con.execute(f'select count(*) from marts."{t}"').fetchone()[0]) for t in tables)  # type: ignore[index]
    return a, b


def _two_marts(warehouse: Path) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_name from duckdb_tables() "
            "where schema_name = 'marts' and estimated_size > 3 order by 1"
        ).fetchall()
    return [rows[0][0], rows[1][0]]


def test_reader_sees_old_or_new_never_a_mix(tmp_path: Path, samples_build: SamplesBuild) -> None:
    first = tmp_path / "a.duckdb"
    second = tmp_path / "b.duckdb"
    shutil.copyfile(samples_build.warehouse, first)
    shutil.copyfile(samples_build.warehouse, second)
    tables = _two_marts(first)
    with duckdb.connect(str(second)) as con:
        con.execute(f'delete from marts."{tables[0]}" where rowid % 2 = 0')
        con.execute(f'delete from marts."{tables[1]}" where rowid % 3 = 0')
    states = {_pair(first, tables), _pair(second, tables)}
    assert len(states) == 2
    outputs = OutputPaths(target=tmp_path / "target")
    publish(first, outputs.published, outputs.export_dir)
    stop = tmp_path / "stop"
    readers = {
        mode: subprocess.Popen(
            [sys.executable, str(READER), mode, str(outputs.published), str(stop), *tables],
            stdout=subprocess.PIPE,
            text=True,
        )
        for mode in ("held", "fresh")
    }
    seen: list[dict[str, Any]] = []
    try:
        for reader in readers.values():  # both read the first content before anything changes
            seen += _until_seen(reader, _pair(first, tables))
        for i in range(ROUNDS):
            publish(second if i % 2 == 0 else first, outputs.published, outputs.export_dir)
        seen += _until_seen(readers["fresh"], _pair(second, tables))  # ROUNDS is odd: ends on second
    finally:
        stop.touch()
        for reader in readers.values():
            assert reader.stdout is not None  # read through the same buffer as _until_seen
            seen += [json.loads(line) for line in reader.stdout.read().splitlines()]
            reader.wait()
    assert [r.returncode for r in readers.values()] == [0, 0]
    assert [s for s in seen if "error" in s] == []
    observed = {(int(s["counts"][0]), int(s["counts"][1])) for s in seen}
    assert observed <= states
    assert observed == states  # the fresh reader saw the new content after the last publish
    print(f"reader: {len(seen)} observations, states seen {sorted(observed)}")


def _until_seen(reader: subprocess.Popen[str], wanted: tuple[int, int]) -> list[dict[str, Any]]:
    """Observations of ``reader`` up to the first one of ``wanted`` (a fresh connection sees it)."""
    assert reader.stdout is not None
    seen: list[dict[str, Any]] = []
    while line := reader.stdout.readline():
        seen.append(json.loads(line))
        if tuple(seen[-1].get("counts", ())) == wanted:
            break
    return seen
