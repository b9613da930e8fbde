"""Reference data read from the dbt seeds, once per batch, and passed in: parsing reads no file.

- :func:`load_unit_aliases`: project aliases of register units (seeds/unit_aliases.csv), for
  resolving a report's unit (:mod:`ingest.resolve`) and a hand-entered CSV's unit codes;
- :func:`load_reference_data`: units by code (every unit of the official register,
  :mod:`ingest.register`, and the aliases), period types and indicators, for checking the rows
  of a hand-entered CSV (:mod:`ingest.hand_entered`).

Warehouse unit codes: the GSO code of a unit of the legacy register ("949"), '2025:' + code of
a unit of the 2025 register ("2025:92"), which reuses legacy codes.

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
from ingest.register import LEGACY, REFORM_2025, AdminUnit, Register, load_register
from ingest.text import nfc

UNIT_ALIASES_CSV = SEEDS_DIR / "unit_aliases.csv"


def unit_code_of(unit: AdminUnit) -> str:
    """The warehouse's code of a register unit: its GSO code (legacy), '2025:' + code (2025 register)."""
    return unit.gso_code if unit.edition == LEGACY else f"{REFORM_2025}:{unit.gso_code}"


def unit_by_code(register: Register, unit_code: str) -> AdminUnit | None:
    """The register unit of a warehouse unit code ("949", "2025:92"), or None."""
    code = unit_code.strip()
    prefix = f"{REFORM_2025}:"
    if code.startswith(prefix):
        return register.get(code[len(prefix) :], REFORM_2025)
    return register.get(code, LEGACY)


def load_unit_aliases(path: Path | None = None) -> dict[str, str]:
    """Alias (case-folded) -> unit code, from seeds/unit_aliases.csv ({} when the file is absent)."""
    path = path or UNIT_ALIASES_CSV
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if not {"alias", "unit_code"} <= set(reader.fieldnames or []):
            raise CchcError("unit aliases need columns alias, unit_code", source_file=str(path), line=1)
        return {
            unit_key(nfc(r["alias"])): nfc(r["unit_code"]).strip()
            for r in reader
            if (r.get("alias") or "").strip() and (r.get("unit_code") or "").strip()
        }


@dataclass(frozen=True)
class UnitRef:
    unit_code: str
    unit_name: str  # with its type: "thị xã Duyên Hải"
    unit_level: str
    parent_unit_code: str | None
    province: str | None
    valid_from: str | None  # ISO date or None
    valid_to: str | None


def _unit_ref(register: Register, unit: AdminUnit) -> UnitRef:
    province = register.get(unit.province_code, unit.edition)
    parent = register.get(unit.parent_code, unit.edition) if unit.parent_code else None
    return UnitRef(
        unit_code=unit_code_of(unit),
        unit_name=unit.full_name,
        unit_level=str(unit.level),
        parent_unit_code=unit_code_of(parent) if parent else None,
        province=province.name if province else None,
        valid_from=unit.valid_from.isoformat() if unit.valid_from else None,
        valid_to=unit.valid_to.isoformat() if unit.valid_to else None,
    )


def register_units(register: Register, aliases: Mapping[str, str]) -> dict[str, UnitRef]:
    """Every register unit by its (lower-case) unit code and by its aliases."""
    units = {unit_code_of(u).lower(): _unit_ref(register, u) for u in register.units}
    for alias, code in aliases.items():
        target = units.get(code.lower())
        if target is not None:
            units.setdefault(alias, target)
    return units


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
    units = register_units(load_register(), load_unit_aliases(seeds / "unit_aliases.csv"))
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
