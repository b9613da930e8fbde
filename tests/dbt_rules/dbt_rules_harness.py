"""Harness for the rule-macro tests (imported by the test modules).

A throwaway dbt project in tmp_path, built once per module.

Each test module describes seeds (CSV text) and a schema.yml applying the generic tests of
macros/rules/ with explicit test names; `build_fixture_project` copies the repository's macros/
into a fresh project, runs `dbt build` once against a DuckDB file under tmp_path and returns the
test outcomes read from target/run_results.json, plus the failing rows that dbt stored
(store_failures) so that tests can check exactly which fixture cases failed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")

PROJECT_YML = """\
name: rules_fixture
version: "1.0.0"
config-version: 2
profile: rules_fixture
macro-paths: ["macros"]
seed-paths: ["seeds"]
model-paths: ["models"]
seeds:
  rules_fixture:
    +quote_columns: false
data_tests:
  rules_fixture:
    +store_failures: true
    +schema: failures
"""

PROFILES_YML = """\
rules_fixture:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{path}"
      threads: 2
"""


@dataclass(frozen=True)
class TestOutcome:
    """One dbt test of the fixture project after the build."""

    name: str
    status: str  # pass | fail | warn | error
    failures: int
    message: str


@dataclass(frozen=True)
class FixtureBuild:
    """The built fixture project: outcomes by test name and access to stored failures."""

    project_dir: Path
    warehouse: Path
    outcomes: Mapping[str, TestOutcome]
    returncode: int
    log: str

    def failing_cases(self, test_name: str, key: str = "case_id") -> set[str]:
        """The `key` values of the rows dbt stored as failures of one test."""
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            rows = con.execute(f'select "{key}" from failures."{test_name}"').fetchall()
        return {str(r[0]) for r in rows}

    def query(self, sql: str) -> list[tuple[object, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql).fetchall()


BuildFactory = Callable[..., FixtureBuild]
"""The fixture_builder fixture: (seeds, schema_yml, models=None) -> FixtureBuild."""


def _read_outcomes(project_dir: Path) -> dict[str, TestOutcome]:
    run_results = json.loads((project_dir / "target" / "run_results.json").read_text(encoding="utf-8"))
    manifest = json.loads((project_dir / "target" / "manifest.json").read_text(encoding="utf-8"))
    outcomes: dict[str, TestOutcome] = {}
    for result in run_results["results"]:
        unique_id = result["unique_id"]
        if not unique_id.startswith("test."):
            continue
        name = manifest["nodes"][unique_id]["name"]
        outcomes[name] = TestOutcome(
            name=name,
            status=result["status"],
            failures=int(result["failures"] or 0),
            message=str(result.get("message") or ""),
        )
    return outcomes


def build_fixture_project(
    root: Path,
    seeds: Mapping[str, str],
    schema_yml: str,
    models: Mapping[str, str] | None = None,
) -> FixtureBuild:
    """Write the project under `root`, run `dbt build` once and collect the outcomes."""
    project = root / "project"
    (project / "seeds").mkdir(parents=True)
    (project / "models").mkdir()
    shutil.copytree(REPO / "macros", project / "macros")
    (project / "dbt_project.yml").write_text(PROJECT_YML, encoding="utf-8")
    warehouse = root / "fixture.duckdb"
    (project / "profiles.yml").write_text(PROFILES_YML.format(path=warehouse), encoding="utf-8")
    for name, text in seeds.items():
        (project / "seeds" / f"{name}.csv").write_text(text, encoding="utf-8")
    for name, sql in (models or {}).items():
        (project / "models" / f"{name}.sql").write_text(sql, encoding="utf-8")
    (project / "models" / "schema.yml").write_text(schema_yml, encoding="utf-8")
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    proc = subprocess.run(
        [str(DBT), "build", "--project-dir", str(project), "--profiles-dir", str(project)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )
    log = proc.stdout + proc.stderr
    if not (project / "target" / "run_results.json").exists():
        raise AssertionError(f"dbt build did not run:\n{log}")
    return FixtureBuild(
        project_dir=project,
        warehouse=warehouse,
        outcomes=_read_outcomes(project),
        returncode=proc.returncode,
        log=log,
    )


def assert_outcome(build: FixtureBuild, name: str, failing: set[str], key: str = "case_id") -> None:
    """Assert that test `name` ran, failed exactly on `failing` (passed when empty)."""
    assert name in build.outcomes, (
        f"test {name} did not run; tests run: {sorted(build.outcomes)}\n{build.log}"
    )
    outcome = build.outcomes[name]
    if failing:
        assert outcome.status in {"fail", "warn"}, (name, outcome)
        assert outcome.failures == len(failing), (name, outcome)
        assert build.failing_cases(name, key) == failing, name
    else:
        assert outcome.status == "pass", (name, outcome)
        assert outcome.failures == 0, (name, outcome)
