"""The semantic layer queried as the data team does: `mf query` for every metric vs SQL on the marts.

`dbt parse` writes the semantic manifest of models/semantic; `mf` (dbt-metricflow) reads it from
``<project>/target/semantic_manifest.json`` and the profile from ``DBT_PROFILES_DIR``, so the test
gives mf a project folder of its own (dbt_project.yml and that manifest) and the session's
sample warehouse. Every metric of models/semantic/kpi_metrics.yml is queried by reporting unit and
period and compared with what the KPI marts hold; the headline percentages with
``marts.kpi_scorecard`` itself.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from dbt_project_runner import SamplesBuild, run_dbt

REPO_ROOT = Path(__file__).resolve().parents[2]
METRICS_YML = REPO_ROOT / "models" / "semantic" / "kpi_metrics.yml"
MF = Path(sys.executable).with_name("mf")
MF_TIMEOUT = 600
Key = tuple[str, str]

# headline ratio metric -> (kpi_code in kpi_headline_values, percent metric)
HEADLINE: dict[str, tuple[str, str]] = {
    "on_time_rate": ("on_time_rate", "on_time_rate_pct"),
    "resolution_rate": ("resolution_rate", "resolution_rate_pct"),
    "online_share": ("online_share", "online_share_pct"),
    "e_document_share": ("e_document_share", "e_document_share_pct"),
    "plan_completion": ("plan_completion_rate", "plan_completion_rate_pct"),
    "disbursement_rate": ("disbursement_rate", "disbursement_rate_pct"),
}
PAIRED = "sum(case when {other} is not null then {col} end)"
COUNTS: dict[str, tuple[str, str]] = {
    "dossiers_received": ("kpi_procedure_processing", "sum(dossiers_received)"),
    "dossiers_resolved": ("kpi_procedure_processing", "sum(dossiers_resolved)"),
    "dossiers_resolved_on_time": ("kpi_procedure_processing", "sum(dossiers_resolved_on_time)"),
    "dossiers_resolved_with_on_time_count": (
        "kpi_procedure_processing",
        PAIRED.format(other="dossiers_resolved_on_time", col="dossiers_resolved"),
    ),
    "dossiers_resolved_with_received_count": (
        "kpi_procedure_processing",
        PAIRED.format(other="dossiers_received", col="dossiers_resolved"),
    ),
    "dossiers_received_with_resolved_count": (
        "kpi_procedure_processing",
        PAIRED.format(other="dossiers_resolved", col="dossiers_received"),
    ),
    "online_dossiers_received": (
        "kpi_online_services",
        PAIRED.format(other="dossiers_received_total", col="dossiers_received_online"),
    ),
    "online_service_dossiers_received": (
        "kpi_online_services",
        PAIRED.format(other="dossiers_received_online", col="dossiers_received_total"),
    ),
    "fully_electronic_documents": (
        "kpi_e_documents",
        PAIRED.format(other="outgoing_documents", col="fully_electronic_documents"),
    ),
    "outgoing_documents": (
        "kpi_e_documents",
        PAIRED.format(other="fully_electronic_documents", col="outgoing_documents"),
    ),
    "plan_tasks_completed": (
        "kpi_plan_completion",
        PAIRED.format(other="tasks_planned", col="tasks_completed"),
    ),
    "plan_tasks_planned": (
        "kpi_plan_completion",
        PAIRED.format(other="tasks_completed", col="tasks_planned"),
    ),
}


def _headline_sql(kpi_code: str, value: str) -> str:
    return (
        f"select unit_code, period_key, {value} from marts.kpi_headline_values "
        f"where kpi_code = '{kpi_code}' group by unit_code, period_key"
    )


def expected_sql() -> dict[str, str]:
    """SQL on the marts giving (unit_code, period_key, value) for every metric."""
    sql = {
        name: f"select unit_code, period_key, {expr} from marts.{mart} group by unit_code, period_key"
        for name, (mart, expr) in COUNTS.items()
    }
    for ratio, (code, pct) in HEADLINE.items():
        sql[f"{ratio}_numerator"] = _headline_sql(code, "sum(numerator)")
        sql[f"{ratio}_denominator"] = _headline_sql(code, "sum(denominator)")
        sql[f"{ratio}_reported_pct"] = _headline_sql(code, "avg(kpi_value)")
        sql[ratio] = _headline_sql(code, "sum(numerator) / nullif(sum(denominator), 0)")
        sql[pct] = f"select unit_code, period_key, {code} from marts.kpi_scorecard"
    sql["late_dossier_share_pct"] = (
        "select unit_code, period_key, 100 - on_time_rate from marts.kpi_scorecard"
    )
    return sql


def metric_names() -> list[str]:
    doc = yaml.safe_load(METRICS_YML.read_text(encoding="utf-8"))
    return [m["name"] for m in doc["metrics"]]


@pytest.fixture(scope="module")
def mf_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder mf runs in: dbt_project.yml and target/semantic_manifest.json of `dbt parse`.

    The manifest names relations ``cchc.marts.<model>``: dbt-duckdb's database is the warehouse
    file's name without .duckdb, so the parse uses a file named like the queried warehouse.
    """
    root = tmp_path_factory.mktemp("mf_project")
    parsed = run_dbt(["parse"], root / "cchc.duckdb", root / "parse")
    assert parsed.returncode == 0, parsed.output[-3000:]
    (root / "target").mkdir()
    shutil.copyfile(root / "parse" / "semantic_manifest.json", root / "target" / "semantic_manifest.json")
    shutil.copyfile(REPO_ROOT / "dbt_project.yml", root / "dbt_project.yml")
    return root


def mf_query(
    project: Path, warehouse: Path, metrics: Sequence[str], group_by: Sequence[str]
) -> list[dict[str, str]]:
    out = project / f"result_{len(list(project.glob('result_*.csv')))}.csv"
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO_ROOT / "profiles"),
        "DBT_PROJECT_DIR": str(project),
        "CCHC_WAREHOUSE": str(warehouse),
        "DO_NOT_TRACK": "1",
    }
    done = subprocess.run(
        [
            str(MF),
            "query",
            "--metrics",
            ",".join(metrics),
            "--group-by",
            ",".join(group_by),
            "--csv",
            str(out),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=MF_TIMEOUT,
    )
    assert done.returncode == 0 and out.exists(), (done.stdout + done.stderr)[-3000:]
    with out.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _number(text: str | None) -> float | None:
    return None if text in (None, "", "None", "nan") else float(str(text))


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _sql_values(warehouse: Path, sql: str) -> dict[Key, float | None]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows: list[tuple[Any, ...]] = con.execute(sql).fetchall()
    return {(str(u), str(p)): (None if v is None else float(v)) for u, p, v in rows}


@pytest.fixture(scope="module")
def by_unit_and_period(mf_project: Path, samples_build: SamplesBuild) -> list[dict[str, str]]:
    """Every metric by reporting unit and period, in one `mf query`."""
    return mf_query(mf_project, samples_build.warehouse, metric_names(), ["reporting_unit", "period"])


def test_every_metric_has_an_expected_sql() -> None:
    assert sorted(metric_names()) == sorted(expected_sql())


@pytest.mark.parametrize("metric", metric_names())
def test_mf_query_equals_the_marts(
    metric: str, by_unit_and_period: list[dict[str, str]], samples_build: SamplesBuild
) -> None:
    got = {(r["reporting_unit"], r["period"]): _number(r[metric]) for r in by_unit_and_period}
    want = _sql_values(samples_build.warehouse, expected_sql()[metric])
    keys = {k for k, v in got.items() if v is not None} | {k for k, v in want.items() if v is not None}
    assert keys, f"{metric}: no value at all"
    mismatches = {k: (got.get(k), want.get(k)) for k in sorted(keys) if not _close(got.get(k), want.get(k))}
    assert not mismatches, f"{metric}: mf vs marts {mismatches}"


def test_e_document_share_is_the_scorecard_value_for_every_report(
    by_unit_and_period: list[dict[str, str]], samples_build: SamplesBuild
) -> None:
    """Three of the four sample reports state only the rate (no counts): the scorecard shows it."""
    got = {(r["reporting_unit"], r["period"]): _number(r["e_document_share_pct"]) for r in by_unit_and_period}
    want = _sql_values(samples_build.warehouse, expected_sql()["e_document_share_pct"])
    assert len([v for v in want.values() if v is not None]) == 4
    assert {k: got.get(k) for k in want} == want


def test_unit_province_level_and_period_dimensions(mf_project: Path, samples_build: SamplesBuild) -> None:
    rows = mf_query(
        mf_project,
        samples_build.warehouse,
        ["dossiers_received", "on_time_rate_pct"],
        [
            "reporting_unit__unit_name_vi",
            "reporting_unit__province_name_today",
            "reporting_unit__unit_level",
            "period__period_type",
            "period__period_year",
        ],
    )
    got: dict[tuple[str, ...], tuple[float | None, float | None]] = {
        (
            r["reporting_unit__unit_name_vi"],
            r["reporting_unit__province_name_today"],
            r["reporting_unit__unit_level"],
            r["period__period_type"],
            str(r["period__period_year"]),
        ): (_number(r["dossiers_received"]), _number(r["on_time_rate_pct"]))
        for r in rows
    }
    with duckdb.connect(str(samples_build.warehouse), read_only=True) as con:
        want_rows = con.execute(
            """
            select u.unit_name_vi, u.province_name_today, u.unit_level, p.period_type, p.period_year::varchar,
                   sum(k.dossiers_received), max(s.on_time_rate)
            from marts.kpi_procedure_processing as k
            join marts.dim_reporting_unit as u on u.unit_code = k.unit_code
            join marts.dim_period as p on p.period_key = k.period_key
            join marts.kpi_scorecard as s on s.unit_code = k.unit_code and s.period_key = k.period_key
            group by all
            """
        ).fetchall()
    want = {tuple(str(x) for x in r[:5]): (_number(_text(r[5])), _number(_text(r[6]))) for r in want_rows}
    assert set(got) == set(want)
    for key, (received, on_time) in want.items():
        assert _close(got[key][0], received) and _close(got[key][1], on_time), key
    assert any("Cần Thơ" in k[1] for k in got)


def test_grouped_by_english_names_and_level_names(mf_project: Path, samples_build: SamplesBuild) -> None:
    """`mf query` by the English unit and province names and the Vietnamese level name equals SQL on
    the marts grouped by the name columns the marts carry themselves."""
    dims = [
        "reporting_unit__unit_full_name_en",
        "reporting_unit__province_name_at_report_en",
        "reporting_unit__unit_level_name_vi",
        "period__period_type",
    ]
    rows = mf_query(mf_project, samples_build.warehouse, ["dossiers_received", "on_time_rate_pct"], dims)
    got = {
        tuple(str(r[d]) for d in dims): (_number(r["dossiers_received"]), _number(r["on_time_rate_pct"]))
        for r in rows
    }
    with duckdb.connect(str(samples_build.warehouse), read_only=True) as con:
        want_rows = con.execute(
            """
            select k.unit_name_en, k.province_name_en, k.unit_level_name_vi, k.period_type,
                   sum(k.dossiers_received), max(s.on_time_rate)
            from marts.kpi_procedure_processing as k
            join marts.kpi_scorecard as s on s.unit_code = k.unit_code and s.period_key = k.period_key
            group by all
            """
        ).fetchall()
    want = {tuple(str(x) for x in r[:4]): (_number(_text(r[4])), _number(_text(r[5]))) for r in want_rows}
    assert set(got) == set(want)
    for key, (received, on_time) in want.items():
        assert _close(got[key][0], received) and _close(got[key][1], on_time), key
    assert ("Vinh Chau Town", "Soc Trang", "cấp huyện", "quarter") in got
    assert ("Cat Thanh Township", "Nam Dinh", "cấp xã", "quarter") in got
