"""The main job end to end: ingest the shipped inputs, dbt build, write every output.

This is what `make run` does (`cchc build`), pointed at a tmp warehouse and a tmp target
folder: the session's one real build (``samples_build`` of tests/conftest.py, shared with the
publishing and KPI page tests); the assertions read what a person would read.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from dbt_project_runner import SamplesBuild
from typer.testing import CliRunner

from cli.app import app


@pytest.fixture(scope="module")
def built(samples_build: SamplesBuild) -> SamplesBuild:
    return samples_build


def test_build_succeeds_and_loads_every_shipped_input(built: SamplesBuild) -> None:
    assert built.result.dbt_success
    assert built.result.success
    statuses = {f.path.name: f.status for f in built.result.files}
    for sample in (
        "soctrang-thanhtri-2021-year.txt",
        "soctrang-vinhchau-2022-q3.txt",
        "travinh-duyenhai-2023-q1.txt",
        "namdinh-catthanh-2024-q3.txt",
    ):
        assert statuses[sample] == "loaded"


def test_audit_report_files_are_written_with_a_real_finding(built: SamplesBuild) -> None:
    audit_dir = built.outputs.audit_dir
    for name in ("index.html", "findings.json", "findings.csv"):
        assert (audit_dir / name).stat().st_size > 0
    findings = json.loads((audit_dir / "findings.json").read_text(encoding="utf-8"))
    # Thạnh Trị 2021: district dossiers resolved 2.968 (line 87) > received 2.953 (line 86).
    chain = [
        f
        for f in findings
        if f["source_file"] == "soctrang-thanhtri-2021-year.txt" and f["rule_id"] == "chain_district_dossiers"
    ]
    assert len(chain) == 1
    assert (chain[0]["line_start"], chain[0]["line_end"]) == (86, 87)
    html = (audit_dir / "index.html").read_text(encoding="utf-8")
    assert "chain_district_dossiers" in html
    assert "Thạnh Trị" in html
    # Every report is counted, the hand-entered one (named by its CSV in dim_report) included;
    # the index lists findings by province x period, rule and unit, not one row per report.
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        reports = con.execute(
            "select count(*), count(*) filter (source_file = 'values.csv') from marts.dim_report"
        ).fetchone()
    assert reports is not None and reports[1] == 1
    assert f"{reports[0]} báo cáo" in html
    assert all(f["source_file"] for f in findings)


def test_kpi_page_and_published_marts(built: SamplesBuild) -> None:
    assert built.result.kpi_page == built.outputs.kpi_page
    assert "<svg" in built.outputs.kpi_page.read_text(encoding="utf-8")
    with duckdb.connect(str(built.outputs.published), read_only=True) as con:
        resolved = con.execute(
            """
            select value_number from marts.fct_indicator_values
            where source_file = 'travinh-duyenhai-2023-q1.txt'
              and indicator_code = 'procedures.district.dossiers_resolved'
            """
        ).fetchall()
    assert resolved == [(220.0,)]
    assert (built.outputs.export_dir / "fct_indicator_values.parquet").exists()
    assert (built.outputs.export_dir / "sdmx" / "cchc_indicators.csv").exists()


def test_dbt_results_of_the_build_are_where_the_audit_reads_them(built: SamplesBuild) -> None:
    results = json.loads(built.outputs.run_results.read_text(encoding="utf-8"))
    statuses = {r["status"] for r in results["results"]}
    assert "error" not in statuses and "fail" not in statuses


def test_cchc_audit_exit_codes(built: SamplesBuild, tmp_path: Path) -> None:
    runner = CliRunner()
    base = [
        "audit",
        "--warehouse",
        str(built.warehouse),
        "--out",
        str(tmp_path / "audit"),
        "--run-results",
        str(built.outputs.run_results),
    ]
    plain = runner.invoke(app, base)
    assert plain.exit_code == 0, plain.output
    assert (tmp_path / "audit" / "findings.json").exists()
    findings = json.loads((tmp_path / "audit" / "findings.json").read_text(encoding="utf-8"))
    severities = {f["severity"] for f in findings}
    assert "error" in severities  # the samples do contain error-level inconsistencies
    strict = runner.invoke(app, [*base, "--fail-on", "error"])
    assert strict.exit_code == 1
    bad = runner.invoke(app, [*base, "--fail-on", "fatal"])
    assert bad.exit_code != 0


def test_rule_coverage_per_family_is_in_the_summary(built: SamplesBuild) -> None:
    assert built.result.audit is not None
    coverage = {c.template_family: c for c in built.result.audit.rule_coverage}
    assert set(coverage) == {"soctrang_2021", "soctrang_2022", "national_2023", "national_commune_2024"}
    for c in coverage.values():
        assert 0 < c.rows_in_cross_row_rule <= c.rows_with_values
        assert c.rows_in_cross_row_rule + c.rows_type_only == c.rows_with_values
        assert c.line().startswith(f"rule coverage {c.template_family}: ")
