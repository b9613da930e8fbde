"""Tests of ingest.resolve: units through the official register, periods, the hold-out rules (pure)."""

from __future__ import annotations

import pytest

from ingest.manifest import Manifest, parse_manifest
from ingest.records import HeaderInfo
from ingest.reference import load_unit_aliases
from ingest.register import load_register
from ingest.resolve import (
    DOCUMENT,
    FILE_NAME,
    MANIFEST,
    IntakeContext,
    ReportFacts,
    edition_for,
    period_from_file_name,
    resolve_report,
)

VINH_CHAU = "soctrang-vinhchau-2022-q3.txt"
Q3_2022 = {"period_type": "quarter", "period_year": 2022, "period_number": 3, "period_line": 5}


@pytest.fixture(scope="module")
def context() -> IntakeContext:
    return IntakeContext(load_register(), load_unit_aliases())


def facts(
    header: HeaderInfo, name: str = "x.txt", folder: str = "inbox", family: str = "soctrang_2022", **kw: str
) -> ReportFacts:
    return ReportFacts(name, folder, "0" * 64, family, header, kw.get("province"), kw.get("district"))


def test_document_alone_resolves_through_the_register(context: IntakeContext) -> None:
    doc = HeaderInfo(unit_name="thị xã Vĩnh Châu", unit_line=5, **Q3_2022)  # type: ignore[arg-type]
    got = resolve_report(facts(doc, VINH_CHAU), None, context)
    assert not got.is_held_out
    assert (got.unit_code, got.unit_name, got.unit_level, got.province) == (
        "950", "thị xã Vĩnh Châu", "district", "Sóc Trăng",
    )  # fmt: skip
    assert (got.unit_source, got.period_source) == (DOCUMENT, DOCUMENT)
    assert (got.period_type, got.period_year, got.period_number) == ("quarter", 2022, 3)


def test_ngã_năm_header_resolves(context: IntakeContext) -> None:
    doc = HeaderInfo(unit_name="thị xã Ngã Năm", unit_line=3, **Q3_2022)  # type: ignore[arg-type]
    got = resolve_report(facts(doc), None, context)
    assert (got.unit_code, got.province, got.is_held_out) == ("948", "Sóc Trăng", False)


@pytest.mark.parametrize(
    ("name", "province", "district", "code"),
    [
        ("Cát Thành", "Nam Định", None, "14056"),
        ("Cát Thành", "Bình Định", None, "21874"),
        ("Cát Thành", None, "huyện Trực Ninh", "14056"),
        ("Cát Thành", None, "363", "14056"),  # the district by its GSO code
        ("Duyên Hải", "Lào Cai", None, "02635"),
        ("thị xã Duyên Hải", None, None, "851"),  # the type word alone decides
        ("huyện Duyên Hải", "Trà Vinh", None, "850"),
    ],
)
def test_ambiguous_names_resolved_by_context(
    context: IntakeContext, name: str, province: str | None, district: str | None, code: str
) -> None:
    doc = HeaderInfo(unit_name=name, unit_line=2, **Q3_2022)  # type: ignore[arg-type]
    ctx = IntakeContext(context.register, context.aliases, province, district)
    got = resolve_report(facts(doc), None, ctx)
    assert got.hold_reason is None and got.unit_code == code


def test_ambiguous_name_without_context_is_held_saying_what_to_add(context: IntakeContext) -> None:
    doc = HeaderInfo(unit_name="Cát Thành", unit_line=2, **Q3_2022)  # type: ignore[arg-type]
    got = resolve_report(facts(doc, "catthanh.txt", folder="nam-dinh"), None, context)
    assert got.is_held_out and got.unit_code is None
    reason = got.hold_reason or ""
    assert "matches 2 units" in reason and "14056" in reason and "21874" in reason
    assert "--province" in reason and "folder 'nam-dinh'" in reason and "unit_code" in reason


def test_folder_default_and_command_context(context: IntakeContext) -> None:
    doc = HeaderInfo(unit_name="Cát Thành", unit_line=2, **Q3_2022)  # type: ignore[arg-type]
    manifest = parse_manifest("folders:\n  - folder: binhdinh\n    province: Bình Định\n", "m.yml")
    assert resolve_report(facts(doc, folder="binhdinh"), manifest, context).unit_code == "21874"
    # the command's --province wins over the folder default
    stored = facts(doc, folder="binhdinh", province="Nam Định")
    assert resolve_report(stored, manifest, context).unit_code == "14056"


def test_manifest_overrides_and_contradictions(context: IntakeContext) -> None:
    manifest = parse_manifest(
        "reports:\n  - file: soctrang-vinhchau-2022-q3.txt\n    unit_code: st-vinh-chau\n"
        "    period: {year: 2022, type: quarter, number: 3}\n    template_family: soctrang_2022\n",
        "m.yml",
    )
    ok_doc = HeaderInfo(unit_name="thị xã Vĩnh Châu", unit_line=5, **Q3_2022)  # type: ignore[arg-type]
    ok = resolve_report(facts(ok_doc, VINH_CHAU), manifest, context)
    assert (ok.unit_code, ok.unit_source, ok.period_source, ok.is_held_out) == (
        "950",
        MANIFEST,
        MANIFEST,
        False,
    )
    other_period = HeaderInfo(unit_name="thị xã Vĩnh Châu", period_type="quarter", period_year=2022,
                              period_number=2, period_line=5)  # fmt: skip
    held = resolve_report(facts(other_period, VINH_CHAU), manifest, context)
    assert held.hold_reason == (
        "document states period quarter 2 2022 (line 5) but the manifest says quarter 3 2022"
    )
    other_unit = HeaderInfo(unit_name="huyện Trần Đề", unit_line=5, **Q3_2022)  # type: ignore[arg-type]
    held = resolve_report(facts(other_unit, VINH_CHAU), manifest, context)
    assert held.hold_reason == (
        "document names unit 'huyện Trần Đề' (line 5) but the manifest says 'thị xã Vĩnh Châu' (950)"
    )
    held = resolve_report(facts(ok_doc, VINH_CHAU, family="soctrang_2021"), manifest, context)
    assert held.hold_reason == "manifest family soctrang_2022 differs from detected family soctrang_2021"


def test_sha256_is_an_optional_guard(context: IntakeContext) -> None:
    doc = HeaderInfo(unit_name="thị xã Vĩnh Châu", unit_line=5, **Q3_2022)  # type: ignore[arg-type]
    text = f"reports:\n  - file: {VINH_CHAU}\n    sha256: {'a' * 64}\n"
    held = resolve_report(facts(doc, VINH_CHAU), parse_manifest(text, "m.yml"), context)
    assert held.manifest_sha256_matches is False and "file changed" in (held.hold_reason or "")
    assert held.unit_code == "950"  # still resolved from the document


def test_unknown_unit_and_period_say_what_to_add(context: IntakeContext) -> None:
    got = resolve_report(facts(HeaderInfo(), "scan.txt"), Manifest("m.yml"), context)
    assert got.unit_code is None and got.period_type is None
    reasons = got.hold_reasons
    assert any(r.startswith("period unknown") and "'- file: scan.txt'" in r for r in reasons)
    assert any(r.startswith("unit unknown") and "unit_code: <GSO code>" in r for r in reasons)
    missing = resolve_report(facts(HeaderInfo(unit_name="xã Không Có", unit_line=3)), None, context)
    assert missing.unit_code is None and "unit not resolved" in (missing.hold_reason or "")


def test_period_from_the_file_name_when_the_document_is_silent(context: IntakeContext) -> None:
    doc = HeaderInfo(unit_name="thị xã Vĩnh Châu", unit_line=5)
    got = resolve_report(facts(doc, "vinhchau-2022-q3.txt"), None, context)
    assert (got.period_type, got.period_year, got.period_number, got.period_source) == (
        "quarter", 2022, 3, FILE_NAME,
    )  # fmt: skip
    assert period_from_file_name("a-2021-year.txt") == ("year", 2021, None)
    assert period_from_file_name("a_2024_h1.txt") == ("half", 2024, 1)
    assert period_from_file_name("a-2023-9m.txt") == ("nine_months", 2023, None)
    assert period_from_file_name("notes.txt") is None


def test_periods_after_june_2025_use_the_2025_register(context: IntakeContext) -> None:
    assert str(edition_for("quarter", 2025, 2)) == "legacy"
    assert str(edition_for("quarter", 2025, 3)) == "2025"
    doc = HeaderInfo(unit_name="thành phố Cần Thơ", unit_line=1, period_type="quarter", period_year=2025,
                     period_number=4, period_line=1)  # fmt: skip
    got = resolve_report(facts(doc), None, context)
    assert (got.unit_code, got.unit_level) == ("2025:92", "province")
