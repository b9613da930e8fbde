"""The relationship inventory seeds/rule_inventory.csv against the forms and the rules catalogue.

The inventory is per template family (which rows of which form a relationship binds, and why); the
catalogue seeds/dq_rules.csv holds the rules once, over canonical indicators, for every family that
maps them. These tests make the two agree both ways, and make the inventory cover every row of every
form: a rule without a relationship on some form, a relationship without its rule, or a form row with
a figure that the inventory does not mention fails here.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
FAMILIES = ("soctrang_2021", "soctrang_2022", "national_2023", "national_commune_2024")
# relationship -> (rule kind, params the rule must carry)
KIND_OF = {
    "subset_chain": ("ordered_chain", {}),
    "rate": ("rate_reconciliation", {}),
    "rate_fraction": ("rate_reconciliation", {"fraction": "self"}),
    "parts_equal": ("parts_total", {"mode": "equal"}),
    "parts_not_exceed": ("parts_total", {"mode": "not_exceed"}),
    "same_figure": ("same_figure", {}),
    "yes_no": ("domain", {"domain_type": "yes_no"}),
    "code_list": ("domain", {"domain_type": "code_list"}),
}
CROSS_ROW_KINDS = {"ordered_chain", "rate_reconciliation", "parts_total"}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _params(rule: dict[str, str]) -> dict[str, str]:
    pairs = [p.split("=", 1) for p in rule["params"].split(";") if p.strip()]
    return {k.strip(): v.strip() for k, v in pairs}


@pytest.fixture(scope="module")
def inventory() -> list[dict[str, str]]:
    return _read(SEEDS / "rule_inventory.csv")


@pytest.fixture(scope="module")
def rules() -> dict[str, dict[str, str]]:
    return {r["rule_id"]: r for r in _read(SEEDS / "dq_rules.csv")}


@pytest.fixture(scope="module")
def crosswalk() -> dict[str, dict[str, set[str]]]:
    """family -> template row -> indicator codes ('' for a row mapped to none)."""
    out: dict[str, dict[str, set[str]]] = {}
    for family in FAMILIES:
        rows: dict[str, set[str]] = defaultdict(set)
        for entry in _read(SEEDS / "crosswalk" / f"crosswalk_{family}.csv"):
            rows[entry["template_row_id"]].add(entry["indicator_code"])
        out[family] = dict(rows)
    return out


def test_every_relationship_names_its_rule(
    inventory: list[dict[str, str]], rules: dict[str, dict[str, str]]
) -> None:
    for line in inventory:
        if line["relationship"] in {"type_only", "not_mapped"}:
            assert line["rule_id"] == "", line
            continue
        rule = rules[line["rule_id"]]
        kind, params = KIND_OF[line["relationship"]]
        assert rule["rule_kind"] == kind, line
        assert params.items() <= _params(rule).items(), line
        codes = line["indicator_codes"].split("|")
        rule_codes = rule["indicator_codes"].split("|")
        # the family's rows are the rule's indicators, in the rule's order
        assert codes == [c for c in rule_codes if c in codes], line
        families = _params(rule).get("families")
        if families:  # a rule limited to some forms is inventoried on those forms only
            assert line["template_family"] in families.split("|"), line
        if kind in CROSS_ROW_KINDS and line["relationship"] != "rate_fraction":
            assert len(codes) >= 2, line


def test_the_rows_are_the_forms_rows_with_those_indicators(
    inventory: list[dict[str, str]], crosswalk: dict[str, dict[str, set[str]]]
) -> None:
    for line in inventory:
        rows = crosswalk[line["template_family"]]
        codes = set(filter(None, line["indicator_codes"].split("|")))
        mapped: set[str] = set()
        for row in line["template_row_ids"].split("|"):
            assert row in rows, line
            mapped |= rows[row] - {""}
        if line["relationship"] == "not_mapped":
            assert mapped == set(), line
        else:
            assert codes <= mapped, line


def test_every_cross_row_rule_comes_from_a_form(
    inventory: list[dict[str, str]], rules: dict[str, dict[str, str]]
) -> None:
    """A chain, rate or parts rule is in the catalogue because some form implies it."""
    derived = {line["rule_id"] for line in inventory}
    cross_row = {rule_id for rule_id, rule in rules.items() if rule["rule_kind"] in CROSS_ROW_KINDS}
    assert cross_row - derived == set()


@pytest.mark.parametrize("family", FAMILIES)
def test_every_row_of_the_form_is_in_the_inventory(
    family: str, inventory: list[dict[str, str]], crosswalk: dict[str, dict[str, set[str]]]
) -> None:
    listed = {
        row
        for line in inventory
        if line["template_family"] == family
        for row in line["template_row_ids"].split("|")
    }
    assert set(crosswalk[family]) - listed == set()


@pytest.mark.parametrize("family", FAMILIES)
def test_a_row_in_a_relationship_is_not_also_type_only(family: str, inventory: list[dict[str, str]]) -> None:
    by_row: dict[str, set[str]] = defaultdict(set)
    for line in inventory:
        if line["template_family"] == family:
            for row in line["template_row_ids"].split("|"):
                by_row[row].add(line["relationship"])
    for row, kinds in by_row.items():
        if "type_only" in kinds or "not_mapped" in kinds:
            assert len(kinds) == 1, (row, kinds)


def test_reasons_are_written(inventory: list[dict[str, str]]) -> None:
    assert all(line["reason"].strip() for line in inventory)
