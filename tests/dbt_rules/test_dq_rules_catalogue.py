"""The rules catalogue seeds/dq_rules.csv against the indicator catalogue seeds/indicators.csv."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RULES_MACROS = REPO / "macros" / "rules"
# a rule kind is a folder macros/rules/<kind>/ (the registry dq_rule_kind_check finds dq_check_<kind>)
KINDS = {p.name for p in RULES_MACROS.iterdir() if p.is_dir() and not p.name.startswith("_")}
STRATEGIES = {"skip_if_any_missing", "skip_if_all_missing", "missing_as_zero"}
FAMILIES = {"soctrang_2021", "soctrang_2022", "national_2023", "national_commune_2024"}


def test_the_rule_kinds_are_the_macro_folders() -> None:
    assert {
        "ordered_chain",
        "rate_reconciliation",
        "parts_total",
        "domain",
        "same_figure",
        "completeness",
        "outlier",
        "value_type",
        "unmapped_value",
    } == KINDS


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_rule_kind_folder_holds_its_test_conditions_and_check(kind: str) -> None:
    folder = RULES_MACROS / kind
    for name in (f"test_{kind}", f"rule_{kind}_violation", f"rule_{kind}_skipped", f"dq_check_{kind}"):
        text = (folder / f"{name}.sql").read_text(encoding="utf-8")
        tag = f"{{% test {kind}(" if name.startswith("test_") else f"{{% macro {name}("
        assert tag in text, (kind, name)
        assert f"name: {name}" in (folder / f"_{kind}__macros.yml").read_text(encoding="utf-8"), (kind, name)


def test_the_families_are_the_template_families_seed() -> None:
    assert {row["template_family"] for row in _read(REPO / "seeds" / "template_families.csv")} == FAMILIES


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def rules() -> list[dict[str, str]]:
    return _read(REPO / "seeds" / "dq_rules.csv")


@pytest.fixture(scope="module")
def indicators() -> dict[str, dict[str, str]]:
    return {row["indicator_code"]: row for row in _read(REPO / "seeds" / "indicators.csv")}


def _params(rule: dict[str, str]) -> dict[str, str]:
    pairs = [p.split("=", 1) for p in rule["params"].split(";") if p.strip()]
    return {k.strip(): v.strip() for k, v in pairs}


def test_columns_and_values(rules: list[dict[str, str]]) -> None:
    assert len({r["rule_id"] for r in rules}) == len(rules)
    for rule in rules:
        assert rule["rule_kind"] in KINDS, rule
        assert rule["severity"] in {"error", "warning", "info"}, rule
        assert rule["missing_strategy"] in STRATEGIES, rule
        assert float(rule["tolerance"]) >= 0, rule
        assert rule["description_en"].strip() and rule["description_vi"].strip(), rule


def test_every_code_is_a_canonical_indicator(
    rules: list[dict[str, str]], indicators: dict[str, dict[str, str]]
) -> None:
    unknown = {
        (rule["rule_id"], code)
        for rule in rules
        for code in rule["indicator_codes"].split("|")
        if code not in indicators and rule["rule_kind"] != "unmapped_value"
    }
    assert unknown == set()


def test_rate_rules_follow_the_catalogue(
    rules: list[dict[str, str]], indicators: dict[str, dict[str, str]]
) -> None:
    """rate | numerator | denominator, as indicators.csv defines the rate."""
    rate_rules = [r for r in rules if r["rule_kind"] == "rate_reconciliation"]
    assert len(rate_rules) >= 10
    for rule in rate_rules:
        codes = rule["indicator_codes"].split("|")
        assert indicators[codes[0]]["value_type"] == "percent", rule
        if _params(rule).get("fraction") == "self":
            assert len(codes) == 1
            continue
        assert codes[1:] == [
            indicators[codes[0]]["numerator_indicator_code"],
            indicators[codes[0]]["denominator_indicator_code"],
        ], rule
        # counts the form adds to the numerator when stated apart (early dossiers): counts whose
        # parent indicator is the numerator's parent, limited to named families
        added = [c for c in _params(rule).get("numerator_adds", "").split("|") if c]
        for code in added:
            assert indicators[code]["value_type"] == "count", (rule, code)
            assert (
                indicators[code]["parent_indicator_code"] == indicators[codes[1]]["parent_indicator_code"]
            ), rule
        if added:
            assert set(_params(rule)["numerator_adds_families"].split("|")) <= FAMILIES, rule


def test_shapes_of_the_kinds(rules: list[dict[str, str]]) -> None:
    for rule in rules:
        codes = rule["indicator_codes"].split("|")
        params = _params(rule)
        if rule["rule_kind"] in {"ordered_chain", "parts_total"}:
            assert len(codes) >= 2, rule
        if rule["rule_kind"] == "parts_total":
            assert params.get("mode") in {"equal", "not_exceed"}, rule
        if rule["rule_kind"] == "domain":
            assert params.get("domain_type") in {"yes_no", "code_list", "rate", "count", "range"}, rule
        if rule["rule_kind"] == "completeness":
            assert set(params["families"].split("|")) <= FAMILIES, rule
        if rule["rule_kind"] == "outlier":
            assert rule["severity"] == "info", rule
            # like with like: same indicator (so level), kind of reporting unit and period type
            assert params.get("partition_by") == "unit_level|period_type", rule
        if rule["rule_kind"] == "value_type":
            assert set(params["accepted"].split("|")) <= {"count", "percent", "ratio", "code", "text"}, rule


def test_every_typed_indicator_has_a_domain_rule(
    rules: list[dict[str, str]], indicators: dict[str, dict[str, str]]
) -> None:
    covered = {
        code for rule in rules if rule["rule_kind"] == "domain" for code in rule["indicator_codes"].split("|")
    }
    typed = {
        code
        for code, row in indicators.items()
        if row["value_type"] in {"yes_no", "coded", "percent", "count", "amount_million_vnd"}
    }
    assert typed - covered == set()


def test_every_typed_indicator_has_a_value_type_rule(
    rules: list[dict[str, str]], indicators: dict[str, dict[str, str]]
) -> None:
    covered = {
        code
        for rule in rules
        if rule["rule_kind"] == "value_type"
        for code in rule["indicator_codes"].split("|")
    }
    typed = {
        code
        for code, row in indicators.items()
        if row["value_type"] in {"yes_no", "coded", "percent", "count", "amount_million_vnd"}
    }
    assert typed - covered == set()


def test_issue_groups_are_in_the_catalogue(rules: list[dict[str, str]]) -> None:
    by_id = {r["rule_id"]: r for r in rules}
    assert by_id["chain_district_dossiers"]["indicator_codes"] == (
        "procedures.district.dossiers_received|procedures.district.dossiers_resolved"
        "|procedures.district.dossiers_resolved_on_time"
    )
    assert by_id["parts_procedures_in_force"]["indicator_codes"].startswith(
        "procedures.catalogue.in_force_total|"
    )
    assert _params(by_id["parts_discipline_groups"])["mode"] == "not_exceed"
    for family in FAMILIES:
        assert f"complete_{family}" in by_id
