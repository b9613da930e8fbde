"""Which unit and period a report is about, and whether it is held out (pure: no file, no database).

The manifest entry (when there is one) and the document's own header are combined; contradictions
and gaps become hold-out reasons, recorded with the report instead of dropping it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ingest.manifest import Manifest, ManifestEntry, unit_key
from ingest.records import HeaderInfo
from ingest.reference import ReportingUnit

DISTRICT_KINDS = ("huyện", "thị xã", "thành phố", "quận")
COMMUNE_KINDS = ("xã", "phường", "thị trấn")


@dataclass(frozen=True)
class Resolved:
    """What the warehouse records about a report's unit and period, and whether it is held out."""

    manifest_entry_found: bool
    manifest_sha256_matches: bool | None
    unit_code: str | None
    unit_name: str | None
    unit_level: str | None
    province: str | None
    parent_district: str | None
    period_year: int | None
    period_type: str | None
    period_number: int | None
    hold_reasons: tuple[str, ...] = ()

    @property
    def is_held_out(self) -> bool:
        return bool(self.hold_reasons)

    @property
    def hold_reason(self) -> str | None:
        return "; ".join(self.hold_reasons) or None


@dataclass(frozen=True)
class _Unit:
    code: str | None = None
    name: str | None = None
    level: str | None = None
    province: str | None = None
    parent_district: str | None = None


def level_of(unit_name: str) -> str | None:
    """ "district" or "commune" from the kind the name starts with ("thị xã ...", "phường ..."), else None."""
    lowered = unit_name.lower()
    if any(lowered.startswith(k + " ") for k in DISTRICT_KINDS):
        return "district"
    if any(lowered.startswith(k + " ") for k in COMMUNE_KINDS):
        return "commune"
    return None


def describe_period(ptype: str | None, year: int | None, number: int | None) -> str:
    if ptype is None or year is None:
        return "unknown"
    return f"{ptype} {number} {year}" if number is not None else f"{ptype} {year}"


def _sha_matches(entry: ManifestEntry, file_sha256: str, reasons: list[str]) -> bool | None:
    if entry.sha256 is None:
        return None
    if entry.sha256 != file_sha256:
        reasons.append(
            f"file changed since the manifest was written (sha256 {file_sha256[:12]}… "
            f"!= manifest {entry.sha256[:12]}…)"
        )
        return False
    return True


def _contradictions(entry: ManifestEntry, family: str, header: HeaderInfo) -> list[str]:
    """What the detected family and the document say against the manifest entry."""
    reasons: list[str] = []
    if entry.template_family != family:
        reasons.append(f"manifest family {entry.template_family} differs from detected family {family}")
    if header.unit_name and unit_key(header.unit_name) != unit_key(entry.unit_name):
        reasons.append(
            f"document names unit {header.unit_name!r} (line {header.unit_line}) "
            f"but the manifest says {entry.unit_name!r}"
        )
    doc_period = (header.period_type, header.period_year, header.period_number)
    man_period = (entry.period.type, entry.period.year, entry.period.number)
    if header.period_type is not None and doc_period != man_period:
        reasons.append(
            f"document states period {describe_period(*doc_period)} (line {header.period_line}) "
            f"but the manifest says {describe_period(*man_period)}"
        )
    return reasons


def _resolve_from_manifest(
    entry: ManifestEntry, file_sha256: str, family: str, header: HeaderInfo
) -> Resolved:
    reasons: list[str] = []
    sha_matches = _sha_matches(entry, file_sha256, reasons)
    reasons.extend(_contradictions(entry, family, header))
    return Resolved(
        manifest_entry_found=True,
        manifest_sha256_matches=sha_matches,
        unit_code=entry.unit_code,
        unit_name=entry.unit_name,
        unit_level=entry.unit_level,
        province=entry.province,
        parent_district=entry.parent_district,
        period_year=entry.period.year,
        period_type=entry.period.type,
        period_number=entry.period.number,
        hold_reasons=tuple(reasons),
    )


def _unit_named(
    unit_name: str, manifest: Manifest | None, units: Mapping[str, ReportingUnit]
) -> _Unit | None:
    """The unit a document names, from the manifest's units first, then the reporting units."""
    known = manifest.find_unit(unit_name) if manifest else None
    if known is not None:
        return _Unit(
            known.unit_code, known.unit_name, known.unit_level, known.province, known.parent_district
        )
    ref = units.get(unit_key(unit_name))
    if ref is not None:
        level = ref.unit_level or level_of(unit_name)
        return _Unit(ref.unit_code, ref.unit_name, level, ref.province, ref.parent_district)
    return None


def _document_unit(
    header: HeaderInfo, manifest: Manifest | None, units: Mapping[str, ReportingUnit], reasons: list[str]
) -> _Unit:
    if header.unit_name is None:
        reasons.append("unit unknown: no manifest entry and the document does not name its reporting unit")
        return _Unit()
    found = _unit_named(header.unit_name, manifest, units)
    if found is not None:
        return found
    reasons.append(
        f"unit not resolved: the document names {header.unit_name!r} (line {header.unit_line}), "
        "which matches no manifest entry and no reporting unit"
    )
    return _Unit(name=header.unit_name, level=level_of(header.unit_name))


def _resolve_from_document(
    header: HeaderInfo, manifest: Manifest | None, units: Mapping[str, ReportingUnit]
) -> Resolved:
    reasons: list[str] = []
    unit = _document_unit(header, manifest, units, reasons)
    if header.period_type is None or header.period_year is None:
        reasons.append("period unknown: no manifest entry and the document does not state its period")
    return Resolved(
        manifest_entry_found=False,
        manifest_sha256_matches=None,
        unit_code=unit.code,
        unit_name=unit.name,
        unit_level=unit.level,
        province=unit.province,
        parent_district=unit.parent_district,
        period_year=header.period_year,
        period_type=header.period_type,
        period_number=header.period_number,
        hold_reasons=tuple(reasons),
    )


def resolve_report(
    file_name: str,
    file_sha256: str,
    family: str,
    header: HeaderInfo,
    manifest: Manifest | None,
    reporting_units: Mapping[str, ReportingUnit] | None = None,
) -> Resolved:
    """Combine the manifest entry and the document's own statements; decide the hold-out rule.

    Held out when: unit or period known neither from the manifest nor from the document; the
    document contradicts the manifest (period, unit name); the file's sha256 differs from the
    manifest's; the manifest's family differs from the detected one.
    """
    entry = manifest.get(file_name) if manifest else None
    if entry is not None:
        return _resolve_from_manifest(entry, file_sha256, family, header)
    return _resolve_from_document(header, manifest, units=reporting_units or {})
