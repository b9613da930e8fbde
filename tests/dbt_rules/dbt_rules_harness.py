"""Harness for the rule-macro tests (imported by the test modules).

A throwaway dbt project in tmp_path, built once per module.

Each test module describes seeds (CSV text) and a schema.yml applying the generic tests of
macros/rules/ with explicit test names; `build_fixture_project` copies the repository's macros/
into a fresh project, runs `dbt build` once against a DuckDB file under tmp_path (with
tests/dbt_project_runner.py, as every dbt run of the tests) and returns the test outcomes read
from target/run_results.json, plus the failing rows that dbt stored
(store_failures) so that tests can check exactly which fixture cases failed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dbt_project_runner import REPO_ROOT, NodeResult, query, run_dbt

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
class FixtureBuild:
    """The built fixture project: outcomes by test name and access to stored failures."""

    project_dir: Path
    warehouse: Path
    outcomes: Mapping[str, NodeResult]  # the dbt tests, by name
    returncode: int
    log: str

    def failing_cases(self, test_name: str, key: str = "case_id") -> set[str]:
        """The `key` values of the rows dbt stored as failures of one test."""
        rows = query(self.warehouse, f'select "{key}" from failures."{test_name}"')
        return {str(r[0]) for r in rows}

    def query(self, sql: str) -> list[tuple[object, ...]]:
        return query(self.warehouse, sql)


BuildFactory = Callable[..., FixtureBuild]
"""The fixture_builder fixture: (seeds, schema_yml, models=None) -> FixtureBuild."""


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
    shutil.copytree(REPO_ROOT / "macros", project / "macros")
    (project / "dbt_project.yml").write_text(PROJECT_YML, encoding="utf-8")
    warehouse = root / "fixture.duckdb"
    (project / "profiles.yml").write_text(PROFILES_YML.format(path=warehouse), encoding="utf-8")
    for name, text in seeds.items():
        (project / "seeds" / f"{name}.csv").write_text(text, encoding="utf-8")
    for name, sql in (models or {}).items():
        (project / "models" / f"{name}.sql").write_text(sql, encoding="utf-8")
    (project / "models" / "schema.yml").write_text(schema_yml, encoding="utf-8")
    run = run_dbt(["build"], None, project_dir=project, profiles_dir=project)
    if not run.ran:
        raise AssertionError(f"dbt build did not run:\n{run.output}")
    return FixtureBuild(
        project_dir=project,
        warehouse=warehouse,
        outcomes={o.name: o for o in run.nodes if o.resource_type == "test"},
        returncode=run.returncode,
        log=run.output,
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
