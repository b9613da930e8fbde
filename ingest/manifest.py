"""The manifest of reports (data/manifest.yml): what we know about each file before reading it.

The manifest is optional: a report whose document states its unit and period is resolved
through the official unit register without one. It says what documents do not, and overrides::

    folders:                        # per-folder context (the folder's name, not its path)
      - folder: soctrang
        province: Sóc Trăng         # resolves unit names the register has in several provinces
        district: null              # for folders of commune reports of one district
    reports:                        # one entry per file; only `file` is required
      - file: soctrang-vinhchau-2022-q3.txt
        sha256: bfecc35b...         # optional guard: checksum of the file when the entry was written
        unit_code: "950"            # GSO code ("2025:92" for the 2025 register) or an alias
        unit_name: thị xã Vĩnh Châu # or the unit's name, resolved with province/district
        unit_level: district        # province | district | commune
        province: Sóc Trăng
        parent_district: null       # the district of a commune (name or code)
        period: {year: 2022, type: quarter, number: 3}
        template_family: soctrang_2022

Every problem raises :class:`~ingest.errors.ManifestError` with the manifest's line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ingest.errors import ManifestError
from ingest.text import collapse_whitespace, nfc

PERIOD_TYPES = ("year", "quarter", "half", "nine_months")
UNIT_LEVELS = ("province", "district", "commune")
_PERIOD_NUMBERS: dict[str, tuple[int, ...]] = {"quarter": (1, 2, 3, 4), "half": (1, 2)}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ENTRY_KEYS = frozenset(
    {
        "file",
        "sha256",
        "unit_code",
        "unit_name",
        "unit_level",
        "province",
        "parent_district",
        "period",
        "template_family",
    }
)
_REQUIRED_KEYS = ("file",)
_FOLDER_KEYS = frozenset({"folder", "province", "district"})
_LINE_KEY = "__line__"


@dataclass(frozen=True)
class Period:
    year: int
    type: str  # year | quarter | half | nine_months
    number: int | None = None  # quarter 1-4, half 1-2, None otherwise

    def describe(self) -> str:
        if self.number is None:
            return f"{self.type} {self.year}"
        return f"{self.type} {self.number} {self.year}"


@dataclass(frozen=True)
class ManifestEntry:
    file: str
    sha256: str | None
    unit_code: str | None
    unit_name: str | None
    unit_level: str | None
    province: str | None
    parent_district: str | None
    period: Period | None
    template_family: str | None
    line: int  # line of the entry in the manifest file


@dataclass(frozen=True)
class FolderDefaults:
    """The context of every report in a folder (matched on the folder's name)."""

    folder: str
    province: str | None
    district: str | None
    line: int


@dataclass(frozen=True)
class Manifest:
    source_file: str
    entries: tuple[ManifestEntry, ...] = ()
    folders: tuple[FolderDefaults, ...] = ()

    def folder(self, folder_name: str) -> FolderDefaults | None:
        """The defaults of the folder of that name, or None."""
        for defaults in self.folders:
            if defaults.folder == folder_name:
                return defaults
        return None

    def get(self, file_name: str) -> ManifestEntry | None:
        """The entry of a file (matched on its name, not its folder), or None."""
        name = Path(file_name).name
        for entry in self.entries:
            if entry.file == name:
                return entry
        return None

    def find_unit(self, unit_name: str) -> ManifestEntry | None:
        """The first entry whose unit_name matches (case-insensitive, NFC, single spaces)."""
        key = unit_key(unit_name)
        for entry in self.entries:
            if entry.unit_name is not None and unit_key(entry.unit_name) == key:
                return entry
        return None


def unit_key(name: str) -> str:
    """Comparison key of a unit name: NFC, case-folded, single spaces (diacritics kept)."""
    return collapse_whitespace(nfc(name)).casefold()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the line of every mapping under ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _require_str(
    entry: Mapping[str, Any], key: str, source: str, line: int, *, optional: bool = False
) -> str:
    value = entry.get(key)
    if value is None and optional:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise ManifestError(
            f"entry field {key!r} must be a non-empty text, got {value!r}", source_file=source, line=line
        )
    return nfc(value.strip())


def _period(value: Any, source: str, line: int) -> Period:
    if not isinstance(value, dict):
        raise ManifestError(
            "entry field 'period' must be a mapping {year, type, number}", source_file=source, line=line
        )
    pline = int(value.get(_LINE_KEY, line))
    unknown = set(value) - {"year", "type", "number", _LINE_KEY}
    if unknown:
        raise ManifestError(
            f"unknown period field(s) {sorted(unknown)}; expected year, type, number",
            source_file=source,
            line=pline,
        )
    year, ptype, number = value.get("year"), value.get("type"), value.get("number")
    if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100:
        raise ManifestError(
            f"period year must be a year like 2023, got {year!r}", source_file=source, line=pline
        )
    if ptype not in PERIOD_TYPES:
        raise ManifestError(
            f"period type must be one of {', '.join(PERIOD_TYPES)}, got {ptype!r}",
            source_file=source,
            line=pline,
        )
    allowed = _PERIOD_NUMBERS.get(ptype, ())
    if allowed:
        if number not in allowed or isinstance(number, bool):
            raise ManifestError(
                f"period number of a {ptype} must be one of {list(allowed)}, got {number!r}",
                source_file=source,
                line=pline,
            )
    elif number is not None:
        raise ManifestError(
            f"period number must be empty for a {ptype} period, got {number!r}",
            source_file=source,
            line=pline,
        )
    return Period(year=year, type=str(ptype), number=number)


def _entry(raw: Any, source: str, fallback_line: int) -> ManifestEntry:
    if not isinstance(raw, dict):
        raise ManifestError(
            f"each report entry must be a mapping, got {raw!r}", source_file=source, line=fallback_line
        )
    line = int(raw.get(_LINE_KEY, fallback_line))
    unknown = set(raw) - _ENTRY_KEYS - {_LINE_KEY}
    if unknown:
        raise ManifestError(
            f"unknown entry field(s) {sorted(unknown)}; expected {', '.join(sorted(_ENTRY_KEYS))}",
            source_file=source,
            line=line,
        )
    missing = [k for k in _REQUIRED_KEYS if raw.get(k) is None]
    if missing:
        raise ManifestError(f"entry lacks required field(s) {missing}", source_file=source, line=line)
    sha = raw.get("sha256")
    if sha is not None and (not isinstance(sha, str) or not _SHA256.match(sha.strip().lower())):
        raise ManifestError(
            f"sha256 must be 64 hexadecimal digits, got {sha!r}", source_file=source, line=line
        )
    level = _optional_str(raw, "unit_level", source, line)
    if level is not None and level not in UNIT_LEVELS:
        raise ManifestError(
            f"unit_level must be one of {', '.join(UNIT_LEVELS)}, got {level!r}",
            source_file=source,
            line=line,
        )
    file_name = _require_str(raw, "file", source, line)
    if Path(file_name).name != file_name:
        raise ManifestError(
            f"file must be a file name without folders, got {file_name!r}", source_file=source, line=line
        )
    return ManifestEntry(
        file=file_name,
        sha256=sha.strip().lower() if isinstance(sha, str) else None,
        unit_code=_optional_str(raw, "unit_code", source, line),
        unit_name=_optional_str(raw, "unit_name", source, line),
        unit_level=level,
        province=_optional_str(raw, "province", source, line),
        parent_district=_optional_str(raw, "parent_district", source, line),
        period=_period(raw["period"], source, line) if raw.get("period") is not None else None,
        template_family=_optional_str(raw, "template_family", source, line),
        line=line,
    )


def _optional_str(entry: Mapping[str, Any], key: str, source: str, line: int) -> str | None:
    """A text field that may be absent; numbers (a GSO code written unquoted) are read as text."""
    value = entry.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _require_str(entry, key, source, line, optional=True) or None


def _folder(raw: Any, source: str, fallback_line: int) -> FolderDefaults:
    if not isinstance(raw, dict):
        raise ManifestError(
            f"each folder entry must be a mapping, got {raw!r}", source_file=source, line=fallback_line
        )
    line = int(raw.get(_LINE_KEY, fallback_line))
    unknown = set(raw) - _FOLDER_KEYS - {_LINE_KEY}
    if unknown:
        raise ManifestError(
            f"unknown folder field(s) {sorted(unknown)}; expected {', '.join(sorted(_FOLDER_KEYS))}",
            source_file=source,
            line=line,
        )
    return FolderDefaults(
        folder=_require_str(raw, "folder", source, line),
        province=_optional_str(raw, "province", source, line),
        district=_optional_str(raw, "district", source, line),
        line=line,
    )


def parse_manifest(text: str, source_file: str = "manifest.yml") -> Manifest:
    """Read a manifest from its YAML text (pure)."""
    try:
        doc = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        message = f"not valid YAML: {exc.problem or exc}"
        if exc.context and exc.context_mark is not None:
            message += f" ({exc.context} at line {exc.context_mark.line + 1})"
        raise ManifestError(message, source_file=source_file, line=line) from exc
    except yaml.YAMLError as exc:
        raise ManifestError(f"not valid YAML: {exc}", source_file=source_file) from exc
    if doc is None:
        return Manifest(source_file=source_file)
    if not isinstance(doc, dict) or not isinstance(doc.get("reports", []), list):
        raise ManifestError(
            "expected a mapping with a 'reports' list at the top", source_file=source_file, line=1
        )
    unknown = set(doc) - {"reports", "folders", _LINE_KEY}
    if unknown:
        raise ManifestError(
            f"unknown top-level key(s) {sorted(unknown)}; expected 'reports', 'folders'",
            source_file=source_file,
            line=1,
        )
    if not isinstance(doc.get("folders", []), list):
        raise ManifestError("'folders' must be a list", source_file=source_file, line=1)
    folders = tuple(_folder(raw, source_file, int(doc.get(_LINE_KEY, 1))) for raw in doc.get("folders") or [])
    entries: list[ManifestEntry] = []
    seen: dict[str, int] = {}
    for raw in doc.get("reports") or []:
        entry = _entry(raw, source_file, int(doc.get(_LINE_KEY, 1)))
        if entry.file in seen:
            raise ManifestError(
                f"file {entry.file!r} listed twice (first at line {seen[entry.file]})",
                source_file=source_file,
                line=entry.line,
            )
        seen[entry.file] = entry.line
        entries.append(entry)
    return Manifest(source_file=source_file, entries=tuple(entries), folders=folders)


def load_manifest(path: Path | str) -> Manifest:
    """Read a manifest file; a missing file is an error (pass no manifest instead)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ManifestError(f"cannot read manifest: {exc.strerror}", source_file=str(path)) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ManifestError("manifest is not UTF-8 text", source_file=str(path), line=line) from exc
    return parse_manifest(text, str(path))
