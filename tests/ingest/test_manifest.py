"""Tests of ingest.manifest: the real data/manifest.yml and malformed manifests."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import ManifestError
from ingest.manifest import Period, load_manifest, parse_manifest

GOOD_ENTRY = """\
reports:
  - file: a.txt
    unit_code: st-vinh-chau
    unit_name: thị xã Vĩnh Châu
    unit_level: district
    province: Sóc Trăng
    period: {year: 2022, type: quarter, number: 3}
    template_family: soctrang_2022
"""


def test_real_manifest_entries(manifest_path: Path) -> None:
    manifest = load_manifest(manifest_path)
    assert len(manifest.entries) == 4
    expected = {
        "soctrang-thanhtri-2021-year.txt": ("949", Period(2021, "year"), "soctrang_2021"),
        "soctrang-vinhchau-2022-q3.txt": ("950", Period(2022, "quarter", 3), "soctrang_2022"),
        "travinh-duyenhai-2023-q1.txt": ("851", Period(2023, "quarter", 1), "national_2023"),
        "namdinh-catthanh-2024-q3.txt": ("14056", Period(2024, "quarter", 3), "national_commune_2024"),
    }
    for name, (code, period, family) in expected.items():
        entry = manifest.get(name)
        assert entry is not None
        assert (entry.unit_code, entry.period, entry.template_family) == (code, period, family)
        assert entry.sha256 is None  # optional guard, no longer written per entry
    assert manifest.folder("reports") is not None


def test_lookup_by_path_and_unit_name() -> None:
    manifest = parse_manifest(GOOD_ENTRY, "m.yml")
    entry = manifest.get("/some/folder/a.txt")
    assert entry is not None and entry.unit_code == "st-vinh-chau"
    assert manifest.get("unknown.txt") is None
    found = manifest.find_unit("THỊ XÃ  VĨNH CHÂU")
    assert found is not None and found.unit_code == "st-vinh-chau"
    assert manifest.find_unit("thị xã Vinh Chau") is None  # diacritics matter


def test_only_file_is_required_and_folders_give_context() -> None:
    text = (
        "folders:\n  - folder: soctrang\n    province: Sóc Trăng\n"
        "reports:\n  - file: b.txt\n    unit_code: 950\n"
    )
    manifest = parse_manifest(text, "m.yml")
    entry = manifest.get("b.txt")
    assert entry is not None
    assert (entry.unit_code, entry.unit_name, entry.period, entry.template_family) == (
        "950",
        None,
        None,
        None,
    )
    defaults = manifest.folder("soctrang")
    assert defaults is not None and (defaults.province, defaults.district) == ("Sóc Trăng", None)
    with pytest.raises(ManifestError, match="unknown folder field"):
        parse_manifest("folders:\n  - folder: x\n    provinse: y\n", "m.yml")


def test_minimal_entry_and_empty_manifest() -> None:
    manifest = parse_manifest(GOOD_ENTRY, "m.yml")
    entry = manifest.get("a.txt")
    assert entry is not None
    assert entry.sha256 is None and entry.parent_district is None
    assert entry.line == 2
    assert parse_manifest("", "m.yml").entries == ()


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("reports:\n  - file: a.txt\n    unit_code: [oops\n", 4, "sequence at line 3"),
        (GOOD_ENTRY.replace("  - file: a.txt\n", "  - unit_code: x\n"), 2, "required field(s) ['file']"),
        (GOOD_ENTRY.replace("type: quarter", "type: month"), 7, "period type must be one of"),
        (GOOD_ENTRY.replace("number: 3", "number: 5"), 7, "period number of a quarter"),
        (
            GOOD_ENTRY.replace(
                "{year: 2022, type: quarter, number: 3}", "{year: 2022, type: year, number: 1}"
            ),
            7,
            "must be empty",
        ),
        (GOOD_ENTRY.replace("province:", "provinse:"), 2, "unknown entry field(s) ['provinse']"),
        (GOOD_ENTRY.replace("unit_level: district", "unit_level: ward"), 2, "unit_level must be one of"),
        (GOOD_ENTRY.replace("    unit_code:", "    sha256: abc123\n    unit_code:"), 2, "64 hexadecimal"),
        (GOOD_ENTRY + GOOD_ENTRY.removeprefix("reports:\n"), 9, "listed twice (first at line 2)"),
        ("- file: a.txt\n", 1, "'reports' list"),
        (GOOD_ENTRY.replace("file: a.txt", "file: data/a.txt"), 2, "without folders"),
    ],
)
def test_malformed_manifest_names_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(ManifestError) as info:
        parse_manifest(text, "bad.yml")
    assert info.value.line == line
    assert info.value.source_file == "bad.yml"
    assert fragment in str(info.value)


def test_missing_and_non_utf8_manifest_files(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="cannot read manifest"):
        load_manifest(tmp_path / "nope.yml")
    bad = tmp_path / "bad.yml"
    bad.write_bytes(GOOD_ENTRY.encode("utf-8").replace("Sóc".encode(), b"S\xf3c"))
    with pytest.raises(ManifestError) as info:
        load_manifest(bad)
    assert info.value.line == 6
