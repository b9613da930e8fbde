"""A reader of the published file, in its own process: loops until ``STOP`` exists.

``python reader.py MODE PUBLISHED STOP TABLE_A TABLE_B``. MODE ``held``: one read-only connection
for the whole run; ``fresh``: a new read-only connection each round (DuckDB shares one database
instance per path within a process, so the two modes run in separate processes). Each round
prints the pair of row counts of the two marts (one JSON line), or the error it got.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb


def counts(con: duckdb.DuckDBPyConnection, tables: list[str]) -> list[int]:
    con.execute("begin transaction")
    try:
        return [int(con.execute(f'select count(*) from marts."{t}"').fetchone()[0]) for t in tables]  # type: ignore[index]
    finally:
        con.execute("rollback")


def observe(mode: str, published: Path, held: duckdb.DuckDBPyConnection | None, tables: list[str]) -> str:
    try:
        if held is not None:
            return json.dumps({"mode": mode, "counts": counts(held, tables)})
        with duckdb.connect(str(published), read_only=True) as con:
            return json.dumps({"mode": mode, "counts": counts(con, tables)})
    except duckdb.Error as exc:
        return json.dumps({"mode": mode, "error": str(exc)})


def main(mode: str, published: Path, stop: Path, tables: list[str]) -> None:
    held = duckdb.connect(str(published), read_only=True) if mode == "held" else None
    while not stop.exists():
        print(observe(mode, published, held, tables), flush=True)
    if held is not None:
        held.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:])
