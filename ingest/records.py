"""Records that flow from the parsers to the loader.

Parsers are pure functions ``text -> ParseResult``; these dataclasses are their
whole vocabulary. Every record keeps the raw text it was read from beside the
parsed value, and the 1-based line range of the source file it came from.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class ValueKind(StrEnum):
    """What a value cell holds once read."""

    COUNT = "count"  # a plain number: a count, an amount, a quantity (unit says which)
    PERCENT = "percent"  # a rate in percent: "100%", "66,67" with unit "%"
    RATIO = "ratio"  # a fraction "10/10", "1228/1288": numerator / denominator
    CODE = "code"  # a coded answer (Có = 1 / Không = 0, Trực tuyến = 0 ...), number is the code
    TEXT = "text"  # words: "Chưa", "Không", "UBND xã Tân Túc", "12 tin và 12 bài"
    EMPTY = "empty"  # nothing written: not reported, never zero


class LineClass(StrEnum):
    """What one line of a source file is. Every line gets exactly one."""

    STATISTIC = "statistic"  # part of a statistic row (its label, unit, value or note)
    STRUCTURE = "structure"  # titles, table headers, section rows, repeated page headers, signatures
    NARRATIVE = "narrative"  # prose of the report (kept as narrative blocks)
    BLANK = "blank"  # empty or whitespace only
    QUARANTINE = "quarantine"  # could not be placed; kept with a reason


@dataclass(frozen=True)
class ParsedValue:
    """A value cell read into a typed value. ``raw`` is the text as written (NFC)."""

    raw: str
    kind: ValueKind
    number: Decimal | None = None
    qualifier: str | None = None  # ">" for "Trên 90%", "<" for "Dưới", ">=" , "<=", "~" (khoảng)
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    text: str | None = None  # the words of a TEXT value, or the trailing words of "25 Nhiệm vụ"
    unit_in_value: str | None = None  # a unit written inside the value cell: "Nhiệm vụ" of "25 Nhiệm vụ"


@dataclass(frozen=True)
class NoteFact:
    """A figure read from the note column (or from a merged note text) of a statistic row.

    Examples: "99,95%" (a percent), "909 trước hạn" (909, keyword "trước hạn"),
    "1228/1288" (a ratio), "28 TTHC ngành dọc" (28, keyword "TTHC ngành dọc").
    """

    raw: str  # the exact piece of note text the figure was read from
    value: ParsedValue
    keyword: str | None = None  # words right after the figure that say what it counts
    line_start: int = 0
    line_end: int = 0


@dataclass(frozen=True)
class StatRow:
    """One row of the statistics table.

    ``row_code`` is the numbering as printed ("3.2.", "1", "-", "" when none);
    ``row_path`` is the row's resolved place in the hierarchy: the codes of the
    section, group and row joined with "/", where restarted numbering ("3.2."
    followed by "1.", "2.") is resolved to children ("3.2./1.") and unnumbered
    rows get "#n" (their ordinal under the parent), e.g. "III/6/#2".
    """

    seq: int  # order of the row in the file, from 1
    line_start: int
    line_end: int
    section_code: str  # "I".."VII" or "Biểu mẫu 3" etc.; "" when the table has no sections
    section_label: str
    row_code: str
    row_path: str
    parent_row_path: str | None  # None for rows directly under the section
    depth: int  # 0 = section row, 1 = group, 2 = item, 3 = sub-item ...
    is_group: bool  # True when later rows sit under this one
    raw_label: str  # label text as written (NFC, line breaks joined with a space)
    label: str  # label cleaned: HTML/markdown/footnote marks removed, whitespace collapsed
    raw_unit: str
    unit: str  # cleaned unit ("" when none)
    value: ParsedValue
    raw_note: str
    note: str  # cleaned note
    note_facts: tuple[NoteFact, ...] = ()
    footnote_marks: tuple[str, ...] = ()  # "⁶" etc. removed from the label


@dataclass(frozen=True)
class NarrativeBlock:
    """A paragraph (or heading) of the report's prose, with its line range."""

    seq: int
    line_start: int
    line_end: int
    heading: str  # nearest heading above the block ("" when none)
    text: str


@dataclass(frozen=True)
class LineRecord:
    """The class of one line of the source file."""

    line_no: int
    line_class: LineClass
    reason: str = ""  # why, for QUARANTINE (and optionally for STRUCTURE: "page header")


@dataclass(frozen=True)
class HeaderInfo:
    """What the document itself says about its reporting unit and period, if anything."""

    unit_name: str | None = None  # "thị xã Vĩnh Châu"
    unit_line: int | None = None
    period_text: str | None = None  # "QUÝ III NĂM 2022"
    period_type: str | None = None  # "year" | "quarter" | "half" | "nine_months"
    period_year: int | None = None
    period_number: int | None = None  # quarter 1-4, half 1-2; None for year / nine months
    period_line: int | None = None


@dataclass(frozen=True)
class ParseResult:
    """Everything a family parser found in one file."""

    family: str
    source_file: str
    line_count: int
    rows: tuple[StatRow, ...]
    narrative: tuple[NarrativeBlock, ...]
    lines: tuple[LineRecord, ...]  # exactly one per line, in order, line_no 1..line_count
    header: HeaderInfo = field(default_factory=HeaderInfo)

    @property
    def quarantined(self) -> tuple[LineRecord, ...]:
        return tuple(r for r in self.lines if r.line_class is LineClass.QUARANTINE)


def to_jsonable(obj: Any) -> Any:
    """Turn records (dataclasses, Decimals, enums, tuples) into plain JSON values."""
    if hasattr(obj, "__dataclass_fields__"):
        return {k: to_jsonable(v) for k, v in asdict(obj).items()}
    if isinstance(obj, dict):
        return {k: to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, Decimal):
        return float(obj) if obj != obj.to_integral_value() else int(obj)
    if isinstance(obj, StrEnum):
        return obj.value
    return obj


@dataclass(frozen=True)
class ExpectationOutcome:
    """The result of one expectation on one table of one file."""

    table: str  # statistic_rows | line_classes
    expectation: str  # e.g. "statistic_rows.expect_column_values_to_not_be_null"
    column_name: str  # "" for table-level expectations
    success: bool
    unexpected_count: int | None
    lines: tuple[int, ...]  # source lines of the offending rows
    details: str  # JSON: partial unexpected values / observed value / exception

    @property
    def name(self) -> str:
        return f"{self.expectation}({self.column_name})" if self.column_name else self.expectation
