"""Hand-entered facts join the document of the same unit x period for the rules and the KPI marts.

Real ingest of the four samples, data/hand_entered/values.csv and a CSV written here, then `dbt
build` of the audit models and the KPI processing mart. The document wins where both state an
indicator; a finding that mixes a document value with a hand-entered one names both sources.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dbt_project_runner import (
    CAT_THANH,
    DUYEN_HAI,
    HAND_ENTERED_DIR,
    REPORTS_DIR,
    ingest,
    query_dicts,
    run_dbt,
)

MIX_CSV = "mix_values.csv"
# Cát Thành 2024-Q3 gives 1.290 commune dossiers resolved but no received count: 1.000 received
# entered by hand contradicts it (received >= resolved); line 2 of the CSV.
MIX_ROWS = [
    "unit_code,period,indicator_code,value,unit,source_reference,note",
    "nd-truc-ninh-cat-thanh,2024-Q3,procedures.commune.dossiers_received,1000,Hồ sơ,test,"
    "entered to contradict",
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hand_entered_rules")
    mix = root / MIX_CSV
    mix.write_text("\n".join(MIX_ROWS) + "\n", encoding="utf-8")
    path = root / "cchc.duckdb"
    ingest([REPORTS_DIR, HAND_ENTERED_DIR, mix], path)
    build = run_dbt(
        ["build", "--select", "+path:models/audit", "+kpi_procedure_processing"], path, root / "target"
    )
    assert build.ran, build.output[-3000:]
    return path


def _rows(warehouse: Path, sql: str) -> list[dict[str, Any]]:
    return query_dicts(warehouse, sql)


def _document_report(warehouse: Path, file: str) -> str:
    rows = _rows(
        warehouse, f"select distinct report_id from marts.fct_indicator_values where source_file = '{file}'"
    )
    assert len(rows) == 1
    return rows[0]["report_id"]


def test_hand_entered_facts_join_the_documents_report(warehouse: Path) -> None:
    # the hand-entered reports of unit x periods with a document are absorbed: one report per document
    reports = _rows(warehouse, "select report_id, source_file from audit.dq_report_values")
    assert sorted(r["source_file"] for r in reports) == sorted(
        ["soctrang-thanhtri-2021-year.txt", "soctrang-vinhchau-2022-q3.txt", DUYEN_HAI, CAT_THANH]
    )


def test_a_rule_that_needed_the_hand_entered_total_evaluates(warehouse: Path) -> None:
    report = _document_report(warehouse, DUYEN_HAI)
    rows = _rows(
        warehouse,
        "select status, observed from audit.dq_evaluations "
        f"where report_id = '{report}' and rule_id = 'chain_district_dossiers'",
    )
    assert rows[0]["status"] == "passed"
    assert '"procedures.district.dossiers_received": 246' in rows[0]["observed"]


def test_the_document_wins_where_both_state_an_indicator(warehouse: Path) -> None:
    report = _document_report(warehouse, DUYEN_HAI)
    rows = _rows(
        warehouse,
        "select indicator_code, value_origin, source_file "
        "from intermediate.int_indicator_values_with_hand_entered "
        f"where report_id = '{report}' and value_origin = 'hand_entered'",
    )
    # values.csv adds received and early counts the document's table does not give
    assert {r["indicator_code"] for r in rows} >= {"procedures.district.dossiers_received"}
    assert {r["source_file"] for r in rows} == {"values.csv"}
    doubled = _rows(
        warehouse,
        "select report_id, indicator_code, count(*) as n "
        "from intermediate.int_indicator_values_with_hand_entered "
        "group by all having count(*) > 1",
    )
    assert doubled == []


def test_kpi_resolution_rate_uses_the_hand_entered_received(warehouse: Path) -> None:
    rows = _rows(
        warehouse,
        "select dossiers_received, dossiers_resolved, resolution_rate_computed "
        "from marts.kpi_procedure_processing "
        "where unit_code = '851' and period_key = '2023-Q1' and processing_level = 'district'",
    )
    assert rows[0]["dossiers_received"] == 246
    assert rows[0]["resolution_rate_computed"] == pytest.approx(220 / 246 * 100)


def test_a_finding_on_a_mix_names_both_sources(warehouse: Path) -> None:
    rows = _rows(
        warehouse,
        "select * from audit.dq_findings "
        f"where source_file = '{CAT_THANH}' and rule_id = 'chain_commune_dossiers'",
    )
    assert len(rows) == 1, rows
    finding = rows[0]
    assert finding["other_sources"] == f"{MIX_CSV} line 2"
    assert f"{MIX_CSV} line 2" in finding["message"]
    # the document's lines stay the finding's lines (resolved 1.290 on line 539)
    assert finding["line_start"] <= 539 <= finding["line_end"]
