"""The reference seeds the generator reads: rules, indicators, crosswalks, template rows.

Read once per process from seeds/ (the same files dbt loads), so that a rule or a row
added there is generated without a code change.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS = REPO_ROOT / "seeds"
FAMILIES = ("soctrang_2021", "soctrang_2022", "national_2023", "national_commune_2024")


@dataclass(frozen=True)
class Rule:
    """One row of seeds/dq_rules.csv."""

    rule_id: str
    kind: str
    codes: tuple[str, ...]
    params: tuple[tuple[str, str], ...]
    missing: str = "skip_if_any_missing"  # the missing-value strategy (seeds/_dq_rules.yml)
    tolerance: float = 0.0

    def param(self, name: str, default: str = "") -> str:
        return dict(self.params).get(name, default)

    def applies_to(self, family: str | None) -> bool:
        """Whether the rule is evaluated on a report of ``family`` (its ``families`` param, if any)."""
        families = self.param("families")
        return family is None or not families or family in families.split("|")


@dataclass(frozen=True)
class Mapping:
    """One crosswalk row: a template row (value cell or note keyword) states an indicator."""

    template_row_id: str
    indicator_code: str
    note_keyword: str


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _params(text: str) -> tuple[tuple[str, str], ...]:
    pairs = [p.split("=", 1) for p in text.split(";") if "=" in p]
    return tuple((k.strip(), v.strip()) for k, v in pairs)


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    return tuple(
        Rule(
            r["rule_id"],
            r["rule_kind"],
            tuple(r["indicator_codes"].split("|")),
            _params(r["params"]),
            r["missing_strategy"],
            float(r["tolerance"] or 0),
        )
        for r in _read(SEEDS / "dq_rules.csv")
    )


@lru_cache(maxsize=1)
def value_types() -> dict[str, str]:
    """indicator_code -> value_type (count, percent, yes_no, coded, amount_million_vnd ...)."""
    return {r["indicator_code"]: r["value_type"] for r in _read(SEEDS / "indicators.csv")}


@lru_cache(maxsize=8)
def crosswalk(family: str) -> tuple[Mapping, ...]:
    rows = _read(SEEDS / "crosswalk" / f"crosswalk_{family}.csv")
    return tuple(
        Mapping(r["template_row_id"], r["indicator_code"], r["note_keyword"])
        for r in rows
        if r["indicator_code"]
    )


def sample_path(family: str) -> Path:
    """The sample report whose layout is the family's skeleton."""
    names = {
        "soctrang_2021": "soctrang-thanhtri-2021-year.txt",
        "soctrang_2022": "soctrang-vinhchau-2022-q3.txt",
        "national_2023": "travinh-duyenhai-2023-q1.txt",
        "national_commune_2024": "namdinh-catthanh-2024-q3.txt",
    }
    return REPO_ROOT / "data" / "reports" / names[family]
