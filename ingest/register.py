"""The official register of Vietnamese administrative units (GSO codes), before and after 1 July 2025.

Source: the PyPI package ``vietnamadminunits`` pinned at **1.0.4** (requirements.lock).
It was chosen over ``vietnam-provinces`` (2025.10.1) after reading both:

* ``vietnamadminunits`` ships one SQLite file with BOTH registers: ``admin_units_legacy``
  (63 provinces, 696 districts, 10,035 communes, each with its GSO code, its type word
  "Tỉnh/Thành phố", "Huyện/Quận/Thị xã/Thành phố", "Xã/Phường/Thị trấn" and its parents)
  and ``admin_units`` (the 34-province, two-level register from 1 July 2025: 3,321
  communes/wards/special zones), plus ``converter_2025.json``, the old -> new mapping for
  provinces and communes (including communes split between several new ones, with the
  default successor marked).
* ``vietnam-provinces`` 2025.10.1 carries only the 2025 two-level register (provinces and
  wards); its pre-2025 three-level data lives in older releases, with no mapping between
  the two. It cannot give "then" and "today" from one pin.

Only the package's data files are read (SQLite through the standard library, JSON): the
package's own ``__init__`` imports shapely/geopy for address parsing, which the register
does not need, so the package is located with :func:`importlib.util.find_spec` and never
imported.

Codes are GSO codes as strings with their leading zeros ("01", "001", "00001"). The 2025
register reuses codes of the old one (new province "92" Cần Thơ absorbed old "92", "93",
"94"), so a unit is keyed by its edition and its code: :data:`LEGACY` (valid until
30 June 2025) or :data:`REFORM_2025` (valid from 1 July 2025). Districts were abolished
on 1 July 2025: a district's successors are the 2025 provinces that took its communes.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pandas as pd
from rapidfuzz import process

from ingest.errors import AmbiguousUnitError, RegisterError, UnitNotFoundError

PACKAGE = "vietnamadminunits"
PINNED_VERSION = "1.0.4"
REFORM_DATE = date(2025, 7, 1)
LEGACY_END = date(2025, 6, 30)


class Level(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class Edition(StrEnum):
    LEGACY = "legacy"  # 63 provinces, three levels, until 30 June 2025
    REFORM_2025 = "2025"  # 34 provinces, two levels, from 1 July 2025


LEGACY = Edition.LEGACY
REFORM_2025 = Edition.REFORM_2025

# Type words as written in documents, longest first so "thị xã" wins over "xã".
TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("thành phố", "thành phố"),
    ("thị trấn", "thị trấn"),
    ("thị xã", "thị xã"),
    ("đặc khu", "đặc khu"),
    ("phường", "phường"),
    ("huyện", "huyện"),
    ("quận", "quận"),
    ("tỉnh", "tỉnh"),
    ("tp.", "thành phố"),
    ("tp", "thành phố"),
    ("tx.", "thị xã"),
    ("tx", "thị xã"),
    ("tt.", "thị trấn"),
    ("xã", "xã"),
)
_LEADING_WORDS = ("ubnd", "ủy ban nhân dân", "uỷ ban nhân dân")


@dataclass(frozen=True)
class AdminUnit:
    """One unit of one edition of the register."""

    gso_code: str
    name: str  # without its type word: "Duyên Hải"
    unit_type: str  # lower case: "thị xã"
    level: Level
    parent_code: str | None  # the district of a legacy commune, the province of a district
    province_code: str
    edition: Edition
    valid_from: date | None  # None: in force before the package's data starts
    valid_to: date | None  # None: in force today
    successor_codes: tuple[str, ...] = ()  # 2025 codes; the default successor first

    @property
    def full_name(self) -> str:
        return f"{self.unit_type} {self.name}"

    @property
    def successor_code(self) -> str | None:
        return self.successor_codes[0] if self.successor_codes else None

    def __str__(self) -> str:
        return f"{self.full_name} ({self.level}, {self.gso_code}, {self.edition})"


def name_key(text: str) -> str:
    """A name compared as documents write it: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def split_type(text: str) -> tuple[str | None, str]:
    """("thị xã", "duyên hải") from "Thị xã Duyên Hải"; (None, key) when no type word leads."""
    key = name_key(text)
    for lead in _LEADING_WORDS:
        if key.startswith(lead + " "):
            key = key[len(lead) + 1 :]
    for word, canonical in TYPE_WORDS:
        if key.startswith(word + " ") or (word.endswith(".") and key.startswith(word)):
            return canonical, key[len(word) :].strip()
    return None, key


@dataclass(frozen=True)
class Register:
    """Both editions of the register with dictionary lookups."""

    units: tuple[AdminUnit, ...]
    source_version: str
    _by_code: Mapping[tuple[Edition, str], AdminUnit] = field(repr=False)
    _by_name: Mapping[tuple[Edition, str], tuple[AdminUnit, ...]] = field(repr=False)

    @classmethod
    def build(cls, units: Iterable[AdminUnit], source_version: str) -> Register:
        all_units = tuple(units)
        by_code = {(u.edition, u.gso_code): u for u in all_units}
        by_name: dict[tuple[Edition, str], list[AdminUnit]] = {}
        for u in all_units:
            by_name.setdefault((u.edition, name_key(u.name)), []).append(u)
        frozen = {k: tuple(v) for k, v in by_name.items()}
        return cls(all_units, source_version, by_code, frozen)

    def unit(self, gso_code: str, edition: Edition = LEGACY) -> AdminUnit:
        """The unit with this GSO code in an edition; UnitNotFoundError when there is none."""
        found = self._by_code.get((edition, gso_code.strip()))
        if found is None:
            raise UnitNotFoundError(f"no unit with GSO code {gso_code!r} in the {edition} register")
        return found

    def get(self, gso_code: str, edition: Edition = LEGACY) -> AdminUnit | None:
        return self._by_code.get((edition, gso_code.strip()))

    def select(self, level: Level | None = None, edition: Edition = LEGACY) -> tuple[AdminUnit, ...]:
        return tuple(u for u in self.units if u.edition == edition and (level is None or u.level == level))

    def children(self, unit: AdminUnit) -> tuple[AdminUnit, ...]:
        return tuple(u for u in self.units if u.edition == unit.edition and u.parent_code == unit.gso_code)

    def successors(self, unit: AdminUnit) -> tuple[AdminUnit, ...]:
        """The 2025 units that took over a legacy unit (default successor first)."""
        return tuple(self.unit(code, REFORM_2025) for code in unit.successor_codes)

    def successor(self, unit: AdminUnit) -> AdminUnit | None:
        found = self.successors(unit)
        return found[0] if found else None

    def resolve_unit(
        self,
        name: str,
        province: str | None = None,
        district: str | None = None,
        level: Level | str | None = None,
        edition: Edition = LEGACY,
    ) -> AdminUnit:
        """The one unit a document's name means, given the province and district it is in.

        The type word ("thị xã", "huyện", "xã"...) narrows the candidates; province and
        district are names too (with or without their type word). Several candidates left:
        AmbiguousUnitError listing them; none: UnitNotFoundError with the closest name.
        """
        unit_type, bare = split_type(name)
        wanted_level = Level(level) if level is not None else None
        scope = self._scope(province, district, edition)
        candidates = [
            u
            for u in self._by_name.get((edition, bare), ())
            if (unit_type is None or u.unit_type == unit_type)
            and (wanted_level is None or u.level == wanted_level)
            and _in_scope(u, scope)
        ]
        if len(candidates) == 1:
            return candidates[0]
        context = _context_text(province, district, wanted_level, edition)
        if candidates:
            listed = "; ".join(f"{u.full_name} [{u.gso_code}] in {self._path(u)}" for u in candidates)
            raise AmbiguousUnitError(
                f"{name!r}{context} matches {len(candidates)} units: {listed}; "
                "give the province, district or type word"
            )
        raise UnitNotFoundError(f"no unit {name!r}{context}{self._suggest(bare, scope, edition)}")

    def _scope(self, province: str | None, district: str | None, edition: Edition) -> _Scope:
        provinces: frozenset[str] | None = None
        districts: frozenset[str] | None = None
        if province is not None:
            found = self._named(province, Level.PROVINCE, edition, None)
            provinces = frozenset(u.gso_code for u in found)
            if not provinces:
                raise UnitNotFoundError(f"no province {province!r} in the {edition} register")
        if district is not None:
            found = self._named(district, Level.DISTRICT, edition, provinces)
            districts = frozenset(u.gso_code for u in found)
            if not districts:
                raise UnitNotFoundError(f"no district {district!r} in the {edition} register")
        return _Scope(provinces, districts)

    def _named(
        self, name: str, level: Level, edition: Edition, provinces: frozenset[str] | None
    ) -> list[AdminUnit]:
        unit_type, bare = split_type(name)
        return [
            u
            for u in self._by_name.get((edition, bare), ())
            if u.level == level
            and (unit_type is None or u.unit_type == unit_type)
            and (provinces is None or u.province_code in provinces)
        ]

    def _path(self, unit: AdminUnit) -> str:
        parts: list[str] = []
        code = unit.parent_code
        while code is not None:
            parent = self._by_code[(unit.edition, code)]
            parts.append(parent.full_name)
            code = parent.parent_code
        return ", ".join(parts) if parts else "(top level)"

    def _suggest(self, bare: str, scope: _Scope, edition: Edition) -> str:
        names = sorted({name_key(u.name) for u in self.units if u.edition == edition and _in_scope(u, scope)})
        best = process.extractOne(bare, names, score_cutoff=60)
        if best is None:
            return ""
        shown = [u.full_name for u in self._by_name.get((edition, best[0]), ()) if _in_scope(u, scope)]
        return f"; did you mean {', '.join(sorted(set(shown)))}?"


@dataclass(frozen=True)
class _Scope:
    provinces: frozenset[str] | None
    districts: frozenset[str] | None


def _in_scope(unit: AdminUnit, scope: _Scope) -> bool:
    if scope.provinces is not None and unit.province_code not in scope.provinces:
        return False
    return scope.districts is None or unit.parent_code in scope.districts


def _context_text(province: str | None, district: str | None, level: Level | None, edition: Edition) -> str:
    parts = [
        f"{label} {value!r}" for label, value in (("province", province), ("district", district)) if value
    ]
    if level is not None:
        parts.append(f"level {level}")
    parts.append(f"{edition} register")
    return " (" + ", ".join(parts) + ")"


# --- loading ---------------------------------------------------------------------------------


def package_data_dir() -> Path:
    """The data folder of the installed package, found without importing the package."""
    spec = find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RegisterError(f"the register package {PACKAGE}=={PINNED_VERSION} is not installed (make env)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _type_and_name(full: str, type_word: str | None) -> tuple[str, str]:
    """("thị xã", "Duyên Hải") from "Thị xã Duyên Hải" (and its type column when there is one)."""
    if type_word:
        prefix = type_word.strip()
        if full.casefold().startswith(prefix.casefold() + " "):
            return prefix.lower(), full[len(prefix) + 1 :].strip()
        return prefix.lower(), full.strip()
    parsed, _ = split_type(full)
    if parsed is None:
        raise RegisterError(f"register name without a type word: {full!r}")
    for word, canonical in TYPE_WORDS:
        if canonical == parsed and full.casefold().startswith(word + " "):
            return parsed, full[len(word) + 1 :].strip()
    return parsed, full.strip()


def _rows(db: Path, sql: str) -> list[dict[str, Any]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql)]


@dataclass
class _Keys:
    """The package's name keys, used by its old -> new mapping."""

    new_province: dict[str, str] = field(default_factory=dict)  # provinceKey -> 2025 code
    new_ward: dict[tuple[str, str], str] = field(default_factory=dict)  # (provinceKey, wardKey) -> code
    old_ward: dict[str, str] = field(default_factory=dict)  # "prov_dist_ward" -> legacy code
    old_province: dict[str, str] = field(default_factory=dict)  # legacy code -> provinceKey


def _reform_units(rows: Sequence[dict[str, Any]], keys: _Keys) -> Iterator[AdminUnit]:
    seen: set[str] = set()
    for r in rows:
        pcode = str(r["provinceCode"])
        keys.new_province[r["provinceKey"]] = pcode
        if pcode not in seen:
            seen.add(pcode)
            ptype, pname = _type_and_name(r["province"], None)
            yield AdminUnit(pcode, pname, ptype, Level.PROVINCE, None, pcode, REFORM_2025, REFORM_DATE, None)
        keys.new_ward[(r["provinceKey"], r["wardKey"])] = str(r["wardCode"])
        wtype, wname = _type_and_name(r["ward"], r["wardType"])
        yield AdminUnit(
            str(r["wardCode"]), wname, wtype, Level.COMMUNE, pcode, pcode, REFORM_2025, REFORM_DATE, None
        )


def _legacy_rows(rows: Sequence[dict[str, Any]], keys: _Keys) -> Iterator[tuple[Level, dict[str, Any]]]:
    seen: set[str] = set()
    for r in rows:
        keys.old_province[str(r["provinceCode"])] = r["provinceKey"]
        for level, code in ((Level.PROVINCE, r["provinceCode"]), (Level.DISTRICT, r["districtCode"])):
            if str(code) not in seen:
                seen.add(str(code))
                yield level, r
        if r["wardCode"]:
            keys.old_ward[f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"] = str(r["wardCode"])
            yield Level.COMMUNE, r


def _legacy_unit(level: Level, r: dict[str, Any]) -> AdminUnit:
    pcode = str(r["provinceCode"])
    if level == Level.PROVINCE:
        ptype, pname = _type_and_name(r["province"], None)
        return AdminUnit(pcode, pname, ptype, level, None, pcode, LEGACY, None, LEGACY_END)
    if level == Level.DISTRICT:
        dtype, dname = _type_and_name(r["district"], r["districtType"])
        return AdminUnit(str(r["districtCode"]), dname, dtype, level, pcode, pcode, LEGACY, None, LEGACY_END)
    wtype, wname = _type_and_name(r["ward"], r["wardType"])
    return AdminUnit(
        str(r["wardCode"]), wname, wtype, level, str(r["districtCode"]), pcode, LEGACY, None, LEGACY_END
    )


def _commune_successors(mapping: Mapping[str, Any], keys: _Keys) -> dict[str, tuple[str, ...]]:
    """Legacy commune code -> 2025 commune codes (default first), from converter_2025.json."""
    out: dict[str, list[str]] = {}
    for new_province, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_keys in wards.items():
            new_code = keys.new_ward.get((new_province, new_ward))
            for old_key in old_keys:
                old_code = keys.old_ward.get(old_key)
                if new_code and old_code:
                    out.setdefault(old_code, []).append(new_code)
    for new_province, divided in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in divided.items():
            old_code = keys.old_ward.get(old_key)
            ordered = sorted(targets, key=lambda t: not t["isDefaultNewWard"])
            codes = [keys.new_ward.get((new_province, t["newWardKey"])) for t in ordered]
            if old_code:
                out[old_code] = [c for c in codes if c]
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def _province_successors(mapping: Mapping[str, Any], keys: _Keys) -> dict[str, str]:
    """Legacy province code -> 2025 province code."""
    new_of_old_key = {old: new for new, olds in mapping["DICT_PROVINCE"].items() for old in olds}
    return {
        code: keys.new_province[new_of_old_key[key]]
        for code, key in keys.old_province.items()
        if key in new_of_old_key and new_of_old_key[key] in keys.new_province
    }


def _with_successors(
    units: Sequence[AdminUnit], communes: Mapping[str, tuple[str, ...]], provinces: Mapping[str, str]
) -> Iterator[AdminUnit]:
    new_provinces_of_district: dict[str, dict[str, None]] = {}
    for u in units:
        if u.level == Level.COMMUNE and u.parent_code is not None:
            targets = new_provinces_of_district.setdefault(u.parent_code, {})
            targets.setdefault(provinces.get(u.province_code, ""), None)
    for u in units:
        if u.level == Level.PROVINCE:
            successors: tuple[str, ...] = (provinces[u.gso_code],) if u.gso_code in provinces else ()
        elif u.level == Level.DISTRICT:
            found = new_provinces_of_district.get(u.gso_code) or {provinces.get(u.province_code, ""): None}
            successors = tuple(c for c in found if c)
        else:
            successors = communes.get(u.gso_code, ())
        yield AdminUnit(**{**u.__dict__, "successor_codes": successors})


def _installed_version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError as exc:
        raise RegisterError(f"the register package {PACKAGE}=={PINNED_VERSION} is not installed") from exc


def load_register_from(data_dir: Path, source_version: str) -> Register:
    """Read both editions and the old -> new mapping from the package's data folder."""
    db = data_dir / "dataset.db"
    if not db.is_file():
        raise RegisterError(f"register data not found: {db}")
    keys = _Keys()
    new_rows = _rows(db, "SELECT * FROM admin_units ORDER BY provinceCode, wardCode")
    reform = list(_reform_units(new_rows, keys))
    old_rows = _rows(db, "SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode")
    legacy = [_legacy_unit(level, r) for level, r in _legacy_rows(old_rows, keys)]
    mapping = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    linked = _with_successors(legacy, _commune_successors(mapping, keys), _province_successors(mapping, keys))
    return Register.build([*linked, *reform], source_version)


@lru_cache(maxsize=1)
def load_register() -> Register:
    """The register of the installed (pinned) package, loaded once per process."""
    return load_register_from(package_data_dir(), _installed_version())


REGISTER_COLUMNS = (
    "gso_code",
    "name",
    "unit_type",
    "level",
    "parent_code",
    "province_code",
    "valid_from",
    "valid_to",
    "successor_code",
    "successor_codes",
    "edition",
)


def register_frame(register: Register | None = None) -> pd.DataFrame:
    """Every unit of both editions, one row each, for loading into the warehouse.

    ``successor_code`` is the default 2025 successor; ``successor_codes`` lists all of them
    ("|"-separated) for communes split between several new ones.
    """
    reg = load_register() if register is None else register
    records = [
        (
            u.gso_code,
            u.name,
            u.unit_type,
            str(u.level),
            u.parent_code,
            u.province_code,
            u.valid_from,
            u.valid_to,
            u.successor_code,
            "|".join(u.successor_codes) or None,
            str(u.edition),
        )
        for u in reg.units
    ]
    frame = pd.DataFrame.from_records(records, columns=list(REGISTER_COLUMNS))
    text_columns = [c for c in REGISTER_COLUMNS if c not in ("valid_from", "valid_to")]
    return frame.astype({c: "string" for c in text_columns})
