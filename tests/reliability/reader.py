"""A reader of the published file, in its own process: loops until ``STOP`` exists.

``python reader.py PUBLISHED STOP TABLE_A TABLE_B``: one connection held read-only for the whole
run, and a fresh read-only connection each round; each prints the pair of row counts of the two
marts it sees (one JSON line per observation), or the error it got.
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


def main(published: Path, stop: Path, tables: list[str]) -> None:
    held = duckdb.connect(str(published), read_only=True)
    while not stop.exists():
        for kind in ("held", "fresh"):
            try:
                if kind == "held":
                    seen = counts(held, tables)
                else:
                    with duckdb.connect(str(published), read_only=True) as con:
                        seen = counts(con, tables)
                print(json.dumps({"kind": kind, "counts": seen}), flush=True)
            except duckdb.Error as exc:
                print(json.dumps({"kind": kind, "error": str(exc)}), flush=True)
    held.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:])
