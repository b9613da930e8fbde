"""Tests of the TemplateFamily contract and the family registry (mypy checks the types statically)."""

from __future__ import annotations

import pytest

from ingest.detect import detect_family, expected_markers
from ingest.errors import TemplateDetectionError
from ingest.families import (
    FAMILIES,
    REGISTRY,
    national_2023,
    national_commune_2024,
    soctrang_2021,
    soctrang_2022,
)
from ingest.families.contract import FamilyParser, TemplateFamily

MODULES = (soctrang_2021, soctrang_2022, national_2023, national_commune_2024)


def test_registry_lists_every_family_once() -> None:
    assert [family.name for family in REGISTRY] == [module.FAMILY for module in MODULES]
    assert list(FAMILIES) == [family.name for family in REGISTRY]
    assert all(FAMILIES[family.name] is family for family in REGISTRY)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.FAMILY)
def test_each_family_declares_the_contract(module: object) -> None:
    family: TemplateFamily = getattr(module, "TEMPLATE")  # noqa: B009
    assert isinstance(family, FamilyParser)
    assert family.markers
    assert all(marker.strip() and "\n" not in marker for marker in family.markers)
    assert family.score("") == 0.0


def test_detection_error_names_markers_on_one_line() -> None:
    with pytest.raises(TemplateDetectionError) as info:
        detect_family("Công thức nấu phở bò\n\nNguyên liệu: xương bò.\n", "pho.txt")
    message = str(info.value)
    assert "\n" not in message
    assert message.endswith(f"Expected markers: {expected_markers(FAMILIES)}")
    for family in REGISTRY:
        assert f"{family.name} (" in message
        for marker in family.markers:
            assert marker in message
    assert len(expected_markers(FAMILIES)) < 500


def test_a_family_can_be_declared_from_functions() -> None:
    parse = soctrang_2022.parse
    family: TemplateFamily = FamilyParser("test_family", ("a marker",), lambda text: 0.25, parse)
    assert family.score("anything") == 0.25
    assert family.parse is not None
    with pytest.raises(TemplateDetectionError):
        detect_family("x\n", "x.txt", {"test_family": family})
