"""Hand-entered values: the CSV the data team fills in, read and validated into records.

Some figures never arrive as a report table: they are typed in from paper, from a report's
narrative or from official news. One CSV row is one reporting unit x period x indicator::

    unit_code,period,indicator_code,value,unit,source_reference,note
    tv-duyen-hai-tx,2023-Q1,procedures.district.dossiers_received,246,Hồ sơ,"travinh-...txt, line 55",

Columns (header row required, any order, names case-insensitive):

- ``unit_code`` (required): a GSO code of any register unit (province, district, commune;
  "2025:<code>" for the 2025 register) or an alias of seeds/unit_aliases.csv, valid during the period;
- ``period`` (required): ``YYYY-<suffix>`` with a suffix of seeds/period_types.csv: ``2023-Q1``,
  ``2024-H1``, ``2023-M9``, ``2021-Y`` (the warehouse's period_key notation);
- ``indicator_code`` (required): a code of seeds/indicators.csv;
- ``value`` (required, not empty): the value as written, read by :func:`ingest.values.parse_value`
  exactly like a report's value cell (``5.327``, ``66,67``, ``100%``, ``1.250/2401``, ``Trên 90%``,
  ``Có``, ``Chưa``);
- ``unit`` (optional): the unit of measure as written (``%``, ``Hồ sơ``, ``Có = 1 Không = 0``); when
  empty, the indicator's catalogue type gives the context (percent -> ``%``, yes/no -> ``Có = 1
  Không = 0``);
- ``source_reference`` (required): where the figure was read (document and line, a news URL ...);
- ``note`` (optional): free text.

Pure functions: text in, records out. Every cell is normalized to NFC and kept as written next to
the parsed value. A row that fails validation is not dropped: it comes back as a
:class:`RejectedRow` with a :class:`~ingest.errors.HandEnteredValueError` naming the file and the
CSV line. A file whose header is unusable raises that error for the whole file.
"""

from __future__ import annotations

import calendar
import csv
import difflib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from ingest.errors import HandEnteredValueError, ValueParseError
from ingest.records import ParsedValue, ValueKind
from ingest.reference import IndicatorRef, PeriodRef, ReferenceData, UnitRef
from ingest.text import clean_cell, collapse_whitespace, nfc, split_lines
from ingest.values import parse_value

FAMILY = "hand_entered"
REQUIRED_COLUMNS = ("unit_code", "period", "indicator_code", "value", "source_reference")
OPTIONAL_COLUMNS = ("unit", "note")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# dim_period spans these years (models/marts/dim_period.sql); a period outside has no dimension row.
FIRST_YEAR, LAST_YEAR = 2015, 2035

_PERIOD = re.compile(r"(?P<year>\d{4})\s*-\s*(?P<suffix>[A-Za-z0-9]+)")
# Units of measure implied by the catalogue's value type when the unit column is left empty.
_IMPLIED_UNIT = {"percent": "%", "yes_no": "Có = 1 Không = 0"}


# ---------------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandEnteredValue:
    """One valid row of the CSV. ``raw_*`` fields keep the cells as written (NFC)."""

    line_start: int  # CSV line of the row (1-based, the header is line 1)
    line_end: int  # differs from line_start only when a quoted cell spans lines
    raw_unit_code: str
    unit_code: str
    unit_name: str
    unit_level: str
    province: str | None
    parent_unit_code: str | None
    raw_period: str
    period_key: str  # "2023-Q1"
    period_type: str
    period_year: int
    period_number: int | None
    raw_indicator_code: str
    indicator_code: str
    raw_unit: str
    unit: str  # cleaned unit, or the one the catalogue implies ("" when none)
    value: ParsedValue  # value.raw is the value as written
    source_reference: str
    note: str


@dataclass(frozen=True)
class RejectedRow:
    """A row that failed validation, with its text as written and the error (file, line, reason)."""

    line_start: int
    line_end: int
    raw_text: str
    error: HandEnteredValueError

    @property
    def reason(self) -> str:
        return self.error.message


@dataclass(frozen=True)
class HandEnteredFile:
    """Everything read from one CSV: the valid rows and the rejected ones, in file order."""

    source_file: str
    line_count: int
    values: tuple[HandEnteredValue, ...]
    rejected: tuple[RejectedRow, ...]

    @property
    def row_count(self) -> int:
        return len(self.values) + len(self.rejected)


# ---------------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------------


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _month_start(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-01"


def _month_end(year: int, month: int) -> str:
    return date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def parse_period(raw: str, periods: Mapping[str, PeriodRef]) -> tuple[PeriodRef, int]:
    """``"2023-Q1"`` -> (the Q1 period type, 2023). Raises HandEnteredValueError (no file/line)."""
    m = _PERIOD.fullmatch(raw.strip())
    suffixes = ", ".join(sorted(periods))
    if m is None:
        raise HandEnteredValueError(
            f"unreadable period {raw!r}: expected YEAR-SUFFIX such as '2023-Q1', '2024-H1', '2023-M9', "
            f"'2021-Y' (suffixes: {suffixes})"
        )
    ref = periods.get(m.group("suffix").upper())
    if ref is None:
        raise HandEnteredValueError(f"unknown period {raw!r}: the suffix must be one of {suffixes}")
    year = int(m.group("year"))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise HandEnteredValueError(
            f"period {raw!r} is outside the years {FIRST_YEAR}-{LAST_YEAR} of dim_period"
        )
    return ref, year


def _check_unit(raw: str, ref: ReferenceData) -> UnitRef:
    code = raw.strip().lower()
    unit = ref.units.get(code)
    if unit is None:
        raise HandEnteredValueError(
            f"unknown reporting unit {raw!r}: expected a GSO code of the unit register (e.g. 949, "
            "2025:92 for a unit of the 2025 register) or an alias of seeds/unit_aliases.csv"
            + _suggest(code, sorted(ref.units))
        )
    return unit


def _check_validity(unit: UnitRef, period: PeriodRef, year: int, raw_period: str) -> None:
    start, end = _month_start(year, period.first_month), _month_end(year, period.last_month)
    if unit.valid_to is not None and start > unit.valid_to:
        raise HandEnteredValueError(
            f"reporting unit {unit.unit_code!r} ended on {unit.valid_to}, before period {raw_period!r}"
        )
    if unit.valid_from is not None and end < unit.valid_from:
        raise HandEnteredValueError(
            f"reporting unit {unit.unit_code!r} exists from {unit.valid_from}, after period {raw_period!r}"
        )


def _check_indicator(raw: str, ref: ReferenceData) -> IndicatorRef:
    code = raw.strip()
    indicator = ref.indicators.get(code)
    if indicator is None:
        raise HandEnteredValueError(
            f"unknown indicator {raw!r}: expected an indicator_code of seeds/indicators.csv"
            + _suggest(code, sorted(ref.indicators))
        )
    return indicator


def _delimiter_hint(cells: list[str]) -> str:
    """A hint when the header is one cell holding semicolons or tabs: another delimiter was used."""
    if len(cells) != 1:
        return ""
    for delimiter, name in ((";", "semicolons"), ("\t", "tabs")):
        if delimiter in cells[0]:
            return (
                f"; the header is separated by {name}, not commas: save the file as CSV with the "
                "comma as the delimiter (a spreadsheet set to a Vietnamese or European locale uses ';')"
            )
    return ""


def unclosed_quote_line(lines: Sequence[str], first_line: int) -> int | None:
    """The line (numbered from ``first_line``) where a double quote opens that is never closed.

    The cells of a CSV record hold an even number of double quotes in all (a quoted cell has its
    two, an escaped quote is doubled); an odd count means a quote runs to the end. The line named
    is the first one with an odd count: where a quote was opened and not closed on the same line.
    """
    if sum(line.count('"') for line in lines) % 2 == 0:
        return None
    return next(n for n, line in enumerate(lines, start=first_line) if line.count('"') % 2)


def _header(cells: list[str], source_file: str) -> dict[str, int]:
    names = [collapse_whitespace(nfc(c)).lower().lstrip("\ufeff") for c in cells]
    unknown = [n for n in names if n and n not in COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    duplicated = sorted({n for n in names if n and names.count(n) > 1})
    problems = []
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}")
    if duplicated:
        problems.append(f"repeated column(s) {', '.join(duplicated)}")
    if problems:
        raise HandEnteredValueError(
            f"bad header ({'; '.join(problems)}): expected the columns {', '.join(COLUMNS)} "
            f"({', '.join(OPTIONAL_COLUMNS)} optional){_delimiter_hint(cells)}",
            source_file=source_file,
            line=1,
        )
    return {n: i for i, n in enumerate(names) if n}


def _read_row(
    cells: list[str],
    columns: Mapping[str, int],
    ref: ReferenceData,
) -> HandEnteredValue:
    """Validate one data row (raises HandEnteredValueError without file/line; the caller adds them)."""
    if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
        raise HandEnteredValueError(
            f"{len(cells)} cells but the header has {len(columns)} columns (a comma inside a value "
            "needs the cell in double quotes)"
        )

    def cell(name: str) -> str:
        i = columns.get(name)
        return nfc(cells[i]).strip() if i is not None and i < len(cells) else ""

    empty = [c for c in REQUIRED_COLUMNS if not cell(c)]
    if empty:
        raise HandEnteredValueError(
            f"empty required cell(s) {', '.join(empty)} (a figure that is not known is left out, not entered "
            "empty)"
        )
    unit = _check_unit(cell("unit_code"), ref)
    period, year = parse_period(cell("period"), ref.periods)
    _check_validity(unit, period, year, cell("period"))
    indicator = _check_indicator(cell("indicator_code"), ref)
    raw_unit = cell("unit")
    context_unit = raw_unit or _IMPLIED_UNIT.get(indicator.value_type, "")
    try:
        value = parse_value(cell("value"), context_unit)
    except ValueParseError as exc:
        raise HandEnteredValueError(f"unreadable value: {exc.message}") from exc
    if value.kind is ValueKind.EMPTY:
        raise HandEnteredValueError(
            f"value {cell('value')!r} carries no figure (only a unit or an empty mark); a figure that is not "
            "known is left out"
        )
    period_key = f"{year}-{period.suffix}"
    return HandEnteredValue(
        line_start=0,
        line_end=0,
        raw_unit_code=cell("unit_code"),
        unit_code=unit.unit_code,
        unit_name=unit.unit_name,
        unit_level=unit.unit_level,
        province=unit.province,
        parent_unit_code=unit.parent_unit_code,
        raw_period=cell("period"),
        period_key=period_key,
        period_type=period.period_type,
        period_year=year,
        period_number=period.period_number,
        raw_indicator_code=cell("indicator_code"),
        indicator_code=indicator.indicator_code,
        raw_unit=raw_unit,
        unit=clean_cell(context_unit),
        value=value,
        source_reference=cell("source_reference"),
        note=cell("note"),
    )


def _check_quotes(lines: Sequence[str], start: int, end: int) -> None:
    """An unterminated quote makes the csv reader take the rest of the file as the last row."""
    if end < len(lines):
        return
    opened = unclosed_quote_line(lines[start - 1 : end], start)
    if opened is not None:
        raise HandEnteredValueError(
            f'unterminated quote: the double quote (") opened on line {opened} is never closed, so '
            f'lines {start}-{end} were read as one row; close the quote or double it ("") inside a cell'
        )


def parse_hand_entered(text: str, source_file: str, reference: ReferenceData) -> HandEnteredFile:
    """Read the text of one hand-entered CSV into valid values and rejected rows.

    Line numbers are 1-based lines of ``split_lines(text)`` (the header is line 1). Rows whose cells
    are all empty are blank lines, not data. The same unit x period x indicator twice in one file is
    an error on the later row (naming the earlier one).

    Raises:
        HandEnteredValueError: the file has no header or an unusable one (file and line 1).
    """
    text = nfc(text.removeprefix("\ufeff"))
    lines = split_lines(text)
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        header = next(reader)
    except StopIteration:
        raise HandEnteredValueError(
            f"empty file: expected a header row with the columns {', '.join(COLUMNS)}",
            source_file=source_file,
            line=1,
        ) from None
    columns = _header(header, source_file)
    values: list[HandEnteredValue] = []
    rejected: list[RejectedRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    previous_end = reader.line_num
    for cells in reader:
        start, end = previous_end + 1, reader.line_num
        previous_end = end
        if not any(c.strip() for c in cells):
            continue
        raw_text = "\n".join(lines[start - 1 : end])
        try:
            _check_quotes(lines, start, end)
            row = _read_row(cells, columns, reference)
            key = (row.unit_code, row.period_key, row.indicator_code)
            if key in seen:
                raise HandEnteredValueError(
                    f"{row.unit_code} {row.period_key} {row.indicator_code} is already given on line "
                    f"{seen[key]}"
                )
        except HandEnteredValueError as exc:
            error = HandEnteredValueError(exc.message, source_file=source_file, line=start)
            rejected.append(RejectedRow(start, end, raw_text, error))
            continue
        seen[key] = start
        values.append(replace(row, line_start=start, line_end=end))
    return HandEnteredFile(source_file, len(lines), tuple(values), tuple(rejected))


__all__ = [
    "COLUMNS",
    "FAMILY",
    "HandEnteredFile",
    "HandEnteredValue",
    "RejectedRow",
    "parse_hand_entered",
    "parse_period",
]
