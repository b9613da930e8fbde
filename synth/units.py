"""Reporting units and periods of a synthetic corpus, drawn from the official register.

District-level families report for legacy districts (huyện, quận, thị xã, thành phố thuộc
tỉnh), the commune family for legacy communes (xã, phường, thị trấn): the templates are
those of 2021-2024, before the July 2025 reorganisation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from ingest.register import LEGACY, AdminUnit, Level, load_register

COMMUNE_FAMILIES = frozenset({"national_commune_2024"})
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    """A reporting period: ("quarter", 2023, 1), ("half", 2023, 1), ("year", 2023, None)."""

    type: str
    year: int
    number: int | None = None

    @property
    def key(self) -> str:
        if self.type == "quarter":
            return f"{self.year}-Q{self.number}"
        if self.type == "half":
            return f"{self.year}-H{self.number}"
        return f"{self.year}"

    @property
    def text(self) -> str:
        """As a report's title writes it (lower case)."""
        if self.type == "quarter":
            return f"quý {ROMAN[self.number or 1]} năm {self.year}"
        if self.type == "half":
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        return f"năm {self.year}"

    @classmethod
    def parse(cls, key: str) -> Period:
        """ "2023-Q1", "2023-H1" or "2023"."""
        year, _, rest = key.partition("-")
        if not rest:
            return cls("year", int(year))
        kind = {"Q": "quarter", "H": "half"}[rest[0].upper()]
        return cls(kind, int(year), int(rest[1:]))


@dataclass(frozen=True)
class ReportUnit:
    """A unit as a report's header names it, with its register code."""

    gso_code: str
    unit_type: str
    name: str
    province: str  # bare name: "Sóc Trăng"
    district: str | None  # bare name of the district of a commune

    @property
    def full_name(self) -> str:
        return f"{self.unit_type} {self.name}"


@dataclass(frozen=True)
class SampleUnit:
    """The unit and period a family's sample report is written for (replaced per report)."""

    full_name: str
    name: str
    province: str
    district: str | None
    period_text: str
    year: int


# What the sample documents say of themselves (data/reports, see domain.md).
_SAMPLES = {
    "soctrang_2021": SampleUnit("huyện Thạnh Trị", "Thạnh Trị", "Sóc Trăng", None, "NĂM 2021", 2021),
    "soctrang_2022": SampleUnit("thị xã Vĩnh Châu", "Vĩnh Châu", "Sóc Trăng", None, "QUÝ III NĂM 2022", 2022),
    "national_2023": SampleUnit("thị xã Duyên Hải", "Duyên Hải", "Trà Vinh", None, "quý I năm 2023", 2023),
    "national_commune_2024": SampleUnit(
        "thị trấn Cát Thành", "Cát Thành", "Nam Định", "Trực Ninh", "quý III năm 2024", 2024
    ),
}


def sample_unit(family: str) -> SampleUnit:
    return _SAMPLES[family]


def _report_unit(unit: AdminUnit) -> ReportUnit:
    register = load_register()
    province = register.unit(unit.province_code)
    district = register.unit(unit.parent_code) if unit.level == Level.COMMUNE and unit.parent_code else None
    return ReportUnit(
        unit.gso_code, unit.unit_type, unit.name, province.name, district.name if district else None
    )


@lru_cache(maxsize=2)
def candidate_units(level: Level) -> tuple[ReportUnit, ...]:
    """Every legacy unit of a level, in register order."""
    return tuple(_report_unit(u) for u in load_register().select(level, edition=LEGACY))


def draw_units(count: int, level: Level, rng: random.Random) -> list[ReportUnit]:
    """count distinct units of a level (all of them when count is larger), in register order."""
    pool = candidate_units(level)
    if count >= len(pool):
        return list(pool)
    chosen = sorted(rng.sample(range(len(pool)), count))
    return [pool[i] for i in chosen]


def level_of(family: str) -> Level:
    return Level.COMMUNE if family in COMMUNE_FAMILIES else Level.DISTRICT
