"""The same dbt project builds on PostgreSQL and gives the same marts as on DuckDB.

One module fixture ingests the four sample reports and the hand-entered CSV into a DuckDB file under
pytest's tmp dir, starts a real PostgreSQL server (tests/dbt/pg_server.py), copies the raw schema
into it (ingest.pg_copy), then runs the full `dbt build` twice at the same time: on DuckDB (default
target) and on PostgreSQL (`--target postgres`), each with its own --target-path. The tests compare
every table of the `marts` and `audit` schemas between the two warehouses: same columns (and kinds
of type), same row count, same rows ordered by primary key (numbers within 1e-9 relative, text and
everything else equal), and the same outcome of every dbt node (including the warning tests that
flag the data-quality findings of the samples).

When PostgreSQL is not installed and cannot be installed, the tests fail with what to install.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import pytest

from ingest.batch import ingest_paths, read_manifest
from outputs.pg_copy import copy_raw_to_postgres
from tests.dbt.pg_server import PgServer, PostgresUnavailable, start_postgres

REPO_ROOT = Path(__file__).resolve().parents[2]
REPORTS_DIR = REPO_ROOT / "data" / "reports"
HAND_ENTERED_DIR = REPO_ROOT / "data" / "hand_entered"
MANIFEST_PATH = REPO_ROOT / "data" / "manifest.yml"
PG_DBNAME = "cchc"
COMPARED_SCHEMAS = ("marts", "audit")
REL_TOL = 1e-9
PG_MAX_IDENTIFIER = 63  # NAMEDATALEN - 1: PostgreSQL cuts longer column names to 63 bytes

# DuckDB / PostgreSQL type names (information_schema.columns.data_type) -> kind of value
TYPE_KINDS = {
    "TINYINT": "integer",
    "SMALLINT": "integer",
    "INTEGER": "integer",
    "BIGINT": "integer",
    "HUGEINT": "integer",  # DuckDB's sum() of integers; bigint on PostgreSQL
    "smallint": "integer",
    "integer": "integer",
    "bigint": "integer",
    "DOUBLE": "float",
    "FLOAT": "float",
    "double precision": "float",
    "real": "float",
    "numeric": "decimal",
    "VARCHAR": "text",
    "text": "text",
    "character varying": "text",
    "BOOLEAN": "boolean",
    "boolean": "boolean",
    "DATE": "date",
    "date": "date",
    "TIMESTAMP": "timestamp",
    "timestamp without time zone": "timestamp",
}


@dataclass(frozen=True)
class DbtRun:
    returncode: int
    output: str
    results: dict[str, str]  # unique_id -> status, from run_results.json


@dataclass(frozen=True)
class Table:
    columns: list[tuple[str, str]]  # (name, kind of type)
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True)
class Warehouses:
    duckdb_path: Path
    server: PgServer
    copied: dict[str, int]
    duckdb_build: DbtRun
    postgres_build: DbtRun
    primary_keys: dict[str, str]  # "schema.table" -> unique column, from the dbt manifest

    def pg_connect(self) -> Any:
        return psycopg2.connect(self.server.dsn(PG_DBNAME))


def _dbt_command(args: Sequence[str], target_path: Path) -> list[str]:
    dbt = Path(sys.executable).with_name("dbt")
    return [
        str(dbt),
        *args,
        "--project-dir",
        str(REPO_ROOT),
        "--profiles-dir",
        str(REPO_ROOT / "profiles"),
        "--target-path",
        str(target_path),
        "--log-path",
        str(target_path / "logs"),
    ]


def _run_both(jobs: list[tuple[list[str], dict[str, str], Path]]) -> list[DbtRun]:
    """Run dbt commands concurrently (2 cores: DuckDB computes while PostgreSQL does)."""
    running = []
    for command, env, target in jobs:
        log = (target.parent / f"{target.name}.out").open("w+", encoding="utf-8")
        running.append(
            (subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT), log, target)
        )
    runs = []
    for process, log, target in running:
        returncode = process.wait(timeout=1200)
        log.seek(0)
        output = log.read()
        log.close()
        results: dict[str, str] = {}
        run_results = target / "run_results.json"
        if run_results.exists():
            loaded = json.loads(run_results.read_text(encoding="utf-8"))
            results = {r["unique_id"]: r["status"] for r in loaded["results"]}
        runs.append(DbtRun(returncode, output, results))
    return runs


def _primary_keys(manifest_path: Path) -> dict[str, str]:
    """schema.table -> the column of its `unique` test (the key the tables are ordered by)."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    nodes = manifest["nodes"]
    keys: dict[str, str] = {}
    for node in nodes.values():
        meta = node.get("test_metadata") or {}
        column = (meta.get("kwargs") or {}).get("column_name")
        if meta.get("name") != "unique" or not column or not node.get("attached_node"):
            continue
        parent = nodes.get(node["attached_node"])
        if parent and parent["schema"] in COMPARED_SCHEMAS:
            keys.setdefault(f"{parent['schema']}.{parent['alias']}", column)
    return keys


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouses]:
    root = tmp_path_factory.mktemp("postgres_build")
    try:
        server = start_postgres(root)
    except PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL is needed for this test and is not available: {exc}")
    try:
        warehouse = root / "cchc.duckdb"
        loaded = ingest_paths([REPORTS_DIR, HAND_ENTERED_DIR], warehouse, read_manifest(MANIFEST_PATH))
        assert [f.status for f in loaded] == ["loaded"] * 5, [f.error for f in loaded]
        server.create_database(PG_DBNAME)
        copied = copy_raw_to_postgres(warehouse, server.dsn(PG_DBNAME))
        base_env = {
            **os.environ,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DO_NOT_TRACK": "1",
        }
        duck_target, pg_target = root / "target_duckdb", root / "target_postgres"
        duck_run, pg_run = _run_both(
            [
                (
                    _dbt_command(["build"], duck_target),
                    {**base_env, "CCHC_WAREHOUSE": str(warehouse)},
                    duck_target,
                ),
                (
                    _dbt_command(["build", "--target", "postgres"], pg_target),
                    {**base_env, **server.env(PG_DBNAME)},
                    pg_target,
                ),
            ]
        )
        keys = (
            _primary_keys(duck_target / "manifest.json") if (duck_target / "manifest.json").exists() else {}
        )
        yield Warehouses(warehouse, server, copied, duck_run, pg_run, keys)
    finally:
        server.stop()


def _kind(data_type: str) -> str:
    base = data_type.split("(")[0].strip()
    if base in ("DECIMAL", "numeric"):
        return "decimal"
    return TYPE_KINDS.get(base, data_type)


def _duckdb_table(path: Path, schema: str, table: str) -> Table:
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
        rows = con.execute(f'select * from "{schema}"."{table}"').fetchall()
    return Table([(name, _kind(t)) for name, t in columns], rows)


def _postgres_table(built: Warehouses, schema: str, table: str) -> Table:
    with built.pg_connect() as con, con.cursor() as cur:
        cur.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = %s and table_name = %s order by ordinal_position",
            (schema, table),
        )
        columns = cur.fetchall()
        cur.execute(f'select * from "{schema}"."{table}"')
        rows = cur.fetchall()
    return Table([(name, _kind(t)) for name, t in columns], rows)


# Columns that name the build itself (each adapter ran its own dbt invocation): not compared.
BUILD_SPECIFIC_COLUMNS = {"dq_findings_history": ("build_id", "build_started_at", "history_id")}
# ... and the key the rows are ordered by instead (one build on each adapter: finding_id is unique)
KEY_OF_BUILD_SPECIFIC = {"dq_findings_history": "finding_id"}


def _without(table: Table, names: Sequence[str]) -> Table:
    keep = [i for i, (name, _) in enumerate(table.columns) if name not in names]
    return Table([table.columns[i] for i in keep], [tuple(row[i] for i in keep) for row in table.rows])


def _duckdb_tables(path: Path, schema: str) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]
            ).fetchall()
        ]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _same_value(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if _is_number(a) and _is_number(b):
        return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=1e-12)
    if isinstance(a, datetime | date) or isinstance(b, datetime | date):
        return type(a) is type(b) and a == b
    return type(a) is type(b) and a == b


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if _is_number(value):
        return (1, float(value))
    return (2, str(value))


def _differences(duck: Table, pg: Table, key: str | None) -> list[str]:
    """What differs between the DuckDB and the PostgreSQL version of a table ([] when equal)."""
    expected_columns = [(name[:PG_MAX_IDENTIFIER], kind) for name, kind in duck.columns]
    if pg.columns != expected_columns:
        return [f"columns differ: duckdb {duck.columns} / postgres {pg.columns}"]
    if len(duck.rows) != len(pg.rows):
        return [f"row count differs: duckdb {len(duck.rows)} / postgres {len(pg.rows)}"]
    names = [name for name, _ in duck.columns]
    if key is not None:
        position = names.index(key)
        for rows in (duck.rows, pg.rows):
            assert len({r[position] for r in rows}) == len(rows), f"{key} is not unique"
            rows.sort(key=lambda r: _sort_key(r[position]))
    else:  # no unique column: order by the whole row
        for rows in (duck.rows, pg.rows):
            rows.sort(key=lambda r: tuple(_sort_key(v) for v in r))
    problems = []
    for duck_row, pg_row in zip(duck.rows, pg.rows, strict=True):
        for name, a, b in zip(names, duck_row, pg_row, strict=True):
            if not _same_value(a, b):
                where = f"{key}={duck_row[names.index(key)]!r}" if key else "row"
                problems.append(f"{where} {name}: duckdb {a!r} / postgres {b!r}")
    return problems


def test_postgres_server_and_raw_copy(warehouses: Warehouses) -> None:
    with duckdb.connect(str(warehouses.duckdb_path), read_only=True) as con:
        expected = {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in warehouses.copied}  # type: ignore[index]
    assert warehouses.copied == expected
    assert warehouses.copied["reports"] == 4
    assert warehouses.copied["hand_entered_values"] == 5
    with warehouses.pg_connect() as con, con.cursor() as cur:
        cur.execute("select current_setting('server_version_num')::int")
        assert cur.fetchone()[0] >= 150000


def test_dbt_build_passes_on_both_adapters(warehouses: Warehouses) -> None:
    assert warehouses.duckdb_build.returncode == 0, warehouses.duckdb_build.output[-6000:]
    assert warehouses.postgres_build.returncode == 0, warehouses.postgres_build.output[-6000:]
    duck, pg = warehouses.duckdb_build.results, warehouses.postgres_build.results
    assert len(duck) > 400  # seeds, models, unit tests and data tests of the whole project
    assert set(pg) == set(duck)
    different = {node: (duck[node], pg[node]) for node in duck if duck[node] != pg[node]}
    assert different == {}
    # the sample reports break some rules: the same warning tests fire on both adapters
    assert sorted(n.split(".")[2] for n, status in duck.items() if status == "warn") == [
        "dq_evaluations_source_data_rules_hold",
        "dq_findings_source_data_no_error_or_warning",
        "dq_report_values_district_dossiers_ordered",
    ]


@pytest.mark.parametrize("schema", COMPARED_SCHEMAS)
def test_tables_are_the_same_on_both_adapters(warehouses: Warehouses, schema: str) -> None:
    assert warehouses.duckdb_build.returncode == 0 and warehouses.postgres_build.returncode == 0
    tables = _duckdb_tables(warehouses.duckdb_path, schema)
    assert tables, f"no tables in schema {schema}"
    report: dict[str, list[str]] = {}
    compared: dict[str, int] = {}
    for table in tables:
        ignored = BUILD_SPECIFIC_COLUMNS.get(table, ())
        duck = _without(_duckdb_table(warehouses.duckdb_path, schema, table), ignored)
        pg = _without(_postgres_table(warehouses, schema, table), ignored)
        key = KEY_OF_BUILD_SPECIFIC.get(table) or warehouses.primary_keys.get(f"{schema}.{table}")
        problems = _differences(duck, pg, key)
        if problems:
            report[table] = problems[:10]
        compared[table] = len(duck.rows)
    assert report == {}
    if schema == "marts":
        assert {"fct_indicator_values", "dim_report", "kpi_scorecard", "kpi_province_rollup"} <= set(compared)
        assert compared["dim_report"] == 5  # four documents + the hand-entered file's report
        assert compared["fct_indicator_values"] > 400
    else:
        assert {"dq_findings", "dq_evaluations", "dq_rule_checks", "dq_report_values"} <= set(compared)
        assert compared["dq_findings"] > 0


def test_every_compared_table_is_ordered_by_a_primary_key(warehouses: Warehouses) -> None:
    for schema in COMPARED_SCHEMAS:
        for table in _duckdb_tables(warehouses.duckdb_path, schema):
            assert f"{schema}.{table}" in warehouses.primary_keys, f"{schema}.{table} has no unique column"
    assert warehouses.primary_keys["marts.fct_indicator_values"] == "indicator_value_id"
    assert warehouses.primary_keys["audit.dq_findings"] == "finding_id"


def test_a_finding_and_a_kpi_read_the_same_on_postgres(warehouses: Warehouses) -> None:
    """Spot check beside the bulk comparison: rows read from PostgreSQL alone."""
    with warehouses.pg_connect() as con, con.cursor() as cur:
        cur.execute(
            "select source_file, line_start <= line_end, pg_typeof(line_start)::text"
            " from audit.dq_findings order by finding_id limit 1"
        )
        source_file, ordered, line_type = cur.fetchone()
        assert source_file.endswith(".txt") and ordered and line_type == "bigint"
        cur.execute(
            "select count(*), count(distinct report_id) from marts.fct_indicator_values"
            " where value_source = 'hand_entered'"
        )
        assert cur.fetchone() == (5, 1)


def test_comparison_detects_differences() -> None:
    """The comparison itself can fail: a value beyond the tolerance, a type kind, a renamed column."""
    duck = Table([("id", "text"), ("x", "float")], [("a", 1.0), ("b", 2.0)])
    assert _differences(duck, Table(list(duck.columns), [("b", 2.0 * (1 + 1e-12)), ("a", 1.0)]), "id") == []
    assert _differences(duck, Table(list(duck.columns), [("a", 1.0), ("b", 2.0 * (1 + 1e-8))]), "id") == [
        f"id='b' x: duckdb 2.0 / postgres {2.0 * (1 + 1e-8)!r}"
    ]
    assert _differences(duck, Table([("id", "text"), ("x", "integer")], duck.rows), "id")
    assert _differences(duck, Table([("id", "text"), ("y", "float")], duck.rows), "id")
    assert _differences(duck, Table(list(duck.columns), [("a", 1.0)]), "id")
    long_name = "c" * 70
    wide = Table([(long_name, "integer")], [(1,)])
    assert _differences(wide, Table([("c" * 63, "integer")], [(1,)]), None) == []
    assert _differences(
        Table([("t", "text")], [("Vĩnh Châu",)]), Table([("t", "text")], [("Vinh Chau",)]), None
    )
