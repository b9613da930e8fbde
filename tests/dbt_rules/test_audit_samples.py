"""The audit models on the four sample reports: real ingest + `dbt build` into a tmp DuckDB.

Every expected finding below was checked by reading the sample file (line numbers are 1-based
lines of data/reports/<file>); the raw figures are asserted against those lines too. The build
holds the four samples only (not data/hand_entered, which the session's ``samples_build`` also
loads as a fifth report), hence its own warehouse.
"""

from __future__ import annotations

import json
import re
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
    NodeResult,
    ingest_samples,
    query_dicts,
    run_dbt,
)


@dataclass(frozen=True)
class AuditBuild:
    warehouse: Path
    nodes: tuple[NodeResult, ...]  # from the build's run_results.json
    log: str

    def rows(self, sql: str) -> list[dict[str, Any]]:
        return query_dicts(self.warehouse, sql)

    def test_results(self) -> dict[str, tuple[str, int]]:
        return {n.name: (n.status, n.failures) for n in self.nodes if n.resource_type == "test"}


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory) -> AuditBuild:
    root = tmp_path_factory.mktemp("audit_samples")
    warehouse = root / "cchc.duckdb"
    ingest_samples(warehouse)
    build = run_dbt(["build", "--select", "+path:models/audit"], warehouse, root / "target")
    assert build.ran, build.output
    return AuditBuild(warehouse, build.nodes, build.output)


def _line(file: str, n: int) -> str:
    return (REPORTS_DIR / file).read_text(encoding="utf-8").splitlines()[n - 1]


def _finding(audit: AuditBuild, file: str, rule_id: str, item: str | None = None) -> dict[str, Any]:
    rows = audit.rows(
        "select * from audit.dq_findings "
        f"where source_file = '{file}' and rule_id = '{rule_id}'"
        + (f" and indicator_codes = '{item}'" if item else "")
    )
    assert len(rows) == 1, (file, rule_id, item, rows)
    return rows[0]


def _evaluation(audit: AuditBuild, file: str, rule_id: str) -> dict[str, Any]:
    rows = audit.rows(
        "select e.* from audit.dq_evaluations as e "
        "inner join (select distinct report_id, source_file from marts.fct_indicator_values) as r "
        f"on e.report_id = r.report_id where r.source_file = '{file}' and e.rule_id = '{rule_id}'"
    )
    assert len(rows) == 1, (file, rule_id, rows)
    return rows[0]


# (file, rule, item, line_start, line_end, observed subset, raw figures to find on given lines)
MUST_REPORT: list[tuple[str, str, str | None, int, int, dict[str, float], dict[int, str]]] = [
    # district resolved 2.968 > received 2.953
    (
        THANH_TRI,
        "chain_district_dossiers",
        None,
        86,
        87,
        {"procedures.district.dossiers_received": 2953, "procedures.district.dossiers_resolved": 2968},
        {86: "2.953", 87: "2.968"},
    ),
    # yes/no answer (awards for CCHC results: Không = 0; Có = 1) written as 6
    (
        VINH_CHAU,
        "domain_yes_no",
        "direction.reform_awards",
        35,
        35,
        {"direction.reform_awards": 6},
        {35: "\t6\t"},
    ),
    # 5 disciplined in total, groups 2 + 1 + 1 + 2 = 6
    (
        VINH_CHAU,
        "parts_discipline_groups",
        None,
        156,
        166,
        {"civil_service.discipline.total": 5, "civil_service.discipline.department_leaders": 2},
        {156: "\t5\t", 158: "\t2\t", 160: "\t1\t", 165: "\t1\t", 166: "\t2\t"},
    ),
    # 18% of outgoing documents electronic + paper, but 502 / 2.870 = 17.49 %
    (
        VINH_CHAU,
        "rate_edocs_district_electronic_and_paper",
        None,
        187,
        189,
        {"digital_government.edocs.district.electronic_and_paper_rate": 18},
        {187: "2.870", 189: "18%"},
    ),
    # 2.870 fully electronic (100 %) + 502 electronic with paper > 2.870 outgoing documents
    (VINH_CHAU, "parts_edocs_district", None, 187, 189, {}, {188: "2.870", 189: "502"}),
    # plan completion 20 % but 7 / 36 = 19.44 %
    (
        DUYEN_HAI,
        "rate_plan_completion",
        None,
        225,
        227,
        {"direction.plan.completion_rate": 20, "direction.plan.tasks_completed": 7},
        {225: "20%", 226: "36", 227: "07"},
    ),
    # civil-servant quota assigned left empty (required for the national 2023 form)
    (DUYEN_HAI, "complete_national_2023", "apparatus.headcount.quota_assigned", 326, 326, {}, {326: "Người"}),
    # online payment rate 100 % but 13 of 22 fee-bearing procedures
    (
        CAT_THANH,
        "rate_online_payment",
        None,
        636,
        648,
        {"online_payment.procedures_integrated": 13, "online_payment.procedures_with_fees": 22},
        {636: "100", 642: "22", 648: "13"},
    ),
    # online procedures provided "một phần và toàn trình" 107, but toàn trình 88 + một phần 16 = 104
    (
        CAT_THANH,
        "parts_online_levels_provided",
        None,
        588,
        618,
        {"online_services.total.procedures_provided": 107, "online_services.full.procedures_provided": 88},
        {588: "88", 600: "16", 618: "107"},
    ),
    # plan completion rate left empty while 36 tasks / 28 done are given
    (CAT_THANH, "complete_national_commune_2024", "direction.plan.completion_rate", 416, 416, {}, {416: "%"}),
    # "100%" written in the count row "tasks completed on time": quoted, not stored silently as 100 tasks
    (
        THANH_TRI,
        "value_type_count",
        "direction.assigned_tasks.completed_on_time",
        39,
        39,
        {},
        {39: "100%"},
    ),
]


@pytest.mark.parametrize("case", MUST_REPORT, ids=lambda case: f"{case[0]}-{case[1]}-{case[2]}")
def test_real_inconsistency_is_reported(audit: AuditBuild, case: tuple[Any, ...]) -> None:
    file, rule_id, item, start, end, observed, raw = case
    for n, text in raw.items():
        assert text in _line(file, n), (file, n)
    finding = _finding(audit, file, rule_id, item)
    assert (finding["line_start"], finding["line_end"]) == (start, end)
    lines = json.loads(finding["source_lines"])
    assert lines[0] == start and lines[-1] == end
    assert set(raw) <= set(lines)
    values = json.loads(finding["observed"])
    for code, value in observed.items():
        assert values[code] == pytest.approx(value), (code, values)
    assert finding["message"] and finding["expected"]


# consistent groups: evaluated and passed (not skipped), so never a finding
MUST_PASS = [
    (DUYEN_HAI, "rate_district_on_time"),  # 99,5 % with 219 / 220 = 99.545 (rounded)
    (DUYEN_HAI, "rate_online_dossiers"),  # 41,8 % with 103 / 246 = 41.87 (truncated)
    (DUYEN_HAI, "rate_disbursement"),  # 13.5% with 17.991 / 132.928 = 13.53
    (DUYEN_HAI, "rate_commune_on_time"),  # 100 with 2401 / 2401
    (DUYEN_HAI, "parts_psu_autonomy"),  # 26 = 1 + 25
    (DUYEN_HAI, "chain_online_partial_procedures"),  # 160 >= 160 >= 23
    (VINH_CHAU, "rate_district_on_time"),  # note 99,95 % with 4.823 / 4.825 = 99.9585 (truncated)
    (VINH_CHAU, "rate_plan_completion"),  # 66,67 with 18 / 27
    (VINH_CHAU, "chain_district_dossiers"),  # 5.327 >= 4.825 >= 4.823
    (VINH_CHAU, "parts_procedures_in_force"),  # 413 = 274 + 139
    (VINH_CHAU, "parts_psu_autonomy"),  # 47 = 2 + 45
    (THANH_TRI, "parts_procedures_in_force"),  # 405 = 269 + 136
    (THANH_TRI, "parts_psu_autonomy"),  # 8/8 = 2 + 2 + 4
    (CAT_THANH, "rate_online_dossiers"),  # 100 % with 1.288 / 1.290 = 99.84 (rounded to 0 decimals)
    (CAT_THANH, "chain_online_full_procedures"),  # 88 >= 88 >= 9
    # on time 378 + early 909 (note "909 trước hạn") = 1.287 of 1.290 resolved: 99.77 % -> printed 100
    (CAT_THANH, "rate_commune_on_time"),
    # 378 + 909 <= 1.290: the form has no row for late dossiers, nothing contradicts
    (CAT_THANH, "parts_commune_timeliness"),
]


@pytest.mark.parametrize(("file", "rule_id"), MUST_PASS)
def test_consistent_group_passes(audit: AuditBuild, file: str, rule_id: str) -> None:
    evaluation = _evaluation(audit, file, rule_id)
    assert evaluation["status"] == "passed", evaluation
    assert not audit.rows(
        f"select 1 from audit.dq_findings where source_file = '{file}' and rule_id = '{rule_id}'"
    )


def test_value_type_quotes_the_raw_text(audit: AuditBuild) -> None:
    finding = _finding(audit, THANH_TRI, "value_type_count", "direction.assigned_tasks.completed_on_time")
    assert '"100%"' in finding["message"] and "percent" in finding["message"]
    assert finding["severity"] == "warning"
    # text in a number row is quoted too, as info (nothing was stored as a number)
    text = _finding(audit, DUYEN_HAI, "value_type_count", "direction.inspection.issues_found")
    assert '"Không"' in text["message"] and text["severity"] == "info"


def test_missing_part_is_not_an_error(audit: AuditBuild) -> None:
    """Vĩnh Châu leaves discipline groups empty: 2 + 1 + 1 + 2 = 6 > 5 is proven, but only as
    "parts <= total", said in the message, and never at error."""
    finding = _finding(audit, VINH_CHAU, "parts_discipline_groups")
    assert finding["severity"] == "warning"
    assert "only parts <= total was checked" in finding["message"]
    assert not audit.rows(
        "select 1 from audit.dq_findings where rule_kind = 'parts_total' and severity = 'error' "
        "and message like '%not reported%'"
    )


def test_values_outside_the_indicators_are_on_the_page(audit: AuditBuild) -> None:
    """Every row with a value that reaches no indicator is a finding of rule unmapped_value with its line."""
    coverage = audit.rows(
        "select source_file, source_line_start, source_line_end from marts.mapping_coverage "
        "where carries_value "
        "and coverage_reason in ('unrecognized_label', 'not_in_crosswalk', 'deliberately_unmapped')"
    )
    findings = audit.rows("select * from audit.dq_findings where rule_id = 'unmapped_value'")
    assert coverage, "the samples hold values on group-header rows"
    assert sorted(
        (r["source_file"], r["source_line_start"], r["source_line_end"]) for r in coverage
    ) == sorted((f["source_file"], f["line_start"], f["line_end"]) for f in findings)
    for f in findings:
        assert f["message"].startswith("value not used by any rule: ") and f["severity"] in {
            "info",
            "warning",
        }


def test_skipped_rule_says_why(audit: AuditBuild) -> None:
    # Thạnh Trị 2021 gives the district on-time rate (line 88) but no on-time count
    evaluation = _evaluation(audit, THANH_TRI, "rate_district_on_time")
    assert evaluation["status"] == "skipped"
    assert evaluation["skip_reason"] == "missing: procedures.district.dossiers_resolved_on_time"
    # a family-specific completeness rule is not applicable to the other families
    other = _evaluation(audit, THANH_TRI, "complete_national_2023")
    assert other["status"] == "skipped"
    assert other["skip_reason"].startswith("all ")
    assert "not applicable to template family soctrang_2021" in other["skip_reason"]


def test_one_evaluation_per_report_and_rule(audit: AuditBuild) -> None:
    counts = audit.rows(
        "select (select count(*) from audit.dq_evaluations) as evaluations, "
        "(select count(distinct report_id) from audit.dq_report_values) as reports, "
        "(select count(*) from audit.dq_rules) as rules"
    )[0]
    assert counts["reports"] == 4
    assert counts["evaluations"] == counts["reports"] * counts["rules"]


def test_findings_lineage_is_complete(audit: AuditBuild) -> None:
    rows = audit.rows("select * from audit.dq_findings")
    assert len(rows) >= len(MUST_REPORT)
    for row in rows:
        assert row["source_file"] in {THANH_TRI, VINH_CHAU, DUYEN_HAI, CAT_THANH}
        if row["line_start"] is None and row["rule_kind"] == "completeness":
            assert row["rule_kind"] == "completeness", row
            continue
        lines = json.loads(row["source_lines"])
        assert lines == sorted(set(lines)) and lines[0] == row["line_start"] and lines[-1] == row["line_end"]
        assert row["severity"] in {"error", "warning", "info"}


def test_dbt_tests_warn_on_source_data_and_pass_on_pipeline(audit: AuditBuild) -> None:
    results = audit.test_results()
    # source-data findings: warnings, never errors
    assert results["dq_findings_source_data_no_error_or_warning"][0] == "warn"
    assert results["dq_evaluations_source_data_rules_hold"][0] == "warn"
    # the generic tests on the pivot agree with the engine: only Thạnh Trị breaks the district chain
    assert results["dq_report_values_district_dossiers_ordered"] == ("warn", 1)
    assert results["dq_report_values_district_on_time_rate"] == ("pass", 0)
    # pipeline defects: none
    assert results["dq_findings_line_range_ordered"] == ("pass", 0)
    audit_tests = {
        name: outcome
        for name, outcome in results.items()
        if name.startswith(("unique_dq_", "not_null_dq_", "relationships_dq_", "accepted_values_dq_"))
    }
    assert audit_tests, audit.log
    assert {status for status, _ in audit_tests.values()} == {"pass"}, audit_tests


def _figures(text: str) -> list[str]:
    return sorted(re.findall(r"[0-9]+(?:\.[0-9]+)?", text))


def test_every_finding_has_a_vietnamese_message_with_the_same_figures(audit: AuditBuild) -> None:
    """message_vi says what message says, in Vietnamese: the same codes and figures, other words."""
    findings = audit.rows("select rule_kind, message, message_vi from audit.dq_findings")
    assert {f["rule_kind"] for f in findings} >= {
        "ordered_chain",
        "parts_total",
        "rate_reconciliation",
        "value_type",
    }
    for f in findings:
        assert f["message_vi"] and f["message_vi"] != f["message"], f
        assert _figures(f["message_vi"]) == _figures(f["message"]), f
    chain = _finding(audit, THANH_TRI, "chain_district_dossiers")
    assert chain["message_vi"] == (
        "procedures.district.dossiers_resolved (2968) lớn hơn procedures.district.dossiers_received (2953)"
    )
    rate = _finding(audit, DUYEN_HAI, "rate_plan_completion")
    assert rate["message_vi"].startswith("tỷ lệ báo cáo 20 không khớp với 7 / 36 x 100 = 19.4444")
    parts = _finding(audit, VINH_CHAU, "parts_discipline_groups")
    assert "nên chỉ kiểm tra tổng các phần <= tổng" in parts["message_vi"]
    text = _finding(audit, DUYEN_HAI, "value_type_count", "direction.inspection.issues_found")
    assert text["message_vi"].startswith("direction.inspection.issues_found cần một số đếm hoặc số tiền")
    assert '"Không"' in text["message_vi"]
    unmapped = audit.rows("select message_vi from audit.dq_findings where rule_id = 'unmapped_value'")
    assert unmapped and all(
        u["message_vi"].startswith("giá trị không được quy tắc nào sử dụng: ") for u in unmapped
    )
