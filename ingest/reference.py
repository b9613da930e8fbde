"""Reference data the report path reads: the reporting units of seeds/reporting_units.csv.

Read once per batch and passed to :func:`ingest.resolve.resolve_report`; resolving reads no file.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import CchcError
from ingest.manifest import unit_key
from ingest.paths import SEEDS_DIR

REPORTING_UNITS_CSV = SEEDS_DIR / "reporting_units.csv"

SeedRecord = dict[str, str]


@dataclass(frozen=True)
class ReportingUnit:
    unit_code: str
    unit_name: str
    unit_level: str | None = None
    province: str | None = None
    parent_district: str | None = None


def _read_unit_records(path: Path) -> list[SeedRecord]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if not {"unit_code", "unit_name_vi"} <= set(reader.fieldnames or []):
            raise CchcError(
                "reporting units need columns unit_code, unit_name_vi", source_file=str(path), line=1
            )
        return [{k: (v or "").strip() for k, v in r.items() if k is not None} for r in reader]


def province_of(record: SeedRecord, by_code: dict[str, SeedRecord]) -> str | None:
    """The name of the province a unit lies in, following parent_unit_code (cycles stop the walk)."""
    seen: set[str] = set()
    current: SeedRecord | None = record
    while current is not None and current.get("unit_code") not in seen:
        seen.add(current.get("unit_code", ""))
        if current.get("unit_level") == "province":
            return current.get("unit_name_vi") or None
        current = by_code.get(current.get("parent_unit_code", ""))
    return None


def _full_name(record: SeedRecord) -> str:
    """The unit's name with its kind ("thị xã Vĩnh Châu") unless the name already starts with it."""
    kind, name = record.get("unit_type_vi", ""), record.get("unit_name_vi", "")
    return f"{kind} {name}" if kind and not unit_key(name).startswith(unit_key(kind)) else name


def load_reporting_units(path: Path | None = None) -> dict[str, ReportingUnit]:
    """Reporting units by unit-name key ("thị xã vĩnh châu") from seeds/reporting_units.csv.

    {} when the file is absent. Required columns: unit_code, unit_name_vi. Optional:
    unit_type_vi ("huyện", "thị xã"... prefixed to the name for matching), unit_level,
    parent_unit_code (a district's province, a commune's district).
    """
    path = path or REPORTING_UNITS_CSV
    if not path.exists():
        return {}
    records = _read_unit_records(path)
    by_code = {r["unit_code"]: r for r in records if r.get("unit_code")}
    units: dict[str, ReportingUnit] = {}
    for r in records:
        if not r.get("unit_code") or not r.get("unit_name_vi"):
            continue
        full = _full_name(r)
        level = r.get("unit_level") or None
        units[unit_key(full)] = ReportingUnit(
            unit_code=r["unit_code"],
            unit_name=full,
            unit_level=level,
            province=province_of(r, by_code),
            parent_district=(r.get("parent_unit_code") or None) if level == "commune" else None,
        )
    return units
