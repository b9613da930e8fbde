"""Shared machinery for tab-separated statistics tables (the Sóc Trăng families).

The reports of these families are a title, a column-header row and one table whose cells are
separated by tabs. This module turns such a text into :class:`CellRow` objects (one per table row,
multi-line cells joined) and resolves each row's place in the section/group/item hierarchy
(:class:`PlacedRow`). Families map their columns, read the values and build the records.

Everything here is pure: text in, rows and line classes out.

Row assembly rules (:func:`assemble_rows`):

* A blank line is BLANK; a markdown table remnant (``--\\t--\\t---``) is STRUCTURE, unless both sit
  inside a multi-line row, in which case they belong to that row.
* A line whose STT and label cells are empty but which has text in other cells continues the cells of
  the row above it (a multi-line cell): its text is appended to the same columns, and every line from
  the row's first line to this one belongs to the row. Continuation fragments with fewer cells than
  the table that follow a blank line or a remnant are aligned to the right (the converter writes them
  as sub-tables without the STT column) when the family says so (``fragments_align_right``); other
  short lines are aligned to the left (trailing tabs lost).
* A row that lost its leading tab (label in the STT column, one cell short, or with an empty last
  cell) is shifted right by one cell.
* An STT cell that is neither a roman numeral, a whole number, ``-``/``+`` nor empty (e.g. ``1.2.3``)
  makes the line QUARANTINE (with its continuation lines), never a guessed row.
* A line without any tab inside the table is QUARANTINE; lines without tabs after the last tabbed line
  are STRUCTURE (signatures, end matter).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ingest.errors import ParseError, ValueParseError
from ingest.families.row_paths import PathBook, join_path, ordinal_component
from ingest.records import LineClass, LineRecord, ParseResult, StatRow
from ingest.text import clean_cell, footnote_marks, label_key, nfc, split_lines, strip_markup
from ingest.values import extract_note_facts, parse_value

__all__ = [
    "COLUMNS",
    "CellRow",
    "CodeKind",
    "PlacedRow",
    "TableSpec",
    "assemble_rows",
    "classify_code",
    "find_header",
    "header_cells",
    "is_dash_label",
    "is_stt_header",
    "is_table_remnant",
    "parse_table",
    "resolve_hierarchy",
    "roman_section_count",
    "split_cells",
]

# Semantic column names a family maps its columns to.
COLUMNS = ("code", "label", "unit", "value", "note")

_ROMAN = re.compile(r"(?=[IVXL])L?X{0,3}(?:IX|IV|V?I{0,3})\.?")
_INTEGER = re.compile(r"\d{1,3}\.?")
_DASH_CODE = re.compile(r"[-–—+]")
_DASH_LABEL = re.compile(r"[-–—+]\s")
_REMNANT = re.compile(r"[\s|:]*-{2,}[\s|:\-]*")
# An STT cell that tries to be a number (digits, roman letters, dots...) but is not a valid one.
_CODE_ATTEMPT = re.compile(r"[0-9IVXLivxl.,:;()\-/ ]{1,12}")


class CodeKind(StrEnum):
    """What the STT cell of a row says."""

    SECTION = "section"  # a roman numeral: I, II, ..., with or without a dot
    NUMBER = "number"  # a whole number: 1, 12, "3."
    DASH = "dash"  # "-" or "+": a sub-item mark written in the STT column
    NONE = "none"  # empty
    INVALID = "invalid"  # anything else that looks like a number ("1.2.3", "2..")


def split_cells(line: str) -> list[str]:
    """The tab-separated cells of a line (text as written)."""
    return line.split("\t")


def is_table_remnant(line: str) -> bool:
    """A markdown table rule left over from the conversion: ``--\\t--\\t---``."""
    return bool(_REMNANT.fullmatch(line))


def classify_code(raw_code: str) -> CodeKind:
    """Classify an STT cell (markup removed first)."""
    code = clean_cell(raw_code)
    if not code:
        return CodeKind.NONE
    if _ROMAN.fullmatch(code):
        return CodeKind.SECTION
    if _INTEGER.fullmatch(code):
        return CodeKind.NUMBER
    if _DASH_CODE.fullmatch(code):
        return CodeKind.DASH
    return CodeKind.INVALID


def _is_code_attempt(raw_cell: str) -> bool:
    """True when a cell that is not a valid code still looks like a (broken) row number."""
    cell = clean_cell(raw_cell)
    return bool(cell) and bool(_CODE_ATTEMPT.fullmatch(cell)) and any(ch.isdigit() for ch in cell)


def is_dash_label(raw_label: str) -> bool:
    """A label written as a sub-item: ``- Số TTHC áp dụng tại UBND cấp huyện:``."""
    return bool(_DASH_LABEL.match(clean_cell(raw_label) + " "))


def find_header(lines: Sequence[str], is_header: Callable[[list[str]], bool]) -> int | None:
    """Index (0-based) of the first line whose cells satisfy ``is_header``, or None."""
    for index, line in enumerate(lines):
        if "\t" in line and is_header(split_cells(line)):
            return index
    return None


def roman_section_count(lines: Sequence[str]) -> int:
    """How many tabbed lines start with a roman numeral cell followed by a label (cheap score signal)."""
    count = 0
    for line in lines:
        if "\t" not in line:
            continue
        cells = split_cells(line)
        if len(cells) >= 2 and classify_code(cells[0]) is CodeKind.SECTION and clean_cell(cells[1]):
            count += 1
    return count


@dataclass(frozen=True)
class CellRow:
    """One row of the table with its cells joined over all the lines it spans (raw text, NFC)."""

    line_start: int
    line_end: int
    code: str
    label: str
    unit: str
    value: str
    note: str

    @property
    def code_kind(self) -> CodeKind:
        return classify_code(self.code)

    def cleaned(self, column: str) -> str:
        text: str = getattr(self, column)
        return clean_cell(text)


@dataclass
class _RowBuilder:
    line_start: int
    line_end: int
    parts: dict[str, list[str]] = field(default_factory=dict)

    def add(self, cells: dict[str, str], line_no: int) -> None:
        for column, text in cells.items():
            if text.strip():
                self.parts.setdefault(column, []).append(text.strip())
        self.line_end = line_no

    def build(self) -> CellRow:
        joined = {column: " ".join(self.parts.get(column, [])) for column in COLUMNS}
        return CellRow(line_start=self.line_start, line_end=self.line_end, **joined)


@dataclass
class _Assembly:
    columns: tuple[str, ...]
    fragments_align_right: bool
    records: dict[int, LineRecord] = field(default_factory=dict)
    rows: list[CellRow] = field(default_factory=list)
    pending: list[LineRecord] = field(default_factory=list)
    current: _RowBuilder | None = None
    quarantined_row_line: int | None = None
    seen_row: bool = False

    def flush_pending(self) -> None:
        for record in self.pending:
            self.records[record.line_no] = record
        self.pending.clear()

    def finish_row(self) -> None:
        if self.current is not None:
            self.rows.append(self.current.build())
            self.current = None
        self.flush_pending()

    def quarantine(self, line_no: int, reason: str) -> None:
        self.flush_pending()
        self.records[line_no] = LineRecord(line_no, LineClass.QUARANTINE, reason)


def _align(cells: list[str], ncols: int, right: bool) -> list[str] | None:
    """Cells padded or trimmed to ``ncols``; None when non-empty cells overflow the table."""
    while len(cells) > ncols and not cells[-1].strip():
        cells = cells[:-1]
    if len(cells) > ncols:
        return None
    missing = ncols - len(cells)
    return [""] * missing + cells if right else cells + [""] * missing


def assemble_rows(
    lines: Sequence[str],
    start: int,
    columns: tuple[str, ...],
    *,
    is_header: Callable[[list[str]], bool],
    fragments_align_right: bool = False,
) -> tuple[list[CellRow], dict[int, LineRecord]]:
    """Read the table that starts at ``lines[start]`` (0-based, the line after the column header).

    ``columns`` names the table's columns in order (each one of :data:`COLUMNS`; the first must be
    ``code`` and the second ``label``). Returns the rows and the line records of every line from
    ``start`` on that is NOT part of a row (rows' lines are classified by the family, which knows
    whether a row is a statistic or a bare section title).
    """
    if columns[:2] != ("code", "label"):
        raise ValueError("a table's first two columns must be code and label")
    ncols = len(columns)
    state = _Assembly(columns, fragments_align_right)
    last_tabbed = max((i for i, line in enumerate(lines) if "\t" in line), default=-1)

    for index in range(start, len(lines)):
        line_no = index + 1
        line = lines[index]
        if not line.strip():
            state.pending.append(LineRecord(line_no, LineClass.BLANK))
            continue
        if is_table_remnant(line):
            state.pending.append(LineRecord(line_no, LineClass.STRUCTURE, "markdown table remnant"))
            continue
        if "\t" not in line:
            state.finish_row()
            state.quarantined_row_line = None
            if index > last_tabbed:
                state.records[line_no] = LineRecord(line_no, LineClass.STRUCTURE, "text after the table")
            else:
                state.quarantine(line_no, f"no tab-separated cells; expected a table row of {ncols} columns")
            continue
        cells = split_cells(line)
        if is_header(cells):
            state.finish_row()
            state.records[line_no] = LineRecord(line_no, LineClass.STRUCTURE, "repeated column header")
            continue
        _take_line(state, cells, line_no, ncols)
    state.finish_row()
    return state.rows, state.records


def _take_line(state: _Assembly, cells: list[str], line_no: int, ncols: int) -> None:
    columns = state.columns
    # A short fragment is a right-aligned sub-table only where the converter writes those: after a
    # blank line or a table remnant, below a row. "\tLabel\t5" right under a row is a row that lost
    # its trailing tab.
    right = (
        state.fragments_align_right
        and len(cells) < ncols
        and not cells[0].strip()
        and bool(state.pending)
        and state.current is not None
    )
    aligned = _align(cells, ncols, right=right)
    if aligned is None:
        state.finish_row()
        state.quarantine(line_no, f"{len(cells)} non-empty tab-separated cells; the table has {ncols}")
        return
    if aligned[0].strip() == "" and aligned[1].strip() == "":
        _take_fragment(state, dict(zip(columns, aligned, strict=True)), line_no)
        return
    kind = classify_code(aligned[0])
    if kind is CodeKind.INVALID and not _is_code_attempt(aligned[0]):
        # The row lost its leading tab: its label sits in the STT column.
        shifted = _align(["", *cells], ncols, right=False)
        if shifted is None:
            state.finish_row()
            state.quarantine(
                line_no, f"label in the STT column and {len(cells)} cells; the table has {ncols}"
            )
            return
        aligned = shifted
        kind = CodeKind.NONE
    state.finish_row()
    state.seen_row = True
    if kind is CodeKind.INVALID:
        state.quarantine(
            line_no,
            f"unexpected row number {clean_cell(aligned[0])!r} in the STT column "
            "(expected a roman section numeral, a whole number, '-' or nothing)",
        )
        state.quarantined_row_line = line_no
        return
    state.quarantined_row_line = None
    state.current = _RowBuilder(line_no, line_no)
    state.current.add(dict(zip(columns, aligned, strict=True)), line_no)


def _take_fragment(state: _Assembly, cells: dict[str, str], line_no: int) -> None:
    if not state.seen_row:
        state.flush_pending()
        state.records[line_no] = LineRecord(line_no, LineClass.STRUCTURE, "column header (continued)")
        return
    if state.quarantined_row_line is not None:
        state.flush_pending()
        state.quarantine(line_no, f"continuation of the quarantined row at line {state.quarantined_row_line}")
        return
    if state.current is None:
        state.quarantine(line_no, "cell text without a row (empty STT and label, no row above)")
        return
    # The blank lines and remnants between the row and this fragment are part of the row.
    state.pending.clear()
    state.current.add(cells, line_no)


# ---------------------------------------------------------------------------------------------------
# Hierarchy
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacedRow:
    """A row with its resolved place in the section / group / item hierarchy."""

    row: CellRow
    is_section: bool
    section_code: str
    section_label: str
    row_code: str
    row_path: str
    parent_row_path: str | None
    depth: int
    is_group: bool


@dataclass
class _Node:
    path: str
    row: CellRow

    @property
    def bare(self) -> bool:
        """No unit, value or note: a heading only."""
        return not (self.row.cleaned("unit") or self.row.cleaned("value") or self.row.cleaned("note"))


@dataclass
class _Resolver:
    section_code: str = ""
    section_label: str = ""
    section_path: str = ""
    group: _Node | None = None
    subgroup: _Node | None = None
    group_has_subgroups: bool = False
    item: _Node | None = None
    previous: _Node | None = None
    book: PathBook = field(default_factory=PathBook)

    def child_path(self, parent: str, code: str) -> str:
        """A unique path for a child of ``parent`` (``""`` = top level) printed as ``code``."""
        ordinal = self.book.next_ordinal(parent)
        if not code:
            return self.book.claim(join_path(parent, ordinal_component(ordinal)))
        return self.book.numbered_child(parent, code)

    def has_children(self, node: _Node) -> bool:
        return self.book.ordinals[node.path] > 0

    def container(self) -> _Node | None:
        return self.subgroup or self.group

    def holder_path(self, holder: _Node | None) -> str:
        return holder.path if holder is not None else self.section_path


@dataclass(frozen=True)
class _Placement:
    row: CellRow
    is_section: bool
    section_code: str
    section_label: str
    row_code: str
    path: str
    parent: str | None


def _path_code(raw_code: str) -> str:
    """The printed code as a path component: markup and surrounding spaces removed."""
    return clean_cell(raw_code).replace("/", "-")


def _is_dash_row(row: CellRow) -> bool:
    return row.code_kind is CodeKind.DASH or is_dash_label(row.label)


def _place_section(state: _Resolver, row: CellRow, code: str) -> _Placement:
    section = code.rstrip(".")
    state.section_code = section
    state.section_label = row.cleaned("label")
    state.section_path = state.child_path("", section)
    state.group = state.subgroup = state.item = None
    state.group_has_subgroups = False
    state.previous = _Node(state.section_path, row)
    return _Placement(row, True, section, state.section_label, section, state.section_path, None)


def _opens_subgroup(state: _Resolver, row: CellRow, next_row: CellRow | None) -> bool:
    """Whether a numbered row is a sub-group of the open group (see :func:`resolve_hierarchy`)."""
    group = state.group
    if group is None or row.cleaned("unit") or row.cleaned("value"):
        return False
    if state.previous is group and group.bare and not state.has_children(group):
        return True
    return state.group_has_subgroups and next_row is not None and _is_dash_row(next_row)


def _place_numbered(state: _Resolver, row: CellRow, code: str, next_row: CellRow | None) -> tuple[str, _Node]:
    group = state.group
    if group is not None and _opens_subgroup(state, row, next_row):
        node = _Node(state.child_path(group.path, code), row)
        state.subgroup = node
        state.group_has_subgroups = True
        parent = group.path
    else:
        parent = state.section_path
        node = _Node(state.child_path(parent, code), row)
        state.group = node
        state.subgroup = None
        state.group_has_subgroups = False
    state.item = None
    return parent, node


def _place_row(state: _Resolver, row: CellRow, next_row: CellRow | None) -> _Placement:
    kind = row.code_kind
    code = _path_code(row.code) if kind is CodeKind.NUMBER else ""
    dash = _is_dash_row(row)
    if kind is CodeKind.NUMBER and not dash:
        parent, node = _place_numbered(state, row, code, next_row)
    elif dash:
        parent = state.holder_path(state.item or state.container())
        node = _Node(state.child_path(parent, code), row)
    else:
        parent = state.holder_path(state.container())
        node = _Node(state.child_path(parent, code), row)
        state.item = node
    state.previous = node
    parent_path = parent if parent and parent != state.section_path else None
    return _Placement(
        row, False, state.section_code, state.section_label, clean_cell(row.code), node.path, parent_path
    )


def resolve_hierarchy(rows: Sequence[CellRow]) -> list[PlacedRow]:
    """Place every row in the hierarchy of its table.

    Rules (the template family's, not one sample's):

    * a roman numeral in the STT column starts a section (path ``I``); rows before any section have
      section_code ``""`` and paths without a section prefix;
    * a whole number starts a group under the section (``I/3``);
    * an unnumbered row is an item of the current group (``I/3/#2``: ``#n`` is its ordinal among all
      the children of that parent, numbered or not), or of the section when no group is open;
    * a row whose label starts with ``- `` (or ``+ ``), or whose STT is ``-``, is a sub-item of the
      last plain item of the current group, or a child of the group when it has no plain item yet.
      Such a row keeps a printed number if it has one (``9 - Số lượng ...``): the number is its code;
    * a numbered heading (no unit, value or note) immediately followed by another numbered heading
      (no unit, no value) makes the second one a sub-group of the first (``VII/7/8``); once a group has
      sub-groups, a later numbered heading without unit and value whose next row is a ``- `` row is
      another sub-group of it; any other numbered row closes the sub-groups and starts a new group;
    * repeated printed codes under the same parent (``6``, ``7`` twice in section I) are made unique
      with ``~k``, k being the occurrence (``I/6~2``); a repeated section numeral likewise (``I~2``).

    Paths are written with :mod:`ingest.families.row_paths`. ``depth`` is 0 for a section row and the
    number of levels below the section otherwise; ``parent_row_path`` is None for rows directly under
    their section; ``is_group`` is True when later rows sit under the row (for a section row: when the
    section has rows).
    """
    state = _Resolver()
    placed: list[_Placement] = []
    for index, row in enumerate(rows):
        if row.code_kind is CodeKind.SECTION:
            placed.append(_place_section(state, row, _path_code(row.code)))
            continue
        next_row = rows[index + 1] if index + 1 < len(rows) else None
        placed.append(_place_row(state, row, next_row))
    return _finish(placed)


def _finish(placed: list[_Placement]) -> list[PlacedRow]:
    parents = {p.parent for p in placed if p.parent is not None}
    sections_with_rows = {p.path.split("/", 1)[0] for p in placed if not p.is_section and p.section_code}
    result: list[PlacedRow] = []
    for p in placed:
        if p.is_section:
            depth = 0
            is_group = p.path in sections_with_rows
        else:
            depth = p.path.count("/") + (0 if p.section_code else 1)
            is_group = p.path in parents
        result.append(
            PlacedRow(
                row=p.row,
                is_section=p.is_section,
                section_code=p.section_code,
                section_label=p.section_label,
                row_code=p.row_code,
                row_path=p.path,
                parent_row_path=p.parent,
                depth=depth,
                is_group=is_group,
            )
        )
    return result


# ---------------------------------------------------------------------------------------------------
# Whole table -> ParseResult
# ---------------------------------------------------------------------------------------------------

_STT_HEADERS = frozenset({"stt", "tt", "số tt", "thứ tự", "số thứ tự"})


def is_stt_header(cells: list[str]) -> bool:
    """A column-header row: an STT / THỨ TỰ cell followed by an indicator ("chỉ tiêu") cell."""
    return len(cells) >= 2 and label_key(cells[0]) in _STT_HEADERS and "chỉ tiêu" in label_key(cells[1])


def header_cells(line: str) -> list[str]:
    """The cleaned cells of a header line, trailing empty cells dropped."""
    cells = [clean_cell(cell) for cell in split_cells(line)]
    while cells and not cells[-1]:
        cells.pop()
    return cells


@dataclass(frozen=True)
class TableSpec:
    """How one family's table is laid out."""

    family: str
    columns: tuple[str, ...]  # semantic column names in order, see COLUMNS
    unit_in_value: bool  # True when the unit is written inside the value cell ("25 Nhiệm vụ")
    fragments_align_right: bool  # short continuation fragments are right-aligned sub-tables


def parse_table(text: str, source_file: str, spec: TableSpec) -> ParseResult:
    """Parse a report made of a title, a column header and one tab-separated statistics table.

    Lines above the column header are title lines (STRUCTURE, or BLANK). A section title row is
    STRUCTURE unless it carries a value, a unit or a note: then it is a StatRow of depth 0 (a note alone
    is enough, so that no text is dropped). Group rows without a value are StatRows with an EMPTY value.
    Every line of a row's span (blank lines and remnants inside a multi-line cell included) is
    STATISTIC. A row whose value cell cannot be read (:class:`ValueParseError`) is QUARANTINE with the
    error message as reason, and produces no StatRow. There is no narrative in these families.

    Raises:
        ParseError: no column header row, a header with the wrong number of columns, or no row.
    """
    lines = split_lines(nfc(text))
    header_index = _column_header(lines, source_file, spec)
    records = _title_records(header_index)
    for index in range(header_index):
        if not lines[index].strip():
            records[index + 1] = LineRecord(index + 1, LineClass.BLANK)
    cell_rows, table_records = assemble_rows(
        lines,
        header_index + 1,
        spec.columns,
        is_header=is_stt_header,
        fragments_align_right=spec.fragments_align_right,
    )
    records.update(table_records)
    if not cell_rows:
        raise ParseError(
            "the table has no rows below its column header", source_file=source_file, line=header_index + 1
        )
    stat_rows = _statistic_rows(cell_rows, records, source_file, spec)
    missing = [n for n in range(1, len(lines) + 1) if n not in records]
    if missing:  # pragma: no cover - every branch above classifies its lines
        raise ParseError(f"internal error: lines {missing[:5]} were not classified", source_file=source_file)
    return ParseResult(
        family=spec.family,
        source_file=source_file,
        line_count=len(lines),
        rows=tuple(stat_rows),
        narrative=(),
        lines=tuple(records[n] for n in range(1, len(lines) + 1)),
    )


def _column_header(lines: Sequence[str], source_file: str, spec: TableSpec) -> int:
    """Index (0-based) of the table's column header line; ParseError when absent or of the wrong width."""
    header_index = find_header(lines, is_stt_header)
    if header_index is None:
        raise ParseError(
            f"no column header row found; expected a tab-separated row starting with 'STT' (or 'THỨ TỰ') "
            f"and a 'Chỉ tiêu' column, for a {len(spec.columns)}-column {spec.family} table",
            source_file=source_file,
        )
    found = header_cells(lines[header_index])
    if len(found) != len(spec.columns):
        raise ParseError(
            f"column header has {len(found)} columns ({' | '.join(found)}); "
            f"a {spec.family} table has {len(spec.columns)}",
            source_file=source_file,
            line=header_index + 1,
        )
    return header_index


def _title_records(header_index: int) -> dict[int, LineRecord]:
    """The lines above the column header (titles) and the column header itself: STRUCTURE."""
    records = {n: LineRecord(n, LineClass.STRUCTURE, "title") for n in range(1, header_index + 1)}
    records[header_index + 1] = LineRecord(header_index + 1, LineClass.STRUCTURE, "column header")
    return records


def _statistic_rows(
    cell_rows: Sequence[CellRow], records: dict[int, LineRecord], source_file: str, spec: TableSpec
) -> list[StatRow]:
    """The StatRows of a table; classifies every line of every row in ``records``."""
    stat_rows: list[StatRow] = []
    for placed in resolve_hierarchy(cell_rows):
        row = placed.row
        span = range(row.line_start, row.line_end + 1)
        has_content = any(row.cleaned(column) for column in ("unit", "value", "note"))
        if placed.is_section and not has_content:
            records.update((n, LineRecord(n, LineClass.STRUCTURE, "section title")) for n in span)
            continue
        try:
            stat_rows.append(_stat_row(placed, len(stat_rows) + 1, source_file, spec))
        except ValueParseError as exc:
            reason = f"unreadable value: {exc.message}"
            records.update((n, LineRecord(n, LineClass.QUARANTINE, reason)) for n in span)
            continue
        records.update((n, LineRecord(n, LineClass.STATISTIC)) for n in span)
    return stat_rows


def _stat_row(placed: PlacedRow, seq: int, source_file: str, spec: TableSpec) -> StatRow:
    row = placed.row
    if spec.unit_in_value:
        value = parse_value(row.value, source_file=source_file, line=row.line_start)
        raw_unit = ""
        unit = value.unit_in_value or ""
    else:
        value = parse_value(row.value, row.unit, source_file=source_file, line=row.line_start)
        raw_unit = row.unit
        unit = clean_cell(row.unit)
    return StatRow(
        seq=seq,
        line_start=row.line_start,
        line_end=row.line_end,
        section_code=placed.section_code,
        section_label=placed.section_label,
        row_code=placed.row_code,
        row_path=placed.row_path,
        parent_row_path=placed.parent_row_path,
        depth=placed.depth,
        is_group=placed.is_group,
        raw_label=row.label,
        label=clean_cell(row.label),
        raw_unit=raw_unit,
        unit=unit,
        value=value,
        raw_note=row.note,
        note=clean_cell(row.note),
        note_facts=extract_note_facts(row.note, row.line_start, row.line_end),
        footnote_marks=footnote_marks(strip_markup(row.label)),
    )
