"""outputs.pg_copy: the raw schema of a real DuckDB warehouse (two sample reports and the hand-entered
CSV ingested under tmp_path) copied into a real PostgreSQL server started for this module."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import pytest

from ingest.batch import ingest_paths, read_manifest
from ingest.errors import LoadError
from ingest.paths import REPO_ROOT
from ingest.writer import ensure_schema
from outputs.pg_copy import (
    Column,
    TableSpec,
    copy_raw_to_postgres,
    dsn_from_env,
    main,
    postgres_ddl,
    postgres_type,
    read_table_specs,
)
from tests.dbt.pg_server import PgServer, PostgresUnavailable, start_postgres

REPORTS_DIR = REPO_ROOT / "data" / "reports"
VINH_CHAU = REPORTS_DIR / "soctrang-vinhchau-2022-q3.txt"
THANH_TRI = REPORTS_DIR / "soctrang-thanhtri-2021-year.txt"
HAND_ENTERED = REPO_ROOT / "data" / "hand_entered" / "values.csv"
RAW_TABLES = {
    "admin_units",  # the official unit register, as loaded (ingest/register_load.py)
    "register_loads",
    "report_decisions",  # cchc accept / reject
    "hand_entered_files",
    "hand_entered_values",
    "line_classes",
    "narrative_blocks",
    "note_values",
    "quarantine",
    "reports",
    "statistic_rows",
    "validation_results",
}


def test_postgres_type_translates_the_duckdb_types_of_the_raw_schema() -> None:
    assert postgres_type("VARCHAR") == "text"
    assert postgres_type("INTEGER") == "integer"
    assert postgres_type("DOUBLE") == "double precision"
    assert postgres_type("BOOLEAN") == "boolean"
    assert postgres_type("TIMESTAMP") == "timestamp"
    assert postgres_type("DECIMAL(20,6)") == "numeric(20,6)"
    assert postgres_type("decimal(20, 6)") == "numeric(20,6)"


def test_postgres_type_rejects_a_type_it_cannot_translate() -> None:
    with pytest.raises(LoadError, match=r"raw\.t\.tags: DuckDB type 'VARCHAR\[\]' has no PostgreSQL"):
        postgres_type("VARCHAR[]", where="raw.t.tags")


def test_ddl_of_the_raw_schema_keeps_types_not_null_and_primary_keys(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ensure_schema(con)
        specs = {s.name: s for s in read_table_specs(con, "raw")}
    assert set(specs) == RAW_TABLES
    rows = specs["statistic_rows"]
    assert rows.primary_key == ("report_id", "row_seq")
    assert Column("value_number", "DECIMAL(20,6)", True) in rows.columns
    ddl = postgres_ddl(rows)
    assert ddl.startswith('create table "raw"."statistic_rows" (')
    assert '"row_seq" integer not null' in ddl
    assert '"value_number" numeric(20,6),' in ddl
    assert '"template_match_score" double precision,' in ddl
    assert 'primary key ("report_id", "row_seq")' in ddl
    assert postgres_ddl(TableSpec("raw", "x", (Column("a", "VARCHAR", False),), ())) == (
        'create table "raw"."x" (\n    "a" text not null\n)'
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgServer]:
    try:
        started = start_postgres(tmp_path_factory.mktemp("pg_copy"))
    except PostgresUnavailable as exc:
        pytest.fail(str(exc))
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pg_copy_wh") / "cchc.duckdb"
    manifest = read_manifest(REPO_ROOT / "data" / "manifest.yml")
    loaded = ingest_paths([VINH_CHAU, THANH_TRI, HAND_ENTERED], path, manifest)
    assert [r.status for r in loaded] == ["loaded"] * 3, [r.error for r in loaded]
    return path


def _rows(cur: Any, sql: str) -> list[tuple[Any, ...]]:
    cur.execute(sql)
    return list(cur.fetchall())


def test_copy_reproduces_every_raw_table_row_for_row(server: PgServer, warehouse: Path) -> None:
    server.create_database("copy_all")
    copied = copy_raw_to_postgres(warehouse, server.dsn("copy_all"))
    assert set(copied) == RAW_TABLES
    with (
        duckdb.connect(str(warehouse), read_only=True) as duck,
        psycopg2.connect(server.dsn("copy_all")) as pg,
    ):
        cur = pg.cursor()
        for table in sorted(RAW_TABLES):
            expected = duck.execute(f"select * from raw.{table}").fetchall()
            assert copied[table] == len(expected)
            got = _rows(cur, f"select * from raw.{table}")
            assert sorted(map(repr, got)) == sorted(map(repr, expected)), table
        assert copied["reports"] == 2
        assert copied["hand_entered_values"] == 5
        # a figure of the Vĩnh Châu table: "5.327" is 5327, kept beside its raw text, diacritics intact
        assert ("5.327", Decimal("5327.000000")) in _rows(
            cur, "select raw_value, value_number from raw.statistic_rows where raw_value = '5.327'"
        )
        assert _rows(cur, "select unit_name from raw.reports order by source_file") == [
            ("huyện Thạnh Trị",),
            ("thị xã Vĩnh Châu",),
        ]
        assert _rows(
            cur,
            "select format_type(atttypid, atttypmod) from pg_attribute"
            " where attrelid = 'raw.statistic_rows'::regclass and attname = 'value_number'",
        ) == [("numeric(20,6)",)]


def test_copying_again_replaces_rows_and_keeps_views_on_raw_tables(server: PgServer, warehouse: Path) -> None:
    server.create_database("copy_twice")
    dsn = server.dsn("copy_twice")
    first = copy_raw_to_postgres(warehouse, dsn)
    with psycopg2.connect(dsn) as pg, pg.cursor() as cur:
        cur.execute("create view public.held_out as select report_id from raw.reports where is_held_out")
    second = copy_raw_to_postgres(warehouse, dsn)
    assert second == first
    with psycopg2.connect(dsn) as pg, pg.cursor() as cur:
        assert _rows(cur, "select count(*) from raw.statistic_rows") == [(first["statistic_rows"],)]
        assert _rows(cur, "select count(*) from public.held_out") == [(0,)]
        # a table whose columns no longer match is created again (the view on it goes with it)
        cur.execute("drop view public.held_out")
        cur.execute("alter table raw.reports drop column parser_version")
    copy_raw_to_postgres(warehouse, dsn)
    with psycopg2.connect(dsn) as pg, pg.cursor() as cur:
        assert ("parser_version",) in _rows(
            cur, "select column_name from information_schema.columns where table_name = 'reports'"
        )
        assert _rows(cur, "select count(*) from raw.reports") == [(2,)]


def test_copy_errors_name_what_is_wrong(server: PgServer, warehouse: Path, tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="DuckDB warehouse not found"):
        copy_raw_to_postgres(tmp_path / "missing.duckdb", server.dsn())
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(LoadError, match="no tables in schema 'raw'"):
        copy_raw_to_postgres(empty, server.dsn())
    with pytest.raises(LoadError, match="cannot connect to PostgreSQL"):
        copy_raw_to_postgres(warehouse, server.dsn("no_such_database"))


def test_dsn_from_env_uses_the_profile_defaults_and_quotes_values() -> None:
    from psycopg2.extensions import parse_dsn

    assert parse_dsn(dsn_from_env({})) == {
        "host": "localhost",
        "port": "5432",
        "user": "postgres",
        "dbname": "cchc",
    }
    env = {
        "CCHC_PG_HOST": "db.example.org",
        "CCHC_PG_PASSWORD": "it's a \\ secret",
        "CCHC_PG_DBNAME": "cchc_bi",
    }
    assert parse_dsn(dsn_from_env(env)) == {
        "host": "db.example.org",
        "port": "5432",
        "user": "postgres",
        "password": "it's a \\ secret",
        "dbname": "cchc_bi",
    }


def test_module_entry_point_copies_to_the_server_of_the_environment(
    server: PgServer, warehouse: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server.create_database("copy_cli")
    for name, value in server.env("copy_cli").items():
        monkeypatch.setenv(name, value)
    assert main([str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "raw.reports: 2 rows\n" in out
    assert "raw.hand_entered_values: 5 rows\n" in out
    monkeypatch.setenv("CCHC_PG_DBNAME", "no_such_database")
    assert main([str(warehouse)]) == 1
    assert "error: cannot connect to PostgreSQL" in capsys.readouterr().err
