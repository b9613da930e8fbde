"""Which unit and period a report is about, and whether it is held out (pure: no file, no database).

Resolution order (the first that answers wins; what answered is recorded as ``unit_source`` and
``period_source`` in raw.reports):

unit
    1. the manifest entry of the file: ``unit_code`` (a GSO code, ``2025:<code>`` or an alias of
       seeds/unit_aliases.csv), else its ``unit_name`` resolved through the register;
    2. the document header (the unit it names), resolved through the official register with the
       context: the manifest entry's province/district, the command's ``--province/--district``,
       the manifest's defaults for the file's folder.
period
    1. the manifest entry's ``period``; 2. the document header; 3. the file name
       (``...-2022-q3.txt``, ``...-2021-year.txt``, ``...-2024-h1.txt``, ``...-2023-9m.txt``).

The register edition is the one in force at the end of the period (the 2025 register for periods
ending after 30 June 2025). A report is held out when its unit or period is unknown, the name is
ambiguous or unknown in the register, or the document contradicts the manifest; each reason says
exactly what to add.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ingest.errors import RegisterError
from ingest.manifest import Manifest, ManifestEntry, unit_key
from ingest.records import HeaderInfo
from ingest.reference import unit_by_code, unit_code_of
from ingest.register import LEGACY, REFORM_2025, AdminUnit, Edition, Register, name_key, split_type

DISTRICT_KINDS = ("huyện", "thị xã", "thành phố", "quận")
COMMUNE_KINDS = ("xã", "phường", "thị trấn")
_LAST_MONTH = {("quarter", 1): 3, ("quarter", 2): 6, ("quarter", 3): 9, ("quarter", 4): 12, ("half", 1): 6}
_FILE_PERIOD = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d\d)[-_. ]?"
    r"(?:(?P<q>q[1-4])|(?P<h>h[12])|(?P<nine>9m|m9)|(?P<y>year|y|nam))(?![a-z0-9])",
    re.IGNORECASE,
)

MANIFEST = "manifest"
DOCUMENT = "document header"
FILE_NAME = "file name"
NONE = "none"


@dataclass(frozen=True)
class IntakeContext:
    """What units are resolved with: the register, the aliases, and the batch's province/district."""

    register: Register
    aliases: Mapping[str, str] = field(default_factory=dict)  # alias key -> unit code
    province: str | None = None  # `cchc ingest --province`
    district: str | None = None


@dataclass(frozen=True)
class ReportFacts:
    """What resolution needs of a report, all kept in raw.reports (re-decided without the file)."""

    source_file: str
    folder: str  # name of the folder the file was loaded from
    file_sha256: str
    family: str
    header: HeaderInfo
    province: str | None = None  # the command's context when the file was loaded
    district: str | None = None


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
    unit_source: str = NONE
    period_source: str = NONE

    @property
    def is_held_out(self) -> bool:
        return bool(self.hold_reasons)

    @property
    def hold_reason(self) -> str | None:
        return "; ".join(self.hold_reasons) or None

    def columns(self) -> dict[str, object]:
        """The raw.reports columns of the resolution (unit, period and how they were found)."""
        return {
            "manifest_entry_found": self.manifest_entry_found,
            "manifest_sha256_matches": self.manifest_sha256_matches,
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "unit_level": self.unit_level,
            "province": self.province,
            "parent_district": self.parent_district,
            "period_year": self.period_year,
            "period_type": self.period_type,
            "period_number": self.period_number,
            "unit_source": self.unit_source,
            "period_source": self.period_source,
        }


@dataclass(frozen=True)
class _Period:
    type: str | None = None
    year: int | None = None
    number: int | None = None
    source: str = NONE


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


def period_from_file_name(file_name: str) -> tuple[str, int, int | None] | None:
    """(type, year, number) from a name like "x-2022-q3.txt", "x-2021-year.txt"; None when absent."""
    m = _FILE_PERIOD.search(file_name.rsplit(".", 1)[0])
    if m is None:
        return None
    year = int(m["year"])
    if m["q"]:
        return "quarter", year, int(m["q"][1])
    if m["h"]:
        return "half", year, int(m["h"][1])
    if m["nine"]:
        return "nine_months", year, None
    return "year", year, None


def edition_for(period_type: str | None, year: int | None, number: int | None) -> Edition:
    """The register in force at the end of the period: 2025 when it ends after 30 June 2025."""
    if period_type is None or year is None:
        return LEGACY
    last_month = _LAST_MONTH.get((period_type, number or 0), 9 if period_type == "nine_months" else 12)
    return REFORM_2025 if (year, last_month) > (2025, 6) else LEGACY


def _sha_matches(entry: ManifestEntry, file_sha256: str, reasons: list[str]) -> bool | None:
    if entry.sha256 is None:
        return None
    if entry.sha256 != file_sha256:
        reasons.append(
            f"file changed since the manifest was written (sha256 {file_sha256[:12]}… "
            f"!= manifest {entry.sha256[:12]}…): review the file, then update or remove the entry's sha256"
        )
        return False
    return True


def _period(facts: ReportFacts, entry: ManifestEntry | None, reasons: list[str]) -> _Period:
    header = facts.header
    doc = _Period(header.period_type, header.period_year, header.period_number, DOCUMENT)
    if entry is not None and entry.period is not None:
        chosen = _Period(entry.period.type, entry.period.year, entry.period.number, MANIFEST)
        if doc.type is not None and (doc.type, doc.year, doc.number) != (
            chosen.type,
            chosen.year,
            chosen.number,
        ):
            reasons.append(
                f"document states period {describe_period(doc.type, doc.year, doc.number)} "
                f"(line {header.period_line}) but the manifest says "
                f"{describe_period(chosen.type, chosen.year, chosen.number)}"
            )
        return chosen
    if doc.type is not None and doc.year is not None:
        return doc
    from_name = period_from_file_name(facts.source_file)
    if from_name is not None:
        return _Period(*from_name, FILE_NAME)
    reasons.append(
        f"period unknown: the document does not state its period; add to data/manifest.yml "
        f"'- file: {facts.source_file}' with 'period: {{year: YYYY, type: quarter, number: N}}'"
    )
    return _Period()


def _context(
    facts: ReportFacts, entry: ManifestEntry | None, manifest: Manifest | None, ctx: IntakeContext
) -> tuple[str | None, str | None]:
    """(province, district) to resolve a name with: the entry, the command, the folder's defaults."""
    folder = manifest.folder(facts.folder) if manifest is not None else None
    province = (entry.province if entry else None) or facts.province or ctx.province
    district = (entry.parent_district if entry else None) or facts.district or ctx.district
    if folder is not None:
        province = province or folder.province
        district = district or folder.district
    return province, district


def _by_code(code: str, ctx: IntakeContext) -> AdminUnit | None:
    target = ctx.aliases.get(unit_key(code), code)
    return unit_by_code(ctx.register, target)


def _named(
    name: str, province: str | None, district: str | None, edition: Edition, ctx: IntakeContext
) -> AdminUnit:
    """The register unit a name means in the context; RegisterError (ambiguous, unknown) otherwise."""
    coded = _by_code(district, ctx) if district is not None else None
    if coded is not None:
        district = coded.full_name
    return ctx.register.resolve_unit(name, province=province, district=district, edition=edition)


def names_unit(name: str, unit: AdminUnit) -> bool:
    """True when a document's unit name ("thị xã Vĩnh Châu", "Vĩnh Châu") names this unit."""
    unit_type, bare = split_type(name)
    return bare == name_key(unit.name) and (unit_type is None or unit_type == unit.unit_type)


def _where_to_add(facts: ReportFacts) -> str:
    return (
        f"add `cchc ingest --province \"<province>\"`, a 'folders:' default for folder {facts.folder!r} "
        f"in data/manifest.yml, or '- file: {facts.source_file}' with 'unit_code: <GSO code>'"
    )


def _manifest_unit(
    entry: ManifestEntry,
    edition: Edition,
    ctx: IntakeContext,
    province: str | None,
    district: str | None,
    reasons: list[str],
) -> AdminUnit | None:
    if entry.unit_code is not None:
        found = _by_code(entry.unit_code, ctx)
        if found is None:
            reasons.append(
                f"manifest unit_code {entry.unit_code!r} (line {entry.line}) is neither a GSO code of "
                "the register nor an alias of seeds/unit_aliases.csv"
            )
        return found
    if entry.unit_name is None:
        return None
    try:
        return _named(entry.unit_name, province, district, edition, ctx)
    except RegisterError as exc:
        reasons.append(f"manifest unit_name (line {entry.line}): {exc.message}")
        return None


def _document_unit(
    facts: ReportFacts,
    edition: Edition,
    ctx: IntakeContext,
    province: str | None,
    district: str | None,
    reasons: list[str],
) -> AdminUnit | None:
    header = facts.header
    if header.unit_name is None:
        reasons.append(
            "unit unknown: the document does not name its reporting unit; add to data/manifest.yml "
            f"'- file: {facts.source_file}' with 'unit_code: <GSO code>'"
        )
        return None
    try:
        return _named(header.unit_name, province, district, edition, ctx)
    except RegisterError as exc:
        reasons.append(
            f"unit not resolved: the document names {header.unit_name!r} (line {header.unit_line}): "
            f"{exc.message}; {_where_to_add(facts)}"
        )
        return None


def _unit(
    facts: ReportFacts,
    entry: ManifestEntry | None,
    manifest: Manifest | None,
    edition: Edition,
    ctx: IntakeContext,
    reasons: list[str],
) -> tuple[AdminUnit | None, str]:
    province, district = _context(facts, entry, manifest, ctx)
    if entry is not None and (entry.unit_code or entry.unit_name):
        unit = _manifest_unit(entry, edition, ctx, province, district, reasons)
        doc_name = facts.header.unit_name
        if unit is not None and doc_name and not names_unit(doc_name, unit):
            reasons.append(
                f"document names unit {doc_name!r} (line {facts.header.unit_line}) "
                f"but the manifest says {unit.full_name!r} ({unit_code_of(unit)})"
            )
        return unit, MANIFEST
    unit = _document_unit(facts, edition, ctx, province, district, reasons)
    return unit, DOCUMENT if unit is not None else NONE


def _family_check(entry: ManifestEntry | None, family: str, reasons: list[str]) -> None:
    if entry is not None and entry.template_family is not None and entry.template_family != family:
        reasons.append(f"manifest family {entry.template_family} differs from detected family {family}")


def _unit_fields(
    unit: AdminUnit | None, ctx: IntakeContext
) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    """(code, full name, level, province name, district full name) of a register unit."""
    if unit is None:
        return None, None, None, None, None
    reg = ctx.register
    province = reg.get(unit.province_code, unit.edition)
    parent = reg.get(unit.parent_code, unit.edition) if unit.parent_code else None
    district = (
        parent.full_name
        if parent is not None and unit.edition == LEGACY and str(unit.level) == "commune"
        else None
    )
    return (
        unit_code_of(unit),
        unit.full_name,
        str(unit.level),
        province.name if province is not None else None,
        district,
    )


def resolve_report(facts: ReportFacts, manifest: Manifest | None, context: IntakeContext) -> Resolved:
    """Resolve a report's unit and period (see the module's docstring for the order) and its holds."""
    entry = manifest.get(facts.source_file) if manifest else None
    reasons: list[str] = []
    sha_matches = _sha_matches(entry, facts.file_sha256, reasons) if entry is not None else None
    _family_check(entry, facts.family, reasons)
    period = _period(facts, entry, reasons)
    unit, unit_source = _unit(
        facts, entry, manifest, edition_for(period.type, period.year, period.number), context, reasons
    )
    code, name, level, province, district = _unit_fields(unit, context)
    if unit is None and facts.header.unit_name is not None and unit_source == NONE:
        name, level = facts.header.unit_name, level_of(facts.header.unit_name)
    return Resolved(
        manifest_entry_found=entry is not None,
        manifest_sha256_matches=sha_matches,
        unit_code=code,
        unit_name=name,
        unit_level=level,
        province=province,
        parent_district=district,
        period_year=period.year,
        period_type=period.type,
        period_number=period.number,
        hold_reasons=tuple(reasons),
        unit_source=unit_source,
        period_source=period.source,
    )
