"""Small read helpers over a DuckDB warehouse, shared by the report writers and publishing."""

from __future__ import annotations

from typing import Any

import duckdb

from ingest.text import nfc


def query_rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[dict[str, Any]]:
    """Run ``sql`` and return its rows as dicts keyed by column name."""
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every ``schema.table`` (tables and views) of the open database."""
    return {
        f"{r['table_schema']}.{r['table_name']}"
        for r in query_rows(con, "select table_schema, table_name from information_schema.tables")
    }


def as_text(value: Any) -> str:
    """A database value as NFC text; NULL becomes ''."""
    return "" if value is None else nfc(str(value))
