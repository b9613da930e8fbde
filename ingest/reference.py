"""Reference data read from the dbt seeds, once per batch, and passed in: parsing reads no file.

- :func:`load_reporting_units`: the reporting units by name, for resolving a report's unit
  (:func:`ingest.resolve.resolve_report`);
- :func:`load_reference_data`: units by code, period types and indicators, for checking the rows
  of a hand-entered CSV (:mod:`ingest.hand_entered`).

(The template row lists of the families are read by :mod:`ingest.recognize`.)
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import CchcError, HandEnteredValueError
from ingest.manifest import unit_key
from ingest.paths import SEEDS_DIR
from ingest.text import nfc

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


@dataclass(frozen=True)
class UnitRef:
    unit_code: str
    unit_name: str  # with its type: "thị xã Duyên Hải"
    unit_level: str
    parent_unit_code: str | None
    province: str | None
    valid_from: str | None  # ISO date or None
    valid_to: str | None


@dataclass(frozen=True)
class PeriodRef:
    period_type: str
    period_number: int | None
    suffix: str
    first_month: int
    last_month: int


@dataclass(frozen=True)
class IndicatorRef:
    indicator_code: str
    value_type: str
    unit: str


@dataclass(frozen=True)
class ReferenceData:
    units: Mapping[str, UnitRef]  # by unit_code
    periods: Mapping[str, PeriodRef]  # by upper-case suffix ("Q1", "Y")
    indicators: Mapping[str, IndicatorRef]  # by indicator_code


def _read_seed(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise HandEnteredValueError(
                f"seed lacks columns {', '.join(missing)}", source_file=str(path), line=1
            )
        return [{k: nfc(v or "").strip() for k, v in row.items() if k is not None} for row in reader]


def load_reference_data(seeds_dir: Path | None = None) -> ReferenceData:
    """Units, period types and indicators from seeds/ (reporting_units, period_types, indicators).

    What the hand-entered CSV path checks its rows against (:mod:`ingest.hand_entered`).
    """
    seeds = seeds_dir or SEEDS_DIR
    unit_rows = _read_seed(seeds / "reporting_units.csv", ("unit_code", "unit_name_vi", "unit_level"))
    by_code = {r["unit_code"]: r for r in unit_rows if r["unit_code"]}

    units: dict[str, UnitRef] = {}
    for code, r in by_code.items():
        kind, name = r.get("unit_type_vi", ""), r["unit_name_vi"]
        units[code] = UnitRef(
            unit_code=code,
            unit_name=f"{kind} {name}" if kind and not name.lower().startswith(kind.lower()) else name,
            unit_level=r["unit_level"],
            parent_unit_code=r.get("parent_unit_code") or None,
            province=province_of(r, by_code),
            valid_from=r.get("valid_from") or None,
            valid_to=r.get("valid_to") or None,
        )
    periods: dict[str, PeriodRef] = {}
    for r in _read_seed(
        seeds / "period_types.csv", ("period_type", "period_suffix", "first_month", "last_month")
    ):
        periods[r["period_suffix"].upper()] = PeriodRef(
            period_type=r["period_type"],
            period_number=int(r["period_number"]) if r.get("period_number") else None,
            suffix=r["period_suffix"].upper(),
            first_month=int(r["first_month"]),
            last_month=int(r["last_month"]),
        )
    indicators = {
        r["indicator_code"]: IndicatorRef(r["indicator_code"], r.get("value_type", ""), r.get("unit", ""))
        for r in _read_seed(seeds / "indicators.csv", ("indicator_code", "value_type"))
        if r["indicator_code"]
    }
    return ReferenceData(units=units, periods=periods, indicators=indicators)
