"""Parser of the national 2023 form family (district report + appendix "Biểu mẫu 1..7").

A report of this family is a narrative report (number, date, title, prose under headings
"I. ...", "1. ...", footnotes at page bottoms, recipients "Nơi nhận:", signature) followed by an
appendix ("PHỤ LỤC ...") of statistics tables. Each table has a title "Biểu mẫu <n>", a title line
("Cải cách thể chế"), a two-line tab-separated column header (STT / Chỉ tiêu thống kê / Kết quả thống kê
/ Ghi chú, then Đơn vị tính / Số liệu) that is repeated after page breaks, and rows
``code<TAB>label<TAB>unit<TAB>value<TAB>note`` with dotted codes ("2.1.", "3.3.1.").

Numbering restarts inside a group ("3.2." followed by "1.", "2." which are its children); the
parser resolves these to row paths "3.2./1." so that every row path of a table is unique.

Pure functions: text in, :class:`~ingest.records.ParseResult` out. Nothing is dropped: every line
gets exactly one :class:`~ingest.records.LineRecord`; a line of the table zone that cannot be placed
is QUARANTINE with a reason.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.errors import ValueParseError
from ingest.families.contract import FamilyParser, TemplateFamily
from ingest.families.row_paths import PathBook, dotted_parts, join_path, ordinal_component
from ingest.records import (
    LineClass,
    LineRecord,
    NarrativeBlock,
    ParsedValue,
    ParseResult,
    StatRow,
)
from ingest.text import FOOTNOTE_MARKS, clean_cell, footnote_marks, label_key, nfc, split_lines, strip_markup
from ingest.values import extract_note_facts, parse_value

FAMILY = "national_2023"

MARKERS = ("'Biểu mẫu <n>' tables", "tabbed rows coded '2.1.'", "header 'Đơn vị tính | Số liệu'")

# ---------------------------------------------------------------------------------------------------
# Line patterns (structure words of the template, never the wording of one sample)
# ---------------------------------------------------------------------------------------------------

_TABLE_TITLE = re.compile(
    r"^(?:\*\*)?\s*biểu\s+mẫu\s+(?:số\s+)?(\d{1,2})\b\s*[:.\-–]?\s*(.*?)\s*(?:\*\*)?$", re.I
)
_APPENDIX_TITLE = re.compile(r"^(?:\*\*)?\s*phụ\s+lục(?:\s+(?:số\s+)?[IVXLC\d]+)?\s*[:.]?\s*(?:\*\*)?$", re.I)
_DOTTED_CODE = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_ROMAN_CODE = re.compile(r"^[IVXLC]{1,6}\.?$")
_LETTER_CODE = re.compile(r"^[a-zđ][).]$", re.I)
_BULLET_CODE = re.compile(r"^[-+*•–]$")
_FOOTNOTE_LINE = re.compile(f"^[{FOOTNOTE_MARKS}]+\\s*\\S")
_ROMAN_HEADING = re.compile(r"^[IVXLC]{1,6}\.\s+\S")
_NUMBER_HEADING = re.compile(r"^\d{1,2}\.\s+\S")
_LETTER_HEADING = re.compile(r"^[a-zđ]\)\s+\S")
_DOC_NUMBER = re.compile(r"^Số\s*:\s*\S*\d", re.I)
_DOC_DATE = re.compile(r",?\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}\s*$", re.I)
_RECIPIENTS = re.compile(r"^(?:\*\*)?\s*nơi\s+nhận\s*:", re.I)
_SIGNATURE = re.compile(r"^(?:TM|KT|TL|TUQ|Q)\.\s*\S")
_PAGE_NUMBER = re.compile(r"^[-–\s]*\d{1,3}[-–\s]*$")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")

_HEADER_CODE_WORDS = frozenset({"stt", "tt", "số tt", "thứ tự"})
_HEADER_WORDS = frozenset(
    {
        "đơn vị tính",
        "đvt",
        "số liệu",
        "kết quả",
        "kết quả thống kê",
        "giá trị",
        "số lượng",
        "ghi chú",
    }
)
_VALUE_HEADER_WORDS = frozenset({"số liệu", "giá trị", "số lượng", "kết quả"})

_MAX_HEADING_CHARS = 120
_MAX_BOLD_SPAN_LINES = 4


# ---------------------------------------------------------------------------------------------------
# score
# ---------------------------------------------------------------------------------------------------


def score(text: str) -> float:
    """How sure it is that ``text`` is a national 2023 form report (0..1).

    Four structural markers: "Biểu mẫu <n>" table titles, tab-separated rows with dotted codes
    ("2.1."), multi-level dotted codes, and the two-line column header (STT / Chỉ tiêu ... then a line
    of "Đơn vị tính" / "Số liệu" cells). Fewer than two markers present caps the score at 0.25.
    """
    lines = split_lines(nfc(text))
    titles = sum(1 for line in lines if _TABLE_TITLE.match(line.strip()))
    dotted = 0
    multi_level = 0
    for line in lines:
        if "\t" not in line:
            continue
        code = line.split("\t", 1)[0].strip()
        if _DOTTED_CODE.match(code) and code.endswith("."):
            dotted += 1
            if code.count(".") >= 2:
                multi_level += 1
    header_pairs = sum(
        1
        for first, second in itertools.pairwise(lines)
        if _is_header_first(_cells(first)) and _is_value_header(_cells(second))
    )
    parts = [
        0.2 if titles else 0.0,
        0.35 * min(1.0, dotted / 10),
        0.2 * min(1.0, multi_level / 5),
        0.25 if header_pairs else 0.0,
    ]
    present = sum(1 for p in parts if p > 0)
    total = sum(parts)
    if present < 2:
        total = min(total, 0.25)
    return round(min(1.0, total), 4)


# ---------------------------------------------------------------------------------------------------
# parse
# ---------------------------------------------------------------------------------------------------


def parse(text: str, source_file: str) -> ParseResult:
    """Parse one report of the family into statistic rows, narrative blocks and line classes."""
    lines = split_lines(nfc(text))
    records: dict[int, LineRecord] = {}
    appendix = _appendix_start(lines)
    blocks = _parse_narrative(lines[:appendix], records)
    table = _TableZone(lines, appendix, source_file, records)
    rows = table.parse()
    blocks.extend(table.footnotes)
    blocks.sort(key=lambda b: b.line_start)
    narrative = tuple(
        NarrativeBlock(seq=i, line_start=b.line_start, line_end=b.line_end, heading=b.heading, text=b.text)
        for i, b in enumerate(blocks, start=1)
    )
    line_records = tuple(
        records.get(n, LineRecord(n, LineClass.QUARANTINE, "line not classified by the parser"))
        for n in range(1, len(lines) + 1)
    )
    return ParseResult(
        family=FAMILY,
        source_file=source_file,
        line_count=len(lines),
        rows=rows,
        narrative=narrative,
        lines=line_records,
    )


# ---------------------------------------------------------------------------------------------------
# Helpers shared by both zones
# ---------------------------------------------------------------------------------------------------


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")] if "\t" in line else []


def _is_header_first(cells: list[str]) -> bool:
    """First line of the column header: an STT cell and a "Chỉ tiêu" cell."""
    keys = [label_key(c) for c in cells]
    return any(k in _HEADER_CODE_WORDS for k in keys) and any("chỉ tiêu" in k for k in keys)


def _is_value_header(cells: list[str]) -> bool:
    """Second line of the column header: only header words, among them a value column."""
    keys = [label_key(c) for c in cells if c.strip()]
    return (
        bool(keys) and all(k in _HEADER_WORDS for k in keys) and any(k in _VALUE_HEADER_WORDS for k in keys)
    )


def _is_column_numbers(cells: list[str]) -> bool:
    """A line of column numbers "(1) (2) (3) ..." under the header."""
    filled = [c for c in cells if c]
    return len(filled) >= 3 and all(_COLUMN_NUMBER.match(c) for c in filled)


def _is_all_caps(text: str) -> bool:
    """At least two letters and every one upper-case (stops at the first that is not)."""
    letters = 0
    for c in strip_markup(text):
        if c.isalpha():
            if not c.isupper():
                return False
            letters += 1
    return letters >= 2


def _appendix_start(lines: list[str]) -> int:
    """Index (0-based) of the first line of the appendix zone, or len(lines) when there is none."""
    for i, line in enumerate(lines):
        s = line.strip()
        if _APPENDIX_TITLE.match(s) or _TABLE_TITLE.match(s):
            return i
        cells = _cells(line)
        if cells and (_is_header_first(cells) or _is_value_header(cells)):
            return i
    return len(lines)


@dataclass
class _Block:
    line_start: int
    line_end: int
    heading: str
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


# ---------------------------------------------------------------------------------------------------
# Narrative zone
# ---------------------------------------------------------------------------------------------------


def _heading_text(raw: str) -> str:
    return clean_cell(raw).strip("* ")


def _parse_narrative(lines: list[str], records: dict[int, LineRecord]) -> list[_Block]:
    """Classify the lines before the appendix; return the prose paragraphs and footnotes."""
    return _NarrativeReader(lines, records).read()


def _bold_span_end(lines: list[str], i: int) -> int | None:
    """Index of the last line of a bold span over several lines ("**Kết quả ...\n... năm 2023**")."""
    s = lines[i].strip()
    if not (s.startswith("**") and "**" not in s[2:]):
        return None
    end = i
    while end + 1 < len(lines) and end - i < _MAX_BOLD_SPAN_LINES and lines[end + 1].strip():
        end += 1
        if lines[end].rstrip().endswith("**"):
            break
    return end if lines[end].rstrip().endswith("**") and end > i else None


def _is_heading(s: str) -> bool:
    """A heading of the narrative: bold, "I. ...", or a short "1. ..." / "a) ..." without end punctuation."""
    if s.startswith("**") and s.endswith("**") and len(s) > 4:
        return True
    if _ROMAN_HEADING.match(s) is not None and len(s) <= 2 * _MAX_HEADING_CHARS:
        return True
    if _NUMBER_HEADING.match(s) is None and _LETTER_HEADING.match(s) is None:
        return False
    cleaned = clean_cell(s)
    return len(cleaned) <= _MAX_HEADING_CHARS and not cleaned.endswith((".", ";", ":", ","))


def _structure_reason(s: str) -> str | None:
    """Why a narrative-zone line is STRUCTURE (document number, date, page number, title), or None."""
    if _DOC_NUMBER.match(s):
        return "document number"
    if _DOC_DATE.search(s) and len(s) <= _MAX_HEADING_CHARS:
        return "place and date"
    if _PAGE_NUMBER.match(s):
        return "page number"
    if _is_all_caps(s) and len(s) <= 2 * _MAX_HEADING_CHARS:
        return "title"
    return None


@dataclass
class _NarrativeReader:
    """Reads the narrative zone line by line (see :func:`_parse_narrative`)."""

    lines: list[str]
    records: dict[int, LineRecord]
    blocks: list[_Block] = field(default_factory=list)
    current: _Block | None = None
    heading: str = ""
    closing: bool = False  # inside recipients / signature
    previous_heading_line: int = -1

    def read(self) -> list[_Block]:
        i = 0
        while i < len(self.lines):
            i = self._line(i)
        return self.blocks

    def _structure(self, n: int, reason: str) -> None:
        self.records[n] = LineRecord(n, LineClass.STRUCTURE, reason)

    def _is_closing(self, s: str) -> bool:
        return self.closing or bool(_RECIPIENTS.match(s)) or bool(_SIGNATURE.match(s) and _is_all_caps(s))

    def _line(self, i: int) -> int:
        """Classify line ``i`` (0-based) and maybe the lines after it; the index of the next line."""
        n = i + 1
        raw = self.lines[i].rstrip()
        s = raw.strip()
        if not s:
            self.records[n] = LineRecord(n, LineClass.BLANK)
            self.current = None
            return i + 1
        if self._is_closing(s):
            self.closing = True
            self._structure(n, "recipients and signature")
            self.current = None
            return i + 1
        end = _bold_span_end(self.lines, i)
        if end is not None:  # a bold span over several lines: a title
            for k in range(i, end + 1):
                self._structure(k + 1, "title")
            self.heading = _heading_text(" ".join(x.strip() for x in self.lines[i : end + 1]))
            self.current = None
            return end + 1
        self._content_line(n, raw, s)
        return i + 1

    def _content_line(self, n: int, raw: str, s: str) -> None:
        if _FOOTNOTE_LINE.match(s):
            self.current = _Block(n, n, "footnote", [raw])
            self.blocks.append(self.current)
            self.records[n] = LineRecord(n, LineClass.NARRATIVE)
            return
        if _is_heading(s):
            self._structure(n, "heading")
            self.heading = _heading_text(s)
            self.previous_heading_line = n
            self.current = None
            return
        if self.previous_heading_line == n - 1 and _is_all_caps(s):
            # A heading wrapped over two lines ("I. TÌNH HÌNH ... TUYÊN\nTRUYỀN CCHC").
            self._structure(n, "heading")
            self.heading = f"{self.heading} {_heading_text(s)}"
            self.previous_heading_line = n
            return
        reason = _structure_reason(s)
        if reason is not None:
            self._structure(n, reason)
            self.current = None
            return
        self.records[n] = LineRecord(n, LineClass.NARRATIVE)
        if self.current is None:
            self.current = _Block(n, n, self.heading, [raw])
            self.blocks.append(self.current)
        else:
            self.current.lines.append(raw)
            self.current.line_end = n


# ---------------------------------------------------------------------------------------------------
# Table zone
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Columns:
    """Which cell of a tab-separated row holds what (from the column header, else the template's)."""

    code: int = 0
    label: int = 1
    unit: int = 2
    value: int = 3
    note: int = 4

    @property
    def width(self) -> int:
        return max(self.code, self.label, self.unit, self.value, self.note) + 1


@dataclass
class _Candidate:
    """A table row before its place in the hierarchy and its value are known."""

    line_start: int
    line_end: int
    section_code: str
    section_label: str
    row_code: str
    raw_label: str
    raw_unit: str
    raw_value: str
    note_parts: list[str]
    note_lines: list[int] = field(default_factory=list)
    # resolved by _resolve_hierarchy
    path: str = ""
    parent_path: str | None = None
    depth: int = 1
    numbers: tuple[int, ...] = ()
    restart_parent: _Candidate | None = None


def _canonical_code(code: str) -> str:
    """ "2.1" and "2.1." both become "2.1." (the printed code is kept in row_code)."""
    return code if code.endswith(".") else f"{code}."


class _TableZone:
    """Classifies the appendix lines and builds the statistic rows."""

    def __init__(self, lines: list[str], start: int, source_file: str, records: dict[int, LineRecord]):
        self.lines = lines
        self.start = start
        self.source_file = source_file
        self.records = records
        self.footnotes: list[_Block] = []
        self.candidates: list[_Candidate] = []
        self.section_code = ""
        self.section_label = ""
        self.state = "preamble"  # preamble -> title -> table
        self.columns = _Columns()
        self.section_rows = 0
        self.footnote: _Block | None = None

    # -- line classification ------------------------------------------------------------------------

    def _set(self, n: int, cls: LineClass, reason: str = "") -> None:
        self.records[n] = LineRecord(n, cls, reason)

    def parse(self) -> tuple[StatRow, ...]:
        for i in range(self.start, len(self.lines)):
            n = i + 1
            raw = self.lines[i].rstrip()
            s = raw.strip()
            if not s:
                self._set(n, LineClass.BLANK)
                self.footnote = None
                continue
            cells = _cells(raw)
            if not cells:
                self._text_line(n, raw, s)
                continue
            self.footnote = None
            self._tabbed_line(n, cells)
        return self._build_rows()

    def _text_line(self, n: int, raw: str, s: str) -> None:
        """A line without tabs: a table or appendix title, a footnote, a page number, or misplaced."""
        title = _TABLE_TITLE.match(s)
        if title:
            self.section_code = f"Biểu mẫu {int(title.group(1))}"
            self.section_label = clean_cell(title.group(2))
            self.state, self.columns, self.section_rows, self.footnote = "title", _Columns(), 0, None
            self._set(n, LineClass.STRUCTURE, "table title")
        elif _APPENDIX_TITLE.match(s):
            self.section_code, self.section_label, self.state, self.footnote = "", "", "preamble", None
            self._set(n, LineClass.STRUCTURE, "appendix title")
        elif _FOOTNOTE_LINE.match(s):
            self.footnote = _Block(n, n, "footnote", [raw])
            self.footnotes.append(self.footnote)
            self._set(n, LineClass.NARRATIVE)
        elif self.footnote is not None:
            self.footnote.lines.append(raw)
            self.footnote.line_end = n
            self._set(n, LineClass.NARRATIVE)
        else:
            self._other_text_line(n, s)

    def _other_text_line(self, n: int, s: str) -> None:
        if self.state == "preamble":
            self._set(n, LineClass.STRUCTURE, "appendix title")
        elif self.state == "title":
            self.section_label = f"{self.section_label} {clean_cell(s)}".strip()
            self._set(n, LineClass.STRUCTURE, "table title")
        elif _PAGE_NUMBER.match(s):
            self._set(n, LineClass.STRUCTURE, "page number")
        else:
            self._quarantine(
                n, "text line inside a table: expected a tab-separated row, a footnote or a table title"
            )

    def _tabbed_line(self, n: int, cells: list[str]) -> None:
        """A tab-separated line: a column header (first or repeated), column numbers, or a row."""
        named_header = _is_header_first(cells) or _is_value_header(cells)
        self.state = "table"
        if named_header or _is_column_numbers(cells):
            if named_header:
                self.columns = _columns_from_header(cells, self.columns)
            reason = "repeated table header" if self.section_rows else "table header"
            self._set(n, LineClass.STRUCTURE, reason)
            return
        if self._row_line(n, cells, self.columns, self.section_code, self.section_label):
            self.section_rows += 1

    def _quarantine(self, n: int, reason: str) -> None:
        self._set(n, LineClass.QUARANTINE, reason)

    def _row_line(
        self, n: int, cells: list[str], columns: _Columns, section_code: str, section_label: str
    ) -> bool:
        """Place one tab-separated line; True when it started a new row."""
        width = columns.width
        extra = [c for c in cells[width:] if c]
        if extra:
            self._quarantine(n, f"row has {len(cells)} cells, the table has {width} columns: extra {extra!r}")
            return False
        padded = cells + [""] * (width - len(cells))
        code = padded[columns.code]
        row_label = padded[columns.label]
        unit = padded[columns.unit]
        value = padded[columns.value]
        note = padded[columns.note]
        if not code and not row_label and not unit and not value and note:
            # A note continued on its own line after a page break: it belongs to the previous row.
            previous = self.candidates[-1] if self.candidates else None
            if previous is None or previous.section_code != section_code:
                self._quarantine(n, "note cell without a row above it in the same table")
                return False
            previous.note_parts.append(note)
            previous.note_lines.append(n)
            previous.line_end = n
            self._set(n, LineClass.STATISTIC)
            return False
        if not row_label:
            what = f"row code {code!r}" if code else "cells"
            self._quarantine(n, f"{what} without a label (expected code, label, unit, value, note)")
            return False
        if code and not (
            _DOTTED_CODE.match(code)
            or _ROMAN_CODE.match(code)
            or _LETTER_CODE.match(code)
            or _BULLET_CODE.match(code)
        ):
            self._quarantine(n, f"row code {code!r} is not a row number (expected e.g. '2.1.')")
            return False
        self.candidates.append(
            _Candidate(
                line_start=n,
                line_end=n,
                section_code=section_code,
                section_label=section_label,
                row_code=code,
                raw_label=row_label,
                raw_unit=unit,
                raw_value=value,
                note_parts=[note] if note else [],
            )
        )
        self._set(n, LineClass.STATISTIC)
        return True

    # -- rows -----------------------------------------------------------------------------------------

    def _build_rows(self) -> tuple[StatRow, ...]:
        by_section: dict[str, list[_Candidate]] = {}
        for cand in self.candidates:
            by_section.setdefault(cand.section_code, []).append(cand)
        for group in by_section.values():
            _resolve_hierarchy(group)

        built: list[tuple[_Candidate, ParsedValue]] = []
        for cand in self.candidates:
            try:
                value = parse_value(
                    cand.raw_value, cand.raw_unit, source_file=self.source_file, line=cand.line_start
                )
            except ValueParseError as exc:
                for n in (cand.line_start, *cand.note_lines):
                    self._quarantine(n, f"statistic row {cand.row_code!r} not loaded: {exc}")
                continue
            built.append((cand, value))

        parents = {(c.section_code, c.parent_path) for c, _ in built if c.parent_path is not None}
        rows: list[StatRow] = []
        for seq, (cand, value) in enumerate(built, start=1):
            raw_note = " ".join(cand.note_parts)
            rows.append(
                StatRow(
                    seq=seq,
                    line_start=cand.line_start,
                    line_end=cand.line_end,
                    section_code=cand.section_code,
                    section_label=cand.section_label,
                    row_code=cand.row_code,
                    row_path=cand.path,
                    parent_row_path=cand.parent_path,
                    depth=cand.depth,
                    is_group=(cand.section_code, cand.path) in parents,
                    raw_label=cand.raw_label,
                    label=clean_cell(cand.raw_label),
                    raw_unit=cand.raw_unit,
                    unit=clean_cell(cand.raw_unit),
                    value=value,
                    raw_note=raw_note,
                    note=clean_cell(raw_note),
                    note_facts=extract_note_facts(raw_note, cand.line_start, cand.line_end)
                    if raw_note
                    else (),
                    footnote_marks=footnote_marks(strip_markup(cand.raw_label)),
                )
            )
        return tuple(rows)


def _columns_from_header(cells: list[str], current: _Columns) -> _Columns:
    """Column positions read from a header line; positions it does not name keep their value."""
    keys = [label_key(c) for c in cells]
    found: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key in _HEADER_CODE_WORDS:
            found.setdefault("code", i)
        elif "chỉ tiêu" in key:
            found.setdefault("label", i)
        elif "ghi chú" in key:
            found.setdefault("note", i)
        elif key in ("đơn vị tính", "đvt"):
            found.setdefault("unit", i)
        elif key in _VALUE_HEADER_WORDS:
            found.setdefault("value", i)
    return _Columns(
        code=found.get("code", current.code),
        label=found.get("label", current.label),
        unit=found.get("unit", current.unit),
        value=found.get("value", current.value),
        note=found.get("note", current.note),
    )


def _resolve_hierarchy(group: list[_Candidate]) -> None:
    """Give the rows of one table their path, parent path and depth.

    * A multi-level code ("3.2.", "3.3.1.") is a native row: its path is its (canonical) code and its
      parent is the nearest earlier native row whose code is a prefix of it.
    * A single number ("1.") right after a deeper row is either the next top-level row or a restarted
      child of that deeper row ("3.2." then "1.", "2." -> "3.2./1.", "3.2./2."). It is a restart when
      its number continues the restart (1 after the deeper row, m+1 after child m) and not the
      top-level sequence; when it continues both, it is top-level only if the next numbered row is
      one of its own dotted children ("3." followed by "3.1."). A number that continues neither is
      top-level when it is beyond the last top-level number, else a restart.
    * Rows without a number (or with "-", "a)") are children of the last numbered row.
    * A path that already exists in the table gets "#k" appended, so paths stay unique.

    Paths are written with :mod:`ingest.families.row_paths`.
    """
    state = _TableHierarchy()
    for index, cand in enumerate(group):
        code = cand.row_code
        if _DOTTED_CODE.match(code):
            cand.numbers = tuple(int(p) for p in dotted_parts(code))
            if len(cand.numbers) >= 2:
                _place_multi_level(state, cand)
            else:
                _place_single_number(state, cand, group[index + 1 :])
            state.last = cand
        elif _ROMAN_CODE.match(code):
            _place(cand, state.book.claim(_canonical_code(code)), None, 1)
            state.last = cand
        else:
            _place_unnumbered(state, cand)


@dataclass
class _TableHierarchy:
    """What :func:`_resolve_hierarchy` knows while it walks the rows of one table."""

    native: dict[tuple[int, ...], _Candidate] = field(default_factory=dict)
    book: PathBook = field(default_factory=lambda: PathBook(mark="#"))
    last: _Candidate | None = None  # last numbered row
    last_top: int = 0


def _place_multi_level(state: _TableHierarchy, cand: _Candidate) -> None:
    numbers = cand.numbers
    prefixes = (numbers[:k] for k in range(len(numbers) - 1, 0, -1))
    parent = next((state.native[p] for p in prefixes if p in state.native), None)
    _place(cand, state.book.claim(_canonical_code(cand.row_code)), parent, len(numbers))
    state.native[numbers] = cand


def _place_single_number(state: _TableHierarchy, cand: _Candidate, rest: Sequence[_Candidate]) -> None:
    number = cand.numbers[0]
    restart_parent, next_restart = _restart_context(state.last)
    following = next((c for c in rest if _DOTTED_CODE.match(c.row_code)), None)
    if restart_parent is None or _continues_top_level(
        number, state.last_top, next_restart, following.row_code if following else ""
    ):
        _place(cand, state.book.claim(_canonical_code(cand.row_code)), None, 1)
        state.native[cand.numbers] = cand
        state.last_top = max(state.last_top, number)
        return
    path = state.book.claim(join_path(restart_parent.path, _canonical_code(cand.row_code)))
    _place(cand, path, restart_parent, restart_parent.depth + 1)
    cand.restart_parent = restart_parent


def _place_unnumbered(state: _TableHierarchy, cand: _Candidate) -> None:
    parent = state.last
    base = parent.path if parent is not None else ""
    ordinal = state.book.next_ordinal(base)
    segment = cand.row_code if _LETTER_CODE.match(cand.row_code) else ordinal_component(ordinal)
    path = state.book.claim(join_path(base, segment))
    _place(cand, path, parent, (parent.depth + 1) if parent is not None else 1)


def _continues_top_level(number: int, last_top: int, next_restart: int, following_code: str) -> bool:
    """Whether a single number after a deeper row is the next top-level row (else a restarted child)."""
    next_top = last_top + 1
    if number == next_top and number != next_restart:
        return True
    if number == next_restart and number != next_top:
        return False
    if number == next_top:  # continues both: top-level only if its own dotted children follow
        parts = following_code.strip(".").split(".")
        return len(parts) >= 2 and parts[0] == str(number)
    return number > last_top


def _place(cand: _Candidate, path: str, parent: _Candidate | None, depth: int) -> None:
    cand.path = path
    cand.parent_path = parent.path if parent is not None else None
    cand.depth = parent.depth + 1 if parent is not None else depth


def _restart_context(last: _Candidate | None) -> tuple[_Candidate | None, int]:
    """The row a restarted "1." would belong to, and the number that would continue the restart."""
    if last is None:
        return None, 0
    if last.restart_parent is not None and last.numbers:
        return last.restart_parent, last.numbers[0] + 1
    if len(last.numbers) >= 2:
        return last, 1
    return None, 0


TEMPLATE: TemplateFamily = FamilyParser(FAMILY, MARKERS, score, parse)
