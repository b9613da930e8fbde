"""Tests of ingest.resolve: unit, period and the hold-out rules (pure, against the real manifest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.manifest import Manifest, load_manifest
from ingest.records import HeaderInfo
from ingest.resolve import resolve_report

VINH_CHAU = "soctrang-vinhchau-2022-q3.txt"


@pytest.fixture(scope="module")
def manifest(manifest_path: Path) -> Manifest:
    return load_manifest(manifest_path)


def test_hold_rules(manifest: Manifest) -> None:
    entry = manifest.get(VINH_CHAU)
    assert entry is not None and entry.sha256 is not None
    doc = HeaderInfo(unit_name="thị xã Vĩnh Châu", unit_line=5, period_type="quarter", period_year=2022,
                     period_number=3, period_line=5)  # fmt: skip
    ok = resolve_report(VINH_CHAU, entry.sha256, "soctrang_2022", doc, manifest)
    assert not ok.is_held_out and ok.manifest_sha256_matches is True
    other_period = HeaderInfo(unit_name="thị xã Vĩnh Châu", period_type="quarter", period_year=2022,
                              period_number=2, period_line=5)  # fmt: skip
    held = resolve_report(VINH_CHAU, entry.sha256, "soctrang_2022", other_period, manifest)
    assert held.hold_reason == (
        "document states period quarter 2 2022 (line 5) but the manifest says quarter 3 2022"
    )
    other_unit = HeaderInfo(unit_name="huyện Trần Đề", unit_line=5)
    held = resolve_report(VINH_CHAU, entry.sha256, "soctrang_2022", other_unit, manifest)
    assert held.hold_reason == (
        "document names unit 'huyện Trần Đề' (line 5) but the manifest says 'thị xã Vĩnh Châu'"
    )
    held = resolve_report(VINH_CHAU, entry.sha256, "soctrang_2021", doc, manifest)
    assert held.hold_reason == "manifest family soctrang_2022 differs from detected family soctrang_2021"
    unknown = HeaderInfo(unit_name="xã Tân Túc", unit_line=3, period_type="year", period_year=2023)
    held = resolve_report("other.txt", "0" * 64, "soctrang_2022", unknown, manifest, {})
    assert held.unit_code is None and held.unit_level == "commune"
    assert held.hold_reason is not None and held.hold_reason.startswith("unit not resolved")
