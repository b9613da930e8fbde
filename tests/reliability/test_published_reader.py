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

import duckdb
from dbt_project_runner import SamplesBuild

from outputs.publish import publish
from pipeline.build import OutputPaths

READER = Path(__file__).with_name("reader.py")
ROUNDS = 6


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
    reader = subprocess.Popen(
        [sys.executable, str(READER), str(outputs.published), str(stop), *tables],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        for i in range(ROUNDS):
            publish(second if i % 2 == 0 else first, outputs.published, outputs.export_dir)
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=600)
    seen = [json.loads(line) for line in out.splitlines()]
    assert reader.returncode == 0
    assert len(seen) >= 2
    assert [s for s in seen if "error" in s] == []
    assert {tuple(s["counts"]) for s in seen} <= states
    print(f"reader: {len(seen)} observations, states seen {sorted({tuple(s['counts']) for s in seen})}")
