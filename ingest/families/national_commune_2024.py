"""Commune version of the national CCHC form, as text extracted from a PDF (Nam Định 2024 ...).

The file is a narrative report (prose wrapped at page width, headings, closing and
signature) followed by the statistics table. The table has no column separators:
every row is "code label unit value note" flattened with spaces, often broken over
several lines, and the table's column header block is repeated at every page break,
sometimes in the middle of a row.

How a row is split (by the family's vocabulary, never by a sample's wording): the unit
column takes its values from a small set of units of the national form (``UNITS``) or
is a code list ("Có = 1; Không = 0"). The split point is the LAST unit in the row text
such that what follows reads as a value (``ingest.values.parse_value``) and an optional
note; everything before it is the label, so typos in labels do not matter.

Hierarchy (``row_path``): codes are kept as printed. A dotted code's parent is the
latest earlier row of the section whose code is the code without its last part
("3.1" for "3.1.2", trailing dots ignored). When the form misnumbers and that row does
not exist ("3.3.1" printed under "3.2" with no "3.3"), the parent is the latest earlier
numbered row of the section with one part less and the same first part, failing that
the latest with fewer parts, failing that the section. Rows without a number ("") and
dash rows ("-") hang under the latest numbered row of the section (the section itself
when there is none) and get "#n", their ordinal among such rows of that parent. A path
already used in the report gets "~2", "~3" ... appended so that paths stay unique.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.errors import ParseError, ValueParseError
from ingest.families.contract import FamilyParser, TemplateFamily
from ingest.families.row_paths import PathBook, dotted_parts, join_path
from ingest.records import (
    LineClass,
    LineRecord,
    NarrativeBlock,
    ParsedValue,
    ParseResult,
    StatRow,
    ValueKind,
)
from ingest.text import clean_cell, footnote_marks, nfc, split_lines
from ingest.values import code_list, extract_note_facts, parse_value

FAMILY = "national_commune_2024"

MARKERS = ("untabbed rows coded '3.3.1'", "header 'Đơn vị tính Số liệu'", "'cấp xã'")

# The unit column of the national CCHC form (commune version) takes its values from this
# small vocabulary. Written as in the form (first letter capitalized); matched first
# case-sensitively, then case-insensitively as a fallback (a fallback match must be followed
# by a value). Longer units sharing an end with a shorter one ("Cơ quan, đơn vị" / "đơn vị")
# win; "," or "/" between the words of a unit are both accepted. Code lists ("Có = 1; Không = 0")
# are recognized separately. Do NOT add words that commonly end notes ("nhóm" in "2 nhóm"):
# a unit at the very end of a row with no value after it is read as an empty value.
UNITS: tuple[str, ...] = (
    "Cơ quan, đơn vị",
    "Cơ quan",
    "Đơn vị",
    "Văn bản",
    "Nhiệm vụ",
    "Vấn đề",
    "%",
    "Thủ tục",
    "Hồ sơ",
    "Người",
    "PAKN",
    "Số lượng",
    "Triệu đồng",
    "Tỷ đồng",
    "Ban",
    "Tổ chức",
    "Cuộc",
    "Lớp",
    "Phiếu",
    "Kiến nghị",
)

# Single words (compared case-insensitively) that are values by themselves.
VALUE_WORDS: tuple[str, ...] = ("chưa", "không", "có", "đạt", "chưa có", "không có", "x")

# --------------------------------------------------------------------------------------------
# Line patterns
# --------------------------------------------------------------------------------------------

_ROMAN = r"(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)"
# A table section row: "I CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH" (roman numeral, upper-case label).
_SECTION = re.compile(rf"^\s*(?P<code>{_ROMAN})\.?\s+(?P<label>\S.*?)\s*$")
# A dotted row code: "2.1", "3.3.1", "1.1.", "2." (parts of 1-2 digits: "1.228" is a number).
_DOTTED_CODE = re.compile(r"^\s*(?P<code>\d{1,2}(?:\.\d{1,2})*\.|\d{1,2}(?:\.\d{1,2})+)(?:\s+|$)")
# A plain integer code: "1", "12".
_INT_CODE = re.compile(r"^\s*(?P<code>\d{1,2})(?:\s+|$)")
_DASH_CODE = re.compile(r"^\s*(?P<code>[-–+])\s+(?=\S)")
_STARTS_WITH_LETTER = re.compile(r"^\s*[^\W\d_]")
_SENTENCE_END = re.compile(r"[.;:!?]\)?\s*$|\)\.\s*$")

# Column header block of the table, repeated at page breaks (compared on cleaned lower-case text).
_HEADER_LINES: tuple[re.Pattern[str], ...] = (
    re.compile(r"^stt\.?$"),
    re.compile(r"^chỉ tiêu th[ốô]ng kê\b.*$"),
    re.compile(r"^\(sử dụng trong kỳ báo cáo.*\)?$"),
    re.compile(r"^kết quả th[ốô]ng kê$"),
    re.compile(r"^ghi chú$"),
    re.compile(r"^đơn vị tính(\s+số liệu)?$"),
    re.compile(r"^số liệu$"),
)
_HEADER_ANCHORS = (0, 1)  # a block must contain "STT" or "Chỉ tiêu thống kê"

# Narrative part.
_ROMAN_HEADING = re.compile(rf"^\s*{_ROMAN}\.\s+\S")
_NUMBERED_ITEM = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\.\s+\S")
_BULLET_ITEM = re.compile(r"^\s*(?:[-–+*•]\s+|[a-zđ][).]\s+)\S")
_CLOSING_START = re.compile(r"(trân trọng báo cáo|^\s*nơi nhận\s*:|^\s*(?:tm|kt|tl)\.\s)", re.IGNORECASE)
_TITLE_LINE = re.compile(
    r"^\s*(?:số\s*:\s*\S+/|độc lập\s*[-–]\s*tự do|.{0,60},\s*ngày\s+\S+\s+tháng\s+\S+\s+năm\s+\d{4}\s*$)",
    re.IGNORECASE,
)
_MAX_HEADING_WORDS = 15

# Code lists in the unit column: "Có = 1; Không = 0", "Trực tuyến = 0 Phát phiếu = 1 ...".
_CODE_EQ = re.compile(r"\s*=\s*(\d+)")
_CODE_SEPARATORS = " ;,"


def _is_upper_text(text: str) -> bool:
    """True when the text has letters and none of them is lower-case."""
    letters = 0
    for c in text:
        if c.isalpha():
            if c.islower():
                return False
            letters += 1
    return letters >= 2


def _header_match(text: str) -> int | None:
    key = clean_cell(text).lower()
    for i, pattern in enumerate(_HEADER_LINES):
        if pattern.match(key):
            return i
    return None


# --------------------------------------------------------------------------------------------
# Splitting "label unit value note"
# --------------------------------------------------------------------------------------------


def _unit_pattern(unit: str) -> str:
    parts = [re.escape(p) for p in re.split(r"[\s,/]+", unit) if p]
    body = r"\s*[,/]?\s*".join(parts)
    if unit == "%":  # "90%" / "90 %" is a percent value, not the unit column
        body = r"(?<!\d)(?<!\d\s)" + body
    if unit[0].isalnum():
        body = r"(?<!\w)" + body
    if unit[-1].isalnum():
        body += r"(?!\w)"
    return body


_UNIT_PATTERNS_CS = tuple(re.compile(_unit_pattern(u)) for u in UNITS)
_UNIT_PATTERNS_CI = tuple(re.compile(_unit_pattern(u), re.IGNORECASE) for u in UNITS)


@dataclass(frozen=True)
class Split:
    """Where the unit, value and note are in a row's text (character offsets)."""

    unit_start: int
    unit_end: int
    value_start: int
    value_end: int
    raw_unit: str
    unit: str  # cleaned; code lists as "Có = 1; Không = 0"
    raw_value: str
    value: ParsedValue
    is_code_list: bool


def _code_list_runs(text: str) -> list[tuple[int, int, str]]:
    """Spans of code lists in a text, with their normalized form "A = 1; B = 0"."""
    runs: list[tuple[int, int, str]] = []
    start = -1
    end = -1
    items: list[str] = []
    prev_end = 0
    for m in _CODE_EQ.finditer(text):
        region = text[prev_end : m.start()]
        words = region.strip(_CODE_SEPARATORS).split()
        if start >= 0 and 0 < len(words) <= 4 and not re.search(r"=", region):
            items.append(f"{' '.join(words)} = {int(m.group(1))}")
            end = m.end()
        else:
            if start >= 0:
                runs.append((start, end, "; ".join(items)))
            # First item of a run: the longest suffix (<= 3 words) whose first word is capitalized
            # and the others are not ("tổ chức Có = 1" -> "Có", "Trực tuyến = 0").
            region_words = list(re.finditer(r"[^\s;,]+", region))
            name_start = -1
            for k in range(1, min(3, len(region_words)) + 1):
                chosen = region_words[-k:]
                first, rest = chosen[0].group(), [w.group() for w in chosen[1:]]
                if first[0].isupper() and not any(w[0].isupper() for w in rest):
                    name_start = prev_end + chosen[0].start()
            if name_start < 0:
                start = -1
                items = []
            else:
                start = name_start
                end = m.end()
                items = [f"{' '.join(text[name_start : m.start()].split())} = {int(m.group(1))}"]
        prev_end = m.end()
    if start >= 0:
        runs.append((start, end, "; ".join(items)))
    return runs


def _read_value(tail: str, unit: str) -> tuple[int, ParsedValue] | None:
    """The value at the start of ``tail``: (its length in ``tail``, parsed value), or None."""
    tokens = list(re.finditer(r"\S+", tail))
    for k in (1, 2):
        if len(tokens) < k:
            break
        end = tokens[k - 1].end()
        raw = tail[:end]
        try:
            parsed = parse_value(raw, unit)
        except ValueParseError:
            continue
        if parsed.kind in (ValueKind.COUNT, ValueKind.PERCENT, ValueKind.RATIO, ValueKind.CODE):
            return end, parsed
        if parsed.kind is ValueKind.EMPTY and parsed.unit_in_value is None:
            return end, parsed
        if parsed.kind is ValueKind.TEXT and clean_cell(raw).lower() in VALUE_WORDS:
            return end, parsed
    return None


@lru_cache(maxsize=1 << 14)  # pure; row texts repeat across reports of the family
def split_row_text(text: str, *, require_label: bool = True) -> Split | None:
    """Find unit, value and note in the text of a row (without its code).

    Candidates are the known units and code lists, tried from the right (by end, then longest);
    the first one followed by nothing (empty value) or by a value (+ a note) wins. A
    case-insensitive second pass accepts a unit only when a value follows it.
    """
    candidates: list[tuple[int, int, str, bool, bool]] = []  # start, end, unit, is_code, fallback
    runs = _code_list_runs(text)
    for start, end, normalized in runs:
        candidates.append((start, end, normalized, True, False))

    def inside_run(pos: int) -> bool:
        return any(s <= pos < e for s, e, _ in runs)

    for fallback, patterns in ((False, _UNIT_PATTERNS_CS), (True, _UNIT_PATTERNS_CI)):
        for pattern in patterns:
            for m in pattern.finditer(text):
                if not inside_run(m.start()):
                    candidates.append((m.start(), m.end(), clean_cell(m.group()), False, fallback))
    candidates.sort(key=lambda c: (c[4], -c[1], c[0]))
    for start, end, unit, is_code, fallback in candidates:
        label = text[:start].strip()
        if require_label and not label:
            continue
        tail = text[end:]
        stripped = tail.strip()
        if not stripped:
            if fallback:
                continue
            value = parse_value("", unit)
            return Split(start, end, len(text), len(text), text[start:end], unit, "", value, is_code)
        lead = len(tail) - len(tail.lstrip())
        read = _read_value(tail[lead:], unit)
        if read is None:
            continue
        length, value = read
        value_start = end + lead
        return Split(
            start,
            end,
            value_start,
            value_start + length,
            text[start:end],
            unit,
            text[value_start : value_start + length],
            value,
            is_code,
        )
    return None


# --------------------------------------------------------------------------------------------
# Table rows
# --------------------------------------------------------------------------------------------


@dataclass
class _Chunk:
    """The lines of one table row while it is being read."""

    code: str
    code_kind: str  # "dotted" | "int" | "dash" | "none"
    section_code: str
    section_label: str
    segments: list[tuple[int, str]] = field(default_factory=list)  # (line_no, text) content lines
    split: Split | None = None
    text: str = ""
    offsets: list[tuple[int, int]] = field(default_factory=list)  # (start offset, line_no)

    def add(self, line_no: int, text: str) -> None:
        self.segments.append((line_no, text.strip()))
        pieces: list[str] = []
        self.offsets = []
        pos = 0
        for no, seg in self.segments:
            if not seg:
                continue
            if pieces:
                pos += 1
            self.offsets.append((pos, no))
            pieces.append(seg)
            pos += len(seg)
        self.text = " ".join(pieces)
        self.split = split_row_text(self.text, require_label=self.code_kind == "none")

    def line_at(self, offset: int) -> int:
        line = self.offsets[0][1] if self.offsets else self.segments[0][0]
        for start, no in self.offsets:
            if start <= offset:
                line = no
        return line

    @property
    def line_start(self) -> int:
        return self.segments[0][0]

    @property
    def line_end(self) -> int:
        return self.segments[-1][0]

    def awaiting_code_value(self) -> dict[int, str] | None:
        """The code list of a row whose code-list unit is read but whose value is not yet."""
        s = self.split
        if s is None or not s.is_code_list or s.value.kind is not ValueKind.EMPTY:
            return None
        if self.text[s.unit_end :].strip():
            return None
        return code_list(s.unit)


def _strip_code(text: str, pattern: re.Pattern[str]) -> tuple[str, str]:
    m = pattern.match(text)
    if m is None:  # pragma: no cover - callers matched before
        return "", text
    return m.group("code"), text[m.end() :]


def _line_forms_row(text: str) -> bool:
    """True when a line alone reads as "label unit [value [note]]" with a label of 2+ words."""
    s = split_row_text(text.strip())
    return s is not None and len(text.strip()[: s.unit_start].split()) >= 2


@dataclass
class _Table:
    chunks: list[_Chunk]
    classes: dict[int, LineRecord]


def _header_blocks(lines: Sequence[str], first: int) -> set[int]:
    """1-based line numbers of column-header-block lines from index ``first`` on."""
    result: set[int] = set()
    i = first
    n = len(lines)
    while i < n:
        if _header_match(lines[i]) is None:
            i += 1
            continue
        block: list[int] = []
        kinds: set[int] = set()
        j = i
        while j < n:
            if not lines[j].strip():
                j += 1
                continue
            kind = _header_match(lines[j])
            if kind is None or kind in kinds:
                break
            kinds.add(kind)
            block.append(j)
            j += 1
        if len(block) >= 2 and kinds & set(_HEADER_ANCHORS):
            result.update(b + 1 for b in block)
            i = block[-1] + 1
        else:
            i += 1
    return result


def _next_content(lines: Sequence[str], idx: int, headers: set[int]) -> str | None:
    for j in range(idx + 1, len(lines)):
        if lines[j].strip() and (j + 1) not in headers:
            return lines[j]
    return None


def _is_row_start_letter_line(text: str, open_chunk: _Chunk) -> bool:
    """A line starting with a letter: a new row without a number, or the open row's next line?"""
    if not text.lstrip()[:1].isupper() or not _line_forms_row(text):
        return False
    if open_chunk.split is not None:
        return True
    return bool(_SENTENCE_END.search(open_chunk.segments[-1][1]))


def _read_table(lines: Sequence[str], start: int, headers: set[int]) -> _Table:
    reader = _TableReader(lines, headers)
    for idx in range(start, len(lines)):
        reader.line(idx)
    return _Table(reader.chunks, reader.classes)


@dataclass
class _TableReader:
    """Reads the table zone line by line into row chunks and line classes (see :func:`_read_table`)."""

    lines: Sequence[str]
    headers: set[int]
    classes: dict[int, LineRecord] = field(default_factory=dict)
    chunks: list[_Chunk] = field(default_factory=list)
    section_code: str = ""
    section_label: str = ""
    section_line: int | None = None  # the section row just read (for wrapped section labels)
    open_chunk: _Chunk | None = None

    def line(self, idx: int) -> None:
        no = idx + 1
        text = self.lines[idx]
        if not text.strip():
            self.classes[no] = LineRecord(no, LineClass.BLANK)
            return
        reason = self._structure_reason(no, text)
        if reason is not None:
            self.classes[no] = LineRecord(no, LineClass.STRUCTURE, reason)
            return
        chunk, body = self._row_start(idx, text)
        if chunk is not None:
            self.chunks.append(chunk)
            self.open_chunk = chunk
            self.section_line = None
        assert self.open_chunk is not None
        self.open_chunk.add(no, body)
        self.classes[no] = LineRecord(no, LineClass.STATISTIC)

    def _structure_reason(self, no: int, text: str) -> str | None:
        """Why a line is STRUCTURE (page header, section row and its wrapped label), else None."""
        if no in self.headers:
            return "table header" if not self.chunks and self.section_line is None else "repeated page header"
        m = _SECTION.match(text)
        if m is not None and _is_upper_text(m.group("label")):
            self.section_code = m.group("code")
            self.section_label = clean_cell(m.group("label"))
            self.section_line = no
            self.open_chunk = None
            return "section row"
        if self.section_line is not None and self.open_chunk is None and _is_upper_text(text):
            self.section_label = clean_cell(f"{self.section_label} {text}")
            return "section row"
        return None

    def _chunk(self, code: str, kind: str) -> _Chunk:
        return _Chunk(code, kind, self.section_code, self.section_label)

    def _row_start(self, idx: int, text: str) -> tuple[_Chunk | None, str]:
        """The new row a line starts (None when it continues the open row) and the line's text for it."""
        if _DOTTED_CODE.match(text):
            code, body = _strip_code(text, _DOTTED_CODE)
            return self._chunk(code, "dotted"), body
        if _DASH_CODE.match(text):
            code, body = _strip_code(text, _DASH_CODE)
            return self._chunk(code, "dash"), body
        m_int = _INT_CODE.match(text)
        if m_int is not None:
            if self._int_starts_row(idx, m_int):
                code, body = _strip_code(text, _INT_CODE)
                return self._chunk(code, "int"), body
            return None, text
        open_chunk = self.open_chunk
        if open_chunk is None or (
            _STARTS_WITH_LETTER.match(text) and _is_row_start_letter_line(text, open_chunk)
        ):
            return self._chunk("", "none"), text
        return None, text

    def _int_starts_row(self, idx: int, m_int: re.Match[str]) -> bool:
        """Whether a line starting with a whole number starts a row (else: a value of the open row)."""
        number = int(m_int.group("code"))
        rest = self.lines[idx][m_int.end() :]
        open_chunk = self.open_chunk
        awaiting = open_chunk.awaiting_code_value() if open_chunk is not None else None
        if awaiting is not None and number in awaiting:
            return False
        if open_chunk is None:
            return True
        if number == 0:
            return False
        if not rest.strip():
            following = _next_content(self.lines, idx, self.headers)
            return (
                following is not None
                and bool(_STARTS_WITH_LETTER.match(following))
                and not _starts_with_unit(following)
            )
        return rest.lstrip()[:1].isupper()


def _starts_with_unit(text: str) -> bool:
    stripped = text.strip()
    for pattern in _UNIT_PATTERNS_CS:
        if pattern.match(stripped):
            return True
    runs = _code_list_runs(stripped)
    return bool(runs) and runs[0][0] == 0


# --------------------------------------------------------------------------------------------
# Hierarchy
# --------------------------------------------------------------------------------------------


_NUMBERED_KINDS = ("dotted", "int")


@dataclass
class _Placed:
    chunk: _Chunk
    parent: int | None  # index into the placed list, None = under the section
    path: str
    depth: int
    children: int = 0


def _numbered_parent(placed: Sequence[_Placed], same_section: Sequence[int], code: str) -> int | None:
    """The parent (index into ``placed``) of a numbered row: see the module docstring."""
    parts = dotted_parts(code)
    if len(parts) <= 1:
        return None
    codes = {i: dotted_parts(placed[i].chunk.code) for i in same_section}
    exact = [i for i in same_section if codes[i] == parts[:-1]]
    one_less = [i for i in same_section if len(codes[i]) == len(parts) - 1 and codes[i][0] == parts[0]]
    fewer = [i for i in same_section if len(codes[i]) < len(parts)]
    for group in (exact, one_less, fewer):
        if group:
            return group[-1]
    return None


def _place(chunks: Sequence[_Chunk]) -> list[_Placed]:
    placed: list[_Placed] = []
    book = PathBook()
    for chunk in chunks:
        same_section = [
            i
            for i, p in enumerate(placed)
            if p.chunk.section_code == chunk.section_code and p.chunk.code_kind in _NUMBERED_KINDS
        ]
        if chunk.code_kind in _NUMBERED_KINDS:
            parent = _numbered_parent(placed, same_section, chunk.code)
            base = placed[parent].path if parent is not None else chunk.section_code
            path = book.claim(join_path(base, chunk.code))
        else:
            parent = same_section[-1] if same_section else None
            base = placed[parent].path if parent is not None else chunk.section_code
            path = book.unnumbered_child(base, key=(chunk.section_code, parent))
        depth = placed[parent].depth + 1 if parent is not None else 1
        if parent is not None:
            placed[parent].children += 1
        placed.append(_Placed(chunk, parent, path, depth))
    return placed


def _build_rows(placed: Sequence[_Placed], classes: dict[int, LineRecord], source_file: str) -> list[StatRow]:
    rows: list[StatRow] = []
    for p in placed:
        chunk = p.chunk
        split = chunk.split
        if split is None and p.children == 0:
            what = f"row '{chunk.code}'" if chunk.code else "line"
            reason = (
                f"{what} has no unit and value (expected 'label unit value [note]' with a unit such as "
                f"'Văn bản', '%' or a code list) and no rows under it: {clean_cell(chunk.text)[:80]!r}"
            )
            for no, seg in chunk.segments:
                if seg:
                    classes[no] = LineRecord(no, LineClass.QUARANTINE, reason)
            continue
        text = chunk.text
        if split is None:
            raw_label, raw_unit, raw_note = text.strip(), "", ""
            value = parse_value("", "", source_file=source_file, line=chunk.line_start)
            unit = ""
            note_start = note_end = chunk.line_end
        else:
            raw_label = text[: split.unit_start].strip()
            raw_unit = split.raw_unit.strip()
            unit = split.unit
            raw_note = text[split.value_end :].strip()
            value_line = chunk.line_at(split.value_start)
            value = parse_value(split.raw_value, unit, source_file=source_file, line=value_line)
            if raw_note:
                note_offset = split.value_end + (
                    len(text[split.value_end :]) - len(text[split.value_end :].lstrip())
                )
                note_start = chunk.line_at(note_offset)
                note_end = chunk.line_at(len(text.rstrip()) - 1)
            else:
                note_start = note_end = chunk.line_end
        parent = placed[p.parent] if p.parent is not None else None
        rows.append(
            StatRow(
                seq=len(rows) + 1,
                line_start=chunk.line_start,
                line_end=chunk.line_end,
                section_code=chunk.section_code,
                section_label=chunk.section_label,
                row_code=chunk.code,
                row_path=p.path,
                parent_row_path=parent.path if parent is not None else None,
                depth=p.depth,
                is_group=p.children > 0,
                raw_label=nfc(raw_label),
                label=clean_cell(raw_label),
                raw_unit=nfc(raw_unit),
                unit=unit,
                value=value,
                raw_note=nfc(raw_note),
                note=clean_cell(raw_note),
                note_facts=extract_note_facts(raw_note, note_start, note_end) if raw_note else (),
                footnote_marks=footnote_marks(raw_label),
            )
        )
    return rows


# --------------------------------------------------------------------------------------------
# Narrative part
# --------------------------------------------------------------------------------------------


def _is_numbered_heading(text: str) -> bool:
    if not _NUMBERED_ITEM.match(text):
        return False
    body = re.sub(r"^\s*[\d.]+\s*", "", text).strip()
    return len(body.split()) <= _MAX_HEADING_WORDS and not re.search(r"[.,;:]$", body)


def _read_narrative(lines: Sequence[str], end: int, classes: dict[int, LineRecord]) -> list[NarrativeBlock]:
    blocks: list[NarrativeBlock] = []
    heading = ""
    closing = False
    para: list[tuple[int, str]] = []
    in_heading = False  # the last content line was a roman heading (its wrapped lines follow)
    after_title = False  # the last content line was a title line (a short subtitle may follow)

    def flush() -> None:
        if para:
            blocks.append(
                NarrativeBlock(
                    seq=len(blocks) + 1,
                    line_start=para[0][0],
                    line_end=para[-1][0],
                    heading=heading,
                    text=clean_cell(" ".join(t.strip() for _, t in para)),
                )
            )
            para.clear()

    for idx in range(end):
        no = idx + 1
        text = lines[idx]
        if not text.strip():
            classes[no] = LineRecord(no, LineClass.BLANK)
            continue
        if closing or _CLOSING_START.search(text):
            flush()
            closing = True
            in_heading = False
            classes[no] = LineRecord(no, LineClass.STRUCTURE, "closing and signature")
            continue
        if in_heading and _is_upper_text(text):
            heading = clean_cell(f"{heading} {text}")
            classes[no] = LineRecord(no, LineClass.STRUCTURE, "heading")
            continue
        in_heading = False
        if (_ROMAN_HEADING.match(text) and _is_upper_text(text)) or _is_numbered_heading(text):
            flush()
            heading = clean_cell(text)
            in_heading = bool(_ROMAN_HEADING.match(text))
            classes[no] = LineRecord(no, LineClass.STRUCTURE, "heading")
            continue
        if not para and (
            _is_upper_text(text)
            or _TITLE_LINE.match(text)
            or (after_title and len(text.split()) <= _MAX_HEADING_WORDS and not _SENTENCE_END.search(text))
        ):
            # Title block: "ỦY BAN NHÂN DÂN", "Số: .../BC-UBND", the date, "BÁO CÁO" and its subtitle.
            classes[no] = LineRecord(no, LineClass.STRUCTURE, "title")
            after_title = _is_upper_text(text)  # only one subtitle line after "BÁO CÁO"
            continue
        after_title = False
        if para and (_BULLET_ITEM.match(text) or _NUMBERED_ITEM.match(text)):
            flush()
        para.append((no, text))
        classes[no] = LineRecord(no, LineClass.NARRATIVE)
    flush()
    return blocks


# --------------------------------------------------------------------------------------------
# Family protocol
# --------------------------------------------------------------------------------------------


def _table_start(lines: Sequence[str], headers: set[int]) -> int | None:
    """0-based index of the first line of the statistics table, or None."""
    if headers:
        return min(headers) - 1
    for idx, text in enumerate(lines):
        m = _SECTION.match(text)
        if (
            m is not None
            and m.group("code") == "I"
            and "." not in text.split()[0]
            and _is_upper_text(m.group("label"))
        ):
            return idx
    return None


def score(text: str) -> float:
    """How sure we are that ``text`` is a commune 2024 national form extracted from PDF (0..1)."""
    lines = split_lines(text)
    content = [line for line in lines if line.strip()]
    if not content:
        return 0.0
    result = 0.0
    keys = [clean_cell(line).lower() for line in content]
    if any(k.startswith("chỉ tiêu thống kê") for k in keys):
        result += 0.15
    unit_value_headers = sum(1 for k in keys if re.fullmatch(r"đơn vị tính\s+số liệu", k))
    if unit_value_headers:
        result += 0.3
    if unit_value_headers >= 2:
        result += 0.1
    dotted = sum(1 for line in content if "\t" not in line and _DOTTED_CODE.match(line) and "." in line)
    if dotted >= 5:
        result += 0.2
    sections = sum(
        1
        for line in content
        if (m := _SECTION.match(line)) and "." not in line.split()[0] and _is_upper_text(m.group("label"))
    )
    if sections >= 2:
        result += 0.1
    if "cấp xã" in text:
        result += 0.15
    tabbed = sum(1 for line in content if "\t" in line)
    if tabbed > max(3, len(content) // 50):
        result *= 0.2
    return round(min(result, 1.0), 3)


def parse(text: str, source_file: str) -> ParseResult:
    """Parse one report of the family: statistic rows, narrative blocks and one record per line."""
    text = nfc(text)
    lines = split_lines(text)
    if not any(line.strip() for line in lines):
        raise ParseError(
            "empty report: expected a narrative report and a statistics table", source_file=source_file
        )
    headers = _header_blocks(lines, 0)
    start = _table_start(lines, headers)
    if start is None:
        raise ParseError(
            "no statistics table found: expected the column header block ('STT', 'Chỉ tiêu thống kê', "
            "'Đơn vị tính Số liệu') or a section row such as 'I CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH'",
            source_file=source_file,
        )
    classes: dict[int, LineRecord] = {}
    narrative = _read_narrative(lines, start, classes)
    table = _read_table(lines, start, headers)
    classes.update(table.classes)
    placed = _place(table.chunks)
    rows = _build_rows(placed, classes, source_file)
    records = tuple(classes[no] for no in range(1, len(lines) + 1))
    return ParseResult(
        family=FAMILY,
        source_file=source_file,
        line_count=len(lines),
        rows=tuple(rows),
        narrative=tuple(narrative),
        lines=records,
    )


TEMPLATE: TemplateFamily = FamilyParser(FAMILY, MARKERS, score, parse)
