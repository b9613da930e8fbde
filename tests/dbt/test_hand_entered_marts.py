"""Real `dbt build` with hand-entered values: the samples, the shipped example CSV and a second CSV
whose figures a document also states, ingested into a DuckDB file under pytest's tmp dir.

The second CSV holds two real figures of the Cát Thành Q3 2024 narrative (lines 323 and 327):
"7/16" procedures with online dossiers (partial online), which the table also gives (7, line 602),
and "11/91" (full online), which contradicts the table's 9 (line 590). The document wins both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dbt_project_runner import CAT_THANH, DUYEN_HAI, HAND_ENTERED_DIR, REPORTS_DIR, ingest, run_dbt
from dbt_project_runner import facts as fact_rows
from dbt_project_runner import query as query_warehouse

from ingest.batch import FileResult

CONFLICT_CSV = "catthanh-narrative.csv"
CONFLICT_ROWS = (
    "unit_code,period,indicator_code,value,unit,source_reference,note",
    "14056,2024-Q3,online_services.partial.procedures_with_online_dossiers,7/16,TTHC,"
    f'"{CAT_THANH}, line 323",',
    "14056,2024-Q3,online_services.full.procedures_with_online_dossiers,11/91,TTHC,"
    f'"{CAT_THANH}, line 327",table says 9',
    "14056,2024-Q3,online_services.full.procedures_with_online_dosiers,90,Hồ sơ,x,typo",
)
SELECTION = [
    "--select",
    "+fct_indicator_values",
    "+dim_report",
    "+int_kpi_report_context",
    "--indirect-selection",
    "cautious",
]


@dataclass(frozen=True)
class Built:
    warehouse: Path
    loaded: list[FileResult]
    returncode: int
    output: str
    results: dict[str, str]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("hand_entered_marts")
    warehouse, target = root / "cchc.duckdb", root / "target"
    conflict = root / CONFLICT_CSV
    conflict.write_text("\n".join(CONFLICT_ROWS) + "\n", encoding="utf-8")
    loaded = ingest([REPORTS_DIR, HAND_ENTERED_DIR, conflict], warehouse)
    run = run_dbt(["build", *SELECTION], warehouse, target)
    assert run.ran, run.output[-3000:]
    return Built(warehouse, loaded, run.returncode, run.output, run.results)


def query(built: Built, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return query_warehouse(built.warehouse, sql, params)


def facts(built: Built, where: str, params: list[Any]) -> dict[str, dict[str, Any]]:
    return fact_rows(built.warehouse, where, params)


def test_ingest_loads_the_csvs_and_reports_the_bad_row(built: Built) -> None:
    by_name = {r.path.name: r for r in built.loaded}
    assert by_name["values.csv"].status == "loaded"
    assert by_name[CONFLICT_CSV].status == "quarantined"  # its valid rows loaded, one row quarantined
    error = by_name[CONFLICT_CSV].error
    assert error is not None
    assert f"{CONFLICT_CSV}:4: unknown indicator" in error
    assert [by_name[n].status for n in sorted(by_name) if n.endswith(".txt")] == ["loaded"] * 4


def test_dbt_build_succeeds_with_the_hand_entered_graph(built: Built) -> None:
    assert built.returncode == 0, built.output[-3000:]
    assert set(built.results.values()) <= {"success", "pass", "no-op"}, built.output[-3000:]
    for model in (
        "stg_raw__hand_entered_values",
        "stg_raw__hand_entered_files",
        "int_hand_entered__reports",
        "int_hand_entered__indicator_values",
        "int_indicator_values_unioned",
        "dim_report",
        "fct_indicator_values",
        "int_kpi_report_context",
    ):
        assert built.results[f"model.cchc.{model}"] == "success", model
    unit_tests = {k.rsplit(".", 1)[-1]: v for k, v in built.results.items() if k.startswith("unit_test.")}
    for name in (
        "document_wins_over_hand_entered_values",
        "hand_entered_report_keeps_its_own_version_line",
        "latest_not_held_out_version_is_current",
        "superseded_and_held_out_reports_stay_out_of_facts",
    ):
        assert unit_tests.get(name) == "pass", (name, unit_tests.get(name))


# (indicator, CSV line, value as written, number): the example's rows, read from the narrative of the
# Duyên Hải report (lines 55, 57 and 115), none of which its statistics table states.
EXAMPLE_FACTS = [
    ("procedures.district.dossiers_received", 2, "246", 246),
    ("procedures.district.dossiers_resolved_early", 3, "115", 115),
    ("procedures.commune.dossiers_received", 4, "2.401", 2401),
    ("procedures.commune.dossiers_resolved_early", 5, "1561", 1561),
    ("digital_government.edocs.district.outgoing_documents", 6, "982", 982),
]


def test_example_values_are_facts_with_their_csv_lineage(built: Built) -> None:
    found = facts(built, "source_file = ?", ["values.csv"])
    assert set(found) == {code for code, *_ in EXAMPLE_FACTS}
    for code, line, raw, number in EXAMPLE_FACTS:
        fact = found[code]
        assert (fact["source_line_start"], fact["source_line_end"], fact["source_row_seq"]) == (
            line,
            line,
            line,
        )
        assert (fact["raw_value"], fact["value_number"], fact["value_kind"]) == (raw, number, "count")
        assert (fact["unit_code"], fact["period_key"]) == ("851", "2023-Q1")
        assert (fact["value_source"], fact["template_family"], fact["is_reported"]) == (
            "hand_entered",
            "hand_entered",
            True,
        )
        assert fact["comparability_note"].startswith(f"hand-entered from: {DUYEN_HAI}, line ")
        assert fact["indicator_value_id"] == f"{fact['report_id']}:{code}"


def test_each_csv_unit_period_is_a_hand_entered_report_beside_the_document(built: Built) -> None:
    reports = query(
        built,
        "select source_file, template_family, version_number, is_current_version, is_held_out, line_count, "
        "province_code_today from marts.dim_report "
        "where unit_code = '851' and period_key = '2023-Q1' order by template_family",
    )
    assert reports == [
        ("values.csv", "hand_entered", 1, True, False, 6, "2025:86"),
        (DUYEN_HAI, "national_2023", 1, True, False, 423, "2025:86"),
    ]
    # the document's own facts are untouched (values read from the table, line 301 / 302)
    document = facts(built, "source_file = ?", [DUYEN_HAI])
    assert document["procedures.district.dossiers_resolved"]["value_number"] == 220
    assert document["procedures.district.dossiers_resolved_on_time"]["source_line_start"] == 302
    assert "procedures.district.dossiers_received" not in document


def test_a_document_that_states_the_indicator_wins(built: Built) -> None:
    stated = query(
        built,
        "select line_start, raw_value, numerator, denominator from staging.stg_raw__hand_entered_values "
        "where source_file = ? order by line_start",
        [CONFLICT_CSV],
    )
    assert stated == [(2, "7/16", 7, 16), (3, "11/91", 11, 91)]
    narrative = (REPORTS_DIR / CAT_THANH).read_text(encoding="utf-8").splitlines()
    assert "7/16" in narrative[323 - 1] and "11/91" in narrative[327 - 1]
    assert facts(built, "source_file = ?", [CONFLICT_CSV]) == {}
    cat_thanh = facts(
        built,
        "unit_code = '14056' and period_key = '2024-Q3' and indicator_code like ?",
        ["online_services.%.procedures_with_online_dossiers"],
    )
    full = cat_thanh["online_services.full.procedures_with_online_dossiers"]
    partial = cat_thanh["online_services.partial.procedures_with_online_dossiers"]
    assert (full["source_file"], full["raw_value"], full["source_line_start"]) == (CAT_THANH, "9", 590)
    assert (partial["source_file"], partial["raw_value"], partial["source_line_start"]) == (
        CAT_THANH,
        "7",
        602,
    )


def test_at_most_one_reported_fact_per_unit_period_indicator(built: Built) -> None:
    assert query(
        built,
        "select count(*) from (select unit_code, period_key, indicator_code from marts.fct_indicator_values "
        "where is_reported group by all having count(*) > 1)",
    ) == [(0,)]


def test_the_quarantined_row_stays_visible_with_its_line_and_reason(built: Built) -> None:
    rows = query(
        built,
        "select report_id, line_start, line_end, raw_text, reason from raw.quarantine where source_file = ?",
        [CONFLICT_CSV],
    )
    assert len(rows) == 1
    report_id, start, end, raw_text, reason = rows[0]
    assert (report_id, start, end, raw_text) == (None, 4, 4, CONFLICT_ROWS[3])
    assert reason.startswith("unknown indicator 'online_services.full.procedures_with_online_dosiers'")
    assert "did you mean 'online_services.full.procedures_with_online_dossiers'?" in reason


def test_the_kpi_context_of_a_unit_period_stays_its_document(built: Built) -> None:
    # the KPI marts are one row per unit and period: the document, not the hand-entered report beside it
    rows = query(
        built,
        "select unit_code, period_key, template_family, source_file from intermediate.int_kpi_report_context "
        "order by unit_code, period_key",
    )
    assert len(rows) == 4
    assert ("851", "2023-Q1", "national_2023", DUYEN_HAI) in rows
    assert all(r[2] != "hand_entered" for r in rows)
