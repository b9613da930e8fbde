"""Plain dbt from the project root (issue 13, item 1): no DBT_PROFILES_DIR, no --profiles-dir, an empty
HOME (no ~/.dbt). dbt 1.11 looks for profiles.yml in the working directory first; the root
profiles.yml is a link to profiles/profiles.yml. A warehouse with no raw schema stops
build / run / test at once with a hint to run `cchc ingest`, while parse, ls and docs generate
still work on it.

Each command runs in its own process from the repository root; only --target-path / --log-path
(not profile related) point dbt's artefacts into pytest's tmp dir so the repository stays clean.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from dbt_project_runner import DBT, DBT_TIMEOUT, REPO_ROOT, read_run_results


def _plain_dbt(args: list[str], tmp_path: Path, warehouse: Path | None) -> subprocess.CompletedProcess[str]:
    """`dbt <args>` from the project root as a newcomer types it: HOME empty, no profile settings."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    unset = {"DBT_PROFILES_DIR", "CCHC_WAREHOUSE", "DBT_PROJECT_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update({"HOME": str(home), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"})
    if warehouse is not None:
        env["CCHC_WAREHOUSE"] = str(warehouse)
    target = tmp_path / "target"
    return subprocess.run(
        [str(DBT), *args, "--target-path", str(target), "--log-path", str(target / "logs")],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=DBT_TIMEOUT,
    )


def test_the_root_profiles_yml_is_the_one_in_profiles() -> None:
    root = REPO_ROOT / "profiles.yml"
    assert root.is_symlink(), "profiles.yml at the root links to profiles/profiles.yml"
    assert root.resolve() == (REPO_ROOT / "profiles" / "profiles.yml").resolve()
    text = root.read_text(encoding="utf-8")
    assert "env_var('CCHC_WAREHOUSE', 'warehouse/cchc.duckdb')" in text


def test_dbt_ls_works_from_the_project_root_with_no_profile_settings(tmp_path: Path) -> None:
    done = _plain_dbt(["ls", "--resource-type", "model"], tmp_path, warehouse=None)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "cchc.marts.fct_indicator_values" in output
    assert "cchc.intermediate.int_indicator_values_harmonized" in output
    assert not (tmp_path / "home" / ".dbt").exists()


def test_dbt_build_on_a_warehouse_without_raw_stops_at_once(tmp_path: Path) -> None:
    warehouse = tmp_path / "empty" / "cchc.duckdb"
    warehouse.parent.mkdir()
    done = _plain_dbt(["build"], tmp_path, warehouse)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output[-3000:]
    assert f"schema raw not found in {warehouse}: run `cchc ingest` first" in output, output[-3000:]
    # stopped before any node: no seed, model or test ran, no "schema raw does not exist" per model
    ran = [n for n in read_run_results(tmp_path / "target") if n.resource_type in {"seed", "model", "test"}]
    assert ran == [], ran
    assert 'schema "raw" does not exist' not in output


def test_dbt_docs_generate_works_on_an_empty_warehouse(tmp_path: Path) -> None:
    warehouse = tmp_path / "empty" / "cchc.duckdb"
    warehouse.parent.mkdir()
    done = _plain_dbt(["docs", "generate"], tmp_path, warehouse)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert (tmp_path / "target" / "catalog.json").exists()
