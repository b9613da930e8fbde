"""The official unit register in the marts, and intake without a manifest (real `dbt build`s).

Two warehouses of the four sample reports: one ingested with data/manifest.yml, one without any
manifest (units and periods from the documents, resolved through the register). Both are built
with dbt; dim_reporting_unit must hold the whole register and fct_indicator_values must be the
same in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from dbt_project_runner import MANIFEST_PATH, REPORTS_DIR, SAMPLES, DbtRun, query, run_dbt

from ingest.batch import ingest_paths, read_manifest

SELECTION = [
    "--select", "+fct_indicator_values", "+dim_reporting_unit", "+dim_period", "unit_aliases",
    "path:seeds/template_rows", "--indirect-selection", "cautious",
]  # fmt: skip
FACT_COLUMNS = (
    "unit_code, period_key, indicator_code, template_family, value_kind, value_number, value_text, "
    "qualifier, source_file, source_line_start, source_line_end"
)


@dataclass(frozen=True)
class Warehouses:
    with_manifest: Path
    without_manifest: Path
    builds: tuple[DbtRun, DbtRun]


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> Warehouses:
    root = tmp_path_factory.mktemp("register_marts")
    paths = (root / "with.duckdb", root / "without.duckdb")
    with_manifest = ingest_paths([REPORTS_DIR], paths[0], read_manifest(MANIFEST_PATH))
    without = ingest_paths([REPORTS_DIR], paths[1], None)
    for results in (with_manifest, without):
        assert [r.status for r in results] == ["loaded"] * len(SAMPLES), [r.error for r in results]
    builds = (
        run_dbt(["build", *SELECTION], paths[0], root / "target_with"),
        run_dbt(["build", *SELECTION], paths[1], root / "target_without"),
    )
    return Warehouses(paths[0], paths[1], builds)


def test_builds_succeed(warehouses: Warehouses) -> None:
    for build in warehouses.builds:
        assert build.success, build.output[-3000:]


def test_dim_reporting_unit_holds_the_whole_register(warehouses: Warehouses) -> None:
    counts = dict(
        ((edition, level), n)
        for edition, level, n in query(
            warehouses.with_manifest,
            "select edition, unit_level, count(*) from marts.dim_reporting_unit group by all",
        )
    )
    assert counts[("legacy", "province")] == 63
    assert counts[("2025", "province")] == 34
    assert 650 <= counts[("legacy", "district")] <= 720
    assert counts[("legacy", "commune")] >= 10_000
    assert counts[("2025", "commune")] >= 3_000


def test_the_sample_units_and_their_geography_then_and_today(warehouses: Warehouses) -> None:
    rows = query(
        warehouses.with_manifest,
        "select unit_code, gso_code, unit_full_name_vi, province_name_at_report, province_name_today, "
        "aliases from marts.dim_reporting_unit where unit_code in ('949', '950', '851', '14056') "
        "order by unit_code",
    )
    assert rows == [
        ("14056", "14056", "thị trấn Cát Thành", "Nam Định", "Ninh Bình", "nd-truc-ninh-cat-thanh"),
        ("851", "851", "thị xã Duyên Hải", "Trà Vinh", "Vĩnh Long", "tv-duyen-hai-tx"),
        ("949", "949", "huyện Thạnh Trị", "Sóc Trăng", "Cần Thơ", "st-thanh-tri"),
        ("950", "950", "thị xã Vĩnh Châu", "Sóc Trăng", "Cần Thơ", "st-vinh-chau"),
    ]
    successor = query(
        warehouses.with_manifest,
        "select successor_unit_code, successor_gso_codes from marts.dim_reporting_unit "
        "where unit_code = '14056'",
    )
    assert successor == [("2025:14056", "14056")]  # the township's successor commune of the 2025 register


def test_reports_resolve_to_the_register_codes_without_a_manifest(warehouses: Warehouses) -> None:
    sql = (
        "select source_file, unit_code, period_key, province_code_at_report, province_code_today "
        "from marts.dim_report where is_current_version order by source_file"
    )
    without = query(warehouses.without_manifest, sql)
    assert without == [
        ("namdinh-catthanh-2024-q3.txt", "14056", "2024-Q3", "36", "2025:37"),
        ("soctrang-thanhtri-2021-year.txt", "949", "2021-Y", "94", "2025:92"),
        ("soctrang-vinhchau-2022-q3.txt", "950", "2022-Q3", "94", "2025:92"),
        ("travinh-duyenhai-2023-q1.txt", "851", "2023-Q1", "84", "2025:86"),
    ]
    assert query(warehouses.with_manifest, sql) == without


def test_same_marts_with_and_without_the_manifest(warehouses: Warehouses) -> None:
    sql = f"select {FACT_COLUMNS} from marts.fct_indicator_values order by all"
    with_manifest = query(warehouses.with_manifest, sql)
    assert len(with_manifest) > 100
    assert query(warehouses.without_manifest, sql) == with_manifest


def test_english_names_follow_the_rule(warehouses: Warehouses) -> None:
    """The register names units in Vietnamese only: English names are the name without diacritics
    and the English type word (macro unit_full_name_en), type word first for numbered units."""
    rows = query(
        warehouses.with_manifest,
        "select unit_code, unit_full_name_en, unit_type_en, unit_level_name_vi, unit_level_name_en, "
        "province_name_at_report_en, province_name_today_en from marts.dim_reporting_unit "
        "where unit_code in ('949', '950', '851', '14056', '94', '79', '31783', '2025:24823') "
        "order by unit_code",
    )
    assert rows == [
        ("14056", "Cat Thanh Township", "Township", "cấp xã", "commune level", "Nam Dinh", "Ninh Binh"),
        ("2025:24823", "Ward 1 Bao Loc", "Ward", "cấp xã", "commune level", "Lam Dong", "Lam Dong"),
        ("31783", "Ward 1", "Ward", "cấp xã", "commune level", "Soc Trang", "Can Tho"),
        ("79", "Ho Chi Minh City", "City", "cấp tỉnh", "province level", "Ho Chi Minh", "Ho Chi Minh"),
        ("851", "Duyen Hai Town", "Town", "cấp huyện", "district level", "Tra Vinh", "Vinh Long"),
        ("94", "Soc Trang Province", "Province", "cấp tỉnh", "province level", "Soc Trang", "Can Tho"),
        ("949", "Thanh Tri District", "District", "cấp huyện", "district level", "Soc Trang", "Can Tho"),
        ("950", "Vinh Chau Town", "Town", "cấp huyện", "district level", "Soc Trang", "Can Tho"),
    ]
    # every unit of both registers: an English name in plain printable ASCII, Đ/đ included
    not_ascii = query(
        warehouses.with_manifest,
        "select count(*) filter "
        "(where regexp_matches(unit_full_name_en || province_name_today_en, '[^ -~]')), "
        "count(*) filter (where unit_full_name_en is null), "
        "count(*) filter (where unit_full_name_vi like '%đ%' or unit_full_name_vi like '%Đ%') "
        "from marts.dim_reporting_unit",
    )
    assert not_ascii[0][:2] == (0, 0) and not_ascii[0][2] > 100


def test_facts_carry_unit_province_and_indicator_names(warehouses: Warehouses) -> None:
    rows = query(
        warehouses.with_manifest,
        "select distinct f.unit_name_vi, f.unit_name_en, f.province_name_vi, f.province_name_en "
        "from marts.fct_indicator_values f order by 1",
    )
    assert rows == [
        ("huyện Thạnh Trị", "Thanh Tri District", "Sóc Trăng", "Soc Trang"),
        ("thị trấn Cát Thành", "Cat Thanh Township", "Nam Định", "Nam Dinh"),
        ("thị xã Duyên Hải", "Duyen Hai Town", "Trà Vinh", "Tra Vinh"),
        ("thị xã Vĩnh Châu", "Vinh Chau Town", "Sóc Trăng", "Soc Trang"),
    ]
    mismatched = query(
        warehouses.with_manifest,
        "select count(*) from marts.fct_indicator_values f join marts.dim_indicator i using (indicator_code) "
        "where f.indicator_name_vi is distinct from i.name_vi "
        "or f.indicator_name_en is distinct from i.name_en or f.indicator_name_vi is null",
    )
    assert mismatched == [(0,)]
