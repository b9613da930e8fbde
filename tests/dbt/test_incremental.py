"""An incremental build equals a full rebuild, table by table.

The session's samples build is copied; a new quarter of synthetic reports (synth rows, one unit per
family) is loaded and built incrementally, then a corrected version of one of those reports (a
re-submission that supersedes it) is loaded and built incrementally again. Every table of the
intermediate, marts and audit schemas then equals a `dbt run --full-refresh` of the same warehouse,
and the reports built before were not ranked again.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from bench.scale import compare_warehouses
from pipeline.dbt_runner import run_dbt
from synth.corpus import generate_corpus
from synth.load_rows import load_rows

RANKED_AT = (
    "SELECT report_id, min(ranked_at), max(ranked_at)"
    " FROM intermediate.int_indicator_values_ranked GROUP BY report_id"
)


def _revision(quarter: Path, folder: Path) -> str:
    """A corrected copy of the quarter's national_2023 report: one count one higher. Its report key."""
    with (quarter / "reports.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    listed = next(r for r in rows if r["family"] == "national_2023")
    (folder / "rows").mkdir(parents=True)
    with (folder / "reports.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(listed))
        writer.writeheader()
        writer.writerow(listed)
    part = (quarter / "rows" / "part-00000.parquet").as_posix()
    with duckdb.connect() as con:
        first = con.execute(
            f"SELECT min(file_row_number) FROM read_parquet('{part}', file_row_number = true)"
            " WHERE report_id = ? AND regexp_full_match(raw_value, '[0-9]{2,}')",
            [listed["report_key"]],
        ).fetchone()
        assert first is not None and first[0] is not None
        con.execute(
            f"COPY (SELECT * EXCLUDE (file_row_number) REPLACE (CASE WHEN file_row_number = {first[0]}"
            " THEN CAST(CAST(raw_value AS BIGINT) + 1 AS VARCHAR) ELSE raw_value END AS raw_value)"
            f" FROM read_parquet('{part}', file_row_number = true) WHERE report_id = ?"
            f" ORDER BY file_row_number) TO '{(folder / 'rows' / 'part-00000.parquet').as_posix()}'"
            " (FORMAT PARQUET)",
            [listed["report_key"]],
        )
    return listed["file"]


@pytest.fixture(scope="module")
def built(samples_build, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:  # type: ignore[no-untyped-def]
    work = tmp_path_factory.mktemp("incremental")
    warehouse = work / "incremental.duckdb"
    shutil.copyfile(samples_build.warehouse, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        before = {r[0]: r[1:] for r in con.execute(RANKED_AT).fetchall()}
    quarter = work / "quarter"
    generate_corpus(quarter, units=1, periods=["2025-Q1"], seed=5, inject_rate=0.3, mode="rows")
    with duckdb.connect(str(warehouse)) as con:
        load_rows(con, quarter)
    assert run_dbt(["run"], warehouse)
    revised_file = _revision(quarter, work / "revision")
    with duckdb.connect(str(warehouse)) as con:
        load_rows(con, work / "revision")
    assert run_dbt(["run"], warehouse)
    rebuilt = work / "rebuilt.duckdb"
    shutil.copyfile(warehouse, rebuilt)
    assert run_dbt(["run", "--full-refresh"], rebuilt)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        after = {r[0]: r[1:] for r in con.execute(RANKED_AT).fetchall()}
        versions = con.execute(
            "SELECT report_id, is_current_version FROM marts.dim_report WHERE source_file = ?"
            " ORDER BY version_number",
            [revised_file],
        ).fetchall()
        facts = con.execute(
            "SELECT DISTINCT report_id FROM marts.fct_indicator_values WHERE source_file = ?", [revised_file]
        ).fetchall()
    return {"before": before, "after": after, "versions": versions, "facts": facts,
            "warehouse": warehouse, "rebuilt": rebuilt}  # fmt: skip


def test_incremental_build_equals_full_rebuild(built: dict[str, object]) -> None:
    differing = compare_warehouses(built["warehouse"], built["rebuilt"])  # type: ignore[arg-type]
    assert "marts.fct_indicator_values" in differing
    assert "intermediate.int_indicator_values_ranked" in differing
    assert {t: n for t, n in differing.items() if n} == {}


def test_reports_built_before_are_not_ranked_again(built: dict[str, object]) -> None:
    before, after = built["before"], built["after"]
    assert isinstance(before, dict) and isinstance(after, dict)
    assert before
    assert {k: after[k] for k in before} == before
    assert len(after) > len(before)


def test_the_superseded_version_leaves_the_facts(built: dict[str, object]) -> None:
    versions = built["versions"]
    assert isinstance(versions, list)
    assert [current for _, current in versions] == [False, True]
    assert built["facts"] == [(versions[1][0],)]
