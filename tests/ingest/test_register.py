"""The official unit register (ingest/register.py) read from the pinned package."""

from __future__ import annotations

import time

import pytest

from ingest.errors import AmbiguousUnitError, CchcError, UnitNotFoundError
from ingest.register import LEGACY, REFORM_2025, Level, Register, load_register, register_frame


@pytest.fixture(scope="module")
def register() -> Register:
    return load_register()


def _count(register: Register, level: Level, edition: str) -> int:
    return len(register.select(level, edition=LEGACY if edition == "legacy" else REFORM_2025))


def test_counts_of_both_editions(register: Register) -> None:
    assert _count(register, Level.PROVINCE, "legacy") == 63
    assert _count(register, Level.PROVINCE, "2025") == 34
    assert 650 <= _count(register, Level.DISTRICT, "legacy") <= 720
    assert _count(register, Level.COMMUNE, "legacy") >= 10_000
    assert _count(register, Level.COMMUNE, "2025") >= 3_000
    assert _count(register, Level.DISTRICT, "2025") == 0


@pytest.mark.parametrize(
    ("name", "province", "district", "code", "level"),
    [
        ("huyện Thạnh Trị", "Sóc Trăng", None, "949", Level.DISTRICT),
        ("THỊ XÃ VĨNH CHÂU", "tỉnh Sóc Trăng", None, "950", Level.DISTRICT),
        ("thị xã Duyên Hải", "Trà Vinh", None, "851", Level.DISTRICT),
        ("huyện Duyên Hải", "Trà Vinh", None, "850", Level.DISTRICT),
        ("thị trấn Cát Thành", "Nam Định", "huyện Trực Ninh", "14056", Level.COMMUNE),
        ("Cát Thành", "Nam Định", None, "14056", Level.COMMUNE),
        ("xã Cát Thành", "Bình Định", None, "21874", Level.COMMUNE),
    ],
)
def test_sample_units_resolve(
    register: Register, name: str, province: str, district: str | None, code: str, level: Level
) -> None:
    unit = register.resolve_unit(name, province=province, district=district)
    assert (unit.gso_code, unit.level) == (code, level)
    assert register.unit(code) == unit


def test_unicode_forms_and_case_are_equal(register: Register) -> None:
    decomposed = "thi\u0323 xa\u0303 Duye\u0302n Ha\u0309i"  # NFD-ish input
    assert register.resolve_unit(decomposed, province="TRÀ VINH").gso_code == "851"


def test_same_name_two_types_is_ambiguous_without_type(register: Register) -> None:
    with pytest.raises(AmbiguousUnitError) as info:
        register.resolve_unit("Duyên Hải", province="Trà Vinh")
    assert "850" in str(info.value) and "851" in str(info.value)


def test_same_name_two_provinces_is_ambiguous_without_province(register: Register) -> None:
    with pytest.raises(AmbiguousUnitError) as info:
        register.resolve_unit("Cát Thành")
    assert "Nam Định" in str(info.value) and "Bình Định" in str(info.value)
    assert isinstance(info.value, CchcError)


def test_not_found_suggests_the_closest_name(register: Register) -> None:
    with pytest.raises(UnitNotFoundError, match="Thạnh Trị"):
        register.resolve_unit("huyện Thạnh Tri", province="Sóc Trăng")
    with pytest.raises(UnitNotFoundError):
        register.resolve_unit("huyện Thạnh Trị", province="Atlantis")


def test_successors_2025(register: Register) -> None:
    soc_trang = register.resolve_unit("tỉnh Sóc Trăng")
    can_tho = register.successor(soc_trang)
    assert can_tho is not None
    assert (can_tho.name, can_tho.level, can_tho.edition) == ("Cần Thơ", Level.PROVINCE, REFORM_2025)
    tra_vinh = register.successor(register.resolve_unit("Trà Vinh", level="province"))
    assert tra_vinh is not None and tra_vinh.name == "Vĩnh Long"
    district = register.unit("949")
    assert [u.gso_code for u in register.successors(district)] == [can_tho.gso_code]
    commune = register.unit("14056")
    succ = register.successor(commune)
    assert succ is not None and succ.level == Level.COMMUNE and succ.province_code != "36"


def test_every_legacy_unit_has_a_successor(register: Register) -> None:
    missing = [u for u in register.units if u.edition == LEGACY and not u.successor_codes]
    assert len(missing) <= 5, missing[:5]


def test_parents_exist(register: Register) -> None:
    for u in register.units:
        if u.parent_code is not None:
            parent = register.unit(u.parent_code, edition=u.edition)
            assert parent.level != u.level


def test_lookups_are_cached_and_fast(register: Register) -> None:
    assert load_register() is register
    start = time.perf_counter()
    for _ in range(2000):
        register.resolve_unit("thị xã Duyên Hải", province="Trà Vinh")
    assert time.perf_counter() - start < 1.0


def test_frame(register: Register) -> None:
    frame = register_frame(register)
    assert list(frame.columns[:9]) == [
        "gso_code", "name", "unit_type", "level", "parent_code",
        "province_code", "valid_from", "valid_to", "successor_code",
    ]  # fmt: skip
    assert len(frame) == len(register.units)
    row = frame[(frame.gso_code == "851") & (frame.edition == "legacy")].iloc[0]
    assert (row["name"], row["unit_type"], row["parent_code"]) == ("Duyên Hải", "thị xã", "84")
