"""Copy the `raw` schema of a DuckDB warehouse into a PostgreSQL database.

The dbt project builds on PostgreSQL too (``dbt build --target postgres``, README "PostgreSQL"); dbt
reads the raw tables there, so they are copied first. DuckDB's postgres extension cannot be installed
offline, so the copy goes through psycopg2 (installed with dbt-postgres): the DuckDB tables are read
with DuckDB and inserted with psycopg2, one transaction for the whole schema.

The PostgreSQL DDL is derived from DuckDB's information_schema (column order, types, not null) and
duckdb_constraints() (primary keys), so it follows ingest/schema.sql without a second copy of it. A
table that already exists in PostgreSQL with the same columns and types is emptied and refilled
(views built on it stay); otherwise it is dropped (with the views on it: run ``dbt build`` after the
copy) and created again.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from ingest.errors import LoadError

# DuckDB type name (information_schema.columns.data_type) -> PostgreSQL type.
_SIMPLE_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "BLOB": "bytea",
    "UUID": "uuid",
}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")
_BATCH_ROWS = 1000
# The `postgres` target of profiles/profiles.yml reads the same variables with the same defaults.
PG_ENV_DEFAULTS = {
    "CCHC_PG_HOST": ("host", "localhost"),
    "CCHC_PG_PORT": ("port", "5432"),
    "CCHC_PG_USER": ("user", "postgres"),
    "CCHC_PG_PASSWORD": ("password", ""),
    "CCHC_PG_DBNAME": ("dbname", "cchc"),
}


@dataclass(frozen=True)
class Column:
    name: str
    duckdb_type: str
    nullable: bool


@dataclass(frozen=True)
class TableSpec:
    schema: str
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]


def postgres_type(duckdb_type: str, *, where: str = "") -> str:
    """The PostgreSQL type for a DuckDB column type (`DECIMAL(20,6)` -> `numeric(20,6)`)."""
    upper = duckdb_type.strip().upper()
    if upper in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[upper]
    decimal = _DECIMAL.fullmatch(upper)
    if decimal:
        return f"numeric({decimal.group(1)},{decimal.group(2)})"
    raise LoadError(
        f"column {where or '?'}: DuckDB type {duckdb_type!r} has no PostgreSQL translation "
        f"(expected one of {', '.join(sorted(_SIMPLE_TYPES))} or DECIMAL(p,s))"
    )


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def postgres_ddl(table: TableSpec) -> str:
    """`create table` statement of one table for PostgreSQL."""
    lines = [
        f"{_quote(c.name)} {postgres_type(c.duckdb_type, where=f'{table.schema}.{table.name}.{c.name}')}"
        + ("" if c.nullable else " not null")
        for c in table.columns
    ]
    if table.primary_key:
        lines.append(f"primary key ({', '.join(_quote(c) for c in table.primary_key)})")
    body = ",\n    ".join(lines)
    return f"create table {_quote(table.schema)}.{_quote(table.name)} (\n    {body}\n)"


def read_table_specs(con: duckdb.DuckDBPyConnection, schema: str) -> list[TableSpec]:
    """Columns and primary keys of every base table of `schema` in a DuckDB database."""
    tables = [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables"
            " where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
            [schema],
        ).fetchall()
    ]
    specs: list[TableSpec] = []
    for name in tables:
        columns = tuple(
            Column(column_name, data_type, is_nullable == "YES")
            for column_name, data_type, is_nullable in con.execute(
                "select column_name, data_type, is_nullable from information_schema.columns"
                " where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, name],
            ).fetchall()
        )
        keys = con.execute(
            "select constraint_column_names from duckdb_constraints()"
            " where schema_name = ? and table_name = ? and constraint_type = 'PRIMARY KEY'",
            [schema, name],
        ).fetchall()
        primary_key = tuple(str(c) for c in keys[0][0]) if keys else ()
        specs.append(TableSpec(schema, name, columns, primary_key))
    return specs


def _existing_columns(cur: Any, table: TableSpec) -> list[tuple[str, str]]:
    cur.execute(
        "select a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a"
        " join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = %s and c.relname = %s and c.relkind = 'r'"
        " and a.attnum > 0 and not a.attisdropped order by a.attnum",
        (table.schema, table.name),
    )
    return [(str(n), str(t)) for n, t in cur.fetchall()]


def _wanted_columns(table: TableSpec) -> list[tuple[str, str]]:
    # format_type() spellings: text, integer, boolean, double precision, numeric(20,6), timestamp ...
    spelled = {"timestamp": "timestamp without time zone", "timestamptz": "timestamp with time zone"}
    out = []
    for c in table.columns:
        pg = postgres_type(c.duckdb_type, where=f"{table.schema}.{table.name}.{c.name}")
        out.append((c.name, spelled.get(pg, pg)))
    return out


def copy_raw_to_postgres(duckdb_path: Path, pg_dsn: str, schema: str = "raw") -> dict[str, int]:
    """Copy every table of `schema` from a DuckDB file into PostgreSQL; returns rows copied per table.

    `pg_dsn` is a libpq connection string (``host=... port=... dbname=... user=...``). All tables are
    replaced in one transaction: on any error nothing changes on the server.
    """
    import psycopg2  # installed with dbt-postgres
    from psycopg2.extras import execute_values

    if not duckdb_path.exists():
        raise LoadError("DuckDB warehouse not found", source_file=str(duckdb_path))
    copied: dict[str, int] = {}
    with duckdb.connect(str(duckdb_path), read_only=True) as source:
        specs = read_table_specs(source, schema)
        if not specs:
            raise LoadError(
                f"no tables in schema {schema!r} (run `cchc ingest` first)", source_file=str(duckdb_path)
            )
        try:
            target = psycopg2.connect(pg_dsn)
        except psycopg2.Error as exc:
            raise LoadError(f"cannot connect to PostgreSQL: {exc}".strip()) from exc
        try:
            with target, target.cursor() as cur:
                cur.execute(f"create schema if not exists {_quote(schema)}")
                for spec in specs:
                    copied[spec.name] = _copy_table(source, cur, spec, execute_values)
        except psycopg2.Error as exc:
            raise LoadError(f"copying schema {schema!r} to PostgreSQL failed: {exc}".strip()) from exc
        finally:
            target.close()
    return copied


def _copy_table(source: duckdb.DuckDBPyConnection, cur: Any, spec: TableSpec, execute_values: Any) -> int:
    """Empty (same columns) or re-create (otherwise) one PostgreSQL table and insert the DuckDB rows."""
    qualified = f"{_quote(spec.schema)}.{_quote(spec.name)}"
    if _existing_columns(cur, spec) == _wanted_columns(spec):
        cur.execute(f"truncate table {qualified}")
    else:
        cur.execute(f"drop table if exists {qualified} cascade")
        cur.execute(postgres_ddl(spec))
    names = ", ".join(_quote(c.name) for c in spec.columns)
    result = source.execute(f"select {names} from {qualified}")
    count = 0
    while batch := result.fetchmany(_BATCH_ROWS):
        execute_values(cur, f"insert into {qualified} ({names}) values %s", batch)
        count += len(batch)
    return count


def dsn_from_env(env: Mapping[str, str]) -> str:
    """libpq connection string from the CCHC_PG_* variables (profiles.yml defaults when unset)."""
    parts = []
    for variable, (keyword, default) in PG_ENV_DEFAULTS.items():
        value = env.get(variable, default)
        if value:
            escaped = value.replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"{keyword}='{escaped}'")
    return " ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m outputs.pg_copy [WAREHOUSE]`: copy raw to the server of the CCHC_PG_* variables."""
    args = list(sys.argv[1:] if argv is None else argv)
    warehouse = Path(args[0] if args else os.environ.get("CCHC_WAREHOUSE") or "warehouse/cchc.duckdb")
    try:
        copied = copy_raw_to_postgres(warehouse, dsn_from_env(os.environ))
    except LoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for table, count in copied.items():
        print(f"raw.{table}: {count} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
