"""Running dbt on a tmp warehouse and reading what it did (imported by the test modules).

The test modules that build the repository's dbt project (tests/dbt/, tests/dbt_rules/,
tests/ingest/) share this module: where the sample reports and the manifest are, loading them
into a DuckDB file under pytest's tmp dir, running a dbt command in its own process (dbt-duckdb
keeps its connection open for the life of the process, so a test in the same process could not
open the file), reading target/run_results.json with the node names of target/manifest.json, and
querying the built warehouse read-only.

Plain module, imported as ``dbt_project_runner``: pytest puts tests/ on sys.path when it loads
tests/conftest.py (rootdir insertion), as it puts tests/dbt_rules/ there for dbt_rules_harness.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from ingest.batch import FileResult, ingest_paths, read_manifest
from pipeline.build import BuildResult, OutputPaths

REPO_ROOT = Path(__file__).resolve().parents[1]
REPORTS_DIR = REPO_ROOT / "data" / "reports"
HAND_ENTERED_DIR = REPO_ROOT / "data" / "hand_entered"
MANIFEST_PATH = REPO_ROOT / "data" / "manifest.yml"
PROFILES_DIR = REPO_ROOT / "profiles"
DBT = Path(sys.executable).with_name("dbt")

THANH_TRI = "soctrang-thanhtri-2021-year.txt"
VINH_CHAU = "soctrang-vinhchau-2022-q3.txt"
DUYEN_HAI = "travinh-duyenhai-2023-q1.txt"
CAT_THANH = "namdinh-catthanh-2024-q3.txt"
SAMPLES = (THANH_TRI, VINH_CHAU, DUYEN_HAI, CAT_THANH)

DBT_TIMEOUT = 1200  # seconds; a full build of the project on the samples takes about a minute


# --------------------------------------------------------------------------- loading the warehouse


def ingest(paths: Sequence[Path], warehouse: Path) -> list[FileResult]:
    """Load files (or folders of them) into `warehouse` with the repository's data/manifest.yml."""
    return ingest_paths(list(paths), warehouse, read_manifest(MANIFEST_PATH))


def ingest_samples(warehouse: Path) -> list[FileResult]:
    """Load the four sample reports of data/reports into `warehouse`; every one must load."""
    loaded = ingest([REPORTS_DIR], warehouse)
    assert [f.status for f in loaded] == ["loaded"] * len(SAMPLES), [f.error for f in loaded]
    return loaded


# --------------------------------------------------------------------------- running dbt


@dataclass(frozen=True)
class NodeResult:
    """One node of a dbt invocation, from run_results.json (name and type from manifest.json)."""

    unique_id: str
    name: str
    resource_type: str  # model | seed | test | unit_test | exposure | ...
    status: str  # success | pass | fail | warn | error | skipped | no-op
    failures: int
    message: str


@dataclass(frozen=True)
class DbtRun:
    """A finished dbt command: exit code, console output and the results of its nodes."""

    returncode: int
    output: str
    nodes: tuple[NodeResult, ...]
    target: Path  # dbt's --target-path (run_results.json, manifest.json, catalog.json)

    @property
    def success(self) -> bool:
        return self.returncode == 0

    @property
    def ran(self) -> bool:
        """True when dbt got as far as writing run_results.json."""
        return (self.target / "run_results.json").exists()

    @property
    def results(self) -> dict[str, str]:
        """unique_id -> status."""
        return {n.unique_id: n.status for n in self.nodes}

    def of_type(self, resource_type: str) -> dict[str, NodeResult]:
        """The nodes of one resource type, by name."""
        return {n.name: n for n in self.nodes if n.resource_type == resource_type}

    def manifest(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((self.target / "manifest.json").read_text(encoding="utf-8"))
        return loaded


def dbt_env(warehouse: Path | None) -> dict[str, str]:
    """The environment of a dbt process: the warehouse for profiles/profiles.yml, no tracking."""
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    if warehouse is not None:
        env["CCHC_WAREHOUSE"] = str(warehouse)
    return env


def _node_names(target: Path) -> dict[str, tuple[str, str]]:
    """unique_id -> (name, resource_type) of every node, unit test and exposure of manifest.json."""
    path = target / "manifest.json"
    if not path.exists():
        return {}
    manifest = json.loads(path.read_text(encoding="utf-8"))
    names: dict[str, tuple[str, str]] = {}
    for group in ("nodes", "unit_tests", "exposures"):
        for unique_id, node in (manifest.get(group) or {}).items():
            names[unique_id] = (node["name"], node["resource_type"])
    return names


def read_run_results(target: Path) -> tuple[NodeResult, ...]:
    """The node results of the last dbt command that wrote `target`/run_results.json."""
    path = target / "run_results.json"
    if not path.exists():
        return ()
    names = _node_names(target)
    nodes: list[NodeResult] = []
    for result in json.loads(path.read_text(encoding="utf-8"))["results"]:
        unique_id = result["unique_id"]
        name, resource_type = names.get(unique_id, (unique_id.split(".")[2], unique_id.split(".")[0]))
        nodes.append(
            NodeResult(
                unique_id=unique_id,
                name=name,
                resource_type=resource_type,
                status=result["status"],
                failures=int(result["failures"] or 0),
                message=str(result.get("message") or ""),
            )
        )
    return tuple(nodes)


def run_dbt(
    args: Sequence[str],
    warehouse: Path | None,
    target: Path | None = None,
    *,
    project_dir: Path = REPO_ROOT,
    profiles_dir: Path = PROFILES_DIR,
) -> DbtRun:
    """Run one dbt command in its own process on `project_dir` and read its results.

    `warehouse` is the DuckDB file of profiles/profiles.yml (None for a profile that names its own
    file). With `target`, dbt writes its artefacts there and its log in `target`/logs; without,
    in the project's target/ and logs/. A run_results.json left by an earlier command is removed
    first, so the results read afterwards are always this command's.
    """
    artefacts = target if target is not None else project_dir / "target"
    (artefacts / "run_results.json").unlink(missing_ok=True)
    paths = ["--target-path", str(target), "--log-path", str(target / "logs")] if target is not None else []
    completed = subprocess.run(
        [
            str(DBT),
            *args,
            "--project-dir",
            str(project_dir),
            "--profiles-dir",
            str(profiles_dir),
            *paths,
        ],
        env=dbt_env(warehouse),
        capture_output=True,
        text=True,
        check=False,
        timeout=DBT_TIMEOUT,
    )
    return DbtRun(
        returncode=completed.returncode,
        output=completed.stdout + completed.stderr,
        nodes=read_run_results(artefacts),
        target=artefacts,
    )


# --------------------------------------------------------------------------- reading the warehouse


def query(warehouse: Path, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of a query on the built warehouse, opened read-only."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params or [])).fetchall()


def query_dicts(warehouse: Path, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
    """Rows of a query on the built warehouse as dicts by column name."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql, list(params or []))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def facts(warehouse: Path, where: str, params: Sequence[Any]) -> dict[str, dict[str, Any]]:
    """Rows of marts.fct_indicator_values matching `where`, by indicator code."""
    rows = query_dicts(warehouse, f"select * from marts.fct_indicator_values where {where}", params)
    return {row["indicator_code"]: row for row in rows}


# --------------------------------------------------------------------------- the shared sample build


@dataclass(frozen=True)
class SamplesBuild:
    """The project's main job (`cchc build`) on the shipped inputs, in a tmp folder.

    Built once per test session by the ``samples_build`` fixture of tests/conftest.py:
    the four sample reports and data/hand_entered ingested, a full `dbt build`, the auditor's
    report, the KPI page and the published marts written under ``outputs.target``.
    """

    result: BuildResult
    warehouse: Path
    outputs: OutputPaths

    def run_results(self) -> tuple[NodeResult, ...]:
        return read_run_results(self.outputs.target)
