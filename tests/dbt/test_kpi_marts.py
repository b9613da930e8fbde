"""Real `dbt build` of the KPI marts on the four sample reports, plus two edited copies.

One module fixture ingests the four samples and two copies of the Vĩnh Châu Q3 2022 report into a
DuckDB file under pytest's tmp dir, then builds the KPI marts and everything upstream once:

- ``vinhchau-2022-q2``: the same unit one quarter earlier (header "QUÝ II"), with other dossier
  counts and 12 plan tasks completed (a cumulative, year-to-date figure);
- ``thanhtri-2022-q3``: huyện Thạnh Trị in the same quarter with other dossier counts, and its
  "received" row labelled "lũy kế" (cumulative), so that the province roll-up must refuse to add it
  to Vĩnh Châu's figure of the quarter.

Neither copy is in data/manifest.yml: the loader takes the unit and period from the document.
The expected KPIs below were computed by hand from the counts read in the documents (line numbers
are 1-based lines of the files).
"""

from __future__ import annotations

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
    NodeResult,
    ingest,
    ingest_samples,
    query_dicts,
    run_dbt,
)

# comparability_rules' template_family is tested against the template_families seed
KPI_SELECTION = ["+path:models/marts/kpi", "path:models/semantic", "comparability_rules", "template_families"]
# the intermediate models that only the KPI marts read (group cchc_marts, private)
KPI_HELPERS = ["int_kpi_report_context", "int_kpi_measure_inputs"]


@dataclass(frozen=True)
class Built:
    warehouse: Path
    target: Path
    build: DbtRun
    tests: DbtRun


def _results(outcome: DbtRun) -> tuple[NodeResult, ...]:
    """The node results of a dbt build / test invocation, without the on-run-start hook (an operation)."""
    assert outcome.ran, outcome.output[-3000:]
    hooks = [n for n in outcome.nodes if n.resource_type == "operation"]
    assert all(n.status == "success" for n in hooks), hooks
    return tuple(n for n in outcome.nodes if n.resource_type != "operation")


def _edited(text: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _write_edited_copies(folder: Path) -> None:
    vinh_chau = (REPORTS_DIR / VINH_CHAU).read_text(encoding="utf-8")
    earlier_quarter = _edited(
        vinh_chau,
        [
            ("QUÝ III NĂM 2022", "QUÝ II NĂM 2022"),
            ("\t5.327\t", "\t4.000\t"),
            ("\t4.825\t", "\t3.900\t"),
            ("\t4.823\t", "\t3.861\t"),
            ("\t99,95%", "\t99%"),
            ("\tNhiệm vụ\t18\t", "\tNhiệm vụ\t12\t"),
        ],
    )
    (folder / "soctrang-vinhchau-2022-q2.txt").write_text(earlier_quarter, encoding="utf-8")
    other_district = _edited(
        vinh_chau,
        [
            ("CỦA THỊ XÃ VĨNH CHÂU", "CỦA HUYỆN THẠNH TRỊ"),
            ("của Ủy ban nhân dân thị xã Vĩnh Châu", "của Ủy ban nhân dân huyện Thạnh Trị"),
            (
                "do UBND cấp huyện tiếp nhận\tHồ sơ\t5.327\t",
                "do UBND cấp huyện tiếp nhận (lũy kế)\tHồ sơ\t1.000\t",
            ),
            ("\t4.825\t", "\t900\t"),
            ("\t4.823\t", "\t880\t"),
            ("\t99,95%", "\t97,78%"),
        ],
    )
    (folder / "soctrang-thanhtri-2022-q3.txt").write_text(other_district, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("kpi_marts")
    warehouse = root / "cchc.duckdb"
    target = root / "target"
    ingest_samples(warehouse)
    copies = root / "copies"
    copies.mkdir()
    _write_edited_copies(copies)
    loaded_copies = ingest([copies], warehouse)
    assert [f.status for f in loaded_copies] == ["loaded"] * 2, [(f.status, f.error) for f in loaded_copies]
    # upstream models and seeds without their tests (tests/dbt/test_dbt_marts.py covers them), then
    # the KPI marts' own data tests (contracts are checked when the marts are built)
    upstream = run_dbt(
        ["build", "--select", *KPI_SELECTION, "--exclude-resource-type", "test", "unit_test"],
        warehouse,
        target,
    )
    assert upstream.success, upstream.output[-3000:]
    # cautious: not the tests of other models that merely reference a selected seed (rule_inventory)
    selection = [*KPI_SELECTION[1:], "path:models/marts/kpi", *KPI_HELPERS]
    tests = run_dbt(["test", "--select", *selection, "--indirect-selection", "cautious"], warehouse, target)
    return Built(warehouse, target, upstream, tests)


def rows(built: Built, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    return query_dicts(built.warehouse, sql, params)


def one(built: Built, sql: str, params: list[Any] | None = None) -> dict[str, Any]:
    found = rows(built, sql, params)
    assert len(found) == 1, (sql, params, found)
    return found[0]


def processing(built: Built, source_file: str, level: str) -> dict[str, Any]:
    return one(
        built,
        "select * from marts.kpi_procedure_processing where source_file = ? and processing_level = ?",
        [source_file, level],
    )


def headline(built: Built, unit_code: str, period_key: str, kpi_code: str) -> dict[str, Any]:
    return one(
        built,
        "select * from marts.kpi_headline_values where unit_code = ? and period_key = ? and kpi_code = ?",
        [unit_code, period_key, kpi_code],
    )


def test_build_succeeds_with_contracts(built: Built) -> None:
    assert built.build.success, built.build.output[-3000:]
    statuses = {r.status for r in _results(built.build) if r.resource_type != "exposure"}
    assert statuses <= {"success"}, statuses
    exposures = {r.name for r in _results(built.build) if r.resource_type == "exposure"}
    assert exposures == {"kpi_overview_page", "bi_kpi_dashboard"}
    assert built.tests.success, built.tests.output[-3000:]
    test_results = {r.name: r.status for r in _results(built.tests)}
    assert set(test_results.values()) == {"pass"}, test_results
    assert "unique_kpi_scorecard_scorecard_id" in test_results
    assert "not_null_kpi_headline_values_headline_value_id" in test_results
    assert len(test_results) >= 30
    names = {r.name for r in _results(built.build)}
    for model in (
        "kpi_procedure_processing",
        "kpi_online_services",
        "kpi_e_documents",
        "kpi_plan_completion",
        "kpi_staffing",
        "kpi_public_finance",
        "kpi_citizen_feedback",
        "kpi_headline_values",
        "kpi_scorecard",
        "kpi_province_rollup",
        "metricflow_time_spine",
    ):
        assert model in names, model
    manifest = json.loads((built.target / "manifest.json").read_text(encoding="utf-8"))
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and (
            node["path"].startswith("marts/kpi/") or node["name"] in KPI_HELPERS
        ):
            assert node["config"]["contract"]["enforced"] is True, node["name"]
            assert node["description"], node["name"]
            assert node["columns"] and all(c["description"] for c in node["columns"].values()), node["name"]


def test_duyen_hai_district_on_time_rate(built: Built) -> None:
    row = processing(built, DUYEN_HAI, "district")
    # lines 301-302: 220 resolved, 219 on time; line 300: reported 99,5 %
    assert (row["dossiers_resolved"], row["dossiers_resolved_on_time"]) == (220, 219)
    assert row["on_time_rate_computed"] == pytest.approx(219 / 220 * 100)  # 99.5454...
    assert row["on_time_rate_reported"] == pytest.approx(99.5)
    assert row["on_time_rate_difference"] == pytest.approx(219 / 220 * 100 - 99.5)
    assert row["dossiers_resolved_late"] == 1
    assert (row["dossiers_resolved_source_line"], row["dossiers_resolved_on_time_source_line"]) == (301, 302)
    assert row["on_time_rate_source_line"] == 300
    # the national form has no "received" row: no resolution rate, and it says why
    assert row["resolution_rate_computed"] is None
    assert row["resolution_rate_null_reason"] == "dossiers received not reported"


def test_vinh_chau_district_counts_and_rates(built: Built) -> None:
    row = processing(built, VINH_CHAU, "district")
    # lines 88-90: 5.327 received, 4.825 resolved, 4.823 on time (note 99,95%)
    assert (row["dossiers_received"], row["dossiers_resolved"], row["dossiers_resolved_on_time"]) == (
        5327,
        4825,
        4823,
    )
    assert row["resolution_rate_computed"] == pytest.approx(4825 / 5327 * 100)  # 90.576...
    assert row["on_time_rate_computed"] == pytest.approx(4823 / 4825 * 100)  # 99.958...
    assert row["on_time_rate_reported"] == pytest.approx(99.95)
    assert row["dossiers_resolved_late"] == 2
    assert row["dossiers_pending"] == 5327 - 4825
    assert row["on_time_count_basis"] == "as_reported"
    assert row["processing_level"] == "district"
    assert [row[f"dossiers_{c}_source_line"] for c in ("received", "resolved", "resolved_on_time")] == [
        88,
        89,
        90,
    ]


def test_cat_thanh_on_time_adds_the_early_dossiers(built: Built) -> None:
    row = processing(built, CAT_THANH, "commune")
    # line 539: 1.290 resolved; line 541: 378 on time, note "909 trước hạn" (early)
    assert row["dossiers_resolved"] == 1290
    assert row["dossiers_resolved_on_time_as_reported"] == 378
    assert row["dossiers_resolved_early"] == 909
    assert row["dossiers_resolved_on_time"] == 378 + 909
    assert row["on_time_count_basis"] == "on_time_plus_early"
    assert row["dossiers_resolved_late"] == 1290 - 1287
    assert row["on_time_rate_computed"] == pytest.approx(1287 / 1290 * 100)  # 99.767...
    assert row["on_time_rate_reported"] == pytest.approx(100)  # line 537
    assert row["dossiers_resolved_early_source_line"] == 541
    # a commune report has no district-level dossiers
    district_rows = (
        "select 1 from marts.kpi_procedure_processing where source_file = ? and processing_level = ?"
    )
    assert rows(built, district_rows, [CAT_THANH, "district"]) == []
    # Thạnh Trị 2021 gives the on-time result only as a rate: the count stays null with a reason
    thanh_tri = processing(built, THANH_TRI, "district")
    assert thanh_tri["on_time_rate_computed"] is None
    assert thanh_tri["on_time_rate_null_reason"] == "on-time count not reported"
    assert thanh_tri["resolution_rate_computed"] == pytest.approx(2968 / 2953 * 100)
    assert thanh_tri["dossiers_pending"] is None  # more resolved than received: backlog
    assert "backlog" in thanh_tri["dossiers_pending_null_reason"]


def test_online_services_harmonized_across_levels_3_4_and_partial_full(built: Built) -> None:
    duyen_hai = one(built, "select * from marts.kpi_online_services where source_file = ?", [DUYEN_HAI])
    # lines 416-417: 246 dossiers received, 103 online; line 415: reported 41,8 %
    assert duyen_hai["online_share_computed"] == pytest.approx(103 / 246 * 100)  # 41.869...
    assert duyen_hai["online_share_reported"] == pytest.approx(41.8)
    # lines 405-411: level 3 -> partial (160 eligible, 160 provided, 23 with online dossiers), level 4 -> full
    assert (
        duyen_hai["partial_procedures_eligible"],
        duyen_hai["partial_procedures_provided"],
        duyen_hai["partial_procedures_with_online_dossiers"],
    ) == (160, 160, 23)
    assert (duyen_hai["full_procedures_eligible"], duyen_hai["full_procedures_with_online_dossiers"]) == (
        83,
        12,
    )
    assert duyen_hai["service_level_vocabulary"] == "level_3_4"
    assert "mức độ 3" in duyen_hai["comparability_note"]
    assert (
        duyen_hai["dossiers_received_total_source_line"],
        duyen_hai["dossiers_received_online_source_line"],
    ) == (
        416,
        417,
    )
    cat_thanh = one(built, "select * from marts.kpi_online_services where source_file = ?", [CAT_THANH])
    assert cat_thanh["service_level_vocabulary"] == "partial_full"
    assert cat_thanh["comparability_note"] is None
    assert cat_thanh["online_share_computed"] == pytest.approx(1288 / 1290 * 100)  # lines 632-634
    assert cat_thanh["full_procedures_provided"] == 88  # line 588
    assert cat_thanh["total_procedures_provided"] == 107  # line 614
    assert cat_thanh["partial_plus_full_procedures_provided"] == 88 + 16
    thanh_tri = one(built, "select * from marts.kpi_online_services where source_file = ?", [THANH_TRI])
    assert (thanh_tri["partial_procedures_provided"], thanh_tri["full_procedures_provided"]) == (57, 160)
    assert thanh_tri["online_share_computed"] is None
    assert thanh_tri["online_share_null_reason"] == "dossiers received (in person and online) not reported"


def test_plan_finance_documents_staffing_feedback(built: Built) -> None:
    plan = one(built, "select * from marts.kpi_plan_completion where source_file = ?", [VINH_CHAU])
    # lines 12-14: 66,67 % reported, 27 tasks planned, 18 completed (lũy kế)
    assert (plan["tasks_planned"], plan["tasks_completed"]) == (27, 18)
    assert plan["completion_rate_computed"] == pytest.approx(18 / 27 * 100)
    assert plan["completion_rate_reported"] == pytest.approx(66.67)
    assert plan["is_cumulative"] is True
    assert plan["window_months"] == 9  # January to September
    duyen_hai_plan = one(built, "select * from marts.kpi_plan_completion where source_file = ?", [DUYEN_HAI])
    assert duyen_hai_plan["completion_rate_computed"] == pytest.approx(7 / 36 * 100)  # lines 226-227
    assert duyen_hai_plan["completion_rate_reported"] == pytest.approx(20)  # line 225
    finance = one(built, "select * from marts.kpi_public_finance where source_file = ?", [DUYEN_HAI])
    # lines 364-366: 13.5% reported, plan 132.928, disbursed 17.991 million VND
    assert finance["disbursement_rate_computed"] == pytest.approx(17991 / 132928 * 100)
    assert finance["disbursement_rate_reported"] == pytest.approx(13.5)
    # lines 368-375: 26 units = 1 self-funding (recurrent) + 25 state funded; empty categories unknown
    assert (finance["psu_total"], finance["psu_self_funded_recurrent"], finance["psu_state_funded"]) == (
        26,
        1,
        25,
    )
    assert (finance["psu_categories_reported_sum"], finance["psu_categories_reported_count"]) == (26, 2)
    documents = one(
        built,
        "select * from marts.kpi_e_documents where source_file = ? and document_level = 'district'",
        [VINH_CHAU],
    )
    # lines 187-189: 2.870 outgoing, 2.870 fully electronic (note 100%), 502 electronic and paper (note 18%)
    assert documents["fully_electronic_share_computed"] == pytest.approx(100)
    assert documents["electronic_and_paper_share_computed"] == pytest.approx(502 / 2870 * 100)
    assert documents["electronic_and_paper_share_reported"] == pytest.approx(18)
    over_90 = one(
        built,
        "select * from marts.kpi_e_documents where source_file = ? and document_level = 'district'",
        [THANH_TRI],
    )
    assert (
        over_90["fully_electronic_share_reported"],
        over_90["fully_electronic_share_reported_qualifier"],
    ) == (
        90,
        ">",
    )  # line 194: "Trên 90%"
    staffing = one(built, "select * from marts.kpi_staffing where source_file = ?", [THANH_TRI])
    # lines 112-113, 118, 120: 85 positions, 84 present; PSU 1.209 positions, 1.112 present
    assert (staffing["headcount_assigned"], staffing["headcount_present"], staffing["headcount_vacant"]) == (
        85,
        84,
        1,
    )
    assert staffing["psu_staff_fill_rate_computed"] == pytest.approx(1112 / 1209 * 100)
    feedback = one(built, "select * from marts.kpi_citizen_feedback where source_file = ?", [CAT_THANH])
    # lines 444-473: survey conducted (1), 1.228 forms, online (0); lines 548-550: 0 PAKN received
    assert (feedback["survey_conducted"], feedback["survey_forms_collected"], feedback["survey_method"]) == (
        True,
        1228,
        "online",
    )
    assert feedback["feedback_resolution_rate_computed"] is None
    assert feedback["feedback_resolution_rate_null_reason"] == "no feedback received"


def test_change_against_the_previous_quarter(built: Built) -> None:
    row = headline(built, "950", "2022-Q3", "on_time_rate")
    assert row["kpi_value"] == pytest.approx(4823 / 4825 * 100)
    assert row["compared_with_period_key"] == "2022-Q2"
    assert row["compared_with_value"] == pytest.approx(3861 / 3900 * 100)  # 99.0 in the Q2 copy
    assert row["change_vs_previous"] == pytest.approx(4823 / 4825 * 100 - 99.0)
    assert row["change_not_comparable_reason"] is None
    resolution = headline(built, "950", "2022-Q3", "resolution_rate")
    assert resolution["change_vs_previous"] == pytest.approx(4825 / 5327 * 100 - 3900 / 4000 * 100)


def test_cumulative_figure_is_not_compared_with_the_previous_quarter(built: Built) -> None:
    row = headline(built, "950", "2022-Q3", "plan_completion_rate")
    assert row["kpi_value"] == pytest.approx(18 / 27 * 100)
    assert (row["is_cumulative"], row["window_months"]) == (True, 9)
    q2 = headline(built, "950", "2022-Q2", "plan_completion_rate")
    assert q2["kpi_value"] == pytest.approx(12 / 27 * 100)
    assert q2["window_months"] == 6
    # Q3 year to date (9 months) against Q2 year to date (6 months): refused, with the reason
    assert row["change_vs_previous"] is None
    assert row["compared_with_period_key"] is None
    reason = row["change_not_comparable_reason"]
    assert "2022-Q2" in reason
    assert "cumulative (year-to-date)" in reason
    assert "6 months" in reason and "9 months" in reason
    card = one(built, "select * from marts.kpi_scorecard where scorecard_id = '950:2022-Q3'")
    assert card["plan_completion_rate_change"] is None
    assert card["plan_completion_rate_not_comparable_reason"] == reason
    assert card["on_time_rate_change"] == pytest.approx(4823 / 4825 * 100 - 99.0)
    assert card["on_time_rate_compared_with"] == "2022-Q2"


def test_a_year_is_never_compared_with_a_quarter(built: Built) -> None:
    row = headline(built, "949", "2022-Q3", "on_time_rate")
    assert row["kpi_value"] == pytest.approx(880 / 900 * 100)
    assert row["change_vs_previous"] is None
    assert row["change_not_comparable_reason"] == (
        "no earlier quarter of the unit is loaded; "
        "2021-Y is a year, and a year is never compared with a quarter"
    )
    first = headline(built, "851", "2023-Q1", "online_share")
    assert first["change_not_comparable_reason"] == "no earlier report of the unit is loaded"


def test_rank_among_units_of_the_same_level_province_and_period(built: Built) -> None:
    vinh_chau = headline(built, "950", "2022-Q3", "on_time_rate")
    thanh_tri = headline(built, "949", "2022-Q3", "on_time_rate")
    assert (vinh_chau["rank_in_group"], vinh_chau["rank_group_size"]) == (1, 2)
    assert (thanh_tri["rank_in_group"], thanh_tri["rank_group_size"]) == (2, 2)
    # Duyên Hải (Trà Vinh, Q1 2023) is alone in its group
    duyen_hai = headline(built, "851", "2023-Q1", "on_time_rate")
    assert (duyen_hai["rank_in_group"], duyen_hai["rank_group_size"]) == (1, 1)
    # a bound ("Trên 90%") is shown but not ranked
    bound = headline(built, "949", "2021-Y", "e_document_share")
    assert (bound["kpi_value"], bound["qualifier"], bound["is_exact"]) == (90, ">", False)
    assert bound["rank_in_group"] is None
    assert "bound" in bound["rank_not_ranked_reason"]
    card = one(built, "select * from marts.kpi_scorecard where scorecard_id = '949:2022-Q3'")
    assert (card["on_time_rate_rank"], card["on_time_rate_rank_of"]) == (2, 2)
    assert card["unit_level"] == "district" and card["province_code_at_report"] == "94"


def test_scorecard_one_row_per_unit_and_period(built: Built) -> None:
    cards = rows(built, "select scorecard_id, headline_kpis_available from marts.kpi_scorecard order by 1")
    assert [c["scorecard_id"] for c in cards] == [
        "14056:2024-Q3",
        "851:2023-Q1",
        "949:2021-Y",
        "949:2022-Q3",
        "950:2022-Q2",
        "950:2022-Q3",
    ]
    duyen_hai = one(built, "select * from marts.kpi_scorecard where scorecard_id = '851:2023-Q1'")
    assert duyen_hai["on_time_rate"] == pytest.approx(219 / 220 * 100)
    assert duyen_hai["online_share"] == pytest.approx(103 / 246 * 100)
    assert duyen_hai["disbursement_rate"] == pytest.approx(17991 / 132928 * 100)
    assert duyen_hai["on_time_rate_basis"] == "computed_from_counts"
    assert duyen_hai["e_document_share_basis"] == "reported_rate"
    assert duyen_hai["resolution_rate"] is None


def test_province_rollup_adds_counts_and_recomputes_rates(built: Built) -> None:
    def rollup(code: str) -> dict[str, Any]:
        return one(
            built,
            "select * from marts.kpi_province_rollup "
            "where province_code = '94' and period_key = '2022-Q3' and measure_code = ?",
            [code],
        )

    resolved = rollup("procedures.district.dossiers_resolved")
    assert (resolved["rollup_value"], resolved["reporting_unit_count"]) == (4825 + 900, 2)
    assert resolved["reporting_unit_codes"] == "949, 950"
    rate = rollup("procedures.district.on_time_rate")
    assert rate["measure_kind"] == "rate_recomputed"
    assert (rate["numerator_sum"], rate["denominator_sum"]) == (4823 + 880, 4825 + 900)
    assert rate["rollup_value"] == pytest.approx(
        (4823 + 880) / (4825 + 900) * 100
    )  # not the mean of two rates
    # Thạnh Trị's "received" row says lũy kế (cumulative), Vĩnh Châu's is the quarter's: never added
    received = rollup("procedures.district.dossiers_received")
    assert received["rollup_value"] is None
    assert received["reporting_unit_count"] == 2
    assert "cumulative" in received["rollup_not_comparable_reason"]
    # only additive measures are summed: reported rates and yes/no answers are not
    kinds = rows(
        built,
        "select distinct r.measure_kind, i.value_type from marts.kpi_province_rollup r "
        "join marts.dim_indicator i on r.measure_code = i.indicator_code order by 1, 2",
    )
    assert {(k["measure_kind"], k["value_type"]) for k in kinds} <= {
        ("sum", "count"),
        ("sum", "amount_million_vnd"),
        ("rate_recomputed", "percent"),
    }
    # the commune's own report is not added to its province (its district's report holds it)
    assert rows(built, "select 1 from marts.kpi_province_rollup where province_code = '36'") == []


def test_comparability_rules_are_data(built: Built) -> None:
    rules = rows(built, "select rule_id, rule_kind, template_family from reference.comparability_rules")
    ids = {r["rule_id"] for r in rules}
    assert {"cmp_cumulative_same_window", "cmp_same_period_type", "agg_additive_only"} <= ids
    level_3_4 = {r["template_family"] for r in rules if r["rule_id"] == "hrm_online_level_3_4"}
    assert level_3_4 == {"soctrang_2021", "soctrang_2022", "national_2023"}


def test_dbt_parse_validates_the_semantic_layer(built: Built, tmp_path: Path) -> None:
    target = tmp_path / "parse_target"
    parsed = run_dbt(["parse"], built.warehouse, target)
    assert parsed.success, parsed.output[-3000:]
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    metrics = {m["name"]: m for m in manifest["metrics"].values()}
    for name, kind in (
        ("on_time_rate", "ratio"),
        ("resolution_rate", "ratio"),
        ("online_share", "ratio"),
        ("e_document_share", "ratio"),
        ("plan_completion", "ratio"),
        ("on_time_rate_pct", "derived"),
        ("dossiers_resolved", "simple"),
    ):
        assert metrics[name]["type"] == kind, name
    assert {m["name"] for m in manifest["semantic_models"].values()} >= {
        "procedure_processing",
        "online_services",
        "e_documents",
        "plan_completion",
    }
    spines = [n for n in manifest["nodes"].values() if n.get("time_spine")]
    assert [n["name"] for n in spines] == ["metricflow_time_spine"]
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert exposures["kpi_overview_page"]["url"] == "target/audit/kpi.html"
    assert "model.cchc.kpi_scorecard" in exposures["bi_kpi_dashboard"]["depends_on"]["nodes"]


def test_semantic_ratio_matches_the_mart(built: Built) -> None:
    """The on-time ratio metric's paired measures, evaluated by hand on the mart, give the rate."""
    pairs = one(
        built,
        "select sum(dossiers_resolved_on_time) as numerator, "
        "sum(case when dossiers_resolved_on_time is not null then dossiers_resolved end) as denominator "
        "from marts.kpi_procedure_processing where period_key = '2023-Q1' and processing_level = 'district'",
    )
    assert (pairs["numerator"], pairs["denominator"]) == (219, 220)
    time_spine = one(
        built,
        "select min(date_day) as first, max(date_day) as last, count(*) as n "
        "from semantic.metricflow_time_spine",
    )
    assert str(time_spine["first"]) == "2015-01-01"
    assert time_spine["n"] == (time_spine["last"] - time_spine["first"]).days + 1


PER_REPORT_MARTS = (
    "kpi_procedure_processing",
    "kpi_online_services",
    "kpi_e_documents",
    "kpi_plan_completion",
    "kpi_staffing",
    "kpi_public_finance",
    "kpi_citizen_feedback",
    "kpi_headline_values",
    "kpi_scorecard",
)
NAME_COLUMNS = (
    "unit_name_vi",
    "unit_name_en",
    "unit_level_name_vi",
    "unit_level_name_en",
    "province_name_vi",
    "province_name_en",
)


def test_kpi_marts_carry_names_in_vietnamese_and_english(built: Built) -> None:
    """Every per-report mart names its unit, level and province in both languages beside the codes."""
    expected = {
        "14056": (
            "thị trấn Cát Thành",
            "Cat Thanh Township",
            "cấp xã",
            "commune level",
            "Nam Định",
            "Nam Dinh",
        ),
        "851": ("thị xã Duyên Hải", "Duyen Hai Town", "cấp huyện", "district level", "Trà Vinh", "Tra Vinh"),
        "949": (
            "huyện Thạnh Trị",
            "Thanh Tri District",
            "cấp huyện",
            "district level",
            "Sóc Trăng",
            "Soc Trang",
        ),
        "950": (
            "thị xã Vĩnh Châu",
            "Vinh Chau Town",
            "cấp huyện",
            "district level",
            "Sóc Trăng",
            "Soc Trang",
        ),
    }
    for mart in PER_REPORT_MARTS:
        found = rows(built, f"select distinct unit_code, {', '.join(NAME_COLUMNS)} from marts.{mart}")
        assert found, mart
        for row in found:
            assert tuple(row[c] for c in NAME_COLUMNS) == expected[row["unit_code"]], (mart, row)
    card = one(built, "select * from marts.kpi_scorecard where scorecard_id = '950:2022-Q3'")
    assert (card["province_name_today"], card["province_name_today_en"]) == ("Cần Thơ", "Can Tho")


def test_level_columns_are_named_in_both_languages(built: Built) -> None:
    levels = rows(
        built,
        "select distinct processing_level as code, processing_level_name_vi as vi, "
        "processing_level_name_en as en from marts.kpi_procedure_processing "
        "union select distinct document_level, document_level_name_vi, document_level_name_en "
        "from marts.kpi_e_documents "
        "union select distinct admin_level, admin_level_name_vi, admin_level_name_en "
        "from marts.kpi_province_rollup order by 1",
    )
    assert [(r["code"], r["vi"], r["en"]) for r in levels] == [
        ("commune", "cấp xã", "commune level"),
        ("district", "cấp huyện", "district level"),
        ("unit", "đơn vị báo cáo", "reporting unit"),
    ]
    rollup = one(
        built,
        "select * from marts.kpi_province_rollup where province_code = '94' and period_key = '2022-Q3' "
        "and measure_code = 'procedures.district.dossiers_resolved'",
    )
    assert (rollup["province_name_vi"], rollup["province_name_en"], rollup["province_name_today_en"]) == (
        "Sóc Trăng",
        "Soc Trang",
        "Can Tho",
    )
    assert rollup["measure_name_vi"] and rollup["measure_name_vi"] != rollup["measure_name_en"]
