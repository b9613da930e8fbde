"""The published marts as BI tools open them: DuckDB 1.x, SQLAlchemy + duckdb-engine, pandas.

BI drivers bundle DuckDB 1.x (Superset's ``duckdb`` extra pins ``duckdb<2``), so the tests run
those clients in a separate virtual environment with ``duckdb<2``, ``duckdb-engine`` and
``sqlalchemy`` from the package index (``target/bi-venv``, created on first use and reused
while it still has a DuckDB 1.x). The published file is the session's sample build's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from dbt_project_runner import SamplesBuild

from outputs.publish import STORAGE_VERSION, storage_version

REPO_ROOT = Path(__file__).resolve().parents[2]
BI_VENV = REPO_ROOT / "target" / "bi-venv"
BI_PACKAGES = ("duckdb<2", "duckdb-engine", "sqlalchemy")
PROBE = (
    "import duckdb, duckdb_engine, sqlalchemy; "
    "assert int(duckdb.__version__.split('.')[0]) < 2, duckdb.__version__; print(duckdb.__version__)"
)
INSTALL_TIMEOUT = 900
SCORECARD_SQL = "select unit_code, period_key, on_time_rate from marts.kpi_scorecard order by scorecard_id"


def _venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _probe(venv: Path) -> str | None:
    """The DuckDB version of ``venv`` when it has DuckDB 1.x, duckdb-engine and SQLAlchemy."""
    if not _venv_python(venv).exists():
        return None
    done = subprocess.run([_venv_python(venv), "-c", PROBE], capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else None


@pytest.fixture(scope="module")
def bi_python() -> Path:
    """Python of a virtual environment with DuckDB 1.x, duckdb-engine and SQLAlchemy."""
    if _probe(BI_VENV) is None:
        shutil.rmtree(BI_VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(BI_VENV)], check=True)
        subprocess.run(
            [_venv_python(BI_VENV), "-m", "pip", "install", "--quiet", *BI_PACKAGES],
            check=True,
            timeout=INSTALL_TIMEOUT,
        )
    version = _probe(BI_VENV)
    assert version is not None and version.startswith("1."), version
    return _venv_python(BI_VENV)


def _run_json(python: Path, script: str) -> Any:
    done = subprocess.run(
        [python, "-c", textwrap.dedent(script)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _current_rows(path: Path, sql: str) -> list[list[Any]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return [list(r) for r in con.execute(sql).fetchall()]


@pytest.fixture(scope="module")
def published(samples_build: SamplesBuild) -> Path:
    assert samples_build.result.published is not None
    return samples_build.outputs.published


def test_published_file_is_in_the_old_storage_format(published: Path) -> None:
    assert STORAGE_VERSION == "v1.0.0"
    assert storage_version(published) == "v1.0.0+"


def test_duckdb_1x_and_current_duckdb_open_it_read_only(bi_python: Path, published: Path) -> None:
    old = _run_json(
        bi_python,
        f"""
        import json, duckdb
        con = duckdb.connect({str(published)!r}, read_only=True)
        rows = con.execute({SCORECARD_SQL!r}).fetchall()
        marts = con.execute("select count(*) from duckdb_tables() where schema_name = 'marts'").fetchone()[0]
        print(json.dumps({{"version": duckdb.__version__, "rows": [list(r) for r in rows], "marts": marts}}))
        """,
    )
    assert old["version"].startswith("1.")
    current = _current_rows(published, SCORECARD_SQL)
    assert old["rows"] == current
    assert len(current) >= 4
    assert old["marts"] == len(
        _current_rows(published, "select 1 from duckdb_tables() where schema_name = 'marts'")
    )


def test_sqlalchemy_duckdb_engine_reads_a_mart(bi_python: Path, published: Path) -> None:
    url = f"duckdb:///{published.resolve()}?access_mode=read_only"
    got = _run_json(
        bi_python,
        f"""
        import json, sqlalchemy
        engine = sqlalchemy.create_engine({url!r})
        with engine.connect() as conn:
            rows = conn.execute(sqlalchemy.text({SCORECARD_SQL!r})).fetchall()
            names = sqlalchemy.inspect(conn).get_table_names(schema="marts")
            try:
                conn.execute(sqlalchemy.text("create table marts.x (i integer)"))
                writable = True
            except Exception:
                writable = False
        print(json.dumps({{"rows": [list(r) for r in rows], "tables": names, "writable": writable}}))
        """,
    )
    assert got["rows"] == _current_rows(published, SCORECARD_SQL)
    assert "kpi_scorecard" in got["tables"] and "fct_indicator_values" in got["tables"]
    assert got["writable"] is False


def test_duckdb_1x_refuses_the_default_2_0_format(bi_python: Path, tmp_path: Path) -> None:
    """The control: a file written by DuckDB 2.0 without a storage version is what BI tools cannot open."""
    new_format = tmp_path / "default.duckdb"
    with duckdb.connect(str(new_format)) as con:
        con.execute("create table t as select 1 as i")
    done = subprocess.run(
        [bi_python, "-c", f"import duckdb; duckdb.connect({str(new_format)!r}, read_only=True)"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "version" in done.stderr


def test_pandas_reads_every_parquet_export(samples_build: SamplesBuild, published: Path) -> None:
    files = sorted(samples_build.outputs.export_dir.glob("*.parquet"))
    assert files
    for path in files:
        frame = pd.read_parquet(path)
        count = _current_rows(published, f'select count(*) from marts."{path.stem}"')[0][0]
        assert len(frame) == count, path.name
    scorecard = pd.read_parquet(samples_build.outputs.export_dir / "kpi_scorecard.parquet")
    assert {"unit_code", "unit_name", "on_time_rate"} <= set(scorecard.columns)
