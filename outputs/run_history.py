"""Build history: every build's dbt results kept in the warehouse (schema ``history``).

dbt overwrites ``target/run_results.json`` with each command (``dbt test --select x`` included),
so after a build :func:`record_run` copies it into two append-only tables that dbt does not
manage:

* ``history.dbt_runs``: one row per dbt invocation (invocation id, command, start and end time,
  elapsed seconds, dbt version, the invocation's arguments as JSON, node counts by status);
* ``history.dbt_node_results``: one row per node of that invocation (unique id, resource type,
  status, start and end of execution, execution time, failures count, message).

Recording the same invocation twice changes nothing. :func:`latest_run` reads back the most
recent recorded run of a command (``build`` for the auditor's page).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from ingest.errors import CchcError
from ingest.warehouse import connect_warehouse
from outputs.warehouse_query import existing_tables, query_rows

HISTORY_SCHEMA = "history"
RUNS_TABLE = f"{HISTORY_SCHEMA}.dbt_runs"
NODES_TABLE = f"{HISTORY_SCHEMA}.dbt_node_results"

DDL: tuple[str, ...] = (
    f"create schema if not exists {HISTORY_SCHEMA}",
    f"""
    create table if not exists {RUNS_TABLE} (
        invocation_id varchar primary key,
        command varchar not null,
        started_at timestamp,
        generated_at timestamp not null,
        elapsed_seconds double,
        dbt_version varchar,
        args json,
        node_count integer not null,
        status_counts json not null,
        recorded_at timestamp not null default current_timestamp
    )
    """,
    f"""
    create table if not exists {NODES_TABLE} (
        invocation_id varchar not null,
        unique_id varchar not null,
        resource_type varchar not null,
        status varchar not null,
        started_at timestamp,
        completed_at timestamp,
        execution_seconds double,
        failures integer,
        message varchar,
        primary key (invocation_id, unique_id)
    )
    """,
)


class RunHistoryError(CchcError):
    """run_results.json unreadable or not dbt's, or the history tables cannot be written."""


@dataclass(frozen=True)
class NodeResult:
    unique_id: str
    resource_type: str
    status: str
    started_at: datetime | None
    completed_at: datetime | None
    execution_seconds: float | None
    failures: int | None
    message: str


@dataclass(frozen=True)
class DbtRun:
    """One dbt invocation as recorded (or to be recorded) in ``history``."""

    invocation_id: str
    command: str
    started_at: datetime | None
    generated_at: datetime
    elapsed_seconds: float | None
    dbt_version: str
    args: dict[str, Any]
    nodes: tuple[NodeResult, ...]

    @property
    def status_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(n.status for n in self.nodes).items()))


# --------------------------------------------------------------------------- run_results.json


def _timestamp(value: Any) -> datetime | None:
    """dbt's ISO 8601 UTC time ('2026-12-01T04:10:23.494355Z') as a naive UTC datetime."""
    if not isinstance(value, str) or not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def _execute_timing(item: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    for timing in item.get("timing") or []:
        if isinstance(timing, dict) and timing.get("name") == "execute":
            return _timestamp(timing.get("started_at")), _timestamp(timing.get("completed_at"))
    return None, None


def _node(item: Any, source: Path) -> NodeResult:
    if not isinstance(item, dict) or not item.get("unique_id"):
        raise RunHistoryError("a result has no unique_id", source_file=str(source))
    unique_id = str(item["unique_id"])
    started, completed = _execute_timing(item)
    failures = item.get("failures")
    seconds = item.get("execution_time")
    return NodeResult(
        unique_id=unique_id,
        resource_type=unique_id.split(".", 1)[0],
        status=str(item.get("status", "")),
        started_at=started,
        completed_at=completed,
        execution_seconds=float(seconds) if isinstance(seconds, int | float) else None,
        failures=failures if isinstance(failures, int) and not isinstance(failures, bool) else None,
        message=str(item.get("message") or ""),
    )


def read_run_results_file(path: Path) -> DbtRun:
    """The run described by dbt's ``run_results.json`` at ``path``."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RunHistoryError(f"cannot read dbt run results: {exc}", source_file=str(path)) from exc
    metadata = doc.get("metadata") if isinstance(doc, dict) else None
    results = doc.get("results") if isinstance(doc, dict) else None
    if not isinstance(metadata, dict) or not isinstance(results, list) or not metadata.get("invocation_id"):
        raise RunHistoryError(
            "not a dbt run_results.json (metadata.invocation_id and results expected)", source_file=str(path)
        )
    args = doc.get("args") if isinstance(doc.get("args"), dict) else {}
    generated = _timestamp(metadata.get("generated_at"))
    if generated is None:
        raise RunHistoryError("run_results.json has no metadata.generated_at", source_file=str(path))
    elapsed = doc.get("elapsed_time")
    return DbtRun(
        invocation_id=str(metadata["invocation_id"]),
        command=str(args.get("which", "")),
        started_at=_timestamp(metadata.get("invocation_started_at")),
        generated_at=generated,
        elapsed_seconds=float(elapsed) if isinstance(elapsed, int | float) else None,
        dbt_version=str(metadata.get("dbt_version", "")),
        args=args,
        nodes=tuple(_node(item, path) for item in results),
    )


# --------------------------------------------------------------------------- writing


def _insert(con: duckdb.DuckDBPyConnection, run: DbtRun) -> bool:
    """Insert ``run`` unless its invocation is already recorded; True when it was inserted."""
    known = con.execute(f"select 1 from {RUNS_TABLE} where invocation_id = ?", [run.invocation_id]).fetchone()
    if known:
        return False
    con.execute(
        f"insert into {RUNS_TABLE} (invocation_id, command, started_at, generated_at, elapsed_seconds, "
        "dbt_version, args, node_count, status_counts) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run.invocation_id,
            run.command,
            run.started_at,
            run.generated_at,
            run.elapsed_seconds,
            run.dbt_version,
            json.dumps(run.args, sort_keys=True, default=str),
            len(run.nodes),
            json.dumps(run.status_counts),
        ],
    )
    con.executemany(
        f"insert into {NODES_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                run.invocation_id,
                n.unique_id,
                n.resource_type,
                n.status,
                n.started_at,
                n.completed_at,
                n.execution_seconds,
                n.failures,
                n.message,
            ]
            for n in run.nodes
        ],
    )
    return True


def record_run(warehouse: Path, run_results: Path) -> tuple[DbtRun, bool]:
    """Append the run of ``run_results`` to the warehouse's history (one transaction).

    Returns the run and whether it was new (False: that invocation was already recorded).
    """
    run = read_run_results_file(run_results)
    try:
        con = connect_warehouse(warehouse)
    except duckdb.Error as exc:
        raise RunHistoryError(f"cannot open the warehouse: {exc}", source_file=str(warehouse)) from exc
    try:
        con.execute("begin transaction")
        for statement in DDL:
            con.execute(statement)
        inserted = _insert(con, run)
        con.execute("commit")
    except duckdb.Error as exc:
        con.execute("rollback")
        raise RunHistoryError(f"cannot record the dbt run: {exc}", source_file=str(warehouse)) from exc
    finally:
        con.close()
    return run, inserted


# --------------------------------------------------------------------------- reading


def _node_from_row(row: dict[str, Any]) -> NodeResult:
    return NodeResult(
        unique_id=str(row["unique_id"]),
        resource_type=str(row["resource_type"]),
        status=str(row["status"]),
        started_at=row["started_at"],
        completed_at=row["completed_at"],
        execution_seconds=row["execution_seconds"],
        failures=row["failures"],
        message=str(row["message"] or ""),
    )


def latest_run(con: duckdb.DuckDBPyConnection, command: str = "build") -> DbtRun | None:
    """The most recently generated recorded run of ``command``; None when there is none."""
    if RUNS_TABLE not in existing_tables(con):
        return None
    runs = query_rows(
        con,
        f"select * from {RUNS_TABLE} where command = ? order by generated_at desc, recorded_at desc limit 1",
        [command],
    )
    if not runs:
        return None
    run = runs[0]
    nodes = query_rows(
        con, f"select * from {NODES_TABLE} where invocation_id = ? order by unique_id", [run["invocation_id"]]
    )
    return DbtRun(
        invocation_id=str(run["invocation_id"]),
        command=str(run["command"]),
        started_at=run["started_at"],
        generated_at=run["generated_at"],
        elapsed_seconds=run["elapsed_seconds"],
        dbt_version=str(run["dbt_version"] or ""),
        args=json.loads(run["args"]) if run["args"] else {},
        nodes=tuple(_node_from_row(n) for n in nodes),
    )
