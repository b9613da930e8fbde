"""Real `dbt build` on the four sample reports: canonical values, lineage, coverage, dims, docs.

One session fixture ingests the samples (plus a changed copy of the Vĩnh Châu report, which the
loader holds out because its sha256 no longer matches the manifest's optional sha256 guard) into
a DuckDB file under pytest's tmp dir, then runs `dbt build` once. The expected values below were
read by hand from the documents in data/reports (the line numbers are those of the documents).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dbt_project_runner import (
    CAT_THANH,
    DUYEN_HAI,
    REPORTS_DIR,
    THANH_TRI,
    VINH_CHAU,
    DbtRun,
    ingest_samples,
    run_dbt,
)
from dbt_project_runner import facts as fact_rows
from dbt_project_runner import query as query_warehouse

from ingest.batch import ingest_paths
from ingest.manifest import parse_manifest


@dataclass(frozen=True)
class Built:
    warehouse: Path
    target: Path
    build: DbtRun
    docs: DbtRun


# This part of the DAG: the marts and everything upstream (seeds, staging, intermediate);
# tests run only when all their parents are selected. The audit layer has its own tests.
SELECTION = ["--select", "+marts", "path:seeds/template_rows", "--indirect-selection", "cautious"]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("dbt_marts")
    warehouse = root / "cchc.duckdb"
    target = root / "target"
    ingest_samples(warehouse)
    changed_dir = root / "changed"
    changed_dir.mkdir()
    text = (REPORTS_DIR / VINH_CHAU).read_text(encoding="utf-8")
    assert "\t5.327\t" in text
    (changed_dir / VINH_CHAU).write_text(text.replace("\t5.327\t", "\t5.330\t"), encoding="utf-8")
    sha = hashlib.sha256((REPORTS_DIR / VINH_CHAU).read_bytes()).hexdigest()
    guard = parse_manifest(f"reports:\n  - file: {VINH_CHAU}\n    sha256: {sha}\n", "guard.yml")
    changed = ingest_paths([changed_dir], warehouse, guard)
    assert changed[0].status == "held"
    build = run_dbt(["build", *SELECTION], warehouse, target)
    docs = run_dbt(["docs", "generate", *SELECTION], warehouse, target)
    return Built(warehouse, target, build, docs)


def query(built: Built, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return query_warehouse(built.warehouse, sql, params)


def facts(built: Built, source_file: str) -> dict[str, dict[str, Any]]:
    """fct_indicator_values of one sample report, by indicator code."""
    return fact_rows(built.warehouse, "source_file = ?", [source_file])


def test_dbt_build_succeeds(built: Built) -> None:
    assert built.build.returncode == 0, built.build.output[-3000:]
    statuses = set(built.build.results.values())
    assert statuses <= {"success", "pass", "no-op"}, statuses  # no-op: ephemeral models
    for model in ("fct_indicator_values", "dim_report", "mapping_coverage", "int_indicator_values_unioned"):
        assert built.build.results[f"model.cchc.{model}"] == "success"
    assert built.build.results["test.cchc.assert_crosswalks_cover_template_rows"] == "pass"
    assert built.build.results["test.cchc.assert_mapping_coverage_values_accepted"] == "pass"


def test_unit_tests_of_the_crosswalk_logic_ran(built: Built) -> None:
    unit_tests = {
        uid.rsplit(".", 1)[-1]: status
        for uid, status in built.build.results.items()
        if uid.startswith("unit_test.")
    }
    for name in (
        "soctrang_2022_level_3_and_4_map_to_partial_and_full",
        "soctrang_2022_on_time_count_and_rate_from_note",
        "soctrang_2021_on_time_rate_and_level_3",
        "commune_on_time_with_early_count_in_note",
        "ranking_prefers_reported_then_table_row_then_file_order",
        "percent_from_ratio_transform",
        "latest_not_held_out_version_is_current",
        "superseded_and_held_out_reports_stay_out_of_facts",
    ):
        assert unit_tests.get(name) == "pass", (name, unit_tests.get(name))


# (indicator code, value_number, source line start) read from the documents by hand
HAND_CHECKED: dict[str, list[tuple[str, float, int]]] = {
    THANH_TRI: [
        ("procedures.district.dossiers_received", 2953, 86),
        ("procedures.district.dossiers_resolved", 2968, 87),
        ("procedures.district.on_time_rate", 100, 88),
        ("procedures.commune.dossiers_received", 68826, 91),
        ("procedures.commune.dossiers_resolved", 68826, 92),
        ("procedures.catalogue.in_force_total", 405, 71),
        ("procedures.district.procedures_in_force", 269, 72),
        ("procedures.commune.procedures_in_force", 136, 73),
        ("online_services.partial.procedures_provided", 57, 201),
        ("online_services.full.procedures_provided", 160, 202),
        ("direction.plan.tasks_planned", 25, 13),
        ("institutions.legal_docs.issued", 11, 50),
        ("apparatus.headcount.quota_assigned", 85, 112),
        ("postal.district.dossiers_received", 17, 209),
        ("direction.inspection.communes_inspected", 10, 21),
    ],
    VINH_CHAU: [
        ("procedures.district.dossiers_received", 5327, 88),
        ("procedures.district.dossiers_resolved", 4825, 89),
        ("procedures.district.dossiers_resolved_on_time", 4823, 90),
        ("procedures.district.on_time_rate", 99.95, 90),
        ("procedures.commune.dossiers_received", 24744, 91),
        ("procedures.commune.dossiers_resolved", 24699, 92),
        ("procedures.commune.dossiers_resolved_on_time", 24699, 93),
        ("direction.plan.completion_rate", 66.67, 12),
        ("online_services.partial.procedures_provided", 64, 200),
        ("online_services.full.procedures_provided", 130, 204),
        ("online_services.full.procedures_with_online_dossiers", 7, 205),
        ("apparatus.psu_staff.assigned", 1820, 110),
        ("digital_government.edocs.district.outgoing_documents", 2870, 187),
        ("digital_government.edocs.commune.electronic_and_paper_rate", 55.2, 192),
        ("procedures.catalogue.in_force_total", 413, 76),
    ],
    DUYEN_HAI: [
        ("procedures.district.dossiers_resolved", 220, 301),
        ("procedures.district.dossiers_resolved_on_time", 219, 302),
        ("procedures.district.on_time_rate", 99.5, 300),
        ("online_services.total.dossiers_received", 246, 416),
        ("online_services.total.dossiers_received_online", 103, 417),
        ("online_services.total.online_dossier_rate", 41.8, 415),
        ("procedures.commune.dossiers_resolved", 2401, 304),
        ("procedures.district.procedures_in_force", 301, 287),
        ("procedures.district.vertical_procedures_in_force", 28, 287),
        ("public_finance.investment.plan_amount", 132928, 365),
        ("public_finance.investment.disbursed_amount", 17991, 366),
        ("public_finance.investment.disbursement_rate", 13.5, 364),
        ("online_services.partial.procedures_eligible", 160, 405),
        ("online_services.full.procedures_provided", 83, 410),
        ("apparatus.psu_staff.present", 588, 333),
        ("direction.plan.completion_rate", 20, 225),
    ],
    CAT_THANH: [
        ("procedures.commune.dossiers_resolved", 1290, 539),
        ("procedures.commune.dossiers_resolved_on_time", 378, 541),
        ("procedures.commune.dossiers_resolved_early", 909, 541),
        ("procedures.commune.on_time_rate", 100, 537),
        ("online_services.full.procedures_eligible", 88, 586),
        ("online_services.full.procedures_with_online_dossiers", 9, 590),
        ("online_services.partial.procedures_provided", 16, 600),
        ("online_services.total.dossiers_received", 1290, 632),
        ("online_services.total.dossiers_received_online", 1288, 634),
        ("online_payment.procedures_with_fees", 22, 638),
        ("online_payment.procedures_integrated", 13, 644),
        ("direction.plan.tasks_planned", 36, 418),
        ("direction.plan.tasks_completed", 28, 420),
        ("procedures.commune.procedures_in_force", 107, 521),
    ],
}


@pytest.mark.parametrize("source_file", sorted(HAND_CHECKED))
def test_hand_checked_values(built: Built, source_file: str) -> None:
    found = facts(built, source_file)
    for code, value, line in HAND_CHECKED[source_file]:
        assert code in found, (source_file, code)
        fact = found[code]
        assert fact["value_number"] == pytest.approx(value), (source_file, code, fact["raw_value"])
        assert fact["source_line_start"] == line, (source_file, code)
        assert fact["is_reported"] is True
        assert fact["indicator_value_id"] == f"{fact['report_id']}:{code}"


def test_reports_land_under_their_unit_and_period(built: Built) -> None:
    expected = {
        THANH_TRI: ("949", "2021-Y", "soctrang_2021"),
        VINH_CHAU: ("950", "2022-Q3", "soctrang_2022"),
        DUYEN_HAI: ("851", "2023-Q1", "national_2023"),
        CAT_THANH: ("14056", "2024-Q3", "national_commune_2024"),
    }
    rows = query(
        built,
        "select distinct source_file, unit_code, period_key, template_family from marts.fct_indicator_values",
    )
    assert {r[0]: r[1:] for r in rows} == expected
    assert len(rows) == 4


def test_note_derived_early_count_has_note_lineage(built: Built) -> None:
    early = facts(built, CAT_THANH)["procedures.commune.dossiers_resolved_early"]
    assert early["value_source"] == "note"
    assert (early["source_line_start"], early["source_line_end"]) == (541, 544)
    assert early["raw_value"] == "909 trước hạn"
    assert early["raw_label"] == "Số hồ sơ TTHC giải quyết đúng hạn"
    on_time = facts(built, CAT_THANH)["procedures.commune.dossiers_resolved_on_time"]
    assert on_time["value_source"] == "table_row"
    assert on_time["raw_value"] == "378"


def test_count_versus_rate_and_level_3_4_mapping(built: Built) -> None:
    thanh_tri, vinh_chau = facts(built, THANH_TRI), facts(built, VINH_CHAU)
    # 2021 gives the on-time result only as a rate, 2022 as a count (with the rate in the note)
    assert "procedures.district.dossiers_resolved_on_time" not in thanh_tri
    assert thanh_tri["procedures.district.on_time_rate"]["value_kind"] == "percent"
    assert vinh_chau["procedures.district.dossiers_resolved_on_time"]["value_kind"] == "count"
    assert vinh_chau["procedures.district.on_time_rate"]["value_source"] == "note"
    assert vinh_chau["procedures.district.on_time_rate"]["raw_value"] == "99,95%"
    # level 3 -> partial, level 4 -> full, with the comparability note
    for found, level_3_line in ((thanh_tri, 201), (vinh_chau, 200)):
        partial = found["online_services.partial.procedures_provided"]
        assert partial["source_line_start"] == level_3_line
        assert "mức độ 3" in partial["raw_label"]
        assert "Decree 42/2022" in partial["comparability_note"]
    cat_thanh = facts(built, CAT_THANH)
    assert "một phần" in cat_thanh["online_services.partial.procedures_provided"]["raw_label"]


def test_qualifiers_fractions_text_and_empty_cells(built: Built) -> None:
    thanh_tri = facts(built, THANH_TRI)
    over_90 = thanh_tri["digital_government.edocs.district.fully_electronic_rate"]
    assert (over_90["raw_value"], over_90["qualifier"], over_90["value_number"]) == ("Trên 90%", ">", 90)
    communes = thanh_tri["direction.inspection.communes_inspected"]
    assert (communes["value_kind"], communes["numerator"], communes["denominator"]) == ("ratio", 10, 10)
    digitised = thanh_tri["procedures.one_stop.internal_process_digitized_rate"]  # line 84: only '%'
    assert digitised["is_reported"] is False
    assert digitised["value_kind"] == "empty"
    assert digitised["value_number"] is None
    not_yet = facts(built, DUYEN_HAI)["direction.inspection.departments_inspected"]  # line 229: Chưa
    assert (not_yet["value_kind"], not_yet["raw_value"]) == ("text", "Chưa")


def test_cumulative_flag(built: Built) -> None:
    vinh_chau = facts(built, VINH_CHAU)
    assert vinh_chau["direction.plan.completion_rate"]["is_cumulative"] is True  # "(Lũy kế ...)"
    assert vinh_chau["procedures.district.dossiers_received"]["is_cumulative"] is False


def test_held_out_version_stays_out_of_the_facts(built: Built) -> None:
    reports = query(
        built,
        "select version_number, is_held_out, is_current_version, hold_reason from marts.dim_report "
        "where source_file = ? order by version_number",
        [VINH_CHAU],
    )
    assert [r[:3] for r in reports] == [(1, False, True), (2, True, False)]
    assert "manifest" in reports[1][3]
    values = query(
        built,
        "select f.value_number from marts.fct_indicator_values f join marts.dim_report r using (report_id) "
        "where f.indicator_code = 'procedures.district.dossiers_received' and r.unit_code = '950'",
    )
    assert values == [(5327.0,)]
    held_rows = query(
        built,
        "select count(*), min(c.coverage_reason), bool_and(c.is_accepted) from marts.mapping_coverage c "
        "join marts.dim_report r using (report_id) where r.is_held_out",
    )
    assert held_rows == [(204, "report_held_out", True)]


def test_every_statistic_row_is_a_fact_or_listed_in_mapping_coverage(built: Built) -> None:
    rows = query(
        built,
        """
        select count(*) from staging.stg_raw__statistic_rows s
        where (
            select count(*) from marts.fct_indicator_values f
            where f.report_id = s.report_id and f.source_row_seq = s.row_seq
                and f.value_source = 'table_row'
        ) + (
            select count(*) from marts.mapping_coverage c where c.statistic_row_id = s.statistic_row_id
        ) = 0
        """,
    )
    assert rows == [(0,)]


def test_mapping_coverage_lists_no_unaccepted_row_with_a_value(built: Built) -> None:
    assert query(
        built, "select count(*) from marts.mapping_coverage where carries_value and not is_accepted"
    ) == [(0,)]
    assert query(
        built, "select count(*) from marts.mapping_coverage where coverage_reason = 'unrecognized_label'"
    ) == [(0,)]
    # Thạnh Trị line 68: the heading "Thông kê TTHC" carries a stray "1"
    heading = query(
        built,
        "select coverage_reason, reason_detail, is_accepted from marts.mapping_coverage "
        "where source_file = ? and source_line_start = 68 and report_id in "
        "(select report_id from marts.dim_report where not is_held_out)",
        [THANH_TRI],
    )
    assert len(heading) == 1
    assert heading[0][0] == "deliberately_unmapped"
    assert heading[0][1].startswith("group_header")
    assert heading[0][2] is True


def test_dim_reporting_unit_geography_then_and_now(built: Built) -> None:
    rows = query(
        built,
        "select unit_code, gso_code, province_code_at_report, province_code_today, valid_to "
        "from marts.dim_reporting_unit where unit_level <> 'province' order by unit_code",
    )
    by_code = {r[0]: r[1:] for r in rows}
    assert by_code["950"][:3] == ("950", "94", "2025:92")
    assert by_code["851"][:3] == ("851", "84", "2025:86")
    assert by_code["14056"][1:3] == ("36", "2025:37")
    assert str(by_code["949"][3]) == "2025-06-30"
    report = query(
        built,
        "select province_code_at_report, province_code_today from marts.dim_report "
        "where source_file = ? and is_current_version",
        [DUYEN_HAI],
    )
    assert report == [("84", "2025:86")]


def test_dim_period_decree_09_windows(built: Built) -> None:
    rows = query(
        built,
        "select period_key, cast(data_window_start_date as varchar), cast(data_window_end_date as varchar) "
        "from marts.dim_period where period_key in ('2023-Q1', '2022-Q3', '2024-H1', '2023-M9', '2021-Y')",
    )
    assert {r[0]: r[1:] for r in rows} == {
        "2023-Q1": ("2022-12-15", "2023-03-14"),
        "2022-Q3": ("2022-06-15", "2022-09-14"),
        "2024-H1": ("2023-12-15", "2024-06-14"),
        "2023-M9": ("2022-12-15", "2023-09-14"),
        "2021-Y": ("2020-12-15", "2021-12-14"),
    }


def test_docs_generate_shows_lineage_from_raw_to_marts(built: Built) -> None:
    assert built.docs.returncode == 0, built.docs.output[-3000:]
    manifest = json.loads((built.target / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((built.target / "catalog.json").read_text(encoding="utf-8"))
    parents = manifest["parent_map"]
    fct = "model.cchc.fct_indicator_values"
    assert "model.cchc.int_indicator_values_ranked" in parents[fct]
    assert "model.cchc.int_indicator_values_unioned" in parents["model.cchc.int_indicator_values_ranked"]
    assert "source.cchc.raw.statistic_rows" in parents["model.cchc.stg_raw__statistic_rows"]
    assert fct in catalog["nodes"]
    columns = manifest["nodes"][fct]["columns"]
    assert all(c["description"] for c in columns.values())
    assert manifest["nodes"][fct]["config"]["contract"]["enforced"] is True
